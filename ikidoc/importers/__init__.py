"""Bring existing IKI data in: an Excel workbook, a CSV file or an IKI Word document
becomes a data file of FORMAT.md §1 (``ikidoc import``)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ikidoc.errors import DataError, Problem
from ikidoc.importers import docx
from ikidoc.importers.draft import FIELD_KEYS, Draft
from ikidoc.importers.output import save
from ikidoc.model import UnitKerja


def _tabular(name: str) -> Callable[[Path], Draft]:
    """A reader of ikidoc.importers.tabular, imported on first use: openpyxl (and numpy
    with it) takes longer to import than the rest of ikidoc, and only Excel and CSV files
    need it, not every command."""
    def read(path: Path) -> Draft:
        from ikidoc.importers import tabular
        reader: Callable[[Path], Draft] = getattr(tabular, name)
        return reader(path)
    return read


READERS: dict[str, Callable[[Path], Draft]] = {
    ".xlsx": _tabular("read_workbook"),
    ".xlsm": _tabular("read_workbook"),
    ".csv": _tabular("read_csv"),
    ".docx": docx.read_document,
}
_OLD_FORMATS = {".xls": "is an Excel 97-2003 workbook; save it as .xlsx",
                ".doc": "is a Word 97-2003 document; save it as .docx"}

__all__ = ["FIELD_KEYS", "READERS", "import_file"]


def import_file(source: Path, target: Path, *, fields: Mapping[str, Any] | None = None,
                force: bool = False) -> UnitKerja:
    """Read ``source`` (.xlsx, .csv or .docx) and write it as the data file ``target``.

    ``fields`` are document-level fields keyed as in FIELD_KEYS (``unit_kerja``,
    ``penandatangan_nip``...); they replace what the source says. Returns the unit as
    the written file validates. Raises DataError naming the sheet, row and column (or
    the position and table row) of every problem, or OutputError; nothing is written
    then.
    """
    suffix = source.suffix.lower()
    if suffix not in READERS:
        known = ", ".join(READERS)
        reason = _OLD_FORMATS.get(suffix, f"is not a file ikidoc can import (it reads {known})")
        raise DataError([Problem(str(source), reason)])
    if not source.is_file():
        raise DataError([Problem(str(source), "no such file")])
    draft = READERS[suffix](source)
    for key, value in (fields or {}).items():
        draft.set_field(key, value, f"option --{key.replace('_', '-')}")
    return save(draft, target, force=force)

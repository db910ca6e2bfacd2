"""Bring existing IKI data in: an Excel workbook, a CSV file or an IKI Word document
becomes a data file of docs/data-format.md (``ikidoc import``)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ikidoc.errors import DataError, Problem
from ikidoc.importers import docx
from ikidoc.importers.draft import FIELD_KEYS, Draft
from ikidoc.importers.output import save
from ikidoc.importers.wordtable import Choices
from ikidoc.messages import msg
from ikidoc.model import UnitKerja

# The options that decide what a Word document leaves open (the name of a position it
# names nowhere, the source of a table without one, which column is the SASARAN).
CHOICE_KEYS = ("jabatan", "sumber_data", "kolom_sasaran")


def _tabular(name: str) -> Callable[[Path, Choices], Draft]:
    """A reader of ikidoc.importers.tabular, imported on first use: openpyxl (and numpy
    with it) takes longer to import than the rest of ikidoc, and only Excel and CSV files
    need it, not every command. A sheet names every column, so it has no choices."""
    def read(path: Path, choices: Choices) -> Draft:
        from ikidoc.importers import tabular
        reader: Callable[[Path], Draft] = getattr(tabular, name)
        return reader(path)
    return read


READERS: dict[str, Callable[[Path, Choices], Draft]] = {
    ".xlsx": _tabular("read_workbook"),
    ".xlsm": _tabular("read_workbook"),
    ".csv": _tabular("read_csv"),
    ".docx": docx.read_document,
}
_OLD_FORMATS = {".xls": msg("import.xls", "is an Excel 97-2003 workbook; save it as .xlsx"),
                ".doc": msg("import.doc", "is a Word 97-2003 document; save it as .docx")}

__all__ = ["CHOICE_KEYS", "FIELD_KEYS", "READERS", "import_file", "read_fields"]


def import_file(source: Path, target: Path, *, fields: Mapping[str, Any] | None = None,
                force: bool = False) -> UnitKerja:
    """Read ``source`` (.xlsx, .csv or .docx) and write it as the data file ``target``.

    ``fields`` are document-level fields keyed as in FIELD_KEYS (``unit_kerja``,
    ``penandatangan_nip``...), which replace what the source says, and the choices of
    CHOICE_KEYS for a Word document (``jabatan``, ``sumber_data``, ``kolom_sasaran``),
    which decide what it leaves open. Returns the unit as
    the written file validates. Raises DataError naming the sheet, row and column (or
    the position and table row) of every problem, or OutputError; nothing is written
    then.
    """
    suffix = source.suffix.lower()
    if suffix not in READERS:
        known = ", ".join(READERS)
        reason = _OLD_FORMATS.get(suffix) or msg(
            "import.unknown_kind", "is not a file ikidoc can import (it reads {known})",
            known=known)
        raise DataError([Problem(str(source), reason)])
    if source.is_dir():
        raise DataError([Problem(str(source), msg(
            "import.folder", "is a folder; import one .xlsx, .csv or .docx file at a time"))])
    if source.exists() and not source.is_file():
        raise DataError([Problem(str(source), msg(
            "import.not_regular", "is not a regular file (a pipe or a device); import a "
            "saved .xlsx, .csv or .docx file"))])
    if not source.is_file():
        raise DataError([Problem(str(source), msg("import.no_such_file", "no such file"))])
    given = dict(fields or {})
    choices = {key: given.pop(key) for key in CHOICE_KEYS if given.get(key) is not None}
    if choices and suffix != ".docx":
        options = ", ".join(f"--{key.replace('_', '-')}" for key in choices)
        raise DataError([Problem(str(source), msg(
            "import.docx_only", "{options}: only for a Word document (.docx)", options=options),
            hint=msg("import.docx_only_hint", "a sheet names these in its columns; leave the "
                     "option out"))])
    draft = READERS[suffix](source, Choices(**choices))
    for key, value in given.items():
        draft.set_field(key, value, msg("place.option", "option --{option}",
                                        option=key.replace("_", "-")))
    # a value of the source refused (a NIP stored as a number) is replaced by the one given
    draft.problems = [found for found in draft.problems
                      if not found.path or found.path.replace(".", "_") not in given]
    return save(draft, target, force=force)


def read_fields(source: Path) -> dict[str, Any]:
    """The document fields (FIELD_KEYS) ``source`` gives, as read: what a form asking
    for the missing ones shows filled in. Empty when the source cannot be read."""
    reader = READERS.get(source.suffix.lower())
    if reader is None or not source.is_file():
        return {}
    try:
        return dict(reader(source, Choices()).fields)
    except DataError:
        return {}

"""What an .xlsx workbook holds, read from its sheets' XML in one streaming pass before
openpyxl builds them: how far each sheet reaches (openpyxl keeps every cell, and the
importer a grid of rows by columns, in memory), and which cells hold a formula whose
value was never stored.

A workbook written by a script keeps no value for a formula (``=A2``): openpyxl reads
such a cell as empty, and an empty cell continues the one above it in an IKI table,
so those cells are named instead of read.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from ikidoc.errors import DataError, Problem
from ikidoc.messages import Message, msg

MAX_ROWS = 100_000
MAX_CELLS = 2_000_000  # rows x columns of a sheet's grid
# Characters the cells of a workbook take from its shared strings, all sheets together:
# one long text shared by every cell would otherwise become gigabytes when read.
MAX_SHARED_TEXT = 50_000_000
_CHUNK = 2**20
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")
_ROOT_RELATIONSHIPS = "_rels/.rels"


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula and no stored value."""

    row: int
    column: int  # 1-based
    text: str


@dataclass
class _Sheet:
    """The facts of one sheet as its XML streams by."""

    title: str
    rows: int = 0
    columns: int = 0
    formulas: list[Formula] = field(default_factory=list)


def unstored_formulas(path: Path) -> dict[str, list[Formula]]:
    """The formula cells without a stored value of every sheet, by sheet title.

    Raises DataError naming the sheet when it reaches past MAX_ROWS rows or its grid
    past MAX_CELLS cells, or when a sheet cannot be read to the end (a document type
    declaration, a broken row number): it would escape those bounds otherwise. So it does
    when a cell refers to a shared string the workbook does not hold, or when the cells
    take more than MAX_SHARED_TEXT characters from the shared strings. A package that is
    not a workbook gives nothing here: openpyxl says what is wrong with it.
    """
    try:
        with zipfile.ZipFile(path) as package:
            found: dict[str, list[Formula]] = {}
            shared = _SharedText(_shared_lengths(package, str(path)))
            for title, part in _worksheets(package):
                sheet = _Sheet(title)
                try:
                    _stream(package, part, _SheetReader(sheet, str(path), shared))
                except DataError:  # a bound reached (a ValueError too)
                    raise
                except (KeyError, ValueError, expat.ExpatError):
                    raise DataError([Problem(str(path), msg(
                        "xlsx.sheet_unreadable", "sheet {sheet!r} cannot be read as Excel "
                        "writes a sheet", sheet=title), hint=msg(
                        "xlsx.sheet_unreadable_hint", "open the file in Excel and save it "
                        "again as .xlsx"))]) from None
                found[title] = sheet.formulas
            return found
    except DataError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, expat.ExpatError):
        return {}


def _workbook_parts(package: zipfile.ZipFile) -> tuple[str, dict[str, str], dict[str, str]]:
    """The workbook part's name, its relationships' targets by id and by type."""
    book = _part_of(package, _ROOT_RELATIONSHIPS, "", "/officeDocument")
    if book is None:
        return "", {}, {}
    folder, name = posixpath.split(book)
    targets: dict[str, str] = {}
    kinds: dict[str, str] = {}

    def relationship(attributes: dict[str, str]) -> None:
        target = _resolved(folder, attributes.get("Target", ""))
        targets[attributes.get("Id", "")] = target
        kinds.setdefault(attributes.get("Type", "").rpartition("/")[2], target)

    _stream(package, posixpath.join(folder, "_rels", name + ".rels"),
            _Collector("Relationship", relationship))
    return book, targets, kinds


def _shared_lengths(package: zipfile.ZipFile, file: str) -> list[int]:
    """The length of each shared string of the workbook, in order (none without them)."""
    part = _workbook_parts(package)[2].get("sharedStrings")
    if part is None or part not in package.NameToInfo:
        return []
    reader = _SharedLengths()
    try:
        _stream(package, part, reader)
    except (KeyError, ValueError, expat.ExpatError):
        raise DataError([Problem(file, msg(
            "xlsx.shared_unreadable", "its shared strings ({part}) cannot be read as Excel "
            "writes them", part=part), hint=msg(
            "xlsx.sheet_unreadable_hint", "open the file in Excel and save it again as "
            ".xlsx"))]) from None
    return reader.lengths


def _worksheets(package: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of each worksheet, from the workbook part and its relationships."""
    book, targets, _ = _workbook_parts(package)
    if not book:
        return []
    sheets: list[tuple[str, str]] = []
    _stream(package, book, _Collector("sheet", lambda a: sheets.append(
        (a.get("name", ""), targets.get(_attribute(a, "id"), "")))))
    return [(title, part) for title, part in sheets if part in package.NameToInfo]


def _part_of(package: zipfile.ZipFile, relationships: str, folder: str, kind: str) -> str | None:
    found: list[str] = []
    _stream(package, relationships, _Collector("Relationship", lambda a: found.append(
        _resolved(folder, a.get("Target", ""))) if a.get("Type", "").endswith(kind) else None))
    return found[0] if found else None


def _resolved(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute ("/xl/...") or relative to ``folder``."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(folder, target))


def _attribute(attributes: dict[str, str], local: str) -> str:
    """An attribute by its local name, whatever its namespace (``r:id``)."""
    return next((value for key, value in attributes.items()
                 if key.rpartition(" ")[2] == local), "")


class _Handler:
    """Callbacks of an expat parser; names arrive as "namespace local"."""

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """An element opens."""

    def end(self, name: str) -> None:
        """An element closes."""

    def text(self, data: str) -> None:
        """Character data."""


class _Collector(_Handler):
    """Calls ``found`` with the attributes of each element named ``local``."""

    def __init__(self, local: str, found: Any) -> None:
        self.local, self.found = local, found

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == self.local:
            self.found(attributes)


class _SharedLengths(_Handler):
    """Counts the characters of each string item (``si``) of the shared strings part."""

    def __init__(self) -> None:
        self.lengths: list[int] = []
        self.open = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "si":
            self.lengths.append(0)
            self.open = True

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "si":
            self.open = False

    def text(self, data: str) -> None:
        if self.open:
            self.lengths[-1] += len(data)


@dataclass
class _SharedText:
    """The shared strings' lengths, and the characters the cells read so far take."""

    lengths: list[int]
    taken: int = 0


class _SheetReader(_Handler):
    """Follows the cells of a worksheet: its reach, its formulas without a value, and the
    shared strings its cells refer to."""

    def __init__(self, sheet: _Sheet, file: str, shared: _SharedText) -> None:
        self.sheet, self.file, self.shared = sheet, file, shared
        self.refers = False  # the open cell's value is the number of a shared string
        self.row = 0
        self.column = 0
        self.formula: list[str] | None = None  # the open cell's formula text, if it has one
        self.value = ""
        self.typed_text = False
        self.inside = ""  # "f" or "v" while their text streams by

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            self.row = int(attributes.get("r") or self.row + 1)
            self.column = 0
        elif local == "c":
            self._open_cell(attributes)
        elif local in ("f", "v", "is"):
            self.inside = local
            if local == "f":
                self.formula = []
            elif local == "is":
                self.value = "inline"

    def _open_cell(self, attributes: dict[str, str]) -> None:
        reference = _REFERENCE.fullmatch(attributes.get("r", ""))
        if reference:
            self.row = int(reference.group(2))
            self.column = column_index_from_string(reference.group(1))
        else:
            self.column += 1
        self.formula, self.value = None, ""
        self.typed_text = attributes.get("t") == "str"
        self.refers = attributes.get("t") == "s"
        sheet = self.sheet
        sheet.rows, sheet.columns = max(sheet.rows, self.row), max(sheet.columns, self.column)
        if sheet.rows > MAX_ROWS:
            self._refuse(msg("sheet.too_many_rows", "reaches row {rows:,}; sheets of more than "
                             "{bound:,} rows are refused", rows=sheet.rows, bound=MAX_ROWS))
        if sheet.rows * sheet.columns > MAX_CELLS:
            self._refuse(msg("sheet.too_many_cells", "spans {rows:,} rows by {columns:,} "
                             "columns; sheets of more than {bound:,} cells (rows x columns) are "
                             "refused", rows=sheet.rows, columns=sheet.columns, bound=MAX_CELLS))

    def _refuse(self, said: Message) -> None:
        raise DataError([Problem(self.file, said,
                                 place=msg("place.sheet", "sheet {sheet!r}",
                                           sheet=self.sheet.title),
                                 hint=msg("sheet.too_large_hint", "split the unit into several "
                                          "workbooks, or delete the rows and columns left over "
                                          "below and beside the table"))])

    def _take_shared(self) -> None:
        """Count the shared string the cell just closed refers to; refuse a number the
        workbook holds no string for (openpyxl would fail, or read -1 as the last one)."""
        shared, value = self.shared, self.value.strip()
        number = int(value) if value.isdigit() else -1
        place = msg("place.sheet_column", "sheet {sheet!r}, row {row}, column {column}",
                    sheet=self.sheet.title, row=self.row,
                    column=get_column_letter(max(self.column, 1)))
        if not 0 <= number < len(shared.lengths):
            raise DataError([Problem(self.file, msg(
                "xlsx.no_shared_string", "refers to shared text number {number!r}, which the "
                "workbook does not hold", number=value), place=place, hint=msg(
                "xlsx.sheet_unreadable_hint", "open the file in Excel and save it again as "
                ".xlsx"))])
        shared.taken += shared.lengths[number]
        if shared.taken > MAX_SHARED_TEXT:
            raise DataError([Problem(self.file, msg(
                "xlsx.too_much_shared_text", "its cells up to here take more than {bound:,} "
                "characters of text; workbooks of more text are refused",
                bound=MAX_SHARED_TEXT), place=place, hint=msg(
                "sheet.too_large_hint", "split the unit into several workbooks, or delete the "
                "rows and columns left over below and beside the table"))])

    def text(self, data: str) -> None:
        if self.inside == "f" and self.formula is not None:
            self.formula.append(data)
        elif self.inside == "v":
            self.value += data

    def end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local in ("f", "v", "is"):
            self.inside = ""
        elif local == "c" and self.refers and self.value:
            self._take_shared()
        elif local == "c" and self.formula is not None and not (self.value or self.typed_text):
            self.sheet.formulas.append(Formula(self.row, self.column, "".join(self.formula)))


def _stream(package: zipfile.ZipFile, part: str, handler: _Handler) -> None:
    """Feed the part to an expat parser in chunks; a document type declaration (the door
    to entity expansion) is refused as not a workbook."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text

    def no_doctype(*_: Any) -> None:
        raise ValueError("a document type declaration")

    parser.StartDoctypeDeclHandler = no_doctype
    with package.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)

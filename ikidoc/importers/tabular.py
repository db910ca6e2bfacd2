"""Read the IKI of a unit from an Excel workbook (.xlsx) or a CSV file into a draft.

One row per indikator under a header row (Jabatan, Tugas, Fungsi, Sasaran, Indikator,
Formulasi, Sumber Data; other columns go to the indikator's ``tambahan``). A sheet
named ``dokumen`` holds the document's fields as name | value rows.
"""
from __future__ import annotations

import csv
import io
import itertools
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ikidoc import zipbounds
from ikidoc.errors import DataError, Problem
from ikidoc.importers import cells, rows, workbook
from ikidoc.importers.draft import Draft, field_key

DOKUMEN = "dokumen"
PETUNJUK = "petunjuk"
HEADER_ROWS = 10  # a header row is looked for among the first rows, below any title
REQUIRED = ("jabatan", "sasaran", "indikator", "formulasi", "sumber")

MAX_CSV_BYTES = 50 * 2**20  # as a data file: a larger table makes a data file validate refuses
Grid = list[list[Any]]
_TABLE_HINT = ("name the column in the header row (row {row}): a name that is no IKI field "
               "becomes a tambahan field; or delete its values")
_FIELDS_HINT = ("this sheet holds name | value rows in columns A and B; move the value to "
                "column B of its row, or delete it")


@dataclass(frozen=True)
class _Columns:
    """The header of a table: the column of each field and of each free (tambahan) key."""

    header_row: int  # 0-based
    fields: dict[str, int]
    free: dict[int, str]
    names: dict[str, tuple[int, str]]  # field or tambahan key -> (column, header text)
    headed: frozenset[int]  # the columns whose header cell holds text


@dataclass(frozen=True)
class _Place:
    """A row of a sheet (``sheet`` None for a CSV file)."""

    sheet: str | None
    row: int
    columns: _Columns

    def describe(self, field: str) -> str:
        parts = [f"sheet {self.sheet!r}"] if self.sheet is not None else []
        parts.append(f"row {self.row}")
        if field in self.columns.names:
            column, header = self.columns.names[field]
            parts.append(f"column {get_column_letter(column + 1)} ({header})")
        return ", ".join(parts)


@dataclass
class _Position:
    """A position as its rows are read: lists with the place of each item, table rows."""

    nama: str
    place: str
    tugas: list[tuple[str, str]] = field(default_factory=list)  # (item, place)
    fungsi: list[tuple[str, str]] = field(default_factory=list)
    last_cells: dict[str, str] = field(default_factory=dict)
    rows: list[rows.Row] = field(default_factory=list)


def read_workbook(path: Path) -> Draft:
    """Every table sheet of the workbook, in order, and its sheet ``dokumen``.

    Raises DataError when the file is not a workbook or is larger than the bounds of
    ``zipbounds`` and ``workbook`` (before openpyxl reads it); problems in its cells
    are collected in the draft.
    """
    zipbounds.check(path)
    formulas = workbook.unstored_formulas(path)
    draft = Draft(str(path))
    tables = 0
    for sheet in _open(path).worksheets:
        if not isinstance(sheet, Worksheet):
            continue  # a chart sheet holds no cells
        grid = _grid(sheet)
        name = sheet.title.strip().lower()
        if name != PETUNJUK:
            _name_formulas(formulas.get(sheet.title, []), sheet.title, draft)
        if name == DOKUMEN:
            _read_fields(grid, sheet.title, draft)
        elif name != PETUNJUK and any(cells.cell_text(value) for line in grid for value in line):
            _read_table(grid, sheet.title, draft)
            tables += 1
    if not tables:
        draft.problem("", "no sheet holds an IKI table",
                      "put the header row (" + ", ".join(cells.FIELDS.values()) + ") and one row "
                      "per indikator on the first sheet")
    return draft


def _name_formulas(found: list[workbook.Formula], sheet: str, draft: Draft) -> None:
    """A problem for each formula cell without a stored value: read as blank, it would
    continue the cell above it (two positions would silently become one)."""
    for formula in found:
        draft.problem(f"sheet {sheet!r}, row {formula.row}, column "
                      f"{get_column_letter(formula.column)}",
                      f"holds the formula ={formula.text} but no value computed for it",
                      "open the workbook in Excel or LibreOffice and save it again (that stores "
                      "the values), or type the value instead of the formula")


def read_csv(path: Path) -> Draft:
    """A CSV file as Excel writes it: UTF-8 (BOM allowed), separated by "," or ";"."""
    draft = Draft(str(path))
    text = _decode(path, draft)
    if text is None:
        return draft
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        grid: Grid = list(itertools.islice(reader, workbook.MAX_ROWS + 1))
    except csv.Error as error:
        draft.problem(f"line {reader.line_num}", f"is not a readable CSV file ({error})")
        return draft
    if len(grid) > workbook.MAX_ROWS:
        raise DataError([Problem(str(path), f"has more than {workbook.MAX_ROWS:,} rows; CSV files "
                                            "of more rows are refused",
                                 hint="split the unit into several files")])
    _read_table(grid, None, draft)
    return draft


def _open(path: Path) -> openpyxl.Workbook:
    try:
        # openpyxl warns about Excel features it does not keep (data validation, slicers);
        # only cell values are read here, so the warnings say nothing to the user.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError,
            SyntaxError) as error:
        raise DataError([Problem(str(path), f"cannot be read as an Excel .xlsx workbook ({error})",
                                 hint="open it in Excel and save it again as .xlsx")]) from None


def _grid(sheet: Worksheet) -> Grid:
    """The sheet's values; every cell of a merged range holds the range's top-left value."""
    grid = [list(line) for line in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for column in range(merged.min_col - 1, min(merged.max_col, len(grid[row]))):
                grid[row][column] = value
    return grid


def _decode(path: Path, draft: Draft) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise DataError([Problem(str(path), f"is {size:,} bytes; CSV files larger than "
                                                f"{MAX_CSV_BYTES // 2**20} MB are refused",
                                     hint="split the unit into several files")])
        raw = path.read_bytes()
    except OSError as error:
        draft.problem("", f"cannot be read: {error.strerror or error}")
        return None
    if b"\x00" in raw:
        draft.problem("", "is not a CSV text file (it holds NUL bytes)")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        draft.problem(f"line {line}", f"is not UTF-8 text (byte 0x{raw[error.start]:02X})",
                      "in Excel use Save As > 'CSV UTF-8 (Comma delimited)'")
        return None


def _delimiter(text: str) -> str:
    """";" or ",", whichever separates the first line (the header) more often: Excel
    in Indonesia writes ";" since "," is the decimal mark there."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _read_fields(grid: Grid, sheet: str, draft: Draft) -> None:
    """Name | value rows; a first row that names no field is a header and is skipped.
    A value right of them, under no header, is named (never dropped)."""
    header: list[str] = []
    unheaded: dict[int, tuple[int, str]] = {}
    for number, line in enumerate(grid, start=1):
        texts = [cells.cell_text(value) for value in line]
        label = texts[0] if texts else ""
        if number == 1 and label and field_key(label) is None:
            header = texts
            continue
        for column, text in enumerate(texts[2:], start=2):
            if text and not (column < len(header) and header[column]):
                unheaded.setdefault(column, (number, text))
        if label:
            value = line[1] if len(line) > 1 else None
            draft.set_field(label, value, f"sheet {sheet!r}, row {number}, column B")
    _name_unheaded(unheaded, sheet, 1, draft, _FIELDS_HINT)


def _read_table(grid: Grid, sheet: str | None, draft: Draft) -> None:
    """Add the positions of one table (a sheet, or a CSV file when ``sheet`` is None)."""
    columns = _header(grid, sheet, draft)
    if columns is None:
        return
    positions: list[_Position] = []
    unheaded: dict[int, tuple[int, str]] = {}  # column -> first (row, text) under no header
    for number in range(columns.header_row + 1, len(grid)):
        texts = [cells.cell_text(value) for value in grid[number]]
        if not any(texts) or cells.is_numbering(texts):
            continue
        for column, text in enumerate(texts):
            if text and column not in columns.headed:
                unheaded.setdefault(column, (number + 1, text))
        place = _Place(sheet, number + 1, columns)
        position = _position_of(texts, place, columns, positions, draft)
        if position is not None:
            _add_row(position, texts, place, columns)
    for position in positions:
        _finish(position, draft)
    _name_unheaded(unheaded, sheet, columns.header_row + 1, draft)


def _name_unheaded(unheaded: dict[int, tuple[int, str]], sheet: str | None, header_row: int,
                   draft: Draft, hint: str = _TABLE_HINT) -> None:
    """A problem for each column that holds values under an empty header cell: its
    values belong to no field, and are never dropped without a word."""
    where = f"sheet {sheet!r}, " if sheet is not None else ""
    for column, (row, text) in sorted(unheaded.items()):
        shown = text if len(text) <= 40 else text[:40] + "..."
        draft.problem(f"{where}row {row}, column {get_column_letter(column + 1)}",
                      f"column {get_column_letter(column + 1)} has no header, so its value "
                      f"{shown!r} belongs to no field", hint.format(row=header_row))


def _text_at(texts: list[str], column: int | None) -> str:
    return texts[column] if column is not None and column < len(texts) else ""


def _position_of(texts: list[str], place: _Place, columns: _Columns,
                 positions: list[_Position], draft: Draft) -> _Position | None:
    """The position a row belongs to: a new Jabatan opens one, a blank one continues."""
    nama = _text_at(texts, columns.fields["jabatan"])
    if nama and (not positions or nama != positions[-1].nama):
        positions.append(_Position(nama, place.describe("jabatan")))
    elif not positions:
        draft.problem(place.describe("jabatan"), "this row has no jabatan",
                      "write the jabatan in the first row of each position")
        return None
    return positions[-1]


def _add_row(position: _Position, texts: list[str], place: _Place, columns: _Columns) -> None:
    """Add a row's tugas and fungsi items to its position, and the row to its table."""
    for name in ("tugas", "fungsi"):
        text = _text_at(texts, columns.fields.get(name))
        # A sheet that repeats the position's cells on every row repeats its tugas too.
        if text and text != position.last_cells.get(name):
            position.last_cells[name] = text
            items = getattr(position, name)
            items.extend((item, place.describe(name)) for item in cells.split_items(text))
    get = columns.fields.get
    position.rows.append(rows.Row(
        origin=place,
        sasaran=_text_at(texts, get("sasaran")),
        indikator=_text_at(texts, get("indikator")),
        formulasi=_text_at(texts, get("formulasi")),
        sumber=tuple(cells.split_items(_text_at(texts, get("sumber")))),
        tambahan={key: text for column, key in columns.free.items()
                  if (text := _text_at(texts, column))},
    ))


def _finish(position: _Position, draft: Draft) -> None:
    """Add the position to the draft, its sasaran assembled from its rows."""
    path = f"jabatan[{len(draft.positions)}]"
    draft.place(path, position.place)
    entry: dict[str, Any] = {"nama": position.nama}
    for name in ("tugas", "fungsi"):
        items = getattr(position, name)
        entry[name] = [item for item, _ in items]
        for number, (_, place) in enumerate(items):
            draft.place(f"{path}.{name}[{number}]", place)
    draft.positions.append(entry)
    entry["sasaran"] = rows.assemble(position.rows, draft, path)


def _header(grid: Grid, sheet: str | None, draft: Draft) -> _Columns | None:
    """The header row among the first rows: the one naming the most fields."""
    best = -1
    found: dict[str, int] = {}
    for number, line in enumerate(grid[:HEADER_ROWS]):
        named: dict[str, int] = {}
        for column, value in enumerate(line):
            name = cells.field_of(cells.cell_text(value)) if cells.cell_text(value) else None
            if name not in (None, cells.SKIP):
                named.setdefault(name, column)
        if len(named) > len(found):
            best, found = number, named
    where = f"sheet {sheet!r}, " if sheet is not None else ""
    if best < 0:
        draft.problem(f"{where}rows 1-{HEADER_ROWS}", "no header row found",
                      "name the columns " + ", ".join(cells.FIELDS.values()))
        return None
    headers = [cells.cell_text(value) for value in grid[best]]
    if not _header_complete(headers, found, f"{where}row {best + 1}", draft):
        return None
    free = {column: cells.tambahan_key(text) for column, text in enumerate(headers)
            if text and cells.field_of(text) is None}
    names = {name: (column, headers[column]) for name, column in found.items()}
    names.update({key: (column, headers[column]) for column, key in free.items()})
    headed = frozenset(column for column, text in enumerate(headers) if text)
    return _Columns(best, found, free, names, headed)


def _header_complete(headers: list[str], found: dict[str, int], where: str, draft: Draft) -> bool:
    """False, with a problem each, when a required column is missing or named twice."""
    complete = True
    for name in REQUIRED:
        if name in found:
            continue
        display = cells.FIELDS[name]
        guess = [text for text in headers if text and cells.likely_field(text) == display]
        hint = (f"is {guess[0]!r} meant to be {display!r}? rename it" if guess
                else f"add a column {display!r}")
        draft.problem(where, f"no column {display!r} in the header row", hint)
        complete = False
    for name, column in found.items():
        # A header cell merged across columns repeats its text in each: one column still.
        others = [get_column_letter(c + 1) for c, text in enumerate(headers)
                  if c != column and text and cells.field_of(text) == name
                  and not (c > 0 and headers[c - 1] == text)]
        if others:
            draft.problem(where, f"columns {get_column_letter(column + 1)} and {', '.join(others)} "
                                 f"all name {cells.FIELDS[name]!r}", "keep one of them")
            complete = False
    return complete

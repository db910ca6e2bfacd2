"""Read the IKI of a unit from an Excel workbook (.xlsx) or a CSV file into a draft.

One row per indikator under a header row (Jabatan, Tugas, Fungsi, Sasaran, Indikator,
Formulasi, Sumber Data; other columns go to the indikator's ``tambahan``). A sheet
named ``dokumen`` holds the document's fields as name | value rows.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ikidoc import zipbounds
from ikidoc.errors import DataError, Problem, unreadable
from ikidoc.importers import cells, kop, rows, workbook
from ikidoc.importers.draft import Draft, field_key
from ikidoc.messages import Message, msg

DOKUMEN = "dokumen"
PETUNJUK = "petunjuk"
HEADER_ROWS = 10  # a header row is looked for among the first rows, below any title
REQUIRED = ("jabatan", "sasaran", "indikator", "formulasi", "sumber")

MAX_CSV_BYTES = 50 * 2**20  # as a data file: a larger table makes a data file validate refuses
Grid = list[list[Any]]
_SPLIT = msg("csv.split_hint", "split the unit into several files")
_FIELDS_HINT = msg("sheet.fields_hint", "this sheet holds name | value rows in columns A and B; "
                   "move the value to column B of its row, or delete it")


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

    def describe(self, field: str) -> Message:
        if field not in self.columns.names:
            return _row_place(self.sheet, self.row)
        column, header = self.columns.names[field]
        letter = get_column_letter(column + 1)
        if self.sheet is None:
            return msg("place.cell", "row {row}, column {column} ({header})", row=self.row,
                       column=letter, header=header)
        return msg("place.sheet_cell", "sheet {sheet!r}, row {row}, column {column} ({header})",
                   sheet=self.sheet, row=self.row, column=letter, header=header)


def _row_place(sheet: str | None, row: int) -> Message:
    if sheet is None:
        return msg("place.row", "row {row}", row=row)
    return msg("place.sheet_row", "sheet {sheet!r}, row {row}", sheet=sheet, row=row)


@dataclass
class _Position:
    """A position as its rows are read: lists with the place of each item, table rows."""

    nama: str
    place: Message
    tugas: list[tuple[str, Message]] = field(default_factory=list)  # (item, place)
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
            for picture in sheet._images:  # a logo pasted beside the kop rows
                where = msg("place.sheet", "sheet {sheet!r}", sheet=sheet.title)
                if draft.kop_lines:
                    kop.take_picture(draft, picture._data(), where)
                else:  # a picture with no letterhead to print it in
                    draft.note(where, msg("kop.picture_without_lines", "a picture was left "
                                          "out: it is no logo without the kop baris rows"))
                    break
        elif name != PETUNJUK and any(cells.cell_text(value) for line in grid for value in line):
            _read_table(grid, sheet.title, draft)
            tables += 1
    if not tables:
        draft.problem(None, msg("sheet.no_table", "no sheet holds an IKI table"),
                      msg("sheet.no_table_hint", "put the header row ({columns}) and one row per "
                          "indikator on the first sheet", columns=list(cells.FIELDS.values())))
    return draft


def _name_formulas(found: list[workbook.Formula], sheet: str, draft: Draft) -> None:
    """A problem for each formula cell without a stored value: read as blank, it would
    continue the cell above it (two positions would silently become one)."""
    for formula in found:
        draft.problem(msg("place.sheet_column", "sheet {sheet!r}, row {row}, column {column}",
                          sheet=sheet, row=formula.row, column=get_column_letter(formula.column)),
                      msg("sheet.formula", "holds the formula ={formula} but no value computed "
                          "for it", formula=formula.text),
                      msg("sheet.formula_hint", "open the workbook in Excel or LibreOffice and "
                          "save it again (that stores the values), or type the value instead of "
                          "the formula"))


def read_csv(path: Path) -> Draft:
    """A CSV file as Excel writes it: UTF-8 (BOM allowed) or, saved as plain "CSV" on
    Windows, Windows-1252; separated by "," or ";"."""
    draft = Draft(str(path))
    text = _decode(path, draft)
    if text is None:
        return draft
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        grid = _bounded_rows(reader, path)
    except csv.Error as error:
        draft.problem(msg("place.line", "line {line}", line=reader.line_num),
                      msg("csv.unreadable", "is not a readable CSV file ({detail})",
                          detail=str(error)))
        return draft
    _read_table(grid, None, draft)
    return draft


def _bounded_rows(reader: Iterator[list[str]], path: Path) -> Grid:
    """The rows of a CSV file, refused as soon as they pass the rows or the cells a sheet
    may have (a file of commas alone is millions of cells)."""
    grid: Grid = []
    cells = 0
    for row in reader:
        grid.append(row)
        cells += len(row)
        if len(grid) > workbook.MAX_ROWS:
            raise DataError([Problem(str(path), msg(
                "csv.too_many_rows", "has more than {bound:,} rows; CSV files of more rows are "
                "refused", bound=workbook.MAX_ROWS), hint=_SPLIT)])
        if cells > workbook.MAX_CELLS:
            raise DataError([Problem(str(path), msg(
                "csv.too_many_cells", "has more than {bound:,} cells; CSV files of more cells "
                "are refused", bound=workbook.MAX_CELLS), hint=_SPLIT)])
    return grid


def _open(path: Path) -> openpyxl.Workbook:
    try:
        # openpyxl warns about Excel features it does not keep (data validation, slicers);
        # only cell values are read here, so the warnings say nothing to the user.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError,
            SyntaxError, IndexError) as error:
        raise DataError([Problem(str(path), msg("sheet.unreadable", "cannot be read as an Excel "
                                                ".xlsx workbook ({detail})", detail=str(error)),
                                 hint=msg("sheet.unreadable_hint", "open it in Excel and save "
                                          "it again as .xlsx"))]) from None


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
            raise DataError([Problem(str(path), msg("csv.too_large", "is {size:,} bytes; CSV "
                                                    "files larger than {bound} MB are refused",
                                                    size=size, bound=MAX_CSV_BYTES // 2**20),
                                     hint=_SPLIT)])
        raw = path.read_bytes()
    except OSError as error:
        draft.problem(None, unreadable(error))
        return None
    if b"\x00" in raw:
        draft.problem(None, msg("csv.nul", "is not a CSV text file (it holds NUL bytes)"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    mixed = _UTF8_SEQUENCE.search(raw)
    if mixed is not None:  # UTF-8 text with a stray byte: Windows-1252 would garble it all
        draft.problem(msg("place.row", "row {row}", row=_record_at(raw, mixed.start())),
                      msg("csv.mixed_encoding", "mixes UTF-8 text with text in another "
                          "encoding"),
                      msg("csv.not_utf8_hint", "in Excel use Save As > 'CSV UTF-8 (Comma "
                          "delimited)'"))
        return None
    try:
        # Excel's plain "CSV (Comma delimited)" on Windows saves in the system's code page,
        # Windows-1252 in Indonesia: read it so, as Excel itself would open it again
        text = raw.decode("cp1252")
        draft.note(None, msg("csv.read_as_windows", "read as Windows text (Windows-1252), "
                             "as Excel saves a plain CSV file"))
        return text
    except UnicodeDecodeError as error:  # one of the five bytes Windows-1252 leaves unused
        draft.problem(msg("place.row", "row {row}", row=_record_at(raw, error.start)),
                      msg("csv.unknown_encoding", "is neither UTF-8 nor Windows text (byte "
                          "0x{byte:02X})", byte=raw[error.start]),
                      msg("csv.not_utf8_hint", "in Excel use Save As > 'CSV UTF-8 (Comma "
                          "delimited)'"))
        return None


# A character of more than one byte as UTF-8 writes it (é is C3 A9): in a file that is
# not UTF-8 as a whole, such a pair means UTF-8 text with bytes of another encoding in it.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3}")


def _record_at(raw: bytes, offset: int) -> int:
    """The row (as Excel numbers it: the header is row 1) that holds byte ``offset``: a
    cell typed over several lines (Alt+Enter) is one row, not several."""
    text = raw[:offset].decode("cp1252", errors="replace") + "?"  # the row begun at offset
    return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))


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
        if number == 1 and label and field_key(label) is None and kop.label_of(label) is None:
            header = texts
            continue
        for column, text in enumerate(texts[2:], start=2):
            if text and not (column < len(header) and header[column]):
                unheaded.setdefault(column, (number, text))
        if label:
            value = line[1] if len(line) > 1 else None
            draft.set_field(label, value, msg("place.sheet_value", "sheet {sheet!r}, row {row}, "
                                              "column B", sheet=sheet, row=number))
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
                   draft: Draft, hint: Message | None = None) -> None:
    """A problem for each column that holds values under an empty header cell: its
    values belong to no field, and are never dropped without a word."""
    for column, (row, text) in sorted(unheaded.items()):
        shown = text if len(text) <= 40 else text[:40] + "..."
        letter = get_column_letter(column + 1)
        place = (msg("place.column", "row {row}, column {column}", row=row, column=letter)
                 if sheet is None else
                 msg("place.sheet_column", "sheet {sheet!r}, row {row}, column {column}",
                     sheet=sheet, row=row, column=letter))
        draft.problem(place, msg("sheet.unheaded", "column {column} has no header, so its value "
                                 "{value!r} belongs to no field", column=letter, value=shown),
                      hint or msg("sheet.table_hint", "name the column in the header row (row "
                                  "{row}): a name that is no IKI field becomes a tambahan field; "
                                  "or delete its values", row=header_row))


def _text_at(texts: list[str], column: int | None) -> str:
    return texts[column] if column is not None and column < len(texts) else ""


def _position_of(texts: list[str], place: _Place, columns: _Columns,
                 positions: list[_Position], draft: Draft) -> _Position | None:
    """The position a row belongs to: a new Jabatan opens one, a blank one continues."""
    nama = _text_at(texts, columns.fields["jabatan"])
    if nama and (not positions or nama != positions[-1].nama):
        positions.append(_Position(nama, place.describe("jabatan")))
    elif not positions:
        draft.problem(place.describe("jabatan"), msg("sheet.no_jabatan", "this row has no jabatan"),
                      msg("sheet.no_jabatan_hint", "write the jabatan in the first row of each "
                          "position"))
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
    if best < 0:
        rows_place = (msg("place.rows", "rows 1-{last}", last=HEADER_ROWS) if sheet is None else
                      msg("place.sheet_rows", "sheet {sheet!r}, rows 1-{last}", sheet=sheet,
                          last=HEADER_ROWS))
        draft.problem(rows_place, msg("sheet.no_header", "no header row found"),
                      msg("sheet.no_header_hint", "name the columns {columns}",
                          columns=list(cells.FIELDS.values())))
        return None
    headers = [cells.cell_text(value) for value in grid[best]]
    if not _header_complete(headers, found, _row_place(sheet, best + 1), draft):
        return None
    free = {column: cells.tambahan_key(text) for column, text in enumerate(headers)
            if text and cells.field_of(text) is None}
    names = {name: (column, headers[column]) for name, column in found.items()}
    names.update({key: (column, headers[column]) for column, key in free.items()})
    headed = frozenset(column for column, text in enumerate(headers) if text)
    return _Columns(best, found, free, names, headed)


def _header_complete(headers: list[str], found: dict[str, int], where: Message,
                     draft: Draft) -> bool:
    """False, with a problem each, when a required column is missing or named twice."""
    complete = True
    for name in REQUIRED:
        if name in found:
            continue
        display = cells.FIELDS[name]
        guess = [text for text in headers if text and cells.likely_field(text) == display]
        hint = (msg("sheet.rename_hint", "is {found!r} meant to be {column!r}? rename it",
                    found=guess[0], column=display) if guess
                else msg("sheet.add_column_hint", "add a column {column!r}", column=display))
        draft.problem(where, msg("sheet.no_column", "no column {column!r} in the header row",
                                 column=display), hint)
        complete = False
    for name, column in found.items():
        # A header cell merged across columns repeats its text in each: one column still.
        others = [get_column_letter(c + 1) for c, text in enumerate(headers)
                  if c != column and text and cells.field_of(text) == name
                  and not (c > 0 and headers[c - 1] == text)]
        if others:
            draft.problem(where, msg("sheet.column_twice", "columns {first} and {others} all "
                                     "name {column!r}", first=get_column_letter(column + 1),
                                     others=others, column=cells.FIELDS[name]),
                          msg("sheet.column_twice_hint", "keep one of them"))
            complete = False
    return complete

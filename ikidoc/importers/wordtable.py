"""The tables of a Word document as a grid of cells, and the IKI table among them read
into rows: its header (one row or split over several), numbering row, free columns and
merged cells, as offices type them by hand.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from docx.table import Table
from docx.text.paragraph import Paragraph

from ikidoc.importers import cells, rows, wordtext
from ikidoc.importers.draft import Draft

HEADER_ROWS = 5  # the table's header is looked for among its first rows, below any label rows
OFFICIAL = ("sasaran", "indikator", "formulasi", "sumber")
_DASHES = {"-", "\u2013", "\u2014"}


@dataclass(frozen=True)
class Cell:
    """A table cell as Word holds it: its text and its part in a merge."""

    text: str
    continues: bool = False  # w:vMerge continue: the cell above runs on here
    opens: bool = False  # w:vMerge restart: a merged cell starts here
    span: int = 1  # the grid columns it covers (w:gridSpan)


Grid = list[dict[int, Cell]]  # rows of cells by their first grid column


@dataclass(frozen=True)
class _Place:
    """A row of a position's table."""

    position: str
    row: int
    headers: dict[str, str]

    def describe(self, field: str) -> str:
        column = f", column {self.headers[field]}" if field in self.headers else ""
        return f"{self.position}, table row {self.row}{column}"


def grid(table: Table, text: Callable[[Paragraph], str] = wordtext.shown) -> Grid:
    """The rows of a table as cells by their first grid column (merged cells kept);
    ``text`` reads each paragraph of a cell (those of a table inside it too)."""
    found = []
    for tr in wordtext.rows(table):
        column, cells_at = tr.grid_before, {}
        for tc in wordtext.cells(tr):
            joined = "\n".join(_paragraphs(table, tc, text)).strip()
            cells_at[column] = Cell(joined, tc.vMerge == "continue", tc.vMerge == "restart",
                                    tc.grid_span)
            column += tc.grid_span
        found.append(cells_at)
    return found


def _paragraphs(table: Table, element: Any, text: Callable[[Paragraph], str]) -> Iterator[str]:
    for block in wordtext.blocks(table, element):
        if isinstance(block, Paragraph):
            yield text(block)
        else:
            for tr in wordtext.rows(block):
                for tc in wordtext.cells(tr):
                    yield from _paragraphs(block, tc, text)


def header_row(table: Grid) -> int | None:
    """The row that names SASARAN and INDIKATOR among the table's first rows, or None."""
    for number, line in enumerate(table[:HEADER_ROWS]):
        named = {cells.field_of(cell.text) for cell in line.values() if cell.text}
        if {"sasaran", "indikator"} <= named:
            return number
    return None


def table_rows(table: Grid, header: int, position: str, draft: Draft) -> list[rows.Row]:
    """The data rows under the header; numbering rows and a header typed again lower
    down are skipped, and numbers that leaked from a numbering row into the first row's
    cells are removed. Two cells of one row under the same header, or text under no
    header, are problems of the draft: which one is meant cannot be told."""
    first = _header_end(table, header)
    fields = _fields(table[header:first])
    headers = {name: _header_text(table[header:first], column) for column, name in fields.items()}
    found, numbered, index, above = [], False, first, {}
    while index < len(table):
        line = table[index]
        place = _Place(position, index + 1, headers)
        index += 1
        if cells.is_numbering([cell.text for cell in line.values()]):
            numbered = True
        elif _is_note(line):
            break
        elif _repeats_header(line, fields):
            index = _header_end(table, index - 1)
        else:
            line = _merged_text(line, fields, above)
            above.update({column: cell.text for column, cell in line.items()})
            leaked = not numbered and index == first + 1 and _numbers_leaked(line, fields)
            values = _values(line, fields, leaked)
            found.append(_row(_single(values, place, draft), place))
    return found


def _is_note(line: dict[int, Cell]) -> bool:
    """Whether a row is a note across the table ("Keterangan: ...", "Catatan: ..."),
    which ends its data rows."""
    filled = [cell for cell in line.values() if cell.text]
    return len(filled) == 1 and filled[0].span >= 3 and filled[0].text.lower().startswith(
        ("keterangan", "catatan", "ket.", "ket :", "ket:"))


def _merged_text(line: dict[int, Cell], fields: dict[int, str],
                 above: dict[int, str]) -> dict[int, Cell]:
    """The row with a cell merged down from above holding the text of the cell where
    the merge opens (a FORMULASI shared by several indicators). SASARAN and SUMBER
    DATA keep their merges: they mean the same sasaran, the same sources."""
    return {column: Cell(above.get(column, ""), span=cell.span)
            if cell.continues and fields.get(column) not in ("sasaran", "sumber") else cell
            for column, cell in line.items()}


def _numbers_leaked(line: dict[int, Cell], fields: dict[int, str]) -> bool:
    """Whether the column numbers (1)-(4) of a lost numbering row leaked into the
    row's cells: three cells or more begin with their own column's number (two could
    be an indicator and a formula that begin with a count)."""
    return sum(1 for column, cell in line.items() if fields.get(column) in OFFICIAL
               and cell.text.split(None, 1)[:1]
               and cells.number_token(cell.text.split(None, 1)[0]) == column + 1) >= 3


def _header_end(table: Grid, header: int) -> int:
    """The first row below a header that may run on over further rows: a row is part of
    the header when a cell of it continues a merge (the cells of one-row headers merged
    down), or when its SASARAN cell is blank and all it holds are upper-case words
    ("PERHITUNGAN", "DATA" under "FORMULASI", "SUMBER")."""
    fields = _fields(table[header:header + 1])
    end = header + 1
    while end < min(len(table), header + HEADER_ROWS):
        filled = {column: cell for column, cell in table[end].items() if cell.text}
        sasaran = [column for column, name in fields.items() if name == "sasaran"]
        merged_down = any(cell.continues for cell in table[end].values())
        worded = bool(filled) and not any(column in filled for column in sasaran) and all(
            cell.text.upper() == cell.text and not any(char.isdigit() for char in cell.text)
            for cell in filled.values())
        if not (merged_down or worded) or cells.is_numbering([c.text for c in filled.values()]):
            break
        end += 1
    return end


def _header_text(header: Grid, column: int) -> str:
    """A column's header as read over the header's rows; a cell that spans several
    columns heads each of them ("INDIKATOR KINERJA INDIVIDU" over three sub-headers)."""
    parts = []
    for line in header:
        for start, cell in line.items():
            if start <= column < start + cell.span and cell.text and not cell.continues:
                parts.append(cell.text)
    return " ".join(" ".join(parts).split())


def _fields(header: Grid) -> dict[int, str]:
    """The field each grid column holds, by its header (SKIP for a numbering column)."""
    width = max((start + cell.span for line in header for start, cell in line.items()), default=0)
    texts = {column: _header_text(header, column) for column in range(width)}
    return {column: _field(text) for column, text in texts.items() if text}


def _field(text: str) -> str:
    return cells.field_of(text) or cells.tambahan_key(text)


def _repeats_header(line: dict[int, Cell], fields: dict[int, str]) -> bool:
    """Whether a row is the header typed again (where a page broke, in a hand-made table)."""
    filled = {column: cell.text for column, cell in line.items() if cell.text}
    named = {cells.field_of(text) for text in filled.values()}
    return {"sasaran", "indikator"} <= named and all(
        _field(text) == fields.get(column) for column, text in filled.items())


def _values(line: dict[int, Cell], fields: dict[int, str],
            leaked: bool) -> dict[str, list[tuple[int, Cell]]]:
    """The cells of a row by the field their column holds (None: under no header)."""
    values: dict[str, list[tuple[int, Cell]]] = {}
    for column, cell in line.items():
        name = fields.get(column, "")
        if name in OFFICIAL:
            cell = Cell(_without_number(cell.text, column + 1, leaked), cell.continues,
                        cell.opens)
        if name != cells.SKIP:
            values.setdefault(name, []).append((column, cell))
    return values


def _single(values: dict[str, list[tuple[int, Cell]]], place: _Place,
            draft: Draft) -> dict[str, Cell]:
    """One cell per field; a second filled cell under one header, or text under none
    (other than a number or marker), is a problem naming the row."""
    chosen = {}
    for name, found in values.items():
        filled = [cell for _, cell in found if cell.text]
        if name == "" and any(len(cell.text) > 3 and any(c.isalpha() for c in cell.text)
                              for cell in filled):
            draft.problem(place.describe(""), f"text under no column header: {filled[0].text!r}",
                          "give the column a header, or move the text into a column that has one")
        elif len(filled) > 1:
            draft.problem(place.describe(name), f"{len(filled)} cells of this row fall under "
                          f"one header: {', '.join(repr(cell.text) for cell in filled)}",
                          "merge them into one cell, or give each column its own header")
        elif name:
            chosen[name] = filled[0] if filled else found[0][1]
    return chosen


def _without_number(text: str, number: int, leaked: bool) -> str:
    """A cell's text without a column number that does not belong to it: alone in the
    cell anywhere, or before the text in the row right under the header."""
    if cells.number_token(text) is not None:
        return ""
    parts = text.split(None, 1)
    if leaked and len(parts) == 2 and cells.number_token(parts[0]) == number:
        return parts[1].strip()
    return text


def _sources(text: str) -> tuple[str, ...]:
    """The sources a SUMBER DATA cell lists. A cell holding only "-" is the source "-"
    as typed (ikidoc prints a sumber_data of "-" so), never a blank cell that would take
    the sources of the row above."""
    if text.strip() in _DASHES:
        return (text.strip(),)
    return tuple(cells.split_items(text))


def _row(values: dict[str, Cell], place: _Place) -> rows.Row:
    blank = Cell("")
    sasaran, sumber = values.get("sasaran", blank), values.get("sumber", blank)
    return rows.Row(
        origin=place,
        sasaran="" if sasaran.continues else sasaran.text,
        opens_sasaran=sasaran.opens,
        indikator=values.get("indikator", blank).text,
        formulasi=values.get("formulasi", blank).text,
        sumber=() if sumber.continues else _sources(sumber.text),
        tambahan={name: cell.text for name, cell in values.items()
                  if name not in OFFICIAL and cell.text},
    )

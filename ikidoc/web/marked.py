"""The officer's own workbook back, its mistakes marked: while the table still has
mistakes, the page offers the uploaded workbook with each mistake's cell filled red and
a comment naming the mistake in Indonesian, since Excel is where the officer corrects it.

Only a workbook is marked (a Word document or a data file has no cells), and only the
mistakes whose place is a sheet's cell or row; the others are on the page alone.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from ikidoc.errors import Problem
from ikidoc.messages import msg, word

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell as SheetCell
    from openpyxl.worksheet.worksheet import Worksheet

    from ikidoc.web.uploads import Upload

WORKBOOKS = (".xlsx", ".xlsm")
FILL = "FFFFC7CE"  # Excel's own light red of a "bad" cell
Cell = tuple[str, int, str]  # sheet, row, column letter


def cell_of(problem: Problem) -> Cell | None:
    """The cell of a workbook a problem is about (a row's first cell for a whole row),
    read from its place's values; None for a problem elsewhere."""
    place = problem.place
    values = place.values if place is not None else {}
    if place is None or not isinstance(values.get("sheet"), str) or "row" not in values:
        return None
    column = {"place.sheet_cell": values.get("column"), "place.sheet_column": values.get("column"),
              "place.sheet_value": "B", "place.sheet_row": "A"}.get(place.kind)
    return (values["sheet"], int(values["row"]), str(column)) if column else None


def offered(upload: Upload) -> bool:
    """Whether the upload's workbook can be given back marked: it is a workbook, still
    there, and one of its mistakes stands in a cell."""
    path = upload.original
    return (upload.error is not None and path is not None and path.suffix in WORKBOOKS
            and path.is_file() and any(cell_of(found) for found in upload.error.problems))


def workbook(upload: Upload) -> bytes:
    """The uploaded workbook, as it was read, with every mistake's cell filled and
    commented in Indonesian (several mistakes of one cell in one comment)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.utils import column_index_from_string

    assert upload.error is not None and upload.original is not None
    said: dict[Cell, list[str]] = {}
    for found, shown in zip(upload.error.problems, upload.problem_rows(upload.error),
                            strict=True):
        cell = cell_of(found)
        if cell is not None:
            said.setdefault(cell, []).append(_comment(shown))
    book = _open(upload.original)
    merges = {name: _merges(book[name]) for name in book.sheetnames}
    for (sheet, row, column), texts in said.items():
        if sheet not in book.sheetnames:
            continue
        target = _top_left(book[sheet], merges[sheet], row, column_index_from_string(column))
        target.fill = PatternFill("solid", fgColor=FILL)
        target.comment = Comment("\n\n".join(texts), "ikidoc", width=320, height=140)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _comment(row: dict[str, str]) -> str:
    """A mistake as the page's table says it, for a cell's comment."""
    problem = f"{row['isian']}: {row['masalah']}" if row["isian"] else row["masalah"]
    if not row["saran"]:
        return problem
    return word(msg("web.marked_comment", "{problem}\nWhat to do: {hint}", problem=problem,
                    hint=row["saran"]), "id")


def _open(path: Path) -> Workbook:
    """The workbook with its formulas, not their values: it is given back to be edited."""
    import openpyxl

    with warnings.catch_warnings():  # features openpyxl does not keep say nothing here
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


_Merges = list[tuple[int, int, int, int]]  # each merged range: first and last row, column


def _merges(sheet: Worksheet) -> _Merges:
    """A sheet's merged ranges as numbers, found once: openpyxl's ``in`` parses a cell's
    name again for every range, which for a hostile workbook's thousands of mistakes and
    merges took minutes."""
    return [(m.min_row, m.max_row, m.min_col, m.max_col) for m in sheet.merged_cells.ranges]


def _top_left(sheet: Worksheet, merges: _Merges, row: int, column: int) -> SheetCell:
    """The cell at (row, column), or the first of the merged cells it is part of (only
    that one takes a fill and a comment)."""
    for top, bottom, left, right in merges:
        if top <= row <= bottom and left <= column <= right:
            return sheet.cell(top, left)
    return sheet.cell(row, column)

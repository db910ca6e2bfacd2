"""Read the IKI of existing Word documents (.docx) into a draft: one position or a
combined document, made by ikidoc or typed by hand.

Each position starts at a paragraph INDIKATOR KINERJA INDIVIDU; above its table stand
Jabatan, Tugas and Fungsi (as "Jabatan : ..." lines or a borderless label table),
below it the signature block. Documents are read through python-docx, never as text.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ikidoc import formats
from ikidoc.errors import DataError, Problem
from ikidoc.importers import cells, rows, signature
from ikidoc.importers.draft import Draft

TITLE = "INDIKATOR KINERJA INDIVIDU"
HEADER_ROWS = 5  # the table's header is looked for among its first rows, below any label rows
OFFICIAL = ("sasaran", "indikator", "formulasi", "sumber")

Block = Paragraph | Table


@dataclass(frozen=True)
class _Cell:
    """A table cell as Word holds it: its text and its part in a vertical merge."""

    text: str
    continues: bool  # w:vMerge continue: the cell above runs on here
    opens: bool  # w:vMerge restart: a merged cell starts here


@dataclass(frozen=True)
class _Place:
    """A row of a position's table."""

    position: str
    row: int
    headers: dict[str, str]

    def describe(self, field: str) -> str:
        column = f", column {self.headers[field]}" if field in self.headers else ""
        return f"{self.position}, table row {self.row}{column}"


@dataclass
class _Labels:
    """Jabatan, Tugas and Fungsi as read above a table."""

    nama: str = ""
    lists: dict[str, list[str]] = field(default_factory=lambda: {
        "tugas": [], "fungsi": [], "menimbang": [], "mengingat": []})
    fields: dict[str, str] = field(default_factory=dict)  # unit_kerja, instansi


def read_document(path: Path) -> Draft:
    """Every IKI section of the document, in order, with the signer most of them share.

    Raises DataError when the file is not a Word document; problems in its sections
    (no table, a row that cannot be read) are collected in the draft.
    """
    document = _open(path)
    draft = Draft(str(path))
    preamble, sections = _sections(document)
    _read_preamble(preamble, draft)
    if not sections:
        draft.problem("", f"no section titled {TITLE!r} found",
                      "is this an IKI document? each position starts with that title")
    signatures = [_read_section(blocks, number, draft) for number, blocks in enumerate(sections, 1)]
    if sections and not draft.positions and not draft.problems:
        draft.problem("", f"no IKI table found under any title {TITLE!r}",
                      "the table's header must name SASARAN and INDIKATOR KINERJA")
    signature.share([s for s in signatures if s is not None], draft)
    subject = (document.core_properties.subject or "").strip()
    if subject and "unit_kerja" not in draft.fields:
        draft.set_field("unit_kerja", subject, "document properties (Subject)")
    return draft


def _open(path: Path) -> Document:
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
            SyntaxError) as error:
        raise DataError([Problem(str(path), f"cannot be read as a Word .docx document ({error})",
                                 hint="open it in Word and save it again as .docx")]) from None


def _sections(document: Document) -> tuple[list[Block], list[list[Block]]]:
    """The blocks before the first position, and those of each position's title up to
    the next. A title over no table and no Jabatan (the "TENTANG INDIKATOR KINERJA
    INDIVIDU DI LINGKUNGAN ..." of a Keputusan) opens no position."""
    preamble: list[Block] = []
    sections: list[list[Block]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and " ".join(block.text.split()).upper().startswith(TITLE):
            sections.append([])
        else:
            (sections[-1] if sections else preamble).append(block)
    while sections and not _holds_position(sections[0]):
        preamble += sections.pop(0)
    return preamble, [blocks for blocks in sections if _holds_position(blocks)]


def _holds_position(blocks: list[Block]) -> bool:
    index, grid, header = _indicator_table(blocks)
    return bool(grid) or bool(_labels(_lines(blocks[:index])).nama)


def _read_section(blocks: list[Block], number: int, draft: Draft) -> signature.Signature | None:
    """Add the position of one section to the draft; return its signature block."""
    index, grid, header = _indicator_table(blocks)
    labels = _labels(_lines(blocks[:index]) + _table_lines(grid[:header]))
    position = f"jabatan {number}" + (f" ({labels.nama})" if labels.nama else "")
    if not labels.nama:
        draft.problem(position, "no 'Jabatan : ...' line above the table")
    if not grid:
        draft.problem(position, "no table with the columns SASARAN, INDIKATOR KINERJA, "
                                "PENJELASAN/FORMULASI PENGHITUNGAN, SUMBER DATA")
        return None
    for key, value in labels.fields.items():
        if key not in draft.fields:
            draft.set_field(key, value, position)
    path = f"jabatan[{len(draft.positions)}]"
    draft.place(path, position)
    entry: dict[str, Any] = {"nama": labels.nama, "tugas": labels.lists["tugas"],
                             "fungsi": labels.lists["fungsi"]}
    draft.positions.append(entry)
    entry["sasaran"] = rows.assemble(_rows(grid, header, position), draft, path)
    below = [line for block in blocks[index + 1:] if isinstance(block, Paragraph)
             for line in block.text.split("\n")]
    return signature.read(below, f"{position}, signature")


def _indicator_table(blocks: list[Block]) -> tuple[int, list[dict[int, _Cell]], int]:
    """(its place among the blocks, its grid, its header row) of the first table whose
    header names SASARAN and INDIKATOR; (len(blocks), [], 0) when there is none."""
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            grid = _grid(block)
            header = _header_row(grid)
            if header is not None:
                return index, grid, header
    return len(blocks), [], 0


def _grid(table: Table) -> list[dict[int, _Cell]]:
    """The rows of a table as cells by their first grid column (merged cells kept)."""
    grid = []
    for row in table.rows:
        column, cells_at = row.grid_cols_before, {}
        for tc in row._tr.tc_lst:
            text = "\n".join(Paragraph(p, table).text for p in tc.p_lst).strip()
            cells_at[column] = _Cell(text, tc.vMerge == "continue", tc.vMerge == "restart")
            column += tc.grid_span
        grid.append(cells_at)
    return grid


def _header_row(grid: list[dict[int, _Cell]]) -> int | None:
    for number, line in enumerate(grid[:HEADER_ROWS]):
        named = {cells.field_of(cell.text) for cell in line.values() if cell.text}
        if {"sasaran", "indikator"} <= named:
            return number
    return None


def _rows(grid: list[dict[int, _Cell]], header: int, position: str) -> list[rows.Row]:
    """The data rows under the header; the numbering row is skipped, and numbers that
    leaked from it into the first row's cells are removed."""
    fields = {column: cells.field_of(cell.text) or cells.tambahan_key(cell.text)
              for column, cell in grid[header].items() if cell.text}
    headers = {name: " ".join(grid[header][column].text.split()) for column, name in fields.items()}
    found, numbered = [], False
    for index in range(header + 1, len(grid)):
        line = grid[index]
        if cells.is_numbering([cell.text for cell in line.values()]):
            numbered = True
            continue
        leaked = not numbered and index == header + 1
        values: dict[str, _Cell] = {}
        for column, cell in line.items():
            name = fields.get(column)
            if name in OFFICIAL:
                text = _without_number(cell.text, column + 1, leaked)
                cell = _Cell(text, cell.continues, cell.opens)
            if name not in (None, cells.SKIP):
                values.setdefault(name, cell)
        found.append(_row(values, _Place(position, index + 1, headers)))
    return found


def _without_number(text: str, number: int, leaked: bool) -> str:
    """A cell's text without a column number that does not belong to it: alone in the
    cell anywhere, or before the text in the row right under the header."""
    if cells.number_token(text) is not None:
        return ""
    parts = text.split(None, 1)
    if leaked and len(parts) == 2 and cells.number_token(parts[0]) == number:
        return parts[1].strip()
    return text


def _row(values: dict[str, _Cell], place: _Place) -> rows.Row:
    blank = _Cell("", False, False)
    sasaran, sumber = values.get("sasaran", blank), values.get("sumber", blank)
    return rows.Row(
        origin=place,
        sasaran="" if sasaran.continues else sasaran.text,
        opens_sasaran=sasaran.opens,
        indikator=values.get("indikator", blank).text,
        formulasi=values.get("formulasi", blank).text,
        sumber=() if sumber.continues else tuple(cells.split_items(sumber.text)),
        tambahan={name: cell.text for name, cell in values.items()
                  if name not in OFFICIAL and cell.text},
    )


def _lines(blocks: list[Block]) -> list[str]:
    """The text lines of paragraphs and label tables above the indicator table."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        else:
            lines.extend(_table_lines(_grid(block)))
    return lines


def _table_lines(grid: list[dict[int, _Cell]]) -> list[str]:
    """A label table's rows as "Label: value" lines (its ":" column, if any, dropped)."""
    lines = []
    for line in grid:
        texts = [cell.text for cell in line.values() if cell.text and not cell.continues
                 and cell.text != ":"]
        if texts and cells.label_of(texts[0].rstrip(":")) is not None:
            lines.append(texts[0].rstrip(":") + ":" + "\t".join(texts[1:]))
        else:
            lines.extend("\t".join(texts).split("\n"))
    return lines


def _labels(lines: list[str]) -> _Labels:
    """Fields and lists from "Label : value" lines; the lines under a list's label (a
    lettered or numbered list, typed or Word's own) are its further items, up to the
    next label."""
    labels, current = _Labels(), None
    for line in lines:
        head, colon, tail = line.partition(":")
        label = cells.label_of(head) if colon else None
        if label is None:
            if colon and _label_like(head):
                current = None  # a label not read here ("Eselon : III", "MEMUTUSKAN:")
            elif current in labels.lists:
                labels.lists[current].extend(cells.split_items(line))
            continue
        current, text = label, tail.strip().lstrip(":").strip()
        if label in labels.lists:
            labels.lists[label].extend(cells.split_items(text))
        elif label == "jabatan":
            labels.nama = labels.nama or text.replace("\n", " ")
        elif text:
            labels.fields.setdefault(label, text)
    return labels


def _label_like(head: str) -> bool:
    """Whether the text before a colon reads as a label: a few capitalised words, not a
    list item ("b. Menyusun laporan: bulanan" is an item)."""
    words = head.split()
    return 0 < len(words) <= 3 and all(word[:1].isupper() for word in words) \
        and formats.strip_marker(head.strip()) == head.strip()


def _read_preamble(blocks: list[Block], draft: Draft) -> None:
    """What stands before the first IKI, as in a Keputusan that establishes them: its
    Menimbang and Mengingat lists and its NOMOR go to the document's ``tambahan``."""
    lines = _lines(blocks)
    labels = _labels(lines)
    place = "before the first IKI"
    for key in ("menimbang", "mengingat"):
        if labels.lists[key]:
            draft.add_tambahan(key, labels.lists[key], place)
    for key, value in labels.fields.items():
        draft.set_field(key, value, place)
    for line in lines:
        word, _, rest = line.strip().partition(" ")
        if word.upper() == "NOMOR" and rest.strip(" :"):
            draft.add_tambahan("nomor", rest.strip(" :"), place)
            return

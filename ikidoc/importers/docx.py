"""Read the IKI of existing Word documents (.docx) into a draft: one position or a
combined document, made by ikidoc or typed by hand.

Each position starts at a paragraph INDIKATOR KINERJA INDIVIDU; above its table stand
Jabatan, Tugas and Fungsi (as "Jabatan : ..." lines or a borderless label table),
below it the signature block. Documents are read through python-docx, never as text.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ikidoc.errors import DataError, Problem
from ikidoc.importers import labels, rows, signature, wordtable, wordtext
from ikidoc.importers.draft import Draft

TITLE = "INDIKATOR KINERJA INDIVIDU"
_TITLE_YEAR = re.compile(r"\bTAHUN\s+(\d{4})\b", re.IGNORECASE)

Block = Paragraph | Table


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
    elif _indicator_table(preamble)[1]:
        draft.problem("", f"an IKI table stands before the first title {TITLE!r}",
                      "each position starts with that title, above its Jabatan line")
    signatures = [_read_section(blocks, number, draft) for number, blocks in enumerate(sections, 1)]
    if sections and not draft.positions and not draft.problems:
        draft.problem("", f"no IKI table found under any title {TITLE!r}",
                      "the table's header must name SASARAN and INDIKATOR KINERJA")
    signature.share([s for s in signatures if s is not None], draft)
    _read_heading(document, draft)
    subject = (document.core_properties.subject or "").strip()
    if subject and "unit_kerja" not in draft.fields:
        draft.set_field("unit_kerja", subject, "document properties (Subject)")
    return draft


def _read_heading(document: Document, draft: Draft) -> None:
    """The year of a title such as "INDIKATOR KINERJA INDIVIDU ... TAHUN 2025", and the
    instansi of a letterhead "PEMERINTAH KABUPATEN CONTOH" above the first title, when
    the document does not give them otherwise."""
    for block in wordtext.blocks(document, document.element.body):
        if not isinstance(block, Paragraph):
            continue
        line = " ".join(wordtext.shown(block).split())
        if line.startswith("PEMERINTAH ") and line.isupper() and "instansi" not in draft.fields:
            draft.set_field("instansi", line, "the letterhead")
        year = _TITLE_YEAR.search(line) if TITLE in line.upper() else None
        if year and "tahun" not in draft.fields:
            draft.set_field("tahun", int(year.group(1)), "the title")
        if _is_title(line):
            return


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
    for block in wordtext.blocks(document, document.element.body):
        if _is_title_block(block):
            sections.append([])
        else:
            (sections[-1] if sections else preamble).append(block)
    if not sections and _titled_in_page_header(document):
        preamble, sections = [], [preamble]
    sections = [part for blocks in sections for part in _positions_in(blocks)]
    while sections and not _holds_position(sections[0]):
        preamble += sections.pop(0)
    return preamble, [blocks for blocks in sections if _holds_position(blocks)]


def _positions_in(blocks: list[Block]) -> list[list[Block]]:
    """A section cut where a position starts under the same title: at the Jabatan line
    of every further IKI table (one title over several positions)."""
    parts, start = [], 0
    _, grid, _, last = _indicator_table(blocks)
    while grid:
        index, grid, _, end = _indicator_table(blocks[last + 1:])
        named = [number for number in range(last + 1, last + 1 + index)
                 if labels.read(labels.lines_of([blocks[number]])).nama]
        if not grid or not named:
            break
        parts.append(blocks[start:named[-1]])
        start, last = named[-1], last + 1 + end
    return [*parts, blocks[start:]]


def _is_title_block(block: Block) -> bool:
    """A title paragraph, or a title typed in a box (a table of one cell)."""
    if isinstance(block, Paragraph):
        return _is_title(wordtext.shown(block))
    grid = wordtable.grid(block)
    return len(grid) == 1 and len(grid[0]) == 1 and _is_title(grid[0][0].text)


def _titled_in_page_header(document: Document) -> bool:
    """Whether the title stands in the page header: one position per document."""
    return any(_is_title(wordtext.shown(paragraph)) for section in document.sections
               for paragraph in section.header.paragraphs)


def _is_title(text: str) -> bool:
    """Whether a paragraph is a position's title: it begins with TITLE, or it is a short
    line in capitals that holds it ("FORMULIR INDIKATOR KINERJA INDIVIDU (IKI)")."""
    line = " ".join(text.split())
    return line.upper().startswith(TITLE) or (TITLE in line and len(line) <= 2 * len(TITLE))


def _holds_position(blocks: list[Block]) -> bool:
    index, grid, _, _ = _indicator_table(blocks)
    return bool(grid) or bool(labels.read(labels.lines_of(blocks[:index])).nama)


def _read_section(blocks: list[Block], number: int, draft: Draft) -> signature.Signature | None:
    """Add the position of one section to the draft; return its signature block."""
    index, grid, header, last = _indicator_table(blocks)
    found = labels.read(labels.lines_of(blocks[:index]) + labels.table_lines(grid[:header]))
    position = f"jabatan {number}" + (f" ({found.nama})" if found.nama else "")
    if not found.nama:
        draft.problem(position, "no 'Jabatan : ...' line above the table")
    if not grid:
        draft.problem(position, "no table with the columns SASARAN, INDIKATOR KINERJA, "
                                "PENJELASAN/FORMULASI PENGHITUNGAN, SUMBER DATA")
        return None
    for key, value in found.fields.items():
        if key not in draft.fields:
            draft.set_field(key, value, position)
    path = f"jabatan[{len(draft.positions)}]"
    draft.place(path, position)
    entry: dict[str, Any] = {"nama": found.nama, "tugas": found.lists["tugas"],
                             "fungsi": found.lists["fungsi"]}
    draft.positions.append(entry)
    table = wordtable.table_rows(grid, header, position, draft)
    if not table:
        draft.problem(position, "the IKI table has no rows under its header",
                      "type the position's sasaran and indicators in it, or remove the position")
        return None
    entry["sasaran"] = rows.assemble(table, draft, path)
    place = f"{position}, signature"
    return signature.read(_lines_below(blocks[last + 1:], place, draft), place)


def _lines_below(blocks: list[Block], place: str, draft: Draft) -> list[str]:
    """The text lines under a position's table: its paragraphs, and the one filled
    column of a borderless table that holds the signature beside an empty one. A table
    with text in several columns (two signers side by side) is a problem: which of them
    signs the IKI cannot be told."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.extend(wordtext.shown(block).split("\n"))
            lines.extend(wordtext.shown(inner) for inner in wordtext.boxed(block))
            continue
        grid = wordtable.grid(block)
        if wordtable.header_row(grid) is not None:
            draft.problem(place, "another IKI table follows this position's table",
                          f"each position starts with the title {TITLE!r}, above its "
                          "Jabatan line")
            break
        columns = _columns(grid)
        if len(columns) > 1:
            draft.problem(place, f"the table under the IKI table holds {len(columns)} "
                          "signature columns (" + "; ".join(" / ".join(filter(None, c[:2]))
                                                            for c in columns) + ")",
                          "an IKI has one signer: keep the signer's column and clear the other")
        lines.extend(columns[0] if columns else [])
    return lines


def _columns(grid: wordtable.Grid) -> list[list[str]]:
    """The lines of each table column that holds text, read down its rows (a row with
    nothing in the column is a blank line: the space to sign)."""
    starts = sorted({column for line in grid for column, cell in line.items() if cell.text})
    return [[text for line in grid for text in line.get(column, wordtable.Cell("")).text
             .split("\n")] for column in starts]


def _indicator_table(blocks: list[Block]) -> tuple[int, wordtable.Grid, int, int]:
    """(its place among the blocks, its grid, its header row, the place of its last
    part) of the first table whose header names SASARAN and INDIKATOR, with the tables
    that continue it (see _continued); (len(blocks), [], 0, len(blocks)) when there is
    none."""
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            grid = wordtable.grid(block)
            header = wordtable.header_row(grid)
            if header is not None:
                last, grid = _continued(blocks, index, grid)
                return index, grid, header, last
    return len(blocks), [], 0, len(blocks)


def _continued(blocks: list[Block], index: int, grid: wordtable.Grid) -> tuple[int, wordtable.Grid]:
    """The IKI table with the tables that continue it, and the place of the last: a
    table cut in two where a page broke (its header typed again or not) has the same
    columns, with nothing but empty paragraphs between the parts. A numbering row or a
    header typed again is skipped as it is within one table."""
    following = index + 1
    while following < len(blocks):
        block = blocks[following]
        if isinstance(block, Paragraph) and not wordtext.shown(block).strip():
            following += 1
            continue
        if isinstance(block, Table) and _width(wordtable.grid(block)) == _width(grid) >= 4:
            grid, index, following = grid + wordtable.grid(block), following, following + 1
            continue
        break
    return index, grid


def _width(grid: wordtable.Grid) -> int:
    return max((start + cell.span for line in grid for start, cell in line.items()), default=0)


def _read_preamble(blocks: list[Block], draft: Draft) -> None:
    """What stands before the first IKI, as in a Keputusan that establishes them: its
    Menimbang and Mengingat lists and its NOMOR go to the document's ``tambahan``."""
    lines = labels.lines_of(blocks)
    found = labels.read(lines)
    place = "before the first IKI"
    for key in ("menimbang", "mengingat"):
        if found.lists[key]:
            draft.add_tambahan(key, found.lists[key], place)
    for key, value in found.fields.items():
        draft.set_field(key, value, place)
    for line in lines:
        word, _, rest = line.strip().partition(" ")
        if word.upper() == "NOMOR" and rest.strip(" :"):
            draft.add_tambahan("nomor", rest.strip(" :"), place)
            return

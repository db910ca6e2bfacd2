"""Read the IKI of existing Word documents (.docx) into a draft: one position or a
combined document, made by ikidoc or typed by hand, IKI or IKU.

Each position starts at a title (see titles); above its table stand Jabatan, Tugas and
Fungsi (as "Jabatan : ..." lines or a borderless label table), below it the signature
block. A position with no Jabatan line is named by its title, a full-width row in its
table or its signer. Documents are read by ikidoc.ooxml.document, never as text.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ikidoc import zipbounds
from ikidoc.errors import DataError, Problem
from ikidoc.importers import kop, labels, positions, signature, titles, wordtable
from ikidoc.importers.draft import Draft
from ikidoc.importers.wordtable import Choices
from ikidoc.messages import Message, msg
from ikidoc.ooxml import document as wordfile
from ikidoc.ooxml.document import Block, Document, Paragraph, Table

TITLE = titles.IKI


@dataclass
class _Section:
    """The blocks under one title (or the part of them one position takes), and what
    the title and the capital lines under it name."""

    blocks: list[Block]
    heading: titles.Heading


def read_document(path: Path, choices: Choices | None = None) -> Draft:
    """Every IKI section of the document, in order, with the signer most of them share.

    ``choices`` are the user's decisions where a document leaves one (a position named
    nowhere, a table without sources, two SASARAN columns). Raises DataError when the
    file is not a Word document; problems in its sections (no table, a row that cannot
    be read) are collected in the draft.
    """
    document = _open(path)
    draft, grids = Draft(str(path)), wordtable.Grids()
    subject = document.subject.strip()
    if subject:
        draft.set_field("unit_kerja", subject, msg("place.subject", "document properties "
                                                   "(Subject)"))
    preamble, sections, titled, covers = _sections(document, grids)
    _read_preamble(preamble, draft, grids)
    if not sections:
        _no_section(titled, draft)
    elif _indicator_table(preamble, grids)[1]:
        draft.problem(None, msg("docx.table_before_title", "an IKI table stands before the "
                                "first title {title!r}", title=TITLE),
                      msg("docx.table_before_title_hint", "each position starts with that "
                          "title, above its Jabatan line"))
    signatures = [signed for number, section in enumerate(sections, 1)
                  for signed in _read_section(section, number, draft, choices or Choices(),
                                              grids)]
    signature.share(signatures, draft)
    for heading in covers:  # a cover's "KECAMATAN CONTOH" / "TAHUN 2019", after the positions'
        _take_heading(heading, msg("place.preamble", "before the first IKI"), draft)
    _read_letterhead(document, draft)
    kop.read_document(document, _first_title(document.body), draft)
    return draft


def _no_section(titled: list[Block], draft: Draft) -> None:
    """The problem of a document with no position: no title, or titles over tables whose
    header is not an IKI table's (shown as found)."""
    if not titled:
        draft.problem(None, msg("docx.no_title", "no section titled {title!r} (or {other!r}) "
                                "found", title=TITLE, other=titles.IKU),
                      msg("docx.no_title_hint", "is this an IKI document? each position starts "
                          "with that title"))
    else:
        _no_table(None, msg("docx.titled_but", "the document is titled {title!r}, but",
                            title=TITLE), titled, draft)


def _no_table(place: Message | None, opening: Message, blocks: list[Block],
              draft: Draft) -> None:
    """The problem of a title with no IKI table under it, naming the headers of the
    tables that are there: the reader did not recognise them, the user can rename them."""
    found = [row for block in blocks if isinstance(block, Table)
             if (row := _first_row(wordtable.head(block)))]
    if not found:
        draft.problem(place, msg("docx.no_table", "{opening} no table stands under the title",
                                 opening=opening),
                      msg("docx.no_table_hint", "an IKI has a table with the columns SASARAN, "
                          "INDIKATOR KINERJA, PENJELASAN/FORMULASI PENGHITUNGAN, SUMBER DATA"))
        return
    draft.problem(place, msg("docx.no_iki_header", "{opening} no table under the title has an "
                             "IKI header; the headers found: {headers}", opening=opening,
                             headers="; ".join(", ".join(repr(text) for text in row)
                                               for row in found[:3])),
                  msg("docx.no_iki_header_hint", "an IKI table's header names SASARAN (or "
                      "KINERJA) and INDIKATOR KINERJA; rename those columns' headers in Word"))


def _first_row(grid: wordtable.Grid) -> list[str]:
    """The texts of a table's first row with two or more cells filled (its header)."""
    for line in grid[:wordtable.HEADER_ROWS]:
        texts = [" ".join(cell.text.split()) for cell in line.values() if cell.text]
        if len(texts) > 1:
            return texts
    return []


def _read_letterhead(document: Document, draft: Draft) -> None:
    """The instansi of a letterhead "PEMERINTAH KABUPATEN CONTOH" above the first title,
    when the document does not give it otherwise: a paragraph, or a line of a table
    beside the logo (a kop typed as a table of a picture and its lines), or in the page
    header."""
    for block in [*document.body[:_first_title(document.body)], *document.headers]:
        if (line := _letterhead(block)) and "instansi" not in draft.fields:
            draft.set_field("instansi", line, msg("place.letterhead", "the letterhead"))


def _letterhead(block: Block) -> str:
    """The "PEMERINTAH ..." line (in capitals) of a letterhead, a paragraph or a table of
    one row beside its logo; "" when the block is none."""
    lines = [block.text] if isinstance(block, Paragraph) else _letterhead_lines(block)
    return next((line for line in (" ".join(text.split()) for text in lines)
                 if line.startswith("PEMERINTAH ") and line.isupper()), "")


def _first_title(body: tuple[Block, ...]) -> int:
    """The place of the first title paragraph in the body (its length when none)."""
    return next((number for number, block in enumerate(body) if isinstance(block, Paragraph)
                 and titles.read(" ".join(block.text.split()))), len(body))


def _letterhead_lines(table: Table) -> list[str]:
    """The paragraphs of a table of one row (a kop beside its logo); a longer table is no
    letterhead."""
    if len(table.rows) != 1:
        return []
    return [block.text for cell in table.rows[0].cells for block in cell.blocks
            if isinstance(block, Paragraph)]


def _open(path: Path) -> Document:
    zipbounds.check(path)
    try:
        return wordfile.read(path)
    except DataError:
        raise  # a bound passed, already worded as data
    except wordfile.UNREADABLE as error:
        raise DataError([Problem(str(path), msg("docx.unreadable", "cannot be read as a Word "
                                                ".docx document ({detail})", detail=str(error)),
                                 hint=msg("docx.unreadable_hint", "open it in Word and save it "
                                          "again as .docx"))]) from None


def _sections(document: Document, grids: wordtable.Grids
              ) -> tuple[list[Block], list[_Section], list[Block], list[titles.Heading]]:
    """The blocks before the first position, those of each position's title up to the
    next, all blocks under a title (for a message when none holds a position), and the
    headings of the titles before the first position. A title over no table and no
    Jabatan (a cover, the "TENTANG INDIKATOR KINERJA INDIVIDU DI LINGKUNGAN ..." of a
    Keputusan) opens no position."""
    preamble: list[Block] = []
    sections: list[_Section] = []
    for block, heading in _titled(list(document.body), grids):
        if heading is not None and sections and _heading_only(sections[-1].blocks):
            lines = titles.under(_lines_above(sections[-1].blocks))  # a title over 3 lines
            sections[-1] = _Section([], sections[-1].heading.merged(lines).merged(heading))
        elif heading is not None:
            sections.append(_Section([], heading))
        elif (heading := _titled_table(block)) is not None:
            sections.append(_Section([block], heading))
        else:
            (sections[-1].blocks if sections else preamble).append(block)
    if not sections and (heading := _title_in_page_header(document)) is not None:
        preamble, sections = [], [_Section(preamble, heading)]
    titled = [block for section in sections for block in section.blocks]
    sections = [part for section in sections for part in _positions_in(section, grids)]
    for section in sections:
        section.heading = titles.under(_lines_above(section.blocks), section.heading)
    covers: list[titles.Heading] = []
    while sections and not _holds_position(sections[0].blocks, grids):
        covers.append(sections[0].heading)
        preamble += sections.pop(0).blocks
    return preamble, [s for s in sections if _holds_position(s.blocks, grids)], titled, covers


def _titled(blocks: list[Block],
            grids: wordtable.Grids) -> Iterator[tuple[Block, titles.Heading | None]]:
    """Each block with the heading it starts as a title, if any; a title typed over two
    paragraphs ("INDIKATOR KINERJA" / "INDIVIDU (IKI)", "FORMULIR INDIKATOR KINERJA" /
    "INDIVIDU") is one, its second part left out."""
    number = 0
    while number < len(blocks):
        block, following = blocks[number], blocks[number + 1:number + 2]
        heading = _title_of(block, grids)
        first = " ".join(block.text.split()).upper() if isinstance(block, Paragraph) else ""
        if heading is None and following and isinstance(following[0], Paragraph) \
                and first in ("INDIKATOR KINERJA", "FORMULIR INDIKATOR KINERJA"):
            heading = titles.read(f"{first} {following[0].text}")
            number += heading is not None
        yield block, heading
        number += 1


def _heading_only(blocks: list[Block]) -> bool:
    """Whether a title's blocks are only lines in capitals (the unit, the years), which a
    further title line ("IKU") below them continues rather than ends."""
    lines = [line for line in _lines_above(blocks) if line.strip()]
    return len(lines) <= 3 and not any(isinstance(block, Table) for block in blocks) and all(
        line.isupper() and ":" not in line for line in lines)


def _lines_above(blocks: list[Block]) -> list[str]:
    """The paragraphs' lines at the top of a section, up to its first table."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            break
        lines.extend(block.text.split("\n"))
    return lines


def _positions_in(section: _Section, grids: wordtable.Grids) -> list[_Section]:
    """A section cut where a position starts under the same title: at the Jabatan line
    of every further IKI table (one title over several positions)."""
    blocks = section.blocks
    parts, start = [], 0
    _, grid, _, last = _indicator_table(blocks, grids)
    while grid:
        index, grid, _, end = _indicator_table(blocks[last + 1:], grids)
        named = [number for number in range(last + 1, last + 1 + index)
                 if labels.read(labels.lines_of([blocks[number]], grids)).nama]
        if not grid or not named:
            break
        parts.append(blocks[start:named[-1]])
        start, last = named[-1], last + 1 + end
    return [_Section(part, section.heading if not number else titles.Heading())
            for number, part in enumerate([*parts, blocks[start:]])]


def _title_of(block: Block, grids: wordtable.Grids) -> titles.Heading | None:
    """The heading of a title paragraph, or of a title typed in a box (a table of one
    cell); None for any other block."""
    if isinstance(block, Paragraph):
        return titles.read(block.text)
    if len(block.rows) != 1:
        return None
    grid = grids.of(block)
    if len(grid) == 1 and len(grid[0]) == 1:
        return titles.read(grid[0][0].text)
    return None


def _titled_table(block: Block) -> titles.Heading | None:
    """The heading of an IKI table whose first row holds its title, one cell across."""
    if not isinstance(block, Table):
        return None
    grid = wordtable.head(block)
    filled = [cell.text for cell in grid[0].values() if cell.text] if grid else []
    if len(filled) != 1 or wordtable.header_row(grid) is None:
        return None
    return titles.read(filled[0])


def _title_in_page_header(document: Document) -> titles.Heading | None:
    """The heading of a title standing in the page header: one position per document."""
    for paragraph in document.headers:
        if (heading := titles.read(paragraph.text)) is not None:
            return heading
    return None


def _holds_position(blocks: list[Block], grids: wordtable.Grids) -> bool:
    index, grid, _, _ = _indicator_table(blocks, grids)
    return bool(grid) or bool(labels.read(labels.lines_of(blocks[:index], grids)).nama)


def _read_section(section: _Section, number: int, draft: Draft, choices: Choices,
                  grids: wordtable.Grids) -> list[signature.Signature]:
    """Add the positions of one section to the draft (one, or one per group of
    full-width rows in its table); return the signature block of each."""
    blocks = section.blocks
    index, grid, header, last = _indicator_table(blocks, grids)
    found = labels.read(labels.lines_of(blocks[:index], grids)
                        + labels.table_lines(grid[:header]))
    heading = section.heading.merged(titles.under([
        " ".join(cell.text for cell in line.values() if cell.text) for line in grid[:header]
        if not any(titles.read(cell.text) for cell in line.values() if cell.text)]))
    nama = found.nama or heading.nama
    place = (msg("place.position_named", "jabatan {number} ({name})", number=number, name=nama)
             if nama else msg("place.position", "jabatan {number}", number=number))
    if not grid:
        _no_table(place, msg("docx.named_but", "the position is named, but"), blocks, draft)
        return []
    for key, value in found.fields.items():
        if key not in draft.fields:
            draft.set_field(key, value, place)
    _take_heading(heading, place, draft)
    segments = wordtable.table_rows(grid, header, place, draft, choices, number)
    below = msg("place.signature", "{position}, signature", position=place)
    signed = signature.read(_lines_below(blocks[last + 1:], below, draft, grids), below, nama)
    if signed.undecided:
        _signers_undecided(signed, draft)
    if not any(segment.rows for segment in segments):
        draft.problem(place, msg("docx.no_rows", "the IKI table has no rows under its header"),
                      msg("docx.no_rows_hint", "type the position's sasaran and indicators in "
                          "it, or remove the position"))
        return []
    fallback = nama or signed.holder_jabatan or (signed.signer or {}).get("jabatan", "")
    if len(segments) > 1:  # one block above and below the positions: no one holds them all
        signed, found = dataclasses.replace(signed, holder=None), dataclasses.replace(
            found, holder={})
    for segment in segments:
        positions.add(segment, fallback, found, place, draft, choices.jabatan, number)
    return [signed] * len(segments)


def _signers_undecided(signed: signature.Signature, draft: Draft) -> None:
    """The problem of signatures side by side none of which reads as the holder's."""
    draft.problem(signed.place, msg(
        "docx.signers", "{count} signatures stand side by side ({signers}) and which is the "
        "holder's (pemangku) and which the signer's cannot be told", count=len(signed.undecided),
        signers="; ".join(" / ".join(filter(None, (person.get("jabatan"), person.get("nama"))))
                          for person in signed.undecided)),
        msg("docx.signers_hint", "type 'Pemangku Jabatan' over the holder's name, or "
            "'Atasan Langsung' over the signer's jabatan; or keep one signature and clear the "
            "others"))


def _take_heading(heading: titles.Heading, place: Message, draft: Draft) -> None:
    """The unit and year a title names, when the document does not give them otherwise."""
    title = msg("place.title_of", "{position}, title", position=place)
    if heading.unit and "unit_kerja" not in draft.fields:
        draft.set_field("unit_kerja", heading.unit, title)
    if heading.tahun is not None and "tahun" not in draft.fields:
        draft.set_field("tahun", heading.tahun, title)


def _lines_below(blocks: list[Block], place: Message, draft: Draft,
                 grids: wordtable.Grids) -> list[list[str]]:
    """The text under a position's table as columns of lines: its paragraphs (split in
    two where they hold two signatures side by side, separated by tabs), and each
    filled column of a borderless table holding signatures; one column, read in order,
    when neither holds two. Another IKI table ends it, and so does the letterhead of the
    next position's page."""
    lines: list[str] = []
    columns: list[list[str]] = []
    in_order: list[str] = []
    for block in blocks:
        if _letterhead(block):
            break
        if isinstance(block, Paragraph):
            shown = [*block.text.split("\n"), *block.boxed]
            lines += shown
            in_order += shown
            continue
        grid = grids.of(block)
        if wordtable.header_row(grid) is not None:
            draft.problem(place, msg("docx.table_follows", "another IKI table follows this "
                                     "position's table"),
                          msg("docx.title_above_hint", "each position starts with the title "
                              "{title!r}, above its Jabatan line", title=TITLE))
            break
        filled = _columns(grid)
        columns += filled
        in_order += [line for column in filled for line in column]
    paired = _side_by_side(lines)
    if len(paired) == 1 and len(columns) <= 1:
        return [in_order]
    return [column for column in [*paired, *columns] if any(map(str.strip, column))]


_TABS = re.compile(r"\t\s*")  # no leading \s*: a long run of spaces would cost its square


def _side_by_side(lines: list[str]) -> list[list[str]]:
    """Paragraph lines as one column, or as two when two lines or more hold text on both
    sides of a tab ("Atasan Langsung,<tab>Pemangku Jabatan,"): then a line typed after
    tabs only belongs to the right column, one without to the left. A text after a tab
    that starts with ":" is a label's value, not a second signature."""
    parts = [[part.strip() for part in _TABS.split(line.rstrip())] for line in lines]
    if sum(1 for split in parts if len(split) == 2 and all(split)
           and not split[1].startswith(":")) < 2:
        return [lines]
    left, right = [], []
    for split in parts:
        filled = [part for part in split if part]
        if len(filled) >= 2:
            left.append(filled[0])
            right.append(" ".join(filled[1:]))
        elif filled and not split[0]:
            left.append("")
            right.append(filled[0])
        else:
            left.append(filled[0] if filled else "")
            right.append("")
    return [left, right]


def _columns(grid: wordtable.Grid) -> list[list[str]]:
    """The lines of each table column that holds text, read down its rows (a row with
    nothing in the column is a blank line: the space to sign)."""
    starts = sorted({column for line in grid for column, cell in line.items() if cell.text})
    return [[text for line in grid for text in line.get(column, wordtable.Cell("")).text
             .split("\n")] for column in starts]


def _indicator_table(blocks: list[Block],
                     grids: wordtable.Grids) -> tuple[int, wordtable.Grid, int, int]:
    """(its place among the blocks, its grid, its header row, the place of its last
    part) of the first table whose header names SASARAN and INDIKATOR, with the tables
    that continue it (see _continued); (len(blocks), [], 0, len(blocks)) when there is
    none."""
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            grid = grids.of(block, underlined=True)
            header = wordtable.header_row(grid)
            if header is not None:
                last, grid = _continued(blocks, index, grid, grids)
                return index, grid, header, last
    return len(blocks), [], 0, len(blocks)


def _continued(blocks: list[Block], index: int, grid: wordtable.Grid,
               grids: wordtable.Grids) -> tuple[int, wordtable.Grid]:
    """The IKI table with the tables that continue it, and the place of the last: a
    table cut in two where a page broke (its header typed again or not) has the same
    columns, with nothing but empty paragraphs between the parts. A numbering row or a
    header typed again is skipped as it is within one table."""
    following, width, joined = index + 1, _width(grid), list(grid)
    while following < len(blocks):
        block = blocks[following]
        if isinstance(block, Paragraph) and not block.text.strip():
            following += 1
            continue
        if isinstance(block, Table) and _width(part := grids.of(block, underlined=True)) \
                == width >= 3:
            joined.extend(part)  # of the same width: the width of the whole stays
            index, following = following, following + 1
            continue
        break
    return index, joined


def _width(grid: wordtable.Grid) -> int:
    return max((start + cell.span for line in grid for start, cell in line.items()), default=0)


def _read_preamble(blocks: list[Block], draft: Draft, grids: wordtable.Grids) -> None:
    """What stands before the first IKI, as in a Keputusan that establishes them: its
    Menimbang and Mengingat lists and its NOMOR go to the document's ``tambahan``."""
    lines = labels.lines_of(blocks, grids)
    found = labels.read(lines)
    place = msg("place.preamble", "before the first IKI")
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

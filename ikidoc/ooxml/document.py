"""A Word document read into plain paragraphs and tables, for the importers: what Word
shows of each (see shown), including what python-docx steps over.

python-docx does not see paragraphs, tables, rows or cells wrapped in a content
control, nor the text boxes anchored in a paragraph; this reader does. Everything is
read once, when the file is opened: the importers then walk frozen dataclasses.

Its tables are bounded as they are read (tables of the document, rows of a table, grid
columns of a row, cells of the document): a hostile file of a few kilobytes packed
could otherwise hold a million rows, or a cell spanning a billion columns, and keep the
import busy for hours.
"""
from __future__ import annotations

import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.exceptions import InvalidXmlError
from lxml import etree

from ikidoc.errors import DataError, Problem
from ikidoc.messages import Message, msg
from ikidoc.ooxml.names import MARKUP, w
from ikidoc.ooxml.shown import shown

# Far above any real IKI (fewer than 200 rows, at most 10 columns, a few thousand cells
# in a unit's combined document); Word itself makes no table wider than 63 columns.
MAX_ROWS = 5_000  # rows of one table
MAX_COLUMNS = 100  # grid columns of one row (w:gridBefore and every cell's w:gridSpan)
MAX_CELLS = 100_000  # cells of all the document's tables, tables inside cells counted
MAX_TABLES = 5_000  # tables of the document, tables inside cells counted

# What reading a file that is no Word document raises (python-docx, zipfile, lxml).
UNREADABLE = (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
              SyntaxError, InvalidXmlError)
# Wrappers whose children stand in their place: content controls, custom XML, smart
# tags, and the contents of a content control.
_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")}
_FALLBACK = f"{{{MARKUP}}}Fallback"
_DELETED = {w("del"), w("moveFrom")}


@dataclass(frozen=True)
class Run:
    """A run of a paragraph: its text (w:t only, stripped) and whether it is underlined
    (its own w:u, else its paragraph style's)."""

    text: str
    underlined: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as Word shows it."""

    text: str  # see shown.shown
    numbered: bool = False  # Word draws a number or bullet before it (w:numPr)
    rule_above: bool = False  # it draws a border on its top (w:pBdr)
    rule_below: bool = False  # ... on its bottom
    boxed: tuple[str, ...] = ()  # the texts of the paragraphs in text boxes anchored in it
    runs: tuple[Run, ...] = ()  # every run in it (those in text boxes too) but deleted ones
    pictures: tuple[bytes, ...] = ()  # the bytes of each picture drawn in it (a kop's logo)


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs and tables, and its part in a merge."""

    blocks: tuple[Block, ...]
    span: int = 1  # the grid columns it covers (w:gridSpan)
    merge: str | None = None  # w:vMerge: "restart", "continue", or None (not merged)


@dataclass(frozen=True)
class Row:
    """A table row: its cells, after ``before`` grid columns left empty (w:gridBefore)."""

    cells: tuple[Cell, ...]
    before: int = 0


@dataclass(frozen=True)
class Table:
    """A table's rows; ``rules[n]`` says whether a border is drawn between rows n and
    n + 1 (a fraction typed in a table of two rows inside a cell)."""

    rows: tuple[Row, ...]
    rules: tuple[bool, ...] = ()


Block = Paragraph | Table


@dataclass(frozen=True)
class Document:
    """What the importers read of a Word file."""

    body: tuple[Block, ...]
    headers: tuple[Paragraph, ...]  # the paragraphs of the sections' page headers (a
    # letterhead's table there too)
    subject: str  # the document properties' Subject


def read(path: Path) -> Document:
    """The document at ``path``; raises one of UNREADABLE when it is no Word document."""
    try:
        document = docx.Document(str(path))
    except (AttributeError, TypeError, IndexError) as error:  # python-docx on a broken package
        raise ValueError(str(error)) from None
    reader = _Reader(document, str(path))
    headers = tuple(reader.paragraph(p, section.header.part) for section in document.sections
                    for p in section.header._element.iter(w("p")))
    return Document(body=tuple(reader.blocks(document.element.body)), headers=headers,
                    subject=document.core_properties.subject or "")


class _Reader:
    """Reads blocks, remembering whether each paragraph style numbers its paragraphs,
    and counting tables and cells against the bounds."""

    def __init__(self, document: Any, file: str) -> None:
        self._document = document  # what python-docx looks styles up through
        self._file = file  # for the message of a bound passed
        self._tables = 0  # the tables begun so far, in document order
        self._cells = 0  # the cells read so far, in all tables
        self._styles: dict[str | None, bool] = {}  # by style id: it numbers paragraphs
        self._underlines: dict[str | None, bool] = {}  # by style id: it underlines them
        self._table_styles: dict[str | None, etree._Element | None] = {}

    def blocks(self, element: etree._Element) -> list[Block]:
        """The paragraphs and tables of a body or a cell, in order, including those
        inside content controls."""
        found: list[Block] = []
        for child in element:
            if child.tag == w("p"):
                found.append(self.paragraph(child))
            elif child.tag == w("tbl"):
                found.append(self._table(child))
            elif child.tag in _WRAPPERS:
                found.extend(self.blocks(child))
        return found

    def _table(self, tbl: etree._Element) -> Table:
        self._tables += 1
        number = self._tables
        if number > MAX_TABLES:
            self._refuse(number, msg("word.too_many_tables", "the document holds more than "
                                     "{bound:,} tables; documents of more are refused",
                                     bound=MAX_TABLES),
                         hint=msg("word.too_many_tables_hint", "an IKI has a few tables for "
                                  "each position: delete the tables left over, or split the "
                                  "document into several"))
        trs = _unwrapped(tbl, "tr")
        if len(trs) > MAX_ROWS:
            self._refuse(number, msg("word.too_many_rows", "has {rows:,} rows; tables of more "
                                     "than {bound:,} rows are refused", rows=len(trs),
                                     bound=MAX_ROWS))
        own = tbl.find(w("tblPr"))
        style = own.find(w("tblStyle")) if own is not None else None
        inside = [own, self._table_style(style.get(w("val")) if style is not None else None)]
        return Table(tuple(self._row(tr, number, row) for row, tr in enumerate(trs, 1)),
                     tuple(_rule_between(upper, lower, inside)
                           for upper, lower in itertools.pairwise(trs)))

    def _refuse(self, table: int, said: Message, row: int | None = None,
                hint: Message | None = None) -> NoReturn:
        """Raise the DataError of a bound passed in the document's table ``table``."""
        place = msg("place.word_table", "table {table}", table=table) if row is None else \
            msg("place.word_table_row", "table {table}, row {row}", table=table, row=row)
        raise DataError([Problem(self._file, said, place=place, hint=hint or msg(
            "word.too_large_hint", "an IKI table is far smaller: delete the rows and "
            "columns left over in it, or split the document into several"))])

    def _table_style(self, style_id: str | None) -> etree._Element | None:
        """The table properties of a table style (python-docx's default table style for
        none or an unknown one), read once per style."""
        if style_id not in self._table_styles:
            style = self._document.part.get_style(style_id, WD_STYLE_TYPE.TABLE)
            self._table_styles[style_id] = style.element.find(w("tblPr")) \
                if style is not None else None
        return self._table_styles[style_id]

    def _row(self, tr: Any, table: int, number: int) -> Row:
        """A row, refused before its cells are read when it spans more than MAX_COLUMNS
        grid columns or brings the document past MAX_CELLS cells."""
        tcs = _unwrapped(tr, "tc")
        columns = tr.grid_before + sum(tc.grid_span for tc in tcs)
        if columns > MAX_COLUMNS:
            self._refuse(table, msg("word.too_many_columns", "spans {columns:,} columns; rows "
                                    "of more than {bound:,} columns are refused",
                                    columns=columns, bound=MAX_COLUMNS), number)
        self._cells += len(tcs)
        if self._cells > MAX_CELLS:
            self._refuse(table, msg("word.too_many_cells", "brings the document's tables past "
                                    "{bound:,} cells; documents of more cells are refused",
                                    bound=MAX_CELLS), number)
        return Row(tuple(Cell(tuple(self.blocks(tc)), tc.grid_span, tc.vMerge) for tc in tcs),
                   tr.grid_before)

    def paragraph(self, p: Any, part: Any = None) -> Paragraph:
        """The paragraph ``p`` of the body, or of the page header whose ``part`` holds the
        pictures it draws."""
        return Paragraph(shown(p), self._numbered(p), _bordered(p, "top"),
                         _bordered(p, "bottom"), _boxed(p), self._runs(p),
                         _pictures(p, part or self._document.part))

    def _runs(self, p: Any) -> tuple[Run, ...]:
        style_id = _style_id(p)
        if style_id not in self._underlines:
            style = self._paragraph_style(style_id)
            self._underlines[style_id] = bool(style.font.underline) if style is not None else False
        by_style = self._underlines[style_id]
        return tuple(Run("".join(t.text or "" for t in run.iter(w("t"))).strip(),
                         _underlined(run, by_style))
                     for run in p.iter(w("r"))
                     if not any(a.tag in _DELETED for a in run.iterancestors()))

    def _numbered(self, p: Any) -> bool:
        """Whether Word draws a number or bullet before the paragraph: its own w:numPr or
        its style's (numId 0 takes the numbering away)."""
        own = _numbering(p)
        if own is not None:
            return own
        style_id = _style_id(p)
        if style_id not in self._styles:
            self._styles[style_id] = self._style_numbers(self._paragraph_style(style_id))
        return self._styles[style_id]

    def _paragraph_style(self, style_id: str | None) -> Any:
        """A paragraph style as python-docx gives it (its default style for none or an
        unknown one, as Word shows such a paragraph)."""
        return self._document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)

    @staticmethod
    def _style_numbers(style: Any) -> bool:
        while style is not None:
            found = _numbering(style.element)
            if found is not None:
                return found
            style = style.base_style
        return False


_EMBEDS = ("{http://schemas.openxmlformats.org/drawingml/2006/main}blip",  # DrawingML
           "{urn:schemas-microsoft-com:vml}imagedata")  # VML, as Word 97-2003 saved it
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _pictures(p: etree._Element, part: Any) -> tuple[bytes, ...]:
    """The bytes of each picture the paragraph draws, once each (a picture saved both
    as DrawingML and as its VML fallback is one)."""
    found: list[bytes] = []
    for element in p.iter(*_EMBEDS):
        target = element.get(f"{_RELATIONSHIP}embed") or element.get(f"{_RELATIONSHIP}id")
        related = part.related_parts.get(target) if target else None
        blob = getattr(related, "blob", None)
        if isinstance(blob, bytes) and blob not in found:
            found.append(blob)
    return tuple(found)


def _style_id(p: etree._Element) -> str | None:
    found = p.find(f"{w('pPr')}/{w('pStyle')}")
    return found.get(w("val")) if found is not None else None


def _numbering(element: etree._Element) -> bool | None:
    """Whether a paragraph's or a style's own w:numPr numbers (None: it has none, or a
    number that is none)."""
    number = element.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
    value = number.get(w("val"), "") if number is not None else ""
    return int(value) != 0 if value.lstrip("-").isdigit() else None


def _bordered(p: Any, side: str) -> bool:
    """Whether a paragraph draws a border on ``side`` (its own w:pBdr)."""
    properties = p.pPr
    borders = properties.find(w("pBdr")) if properties is not None else None
    edge = borders.find(w(side)) if borders is not None else None
    return edge is not None and _drawn(edge)


def _drawn(edge: etree._Element) -> bool:
    return edge.get(w("val")) not in ("nil", "none")


def _underlined(run: etree._Element, by_style: bool) -> bool:
    """Whether a run is underlined: its own w:u, else as its paragraph style says."""
    properties = run.find(w("rPr"))
    mark = properties.find(w("u")) if properties is not None else None
    if mark is None:
        return by_style
    return mark.get(w("val"), "single") not in ("none", "0", "false")


def _rule_between(upper: etree._Element, lower: etree._Element,
                  inside: list[etree._Element | None]) -> bool:
    """Whether a border is drawn between two rows: the upper row's cells' bottom, the
    lower row's cells' top, or else the table's inside horizontal border (``inside``:
    the table's own properties, then its style's)."""
    edges = [edge for row, side in ((upper, "bottom"), (lower, "top"))
             for cell in _unwrapped(row, "tc")
             for edge in cell.iterfind(f"{w('tcPr')}/{w('tcBorders')}/{w(side)}")]
    if edges:
        return any(_drawn(edge) for edge in edges)
    for properties in inside:
        edge = properties.find(f"{w('tblBorders')}/{w('insideH')}") \
            if properties is not None else None
        if edge is not None:
            return _drawn(edge)
    return False


def _boxed(p: etree._Element) -> tuple[str, ...]:
    """The texts of the paragraphs of the text boxes anchored in a paragraph (a signature
    placed at the right with Insert > Text Box), each box once: Word writes a copy of it
    for older readers under mc:Fallback."""
    return tuple(shown(inner) for box in p.iter(w("txbxContent"))
                 if not any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors())
                 for inner in box if inner.tag == w("p"))


def _unwrapped(element: etree._Element, tag: str) -> list[Any]:
    """The children ``tag`` (tr, tc) of an element, including those wrapped in a content
    control."""
    found: list[Any] = []
    for child in element:
        if child.tag == w(tag):
            found.append(child)
        elif child.tag in _WRAPPERS:
            found.extend(_unwrapped(child, tag))
    return found

"""The tables of a Word document as a grid of cells, and the IKI table among them read
into rows: its header (one row or split over several), numbering row, free columns and
merged cells, as offices type them by hand.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ikidoc import formats
from ikidoc.errors import Choice
from ikidoc.importers import cells, rows, titles, wordcolumns, wordtext
from ikidoc.importers.draft import Draft
from ikidoc.messages import Message, msg
from ikidoc.ooxml import document
from ikidoc.ooxml.document import Paragraph, Table

HEADER_ROWS = 5  # the table's header is looked for among its first rows, below any label rows
OFFICIAL = ("sasaran", "indikator", "formulasi", "sumber")
_NAMED = "sumber:penjelasan"  # the sources of a PENJELASAN's last part (no header is named so)
_UNGIVEN = "?"  # the source of a row in a table without any: never written, a problem stands
_DASHES = {"-", "\u2013", "\u2014"}
SUMBER_OPTION = "--sumber-data"


@dataclass(frozen=True)
class Cell:
    """A table cell as Word holds it: its text and its part in a merge."""

    text: str
    continues: bool = False  # w:vMerge continue: the cell above runs on here
    opens: bool = False  # w:vMerge restart: a merged cell starts here
    span: int = 1  # the grid columns it covers (w:gridSpan)


Grid = list[dict[int, Cell]]  # rows of cells by their first grid column
_Reading = Callable[[Paragraph], str] | None  # how a grid's paragraphs are read (see grid)


@dataclass(frozen=True)
class _Place:
    """A row of a position's table."""

    position: Message
    row: int
    headers: dict[str, str]

    def describe(self, field: str) -> Message:
        if field in self.headers:
            return msg("place.table_cell", "{position}, table row {row}, column {header}",
                       position=self.position, row=self.row, header=self.headers[field])
        return msg("place.table_row", "{position}, table row {row}", position=self.position,
                   row=self.row)


def grid(table: Table, text: _Reading = None, *, underlined: bool = False) -> Grid:
    """The rows of a table as cells by their first grid column (merged cells kept);
    ``text`` reads each paragraph of a cell (those of a table inside it too; by default
    as Word shows it), and a fraction typed as two paragraphs over and under a rule (or,
    when ``underlined``, a numerator underlined) reads "numerator / denominator"."""
    found = []
    for tr in table.rows:
        column, cells_at = tr.before, {}
        for tc in tr.cells:
            found_here = list(_paragraphs(tc, text or _shown))
            ruled = [number for number, (_, _, under) in enumerate(found_here) if under]
            joined = "\n".join(_untabbed(line) for line in wordtext.stacked(
                [p for p, _, _ in found_here], [t for _, t, _ in found_here], ruled,
                underlined)).strip()
            cells_at[column] = Cell(joined, tc.merge == "continue", tc.merge == "restart",
                                    tc.span)
            column += tc.span
        found.append(cells_at)
    return found


class Grids:
    """The grids of one document's tables, each built once per way of reading it: the
    reading of a document looks at the same table for its title, its sections, its
    positions, its labels and its signature, and building a grid costs as much as
    reading the table. Made for one read and dropped with it, so that no grid outlives
    its document (the tables are kept with their grids: an id names one table only
    while it lives)."""

    def __init__(self) -> None:
        self._built: dict[tuple[int, _Reading, bool], tuple[Table, Grid]] = {}

    def of(self, table: Table, text: _Reading = None, *, underlined: bool = False) -> Grid:
        """The table's grid, as ``grid(table, text, underlined=underlined)`` builds it."""
        key = (id(table), text, underlined)
        if key not in self._built:
            self._built[key] = (table, grid(table, text, underlined=underlined))
        return self._built[key][1]


def head(table: Table) -> Grid:
    """The grid of a table's first HEADER_ROWS rows (read as Word shows them): all that
    a look for its title or its header reads, at the cost of those rows only."""
    return grid(Table(table.rows[:HEADER_ROWS]))


_TAB = re.compile(r"\t[ \t]*")  # spaces before it are stripped from the part (linear time)


def _untabbed(line: str) -> str:
    """A cell's line with each tab as one space: inside a cell a tab only lines words up
    ("Jumlah laporan<tab>: 12"), it parts no columns."""
    return " ".join(part.strip(" ") for part in _TAB.split(line)).strip() if "\t" in line else line


def _shown(paragraph: Paragraph) -> str:
    return paragraph.text


def _paragraphs(cell: document.Cell,
                text: Callable[[Paragraph], str]) -> Iterator[tuple[Paragraph, str, bool]]:
    """The paragraphs of a cell, those of the tables inside it too, each with its text
    and whether a border between a table's rows stands under it (the last of a row)."""
    for block in cell.blocks:
        if isinstance(block, Paragraph):
            yield block, text(block), False
            continue
        for number, tr in enumerate(block.rows):
            inner = [found for tc in tr.cells for found in _paragraphs(tc, text)]
            if inner and number + 1 < len(block.rows) and block.rules[number]:
                inner[-1] = (*inner[-1][:2], True)
            yield from inner


def header_row(table: Grid) -> int | None:
    """The row that names SASARAN and INDIKATOR among the table's first rows, or None."""
    for number, line in enumerate(table[:HEADER_ROWS]):
        named = set(wordcolumns.placed({column: cell.text for column, cell in line.items()
                                        if cell.text}).values())
        if {"sasaran", "indikator"} <= named:
            return number
    return None


@dataclass(frozen=True)
class Choices:
    """What the user decided where a document leaves a choice (import's options)."""

    jabatan: str | None = None  # the name of a position the document names nowhere
    sumber_data: str | None = None  # the source of every indicator of a table without one
    kolom_sasaran: str | None = None  # the header of the column read as SASARAN


@dataclass
class Segment:
    """The rows of one position in a table: all of them, or those under a group row."""

    labels: list[str]  # the full-width group rows above the rows ("ESSELON II", "KEPALA DINAS")
    row: int  # the table row of the first label, or of the header
    rows: list[rows.Row] = field(default_factory=list)


def table_rows(table: Grid, header: int, position: Message, draft: Draft,
               choices: Choices, number: int = 1) -> list[Segment]:
    """The data rows under the header, cut at full-width group rows (each group of them
    starts a position); numbering rows and a header typed again lower down are
    skipped, and numbers that leaked from a numbering row into the first row's cells
    are removed. Two cells of one row under the same header, or text under no header,
    are problems of the draft: which one is meant cannot be told. ``number`` is the
    table's among the document's IKI tables, for the choices it leaves."""
    first = _header_end(table, header)
    columns = _columns(table[header:first], _width(table), position, draft, choices, number)
    fields = columns.fields
    headers = {name: columns.header(name) for name in set(fields.values())}
    sourced = "sumber" in fields.values()
    segments, numbered, index = [Segment([], header + 1)], False, first
    above: dict[int, str] = {}
    unsourced: list[int] = []
    while index < len(table):
        line = table[index]
        place = _Place(position, index + 1, headers)
        index += 1
        if cells.is_numbering([cell.text for cell in line.values()]):
            numbered = True
        elif _is_note(line):
            break
        elif (label := _group_label(line, bool(segments[-1].labels and not segments[-1].rows))
              ) is not None:
            if segments[-1].rows or not segments[-1].labels:
                segments.append(Segment([], index))
            segments[-1].labels.append(label)
        elif _repeats_header(line, columns):
            index = _header_end(table, index - 1)
        else:
            line = _merged_text(line, fields, above)
            above.update({column: cell.text for column, cell in line.items()})
            leaked = not numbered and index == first + 1 and _numbers_leaked(line, fields)
            values = _single(_values(line, fields, leaked), columns, place, draft)
            row = _row(values, place, sourced, choices.sumber_data)
            if row.indikator and not row.sumber and not sourced:
                unsourced.append(index)  # one problem for the table, not one for each row
                row = dataclasses.replace(row, sumber=(_UNGIVEN,))
            segments[-1].rows.extend(_per_indicator(row, values.get("sumber", Cell("")).text))
    if unsourced:
        _no_source_column(columns, position, unsourced, draft, number)
    return [segment for segment in segments if segment.rows or segment.labels]


def _columns(header: Grid, width: int, position: Message, draft: Draft,
             choices: Choices, number: int) -> wordcolumns.Columns:
    """The fields of a table's columns, by the header read over its rows."""
    texts = {column: _header_text(header, column) for column in range(width)}
    return wordcolumns.read({column: text for column, text in texts.items() if text},
                            position, draft, choices.kolom_sasaran, number)


def _no_source_column(columns: wordcolumns.Columns, position: Message, unsourced: list[int],
                      draft: Draft, number: int) -> None:
    """The one problem of a table without a SUMBER DATA column whose indicators name no
    source inside their PENJELASAN either: which, and the ways to decide."""
    shown = ", ".join(map(str, unsourced[:5])) + (" ..." if len(unsourced) > 5 else "")
    draft.problem(position, msg("word.no_source_column", "the IKI table has no SUMBER DATA "
                                "column (headers found: {headers}), and {count} indicators name "
                                "no source in their penjelasan either (table rows {rows})",
                                headers=columns.found(), count=len(unsourced), rows=shown),
                  msg("word.no_source_column_hint", "add a SUMBER DATA column in Word, end each "
                      "PENJELASAN with a line 'Sumber Data : ...', or give the one source of "
                      "every indicator with --sumber-data \"...\""),
                  Choice("sumber_data", SUMBER_OPTION, number, headers=columns.headers()))


def _group_label(line: dict[int, Cell], after_group: bool) -> str | None:
    """The text of a group row ("ESSELON II", a position's name), or None for any other
    row: one cell with text merged across most of the table (a number or numeral such as
    "I" beside it allowed), not a note; or, not merged, one cell alone (a Roman numeral
    beside it allowed) that names a level ("ESELON II") or a Jabatan ("Jabatan : Kepala
    Dinas"), or is in capitals right under another group row (``after_group``)."""
    filled = [cell for cell in line.values() if cell.text]
    wide = [cell for cell in filled if cell.span >= 3 and not cell.continues]
    numbered = all(len(cell.text) <= 4 and cell.text.strip(".").isalnum() and (
        cell.text.strip(".").isdigit() or set(cell.text.strip(".")) <= set("IVX"))
        for cell in filled if cell not in wide)
    if len(wide) == 1 and (len(filled) == 1 or (len(filled) == 2 and numbered)):
        return None if _is_note(line) else wide[0].text
    if len(filled) == 2 and set(filled[0].text.strip(".")) <= set("IVX"):
        filled = filled[1:]  # a group's numeral ("II") beside its label, unmerged
    alone = filled[0].text if len(filled) == 1 and not filled[0].continues else ""
    head, colon, _ = alone.partition(":")
    if alone and "\n" not in alone and (titles.is_level(alone) or (
            colon and cells.label_of(head) == "jabatan") or (after_group and alone.isupper())):
        return alone
    return None


def _width(grid: Grid) -> int:
    return max((start + cell.span for line in grid for start, cell in line.items()), default=0)


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
    down), or when all it holds are upper-case words and its SASARAN cell is blank
    ("PERHITUNGAN", "DATA" under "FORMULASI", "SUMBER") or lies under a SASARAN header
    spanning sub-columns ("SASARAN RENSTRA", "SASARAN RPJMD"), or when every cell it
    fills lies under a header spanning sub-columns ("2019", "2020" under "TARGET"). A
    full-width group row ("ESSELON II") starts the data, never the header."""
    sasaran = [column for column, cell in table[header].items()
               if cell.span == 1 and wordcolumns.named(cell.text) == "sasaran"]
    end = header + 1
    while end < min(len(table), header + HEADER_ROWS):
        filled = {column: cell for column, cell in table[end].items() if cell.text}
        merged_down = any(cell.continues for cell in table[end].values())
        worded = bool(filled) and not any(column in filled for column in sasaran) and all(
            cell.text.upper() == cell.text and not any(char.isdigit() for char in cell.text)
            for cell in filled.values())
        grouped = bool(filled) and all(any(
            start <= column < start + cell.span and cell.span > 1 and cell.text
            for start, cell in table[header].items()) for column in filled)
        if not (merged_down or worded or grouped) \
                or cells.is_numbering([c.text for c in filled.values()]) \
                or _group_label(table[end], False) is not None:
            break
        end += 1
    return end


def _header_text(header: Grid, column: int) -> str:
    """A column's header as read over the header's rows; a cell that spans several
    columns heads each of them ("INDIKATOR KINERJA INDIVIDU" over three sub-headers),
    unless the sub-header repeats it ("SASARAN" over "SASARAN RPJMD" reads the latter)."""
    parts: list[str] = []
    for line in header:
        for start, cell in line.items():
            if start <= column < start + cell.span and cell.text and not cell.continues:
                text = " ".join(cell.text.split())
                parts = [part for part in parts if part.upper() not in text.upper()] + [text]
    return " ".join(parts)


def _repeats_header(line: dict[int, Cell], columns: wordcolumns.Columns) -> bool:
    """Whether a row is the header typed again (where a page broke, in a hand-made table)."""
    filled = {column: cell.text for column, cell in line.items() if cell.text}
    named = set(wordcolumns.placed(filled).values())
    return {"sasaran", "indikator"} <= named and all(
        wordcolumns.field(text) == columns.fields.get(column)
        or " ".join(text.split()).upper() in columns.texts.get(column, "").upper()
        for column, text in filled.items())


def _values(line: dict[int, Cell], fields: dict[int, str],
            leaked: bool) -> dict[str, list[tuple[int, Cell]]]:
    """The cells of a row by the field their column holds ("": under no header); the
    sources a PENJELASAN names in its last part are taken out of it, under _NAMED."""
    values: dict[str, list[tuple[int, Cell]]] = {}
    for column, cell in line.items():
        name = fields.get(column, "")
        if "\n\n" in cell.text:  # an empty paragraph in a cell spaces its parts out
            cell = dataclasses.replace(cell, text="\n".join(
                part for part in cell.text.split("\n") if part.strip()))
        if name in OFFICIAL:
            cell = Cell(_without_number(cell.text, column + 1, leaked), cell.continues,
                        cell.opens)
        if name == "formulasi":
            text, named = _source_lines(cell.text)
            cell = Cell(text, cell.continues, cell.opens)
            values.setdefault(_NAMED, []).append((column, Cell("\n".join(named))))
        if name != cells.SKIP:
            values.setdefault(name, []).append((column, cell))
    return values


def _single(values: dict[str, list[tuple[int, Cell]]], columns: wordcolumns.Columns,
            place: _Place, draft: Draft) -> dict[str, Cell]:
    """One cell per field. The cells of several FORMULASI columns (PENJELASAN and
    FORMULASI, each with its header) are one text, in column order; a second filled
    cell under one header, or text under none (other than a number or marker), is a
    problem naming the row."""
    chosen = {}
    for name, found in values.items():
        filled = [cell for _, cell in found if cell.text]
        own_headers = len({columns.texts.get(column) for column, _ in found}) == len(found)
        if name == "" and any(len(cell.text) > 3 and any(c.isalpha() for c in cell.text)
                              for cell in filled):
            draft.problem(place.describe(""), msg("word.text_without_header", "text under no "
                                                  "column header: {text!r}", text=filled[0].text),
                          msg("word.text_without_header_hint", "give the column a header, or "
                              "move the text into a column that has one"))
        elif name in ("formulasi", _NAMED) and len(filled) > 1 and own_headers:
            chosen[name] = Cell("\n".join(cell.text for cell in filled))
        elif len(filled) > 1:
            draft.problem(place.describe(name), *_crowded(found, columns))
        elif name:
            chosen[name] = filled[0] if filled else found[0][1]
    return chosen


def _crowded(found: list[tuple[int, Cell]],
             columns: wordcolumns.Columns) -> tuple[Message, Message]:
    """The message and hint of a row with text in several cells of one field: under one
    header spanning them, or under several headers that name the same field."""
    filled = [(columns.texts.get(column, ""), cell.text) for column, cell in found if cell.text]
    if len({header for header, _ in filled}) == 1:
        return (msg("word.cells_under_one_header", "{count} cells of this row fall under one "
                    "header: {texts}", count=len(filled),
                    texts=[repr(text) for _, text in filled]),
                msg("word.cells_under_one_header_hint", "merge them into one cell, or give "
                    "each column its own header"))
    under = [msg("word.text_under", "{text!r} under {header!r}", text=text, header=header)
             for header, text in filled]
    return (msg("word.same_field_twice", "{count} columns of this row hold the same field: "
                "{texts}", count=len(filled), texts=under),
            msg("word.same_field_twice_hint", "keep the text in one of them, or rename the other "
                "column's header in Word"))


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
    """The sources a SUMBER DATA cell lists, one a line, a source typed over several
    lines being one ("Kasubag Umum," / "Kepegawaian, Keuangan," / "dan Aset."). A cell
    holding only "-" is the source "-" as typed (ikidoc prints a sumber_data of "-" so),
    never a blank cell that would take the sources of the row above."""
    if text.strip() in _DASHES:
        return (text.strip(),)
    return tuple(cells.split_items("\n".join(cells.joined(text.split("\n")))))


_SOURCE_LINE = re.compile(r"sumber(?:\s+data)?\s*:", re.IGNORECASE)


def _source_lines(formulasi: str) -> tuple[str, tuple[str, ...]]:
    """A PENJELASAN whose last part is "Sumber Data : ..." (its sources on that line or
    listed under it, lines without a label of their own) without that part, and the
    sources it names; a PENJELASAN that goes on after its sources keeps them."""
    lines = formulasi.split("\n")
    starts = [n for n, line in enumerate(lines) if _SOURCE_LINE.match(line.strip())]
    if not starts or starts[-1] == 0 or any(":" in line for line in lines[starts[-1] + 1:]):
        return formulasi, ()
    start = starts[-1]
    head = _SOURCE_LINE.sub("", lines[start].strip(), count=1)
    return "\n".join(lines[:start]).strip(), tuple(cells.split_items(
        "\n".join(cells.joined([head, *lines[start + 1:]]))))


def _row(values: dict[str, Cell], place: _Place, sourced: bool, default: str | None) -> rows.Row:
    """The row of a table; its sources are those of its SUMBER DATA cell and of a "Sumber
    Data :" line ending its PENJELASAN, or ``default`` (--sumber-data) when the table
    has no SUMBER DATA column and the PENJELASAN names none."""
    blank = Cell("")
    sasaran, sumber = values.get("sasaran", blank), values.get("sumber", blank)
    named = values.get(_NAMED, blank).text.split("\n") if values.get(_NAMED, blank).text else []
    listed = () if sumber.continues else _sources(sumber.text)
    sources = (*listed, *(item for item in named if item not in listed))
    if not sourced and not sources and default is not None:
        sources = (default,)
    return rows.Row(
        origin=place,
        sasaran="" if sasaran.continues else _statement(sasaran.text),
        opens_sasaran=sasaran.opens,
        indikator=_statement(values.get("indikator", blank).text),
        formulasi=values.get("formulasi", blank).text,
        sumber=sources,
        tambahan={name: cell.text for name, cell in values.items()
                  if name not in (*OFFICIAL, _NAMED) and cell.text},
    )


def _statement(text: str) -> str:
    """A SASARAN or INDIKATOR as one line: a statement typed over several paragraphs
    (Enter pressed where Word would have wrapped it in a narrow column) is one, its
    lines joined by spaces. A cell whose lines are items, two or more with a marker
    ("1. ...", "- ..."), keeps them as typed."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if sum(1 for line in lines if formats.strip_marker(line) != line) >= 2:
        return text
    return " ".join(lines)


_NUMBER = re.compile(r"\(?(\d{1,2}|[a-z])[.)]\s+\S.*")


def _numbered(text: str) -> list[str] | None:
    """The items of a cell that numbers them in turn from its first line ("1.", "2.",
    ... or "a.", "b.", ...), without their numbers; a line with no number of its own
    goes on with the item above (as a new line of it). None for a cell that does not
    number two items or more so."""
    items: list[list[str]] = []
    for line in (line.strip() for line in text.split("\n") if line.strip()):
        match = _NUMBER.fullmatch(line)
        first = match.group(1) if match else ""
        if match and first == (str(len(items) + 1) if first.isdigit() else
                               chr(ord("a") + len(items))):
            items.append([formats.strip_marker(line)])
        elif items and not match and formats.strip_marker(line) == line:
            items[-1].append(line)
        else:
            return None
    return ["\n".join(item) for item in items] if len(items) >= 2 else None


def _per_indicator(row: rows.Row, sumber: str) -> list[rows.Row]:
    """A row whose INDIKATOR cell numbers several indicators ("1. Persentase Raperda
    yang dibahas" / "2. Persentase Dokumen Aspirasi ...") as one row per indicator,
    under the row's sasaran. Each takes the item of its number from a cell that numbers
    as many (its penjelasan, its SUMBER DATA ``sumber``, a target), else the whole cell."""
    items = _numbered(row.indikator)
    if items is None:
        return [row]
    count = len(items)

    def parts(text: str) -> list[str]:
        found = _numbered(text)
        return found if found is not None and len(found) == count else [text] * count

    listed = _numbered(sumber)
    sources = [_sources(item) for item in listed] if listed is not None and \
        len(listed) == count else [row.sumber] * count
    formulasi, tambahan = parts(row.formulasi), {name: parts(text)
                                                 for name, text in row.tambahan.items()}
    return [dataclasses.replace(
        row, sasaran=row.sasaran if number == 0 else "",
        opens_sasaran=row.opens_sasaran and number == 0, indikator=_statement(item),
        formulasi=formulasi[number], sumber=sources[number],
        tambahan={name: found[number] for name, found in tambahan.items()})
        for number, item in enumerate(items)]

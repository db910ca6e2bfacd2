"""The "Label : value" lines above an IKI table (Jabatan, Tugas, Fungsi) and the lists
under them, as an office types them: in paragraphs, a borderless table or a numbered list.

A line Word numbers by itself (w:numPr) reaches this module with the marker ``NUMBERED``
in front, as the reader sees a number there: such a line is a list item, never the end
of a list, even when it holds a colon after a few capitalised words.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ikidoc import formats
from ikidoc.importers import cells, wordtable
from ikidoc.ooxml.document import Block, Paragraph

NUMBERED = "\u00b7 "  # a bullet strip_marker removes and split_items does not split on


@dataclass
class Labels:
    """Jabatan, Tugas and Fungsi as read above a table, and the holder's name, pangkat
    and NIP when its lines stand there too."""

    nama: str = ""
    lists: dict[str, list[str]] = field(default_factory=lambda: {
        "tugas": [], "fungsi": [], "menimbang": [], "mengingat": []})
    fields: dict[str, str] = field(default_factory=dict)  # unit_kerja, instansi
    holder: dict[str, str] = field(default_factory=dict)  # the pemangku: nama, pangkat, nip


def read(lines: list[str]) -> Labels:
    """Fields and lists from "Label : value" lines; the lines under a list's label (a
    lettered or numbered list, typed or Word's own) are its further items, up to the
    next label. A line right under the Jabatan, or under an item it carries on (see
    cells.continues), is the rest of that name or item, typed over two paragraphs."""
    labels, current, above = Labels(), None, ""
    for line in lines:
        follows, above = bool(above.strip()), line  # right under a line with text
        head, colon, tail = line.partition(":")
        label = cells.label_of(head) if colon else None
        if label is None:
            if colon and _label_like(head):
                current = None  # a label not read here ("Eselon : III", "MEMUTUSKAN:")
            elif current is not None and current in labels.lists:
                _add_items(labels.lists[current], line, follows)
            elif current == "jabatan" and line.strip() and (not labels.nama or (
                    follows and not colon and "\t" not in line  # not a table's row
                    and _name_goes_on(labels.nama, line))):
                labels.nama = f"{labels.nama} {line.strip()}".strip()  # on the next line
            continue
        current, text = label, tail.strip().lstrip(":").strip()
        if label in labels.lists:
            labels.lists[label].extend(_items(text))
        elif label == "jabatan":
            labels.nama = labels.nama or text.replace("\n", " ")
        elif label.startswith(cells.HOLDER) and text:
            labels.holder.setdefault(label.removeprefix(cells.HOLDER), " ".join(text.split()))
        elif text:
            labels.fields.setdefault(label, text)
    return labels


def _add_items(items: list[str], line: str, follows: bool) -> None:
    """The items of a list's line added to it; the first carries on the item above when
    the line ``follows`` it and continues it (cells.continues)."""
    found = _items(line)
    if follows and items and found and cells.continues(items[-1], line):
        items[-1] = f"{items[-1]} {found.pop(0)}"
    items.extend(found)


def _items(text: str) -> list[str]:
    """The items of a text of one or more lines (a label table's cell holds several), an
    item typed over two lines being one (cells.continues)."""
    return cells.split_items("\n".join(cells.joined(text.split("\n"))))


def _label_like(head: str) -> bool:
    """Whether the text before a colon reads as a label: a few capitalised words, not a
    list item ("b. Menyusun laporan: bulanan" is an item)."""
    words = head.split()
    return 0 < len(words) <= 3 and all(word[:1].isupper() for word in words) \
        and formats.strip_marker(head.strip()) == head.strip()


def lines_of(blocks: list[Block], grids: wordtable.Grids) -> list[str]:
    """The text lines of paragraphs and label tables above an indicator table."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.extend(listed(block).split("\n"))
        else:
            lines.extend(table_lines(grids.of(block, listed)))
    return lines


def table_lines(grid: wordtable.Grid) -> list[str]:
    """A label table's rows as "Label: value" lines; its ":" column and a column that
    numbers the labels ("1." | "Jabatan" | ":" | ...), if any, are dropped."""
    lines = []
    for line in grid:
        texts = [cell.text for cell in line.values() if cell.text and not cell.continues
                 and cell.text != ":"]
        if len(texts) > 1 and cells.number_token(texts[0]) is not None:
            texts = texts[1:]
        if texts and cells.label_of(texts[0].rstrip(":")) is not None:
            lines.append(texts[0].rstrip(":") + ":" + "\t".join(texts[1:]))
        else:
            lines.extend("\t".join(texts).split("\n"))
    return lines


def listed(paragraph: Paragraph) -> str:
    """A paragraph's text, with NUMBERED in front when Word numbers it by itself (its own
    w:numPr or its style's)."""
    return NUMBERED + paragraph.text if paragraph.numbered else paragraph.text


def _name_goes_on(name: str, line: str) -> bool:
    """Whether ``line``, under a position's name, is the rest of it ("Kepala Seksi
    Pelayanan Umum" / "Kecamatan Contoh"): a few words with no marker of their own, not a
    sentence (the position's description, "Menyelenggarakan urusan ... pendidikan.")."""
    line = line.strip()
    return cells.continues(name, line) or (
        line == formats.strip_marker(line) and not line.endswith((".", ";", ":"))
        and len(line.split()) <= _NAME_LINE_WORDS)


_NAME_LINE_WORDS = 8  # the most words of a name's second line

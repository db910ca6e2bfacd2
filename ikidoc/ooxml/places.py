"""Where something stands in a Word package, as its user finds it in Word: a part (the
body, a header, a footer) and a paragraph or table cell in it."""
from __future__ import annotations

import re

from lxml import etree

from ikidoc.messages import Message, msg
from ikidoc.ooxml.names import w


def describe(node: etree._Element) -> Message:
    """Where a paragraph stands, as a user finds it in Word: "table 1, row 3, column 2"
    or "paragraph 7" (both counted from 1), followed by its text."""
    root = node.getroottree().getroot()
    text = "".join(t.text or "" for t in node.iter(w("t"))).strip()
    cell = next(node.iterancestors(w("tc")), None)
    if cell is not None:
        row = cell.getparent()
        table = row.getparent()
        tables = list(root.iter(w("tbl")))
        place = msg("word.cell", "table {table}, row {row}, column {column}",
                    table=tables.index(table) + 1, row=table.findall(w("tr")).index(row) + 1,
                    column=row.findall(w("tc")).index(cell) + 1)
    else:
        paragraphs = [p for p in root.iter(w("p")) if next(p.iterancestors(w("tc")), None) is None]
        place = msg("word.paragraph", "paragraph {number}",
                    number=paragraphs.index(node) + 1 if node in paragraphs else 0)
    if text:
        return msg("word.with_text", "{place}: {text!r}", place=place, text=text[:60])
    return place


def locate(root: etree._Element, *, within: str = "", holding: str = "") -> Message | None:
    """describe() of the paragraph a message is about: the longest whose text lies
    ``within`` a piece of compiled source, or the first whose text is ``holding`` a
    name. None when none is found."""
    best: etree._Element | None = None
    best_length = 0
    for paragraph in root.iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        if not text.strip():
            continue
        if holding and holding in text:
            return describe(paragraph)
        if within and text in within and len(text) > best_length:
            best, best_length = paragraph, len(text)
    return describe(best) if best is not None else None


_LONE_TAG = re.compile(r"\s*\{%-?\s*(?:(?:p|tr|tc)\s+)?(.*?)\s*-?%\}\s*", re.DOTALL)


def lone_tag(text: str) -> str | None:
    """The inside of the one tag a text is made of (``{%p endif %}`` and ``{% endif %}``
    alike give "endif"), or None for any other text."""
    found = _LONE_TAG.fullmatch(text)
    return " ".join(found.group(1).split()) if found and "%}" not in found.group(1) else None


def paragraph_of_tag(root: etree._Element, tag: str, ordinal: int) -> Message | None:
    """describe() of the ``ordinal``-th paragraph (from 0) made of the one tag ``tag``
    (see lone_tag); None when there are fewer."""
    found = [paragraph for paragraph in root.iter(w("p"))
             if lone_tag("".join(t.text or "" for t in paragraph.iter(w("t")))) == tag]
    return describe(found[ordinal]) if ordinal < len(found) else None


def part_name(part: str) -> Message:
    """A part of the package as its user knows it: the body, a header, a footer (the
    English wording keeps the part's own name, which a template author may look for)."""
    found = re.fullmatch(r"word/(header|footer)(\d*)\.xml", part)
    if part == "word/document.xml":
        return msg("part.body", "word/document.xml")
    if found and found.group(1) == "header":
        return msg("part.header", "word/header{number}.xml", number=found.group(2))
    if found:
        return msg("part.footer", "word/footer{number}.xml", number=found.group(2))
    return msg("part.other", "{part}", part=part)


def place_in(part: str, place: Message | None) -> Message:
    """A place inside a part: "word/document.xml, table 1, row 3, column 2"."""
    if place is None:
        return part_name(part)
    return msg("part.place", "{part}, {place}", part=part_name(part), place=place)

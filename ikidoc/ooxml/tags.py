"""A template part made ready for docxtpl: spaces kept, ``{% vmerge %}`` cells merged,
and the docxtpl tags that would break the document found before it is compiled."""
from __future__ import annotations

import copy
import re

from lxml import etree

from ikidoc.messages import Message, msg
from ikidoc.ooxml.names import XML_SPACE, w
from ikidoc.ooxml.places import describe

_VMERGE = re.compile(r"\{%-?\s*vmerge\s+(.+?)\s*-?%\}", re.S)
# w:tcPr children come in this order (ECMA-376 CT_TcPr); Word refuses other orders.
_TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd",
               "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
_TAG = re.compile(r"\{%-?\s*(tr|tc|p|r)\s|\{%-?\s*(vm|hm|vmerge)\b")


def prepare_tags(root: etree._Element) -> None:
    """Make a template part ready for docxtpl: keep spaces the data may carry, and
    turn each ``{% vmerge CONDITION %}`` cell into a vertically merged one.

    ``{% vmerge CONDITION %}`` in a table cell: when CONDITION is true the cell
    continues the merged cell above it (and prints nothing), else it starts one. This
    is how the SUMBER DATA cell of indicators with the same sources becomes one cell;
    docxtpl's own ``{% vm %}`` can only merge a whole loop.
    """
    for text in root.iter(w("t")):
        if text.text and ("{{" in text.text or "{%" in text.text):
            text.set(XML_SPACE, "preserve")
    for cell in list(root.iter(w("tc"))):
        _expand_vmerge(cell)


def _expand_vmerge(cell: etree._Element) -> None:
    texts = [t for t in cell.iter(w("t")) if _owning_cell(t) is cell]
    joined = "".join(t.text or "" for t in texts)
    match = _VMERGE.search(joined)
    if not match:
        return
    _cut(texts, match.start(), match.end())
    condition = match.group(1)
    _set_tcpr(cell, "vMerge", f"{{% if {condition} %}}continue{{% else %}}restart{{% endif %}}")
    paragraphs = cell.findall(w("p"))
    empty = etree.Element(w("p"))
    if paragraphs and paragraphs[0].find(w("pPr")) is not None:
        empty.append(copy.deepcopy(paragraphs[0].find(w("pPr"))))
    first = paragraphs[0] if paragraphs else None
    anchor = first if first is not None else cell[-1]
    for node in (tag_paragraph(f"{{%p if {condition} %}}"), empty, tag_paragraph("{%p else %}")):
        anchor.addprevious(node)
    cell.append(tag_paragraph("{%p endif %}"))


def _owning_cell(node: etree._Element) -> etree._Element | None:
    for ancestor in node.iterancestors(w("tc")):
        return ancestor
    return None


def _cut(texts: list[etree._Element], start: int, end: int) -> None:
    """Remove characters start..end of the text spread over several w:t elements."""
    offset = 0
    for node in texts:
        value = node.text or ""
        lo, hi = max(start - offset, 0), min(end - offset, len(value))
        if lo < hi:
            node.text = value[:lo] + value[hi:]
        offset += len(value)


def _set_tcpr(cell: etree._Element, name: str, value: str) -> None:
    tcpr = cell.find(w("tcPr"))
    if tcpr is None:
        tcpr = etree.Element(w("tcPr"))
        cell.insert(0, tcpr)
    for old in tcpr.findall(w(name)):
        tcpr.remove(old)
    element = etree.Element(w(name))
    element.set(w("val"), value)
    rank = _TCPR_ORDER.index(name)
    later = [c for c in tcpr if etree.QName(c).localname in _TCPR_ORDER[rank + 1:]]
    if later:
        later[0].addprevious(element)
    else:
        tcpr.append(element)


def tag_paragraph(tag: str) -> etree._Element:
    """A paragraph holding only a docxtpl ``{%p ... %}`` tag (docxtpl drops the paragraph)."""
    paragraph = etree.Element(w("p"))
    run = etree.SubElement(paragraph, w("r"))
    etree.SubElement(run, w("t")).text = tag
    return paragraph


def misplaced_tags(root: etree._Element) -> list[tuple[Message, Message]]:
    """docxtpl tags standing where they break the document, as (where, what) pairs.

    A tag not closed in its own paragraph (docxtpl would swallow the text up to the
    next closing braces), a ``{%tr %}`` or ``{%tc %}`` outside a table, a cell tag (``{% vm %}``,
    ``{% vmerge %}``) outside a cell, and text beside a ``{%p %}`` or ``{%tr %}`` tag
    (docxtpl drops the whole paragraph or row, text and all).
    """
    found = []
    for paragraph in root.iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            if text.count(opening) != text.count(closing):
                found.append((describe(paragraph), msg(
                    "tag.unclosed", "a tag opened with {opening} is not closed with {closing}",
                    opening=opening, closing=closing)))
        in_cell = next(paragraph.iterancestors(w("tc")), None) is not None
        for match in _TAG.finditer(text):
            kind = match.group(1) or match.group(2)
            tag = f"{{%{kind} %}}"
            if kind == "tr" and not in_cell:
                found.append((describe(paragraph), msg(
                    "tag.row_outside", "a {tag} tag must stand inside a table row", tag=tag)))
            elif kind in ("tc", "vm", "hm", "vmerge") and not in_cell:
                found.append((describe(paragraph), msg(
                    "tag.cell_outside", "a {tag} tag must stand inside a table cell", tag=tag)))
            elif kind == "tr" and _TAG.sub("", _strip_tags(text)).strip():
                found.append((describe(paragraph), msg(
                    "tag.text_beside_row", "text beside a {tag} tag is dropped with its row; put "
                    "the text in a paragraph of its own", tag=tag)))
            elif kind == "p" and _TAG.sub("", _strip_tags(text)).strip():
                found.append((describe(paragraph), msg(
                    "tag.text_beside_paragraph", "text beside a {tag} tag is dropped with its "
                    "paragraph; put the text in a paragraph of its own", tag=tag)))
    return found


# A Jinja statement tag as written in Word (docxtpl's {%p / {%tr / {%tc / {%r prefixes
# allowed): its first word, and the rest.
_STATEMENT = re.compile(r"\{%[-+]?\s*(?:(?:p|tr|tc|r)\s+)?(\w+)(.*?)[-+]?%\}", re.S)
_BLOCKS = frozenset({"for", "if", "macro", "call", "filter", "with", "autoescape", "block",
                     "set"})  # the tags that open a block closed by end<tag>


def unclosed_opening(root: etree._Element, block: str) -> Message | None:
    """Where the block that is never closed opens: describe() of the paragraph or table
    cell of the innermost ``{% block %}`` tag left without its ``{% endblock %}`` when
    the part's paragraphs are read in order, as Jinja reads them. Jinja itself only
    knows that the part ended, so the author is sent to the tag to close instead of to
    the part's last line. None when the innermost block left open is not ``block``."""
    opened: list[tuple[str, etree._Element]] = []
    for paragraph in root.iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        for found in _STATEMENT.finditer(text):
            word, rest = found.group(1), found.group(2)
            if word in _BLOCKS and not (word == "set" and "=" in rest):
                opened.append((word, paragraph))
            elif word.startswith("end") and opened and opened[-1][0] == word[3:]:
                opened.pop()
    if not opened or opened[-1][0] != block:
        return None
    return describe(opened[-1][1])


def _strip_tags(text: str) -> str:
    return re.sub(r"\{%.*?%\}", "", text)

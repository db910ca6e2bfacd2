"""What Word shows of a document: the text of a paragraph and the blocks, rows and
cells of a body or a table, through the wrappers that python-docx steps over.

python-docx reads a paragraph's runs only, so it drops the text of unaccepted tracked
insertions, content controls, smart tags, simple fields, symbols and equations, and it
does not see paragraphs, tables, rows or cells wrapped in a content control. An HR
officer sees all of these in Word, so an import must read them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.types import ProvidesStoryPart
from lxml import etree

_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MARKUP = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Deleted text, properties, field codes and what stands outside the line of text (text
# boxes and drawings, which Word places elsewhere on the page, and footnote marks).
_HIDDEN = {qn(tag) for tag in ("w:del", "w:moveFrom", "w:pPr", "w:rPr", "w:sdtPr",
                               "w:sdtEndPr", "w:instrText", "w:delText", "w:drawing",
                               "w:pict", "w:object", "w:footnoteReference",
                               "w:endnoteReference", "w:commentReference")}
_HIDDEN |= {f"{_MARKUP}AlternateContent", f"{_MATH}rPr", f"{_MATH}ctrlPr"}
_TEXT = {qn("w:t"), f"{_MATH}t"}
_TAB = {qn("w:tab"), qn("w:ptab")}
# Wrappers whose children stand in their place: content controls, custom XML, smart
# tags, and the contents of a content control.
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
# Word's Insert > Symbol writes the Symbol font's own codes (0xF000 + the code).
_SYMBOL_FONT = dict(zip(
    (0x22, 0x24, 0x27, 0x2D, 0xA2, 0xA3, 0xA5, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xB0,
     0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB7, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xD6, 0xD7, 0xDE,
     0xE5),
    "∀∃∋−′≤∞↔←↑→↓°±″≥×∝•÷≠≡≈…√⋅⇒∑", strict=True))
_GREEK = dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)) | dict(
    zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True))


def shown(paragraph: Paragraph) -> str:
    """The paragraph's text as Word shows it: tracked insertions in, deletions out,
    and the text of content controls, fields, smart tags, symbols and equations."""
    return "".join(_pieces(paragraph._p))


def blocks(parent: ProvidesStoryPart, element: etree._Element) -> Iterator[Paragraph | Table]:
    """The paragraphs and tables of a body or a cell, in order, including those inside
    content controls; ``parent`` is the python-docx object that holds ``element``."""
    for child in element:
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag in _WRAPPERS:
            yield from blocks(parent, child)


_RULE = re.compile(r"[_\-\u2013\u2014\u2500]{3,}\s*(.*)")


def stacked(paragraphs: list[Paragraph], texts: list[str]) -> list[str]:
    """The lines of a cell's paragraphs (``texts``, as read) with each fraction typed as
    a stack written "numerator / denominator": a paragraph over the next with a rule
    between them (the upper one's bottom border or the lower one's top border), or over
    a line of underscores or dashes over the next ("_____ x 100%" keeps its "x 100%")."""
    lines, number = [], 0
    while number < len(texts):
        text, following = texts[number], texts[number + 1:number + 3]
        if following and text.strip() and following[0].strip() and not _RULE.fullmatch(
                text.strip()) and (_bordered(paragraphs[number], "bottom")
                                   or _bordered(paragraphs[number + 1], "top")):
            lines.append(f"{text.strip()} / {following[0].strip()}")
            number += 2
            continue
        rule = _RULE.fullmatch(following[0].strip()) if len(following) == 2 else None
        if rule and text.strip() and following[1].strip():
            lines.append(" ".join(f"{text.strip()} / {following[1].strip()} {rule.group(1)}"
                                  .split()))
            number += 3
            continue
        lines.append(text)
        number += 1
    return lines


def _bordered(paragraph: Paragraph, side: str) -> bool:
    """Whether a paragraph draws a border on ``side`` (its own w:pBdr)."""
    properties = paragraph._p.pPr
    borders = properties.find(qn("w:pBdr")) if properties is not None else None
    edge = borders.find(qn(f"w:{side}")) if borders is not None else None
    return edge is not None and edge.get(qn("w:val")) not in ("nil", "none")


def boxed(paragraph: Paragraph) -> list[Paragraph]:
    """The paragraphs of the text boxes anchored in a paragraph (a signature placed at
    the right with Insert > Text Box), each box once: Word writes a copy of it for older
    readers under mc:Fallback."""
    return [Paragraph(inner, paragraph._parent)
            for box in paragraph._p.iter(qn("w:txbxContent"))
            if not any(ancestor.tag == f"{_MARKUP}Fallback" for ancestor in box.iterancestors())
            for inner in box if inner.tag == qn("w:p")]


def rows(table: Table) -> Iterator[etree._Element]:
    """The w:tr of a table, including rows wrapped in a content control."""
    return _unwrapped(table._tbl, qn("w:tr"))


def cells(row: etree._Element) -> Iterator[etree._Element]:
    """The w:tc of a row, including cells wrapped in a content control."""
    return _unwrapped(row, qn("w:tc"))


def _unwrapped(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _unwrapped(child, tag)


def _pieces(element: etree._Element) -> Iterator[str]:
    for child in element:
        tag = child.tag
        if tag in _HIDDEN or not isinstance(tag, str):
            continue
        if tag in _TEXT:
            yield child.text or ""
        elif tag in _TAB:
            yield "\t"
        elif tag == qn("w:br"):
            yield "\n" if child.get(qn("w:type"), "textWrapping") == "textWrapping" else ""
        elif tag == qn("w:cr"):
            yield "\n"
        elif tag == qn("w:noBreakHyphen"):
            yield "-"
        elif tag == qn("w:softHyphen"):
            yield "\u00ad"
        elif tag == qn("w:sym"):
            yield _symbol(child.get(qn("w:font"), ""), child.get(qn("w:char"), ""))
        elif tag == f"{_MATH}f":
            yield _fraction(child)
        elif tag == f"{_MATH}nary":
            yield _summation(child)
        else:
            yield from _pieces(child)


def _symbol(font: str, code: str) -> str:
    """The character of a w:sym: its code is the font's own, written from 0xF000 up."""
    try:
        number = int(code, 16)
    except ValueError:
        return ""
    if font.lower() != "symbol":
        return chr(number)
    own = number - 0xF000 if number >= 0xF000 else number
    return _SYMBOL_FONT.get(own) or _GREEK.get(own) or chr(own)


def _summation(nary: etree._Element) -> str:
    """An equation's sum (or other n-ary operator) as its sign and what it sums
    ("Σ laporan"); limits under and over the sign, when typed, follow in brackets."""
    sign = nary.find(f"{_MATH}naryPr/{_MATH}chr")
    char = sign.get(f"{_MATH}val") if sign is not None else "\u222b"  # Word's default: ∫
    parts = {part.tag: "".join(_pieces(part)).strip() for part in nary
             if part.tag in (f"{_MATH}sub", f"{_MATH}sup", f"{_MATH}e")}
    limits = [parts.get(f"{_MATH}{name}", "") for name in ("sub", "sup")]
    shown = f"({'..'.join(limits)})" if any(limits) else ""
    return f"{char}{shown} {parts.get(f'{_MATH}e', '')}".rstrip()


def _fraction(fraction: etree._Element) -> str:
    """An equation's fraction as "numerator / denominator"."""
    parts = ["".join(_pieces(part)) for part in fraction
             if part.tag in (f"{_MATH}num", f"{_MATH}den")]
    return " / ".join(parts)

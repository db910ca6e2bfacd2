"""What Word shows of a document: the text of a paragraph and the blocks, rows and
cells of a body or a table, through the wrappers that python-docx steps over.

python-docx reads a paragraph's runs only, so it drops the text of unaccepted tracked
insertions, content controls, smart tags, simple fields, symbols and equations, and it
does not see paragraphs, tables, rows or cells wrapped in a content control. An HR
officer sees all of these in Word, so an import must read them.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterator

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
_TIMES = re.compile(r"[x×X*]\s*100\s*%")


def stacked(paragraphs: list[Paragraph], texts: list[str], ruled: Collection[int] = (),
            underlined: bool = False) -> list[str]:
    """The lines of a cell's paragraphs (``texts``, as read) with each fraction typed as
    a stack written "numerator / denominator": a paragraph over the next with a rule
    between them (the upper one's bottom border, the lower one's top border, a border
    between the rows of a table inside the cell: the paragraphs at ``ruled``, or, when
    ``underlined``, the upper one's text underlined), or over a line of underscores or
    dashes over the next. An "x 100%" after the rule, after a tab or in the paragraph
    under the denominator ends the fraction's line."""
    lines, number = [], 0
    while number < len(texts):
        text, following = texts[number], texts[number + 1:number + 3]
        if following and text.strip() and following[0].strip() and not _RULE.fullmatch(
                text.strip()) and _ruled_under(paragraphs, number, ruled, underlined):
            times = _times_after(texts, number + 2)
            lines.append(_fraction_line(text, following[0], *texts[times:times + 1]))
            number = times + 1 if times < len(texts) else number + 2
            continue
        rule = _RULE.fullmatch(following[0].strip()) if len(following) == 2 else None
        if rule and text.strip() and following[1].strip():
            lines.append(_fraction_line(text, following[1], rule.group(1)))
            number += 3
            continue
        lines.append(text)
        number += 1
    return lines


def _times_after(texts: list[str], start: int) -> int:
    """The place of an "x 100%" paragraph at ``start``, past empty ones (the paragraph
    Word keeps after a table inside a cell); len(texts) when there is none."""
    number = start
    while number < len(texts) and not texts[number].strip():
        number += 1
    return number if number < len(texts) and _TIMES.fullmatch(texts[number].strip()) \
        else len(texts)


def _ruled_under(paragraphs: list[Paragraph], number: int, ruled: Collection[int],
                 underlined: bool) -> bool:
    """Whether a rule stands between paragraph ``number`` and the next (see stacked)."""
    upper, lower = paragraphs[number], paragraphs[number + 1]
    if number in ruled or _bordered(upper, "bottom") or _bordered(lower, "top"):
        return True
    return underlined and _numerator(upper) and not _underlined(lower)


def _fraction_line(numerator: str, denominator: str, *after: str) -> str:
    """ "numerator / denominator x 100%": an "x 100%" typed after a tab beside the
    numerator or the denominator, or ``after`` them, ends the line."""
    parts = [part.split("\t") for part in (numerator, denominator)]
    times = [piece.strip() for part in parts for piece in part[1:]
             if _TIMES.fullmatch(piece.strip())]
    kept = [" ".join(piece for piece in part if not _TIMES.fullmatch(piece.strip()))
            for part in parts]
    return " ".join(f"{kept[0]} / {kept[1]} {' '.join([*times, *after])}".split())


def _numerator(paragraph: Paragraph) -> bool:
    """Whether a paragraph reads as a numerator marked by its underline alone: all its
    text underlined, and not a label ("Cara Perhitungan :")."""
    return not shown(paragraph).strip().endswith(":") and _underlined(paragraph)


def _underlined(paragraph: Paragraph) -> bool:
    """Whether every run of the paragraph that shows text is underlined (its own w:u,
    or its paragraph style's), tabs and a trailing "x 100%" aside."""
    texts = [(run, "".join(t.text or "" for t in run.iter(qn("w:t"))).strip())
             for run in paragraph._p.iter(qn("w:r"))
             if not any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in run.iterancestors())]
    shown = [run for run, text in texts if text and not _TIMES.fullmatch(text)]
    style = paragraph.style.font.underline if paragraph.style is not None else None
    return bool(shown) and all(_run_underlined(run, bool(style)) for run in shown)


def _run_underlined(run: etree._Element, by_style: bool) -> bool:
    properties = run.find(qn("w:rPr"))
    mark = properties.find(qn("w:u")) if properties is not None else None
    if mark is None:
        return by_style
    return mark.get(qn("w:val"), "single") not in ("none", "0", "false")


def rule_between(table: Table, upper: etree._Element, lower: etree._Element) -> bool:
    """Whether a border is drawn between two rows of a table (a fraction typed in a
    table of two rows inside a cell): the upper row's cells' bottom, the lower row's
    cells' top, or the table's inside horizontal border (its own, else its style's)."""
    edges = [edge for row, side in ((upper, "bottom"), (lower, "top")) for cell in cells(row)
             for edge in cell.iterfind(f"{qn('w:tcPr')}/{qn('w:tcBorders')}/{qn(f'w:{side}')}")]
    if edges:
        return any(_drawn(edge) for edge in edges)
    for properties in (table._tbl.tblPr, _style_properties(table)):
        inside = properties.find(f"{qn('w:tblBorders')}/{qn('w:insideH')}") \
            if properties is not None else None
        if inside is not None:
            return _drawn(inside)
    return False


def _style_properties(table: Table) -> etree._Element | None:
    style = table.style
    return style.element.find(qn("w:tblPr")) if style is not None else None


def _drawn(edge: etree._Element) -> bool:
    return edge.get(qn("w:val")) not in ("nil", "none")


def _bordered(paragraph: Paragraph, side: str) -> bool:
    """Whether a paragraph draws a border on ``side`` (its own w:pBdr)."""
    properties = paragraph._p.pPr
    borders = properties.find(qn("w:pBdr")) if properties is not None else None
    edge = borders.find(qn(f"w:{side}")) if borders is not None else None
    return edge is not None and _drawn(edge)


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

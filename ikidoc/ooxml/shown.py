"""A paragraph's text as Word shows it, read from its XML.

python-docx reads a paragraph's runs only, so it drops the text of unaccepted tracked
insertions, content controls, smart tags, simple fields, symbols and equations. An HR
officer sees all of these in Word, so an import must read them.
"""
from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ikidoc.ooxml.names import MARKUP, m, w

# Deleted text, properties, field codes and what stands outside the line of text (text
# boxes and drawings, which Word places elsewhere on the page, and footnote marks).
_HIDDEN = {w(tag) for tag in ("del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr",
                              "instrText", "delText", "drawing", "pict", "object",
                              "footnoteReference", "endnoteReference", "commentReference")}
_HIDDEN |= {f"{{{MARKUP}}}AlternateContent", m("rPr"), m("ctrlPr")}
_TEXT = {w("t"), m("t")}
_TAB = {w("tab"), w("ptab")}
# Word's Insert > Symbol writes the Symbol font's own codes (0xF000 + the code).
_SYMBOL_FONT = dict(zip(
    (0x22, 0x24, 0x27, 0x2D, 0xA2, 0xA3, 0xA5, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xB0,
     0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB7, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xD6, 0xD7, 0xDE,
     0xE5),
    "∀∃∋−′≤∞↔←↑→↓°±″≥×∝•÷≠≡≈…√⋅⇒∑", strict=True))
_GREEK = dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)) | dict(
    zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True))


def shown(paragraph: etree._Element) -> str:
    """The text of a w:p as Word shows it: tracked insertions in, deletions out, and the
    text of content controls, fields, smart tags, symbols and equations."""
    return "".join(_pieces(paragraph))


def _pieces(element: etree._Element) -> Iterator[str]:
    for child in element:
        tag = child.tag
        if tag in _HIDDEN or not isinstance(tag, str):
            continue
        if tag in _TEXT:
            yield child.text or ""
        elif tag in _TAB:
            yield "\t"
        elif tag == w("br"):
            yield "\n" if child.get(w("type"), "textWrapping") == "textWrapping" else ""
        elif tag == w("cr"):
            yield "\n"
        elif tag == w("noBreakHyphen"):
            yield "-"
        elif tag == w("softHyphen"):
            yield "\u00ad"
        elif tag == w("sym"):
            yield _symbol(child.get(w("font"), ""), child.get(w("char"), ""))
        elif tag == m("f"):
            yield _fraction(child)
        elif tag == m("nary"):
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
    sign = nary.find(f"{m('naryPr')}/{m('chr')}")
    char = sign.get(m("val")) if sign is not None else "\u222b"  # Word's default: ∫
    parts = {part.tag: "".join(_pieces(part)).strip() for part in nary
             if part.tag in (m("sub"), m("sup"), m("e"))}
    limits = [parts.get(m(name), "") for name in ("sub", "sup")]
    shown = f"({'..'.join(limits)})" if any(limits) else ""
    return f"{char}{shown} {parts.get(m('e'), '')}".rstrip()


def _fraction(fraction: etree._Element) -> str:
    """An equation's fraction as "numerator / denominator"."""
    parts = ["".join(_pieces(part)) for part in fraction if part.tag in (m("num"), m("den"))]
    return " / ".join(parts)

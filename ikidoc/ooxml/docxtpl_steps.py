"""docxtpl's text steps around Jinja, as ``DocxTemplate.render_xml_part`` takes them,
cut in two so that a part is compiled once and rendered many times: before compiling
(``jinja_source``) and after rendering (``finish``).

These are docxtpl's regular expressions over the XML text; a docxtpl upgrade that
changes them breaks this module and its tests only.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator

from docxtpl import DocxTemplate
from markupsafe import escape

from ikidoc.ooxml.pictures import DRAWING_ID

# Rendered XML is cut into pieces after a paragraph's end, which the steps of finish()
# never reach across: finishing the pieces one by one is finishing the whole part.
PARAGRAPH_END = "</w:p>"
_LISTING = "\t\a\n\f"  # the only characters docxtpl's resolve_listing changes
_HIDDEN_BRACES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))
# patch_xml and resolve_listing read nothing of the template they belong to.
_DOCXTPL = DocxTemplate(io.BytesIO())


def jinja_source(xml: str) -> str:
    """A prepared part's XML as the Jinja source docxtpl renders: tags freed of the
    runs Word split them into (``{%p %}``, ``{%tr %}`` ... resolved), and each paragraph
    on a line of its own, so that an error's line names its paragraph."""
    source: str = _DOCXTPL.patch_xml(xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", source)


_TEXT_RUN = re.compile(r"(<w:t(?:\s[^>]*)?>.*?</w:t>)", re.DOTALL)
_TAG = re.compile(r"\{%(?:(?!%\}).)*%\}", re.DOTALL)
# Tags between elements (after a ">", before a "<"), never inside an attribute's value.
_BETWEEN_ELEMENTS = re.compile(r">((?:\{%(?:(?!%\}).)*%\})+)(?=\s*<|\s*$)", re.DOTALL)


def tags_on_their_lines(source: str) -> str:
    """The Jinja source with each tag that docxtpl put in place of a whole paragraph, row
    or cell (``{%p if %}``) on a line of its own too: parsed only to place a syntax
    error, whose line then names that tag's own paragraph (never rendered)."""
    pieces = _TEXT_RUN.split(source)  # text runs at odd places: their tags stay inline
    return "".join(piece if index % 2 else _BETWEEN_ELEMENTS.sub(_own_lines, piece)
                   for index, piece in enumerate(pieces))


def _own_lines(found: re.Match[str]) -> str:
    return ">" + "".join(f"\n{tag}" for tag in _TAG.findall(found.group(1)))


def finish(xml: str, drawing_ids: Iterator[int]) -> str:
    """Rendered XML (a whole part, or a piece ending after a paragraph) as docxtpl
    leaves it: the paragraphs' lines joined again, braces the data hid shown, tabs and
    line breaks in a text made Word's own; each logo printed gets the next of
    ``drawing_ids`` (Word reports a document with two equal drawing ids as damaged)."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    if DRAWING_ID in xml:
        xml = re.sub(DRAWING_ID, lambda _: str(next(drawing_ids)), xml)
    for hidden, shown in _HIDDEN_BRACES:
        xml = xml.replace(hidden, shown)
    if any(character in xml for character in _LISTING):  # else it changes nothing
        xml = _DOCXTPL.resolve_listing(xml)
    return xml


def printed(text: str) -> str:
    """A value's text as it stands in the XML: escaped, and its braces hidden from the
    post-processing of finish() ("{_{" in the data would otherwise print as "{{")."""
    return str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")


def text_of_line(line: str) -> str:
    """The text of a line of Jinja source without its markup (what Word shows of the
    paragraph the line holds), to find that paragraph in the template."""
    return re.sub(r"<[^>]+>", "", line)

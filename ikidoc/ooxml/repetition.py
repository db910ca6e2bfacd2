"""The combined document: a template's body repeated once per position, each
repetition in its own section."""
from __future__ import annotations

import copy

from lxml import etree

from ikidoc.ooxml.bookmarks import mark_start
from ikidoc.ooxml.names import DRAWING, w
from ikidoc.ooxml.tags import tag_paragraph

_DOC_PR = f"{{{DRAWING}}}docPr"
_REPETITION = "ikidoc_repetition"
IDS_PER_REPETITION = 100_000


def repeat_body(root: etree._Element, loop: str) -> None:
    """Repeat the document body once per item of ``loop`` (a Jinja for clause such as
    ``jabatan in dokumen.jabatan``), each repetition in its own section.

    A section break (not a page-break paragraph) separates positions, so each starts
    on a new page with the template's own page setup, headers and footers, and no
    empty line is pushed onto the top of the next page.
    """
    body = root.find(w("body"))
    final = body[-1] if len(body) and body[-1].tag == w("sectPr") else None
    body.insert(0, tag_paragraph(f"{{%p for {loop} %}}"))
    body.insert(1, tag_paragraph(f"{{%p set {_REPETITION} = loop.index0 %}}"))
    for drawing in body.iter(_DOC_PR):
        # A picture repeated per position needs an id of its own each time (Word
        # reports a document with two equal drawing ids as damaged).
        own = drawing.get("id", "0")
        drawing.set("id", f"{{{{ {_REPETITION} * {IDS_PER_REPETITION} + {own} }}}}")
    between = etree.Element(w("p"))
    if final is not None:
        etree.SubElement(between, w("pPr")).append(copy.deepcopy(final))
    else:
        etree.SubElement(etree.SubElement(between, w("r")), w("br")).set(w("type"), "page")
    mark_start(between, _REPETITION)
    tail = [tag_paragraph("{%p if not loop.last %}"), between,
            tag_paragraph("{%p endif %}"), tag_paragraph("{%p endfor %}")]
    for node in tail:
        if final is not None:
            final.addprevious(node)
        else:
            body.append(node)

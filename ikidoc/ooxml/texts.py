"""The texts of a document's paragraphs, as ``archive diff`` compares two revisions."""
from __future__ import annotations

from ikidoc.ooxml.names import w
from ikidoc.ooxml.parsing import parse


def paragraph_texts(document_xml: bytes) -> list[str]:
    """Every non-empty paragraph's text of word/document.xml, table cells included, in
    order."""
    root = parse(document_xml)
    texts = ("".join(node.text or "" for node in p.iter(w("t"), w("tab"))).strip()
             for p in root.iter(w("p")))
    return [text for text in texts if text]

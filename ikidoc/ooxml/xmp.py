"""The XMP metadata of a PDF (the one XML that is not a Word part ikidoc edits): the
title of each position's PDF cut out of a combined one."""
from __future__ import annotations

from lxml import etree

from ikidoc.ooxml.names import XMP
from ikidoc.ooxml.parsing import parse


def retitled(metadata: bytes, title: str) -> bytes:
    """XMP metadata with ``title`` as its dc:title (every language's)."""
    xmp = parse(metadata).getroottree()
    for element in xmp.iterfind(".//dc:title/rdf:Alt/rdf:li", XMP):
        element.text = title
    data: bytes = etree.tostring(xmp, encoding="utf-8")
    return data

"""Reading XML strictly, whole or piece by piece: a broken part is an error, never
silently repaired."""
from __future__ import annotations

from lxml import etree

from ikidoc.ooxml.names import w

# What a broken part raises (a SyntaxError): callers catch it without knowing lxml.
BrokenXml = etree.XMLSyntaxError


def parse(xml: bytes) -> etree._Element:
    """Parse a part strictly; raises BrokenXml where the XML breaks."""
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))


def check(xml: bytes) -> None:
    """Raises BrokenXml when a part is not well-formed XML."""
    parse(xml)


def serialize(root: etree._Element) -> str:
    text: str = etree.tostring(root, encoding="unicode")
    return text


def package_part(root: etree._Element) -> bytes:
    """A package part's bytes as Word writes them: declaration, UTF-8, standalone."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


class WellFormed:
    """Checks, as strictly as ``parse``, that a part is well-formed XML while it is
    written piece by piece.

    The combined document of thousands of positions is tens of megabytes of XML, and
    ten times that as a tree; only the body's last top-level element (the one being
    read) is kept, each finished one is dropped.
    """

    def __init__(self) -> None:
        self._parser = etree.XMLPullParser(events=("start",), tag=w("body"),
                                           resolve_entities=False, huge_tree=True)
        self._body: etree._Element | None = None

    def feed(self, data: bytes) -> None:
        """Read the next piece; raises BrokenXml where the XML breaks."""
        self._parser.feed(data)
        for _, body in self._parser.read_events():
            self._body = body
        if self._body is not None and len(self._body) > 1:
            del self._body[:-1]

    def close(self) -> None:
        """Raises BrokenXml when the part ends before its XML does."""
        self._parser.close()

"""The hidden bookmark in each break between positions of a combined document, so that
its PDF can be cut into the positions' PDFs (ikidoc.pdf finds each one as a named
destination). Its name starts with "_", which Word keeps hidden; its id stays clear of
the template's own bookmarks."""
from __future__ import annotations

from lxml import etree

from ikidoc.ooxml.names import w

START_MARK = "_ikidocStart"
_MARK_IDS = 900_000_000


def mark_start(paragraph: etree._Element, index: str) -> None:
    """End ``paragraph`` with the start mark of the position after the Jinja expression
    ``index`` (the 0-based index of the position before it): position 2 follows the mark
    "_ikidocStart2"."""
    mark = f"{{{{ {_MARK_IDS} + {index} }}}}"
    name = f"{START_MARK}{{{{ {index} + 1 }}}}"
    etree.SubElement(paragraph, w("bookmarkStart"), {w("id"): mark, w("name"): name})
    etree.SubElement(paragraph, w("bookmarkEnd"), {w("id"): mark})

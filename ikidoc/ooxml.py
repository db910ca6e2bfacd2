"""The one module that edits WordprocessingML: template preparation and package parts.

Everything above it speaks of positions and rows; here those become w:tc, w:vMerge
and w:sectPr elements, always through lxml, never by editing XML text.
"""
from __future__ import annotations

import copy
import datetime as dt
import re

from lxml import etree

from ikidoc.messages import Message, msg

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_VMERGE = re.compile(r"\{%-?\s*vmerge\s+(.+?)\s*-?%\}", re.S)
# w:tcPr children come in this order (ECMA-376 CT_TcPr); Word refuses other orders.
_TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd",
               "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{{{W}}}{tag}"


def parse(xml: bytes) -> etree._Element:
    """Parse a part strictly: a broken part is an error, never silently repaired."""
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))


def serialize(root: etree._Element) -> str:
    text: str = etree.tostring(root, encoding="unicode")
    return text


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
        """Read the next piece; raises etree.XMLSyntaxError where the XML breaks."""
        self._parser.feed(data)
        for _, body in self._parser.read_events():
            self._body = body
        if self._body is not None and len(self._body) > 1:
            del self._body[:-1]

    def close(self) -> None:
        """Raises etree.XMLSyntaxError when the part ends before its XML does."""
        self._parser.close()


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


_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_REPETITION = "ikidoc_repetition"
_IDS_PER_REPETITION = 100_000
# A hidden bookmark (its name starts with "_") in each break between positions of a
# combined document, so that its PDF can be cut into the positions' PDFs (ikidoc.pdf);
# its id stays clear of the template's own bookmarks.
START_MARK = "_ikidocStart"
_MARK_IDS = 900_000_000


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
        drawing.set("id", f"{{{{ {_REPETITION} * {_IDS_PER_REPETITION} + {own} }}}}")
    between = etree.Element(w("p"))
    if final is not None:
        etree.SubElement(between, w("pPr")).append(copy.deepcopy(final))
    else:
        etree.SubElement(etree.SubElement(between, w("r")), w("br")).set(w("type"), "page")
    mark = f"{{{{ {_MARK_IDS} + {_REPETITION} }}}}"
    name = f"{START_MARK}{{{{ {_REPETITION} + 1 }}}}"
    etree.SubElement(between, w("bookmarkStart"), {w("id"): mark, w("name"): name})
    etree.SubElement(between, w("bookmarkEnd"), {w("id"): mark})
    tail = [tag_paragraph("{%p if not loop.last %}"), between,
            tag_paragraph("{%p endif %}"), tag_paragraph("{%p endfor %}")]
    for node in tail:
        if final is not None:
            final.addprevious(node)
        else:
            body.append(node)


_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties \
xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>"""


def core_properties(*, title: str, subject: str, creator: str, keywords: str,
                    created: dt.date) -> bytes:
    """docProps/core.xml from the data only, never from the clock, so that the same
    data gives the same bytes."""
    root = etree.fromstring(_CORE.encode())
    ns = root.nsmap
    stamp = f"{created.isoformat()}T00:00:00Z"
    values = [("dc", "title", title), ("dc", "subject", subject), ("dc", "creator", creator),
              ("cp", "keywords", keywords), ("cp", "lastModifiedBy", "ikidoc"),
              ("cp", "revision", "1"), ("dcterms", "created", stamp),
              ("dcterms", "modified", stamp)]
    for prefix, name, value in values:
        element = etree.SubElement(root, f"{{{ns[prefix]}}}{name}")
        element.text = value
        if prefix == "dcterms":
            element.set(f"{{{ns['xsi']}}}type", "dcterms:W3CDTF")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


_TAG = re.compile(r"\{%-?\s*(tr|tc|p|r)\s|\{%-?\s*(vm|hm|vmerge)\b")


def describe(node: etree._Element) -> Message:
    """Where a paragraph stands, as a user finds it in Word: "table 1, row 3, column 2"
    or "paragraph 7" (both counted from 1), followed by its text."""
    root = node.getroottree().getroot()
    text = "".join(t.text or "" for t in node.iter(w("t"))).strip()
    cell = next(node.iterancestors(w("tc")), None)
    if cell is not None:
        row = cell.getparent()
        table = row.getparent()
        tables = list(root.iter(w("tbl")))
        place = msg("word.cell", "table {table}, row {row}, column {column}",
                    table=tables.index(table) + 1, row=table.findall(w("tr")).index(row) + 1,
                    column=row.findall(w("tc")).index(cell) + 1)
    else:
        paragraphs = [p for p in root.iter(w("p")) if next(p.iterancestors(w("tc")), None) is None]
        place = msg("word.paragraph", "paragraph {number}",
                    number=paragraphs.index(node) + 1 if node in paragraphs else 0)
    if text:
        return msg("word.with_text", "{place}: {text!r}", place=place, text=text[:60])
    return place


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


def _strip_tags(text: str) -> str:
    return re.sub(r"\{%.*?%\}", "", text)


def locate(root: etree._Element, *, within: str = "", holding: str = "") -> Message | None:
    """describe() of the paragraph a message is about: the longest whose text lies
    ``within`` a piece of compiled source, or the first whose text is ``holding`` a
    name. None when none is found."""
    best: etree._Element | None = None
    best_length = 0
    for paragraph in root.iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        if not text.strip():
            continue
        if holding and holding in text:
            return describe(paragraph)
        if within and text in within and len(text) > best_length:
            best, best_length = paragraph, len(text)
    return describe(best) if best is not None else None


def part_name(part: str) -> Message:
    """A part of the package as its user knows it: the body, a header, a footer (the
    English wording keeps the part's own name, which a template author may look for)."""
    found = re.fullmatch(r"word/(header|footer)(\d*)\.xml", part)
    if part == "word/document.xml":
        return msg("part.body", "word/document.xml")
    if found and found.group(1) == "header":
        return msg("part.header", "word/header{number}.xml", number=found.group(2))
    if found:
        return msg("part.footer", "word/footer{number}.xml", number=found.group(2))
    return msg("part.other", "{part}", part=part)


def place_in(part: str, place: Message | None) -> Message:
    """A place inside a part: "word/document.xml, table 1, row 3, column 2"."""
    if place is None:
        return part_name(part)
    return msg("part.place", "{part}, {place}", part=part_name(part), place=place)


# Custom document properties (File > Info > Properties > Advanced > Custom in Word): Word
# keeps them when the document is edited and saved, so a template downloaded from the page
# carries its manifest inside the .docx, and the edited .docx alone can be uploaded back.
CUSTOM_PART = "docProps/custom.xml"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PROPERTY_FORMAT = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # every custom property's fmtid


def custom_property(parts: dict[str, bytes], name: str) -> str | None:
    """The text of the package's custom property ``name``; None when it has none."""
    if CUSTOM_PART not in parts:
        return None
    root = parse(parts[CUSTOM_PART])
    for found in root.iter(f"{{{_CUSTOM}}}property"):
        if found.get("name") == name:
            return "".join(found.itertext())
    return None


def with_custom_property(parts: dict[str, bytes], name: str, value: str) -> dict[str, bytes]:
    """The package's parts with custom property ``name`` set to ``value`` (its other
    custom properties kept), the part declared and related as Word does."""
    changed = dict(parts)
    if CUSTOM_PART in parts:
        root = parse(parts[CUSTOM_PART])
    else:
        root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    for old in [p for p in root.iter(f"{{{_CUSTOM}}}property") if p.get("name") == name]:
        root.remove(old)
    ids = [int(p.get("pid", "1")) for p in root.iter(f"{{{_CUSTOM}}}property")]
    found = etree.SubElement(root, f"{{{_CUSTOM}}}property", fmtid=_PROPERTY_FORMAT,
                             pid=str(max(ids, default=1) + 1), name=name)
    etree.SubElement(found, f"{{{_VT}}}lpwstr").text = value
    changed[CUSTOM_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
    types = parse(parts["[Content_Types].xml"])
    if not any(o.get("PartName") == f"/{CUSTOM_PART}" for o in types):
        etree.SubElement(types, f"{{{_CONTENT_TYPES}}}Override", PartName=f"/{CUSTOM_PART}",
                         ContentType=_CUSTOM_TYPE)
        changed["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True,
                                                        encoding="UTF-8", standalone=True)
    relations = parse(parts["_rels/.rels"])
    if not any(r.get("Type") == _CUSTOM_REL for r in relations):
        taken = {r.get("Id") for r in relations}
        number = next(n for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        etree.SubElement(relations, f"{{{_RELS}}}Relationship", Id=f"rId{number}",
                         Type=_CUSTOM_REL, Target=CUSTOM_PART)
        changed["_rels/.rels"] = etree.tostring(relations, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    return changed

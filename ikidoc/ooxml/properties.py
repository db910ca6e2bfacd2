"""A package's document properties: the core ones (title, subject ...), written from the
data alone, and the custom ones Word keeps when a document is edited and saved."""
from __future__ import annotations

import datetime as dt

from lxml import etree

from ikidoc.ooxml.names import CONTENT_TYPES, CUSTOM, RELATIONSHIPS, VTYPES, XMP
from ikidoc.ooxml.parsing import package_part, parse

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
    return package_part(root)


def title(core: bytes) -> str:
    """The title in docProps/core.xml ("" when it has none); raises BrokenXml."""
    return parse(core).findtext("dc:title", namespaces=XMP) or ""


# Custom document properties (File > Info > Properties > Advanced > Custom in Word): Word
# keeps them when the document is edited and saved, so a template downloaded from the page
# carries its manifest inside the .docx, and the edited .docx alone can be uploaded back.
CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_PROPERTY_FORMAT = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # every custom property's fmtid


def custom_property(parts: dict[str, bytes], name: str) -> str | None:
    """The text of the package's custom property ``name``; None when it has none."""
    if CUSTOM_PART not in parts:
        return None
    root = parse(parts[CUSTOM_PART])
    for found in root.iter(f"{{{CUSTOM}}}property"):
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
        root = etree.Element(f"{{{CUSTOM}}}Properties", nsmap={None: CUSTOM, "vt": VTYPES})
    for old in [p for p in root.iter(f"{{{CUSTOM}}}property") if p.get("name") == name]:
        root.remove(old)
    ids = [int(p.get("pid", "1")) for p in root.iter(f"{{{CUSTOM}}}property")]
    found = etree.SubElement(root, f"{{{CUSTOM}}}property", fmtid=_PROPERTY_FORMAT,
                             pid=str(max(ids, default=1) + 1), name=name)
    etree.SubElement(found, f"{{{VTYPES}}}lpwstr").text = value
    changed[CUSTOM_PART] = package_part(root)
    types = parse(parts["[Content_Types].xml"])
    if not any(o.get("PartName") == f"/{CUSTOM_PART}" for o in types):
        etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{CUSTOM_PART}",
                         ContentType=_CUSTOM_TYPE)
        changed["[Content_Types].xml"] = package_part(types)
    relations = parse(parts["_rels/.rels"])
    if not any(r.get("Type") == _CUSTOM_REL for r in relations):
        taken = {r.get("Id") for r in relations}
        number = next(n for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        etree.SubElement(relations, f"{{{RELATIONSHIPS}}}Relationship", Id=f"rId{number}",
                         Type=_CUSTOM_REL, Target=CUSTOM_PART)
        changed["_rels/.rels"] = package_part(relations)
    return changed

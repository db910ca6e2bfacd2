"""The letterhead's logo in a document: the picture's WordprocessingML, printed where a
run's text stands, and the package parts that change when a document holds it."""
from __future__ import annotations

from lxml import etree

from ikidoc.ooxml.parsing import package_part, parse

RELATIONSHIP_ID = "rIdIkidocLogo"
_IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
# The picture's drawing id, counted from here in each part: far above the ids Word
# gives, and above those ``repetition.repeat_body`` gives a template's own pictures.
FIRST_DRAWING_ID = 4_000_000_000
DRAWING_ID = "IKIDOC-LOGO-ID"  # stands for the next drawing id until a part is finished


def inline_drawing(width: int, height: int) -> str:
    """The picture (``width`` by ``height`` EMU) as WordprocessingML, to stand where a
    run's text stands (the way docxtpl's InlineImage prints): it closes the run, adds
    one holding the picture and opens a run again."""
    return (
        '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<wp:extent cx="{width}" cy="{height}"/>'
        f'<wp:docPr id="{DRAWING_ID}" name="Logo"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/></wp:cNvGraphicFramePr>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="0" name="logo"/><pic:cNvPicPr/></pic:nvPicPr>'
        '<pic:blipFill><a:blip r:embed="' + RELATIONSHIP_ID + '" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"/><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{width}" cy="{height}"/></a:xfrm><a:prstGeom prst="rect">'
        '<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )


def with_picture(relationships: bytes, content_types: bytes, part_name: str,
                 content_type: str, extension: str) -> dict[str, bytes]:
    """The package parts that change when a document holds the picture ``part_name``:
    the body's relationships gain the picture's, the content types its kind (declared
    for ``extension`` unless it already is)."""
    rels = parse(relationships)
    link = etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship")
    link.set("Id", RELATIONSHIP_ID)
    link.set("Type", _IMAGE_RELATIONSHIP)
    link.set("Target", part_name.removeprefix("word/"))
    types = parse(content_types)
    namespace = types.nsmap[None]
    if not any(d.get("Extension", "").lower() == extension for d in types):
        default = etree.Element(f"{{{namespace}}}Default", Extension=extension,
                                ContentType=content_type)
        types.insert(0, default)
    return {"word/_rels/document.xml.rels": package_part(rels),
            "[Content_Types].xml": package_part(types)}

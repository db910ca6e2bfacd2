"""The letterhead's logo: read beside the data file, checked, and placed in a document.

The data names the logo by file name (``kop.logo``); this module reads that file, refuses
what a Word document should not carry (a missing file, an image that is no PNG or JPEG,
a file over 2 MB), and turns it into the picture a template prints with
``{{ dokumen.kop.logo }}`` and the package parts that picture needs.
"""
from __future__ import annotations

import hashlib
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from lxml import etree

from ikidoc.errors import DataError, Problem, system_reason
from ikidoc.load import Source
from ikidoc.messages import Message, msg

MAX_LOGO_BYTES = 2 * 1024 * 1024
RELATIONSHIP_ID = "rIdIkidocLogo"
_TYPES = {"image/png": "png", "image/jpeg": "jpeg"}
_IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_EMU_PER_CM = 360_000
# The logo fits a box this size (cm) keeping its proportions: the usual regency crest
# beside three or four lines of a letterhead.
_BOX_WIDTH_CM, _BOX_HEIGHT_CM = 2.3, 2.6
# The picture's drawing id, counted from here in each part: far above the ids Word
# gives, and above those ``ooxml.repeat_body`` gives a template's own pictures.
FIRST_DRAWING_ID = 4_000_000_000
DRAWING_ID = "IKIDOC-LOGO-ID"  # stands for the next drawing id until a part is finished


@dataclass(frozen=True)
class Logo:
    """A checked logo: its bytes, what they are, and its printed size in EMU."""

    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def part_name(self) -> str:
        return f"word/media/ikidoc-logo.{_TYPES[self.content_type]}"

    def drawing(self) -> str:
        """The picture as WordprocessingML, to stand where a run's text stands (the way
        docxtpl's InlineImage prints): it closes the run, adds one holding the picture
        and opens a run again."""
        return (
            '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            f'<wp:extent cx="{self.width}" cy="{self.height}"/>'
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
            f'<a:ext cx="{self.width}" cy="{self.height}"/></a:xfrm><a:prstGeom prst="rect">'
            '<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            '</wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
        )

    def parts(self, relationships: bytes, content_types: bytes) -> dict[str, bytes]:
        """The package parts that change when a document holds the logo: the body's
        relationships gain the picture's, the content types its kind."""
        rels = etree.fromstring(relationships)
        link = etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship")
        link.set("Id", RELATIONSHIP_ID)
        link.set("Type", _IMAGE_RELATIONSHIP)
        link.set("Target", self.part_name.removeprefix("word/"))
        types = etree.fromstring(content_types)
        extension = _TYPES[self.content_type]
        namespace = types.nsmap[None]
        if not any(d.get("Extension", "").lower() == extension for d in types):
            default = etree.Element(f"{{{namespace}}}Default", Extension=extension,
                                    ContentType=self.content_type)
            types.insert(0, default)
        return {"word/_rels/document.xml.rels": _xml(rels), "[Content_Types].xml": _xml(types)}


def _xml(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def picture_in(document: Path, sha256: str) -> bytes | None:
    """The logo a generated document holds, when its bytes hash to ``sha256`` (what a
    revision's manifest records); None for any other file, a document without one, or
    one that cannot be read. ``archive verify --rebuild`` rebuilds a unit from it."""
    if document.suffix != ".docx":
        return None
    try:
        with zipfile.ZipFile(document) as package:
            for extension in _TYPES.values():
                name = f"word/media/ikidoc-logo.{extension}"
                if name in package.namelist() and package.getinfo(name).file_size <= MAX_LOGO_BYTES:
                    data = package.read(name)
                    if hashlib.sha256(data).hexdigest() == sha256:
                        return data
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    return None


def read_logo(source: Source) -> Logo | None:
    """The logo a unit's ``kop.logo`` names, read relative to its data file; None when
    it names none. Raises DataError naming the field."""
    kop = source.unit.kop
    if kop is None or kop.logo is None:
        return None
    path = source.path.parent / kop.logo
    data, problem = _read(path)
    if problem:
        raise DataError([source.problem(("kop", "logo"), problem[0], hint=problem[1])])
    image = Image.from_blob(data)
    return Logo(data, image.content_type, *_fitted(image.px_width, image.px_height))


def _read(path: Path) -> tuple[bytes, tuple[Message, Message | None] | None]:
    """The logo file's bytes, or (message, hint) saying why it cannot be used."""
    try:
        if not path.is_file():
            raise FileNotFoundError
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            return b"", (msg("logo.too_large", "{path} is {size:,} bytes; a logo over {bound} MB "
                             "is refused", path=str(path), size=size,
                             bound=MAX_LOGO_BYTES // 2**20),
                         msg("logo.too_large_hint", "save it smaller, e.g. 600 pixels high"))
        data = path.read_bytes()
    except FileNotFoundError:
        return b"", (msg("logo.missing", "{path} does not exist", path=str(path)),
                     msg("logo.missing_hint", "the logo is read from the data file's folder; "
                         "check the name"))
    except OSError as error:
        return b"", (msg("logo.unreadable", "{path} cannot be read: {reason}", path=str(path),
                         reason=system_reason(error)), None)
    try:
        kind = Image.from_blob(data).content_type if data else None
    except (UnrecognizedImageError, struct.error, ValueError, IndexError, KeyError,
            EOFError):
        kind = None
    if kind not in _TYPES:
        return b"", (msg("logo.not_image", "{path} is not a PNG or JPEG image", path=str(path)),
                     msg("logo.not_image_hint", "save the logo as .png or .jpg"))
    return data, None


def _fitted(px_width: int, px_height: int) -> tuple[int, int]:
    """Width and height in EMU of a picture of these proportions in the logo's box."""
    box_width, box_height = _BOX_WIDTH_CM * _EMU_PER_CM, _BOX_HEIGHT_CM * _EMU_PER_CM
    scale = min(box_width / max(px_width, 1), box_height / max(px_height, 1))
    return max(1, round(px_width * scale)), max(1, round(px_height * scale))


def read_logos(sources: list[Source]) -> tuple[dict[Path, Logo], list[Problem]]:
    """Every source's logo by data file, and a Problem for each that cannot be used."""
    logos: dict[Path, Logo] = {}
    found: list[Problem] = []
    for source in sources:
        try:
            logo = read_logo(source)
        except DataError as error:
            found += error.problems
            continue
        if logo is not None:
            logos[source.path] = logo
    return logos, found

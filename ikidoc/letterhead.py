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

from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.image.image import Image

from ikidoc.errors import DataError, Problem, system_reason
from ikidoc.load import Source
from ikidoc.messages import Message, msg
from ikidoc.ooxml import pictures

MAX_LOGO_BYTES = 2 * 1024 * 1024
_TYPES = {"image/png": "png", "image/jpeg": "jpeg"}
_EMU_PER_CM = 360_000
# The logo fits a box this size (cm) keeping its proportions: the usual regency crest
# beside three or four lines of a letterhead.
_BOX_WIDTH_CM, _BOX_HEIGHT_CM = 2.3, 2.6


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
        """The picture as WordprocessingML, to stand where a run's text stands."""
        return pictures.inline_drawing(self.width, self.height)

    def parts(self, relationships: bytes, content_types: bytes) -> dict[str, bytes]:
        """The package parts that change when a document holds the logo: the body's
        relationships gain the picture's, the content types its kind."""
        return pictures.with_picture(relationships, content_types, self.part_name,
                                     self.content_type, _TYPES[self.content_type])


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
    found = read_beside(source.path.parent, kop.logo)
    if not isinstance(found[1], Image):
        raise DataError([source.problem(("kop", "logo"), found[0], hint=found[1])])
    data, image = found
    return Logo(data, image.content_type, *_fitted(image.px_width, image.px_height))


_Said = tuple[Message, Message | None]
_NOT_IMAGE_HINT = msg("logo.not_image_hint", "save the logo as .png or .jpg")


def read_beside(folder: Path, name: str) -> tuple[bytes, Image] | _Said:
    """The logo file ``name`` of a data file in ``folder``: in that folder or below it,
    never by an absolute name, ``..`` or a link leading elsewhere. A data file uploaded
    to the page must not make it print, or hand back, a picture from anywhere on the
    disk (another unit's logo included)."""
    path = folder / name
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        inside = False
    if Path(name).is_absolute() or ".." in Path(name).parts or not inside:
        return (msg("logo.outside", "{name} is not in the data file's folder; a logo is read "
                    "from that folder only", name=name),
                msg("logo.outside_hint", "copy the logo beside the data file and write its "
                    "file name only"))
    return _read(path)


def _read(path: Path) -> tuple[bytes, Image] | _Said:
    """The logo file's bytes and picture, or (message, hint) saying why it cannot be used."""
    try:
        if path.exists() and not path.is_file():
            return (msg("logo.not_file", "{path} is not a file (a folder, a device or a pipe)",
                        path=str(path)), _NOT_IMAGE_HINT)
        if not path.is_file():
            raise FileNotFoundError
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            return (msg("logo.too_large", "{path} is {size:,} bytes; a logo over {bound} MB "
                        "is refused", path=str(path), size=size, bound=MAX_LOGO_BYTES // 2**20),
                    msg("logo.too_large_hint", "save it smaller, e.g. 600 pixels high"))
        data = path.read_bytes()
    except FileNotFoundError:
        return (msg("logo.missing", "{path} does not exist", path=str(path)),
                msg("logo.missing_hint", "the logo is read from the data file's folder; "
                    "check the name"))
    except OSError as error:
        return (msg("logo.unreadable", "{path} cannot be read: {reason}", path=str(path),
                    reason=system_reason(error)), None)
    image = _image(data)
    if image is None:
        return (msg("logo.not_image", "{path} is not a PNG or JPEG image", path=str(path)),
                _NOT_IMAGE_HINT)
    return data, image


def _image(data: bytes) -> Image | None:
    """The PNG or JPEG picture ``data`` holds; None for any other bytes. A picture's
    header is read whole here (its kind and its size in pixels): a file that only begins
    like a PNG or a JPEG is refused like any other non-picture."""
    try:
        image = Image.from_blob(data) if data else None
    except (UnrecognizedImageError, InvalidImageStreamError, UnexpectedEndOfFileError,
            struct.error, ValueError, IndexError, KeyError, EOFError):
        return None
    return image if image is not None and image.content_type in _TYPES else None


def image_kind(data: bytes) -> str | None:
    """The file extension ("png", "jpeg") of a logo's bytes; None for anything a logo may
    not be (another kind of picture, no picture at all): what ``ikidoc import`` checks of
    a letterhead's picture before it writes it beside the data file."""
    image = _image(data)
    return _TYPES[image.content_type] if image is not None else None


def logo_bytes(folder: Path, name: str) -> bytes | tuple[Message, Message | None]:
    """The bytes of the logo file ``name`` beside a workbook in ``folder``, checked as
    generate checks a ``kop.logo`` (read_beside), or (message, hint) saying why it cannot
    be used: a workbook's logo, which ``ikidoc import`` copies beside the data file."""
    found = read_beside(folder, name)
    return found[0] if isinstance(found[1], Image) else found


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

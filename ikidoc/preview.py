"""Pictures of the pages a unit's documents will have, before anything is generated.

The documents are rendered exactly as ``generate`` renders them (CompiledTemplate), turned
into PDF by LibreOffice (ikidoc.pdf) and drawn page by page by pypdfium2: PDFium is the
PDF engine of Chromium, installs from PyPI as a wheel on Linux, Windows and macOS with no
system library, and draws in memory, so a page never passes through a temporary PNG file.
Nothing here writes to the archive.
"""
from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
from PIL import Image

from ikidoc import archive, context
from ikidoc.errors import PdfError, PreviewError, system_reason
from ikidoc.generate import checked, position_file
from ikidoc.messages import msg
from ikidoc.pdf import convert
from ikidoc.render import CompiledTemplate

DPI = 96  # an F4 page is 813 x 1247 pixels: readable on a screen, about 100 KB as PNG
_POINTS_PER_INCH = 72
_PAGE_FILE = re.compile(r"page-[0-9]+\.png")


@dataclass(frozen=True)
class PositionPages:
    """The pages of one document: its archive file name, whom it is for (None for a
    template of scope ``dokumen``) and each page as a picture."""

    file: str
    jabatan: str | None
    pages: list[Image.Image]

    @property
    def folder(self) -> str:
        """The folder its pictures go into, named like the archive's file without .docx."""
        return Path(self.file).stem


def unit_documents(paths: list[Path], template: str | None = None,
                   jabatan: int | None = None, settings: dict[str, bool] | None = None,
                   ) -> list[tuple[str, str | None, bytes]]:
    """(file name, jabatan, .docx bytes) of every position of the one unit in ``paths``,
    or of position ``jabatan`` only (counted from 1): the very bytes ``generate`` writes
    with the same template switches ``settings`` (``--set``) and the same logo.

    Raises DataError or TemplateError as ``validate`` does, and PreviewError when the
    data holds more than one unit or has no such position.
    """
    sources, chosen, logos = checked(paths, template, settings, 1)
    if len(sources) != 1:
        raise PreviewError(detail=msg("preview.units", "the data holds {count} units; preview "
                                      "one at a time", count=len(sources)),
                           hint=msg("preview.units_hint", "give one data file"))
    unit = sources[0].unit
    compiled = CompiledTemplate(chosen, settings=settings)
    dokumen = context.for_unit(unit, logos.get(sources[0].path))
    if compiled.scope != "jabatan":
        name = f"{archive.unit_folder_name(unit.unit_kerja, unit.tahun)}.docx"
        return [(name, None, compiled.combined(unit, dokumen))]
    count = len(unit.jabatan)
    if jabatan is not None and not 1 <= jabatan <= count:
        raise PreviewError(detail=msg("preview.no_position", "there is no position {number}: "
                                      "{path} has {count} (1 to {count})", number=jabatan,
                                      path=str(sources[0].path), count=count),
                           hint=msg("preview.no_position_hint", "give --jabatan 1 to {count}",
                                    count=count))
    chosen_ones = range(count) if jabatan is None else [jabatan - 1]
    return [(position_file(unit, index), unit.jabatan[index].nama,
             compiled.position(unit, dokumen, index)) for index in chosen_ones]


Converter = Callable[[list[Path]], list[bytes]]


def draw(documents: Sequence[tuple[str, str | None, bytes]], dpi: int = DPI,
         converter: Converter = convert) -> list[PositionPages]:
    """Every page of each document as a picture. By default LibreOffice converts them all
    in one start, which is what a run of ``ikidoc preview`` needs: a LibreOffice kept
    running (ikidoc.office, for the page) would cost that start all the same. Raises
    PreviewError when LibreOffice is missing or fails."""
    with tempfile.TemporaryDirectory(prefix="ikidoc-preview-") as work:
        files = []
        for number, (name, _, data) in enumerate(documents):
            # LibreOffice names each PDF after its document: two documents of the same
            # name (a position in two revisions) get a number each
            path = Path(work) / f"{number}-{name}"
            path.write_bytes(data)
            files.append(path)
        try:
            pdfs = converter(files)
        except PdfError as error:
            raise PreviewError(detail=error.detail, hint=error.hint) from None
    return [PositionPages(name, jabatan, pages(pdf, dpi))
            for (name, jabatan, _), pdf in zip(documents, pdfs, strict=True)]


def pages(pdf: bytes, dpi: int = DPI) -> list[Image.Image]:
    """Each page of a PDF drawn at ``dpi``, white where nothing is printed."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / _POINTS_PER_INCH).to_pil().convert("RGB")
                for page in document]
    finally:
        document.close()


def png(picture: Image.Image) -> bytes:
    """A picture as PNG bytes, for a file or an HTTP answer."""
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def write(drawn: list[PositionPages], output: Path) -> list[Path]:
    """Write each document's pages as ``output/<NN-jabatan>/page-<n>.png`` and return the
    files written. Pictures left from an earlier preview of the same position are
    removed (remove_pictures), so the folder holds exactly the pages the document has now."""
    written = []
    for position in drawn:
        folder = output / position.folder
        remove_pictures(folder)
        for number, picture in enumerate(position.pages, start=1):
            path = folder / f"page-{number}.png"
            write_picture(path, picture)
            written.append(path)
    return written


def write_picture(path: Path, picture: Image.Image) -> None:
    """Write ``picture`` as the PNG file ``path``, its folder made when missing. Raises
    PreviewError naming the file when it cannot be written (a file where its folder
    should be, no permission, a full disk)."""
    with _told_as_preview_error():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png(picture))


@contextmanager
def _told_as_preview_error() -> Iterator[None]:
    """A failure to write or remove a picture as the PreviewError that says which."""
    try:
        yield
    except OSError as error:
        raise PreviewError(detail=msg(
            "preview.unwritable", "{path} cannot be written or removed ({reason})",
            path=str(error.filename), reason=system_reason(error))) from None


def remove_pictures(folder: Path) -> None:
    """Remove the page pictures (``page-<n>.png``) that an earlier run of ``preview`` or
    ``archive diff`` wrote into ``folder``, and the folder when that leaves it empty.
    Only what these commands write goes: any other file stays, and so does a picture or
    a folder that is a link (they write none)."""
    if folder.is_symlink() or not folder.is_dir():
        return
    with _told_as_preview_error():
        found = [path for path in folder.iterdir() if _PAGE_FILE.fullmatch(path.name)
                 and path.is_file() and not path.is_symlink()]
        for path in found:
            path.unlink()
        if found and not any(folder.iterdir()):
            folder.rmdir()


def remove_earlier(output: Path) -> None:
    """Remove the page pictures an earlier run left in every folder of ``output``
    (remove_pictures), so that ``output`` ends up holding only the next run's."""
    if output.is_dir():
        for folder in sorted(output.iterdir()):
            remove_pictures(folder)


def preview(paths: list[Path], output: Path, template: str | None = None,
            jabatan: int | None = None, dpi: int = DPI,
            settings: dict[str, bool] | None = None) -> list[PositionPages]:
    """``ikidoc preview``: draw the unit's documents (or position ``jabatan``), with the
    template's switches ``settings``, into ``output``, one folder per position; see
    unit_documents and draw for the errors."""
    drawn = draw(unit_documents(paths, template, jabatan, settings), dpi)
    write(drawn, output)
    return drawn

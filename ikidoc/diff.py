"""``archive diff``: what changed on the pages between two revisions of a unit.

Positions are paired by name, as ``archive show`` pairs them. A position whose document
has the same sha256 in both revisions is the same and is not drawn; the others are drawn
(one LibreOffice start for all), old page beside new page with every changed region
framed, and their paragraphs' texts compared line by line. With template switches
(``--set``), the new revision is made again with them from the data it keeps, so that
what a switch would change shows before any revision is made with it.
"""
from __future__ import annotations

import difflib
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from ikidoc import audit, preview, templates, verification, zipbounds
from ikidoc.archive import RevisionManifest, load_manifest
from ikidoc.errors import ArchiveError, system_reason
from ikidoc.manifest import MANIFEST
from ikidoc.messages import Message, msg
from ikidoc.ooxml.texts import paragraph_texts

_THRESHOLD = 64  # a pixel whose grey level moved less is anti-aliasing noise, not a change
_JOIN_ROWS = 12  # changed rows this close together are one region (a line of text and its next)
_MARGIN = 4  # pixels of space between a change and its frame
_GUTTER = 24  # pixels between the old page and the new one
_FRAME = (220, 0, 0)


@dataclass(frozen=True)
class Region:
    """A changed rectangle of a page, in pixels: left, top, right, bottom."""

    box: tuple[int, int, int, int]


@dataclass
class PositionDiff:
    """One position of both revisions: its name (None for the unit's one document, of a
    template that makes no document per position), files, and what differs."""

    name: str | None
    old_file: str
    new_file: str
    same: bool
    regions: dict[int, list[Region]] = field(default_factory=dict)  # page number -> regions
    texts: list[tuple[str, str]] = field(default_factory=list)  # (old, new); "" = none
    pictures: list[Path] = field(default_factory=list)


@dataclass
class RevisionDiff:
    """The report of ``archive diff``: every position of both revisions (worded by
    ikidoc.audit_text.revision_diff)."""

    old: Path
    new: Path
    positions: list[PositionDiff] = field(default_factory=list)
    added: list[str | None] = field(default_factory=list)
    removed: list[str | None] = field(default_factory=list)
    settings: dict[str, bool] = field(default_factory=dict)  # --set: ``new`` remade with them


def compare(old: Path, new: Path, output: Path, dpi: int = preview.DPI,
            settings: dict[str, bool] | None = None) -> RevisionDiff:
    """Compare revision folders ``old`` and ``new``; write the side-by-side pictures of
    each changed position to ``output/<NN-jabatan>/page-<n>.png``, once the pictures an
    earlier run left in ``output`` are removed (preview.remove_earlier). With
    ``settings`` (``--set``), ``new`` is made again (remade) with these switches over the
    ones it was made with, and that is what ``old`` is compared with.

    Raises ArchiveError when a folder is not a readable revision (or cannot be made
    again), TemplateError for a switch its template lacks, PreviewError when LibreOffice
    fails (``output`` then left as it was).
    """
    result, sides = _report(old, new, settings)
    documents = [(file, position.name, data)
                 for position, pair in zip(_changed(result), sides, strict=True)
                 for file, data in pair]
    drawn = preview.draw(documents, dpi) if documents else []
    preview.remove_earlier(output)
    for number, position in enumerate(_changed(result)):
        _draw(position, drawn[2 * number].pages, drawn[2 * number + 1].pages,
              output / Path(position.new_file).stem)
    return result


def report(old: Path, new: Path) -> RevisionDiff:
    """What compare says of two archived revisions, without pictures: which positions
    changed and the lines of text that differ, read from the documents with no
    LibreOffice (the page shows it at once, and draws a position's pages when asked).
    Raises ArchiveError as compare does."""
    return _report(old, new, None)[0]


_Side = tuple[str, bytes]  # a changed position's document: its file name and its bytes


def _report(old: Path, new: Path, settings: dict[str, bool] | None,
            ) -> tuple[RevisionDiff, list[tuple[_Side, _Side]]]:
    """The report without pictures, and the two documents of each changed position as
    they were read for it (compare draws those very bytes, not a second reading)."""
    before = _archived(old)
    after = _remade(new, settings) if settings else _archived(new)
    found = RevisionDiff(old, new, added=[n for n in after if n not in before],
                         removed=[n for n in before if n not in after],
                         settings=dict(settings or {}))
    sides = []
    for name, now in after.items():
        if name not in before:
            continue
        was = before[name]
        position = PositionDiff(name, was.file, now.file, same=was.sha256 == now.sha256)
        if not position.same:
            was_data, now_data = was.data(), now.data()
            position.texts = text_changes(paragraphs(was_data), paragraphs(now_data))
            sides.append(((was.file, was_data), (now.file, now_data)))
        found.positions.append(position)
    return found, sides


def _changed(found: RevisionDiff) -> list[PositionDiff]:
    return [position for position in found.positions if not position.same]


@dataclass(frozen=True)
class _Document:
    """One document of a side: its file name, whom it is for, its sha256, and where its
    bytes are (the revision folder it is kept in, or the bytes made for the comparison)."""

    file: str
    jabatan: str | None
    sha256: str
    folder: Path | None = None
    made: bytes = b""

    def data(self) -> bytes:
        return self.made if self.folder is None else read_document(self.folder / self.file)


def _archived(folder: Path) -> dict[str | None, _Document]:
    """The revision's documents by position name."""
    manifest = _manifest(folder)
    return _by_position([_Document(r.path, r.jabatan, r.sha256, folder)
                         for r in manifest.files if r.path.endswith(".docx")])


def _remade(folder: Path, settings: dict[str, bool]) -> dict[str | None, _Document]:
    """The documents of revision ``folder`` made again, by position name, from the data
    its manifest keeps and the very template it was made with, its switches being those
    of its run with ``settings`` over them; nothing is written. Raises ArchiveError when
    it keeps no copy of its data or its template is not found as it was, and what
    preview.unit_documents raises."""
    manifest = _manifest(folder)
    inputs = manifest.inputs
    if manifest.data_text is None:
        raise ArchiveError(path=folder / MANIFEST, detail=msg(
            "diff.no_data_copy", "keeps no copy of the data, so the revision cannot be made "
            "again with --set"))
    chosen = templates.resolve(inputs.template, templates.local_roots())
    if chosen.sha256() != inputs.template_sha256:
        raise ArchiveError(path=folder, detail=msg(
            "diff.other_template", "was made with template {template} {version}; the "
            "template of that name here ({found}) has other files, so it cannot be made "
            "again with --set as it was", template=inputs.template,
            version=inputs.template_version, found=str(chosen.folder)))
    switches = {**verification.recorded_settings(manifest), **settings}
    with verification.kept_data(folder, manifest, manifest.data_text) as data:
        made = preview.unit_documents([data], str(chosen.folder), None, switches)
    return _by_position([_Document(file, jabatan, hashlib.sha256(docx).hexdigest(), made=docx)
                         for file, jabatan, docx in made])


def _manifest(folder: Path) -> RevisionManifest:
    if not folder.is_dir():
        raise ArchiveError(path=folder, detail=msg("diff.no_revision", "no such revision folder; "
                                                   "see ikidoc archive list"))
    return load_manifest(folder)


def _by_position(documents: list[_Document]) -> dict[str | None, _Document]:
    """Documents by position name, as ``archive show`` pairs them (its one document,
    named None, when the template makes one document for the unit)."""
    positions = [d for d in documents if d.jabatan]
    if not positions:
        return {None: documents[0]} if documents else {}
    names = audit.distinct_names([d.jabatan for d in positions if d.jabatan])
    return dict(zip(names, positions, strict=True))


def read_document(path: Path) -> bytes:
    """A revision's document's bytes, once they are known to be a Word package of sane
    size: a file edited by hand since it was made is named (ArchiveError), not drawn or
    unpacked."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArchiveError(path=path, detail=msg(
            "diff.unreadable", "cannot be read ({reason})",
            reason=system_reason(error))) from None
    refused = zipbounds.refusal(path) or _not_a_document(data)
    if refused is not None:
        raise ArchiveError(path=path, detail=refused)
    return data


def _not_a_document(data: bytes) -> Message | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "word/document.xml" in package.NameToInfo:
                return None
    except zipfile.BadZipFile:
        pass
    return msg("diff.not_a_document", "is not a Word document any more (see ikidoc archive "
               "verify)")


def paragraphs(docx: bytes) -> list[str]:
    """Every non-empty paragraph's text of a .docx, table cells included, in order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return paragraph_texts(package.read("word/document.xml"))


def text_changes(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """The lines that differ as (old, new) pairs; "" stands for a line added or removed."""
    changes: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        was, now = old[a1:a2], new[b1:b2]
        width = max(len(was), len(now))
        changes += [(was[i] if i < len(was) else "", now[i] if i < len(now) else "")
                    for i in range(width)]
    return changes


def regions(old: Image.Image, new: Image.Image) -> list[Region]:
    """The rectangles where two pages differ: rows of changed pixels close together make
    one region, spanning the columns changed in them."""
    width, height = max(old.width, new.width), max(old.height, new.height)
    changed = ImageChops.difference(_canvas(old, width, height), _canvas(new, width, height))
    mask = changed.convert("L").point(lambda level: 255 if level >= _THRESHOLD else 0)
    found: list[Region] = []
    top = last = -1
    for row in range(height + 1):
        hit = row < height and mask.crop((0, row, width, row + 1)).getbbox() is not None
        if hit and top < 0:
            top = row
        if hit:
            last = row
        elif top >= 0 and (row - last > _JOIN_ROWS or row == height):
            box = mask.crop((0, top, width, last + 1)).getbbox()
            if box:
                found.append(Region((box[0], top, box[2], last + 1)))
            top = -1
    return found


def _canvas(page: Image.Image, width: int, height: int) -> Image.Image:
    """The page on a white sheet of the given size (pages of two sizes compare)."""
    sheet = Image.new("RGB", (width, height), "white")
    sheet.paste(page, (0, 0))
    return sheet


def page_pairs(old: list[Image.Image], new: list[Image.Image],
               ) -> list[tuple[Image.Image, list[Region]]]:
    """Each page pair side by side, changed regions framed on both, with those regions;
    a page only one side has stands beside a blank one."""
    blank = Image.new("RGB", (old or new)[0].size, "white")
    pairs = []
    for number in range(1, max(len(old), len(new)) + 1):
        was = old[number - 1] if number <= len(old) else blank
        now = new[number - 1] if number <= len(new) else blank
        found = regions(was, now)
        sheet = Image.new("RGB", (was.width + _GUTTER + now.width, max(was.height, now.height)),
                          (200, 200, 200))
        sheet.paste(was, (0, 0))
        sheet.paste(now, (was.width + _GUTTER, 0))
        pen = ImageDraw.Draw(sheet)
        for region in found:
            left, top, right, bottom = region.box
            for shift in (0, was.width + _GUTTER):
                pen.rectangle((shift + left - _MARGIN, top - _MARGIN, shift + right + _MARGIN,
                               bottom + _MARGIN), outline=_FRAME, width=3)
        pairs.append((sheet, found))
    return pairs


def _draw(position: PositionDiff, old: list[Image.Image], new: list[Image.Image],
          folder: Path) -> None:
    """Write each page pair of page_pairs into ``folder``."""
    for number, (sheet, found) in enumerate(page_pairs(old, new), start=1):
        position.regions[number] = found
        path = folder / f"page-{number}.png"
        preview.write_picture(path, sheet)
        position.pictures.append(path)

"""What the page lets a user download, and only that: the files a revision's manifest
lists (inside the output folder), a revision as one zip, a template as one zip.

A name in a URL is only ever looked up among names the archive itself wrote; it is
never joined to a path unchecked, so ``../`` or a file added to a revision by hand
cannot be fetched.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ikidoc import archive
from ikidoc.archive import MANIFEST, RevisionManifest
from ikidoc.errors import ArchiveError
from ikidoc.messages import msg
from ikidoc.ooxml import properties
from ikidoc.template_install import MANIFEST_PROPERTY
from ikidoc.templates import DOCX, Template
from ikidoc.templates import MANIFEST as TEMPLATE_MANIFEST

_UNIT = re.compile(r"[a-z0-9][a-z0-9-]*")
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class RevisionRef:
    """A revision as URLs name it: its unit's folder name and ``r<N>``."""

    unit: str
    revision: str

    @classmethod
    def of(cls, folder: Path) -> RevisionRef:
        return cls(folder.parent.name, folder.name)


def revision_folder(output: Path, ref: RevisionRef) -> Path | None:
    """The folder of ``ref`` inside ``output`` (not reached through a link that leads out
    of it), or None when there is no such revision."""
    if not _UNIT.fullmatch(ref.unit) or archive.revision_number(Path(ref.revision)) is None:
        return None
    folder = output / ref.unit / ref.revision
    inside = folder.resolve().is_relative_to(output.resolve())
    return folder if inside and folder.is_dir() else None


def listed_file(folder: Path, manifest: RevisionManifest, name: str) -> Path | None:
    """The file ``name`` of a revision when its manifest lists it (or it is the manifest)."""
    if name != MANIFEST and name not in {record.path for record in manifest.files}:
        return None
    path = (folder / name).resolve()
    return path if path.parent == folder.resolve() and path.is_file() else None


def revision_zip(folder: Path) -> bytes:
    """Every file the manifest lists, and the manifest, in one zip named for the revision.

    Raises ArchiveError when the manifest cannot be read or a listed file is missing.
    """
    manifest = archive.load_manifest(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in [record.path for record in manifest.files] + [MANIFEST]:
            path = listed_file(folder, manifest, name)
            if path is None:
                raise ArchiveError(path=folder / name, detail=msg(
                    "archive.listed_missing", "is missing; see ikidoc archive verify"))
            package.write(path, f"{folder.parent.name}-{folder.name}/{name}")
    return buffer.getvalue()


def template_docx(template: Template) -> bytes:
    """A template's .docx carrying its template.yaml as a custom document property: Word
    keeps it, so the edited .docx can be uploaded back alone."""
    with zipfile.ZipFile(template.docx) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    manifest = (template.folder / TEMPLATE_MANIFEST).read_text(encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        carried = properties.with_custom_property(parts, MANIFEST_PROPERTY, manifest)
        for name, data in carried.items():
            package.writestr(name, data)
    return buffer.getvalue()


def template_zip(template: Template) -> bytes:
    """A template's folder as a zip, to edit in Word and upload again."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in (DOCX, TEMPLATE_MANIFEST):
            package.write(template.folder / name, f"{template.manifest.name}/{name}")
    return buffer.getvalue()

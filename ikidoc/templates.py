"""Find templates (bundled, local, or a folder) and read their manifests.

A template is a folder with ``template.docx`` (a docxtpl Word file) and
``template.yaml`` (its manifest, FORMAT.md §3).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ikidoc.errors import TemplateError

DEFAULT = "iki"
DOCX = "template.docx"
MANIFEST = "template.yaml"


class Requirements(BaseModel):
    """The ``tambahan`` fields a template prints, per level of the data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dokumen: list[str] = Field(default_factory=list)
    jabatan: list[str] = Field(default_factory=list)
    sasaran: list[str] = Field(default_factory=list)
    indikator: list[str] = Field(default_factory=list)


class Manifest(BaseModel):
    """template.yaml: what the template is and which regulation it follows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    version: str
    regulation: str
    effective_date: dt.date
    paper: Literal["F4", "A4", "Letter", "Legal"]
    orientation: Literal["portrait", "landscape"] = "portrait"
    scope: Literal["jabatan", "dokumen"]
    tambahan: Requirements = Field(default_factory=Requirements)


@dataclass(frozen=True)
class Template:
    """A template found on disk: its folder, manifest and where it comes from."""

    folder: Path
    manifest: Manifest
    origin: Literal["bundled", "local", "path"]

    @property
    def docx(self) -> Path:
        return self.folder / DOCX

    @property
    def label(self) -> str:
        return f"{self.manifest.name} {self.manifest.version}"

    def sha256(self) -> str:
        """One hash over both files, so a change to either makes a new revision."""
        digest = hashlib.sha256()
        for name in (DOCX, MANIFEST):
            digest.update(name.encode() + b"\0" + (self.folder / name).read_bytes() + b"\0")
        return digest.hexdigest()


def bundled_root() -> Path:
    """The templates shipped with ikidoc: inside the installed package (a wheel puts
    the repo's top-level templates/ there), else the repo's own templates/ folder
    (a source checkout or an editable install)."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


def resolve(spec: str | None, local_roots: list[Path] | None = None) -> Template:
    """The template named by ``-t``: a folder path, else a local template (in a
    ``templates/`` folder beside the data) before a bundled one of the same name.

    Raises TemplateError when nothing matches or a match lacks a file.
    """
    spec = spec or DEFAULT
    path = Path(spec)
    if path.is_dir() or any(sep in spec for sep in ("/", "\\")):
        return read(path, "path")
    for root in local_roots or []:
        if (root / spec).is_dir():
            return read(root / spec, "local")
    if (bundled_root() / spec).is_dir():
        return read(bundled_root() / spec, "bundled")
    known = ", ".join(t.manifest.name for t in available(local_roots)) or "none"
    raise TemplateError(template=spec, detail=f"no such template; available: {known}")


def available(local_roots: list[Path] | None = None) -> list[Template]:
    """Every template that ``resolve`` can find, local ones shadowing bundled ones."""
    found: dict[str, Template] = {}
    sources = [(bundled_root(), "bundled")] + [(root, "local") for root in local_roots or []]
    for root, origin in sources:
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()):
            found[folder.name] = read(folder, origin)  # type: ignore[arg-type]
    return sorted(found.values(), key=lambda t: t.manifest.name)


def read(folder: Path, origin: Literal["bundled", "local", "path"]) -> Template:
    """Read a template folder; raise TemplateError naming the missing file or bad field."""
    for name in (DOCX, MANIFEST):
        if not (folder / name).is_file():
            raise TemplateError(template=folder, detail=f"{name} is missing; a template folder "
                                                        f"holds {DOCX} and {MANIFEST}")
    manifest_path = folder / MANIFEST
    try:
        raw = yaml.safe_load(manifest_path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as error:
        raise TemplateError(template=manifest_path, detail=f"cannot be read: {error}") from None
    if not isinstance(raw, dict):
        raise TemplateError(template=manifest_path, detail="must be a mapping (name, title, ...)")
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as error:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise TemplateError(template=manifest_path, detail=details) from None
    return Template(folder=folder, manifest=manifest, origin=origin)

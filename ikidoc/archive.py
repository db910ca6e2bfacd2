"""The output archive of FORMAT.md §4: output/<unit>/r<N>/, never overwritten.

A revision is written into a hidden temporary folder beside the others and renamed
into place only when complete, so a failed or interrupted run leaves no partial
revision, and two runs at once cannot both claim the same r<N>. A lock file per unit
lets one run at a time decide whether anything changed. manifest.json is read back
through a model, so a hand-edited one is reported by field rather than crashing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ikidoc import lock
from ikidoc.errors import ArchiveError
from ikidoc.load import dotted

MANIFEST = "manifest.json"
STAGING_PREFIX = ".ikidoc-"
SLUG_MAX = 60
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
             *(f"lpt{n}" for n in range(10))}
_REVISION = re.compile(r"r([1-9][0-9]*)")


def slug(text: str, fallback: str = "jabatan") -> str:
    """Lower-case ASCII words joined by "-", at most 60 characters cut at a "-".

    ``Pengelola Program/Kegiatan`` -> ``pengelola-program-kegiatan``. A name with no
    ASCII letter gets ``fallback``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c if c.isascii() else ("" if unicodedata.combining(c) else " ")
                         for c in decomposed).lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not re.search(r"[a-z]", words):
        return fallback
    if len(words) > SLUG_MAX:
        cut = words[: SLUG_MAX + 1]
        words = cut[: cut.rfind("-")] if "-" in cut else words[:SLUG_MAX]
    return words


def unit_folder_name(unit_kerja: str, tahun: int | None) -> str:
    """``<unit-slug>[-<tahun>]``: the unit's folder, and the name of its combined document."""
    name = slug(unit_kerja, "unit")
    if tahun:
        return f"{name}-{tahun}"
    # A Windows device name (CON, NUL...) cannot name a file or folder there. A
    # position's file never is one: its number comes first.
    return f"{name}-unit" if name in _RESERVED else name


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def revision_number(folder: Path) -> int | None:
    """N for a folder named ``r<N>`` (r1, r2, ... but not r0 or r01), else None."""
    match = _REVISION.fullmatch(folder.name)
    return int(match.group(1)) if match else None


def revisions(unit_dir: Path) -> list[int]:
    """The revision numbers present in a unit's folder, ascending."""
    if not unit_dir.is_dir():
        return []
    return sorted(n for p in unit_dir.iterdir() if p.is_dir() and (n := revision_number(p)))


class FileRecord(BaseModel):
    """One file of a revision as manifest.json lists it."""

    model_config = ConfigDict(extra="allow", frozen=True)

    # a plain name: a hand-edited "../x" must not lead a check outside the revision
    path: str = Field(pattern=r"^[^./\\][^/\\]*$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(alias="bytes", ge=0)
    jabatan: str | None = None  # the position a .docx holds; None for the combined one
    indikator: int | None = None
    pdf_of: str | None = None  # the .docx a PDF was made from


class Inputs(BaseModel):
    """What a revision was made from; equal inputs make equal documents."""

    model_config = ConfigDict(extra="allow", frozen=True)

    data_file: str
    data_sha256: str
    template: str
    template_version: str
    template_sha256: str
    ikidoc: str


class RevisionManifest(BaseModel):
    """manifest.json as it is read back. Keys it does not name are allowed, so that an
    older ikidoc can still check the files of a revision a newer one wrote."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format: str
    unit_kerja: str
    tahun: int | None = None
    created: dt.datetime
    inputs: Inputs
    template: dict[str, Any] = Field(default_factory=dict)
    jabatan: list[str] = Field(default_factory=list)  # every position, in order
    data_text: str | None = None  # the input data file's text, kept for a rebuild
    files: list[FileRecord]

    @property
    def pdfs(self) -> list[FileRecord]:
        return [record for record in self.files if record.pdf_of]


def load_manifest(revision_dir: Path) -> RevisionManifest:
    """Read a revision's manifest.json; raise ArchiveError saying what is wrong with it
    (missing, not JSON, or a field missing or of the wrong kind, by its path)."""
    path = revision_dir / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchiveError(path=path, detail="is missing") from None
    except OSError as error:
        raise ArchiveError(path=path, detail=f"cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ArchiveError(path=path, detail=f"is not UTF-8 text ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise ArchiveError(path=path, detail=f"is not valid JSON: {error.msg} at line "
                                             f"{error.lineno}, column {error.colno}") from None
    try:
        return RevisionManifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise ArchiveError(path=path, detail=f"is not an ikidoc manifest: "
                                             f"{dotted(first['loc']) or 'top level'}: "
                                             f"{first['msg']}{more}") from None


def current_revision(unit_dir: Path, inputs: dict[str, Any], *, pdf: bool = False) -> Path | None:
    """The newest revision when it was made from ``inputs`` (and holds PDFs, when ``pdf``):
    a run that would only make it again writes nothing. A newest revision whose manifest
    cannot be read counts as different (``archive verify`` reports it)."""
    numbers = revisions(unit_dir)
    if not numbers:
        return None
    folder = unit_dir / f"r{numbers[-1]}"
    try:
        manifest = load_manifest(folder)
    except ArchiveError:
        return None
    if manifest.inputs.model_dump() != inputs or (pdf and not manifest.pdfs):
        return None
    return folder


@contextmanager
def unit_lock(unit_dir: Path, wait: float = lock.WAIT) -> Iterator[None]:
    """Hold ``<unit_dir>/.lock`` for the block: one run at a time decides whether the
    unit is unchanged and writes its revision, so two runs at once give two whole
    revisions or one "unchanged", never the same work twice. The folders this creates
    are removed again when nothing was written into them. Raises ArchiveError when the
    folder cannot be made or another run holds the lock longer than ``wait`` seconds."""
    created = _make_dirs(unit_dir)
    try:
        with lock.hold(unit_dir / lock.NAME, wait):
            yield
    finally:
        _remove_created(created)


class Revision:
    """A revision being written: files go into a temporary folder until ``commit``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.number: int | None = None  # set once the revision is in place
        self.files: list[dict[str, Any]] = []

    def add(self, name: str, data: bytes, **facts: Any) -> None:
        """Write one file of the revision and remember its hash for the manifest."""
        if "/" in name or "\\" in name or name.startswith("."):
            raise ArchiveError(path=name, detail="a file of a revision must be a plain name")
        try:
            (self.folder / name).write_bytes(data)
        except OSError as error:
            raise ArchiveError(path=self.folder / name,
                               detail=f"cannot be written: {error.strerror or error}") from None
        self.files.append({"path": name, "sha256": sha256_bytes(data), "bytes": len(data), **facts})


@contextmanager
def new_revision(unit_dir: Path) -> Iterator[Revision]:
    """Yield a Revision to fill; on leaving the block it becomes ``r<N+1>``.

    On any error (or Ctrl-C) the temporary folder is removed, and so are the unit's
    and the output's folders if this run created them, so output/ is left as it was.
    """
    created = _make_dirs(unit_dir)
    _remove_stale_staging(unit_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=unit_dir))
    except OSError as error:
        _remove_created(created)
        raise ArchiveError(path=unit_dir, detail=f"cannot write here: {error.strerror or error}") from None
    _permit_as_umask(staging)
    revision = Revision(staging)
    try:
        yield revision
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_created(created)
        raise
    revision.number = _claim(staging, unit_dir)
    revision.folder = unit_dir / f"r{revision.number}"


def _permit_as_umask(folder: Path) -> None:
    """Give a staging folder the permissions of any folder the user makes: mkdtemp's
    private 0700 would stay on the revision and lock colleagues out of a shared archive."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)


def _remove_stale_staging(unit_dir: Path) -> None:
    """Remove what a run killed outright (SIGKILL, power loss) left half written. The
    caller holds the unit's lock, so no other run is writing a staging folder now."""
    for folder in unit_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def _claim(staging: Path, unit_dir: Path) -> int:
    """Rename the finished staging folder to the next free r<N>. A rename onto an
    existing folder fails, so a concurrent run that took r<N> first pushes us to N+1."""
    for _ in range(1000):
        number = (revisions(unit_dir) or [0])[-1] + 1
        try:
            os.rename(staging, unit_dir / f"r{number}")
            return number
        except OSError:
            if not (unit_dir / f"r{number}").exists():
                shutil.rmtree(staging, ignore_errors=True)
                raise ArchiveError(path=unit_dir, detail="cannot create the revision folder") from None
    raise ArchiveError(path=unit_dir, detail="could not claim a free revision number")


def _make_dirs(unit_dir: Path) -> list[Path]:
    missing = [p for p in [unit_dir, *unit_dir.parents] if not p.exists()]
    try:
        unit_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _remove_created(missing)
        raise ArchiveError(path=unit_dir, detail=f"cannot be created: {error.strerror or error}") from None
    return missing


def _remove_created(created: list[Path]) -> None:
    for folder in created:  # innermost first
        try:
            folder.rmdir()
        except OSError:
            pass


def write_manifest(revision: Revision, manifest: dict[str, Any]) -> None:
    """Write manifest.json (its own hash cannot be inside it, so it is not listed)."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    try:
        (revision.folder / MANIFEST).write_text(text, encoding="utf-8")
    except OSError as error:
        raise ArchiveError(path=revision.folder / MANIFEST,
                           detail=f"cannot be written: {error.strerror or error}") from None

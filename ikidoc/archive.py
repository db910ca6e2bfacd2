"""The output archive: output/<unit>/r<N>/, never overwritten, one unit per folder.

A revision is written into a hidden temporary folder beside the others and renamed
into place only when complete, so a failed or interrupted run leaves no partial
revision, and two runs at once cannot both claim the same r<N>. A lock file per unit
lets one run at a time decide whether anything changed. Each unit folder records its
unit (unit.json), so that two units whose names give the same slug never share one:
the second gets a short hash of its identity after the name (see the README, "The
archive").
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ikidoc import lock
from ikidoc.errors import ArchiveError, system_reason, uncreatable, unwritable

# The manifest's names, also reached through the archive by the page and by scripts.
from ikidoc.manifest import MANIFEST as MANIFEST
from ikidoc.manifest import FileRecord as FileRecord
from ikidoc.manifest import RevisionManifest as RevisionManifest
from ikidoc.manifest import (
    content_checksum,
    manifest_sha256,
    manifest_text,
    read_json,
    read_manifest,
)
from ikidoc.manifest import load_manifest as load_manifest
from ikidoc.messages import Message, msg
from ikidoc.model import UnitKerja

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
    words = _words(text)
    if not re.search(r"[a-z]", words):
        return fallback
    if len(words) > SLUG_MAX:
        cut = words[: SLUG_MAX + 1]
        words = cut[: cut.rfind("-")] if "-" in cut else words[:SLUG_MAX]
    return words


def _words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c if c.isascii() else ("" if unicodedata.combining(c) else " ")
                         for c in decomposed).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def unit_folder_name(unit_kerja: str, tahun: int | None) -> str:
    """``<unit-slug>[-<tahun>]``: the unit's folder, and the name of its combined document."""
    name = slug(unit_kerja, "unit")
    if tahun:
        return f"{name}-{tahun}"
    # A Windows device name (CON, NUL...) cannot name a file or folder there. A
    # position's file never is one: its number comes first.
    return f"{name}-unit" if name in _RESERVED else name


IDENTITY = "unit.json"
IDENTITY_FORMAT = "ikidoc-unit/1"
_IDENTITY_MAX = 2**20  # a unit's three names; far more than any unit needs


@dataclass(frozen=True)
class Identity:
    """Which unit a folder holds: instansi, unit_kerja and tahun. Two units that differ
    in any of them never share a folder, whatever their slugs."""

    instansi: str | None
    unit_kerja: str
    tahun: int | None

    @classmethod
    def of(cls, unit: UnitKerja) -> Identity:
        return cls(unit.instansi, unit.unit_kerja, unit.tahun)

    @property
    def key(self) -> str:
        """``instansi|unit_kerja|tahun``, an absent instansi or tahun written as nothing:
        ``|Bagian Umum|`` for a unit with neither."""
        tahun = "" if self.tahun is None else str(self.tahun)
        return f"{self.instansi or ''}|{self.unit_kerja}|{tahun}"

    @property
    def suffix(self) -> str:
        """The first 6 hex digits of the sha256 of ``key``: what keeps apart the folders
        of units whose names give the same folder name."""
        return hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:6]

    @property
    def base_name(self) -> str:
        """The folder name before any suffix; also the name of the combined document."""
        return unit_folder_name(self.unit_kerja, self.tahun)

    def same_unit(self, other: Identity, instansi_known: bool = True) -> bool:
        """Whether ``other`` is this unit; ``instansi_known`` False compares only unit_kerja
        and tahun (a manifest of ikidoc-archive/1 does not record the instansi)."""
        return (self.unit_kerja, self.tahun) == (other.unit_kerja, other.tahun) and (
            not instansi_known or self.instansi == other.instansi)


def folder_identity(unit_dir: Path) -> tuple[Identity, bool] | None:
    """The unit a folder holds and whether its instansi is known, or None for a folder
    that holds none yet. It is read from the folder's unit.json; a folder written before
    unit.json existed is the unit of its first revision whose manifest can be read.
    Raises ArchiveError when the folder holds revisions but says of no unit."""
    if (unit_dir / IDENTITY).exists():
        return _read_identity(unit_dir / IDENTITY), True
    numbers = revisions(unit_dir)
    for number in numbers:
        folder = unit_dir / f"r{number}"
        if not is_trusted(folder):
            continue
        try:
            made = load_manifest(folder)
        except ArchiveError:
            continue
        return Identity(made.instansi, made.unit_kerja, made.tahun), made.records_instansi
    if numbers:
        raise ArchiveError(path=unit_dir, detail=msg(
            "archive.unknown_unit", "holds revisions, but neither {record} nor any readable "
            "manifest.json says of which unit", record=IDENTITY))
    return None


def _read_identity(path: Path) -> Identity:
    raw = read_json(path, _IDENTITY_MAX)
    names = {key: raw.get(key) for key in ("instansi", "unit_kerja", "tahun")} if isinstance(
        raw, dict) else {}
    instansi, unit_kerja, tahun = names.get("instansi"), names.get("unit_kerja"), names.get("tahun")
    if (not isinstance(unit_kerja, str) or not isinstance(instansi, str | None)
            or not (tahun is None or type(tahun) is int)):
        raise ArchiveError(path=path, detail=msg(
            "archive.not_unit_record", "is not an ikidoc unit record: it needs unit_kerja "
            "(text), instansi (text or null), tahun (a number or null)"))
    return Identity(instansi, unit_kerja, tahun)


def unit_dirs(output: Path, identities: list[Identity]) -> list[Path]:
    """The folder of each unit under ``output``, in order; the caller holds each unit's
    lock (see lock_dir), so no other run claims a folder meanwhile.

    A unit keeps the folder that already holds it. Otherwise it takes the folder named
    for it, unless its slug was cut or that folder holds another unit (on disk, or an
    earlier unit of this run): then the name ends in ``-`` and its 6-digit suffix.
    A folder that cannot say which unit it holds counts as another unit's. Raises
    ArchiveError when even the suffixed folder holds another unit.
    """
    claimed: dict[Path, Identity] = {}
    for identity in identities:
        folder = _unit_dir(output, identity, claimed)
        claimed[folder] = identity
    return list(claimed)


def _unit_dir(output: Path, identity: Identity, claimed: dict[Path, Identity]) -> Path:
    base = output / identity.base_name
    hashed = output / f"{identity.base_name}-{identity.suffix}"

    def holds(folder: Path) -> bool | None:  # None: no unit yet
        if folder in claimed:
            return claimed[folder] == identity
        try:
            held = folder_identity(folder)
        except ArchiveError:  # a folder that cannot say which unit it holds is not ours
            return False
        return None if held is None else identity.same_unit(*held)

    in_hashed = holds(hashed)
    if in_hashed:
        return hashed
    in_base = holds(base)
    if in_base or (in_base is None and not slug_was_cut(identity.unit_kerja)):
        return base
    if in_hashed is None:
        return hashed
    raise ArchiveError(path=hashed, detail=msg(
        "archive.folder_taken", "holds another unit than {unit!r}, whose instansi, unit_kerja "
        "and tahun give the same folder name and suffix; rename the unit_kerja slightly",
        unit=identity.key))


def slug_was_cut(text: str) -> bool:
    """Whether ``slug(text)`` had to cut the name to SLUG_MAX characters."""
    words = _words(text)
    return len(words) > SLUG_MAX and re.search(r"[a-z]", words) is not None


def lock_dir(output: Path, identity: Identity) -> Path:
    """The folder whose lock a run holds while it writes ``identity``: the one named for
    the unit without suffix, shared by every unit that could claim the same folders."""
    return output / identity.base_name


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


def current_revision(unit_dir: Path, inputs: dict[str, Any], *,
                     pdf: bool = False) -> Path | Altered | None:
    """The newest revision when it was made from ``inputs`` (and holds PDFs, when ``pdf``):
    a run that would only make it again writes nothing. When its files are no longer those
    its manifest lists, the run must not offer them as its documents: Altered says which,
    and the run writes the next revision (the altered one stays as it is). A newest
    revision that cannot be trusted (a link, a manifest that cannot be read or whose
    checksum fails) counts as different: the run writes the next one, and ``archive
    verify`` reports the old."""
    numbers = revisions(unit_dir)
    if not numbers or not is_trusted(folder := unit_dir / f"r{numbers[-1]}"):
        return None
    try:
        manifest, raw = read_manifest(folder)
    except ArchiveError:
        return None
    if manifest.checksum is not None and manifest.checksum != content_checksum(raw):
        return None
    if manifest.inputs.model_dump() != inputs or (pdf and not manifest.pdfs):
        return None
    altered = [problem.path for problem in file_problems(folder, manifest)]
    return Altered(folder.name, altered) if altered else folder


@dataclass(frozen=True)
class Altered:
    """The newest revision, made from the inputs of this run, whose files were changed,
    removed or added to after it was written: the run wrote the next revision instead of
    saying that nothing changed."""

    revision: str  # its name, r<N>
    files: list[str]  # its files no longer as its manifest lists them (a folder ends in /)

    def message(self, written: str) -> Message:
        """What the run says of it, ``written`` being the revision it wrote instead."""
        shown: list[Message | str] = list(self.files[:_ALTERED_SHOWN])
        if len(self.files) > _ALTERED_SHOWN:
            shown.append(msg("archive.altered_more", "{count} more",
                             count=len(self.files) - _ALTERED_SHOWN))
        return msg("archive.altered", "{revision} was changed after it was written ({files}): "
                   "written again as {written}", revision=self.revision, files=shown,
                   written=written)


_ALTERED_SHOWN = 5  # the altered files named; the rest are counted


FileProblemKind = Literal["link", "missing", "unreadable", "changed", "size", "extra"]


class FileProblem(NamedTuple):
    """A file of a revision that is not as its manifest lists it: ``kind`` link, missing,
    unreadable (by this user: it cannot be checked), changed (its sha256), size or extra
    (not listed); ``expected`` is the manifest's
    value, ``actual`` what is there."""

    kind: FileProblemKind
    path: str  # its name in the revision folder; a folder's ends in "/"
    expected: str | None = None
    actual: str | None = None


def file_problems(folder: Path, manifest: RevisionManifest) -> list[FileProblem]:
    """Every file of the revision ``folder`` that is not as ``manifest`` lists it: a link,
    missing, another sha256 or size, or there without being listed. Shared by ``generate``
    (whether the newest revision still holds its documents) and ``archive verify``."""
    problems = []
    for record in manifest.files:
        path = folder / record.path
        if path.is_symlink():
            problems.append(FileProblem("link", record.path, actual=os.readlink(path)))
        elif not path.is_file():
            problems.append(FileProblem("missing", record.path))
        elif (digest := _sha256_or_none(path)) is None:
            problems.append(FileProblem("unreadable", record.path))
        elif digest != record.sha256:
            problems.append(FileProblem("changed", record.path, record.sha256, digest))
        elif (size := path.stat().st_size) != record.size:
            problems.append(FileProblem("size", record.path, str(record.size), str(size)))
    listed = {record.path for record in manifest.files} | {MANIFEST}
    return problems + [FileProblem("extra", f"{p.name}{'/' if p.is_dir() else ''}")
                       for p in sorted(folder.iterdir()) if p.name not in listed]


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:  # no permission to read it, or a disk error
        return None


def is_trusted(revision_dir: Path) -> bool:
    """Whether a revision is a real folder of its unit, not a symbolic link (which could
    lead anywhere, out of the archive included)."""
    return not revision_dir.is_symlink()


def previous(unit_dir: Path) -> dict[str, str | None] | None:
    """What the next revision records of the one before it: its name and its manifest's
    sha256 (None when that revision is not trusted or its manifest is over the bounds)."""
    numbers = revisions(unit_dir)
    if not numbers:
        return None
    folder = unit_dir / f"r{numbers[-1]}"
    return {"revision": folder.name,
            "sha256": manifest_sha256(folder) if is_trusted(folder) else None}


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


class Written(NamedTuple):
    """A file written into a revision: its name, sha256 and size, what the manifest
    records of it. A worker process of ``generate -j`` writes its documents and hands
    back only this."""

    path: str
    sha256: str
    bytes: int


def write_file(folder: Path, name: str, data: bytes) -> Written:
    """Write one file of a revision being staged in ``folder``."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise ArchiveError(path=name, detail=msg("archive.plain_name", "a file of a revision "
                                                 "must be a plain name"))
    try:
        (folder / name).write_bytes(data)
    except OSError as error:
        raise ArchiveError(path=folder / name, detail=unwritable(error)) from None
    return Written(name, sha256_bytes(data), len(data))


class Revision:
    """A revision being written: files go into a temporary folder until ``commit``."""

    def __init__(self, staging: Path, unit_dir: Path, identity: Identity | None = None) -> None:
        self.folder = staging  # where its files are: the staging folder, then r<N>
        self.staging = staging
        self.unit_dir = unit_dir
        self.identity = identity  # recorded in the unit's folder when the revision is claimed
        self.number: int | None = None  # set once the revision is in place
        self.files: list[dict[str, Any]] = []

    def add(self, name: str, data: bytes, **facts: Any) -> None:
        """Write one file of the revision and remember its hash for the manifest."""
        self.record(write_file(self.folder, name, data), **facts)

    def record(self, written: Written, **facts: Any) -> None:
        """Remember a file already written into the revision's folder, for the manifest."""
        self.files.append({"path": written.path, "sha256": written.sha256,
                           "bytes": written.bytes, **facts})


@contextmanager
def staged_revision(unit_dir: Path, identity: Identity | None = None) -> Iterator[Revision]:
    """Yield a Revision to fill in a temporary folder of ``unit_dir``; ``commit`` puts it
    in place. Left without being committed (an error, Ctrl-C, or another unit of the run
    failing), the temporary folder is removed, and so are the unit's and the output's
    folders if this run created them, so output/ is left as it was."""
    created = _make_dirs(unit_dir)
    _remove_stale_staging(unit_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=unit_dir))
    except OSError as error:
        _remove_created(created)
        raise ArchiveError(path=unit_dir, detail=msg(
            "archive.cannot_write_here", "cannot write here: {reason}",
            reason=system_reason(error))) from None
    _permit_as_umask(staging)
    revision = Revision(staging, unit_dir, identity)
    try:
        yield revision
    finally:
        if revision.number is None:
            shutil.rmtree(staging, ignore_errors=True)
            _remove_created(created)


@contextmanager
def new_revision(unit_dir: Path, identity: Identity | None = None) -> Iterator[Revision]:
    """Yield a Revision to fill; on leaving the block it becomes ``r<N+1>``, and the
    unit's folder records ``identity`` (when given) if it records none yet. On any error
    (or Ctrl-C) nothing of it is left behind (see staged_revision)."""
    with staged_revision(unit_dir, identity) as revision:
        yield revision
        commit([revision])


def commit(staged: list[Revision]) -> None:
    """Put staged revisions in place, all of them or none: each becomes the next
    ``r<N>`` of its unit, and a unit's folder that records no unit yet gets its unit.json.

    Everything that writes is done first, inside the temporary folders; what is left are
    renames, one after another. Should one fail, those done are taken back, so that
    output/ is as it was, and ArchiveError names the file."""
    identities = [_stage_identity(revision) for revision in staged]
    undo: list[Callable[[], None]] = []
    try:
        for revision, identity in zip(staged, identities, strict=True):
            _place(revision, identity, undo)
    except BaseException:
        for step in reversed(undo):
            step()
        raise


def _stage_identity(revision: Revision) -> Path | None:
    """Write the unit's unit.json into the revision's temporary folder when the unit's
    folder has none yet (put in place with the revision); None when there is nothing to
    record."""
    if revision.identity is None or (revision.unit_dir / IDENTITY).exists():
        return None
    identity = revision.identity
    record = {"format": IDENTITY_FORMAT, "instansi": identity.instansi,
              "unit_kerja": identity.unit_kerja, "tahun": identity.tahun}
    partial = revision.staging / IDENTITY
    try:
        partial.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    except OSError as error:
        raise ArchiveError(path=revision.unit_dir / IDENTITY, detail=unwritable(error)) from None
    return partial


def _place(revision: Revision, identity: Path | None, undo: list[Callable[[], None]]) -> None:
    """Rename a staged revision (and its unit.json) into place; add to ``undo`` how to take
    back each rename done."""
    if identity is not None:
        target = revision.unit_dir / IDENTITY
        try:
            os.replace(identity, target)
        except OSError as error:
            raise ArchiveError(path=target, detail=unwritable(error)) from None
        undo.append(lambda: _take_back(target, identity))
    number = _claim(revision.staging, revision.unit_dir)
    revision.number, revision.folder = number, revision.unit_dir / f"r{number}"

    def unclaim() -> None:
        _take_back(revision.folder, revision.staging)
        revision.number, revision.folder = None, revision.staging

    undo.append(unclaim)


def _take_back(placed: Path, staged: Path) -> None:
    """Rename what was put in place back into the temporary folder (removed with it);
    remove it where it is if even that fails."""
    try:
        os.rename(placed, staged)
    except OSError:
        if placed.is_dir():
            shutil.rmtree(placed, ignore_errors=True)
        else:
            placed.unlink(missing_ok=True)


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
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        else:  # the unit.json a run before this version of ikidoc was writing
            folder.unlink(missing_ok=True)


def _claim(staging: Path, unit_dir: Path) -> int:
    """Rename the finished staging folder to the next free r<N>. A rename onto an
    existing folder fails, so a concurrent run that took r<N> first pushes us to N+1."""
    for _ in range(1000):
        number = _last_name_taken(unit_dir) + 1
        target = unit_dir / f"r{number}"
        try:
            os.rename(staging, target)
            return number
        except OSError as error:
            if not target.exists():
                raise ArchiveError(path=target, detail=uncreatable(error)) from None
    raise ArchiveError(path=unit_dir, detail=msg("archive.no_free_number", "could not claim a "
                                                 "free revision number"))


def _last_name_taken(unit_dir: Path) -> int:
    """The highest N of anything named r<N> in the unit's folder: a file or a link of that
    name (left there by hand) is no revision, but its name is taken all the same."""
    try:
        names = [entry.name for entry in os.scandir(unit_dir)]
    except OSError:
        return 0
    return max((n for name in names if (n := revision_number(Path(name)))), default=0)


def _make_dirs(unit_dir: Path) -> list[Path]:
    missing = [p for p in [unit_dir, *unit_dir.parents] if not p.exists()]
    try:
        unit_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _remove_created(missing)
        raise ArchiveError(path=unit_dir, detail=uncreatable(error)) from None
    return missing


def _remove_created(created: list[Path]) -> None:
    for folder in created:  # innermost first
        with contextlib.suppress(OSError):  # not empty: something was written into it
            folder.rmdir()


def write_manifest(revision: Revision, manifest: dict[str, Any]) -> None:
    """Write manifest.json with its checksum (its own hash cannot be inside it: the
    next revision records it)."""
    try:
        (revision.folder / MANIFEST).write_text(manifest_text(manifest), encoding="utf-8")
    except OSError as error:
        raise ArchiveError(path=revision.folder / MANIFEST, detail=unwritable(error)) from None

"""Reading the archive back for an auditor: list it, show a revision, verify its files.

Everything here only reads the archive (a rebuild writes into a temporary folder). The
results are data: what was found, in which file, what was expected and what is there.
They are put into words where they are shown (ikidoc.audit_text for the command line).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ikidoc import archive, load, reading
from ikidoc.archive import Identity
from ikidoc.errors import ArchiveError, DataError, IkidocError
from ikidoc.manifest import MANIFEST, RevisionManifest, load_manifest
from ikidoc.messages import msg
from ikidoc.model import Jabatan, UnitKerja
from ikidoc.verification import (
    Finding,
    RevisionCheck,
    checks,
    is_revision,
    require_folder,
    unit_folders,
    verify,
)

__all__ = ["Change", "Changes", "Finding", "MadeWith", "RevisionCheck", "RevisionSummary",
           "RevisionView", "UnitListing", "checks", "list_units", "show", "verify"]


@dataclass(frozen=True)
class RevisionSummary:
    """One line of ``archive list``: a revision, or why its manifest cannot be read."""

    folder: Path
    manifest: RevisionManifest | None
    error: ArchiveError | None = None


@dataclass(frozen=True)
class UnitListing:
    """A unit's folder, the unit it holds (or why it cannot say), its revisions, oldest first."""

    folder: Path
    identity: Identity | None
    revisions: list[RevisionSummary]
    error: ArchiveError | None = None


def list_units(output: Path) -> list[UnitListing]:
    """Every unit under ``output`` (or the one unit folder given) with its revisions.

    A revision whose manifest cannot be read is listed with the reason. Raises
    ArchiveError when ``output`` is not a folder.
    """
    return [_listing(unit) for unit in unit_folders(output)]


def _listing(unit: Path) -> UnitListing:
    summaries = [_summary(unit / f"r{n}") for n in archive.revisions(unit)]
    try:
        held = archive.folder_identity(unit)
    except ArchiveError as error:
        return UnitListing(unit, None, summaries, error)
    return UnitListing(unit, held[0] if held else None, summaries)


def _summary(folder: Path) -> RevisionSummary:
    try:
        return RevisionSummary(folder, load_manifest(folder))
    except ArchiveError as error:
        return RevisionSummary(folder, None, error)


@dataclass(frozen=True)
class Change:
    """A position found in both revisions, and the fields of it that differ."""

    jabatan: str
    fields: list[str]


@dataclass(frozen=True)
class MadeWith:
    """A template or ikidoc that differs from the revision before: its name and version
    before and after (the same for a template whose files were edited)."""

    what: Literal["template", "ikidoc"]
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    """How a revision differs from the one before it, position by position.

    Positions are matched by name (a second position of the same name is "<name> [2]");
    "changed" names the fields of the position that differ, "unit" those of the unit.
    When positions cannot be compared, ``uncompared`` says why (and ``error``, the error).
    """

    previous: Path
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)  # fields of the unit itself
    made_with: list[MadeWith] = field(default_factory=list)
    uncompared: Literal["previous-unreadable", "data-unreadable", "no-data-copy"] | None = None
    error: IkidocError | None = None


@dataclass(frozen=True)
class RevisionView:
    """``archive show``: a revision's manifest in words, and its changes."""

    folder: Path
    manifest: RevisionManifest
    changes: Changes | None  # None for the first revision of a unit


def show(path: Path) -> RevisionView:
    """The revision at ``path`` (or a unit folder's newest one) with its changes against
    the revision before it. Raises ArchiveError when there is no such revision or its
    manifest cannot be read."""
    folder = _revision_at(path)
    manifest = load_manifest(folder)
    number = archive.revision_number(folder) or 0
    earlier = [n for n in archive.revisions(folder.parent) if n < number]
    changes = _changes(folder.parent / f"r{earlier[-1]}", manifest) if earlier else None
    return RevisionView(folder, manifest, changes)


def _revision_at(path: Path) -> Path:
    require_folder(path)
    if is_revision(path):
        return path
    numbers = archive.revisions(path)
    if not numbers:
        raise ArchiveError(path=path, detail=msg(
            "audit.not_revision", "is neither a revision folder (r<N>) nor a unit folder "
            "holding one; see ikidoc archive list"))
    return path / f"r{numbers[-1]}"


def _changes(previous_folder: Path, manifest: RevisionManifest) -> Changes:
    try:
        previous = load_manifest(previous_folder)
    except ArchiveError as error:
        return Changes(previous_folder, uncompared="previous-unreadable", error=error)
    old, new = previous.inputs, manifest.inputs
    made_with = []
    if old.template_sha256 != new.template_sha256:
        made_with.append(MadeWith("template", f"{old.template} {old.template_version}",
                                  f"{new.template} {new.template_version}"))
    if old.ikidoc != new.ikidoc:
        made_with.append(MadeWith("ikidoc", old.ikidoc, new.ikidoc))
    try:
        before, after = _kept_unit(previous), _kept_unit(manifest)
    except DataError as error:
        return Changes(previous_folder, made_with=made_with, uncompared="data-unreadable",
                       error=error)
    if before is None or after is None:
        return Changes(previous_folder, made_with=made_with, uncompared="no-data-copy")
    old_positions, new_positions = _by_name(before), _by_name(after)
    return Changes(
        previous_folder,
        added=[name for name in new_positions if name not in old_positions],
        removed=[name for name in old_positions if name not in new_positions],
        changed=[Change(name, fields) for name, jab in new_positions.items()
                 if name in old_positions and (fields := _differing(old_positions[name], jab))],
        unit=[name for name in _differing(before, after) if name != "jabatan"],
        made_with=made_with,
    )


def _kept_unit(manifest: RevisionManifest) -> UnitKerja | None:
    """The unit of the data kept in the manifest; raises DataError when this ikidoc
    no longer reads it as valid data."""
    if manifest.data_text is None:
        return None
    name = f"{MANIFEST} (data of {manifest.inputs.data_file})"
    data, marks = reading.parse(manifest.data_text.encode("utf-8"), name,
                             json_syntax=manifest.inputs.data_file.lower().endswith(".json"))
    return load.validate(data, marks, name)


def _by_name(unit: UnitKerja) -> dict[str, Jabatan]:
    return dict(zip(distinct_names([jab.nama for jab in unit.jabatan]), unit.jabatan,
                    strict=True))


def distinct_names(names: list[str]) -> list[str]:
    """Position names as revisions are matched by: a second position of the same name
    is "<name> [2]", so that two revisions pair the n-th of a name with the n-th."""
    seen: Counter[str] = Counter()
    distinct = []
    for name in names:
        seen[name] += 1
        distinct.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return distinct


def _differing(old: Jabatan | UnitKerja, new: Jabatan | UnitKerja) -> list[str]:
    return [name for name in type(new).model_fields if getattr(old, name) != getattr(new, name)]





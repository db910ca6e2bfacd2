"""Reading the archive back for an auditor: list it, show a revision, verify its files.

Everything here only reads the archive (a rebuild writes into a temporary folder). The
results are data: what was found, in which file, what was expected and what is there.
They are put into words where they are shown (ikidoc.audit_text for the command line).
"""
from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

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

__all__ = ["Change", "Changes", "Difference", "Finding", "MadeWith", "RevisionCheck",
           "RevisionSummary", "RevisionView", "UnitListing", "checks", "list_units", "show",
           "verify"]


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
class Difference:
    """One value that differs between two revisions: where it is (field names, and list
    positions counted from 0: ``("sasaran", 0, "indikator", 1, "uraian")``), its value
    before and after. An item added has no ``old`` (None), an item removed no ``new``;
    a whole item (a mapping, a list) stands as it is in the data."""

    path: tuple[str | int, ...]
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """A position found in both revisions, the fields of it that differ, and each value
    that differs (old and new)."""

    jabatan: str
    fields: list[str]
    differences: list[Difference] = field(default_factory=list)


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
    unit_differences: list[Difference] = field(default_factory=list)  # their values
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
        changed=[Change(name, fields, differences(old_positions[name], jab))
                 for name, jab in new_positions.items()
                 if name in old_positions and (fields := _differing(old_positions[name], jab))],
        unit=[name for name in _differing(before, after) if name != "jabatan"],
        unit_differences=differences(before, after, leave_out="jabatan"),
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


def differences(old: Jabatan | UnitKerja, new: Jabatan | UnitKerja,
                leave_out: str | None = None) -> list[Difference]:
    """Every value of ``new`` that differs from ``old``, in the order of the data; lists
    are matched item by item as difflib matches lines, so that one item put in or taken
    out is one difference, not a shift of every item after it."""
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    if leave_out:
        before.pop(leave_out, None)
        after.pop(leave_out, None)
    return _values_differing(before, after, ())


def _values_differing(old: Any, new: Any, path: tuple[str | int, ...]) -> list[Difference]:
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return [found for key in dict.fromkeys([*old, *new])
                for found in _values_differing(old.get(key), new.get(key), (*path, key))]
    if isinstance(old, list) and isinstance(new, list):
        return _items_differing(old, new, path)
    return [Difference(path, old, new)]


def _items_differing(old: list[Any], new: list[Any],
                     path: tuple[str | int, ...]) -> list[Difference]:
    """The items of two lists that differ: those put in, taken out, and those changed in
    place (compared value by value)."""
    keys = [[json.dumps(item, sort_keys=True) for item in items] for items in (old, new)]
    found: list[Difference] = []
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    for _, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        pairs = _alike(keys[0][old_from:old_to], keys[1][new_from:new_to])
        paired_old = {old_from + a for a, _ in pairs}
        paired_new = {new_from + b: old_from + a for a, b in pairs}
        found += [Difference((*path, index), old[index], None)
                  for index in range(old_from, old_to) if index not in paired_old]
        for index in range(new_from, new_to):
            found += (_values_differing(old[paired_new[index]], new[index], (*path, index))
                      if index in paired_new else [Difference((*path, index), None, new[index])])
    return found


def _alike(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """The items of a replaced stretch that are one item edited: one by one when as many
    were put as taken; else, in order, each old item with the most alike new item after
    the one paired before (at least half alike)."""
    if len(old) == len(new):
        return [(index, index) for index in range(len(old))]
    pairs: list[tuple[int, int]] = []
    start = 0
    for a, text in enumerate(old):
        scores = [(difflib.SequenceMatcher(None, text, other).ratio(), b)
                  for b, other in enumerate(new[start:], start)]
        best = max(scores, default=(0.0, -1))
        if best[0] >= 0.5:
            pairs.append((a, best[1]))
            start = best[1] + 1
    return pairs


def _differing(old: Jabatan | UnitKerja, new: Jabatan | UnitKerja) -> list[str]:
    return [name for name in type(new).model_fields if getattr(old, name) != getattr(new, name)]





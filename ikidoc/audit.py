"""Reading the archive back for an auditor: list it, show a revision, verify its files.

Everything here only reads the archive (a rebuild writes into a temporary folder).
Each result knows how to print itself, so the command line stays a loop of echoes.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ikidoc import __version__, archive, load, reading, templates
from ikidoc.archive import MANIFEST, RevisionManifest, load_manifest
from ikidoc.errors import ArchiveError, DataError, IkidocError, VerifyError
from ikidoc.generate import generate
from ikidoc.model import Jabatan, UnitKerja


@dataclass(frozen=True)
class RevisionSummary:
    """One line of ``archive list``: a revision, or why its manifest cannot be read."""

    folder: Path
    manifest: RevisionManifest | None
    problem: str = ""

    def __str__(self) -> str:
        if self.manifest is None:
            return f"  {self.folder.name:<4}  {self.problem}"
        made = self.manifest
        pdf = f", {len(made.pdfs)} PDF/A" if made.pdfs else ""
        return (f"  {self.folder.name:<4}  {_when(made.created)}  "
                f"{_count(len(made.jabatan), 'position')}  "
                f"template {made.inputs.template} {made.inputs.template_version}{pdf}")


@dataclass(frozen=True)
class UnitListing:
    """A unit's folder and its revisions, oldest first."""

    folder: Path
    revisions: list[RevisionSummary]

    def __str__(self) -> str:
        named = [r.manifest for r in self.revisions if r.manifest]
        title = f"  {_unit_title(named[-1])}" if named else ""
        return "\n".join([f"{self.folder}{title}", *map(str, self.revisions)])


def list_units(output: Path) -> list[UnitListing]:
    """Every unit under ``output`` (or the one unit folder given) with its revisions.

    A revision whose manifest cannot be read is listed with the reason. Raises
    ArchiveError when ``output`` is not a folder.
    """
    _require_folder(output)
    units = [output] if archive.revisions(output) else sorted(
        p for p in output.iterdir() if p.is_dir() and archive.revisions(p))
    return [UnitListing(unit, [_summary(unit / f"r{n}") for n in archive.revisions(unit)])
            for unit in units]


def _summary(folder: Path) -> RevisionSummary:
    try:
        return RevisionSummary(folder, load_manifest(folder))
    except ArchiveError as error:
        return RevisionSummary(folder, None, f"{MANIFEST} {error.detail}")


@dataclass(frozen=True)
class Changes:
    """How a revision differs from the one before it, position by position.

    Positions are matched by name (a second position of the same name is "<name> [2]");
    "changed" names the fields of the position that differ, "unit" those of the unit.
    """

    previous: Path
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)  # fields of the unit itself
    made_with: list[str] = field(default_factory=list)  # template or ikidoc, old -> new
    note: str = ""  # why positions could not be compared

    def lines(self) -> list[str]:
        head = f"changes since {self.previous.name}:"
        if self.note:
            return [f"{head} {self.note}"]
        rows = [("added", self.added), ("removed", self.removed), ("changed", self.changed),
                ("unit", self.unit), ("made with", self.made_with)]
        shown = [f"  {label + ':':<10} {', '.join(items)}" for label, items in rows if items]
        return [head, *(shown or ["  none: the same data, template and ikidoc"])]


@dataclass(frozen=True)
class RevisionView:
    """``archive show``: a revision's manifest in words, and its changes."""

    folder: Path
    manifest: RevisionManifest
    changes: Changes | None  # None for the first revision of a unit

    def __str__(self) -> str:
        made, inputs = self.manifest, self.manifest.inputs
        kept = "kept in manifest.json" if made.data_text is not None else "no copy kept"
        regulation = made.template.get("regulation")
        lines = [
            f"revision    {self.folder}",
            f"unit kerja  {_unit_title(made)}",
            f"created     {_when(made.created)}",
            f"data        {inputs.data_file} (sha256 {inputs.data_sha256}, {kept})",
            f"template    {inputs.template} {inputs.template_version} "
            f"(sha256 {inputs.template_sha256})",
            *([f"            {regulation}"] if regulation else []),
            f"ikidoc      {inputs.ikidoc}",
            f"positions   {len(made.jabatan)}",
            f"files       {len(made.files)} (sha256, bytes, name, what it holds)",
            *(f"  {r.sha256}  {r.size:>9}  {r.path}  {_holds(r)}" for r in made.files),
        ]
        first = ["changes: the first revision of this unit"]
        return "\n".join(lines + (self.changes.lines() if self.changes else first))


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
    _require_folder(path)
    if _is_revision(path):
        return path
    numbers = archive.revisions(path)
    if not numbers:
        raise ArchiveError(path=path, detail="is neither a revision folder (r<N>) nor a unit "
                                             "folder holding one; see ikidoc archive list")
    return path / f"r{numbers[-1]}"


def _changes(previous_folder: Path, manifest: RevisionManifest) -> Changes:
    try:
        previous = load_manifest(previous_folder)
    except ArchiveError as error:
        return Changes(previous_folder, note=f"{MANIFEST} of {previous_folder.name} {error.detail}")
    old, new = previous.inputs, manifest.inputs
    made_with = []
    if old.template_sha256 != new.template_sha256:
        was = f"{old.template} {old.template_version}"
        now = f"{new.template} {new.template_version}"
        made_with.append(f"template {was} -> {now}" if was != now
                         else f"template {now}, its files edited")
    if old.ikidoc != new.ikidoc:
        made_with.append(f"ikidoc {old.ikidoc} -> {new.ikidoc}")
    try:
        before, after = _kept_unit(previous), _kept_unit(manifest)
    except DataError as error:
        return Changes(previous_folder, made_with=made_with, note=f"the kept data cannot be read "
                                                                  f"by this ikidoc: {error}")
    if before is None or after is None:
        return Changes(previous_folder, made_with=made_with,
                       note="positions cannot be compared: a revision keeps no copy of its data")
    old_positions, new_positions = _by_name(before), _by_name(after)
    return Changes(
        previous_folder,
        added=[name for name in new_positions if name not in old_positions],
        removed=[name for name in old_positions if name not in new_positions],
        changed=[f"{name} ({', '.join(fields)})" for name, jab in new_positions.items()
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
    seen: Counter[str] = Counter()
    named = {}
    for jab in unit.jabatan:
        seen[jab.nama] += 1
        named[jab.nama if seen[jab.nama] == 1 else f"{jab.nama} [{seen[jab.nama]}]"] = jab
    return named


def _differing(old: Jabatan | UnitKerja, new: Jabatan | UnitKerja) -> list[str]:
    return [name for name in type(new).model_fields if getattr(old, name) != getattr(new, name)]


@dataclass
class RevisionCheck:
    """What ``archive verify`` found in one revision."""

    folder: Path
    matched: int = 0  # files whose sha256 is the manifest's
    rebuilt: int = 0  # .docx files made again byte for byte
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            rebuilt = f"; {self.rebuilt} .docx made again are identical" if self.rebuilt else ""
            return f"{self.folder}: ok, {_count(self.matched, 'file')} match {MANIFEST}{rebuilt}"
        return "\n".join([f"{self.folder}: {_count(len(self.problems), 'problem')}",
                          *(f"  {problem}" for problem in self.problems)])


def verify(path: Path, *, rebuild: bool = False,
           template: str | None = None) -> Iterator[RevisionCheck]:
    """Check every revision under ``path`` (an output, unit or revision folder).

    Yields one RevisionCheck per revision as it is made (a rebuild takes a while).
    Each file's sha256 is computed again and compared with the manifest; missing,
    extra and changed files are reported. With ``rebuild`` the revision is also made
    again from the data kept in its manifest and the template (found by its recorded
    name, or ``template``) and every .docx must come out byte for byte the same.
    After the last revision, raises VerifyError when any did not match; raises
    ArchiveError up front when ``path`` holds no revision.
    """
    folders = _revision_folders(path)
    failed = []
    for folder in folders:
        check = _check(folder, rebuild, template)
        if not check.ok:
            failed.append(folder)
        yield check
    if failed:
        raise VerifyError(path=path, failed=failed, checked=len(folders))


def _revision_folders(path: Path) -> list[Path]:
    _require_folder(path)
    if _is_revision(path):
        return [path]
    units = [path] if archive.revisions(path) else [u.folder for u in list_units(path)]
    folders = [unit / f"r{n}" for unit in units for n in archive.revisions(unit)]
    if not folders:
        raise ArchiveError(path=path, detail="holds no revision (no r<N> folder); give the "
                                             "output folder of ikidoc generate")
    return folders


def _check(folder: Path, rebuild: bool, template: str | None) -> RevisionCheck:
    check = RevisionCheck(folder)
    try:
        manifest = load_manifest(folder)
    except ArchiveError as error:
        check.problems.append(f"{MANIFEST} {error.detail}")
        return check
    for record in manifest.files:
        path = folder / record.path
        if not path.is_file():
            check.problems.append(f"missing: {record.path}")
        elif (digest := archive.sha256_file(path)) != record.sha256:
            check.problems.append(f"changed: {record.path} (its sha256 is {digest}, "
                                  f"{MANIFEST} says {record.sha256})")
        else:
            check.matched += 1
    listed = {record.path for record in manifest.files} | {MANIFEST}
    check.problems += [f"extra: {p.name}{'/' if p.is_dir() else ''} (not in {MANIFEST})"
                       for p in sorted(folder.iterdir()) if p.name not in listed]
    text = manifest.data_text
    if text is not None and archive.sha256_bytes(text.encode()) != manifest.inputs.data_sha256:
        check.problems.append(f"the data kept in {MANIFEST} is not the data it was made from "
                              "(its sha256 is not inputs.data_sha256)")
    elif rebuild:
        _rebuild(check, manifest, template)
    return check


def _rebuild(check: RevisionCheck, manifest: RevisionManifest, template: str | None) -> None:
    """Make the revision again in a temporary folder and compare every .docx."""
    inputs = manifest.inputs
    if manifest.data_text is None:
        check.problems.append(f"cannot rebuild: {MANIFEST} keeps no copy of the input data")
        return
    try:
        chosen = templates.resolve(template or inputs.template)
    except IkidocError as error:
        check.problems.append(f"cannot rebuild: {error}; give the template it was made with (-t)")
        return
    if (digest := chosen.sha256()) != inputs.template_sha256:
        check.problems.append(
            f"cannot rebuild: template {chosen.label} at {chosen.folder} has sha256 "
            f"{digest}, but the revision was made with {inputs.template} "
            f"{inputs.template_version}, sha256 {inputs.template_sha256}; give that template (-t)")
        return
    with tempfile.TemporaryDirectory(prefix="ikidoc-rebuild-") as work:
        data = Path(work) / (Path(inputs.data_file).name or "data.yaml")
        data.write_bytes(manifest.data_text.encode("utf-8"))
        try:
            [outcome] = generate([data], str(chosen.folder), Path(work) / "output")
        except IkidocError as error:
            check.problems.append(f"cannot rebuild: {error}")
            return
        made = {d.file: archive.sha256_file(outcome.folder / d.file) for d in outcome.documents}
    _compare_rebuilt(check, manifest, made)


def _compare_rebuilt(check: RevisionCheck, manifest: RevisionManifest,
                     made: dict[str, str]) -> None:
    kept = {r.path: r.sha256 for r in manifest.files if r.path.endswith(".docx")}
    found = [f"rebuild: {name} made again differs from the archived one"
             for name in kept if name in made and made[name] != kept[name]]
    found += [f"rebuild: makes no {name}" for name in kept if name not in made]
    found += [f"rebuild: makes {name}, which the revision does not hold"
              for name in made if name not in kept]
    if found and manifest.inputs.ikidoc != __version__:
        found.append(f"rebuild: the revision was made by ikidoc {manifest.inputs.ikidoc}; "
                     f"this is ikidoc {__version__}")
    check.problems += found
    check.rebuilt = 0 if found else len(kept)


def _require_folder(path: Path) -> None:
    if not path.is_dir():
        detail = "is not a folder" if path.exists() else "no such folder"
        raise ArchiveError(path=path, detail=detail)


def _is_revision(folder: Path) -> bool:
    """A folder named r<N>, or one holding a manifest (a revision copied elsewhere)."""
    return archive.revision_number(folder) is not None or (folder / MANIFEST).exists()


def _unit_title(manifest: RevisionManifest) -> str:
    return f"{manifest.unit_kerja} ({manifest.tahun})" if manifest.tahun else manifest.unit_kerja


def _holds(record: archive.FileRecord) -> str:
    if record.pdf_of:
        return f"PDF/A of {record.pdf_of}"
    return record.jabatan or "all positions"


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"

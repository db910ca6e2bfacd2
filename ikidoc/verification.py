"""``archive verify``: every revision checked against its manifest, and with a rebuild
everything the manifest says checked against what the data and template derive.

What a rebuild cannot derive (when the revision was made, which revision came before)
is covered by checksums: the manifest's own, and the sha256 of each manifest recorded by
the revision after it. Each finding is data (a kind, the file, what was expected, what
is there); ikidoc.audit_text words them for the command line.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ikidoc import __version__, archive, letterhead, templates
from ikidoc.archive import Identity
from ikidoc.errors import ArchiveError, IkidocError, VerifyError
from ikidoc.generate import generate
from ikidoc.load import load_file
from ikidoc.manifest import (
    MANIFEST,
    RevisionManifest,
    content_checksum,
    manifest_sha256,
    read_manifest,
)
from ikidoc.messages import msg

# What a Finding is about; the comment says which of its fields carry the facts.
Kind = Literal[
    "link",              # file: a revision folder, or a file in one, is a link; actual: target
    "manifest",          # error: manifest.json cannot be read as a manifest
    "checksum",          # expected: the recorded checksum (None: none, though the format has
                         # one); actual: the computed one
    "missing",           # file: listed in the manifest, not there
    "unreadable",        # file: listed, there, but it cannot be read to be checked
    "changed",           # file: its sha256 (actual) is not the manifest's (expected)
    "size",              # file: its size in bytes (actual) is not the manifest's (expected)
    "extra",             # file: there, not in the manifest (a folder's name ends in "/")
    "data-copy",         # the kept data's sha256 (actual) is not inputs.data_sha256 (expected)
    "previous-missing",  # file: the revision this one was made after is gone
    "previous-replaced",  # file: its manifest's sha256 (actual) is not the recorded (expected)
    "previous-skipped",  # file: a revision between the recorded previous one and this one
    "other-unit",        # expected: the folder's unit (key); actual: the manifest's
    "identity",          # error: the unit folder cannot say which unit it holds
    "no-data-copy",      # cannot rebuild: the manifest keeps no copy of the data
    "no-template",       # cannot rebuild: error says why the template cannot be found
    "template-differs",  # cannot rebuild: the template at file has sha256 actual, not expected
    "rebuild-failed",    # cannot rebuild: error from generate
    "rebuild-differs",   # file: made again, it is not the archived one
    "rebuild-missing",   # file: the rebuild makes no such file
    "rebuild-extra",     # file: the rebuild makes it, the revision does not hold it
    "other-ikidoc",      # expected: the ikidoc that made the revision; actual: this one
    "manifest-differs",  # key: the manifest says actual, the rebuild derives expected
]


@dataclass(frozen=True)
class Finding:
    """One thing ``archive verify`` found wrong in a revision. ``expected`` is what the
    manifest (or the revision after it, or the rebuild) says, ``actual`` what is there;
    values of manifest keys are given as JSON text."""

    kind: Kind
    file: str = ""
    expected: str | None = None
    actual: str | None = None
    key: str = ""  # a manifest key, as a path: files[0].jabatan
    template: str = ""  # template-differs: the template found, by name and version
    made_with: str = ""  # template-differs: the template recorded, by name and version
    error: IkidocError | None = None


@dataclass
class RevisionCheck:
    """What ``archive verify`` found in one revision."""

    folder: Path
    matched: int = 0  # files whose sha256 is the manifest's
    rebuilt: int = 0  # .docx files made again byte for byte
    problems: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def checks(path: Path, *, rebuild: bool = False,
           template: str | None = None) -> Iterator[RevisionCheck]:
    """Check every revision under ``path`` (an output, unit or revision folder), yielding
    one RevisionCheck per revision as it is made (a rebuild takes a while); ``.ok`` says
    whether it matched. Raises ArchiveError before the first when ``path`` holds no
    revision, and nothing after.

    Each file's sha256 and size are computed again and compared with the manifest, the
    manifest with its checksum and with the revision after it, the revision with its
    unit's folder. With ``rebuild`` the revision is also made again from the data kept in
    its manifest and the template (found by its recorded name, or ``template``): every
    .docx must come out byte for byte the same and the manifest must say what the
    rebuild derives.
    """
    for folder in _revision_folders(path):
        yield _check(folder, rebuild, template)


def verify(path: Path, *, rebuild: bool = False,
           template: str | None = None) -> Iterator[RevisionCheck]:
    """``checks``, then VerifyError naming the revisions that did not match, for a
    script that wants an exception (and the command line, its exit status)."""
    done = []
    for check in checks(path, rebuild=rebuild, template=template):
        done.append(check)
        yield check
    failed = [check.folder for check in done if not check.ok]
    if failed:
        raise VerifyError(path=path, failed=failed, checked=len(done))


def unit_folders(output: Path) -> list[Path]:
    """The unit folders under ``output``, or ``output`` itself when it is one."""
    require_folder(output)
    if archive.revisions(output):
        return [output]
    return sorted(p for p in output.iterdir() if p.is_dir() and archive.revisions(p))


def require_folder(path: Path) -> None:
    if not path.is_dir():
        if path.exists():
            raise ArchiveError(path=path, detail=msg("audit.not_folder", "is not a folder"))
        raise ArchiveError(path=path, detail=msg("audit.no_such_folder", "no such folder"))


def is_revision(folder: Path) -> bool:
    """A folder named r<N>, or one holding a manifest (a revision copied elsewhere)."""
    return archive.revision_number(folder) is not None or (folder / MANIFEST).exists()


def _revision_folders(path: Path) -> list[Path]:
    require_folder(path)
    if is_revision(path):
        return [path]
    folders = [unit / f"r{n}" for unit in unit_folders(path) for n in archive.revisions(unit)]
    if not folders:
        raise ArchiveError(path=path, detail=msg(
            "audit.no_revision", "holds no revision (no r<N> folder); give the output folder "
            "of ikidoc generate"))
    return folders


def _check(folder: Path, rebuild: bool, template: str | None) -> RevisionCheck:
    check = RevisionCheck(folder)
    if not archive.is_trusted(folder):
        check.problems.append(Finding("link", folder.name, actual=os.readlink(folder)))
        return check
    try:
        manifest, raw = read_manifest(folder)
    except ArchiveError as error:
        check.problems.append(Finding("manifest", MANIFEST, error=error))
        return check
    check.problems += _checksum(manifest, raw)
    _check_files(check, manifest)
    if archive.revision_number(folder) is not None:
        check.problems += _chain(folder, manifest) + _unit(folder, manifest)
    text = manifest.data_text
    if text is not None and (digest := archive.sha256_bytes(text.encode())) != (
            manifest.inputs.data_sha256):
        check.problems.append(Finding("data-copy", MANIFEST, manifest.inputs.data_sha256, digest))
    elif rebuild:
        _rebuild(check, manifest, raw, template)
    return check


def _checksum(manifest: RevisionManifest, raw: dict[str, Any]) -> list[Finding]:
    """A manifest of ikidoc-archive/2 or later records a checksum over its content."""
    if manifest.checksum is None and manifest.format == _FIRST_FORMAT:
        return []
    computed = content_checksum(raw)
    return [] if manifest.checksum == computed else [
        Finding("checksum", MANIFEST, manifest.checksum, computed)]


def _check_files(check: RevisionCheck, manifest: RevisionManifest) -> None:
    problems = archive.file_problems(check.folder, manifest)
    check.matched = len(manifest.files) - sum(problem.kind != "extra" for problem in problems)
    check.problems += [Finding(problem.kind, problem.path, problem.expected,
                               problem.actual) for problem in problems]


def _chain(folder: Path, manifest: RevisionManifest) -> list[Finding]:
    """The revision this one records it was made after: still there, unchanged, and the
    one right before it."""
    recorded = manifest.previous
    if recorded is None:
        return []
    number = archive.revision_number(folder) or 0
    before = folder.parent / recorded.revision
    if not before.is_dir():
        return [Finding("previous-missing", recorded.revision)]
    found = []
    digest = manifest_sha256(before)
    if recorded.sha256 is not None and digest != recorded.sha256:
        found.append(Finding("previous-replaced", f"{recorded.revision}/{MANIFEST}",
                             recorded.sha256, digest))
    after = archive.revision_number(before) or 0
    found += [Finding("previous-skipped", f"r{n}", recorded.revision)
              for n in archive.revisions(folder.parent) if after < n < number]
    return found


def _unit(folder: Path, manifest: RevisionManifest) -> list[Finding]:
    """A revision is of the unit its folder holds."""
    try:
        held = archive.folder_identity(folder.parent)
    except ArchiveError as error:
        return [Finding("identity", error=error)]
    if held is None:
        return []
    identity, instansi_known = held
    made_for = Identity(manifest.instansi, manifest.unit_kerja, manifest.tahun)
    if identity.same_unit(made_for, instansi_known and manifest.records_instansi):
        return []
    return [Finding("other-unit", MANIFEST, identity.key, made_for.key)]


def _rebuild(check: RevisionCheck, manifest: RevisionManifest, raw: dict[str, Any],
             template: str | None) -> None:
    """Make the revision again in a temporary folder; compare every .docx and the manifest."""
    inputs = manifest.inputs
    if manifest.data_text is None:
        check.problems.append(Finding("no-data-copy", MANIFEST))
        return
    try:
        chosen = templates.resolve(template or inputs.template)
    except IkidocError as error:
        check.problems.append(Finding("no-template", error=error))
        return
    if (digest := chosen.sha256()) != inputs.template_sha256:
        check.problems.append(Finding(
            "template-differs", str(chosen.folder), inputs.template_sha256, digest,
            template=chosen.label, made_with=f"{inputs.template} {inputs.template_version}"))
        return
    with kept_data(check.folder, manifest, manifest.data_text) as data:
        try:
            [outcome] = generate([data], str(chosen.folder), data.parent / "output",
                                 settings=recorded_settings(manifest))
            _, derived = read_manifest(outcome.folder)
        except IkidocError as error:
            check.problems.append(Finding("rebuild-failed", error=error))
            return
        made = {d.file: archive.sha256_file(outcome.folder / d.file) for d in outcome.documents}
    _compare_rebuilt(check, manifest, made)
    check.problems += _compare_manifests(raw, derived)


@contextmanager
def kept_data(folder: Path, manifest: RevisionManifest, text: str) -> Iterator[Path]:
    """The data revision ``folder`` was made from (``text``: its manifest's ``data_text``)
    as a file of its name in a temporary folder, with the letterhead's logo beside it
    (_restore_logo), to be made again; the folder is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ikidoc-rebuild-") as work:
        data = Path(work) / (Path(manifest.inputs.data_file).name or "data.yaml")
        data.write_bytes(text.encode("utf-8"))
        _restore_logo(folder, manifest, data)
        yield data


def recorded_settings(manifest: RevisionManifest) -> dict[str, bool]:
    """The template switches given for the run that made the revision (``--set``)."""
    recorded = (manifest.inputs.model_extra or {}).get("pilihan")
    return dict(recorded) if isinstance(recorded, dict) else {}


def _restore_logo(folder: Path, manifest: RevisionManifest, data: Path) -> None:
    """Put the letterhead's logo beside the rebuilt data file. The manifest keeps only its
    sha256; the picture itself is inside every document of the revision, and is taken
    from there when its bytes still hash to what the manifest says. A logo that cannot be
    found so makes the rebuild fail, naming ``kop.logo``, as a missing file would."""
    recorded = (manifest.inputs.model_extra or {}).get("kop_logo_sha256")
    if not recorded:
        return
    try:
        kop = load_file(data).unit.kop
    except IkidocError:
        return  # the rebuild itself reports data that no longer loads
    if kop is None or kop.logo is None or Path(kop.logo).is_absolute() or ".." in Path(
            kop.logo).parts:
        return  # a name leading out of the rebuild's folder is never written (the rebuild
        # then reports the logo as generate does)
    for record in manifest.files:
        picture = letterhead.picture_in(folder / record.path, recorded)
        if picture is not None:
            target = data.parent / kop.logo
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(picture)
            return


def _compare_rebuilt(check: RevisionCheck, manifest: RevisionManifest,
                     made: dict[str, str]) -> None:
    kept = {r.path: r.sha256 for r in manifest.files if r.path.endswith(".docx")}
    found = [Finding("rebuild-differs", name)
             for name in kept if name in made and made[name] != kept[name]]
    found += [Finding("rebuild-missing", name) for name in kept if name not in made]
    found += [Finding("rebuild-extra", name) for name in made if name not in kept]
    if found and manifest.inputs.ikidoc != __version__:
        found.append(Finding("other-ikidoc", expected=manifest.inputs.ikidoc, actual=__version__))
    check.problems += found
    check.rebuilt = 0 if found else len(kept)


# Not derived by a rebuild, and covered by checksums instead: when the revision was made,
# the revision it was made after, and the checksum itself.
_NOT_DERIVED = frozenset({"created", "previous", "checksum"})
# Derived only by the ikidoc version that made the revision.
_OF_THE_VERSION = frozenset({"format", "inputs.ikidoc"})
_FIRST_FORMAT = "ikidoc-archive/1"  # written before manifests had a checksum


def _compare_manifests(kept: dict[str, Any], derived: dict[str, Any]) -> list[Finding]:
    """Every key the archived manifest holds, against what the rebuild wrote.

    A key the rebuild does not write (one an older or a newer ikidoc writes) is reported
    too: only what can be derived, or is covered by a checksum, is accepted. File
    records are matched by name; the sha256 and size of a .docx are the byte comparison's,
    and a PDF (not rebuilt) must be named after the .docx it was made from.
    """
    skip = set(_NOT_DERIVED)
    if kept.get("inputs", {}).get("ikidoc") != __version__:
        skip |= _OF_THE_VERSION
    if kept.get("format") == _FIRST_FORMAT:
        skip.add("format")
    found = []
    for key, value in kept.items():
        if key == "files" and isinstance(value, list):
            found += _compare_files(value, derived.get("files", []))
        elif key == "inputs" and isinstance(value, dict):
            found += _compare_keys(value, derived.get("inputs", {}), "inputs.", skip)
        elif key not in skip:
            found += _compare_value(key, value, derived, key)
    return found


def _compare_keys(kept: dict[str, Any], derived: dict[str, Any], prefix: str,
                  skip: set[str] | frozenset[str] = frozenset()) -> list[Finding]:
    return [finding for key, value in kept.items() if f"{prefix}{key}" not in skip
            for finding in _compare_value(key, value, derived, f"{prefix}{key}")]


_ABSENT = object()


def _compare_value(key: str, value: Any, derived: dict[str, Any], where: str) -> list[Finding]:
    made = derived.get(key, _ABSENT)
    if made == value:
        return []
    if isinstance(value, dict) and isinstance(made, dict):  # named by the key inside
        return _compare_keys(value, made, f"{where}.")
    return [Finding("manifest-differs", MANIFEST, None if made is _ABSENT else _json(made),
                    _json(value), key=where)]


def _compare_files(kept: list[Any], derived: list[Any]) -> list[Finding]:
    made = {record.get("path"): record for record in derived if isinstance(record, dict)}
    found = []
    for index, record in enumerate(kept):
        if not isinstance(record, dict):
            continue
        path, prefix = str(record.get("path")), f"files[{index}]."
        if "pdf_of" in record:  # made by LibreOffice, not rebuilt: checked by its sha256
            source = made.get(record["pdf_of"], {})
            expected = {"pdf_of": source.get("path"),
                        "path": f"{Path(str(source.get('path'))).stem}.pdf"}
            extra = {key: value for key, value in record.items()
                     if key not in {"sha256", "bytes", "pdf_of", "path"}}
            found += _compare_keys({"pdf_of": record["pdf_of"], "path": path, **extra},
                                   expected, prefix)
        elif path in made:  # a .docx the rebuild made: its bytes are compared already
            found += _compare_keys(record, made[path], prefix,
                                   {f"{prefix}sha256", f"{prefix}bytes"})
    return found


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)

"""An audit that cannot be fooled: every key of a manifest is checked against the rebuild
or covered by a checksum, revisions are chained, and manifests out of bounds or revision
folders that are links are named without crashing or being trusted."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_data
from test_audit import problems, rewrite_manifest, run

from ikidoc import audit, generate
from ikidoc.archive import load_manifest
from ikidoc.cli import cli
from ikidoc.errors import VerifyError

UNIT = "bagian-uji-2025"


def three_revisions(minimal_data: Path, output: Path) -> list[Path]:
    folders = []
    for word in ("Arsip", "Agenda", "Surat"):
        text = minimal_data.read_text(encoding="utf-8")
        minimal_data.write_text(text.replace("Arsip", word).replace("Agenda", word),
                                encoding="utf-8")
        folders.append(run(minimal_data, output))
    return folders


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda m: m.update(unit_kerja="Bagian Lain"),
     'rebuild: manifest.json says unit_kerja is "Bagian Lain", but the rebuild derives '
     '"Bagian Uji"'),
    (lambda m: m.update(tahun=2024),
     "rebuild: manifest.json says tahun is 2024, but the rebuild derives 2025"),
    (lambda m: m.update(jabatan=["Bendahara"]),
     'rebuild: manifest.json says jabatan is ["Bendahara"], but the rebuild derives ["Analis"]'),
    (lambda m: m["files"][0].update(jabatan="Bendahara"),
     'rebuild: manifest.json says files[0].jabatan is "Bendahara", but the rebuild derives '
     '"Analis"'),
    (lambda m: m["files"][1].update(indikator=7),
     "rebuild: manifest.json says files[1].indikator is 7, but the rebuild derives 1"),
    (lambda m: m["template"].update(regulation="PermenPANRB 1/2099"),
     'rebuild: manifest.json says template.regulation is "PermenPANRB 1/2099", but the rebuild '
     'derives "'),
    (lambda m: m["inputs"].update(template_version="9.9.9"),
     'rebuild: manifest.json says inputs.template_version is "9.9.9", but the rebuild derives '
     '"1.1.0"'),
    (lambda m: m.update(approved_by="Sekretaris Daerah"),
     'rebuild: manifest.json says approved_by is "Sekretaris Daerah", which the rebuild does '
     'not derive'),
])
def test_rebuild_checks_every_key_the_manifest_holds(minimal_data: Path, tmp_path: Path,
                                                     edit, expected: str) -> None:
    revision = run(minimal_data, tmp_path / "out")
    rewrite_manifest(revision, edit)
    # the checksum was forged too: only a rebuild can tell (or, for the unit, its folder)
    [plain] = problems(revision)
    assert plain == ([f"unit: manifest.json is of the unit {edited_unit(revision)!r}, but this "
                      "folder holds '|Bagian Uji|2025' (instansi|unit_kerja|tahun)"]
                     if "unit_kerja" in expected or "tahun" in expected else [])
    [[*_, found]] = problems(revision, rebuild=True)
    assert found.startswith(expected)


def edited_unit(revision: Path) -> str:
    manifest = load_manifest(revision)
    return f"|{manifest.unit_kerja}|{manifest.tahun}"


def test_an_edit_without_its_checksum_is_found_without_a_rebuild(minimal_data: Path,
                                                                 tmp_path: Path) -> None:
    revision = run(minimal_data, tmp_path / "out")
    rewrite_manifest(revision, lambda m: m.update(created="2020-01-01T00:00:00+00:00"),
                  forge_checksum=False)
    [[found]] = problems(revision)
    assert found.startswith("manifest.json was edited: its content's sha256 is ")
    rewrite_manifest(revision, lambda m: m.pop("checksum"), forge_checksum=False)
    assert problems(revision) == [[
        "manifest.json records no checksum, though its format has one: it was edited"]]


def test_created_edited_with_a_forged_checksum_is_found_by_the_next_revision(
        minimal_data: Path, tmp_path: Path) -> None:
    first, second, _ = three_revisions(minimal_data, tmp_path / "out")
    recorded = load_manifest(second).previous.sha256
    rewrite_manifest(first, lambda m: m.update(created="2020-01-01T00:00:00+00:00"))
    now = hashlib.sha256((first / "manifest.json").read_bytes()).hexdigest()
    assert problems(tmp_path / "out", rebuild=True) == [[], [
        f"chain: r1/manifest.json is not the one this revision was made after (its sha256 is "
        f"{now}; this revision recorded {recorded})"], []]


def test_a_revision_removed_whole_is_reported(minimal_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    _, second, _ = three_revisions(minimal_data, output)
    shutil.rmtree(second)
    assert problems(output) == [[], ["chain: this revision was made after r2, which is missing"]]


def test_a_revision_replaced_whole_is_reported(minimal_data: Path, tmp_path: Path) -> None:
    """r1 replaced by a revision of the same unit made elsewhere: whole and consistent in
    itself, but not the one r2 was made after."""
    output = tmp_path / "out"
    first, second, _ = three_revisions(minimal_data, output)
    recorded = load_manifest(second).previous.sha256
    shutil.rmtree(first)
    shutil.copytree(run(minimal_data, tmp_path / "elsewhere"), first)
    now = hashlib.sha256((first / "manifest.json").read_bytes()).hexdigest()
    assert problems(output, rebuild=True) == [[], [
        f"chain: r1/manifest.json is not the one this revision was made after (its sha256 is "
        f"{now}; this revision recorded {recorded})"], []]


def test_a_revision_inserted_between_two_is_reported(minimal_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    first, _, third = three_revisions(minimal_data, output)
    recorded = hashlib.sha256((first / "manifest.json").read_bytes()).hexdigest()
    rewrite_manifest(third, lambda m: m.update(previous={"revision": "r1", "sha256": recorded}))
    assert problems(third) == [[
        "chain: this revision was made after r1, but r2 stands between them"]]


def huge_manifest(revision: Path) -> None:
    """A manifest.json of 2 GB: a sparse file, so that the test writes almost nothing."""
    with (revision / "manifest.json").open("r+b") as handle:
        handle.truncate(2 * 2**30)


def deep_manifest(revision: Path) -> None:
    (revision / "manifest.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")


def fifo_manifest(revision: Path) -> None:
    """A named pipe: opening it to read would wait for a writer for ever."""
    (revision / "manifest.json").unlink()
    os.mkfifo(revision / "manifest.json")


def linked_manifest(revision: Path) -> None:
    """A link to a file elsewhere on the disk, which must not be read as the manifest."""
    elsewhere = revision.parent.parent.parent / "secret.json"
    elsewhere.write_text((revision / "manifest.json").read_text(encoding="utf-8"),
                         encoding="utf-8")
    (revision / "manifest.json").unlink()
    (revision / "manifest.json").symlink_to(elsewhere)


@pytest.mark.parametrize(("spoil", "detail", "hashed"), [
    (linked_manifest, "is not a regular file; it is not read", False),
    (huge_manifest, "is 2,147,483,648 bytes, over the limit of 128 MB; it is not read", False),
    (deep_manifest, "nests deeper than 32 levels; it is not an ikidoc manifest", True),
    pytest.param(fifo_manifest, "is not a regular file; it is not read", False,
                 marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")),
])
def test_a_manifest_out_of_bounds_is_named_and_generate_goes_on(minimal_data: Path,
                                                                tmp_path: Path, spoil,
                                                                detail: str, hashed: bool) -> None:
    output = tmp_path / "out"
    first = run(minimal_data, output)
    spoil(first)
    runner = CliRunner()
    listed = runner.invoke(cli, ["archive", "list", str(output)])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[1] == f"  r1    manifest.json {detail}"
    verified = runner.invoke(cli, ["archive", "verify", str(output)])
    assert verified.exit_code == 1
    assert verified.stdout == f"{first}: 1 problem\n  manifest.json {detail}\n"
    [outcome] = generate([minimal_data], None, output)  # the same data: r1 cannot be trusted
    assert outcome.changed and outcome.folder.name == "r2"
    made_after = hashlib.sha256((first / "manifest.json").read_bytes()).hexdigest() if (
        hashed) else None
    assert load_manifest(outcome.folder).previous.model_dump() == {"revision": "r1",
                                                                   "sha256": made_after}
    assert [c.ok for c in audit.checks(output)] == [False, True]


def test_a_revision_that_links_out_of_the_archive_is_reported_and_not_trusted(
        minimal_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    elsewhere = run(minimal_data, tmp_path / "elsewhere")
    first = run(minimal_data, output)
    shutil.rmtree(first)
    os.symlink(elsewhere, first)
    assert problems(output) == [[f"link: r1 is a symbolic link (to {elsewhere}), not part of this "
                                 "archive; it is not trusted"]]
    [outcome] = generate([minimal_data], None, output)  # the same data, but r1 is not trusted
    assert outcome.changed and outcome.folder == output / UNIT / "r2"
    assert not any(p.is_symlink() for p in outcome.folder.iterdir())


def test_checks_yields_every_revision_and_verify_raises_after_the_last(minimal_data: Path,
                                                                      tmp_path: Path) -> None:
    output = tmp_path / "out"
    _, second, _ = three_revisions(minimal_data, output)
    (second / "01-analis.docx").write_bytes(b"edited")
    assert [c.ok for c in audit.checks(output)] == [True, False, True]
    seen = []
    with pytest.raises(VerifyError) as raised:
        for check in audit.verify(output):
            seen.append(check.folder.name)
    assert seen == ["r1", "r2", "r3"] and raised.value.failed == [str(second)]


def test_a_finding_is_data(minimal_data: Path, tmp_path: Path) -> None:
    revision = run(minimal_data, tmp_path / "out")
    recorded = load_manifest(revision).files[0].sha256
    (revision / "01-analis.docx").write_bytes(b"edited")
    [check] = audit.checks(revision)
    [finding] = check.problems
    assert (finding.kind, finding.file, finding.expected, finding.actual) == (
        "changed", "01-analis.docx", recorded, hashlib.sha256(b"edited").hexdigest())


def test_a_manifest_of_another_unit_in_a_folder_is_reported(minimal_data: Path,
                                                           tmp_path: Path) -> None:
    output = tmp_path / "out"
    first = run(minimal_data, output)
    other = write_data(tmp_path, minimal_data.read_text(encoding="utf-8").replace(
        "Bagian Uji", "Bagian Lain"), "lain.yaml")
    shutil.copytree(run(other, tmp_path / "lain"), first.parent / "r2")
    [_, [found]] = problems(output)
    assert found == ("unit: manifest.json is of the unit '|Bagian Lain|2025', but this folder "
                     "holds '|Bagian Uji|2025' (instansi|unit_kerja|tahun)")

"""The archive read back: identical bytes for identical inputs, list, show, verify, rebuild."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import edit_template, tree_snapshot, write_data

from ikidoc import audit, audit_text, generate, load_file
from ikidoc.archive import load_manifest
from ikidoc.errors import ArchiveError, VerifyError
from ikidoc.manifest import content_checksum
from ikidoc.messages import word

UNIT = "bagian-uji-2025"


def run(data: Path, output: Path, template: str | None = None) -> Path:
    """Generate and return the revision folder written."""
    [outcome] = generate([data], template, output)
    assert outcome.changed
    return outcome.folder


def problems(path: Path, **options: object) -> list[list[str]]:
    """The problems verify reports, one list per revision, in the command line's words."""
    return [[audit_text.finding(problem) for problem in check.problems]
            for check in audit.checks(path, **options)]


def rewrite_manifest(revision: Path, edit, *, forge_checksum: bool = True) -> None:
    """Edit a manifest as a forger who knows the format would: its checksum made again."""
    manifest = json.loads((revision / "manifest.json").read_text(encoding="utf-8"))
    edit(manifest)
    if forge_checksum:
        manifest["checksum"] = content_checksum(manifest)
    (revision / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                            encoding="utf-8")


def test_same_data_template_and_version_give_byte_identical_documents(sample_copy: Path,
                                                                      tmp_path: Path) -> None:
    first, second = run(sample_copy, tmp_path / "one"), run(sample_copy, tmp_path / "two")
    documents = sorted(p.name for p in first.glob("*.docx"))
    assert len(documents) == 13
    for name in documents:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    one, two = load_manifest(first), load_manifest(second)
    assert one.files == two.files and one.inputs == two.inputs and one.data_text == two.data_text


def test_manifest_keeps_the_data_text_and_every_position(sample_copy: Path, tmp_path: Path) -> None:
    manifest = load_manifest(run(sample_copy, tmp_path / "out"))
    assert manifest.data_text == sample_copy.read_text(encoding="utf-8")
    assert hashlib.sha256(manifest.data_text.encode()).hexdigest() == manifest.inputs.data_sha256
    assert len(manifest.jabatan) == 12 and manifest.jabatan[1] == "Bendahara"


def test_verify_passes_an_untouched_archive_and_writes_nothing(minimal_data: Path,
                                                               tmp_path: Path) -> None:
    output = tmp_path / "out"
    run(minimal_data, output)
    minimal_data.write_text(minimal_data.read_text(encoding="utf-8").replace("Arsip", "Agenda"),
                            encoding="utf-8")
    run(minimal_data, output)
    before = tree_snapshot(output)
    checks = list(audit.verify(output, rebuild=True))
    assert [(c.folder.name, c.ok, c.matched, c.rebuilt) for c in checks] == [
        ("r1", True, 2, 2), ("r2", True, 2, 2)]
    assert audit_text.revision_check(checks[0]) == (
        f"{output / UNIT / 'r1'}: ok, 2 files match manifest.json; "
                              "2 .docx made again are identical")
    assert tree_snapshot(output) == before


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_data_file_saved_with_a_bom_and_crlf_verifies_and_rebuilds(minimal_data: Path,
                                                                     tmp_path: Path,
                                                                     suffix: str) -> None:
    """Notepad on Windows saves UTF-8 with a BOM and CRLF line ends."""
    text = minimal_data.read_text(encoding="utf-8")
    if suffix == ".json":
        text = json.dumps(load_file(minimal_data).unit.model_dump(mode="json", exclude_none=True))
    data = minimal_data.with_suffix(suffix)
    data.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    run(data, tmp_path / "out")
    [check] = audit.verify(tmp_path / "out", rebuild=True)
    assert (check.ok, check.problems, check.rebuilt) == (True, [], 2)
    manifest = load_manifest(check.folder)
    assert manifest.inputs.data_sha256 == hashlib.sha256(data.read_bytes()).hexdigest()


def test_verify_reports_each_missing_extra_and_changed_file(sample_copy: Path,
                                                            tmp_path: Path) -> None:
    revision = run(sample_copy, tmp_path / "out")
    listed = {r.path: r.sha256 for r in load_manifest(revision).files}
    with (revision / "02-bendahara.docx").open("ab") as handle:
        handle.write(b"\0")
    changed = hashlib.sha256((revision / "02-bendahara.docx").read_bytes()).hexdigest()
    (revision / "08-pengemudi.docx").unlink()
    (revision / "notes.txt").write_text("x")
    (revision / "scans").mkdir()
    with pytest.raises(VerifyError) as raised:
        list(audit.verify(tmp_path / "out"))
    assert raised.value.failed == [str(revision)] and raised.value.checked == 1
    assert problems(revision) == [[
        f"changed: 02-bendahara.docx (its sha256 is {changed}, manifest.json says "
        f"{listed['02-bendahara.docx']})",
        "missing: 08-pengemudi.docx",
        "extra: notes.txt (not in manifest.json)",
        "extra: scans/ (not in manifest.json)",
    ]]


@pytest.mark.parametrize(("text", "expected"), [
    (None, "manifest.json is missing"),
    ('{"format": "ikidoc-archive/1",', "manifest.json is not valid JSON: Expecting property name "
                                       "enclosed in double quotes at line 1, column 31"),
    ("[]", "manifest.json is not an ikidoc manifest: top level: expected a mapping (key: value), "
           "got a list"),
])
def test_verify_reports_a_missing_or_corrupt_manifest(minimal_data: Path, tmp_path: Path,
                                                      text: str | None, expected: str) -> None:
    revision = run(minimal_data, tmp_path / "out")
    if text is None:
        (revision / "manifest.json").unlink()
    else:
        (revision / "manifest.json").write_text(text, encoding="utf-8")
    assert problems(tmp_path / "out") == [[expected]]


def test_verify_refuses_a_hand_edited_path_that_leads_outside_the_revision(minimal_data: Path,
                                                                          tmp_path: Path) -> None:
    revision = run(minimal_data, tmp_path / "out")
    rewrite_manifest(revision, lambda m: m["files"][0].update(path="../../secret.docx"))
    [[problem]] = problems(revision)
    assert problem.startswith("manifest.json is not an ikidoc manifest: files[0].path: "
                              "does not have the form expected")


def test_rebuild_catches_a_document_replaced_together_with_its_hash(minimal_data: Path,
                                                                    tmp_path: Path) -> None:
    revision = run(minimal_data, tmp_path / "out")
    forged = (revision / f"{UNIT}.docx").read_bytes()
    (revision / "01-analis.docx").write_bytes(forged)
    rewrite_manifest(revision, lambda m: m["files"][0].update(
        sha256=hashlib.sha256(forged).hexdigest(), bytes=len(forged)))
    assert problems(revision) == [[]]
    assert problems(revision, rebuild=True) == [[
        "rebuild: 01-analis.docx made again differs from the archived one"]]


def test_rebuild_fails_clearly_when_the_template_is_no_longer_the_recorded_one(
        minimal_data: Path, tmp_path: Path, iki_copy: Path) -> None:
    revision = run(minimal_data, tmp_path / "out", str(iki_copy))
    recorded = load_manifest(revision).inputs.template_sha256
    assert problems(revision, rebuild=True, template=str(iki_copy)) == [[]]
    edit_template(iki_copy, "INDIKATOR KINERJA INDIVIDU", "INDIKATOR KINERJA")
    [[problem]] = problems(revision, rebuild=True, template=str(iki_copy))
    assert problem.startswith(f"cannot rebuild: template iki-copy 1.1.0 at {iki_copy} has sha256 ")
    assert problem.endswith(f", but the revision was made with iki-copy 1.1.0, sha256 {recorded}; "
                            "give that template (-t)")


def test_rebuild_needs_the_data_kept_in_the_manifest(minimal_data: Path, tmp_path: Path) -> None:
    revision = run(minimal_data, tmp_path / "out")
    rewrite_manifest(revision, lambda m: m.pop("data_text"))
    assert problems(revision, rebuild=True) == [
        ["cannot rebuild: manifest.json keeps no copy of the input data"]]
    rewrite_manifest(revision, lambda m: m.update(data_text="unit_kerja: Lain\n"))
    assert problems(revision, rebuild=True) == [[
        "the data kept in manifest.json is not the data it was made from (its sha256 is not "
        "inputs.data_sha256)"]]


def test_verify_of_a_folder_without_revisions_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match=r"holds no revision \(no r<N> folder\)"):
        list(audit.verify(tmp_path))
    with pytest.raises(ArchiveError, match="no such folder"):
        list(audit.verify(tmp_path / "missing"))


def test_list_shows_every_unit_with_its_revisions(minimal_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    run(minimal_data, output)
    other = write_data(tmp_path, minimal_data.read_text(encoding="utf-8").replace(
        "Bagian Uji", "Bagian Lain"), "lain.yaml")
    run(other, output)
    (output / "bagian-lain-2025" / "r1" / "manifest.json").write_text("{}", encoding="utf-8")
    units = audit.list_units(output)
    assert [(u.folder.name, [r.folder.name for r in u.revisions]) for u in units] == [
        ("bagian-lain-2025", ["r1"]), (UNIT, ["r1"])]
    lines = audit_text.unit_listing(units[1]).splitlines()
    assert lines[0] == f"{output / UNIT}  Bagian Uji (2025)"
    assert lines[1].startswith("  r1    20") and lines[1].endswith(
        " UTC  1 position  template iki 1.1.0")
    assert audit_text.unit_listing(units[0]).splitlines()[1].startswith(
        "  r1    manifest.json is not an ikidoc manifest: format: Field required (and ")


def test_show_names_positions_added_removed_and_changed(tmp_path: Path) -> None:
    data = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        tahun: 2025
        tanggal: 2025-01-02
        jabatan:
          - nama: Analis
            sasaran: [{uraian: S, indikator: [&i {uraian: I, formulasi: F, sumber_data: D}]}]
          - {nama: Pengemudi, sasaran: [{uraian: S, indikator: [*i]}]}
          - {nama: Bendahara, sasaran: [{uraian: S, indikator: [*i]}]}
        """)
    output = tmp_path / "out"
    first = run(data, output)
    text = data.read_text(encoding="utf-8")
    text = text.replace("2025-01-02", "2025-01-03").replace("Pengemudi", "Pengelola Data")
    data.write_text(text.replace("sasaran: [{uraian: S, indikator: [&i",
                                 "tugas: [Menyusun]\n    sasaran: [{uraian: S2, indikator: [&i"),
                    encoding="utf-8")
    second = run(data, output)
    assert audit.show(first).changes is None
    assert audit_text.revision_view(audit.show(first)).splitlines()[-1] == (
        "changes: the first revision of this unit")
    view = audit.show(output / UNIT)
    assert view.folder == second
    assert view.changes is not None and view.changes.changed == [
        audit.Change("Analis", ["tugas", "sasaran"], [
            audit.Difference(("tugas", 0), None, "Menyusun"),
            audit.Difference(("sasaran", 0, "uraian"), "S", "S2")])]
    assert view.changes.unit_differences == [
        audit.Difference(("tanggal",), "2025-01-02", "2025-01-03")]
    assert audit_text.revision_view(view).splitlines()[-8:] == [
        "changes since r1:",
        "  added:     Pengelola Data",
        "  removed:   Pengemudi",
        "  changed:   Analis (tugas, sasaran)",
        "    Analis: tugas 1 added: 'Menyusun'",
        "    Analis: sasaran 1, uraian: 'S' → 'S2'",
        "  unit:      tanggal",
        "    tanggal: '2025-01-02' → '2025-01-03'",
    ]


def test_show_tells_the_template_change_and_a_revision_without_changes(
        minimal_data: Path, tmp_path: Path, iki_copy: Path) -> None:
    output = tmp_path / "out"
    run(minimal_data, output)
    manifest = iki_copy / "template.yaml"  # the bundled iki, edited in place
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("iki-copy", "iki"),
                        encoding="utf-8")
    edit_template(iki_copy, "INDIKATOR KINERJA INDIVIDU", "INDIKATOR KINERJA")
    second = run(minimal_data, output, str(iki_copy))
    lines = audit_text.revision_view(audit.show(second)).splitlines()
    assert lines[0] == f"revision    {second}"
    assert lines[3].startswith("data        unit.yaml (sha256 ") and lines[3].endswith(
        ", kept in manifest.json)")
    assert lines[-2:] == ["changes since r1:", "  made with: template iki 1.1.0, its files edited"]
    assert audit.show(second).changes.made_with == [
        audit.MadeWith("template", "iki 1.1.0", "iki 1.1.0")]


def test_show_of_a_corrupt_manifest_is_an_error_naming_it(minimal_data: Path,
                                                          tmp_path: Path) -> None:
    revision = run(minimal_data, tmp_path / "out")
    (revision / "manifest.json").write_text("not json", encoding="utf-8")
    with pytest.raises(ArchiveError) as raised:
        audit.show(revision)
    assert str(raised.value) == (f"{revision / 'manifest.json'}: is not valid JSON: Expecting "
                                 "value at line 1, column 1")


def test_show_pairs_list_items_so_one_put_in_is_one_change_and_shortens_the_values(
        tmp_path: Path) -> None:
    long = "Persentase " + "laporan keuangan yang disusun tepat waktu " * 3
    data = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        tahun: 2025
        jabatan:
          - nama: Analis
            tugas: [Satu, Dua, Tiga]
            sasaran:
              - uraian: S
                indikator:
                  - {uraian: I1, formulasi: F, sumber_data: D}
                  - {uraian: I2, formulasi: F, sumber_data: D}
        """)
    output = tmp_path / "out"
    run(data, output)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("[Satu, Dua, Tiga]", "[Nol, Satu, Dua, Tiga]")
                    .replace("uraian: I2", f"uraian: {long}"), encoding="utf-8")
    run(data, output)
    view = audit.show(output / UNIT)
    [change] = view.changes.changed
    assert change.differences == [
        audit.Difference(("tugas", 0), None, "Nol"),
        audit.Difference(("sasaran", 0, "indikator", 1, "uraian"), "I2", long.strip())]
    said = audit_text.difference_message(change.differences[1])
    shortened = word(said, "en").split(" → ")[1]
    assert shortened == "'" + long[:audit_text.VALUE_SHOWN - 1].rstrip() + "…'"
    assert word(said, "id").startswith("sasaran 1, indikator 2, uraian: 'I2' → 'Persentase ")


def test_show_names_the_first_changes_of_a_position_then_how_many_more() -> None:
    found = [audit.Difference(("tugas", number), None, f"Tugas {number}") for number in range(8)]
    said = [word(line, "id") for line in audit_text.difference_messages(found)]
    assert said[:2] == ["tugas 1 ditambahkan: 'Tugas 0'", "tugas 2 ditambahkan: 'Tugas 1'"]
    assert len(said) == audit_text.DIFFERENCES_SHOWN + 1
    assert said[-1] == f"dan {8 - audit_text.DIFFERENCES_SHOWN} perubahan lain"

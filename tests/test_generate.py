"""The generate pipeline: output layout, manifest, revisions, nothing written on error."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from conftest import SAMPLE, TESTS_DATA, body_texts, edit_template, tree_snapshot
from test_bundled_templates import LOGO, full_unit

from ikidoc import __version__, generate, letterhead, validate
from ikidoc.errors import DataError, TemplateError
from ikidoc.load import Source

UNIT = "bagian-administrasi-perekonomian-2025"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("run") / "output"
    generate([SAMPLE], output=output)
    return output / UNIT / "r1"


def test_writes_one_document_per_position_plus_combined_and_manifest(sample_run: Path) -> None:
    names = sorted(p.name for p in sample_run.iterdir())
    assert names[:12] == sorted(names[:12]) and len(names) == 14
    assert names[0] == "01-kepala-sub-bagian-koperasi-dan-usaha-mikro.docx"
    assert names[6] == "07-pengelola-program-kegiatan.docx"
    assert names[10] == "11-pengelola-program-kegiatan.docx"
    assert names[12:] == [f"{UNIT}.docx", "manifest.json"]


def test_each_document_carries_its_own_position(sample_run: Path) -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    files = sorted(sample_run.glob("[0-9][0-9]-*.docx"))
    for entry, path in zip(data["jabatan"], files, strict=True):
        document = docx.Document(str(path))
        assert body_texts(document)[1] == f"Jabatan\t:\t{entry['nama']}"
        tugas = [t for t in body_texts(document) if "\t" in t and t.split("\t")[2:3] != [""]][1:]
        assert [t.split("\t")[3] for t in tugas[:len(entry["tugas"])]] == entry["tugas"]
        rows = document.tables[0].rows[2:]
        indicators = [i for s in entry["sasaran"] for i in s["indikator"]]
        assert [r.cells[1].text for r in rows] == [i["uraian"] for i in indicators]
        assert [r.cells[2].text for r in rows] == [i["formulasi"] for i in indicators]


def test_manifest_records_hashes_template_and_version(sample_run: Path) -> None:
    manifest = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["data_sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert manifest["inputs"]["template"] == "iki"
    assert manifest["inputs"]["ikidoc"] == __version__
    assert len(manifest["inputs"]["template_sha256"]) == 64
    assert manifest["template"]["version"] == "1.1.0"
    assert manifest["created"].endswith("+00:00")
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {p.name for p in sample_run.iterdir()} - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256((sample_run / name).read_bytes()).hexdigest()
    assert listed["02-bendahara.docx"]["jabatan"] == "Bendahara"
    assert listed[f"{UNIT}.docx"]["indikator"] == 18


def test_same_inputs_write_nothing_and_changed_data_writes_next_revision(tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    shutil.copy(TESTS_DATA / "valid.yaml", data)
    output = tmp_path / "output"
    [first] = generate([data], output=output)
    before = tree_snapshot(output)
    [again] = generate([data], output=output)
    assert (first.changed, again.changed) == (True, False)
    assert again.folder == first.folder == output / "bagian-uji-2025" / "r1"
    assert tree_snapshot(output) == before
    data.write_text(data.read_text(encoding="utf-8").replace("Kwitansi service", "Kwitansi"),
                    encoding="utf-8")
    [second] = generate([data], output=output)
    assert second.changed and second.folder.name == "r2"
    assert {k: v for k, v in tree_snapshot(output).items() if "/r2/" not in k} == before


@pytest.mark.parametrize(("alter", "altered"), [
    (lambda r1: r1.joinpath("01-bendahara.docx").write_bytes(
        r1.joinpath("01-bendahara.docx").read_bytes() + b"x"), ["01-bendahara.docx"]),
    (lambda r1: r1.joinpath("02-pengemudi.docx").unlink(), ["02-pengemudi.docx"]),
    (lambda r1: r1.joinpath("~$bendahara.docx").write_bytes(b"Word's lock"),
     ["~$bendahara.docx"]),
    (lambda r1: r1.joinpath("salinan").mkdir(), ["salinan/"]),
], ids=["changed", "missing", "added", "folder-added"])
def test_same_inputs_over_an_altered_revision_write_it_again_and_leave_it_as_it_is(
        tmp_path: Path, alter, altered: list[str]) -> None:
    output = tmp_path / "output"
    [first] = generate([TESTS_DATA / "valid.yaml"], output=output)
    alter(first.folder)
    before = tree_snapshot(output)
    [again] = generate([TESTS_DATA / "valid.yaml"], output=output)
    assert again.changed and again.folder.name == "r2"
    assert again.altered is not None and again.altered.revision == "r1"
    assert again.altered.files == altered
    assert str(again.altered_message) == (
        f"r1 was changed after it was written ({altered[0]}): written again as r2")
    assert {k: v for k, v in tree_snapshot(output).items() if "/r2/" not in k} == before
    [fresh] = generate([TESTS_DATA / "valid.yaml"], output=tmp_path / "fresh")
    for name in ("01-bendahara.docx", "02-pengemudi.docx", "bagian-uji-2025.docx"):
        assert (again.folder / name).read_bytes() == (fresh.folder / name).read_bytes()
    manifest = json.loads((again.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous"] == {"revision": "r1", "sha256": hashlib.sha256(
        (first.folder / "manifest.json").read_bytes()).hexdigest()}
    [third] = generate([TESTS_DATA / "valid.yaml"], output=output)  # r2 is whole: nothing new
    assert (third.changed, third.folder.name, third.altered) == (False, "r2", None)


def test_an_altered_revision_names_its_first_files_and_counts_the_rest(tmp_path: Path) -> None:
    output = tmp_path / "output"
    [first] = generate([TESTS_DATA / "valid.yaml"], output=output)
    for number in range(8):
        (first.folder / f"salinan-{number}.docx").write_bytes(b"")
    [again] = generate([TESTS_DATA / "valid.yaml"], output=output)
    assert str(again.altered_message) == (
        "r1 was changed after it was written (salinan-0.docx, salinan-1.docx, salinan-2.docx, "
        "salinan-3.docx, salinan-4.docx, 3 more): written again as r2")


def test_invalid_data_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "output"
    with pytest.raises(DataError):
        generate([TESTS_DATA / "valid.yaml", TESTS_DATA / "bad" / "typo-key.yaml"], output=output)
    assert not output.exists()


def test_template_error_mid_run_leaves_no_partial_revision(tmp_path: Path, iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", "{{ jabatan.tambahan.kode }}")
    output = tmp_path / "output"
    (output / "bagian-uji-2025" / "r1").mkdir(parents=True)
    before = tree_snapshot(output)
    with pytest.raises(TemplateError, match="kode"):
        generate([TESTS_DATA / "valid.yaml"], template=str(iki_copy), output=output)
    assert tree_snapshot(output) == before
    assert sorted(p.name for p in (output / "bagian-uji-2025").iterdir()) == ["r1"]


def test_refuses_two_files_of_the_same_unit_and_year(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(TESTS_DATA / "valid.yaml", tmp_path / name)
    with pytest.raises(DataError, match="one unit per file"):
        generate([tmp_path], output=tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_numbers_files_with_enough_digits_for_every_position(tmp_path: Path) -> None:
    data = yaml.safe_load((TESTS_DATA / "valid.yaml").read_text(encoding="utf-8"))
    data["jabatan"] = [dict(data["jabatan"][1], nama=f"Pengemudi {n}") for n in range(1, 101)]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [outcome] = generate([path], output=tmp_path / "output")
    names = sorted(p.name for p in outcome.folder.glob("*-pengemudi-*.docx"))
    assert names[0] == "001-pengemudi-1.docx" and names[-1] == "100-pengemudi-100.docx"


def test_progress_is_told_after_each_document(tmp_path: Path) -> None:
    told: list[tuple[str, int, int]] = []
    generate([SAMPLE], output=tmp_path / "output", progress=lambda *step: told.append(step))
    assert told == [("Bagian Administrasi Perekonomian", done, 13) for done in range(1, 14)]


def test_in_one_process_each_document_is_told_before_the_next_is_written(tmp_path: Path) -> None:
    """The page's progress bar moves document by document, not once the unit is done."""
    unit = tmp_path / "output" / "bagian-administrasi-perekonomian-2025"
    written_when_told: list[int] = []

    def progress(name: str, done: int, total: int) -> None:
        [staged] = unit.glob(".ikidoc-*")
        written_when_told.append(len(list(staged.glob("*.docx"))))

    generate([SAMPLE], output=tmp_path / "output", progress=progress, jobs=1)
    assert written_when_told == list(range(1, 14))


def test_a_unit_that_fails_leaves_no_revision_of_the_units_before_it(tmp_path: Path) -> None:
    good = tmp_path / "a.yaml"
    shutil.copy(SAMPLE, good)
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["unit_kerja"] = "Bagian Lain"
    data["jabatan"][0]["sasaran"][0]["indikator"][0]["tambahan"]["target"] = ["not", "text"]
    bad = tmp_path / "b.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    template = tmp_path / "templates" / "listed-target"
    shutil.copytree(Path(__file__).parent.parent / "templates" / "iki-target", template)
    manifest = template / "template.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        .replace("name: iki-target", "name: listed-target"), encoding="utf-8")
    edit_template(template, "{{ i.tambahan.target }}", "{{ i.tambahan.target.upper() }}")
    output = tmp_path / "output"
    with pytest.raises(TemplateError):
        generate([good, bad], template="listed-target", output=output)
    assert tree_snapshot(output) == {}


def test_validate_refuses_two_files_of_one_unit_with_the_line(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(TESTS_DATA / "valid.yaml", tmp_path / name)
    with pytest.raises(DataError) as caught:
        validate([tmp_path])
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.line, problem.path) == ("b.yaml", 2, "unit_kerja")


def test_the_logo_printed_is_the_one_checked_even_if_its_file_changes_meanwhile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The logo is read once, when the data is checked: a file replaced after that (by a
    colleague saving a new crest) can neither be printed unchecked nor make the documents
    lose their logo silently."""
    data = full_unit(tmp_path / "data")
    real = letterhead.read_logo

    def then_replaced(source: Source) -> letterhead.Logo | None:
        logo = real(source)
        (tmp_path / "data" / "logo.png").write_bytes(b"not a picture any more")
        return logo

    monkeypatch.setattr(letterhead, "read_logo", then_replaced)
    [outcome] = generate([data], "iki", tmp_path / "out")
    inputs = json.loads((outcome.folder / "manifest.json").read_text())["inputs"]
    assert inputs["kop_logo_sha256"] == hashlib.sha256(LOGO).hexdigest()
    for document in outcome.documents:
        assert letterhead.picture_in(outcome.folder / document.file,
                                     inputs["kop_logo_sha256"]) == LOGO, document.file

"""Templates: finding them, their manifests, `templates list/new/check`, and the two
bundled variants read back from the documents they make."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, SAMPLE, TESTS_DATA, body_texts, edit_template, table_grid, tree_snapshot

from ikidoc import context, templates
from ikidoc.cli import cli
from ikidoc.errors import DataError, TemplateCheckError, TemplateError
from ikidoc.generate import generate, validate
from ikidoc.load import load_file
from ikidoc.render import CompiledTemplate
from ikidoc.template_check import check


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def findings(folder: Path, data: list[Path] | None = None) -> list[str]:
    with pytest.raises(TemplateCheckError) as caught:
        check(templates.read(folder, "path"), data)
    return [f"{where}: {what}" for where, what in caught.value.findings]


def test_bundled_templates_are_found_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    names = [t.manifest.name for t in templates.available(templates.local_roots())]
    assert names == ["iki", "iki-nomor", "iki-pemangku", "iki-penanggung-jawab", "iki-target",
                     "keputusan-iki"]
    assert templates.resolve("iki").origin == "bundled"


def test_local_template_of_the_same_name_takes_precedence(
    iki_copy: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = iki_copy.parent / "iki"
    iki_copy.rename(local)
    manifest = local / "template.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("name: iki-copy", "name: iki"),
                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert templates.resolve("iki", templates.local_roots()).origin == "local"
    result = runner.invoke(cli, ["templates", "list"])
    lines = [line for line in result.output.splitlines() if line.startswith("iki ")]
    assert "local used" in lines[0] and "bundled shadowed" in lines[1]


def test_local_template_beside_the_data_is_found(iki_copy: Path, tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    shutil.copy(TESTS_DATA / "valid.yaml", data)
    [outcome] = generate([data], template="iki-copy", output=tmp_path / "out")
    assert outcome.template == "iki-copy 1.1.0"


def test_template_path_is_a_folder(iki_copy: Path) -> None:
    assert templates.resolve(str(iki_copy)).folder == iki_copy


def test_templates_list_shows_version_scope_regulation_and_origin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["templates", "list"])
    assert result.exit_code == 0
    assert "keputusan-iki    1.1.0    dokumen  bundled used" in result.output
    assert "Nomor 6 Tahun 2022" in result.output


@pytest.mark.parametrize(("change", "field"), [
    ({"scope": "unit"}, "scope"), ({"paper": "B5"}, "paper"), ({"version": None}, "version"),
    ({"regulasi": "x"}, "regulasi"), ({"effective_date": "kemarin"}, "effective_date"),
])
def test_manifest_errors_name_the_file_and_field(iki_copy: Path, change: dict, field: str) -> None:
    manifest = iki_copy / "template.yaml"
    values = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    values.update(change)
    manifest.write_text(yaml.safe_dump(values), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.read(iki_copy, "path")
    assert str(caught.value).startswith(f"template {manifest}: {field}")


def test_a_template_found_by_name_carries_that_name(iki_copy: Path) -> None:
    iki_copy.rename(iki_copy.parent / "other")
    with pytest.raises(TemplateError, match="name: is 'iki-copy', but the folder is 'other'"):
        templates.resolve("other", [iki_copy.parent])


def test_manifest_with_a_key_given_twice_is_an_error(iki_copy: Path) -> None:
    manifest = iki_copy / "template.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "version: '2.0'\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="key 'version' is given twice"):
        templates.read(iki_copy, "path")


def test_a_name_is_looked_up_before_a_folder_of_that_name(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "iki").mkdir()
    monkeypatch.chdir(tmp_path)
    assert templates.resolve("iki").origin == "bundled"


def test_folder_without_manifest_is_an_error(iki_copy: Path) -> None:
    (iki_copy / "template.yaml").unlink()
    with pytest.raises(TemplateError, match=r"template.yaml is missing"):
        templates.resolve(str(iki_copy))


def test_templates_new_copies_with_version_reset(runner: CliRunner, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["templates", "new", "iki-2026", "--from", "iki-target"])
    assert result.exit_code == 0, result.output
    created = templates.read(tmp_path / "templates" / "iki-2026", "local")
    assert (created.manifest.name, created.manifest.version) == ("iki-2026", "0.1.0")
    assert created.manifest.tambahan.indikator == ["target", "satuan"]
    assert (created.folder / "template.docx").read_bytes() == \
        (REPO / "templates" / "iki-target" / "template.docx").read_bytes()
    assert "# scope:" in (created.folder / "template.yaml").read_text(encoding="utf-8")
    again = runner.invoke(cli, ["templates", "new", "iki-2026"])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_templates_new_refuses_a_name_that_is_no_slug(runner: CliRunner, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["templates", "new", "../evil"])
    assert result.exit_code == 1 and not (tmp_path / "templates").exists()


@pytest.mark.parametrize("name", ["iki", "iki-target", "keputusan-iki"])
def test_bundled_templates_pass_their_check(runner: CliRunner, name: str) -> None:
    result = runner.invoke(cli, ["templates", "check", name])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"ok: template {name} {templates.resolve(name).manifest.version} (bundled) rendered "
    )


def test_check_names_the_likely_variable_for_a_typo(iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", "{{ jabatan.nmaa }}")
    [found] = findings(iki_copy)
    assert "unknown variable 'jabatan.nmaa'; did you mean 'jabatan.nama'?" in found
    assert found.startswith(
        "word/document.xml, paragraph 5: 'Jabatan:{{ jabatan.nmaa }}': "
    )


def test_check_knows_loop_variables(iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ i.formulasi }}", "{{ i.formulasii }} {{ s.urain }}")
    found = findings(iki_copy)
    assert len(found) == 2
    assert found[0].startswith(
        "word/document.xml, table 2, row 5, column 3: '{{ i.formulasii }} {{ s.urain }}'"
    )
    assert found[0].endswith("unknown variable 'i.formulasii'; did you mean 'i.formulasi'?")
    assert found[1].endswith("unknown variable 's.urain'; did you mean 's.uraian'?")


def test_check_reports_tag_syntax_errors_with_the_paragraph(iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ i.uraian }}", "{{ i.uraian ) }}")
    [found] = findings(iki_copy)
    assert found.startswith(
        "word/document.xml, table 2, row 5, column 2: '{{ i.uraian ) }}': "
        "unexpected ')' inside a tag"
    )


def test_check_reports_an_unclosed_tag(iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", "{{ jabatan.nama }")
    found = findings(iki_copy)
    assert found[0] == (
        "word/document.xml, paragraph 5: 'Jabatan:{{ jabatan.nama }': "
        "a tag opened with {{ is not closed with }}"
    )


def test_check_reports_undeclared_tambahan_fields(iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ i.uraian }}", "{{ i.uraian }} {{ i.tambahan.target }}")
    [found] = findings(iki_copy)
    assert (
        "i.tambahan.target: tambahan field 'target' of indikator is not declared in template.yaml"
        in found
    )


def test_check_reports_tr_tag_outside_a_table_row(iki_copy: Path) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", "{%tr for x in jabatan.tugas %}")
    found = findings(iki_copy)
    assert found[0] == ("word/document.xml, paragraph 5: 'Jabatan:{%tr for x in jabatan.tugas %}': "
                        "a {%tr %} tag must stand inside a table row")


def test_check_reports_text_beside_a_paragraph_tag(iki_copy: Path) -> None:
    edit_template(iki_copy, "{%p endfor %}", "{%p endfor %} Catatan")
    found = findings(iki_copy)
    assert any("text beside a {%p %} tag is dropped" in f for f in found)


def test_check_trial_render_names_missing_required_tambahan(tmp_path: Path) -> None:
    found = findings(REPO / "templates" / "iki-target", [TESTS_DATA / "valid.yaml"])
    assert len(found) == 10
    assert "jabatan[0].sasaran[0].indikator[0].tambahan.target (Bendahara): template iki-target " \
           "requires this field" in found[0]


@pytest.mark.parametrize("attack", [
    "{{ jabatan.__class__.__mro__ }}", "{{ ''.__class__.__subclasses__() }}",
    "{{ lipsum.__globals__.os.environ }}", "{{ dokumen.jabatan.pop() }}",
])
def test_templates_cannot_reach_python_internals(iki_copy: Path, attack: str) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", attack)
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate(templates.read(iki_copy, "path")).combined(
            load_file(SAMPLE).unit, context.for_unit(load_file(SAMPLE).unit))
    assert "Traceback" not in str(caught.value)
    assert "unsafe" in str(caught.value) or "not allowed" in str(caught.value)


def test_generate_with_a_template_checks_required_tambahan_first(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with pytest.raises(DataError) as caught:
        generate([TESTS_DATA / "valid.yaml"], template="iki-target", output=output)
    first = caught.value.problems[0]
    assert (first.line, first.path) == (
        19, "jabatan[0].sasaran[0].indikator[0].tambahan.target (Bendahara)"
    )
    assert tree_snapshot(output) == {}
    with pytest.raises(DataError):
        validate([TESTS_DATA / "valid.yaml"], "keputusan-iki")


def render_sample(name: str) -> list[docx.document.Document]:
    compiled = CompiledTemplate(templates.resolve(name))
    unit = load_file(SAMPLE).unit
    dokumen = context.for_unit(unit)
    documents = [compiled.combined(unit, dokumen)]
    if compiled.scope == "jabatan":
        documents += [compiled.position(unit, dokumen, i) for i in range(len(unit.jabatan))]
    return [docx.Document(io.BytesIO(blob)) for blob in documents]


def test_iki_target_prints_target_and_satuan_columns() -> None:
    bendahara = render_sample("iki-target")[2]
    grid = table_grid(bendahara.tables[0])
    assert [c.text for c in grid[0]] == ["SASARAN", "INDIKATOR KINERJA", "TARGET", "SATUAN",
                                         "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"]
    assert [c.text for c in grid[1]] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    assert [[c.text for c in row[1:4]] for row in grid[2:]] == [
        ["Jumlah Pengajuan SPP GU dan SPP TPP", "12", "Dokumen"],
        ["Jumlah laporan SPJ yang disusun", "12", "Laporan"]]
    assert [row[5].vmerge for row in grid[2:]] == ["restart", "continue"]
    section = bendahara.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_keputusan_holds_the_decision_then_every_position_in_the_lampiran() -> None:
    [document] = render_sample("keputusan-iki")
    texts = [t for t in body_texts(document) if t.strip()]
    assert texts[:2] == [
        "KEPUTUSAN KEPALA BAGIAN ADMINISTRASI PEREKONOMIAN", "PEMERINTAH KABUPATEN CONTOH"
    ]
    # room for the registry
    assert texts[2].startswith("NOMOR      ") and texts[2].strip() == "NOMOR"
    assert texts.index("MEMUTUSKAN:") > texts.index("TENTANG")
    menimbang = [t for t in texts if t.startswith("Menimbang")]
    assert menimbang == ["Menimbang\t:\ta.\tbahwa dalam rangka mewujudkan akuntabilitas kinerja "
                         "dan mengukur keberhasilan pelaksanaan tugas setiap jabatan, perlu "
                         "menetapkan Indikator Kinerja Individu di lingkungan Bagian Administrasi "
                         "Perekonomian;"]
    assert "Ditetapkan di Contoh" in texts and "pada tanggal 2 Januari 2025" in texts
    assert texts.count("INDIKATOR KINERJA INDIVIDU") == 12 and texts.count("LAMPIRAN") == 1
    # the decision and each position's page
    assert texts.count("NIP. 19700101 200003 1 001") == 13
    assert len(document.tables) == 12
    assert len(document.sections) == 13  # the decision, then one section per position


def test_keputusan_prints_the_nomor_when_the_data_gives_one(tmp_path: Path) -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["tambahan"]["nomor"] = "800/12/Perek/2025"
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [outcome] = generate([path], template="keputusan-iki", output=tmp_path / "out")
    document = docx.Document(str(outcome.folder / "bagian-administrasi-perekonomian-2025.docx"))
    assert body_texts(document).count("NOMOR 800/12/Perek/2025") == 2


def test_keputusan_requires_the_files_own_signer_before_anything_is_written(tmp_path: Path) -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    del data["penandatangan"]
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        generate([path], template="keputusan-iki", output=tmp_path / "out")
    [problem] = caught.value.problems
    assert (problem.path == "penandatangan"
            and "requires the file's penandatangan" in str(problem.message))
    assert not (tmp_path / "out").exists()


def test_dot_names_the_template_folder_one_stands_in(iki_copy: Path, runner: CliRunner,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(iki_copy)
    result = runner.invoke(cli, ["templates", "check", "."])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: template iki-copy 1.1.0 (path)")


def test_an_empty_manifest_says_what_it_needs(iki_copy: Path) -> None:
    (iki_copy / "template.yaml").write_text("\n")
    with pytest.raises(TemplateError, match="is empty; a manifest gives name, title"):
        templates.read(iki_copy, "path")

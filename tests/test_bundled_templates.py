"""Every bundled template prints what its manifest says: the columns, the orientation,
the letterhead with its logo, page numbers from Word fields, the holder's signature;
switches turn parts on and off; a logo that cannot be used is refused before anything
is written."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from conftest import SAMPLE, edit_template, png, table_grid, tree_snapshot

from ikidoc import audit, generate, letterhead, template_check, templates
from ikidoc.archive import load_manifest
from ikidoc.cli import cli
from ikidoc.errors import DataError, TemplateCheckError, TemplateError
from ikidoc.pdf import convert

BUNDLED = [t.manifest.name for t in templates.available()]
KOP = ["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH"]


LOGO = png(40, 50)


def full_unit(folder: Path, **changes: object) -> Path:
    """A unit with every field a bundled template prints: kop with a logo, pemangku,
    target, satuan, penanggung jawab, Menimbang and Mengingat; two positions."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(LOGO)
    person = {"jabatan": "Kepala Bagian Uji", "nama": "Drs. KEPALA UJI",
              "pangkat": "Pembina (IV/a)", "nip": "198005122005011002"}
    indicator = {"uraian": "Jumlah laporan", "formulasi": "Jumlah laporan yang disusun",
                 "sumber_data": ["Laporan", "Arsip"],
                 "tambahan": {"target": "12", "satuan": "Laporan",
                              "penanggung_jawab": "Subbagian Keuangan"}}
    data = {
        "instansi": "Pemerintah Kabupaten Contoh", "unit_kerja": "Bagian Uji", "tahun": 2025,
        "tempat": "Contoh", "tanggal": "2025-01-02", "penandatangan": person,
        "tambahan": {"menimbang": ["bahwa perlu IKI"], "mengingat": ["Undang-Undang Nomor 20"]},
        "kop": {"baris": KOP, "alamat": "Jl. Merdeka No. 1, Contoh 12345",
                "telepon": "(0123) 456789", "laman": "contoh.go.id", "logo": "logo.png"},
        "jabatan": [
            {"nama": f"Analis {n}", "tugas": ["Menyusun laporan"], "fungsi": ["Analisis"],
             "pemangku": {"nama": f"PEMANGKU {n}", "nip": "199001012015031002",
                          "pangkat": "Penata (III/c)"},
             "sasaran": [{"uraian": "Tertib administrasi", "indikator": [indicator]}]}
            for n in (1, 2)],
    }
    data.update(changes)
    path = folder / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The revision each bundled template writes for the full unit."""
    data = full_unit(tmp_path_factory.mktemp("data"))
    output = tmp_path_factory.mktemp("out")
    return {name: generate([data], name, output / name)[0].folder for name in BUNDLED}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def documents(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docx"))


def iki_tables(document: docx.document.Document, first: str) -> list[object]:
    return [t for t in document.tables if t.rows[0].cells[0].text == first]


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_template_generates_the_sample(name: str, tmp_path: Path) -> None:
    [outcome] = generate([SAMPLE], name, tmp_path)
    assert len(documents(outcome.folder)) == len(outcome.documents) > 0


@pytest.mark.parametrize("name", BUNDLED)
def test_the_columns_and_orientation_are_those_of_the_manifest(
        name: str, full_outputs: dict[str, Path]) -> None:
    manifest = templates.resolve(name).manifest
    for path in documents(full_outputs[name]):
        document = docx.Document(str(path))
        tables = iki_tables(document, manifest.columns[0])
        assert tables, f"{path.name}: no table headed {manifest.columns[0]}"
        for table in tables:
            assert [c.text for c in table_grid(table)[0]] == manifest.columns
        section = document.sections[0]
        landscape = section.page_width > section.page_height
        assert landscape == (manifest.orientation == "landscape"), path.name


@pytest.mark.parametrize("name", BUNDLED)
def test_the_letterhead_prints_its_lines_and_the_logo_above_the_title(
        name: str, full_outputs: dict[str, Path]) -> None:
    assert "kop" in templates.resolve(name).manifest.prints
    for path in documents(full_outputs[name]):
        document = docx.Document(str(path))
        kop = document.tables[0]
        lines = [p.text for p in kop.rows[0].cells[1].paragraphs]
        assert lines == KOP + ["Jl. Merdeka No. 1, Contoh 12345", "Telepon (0123) 456789",
                               "contoh.go.id"]
        package = parts(path)
        assert package["word/media/ikidoc-logo.png"] == LOGO
        body = package["word/document.xml"].decode()
        assert body.count('r:embed="rIdIkidocLogo"') == body.count("<w:drawing>") > 0
        assert 'Target="media/ikidoc-logo.png"' in package["word/_rels/document.xml.rels"].decode()
        assert 'Extension="png" ContentType="image/png"' in package["[Content_Types].xml"].decode()
        ids = [element.get("id") for element in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
        assert len(ids) == len(set(ids))  # one per position in the combined document, each its own
        title = document.element.body.xpath("string(.//w:p[w:pPr/w:pBdr/w:bottom]"
                                            "/following::w:p[normalize-space()][1])")
        assert title.startswith(("INDIKATOR KINERJA INDIVIDU", "KEPUTUSAN"))


@pytest.mark.parametrize("name", BUNDLED)
def test_page_numbers_are_word_fields_where_the_manifest_says(
        name: str, full_outputs: dict[str, Path]) -> None:
    manifest = templates.resolve(name).manifest
    for path in documents(full_outputs[name]):
        footers = b"".join(data for part, data in parts(path).items()
                           if part.startswith("word/footer")).decode()
        has = all(f"<w:instrText xml:space=\"preserve\"> {f} </w:instrText>" in footers
                  for f in ("PAGE", "NUMPAGES"))
        assert has == ("halaman" in manifest.prints), path.name
        if has:
            assert "Halaman " in footers and " dari " in footers
            assert manifest.pdf == "each"  # "dari Y" counts the combined document's pages


def test_the_texts_of_every_field_are_printed(full_outputs: dict[str, Path]) -> None:
    target = all_text(full_outputs["iki-penanggung-jawab"] / "01-analis-1.docx")
    for text in ("12", "Laporan", "Subbagian Keuangan", "Jumlah laporan", "- Arsip"):
        assert text in target
    pemangku = all_text(full_outputs["iki-pemangku"] / "01-analis-1.docx")
    for text in ("PEMANGKU 1", "NIP. 19900101 201503 1 002", "Pemangku Jabatan,",
                 "Drs. KEPALA UJI"):
        assert text in pemangku
    keputusan = all_text(next(iter(documents(full_outputs["keputusan-iki"]))))
    assert "bahwa perlu IKI" in keputusan and "Undang-Undang Nomor 20" in keputusan


def test_the_holder_signs_beside_the_signer(full_outputs: dict[str, Path]) -> None:
    document = docx.Document(str(full_outputs["iki-pemangku"] / "01-analis-1.docx"))
    [signatures] = [t for t in document.tables if "Pemangku Jabatan," in t.rows[0].cells[1].text]
    signer, holder = signatures.rows[0].cells
    assert "Drs. KEPALA UJI" in signer.text and "PEMANGKU 1" in holder.text
    assert "Contoh, 2 Januari 2025" in holder.text


def test_the_nomor_template_has_a_no_column_and_no_numbering_row(tmp_path: Path) -> None:
    [outcome] = generate([SAMPLE], "iki-nomor", tmp_path)
    grid = table_grid(docx.Document(str(outcome.folder / "02-bendahara.docx")).tables[0])
    assert grid[0][0].text == "NO"
    assert [row[0].text for row in grid[1:]] == ["1.", ""]
    assert [row[0].vmerge for row in grid[1:]] == ["restart", "continue"]


def test_set_turns_a_switch_on_and_is_recorded(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(SAMPLE), "-t", "iki-nomor", "-o",
                                      str(tmp_path), "--set", "baris_nomor=ya", "-q"])
    assert result.exit_code == 0, result.output
    [folder] = list(tmp_path.glob("*/r1"))
    grid = table_grid(docx.Document(str(folder / "02-bendahara.docx")).tables[0])
    assert [c.text for c in grid[1]] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert load_manifest(folder).inputs.model_dump()["pilihan"] == {"baris_nomor": True}


def test_the_data_turns_the_letterhead_off(tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data", tambahan={"pilihan": {"kop": "tidak"}})
    [outcome] = generate([data], "iki", tmp_path / "out")
    path = outcome.folder / outcome.documents[0].file
    assert "PEMERINTAH KABUPATEN CONTOH" not in all_text(path)
    assert docx.Document(str(path)).tables[0].rows[0].cells[0].text == "SASARAN"


def test_an_unknown_switch_given_with_set_is_named_with_the_likely_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(SAMPLE), "-t", "iki-nomor", "-o",
                                      str(tmp_path / "out"), "--set", "baris_nomer=ya"])
    assert result.exit_code == 1
    assert "no switch 'baris_nomer'; did you mean 'baris_nomor'?" in result.output
    assert not (tmp_path / "out").exists()


def test_a_set_that_is_not_name_equals_yes_or_no_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(SAMPLE), "-o", str(tmp_path / "out"),
                                      "--set", "kop=mungkin"])
    assert result.exit_code == 2 and "ya/tidak" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_switch_in_the_data_names_its_field(tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data", tambahan={"pilihan": {"kopp": False}})
    with pytest.raises(DataError) as error:
        generate([data], "iki", tmp_path / "out")
    assert "tambahan.pilihan.kopp" in str(error.value)
    assert "did you mean 'kop'?" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_check_reports_a_switch_the_manifest_does_not_declare(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    shutil.copytree(templates.resolve("iki").folder, folder)
    edit_template(folder, "pilihan.kop", "pilihan.kopp")
    with pytest.raises(TemplateCheckError) as error:
        template_check.check(templates.read(folder, "path"))
    assert "unknown variable 'pilihan.kopp'; did you mean 'pilihan.kop'?" in str(error.value)


def test_the_switches_are_listed_for_the_page_with_defaults_and_descriptions() -> None:
    switches = templates.resolve("iki-nomor").manifest.switches
    assert switches["baris_nomor"].default is False and "numbering row" in \
        switches["baris_nomor"].description
    assert switches["kop"].default is True


@pytest.mark.parametrize(("logo", "message"), [
    (None, "does not exist"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "is not a PNG or JPEG image"),
    (b"not an image at all", "is not a PNG or JPEG image"),
    (LOGO + b"\0" * letterhead.MAX_LOGO_BYTES, "a logo over 2 MB is refused"),
])
def test_a_logo_that_cannot_be_used_is_refused_naming_the_field(tmp_path: Path, logo: bytes | None,
                                                                message: str) -> None:
    data = full_unit(tmp_path / "data")
    if logo is None:
        (tmp_path / "data" / "logo.png").unlink()
    else:
        (tmp_path / "data" / "logo.png").write_bytes(logo)
    before = tree_snapshot(tmp_path / "out")
    result = CliRunner().invoke(cli, ["generate", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "kop.logo:" in result.output and message in result.output
    assert tree_snapshot(tmp_path / "out") == before


def test_a_jpeg_logo_is_stored_as_jpeg(tmp_path: Path) -> None:
    from PIL import Image
    data = full_unit(tmp_path / "data", kop={"baris": KOP, "logo": "logo.jpg"})
    Image.new("RGB", (60, 30), (10, 80, 160)).save(tmp_path / "data" / "logo.jpg", "JPEG")
    [outcome] = generate([data], "iki", tmp_path / "out")
    package = parts(outcome.folder / outcome.documents[0].file)
    assert package["word/media/ikidoc-logo.jpeg"] == (tmp_path / "data" / "logo.jpg").read_bytes()
    assert 'Extension="jpeg" ContentType="image/jpeg"' in package["[Content_Types].xml"].decode()


def test_the_logo_is_recorded_and_a_rerun_writes_nothing(tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data")
    [first] = generate([data], "iki", tmp_path / "out")
    inputs = json.loads((first.folder / "manifest.json").read_text())["inputs"]
    assert inputs["kop_logo_sha256"] == letterhead.Logo(LOGO, "image/png", 1, 1).sha256
    [again] = generate([data], "iki", tmp_path / "out")
    assert not again.changed
    (tmp_path / "data" / "logo.png").write_bytes(png(50, 50))
    [changed] = generate([data], "iki", tmp_path / "out")
    assert changed.changed and changed.folder.name == "r2"


def test_the_documents_with_a_logo_are_the_same_bytes_every_run(tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data")
    first = generate([data], "iki-target", tmp_path / "a")[0].folder
    second = generate([data], "iki-target", tmp_path / "b", jobs=2)[0].folder
    for path in documents(first):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_a_manifest_without_pdf_means_split(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    shutil.copytree(templates.resolve("iki").folder, folder)
    manifest = folder / "template.yaml"
    manifest.write_text(manifest.read_text().replace("pdf: split\n", ""))
    assert templates.read(folder, "path").manifest.pdf == "split"


def test_an_unknown_switch_via_the_library_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="did you mean 'ttd_pemangku'"):
        templates.check_switches(templates.resolve("iki-pemangku"), {"ttd_pemangk": True})


def test_templates_list_shows_each_thumbnail() -> None:
    result = CliRunner().invoke(cli, ["templates", "list"])
    assert result.exit_code == 0
    for name in BUNDLED:
        thumbnail = templates.resolve(name).thumbnail
        assert thumbnail is not None and thumbnail.read_bytes().startswith(b"\x89PNG")
        assert f"first page: {thumbnail}" in result.output


def test_every_full_document_opens_in_libreoffice(soffice: None, full_outputs: dict[str, Path],
                                                  tmp_path: Path) -> None:
    paths = [documents(full_outputs[name])[0] for name in BUNDLED]
    for name, made in zip(BUNDLED, convert(paths), strict=True):
        (tmp_path / f"{name}.pdf").write_bytes(made)
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "PEMERINTAH KABUPATEN CONTOH" in text and "Jumlah laporan" in text, name
        if "halaman" in templates.resolve(name).manifest.prints:
            assert "Halaman 1 dari" in text, name


def test_a_misspelt_kop_key_is_named_with_the_likely_one(tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data", kop={"baris": KOP, "alamt": "Jl. Merdeka"})
    with pytest.raises(DataError) as error:
        generate([data], "iki", tmp_path / "out")
    assert "kop.alamt: unknown key 'alamt' (did you mean 'alamat'?)" in str(error.value)


def test_a_kop_without_lines_is_an_error_and_one_line_is_a_list(tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data", kop={"alamat": "Jl. Merdeka"})
    with pytest.raises(DataError, match=r"kop\.baris: required field is missing"):
        generate([data], "iki", tmp_path / "out")
    data = full_unit(tmp_path / "data", kop={"baris": "PEMERINTAH KABUPATEN CONTOH"})
    [outcome] = generate([data], "iki", tmp_path / "out")
    kop = docx.Document(str(outcome.folder / outcome.documents[0].file)).tables[0]
    assert [p.text for p in kop.rows[0].cells[1].paragraphs] == ["PEMERINTAH KABUPATEN CONTOH"]
    assert "<w:drawing>" not in parts(outcome.folder / outcome.documents[0].file)[
        "word/document.xml"].decode()


def test_a_revision_made_with_set_rebuilds_with_the_same_switches(tmp_path: Path) -> None:
    from ikidoc import audit
    [outcome] = generate([SAMPLE], "iki-nomor", tmp_path, settings={"baris_nomor": True})
    assert all(check.ok for check in audit.verify(outcome.folder, rebuild=True))


def test_a_revision_with_a_logo_rebuilds_from_the_picture_its_documents_hold(
        tmp_path: Path) -> None:
    data = full_unit(tmp_path / "data")
    [outcome] = generate([data], "iki", tmp_path / "out")
    (tmp_path / "data" / "logo.png").unlink()  # years later, the logo file is long gone
    [check] = audit.checks(outcome.folder, rebuild=True)
    assert check.ok, check.problems
    assert check.rebuilt == len(outcome.documents)

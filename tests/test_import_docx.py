"""Importing IKI Word documents: ours (round trip) and typed by hand, and their problems."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import SAMPLE
from importing import imported, problems_of

from ikidoc import Template, UnitKerja, available, generate, load_file
from ikidoc.importers import import_file, signature
from ikidoc.templates import Manifest

SIGNER = {"jabatan": "Kepala Bagian Uji", "nama": "Drs. NAMA LENGKAP, M.Si",
          "pangkat": "Pembina (IV/a)", "nip": "198005122005011002"}


def shown(unit: UnitKerja, manifest: Manifest | None = None) -> dict[str, Any]:
    """What an IKI document shows of a unit: positions, their lists and table, the signer in
    force (and the holder, where the template prints one), place and date, and the free
    (tambahan) fields its template prints."""
    def free(level: str, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if manifest and manifest.declares(level, k)}

    return {
        "tempat": unit.tempat,
        "tanggal": unit.tanggal,
        "tambahan": free("dokumen", unit.tambahan),
        "jabatan": [{
            "nama": jab.nama, "tugas": jab.tugas, "fungsi": jab.fungsi,
            "penandatangan": signer.model_dump() if (signer := unit.signer_of(jab)) else None,
            **({"pemangku": jab.pemangku and jab.pemangku.model_dump()}
               if manifest and "ttd_pemangku" in manifest.prints else {}),
            "sasaran": [{"uraian": s.uraian, "indikator": [
                {"uraian": i.uraian, "formulasi": i.formulasi, "sumber_data": i.sumber_data,
                 "tambahan": free("indikator", i.tambahan)}
                for i in s.indikator]} for s in jab.sasaran],
        } for jab in unit.jabatan],
    }


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The sample generated with every bundled template: its .docx files, by template."""
    made = {}
    for template in available():
        output = tmp_path_factory.mktemp(template.manifest.name)
        (outcome,) = generate([SAMPLE], template.manifest.name, output)
        made[template.manifest.name] = [outcome.folder / d.file for d in outcome.documents]
    return made


def assert_imports_back(unit: UnitKerja, paths: list[Path], manifest: Manifest,
                        tmp_path: Path) -> None:
    """Each generated document imports back to what it shows of ``unit``."""
    expected = shown(unit, manifest)
    for path in paths:
        target = tmp_path / f"{path.stem}.yaml"
        got = import_file(path, target)
        assert load_file(target).unit == got
        if len(got.jabatan) == 1:  # one position's document: its place in the unit
            number = int(path.name.split("-")[0]) - 1
            assert shown(got, manifest) == {**expected, "jabatan": [expected["jabatan"][number]]}, \
                path.name
        else:
            assert shown(got, manifest) == expected, path.name
            # only the positions signed by someone else carry their own signer
            assert [j.penandatangan for j in got.jabatan] == [
                j.penandatangan for j in unit.jabatan], path.name
        assert got.unit_kerja == unit.unit_kerja  # the document's properties


@pytest.mark.parametrize("template", available(), ids=lambda t: t.manifest.name)
def test_every_document_generated_from_the_sample_imports_back_to_it(
        template: Template, documents: dict[str, list[Path]], tmp_path: Path) -> None:
    assert_imports_back(load_file(SAMPLE).unit, documents[template.manifest.name],
                        template.manifest, tmp_path)


OWN_SIGNER = {"jabatan": "Sekretaris", "nama": "NAMA LAIN"}  # no pangkat, no NIP
SIGNATURES = {  # what a unit leaves out of its signature blocks
    "tempat without tanggal": {"tanggal": None},
    "tanggal without tempat": {"tempat": None},
    "neither tempat nor tanggal": {"tempat": None, "tanggal": None},
    "own signer without pangkat or nip": {"own": OWN_SIGNER},
    "own signer, tempat alone": {"own": OWN_SIGNER, "tanggal": None},
    "own signer, tanggal alone": {"own": OWN_SIGNER, "tempat": None},
    "no signer": {"penandatangan": None},
    "no signer, tempat alone": {"penandatangan": None, "tanggal": None},
    "no signer, tanggal alone": {"penandatangan": None, "tempat": None},
    "no signer, neither tempat nor tanggal": {"penandatangan": None, "tempat": None,
                                              "tanggal": None},
    "holders": {"pemangku": True},
    "holders, own signer": {"pemangku": True, "own": OWN_SIGNER},
    "holders, no signer": {"pemangku": True, "penandatangan": None},
    "holders, no signer, neither tempat nor tanggal": {"pemangku": True, "penandatangan": None,
                                                       "tempat": None, "tanggal": None},
}
HOLDERS = [{"nama": "NAMA PEMANGKU, S.E.", "pangkat": "Penata (III/c)",
            "nip": "199001012015031002"}, {"nama": "PEMANGKU TANPA NIP"}, None]


@pytest.mark.parametrize(("case", "template"), [
    pytest.param(case, template, id=f"{case}-{template.manifest.name}")
    for case in SIGNATURES for template in available()
    if not ("penandatangan" in SIGNATURES[case] and template.manifest.penandatangan_wajib)])
def test_signature_blocks_with_parts_left_out_import_back(
        case: str, template: Template, tmp_path: Path) -> None:
    changes = dict(SIGNATURES[case])
    data = load_file(SAMPLE).unit.model_dump(mode="json", exclude_none=True)
    data["jabatan"] = data["jabatan"][:3]
    if "own" in changes:
        data["jabatan"][1]["penandatangan"] = changes.pop("own")
    if changes.pop("pemangku", False):  # the holders that iki-pemangku prints beside the signer
        for position, holder in zip(data["jabatan"], HOLDERS, strict=True):
            if holder:
                position["pemangku"] = holder
    data.update(changes)
    source = tmp_path / "data" / "unit.yaml"
    source.parent.mkdir()
    source.write_text(yaml.safe_dump({k: v for k, v in data.items() if v is not None},
                                     allow_unicode=True), encoding="utf-8")
    (outcome,) = generate([source], template.manifest.name, tmp_path / "out")
    assert_imports_back(load_file(source).unit,
                        [outcome.folder / d.file for d in outcome.documents],
                        template.manifest, tmp_path)


def with_dash_sources(data: dict[str, Any]) -> dict[str, Any]:
    """The sample with "-" as the source of one indicator between two with sources, and
    of every indicator of another position (consecutive ones share a merged cell)."""
    first = data["jabatan"][0]["sasaran"][0]["indikator"]
    first.append({**first[0], "uraian": "Jumlah rapat koordinasi", "sumber_data": "-"})
    first.append({**first[0], "uraian": "Jumlah arsip ditata"})
    for sasaran in data["jabatan"][1]["sasaran"]:
        for indikator in sasaran["indikator"]:
            indikator["sumber_data"] = "-"
    return data


@pytest.mark.parametrize("template", available(), ids=lambda t: t.manifest.name)
def test_a_source_of_dash_imports_back_as_dash_with_every_template(
        template: Template, tmp_path: Path) -> None:
    data = with_dash_sources(load_file(SAMPLE).unit.model_dump(mode="json", exclude_none=True))
    source = tmp_path / "data" / "unit.yaml"
    source.parent.mkdir()
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    unit = load_file(source).unit
    assert [i.sumber_data for i in unit.jabatan[0].sasaran[0].indikator][-2:] == [
        ["-"], unit.jabatan[0].sasaran[0].indikator[0].sumber_data]
    (outcome,) = generate([source], template.manifest.name, tmp_path / "out")
    assert_imports_back(unit, [outcome.folder / d.file for d in outcome.documents],
                        template.manifest, tmp_path)


LONG = ("Persentase dokumen perencanaan, penganggaran, penatausahaan dan pelaporan keuangan "
        "yang disusun tepat waktu sesuai ketentuan peraturan perundang-undangan yang berlaku "
        "di lingkungan unit kerja, termasuk revisi dan perubahan yang diminta pimpinan")


def with_long_texts_kop_and_holders(data: dict[str, Any]) -> dict[str, Any]:
    """The sample's first two positions with a letterhead, a holder each, "-" sources
    (see with_dash_sources) and texts over several lines that a page may break."""
    data = with_dash_sources(data)
    data["jabatan"] = data["jabatan"][:2]
    data["kop"] = {"baris": ["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH"],
                   "alamat": "Jalan Merdeka No. 1 Contoh", "telepon": "(0361) 123456"}
    for position, holder in zip(data["jabatan"], HOLDERS, strict=False):
        position["pemangku"] = holder
    sasaran = data["jabatan"][0]["sasaran"][0]
    sasaran["uraian"] = f"{sasaran['uraian']} {LONG}"
    indikator = sasaran["indikator"][0]
    indikator["uraian"] = LONG
    indikator["formulasi"] = "\n".join([
        f"Makna Indikator : {LONG}", "Cara Perhitungan :",
        "Jumlah dokumen tepat waktu / Jumlah seluruh dokumen x 100%", f"Alasan : {LONG}"])
    return data


@pytest.mark.parametrize("template", available(), ids=lambda t: t.manifest.name)
def test_long_texts_a_letterhead_holders_and_dash_sources_import_back_with_every_template(
        template: Template, tmp_path: Path) -> None:
    data = with_long_texts_kop_and_holders(
        load_file(SAMPLE).unit.model_dump(mode="json", exclude_none=True))
    source = tmp_path / "data" / "unit.yaml"
    source.parent.mkdir()
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (outcome,) = generate([source], template.manifest.name, tmp_path / "out")
    assert_imports_back(load_file(source).unit,
                        [outcome.folder / d.file for d in outcome.documents],
                        template.manifest, tmp_path)


def hand_made(path: Path, *, leaked: bool = True) -> Path:
    """An IKI typed in Word: a letterhead, "Label : value" lines, tugas as a numbered list,
    a table without its numbering row whose numbers leaked into the first row, SASARAN and
    SUMBER DATA merged by hand, and a signature block with a NIP in groups."""
    document = docx.Document()
    document.add_paragraph("PEMERINTAH KABUPATEN CONTOH")
    document.add_paragraph("Indikator Kinerja Individu (IKI)")
    document.add_paragraph("Jabatan : Analis Data")
    document.add_paragraph("Tugas :")
    for item in ("Menyusun laporan data;", "Menganalisis data & statistik ≥ 2 sumber."):
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("Fungsi : -")
    table = document.add_table(rows=5, cols=4)
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 3).merge(table.cell(2, 3))
    number = (lambda k: f"{k} ") if leaked else (lambda k: "")
    for row, texts in enumerate([
            ["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"],
            [f"{number(1)}Tersedianya data", f"{number(2)}Jumlah laporan",
             f"{number(3)}Jumlah laporan disusun", f"{number(4)}- Laporan - Arsip"],
            [None, "Jumlah analisis", "Jumlah analisis dibuat", None],
            ["Tertib arsip", "Persentase arsip", "(A ÷ B) × 100%", "4"],
            ["", "Jumlah arsip", "Jumlah arsip ditata", "Daftar arsip"]]):
        for column, text in enumerate(texts):
            if text is not None:
                table.cell(row, column).text = text
    for line in ("", "Contoh, 2 Januari 2025", "Kepala Bagian Uji,", "", "",
                 "Drs. NAMA LENGKAP, M.Si", "Pembina (IV/a)", "NIP. 19800512 200501 1 002"):
        document.add_paragraph(line)
    document.save(path)
    return path


HAND_MADE = {
    "tempat": "Contoh", "tanggal": dt.date(2025, 1, 2), "tambahan": {},
    "jabatan": [{
        "nama": "Analis Data",
        "tugas": ["Menyusun laporan data;", "Menganalisis data & statistik ≥ 2 sumber."],
        "fungsi": [], "penandatangan": SIGNER,
        "sasaran": [
            {"uraian": "Tersedianya data", "indikator": [
                {"uraian": "Jumlah laporan", "formulasi": "Jumlah laporan disusun",
                 "sumber_data": ["Laporan", "Arsip"], "tambahan": {}},
                {"uraian": "Jumlah analisis", "formulasi": "Jumlah analisis dibuat",
                 "sumber_data": ["Laporan", "Arsip"], "tambahan": {}}]},
            {"uraian": "Tertib arsip", "indikator": [
                {"uraian": "Persentase arsip", "formulasi": "(A ÷ B) × 100%",
                 "sumber_data": ["Laporan", "Arsip"], "tambahan": {}},
                {"uraian": "Jumlah arsip", "formulasi": "Jumlah arsip ditata",
                 "sumber_data": ["Daftar arsip"], "tambahan": {}}]},
        ],
    }],
}


@pytest.mark.parametrize("leaked", [True, False])
def test_a_document_typed_by_hand_imports_its_labels_merged_cells_and_signature(
        tmp_path: Path, leaked: bool) -> None:
    unit = imported(hand_made(tmp_path / "hand.docx", leaked=leaked), unit_kerja="Bagian Uji")
    assert shown(unit) == HAND_MADE


NAME = ["Drs. NAMA LENGKAP, M.Si", "Pembina (IV/a)", "NIP. 19800512 200501 1 002"]


@pytest.mark.parametrize(("lines", "tempat", "tanggal", "signer"), [
    (["Kepala Bagian Uji,", *NAME], None, None, SIGNER),  # no space to sign typed
    (["2 Januari 2025", "Kepala Bagian Uji,", *NAME], None, dt.date(2025, 1, 2), SIGNER),
    (["Contoh,      Januari 2025", "Kepala Bagian Uji", "", "", *NAME], "Contoh", None, SIGNER),
    (["Contoh, 2 Januari 2025", "Kepala Bagian", "Uji,", "", *NAME], "Contoh",
     dt.date(2025, 1, 2), SIGNER),
    (["Contoh", "Kepala Bagian Uji", "", "", "........................", "NIP. ......"],
     "Contoh", None, None),  # name and NIP left to be written by hand
    (["Keterangan: data per semester", "", "Contoh, 2 Januari 2025", "Kepala Bagian Uji,", "",
      *NAME], "Contoh", dt.date(2025, 1, 2), SIGNER),
    (["Ditetapkan di : Contoh", "Pada tanggal : 3 Pebruari 2025", "Kepala Bagian Uji,", "", "",
      *NAME], "Contoh", dt.date(2025, 2, 3), SIGNER),
    (["Contoh, 2 Januari 2025", "Mengetahui,", "Atasan Langsung,", "Kepala Bagian Uji,", "",
      *NAME], "Contoh", dt.date(2025, 1, 2), SIGNER),
    (["Contoh, 2 Januari 2025", "Kepala Bagian Uji,", "", NAME[0], NAME[2], "", "Tembusan:",
      "1. Bupati Contoh"], "Contoh", dt.date(2025, 1, 2),
     {key: value for key, value in SIGNER.items() if key != "pangkat"}),
    (["Contoh, 2 Januari 2025", "Kepala Bagian", "Uji,", *NAME], "Contoh", dt.date(2025, 1, 2),
     SIGNER),  # no space to sign typed, a jabatan over two lines
], ids=["no-gap", "date-alone", "date-left-blank", "jabatan-over-two-lines", "name-left-blank",
        "note-above", "ditetapkan-di", "role-words", "tembusan-below", "no-gap-two-lines"])
def test_a_signature_block_typed_by_hand_reads_its_place_date_and_signer(
        lines: list[str], tempat: str | None, tanggal: dt.date | None,
        signer: dict[str, str] | None) -> None:
    assert signature.read([["", *lines]], "here") == signature.Signature(
        "here", tempat, tanggal, signer)


def test_sources_that_fell_to_the_last_row_of_a_lost_merge_serve_the_rows_above(
        tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    document.add_paragraph("Jabatan\t: Kepala Sub Bagian Perindustrian dan Perdagangan")
    table = document.add_table(rows=3, cols=4)
    for row, texts in enumerate([
            ["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMASI PENGHITUNGAN", "SUMBER DATA"],
            ["1 Meningkatnya tata kelola", "2 Jumlah monev", "3 Jumlah laporan monev", "4"],
            ["", "Jumlah laporan cukai", "Jumlah kegiatan cukai",
             "- Data Sub Bagian - Laporan OPD"]]):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    document.save(tmp_path / "seed.docx")
    jab = imported(tmp_path / "seed.docx", unit_kerja="U").jabatan[0]
    table_read = [(s.uraian, [(i.uraian, i.formulasi, i.sumber_data) for i in s.indikator])
                  for s in jab.sasaran]
    assert table_read == [
        ("Meningkatnya tata kelola", [
            ("Jumlah monev", "Jumlah laporan monev", ["Data Sub Bagian", "Laporan OPD"]),
            ("Jumlah laporan cukai", "Jumlah kegiatan cukai", ["Data Sub Bagian", "Laporan OPD"])])]


def test_labels_in_a_borderless_table_and_sources_one_per_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    labels = document.add_table(rows=3, cols=3)
    labels.cell(0, 0).text, labels.cell(0, 2).text = "Nama Jabatan", "Analis"
    labels.cell(0, 1).text = ":"
    labels.cell(1, 0).text, labels.cell(1, 1).text = "Tugas", ":"
    labels.cell(1, 2).text = "a. Menyusun"
    labels.cell(1, 2).add_paragraph("b. Menganalisis")
    labels.cell(2, 0).text, labels.cell(2, 2).text = "Fungsi :", "1. Pelaksanaan"
    table = document.add_table(rows=3, cols=5)
    header = ["NO", "SASARAN", "INDIKATOR KINERJA", "FORMULASI", "SUMBER DATA"]
    for column, text in enumerate(header):
        table.cell(0, column).text = text
    for column, text in enumerate(["(1)", "(2)", "(3)", "(4)", "(5)"]):
        table.cell(1, column).text = text
    for column, text in enumerate(["1", "S", "I", "F", "- Laporan"]):
        table.cell(2, column).text = text
    table.cell(2, 4).add_paragraph("- Arsip")
    document.save(tmp_path / "table.docx")
    jab = imported(tmp_path / "table.docx", unit_kerja="U").jabatan[0]
    assert (jab.nama, jab.tugas, jab.fungsi) == (
        "Analis", ["Menyusun", "Menganalisis"], ["Pelaksanaan"])
    assert jab.indikator[0].model_dump() == {"uraian": "I", "formulasi": "F",
                                             "sumber_data": ["Laporan", "Arsip"], "tambahan": {}}


def test_a_label_it_does_not_read_ends_the_list_above_it(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    for line in ("Nama Jabatan : Analis", "Tugas : a. Menyusun laporan: bulanan", "b. Menganalisis",
                 "Eselon : IV/a", "Fungsi :", "Pelaksanaan analisis"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=4)
    for column, (head, text) in enumerate(zip(["SASARAN", "INDIKATOR", "FORMULASI", "SUMBER"],
                                              ["S", "I", "F", "L"], strict=True)):
        table.cell(0, column).text, table.cell(1, column).text = head, text
    document.save(tmp_path / "labels.docx")
    jab = imported(tmp_path / "labels.docx", unit_kerja="U").jabatan[0]
    assert (jab.tugas, jab.fungsi) == (["Menyusun laporan: bulanan", "Menganalisis"],
                                       ["Pelaksanaan analisis"])


def test_a_document_without_an_iki_section_is_a_problem(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Surat Edaran")
    document.save(tmp_path / "letter.docx")
    assert problems_of(tmp_path / "letter.docx", unit_kerja="U") == [
        (f"{tmp_path / 'letter.docx'}: no section titled 'INDIKATOR KINERJA INDIVIDU' (or "
        "'INDIKATOR KINERJA UTAMA') found "
        "(is this an IKI document? each position starts with that title)")]


def test_a_corrupt_document_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (message,) = problems_of(tmp_path / "broken.docx")
    assert message.startswith(
        f"{tmp_path / 'broken.docx'}: cannot be read as a Word .docx document")


def test_a_row_with_an_indikator_but_no_sasaran_names_position_and_table_row(
        tmp_path: Path) -> None:
    path = hand_made(tmp_path / "hand.docx")
    document = docx.Document(str(path))
    document.tables[0].cell(1, 0).text = ""
    document.save(path)
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}, jabatan 1 (Analis Data), table row 2, column SASARAN: indikator "
        "'Jumlah laporan' has no sasaran (write the sasaran in this row or in a row above it)"),
        (f"{path}, jabatan 1 (Analis Data), table row 3, column SASARAN: indikator "
        "'Jumlah analisis' has no sasaran (write the sasaran in this row or in a row above it)")]


def test_a_section_without_a_table_or_jabatan_is_a_problem(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    document.add_paragraph("Jabatan : Analis")
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    table = document.add_table(rows=2, cols=4)
    for column, text in enumerate(["SASARAN", "INDIKATOR", "FORMULASI", "SUMBER DATA"]):
        table.cell(0, column).text = text
        table.cell(1, column).text = text.lower()
    document.save(tmp_path / "partial.docx")
    assert problems_of(tmp_path / "partial.docx", unit_kerja="U") == [
        (f"{tmp_path / 'partial.docx'}, jabatan 1 (Analis): the position is named, but no "
        "table stands under the title (an IKI has a table with the columns SASARAN, INDIKATOR "
        "KINERJA, PENJELASAN/FORMULASI PENGHITUNGAN, SUMBER DATA)"),
        (f"{tmp_path / 'partial.docx'}, jabatan 2: the IKI table has no rows under its header "
        "(type the position's sasaran and indicators in it, or remove the position)")]


def test_a_document_without_its_unit_asks_for_it(tmp_path: Path) -> None:
    (message,) = problems_of(hand_made(tmp_path / "hand.docx"))
    assert message.endswith(
        "the unit (unit_kerja) is not given (give it with --unit-kerja \"Bagian ...\" or, in a "
        "workbook, a row unit_kerja in the sheet 'dokumen')")

"""Documents as a user reads them: text, order, merged cells, header rows, signature."""
from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from conftest import TESTS_DATA, body_texts, row_flags, table_grid, write_data
from docx.oxml.ns import qn

from ikidoc import context, templates
from ikidoc.load import load_file
from ikidoc.render import CompiledTemplate

HEADER = ["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"]


@pytest.fixture(scope="module")
def compiled() -> CompiledTemplate:
    return CompiledTemplate(templates.resolve("iki"))


def render(compiled: CompiledTemplate,
           path: Path) -> tuple[list[docx.document.Document], docx.document.Document]:
    unit = load_file(path).unit
    dokumen = context.for_unit(unit)
    positions = [docx.Document(io.BytesIO(compiled.position(unit, dokumen, i)))
                 for i in range(len(unit.jabatan))]
    return positions, docx.Document(io.BytesIO(compiled.combined(unit, dokumen)))


@pytest.fixture(scope="module")
def valid(compiled: CompiledTemplate) -> tuple[list, object]:
    return render(compiled, TESTS_DATA / "valid.yaml")


def test_prints_title_and_position_name(valid) -> None:
    bendahara = body_texts(valid[0][0])
    assert bendahara[0] == "INDIKATOR KINERJA INDIVIDU"
    assert bendahara[1] == "Jabatan\t:\tBendahara"


def test_letters_tugas_in_order_after_the_label(valid) -> None:
    texts = body_texts(valid[0][0])
    assert texts[2] == "Tugas\t:\ta.\tMelakukan penerimaan & pengeluaran;"
    assert texts[3] == "\t\tb.\tMembuat laporan <keuangan>."


def test_prints_dash_for_empty_tugas_and_fungsi(valid) -> None:
    texts = body_texts(valid[0][1])
    assert "Tugas\t:\t-" in texts and "Fungsi\t:\t-" in texts


def test_header_and_numbering_rows_repeat_on_every_page(valid) -> None:
    table = valid[0][0].tables[0]
    grid = table_grid(table)
    assert [c.text for c in grid[0]] == HEADER
    assert [c.text for c in grid[1]] == ["(1)", "(2)", "(3)", "(4)"]
    assert row_flags(table, "w:tblHeader")[:2] == [True, True]
    assert row_flags(table, "w:tblHeader")[2:] == [False] * 3


def test_rows_do_not_split_across_pages(valid) -> None:
    assert row_flags(valid[0][0].tables[0], "w:cantSplit")[2:] == [True] * 3


def test_one_row_per_indikator_with_its_four_cells(valid) -> None:
    rows = table_grid(valid[0][0].tables[0])[2:]
    assert [c.text for c in rows[0]] == [
        "Tertib Administrasi Keuangan", "Jumlah pengajuan SPP", "Jumlah SPP GU ÷ jumlah SPP ≥ 1",
        "- Laporan Keuangan\n- Buku Kas Umum"]
    assert [c.text for c in rows[1][1:3]] == ["Jumlah laporan SPJ",
                                              "Jumlah laporan SPJ yang disusun"]
    assert [c.text for c in rows[2][1:]] == ["Jumlah rekonsiliasi", "Jumlah rekonsiliasi bulanan",
                                             "Rekening koran"]


def test_merges_sasaran_cell_over_its_indicators(valid) -> None:
    rows = table_grid(valid[0][0].tables[0])[2:]
    assert [r[0].vmerge for r in rows] == ["restart", "continue", "continue"]
    assert [r[0].text for r in rows] == ["Tertib Administrasi Keuangan", "", ""]


def test_merges_equal_consecutive_sumber_data_only(valid) -> None:
    rows = table_grid(valid[0][0].tables[0])[2:]
    assert [r[3].vmerge for r in rows] == ["restart", "continue", "restart"]


def test_never_merges_across_sasaran(valid) -> None:
    rows = table_grid(valid[0][1].tables[0])[2:]
    assert [r[0].text for r in rows] == ["Tugas dinas pimpinan", "Kebersihan kendaraan"]
    assert [r[0].vmerge for r in rows] == ["restart", "restart"]
    assert [r[3].vmerge for r in rows] == ["restart", "restart"]
    assert [r[3].text for r in rows] == ["Kwitansi service", "Kwitansi service"]


def test_prints_several_sources_one_per_line_with_a_dash(valid) -> None:
    cell = valid[0][0].tables[0].rows[2].cells[3]
    assert [p.text for p in cell.paragraphs] == ["- Laporan Keuangan", "- Buku Kas Umum"]


def after_table(document) -> list[str]:
    body = document.element.body
    table = body.find(qn("w:tbl"))
    lines = []
    for element in table.itersiblings():
        if element.tag == qn("w:p"):
            text = "".join(t.text or "" for t in element.iter(qn("w:t")))
            if text.strip():
                lines.append(text)
    return lines


def test_signature_block_of_the_file_signer(valid) -> None:
    assert after_table(valid[0][0]) == ["Contoh, 2 Januari 2025", "Kepala Bagian Uji",
                                        "Drs. NAMA LENGKAP, M.Si", "Pembina (IV/a)",
                                        "NIP. 19800512 200501 1 002"]


def test_position_signer_replaces_file_signer_and_absent_lines_are_left_out(valid) -> None:
    assert after_table(valid[0][1]) == ["Contoh, 2 Januari 2025", "Kepala Sub Bagian Umum",
                                        "NAMA KASUBAG"]


def test_without_any_signer_only_place_and_date_remain(compiled, tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        tempat: Contoh
        jabatan:
          - nama: Analis
            sasaran:
              - uraian: S
                indikator: [{uraian: I, formulasi: F, sumber_data: D}]
    """)
    positions, _ = render(compiled, path)
    assert after_table(positions[0]) == ["Contoh"]


@pytest.mark.parametrize("text", [
    "A & B < C > D", "\"kutip\" dan 'tunggal'", "÷ ≥ ≤ % 100%", "مؤشر الأداء الفردي",
    "{{ jabatan.nama }} {% if %} {_{ }_}", "zero\u200bwidth soft\u00adhyphen \u200fRTL 📄",
])
def test_prints_text_exactly_as_given(compiled, tmp_path: Path, text: str) -> None:
    path = tmp_path / "unit.json"
    path.write_text(json.dumps({"unit_kerja": "Bagian Uji", "jabatan": [{
        "nama": text, "tugas": [text], "sasaran": [{"uraian": text, "indikator": [
            {"uraian": text, "formulasi": text, "sumber_data": [text, "Arsip"]}]}]}]}),
        encoding="utf-8")
    positions, _ = render(compiled, path)
    document = positions[0]
    assert body_texts(document)[1] == f"Jabatan\t:\t{text}"
    assert body_texts(document)[2] == f"Tugas\t:\ta.\t{text}"
    row = [c.text for c in table_grid(document.tables[0])[2]]
    assert row == [text, text, text, f"- {text}\n- Arsip"]


def test_prints_tabs_and_line_breaks_of_the_data(compiled, tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        jabatan:
          - nama: Analis
            sasaran:
              - uraian: S
                indikator:
                  - uraian: I
                    formulasi: "Baris satu\\nBaris\\tdua"
                    sumber_data: D
    """)
    positions, _ = render(compiled, path)
    cell = positions[0].tables[0].rows[2].cells[2]
    assert cell.paragraphs[0].text == "Baris satu\nBaris\tdua"


def test_two_positions_with_the_same_name_both_get_a_document(compiled) -> None:
    positions, _ = render(compiled, Path(__file__).parent.parent / "data" /
                          "bagian-administrasi-perekonomian.yaml")
    named = [d for d in positions if body_texts(d)[1] == "Jabatan\t:\tPengelola Program/Kegiatan"]
    assert len(named) == 2
    assert [table_grid(d.tables[0])[2][0].text for d in named] == ["Data SIMDA", "Data E-Renja"]


def test_combined_document_holds_every_position_each_on_a_new_section(valid) -> None:
    combined = valid[1]
    texts = body_texts(combined)
    assert texts.count("INDIKATOR KINERJA INDIVIDU") == 2
    assert [t for t in texts if t.startswith("Jabatan")] == ["Jabatan\t:\tBendahara",
                                                             "Jabatan\t:\tPengemudi"]
    assert len(combined.tables) == 2
    assert len(combined.sections) == 2
    assert [s.start_type for s in combined.sections] == [docx.enum.section.WD_SECTION.NEW_PAGE] * 2


def test_combined_document_keeps_the_template_styles_and_page_setup(valid) -> None:
    template = docx.Document(str(templates.resolve("iki").docx))
    combined = valid[1]
    for section in combined.sections:
        assert (section.page_width, section.page_height) == (template.sections[0].page_width,
                                                             template.sections[0].page_height)
        assert section.left_margin == template.sections[0].left_margin
    assert combined.styles["Normal"].font.name == "Arial"
    assert combined.paragraphs[0].style.name == "IKI Judul"


def test_uses_f4_portrait_paper(valid) -> None:
    section = valid[0][0].sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (215, 330)


def test_a_picture_repeated_per_position_gets_unique_drawing_ids(iki_copy: Path) -> None:
    image = Path(__file__).parent.parent / "docs" / "web-mulai.png"  # any picture will do
    template = docx.Document(str(iki_copy / "template.docx"))
    title = next(p for p in template.paragraphs if p.text == "INDIKATOR KINERJA INDIVIDU")
    title.add_run().add_picture(str(image), width=docx.shared.Cm(2))
    template.save(str(iki_copy / "template.docx"))
    compiled = CompiledTemplate(templates.read(iki_copy, "path"))
    unit = load_file(TESTS_DATA / "valid.yaml").unit
    combined = docx.Document(io.BytesIO(compiled.combined(unit, context.for_unit(unit))))
    ids = [e.get("id") for e in combined.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert len(combined.inline_shapes) == 2


def test_free_values_print_as_a_reader_writes_them(tmp_path: Path) -> None:
    """Never as Python writes them ("True", "['12', '24']", "2025-01-02")."""
    path = tmp_path / "unit.json"
    path.write_text(json.dumps({"unit_kerja": "Bagian Uji", "jabatan": [{
        "nama": "Analis", "sasaran": [{"uraian": "S", "indikator": [
            {"uraian": "I", "formulasi": "1.10", "sumber_data": "5",
             "tambahan": {"target": ["12", 24, "1.50"], "satuan": True}},
            {"uraian": "J", "formulasi": "1E2", "sumber_data": "D",
             "tambahan": {"target": {"semester I": 6, "semester II": "1E1"}, "satuan": False}}]}]}]}
        ).replace('"1E1"', "1E1").replace('"1.50"', "1.50"),
        encoding="utf-8")  # free JSON numbers as typed (a number where text belongs is an error)
    positions, _ = render(CompiledTemplate(templates.resolve("iki-target")), path)
    rows = [[cell.text for cell in row] for row in table_grid(positions[0].tables[0])[2:]]
    assert rows == [["S", "I", "12; 24; 1.50", "ya", "1.10", "5"],
                    ["", "J", "semester I: 6; semester II: 1E1", "tidak", "1E2", "D"]]


def test_a_free_list_of_one_text_is_one_item_without_its_own_letter(tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        penandatangan: {jabatan: Kepala Bagian Uji, nama: NAMA}
        tambahan:
          menimbang: bahwa perlu menetapkan Indikator Kinerja Individu
          mengingat: [1. Undang-Undang Nomor 20 Tahun 2023, b) Peraturan Pemerintah]
        jabatan:
          - nama: Analis
            sasaran:
              - uraian: S
                indikator: [{uraian: I, formulasi: F, sumber_data: D}]
    """)
    unit = load_file(path).unit
    keputusan = CompiledTemplate(templates.resolve("keputusan-iki"))
    document = docx.Document(io.BytesIO(keputusan.combined(unit, context.for_unit(unit))))
    texts = body_texts(document)
    start = texts.index("Menimbang\t:\ta.\tbahwa perlu menetapkan Indikator Kinerja Individu")
    assert texts[start + 1:start + 3] == ["Mengingat\t:\t1.\tUndang-Undang Nomor 20 Tahun 2023",
                                          "\t\t2.\tPeraturan Pemerintah"]


@pytest.mark.parametrize("tanggal", ["", "tanggal: 2025-01-02\n"])
def test_the_keputusan_lampiran_heading_leaves_out_a_date_not_given(tmp_path: Path,
                                                                    tanggal: str) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text(f"unit_kerja: Bagian Uji\n{tanggal}penandatangan: {{jabatan: Kepala Dinas, "
                    "nama: NAMA}\ntambahan: {menimbang: [a], mengingat: [b]}\njabatan:\n"
                    "  - nama: Analis\n    sasaran: [{uraian: S, indikator: [{uraian: I, "
                    "formulasi: F, sumber_data: D}]}]\n", encoding="utf-8")
    unit = load_file(path).unit
    keputusan = CompiledTemplate(templates.resolve("keputusan-iki"))
    texts = body_texts(docx.Document(io.BytesIO(keputusan.combined(unit, context.for_unit(unit)))))
    start = texts.index("LAMPIRAN")
    assert texts[start + 1] == "KEPUTUSAN KEPALA DINAS" and texts[start + 2].startswith("NOMOR")
    assert texts[start + 3:start + 5] == (["TANGGAL 2 JANUARI 2025", ""] if tanggal
                                          else ["", "INDIKATOR KINERJA INDIVIDU"])

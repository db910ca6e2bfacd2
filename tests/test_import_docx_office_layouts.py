"""Importing IKI and IKU Word documents laid out as offices type them: the position named
by the title, the line under it, a group row in the table or the signer; IKU titles;
other SASARAN headers, two-row headers and competing columns; sources inside the
PENJELASAN or missing; labelled parts and stacked fractions; and the messages when the
document leaves a choice."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from importing import import_layouts, imported, problems_of

from ikidoc import DataError, UnitKerja
from ikidoc.errors import Choice
from ikidoc.importers import import_file

LAYOUTS = import_layouts()
write, Wide, ABOVE, SIGNATURE = LAYOUTS.write, LAYOUTS.Wide, LAYOUTS.ABOVE, LAYOUTS.SIGNATURE
SIGNER = {"jabatan": "KEPALA DINAS CONTOH", "nama": "Drs. NAMA LENGKAP, M.Si",
          "pangkat": "Pembina (IV/a)", "nip": "198005122005011002"}


def pictured(path: Path, name: str) -> Path:
    """The document of a layout pictured in the README (tools/import_layouts.py)."""
    return write(path, LAYOUTS.LAYOUTS[name])


def positions(unit: UnitKerja) -> list[dict[str, Any]]:
    """Every field of every position, as the data file holds it."""
    return [jab.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for jab in unit.jabatan]


def indikator(uraian: str, formulasi: str, sumber: str | list[str],
              **tambahan: str) -> dict[str, Any]:
    found: dict[str, Any] = {"uraian": uraian, "formulasi": formulasi,
                             "sumber_data": [sumber] if isinstance(sumber, str) else sumber}
    return found | ({"tambahan": tambahan} if tambahan else {})


OFFICIAL = ["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"]
TWO_ROWS = LAYOUTS.ROWS
TWO_SASARAN = [
    {"uraian": "Tertib administrasi",
     "indikator": [indikator("Jumlah laporan", "Jumlah laporan disusun", "Arsip surat")]},
    {"uraian": "Tertib arsip",
     "indikator": [indikator("Jumlah arsip", "Jumlah arsip ditata", "Daftar arsip")]}]


def test_the_title_s_second_line_names_the_position(tmp_path: Path) -> None:
    unit = imported(pictured(tmp_path / "iki.docx", "title-second-line"), unit_kerja="Bagian Umum")
    assert positions(unit) == [{"nama": "KEPALA BAGIAN UMUM DAN KEUANGAN",
                                "sasaran": TWO_SASARAN}]
    assert unit.penandatangan is not None
    assert unit.penandatangan.model_dump(exclude_none=True) == SIGNER


@pytest.mark.parametrize(("title", "nama", "tahun"), [
    ("IKI KEPALA SUB BAGIAN PERENCANAAN", "KEPALA SUB BAGIAN PERENCANAAN", None),
    ("INDIKATOR KINERJA INDIVIDU (IKI) KASUBAG KEUANGAN TAHUN 2018", "KASUBAG KEUANGAN", 2018),
    ("INDIKATOR KINERJA INDIVIDU ( IKI ) 2018", "KEPALA DINAS CONTOH", 2018),
    ("FORMULIR INDIKATOR KINERJA INDIVIDU", "KEPALA DINAS CONTOH", None),
    ("Indikator Kinerja Individu Jabatan Analis Keuangan Tahun Anggaran 2019",
     "Analis Keuangan", 2019),
], ids=["iki-and-position", "title-position-and-year", "year-after-title", "formulir",
        "capitalised-words"])
def test_a_title_names_the_position_and_year_or_the_signer_does(
        tmp_path: Path, title: str, nama: str, tahun: int | None) -> None:
    path = write(tmp_path / "iki.docx", [
        title, [["SASARAN STRATEGIS", "INDIKATOR", "FORMULASI", "SUMBER"], *TWO_ROWS],
        *SIGNATURE])
    unit = imported(path, unit_kerja="Dinas Contoh")
    assert positions(unit) == [{"nama": nama, "sasaran": TWO_SASARAN}]
    assert unit.tahun == tahun


def test_group_rows_in_an_iku_table_start_positions_with_their_eselon(tmp_path: Path) -> None:
    path = pictured(tmp_path / "iku.docx", "iku-group-rows")
    unit = imported(path)
    assert unit.unit_kerja == "DINAS KOMUNIKASI DAN INFORMATIKA"
    assert positions(unit) == [
        {"nama": "KEPALA DINAS", "tambahan": {"eselon": "ESSELON II"}, "sasaran": [
            {"uraian": "Meningkatnya layanan informasi", "indikator": [
                indikator("Indeks kepuasan layanan", "Nilai survei kepuasan", "Laporan survei",
                          penanggung_jawab="Kepala Dinas"),
                indikator("Jumlah aplikasi terpadu", "Jumlah aplikasi yang terintegrasi",
                          "Kepala Bidang Aplikasi", penanggung_jawab="Kepala Dinas")]}]},
        {"nama": "SEKRETARIS", "tambahan": {"eselon": "ESSELON III"}, "sasaran": [
            {"uraian": "Tertib administrasi", "indikator": [
                indikator("Persentase SPJ tepat waktu", "SPJ tepat waktu / seluruh SPJ x 100%",
                          "Buku Kas Umum", penanggung_jawab="Sekretaris")]}]}]


def test_an_iku_of_a_kecamatan_for_a_period_is_the_signer_s_position(tmp_path: Path) -> None:
    signature = [line.replace("KEPALA DINAS CONTOH", "CAMAT CONTOH") for line in SIGNATURE]
    path = write(tmp_path / "iku.docx", [
        "INDIKATOR KINERJA UTAMA KECAMATAN CONTOH TAHUN 2017 - 2021",
        [["NO", "KINERJA", "INDIKATOR KINERJA", "ALASAN/PENJELASAN", "SUMBER DATA"],
         ["1", *TWO_ROWS[0]], ["2", *TWO_ROWS[1]]], *signature])
    unit = imported(path)
    assert (unit.unit_kerja, unit.tahun) == ("KECAMATAN CONTOH", None)
    assert positions(unit) == [{"nama": "CAMAT CONTOH", "sasaran": TWO_SASARAN}]


def test_a_position_named_nowhere_is_a_problem_until_jabatan_is_given(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", ["INDIKATOR KINERJA INDIVIDU", [OFFICIAL, *TWO_ROWS]])
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}, jabatan 1: the position's name is given nowhere: no 'Jabatan : ...' line "
        "above the table, no name in or under its title, no full-width row naming it in the "
        "table, no signer below it (type 'Jabatan : <name>' above the table, or give the name "
        "with --jabatan \"<name>\")")]
    assert positions(imported(path, unit_kerja="U", jabatan="Analis")) == [
        {"nama": "Analis", "sasaran": TWO_SASARAN}]


def grouped(path: Path, sub_headers: tuple[str, str]) -> Path:
    """The pictured two-row header with other sub-headers under its SASARAN."""
    header, sub, row = LAYOUTS.LAYOUTS["two-row-header"][-1]
    return write(path, ["INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
                        [header, [sub[0], *sub_headers, *sub[3:]], row]])


def test_a_group_header_over_renstra_and_rpjmd_reads_the_unit_s_own(tmp_path: Path) -> None:
    path = pictured(tmp_path / "iki.docx", "two-row-header")
    assert positions(imported(path, unit_kerja="U")) == [{"nama": "Analis", "sasaran": [
        {"uraian": "Tertib administrasi", "indikator": [indikator(
            "Jumlah laporan", "Jumlah laporan disusun", "Arsip surat",
            sasaran_rpjmd="Tata kelola yang baik", keterangan="Triwulan")]}]}]
    written = (path.parent / "imported" / "iki.yaml").read_text(encoding="utf-8")
    assert ("# jabatan 1 (Analis): of the columns that could be the SASARAN ('SASARAN "
            "RENSTRA', 'SASARAN RPJMD') 'SASARAN RENSTRA' is read as it, the unit's own; "
            "'SASARAN RPJMD' goes to tambahan.sasaran_rpjmd\n") in written


def test_two_sasaran_columns_of_the_unit_are_a_choice_the_option_makes(tmp_path: Path) -> None:
    path = grouped(tmp_path / "iki.docx", ("SASARAN PROGRAM", "SASARAN KEGIATAN"))
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}, jabatan 1 (Analis): 2 columns could be the SASARAN: 'SASARAN PROGRAM', "
        "'SASARAN KEGIATAN'; the table's headers: 'NO', 'SASARAN PROGRAM', 'SASARAN KEGIATAN', "
        "'INDIKATOR KINERJA', 'FORMULASI', 'SUMBER DATA', 'KETERANGAN' (choose one with "
        "--kolom-sasaran \"SASARAN PROGRAM\"; the others "
        "go to tambahan under their headers' names)")]
    chosen = imported(path, unit_kerja="U", kolom_sasaran="sasaran kegiatan")
    assert positions(chosen)[0]["sasaran"] == [{"uraian": "Tata kelola yang baik", "indikator": [
        indikator("Jumlah laporan", "Jumlah laporan disusun", "Arsip surat",
                  sasaran_program="Tertib administrasi", keterangan="Triwulan")]}]


def test_penjelasan_and_formulasi_columns_are_one_formulasi_in_order(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["SASARAN KINERJA", "INDIKATOR KINERJA", "PENJELASAN", "FORMULASI", "SUMBER DATA"],
         ["Tertib administrasi", "Persentase laporan tepat waktu",
          "Laporan yang disampaikan sebelum tanggal 10", "(A / B) x 100%", "Arsip surat"],
         ["", "Jumlah arsip", "", "Jumlah arsip ditata", "Daftar arsip"]]])
    assert positions(imported(path, unit_kerja="U")) == [{"nama": "Analis", "sasaran": [
        {"uraian": "Tertib administrasi", "indikator": [
            indikator("Persentase laporan tepat waktu",
                      "Laporan yang disampaikan sebelum tanggal 10\n(A / B) x 100%",
                      "Arsip surat"),
            indikator("Jumlah arsip", "Jumlah arsip ditata", "Daftar arsip")]}]}]


def test_a_definisi_operasional_column_beside_formulasi_is_the_formulasi(
        tmp_path: Path) -> None:
    path = write(tmp_path / "iku.docx", [
        "INDIKATOR KINERJA UTAMA", "Jabatan : Kepala Dinas",
        [["SASARAN STRATEGIS", "IKU", "DEFINISI OPERASIONAL", "CARA PENGUKURAN", "SUMBER DATA"],
         ["Tertib administrasi", "Jumlah laporan", "Laporan bulanan", "Dihitung per tahun",
          "Arsip surat"]]])
    assert positions(imported(path, unit_kerja="U"))[0]["sasaran"] == [
        {"uraian": "Tertib administrasi", "indikator": [indikator(
            "Jumlah laporan", "Laporan bulanan\nDihitung per tahun", "Arsip surat")]}]


@pytest.mark.parametrize("header", ["CARA MENGHITUNG", "Cara Mengukur", "METODE PENGUKURAN"])
def test_a_how_to_count_column_is_the_formulasi(tmp_path: Path, header: str) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["NO", "SASARAN", "INDIKATOR KINERJA", header, "SUMBER DATA"],
         ["1", "Tertib administrasi", "Jumlah laporan", "Jumlah laporan dalam setahun",
          "Arsip surat"]]])
    assert positions(imported(path, unit_kerja="U"))[0]["sasaran"] == [
        {"uraian": "Tertib administrasi", "indikator": [indikator(
            "Jumlah laporan", "Jumlah laporan dalam setahun", "Arsip surat")]}]


def test_sources_at_the_end_of_penjelasan_and_labelled_parts_are_kept(tmp_path: Path) -> None:
    penjelasan = ("Makna Indikator : ketepatan laporan\nAlasan : tertib administrasi\n"
                  "Cara Perhitungan : jumlah laporan tepat waktu\nSumber Data : Laporan Bulanan")
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["NO", "SASARAN", "INDIKATOR KINERJA", "PENJELASAN", "TARGET"],
         ["1", "Tertib administrasi", "Jumlah laporan tepat waktu", penjelasan, "12"],
         ["2", "Tertib arsip", "Jumlah arsip", ("Jumlah arsip ditata\nSumber Data :\n"
          "- Daftar arsip\n- Kepala Sub Bagian Umum"), "4"]]])
    assert positions(imported(path, unit_kerja="U")) == [{"nama": "Analis", "sasaran": [
        {"uraian": "Tertib administrasi", "indikator": [indikator(
            "Jumlah laporan tepat waktu", penjelasan.rsplit("\n", 1)[0], "Laporan Bulanan",
            target="12")]},
        {"uraian": "Tertib arsip", "indikator": [indikator(
            "Jumlah arsip", "Jumlah arsip ditata", ["Daftar arsip", "Kepala Sub Bagian Umum"],
            target="4")]}]}]


def test_a_table_without_sources_is_a_problem_until_sumber_data_is_given(
        tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["NO", "SASARAN", "INDIKATOR KINERJA", "FORMULASI", "PENANGGUNG JAWAB"],
         ["1", *TWO_ROWS[0][:3], "Kepala Sub Bagian Umum"],
         ["2", *TWO_ROWS[1][:3], "Kepala Sub Bagian Umum"]]])
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}, jabatan 1 (Analis): the IKI table has no SUMBER DATA column (headers found: "
        "'NO', 'SASARAN', 'INDIKATOR KINERJA', 'FORMULASI', 'PENANGGUNG JAWAB'), and 2 "
        "indicators name no source in their penjelasan either (table rows 2, 3) (add a SUMBER "
        "DATA column in Word, end each PENJELASAN with a line 'Sumber Data : ...', or give the "
        "one source of every indicator with --sumber-data \"...\")")]
    unit = imported(path, unit_kerja="U", sumber_data="Laporan Tahunan")
    assert [i.sumber_data for s in unit.jabatan[0].sasaran for i in s.indikator] == [
        ["Laporan Tahunan"], ["Laporan Tahunan"]]
    assert unit.jabatan[0].sasaran[0].indikator[0].tambahan == {
        "penanggung_jawab": "Kepala Sub Bagian Umum"}


def bordered(side: str) -> str:
    return (f'<w:pPr {nsdecls("w")}><w:pBdr><w:{side} w:val="single" w:sz="4" w:space="1" '
            'w:color="auto"/></w:pBdr></w:pPr>')


@pytest.mark.parametrize("rule", ["bottom", "top", "underscores"])
def test_a_fraction_stacked_over_a_rule_reads_numerator_over_denominator(
        tmp_path: Path, rule: str) -> None:
    lines = ["Cara Perhitungan :", "Σ laporan tepat waktu", "Σ laporan seluruhnya"]
    if rule == "underscores":
        lines.insert(2, "__________________ x 100%")
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [OFFICIAL, ["Tertib administrasi", "Persentase laporan", "\n".join(lines), "Arsip"]]])
    if rule != "underscores":
        document = docx.Document(str(path))
        paragraph = document.tables[0].cell(1, 2).paragraphs[1 if rule == "bottom" else 2]
        paragraph._p.insert(0, parse_xml(bordered(rule)))
        document.save(path)
    formulasi = imported(path, unit_kerja="U").jabatan[0].sasaran[0].indikator[0].formulasi
    suffix = " x 100%" if rule == "underscores" else ""
    assert formulasi == f"Cara Perhitungan :\nΣ laporan tepat waktu / Σ laporan seluruhnya{suffix}"


FRACTION = ["Cara Perhitungan :", "Σ laporan tepat waktu", "Σ laporan seluruhnya"]


def fraction_cell(tmp_path: Path) -> tuple[Path, Any, Any]:
    """A document whose PENJELASAN cell is left empty, to be filled by the test: its path,
    the document and the cell."""
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [OFFICIAL, ["Tertib administrasi", "Persentase laporan", "", "Arsip"]]])
    document = docx.Document(str(path))
    return path, document, document.tables[0].cell(1, 2)


def formulasi_of(path: Path, document: Any) -> str:
    document.save(path)
    return imported(path, unit_kerja="U").jabatan[0].sasaran[0].indikator[0].formulasi


@pytest.mark.parametrize(("after", "expected"), [
    ([], ""), (["x 100%"], " x 100%"), (["× 100 %"], " × 100 %"), (["\tx 100%"], " x 100%")],
    ids=["alone", "times-below", "times-sign-below", "times-after-tab"])
def test_a_numerator_marked_by_its_underline_alone_reads_over_the_denominator(
        tmp_path: Path, after: list[str], expected: str) -> None:
    path, document, cell = fraction_cell(tmp_path)
    cell.paragraphs[0].text = FRACTION[0]
    cell.add_paragraph().add_run(FRACTION[1]).underline = True
    denominator = cell.add_paragraph(FRACTION[2])
    if after and after[0].startswith("\t"):
        denominator.add_run(after[0])
    elif after:
        cell.add_paragraph(after[0])
    assert formulasi_of(path, document) == (
        f"Cara Perhitungan :\nΣ laporan tepat waktu / Σ laporan seluruhnya{expected}")


def test_an_underlined_label_and_a_text_under_an_underlined_line_are_no_fraction(
        tmp_path: Path) -> None:
    path, document, cell = fraction_cell(tmp_path)
    cell.paragraphs[0].add_run("Cara Perhitungan :").underline = True
    cell.add_paragraph("Jumlah laporan tepat waktu")
    cell.add_paragraph().add_run("Makna").underline = True
    cell.add_paragraph().add_run("ketepatan").underline = True
    assert formulasi_of(path, document) == (
        "Cara Perhitungan :\nJumlah laporan tepat waktu\nMakna\nketepatan")


@pytest.mark.parametrize(("rows", "rule"), [
    (1, "underline"), (1, "border"), (2, "underline"), (2, "border"), (2, "grid")])
def test_a_fraction_in_a_table_inside_the_cell_reads_numerator_over_denominator(
        tmp_path: Path, rows: int, rule: str) -> None:
    """A 1x1 table holding the stack, or a 2x1 one with the numerator in its first row
    and the rule the border between its rows (a cell's, or the Table Grid style's)."""
    path, document, cell = fraction_cell(tmp_path)
    cell.paragraphs[0].text = FRACTION[0]
    inner = cell.add_table(rows=rows, cols=1)
    if rule == "grid":
        inner.style = document.styles["Table Grid"]
    upper, lower = inner.cell(0, 0), inner.cell(rows - 1, 0)
    if rule == "underline":
        upper.paragraphs[0].add_run(FRACTION[1]).underline = True
    else:
        upper.paragraphs[0].text = FRACTION[1]
    if rows == 1:
        lower.add_paragraph(FRACTION[2])
    else:
        lower.paragraphs[0].text = FRACTION[2]
    if rule == "border" and rows == 1:
        upper.paragraphs[0]._p.insert(0, parse_xml(bordered("bottom")))
    elif rule == "border":
        upper._tc.get_or_add_tcPr().append(parse_xml(
            f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="4"/></w:tcBorders>'))
    cell.add_paragraph("x 100%")
    assert formulasi_of(path, document) == (
        "Cara Perhitungan :\nΣ laporan tepat waktu / Σ laporan seluruhnya x 100%")


def test_two_rows_of_a_table_inside_the_cell_with_no_rule_between_stay_two_lines(
        tmp_path: Path) -> None:
    path, document, cell = fraction_cell(tmp_path)
    cell.paragraphs[0].text = FRACTION[0]
    inner = cell.add_table(rows=2, cols=1)
    inner.cell(0, 0).text, inner.cell(1, 0).text = FRACTION[1], FRACTION[2]
    assert formulasi_of(path, document) == "\n".join(FRACTION)


def test_an_iki_title_over_a_table_it_does_not_read_shows_its_headers(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["NO", "URAIAN", "UKURAN", "TARGET"], ["1", "Laporan", "Jumlah", "12"]]])
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}, jabatan 1 (Analis): the position is named, but no table under the title has "
        "an IKI header; the headers found: 'NO', 'URAIAN', 'UKURAN', 'TARGET' (an "
        "IKI table's header names SASARAN (or KINERJA) and INDIKATOR KINERJA; rename those "
        "columns' headers in Word)")]


def test_an_iki_title_over_an_unread_table_and_no_jabatan_shows_its_headers(
        tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", [["NO", "URAIAN", "TARGET"], ["1", "Laporan", "12"]]])
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}: the document is titled 'INDIKATOR KINERJA INDIVIDU', but no table under the "
        "title has an IKI header; the headers found: 'NO', 'URAIAN', 'TARGET' (an IKI table's "
        "header names SASARAN (or KINERJA) and INDIKATOR KINERJA; rename those columns' "
        "headers in Word)")]


def test_two_columns_with_their_own_headers_for_one_field_are_told_so(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["SASARAN", "INDIKATOR KINERJA", "FORMULASI", "SUMBER DATA", "KET", "KET."],
         [*TWO_ROWS[0], "a", "b"]]])
    assert problems_of(path, unit_kerja="U") == [
        (f"{path}, jabatan 1 (Analis), table row 2, column KET: 2 columns of this row hold the "
        "same field: 'a' under 'KET', 'b' under 'KET.' (keep the text in one of them, or "
        "rename the other column's header in Word)")]


def test_a_title_in_the_table_s_first_row_names_the_position_below_it(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [[
        Wide("INDIKATOR KINERJA INDIVIDU (IKI)"), Wide("SEKRETARIS DPRD"), OFFICIAL, *TWO_ROWS]])
    assert positions(imported(path, unit_kerja="U")) == [
        {"nama": "SEKRETARIS DPRD", "sasaran": TWO_SASARAN}]


MATH = ('<m:oMath {}><m:f><m:num><m:nary><m:naryPr><m:chr m:val="\u2211"/></m:naryPr>'
        '<m:sub/><m:sup/><m:e><m:r><m:t>laporan tepat waktu</m:t></m:r></m:e></m:nary></m:num>'
        '<m:den><m:nary><m:naryPr><m:chr m:val="\u2211"/></m:naryPr><m:sub/><m:sup/><m:e><m:r>'
        '<m:t>laporan</m:t></m:r></m:e></m:nary></m:den></m:f><m:r><m:t> x 100%</m:t></m:r>'
        '</m:oMath>').format(nsdecls("m"))


def test_a_word_equation_fraction_of_sums_reads_numerator_over_denominator(
        tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [OFFICIAL, ["Tertib administrasi", "Persentase laporan", "Rumus: ", "Arsip"]]])
    document = docx.Document(str(path))
    document.tables[0].cell(1, 2).paragraphs[0]._p.append(parse_xml(MATH))
    document.save(path)
    formulasi = imported(path, unit_kerja="U").jabatan[0].sasaran[0].indikator[0].formulasi
    assert formulasi == "Rumus: \u2211 laporan tepat waktu / \u2211 laporan x 100%"


def test_a_sumber_line_the_penjelasan_goes_on_after_stays_in_it(tmp_path: Path) -> None:
    penjelasan = "Jumlah laporan\nSumber data : Arsip\nKeterangan : diperiksa bulanan"
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [OFFICIAL, ["Tertib administrasi", "Jumlah laporan", penjelasan, "Register surat"]]])
    found = imported(path, unit_kerja="U").jabatan[0].sasaran[0].indikator[0]
    assert (found.formulasi, found.sumber_data) == (penjelasan, ["Register surat"])


def test_an_iku_titled_over_several_lines_names_its_unit_and_signer(tmp_path: Path) -> None:
    path = pictured(tmp_path / "iku.docx", "iku-signer-names-position")
    unit = imported(path)
    assert (unit.unit_kerja, unit.tahun) == ("KECAMATAN SIDEMEN", None)
    assert positions(unit) == [{"nama": "CAMAT SIDEMEN", "sasaran": [
        {"uraian": "Meningkatnya pembinaan desa", "indikator": [
            indikator("Persentase desa tertib",
                      "Desa tertib (A) dibagi seluruh desa (B)\nA/B x 100%", "Kasi Pemerintahan"),
            indikator("% Desa yang mengelola APBDes tepat waktu",
                      "Desa tepat waktu dibagi jumlah desa x 100%", "Kasi Pemerintahan")]}]}]


def test_a_title_typed_over_two_paragraphs_is_one_title(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA", "INDIVIDU (IKI)", "KEPALA SUB BAGIAN UMUM", "TAHUN 2022",
        [OFFICIAL, *TWO_ROWS]])
    unit = imported(path, unit_kerja="U")
    assert unit.tahun == 2022
    assert positions(unit) == [{"nama": "KEPALA SUB BAGIAN UMUM", "sasaran": TWO_SASARAN}]


def test_the_pictured_title_naming_its_position_imports(tmp_path: Path) -> None:
    unit = imported(pictured(tmp_path / "iki.docx", "title-names-position"), unit_kerja="U")
    assert positions(unit) == [{"nama": "KEPALA SUB BAGIAN PERENCANAAN", "sasaran": TWO_SASARAN}]


def test_the_pictured_penjelasan_in_parts_with_a_stacked_fraction_imports(
        tmp_path: Path) -> None:
    unit = imported(pictured(tmp_path / "iki.docx", "penjelasan-in-parts"), unit_kerja="U")
    assert positions(unit) == [{"nama": "Analis", "sasaran": [
        {"uraian": "Tertib administrasi", "indikator": [indikator(
            "Persentase laporan tepat waktu",
            "Makna Indikator : ketepatan laporan\nAlasan : tertib administrasi\n"
            "Cara Perhitungan :\n\u03a3 laporan tepat waktu / \u03a3 laporan x 100%",
            "Laporan Bulanan", target="100%")]}]}]


def test_the_pictured_signatures_side_by_side_import_as_signer_and_holder(
        tmp_path: Path) -> None:
    unit = imported(pictured(tmp_path / "iki.docx", "signatures-side-by-side"), unit_kerja="U")
    assert positions(unit) == [{
        "nama": "Analis Kepegawaian",
        "pemangku": {"nama": "NAMA PEMANGKU, S.E.", "pangkat": "Penata (III/c)",
                     "nip": "199001012015031002"},
        "sasaran": [{"uraian": "Tertib administrasi kepegawaian", "indikator": [indikator(
            "Persentase usul kenaikan pangkat tepat waktu",
            "Usul kenaikan pangkat tepat waktu / Seluruh usul kenaikan pangkat x 100%",
            "Register usul")]}]}]
    assert unit.penandatangan is not None
    assert unit.penandatangan.model_dump(exclude_none=True) == {**SIGNER,
                                                               "jabatan": "KEPALA BAGIAN UMUM"}
    assert (unit.tempat, str(unit.tanggal)) == ("Contoh", "2025-01-02")


def test_numbered_group_rows_name_the_positions_of_one_table(tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "DI LINGKUNGAN BAGIAN UMUM PERIODE TAHUN 2021 - 2026",
        [["NO", *OFFICIAL], ["I", "Jabatan : Kepala Sub Bagian Umum", None, None, None],
         ["1", *TWO_ROWS[0]], ["II", "PENGADMINISTRASI UMUM", None, None, None],
         ["1", *TWO_ROWS[1]]]])
    unit = imported(path)
    assert (unit.unit_kerja, unit.tahun) == ("BAGIAN UMUM", None)
    assert positions(unit) == [{"nama": "Kepala Sub Bagian Umum", "sasaran": TWO_SASARAN[:1]},
                               {"nama": "PENGADMINISTRASI UMUM", "sasaran": TWO_SASARAN[1:]}]


def test_target_years_under_a_group_header_are_columns_of_tambahan(tmp_path: Path) -> None:
    path = write(tmp_path / "iku.docx", [
        "INDIKATOR KINERJA UTAMA", "Kepala Dinas Kesehatan",
        [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA UTAMA", "FORMULASI", "SUMBER DATA",
          "TARGET", None],
         [ABOVE, ABOVE, ABOVE, ABOVE, ABOVE, "2020", "2021"],
         ["1", *TWO_ROWS[0], "80%", "85%"]]])
    unit = imported(path, unit_kerja="Dinas Kesehatan")
    assert positions(unit) == [{"nama": "Kepala Dinas Kesehatan", "sasaran": [
        {"uraian": "Tertib administrasi", "indikator": [indikator(
            "Jumlah laporan", "Jumlah laporan disusun", "Arsip surat",
            target_2020="80%", target_2021="85%")]}]}]


def test_group_rows_typed_in_one_cell_without_a_merge_start_positions(tmp_path: Path) -> None:
    path = write(tmp_path / "iku.docx", [
        "INDIKATOR KINERJA UTAMA (IKU)",
        [["NO", *OFFICIAL], ["", "ESSELON II", "", "", ""], ["", "KEPALA DINAS", "", "", ""],
         ["1", *TWO_ROWS[0]], ["", "Jabatan : Sekretaris", "", "", ""], ["1", *TWO_ROWS[1]]]])
    assert positions(imported(path, unit_kerja="Dinas")) == [
        {"nama": "KEPALA DINAS", "tambahan": {"eselon": "ESSELON II"},
         "sasaran": TWO_SASARAN[:1]},
        {"nama": "Sekretaris", "sasaran": TWO_SASARAN[1:]}]


def choices_of(path: Path) -> list[Choice | None]:
    """The choices the problems of an import that must fail carry, as data."""
    with pytest.raises(DataError) as caught:
        import_file(path, path.parent / "unit.yaml", fields={"unit_kerja": "U"})
    return [problem.choice for problem in caught.value.problems]


def test_each_choice_a_document_leaves_is_data_naming_option_table_and_headers(
        tmp_path: Path) -> None:
    two = grouped(tmp_path / "two.docx", ("SASARAN PROGRAM", "SASARAN KEGIATAN"))
    headers = ("NO", "SASARAN PROGRAM", "SASARAN KEGIATAN", "INDIKATOR KINERJA", "FORMULASI",
               "SUMBER DATA", "KETERANGAN")
    assert choices_of(two) == [Choice("kolom_sasaran", "--kolom-sasaran", 1,
                                      ("SASARAN PROGRAM", "SASARAN KEGIATAN"), headers)]
    # the option naming no column leaves the same choice, with the same candidates
    with pytest.raises(DataError) as caught:
        import_file(two, tmp_path / "unit.yaml", fields={"unit_kerja": "U",
                                                         "kolom_sasaran": "SASARAN RPJMD"})
    assert [p.choice for p in caught.value.problems] == choices_of(two)
    nameless = write(tmp_path / "nameless.docx", [
        "INDIKATOR KINERJA INDIVIDU", [OFFICIAL, *TWO_ROWS]])
    assert choices_of(nameless) == [Choice("jabatan", "--jabatan", 1)]
    unsourced = write(tmp_path / "unsourced.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["SASARAN", "INDIKATOR KINERJA", "FORMULASI"], TWO_ROWS[0][:3]]])
    assert choices_of(unsourced) == [Choice("sumber_data", "--sumber-data", 1, (),
                                            ("SASARAN", "INDIKATOR KINERJA", "FORMULASI"))]


HOLDER_LINES = ["Nama : NAMA PEMANGKU, S.E.", "NIP : 19900101 201503 1 002",
                "Pangkat/Gol. Ruang : Penata (III/c)", "Jabatan : Analis"]
HELD = {"nama": "NAMA PEMANGKU, S.E.", "pangkat": "Penata (III/c)", "nip": "199001012015031002"}


@pytest.mark.parametrize("typed", ["lines", "label-table"])
def test_the_holder_s_name_nip_and_pangkat_above_the_table_are_its_pemangku(
        tmp_path: Path, typed: str) -> None:
    above: list[Any] = HOLDER_LINES if typed == "lines" else [
        [[head.strip(), ":", value.strip()] for head, _, value in
         (line.partition(":") for line in HOLDER_LINES)]]
    path = write(tmp_path / "iki.docx", ["INDIKATOR KINERJA INDIVIDU", *above,
                                         [OFFICIAL, *TWO_ROWS], *SIGNATURE])
    unit = imported(path, unit_kerja="U")
    assert positions(unit) == [{"nama": "Analis", "pemangku": HELD, "sasaran": TWO_SASARAN}]
    assert unit.penandatangan is not None
    assert unit.penandatangan.model_dump(exclude_none=True) == SIGNER


def test_holder_lines_above_a_table_of_several_positions_name_none_of_them(
        tmp_path: Path) -> None:
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", HOLDER_LINES[0],
        [OFFICIAL, Wide("KEPALA BAGIAN"), TWO_ROWS[0], Wide("ANALIS"), TWO_ROWS[1]]])
    assert [jab.pemangku for jab in imported(path, unit_kerja="U").jabatan] == [None, None]

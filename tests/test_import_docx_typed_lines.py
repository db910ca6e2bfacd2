"""Importing IKI Word documents whose texts are typed over several paragraphs, as offices
do in narrow columns (Enter pressed where Word would have wrapped the line), and other
layouts of public IKI and IKU documents: numbered Jabatan/Tugas/Fungsi labels, a
kecamatan's cover and Keputusan titles before its IKI, a landscape table of nine
columns, a puskesmas's label table, a sekretariat DPRD's IKU with its tugas numbered in a
row, a bare URAIAN column."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from importing import import_layouts, imported

from ikidoc import UnitKerja

LAYOUTS = import_layouts()
write, ABOVE = LAYOUTS.write, LAYOUTS.ABOVE
SIGNATURE = ["", "Pakisaji, 2 Januari 2019", "CAMAT PAKISAJI,", "", "", "Drs. NAMA LENGKAP, M.Si",
             "Pembina Tk. I (IV/b)", "NIP. 19800512 200501 1 002"]


def positions(unit: UnitKerja) -> list[dict[str, Any]]:
    """Every field of every position, as the data file holds it."""
    return [jab.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for jab in unit.jabatan]


def kecamatan(path: Path) -> Path:
    """A kecamatan's IKI as its Keputusan prints it: a cover and the Keputusan's own title
    lines before the IKI, numbered labels, a tugas item and every table cell typed over
    several paragraphs, officials as the sources, a note under the formula."""
    return write(path, [
        "INDIKATOR KINERJA INDIVIDU", "KECAMATAN PAKISAJI", "KABUPATEN MALANG", "TAHUN 2019", "",
        "LAMPIRAN", "KEPUTUSAN CAMAT PAKISAJI", "NOMOR: 188.45/12/KEP/35.07.19/2019", "TENTANG",
        "INDIKATOR KINERJA INDIVIDU", "KECAMATAN PAKISAJI", "KABUPATEN MALANG", "",
        "INDIKATOR KINERJA INDIVIDU",
        "1. Jabatan : SEKRETARIS KECAMATAN",
        "2. Tugas : a. Melaksanakan koordinasi perencanaan, pengelolaan urusan kepegawaian, urusan",
        "umum yang meliputi surat menyurat, penggandaan dan perlengkapan; dan",
        "b. Melaksanakan tugas lain yang diberikan oleh Camat.",
        "3. Fungsi : a. Merencanakan kegiatan kesekretariatan;",
        "b. Mengelola urusan administrasi kepegawaian;",
        "c. Mengoordinasikan perencanaan, monitoring, evaluasi dan pelaporan program Kecamatan.",
        [["SASARAN/KINERJA UTAMA", "INDIKATOR KINERJA UTAMA", "PENJELASAN/FORMULASI PENGHITUNGAN",
          "SUMBER DATA"],
         ["Meningkatkan produktifitas\nkinerja aparatur\nkecamatan",
          "Persentase tingkat\nkehadiran PNS\nlingkup kecamatan",
          "Jumlah hari hadir dibagi jumlah hari kerja x 100%\nCatatan :\nhari kerja dalam 1 "
          "tahun\n= 240 hari kerja efektif.",
          "Kasubag Umum,\nKepegawaian, Keuangan,\ndan Aset."],
         [ABOVE, "Persentase jumlah\ndokumen\nperencanaan dan\npelaporan yang\ntersusun dengan"
          "\nbenar", "Jumlah dokumen tersusun dibagi jumlah dokumen x 100%",
          "Kasubag Perencanaan,\nEvaluasi dan Pelaporan."]],
        *SIGNATURE])


def test_a_kecamatan_iki_typed_over_several_paragraphs_reads_each_text_whole(
        tmp_path: Path) -> None:
    unit = imported(kecamatan(tmp_path / "iki.docx"))
    assert (unit.unit_kerja, unit.tahun) == ("KECAMATAN PAKISAJI", 2019)
    assert positions(unit) == [{
        "nama": "SEKRETARIS KECAMATAN",
        "tugas": ["Melaksanakan koordinasi perencanaan, pengelolaan urusan kepegawaian, urusan "
                  "umum yang meliputi surat menyurat, penggandaan dan perlengkapan; dan",
                  "Melaksanakan tugas lain yang diberikan oleh Camat."],
        "fungsi": ["Merencanakan kegiatan kesekretariatan;",
                   "Mengelola urusan administrasi kepegawaian;",
                   "Mengoordinasikan perencanaan, monitoring, evaluasi dan pelaporan program "
                   "Kecamatan."],
        "sasaran": [{"uraian": "Meningkatkan produktifitas kinerja aparatur kecamatan",
                     "indikator": [
            {"uraian": "Persentase tingkat kehadiran PNS lingkup kecamatan",
             "formulasi": "Jumlah hari hadir dibagi jumlah hari kerja x 100%\nCatatan :\nhari "
                          "kerja dalam 1 tahun\n= 240 hari kerja efektif.",
             "sumber_data": ["Kasubag Umum, Kepegawaian, Keuangan, dan Aset."]},
            {"uraian": "Persentase jumlah dokumen perencanaan dan pelaporan yang tersusun "
                       "dengan benar",
             "formulasi": "Jumlah dokumen tersusun dibagi jumlah dokumen x 100%",
             "sumber_data": ["Kasubag Perencanaan, Evaluasi dan Pelaporan."]}]}]}]
    assert unit.penandatangan is not None and unit.penandatangan.jabatan == "CAMAT PAKISAJI"


def test_a_landscape_table_of_nine_columns_under_capital_labels_imports(tmp_path: Path) -> None:
    """JABATAN over two paragraphs, TUGAS and FUNGSI in capitals; NO, a (1)-(9) numbering
    row, RUMUS as the formulasi, the other columns into tambahan under their headers."""
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "JABATAN : KEPALA SUB BAGIAN UMUM DAN", "KEPEGAWAIAN",
        "TUGAS : Melaksanakan urusan umum dan kepegawaian", "FUNGSI : -",
        [["NO", "SASARAN", "INDIKATOR KINERJA", "SATUAN", "TARGET", "RUMUS", "SUMBER DATA",
          "PENANGGUNG JAWAB", "KET"],
         [f"({number})" for number in range(1, 10)],
         ["1", "Meningkatnya kualitas\nlayanan umum", "Persentase surat yang\ndiagendakan", "%",
          "100", "Jumlah surat diagendakan / jumlah surat masuk x 100%", "Buku Agenda",
          "Pengadministrasi Umum", "-"],
         ["2", "Tertib administrasi kepegawaian", "Jumlah usulan kenaikan pangkat", "Berkas",
          "12", "Jumlah usulan yang diproses", "- SK Kenaikan Pangkat\n- Daftar Urut Kepangkatan",
          "Pengelola Kepegawaian", ""]],
        *SIGNATURE])
    assert positions(imported(path, unit_kerja="Sekretariat")) == [{
        "nama": "KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN",
        "tugas": ["Melaksanakan urusan umum dan kepegawaian"],
        "sasaran": [
            {"uraian": "Meningkatnya kualitas layanan umum", "indikator": [{
                "uraian": "Persentase surat yang diagendakan",
                "formulasi": "Jumlah surat diagendakan / jumlah surat masuk x 100%",
                "sumber_data": ["Buku Agenda"],
                "tambahan": {"satuan": "%", "target": "100",
                             "penanggung_jawab": "Pengadministrasi Umum", "ket": "-"}}]},
            {"uraian": "Tertib administrasi kepegawaian", "indikator": [{
                "uraian": "Jumlah usulan kenaikan pangkat",
                "formulasi": "Jumlah usulan yang diproses",
                "sumber_data": ["SK Kenaikan Pangkat", "Daftar Urut Kepangkatan"],
                "tambahan": {"satuan": "Berkas", "target": "12",
                             "penanggung_jawab": "Pengelola Kepegawaian"}}]}]}]


@pytest.mark.parametrize(("above", "nama"), [
    (["INDIKATOR KINERJA INDIVIDU", "KEPALA SUB BAGIAN UMUM DAN", "KEPEGAWAIAN"],
     "KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN"),
    (["IKI KEPALA SUB BAGIAN UMUM DAN", "KEPEGAWAIAN", "TAHUN 2024"],
     "KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN"),
    (["INDIKATOR KINERJA INDIVIDU", "Jabatan : Kepala Seksi Pelayanan Umum", "Kecamatan Contoh",
      "Tugas : Melayani masyarakat"], "Kepala Seksi Pelayanan Umum Kecamatan Contoh"),
    (["INDIKATOR KINERJA INDIVIDU", "Jabatan :", "Kepala Seksi Pelayanan Umum", "Kecamatan Contoh"],
     "Kepala Seksi Pelayanan Umum Kecamatan Contoh"),
    (["INDIKATOR KINERJA INDIVIDU", "Jabatan : Kepala Seksi Pelayanan Umum",
      "Menyelenggarakan pelayanan administrasi umum bagi masyarakat di wilayah kecamatan."],
     "Kepala Seksi Pelayanan Umum"),  # a description under it is no part of the name
], ids=["title-lines", "title-and-line", "jabatan-line", "under-its-label", "description"])
def test_a_position_s_name_typed_over_two_lines_is_one_name(
        tmp_path: Path, above: list[str], nama: str) -> None:
    path = write(tmp_path / "iki.docx", [*above, [
        ["NO", "SASARAN", "INDIKATOR KINERJA", "FORMULASI", "SUMBER DATA"],
        ["1", "Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun", "Arsip surat"]]])
    assert [jab.nama for jab in imported(path, unit_kerja="Kecamatan Contoh").jabatan] == [nama]


@pytest.mark.parametrize(("header", "row"), [
    (["NO", "URAIAN", "INDIKATOR KINERJA", "FORMULA", "SUMBER DATA"],
     ["1", "Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun", "Arsip surat"]),
    (["NO", "SASARAN", "INDIKATOR KINERJA", "URAIAN", "SUMBER DATA"],
     ["1", "Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun", "Arsip surat"]),
], ids=["sasaran", "penjelasan"])
def test_a_bare_uraian_column_is_the_sasaran_or_the_penjelasan_by_its_place(
        tmp_path: Path, header: list[str], row: list[str]) -> None:
    path = write(tmp_path / "iki.docx", ["INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
                                         [header, row]])
    assert positions(imported(path, unit_kerja="U")) == [{"nama": "Analis", "sasaran": [
        {"uraian": "Tertib administrasi", "indikator": [
            {"uraian": "Jumlah laporan", "formulasi": "Jumlah laporan disusun",
             "sumber_data": ["Arsip surat"]}]}]}]


def test_lines_that_are_items_of_their_own_stay_apart(tmp_path: Path) -> None:
    """Items that begin with a capital or a marker, or follow one ending in ";", are not
    one text typed over two lines; a penjelasan keeps its lines."""
    path = write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Bendahara", "Tugas :",
        "Melakukan penerimaan dan pengeluaran;", "membuat laporan keuangan", "Fungsi : -",
        [["SASARAN", "INDIKATOR KINERJA", "PENJELASAN", "SUMBER DATA"],
         ["Tertib administrasi keuangan", "Jumlah laporan SPJ",
          "Jumlah laporan SPJ\nyang disusun", "Laporan Keuangan\nRegister Kas;\nrekening koran"]]])
    [bendahara] = positions(imported(path, unit_kerja="U"))
    assert bendahara["tugas"] == ["Melakukan penerimaan dan pengeluaran;",
                                  "membuat laporan keuangan"]
    assert bendahara["sasaran"] == [{"uraian": "Tertib administrasi keuangan", "indikator": [
        {"uraian": "Jumlah laporan SPJ",
         "formulasi": "Jumlah laporan SPJ\nyang disusun",
         "sumber_data": ["Laporan Keuangan", "Register Kas;", "rekening koran"]}]}]


def test_a_puskesmas_iki_with_a_label_table_whose_tugas_run_over_lines_imports(
        tmp_path: Path) -> None:
    """Jabatan, Tugas and Fungsi in a borderless table (a tugas over two paragraphs of its
    cell), FORMULA as the formulasi, TARGET over one sub-column per year."""
    path = write(tmp_path / "iki.docx", [
        "PEMERINTAH KABUPATEN CONTOH", "DINAS KESEHATAN", "",
        "INDIKATOR KINERJA INDIVIDU (IKI)", "UPTD PUSKESMAS CONTOH TAHUN 2023", "",
        [["NAMA JABATAN", ":", "KEPALA SUB BAGIAN TATA USAHA"],
         ["TUGAS", ":", "Menyiapkan bahan penyusunan rencana\nkerja Puskesmas;\n"
                        "Mengelola administrasi kepegawaian;"],
         ["FUNGSI", ":", "-"]], "",
        [["NO", "SASARAN", "INDIKATOR KINERJA", "FORMULA", "TARGET", None, "SUMBER DATA"],
         [ABOVE, ABOVE, ABOVE, ABOVE, "2023", "2024", ABOVE],
         ["1", "2", "3", "4", "5", "6", "7"],
         ["1", "Meningkatnya tata kelola\nadministrasi Puskesmas",
          "Persentase dokumen perencanaan\nyang tersusun tepat waktu",
          "Dokumen tepat waktu / seluruh dokumen x 100%", "100%", "100%", "- RUK\n- RPK"]],
        "", "Contoh, 2 Januari 2023", "Kepala UPTD Puskesmas Contoh", "", "", "dr. NAMA LENGKAP",
        "Pembina (IV/a)", "NIP. 19800512 200501 1 002"])
    unit = imported(path)
    assert (unit.instansi, unit.unit_kerja, unit.tahun) == (
        "PEMERINTAH KABUPATEN CONTOH", "UPTD PUSKESMAS CONTOH", 2023)
    assert positions(unit) == [{
        "nama": "KEPALA SUB BAGIAN TATA USAHA",
        "tugas": ["Menyiapkan bahan penyusunan rencana kerja Puskesmas;",
                  "Mengelola administrasi kepegawaian;"],
        "sasaran": [{"uraian": "Meningkatnya tata kelola administrasi Puskesmas", "indikator": [{
            "uraian": "Persentase dokumen perencanaan yang tersusun tepat waktu",
            "formulasi": "Dokumen tepat waktu / seluruh dokumen x 100%",
            "sumber_data": ["RUK", "RPK"],
            "tambahan": {"target_2023": "100%", "target_2024": "100%"}}]}]}]


def test_a_sekretariat_dprd_iku_with_tugas_numbered_in_a_row_and_group_rows_imports(
        tmp_path: Path) -> None:
    """Two numbered tugas in one line and the third on the next, a PENJELASAN header whose
    note names the indicator's parts, an ESSELON group row, a PENANGGUNG JAWAB column and
    the position named by its signer."""
    path = write(tmp_path / "iku.docx", [
        "INDIKATOR KINERJA UTAMA (IKU)", "SEKRETARIAT DEWAN PERWAKILAN RAKYAT DAERAH",
        "TAHUN 2017",
        "TUGAS : 1. Menyelenggarakan administrasi Kesekretariatan dan Keuangan 2. Mendukung "
        "Pelaksanaan Tugas dan Fungsi DPRD",
        "3. Menyediakan dan mengkoordinasikan tenaga ahli yang diperlukan oleh DPRD",
        "FUNGSI : 1. Penyelenggaraan administrasi kesekretariatan DPRD",
        "2. Penyelenggaraan administrasi keuangan DPRD",
        [["NO", "KINERJA UTAMA", "INDIKATOR KINERJA", "PENJELASAN\n(Makna Indikator, Alasan "
          "Pemilihan Indikator dan Cara Perhitungan Indikator)", "PENANGGUNG JAWAB",
          "SUMBER DATA"],
         LAYOUTS.Wide("ESSELON II"),
         ["1.", "Meningkatkan Pelayanan kepada\nAnggota DPRD",
          "Tingkat Kepuasan Anggota DPRD\nterhadap Pelayanan Sekretariat DPRD",
          "Makna Indikator : Survey tingkat kepuasan anggota DPRD\nAlasan Pemilihan Indikator : "
          "Memacu kinerja\nCara Perhitungan Indikator :\nSURVEY IKM", "Plt. Sekretaris DPRD",
          "Sekretariat DPRD"]],
        "", "Banjarmasin, 2 Januari 2017", "SEKRETARIS DPRD,", "", "", "Drs. NAMA LENGKAP",
        "Pembina Utama Muda (IV/c)", "NIP. 19800512 200501 1 002"])
    unit = imported(path)
    assert (unit.unit_kerja, unit.tahun) == ("SEKRETARIAT DEWAN PERWAKILAN RAKYAT DAERAH", 2017)
    assert positions(unit) == [{
        "nama": "SEKRETARIS DPRD",
        "tugas": ["Menyelenggarakan administrasi Kesekretariatan dan Keuangan",
                  "Mendukung Pelaksanaan Tugas dan Fungsi DPRD",
                  "Menyediakan dan mengkoordinasikan tenaga ahli yang diperlukan oleh DPRD"],
        "fungsi": ["Penyelenggaraan administrasi kesekretariatan DPRD",
                   "Penyelenggaraan administrasi keuangan DPRD"],
        "tambahan": {"eselon": "ESSELON II"},
        "sasaran": [{"uraian": "Meningkatkan Pelayanan kepada Anggota DPRD", "indikator": [{
            "uraian": "Tingkat Kepuasan Anggota DPRD terhadap Pelayanan Sekretariat DPRD",
            "formulasi": "Makna Indikator : Survey tingkat kepuasan anggota DPRD\nAlasan "
                         "Pemilihan Indikator : Memacu kinerja\nCara Perhitungan Indikator :\n"
                         "SURVEY IKM",
            "sumber_data": ["Sekretariat DPRD"],
            "tambahan": {"penanggung_jawab": "Plt. Sekretaris DPRD"}}]}]}]


def test_indicators_numbered_in_one_cell_are_one_indicator_each(tmp_path: Path) -> None:
    """An IKU row whose INDIKATOR cell numbers three indicators (one over two lines):
    each takes the item of its number from the cells that number as many (penjelasan,
    sources, target) and the whole of those that do not (the PENANGGUNG JAWAB)."""
    path = write(tmp_path / "iku.docx", [
        "INDIKATOR KINERJA UTAMA (IKU)", "SEKRETARIAT DPRD",
        [["NO", "KINERJA UTAMA", "INDIKATOR KINERJA", "PENJELASAN", "PENANGGUNG JAWAB",
          "SUMBER DATA", "TARGET"],
         LAYOUTS.Wide("ESSELON III"), LAYOUTS.Wide("KEPALA BAGIAN PERSIDANGAN"),
         ["1.", "Meningkatkan Kualitas Layanan Kegiatan\nPersidangan, Hukum, AKD dan Layanan "
          "Aspirasi", "1. Persentase Raperda yang dibahas\n2. Persentase Dokumen Aspirasi yang"
          "\ndapat diakomodir\n3. Nilai Komponen IKM Layanan Kegiatan Dewan",
          "1. Raperda dibahas / Raperda diajukan x 100%\n2. Aspirasi diakomodir / aspirasi "
          "masuk x 100%\n3. Survey IKM", "Kepala Bagian Persidangan",
          "1. Risalah Rapat\n2. Dokumen Aspirasi\n3. Laporan IKM", "1. 100%\n2. 80%\n3. 80"]],
        "", "Banjarmasin, 2 Januari 2017", "SEKRETARIS DPRD,", "", "", "Drs. NAMA LENGKAP",
        "Pembina Utama Muda (IV/c)", "NIP. 19800512 200501 1 002"])

    def indikator(uraian: str, formulasi: str, sumber: str, target: str) -> dict[str, Any]:
        return {"uraian": uraian, "formulasi": formulasi, "sumber_data": [sumber],
                "tambahan": {"penanggung_jawab": "Kepala Bagian Persidangan", "target": target}}

    assert positions(imported(path)) == [{
        "nama": "KEPALA BAGIAN PERSIDANGAN", "tambahan": {"eselon": "ESSELON III"},
        "sasaran": [{"uraian": "Meningkatkan Kualitas Layanan Kegiatan Persidangan, Hukum, AKD "
                               "dan Layanan Aspirasi", "indikator": [
            indikator("Persentase Raperda yang dibahas",
                      "Raperda dibahas / Raperda diajukan x 100%", "Risalah Rapat", "100%"),
            indikator("Persentase Dokumen Aspirasi yang dapat diakomodir",
                      "Aspirasi diakomodir / aspirasi masuk x 100%", "Dokumen Aspirasi", "80%"),
            indikator("Nilai Komponen IKM Layanan Kegiatan Dewan", "Survey IKM",
                      "Laporan IKM", "80")]}]}]

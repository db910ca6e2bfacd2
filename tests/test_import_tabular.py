"""Importing Excel workbooks and CSV files: columns, continued cells, items, problems."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SAMPLE
from importing import imported, problems_of

from ikidoc import UnitKerja, load_file
from ikidoc.importers import import_file

HEADER = ["Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formulasi", "Sumber Data"]
DOKUMEN = [["unit_kerja", "Bagian Uji"]]


def workbook(folder: Path, rows: list[list[Any]], *, header: list[str] = HEADER,
             dokumen: list[list[Any]] | None = DOKUMEN, merge: tuple[str, ...] = ()) -> Path:
    """A workbook with the table sheet `IKI` (cells merged as given) and a sheet `dokumen`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "IKI"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    if dokumen is not None:
        fields = book.create_sheet("dokumen")
        for row in dokumen:
            fields.append(row)
    path = folder / "iki.xlsx"
    book.save(path)
    return path


def sample_workbook(unit: UnitKerja, folder: Path) -> Path:
    """The sample as an office types it: a numbering column, each position's cells on its
    first row, each SASARAN cell merged over its rows, repeated SUMBER DATA left blank."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "IKI"
    free = sorted({key for jab in unit.jabatan for ind in jab.indikator for key in ind.tambahan})
    sheet.append(["No", "Nama Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator Kinerja",
                  "Penjelasan/Formulasi Penghitungan", "Sumber Data", *(k.title() for k in free)])
    for number, jab in enumerate(unit.jabatan, start=1):
        first = True
        for sasaran in jab.sasaran:
            top, previous = sheet.max_row + 1, None
            for ind in sasaran.indikator:
                sources = "\n".join(f"- {s}" for s in ind.sumber_data) if len(ind.sumber_data) > 1 \
                    else ind.sumber_data[0]
                tugas = "\n".join(f"{chr(97 + k)}. {t}" for k, t in enumerate(jab.tugas))
                position = [number, jab.nama, tugas, "\n".join(jab.fungsi)] if first else [None] * 4
                sheet.append([*position, sasaran.uraian, ind.uraian, ind.formulasi,
                              None if ind.sumber_data == previous else sources,
                              *(ind.tambahan.get(key) for key in free)])
                first, previous = False, ind.sumber_data
            if sheet.max_row > top:
                sheet.merge_cells(start_row=top, end_row=sheet.max_row,
                                  start_column=5, end_column=5)
    fields = book.create_sheet("dokumen")
    fields.append(["Kolom", "Isi"])
    signer = unit.penandatangan
    for key, value in [("instansi", unit.instansi), ("induk", unit.induk),
                       ("Unit Kerja", unit.unit_kerja),
                       ("tahun", unit.tahun), ("tempat", unit.tempat),
                       ("tanggal", dt.datetime.combine(unit.tanggal, dt.time())),
                       ("penandatangan_jabatan", signer.jabatan),
                       ("penandatangan.nama", signer.nama),
                       ("penandatangan_pangkat", signer.pangkat), ("penandatangan_nip", signer.nip),
                       ("tambahan.menimbang", "\n".join(unit.tambahan["menimbang"]))]:
        fields.append([key, value])
    for item in unit.tambahan["mengingat"]:  # one item a row
        fields.append(["tambahan mengingat", item])
    path = folder / "sample.xlsx"
    book.save(path)
    return path


def test_a_sheet_made_from_the_sample_imports_to_the_same_data(tmp_path: Path) -> None:
    unit = load_file(SAMPLE).unit
    assert imported(sample_workbook(unit, tmp_path)).model_dump() == unit.model_dump()


def test_writes_block_style_yaml_in_format_order_with_unicode_as_is(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "a. Menyusun laporan\nb. Menganalisis data", "-",
                                  "Tertib administrasi", "Rasio ≥ 90%", "A ÷ B × 100%",
                                  "Laporan"]])
    import_file(source, tmp_path / "unit.yaml")
    assert (tmp_path / "unit.yaml").read_text(encoding="utf-8") == (
        "# Dibuat oleh `ikidoc import` dari iki.xlsx; periksa isinya sebelum dipakai.\n"
        "unit_kerja: Bagian Uji\n"
        "jabatan:\n"
        "  - nama: Analis\n"
        "    tugas:\n"
        "      - Menyusun laporan\n"
        "      - Menganalisis data\n"
        "    fungsi: []\n"
        "    sasaran:\n"
        "      - uraian: Tertib administrasi\n"
        "        indikator:\n"
        "          - uraian: Rasio ≥ 90%\n"
        "            formulasi: A ÷ B × 100%\n"
        "            sumber_data: Laporan\n")


@pytest.mark.parametrize("header", [
    ["JABATAN", "TUGAS", "FUNGSI", "SASARAN", "INDIKATOR KINERJA",
     "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"],
    ["Nama Jabatan", "Tugas Pokok", "Fungsi", "Sasaran Kinerja", "Indikator Kinerja Individu",
     "Formulasi Perhitungan", "Sumber"],
    ["jabatan", "tugas", "fungsi", "sasaran", "indikator", "Penjelasan / Formasi Penghitungan",
     "sumber data"],
])
def test_recognises_header_variants_in_any_case(tmp_path: Path, header: list[str]) -> None:
    source = workbook(tmp_path, [["Analis", "Menyusun", "", "S", "I", "F", "Laporan"]],
                      header=header)
    jab = imported(source).jabatan[0]
    assert (jab.nama, jab.tugas, jab.indikator[0].formulasi) == ("Analis", ["Menyusun"], "F")


def test_other_columns_go_to_the_indikator_tambahan(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I1", "F1", "L", 12, "Laporan"],
                                 [None, None, None, None, "I2", "F2", "L", 95.5, None]],
                      header=HEADER + ["Target", "Satuan Kinerja"])
    indicators = imported(source).jabatan[0].indikator
    assert [i.tambahan for i in indicators] == [{"target": "12", "satuan_kinerja": "Laporan"},
                                                {"target": "95.5"}]


def test_a_title_above_the_header_and_a_numbering_row_below_it_are_skipped(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["INDIKATOR KINERJA INDIVIDU BAGIAN UJI"])
    sheet.merge_cells("A1:G1")
    sheet.append(HEADER)
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    sheet.append(["Analis", "", "", "S", "I", "F", "L"])
    book.save(tmp_path / "titled.xlsx")
    unit = imported(tmp_path / "titled.xlsx", unit_kerja="Bagian Uji")
    assert [(j.nama, j.indikator[0].uraian) for j in unit.jabatan] == [("Analis", "I")]


def test_blank_cells_continue_the_value_above(tmp_path: Path) -> None:
    source = workbook(tmp_path, [
        ["Analis", "Menyusun", "", "S1", "I1", "F1", "Laporan\nArsip"],
        ["", "", "", "", "I2", "F2", ""],
        ["", "", "", "S2", "I3", "F3", "Data"],
        ["Pengemudi", "Mengemudi", "", "S3", "I4", "F4", "Kwitansi"],
    ])
    first, second = imported(source).jabatan
    table_read = [(s.uraian, [(i.uraian, i.sumber_data) for i in s.indikator])
                  for s in first.sasaran]
    assert table_read == [
        ("S1", [("I1", ["Laporan", "Arsip"]), ("I2", ["Laporan", "Arsip"])]),
        ("S2", [("I3", ["Data"])]),
    ]
    assert (second.nama, second.sasaran[0].uraian) == ("Pengemudi", "S3")


def test_merged_cells_read_as_their_top_left_value(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "Menyusun", "", "S1", "I1", "F1", "Laporan"],
                                 ["", "", "", "", "I2", "F2", ""]],
                      merge=("A2:A3", "B2:B3", "D2:D3", "G2:G3"))
    jab = imported(source).jabatan[0]
    assert jab.tugas == ["Menyusun"]
    assert [(s.uraian, len(s.indikator)) for s in jab.sasaran] == [("S1", 2)]
    assert [i.sumber_data for i in jab.indikator] == [["Laporan"], ["Laporan"]]


def test_rows_repeating_the_position_and_sasaran_make_one_of_each(tmp_path: Path) -> None:
    row = ["Analis", "a. Menyusun\nb. Menganalisis", "", "S1"]
    source = workbook(tmp_path, [row + ["I1", "F1", "L"], row + ["I2", "F2", "L"]])
    jab = imported(source).jabatan[0]
    assert jab.tugas == ["Menyusun", "Menganalisis"] and len(jab.sasaran) == 1


def test_one_tugas_or_source_per_row_adds_to_the_position_or_indikator(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "Menyusun", "", "S1", "I1", "F1", "Laporan"],
                                 ["", "Menganalisis", "", "", "", "", "Arsip"]])
    jab = imported(source).jabatan[0]
    assert jab.tugas == ["Menyusun", "Menganalisis"]
    assert jab.indikator[0].sumber_data == ["Laporan", "Arsip"]


@pytest.mark.parametrize(("cell", "items"), [
    ("a. Menyusun\nb. Menganalisis", ["Menyusun", "Menganalisis"]),
    ("- Laporan\n- Arsip", ["Laporan", "Arsip"]),
    ("1) Menyusun\r\n2) Menganalisis", ["Menyusun", "Menganalisis"]),
    ("a. Menyusun; b. Menganalisis; c. Melaporkan", ["Menyusun;", "Menganalisis;", "Melaporkan"]),
    ("- Data Sub Bagian - Laporan OPD", ["Data Sub Bagian", "Laporan OPD"]),
    ("a. Sesuai huruf b. di atas", ["Sesuai huruf b. di atas"]),
    ("1. Menyusun laporan 2. Menganalisis data", ["Menyusun laporan", "Menganalisis data"]),
    ("1. Menyusun laporan sesuai Perda No 2. Tahun 2020 2. Menganalisis data",
     ["Menyusun laporan sesuai Perda No 2. Tahun 2020", "Menganalisis data"]),
    ("1. Melaksanakan Pasal 2. Ayat 3", ["Melaksanakan Pasal 2. Ayat 3"]),
    ("Dr. Ahmad\n5.000 dokumen", ["Dr. Ahmad", "5.000 dokumen"]),
    ("-", []),
])
def test_splits_a_cell_into_items_on_lines_and_markers(tmp_path: Path, cell: str,
                                                       items: list[str]) -> None:
    source = workbook(tmp_path, [["Analis", cell, "", "S", "I", "F", "L"]])
    assert imported(source).jabatan[0].tugas == items


def test_csv_with_semicolons_and_a_bom_as_excel_writes_it(tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    source.write_text(
        "Jabatan;Tugas;Fungsi;Sasaran;Indikator Kinerja;Formulasi;Sumber Data\r\n"
        'Analis;"a. Menyusun, mengolah\nb. Menganalisis";;Tertib;Jumlah laporan;A, B dan C;'
        "Laporan\r\n"
        ";;;;Jumlah data;D;\r\n", encoding="utf-8-sig", newline="")
    jab = imported(source, unit_kerja="Bagian Uji").jabatan[0]
    assert jab.tugas == ["Menyusun, mengolah", "Menganalisis"]
    assert [(i.uraian, i.formulasi, i.sumber_data) for i in jab.indikator] == [
        ("Jumlah laporan", "A, B dan C", ["Laporan"]), ("Jumlah data", "D", ["Laporan"])]


def test_csv_with_commas(tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    source.write_text("Jabatan,Sasaran,Indikator,Formulasi,Sumber\n"
                      'Analis,Tertib,"Jumlah; laporan",F,L\n', encoding="utf-8")
    assert imported(source, unit_kerja="U").jabatan[0].indikator[0].uraian == "Jumlah; laporan"


def test_document_fields_come_from_the_sheet_and_options_replace_them(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Bagian Uji"], ["tahun", 2024], ["tanggal", "2 Januari 2025"],
        ["penandatangan_jabatan", "Kepala"], ["penandatangan_nama", "NAMA"],
        ["penandatangan_nip", "19800512 200501 1 002"]])
    unit = imported(source, tahun="2025", tempat="Contoh")
    assert (unit.unit_kerja, unit.tahun, unit.tempat, unit.tanggal) == (
        "Bagian Uji", 2025, "Contoh", dt.date(2025, 1, 2))
    assert unit.penandatangan.model_dump() == {"jabatan": "Kepala", "nama": "NAMA", "pangkat": None,
                                              "nip": "198005122005011002"}


def test_an_indikator_without_sasaran_names_sheet_row_and_column(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "", "Jumlah laporan", "F", "L"]])
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 2, column D (Sasaran): indikator 'Jumlah laporan' has no "
        "sasaran (write the sasaran in this row or in a row above it)"]


def test_every_problem_of_the_rows_is_reported_at_once(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["", "", "", "S", "I", "F", "L"],
                                 ["Analis", "", "", "S", "I", "", ""],
                                 ["", "", "", "", "", "Stray", ""],
                                 ["", "", "", "S2", "", "", ""]])
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 2, column A (Jabatan): this row has no jabatan (write the "
        "jabatan in the first row of each position)",
        f"{source}, sheet 'IKI', row 3, column F (Formulasi): indikator 'I' has no formulasi "
        "(penjelasan/formulasi penghitungan)",
        f"{source}, sheet 'IKI', row 4, column F (Formulasi): this row has a value but no "
        "indikator (write the indikator in this row, or move the value to the row of its "
        "indikator)",
        f"{source}, sheet 'IKI', row 3, column G (Sumber Data): indikator 'I' has no sumber data "
        "(write at least one source)",
        f"{source}, sheet 'IKI', row 5, column D (Sasaran): sasaran 'S2' has no indikator (write "
        "its indikator in this row or the rows below)",
    ]


def test_an_unrecognised_header_says_which_column_and_what_it_may_be(tmp_path: Path) -> None:
    header = ["Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formla", "Sumber Data"]
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], header=header)
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 1: no column 'Formulasi' in the header row (is 'Formla' meant "
        "to be 'Formulasi'? rename it)"]


@pytest.mark.parametrize(("typed", "meant"), [("Indikatr Kinerja", "Indikator"),
                                               ("Sasarn Kinerja", "Sasaran")])
def test_a_header_of_several_words_with_a_typo_is_named_with_what_it_may_be(
        tmp_path: Path, typed: str, meant: str) -> None:
    header = ["Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formulasi", "Sumber Data"]
    header[header.index(meant)] = typed
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], header=header)
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 1: no column {meant!r} in the header row (is {typed!r} "
        f"meant to be {meant!r}? rename it)"]


def test_a_field_named_by_two_columns_is_a_problem(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L", "S2"]],
                      header=HEADER + ["Sasaran Kinerja"])
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 1: columns D and H all name 'Sasaran' (keep one of them)"]


def test_a_sheet_without_a_header_row_is_a_problem(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["a", "b"]], header=["Nama", "Nilai"])
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', rows 1-10: no header row found (name the columns Jabatan, Tugas, "
        "Fungsi, Sasaran, Indikator, Formulasi, Sumber Data)"]


def test_a_unit_without_its_name_asks_for_it(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=None)
    assert problems_of(source) == [
        f"{source}: the unit (unit_kerja) is not given (give it with --unit-kerja \"Bagian ...\" "
        "or, in a workbook, a row unit_kerja in the sheet 'dokumen')"]


def test_bad_document_fields_name_their_cell(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Bagian Uji"], ["tempat_lahir", "X"],
        ["penandatangan_nip", 1.98005122005011e17],
        ["tanggal", "32 Januari 2025"]])
    assert problems_of(source) == [
        f"{source}, sheet 'dokumen', row 2, column B: unknown field 'tempat_lahir' (did you mean "
        "'tempat'?)",
        f"{source}, sheet 'dokumen', row 3, column B: penandatangan.nip: the NIP was stored as "
        "a number (198005122005011008) and has lost its last digits (type it as text: start it "
        "with ' or format the cell as Text)",
        f"{source}, sheet 'dokumen', row 4, column B: tanggal: '32 Januari 2025' is not a day of "
        "the calendar; write a real date such as 2025-01-02 or 2 Januari 2025",
    ]


def test_mistakes_in_the_dokumen_sheet_and_the_table_are_reported_together(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "", "Jumlah laporan", "Jumlah laporan", "L"]],
                      dokumen=[["unit_kerja", "Bagian Uji"], ["tahun", "dua ribu dua puluh lima"]])
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 2, column D (Sasaran): indikator 'Jumlah laporan' has no "
        "sasaran (write the sasaran in this row or in a row above it)",
        f"{source}, sheet 'dokumen', row 2, column B: tahun: expected a year such as 2025, got "
        "'dua ribu dua puluh lima'",
    ]


def test_a_value_the_model_refuses_is_reported_at_its_cell_or_option(tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    source.write_text("Jabatan;Sasaran;Indikator;Formulasi;Sumber Data\nAnalis;S;I;F\x07;L\n",
                      encoding="utf-8")
    lines = problems_of(source, unit_kerja="U", tanggal="32 Januari 2025")
    assert lines[0].startswith(f"{source}, option --tanggal: tanggal: ")
    assert lines[1].startswith(
        f"{source}, row 2, column D (Formulasi): jabatan[0].sasaran[0].indikator[0].formulasi "
        "(Analis): contains the character U+0007")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.xlsx", b"not a zip file", "cannot be read as an Excel .xlsx workbook"),
    ("unknown.csv", b"Jabatan;Sasaran\nPengelola Kepegawaian;Data\n" + b"\x81\n",
     "row 3: is neither UTF-8 nor Windows text (byte 0x81) "
     "(in Excel use Save As > 'CSV UTF-8 (Comma delimited)')"),
    ("nul.csv", b"Jabatan\x00", "is not a CSV text file (it holds NUL bytes)"),
    ("old.xls", b"", "is an Excel 97-2003 workbook; save it as .xlsx"),
])
def test_an_unreadable_file_is_a_problem(tmp_path: Path, name: str, content: bytes,
                                         message: str) -> None:
    (tmp_path / name).write_bytes(content)
    assert message in problems_of(tmp_path / name)[0]


def test_a_csv_saved_as_plain_csv_on_windows_is_read_in_windows_encoding(
        tmp_path: Path) -> None:
    """Excel's "CSV (Comma delimited)" saves Windows-1252, not UTF-8: 'é' and '÷' read
    as typed."""
    source = tmp_path / "iki.csv"
    source.write_bytes("Jabatan;Sasaran;Indikator;Formulasi;Sumber Data\r\n"
                       "Analis Kepegawaian;Data caf\xe9 tertib;Nilai;10 \xf7 2;Laporan\r\n"
                       .encode("cp1252"))
    jab = imported(source, unit_kerja="U").jabatan[0]
    assert [(s.uraian, [i.formulasi for i in s.indikator]) for s in jab.sasaran] == [
        ("Data café tertib", ["10 ÷ 2"])]
    written = (tmp_path / "imported" / "iki.yaml").read_text(encoding="utf-8")
    assert "read as Windows text (Windows-1252), as Excel saves a plain CSV file" in written


def test_a_utf8_csv_with_a_stray_byte_of_another_encoding_is_refused_not_garbled(
        tmp_path: Path) -> None:
    """Read as Windows text, its every UTF-8 character would become two or three wrong
    ones ("Kepala – Umum" as "Kepala â€“ Umum"), silently."""
    source = tmp_path / "iki.csv"
    source.write_bytes("Jabatan;Sasaran;Indikator\nKepala – Umum;S;I\n".encode()
                       + b"Analis;S;Nilai 10 \xf7 2\n")
    assert problems_of(source, unit_kerja="U") == [
        f"{source}, row 2: mixes UTF-8 text with text in another encoding "
        "(in Excel use Save As > 'CSV UTF-8 (Comma delimited)')"]


def test_a_byte_of_no_known_encoding_is_placed_at_its_row_as_excel_counts_rows(
        tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    rows = (b"Jabatan;Sasaran;Indikator\n"
            b"Analis;\"Tertib\nadministrasi\nkeuangan\";Jumlah laporan\n"  # Alt+Enter in a cell
            b"Analis;S;Nilai 10 ") + b"\x9d 2\n"
    source.write_bytes(rows)
    assert problems_of(source)[0] == (
        f"{source}, row 3: is neither UTF-8 nor Windows text (byte 0x9D) "
        "(in Excel use Save As > 'CSV UTF-8 (Comma delimited)')")


def _with_stored_values(path: Path, values: dict[str, str]) -> None:
    """Store a computed value for formula cells, as Excel does when it saves a workbook
    (openpyxl writes a formula with an empty value)."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for reference, value in values.items():
        start = sheet.index(f'<c r="{reference}"')
        end = sheet.index("</c>", start)
        cell = sheet[start:end].replace("<v></v>", f"<v>{value}</v>").replace(
            f'<c r="{reference}"', f'<c r="{reference}" t="str"', 1)
        sheet = sheet[:start] + cell + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def _with_relative_targets(path: Path) -> None:
    """Sheets found through relative relationship targets, as Excel writes them
    (openpyxl writes absolute ones)."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b'Target="/xl/worksheets/', b'Target="worksheets/')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


@pytest.mark.parametrize("relative", [False, True], ids=["openpyxl", "excel-targets"])
def test_a_formula_without_a_stored_value_is_named_not_read_as_blank(tmp_path: Path,
                                                                      relative: bool) -> None:
    """Read as blank, =A2 would continue the position above: two positions become one."""
    source = workbook(tmp_path, [
        ["Analis", "", "", "S1", "I1", "F1", "Laporan"],
        ["=CONCATENATE(\"Peng\",\"olah\")", "", "", "S2", "I2", "F2", "=G2"],
    ])
    if relative:
        _with_relative_targets(source)
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 3, column A: holds the formula "
        "=CONCATENATE(\"Peng\",\"olah\") but no value computed for it (open the workbook in "
        "Excel or LibreOffice and save it again (that stores the values), or type the value "
        "instead of the formula)",
        f"{source}, sheet 'IKI', row 3, column G: holds the formula =G2 but no value computed "
        "for it (open the workbook in Excel or LibreOffice and save it again (that stores the "
        "values), or type the value instead of the formula)",
    ]


def test_a_formula_with_a_stored_value_reads_as_that_value(tmp_path: Path) -> None:
    source = workbook(tmp_path, [
        ["Analis", "", "", "S1", "I1", "F1", "Laporan"],
        ["=CONCATENATE(\"Peng\",\"olah\")", "", "", "S2", "I2", "F2", "=G2"],
    ])
    _with_stored_values(source, {"A3": "Pengolah", "G3": "Laporan"})
    unit = imported(source)
    assert [jab.nama for jab in unit.jabatan] == ["Analis", "Pengolah"]
    assert unit.jabatan[1].sasaran[0].indikator[0].sumber_data == ["Laporan"]


def test_a_formula_in_the_sheet_dokumen_is_named_too(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "Laporan"]],
                      dokumen=[["unit_kerja", "Bagian Uji"], ["tahun", "=2024+1"]])
    found = problems_of(source)
    assert len(found) == 1
    assert found[0].startswith(f"{source}, sheet 'dokumen', row 2, column B: holds the formula "
                               "=2024+1 but no value computed for it")


def test_a_value_in_a_column_without_header_is_named_once_per_column(tmp_path: Path) -> None:
    source = workbook(tmp_path, [
        ["Analis", "", "", "S", "I1", "F1", "Laporan", "", "catatan"],
        ["", "", "", "", "I2", "F2", "Laporan", "", "lagi"],
    ], header=[*HEADER, "Target"])
    assert problems_of(source) == [
        f"{source}, sheet 'IKI', row 2, column I: column I has no header, so its value "
        "'catatan' belongs to no field (name the column in the header row (row 1): a name "
        "that is no IKI field becomes a tambahan field; or delete its values)"]


def test_a_value_in_a_csv_column_without_header_is_named(tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    source.write_text(",".join(HEADER) + ",\nAnalis,,,S,I,F,Laporan,lupa\n", encoding="utf-8")
    found = problems_of(source, unit_kerja="Bagian Uji")
    assert found == [f"{source}, row 2, column H: column H has no header, so its value 'lupa' "
                     "belongs to no field (name the column in the header row (row 1): a name "
                     "that is no IKI field becomes a tambahan field; or delete its values)"]


def test_a_value_beside_the_fields_of_the_sheet_dokumen_is_named(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "Laporan"]],
                      dokumen=[["Kolom", "Isi", "Keterangan"], ["unit_kerja", "Bagian Uji", "ok"],
                               ["tahun", None, None, 2025]])
    assert problems_of(source) == [
        f"{source}, sheet 'dokumen', row 3, column D: column D has no header, so its value "
        "'2025' belongs to no field (this sheet holds name | value rows in columns A and B; "
        "move the value to column B of its row, or delete it)"]

"""Importing what Word shows: unaccepted tracked changes, content controls, smart tags,
fields and symbols; a table cut in two at a page; the titles and month names offices
type; and a position's table that another one follows."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from importing import imported, problems_of

from ikidoc import UnitKerja
from ikidoc.ooxml import document as wordfile

HEADER = ["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"]
ROWS = [["Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun", "Arsip"],
        ["Tertib arsip", "Jumlah arsip", "Jumlah arsip ditata", "Daftar arsip"]]


def iki(path: Path, title: str = "INDIKATOR KINERJA INDIVIDU", rows: list[list[str]] = ROWS,
        date: str = "2 Januari 2025",
        edit: Callable[[Document], None] = lambda document: None) -> Path:
    """A one-position IKI typed in Word, changed by ``edit`` before it is saved."""
    document = docx.Document()
    document.add_paragraph(title)
    document.add_paragraph("Jabatan : Analis")
    document.add_paragraph("Tugas : Menyusun laporan")
    add_table(document, [HEADER, *rows])
    for line in ("", f"Contoh, {date}", "Kepala Bagian Uji,", "", "", "NAMA", "NIP. ......"):
        document.add_paragraph(line)
    edit(document)
    document.save(path)
    return path


def add_table(document: Document, rows: list[list[str]]) -> Table:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    return table


def cell_paragraph(document: Document, row: int, column: int) -> Paragraph:
    return document.tables[0].cell(row, column).paragraphs[0]


def runs(paragraph: Paragraph, xml: str) -> None:
    """Replace the paragraph's runs with the given WordprocessingML."""
    for run in paragraph._p.r_lst:
        paragraph._p.remove(run)
    for element in parse_xml(f"<w:wrap {nsdecls('w', 'm')}>{xml}</w:wrap>"):
        paragraph._p.append(element)


def table_rows(unit: UnitKerja) -> list[tuple[str, str, str, list[str]]]:
    return [(s.uraian, i.uraian, i.formulasi, i.sumber_data)
            for s in unit.jabatan[0].sasaran for i in s.indikator]


def test_unaccepted_tracked_changes_import_as_word_shows_them(tmp_path: Path) -> None:
    def track(document: Document) -> None:
        runs(cell_paragraph(document, 1, 1),
             '<w:r><w:t xml:space="preserve">Jumlah </w:t></w:r>'
             '<w:del w:id="1" w:author="HR"><w:r><w:delText>surat</w:delText></w:r></w:del>'
             '<w:ins w:id="2" w:author="HR"><w:r><w:t>laporan</w:t></w:r></w:ins>')
        runs(cell_paragraph(document, 1, 2),
             '<w:ins w:id="3" w:author="HR"><w:r><w:t>Jumlah laporan disusun</w:t></w:r></w:ins>')
    unit = imported(iki(tmp_path / "tracked.docx", edit=track), unit_kerja="Bagian Uji")
    assert table_rows(unit) == [("Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun",
                                 ["Arsip"]),
                                ("Tertib arsip", "Jumlah arsip", "Jumlah arsip ditata",
                                 ["Daftar arsip"])]


def test_content_controls_smart_tags_fields_and_symbols_import_their_text(tmp_path: Path) -> None:
    def wrap(document: Document) -> None:
        runs(cell_paragraph(document, 1, 1),
             '<w:sdt><w:sdtPr><w:alias w:val="Indikator"/></w:sdtPr><w:sdtContent>'
             '<w:r><w:t>Jumlah laporan</w:t></w:r></w:sdtContent></w:sdt>')
        runs(cell_paragraph(document, 1, 2),
             '<w:r><w:t xml:space="preserve">Persentase </w:t></w:r>'
             '<w:r><w:sym w:font="Symbol" w:char="F0B3"/></w:r>'
             '<w:r><w:t xml:space="preserve"> 80% (A </w:t></w:r>'
             '<w:r><w:sym w:font="Symbol" w:char="F0B8"/></w:r>'
             '<w:r><w:t xml:space="preserve"> B)</w:t></w:r>')
        runs(cell_paragraph(document, 2, 3),
             '<w:smartTag w:uri="urn:schemas" w:element="place">'
             '<w:r><w:t>Daftar arsip</w:t></w:r></w:smartTag>')
        date = next(p for p in document.paragraphs if p.text.startswith("Contoh,"))
        runs(date, '<w:r><w:t xml:space="preserve">Contoh, </w:t></w:r>'
                   '<w:fldSimple w:instr="DATE"><w:r><w:t>2 Januari 2025</w:t></w:r></w:fldSimple>')
        body, table = document.element.body, document.tables[0]._tbl
        control = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent/></w:sdt>")
        table.addprevious(control)
        control[0].append(table)  # the whole table inside a content control
        assert control.getparent() is body
    unit = imported(iki(tmp_path / "controls.docx", edit=wrap), unit_kerja="Bagian Uji")
    assert table_rows(unit)[0][1:3] == ("Jumlah laporan", "Persentase ≥ 80% (A ÷ B)")
    assert table_rows(unit)[1][3] == ["Daftar arsip"]
    assert unit.tanggal == dt.date(2025, 1, 2)


@pytest.mark.parametrize("repeated", [[HEADER, ["(1)", "(2)", "(3)", "(4)"]],
                                      [["(1)", "(2)", "(3)", "(4)"]], []],
                         ids=["header-again", "numbers-only", "rows-only"])
def test_a_table_cut_in_two_at_a_page_imports_as_one(tmp_path: Path,
                                                     repeated: list[list[str]]) -> None:
    def cut(document: Document) -> None:
        first = document.tables[0]
        rest = add_table(document, [*repeated, ROWS[1]])
        first._tbl.getparent().remove(rest._tbl)
        last = first.rows[-1]._tr
        last.getparent().remove(last)
        page = parse_xml(f'<w:p {nsdecls("w")}><w:r><w:br w:type="page"/></w:r></w:p>')
        first._tbl.addnext(page)
        page.addnext(rest._tbl)
    unit = imported(iki(tmp_path / "cut.docx", edit=cut), unit_kerja="Bagian Uji")
    assert [row[:2] for row in table_rows(unit)] == [(r[0], r[1]) for r in ROWS]
    assert (unit.tempat, unit.tanggal) == ("Contoh", dt.date(2025, 1, 2))  # read below the table


@pytest.mark.parametrize("title", ["FORMULIR INDIKATOR KINERJA INDIVIDU",
                                   "PENETAPAN INDIKATOR KINERJA INDIVIDU (IKI)",
                                   "Indikator Kinerja Individu Tahun 2025"])
def test_titles_offices_type_open_a_position(tmp_path: Path, title: str) -> None:
    unit = imported(iki(tmp_path / "title.docx", title=title), unit_kerja="Bagian Uji")
    assert [jabatan.nama for jabatan in unit.jabatan] == ["Analis"]


def test_a_table_before_any_title_is_a_problem_not_a_position_dropped(tmp_path: Path) -> None:
    def second(document: Document) -> None:
        document.add_paragraph("DAFTAR PENGEMUDI")
        document.add_paragraph("Jabatan : Pengemudi")
        add_table(document, [HEADER, ROWS[0]])
        document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
        document.add_paragraph("Jabatan : Pengadministrasi")
        add_table(document, [HEADER, ROWS[1]])
    assert problems_of(iki(tmp_path / "two.docx", title="DAFTAR ANALIS", edit=second),
                       unit_kerja="Bagian Uji") == [
        (f"{tmp_path / 'two.docx'}: an IKI table stands before the first title "
        "'INDIKATOR KINERJA INDIVIDU' (each position starts with that title, above its "
        "Jabatan line)")]


def test_older_month_spellings_and_ranges_with_dashes_import_as_typed(tmp_path: Path) -> None:
    rows = [["Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun",
             "- Laporan Januari – Desember\n- Arsip"], ROWS[1]]
    unit = imported(iki(tmp_path / "old.docx", rows=rows, date="3 Pebruari 2025"),
                    unit_kerja="Bagian Uji")
    assert unit.tanggal == dt.date(2025, 2, 3)
    assert table_rows(unit)[0][3] == ["Laporan Januari – Desember", "Arsip"]



def test_a_formulasi_merged_over_two_indicators_serves_both(tmp_path: Path) -> None:
    rows = [["Tertib administrasi", "Jumlah laporan", "Jumlah dokumen disusun", "Arsip"],
            ["", "Jumlah surat", "", "Arsip"]]

    def merge(document: Document) -> None:
        table = document.tables[0]
        table.cell(1, 0).merge(table.cell(2, 0))
        table.cell(1, 2).merge(table.cell(2, 2))
    unit = imported(iki(tmp_path / "merged.docx", rows=rows, edit=merge), unit_kerja="Bagian Uji")
    assert [row[1:3] for row in table_rows(unit)] == [("Jumlah laporan", "Jumlah dokumen disusun"),
                                                      ("Jumlah surat", "Jumlah dokumen disusun")]


def test_an_indicator_and_formula_that_begin_with_a_count_keep_it(tmp_path: Path) -> None:
    """Numbers that leaked from a lost numbering row stand in three cells or more."""
    rows = [["Tertib administrasi", "2 laporan semester", "3 kali pemeriksaan", "Arsip"]]
    unit = imported(iki(tmp_path / "count.docx", rows=rows), unit_kerja="Bagian Uji")
    assert table_rows(unit)[0][1:3] == ("2 laporan semester", "3 kali pemeriksaan")


def test_tugas_and_fungsi_labels_offices_type_are_read(tmp_path: Path) -> None:
    def relabel(document: Document) -> None:
        document.paragraphs[2].text = "Tugas Jabatan : Menyusun laporan"
        document.paragraphs[2].insert_paragraph_before("Nama Jabatan : Analis")
        document.paragraphs[1]._p.getparent().remove(document.paragraphs[1]._p)
        document.paragraphs[2].insert_paragraph_before("Fungsi Jabatan : Pengolahan data")
    unit = imported(iki(tmp_path / "labels.docx", edit=relabel), unit_kerja="Bagian Uji")
    jabatan = unit.jabatan[0]
    assert (jabatan.nama, jabatan.tugas, jabatan.fungsi) == (
        "Analis", ["Menyusun laporan"], ["Pengolahan data"])


def test_the_year_of_the_title_and_the_letterhead_are_read(tmp_path: Path) -> None:
    def letterhead(document: Document) -> None:
        document.paragraphs[0].insert_paragraph_before("PEMERINTAH KABUPATEN CONTOH")
    unit = imported(iki(tmp_path / "year.docx", title="INDIKATOR KINERJA INDIVIDU TAHUN 2025",
                        edit=letterhead), unit_kerja="Bagian Uji")
    assert (unit.tahun, unit.instansi) == (2025, "PEMERINTAH KABUPATEN CONTOH")


def test_a_table_with_only_its_header_is_a_problem_naming_the_position(tmp_path: Path) -> None:
    path = iki(tmp_path / "empty.docx", rows=[["(1)", "(2)", "(3)", "(4)"]])
    assert problems_of(path, unit_kerja="Bagian Uji") == [
        (f"{path}, jabatan 1 (Analis): the IKI table has no rows under its header (type the "
        "position's sasaran and indicators in it, or remove the position)")]


def test_a_jabatan_written_on_the_line_under_its_label_is_read(tmp_path: Path) -> None:
    def next_line(document: Document) -> None:
        document.paragraphs[1].text = "Jabatan :"
        document.paragraphs[2].insert_paragraph_before("Analis")
    unit = imported(iki(tmp_path / "next.docx", edit=next_line), unit_kerja="Bagian Uji")
    assert [(jabatan.nama, jabatan.tugas) for jabatan in unit.jabatan] == [
        ("Analis", ["Menyusun laporan"])]


def test_a_note_across_the_bottom_of_the_table_is_not_a_sasaran(tmp_path: Path) -> None:
    def note(document: Document) -> None:
        row = document.tables[0].add_row()
        row.cells[0].merge(row.cells[3]).text = "Keterangan: data diperbarui setiap semester"
    unit = imported(iki(tmp_path / "note.docx", edit=note), unit_kerja="Bagian Uji")
    assert [row[:2] for row in table_rows(unit)] == [(r[0], r[1]) for r in ROWS]


def test_a_title_in_a_box_or_in_the_page_header_opens_the_position(tmp_path: Path) -> None:
    def boxed(document: Document) -> None:
        title = document.paragraphs[0]
        box = add_table(document, [["INDIKATOR KINERJA INDIVIDU"]])
        title._p.addprevious(box._tbl)
        title._p.getparent().remove(title._p)

    def in_header(document: Document) -> None:
        document.sections[0].header.paragraphs[0].text = "INDIKATOR KINERJA INDIVIDU"
        title = document.paragraphs[0]
        title._p.getparent().remove(title._p)
    for edit in (boxed, in_header):
        unit = imported(iki(tmp_path / f"{edit.__name__}.docx", edit=edit),
                        unit_kerja="Bagian Uji")
        assert [row[:2] for row in table_rows(unit)] == [(r[0], r[1]) for r in ROWS], edit


def test_a_signature_in_a_text_box_under_the_table_is_read(tmp_path: Path) -> None:
    lines = ["Contoh, 2 Januari 2025", "Kepala Bagian Uji,", "", "", "NAMA LENGKAP",
             "NIP. 19800512 200501 1 002"]
    inner = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    namespaces = nsdecls("w", "wp", "a") + (
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
    box = (f'<w:p {namespaces}><w:r><mc:AlternateContent>'
           '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
           f'<wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp>'
           '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>'
           f'<w:pict><w:txbxContent>{inner}</w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r></w:p>')

    def boxed(document: Document) -> None:
        table = document.tables[0]._tbl
        while table.getnext() is not None and table.getnext().tag != qn("w:sectPr"):
            table.getparent().remove(table.getnext())
        table.addnext(parse_xml(box))
    unit = imported(iki(tmp_path / "box.docx", edit=boxed), unit_kerja="Bagian Uji")
    last = wordfile.read(tmp_path / "box.docx").body[-1]
    assert isinstance(last, wordfile.Paragraph) and last.boxed == tuple(lines)
    assert (unit.tempat, unit.tanggal) == ("Contoh", dt.date(2025, 1, 2))
    assert unit.penandatangan is not None
    assert (unit.penandatangan.jabatan, unit.penandatangan.nama, unit.penandatangan.nip) == (
        "Kepala Bagian Uji", "NAMA LENGKAP", "198005122005011002")


def test_one_title_over_several_positions_gives_each_its_own(tmp_path: Path) -> None:
    def more(document: Document) -> None:
        for name, row in (("Pengemudi", ROWS[0]), ("Pengadministrasi", ROWS[1])):
            document.add_paragraph(f"Jabatan : {name}")
            document.add_paragraph("Tugas : Mengemudi")
            add_table(document, [HEADER, row])
            for line in ("", "Contoh, 2 Januari 2025", "Kepala Bagian Uji,", "", "", "NAMA"):
                document.add_paragraph(line)
    unit = imported(iki(tmp_path / "one-title.docx", edit=more), unit_kerja="Bagian Uji")
    assert [(j.nama, [s.uraian for s in j.sasaran]) for j in unit.jabatan] == [
        ("Analis", ["Tertib administrasi", "Tertib arsip"]),
        ("Pengemudi", ["Tertib administrasi"]), ("Pengadministrasi", ["Tertib arsip"])]

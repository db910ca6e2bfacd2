"""Importing IKI Word documents typed by hand in layouts other than ikidoc's own: label
tables, Word's own numbering, extra columns, split headers, merged or repeated cells,
several positions, a signature in a table, and text Word holds as typed."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from importing import imported, problems_of

from ikidoc import UnitKerja

NIP = "NIP. 19800512 200501 1 002"
SIGNER = {"jabatan": "Kepala Bagian Keuangan", "nama": "Drs. NAMA LENGKAP, M.Si",
          "pangkat": "Pembina (IV/a)", "nip": "198005122005011002"}
SASARAN = [
    ("Tertib Administrasi Keuangan", [
        ("Jumlah laporan SPJ yang disusun", "Jumlah laporan SPJ yang disusun dalam 1 tahun",
         ["Laporan Keuangan", "Buku Kas Umum"]),
        ("Persentase SPJ tepat waktu", "(SPJ tepat waktu ÷ seluruh SPJ) × 100%",
         ["Buku Kas Umum"])]),
    ("Meningkatnya kualitas pengelolaan kas", [
        ("Jumlah rekonsiliasi kas", "Jumlah rekonsiliasi kas bulanan",
         ["Berita Acara Rekonsiliasi", "Rekening Koran", "Buku Kas Umum"])]),
]
POSITION = {"nama": "Bendahara",
            "tugas": ["Melakukan penerimaan, pengeluaran dan pembukuan keuangan",
                      "Menyusun Laporan Pertanggungjawaban: bulanan dan tahunan"],
            "fungsi": [], "sasaran": SASARAN}
OFFICIAL = ("SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA")
KINDS = ("sasaran", "indikator", "formulasi", "sumber")


@dataclass(frozen=True)
class Layout:
    """How an office typed its IKI document."""

    labels: str = "lines"  # lines, table3, table2, numbered, numbered-table
    header: tuple[str, ...] = OFFICIAL
    leading_no: bool = False
    trailing: str = ""  # a KET column's header
    split_header: bool = False  # the last word of each two-word header in a second row
    numbering: str = "({})"  # "" for no numbering row
    sasaran: str = "merge"  # merge, repeat, blank
    sumber: str = "- {}"  # one paragraph per source with this marker; "br": one paragraph
    header_again: bool = False  # the header typed again in the middle of the table
    signature: str = "lines"  # lines, table
    nip: str = NIP
    title: str = "INDIKATOR KINERJA INDIVIDU"
    letterhead: bool = False
    positions: tuple[dict[str, Any], ...] = (POSITION,)


def numbered(paragraph: Paragraph) -> Paragraph:
    """Give a paragraph Word's own numbering (w:numPr), no typed letter."""
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = 1
    return paragraph


def write_cell(cell: _Cell, lines: list[str]) -> None:
    cell.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)


def add_labels(document: Document, position: dict[str, Any], layout: Layout) -> None:
    tugas, fungsi = lettered(position["tugas"]), lettered(position["fungsi"])
    if layout.labels == "lines":
        document.add_paragraph(f"Jabatan\t: {position['nama']}")
        for label, lines in (("Tugas", tugas), ("Fungsi", fungsi)):
            document.add_paragraph(f"{label}\t: {lines[0]}")
            for line in lines[1:]:
                document.add_paragraph(line)
    elif layout.labels == "numbered":
        document.add_paragraph(f"1. Jabatan : {position['nama']}")
        for number, (label, items) in enumerate(
                (("Tugas", position["tugas"]), ("Fungsi", position["fungsi"])), 2):
            document.add_paragraph(f"{number}. {label} :" + ("" if items else " -"))
            for item in items:
                numbered(document.add_paragraph(item))
    else:
        add_label_table(document, [("Jabatan", [position["nama"]]), ("Tugas", tugas),
                                   ("Fungsi", fungsi)], layout.labels)


def lettered(items: list[str]) -> list[str]:
    """Items as typed with their letters; "-" for none."""
    return [f"{chr(ord('a') + k)}. {item}" for k, item in enumerate(items)] or ["-"]


def add_label_table(document: Document, rows: list[tuple[str, list[str]]], kind: str) -> None:
    """A borderless table of labels: "Jabatan" | ":" | value, "Jabatan :" | value, or
    "1." | "Jabatan" | ":" | value."""
    widths = {"table3": 3, "table2": 2, "numbered-table": 4}
    table = document.add_table(rows=len(rows), cols=widths[kind])
    for number, (label, lines) in enumerate(rows):
        cells = table.rows[number].cells
        if kind == "table2":
            cells[0].text = f"{label} :"
        else:
            texts = [f"{number + 1}.", label, ":"] if kind == "numbered-table" else [label, ":"]
            for cell, text in zip(cells, texts, strict=False):
                cell.text = text
        write_cell(cells[-1], lines)


def columns(layout: Layout) -> list[str]:
    kinds = (["no"] if layout.leading_no else []) + list(KINDS)
    return kinds + (["ket"] if layout.trailing else [])


def header_rows(layout: Layout) -> list[list[str | None]]:
    """The header as typed: one row, or two with each header's last word in the second
    (None: merged with the cell above)."""
    texts = (["NO"] if layout.leading_no else []) + list(layout.header) + (
        [layout.trailing] if layout.trailing else [])
    if not layout.split_header:
        return [list(texts)]
    first, second = [], []
    for text in texts:
        head, _, last = text.rpartition(" ")
        first.append(head or last)
        second.append(last if head else None)
    return [first, second]


def add_table(document: Document, position: dict[str, Any], layout: Layout) -> None:
    kinds = columns(layout)
    head = header_rows(layout)
    numbering = [[layout.numbering.format(k + 1) for k in range(len(kinds))]] \
        if layout.numbering else []
    body: list[tuple[str, list[list[str]], bool]] = []  # (kind, lines, opens sasaran)
    for number, (sasaran, indikator) in enumerate(position["sasaran"]):
        for row, (uraian, formulasi, sumber) in enumerate(indikator):
            shown = sasaran if row == 0 or layout.sasaran == "repeat" else ""
            body.append((str(number + 1), [[shown], [uraian], [formulasi], sources(sumber, layout)],
                         row == 0))
    middle = 1 if layout.header_again else 0
    table = document.add_table(rows=len(head) + len(numbering) + len(body) + middle,
                               cols=len(kinds))
    table.style = "Table Grid"
    for row, texts in enumerate(head + numbering):
        for column, text in enumerate(texts):
            if text is None:
                table.cell(row - 1, column).merge(table.cell(row, column))
            else:
                table.cell(row, column).text = text
    first = len(head) + len(numbering)
    for offset, (no, lines, opens) in enumerate(body):
        row = first + offset + (middle if offset >= 2 else 0)
        if middle and offset == 2:
            for column, text in enumerate(head[0]):
                table.cell(row - 1, column).text = text or ""
        fill_row(table.rows[row].cells, kinds, no if opens else "", lines, layout)
    if layout.sasaran == "merge":
        merge_sasaran(table, kinds.index("sasaran"), first, body, middle)


def sources(sumber: list[str], layout: Layout) -> list[str]:
    if len(sumber) == 1:
        return sumber
    if layout.sumber == "br":
        return ["\n".join(sumber)]
    return [layout.sumber.format(item, number=k + 1) for k, item in enumerate(sumber)]


def fill_row(cells: list[_Cell], kinds: list[str], no: str, lines: list[list[str]],
             layout: Layout) -> None:
    values = dict(zip(KINDS, lines, strict=True))
    for cell, kind in zip(cells, kinds, strict=True):
        if kind == "no":
            cell.text = no
        elif kind in values:
            write_cell(cell, values[kind])
        if kind == "sumber" and layout.sumber == "br" and "\n" in values[kind][0]:
            cell.text = ""
            run = cell.paragraphs[0].add_run()
            for k, item in enumerate(values[kind][0].split("\n")):
                if k:
                    run.add_break()
                run.add_text(f"- {item}")


def merge_sasaran(table: Any, column: int, first: int,
                  body: list[tuple[str, list[list[str]], bool]], middle: int) -> None:
    """Merge each sasaran's cell over its indicators (not across a retyped header)."""
    starts = [k for k, (_, _, opens) in enumerate(body) if opens] + [len(body)]
    for start, end in itertools.pairwise(starts):
        top, bottom = first + start, first + end - 1
        if middle and start < 2 <= end - 1:
            bottom = first + 1  # the merge stops at the retyped header
        if middle and start >= 2:
            top, bottom = top + middle, bottom + middle
        if bottom > top:
            text = table.cell(top, column).text
            table.cell(top, column).merge(table.cell(bottom, column)).text = text


SIGNATURE_LINES = ["Contoh, 2 Januari 2025", "Kepala Bagian Keuangan", "", "",
                   "Drs. NAMA LENGKAP, M.Si", "Pembina (IV/a)"]


def add_signature(document: Document, layout: Layout) -> None:
    lines = [*SIGNATURE_LINES, layout.nip]
    document.add_paragraph("")
    if layout.signature == "lines":
        for line in lines:
            document.add_paragraph(line)
        return
    table = document.add_table(rows=1, cols=2)
    write_cell(table.cell(0, 1), lines)


def build(path: Path, layout: Layout) -> Path:
    document = docx.Document()
    if layout.letterhead:
        document.add_paragraph("PEMERINTAH KABUPATEN CONTOH")
        document.add_paragraph("BADAN PENGELOLAAN KEUANGAN DAERAH")
    for number, position in enumerate(layout.positions):
        if number:
            document.add_page_break()
        document.add_paragraph(layout.title)
        add_labels(document, position, layout)
        add_table(document, position, layout)
        add_signature(document, layout)
    document.save(path)
    return path


def read_back(unit: UnitKerja) -> list[dict[str, Any]]:
    return [{
        "nama": jab.nama, "tugas": jab.tugas, "fungsi": jab.fungsi,
        "sasaran": [(s.uraian, [(i.uraian, i.formulasi, i.sumber_data) for i in s.indikator])
                    for s in jab.sasaran],
    } for jab in unit.jabatan]


SECOND = {"nama": "Pengadministrasi Keuangan", "tugas": ["Mencatat transaksi harian"],
          "fungsi": ["Pencatatan", "Pengarsipan"],
          "sasaran": [("Tersedianya catatan transaksi", [
              ("Jumlah catatan transaksi", "Jumlah catatan dibuat", ["Buku Kas Umum"])])]}
TEXT = {"nama": "Analis\u00a0Keuangan",
        "tugas": ["Menyusun laporan A & B < 5 hari", "Menelaah dokumen الزكاة"],
        "fungsi": [],
        "sasaran": [("Tertib\u00a0Administrasi & <Keuangan>", [
            ("Rasio A ÷ B", "A\u00a0÷\u00a0B × 100% (نسبة)",
             ["Laporan \u00a0Keuangan", "Buku Kas & Bank"])])]}

LAYOUTS = {
    "label-table-3-columns": Layout(labels="table3"),
    "label-table-2-columns": Layout(labels="table2"),
    "label-table-numbered": Layout(labels="numbered-table"),
    "numbered-labels-word-numbering": Layout(labels="numbered"),
    "no-and-ket-columns": Layout(leading_no=True, trailing="KET"),
    "keterangan-column-plain-numbers": Layout(trailing="KETERANGAN", numbering="{}"),
    "other-header-wording": Layout(header=("Sasaran Strategis", "Indikator Kinerja Individu",
                                           "Formulasi Perhitungan", "Sumber Data"),
                                   numbering=""),
    "split-header": Layout(leading_no=True, split_header=True),
    "split-header-no-numbering": Layout(split_header=True, numbering=""),
    "header-typed-again": Layout(header_again=True),
    "sasaran-repeated": Layout(sasaran="repeat"),
    "sasaran-blank-below": Layout(sasaran="blank", leading_no=True),
    "sources-bulleted": Layout(sumber="\u2022 {}"),
    "sources-numbered": Layout(sumber="{number}. {}"),
    "sources-word-numbering": Layout(sumber="{}"),
    "sources-line-breaks": Layout(sumber="br"),
    "positions-on-pages": Layout(positions=(POSITION, SECOND), title="INDIKATOR KINERJA "
                                 "INDIVIDU (IKI)", letterhead=True),
    "positions-titled-with-year": Layout(positions=(SECOND, POSITION),
                                         title="INDIKATOR KINERJA INDIVIDU TAHUN 2025"),
    "signature-table": Layout(signature="table"),
    "signature-table-nip-run-on": Layout(signature="table", nip="NIP 198005122005011002"),
    "special-text": Layout(positions=(TEXT,), labels="table3"),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_a_hand_typed_layout_imports_positions_table_and_signer(
        layout: Layout, tmp_path: Path) -> None:
    unit = imported(build(tmp_path / "iki.docx", layout), unit_kerja="Bagian Keuangan")
    assert read_back(unit) == [{**position, "sasaran": [
        (s, [(i, f, list(d)) for i, f, d in indikator]) for s, indikator in position["sasaran"]]}
        for position in layout.positions]
    assert unit.penandatangan is not None
    assert unit.penandatangan.model_dump(exclude_none=True) == SIGNER
    assert (unit.tempat, str(unit.tanggal)) == ("Contoh", "2025-01-02")


def test_a_header_spanning_its_sub_headers_names_each_column_below_it(tmp_path: Path) -> None:
    path = build(tmp_path / "iki.docx", Layout(leading_no=True, split_header=True))
    document = docx.Document(str(path))
    table = document.tables[0]
    for column, text in enumerate(["INDIKATOR", "FORMULASI", "SUMBER DATA"], 2):
        table.cell(1, column).text = text
    table.cell(0, 2).merge(table.cell(0, 4)).text = "INDIKATOR KINERJA INDIVIDU"
    document.save(path)
    assert read_back(imported(path, unit_kerja="U"))[0]["sasaran"][0][1][0] == (
        "Jumlah laporan SPJ yang disusun", "Jumlah laporan SPJ yang disusun dalam 1 tahun",
        ["Laporan Keuangan", "Buku Kas Umum"])


HOLDER = ["NAMA PEMANGKU", "Penata (III/c)", "NIP. 19900101 201503 1 002"]
HELD = {"nama": "NAMA PEMANGKU", "pangkat": "Penata (III/c)", "nip": "199001012015031002"}
SIGNER_LINES = SIGNATURE_LINES[1:] + [NIP]


def signatures_in_cells(document: Document, left: list[str], right: list[str]) -> None:
    """The two signatures in the two cells of a borderless table, as offices print them."""
    table = document.tables[-1]
    write_cell(table.cell(0, 0), left)
    write_cell(table.cell(0, 1), right)


def signatures_after_tabs(document: Document, left: list[str], right: list[str]) -> None:
    """The two signatures as paragraphs, the right one after tabs (the table removed)."""
    table = document.tables[-1]._tbl
    for one, other in itertools.zip_longest(left, right, fillvalue=""):
        document.add_paragraph(f"{one}\t\t\t{other}" if other else one)
    table.getparent().remove(table)


SIDE_BY_SIDE = {  # (left column, right column) under each way of telling the holder's
    "holder-role-left": (["Pegawai yang dinilai,", "", "", *HOLDER],
                         ["Contoh, 2 Januari 2025", *SIGNER_LINES]),
    "superior-role-left": (["", "Atasan Langsung,", *SIGNER_LINES],
                           ["Contoh, 2 Januari 2025", "Yang membuat,", "Bendahara", "", "",
                            *HOLDER]),
    "holder-named-as-the-position": (["Contoh, 2 Januari 2025", *SIGNER_LINES],
                                     ["", "Bendahara", "", "", *HOLDER]),
    "pemangku-jabatan-right": (["", *SIGNER_LINES],
                               ["Contoh, 2 Januari 2025", "Pemangku Jabatan,", "", "", *HOLDER]),
}


@pytest.mark.parametrize("written", [signatures_in_cells, signatures_after_tabs],
                         ids=["table", "tabs"])
@pytest.mark.parametrize("columns", SIDE_BY_SIDE.values(), ids=SIDE_BY_SIDE.keys())
def test_the_holders_signature_beside_the_signers_reads_as_pemangku_and_penandatangan(
        written: Any, columns: tuple[list[str], list[str]], tmp_path: Path) -> None:
    path = build(tmp_path / "iki.docx", Layout(signature="table"))
    document = docx.Document(str(path))
    written(document, *columns)
    document.save(path)
    unit = imported(path, unit_kerja="U")
    assert unit.penandatangan is not None
    assert unit.penandatangan.model_dump(exclude_none=True) == SIGNER
    [position] = unit.jabatan
    assert (position.nama, position.penandatangan) == ("Bendahara", None)
    assert position.pemangku is not None
    assert position.pemangku.model_dump(exclude_none=True) == HELD
    assert (unit.tempat, str(unit.tanggal)) == ("Contoh", "2025-01-02")


def test_two_signers_side_by_side_neither_the_holder_are_a_problem_naming_both(
        tmp_path: Path) -> None:
    path = build(tmp_path / "iki.docx", Layout(signature="table"))
    document = docx.Document(str(path))
    write_cell(document.tables[-1].cell(0, 0), ["Sekretaris Daerah", "", "", "NAMA SEKDA"])
    document.save(path)
    assert problems_of(path, unit_kerja="U") == [(
        f"{path}, jabatan 1 (Bendahara), signature: 2 signatures stand side by side "
        "(Sekretaris Daerah / NAMA SEKDA; Kepala Bagian Keuangan / Drs. NAMA LENGKAP, M.Si) "
        "and which is the holder's (pemangku) and which the signer's cannot be told (type "
        "'Pemangku Jabatan' over the holder's name, or 'Atasan Langsung' over the signer's "
        "jabatan; or keep one signature and clear the others)")]


def two_cells_under_one_header(table: Any) -> None:
    """Split the INDIKATOR header's column in two (a sub-number column), header merged."""
    grid = table._tbl.tblGrid
    grid.append(grid.gridCol_lst[-1].__copy__())
    for row in table.rows:
        row._tr.tc_lst[1].addnext(row._tr.tc_lst[1].__copy__())
    table.cell(0, 1).merge(table.cell(0, 2)).text = "INDIKATOR KINERJA"


@pytest.mark.parametrize(("change", "message"), [
    (two_cells_under_one_header,
     ("table row 3, column INDIKATOR KINERJA: 2 cells of this row fall under one header: "
      "'Jumlah laporan SPJ yang disusun', 'Jumlah laporan SPJ yang disusun' (merge them into "
      "one cell, or give each column its own header)")),
    (lambda table: setattr(table.cell(0, 3), "text", ""),
     ("table row 3: text under no column header: '- Laporan Keuangan\\n- Buku Kas Umum' "
      "(give the column a header, or move the text into a column that has one)")),
], ids=["two-cells-one-header", "no-header"])
def test_a_cell_whose_column_cannot_be_told_is_a_problem_naming_its_row(
        tmp_path: Path, change: Any, message: str) -> None:
    path = build(tmp_path / "iki.docx", Layout(sasaran="repeat"))
    document = docx.Document(str(path))
    change(document.tables[0])
    document.save(path)
    assert problems_of(path, unit_kerja="U")[0] == f"{path}, jabatan 1 (Bendahara), {message}"

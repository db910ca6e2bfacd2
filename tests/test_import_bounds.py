"""Bombs and giant inputs: an import refuses them early, naming the file, what is too
large and the limit, without unpacking them and without writing anything."""
from __future__ import annotations

import copy
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from importing import imported, problems_of

from ikidoc import load, zipbounds
from ikidoc.importers import workbook
from ikidoc.ooxml import document as wordfile

HEADER = ["Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formulasi", "Sumber Data"]
_SHEET = "xl/worksheets/sheet1.xml"


def _small_workbook(folder: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "IKI"
    book.active.append(HEADER)
    book.active.append(["Analis", "", "", "S", "I", "F", "Laporan"])
    path = folder / "iki.xlsx"
    book.save(path)
    return path


def _rewritten(path: Path, replace: dict[str, bytes | int], extra: int = 0) -> Path:
    """The package at ``path`` with some parts replaced: bytes as given, or a number of
    megabytes of empty rows written by streaming (a bomb, a few hundred kilobytes packed);
    ``extra`` small entries are added."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    target = path.with_name("bomb" + path.suffix)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts.items():
            content = replace.get(name, data)
            if isinstance(content, bytes):
                package.writestr(name, content)
                continue
            with package.open(name, "w", force_zip64=True) as stream:
                block = b"<row/>" * (2**20 // 6)
                for _ in range(content):
                    stream.write(block)
        for number in range(extra):
            package.writestr(f"xl/extra/{number}.xml", b"<x/>")
    return target


def test_an_xlsx_whose_sheet_unpacks_past_the_entry_bound_is_refused(tmp_path: Path) -> None:
    megabytes = zipbounds.MAX_ENTRY_BYTES // 2**20 + 1
    bomb = _rewritten(_small_workbook(tmp_path), {_SHEET: megabytes})
    assert bomb.stat().st_size < 2**20
    tracemalloc.start()
    try:
        found = problems_of(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [(f"{bomb}: holds {_SHEET}, which unpacks to {megabytes * (2**20 // 6) * 6:,} "
                     f"bytes; package entries over {zipbounds.MAX_ENTRY_BYTES // 2**20} MB are "
                     "refused (an export or a 'zip bomb'?) (split the content into smaller files)")]
    assert peak < 20 * 2**20  # nothing was unpacked


def test_a_package_unpacking_past_the_total_bound_is_refused(tmp_path: Path) -> None:
    each = zipbounds.MAX_ENTRY_BYTES // 2**20 - 1
    count = zipbounds.MAX_TOTAL_BYTES // (each * 2**20) + 1
    parts: dict[str, bytes | int] = {f"xl/media/image{n}.png": each for n in range(count)}
    source = _small_workbook(tmp_path)
    with zipfile.ZipFile(source, "a") as package:
        for name in parts:
            package.writestr(name, b"")
    found = problems_of(_rewritten(source, parts))
    assert len(found) == 1 and ": unpacks to " in found[0]
    assert f"packages that unpack to over {zipbounds.MAX_TOTAL_BYTES // 2**20} MB are refused" \
        in found[0]


def test_a_package_of_too_many_entries_is_refused(tmp_path: Path) -> None:
    bomb = _rewritten(_small_workbook(tmp_path), {}, extra=zipbounds.MAX_ENTRIES)
    found = problems_of(bomb)
    assert len(found) == 1
    assert f"; packages of more than {zipbounds.MAX_ENTRIES:,} entries are refused" in found[0]
    assert found[0].startswith(f"{bomb}: holds {zipbounds.MAX_ENTRIES + 9:,} entries")


def test_a_word_document_whose_body_unpacks_past_the_bound_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "iki.docx"
    docx.Document().save(str(source))
    megabytes = zipbounds.MAX_ENTRY_BYTES // 2**20 + 1
    found = problems_of(_rewritten(source, {"word/document.xml": megabytes}))
    assert len(found) == 1
    assert "holds word/document.xml, which unpacks to" in found[0]
    assert f"package entries over {zipbounds.MAX_ENTRY_BYTES // 2**20} MB are refused" in found[0]


def _sheet_xml(rows: int, last_cell: str = "") -> bytes:
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
                    for n in range(2, rows + 1))
    last = f'<row><c r="{last_cell}" t="inlineStr"><is><t>x</t></is></c></row>' if last_cell \
        else ""
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1">' + "".join(
                f'<c r="{chr(65 + n)}1" t="inlineStr"><is><t>{text}</t></is></c>'
                for n, text in enumerate(HEADER))
            + f"</row>{cells}{last}</sheetData></worksheet>").encode()


def test_a_sheet_of_more_rows_than_the_bound_is_refused_while_streaming(tmp_path: Path) -> None:
    bomb = _rewritten(_small_workbook(tmp_path), {_SHEET: _sheet_xml(workbook.MAX_ROWS + 1)})
    assert problems_of(bomb) == [
        (f"{bomb}, sheet 'IKI': reaches row {workbook.MAX_ROWS + 1:,}; sheets of more than "
        f"{workbook.MAX_ROWS:,} rows are refused (split the unit into several workbooks, or "
        "delete the rows and columns left over below and beside the table)")]


@pytest.mark.parametrize(("cell", "what"), [
    ("XFD1048576", "reaches row 1,048,576"),
    ("XFD200", "spans 200 rows by 16,384 columns"),
])
def test_a_single_far_cell_that_would_make_a_huge_grid_is_refused(
        tmp_path: Path, cell: str, what: str) -> None:
    bomb = _rewritten(_small_workbook(tmp_path), {_SHEET: _sheet_xml(3, cell)})
    found = problems_of(bomb)
    assert len(found) == 1 and found[0].startswith(f"{bomb}, sheet 'IKI': {what}; ")


@pytest.mark.parametrize("broken", [
    lambda sheet: b"<!DOCTYPE worksheet>" + sheet,  # would have the row bound skipped
    lambda sheet: sheet.replace(b'<row r="2">', b'<row r="abc">'),
], ids=["doctype", "row-number"])
def test_a_sheet_that_cannot_be_streamed_to_its_end_is_refused_not_read_unbounded(
        tmp_path: Path, broken: Any) -> None:
    bomb = _rewritten(_small_workbook(tmp_path),
                      {_SHEET: broken(_sheet_xml(workbook.MAX_ROWS + 1))})
    assert problems_of(bomb) == [
        f"{bomb}: sheet 'IKI' cannot be read as Excel writes a sheet (open the file in Excel "
        "and save it again as .xlsx)"]


def test_a_csv_of_more_rows_than_the_bound_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    source.write_text(",".join(HEADER) + "\n" + "Analis,,,S,I,F,Laporan\n" * workbook.MAX_ROWS,
                      encoding="utf-8")
    assert problems_of(source, unit_kerja="Bagian Uji") == [
        (f"{source}: has more than {workbook.MAX_ROWS:,} rows; CSV files of more rows are "
        "refused (split the unit into several files)")]


def test_import_never_writes_a_data_file_that_validate_would_refuse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound of a data file is checked on the text import would write (lowered here so
    the test stays small)."""
    monkeypatch.setattr(load, "MAX_BYTES", 200)
    source = _small_workbook(tmp_path)
    found = problems_of(source, unit_kerja="Bagian Uji")
    assert len(found) == 1
    assert found[0].startswith(f"{source}: makes a data file of ")
    assert found[0].endswith(" bytes; data files larger than 0 MB are refused (split the unit "
                             "into several data files)")


def test_a_word_line_of_a_million_spaces_around_a_tab_is_read_at_once(tmp_path: Path) -> None:
    """Tabs part words in a cell and signers under the table: splitting at them must not
    cost the square of a run of spaces (a hostile .docx compresses a million to nothing)."""
    from test_import_docx import hand_made

    path = hand_made(tmp_path / "iki.docx")
    document = docx.Document(str(path))
    spaces = " " * 1_000_000
    document.tables[-1].rows[-1].cells[-1].paragraphs[0].add_run(f"a\tb{spaces}x")
    document.add_paragraph(f"Kepala\tb{spaces}x")
    document.save(str(path))
    done = subprocess.run([sys.executable, "-m", "ikidoc", "import", str(path), "-o",
                           str(tmp_path / "iki.yaml"), "--unit-kerja", "Bagian Uji"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((tmp_path / "iki.yaml").read_text(encoding="utf-8"))
    last = data["jabatan"][-1]["sasaran"][-1]["indikator"][-1]
    assert last["sumber_data"] == f"Daftar arsipa b{spaces}x"  # the tab one space, in a cell


def test_a_csv_of_more_cells_than_the_bound_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "iki.csv"
    source.write_text(",".join(HEADER) + "\n" + ("," * 999 + "\n") * 2001, encoding="utf-8")
    assert problems_of(source) == [
        f"{source}: has more than {workbook.MAX_CELLS:,} cells; CSV files of more cells are "
        "refused (split the unit into several files)"]


def _word_table(path: Path, rows: int, columns: int = 4) -> Path:
    """An IKI Word document whose table holds ``rows`` rows of ``columns`` cells (copies
    of one row, as an export left over below the table would make them)."""
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    document.add_paragraph("Jabatan : Analis Data")
    table = document.add_table(rows=2, cols=columns)
    for column, text in enumerate(["SASARAN", "INDIKATOR KINERJA", "PENJELASAN",
                                   "SUMBER DATA"][:columns]):
        table.cell(0, column).text = text
        table.cell(1, column).text = f"isi {column}"
    row = table.rows[1]._tr
    for _ in range(rows - 2):
        table._tbl.append(copy.deepcopy(row))
    document.save(str(path))
    return path


def test_a_word_table_of_more_rows_than_the_bound_is_refused_naming_it(tmp_path: Path) -> None:
    big = _word_table(tmp_path / "big.docx", wordfile.MAX_ROWS + 1)
    with zipfile.ZipFile(big) as package:
        body = package.read("word/document.xml")
    first = body.index(b"<w:tbl>")
    letterhead = b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:p/>"  # the IKI: table 2
    source = _rewritten(big, {"word/document.xml": body[:first] + letterhead + body[first:]})
    done = subprocess.run([sys.executable, "-m", "ikidoc", "--lang", "en", "import", str(source),
                           "-o", str(tmp_path / "iki.yaml"), "--unit-kerja", "Bagian Uji"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines()[1].strip() == (
        f"{source}, table 2: has {wordfile.MAX_ROWS + 1:,} rows; tables of more than "
        f"{wordfile.MAX_ROWS:,} rows are refused (an IKI table is far smaller: delete the rows "
        "and columns left over in it, or split the document into several)")
    assert not (tmp_path / "iki.yaml").exists()


def test_a_word_table_at_the_bounds_is_read(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The bounds are the largest table read, not the smallest refused (lowered here so
    that the test stays small)."""
    monkeypatch.setattr(wordfile, "MAX_ROWS", 12)
    monkeypatch.setattr(wordfile, "MAX_CELLS", 48)
    monkeypatch.setattr(wordfile, "MAX_COLUMNS", 4)
    unit = imported(_word_table(tmp_path / "iki.docx", 12), unit_kerja="Uji")
    assert len(unit.jabatan[0].sasaran) == 1  # one SASARAN typed in every row: one sasaran
    assert [item.uraian for item in unit.jabatan[0].sasaran[0].indikator] == ["isi 1"] * 11


def test_a_word_cell_spanning_a_billion_columns_is_refused_before_it_is_read(
        tmp_path: Path) -> None:
    source = _word_table(tmp_path / "iki.docx", 3)
    document = docx.Document(str(source))
    document.tables[0].rows[2].cells[1]._tc.get_or_add_tcPr().grid_span = 1_000_000_000
    document.save(str(source))
    assert problems_of(source, unit_kerja="Uji") == [
        f"{source}, table 1, row 3: spans 1,000,000,003 columns; rows of more than "
        f"{wordfile.MAX_COLUMNS:,} columns are refused (an IKI table is far smaller: delete the "
        "rows and columns left over in it, or split the document into several)"]


def test_a_word_document_of_more_table_cells_than_the_bound_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many tables, each under the row bound, still end at the document's cell bound
    (lowered here so that the test stays small); a table inside a cell counts too."""
    monkeypatch.setattr(wordfile, "MAX_CELLS", 30)
    source = _word_table(tmp_path / "iki.docx", 5)  # 20 cells
    document = docx.Document(str(source))
    document.tables[0].cell(1, 2).add_table(rows=2, cols=2)  # 4 more, table 2
    document.add_table(rows=3, cols=3)  # 9 more, table 3: its row 3 passes 30
    document.save(str(source))
    found = problems_of(source, unit_kerja="Uji")
    assert found == [f"{source}, table 3, row 3: brings the document's tables past 30 cells; "
                     "documents of more cells are refused (an IKI table is far smaller: delete "
                     "the rows and columns left over in it, or split the document into several)"]


def test_a_word_document_of_more_tables_than_the_bound_is_refused_naming_the_first_past_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each table under the row and cell bounds, their number still ends at the bound
    (lowered here so that the test stays small); a table inside a cell counts too."""
    monkeypatch.setattr(wordfile, "MAX_TABLES", 3)
    source = _word_table(tmp_path / "iki.docx", 3)  # table 1
    document = docx.Document(str(source))
    document.tables[0].cell(1, 2).add_table(rows=1, cols=1)  # table 2
    for _ in range(2):  # tables 3 and 4
        document.add_table(rows=1, cols=1)
    document.save(str(source))
    assert problems_of(source, unit_kerja="Uji") == [
        f"{source}, table 4: the document holds more than 3 tables; documents of more are "
        "refused (an IKI has a few tables for each position: delete the tables left over, or "
        "split the document into several)"]
    monkeypatch.setattr(wordfile, "MAX_TABLES", 4)
    assert len(imported(source, unit_kerja="Uji").jabatan) == 1

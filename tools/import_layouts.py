"""Word documents in the layouts `ikidoc import` reads, and their pictures in docs/.

Run ``python tools/import_layouts.py`` (LibreOffice and pdftoppm needed) to redraw
docs/import-<layout>.png, the pictures of the README's "From Word documents". The same
builder and layouts serve the tests (tests/test_import_docx_office_layouts.py), which
import each layout and compare it field by field: what is pictured is what is read.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from docx.table import Table

DOCS = Path(__file__).resolve().parent.parent / "docs"
RESOLUTION = 80  # dots per inch of the pictures
ABOVE = "^"  # a cell merged with the one above it


@dataclass(frozen=True)
class Wide:
    """A full-width row: one cell merged across the table."""

    text: str


@dataclass(frozen=True)
class Ruled:
    """A cell's paragraphs with a rule under the one at ``over`` (a stacked fraction)."""

    lines: tuple[str, ...]
    over: int


@dataclass(frozen=True)
class Underlined:
    """A cell's paragraphs with the one at ``over`` underlined (a fraction's numerator
    marked by its underline alone)."""

    lines: tuple[str, ...]
    over: int


@dataclass(frozen=True)
class SideBySide:
    """Two signatures side by side, each in a cell of a borderless table."""

    left: tuple[str, ...]
    right: tuple[str, ...]


Cell = str | Ruled | Underlined | None  # None: covered by a horizontal merge to its left
Row = list[Cell] | Wide
Block = str | list[Row] | SideBySide  # a paragraph, a table's rows, or two signatures


def write(path: Path, blocks: list[Block]) -> Path:
    """A Word document of paragraphs and tables; a cell's lines are its paragraphs."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, SideBySide):
            table = document.add_table(rows=1, cols=2)  # no style: no borders
            set_lines(table.cell(0, 0), list(block.left))
            set_lines(table.cell(0, 1), list(block.right))
        else:
            width = max(len(row) for row in block if isinstance(row, list))
            fill(document.add_table(rows=len(block), cols=width), block)
    document.save(str(path))
    return path


def fill(table: Table, rows: list[Row]) -> None:
    table.style = "Table Grid"
    for number, row in enumerate(rows):
        if isinstance(row, Wide):
            table.cell(number, 0).merge(table.cell(number, len(table.columns) - 1)).text = row.text
            continue
        for column, text in enumerate(row):
            if text == ABOVE:
                top = table.cell(number - 1, column)
                kept = top.text
                top.merge(table.cell(number, column))
                set_lines(top, kept.split("\n"))
            elif isinstance(text, Ruled):
                set_lines(table.cell(number, column), list(text.lines))
                rule(table.cell(number, column).paragraphs[text.over])
            elif isinstance(text, Underlined):
                set_lines(table.cell(number, column), list(text.lines))
                for run in table.cell(number, column).paragraphs[text.over].runs:
                    run.underline = True
            elif text is not None:
                set_lines(table.cell(number, column), text.split("\n"))
        spans = [column for column, text in enumerate(row) if text is None]
        for column in spans:
            table.cell(number, column - 1).merge(table.cell(number, column))


def set_lines(cell: Any, lines: list[str]) -> None:
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def rule(paragraph: Any) -> None:
    """A bottom border under a paragraph: the bar of a fraction typed as a stack."""
    paragraph._p.insert(0, parse_xml(
        f'<w:pPr {nsdecls("w")}><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" '
        'w:color="auto"/></w:pBdr></w:pPr>'))


SIGNATURE = ["", "Contoh, 2 Januari 2025", "KEPALA DINAS CONTOH", "", "",
             "Drs. NAMA LENGKAP, M.Si", "Pembina (IV/a)", "NIP. 19800512 200501 1 002"]
ROWS: list[list[Cell]] = [
    ["Tertib administrasi", "Jumlah laporan", "Jumlah laporan disusun", "Arsip surat"],
    ["Tertib arsip", "Jumlah arsip", "Jumlah arsip ditata", "Daftar arsip"]]

LAYOUTS: dict[str, list[Block]] = {
    "title-second-line": [
        "INDIKATOR KINERJA INDIVIDU ( IKI )", "KEPALA BAGIAN UMUM DAN KEUANGAN", "",
        [["NO", "SASARAN PROGRAM", "INDIKATOR KINERJA", "PENJELASAN", "SUMBER DATA"],
         ["1", *ROWS[0]], ["2", *ROWS[1]]], *SIGNATURE],
    "title-names-position": [
        "IKI KEPALA SUB BAGIAN PERENCANAAN",
        [["SASARAN STRATEGIS", "INDIKATOR", "FORMULASI", "SUMBER"], *ROWS], *SIGNATURE],
    "iku-group-rows": [
        "INDIKATOR KINERJA UTAMA (IKU)", "DINAS KOMUNIKASI DAN INFORMATIKA", "",
        [["NO", "KINERJA UTAMA", "INDIKATOR KINERJA UTAMA", "PENJELASAN", "PENANGGUNG JAWAB",
          "SUMBER DATA"], ["1", "2", "3", "4", "5", "6"],
         Wide("ESSELON II"), Wide("KEPALA DINAS"),
         ["1", "Meningkatnya layanan informasi", "Indeks kepuasan layanan",
          "Nilai survei kepuasan", "Kepala Dinas", "Laporan survei"],
         ["", ABOVE, "Jumlah aplikasi terpadu", "Jumlah aplikasi yang terintegrasi",
          "Kepala Dinas", "Kepala Bidang Aplikasi"],
         Wide("ESSELON III"), Wide("SEKRETARIS"),
         ["2", "Tertib administrasi", "Persentase SPJ tepat waktu",
          "SPJ tepat waktu / seluruh SPJ x 100%", "Sekretaris", "Buku Kas Umum"]],
        *SIGNATURE],
    "iku-signer-names-position": [
        "INDIKATOR KINERJA UTAMA", "KECAMATAN SIDEMEN", "TAHUN 2017 - 2021", "", "IKU",
        [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA UTAMA", "ALASAN/PENJELASAN",
          "SUMBER DATA"],
         ["1", "Meningkatnya pembinaan desa", "Persentase desa tertib",
          "Desa tertib (A) dibagi seluruh desa (B)\nA/B x 100%", "Kasi Pemerintahan"],
         ["", "", "% Desa yang mengelola APBDes tepat waktu",
          "Desa tepat waktu dibagi jumlah desa x 100%", "Kasi Pemerintahan"]],
        *[line.replace("KEPALA DINAS CONTOH", "CAMAT SIDEMEN,") for line in SIGNATURE]],
    "two-row-header": [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["NO", "SASARAN", None, "INDIKATOR KINERJA", "FORMULASI", "SUMBER DATA", "KETERANGAN"],
         [ABOVE, "SASARAN RENSTRA", "SASARAN RPJMD", ABOVE, ABOVE, ABOVE, ABOVE],
         ["1", "Tertib administrasi", "Tata kelola yang baik", "Jumlah laporan",
          "Jumlah laporan disusun", "Arsip surat", "Triwulan"]]],
    "penjelasan-in-parts": [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [["NO", "SASARAN", "INDIKATOR KINERJA", "PENJELASAN", "FORMULASI", "TARGET"],
         ["1", "Tertib administrasi", "Persentase laporan tepat waktu",
          ("Makna Indikator : ketepatan laporan\nAlasan : tertib administrasi\n"
          "Sumber Data : Laporan Bulanan"),
          Ruled(("Cara Perhitungan :", "\u03a3 laporan tepat waktu", "\u03a3 laporan",
                 "x 100%"), over=1), "100%"]]],
    "signatures-side-by-side": [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis Kepegawaian",
        [["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"],
         ["Tertib administrasi kepegawaian", "Persentase usul kenaikan pangkat tepat waktu",
          Underlined(("Usul kenaikan pangkat tepat waktu", "Seluruh usul kenaikan pangkat",
                      "x 100%"), over=0), "Register usul"]], "",
        SideBySide(("Mengetahui,", "Atasan Langsung,", "KEPALA BAGIAN UMUM", "", "",
                    "Drs. NAMA LENGKAP, M.Si", "Pembina (IV/a)", "NIP. 19800512 200501 1 002"),
                   ("Contoh, 2 Januari 2025", "Pegawai yang dinilai,", "", "", "",
                    "NAMA PEMANGKU, S.E.", "Penata (III/c)", "NIP. 19900101 201503 1 002"))],
}


def draw(folder: Path) -> list[Path]:
    """Each layout's picture, docs/import-<name>.png, drawn from its document by
    LibreOffice (to PDF) and pdftoppm (its first page)."""
    documents = [write(folder / f"import-{name}.docx", blocks) for name, blocks in LAYOUTS.items()]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    *map(str, documents)], check=True, capture_output=True, timeout=300)
    pictures = []
    for document in documents:
        pdf, target = document.with_suffix(".pdf"), DOCS / document.with_suffix(".png").name
        height = round((_text_bottom(pdf) + 24) * RESOLUTION / 72)
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1",
                        "-singlefile", "-x", "0", "-y", "0", "-W", str(round(8.3 * RESOLUTION)),
                        "-H", str(height), str(pdf), str(target.with_suffix(""))],
                       check=True, timeout=60)
        pictures.append(target)
    return pictures


def _text_bottom(pdf: Path) -> float:
    """The lowest point of text on the first page, in PDF points (pdftotext's boxes)."""
    layout = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                            check=True, capture_output=True, text=True, timeout=60).stdout
    return max(float(found) for found in re.findall(r'<block [^>]*yMax="([\d.]+)"', layout))


def main() -> int:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("needs LibreOffice (soffice) and pdftoppm (poppler-utils)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        for picture in draw(Path(folder)):
            print(f"wrote {picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

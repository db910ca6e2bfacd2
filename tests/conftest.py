"""Shared fixtures and readers: tests check documents the way a user would, by
opening them and reading text, order and merged cells."""
from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "bagian-administrasi-perekonomian.yaml"
TESTS_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Cell:
    """A table cell as read back: its text and its w:vMerge state."""

    text: str
    vmerge: str | None  # None, "restart" or "continue"


def open_docx(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def body_texts(document) -> list[str]:
    """Every paragraph of the body outside tables, in order."""
    return [p.text for p in document.paragraphs]


def cell_of(tc) -> Cell:
    vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    state = None if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
    return Cell("\n".join(paragraphs).strip("\n"), state)


def table_grid(table) -> list[list[Cell]]:
    """The rows of a table as Cells, read straight from the XML (merged cells kept)."""
    return [[cell_of(tc) for tc in tr.findall(qn("w:tc"))] for tr in table._tbl.findall(qn("w:tr"))]


def row_flags(table, flag: str) -> list[bool]:
    return [tr.find(f"{qn('w:trPr')}/{qn(flag)}") is not None for tr in table._tbl.findall(qn("w:tr"))]


def write_data(folder: Path, text: str, name: str = "unit.yaml") -> Path:
    """Write a small data file (dedented) into folder and return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes: compare before/after to prove nothing changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


MINIMAL = """
    unit_kerja: Bagian Uji
    tahun: 2025
    tempat: Contoh
    tanggal: 2025-01-02
    penandatangan:
      jabatan: Kepala Bagian Uji
      nama: Drs. NAMA LENGKAP, M.Si
      pangkat: Pembina (IV/a)
      nip: "198005122005011002"
    jabatan:
      - nama: Analis
        tugas: [Menyusun laporan, Menganalisis data]
        sasaran:
          - uraian: Tertib administrasi
            indikator:
              - uraian: Jumlah laporan
                formulasi: Jumlah laporan yang disusun
                sumber_data: [Laporan, Arsip]
"""


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """A one-position data file in its own folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    return write_data(folder, MINIMAL)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A copy of the bundled sample data in tmp_path/data/."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder / SAMPLE.name

"""Shared fixtures and readers: tests check documents the way a user would, by
opening them and reading text, order and merged cells."""
from __future__ import annotations

import os
import tempfile

# Hypothesis caches what it learns under this folder; keep it out of the repository.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.path.join(tempfile.gettempdir(), "ikidoc-hypothesis"))
# The command line speaks the locale's language; the tests read its English unless they
# ask for --lang id (a machine set up in Indonesian must not change what they read).
os.environ["LANGUAGE"] = "en"

import io
import itertools
import shutil
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import settings
from lxml import etree
from PIL import Image

from ikidoc.load import load_file
from ikidoc.model import UnitKerja

settings.register_profile("ikidoc", database=None)
settings.load_profile("ikidoc")

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
    return [
        tr.find(f"{qn('w:trPr')}/{qn(flag)}") is not None for tr in table._tbl.findall(qn("w:tr"))
    ]


def write_data(folder: Path, text: str, name: str = "unit.yaml") -> Path:
    """Write a small data file (dedented) into folder and return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes: compare before/after to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


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


def repeated_sample(count: int) -> UnitKerja:
    """A unit of ``count`` positions: the bundled sample's, repeated in turn, each name
    numbered (as large a unit as a test needs, without a data file)."""
    unit = load_file(SAMPLE).unit
    positions = itertools.islice(itertools.cycle(unit.jabatan), count)
    return unit.model_copy(update={"jabatan": [
        jab.model_copy(update={"nama": f"{jab.nama} {number}"})
        for number, jab in enumerate(positions, start=1)]})


def edit_template(folder: Path, old: str, new: str) -> None:
    """Replace text inside one w:t of a template's document, as a user editing it in Word."""
    path = folder / "template.docx"
    with zipfile.ZipFile(path) as package:
        entries = {info.filename: package.read(info) for info in package.infolist()}
    root = etree.fromstring(entries["word/document.xml"])
    hits = [t for t in root.iter(qn("w:t")) if t.text and old in t.text]
    assert hits, f"{old!r} is not in {path}"
    hits[0].text = hits[0].text.replace(old, new)
    entries["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in entries.items():
            package.writestr(name, blob)


@pytest.fixture
def iki_copy(tmp_path: Path) -> Path:
    """A copy of the bundled iki template in tmp_path/templates/iki-copy."""
    folder = tmp_path / "templates" / "iki-copy"
    shutil.copytree(REPO / "templates" / "iki", folder)
    manifest = folder / "template.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("name: iki\n", "name: iki-copy\n"),
        encoding="utf-8",
    )
    return folder


def require(variable: str, missing: str) -> None:
    """Skip a test whose real component (LibreOffice, Chromium) is ``missing`` (a reason,
    empty when nothing is), or fail it where the environment ``variable`` is 1: CI sets
    it, so that a test meant to run there never passes by being skipped."""
    if not missing:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {missing}")
    pytest.skip(missing)


@pytest.fixture(scope="session")
def soffice() -> None:
    """LibreOffice and the poppler tools that read what it made (pdftotext, pdfinfo)."""
    absent = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if shutil.which(tool) is None]
    require("IKIDOC_REQUIRE_SOFFICE", absent and f"{', '.join(absent)} not found (apt-get install "
            "libreoffice-writer-nogui poppler-utils)")


def png(width: int, height: int, colour: tuple[int, int, int] = (0x20, 0x60, 0xA0)) -> bytes:
    """A real PNG of one colour (a logo), made here so that a test needs no image file."""
    made = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(made, "PNG")
    return made.getvalue()

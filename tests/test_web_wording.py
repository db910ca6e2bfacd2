"""The page's words where the officer met machine words: dates in the data file's form,
ASCII arrows, byte counts and jargon of a refused package, the upload limit of a data
file on the Template page, the starter workbook's "Sheet"."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from starlette.testclient import TestClient
from test_web import BASE, UNIT, client, message, page, rows, text, uploads_root

from ikidoc import starter
from ikidoc.audit import MadeWith
from ikidoc.audit_text import change_message
from ikidoc.generate import generate
from ikidoc.messages import word
from ikidoc.web import create_app

__all__ = ["client", "uploads_root"]  # the fixtures, used by name


def test_a_document_field_changed_between_revisions_is_named_and_dated_as_on_the_form(
        client: TestClient, tmp_path: Path) -> None:
    """The officer's walk: "penandatangan, pangkat dihapus" and "tanggal: '2025-01-02'"
    where the form says "Pangkat penanda tangan" and writes "2 Januari 2025"."""
    data = tmp_path / SAMPLE.name
    data.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    generate([data], None, Path("output"))
    text_of = data.read_text(encoding="utf-8")
    pangkat = next(line for line in text_of.splitlines() if line.strip().startswith("pangkat:"))
    data.write_text(text_of.replace("tanggal: 2025-01-02", "tanggal: 2025-01-03")
                    .replace(pangkat + "\n", ""), encoding="utf-8")
    generate([data], None, Path("output"))
    shown = [text(item) for item in page(client.get(f"/arsip/{UNIT}/r2")).xpath(
        "//ul[@class='nilai-berubah']/li")]
    assert "Tanggal penandatanganan: '2 Januari 2025' → '3 Januari 2025'" in shown
    assert "Pangkat penanda tangan dihapus: 'Pembina (IV/a)'" in shown
    assert not any("2025-01" in line or "penandatangan," in line for line in shown)


def test_what_a_revision_was_made_with_is_told_with_an_arrow() -> None:
    said = word(change_message(MadeWith("template", "iki-2 1.1.0", "iki 1.1.0")), "id")
    assert said == "template iki-2 1.1.0 → iki 1.1.0"


def test_a_package_unpacking_too_large_is_refused_without_byte_counts_or_jargon(
        client: TestClient, tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * (65 * 2**20))
    refused = client.post("/", files={"berkas": ("IKI besar.docx", bomb.getvalue())})
    [row] = rows(refused, "masalah")
    assert row[2] == "berkas ini terlalu besar setelah dibuka (satu bagiannya lebih dari 64 MB)"
    assert "bita" not in refused.text and "bom" not in refused.text


def test_the_template_page_speaks_of_templates_when_an_upload_is_too_large(
        tmp_path: Path, uploads_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app(Path("output"), max_upload=2 * 2**20), base_url=BASE) as small:
        refused = small.post("/template", files={"berkas": ("iki.docx", b"x" * (3 * 2**20))})
        data = small.post("/", files={"berkas": ("besar.yaml", b"#" * (3 * 2**20))})
    assert refused.status_code == 413
    assert message(refused).startswith("Template terlalu besar: batasnya 2 MB.")
    assert "unit kerja" not in message(refused)
    assert "Unggah satu unit kerja per berkas" in message(data)


def test_the_starter_workbook_speaks_of_lembar_not_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(starter.workbook_bytes()))
    said = [str(cell.value) for row in book["Petunjuk"].iter_rows() for cell in row
            if cell.value]
    assert any(line.startswith("1. Lembar 'IKI'") for line in said)
    assert not any("Sheet" in line for line in said)

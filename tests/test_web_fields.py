"""The page's form of document fields as the officer meets it: a field with a mistake
offered to type, marked and told beside it, whatever the file's kind of mistake; an empty
file told once, without a form; a field emptied on the page not printed."""
from __future__ import annotations

import io
import time
from pathlib import Path

import docx
import openpyxl
from starlette.testclient import TestClient
from test_web import client, page, rows, upload, uploads_root

from ikidoc import starter

__all__ = ["client", "uploads_root"]  # the fixtures, used by name


def starter_with(folder: Path, **cells: object) -> Path:
    """The starter workbook with the sheet dokumen's value of each field named changed."""
    book = openpyxl.load_workbook(io.BytesIO(starter.workbook_bytes()))
    for row in book["dokumen"].iter_rows(min_row=2):
        if row[0].value in cells:
            row[1].value = cells[str(row[0].value)]
    path = folder / "IKI Bagian.xlsx"
    book.save(path)
    return path


def test_a_nip_stored_as_a_number_is_offered_to_type_marked_beside_its_field(
        client: TestClient, tmp_path: Path) -> None:
    failed = upload(client, starter_with(tmp_path, penandatangan_nip=198503122010012000))
    [row] = rows(failed, "masalah")
    assert row[1] == "NIP penanda tangan"
    [field] = page(failed).xpath("//form[contains(@action, '/isian')]"
                                 "//input[@name='penandatangan_nip']")
    assert field.get("aria-invalid") == "true"
    [told] = page(failed).xpath(f"//*[@id='{field.get('aria-describedby')}']")
    assert "NIP tersimpan sebagai angka" in " ".join(told.text_content().split())
    assert "salah" in field.getparent().get("class")
    marked = page(failed).xpath("//form[contains(@action, '/isian')]//input[@aria-invalid]/@name")
    assert marked == ["penandatangan_nip"]  # only the field with the mistake
    [form] = page(failed).xpath("//form[contains(@action, '/isian')]")
    typed = {item.get("name"): item.get("value") or "" for item in form.xpath(".//input")}
    read = client.post(form.get("action"), data={**typed,
                                                  "penandatangan_nip": "198503122010012001"})
    assert "terbaca tanpa masalah" in read.text
    assert page(read).xpath("//input[@id='isian-penandatangan_nip']/@value") == [
        "198503122010012001"]


def test_a_year_in_words_is_marked_and_told_how_to_write_it(client: TestClient,
                                                            tmp_path: Path) -> None:
    failed = upload(client, starter_with(tmp_path, tahun="dua ribu dua puluh lima"))
    [row] = rows(failed, "masalah")
    assert row[1:] == ["Tahun", "seharusnya tahun seperti 2025, tetapi berisi 'dua ribu dua "
                       "puluh lima'", "Tulis tahunnya dengan angka, misalnya 2025."]
    assert page(failed).xpath("//input[@id='isian-tahun']/@aria-invalid") == ["true"]


def test_an_empty_file_is_told_once_without_a_form(client: TestClient, tmp_path: Path) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    failed = upload(client, empty)
    assert [row[2] for row in rows(failed, "masalah")] == [
        "berkas ini kosong (0 bita): tidak ada lembar atau tabel berisi data"]
    assert not page(failed).xpath("//form[contains(@action, '/isian')]")
    assert "1 masalah di kosong.csv" in failed.text


def test_a_field_emptied_on_the_page_is_not_printed(client: TestClient, tmp_path: Path) -> None:
    checked = upload(client, starter_with(tmp_path))
    assert page(checked).xpath("//input[@id='isian-penandatangan_pangkat']/@value") == [
        "Pembina (IV/a)"]
    [form] = page(checked).xpath("//form[contains(@action, '/buat/')]")
    fields = {item.get("name"): item.get("value") or ""
              for item in form.xpath(".//input[@type='text']")}
    started = client.post(form.get("action"), follow_redirects=False,
                          data={**fields, "penandatangan_pangkat": "", "template": "iki"})
    job = started.headers["location"]
    while not client.get(f"{job}/status").json()["finished"]:
        time.sleep(0.05)
    [made] = Path("output").glob("*/r1/01-*.docx")
    printed = [cell.text for table in docx.Document(str(made)).tables
               for row in table.rows for cell in row.cells]
    printed += [p.text for p in docx.Document(str(made)).paragraphs]
    assert not any("Pembina (IV/a)" in said for said in printed)
    assert any("NAMA LENGKAP" in said for said in printed)  # the other fields still are


def test_an_emptied_unit_is_asked_for_not_taken_from_the_file(client: TestClient,
                                                              tmp_path: Path) -> None:
    checked = upload(client, starter_with(tmp_path))
    [form] = page(checked).xpath("//form[contains(@action, '/buat/')]")
    fields = {item.get("name"): item.get("value") or ""
              for item in form.xpath(".//input[@type='text']")}
    asked = client.post(form.get("action"), data={**fields, "unit_kerja": "", "template": "iki"})
    assert not Path("output").exists()
    assert page(asked).xpath("//input[@id='isian-unit_kerja']/@aria-invalid") == ["true"]

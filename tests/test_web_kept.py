"""What the page keeps between loads, and when it must not: pictures of an upload drawn
again once a typed field changes the document, a revision verified again once the revision
before it changed, the template list found once per load, a failed upload's fields read
once."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from starlette.testclient import TestClient
from test_web import (
    UNIT,
    both_sheets_wrong,
    broken_sheet,
    client,
    page,
    rows,
    upload,
    uploads_root,
)

from ikidoc import importers, templates
from ikidoc.generate import generate

__all__ = ["client", "uploads_root"]  # the fixtures, used by name


def _choose(client: TestClient, checked, **typed: str):  # type: ignore[no-untyped-def]
    """Send the upload's form with ``typed`` in its document fields and the template list
    only changed (nothing is made); return the upload's page as it is then."""
    [form] = page(checked).xpath("//form[contains(@action, '/buat/')]")
    fields = {field.get("name"): field.get("value") or ""
              for field in form.xpath(".//input[@type='text']")}
    return client.post(form.get("action"), data={**fields, **typed, "template": "iki",
                                                  "hanya_pilih": "ya"})


def test_an_uploads_pictures_are_drawn_again_once_a_typed_field_changes_the_document(
        soffice: None, client: TestClient) -> None:
    checked = upload(client, SAMPLE)
    [source] = page(checked).xpath("//details[@class='pratinjau']/img/@src")[:1]
    before = client.get(source)
    assert before.status_code == 200
    retyped = _choose(client, checked, unit_kerja="Bagian Pengadaan Barang dan Jasa",
                      tempat="Bandung")
    assert page(retyped).xpath("//h1[1]/following::h2[1]")[0].text.startswith(
        "Bagian Pengadaan Barang dan Jasa")
    [again] = page(retyped).xpath("//details[@class='pratinjau']/img/@src")[:1]
    after = client.get(again)
    assert after.status_code == 200
    assert after.content != before.content  # the unit's new name is on the page now
    assert client.get(again).content == after.content  # and kept as drawn


def _arsip_checks(client: TestClient) -> dict[str, str]:
    """The Pemeriksaan cell of each revision row of the Arsip, by revision."""
    return {cells[0].split()[0]: cells[5] for cells in rows(client.get("/arsip"), "arsip")}


def test_a_revision_is_verified_again_once_the_revision_before_it_changed(
        client: TestClient, sample_copy: Path) -> None:
    generate([sample_copy], None, Path("output"))
    sample_copy.write_text(sample_copy.read_text(encoding="utf-8").replace(
        "- nama: Pengemudi\n", "- nama: Sopir\n"), encoding="utf-8")
    generate([sample_copy], None, Path("output"))
    assert _arsip_checks(client) == {"r2": "✓ utuh", "r1": "✓ utuh"}
    first = Path("output") / UNIT / "r1" / "manifest.json"
    first.write_bytes(first.read_bytes() + b"\n")  # r2 recorded r1's manifest by its hash
    found = _arsip_checks(client)  # no "periksa ulang" asked
    assert "utuh" not in found["r2"] and "r1" in found["r2"]


def test_the_template_list_is_found_once_for_a_page(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = upload(client, SAMPLE)
    found: list[object] = []
    available = templates.available
    monkeypatch.setattr(templates, "available",
                        lambda *roots: found.append(roots) or available(*roots))
    for address in (str(checked.url), f"{checked.url}?template=keputusan-iki", "/", "/template"):
        found.clear()
        assert client.get(address).status_code == 200
        assert len(found) == 1, address


def test_a_failed_uploads_fields_are_read_once_not_on_every_showing(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []
    fields = importers.read_fields
    monkeypatch.setattr(importers, "read_fields", lambda path: read.append(path) or fields(path))
    failed = upload(client, both_sheets_wrong(tmp_path))
    for _ in range(3):
        shown = client.get(str(failed.url))
        assert page(shown).xpath("//input[@id='isian-unit_kerja']/@value") == ["Bagian Uji"]
        assert page(shown).xpath("//input[@id='isian-tahun']/@value") == [
            "dua ribu dua puluh lima"]
    assert len(read) == 1


def test_a_workbook_with_mistakes_downloads_back_with_each_mistakes_cell_marked(
        client: TestClient, tmp_path: Path) -> None:
    failed = upload(client, both_sheets_wrong(tmp_path))
    [link] = page(failed).xpath("//a[contains(@href, 'data.xlsx')]/@href")
    got = client.get(link)
    assert got.status_code == 200
    assert got.headers["content-disposition"] == (
        'attachment; filename="iki-bagian-uji-ditandai.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    table, dokumen = book["IKI"], book["dokumen"]
    assert table["B2"].fill.fgColor.rgb == dokumen["B2"].fill.fgColor.rgb == "FFFFC7CE"
    assert table["B2"].comment.text == (
        "sasaran belum diisi untuk indikator 'Jumlah laporan'\n"
        "Saran: Isi sasarannya di baris ini, atau di baris di atasnya bila sasarannya sama.")
    assert dokumen["B2"].comment.text == (
        "Tahun: seharusnya tahun seperti 2025, tetapi berisi 'dua ribu dua puluh lima'\n"
        "Saran: Tulis tahunnya dengan angka, misalnya 2025.")
    marked = [(sheet.title, cell.coordinate) for sheet in book.worksheets
              for line in sheet.iter_rows() for cell in line if cell.comment is not None]
    assert marked == [("IKI", "B2"), ("dokumen", "B2")]  # the mistakes' cells, no other
    assert table["C2"].value == "Jumlah laporan"  # what was read, as it was


def test_a_workbook_whose_mistakes_are_only_in_its_table_still_downloads_marked(
        client: TestClient, tmp_path: Path) -> None:
    failed = upload(client, broken_sheet(tmp_path))
    assert not page(failed).xpath("//form[contains(@action, '/isian')]")  # nothing to type
    [link] = page(failed).xpath("//a[contains(@href, 'data.xlsx')]/@href")
    book = openpyxl.load_workbook(io.BytesIO(client.get(link).content))
    marked = {cell.coordinate: cell.comment.text for line in book.active.iter_rows()
              for cell in line if cell.comment is not None}
    assert list(marked) == ["F3"]
    assert marked["F3"].startswith("penjelasan/formulasi penghitungan belum diisi untuk "
                                   "indikator 'Persentase laporan'")
    assert book.active["F3"].fill.fgColor.rgb == "FFFFC7CE"

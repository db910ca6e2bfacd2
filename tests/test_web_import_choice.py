"""The page offers the choice a Word document leaves (which column is the SASARAN) as a
list of the headers found, reads the document again with the officer's pick and makes
the documents: what ``ikidoc import --kolom-sasaran`` does, without the command line."""
from __future__ import annotations

from pathlib import Path

import docx
from importing import import_layouts
from starlette.testclient import TestClient
from test_web import client, generate_from, message, page, rows, upload, uploads_root

__all__ = ["client", "uploads_root"]  # the page's fixtures, used here


def two_sasaran_columns(path: Path) -> Path:
    """An IKI whose header holds SASARAN PROGRAM and SASARAN KEGIATAN under SASARAN."""
    layouts = import_layouts()
    header, sub, row = layouts.LAYOUTS["two-row-header"][-1]
    layouts.write(path, ["INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
                         [header, [sub[0], "SASARAN PROGRAM", "SASARAN KEGIATAN", *sub[3:]], row]])
    document = docx.Document(str(path))
    document.core_properties.subject = "Bagian Uji"
    document.save(str(path))
    return path


def test_the_officer_picks_the_sasaran_column_from_the_headers_found_and_gets_documents(
        client: TestClient, tmp_path: Path) -> None:
    asked = upload(client, two_sasaran_columns(tmp_path / "IKI lama.docx"))
    [problem] = rows(asked, "masalah")
    assert "2 kolom dapat menjadi SASARAN: 'SASARAN PROGRAM', 'SASARAN KEGIATAN'" in problem[2]
    assert problem[3] == ("Pilih kolom SASARAN pada daftar di bawah tabel ini; kolom lain masuk "
                          "ke tambahan dengan nama judulnya.")
    [form] = page(asked).xpath("//form[.//select[@name='kolom_sasaran']]")
    options = form.xpath(".//option/@value")
    assert options == ["SASARAN PROGRAM", "SASARAN KEGIATAN"]
    assert form.xpath(".//label[@for='pilihan-kolom-sasaran']")
    read = client.post(form.get("action"), data={"kolom_sasaran": "SASARAN KEGIATAN"})
    assert "IKI lama.docx terbaca tanpa masalah: 1 jabatan, 1 indikator" in message(read)
    done = generate_from(client, read)
    assert "dokumen ditulis ke revisi baru" in message(done)
    [made] = Path("output").glob("bagian-uji*/r1/01-*.docx")
    [table] = [t for t in docx.Document(str(made)).tables if "SASARAN" in t.cell(0, 0).text]
    assert table.cell(2, 0).text == "Tata kelola yang baik"


def test_a_pick_that_names_no_column_is_told_and_offered_again(
        client: TestClient, tmp_path: Path) -> None:
    asked = upload(client, two_sasaran_columns(tmp_path / "IKI lama.docx"))
    [action] = page(asked).xpath("//form[.//select[@name='kolom_sasaran']]/@action")
    again = client.post(action, data={"kolom_sasaran": "SASARAN RPJMD"})
    [problem] = rows(again, "masalah")
    assert "--kolom-sasaran 'SASARAN RPJMD'" in problem[2]
    assert page(again).xpath("//select[@name='kolom_sasaran']/option/@value") == [
        "SASARAN PROGRAM", "SASARAN KEGIATAN"]
    assert not Path("output").exists()

"""The local web page through Starlette's test client: every page, every error path,
and the guards (host, token, origin, size) in front of them."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import lxml.html
import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import MINIMAL, REPO, SAMPLE, TESTS_DATA, edit_template, tree_snapshot
from starlette.testclient import TestClient
from test_import_tabular import sample_workbook

from ikidoc import DataError, audit_text, load_file
from ikidoc.cli import cli
from ikidoc.generate import Outcome, generate
from ikidoc.importers import import_file
from ikidoc.messages import word
from ikidoc.starter import TABLE_SHEET
from ikidoc.web import create_app
from ikidoc.web.server import is_loopback

BASE = "http://127.0.0.1:8000"
UNIT = "bagian-administrasi-perekonomian-2025"
HAS_SOFFICE = shutil.which("soffice") is not None


@pytest.fixture
def uploads_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temporary folder, as the server sees it: uploads go there."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           uploads_root: Path) -> Iterator[TestClient]:
    """The page over tmp_path/output, run from tmp_path (its templates/ is the local one)."""
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app(Path("output")), base_url=BASE) as test_client:
        yield test_client


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.text)


def rows(response, table: str) -> list[list[str]]:
    """The body rows of the page's table of that class, as cell texts."""
    return [[text(td) for td in tr.xpath("td")]
            for tr in page(response).xpath(f"//table[contains(@class, '{table}')]/tbody/tr")]


def text(element: lxml.html.HtmlElement) -> str:
    """The words an element shows, one space between each."""
    return " ".join(" ".join(element.itertext()).split())


def message(response) -> str:
    """The words of the page's message boxes."""
    return " ".join(text(box) for box in page(response).xpath("//*[contains(@class, 'kotak')]"))


def upload(client: TestClient, path: Path, name: str | None = None, **headers: str):
    files = {"berkas": (name or path.name, path.read_bytes())}
    return client.post("/", files=files, headers=headers)


def generate_from(client: TestClient, checked, template: str = "iki", pdf: bool = False):
    """Start the generation the checked upload's page offers; return the finished job page."""
    [form] = page(checked).xpath("//form[contains(@action, '/buat/')]")
    ticked = form.xpath(  # as a browser sends
        ".//input[@name='sakelar' and (@checked or @type='hidden')]/@value")
    fields = {field.get("name"): field.get("value") or ""  # every field, as a browser sends
              for field in form.xpath(".//input[@type='text']")}
    started = client.post(form.get("action"), data={
        **fields, "template": template, "sakelar": ticked, **({"pdf": "ya"} if pdf else {})},
        follow_redirects=False)
    assert started.status_code == 303
    job = started.headers["location"]
    deadline = time.monotonic() + 120
    while not client.get(f"{job}/status").json()["finished"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return client.get(job)


def upload_folders(root: Path) -> list[Path]:
    return [p for web in root.glob("ikidoc-web-*") for p in web.iterdir()]


def workbook(folder: Path, table: list[list[object]], name: str = "iki.xlsx") -> Path:
    """A workbook with the table sheet and a sheet dokumen naming the unit."""
    book = openpyxl.Workbook()
    book.active.title = TABLE_SHEET
    for line in table:
        book.active.append(line)
    book.create_sheet("dokumen").append(["unit_kerja", "Bagian Uji"])
    book.save(folder / name)
    return folder / name


def broken_sheet(folder: Path) -> Path:
    """A sheet whose third row lacks its jabatan and whose fourth lacks a formulasi."""
    return workbook(folder, [
        ["Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formulasi", "Sumber Data"],
        ["Analis", "Menyusun", "", "Tertib", "Jumlah laporan", "Jumlah laporan", "Arsip"],
        ["", "", "", "Tepat waktu", "Persentase laporan", "", "Arsip"],
    ], name="rusak.xlsx")


def typo_template_zip(folder: Path) -> Path:
    """The iki template, renamed iki-2026 and zipped, with {{ jabatan.nmaa }} for jabatan.nama."""
    copy = folder / "iki-2026"
    shutil.copytree(REPO / "templates" / "iki", copy)
    edit_template(copy, "{{ jabatan.nama }}", "{{ jabatan.nmaa }}")
    return template_zip(rename_template(copy, "iki-2026"), folder / "iki-2026.zip")


def rename_template(folder: Path, name: str) -> Path:
    manifest = folder / "template.yaml"
    manifest.write_text(yaml.safe_dump({**yaml.safe_load(manifest.read_text(encoding="utf-8")),
                                        "name": name}), encoding="utf-8")
    return folder


def template_zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as package:
        for name in ("template.docx", "template.yaml"):
            package.write(folder / name, f"{folder.name}/{name}")
    return target


# Buat IKI

def test_home_page_offers_the_upload_and_every_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert page(response).xpath("//nav/a/text()") == ["Buat IKI", "Arsip", "Template", "Mulai"]
    [form] = page(response).xpath("//form[@enctype='multipart/form-data']")
    assert form.xpath(".//input[@type='file']/@name") == ["berkas"]
    assert "Periksa berkas" in response.text
    assert "https://" not in response.text  # nothing is fetched from the internet


def test_uploaded_data_file_lists_its_positions_and_the_templates(client: TestClient) -> None:
    response = upload(client, SAMPLE)
    unit = load_file(SAMPLE).unit
    assert response.status_code == 200
    assert rows(response, "jabatan") == [
        [str(n), jab.nama, str(len(jab.sasaran)), str(len(jab.indikator))]
        for n, jab in enumerate(unit.jabatan, 1)]
    assert (f"{SAMPLE.name} terbaca tanpa masalah: 12 jabatan, {unit.indikator_count} indikator"
            in message(response))
    options = page(response).xpath("//select[@name='template']/option")
    assert [o.get("value") for o in options] == ["iki", "iki-nomor", "iki-pemangku",
                                                 "iki-penanggung-jawab", "iki-target",
                                                 "keputusan-iki"]
    assert options[0].get("selected") is not None
    assert options[0].text.startswith("iki 1.1.0 · bawaan · Peraturan Menteri PAN-RB Nomor PER/20/")


def test_uploaded_workbook_is_imported_as_ikidoc_import_does(client: TestClient,
                                                             tmp_path: Path) -> None:
    sheet = sample_workbook(load_file(SAMPLE).unit, tmp_path)
    response = upload(client, sheet, name="IKI Bagian.xlsx")
    assert response.status_code == 200 and len(rows(response, "jabatan")) == 12
    assert "IKI Bagian.xlsx terbaca tanpa masalah" in message(response)


def test_problems_of_a_sheet_are_the_importers_with_sheet_row_and_column(
        client: TestClient, tmp_path: Path, uploads_root: Path) -> None:
    sheet = broken_sheet(tmp_path)
    with pytest.raises(DataError) as expected:
        import_file(sheet, tmp_path / "out.yaml")
    response = upload(client, sheet)
    assert response.status_code == 200 and "/periksa/" in str(response.url)
    assert rows(response, "masalah") == [
        [word(p.place, "id") if p.place else "-", p.path or "-", word(p.message, "id"),
         word(p.hint, "id") if p.hint else "-"] for p in expected.value.problems]
    assert rows(response, "masalah")[0][0] == "lembar 'IKI', baris 3, kolom F (Formulasi)"
    assert "1 masalah di rusak.xlsx" in response.text
    assert not page(response).xpath("//form[contains(@action, '/buat/')]")
    # the workbook is kept only to be given back with its mistakes marked
    assert [sorted(p.name for p in folder.iterdir())
            for folder in upload_folders(uploads_root)] == [["rusak.xlsx"]]
    assert page(response).xpath("//a[contains(@href, 'data.xlsx')]")


def test_problems_of_a_data_file_show_line_field_and_the_intended_key(client: TestClient) -> None:
    response = upload(client, TESTS_DATA / "bad" / "typo-key.yaml")
    assert rows(response, "masalah") == [[
        "baris 8, kolom 13", "jabatan[0].sasaran[0].indikator[0].formulasii (Bendahara)",
        "kunci 'formulasii' tidak dikenal", "Maksudnya 'formulasi'?"]]


def test_every_problem_of_a_file_is_shown_at_once(client: TestClient) -> None:
    bad = TESTS_DATA / "bad" / "several.yaml"
    with pytest.raises(DataError) as expected:
        load_file(bad)
    response = upload(client, bad)
    shown = [row[2] for row in rows(response, "masalah")]
    assert shown == [word(p.message, "id") for p in expected.value.problems]
    assert f"{len(expected.value.problems)} masalah di several.yaml" in response.text


@pytest.mark.parametrize(("name", "content", "said", "hint"), [
    ("data.xls", b"\xd0\xcf\x11\xe0", "data.xls tersimpan dalam format lama Word atau Excel "
     "(97-2003), yang tidak dapat dibaca halaman ini",
     "Buka di Word atau Excel, simpan ulang sebagai .xlsx, lalu unggah berkas itu."),
    ("IKI perawat 2019.doc", b"\xd0\xcf\x11\xe0", "IKI perawat 2019.doc tersimpan dalam format "
     "lama Word atau Excel (97-2003), yang tidak dapat dibaca halaman ini",
     "Buka di Word atau Excel, simpan ulang sebagai .docx, lalu unggah berkas itu."),
    ("catatan.pdf", b"%PDF-1.4", "bukan berkas yang dapat dibaca halaman ini (yang dapat "
                                 "dibaca: .xlsx, .xlsm, .csv, .docx, .yaml, .yml, .json)", "-"),
    ("rusak.xlsx", b"not a workbook", "tidak dapat dibaca sebagai buku kerja Excel .xlsx",
     "Buka di Excel lalu simpan ulang sebagai .xlsx."),
    ("kosong.xlsx", b"", "berkas ini kosong (0 bita): tidak ada lembar atau tabel berisi data",
     "Pilih berkas yang berisi datanya, atau simpan ulang berkas itu di Excel atau Word lalu "
     "unggah lagi."),
    ("kosong.docx", b"", "berkas ini kosong (0 bita)",
     "Pilih berkas yang berisi datanya, atau simpan ulang berkas itu di Excel atau Word lalu "
     "unggah lagi."),
    ("../../etc/passwd.yaml", b"unit_kerja: [", "YAML tidak sah: ", "-"),
])
def test_a_file_ikidoc_cannot_read_is_refused_with_the_reason_in_indonesian(
        client: TestClient, uploads_root: Path, name: str, content: bytes, said: str,
        hint: str) -> None:
    response = client.post("/", files={"berkas": (name, content)})
    assert response.status_code == 200
    [[_, _, problem, shown_hint]] = rows(response, "masalah")
    assert problem.startswith(said) and shown_hint == hint
    assert f"1 masalah di {Path(name).name}" in response.text
    assert "zip" not in response.text and english_words(response) == []
    assert upload_folders(uploads_root) == []


def test_a_form_without_a_file_asks_for_one(client: TestClient) -> None:
    response = client.post("/", data={"lain": "x"}, files={"berkas": ("", b"")})
    assert response.status_code == 400
    assert "Pilih dulu berkas yang akan diunggah." in message(response)


def test_an_upload_over_the_limit_is_refused_in_indonesian(tmp_path: Path, uploads_root: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app(Path("output"), max_upload=2 * 2**20), base_url=BASE) as small:
        declared = small.post("/", files={"berkas": ("besar.yaml", b"#" * (3 * 2**20))})
        streamed = small.post("/", content=iter([b"x" * 2**20] * 3),
                              headers={"content-type": "multipart/form-data; boundary=b"})
    for response in (declared, streamed):
        assert response.status_code == 413
        assert "Berkas terlalu besar: batasnya 2 MB." in message(response)
    assert upload_folders(uploads_root) == []


def test_generation_writes_a_revision_of_the_same_archive_as_the_cli(
        client: TestClient, uploads_root: Path) -> None:
    done = generate_from(client, upload(client, SAMPLE))
    assert done.status_code == 200
    revision = Path("output") / UNIT / "r1"
    said = ("13 dokumen ditulis ke revisi baru r1 di Arsip dengan template iki 1.1.0: "
            "lihat revisi r1")
    assert said in message(done)
    assert page(done).xpath("//div[contains(@class, 'kotak')]//a/@href") == [
        f"{BASE}/arsip/{UNIT}/r1"]
    assert [row[1] for row in rows(done, "berkas")][:2] == [
        "Kepala Sub Bagian Koperasi dan Usaha Mikro", "Bendahara"]
    [outcome] = generate([SAMPLE], None, Path("output"))
    assert not outcome.changed and outcome.folder == revision  # the CLI sees the very same run


def test_the_summary_downloads_one_document_the_combined_one_and_the_zip(
        client: TestClient) -> None:
    done = generate_from(client, upload(client, SAMPLE))
    links = page(done).xpath("//table[contains(@class, 'berkas')]//a/@href")
    bendahara = client.get(next(link for link in links if link.endswith("02-bendahara.docx")))
    assert bendahara.headers["content-disposition"] == (  # named after its unit too
        f'attachment; filename="{UNIT}-02-bendahara.docx"')
    document = docx.Document(io.BytesIO(bendahara.content))
    assert "Bendahara" in document.paragraphs[1].text
    combined = client.get(next(link for link in links if link.endswith(f"/{UNIT}.docx")))
    assert combined.content == (Path("output") / UNIT / "r1" / f"{UNIT}.docx").read_bytes()
    assert combined.headers["content-disposition"] == f'attachment; filename="{UNIT}.docx"'
    [zip_link] = page(done).xpath("//a[contains(@href, 'semua.zip')]/@href")
    with zipfile.ZipFile(io.BytesIO(client.get(zip_link).content)) as package:
        names = package.namelist()
    assert len(names) == 14
    assert {f"{UNIT}-r1/manifest.json", f"{UNIT}-r1/02-bendahara.docx"} <= set(names)


def test_generating_the_same_data_again_says_nothing_changed(client: TestClient) -> None:
    generate_from(client, upload(client, SAMPLE))
    again = generate_from(client, upload(client, SAMPLE))
    assert "Tidak ada yang berubah" in message(again)
    assert not (Path("output") / UNIT / "r2").exists()


def test_the_same_data_over_an_altered_revision_writes_it_again_and_says_which_file(
        client: TestClient) -> None:
    generate_from(client, upload(client, SAMPLE))
    r1 = Path("output") / UNIT / "r1"
    (r1 / "02-bendahara.docx").write_bytes((r1 / "02-bendahara.docx").read_bytes() + b"x")
    before = (r1 / "02-bendahara.docx").read_bytes()
    again = generate_from(client, upload(client, SAMPLE))
    shown = message(again)
    assert "Tidak ada yang berubah" not in shown
    assert "13 dokumen ditulis ke revisi baru r2" in shown
    assert ("r1 diubah setelah dibuat (02-bendahara.docx): ditulis lagi sebagai r2."
            in shown)
    links = page(again).xpath("//table[contains(@class, 'berkas')]//a/@href")
    assert f"{BASE}/arsip/{UNIT}/r2/unduh/02-bendahara.docx" in links
    assert not [link for link in links if "/r1/" in link]  # the altered file is not offered
    assert (r1 / "02-bendahara.docx").read_bytes() == before  # left as it is, for the audit
    intact = generate_from(client, upload(client, SAMPLE))
    assert "Tidak ada yang berubah: revisi r2" in message(intact)
    assert "diubah" not in message(intact)


def start_large_job(client: TestClient, tmp_path: Path) -> str:
    """Upload a unit of 150 positions and start making it; the job's address."""
    big = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    big["jabatan"] = [dict(big["jabatan"][1], nama=f"Bendahara {n}") for n in range(150)]
    data = tmp_path / "besar.yaml"
    data.write_text(yaml.safe_dump(big, allow_unicode=True), encoding="utf-8")
    [action] = page(upload(client, data)).xpath("//form[contains(@action, '/buat/')]/@action")
    location: str = client.post(action, data={"template": "iki"},
                                follow_redirects=False).headers["location"]
    return location


def test_generation_runs_in_the_background_with_progress(client: TestClient,
                                                         tmp_path: Path) -> None:
    job = start_large_job(client, tmp_path)
    running = client.get(job)
    assert not client.get(f"{job}/status").json()["finished"]  # the request did not wait for it
    assert page(running).xpath("//progress") and "diperbarui sendiri" in running.text
    while not (status := client.get(f"{job}/status").json())["finished"]:
        assert status["done"] <= status["total"]
        time.sleep(0.05)
    assert status == {"state": "selesai", "done": 151, "total": 151, "step": "docx",
                      "finished": True, "text": "151 dari 151 dokumen ditulis",
                      "sentence": "151 dari 151 dokumen ditulis."}


def lacking_columns(response, template: str) -> str:
    """The notice beside the template list about the columns the table lacks."""
    [notice] = page(response).xpath(f"//div[@id='kolom-kurang-{template}']")
    return " ".join(notice.text_content().split())


def test_a_template_needing_columns_the_workbook_lacks_says_which_to_add_before_making(
        client: TestClient, tmp_path: Path) -> None:
    sheet = workbook(tmp_path, [
        ["Jabatan", "Sasaran", "Indikator", "Formulasi", "Sumber Data"],
        ["Analis", "Tertib", "Jumlah laporan", "Jumlah laporan", "Arsip"],
        ["Analis", "Tertib", "Jumlah rapat", "Jumlah rapat", "Arsip"]])
    checked = upload(client, sheet, name="IKI Bagian.xlsx")
    said = lacking_columns(checked, "iki-target")
    assert said == ("Template iki-target memerlukan kolom TARGET dan SATUAN untuk setiap "
                    "indikator, yang belum diisi untuk 2 dari 2 indikator di IKI Bagian.xlsx. "
                    "Tambahkan kolom TARGET dan SATUAN di lembar IKI, isi untuk setiap indikator, "
                    "simpan, lalu unggah lagi berkasnya di atas. Atau pilih template lain.")
    assert page(checked).xpath("//div[@id='kolom-kurang-iki-target']/@hidden")  # not chosen
    assert not page(checked).xpath("//div[@id='kolom-kurang-iki']")  # iki needs no column
    failed = generate_from_unfinished(client, checked, "iki-target")
    assert "kurang=ya" in str(failed.url) and not Path("output").exists()
    assert lacking_columns(failed, "iki-target").startswith(
        "Dokumen belum dibuat: template iki-target memerlukan kolom TARGET dan SATUAN")
    [notice] = page(failed).xpath("//div[@id='kolom-kurang-iki-target']")
    assert notice.get("hidden") is None and notice.get("role") == "alert"
    assert page(failed).xpath("//select[@id='template']/@aria-describedby") == [
        "kolom-kurang-iki-target"]
    words = failed.text.replace("tambahan_", "")  # the form's field names are no words
    assert "tambahan" not in words and "jabatan[0]" not in words


def test_a_word_iki_lacking_a_target_column_is_told_to_add_it_in_the_workbook_download(
        client: TestClient, tmp_path: Path) -> None:
    from test_import_docx import hand_made

    asked = upload(client, hand_made(tmp_path / "IKI lama.docx"))
    [form] = page(asked).xpath("//form[contains(@action, '/isian')]")
    read = client.post(form.get("action"), data={"unit_kerja": "Bagian Uji"})
    said = lacking_columns(read, "iki-target")
    assert ("Unduh data ini sebagai lembar kerja Excel, tambahkan kolom TARGET dan SATUAN di "
            "lembar IKI, isi untuk setiap indikator, simpan, lalu unggah lembar kerja itu di "
            "atas. Atau pilih template lain.") in said
    [link] = page(read).xpath("//div[@id='kolom-kurang-iki-target']//a/@href")
    assert link.endswith("/data.xlsx")


def test_a_workbook_with_the_target_columns_added_passes_the_template(
        client: TestClient, tmp_path: Path) -> None:
    sheet = workbook(tmp_path, [
        ["Jabatan", "Sasaran", "Indikator", "Formulasi", "Sumber Data", "Target", "Satuan"],
        ["Analis", "Tertib", "Jumlah laporan", "Jumlah laporan", "Arsip", "12", "Laporan"]])
    checked = upload(client, sheet)
    assert not page(checked).xpath("//div[@id='kolom-kurang-iki-target']")
    done = generate_from(client, checked, "iki-target")
    assert "dokumen ditulis ke revisi baru" in message(done)


def generate_from_unfinished(client: TestClient, checked, template: str):
    """Press "Buat dokumen" with ``template`` chosen where the page will not start a run."""
    [form] = page(checked).xpath("//form[contains(@action, '/buat/')]")
    return client.post(form.get("action"), data={"template": template})


def test_an_archive_that_cannot_be_written_is_a_message_not_a_traceback(client: TestClient) -> None:
    Path("output").write_text("a file where the archive folder should be")
    failed = generate_from(client, upload(client, SAMPLE))
    assert failed.status_code == 200 and "Dokumen belum dibuat" in failed.text
    assert "output" in message(failed) and "Traceback" not in failed.text


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice is not installed")
def test_pdfs_are_made_when_libreoffice_is_installed(client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    checked = upload(client, data)
    assert page(checked).xpath("//input[@name='pdf']/@checked")
    done = generate_from(client, checked, pdf=True)
    assert "2 dokumen dan 2 PDF/A" in message(done)
    assert [row[4] for row in rows(done, "berkas")] == ["PDF", "PDF"]


def test_pdf_ticked_on_a_second_run_of_the_same_upload_writes_a_revision_with_them(
        client: TestClient, tmp_path: Path, soffice: None) -> None:
    data = tmp_path / "unit.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    checked = upload(client, data)
    plain = generate_from(client, checked)
    assert [row[4] for row in rows(plain, "berkas")] == ["-", "-"]
    back = client.get(str(checked.url))
    assert not page(back).xpath("//input[@name='pdf']/@checked")  # the choice kept...
    unticked = generate_from(client, back)  # ...so sent as it is, nothing new is made
    assert "Tidak ada yang berubah: revisi r1" in message(unticked)
    assert ('Revisi ini tanpa PDF/A: untuk membuatnya, kembali ke data ini , centang '
            '"Buat juga PDF/A" lalu tekan "Buat dokumen".') in message(unticked)
    assert page(unticked).xpath("//a[.='kembali ke data ini']/@href") == [str(checked.url)]
    ticked = generate_from(client, client.get(str(checked.url)), pdf=True)
    assert "2 dokumen dan 2 PDF/A ditulis ke revisi baru r2" in message(ticked)
    assert [row[4] for row in rows(ticked, "berkas")] == ["PDF", "PDF"]
    assert sorted(p.name for p in (Path("output") / "bagian-uji-2025" / "r2").glob("*.pdf")) == [
        "01-analis.pdf", "bagian-uji-2025.pdf"]
    again = generate_from(client, client.get(str(checked.url)), pdf=True)
    assert "Tidak ada yang berubah: revisi r2" in message(again)
    assert "tanpa PDF/A" not in message(again)


def test_a_failed_pdf_conversion_keeps_the_word_documents(client: TestClient, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "soffice").write_text("#!/bin/sh\necho 'convert: nothing done'\n", encoding="utf-8")
    (tools / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))  # a LibreOffice that says it worked and made nothing
    failed = generate_from(client, upload(client, SAMPLE), pdf=True)
    shown = message(failed)
    assert "PDF tidak dibuat: LibreOffice tidak membuat PDF dari" in shown
    assert "Dokumen Word tetap ditulis, tanpa PDF, sebagai revisi r1 di Arsip" in shown
    assert f"output/{UNIT}" not in shown
    assert len(rows(failed, "berkas")) == 13 and {row[4] for row in rows(failed, "berkas")} == {"-"}


def test_pdf_is_not_offered_without_libreoffice(client: TestClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    checked = upload(client, SAMPLE)
    assert page(checked).xpath("//input[@name='pdf']/@disabled")
    assert "LibreOffice belum terpasang" in checked.text


def test_unknown_uploads_jobs_and_templates_are_explained(client: TestClient) -> None:
    gone = client.post("/buat/tidak-ada", data={"template": "iki"})
    assert gone.status_code == 404 and "Unggah berkasnya lagi" in message(gone)
    assert client.get("/proses/tidak-ada").status_code == 404
    assert client.get("/proses/tidak-ada/status").json()["finished"] is True
    [action] = page(upload(client, SAMPLE)).xpath("//form[contains(@action, '/buat/')]/@action")
    wrong = client.post(action, data={"template": "../templates/iki"})
    assert wrong.status_code == 400 and "Template '../templates/iki' tidak ada" in message(wrong)


def test_an_upload_is_generated_from_once(client: TestClient) -> None:
    checked = upload(client, SAMPLE)
    generate_from(client, checked)
    [action] = page(checked).xpath("//form[contains(@action, '/buat/')]/@action")
    again = client.post(action, data={"template": "iki"}, follow_redirects=False)
    assert again.status_code == 303 and "/proses/" in again.headers["location"]
    assert len(list((Path("output") / UNIT).glob("r*"))) == 1


def test_the_id_of_a_template_upload_does_not_start_a_generation(client: TestClient) -> None:
    source = template_zip(REPO / "templates" / "iki", Path("iki.zip"))
    checked = client.post("/template", files={"berkas": ("iki.zip", source.read_bytes())})
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    misused = client.post(action.replace("/template/pasang/", "/buat/"), data={"template": "iki"})
    assert misused.status_code == 404 and not Path("output").exists()


def test_uploads_are_removed_when_the_server_stops(tmp_path: Path, uploads_root: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app(Path("output")), base_url=BASE) as test_client:
        upload(test_client, SAMPLE)
        assert len(upload_folders(uploads_root)) == 1  # kept until it is generated from
    assert list(uploads_root.iterdir()) == []


# Arsip

def test_an_empty_archive_says_so(client: TestClient) -> None:
    response = client.get("/arsip")
    assert response.status_code == 200 and "Arsip masih kosong" in response.text


def test_the_archive_lists_revisions_with_date_positions_template_and_verify(
        client: TestClient, sample_copy: Path) -> None:
    generate([sample_copy], None, Path("output"))
    generate([sample_copy], "iki-target", Path("output"))
    (Path("output") / UNIT / "r1" / "02-bendahara.docx").write_bytes(b"changed")
    listed = rows(client.get("/arsip"), "arsip")
    assert [row[0] for row in listed] == ["r2", "r1"]
    assert [row[2:5] for row in listed] == [["12", "iki-target 1.1.0", "-"],
                                            ["12", "iki 1.1.0", "-"]]
    assert listed[0][5] == "✓ utuh"
    assert listed[1][5] == ("✗ 1 masalah 02-bendahara.docx diubah setelah dibuat — gunakan "
                            "salinan asli atau buat ulang")


def test_a_revision_page_shows_its_files_and_changes(client: TestClient, sample_copy: Path) -> None:
    generate([sample_copy], None, Path("output"))
    text_before = sample_copy.read_text(encoding="utf-8")
    sample_copy.write_text(text_before.replace("- nama: Pengemudi\n", "- nama: Sopir\n"),
                           encoding="utf-8")
    generate([sample_copy], None, Path("output"))
    response = client.get(f"/arsip/{UNIT}/r2")
    assert response.status_code == 200
    assert len(rows(response, "berkas")) == 13
    shown = text(page(response))
    assert "Jabatan baru Sopir" in shown and "Jabatan dihapus Pengemudi" in shown
    assert "✓ utuh" in shown
    bendahara = Path("output") / UNIT / "r2" / "02-bendahara.docx"
    bendahara.write_bytes(bendahara.read_bytes() + b"x")
    flagged = [row[3] for row in rows(client.get(f"/arsip/{UNIT}/r2"), "berkas")
               if "diubah" in row[3]]
    assert [re.sub(r" \d+ KB", "", row) for row in flagged] == [
        "02-bendahara.docx 02-bendahara.docx diubah setelah dibuat — gunakan salinan asli atau "
        "buat ulang"]


def test_a_revision_page_shows_each_value_changed_old_to_new_within_bounds(
        client: TestClient, sample_copy: Path) -> None:
    generate([sample_copy], None, Path("output"))
    text_before = sample_copy.read_text(encoding="utf-8")
    added = "".join(f"      - Tugas tambahan {number};\n" for number in range(1, 7))
    sample_copy.write_text(text_before.replace("tempat: Contoh", "tempat: Kota Uji").replace(
        "  - nama: Pengemudi\n    tugas:\n      - Menyiapkan dan mengemudikan",
        f"  - nama: Pengemudi\n    tugas:\n{added}      - Menyiapkan, merawat dan mengemudikan"),
        encoding="utf-8")
    generate([sample_copy], None, Path("output"))
    response = client.get(f"/arsip/{UNIT}/r2")
    [unit] = page(response).xpath("//dt[text()='Isian unit diubah']/following-sibling::dd[1]")
    assert [text(item) for item in unit.xpath(".//li")] == [
        "Tempat penandatanganan: 'Contoh' → 'Kota Uji'"]  # named as on the form
    [position] = page(response).xpath("//ul[@class='nilai-berubah']/li[starts-with(., "
                                      "'Pengemudi')]")
    said = [text(item) for item in position.xpath("ul/li")]
    assert said[:2] == ["tugas 1 ditambahkan: 'Tugas tambahan 1;'",
                        "tugas 2 ditambahkan: 'Tugas tambahan 2;'"]
    assert len(said) == audit_text.DIFFERENCES_SHOWN + 1
    assert said[-1] == f"dan {7 - audit_text.DIFFERENCES_SHOWN} perubahan lain"
    assert english_words(response) == []
    shown = CliRunner().invoke(cli, ["archive", "show", str(Path("output") / UNIT), "--lang",
                                     "id"]).output.splitlines()
    driver = [line for line in shown if line.startswith("    Pengemudi: ")]
    assert driver == [f"    Pengemudi: {line}" for line in said]
    assert "    tempat: 'Contoh' → 'Kota Uji'" in shown


def test_a_revision_with_an_unreadable_manifest_is_reported(client: TestClient,
                                                            sample_copy: Path) -> None:
    generate([sample_copy], None, Path("output"))
    (Path("output") / UNIT / "r1" / "manifest.json").write_text("{", encoding="utf-8")
    assert "Catatan revisi ini tidak dapat dibaca" in rows(client.get("/arsip"), "arsip")[0][1]
    assert "Catatan revisi: bukan JSON yang sah" in rows(client.get("/arsip"), "arsip")[0][1]
    for url in ("", "/semua.zip", "/unduh/02-bendahara.docx"):
        response = client.get(f"/arsip/{UNIT}/r1{url}")
        assert response.status_code == 400 and "bukan JSON yang sah" in message(response)


@pytest.mark.parametrize("url", [
    f"/arsip/{UNIT}/r1/unduh/catatan.txt",  # in the folder, not in the manifest
    f"/arsip/{UNIT}/r1/unduh/..%2F..%2F..%2Fdata%2Fbagian-administrasi-perekonomian.yaml",
    f"/arsip/{UNIT}/r1/unduh/%2Fetc%2Fpasswd",
    f"/arsip/{UNIT}/r9/unduh/02-bendahara.docx",
    f"/arsip/{UNIT}/r01/unduh/02-bendahara.docx",
    "/arsip/../r1/unduh/02-bendahara.docx",
    "/arsip/..%2F..%2Fdata/r1/semua.zip",
    "/arsip/luar/r1/unduh/02-bendahara.docx",  # a link out of the output folder
])
def test_only_files_a_manifest_lists_can_be_downloaded(client: TestClient, sample_copy: Path,
                                                       tmp_path: Path, url: str) -> None:
    generate([sample_copy], None, Path("output"))
    (Path("output") / UNIT / "r1" / "catatan.txt").write_text("not in the manifest")
    (Path("output") / "luar").symlink_to(tmp_path / "outside")
    shutil.copytree(Path("output") / UNIT, tmp_path / "outside")
    response = client.get(url)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


@pytest.mark.parametrize(("method", "url"), [
    ("DELETE", f"/arsip/{UNIT}/r1"), ("PUT", f"/arsip/{UNIT}/r1/unduh/02-bendahara.docx"),
    ("POST", "/arsip"), ("DELETE", "/template/iki/unduh.zip"), ("PATCH", "/"),
])
def test_nothing_can_be_deleted_or_overwritten(client: TestClient, sample_copy: Path, method: str,
                                               url: str) -> None:
    generate([sample_copy], None, Path("output"))
    before = tree_snapshot(Path("output"))
    response = client.request(method, url)
    assert response.status_code == 405 and "tidak ada yang dapat dihapus" in message(response)
    assert tree_snapshot(Path("output")) == before


# Template

def test_the_template_page_lists_version_regulation_and_origin(client: TestClient,
                                                               iki_copy: Path) -> None:
    local = iki_copy.rename(iki_copy.parent / "iki")
    manifest = local / "template.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("iki-copy", "iki"), encoding="utf-8"
    )
    listed = rows(client.get("/template"), "template")
    assert [row[0] for row in listed] == [
        "iki Indikator Kinerja Individu", "iki Indikator Kinerja Individu",
        "iki-nomor Indikator Kinerja Individu dengan Kolom Nomor",
        "iki-pemangku Indikator Kinerja Individu dengan Tanda Tangan Pemangku Jabatan",
        "iki-penanggung-jawab Indikator Kinerja Individu dengan Target dan Penanggung Jawab",
        "iki-target Indikator Kinerja Individu dengan Target",
        "keputusan-iki Keputusan tentang Indikator Kinerja Individu"]
    regulation = ("Peraturan Menteri PAN-RB Nomor PER/20/M.PAN/11/2008 tentang Pedoman "
                  "Penyusunan Indikator Kinerja Utama")
    assert listed[0][1:4] == ["1.1.0", regulation, "1 Januari 2025"]
    assert [row[5] for row in listed] == ["lokal", "bawaan (tertutup oleh yang lokal)",
                                          *["bawaan"] * 5]


def test_a_template_downloads_as_a_zip_of_its_folder_or_its_docx(client: TestClient) -> None:
    bundled = REPO / "templates" / "iki"
    with zipfile.ZipFile(io.BytesIO(client.get("/template/iki/unduh.zip").content)) as package:
        assert {name: package.read(name) for name in package.namelist()} == {
            "iki/template.docx": (bundled / "template.docx").read_bytes(),
            "iki/template.yaml": (bundled / "template.yaml").read_bytes()}
    docx_file = client.get("/template/iki/unduh.docx").content
    with zipfile.ZipFile(io.BytesIO(docx_file)) as got, \
            zipfile.ZipFile(bundled / "template.docx") as original:
        assert got.read("word/document.xml") == original.read("word/document.xml")
        assert "docProps/custom.xml" in got.namelist()
    opened = docx.Document(io.BytesIO(docx_file))  # Word's reader opens it as a document
    assert opened.paragraphs
    assert client.get("/template/tidak-ada/unduh.zip").status_code == 404
    assert client.get("/template/iki/unduh.exe").status_code == 404


def test_a_downloaded_template_docx_edited_in_word_uploads_alone(client: TestClient,
                                                                 tmp_path: Path) -> None:
    edited = tmp_path / "template.docx"
    edited.write_bytes(client.get("/template/iki/unduh.docx").content)
    document = docx.Document(str(edited))
    document.add_paragraph("Catatan baru dari Word")
    document.save(str(edited))  # python-docx, like Word, keeps the custom properties
    checked = client.post("/template", files={"berkas": ("IKI diubah.docx", edited.read_bytes())})
    assert checked.status_code == 200, message(checked)
    assert "Lulus pemeriksaan: template iki 1.1.0" in message(checked)
    assert page(checked).xpath("//input[@name='nama']/@value") == ["iki-2"]
    alone = client.post("/template", files={
        "berkas": ("lain.docx", (REPO / "templates" / "iki" / "template.docx").read_bytes())})
    assert alone.status_code == 400 and message(alone) == (
        "template lain.docx: dokumen Word ini bukan template yang diunduh dari halaman ini, jadi "
        "tidak tertulis template apa isinya. Unduh .docx template dari daftar di halaman "
        "Template, buat perubahannya di berkas itu dengan Word, lalu unggah berkas itu")
    assert "template.yaml" not in message(alone) and "ikidoc templates" not in message(alone)


def test_a_template_with_a_typo_shows_the_intended_variable_and_is_not_installed(
        client: TestClient, tmp_path: Path) -> None:
    source = typo_template_zip(tmp_path / "kerja")
    response = client.post("/template", files={"berkas": (source.name, source.read_bytes())})
    assert response.status_code == 400
    found = rows(response, "masalah")
    assert found[0][0] == "isi dokumen, paragraf 5: 'Jabatan:{{ jabatan.nmaa }}'"
    assert found[0][1] == "nama isian 'jabatan.nmaa' tidak dikenal; maksudnya 'jabatan.nama'?"
    assert not page(response).xpath("//form[contains(@action, '/pasang/')]")
    assert not Path("templates").exists()


def test_a_template_that_passes_is_installed_and_can_be_chosen(client: TestClient,
                                                               tmp_path: Path) -> None:
    folder = rename_template(Path(shutil.copytree(REPO / "templates" / "iki", tmp_path / "kerja")),
                             "iki-2026")
    parts = {name: (folder / name).read_bytes() for name in ("template.docx", "template.yaml")}
    sent = client.post("/template", files=[("berkas", item) for item in parts.items()],
                       follow_redirects=False)
    assert sent.status_code == 303  # the check's result has an address of its own
    checked = client.get(sent.headers["location"])
    assert client.get(sent.headers["location"]).text == checked.text  # refresh, Back
    assert "Lulus pemeriksaan: template iki-2026 1.1.0" in message(checked)
    assert not Path("templates").exists()  # nothing installed before it is asked for
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    installing = client.post(action, follow_redirects=False)
    assert installing.headers["location"] == sent.headers["location"]
    done = "Template iki-2026 1.1.0 dipasang sebagai template lokal."
    assert done in message(client.get(installing.headers["location"]))
    installed = tree_snapshot(Path("templates"))
    assert installed == {f"iki-2026/{name}": data for name, data in parts.items()}
    choices = page(upload(client, SAMPLE)).xpath("//select[@name='template']/option/@value")
    assert "iki-2026" in choices
    # F5 on the result, or the button sent again: it is done, once.
    assert done in message(client.get(sent.headers["location"]))
    assert done in message(client.post(action))
    assert tree_snapshot(Path("templates")) == installed
    assert not page(client.get(sent.headers["location"])).xpath("//form[contains(@action, "
                                                                "'/pasang/')]")


def test_a_template_whose_name_is_taken_is_offered_the_next_free_name(client: TestClient) -> None:
    source = template_zip(REPO / "templates" / "iki", Path("iki.zip"))
    checked = client.post("/template", files={"berkas": ("iki.zip", source.read_bytes())})
    [form] = page(checked).xpath("//form[contains(@action, '/pasang/')]")
    assert "Nama iki sudah dipakai template lain" in message(checked)
    assert form.xpath(".//input[@name='nama']/@value") == ["iki-2"]
    assert text(form.xpath(".//button")[0]) == "Pasang sebagai template lokal iki-2"
    installed = client.post(form.get("action"), data={"nama": "iki-2"})
    assert installed.status_code == 200
    manifest = Path("templates") / "iki-2" / "template.yaml"
    assert yaml.safe_load(manifest.read_text(encoding="utf-8"))["name"] == "iki-2"
    assert templates_named("iki-2") and templates_named("iki")
    again = client.post("/template", files={"berkas": ("iki.zip", source.read_bytes())})
    assert page(again).xpath("//input[@name='nama']/@value") == ["iki-3"]


def templates_named(name: str) -> bool:
    from ikidoc import templates

    return any(t.manifest.name == name for t in templates.available(templates.local_roots()))


def test_a_name_taken_meanwhile_is_refused_at_install(client: TestClient) -> None:
    source = template_zip(REPO / "templates" / "iki", Path("iki.zip"))
    checked = client.post("/template", files={"berkas": ("iki.zip", source.read_bytes())})
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    refused = client.post(action, data={"nama": "iki"})
    assert refused.status_code == 400
    assert "sudah ada template dengan nama ini" in message(refused)
    assert not Path("templates").exists()


@pytest.mark.parametrize(("files", "said"), [
    ([("template.docx", b"x")], "dokumen Word ini bukan template yang diunduh dari halaman ini"),
    ([("IKI Baru.zip", b"not a zip")], "template IKI Baru.zip: tidak dapat dibaca sebagai .zip; "
     "unggah .docx template yang diunduh dari halaman Template"),
    ([("iki.zip", b"PK"), ("template.yaml", b"name: x")], "berkas .zip harus diunggah sendiri"),
    ([("template.docx", b"x"), ("template.yaml", b"name: x")], "template.yaml"),
    ([], "tidak memuat template.docx"),
])
def test_a_template_upload_that_is_not_a_template_is_explained(
        client: TestClient, uploads_root: Path, files: list[tuple[str, bytes]], said: str) -> None:
    sent = [("berkas", item) for item in files] or {"berkas": ("", b"")}
    response = client.post("/template", files=sent)
    assert response.status_code == 400 and said in message(response)
    assert upload_folders(uploads_root) == []


# Mulai

def test_the_start_page_gives_the_starter_workbook(client: TestClient) -> None:
    assert "Unduh lembar kerja (iki.xlsx)" in client.get("/mulai").text
    response = client.get("/mulai/unduh")
    assert response.headers["content-disposition"] == 'attachment; filename="iki.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [TABLE_SHEET, "dokumen", "Petunjuk"]
    notes = " ".join(str(row[0].value or "") for row in book["Petunjuk"].iter_rows())
    assert "Periksa berkas" in notes and "Buat dokumen" in notes
    assert "ikidoc import" not in notes and "ikidoc generate" not in notes


# The guard in front of every page

def test_a_request_for_another_host_name_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app(Path("output")), base_url="http://rebind.example:8000") as other:
        response = other.get("/")
    assert response.status_code == 400
    assert "Alamat ini tidak dikenal oleh ikidoc" in message(response)


@pytest.mark.parametrize(("headers", "status"), [
    ({"origin": "http://jahat.example"}, 403),
    ({"origin": "null"}, 403),
    ({"origin": "http://127.0.0.1:9999"}, 403),
    ({"referer": "http://jahat.example/form"}, 403),
    ({"origin": BASE}, 200),
    ({"referer": f"{BASE}/"}, 200),
    ({}, 200),
])
def test_a_post_from_another_origin_is_refused(client: TestClient, uploads_root: Path,
                                               headers: dict[str, str], status: int) -> None:
    response = upload(client, SAMPLE, **headers)
    assert response.status_code == status
    if status == 403:
        assert "Permintaan dari situs lain ditolak" in message(response)
        assert upload_folders(uploads_root) == []


def test_with_a_token_every_request_must_carry_it(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = create_app(Path("output"), token="rahasia-kantor", loopback_only=False)
    with TestClient(app, base_url="http://192.0.2.10:8000") as visitor:
        for url in ("/", "/static/ikidoc.css", "/arsip?token=salah"):
            response = visitor.get(url)
            assert response.status_code == 403 and "Token tidak ada atau salah" in message(response)
        entered = visitor.get("/arsip?token=rahasia-kantor&x=1", follow_redirects=False)
        assert entered.status_code == 303 and entered.headers["location"] == "/arsip?x=1"
        cookie = entered.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert visitor.get("/arsip").status_code == 200  # the cookie carries it now
    with TestClient(app, base_url="http://192.0.2.10:8000") as script:
        assert script.get("/mulai", headers={"x-ikidoc-token": "rahasia-kantor"}).status_code == 200


@pytest.mark.parametrize("url", ["/", "/static/ikidoc.css", "/arsip/x/r1", "/mulai/unduh"])
def test_every_answer_forbids_framing_and_loading_from_elsewhere(client: TestClient,
                                                                 url: str) -> None:
    headers = client.get(url).headers
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == ("default-src 'self'; frame-ancestors 'none'; "
                                                  "form-action 'self'")
    refused = client.post("/", headers={"origin": "http://jahat.example"})
    assert refused.headers["x-frame-options"] == "DENY"


# ikidoc serve

@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("192.168.1.5", False), ("kantor.local", False)])
def test_knows_which_addresses_only_this_computer_reaches(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_on_an_address_others_reach_requires_a_token() -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1
    assert result.stderr == ("error: cannot serve on 0.0.0.0: other computers could open the page "
                             "and write into the archive; add --token with a secret that every "
                             "visitor must give\n")


def test_serve_on_a_port_in_use_says_so() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot serve on 127.0.0.1:{port}: ")
    assert result.stderr.endswith("; choose another port with --port\n")


def test_serve_prints_the_address_and_serves_until_stopped(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ikidoc", "serve", "--port", "0", "-o", "arsip"]
    server = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        line = server.stdout.readline()
        match = re.fullmatch(r"Halaman IKI: (http://127\.0\.0\.1:\d+/)\n", line)
        assert match, line
        with urllib.request.urlopen(match.group(1) + "arsip", timeout=30) as response:
            assert "Arsip masih kosong" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert server.returncode == 0


# English words an officer must not meet on the page (words Indonesian does not share).
ENGLISH = re.compile(r"\b(the|is|not|has|row|sheet|column|file|error|problem|missing|cannot|"
                     r"expected|got|write|found|give|with|unknown|invalid|should)\b")


def english_words(response) -> list[str]:
    """English words in what the page shows (its main part, forms' visible labels included)."""
    [main] = page(response).xpath("//main")
    return ENGLISH.findall(text(main))


def year_in_words(path: Path, table: list[list[str]]) -> Path:
    """A workbook at ``path`` with the rows ``table`` under the sheet's header, whose sheet
    dokumen writes the year in words."""
    book = openpyxl.Workbook()
    book.active.title = TABLE_SHEET
    for line in [["Jabatan", "Sasaran", "Indikator", "Formulasi", "Sumber Data"], *table]:
        book.active.append(line)
    dokumen = book.create_sheet("dokumen")
    dokumen.append(["unit_kerja", "Bagian Uji"])
    dokumen.append(["tahun", "dua ribu dua puluh lima"])
    book.save(path)
    return path


def both_sheets_wrong(folder: Path) -> Path:
    """A workbook whose sheet dokumen writes the year in words and whose table has an
    indikator without its sasaran."""
    return year_in_words(folder / "IKI Bagian Uji.xlsx",
                         [["Analis", "", "Jumlah laporan", "Jumlah laporan", "Arsip"]])


def test_mistakes_in_both_sheets_of_a_workbook_are_shown_at_once_in_indonesian(
        client: TestClient, tmp_path: Path) -> None:
    response = upload(client, both_sheets_wrong(tmp_path))
    assert rows(response, "masalah") == [
        ["lembar 'IKI', baris 2, kolom B (Sasaran)", "-",
         "sasaran belum diisi untuk indikator 'Jumlah laporan'",
         "Isi sasarannya di baris ini, atau di baris di atasnya bila sasarannya sama."],
        ["lembar 'dokumen', baris 2, kolom B", "Tahun",
         "seharusnya tahun seperti 2025, tetapi berisi 'dua ribu dua puluh lima'",
         "Tulis tahunnya dengan angka, misalnya 2025."]]
    assert "2 masalah di IKI Bagian Uji.xlsx" in response.text
    assert response.text.count("IKI Bagian Uji.xlsx") == 1  # said once, not on every row
    assert english_words(response) == []


def test_an_upload_has_its_own_address_that_a_refresh_shows_again(client: TestClient) -> None:
    sent = client.post("/", files={"berkas": (SAMPLE.name, SAMPLE.read_bytes())},
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"{BASE}/periksa/")
    first, again = client.get(sent.headers["location"]), client.get(sent.headers["location"])
    assert first.status_code == again.status_code == 200
    assert rows(first, "jabatan") == rows(again, "jabatan") and len(rows(again, "jabatan")) == 12


def test_back_to_an_upload_generated_from_links_its_run_and_makes_it_with_another_template(
        client: TestClient) -> None:
    checked = upload(client, SAMPLE)
    done = generate_from(client, checked)
    back = client.get(str(checked.url), follow_redirects=False)
    assert back.status_code == 200  # the check page still, not forwarded to the run
    assert "Dokumen dari data ini sudah dibuat dengan template iki 1.1.0" in message(back)
    assert page(back).xpath("//div[contains(@class, 'kotak')]//a/@href") == [str(done.url)]
    other = generate_from(client, back, template="iki-target")  # no second upload
    assert "dengan template iki-target" in message(other)
    assert sorted(p.name for p in (Path("output") / UNIT).glob("r*")) == ["r1", "r2"]


def test_an_old_word_iki_naming_no_unit_asks_for_it_then_makes_the_documents(
        client: TestClient, tmp_path: Path) -> None:
    from test_import_docx import hand_made

    asked = upload(client, hand_made(tmp_path / "IKI lama.docx"))
    assert rows(asked, "masalah") == [[
        "-", "Unit kerja", "nama unit kerja (isian Unit kerja) belum diisi",
        "Tulis nama unit kerja pada isian di bawah tabel ini."]]
    [form] = page(asked).xpath("//form[contains(@action, '/isian')]")
    filled = {field.get("name"): field.get("value") for field in form.xpath(".//input")}
    assert filled["tempat"] == "Contoh" and filled["tanggal"] == "2 Januari 2025"
    assert filled["penandatangan_nama"] == "Drs. NAMA LENGKAP, M.Si" and filled["unit_kerja"] == ""
    assert all(form.xpath(f".//label[@for='{field.get('id')}']")
               for field in form.xpath(".//input"))
    assert english_words(asked) == []
    read = client.post(form.get("action"), data={**filled, "unit_kerja": "Bagian Uji"})
    assert "IKI lama.docx terbaca tanpa masalah: 1 jabatan, 4 indikator" in message(read)
    done = generate_from(client, read)
    assert "dokumen ditulis ke revisi baru" in message(done)
    [made] = Path("output").glob("bagian-uji*/r1/manifest.json")
    assert '"unit_kerja": "Bagian Uji"' in made.read_text(encoding="utf-8")


def test_a_template_asks_for_the_fields_it_requires_before_anything_is_made(
        client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    unsigned = yaml.safe_load(textwrap.dedent(MINIMAL))
    del unsigned["penandatangan"]
    data.write_text(yaml.safe_dump(unsigned, allow_unicode=True), encoding="utf-8")
    checked = upload(client, data)
    [option] = page(checked).xpath("//option[@value='keputusan-iki']")
    assert option.get("data-minta") == "ya"
    [action] = page(checked).xpath("//form[contains(@action, '/buat/')]/@action")
    # Choosing it in the list (the script sends the form as it is) asks for its fields.
    asked = client.post(action, data={"template": "keputusan-iki", "hanya_pilih": "ya",
                                      "tempat": "Kota Uji"})
    assert "?template=keputusan-iki" in str(asked.url) and not Path("output").exists()
    labels = page(asked).xpath("//form[@id='form-buat']//label[starts-with(@for, 'minta-')]/text()")
    assert labels == ["Menimbang", "Mengingat", "Nomor"]
    assert ("Template keputusan-iki memerlukan isian berikut, yang belum ada di data: Menimbang, "
            "Mengingat, Nomor, Jabatan penanda tangan, Nama penanda tangan.") in message(asked)
    assert page(asked).xpath("//input[@id='isian-tempat']/@value") == ["Kota Uji"]  # kept
    assert not page(asked).xpath("//*[@role='alert']")  # nothing is wrong yet
    assert english_words(asked) == []
    # "Buat dokumen" with only Menimbang: nothing is made, each empty field is told beside
    # it, Menimbang stays shown and filled, the PDF/A box stays as it was left (unticked).
    half = client.post(action, data={"template": "keputusan-iki",
                                     "tambahan_menimbang": "bahwa satu;"})
    assert "kurang=ya" in str(half.url) and not Path("output").exists()
    told = [text(alert) for alert in page(half).xpath("//p[@role='alert']")]
    assert told == ["Jabatan penanda tangan belum diisi.", "Nama penanda tangan belum diisi.",
                    "Mengingat belum diisi.", "Nomor belum diisi."]
    assert ("Dokumen belum dibuat: template keputusan-iki memerlukan isian yang masih kosong: "
            "Mengingat, Nomor, Jabatan penanda tangan, Nama penanda tangan.") in message(half)
    assert page(half).xpath("//textarea[@id='minta-tambahan_menimbang']/text()") == [
        "bahwa satu;"]
    assert page(half).xpath("//option[@selected]/@value") == ["keputusan-iki"]
    assert not page(half).xpath("//input[@name='pdf' and @checked]")
    started = client.post(action, follow_redirects=False, data={
        "template": "keputusan-iki", "tambahan_menimbang": "bahwa satu;\nbahwa dua;",
        "tambahan_mengingat": "Undang-Undang Nomor 5 Tahun 2014", "tambahan_nomor": "800/1/2025",
        "penandatangan_jabatan": "Kepala Bagian Uji", "penandatangan_nama": "Budi"})
    assert started.status_code == 303 and "/proses/" in started.headers["location"]
    job = started.headers["location"]
    while not client.get(f"{job}/status").json()["finished"]:
        time.sleep(0.05)
    [made] = Path("output").glob("*/r1/*.docx")
    body = "\n".join(p.text for p in docx.Document(str(made)).paragraphs)
    assert "bahwa dua" in body and "800/1/2025" in body and "Budi" in body


def test_the_running_banner_names_the_unit_and_whose_run_it_is(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ikidoc.web import jobs

    release, made = threading.Event(), jobs.generate

    def held(*given: Any, **named: Any) -> Any:  # the run goes on once the pages are seen
        release.wait(60)
        return made(*given, **named)

    monkeypatch.setattr(jobs, "generate", held)
    job = start_large_job(client, tmp_path)
    banners = page(client.get("/arsip")).xpath("//div[contains(@class, 'berjalan')]")
    other = TestClient(client.app, base_url=BASE)  # another browser: without this one's cookie
    elsewhere = page(other.get("/arsip")).xpath("//div[contains(@class, 'berjalan')]")
    release.set()
    [mine], [theirs] = banners, elsewhere
    said = text(mine)
    assert said.startswith("Dokumen Bagian Administrasi Perekonomian yang Anda mulai sedang "
                           "dibuat (template iki 1.1.0):")
    assert text(theirs).startswith("Dokumen Bagian Administrasi Perekonomian sedang dibuat dari "
                                   "browser lain (template iki 1.1.0):")
    assert ".." not in said and ": :" not in said
    assert mine.get("data-status") == f"{job}/status"  # the script follows it
    assert mine.get("data-selesai") == ("Dokumen Bagian Administrasi Perekonomian sudah selesai "
                                        "dibuat.")
    while not client.get(f"{job}/status").json()["finished"]:
        time.sleep(0.05)
    assert page(client.get(job)).xpath("//title/text()") == [
        "Selesai: dokumen Bagian Administrasi Perekonomian · ikidoc"]


def test_a_running_job_is_linked_from_every_page(client: TestClient, tmp_path: Path) -> None:
    job = start_large_job(client, tmp_path)
    for address in ("/", "/arsip", "/template", "/mulai"):
        links = page(client.get(address)).xpath("//div[contains(@class, 'berjalan')]//a/@href")
        if client.get(f"{job}/status").json()["finished"]:
            break
        assert links == [job]
    while not client.get(f"{job}/status").json()["finished"]:
        time.sleep(0.05)
    assert not page(client.get("/")).xpath("//div[contains(@class, 'berjalan')]")


@pytest.mark.parametrize(("content", "said"), [
    ("unit_kerja: X\njabatan: []\n", "jabatan: perlu paling sedikit satu butir"),
    ("unit_kerja: X\ntahun: 1800\njabatan: [{nama: A, sasaran: [{uraian: S, indikator: "
     "[{uraian: I, formulasi: F, sumber_data: L}]}]}]\n", "Tahun: paling kecil 1900"),
    ("unit_kerja: X\ntanggal: 31 Februari 2025\njabatan: []\n",
     "Tanggal penandatanganan: '31 Februari 2025' bukan tanggal yang ada di kalender"),
    ("- a\n- b\n", "tingkat teratas harus berupa pasangan kunci: nilai"),
    ("", "berkas ini kosong (0 bita): tidak ada lembar atau tabel berisi data"),
    ("\n", "berkas ini tidak berisi apa pun: tidak ada unit kerja dan tidak ada jabatan"),
    ("unit_kerja: X\nunit_kerja: Y\njabatan: []\n",
     "Unit kerja: kunci 'unit_kerja' ditulis dua kali"),
    ("unit_kerja: X\njabatan:\n  - nama: A\n sasaran: []\n",
     "YAML tidak sah: saat membaca pasangan kunci: nilai, indentasinya tidak rata"),
    ("unit_kerja: Bagian: Umum\n",
     "YAML tidak sah: ada tanda titik dua (:) di tempat yang tidak boleh"),
    ("unit_kerja: X\njabatan: [A, B\ntahun: 2025\n",
     "YAML tidak sah: saat membaca daftar dalam kurung siku, tanda koma atau kurung siku "
     "penutup ] tidak ditemukan"),
    ('unit_kerja: X\nkop: {logo: "C:\\Users\\logo.png"}\n',
     "YAML tidak sah: saat membaca teks bertanda kutip, ada garis miring terbalik"),
    ("unit_kerja: X\n\tjabatan: []\n", "YAML tidak sah: "),
])
def test_each_kind_of_data_problem_is_worded_in_indonesian(client: TestClient, tmp_path: Path,
                                                           content: str, said: str) -> None:
    data = tmp_path / "unit.yaml"
    data.write_text(content, encoding="utf-8")
    response = upload(client, data)
    shown = [f"{row[1]}: {row[2]}" if row[1] != "-" else row[2]
             for row in rows(response, "masalah")]
    assert any(line.startswith(said) for line in shown), shown
    assert english_words(response) == []
    with pytest.raises(DataError) as caught:
        load_file(data)
    english = str(caught.value)
    result = CliRunner().invoke(cli, ["validate", str(data), "--lang", "en"])
    assert result.stderr == f"error: {english}\n"
    indonesian = CliRunner().invoke(cli, ["validate", str(data), "--lang", "id"]).stderr
    assert indonesian.startswith("galat: ") and ENGLISH.findall(
        indonesian.replace(str(data), "")) == []


def test_progress_says_the_time_left_from_the_pace_so_far_and_the_pdf_step_apart(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ikidoc.web import jobs

    clock = [100.0]
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    job = jobs.Job("j", None, "iki 1.0.1", pdf=True, state="berjalan",  # type: ignore[arg-type]
                   pdf_pace=0.5)
    job.begin("Bagian Uji", "docx")
    job.progress("Bagian Uji", 2, 100)
    assert job.text == "2 dari 100 dokumen ditulis"  # too early to tell the pace
    clock[0] += 30
    job.progress("Bagian Uji", 10, 100)
    assert job.text == "10 dari 100 dokumen ditulis · sekitar 4 menit lagi"
    clock[0] += 270
    job.progress("Bagian Uji", 100, 100)
    job.begin("Bagian Uji", "pdf")
    clock[0] += 0.67
    # as long as it has really run, not a floor of 5; what is left reckoned from the pace
    # PDFs took on this computer (0.5 s each, and LibreOffice's start): an estimate
    assert job.text == ("100 dokumen Word ditulis. Membuat PDF/A dengan LibreOffice (1 detik "
                        "berjalan) · perkiraan sekitar 50 detik lagi...")
    clock[0] += 11.33
    assert "(12 detik berjalan) · perkiraan sekitar 39 detik lagi" in job.text
    clock[0] += 53
    assert job.text == ("100 dokumen Word ditulis. Membuat PDF/A dengan LibreOffice (1 menit "
                        "berjalan) · hampir selesai...")
    assert job.pdf_seconds_per_document() == pytest.approx((65 - 1.0) / 100)
    assert job.status()["step"] == "pdf"
    job.progress("Bagian Uji", 25, 100)  # PDFs counted, when generate tells them
    assert job.text == ("100 dokumen Word ditulis. Membuat PDF/A dengan LibreOffice (1 menit "
                        "berjalan): 25 dari 100 selesai · sekitar 3 menit lagi...")
    assert job.done == 100


def test_the_next_pdf_estimate_uses_the_pace_this_computer_took(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from ikidoc.web import jobs

    clock = [0.0]
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])

    def generate(data: Path, template: str, output: Path, **told: Any) -> list[Outcome]:
        told["steps"]("Bagian Uji", "docx")
        told["progress"]("Bagian Uji", 41, 41)
        told["steps"]("Bagian Uji", "pdf")
        clock[0] += 1.0 + 41 * 0.2  # LibreOffice's start, then 0.2 s a document
        return []

    monkeypatch.setattr(jobs, "generate", generate)
    queue = jobs.Jobs()
    upload = SimpleNamespace(data_file=tmp_path / "unit.yaml", source=None, name="unit.yaml")
    first = queue.start(upload, tmp_path, "iki 1.1.0", tmp_path, pdf=True)  # type: ignore[arg-type]
    queue.close()
    assert first.state == "selesai" and first.pdf_pace == jobs._PDF_PACE
    assert queue.pace == pytest.approx(0.2)


def test_the_data_downloads_back_as_the_workbook_the_page_reads(client: TestClient,
                                                                tmp_path: Path) -> None:
    from test_import_docx import hand_made

    asked = upload(client, hand_made(tmp_path / "IKI lama.docx"))
    [form] = page(asked).xpath("//form[contains(@action, '/isian')]")
    read = client.post(form.get("action"), data={"unit_kerja": "Bagian Uji"})
    [link] = page(read).xpath("//p[@class='catatan']/a[contains(@href, 'data.xlsx')]/@href")
    workbook = client.get(link)
    assert workbook.headers["content-disposition"] == 'attachment; filename="bagian-uji.xlsx"'
    (tmp_path / "kembali.xlsx").write_bytes(workbook.content)
    import_file(tmp_path / "kembali.xlsx", tmp_path / "kembali.yaml")
    again = load_file(tmp_path / "kembali.yaml").unit
    import_file(tmp_path / "IKI lama.docx", tmp_path / "asli.yaml",
                fields={"unit_kerja": "Bagian Uji"})
    assert again == load_file(tmp_path / "asli.yaml").unit  # the same unit, every field
    again_page = upload(client, tmp_path / "kembali.xlsx")
    assert "kembali.xlsx terbaca tanpa masalah: 1 jabatan, 4 indikator" in message(again_page)


def test_the_archive_is_searched_by_every_word_in_any_order_showing_the_positions_found(
        client: TestClient, sample_copy: Path, tmp_path: Path) -> None:
    generate([sample_copy], None, Path("output"))
    other = tmp_path / "lain.yaml"
    other.write_text(textwrap.dedent(MINIMAL).replace("Bagian Uji", "UPTD Puskesmas Kecamatan "
                                                      "Sungai Raya Dalam Pontianak"),
                     encoding="utf-8")
    generate([other], None, Path("output"))

    def units(said: str) -> list[str]:
        shown = page(client.get("/arsip", params={"cari": said}))
        return [text(h2) for h2 in shown.xpath("//section[@class='kartu']/h2")]

    def positions(said: str) -> list[str]:
        shown = page(client.get("/arsip", params={"cari": said}))
        return [text(line) for line in shown.xpath("//p[@class='cocok']")]

    assert len(units("")) == 2
    assert units("perekonomian") == ["Bagian Administrasi Perekonomian (2025)"]
    puskesmas = ["UPTD Puskesmas Kecamatan Sungai Raya Dalam Pontianak (2025)"]
    assert units("puskesmas sungai raya") == puskesmas
    assert units("RAYA puskesmas 2025") == puskesmas  # any order, any case
    assert units("sungai râya") == puskesmas  # accents ignored
    assert units("puskesmas perekonomian") == []  # every word, in one unit
    assert units("analis") == puskesmas
    assert positions("analis") == ["Jabatan yang cocok dengan pencarian (1): Analis."]
    assert positions("puskesmas") == []  # the unit's own name: no position is singled out
    assert units("2025 bendahara") == ["Bagian Administrasi Perekonomian (2025)"]
    assert positions("pengelola data") == [  # a position holding every word, not each
        "Jabatan yang cocok dengan pencarian (1): Pengelola Data."]  # Pengelola of them
    assert positions("kepala perdagangan") == [
        "Jabatan yang cocok dengan pencarian (1): Kepala Sub Bagian Perindustrian dan "
        "Perdagangan."]
    assert positions("sub ba") == [  # a word's beginning, never its middle ("Pengemudi")
        "Jabatan yang cocok dengan pencarian (3): Kepala Sub Bagian Koperasi dan Usaha Mikro, "
        "Kepala Sub Bagian Perindustrian dan Perdagangan, Kepala Sub Bagian Sarana "
        "Perekonomian dan BUMD."]
    assert units("mudi") == []
    assert units("2024") == []
    none = client.get("/arsip", params={"cari": "2024"})
    assert "Tidak ada unit yang cocok dengan \"2024\"" in message(none)
    assert "masih kosong" not in none.text


@pytest.fixture
def verified(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The revisions the page verifies (hashes), in order, once the sample is generated."""
    from ikidoc import audit

    generate([sample_copy], None, Path("output"))
    found: list[Path] = []
    checks = audit.checks
    monkeypatch.setattr(audit, "checks", lambda path, **kw: found.append(path) or checks(path))
    return found


def test_the_archive_verifies_a_revision_again_only_when_its_files_moved(
        client: TestClient, verified: list[Path]) -> None:
    client.get("/arsip")
    client.get("/arsip")
    assert len(verified) == 1  # the second visit re-hashed nothing
    bendahara = Path("output") / UNIT / "r1" / "02-bendahara.docx"
    bendahara.write_bytes(bendahara.read_bytes() + b"x")
    assert "diubah setelah dibuat" in text(page(client.get("/arsip")))
    assert len(verified) == 2
    client.get("/arsip", params={"periksa": "ulang"})
    assert len(verified) == 3


def test_a_new_revision_is_verified_alone_its_older_ones_not_again(
        client: TestClient, sample_copy: Path, verified: list[Path]) -> None:
    client.get("/arsip")
    assert [path.name for path in verified] == ["r1"]
    sample_copy.write_text(sample_copy.read_text(encoding="utf-8").replace(
        "tempat: Contoh", "tempat: Kota Uji"), encoding="utf-8")
    generate([sample_copy], None, Path("output"))
    client.get("/arsip")
    assert [path.name for path in verified] == ["r1", "r2"]  # r1 is as it was: not again


def with_kop(folder: Path) -> Path:
    """The sample with a letterhead (no logo)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["kop"] = {"baris": ["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH"]}
    path = folder / SAMPLE.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_templates_switches_are_tick_boxes_in_the_pages_words(client: TestClient,
                                                                 tmp_path: Path) -> None:
    checked = upload(client, with_kop(tmp_path))
    [kop] = page(checked).xpath("//fieldset[@data-template='iki']//input[@value='iki:kop']")
    assert kop.get("checked") is not None  # the template's default
    label = text(kop.getparent())
    assert label == "Cetak kop surat (dari data) di atas judul"
    assert english_words(checked) == []
    [action] = page(checked).xpath("//form[contains(@action, '/buat/')]/@action")
    started = client.post(action, data={"template": "iki"}, follow_redirects=False)
    job = started.headers["location"]
    while not client.get(f"{job}/status").json()["finished"]:
        time.sleep(0.05)
    [manifest] = Path("output").glob(f"{UNIT}/r1/manifest.json")
    assert '"pilihan": {\n      "kop": false\n    }' in manifest.read_text(encoding="utf-8")


def test_a_yaml_complaint_without_indonesian_words_is_quoted_after_an_indonesian_sentence(
        client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    data.write_text("unit_kerja: !!binary x\n", encoding="utf-8")
    [[_, _, problem, _]] = rows(upload(client, data), "masalah")
    sentence, quoted = problem.split(' (keterangan teknis dari pembaca YAML: "')
    assert sentence == "YAML tidak sah: penulisannya tidak dapat dibaca di sini"
    assert quoted.startswith("failed to decode base64 data") and quoted.endswith('")')
    assert ENGLISH.findall(sentence) == []
    english = CliRunner().invoke(cli, ["validate", str(data), "--lang", "en"]).stderr
    assert "invalid YAML: failed to decode base64 data" in english


def test_a_fault_inside_ikidoc_is_said_in_indonesian_with_its_technical_detail_quoted(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index out of range")

    monkeypatch.setattr("ikidoc.web.jobs.generate", broken)
    done = generate_from(client, upload(client, SAMPLE))
    said = text(page(done).xpath("//pre[@class='pesan']")[0])
    assert said == ('Terjadi kesalahan di dalam ikidoc (bukan pada data Anda); keterangan '
                    'teknis: "RuntimeError: index out of range"')
    assert not Path("output").exists()


def test_the_kop_box_of_data_without_a_kop_says_so_and_the_run_is_the_commands(
        client: TestClient, tmp_path: Path) -> None:
    """Data without a letterhead: no tick that would print nothing, but the words saying
    why; the run made from the page is the one ``ikidoc generate`` makes."""
    checked = upload(client, SAMPLE)
    [box] = page(checked).xpath("//fieldset[@data-template='iki']//input[@type='checkbox']"
                                "[../text()[contains(., 'kop surat')]]")
    assert box.get("disabled") is not None and box.get("name") is None
    assert text(box.getparent()) == ("Cetak kop surat (dari data) di atas judul "
                                     "(data ini tidak memuat kop surat)")
    outcome = generate_from(client, checked)
    assert outcome.status_code == 200
    [manifest] = Path("output").glob(f"{UNIT}/r1/manifest.json")
    assert "pilihan" not in json.loads(manifest.read_text(encoding="utf-8"))["inputs"]

"""What an officer reads after making documents or installing a template: the unit, the
revision and the files to download, never a folder of the file system or manifest.json
(those only behind "Keterangan teknis"); a template installed as a copy says so."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, SAMPLE
from starlette.testclient import TestClient
from test_web import (
    UNIT,
    client,
    generate_from,
    page,
    rename_template,
    rows,
    template_zip,
    text,
    upload,
    uploads_root,
)

from ikidoc.generate import generate

__all__ = ["client", "uploads_root"]  # the fixtures, used by name


def plainly(response) -> str:  # type: ignore[no-untyped-def]
    """The words of the page's main part, its technical details left out."""
    [main] = page(response).xpath("//main")
    for hidden in main.xpath(".//details[contains(@class, 'teknis')]"):
        hidden.drop_tree()
    return text(main)


def technical(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(text(details) for details in
                    page(response).xpath("//main//details[contains(@class, 'teknis')]"))


def machine_words(words: str) -> list[str]:
    return [said for said in ("manifest.json", "output/", UNIT + "/", "/tmp", "templates/")
            if said in words]


def test_the_run_the_revision_and_the_archive_name_the_unit_and_revision_not_folders(
        client: TestClient, sample_copy: Path) -> None:
    done = generate_from(client, upload(client, SAMPLE))
    assert machine_words(plainly(done)) == []
    assert "revisi baru r1 di Arsip" in plainly(done)
    assert f"output/{UNIT}/r1" not in done.text and "manifest.json" not in done.text
    revision = client.get(f"/arsip/{UNIT}/r1")
    assert machine_words(plainly(revision)) == []
    assert "13 berkas, dengan catatan revisinya" in plainly(revision)
    arsip = client.get("/arsip")
    assert machine_words(plainly(arsip)) == []
    assert "Bagian Administrasi Perekonomian (2025)" in plainly(arsip)


def test_a_revision_whose_record_cannot_be_read_is_said_plainly(
        client: TestClient, sample_copy: Path) -> None:
    generate([sample_copy], None, Path("output"))
    (Path("output") / UNIT / "r1" / "manifest.json").write_text("{", encoding="utf-8")
    arsip = client.get("/arsip")
    [cells] = rows(arsip, "arsip")
    assert "Catatan revisi ini tidak dapat dibaca" in cells[1]
    [note] = page(arsip).xpath("//td[@data-label='Catatan']")
    for hidden in note.xpath(".//details[contains(@class, 'teknis')]"):
        hidden.drop_tree()
    assert machine_words(text(note)) == []  # (the verification's own finding names the file)
    assert "Catatan revisi: bukan JSON yang sah" in technical(arsip)


def test_a_template_installed_under_the_next_name_says_what_it_is_a_copy_of(
        client: TestClient) -> None:
    source = template_zip(REPO / "templates" / "iki", Path("iki.zip"))
    checked = client.post("/template", files={"berkas": ("iki.zip", source.read_bytes())})
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    installed = client.post(action, data={"nama": "iki-2"})
    assert "Template iki-2 1.1.0 (salinan dari iki 1.1.0) dipasang sebagai template lokal" in (
        plainly(installed))
    assert machine_words(plainly(installed)) == []
    listed = {text(row.xpath("td")[0].xpath("strong")[0]): text(row.xpath("td")[0])
              for row in page(client.get("/template")).xpath("//table[contains(@class, "
                                                              "'template')]/tbody/tr")}
    assert listed["iki-2"].endswith("Salinan dari iki 1.1.0, dipasang dari halaman ini")
    assert "Salinan" not in listed["iki"]
    # downloaded and uploaded again alone, the copy of the copy names the copy
    again = client.get("/template/iki-2/unduh.docx").content
    checked = client.post("/template", files={"berkas": ("iki-2.docx", again)})
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    assert "(salinan dari iki-2 1.1.0)" in plainly(client.post(action, data={"nama": "iki-3"}))


def test_a_template_installed_under_its_own_name_is_no_copy(client: TestClient,
                                                            tmp_path: Path) -> None:
    folder = rename_template(Path(shutil.copytree(REPO / "templates" / "iki", tmp_path / "k")),
                             "iki-2026")
    parts = [("berkas", (name, (folder / name).read_bytes()))
             for name in ("template.docx", "template.yaml")]
    checked = client.post("/template", files=parts)
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    installed = client.post(action)
    assert "Template iki-2026 1.1.0 dipasang sebagai template lokal" in plainly(installed)
    assert "salinan" not in plainly(installed).casefold()

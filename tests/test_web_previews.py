"""Pictures of pages on the local page: each position of an upload before anything is
generated, a thumbnail of each revision in the Arsip, and why there are none without
LibreOffice (in Indonesian)."""
from __future__ import annotations

import io
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import yaml
from conftest import REPO, SAMPLE, edit_template
from PIL import Image
from starlette.testclient import TestClient
from test_preview import F4, ink
from test_web import client, page, rename_template, template_zip, text, upload, uploads_root  # noqa: F401  (fixtures)

from ikidoc import audit, diff, preview
from ikidoc.generate import generate
from ikidoc.web import previews
from ikidoc.web.previews import NO_LIBREOFFICE


def picture(response) -> Image.Image:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_each_uploaded_position_shows_its_page_before_anything_is_generated(
        soffice: None, client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    checked = upload(client, SAMPLE)
    sources = page(checked).xpath("//details[@class='pratinjau']/img/@src")
    assert len(sources) == 12
    bendahara = picture(client.get(sources[1]))
    assert bendahara.height / bendahara.width == pytest.approx(F4, rel=0.01)
    assert ink(bendahara) > 0.005
    assert client.get(sources[1]).content == client.get(sources[1]).content  # kept, not redrawn
    assert not (tmp_path / "output").exists()
    # the upload is still there to generate from
    assert page(checked).xpath("//form[contains(@action, '/buat/')]")
    assert client.get(sources[0]).status_code == 200


def test_each_revision_in_the_arsip_shows_a_thumbnail(
        soffice: None, client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    generate([SAMPLE], None, tmp_path / "output")
    arsip = client.get("/arsip")
    [source] = page(arsip).xpath("//img[@class='gambar-kecil']/@src")
    thumbnail = picture(client.get(source))
    assert thumbnail.width < 250
    assert thumbnail.height / thumbnail.width == pytest.approx(F4, rel=0.02)


def test_a_revision_whose_first_document_links_out_of_it_draws_no_thumbnail(
        soffice: None, client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    [outcome] = generate([SAMPLE], None, tmp_path / "output")
    first = outcome.folder / outcome.documents[0].file
    elsewhere = tmp_path / "elsewhere.docx"
    first.rename(elsewhere)
    first.symlink_to(elsewhere)
    response = client.get(f"/arsip/{outcome.folder.parent.name}/r1/gambar.png")
    assert response.status_code == 404
    assert "Dokumen pertama revisi ini tidak ada di mapnya." in response.text


def test_without_libreoffice_the_page_says_why_it_shows_no_pictures(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    generate([SAMPLE], None, tmp_path / "output")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    checked = upload(client, SAMPLE)
    assert checked.status_code == 200
    assert NO_LIBREOFFICE in checked.text
    assert not page(checked).xpath("//img")
    arsip = client.get("/arsip")
    assert NO_LIBREOFFICE in arsip.text
    assert not page(arsip).xpath("//img")
    response = client.get("/arsip/bagian-administrasi-perekonomian-2025/r1/gambar.png")
    assert response.status_code == 503
    assert response.text == NO_LIBREOFFICE


def two_revisions(tmp_path: Path, changed: Iterable[int]) -> dict[str, Any]:
    """The sample generated into tmp_path/output, then again with the first sasaran of
    the positions ``changed`` (counted from 0) ending in " Daerah": r1 and r2. Returns
    the data of r2."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    generate([path], None, tmp_path / "output")
    for index in changed:
        data["jabatan"][index]["sasaran"][0]["uraian"] += " Daerah"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    generate([path], None, tmp_path / "output")
    return data


def test_revision_page_shows_what_changed_on_the_pages_since_the_one_before(
        soffice: None, client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    two_revisions(tmp_path, [1])
    revision = client.get("/arsip/bagian-administrasi-perekonomian-2025/r2")
    [link] = page(revision).xpath("//a[contains(., 'Lihat halaman yang berubah dibanding r1')]"
                                  "/@href")
    compared = client.get(link)
    assert compared.status_code == 200
    [changed] = page(compared).xpath("//section[contains(@class, 'beda')]")
    assert text(changed.xpath("h2")[0]) == "Bendahara"
    assert [[text(td) for td in tr.xpath("td")] for tr in changed.xpath(".//tbody/tr")] == [
        ["Tertib Administrasi Keuangan", "Tertib Administrasi Keuangan Daerah"]]
    [source] = changed.xpath(".//img/@src")
    side_by_side = picture(client.get(source))
    assert side_by_side.width > 2 * side_by_side.height * 215 / 330
    [unchanged] = page(compared).xpath("//section[h2='Tidak berubah']/p")
    assert text(unchanged).startswith("Halaman jabatan ini sama dengan revisi r1: ")
    assert "Pengemudi" in text(unchanged) and "Bendahara" not in text(unchanged)


def test_a_template_just_uploaded_shows_its_pages_with_the_sample_before_pasang(
        soffice: None, client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    copy = tmp_path / "iki-baru"
    shutil.copytree(REPO / "templates" / "iki", copy)
    edit_template(copy, "{{ jabatan.nama }}", "{{ jabatan.nama }} (BARU)")
    source = template_zip(rename_template(copy, "iki-baru"), tmp_path / "iki-baru.zip")
    checked = client.post("/template", files={"berkas": (source.name, source.read_bytes())})
    assert checked.status_code == 200, checked.text
    sources = page(checked).xpath("//details[@class='pratinjau']/img/@src")
    assert len(sources) == 12
    uploaded = picture(client.get(sources[1]))
    bundled = picture(client.get(page(upload(client, SAMPLE)).xpath(
        "//details[@class='pratinjau']/img/@src")[1]))
    assert uploaded.height / uploaded.width == pytest.approx(F4, rel=0.01)
    [changed] = diff.regions(bundled.convert("RGB"), uploaded.convert("RGB"))
    assert changed.box[3] < uploaded.height / 4  # the Jabatan line near the top, nothing else
    assert not (tmp_path / "templates").exists()  # shown, not installed


def test_the_pictures_of_an_upload_follow_the_template_chosen_in_the_list(
        soffice: None, client: TestClient) -> None:  # noqa: F811
    checked = upload(client, SAMPLE)
    [iki] = page(checked).xpath("//details[@class='pratinjau']/img/@src")[1:2]
    assert iki.endswith("?template=iki&sakelar=iki%3Akop")  # its switch on by default
    chosen = client.get(str(checked.url), params={"template": "iki-target"})
    [target] = page(chosen).xpath("//details[@class='pratinjau']/img/@src")[1:2]
    assert target.endswith("?template=iki-target&sakelar=iki-target%3Akop")
    assert "template iki-target" in text(page(chosen).xpath("//div[@class='pratinjau']/p")[0])
    first, second = picture(client.get(iki)), picture(client.get(target))
    assert diff.regions(first.convert("RGB"), second.convert("RGB"))  # another table
    unknown = client.get(iki.replace("?template=iki&", "?template=../../etc&"))
    assert unknown.status_code == 404


def test_the_pictures_of_an_upload_follow_the_switches_ticked(
        soffice: None, client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    checked = upload(client, SAMPLE)
    [form] = page(checked).xpath("//form[contains(@action, '/buat/')]")
    by_default = client.get(str(checked.url), params={"template": "iki-nomor"})
    [plain] = page(by_default).xpath("//details[@class='pratinjau']/img/@src")[1:2]
    assert plain.endswith("?template=iki-nomor&sakelar=iki-nomor%3Akop")  # baris_nomor is off
    ticked = client.post(form.get("action"), data={
        "template": "iki-nomor", "hanya_pilih": "ya",
        "sakelar": ["iki-nomor:kop", "iki-nomor:baris_nomor"]})
    assert ticked.status_code == 200
    assert page(ticked).xpath("//input[@value='iki-nomor:baris_nomor']/@checked")
    [numbered] = page(ticked).xpath("//details[@class='pratinjau']/img/@src")[1:2]
    assert "sakelar=iki-nomor%3Abaris_nomor" in numbered
    without, with_row = picture(client.get(plain)), picture(client.get(numbered))
    changed = diff.regions(without.convert("RGB"), with_row.convert("RGB"))
    # the numbering row (1) (2) ... comes under the table's header, in the page's top half
    assert changed and changed[0].box[1] < with_row.height / 2
    # the picture is the page ``generate`` makes with that switch
    [outcome] = generate([SAMPLE], "iki-nomor", tmp_path / "made", settings={"baris_nomor": True})
    made = drawn_page(outcome.folder / outcome.documents[1].file)
    assert not diff.regions(made, with_row.convert("RGB"))
    assert not (tmp_path / "output").exists()


def drawn_page(docx: Path) -> Image.Image:
    """The first page of a .docx as the page draws it."""
    [pages] = preview.draw([(docx.name, None, docx.read_bytes())])
    return pages.pages[0]


class CountingConverter:
    """A stand-in for the LibreOffice the page keeps: it counts the documents it is given
    and makes a blank F4 page of each, as fast as a test wants."""

    def __init__(self) -> None:
        self.converted: list[str] = []

    def convert(self, files: list[Path]) -> list[bytes]:
        self.converted += [path.name for path in files]
        return [blank_pdf() for _ in files]


def blank_pdf() -> bytes:
    document = pypdfium2.PdfDocument.new()
    document.new_page(215 / 25.4 * 72, 330 / 25.4 * 72)
    made = io.BytesIO()
    document.save(made)
    return made.getvalue()


def test_comparing_revisions_lists_every_changed_position_at_once_and_draws_one_when_asked(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Finding 7: a revision with every position changed showed a blank spinner until
    every position was converted. The list and the changed lines come from the texts;
    a position's pages are converted only when its picture is asked for, and once."""
    data = two_revisions(tmp_path, range(12))
    office = CountingConverter()
    monkeypatch.setattr(previews.office, "shared", lambda: office)
    monkeypatch.setattr(previews.pdf, "soffice", lambda: "soffice")
    compared = client.get("/arsip/bagian-administrasi-perekonomian-2025/r2/beda")
    assert compared.status_code == 200
    assert office.converted == []
    sections = page(compared).xpath("//section[contains(@class, 'beda')]")
    assert [text(section.xpath("h2")[0]) for section in sections] == audit.distinct_names(
        [position["nama"] for position in data["jabatan"]])  # "Pengelola ... [2]"
    assert all(text(section.xpath(".//tbody/tr/td")[1]).endswith(" Daerah")
               for section in sections)
    assert text(page(compared).xpath("//section/h2")[0]) == f"{len(sections)} jabatan berubah"
    sources = [section.xpath(".//img/@src")[0] for section in sections]
    fifth = picture(client.get(sources[4]))
    fifth_file = f"{Path(sources[4]).stem}.docx"
    assert office.converted == [f"0-{fifth_file}", f"1-{fifth_file}"]  # old and new, once
    assert fifth.width > fifth.height  # the old page beside the new one
    client.get(sources[4])
    assert len(office.converted) == 2  # kept, not drawn again


def test_the_changed_lines_show_without_libreoffice_and_say_why_there_are_no_pictures(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    two_revisions(tmp_path, [1])
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    compared = client.get("/arsip/bagian-administrasi-perekonomian-2025/r2/beda")
    assert compared.status_code == 200
    [changed] = page(compared).xpath("//section[contains(@class, 'beda')]")
    assert [[text(td) for td in tr.xpath("td")] for tr in changed.xpath(".//tbody/tr")] == [
        ["Tertib Administrasi Keuangan", "Tertib Administrasi Keuangan Daerah"]]
    assert NO_LIBREOFFICE in compared.text and not changed.xpath(".//img")
    assert client.get("/arsip/bagian-administrasi-perekonomian-2025/r2/beda/"
                      "02-bendahara.png").status_code == 503

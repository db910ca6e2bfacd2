"""Pictures of pages on the local page: each position of an upload before anything is
generated, a thumbnail of each revision in the Arsip, and why there are none without
LibreOffice (in Indonesian)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SAMPLE
from PIL import Image
from starlette.testclient import TestClient
from test_preview import F4, ink, soffice  # noqa: F401  (soffice: the fixture)
from test_web import client, page, upload, uploads_root  # noqa: F401  (fixtures)

from ikidoc.generate import generate
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

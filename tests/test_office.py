"""The LibreOffice kept running for the page's pictures (ikidoc.office): one LibreOffice
for many pictures, started again when it died, a hung conversion bounded, a LibreOffice
start per picture where no Python has LibreOffice's uno module, nothing left after stop.

These run LibreOffice through the worker: they skip where python3-uno is absent, and fail
instead when IKIDOC_REQUIRE_SOFFICE=1 (as in .ci/run).
"""
from __future__ import annotations

import io
import logging
import os
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE, require
from PIL import Image
from starlette.testclient import TestClient
from test_preview import F4, ink
from test_web import client, page, upload, uploads_root  # noqa: F401  (fixtures)
from test_web_server import serving

from ikidoc import office, preview
from ikidoc.generate import generate

PDFA_CLAIM = b"<pdfaid:part>2</pdfaid:part>"  # what a LibreOffice start per call makes


@pytest.fixture(scope="module")
def uno(soffice: None) -> str:
    found = office.uno_python()
    require("IKIDOC_REQUIRE_SOFFICE", "" if found else
            "no Python with LibreOffice's uno module (apt-get install python3-uno)")
    assert found is not None
    return found


@pytest.fixture
def kept(uno: str) -> Iterator[office.Office]:
    made = office.Office()
    yield made
    made.stop()


@pytest.fixture(scope="module")
def positions() -> list[tuple[str, str | None, bytes]]:
    """The sample's first two positions' documents (Kepala Sub Bagian, Bendahara)."""
    return preview.unit_documents([SAMPLE])[:2]


def first_page(pictures: list[preview.PositionPages]) -> Image.Image:
    [position] = pictures
    return position.pages[0]


def assert_a_page(page: Image.Image) -> None:
    assert page.height / page.width == pytest.approx(F4, rel=0.01)
    assert ink(page) > 0.005


def processes_naming(folder: Path) -> list[int]:
    """The processes whose command line names ``folder`` (LibreOffice is started with its
    profile there)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return found


def pipes_of(folder: Path) -> list[Path]:
    """The sockets of the named pipes LibreOffice listened on for the worker of
    ``folder`` (LibreOffice removes its own when it ends, but not when killed)."""
    return list(Path("/tmp").glob(f"OSL_PIPE_*_ikidoc-*-{folder.name}"))


def test_two_previews_through_one_worker_share_one_libreoffice(
        kept: office.Office, positions: list[tuple[str, str | None, bytes]]) -> None:
    first = first_page(preview.draw(positions[:1], converter=kept.convert))
    started = kept.soffice_pid
    second = first_page(preview.draw(positions[1:2], converter=kept.convert))
    assert started is not None
    assert kept.soffice_pid == started
    assert_a_page(first)
    assert_a_page(second)
    assert first.tobytes() != second.tobytes()  # each its own position


def test_a_killed_worker_is_started_again_on_the_next_request(
        kept: office.Office, positions: list[tuple[str, str | None, bytes]]) -> None:
    preview.draw(positions[:1], converter=kept.convert)
    worker, old_folder = kept.worker_pid, kept.folder
    assert worker is not None and old_folder is not None
    os.kill(worker, signal.SIGKILL)
    page = first_page(preview.draw(positions[1:2], converter=kept.convert))
    assert_a_page(page)
    assert kept.worker_pid not in (None, worker)
    assert kept.folder != old_folder
    assert not old_folder.exists()
    assert processes_naming(old_folder) == []  # the killed worker's LibreOffice went with it
    assert pipes_of(old_folder) == []


def test_a_worker_that_dies_just_before_a_request_is_started_again_for_it(
        kept: office.Office, positions: list[tuple[str, str | None, bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker is killed after it was last seen alive and before the request is written:
    the request meets a broken pipe, and a new worker converts it (not a LibreOffice
    start per picture)."""
    preview.draw(positions[:1], converter=kept.convert)
    dying = kept._worker
    assert dying is not None
    os.kill(dying.process.pid, signal.SIGKILL)
    while Path(f"/proc/{dying.process.pid}/stat").read_text().split(")")[-1].split()[0] != "Z":
        time.sleep(0.01)  # dead (a zombie not yet reaped), while ``alive`` would say so
    monkeypatch.setattr(dying, "alive", lambda: True)
    page = first_page(preview.draw(positions[1:2], converter=kept.convert))
    assert_a_page(page)
    assert kept.worker_pid not in (None, dying.process.pid)


def test_a_hung_conversion_is_bounded_and_the_picture_made_by_a_libreoffice_start(
        uno: str, positions: list[tuple[str, str | None, bytes]], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    first, second = (tmp_path / "1.docx", tmp_path / "2.docx")
    first.write_bytes(positions[0][2])
    second.write_bytes(positions[1][2])
    kept = office.Office(seconds_per_document=2)
    try:
        kept.convert([first])  # started, and answering
        folder = kept.folder
        assert folder is not None
        frozen = [pid for pid in processes_naming(folder) if pid != kept.worker_pid]
        assert kept.soffice_pid in frozen
        for pid in frozen:  # LibreOffice stops answering, as a hung one does
            os.kill(pid, signal.SIGSTOP)
        with caplog.at_level(logging.WARNING, logger="ikidoc.office"):
            [made] = kept.convert([second])
        assert PDFA_CLAIM in made  # made by a LibreOffice started for it
        assert_a_page(preview.pages(made)[0])
        assert "gave no answer within 2 seconds" in caplog.text
        assert processes_naming(folder) == []  # the hung one was killed
        assert pipes_of(folder) == []
        assert kept.soffice_pid is None
    finally:
        kept.stop()


def test_without_a_python_that_has_uno_each_picture_starts_libreoffice(
        soffice: None, positions: list[tuple[str, str | None, bytes]],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(office, "uno_python", lambda: None)
    kept = office.Office()
    try:
        with caplog.at_level(logging.WARNING, logger="ikidoc.office"):
            first = first_page(preview.draw(positions[:1], converter=kept.convert))
            second = first_page(preview.draw(positions[1:2], converter=kept.convert))
        assert_a_page(first)
        assert_a_page(second)
        assert kept.soffice_pid is None
        [said] = caplog.messages  # once, not at every picture
        assert "no Python here can import LibreOffice's uno module" in said
    finally:
        kept.stop()


def test_after_stop_no_libreoffice_of_the_worker_remains_nor_its_profile(
        kept: office.Office, positions: list[tuple[str, str | None, bytes]]) -> None:
    preview.draw(positions[:1], converter=kept.convert)
    folder = kept.folder
    assert folder is not None and (folder / "profile").is_dir()
    assert processes_naming(folder)
    kept.stop()
    assert processes_naming(folder) == []
    assert pipes_of(folder) == []
    assert not folder.exists()
    assert kept.soffice_pid is None
    assert_a_page(first_page(preview.draw(positions[1:2], converter=kept.convert)))  # again


def test_the_pages_pictures_come_from_the_libreoffice_it_keeps(
        uno: str, client: TestClient) -> None:  # noqa: F811
    sources = page(upload(client, SAMPLE)).xpath("//details[@class='pratinjau']/img/@src")
    first = picture(client.get(sources[0]))
    kept = office.shared().soffice_pid
    second = picture(client.get(sources[1]))
    assert kept is not None
    assert office.shared().soffice_pid == kept
    assert_a_page(first)
    assert_a_page(second)


def picture(response) -> Image.Image:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return Image.open(io.BytesIO(response.content)).convert("RGB")


def test_stopping_the_page_ends_the_libreoffice_it_kept_and_removes_its_profile(
        uno: str, tmp_path: Path) -> None:
    generate([SAMPLE], None, tmp_path / "arsip")
    with serving(tmp_path) as (server, address):
        thumbnail = "arsip/bagian-administrasi-perekonomian-2025/r1/gambar.png"
        with urllib.request.urlopen(address + thumbnail, timeout=60) as response:
            assert_a_page(Image.open(io.BytesIO(response.read())).convert("RGB"))
        [folder] = (tmp_path / "tmp").glob("ikidoc-pdf-*")
        assert processes_naming(folder)  # kept running after the picture
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=30)
    assert server.returncode == 0, errors
    assert processes_naming(folder) == []
    assert not folder.exists()

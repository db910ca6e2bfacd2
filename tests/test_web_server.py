"""`ikidoc serve` as a real process: a hostile template upload never blocks the page, Ctrl+C
and SIGTERM always stop it and remove its temporary files, it answers at the address it
prints, and a browser leaving mid-upload leaves no traceback in the officer's console."""
from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO, edit_template

BOUNDARY = "ikidoc-test-boundary"


@contextmanager
def serving(tmp_path: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A server started as an officer starts it, its temporary folder under tmp_path/tmp;
    yields the process and the address it printed. Killed if a test leaves it running."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "ikidoc", "serve", "--port", "0", "-o", "arsip", *options]
    server = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temporary)})
    try:
        address = ""
        while not address:
            line = server.stdout.readline()
            assert line, server.stderr.read()
            match = re.fullmatch(r"Halaman IKI: (\S+)\n", line)
            address = match.group(1) if match else ""
        yield server, address
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def multipart(files: list[tuple[str, bytes]]) -> bytes:
    body = b""
    for name, data in files:
        body += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"berkas\"; "
                 f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                 ).encode() + data + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def upload_template(address: str, folder: Path, timeout: float) -> tuple[int, str]:
    body = multipart([(name, (folder / name).read_bytes())
                      for name in ("template.docx", "template.yaml")])
    request = urllib.request.Request(address + "template", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def stopped_midway(address: str, folder: Path) -> None:
    """An upload of a template whose check the server's stop ends: the browser, sent on
    to the check's result, finds the server gone."""
    with contextlib.suppress(urllib.error.URLError, ConnectionError):
        upload_template(address, folder, timeout=60)


def get(address: str, path: str = "arsip") -> str:
    with urllib.request.urlopen(address + path, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_hostile_template_never_blocks_the_page_and_stopping_removes_the_uploads(
        tmp_path: Path, iki_copy: Path, stop: signal.Signals) -> None:
    with serving(tmp_path) as (server, address):
        edit_template(iki_copy, "{{ jabatan.nama }}", "{{ 3**(10**9) }}")
        status, page = upload_template(address, iki_copy, timeout=60)
        assert status == 400
        assert "3 ** 1000000000 adalah angka lebih dari 100000 bit" in page

        edit_template(iki_copy, "{{ 3**(10**9) }}", "{% for a in range(100000) %}"
                      "{% for b in range(100000) %}{% endfor %}{% endfor %}")
        endless = threading.Thread(target=stopped_midway, args=(address, iki_copy),
                                   daemon=True)
        endless.start()
        endless.join(timeout=3)  # the check is running in its own process by now
        assert endless.is_alive()
        assert "Arsip masih kosong" in get(address)
        assert list((tmp_path / "tmp").glob("ikidoc-web-*"))

        server.send_signal(stop)
        _, errors = server.communicate(timeout=15)
    assert server.returncode == 0, errors
    assert "Traceback" not in errors
    assert list((tmp_path / "tmp").glob("ikidoc-web-*")) == []


def test_the_page_answers_at_the_loopback_address_it_prints(tmp_path: Path) -> None:
    with serving(tmp_path, "--host", "127.0.0.2", "--token", "rahasia") as (server, address):
        assert address.startswith("http://127.0.0.2:")
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(address, timeout=10) as response:
            assert response.status == 200
            assert "Buat IKI" in response.read().decode("utf-8")
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=15)
    assert server.returncode == 0


def test_a_browser_leaving_mid_upload_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    with serving(tmp_path) as (server, address):
        host, port = re.fullmatch(r"http://([\d.]+):(\d+)/", address).groups()
        head = (f"POST / HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                "Content-Length: 1000000\r\n\r\n").encode()
        part = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"berkas\"; "
                "filename=\"unit.yaml\"\r\n\r\n").encode() + b"x" * 50_000
        with socket.create_connection((host, int(port))) as client:
            client.sendall(head + part)
        assert "Arsip masih kosong" in get(address)  # the page goes on serving
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=15)
    assert server.returncode == 0
    assert "Traceback" not in errors
    assert len([line for line in errors.splitlines() if "upload" in line]) <= 1

"""The page in headless Chromium where the script does the work: the template list by
keyboard, Enter in a field, the running banner following its run, the tab's title and a
connection lost. Skipped like tests/test_web_browser.py without Chromium (CI requires it)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, SAMPLE, TESTS_DATA
from selenium.webdriver.common.keys import Keys
from test_web_browser import browser, choose_file, downloads, site, wait, webdriver

__all__ = ["browser", "downloads", "site"]  # the fixtures, used by name

if webdriver is not None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select, WebDriverWait


def check(browser: WebDriver, address: str, data: Path) -> None:
    browser.get(address)
    choose_file(browser, data)
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, ".kotak.ok", text="terbaca tanpa masalah")


def big_unit(folder: Path, count: int = 300) -> Path:
    """The sample unit with ``count`` positions: a run that lasts a few seconds."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["jabatan"] = [dict(data["jabatan"][1], nama=f"Bendahara {n}") for n in range(count)]
    path = folder / "besar.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_arrowing_through_the_template_list_reloads_nothing_until_asked(
        browser: WebDriver, site: tuple[str, Path]) -> None:
    check(browser, site[0], TESTS_DATA / "valid.yaml")
    browser.execute_script("window.kept = 'ya';")  # gone if the page is loaded again
    chooser = browser.find_element(By.ID, "template")
    chooser.click()
    chooser.send_keys(Keys.ESCAPE)
    names = [o.get_attribute("value") for o in Select(chooser).options]
    for _ in range(names.index("keputusan-iki") - names.index("iki")):
        browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert Select(chooser).first_selected_option.get_attribute("value") == "keputusan-iki"
    assert browser.execute_script("return window.kept") == "ya"
    assert browser.switch_to.active_element.get_attribute("id") == "template"
    using = browser.find_element(By.NAME, "hanya_pilih")
    assert using.is_displayed() and using.text == "Pakai template ini"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser, "label[for='minta-tambahan_menimbang']", text="Menimbang")
    assert "template=keputusan-iki" in browser.current_url
    assert browser.switch_to.active_element.get_attribute("id") == "minta-tambahan_menimbang"


def test_a_template_needing_columns_is_marked_as_soon_as_it_is_chosen(
        browser: WebDriver, site: tuple[str, Path]) -> None:
    check(browser, site[0], TESTS_DATA / "valid.yaml")
    notice = browser.find_element(By.ID, "kolom-kurang-iki-target")
    assert not notice.is_displayed()
    Select(browser.find_element(By.ID, "template")).select_by_value("iki-target")
    assert notice.is_displayed() and "kolom TARGET dan SATUAN" in notice.text
    assert browser.find_element(By.ID, "template").get_attribute("aria-describedby") == (
        "kolom-kurang-iki-target")


def test_enter_in_a_field_makes_the_documents_with_what_was_typed(
        browser: WebDriver, site: tuple[str, Path]) -> None:
    check(browser, site[0], TESTS_DATA / "valid.yaml")
    place = browser.find_element(By.ID, "isian-tempat")
    place.clear()
    place.send_keys("Kota Enter", Keys.ENTER)
    wait(browser, "h1", text="Dokumen selesai dibuat")
    assert browser.title.startswith("Selesai: dokumen ")
    [made] = sorted(site[1].glob("output/*/r*/01-*.docx"), key=os.path.getmtime)[-1:]
    assert any("Kota Enter" in p.text for p in docx.Document(str(made)).paragraphs)


def test_the_banner_on_another_page_follows_the_run_and_says_when_it_ended(
        browser: WebDriver, site: tuple[str, Path], tmp_path: Path) -> None:
    check(browser, site[0], big_unit(tmp_path))
    browser.find_element(By.XPATH, "//button[contains(text(), 'Buat dokumen')]").click()
    WebDriverWait(browser, 60).until(lambda d: "/proses/" in d.current_url)
    browser.get(site[0] + "arsip")
    banner = wait(browser, ".berjalan", text="yang Anda mulai sedang dibuat")
    first = banner.text
    assert "Bagian Administrasi Perekonomian" in first and ".." not in first
    wait(browser, ".berjalan",
         text="Dokumen Bagian Administrasi Perekonomian sudah selesai dibuat.")
    assert browser.find_element(By.CSS_SELECTOR, ".berjalan a").text == "Lihat hasilnya"


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A server of this test's own, which the test stops."""
    server = subprocess.Popen([sys.executable, "-m", "ikidoc", "serve", "--port", "0"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    line = server.stdout.readline() if server.stdout else ""
    try:
        yield line.removeprefix("Halaman IKI: ").strip(), server
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=30)


def test_a_server_stopped_during_a_run_is_said_plainly(
        browser: WebDriver, own_site: tuple[str, subprocess.Popen[str]], tmp_path: Path) -> None:
    address, server = own_site
    check(browser, address, big_unit(tmp_path, 600))
    browser.find_element(By.XPATH, "//button[contains(text(), 'Buat dokumen')]").click()
    wait(browser, "#kemajuan-teks")
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=30)
    wait(browser, "#kemajuan-teks", text="Sambungan ke halaman ikidoc terputus")
    assert browser.title == "Sambungan terputus · ikidoc"

"""The page in a real browser: headless Chromium driven by selenium through the system
chromedriver, against the server ``ikidoc serve`` starts. A user's whole path: upload
the sample sheet, generate, download the zip and read a document from it; a broken
sheet's rows; a template's typo.

Skipped when Chromium or its driver is missing, unless IKIDOC_REQUIRE_BROWSER=1 (CI),
which makes that a failure. With IKIDOC_SCREENSHOTS=1 each page is also saved to docs/
for the README; otherwise nothing is written into the repository.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from conftest import REPO, SAMPLE, TESTS_DATA, require, table_grid
from test_import_docx import hand_made
from test_import_tabular import sample_workbook
from test_web import ENGLISH, UNIT, both_sheets_wrong, broken_sheet, typo_template_zip

from ikidoc import audit_text, load_file
from ikidoc.generate import generate

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_SECONDS = 120  # a generation with PDFs on a busy two-core machine

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    webdriver = None


def _missing() -> str:
    if webdriver is None:
        return "selenium is not installed (pip install -e '.[test]')"
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if absent:
        return f"missing {', '.join(absent)} (apt-get install chromium chromium-driver)"
    return ""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``ikidoc serve`` on a free port in a folder of its own: (its address, its folder)."""
    folder = tmp_path_factory.mktemp("site")
    server = subprocess.Popen([sys.executable, "-m", "ikidoc", "serve", "--port", "0"], cwd=folder,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    line = server.stdout.readline()
    if not line.startswith("Halaman IKI: "):
        server.kill()
        pytest.fail(f"ikidoc serve did not start: {line}{server.communicate()[1]}")
    try:
        yield line.removeprefix("Halaman IKI: ").strip(), folder
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[WebDriver]:
    require("IKIDOC_REQUIRE_BROWSER", _missing())
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1280,900",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    # The system driver, always: selenium must never fetch a driver or a browser.
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: WebDriver, css: str, *, text: str = "") -> object:
    """The first element matching ``css`` (holding ``text``), once the page shows it."""
    def found(d: WebDriver) -> object:
        return next((e for e in d.find_elements(By.CSS_SELECTOR, css) if text in e.text), False)

    # The progress page reloads itself: an element found just before may be gone.
    waiting = WebDriverWait(driver, WAIT_SECONDS,
                            ignored_exceptions=(StaleElementReferenceException,))
    return waiting.until(found, f"no {css} showing {text!r}")


def downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists() or list(folder.glob("*.crdownload")):
        assert time.monotonic() < deadline, f"{name} was not downloaded"
        time.sleep(0.1)
    return path


def screenshot(driver: WebDriver, name: str) -> None:
    """Save the whole page to docs/ for the README, only when asked (IKIDOC_SCREENSHOTS=1)."""
    if os.environ.get("IKIDOC_SCREENSHOTS") != "1":
        return
    height = driver.execute_script("window.scrollTo(0, 0); "
                                   "return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": min(max(height, 600), 2400), "deviceScaleFactor": 1,
        "mobile": False})
    (REPO / "docs").mkdir(exist_ok=True)
    driver.save_screenshot(str(REPO / "docs" / name))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def cells(driver: WebDriver, css: str) -> list[str]:
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, css)]


def choose_file(driver: WebDriver, path: Path) -> None:
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))


def test_the_sample_sheet_becomes_documents_downloaded_as_a_zip(
        browser: WebDriver, site: tuple[str, Path], downloads: Path, tmp_path: Path) -> None:
    address, _ = site
    unit = load_file(SAMPLE).unit
    browser.get(address)
    choose_file(browser, sample_workbook(unit, tmp_path))
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, ".kotak.ok", text="sample.xlsx terbaca tanpa masalah: 12 jabatan")
    names = cells(browser, "table.jabatan tbody td:nth-child(2)")
    assert names == [jab.nama for jab in unit.jabatan]
    chosen = Select(browser.find_element(By.NAME, "template")).first_selected_option
    assert chosen.text.startswith("iki 1.1.0 · ")
    screenshot(browser, "web-buat-iki.png")
    pictures = browser.find_elements(By.CSS_SELECTOR, "details.pratinjau img")
    if pictures:  # where LibreOffice can draw them: they show the template chosen
        Select(browser.find_element(By.NAME, "template")).select_by_value("iki-target")
        assert all(picture.get_attribute("src").endswith(
            "?template=iki-target&sakelar=iki-target%3Akop") for picture in pictures)
        assert browser.find_element(By.CSS_SELECTOR, ".template-gambar").text == "iki-target"
        Select(browser.find_element(By.NAME, "template")).select_by_value("iki")

    browser.find_element(By.XPATH, "//button[contains(text(), 'Buat dokumen')]").click()
    wait(browser, "h1", text="Dokumen selesai dibuat")
    wait(browser, "a.tombol", text="Unduh semua (.zip)").click()
    with zipfile.ZipFile(downloaded(downloads, f"{UNIT}-r1.zip")) as package:
        package.extract(f"{UNIT}-r1/02-bendahara.docx", tmp_path)
        with_pdfs = any(name.endswith(".pdf") for name in package.namelist())
    assert with_pdfs == (shutil.which("soffice") is not None)
    document = docx.Document(str(tmp_path / f"{UNIT}-r1" / "02-bendahara.docx"))
    assert "Bendahara" in document.paragraphs[1].text
    printed = {cell.text for row in table_grid(document.tables[-1]) for cell in row}
    assert {indikator.uraian for indikator in unit.jabatan[1].indikator} <= printed

    browser.find_element(By.LINK_TEXT, "Arsip").click()
    wait(browser, "table.arsip .lencana.ok", text="utuh")
    screenshot(browser, "web-arsip.png")


def test_a_broken_sheet_shows_the_row_of_each_problem(browser: WebDriver, site: tuple[str, Path],
                                                      tmp_path: Path) -> None:
    browser.get(site[0])
    choose_file(browser, broken_sheet(tmp_path))
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, "h2.judul-galat", text="masalah di rusak.xlsx")
    places = cells(browser, "table.masalah tbody td:nth-child(1)")
    assert places == ["lembar 'IKI', baris 3, kolom F (Formulasi)"]


def test_a_template_with_a_typo_shows_the_intended_name(browser: WebDriver, site: tuple[str, Path],
                                                        tmp_path: Path) -> None:
    address, folder = site
    browser.get(address + "template")
    choose_file(browser, typo_template_zip(tmp_path))
    browser.find_element(By.XPATH, "//button[text()='Periksa template']").click()
    wait(browser, "table.masalah td", text="maksudnya 'jabatan.nama'?")
    assert not browser.find_elements(By.XPATH, "//button[contains(text(), 'Pasang')]")
    assert not (folder / "templates").exists()
    screenshot(browser, "web-template.png")


def test_the_start_page_downloads_the_workbook(browser: WebDriver, site: tuple[str, Path],
                                               downloads: Path) -> None:
    browser.get(site[0] + "mulai")
    screenshot(browser, "web-mulai.png")
    wait(browser, "a.tombol", text="Unduh lembar kerja").click()
    assert downloaded(downloads, "iki.xlsx").read_bytes()[:2] == b"PK"


def shown_english(driver: WebDriver) -> list[str]:
    """English words in what the page shows."""
    return ENGLISH.findall(" ".join(driver.find_element(By.TAG_NAME, "main").text.split()))


def test_a_workbook_wrong_in_both_sheets_shows_every_mistake_in_indonesian_even_on_a_phone(
        browser: WebDriver, site: tuple[str, Path], tmp_path: Path) -> None:
    browser.get(site[0])
    choose_file(browser, both_sheets_wrong(tmp_path))
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, "h2.judul-galat", text="2 masalah di IKI Bagian Uji.xlsx")
    assert "/periksa/" in browser.current_url
    assert cells(browser, "table.masalah tbody td:nth-child(3)") == [
        "sasaran belum diisi untuk indikator 'Jumlah laporan'",
        "seharusnya tahun seperti 2025, tetapi berisi 'dua ribu dua puluh lima'"]
    assert shown_english(browser) == []
    screenshot(browser, "web-masalah.png")
    browser.refresh()  # the result's own address: nothing is sent again
    wait(browser, "h2.judul-galat", text="2 masalah di IKI Bagian Uji.xlsx")
    browser.set_window_size(390, 844)
    try:
        wait(browser, "table.masalah td", text="sasaran belum diisi")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390
        rows = browser.find_elements(By.CSS_SELECTOR, "table.masalah tbody tr")
        assert all(row.rect["width"] <= 390 for row in rows)
    finally:
        browser.set_window_size(1280, 900)


def test_an_old_word_iki_naming_no_unit_is_asked_for_it_and_becomes_documents(
        browser: WebDriver, site: tuple[str, Path], tmp_path: Path) -> None:
    browser.get(site[0])
    choose_file(browser, hand_made(tmp_path / "IKI lama.docx"))
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, "h2.judul-galat", text="1 masalah di IKI lama.docx")
    assert cells(browser, "table.masalah tbody td:nth-child(3)") == [
        "nama unit kerja (isian Unit kerja) belum diisi"]
    assert shown_english(browser) == []
    unit = browser.find_element(By.ID, "isian-unit_kerja")
    assert browser.find_element(By.ID, "isian-tempat").get_attribute("value") == "Contoh"
    screenshot(browser, "web-isian.png")
    unit.send_keys("Bagian Tata Usaha")
    browser.find_element(By.XPATH, "//button[text()='Lanjutkan dengan isian ini']").click()
    wait(browser, ".kotak.ok", text="IKI lama.docx terbaca tanpa masalah: 1 jabatan, 4 indikator")
    assert shown_english(browser) == []
    browser.find_element(By.XPATH, "//button[contains(text(), 'Buat dokumen')]").click()
    wait(browser, "h1", text="Dokumen selesai dibuat")
    assert "Bagian Tata Usaha" in browser.find_element(By.TAG_NAME, "main").text
    assert shown_english(browser) == []
    run = browser.current_url
    browser.back()  # Back shows the check again, with its run linked: another template can follow
    wait(browser, ".kotak.info", text="Dokumen dari data ini sudah dibuat dengan template iki")
    assert browser.find_element(By.LINK_TEXT, "lihat hasilnya").get_attribute("href") == run
    assert browser.find_element(By.ID, "isian-unit_kerja").get_attribute("value") == (
        "Bagian Tata Usaha")


def test_a_keyboard_reaches_the_content_first_through_the_skip_link(
        browser: WebDriver, site: tuple[str, Path]) -> None:
    browser.get(site[0])
    browser.find_element(By.TAG_NAME, "body").send_keys("\ue004")  # Tab
    first = browser.switch_to.active_element
    assert first.text == "Langsung ke isi halaman" and first.get_attribute("href").endswith("#isi")
    for address in ("", "template", "arsip"):
        browser.get(site[0] + address)
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !e.labels || e.labels.length === 0).map(e => e.name)")
        assert unlabelled == [], address
    browser.get(site[0])
    chooser = browser.find_element(By.ID, "berkas")
    chooser.send_keys(str(SAMPLE))
    assert browser.find_element(By.CSS_SELECTOR, ".nama-berkas").text == SAMPLE.name


def test_a_revision_shows_its_values_changed_old_to_new_even_on_a_phone(
        browser: WebDriver, site: tuple[str, Path], tmp_path: Path) -> None:
    text = (TESTS_DATA / "valid.yaml").read_text(encoding="utf-8").replace(
        "unit_kerja: Bagian Uji", "unit_kerja: Bagian Arsip Uji")
    data = tmp_path / "arsip-uji.yaml"
    data.write_text(text, encoding="utf-8")
    generate([data], None, site[1] / "output")
    long = "Jumlah laporan SPJ yang disusun tepat waktu dan lengkap dengan bukti setiap bulan"
    data.write_text(text.replace("tempat: Contoh", "tempat: Kota Uji").replace(
        "- uraian: Jumlah laporan SPJ\n", f"- uraian: {long}\n"), encoding="utf-8")
    generate([data], None, site[1] / "output")
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{site[0]}arsip/bagian-arsip-uji-2025/r2")
        wait(browser, "ul.nilai-berubah li", text="Tempat penandatanganan: 'Contoh' → 'Kota Uji'")
        changed = cells(browser, "ul.nilai-berubah li li")
        assert changed == ["sasaran 1, indikator 2, uraian: 'Jumlah laporan SPJ' → '"
                           + long[:audit_text.VALUE_SHOWN - 1].rstrip() + "…'"]
        assert shown_english(browser) == []
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    finally:
        browser.set_window_size(1280, 900)


def test_what_was_typed_stays_when_the_template_chosen_asks_for_its_fields(
        browser: WebDriver, site: tuple[str, Path]) -> None:
    browser.get(site[0])
    choose_file(browser, TESTS_DATA / "valid.yaml")
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, ".kotak.ok", text="terbaca tanpa masalah")
    assert not browser.find_element(By.NAME, "hanya_pilih").is_displayed()  # the script's work
    browser.find_element(By.ID, "isian-tempat").clear()
    browser.find_element(By.ID, "isian-tempat").send_keys("Kota Uji")
    pdf = browser.find_element(By.NAME, "pdf")
    if pdf.is_enabled() and pdf.is_selected():
        pdf.click()  # unticked, it stays unticked
    Select(browser.find_element(By.NAME, "template")).select_by_value("keputusan-iki")
    wait(browser, "label[for='minta-tambahan_menimbang']", text="Menimbang")
    assert browser.find_element(By.ID, "isian-tempat").get_attribute("value") == "Kota Uji"
    assert not browser.find_element(By.NAME, "pdf").is_selected()
    browser.find_element(By.ID, "minta-tambahan_menimbang").send_keys("bahwa satu;")
    browser.find_element(By.XPATH, "//button[contains(text(), 'Buat dokumen')]").click()
    wait(browser, ".galat-isian", text="Mengingat belum diisi.")
    assert browser.find_element(By.ID, "minta-tambahan_menimbang").get_attribute(
        "value") == "bahwa satu;"
    assert browser.find_element(By.ID, "isian-tempat").get_attribute("value") == "Kota Uji"
    assert not browser.find_element(By.NAME, "pdf").is_selected()
    browser.refresh()  # F5 keeps every choice too
    wait(browser, ".galat-isian", text="Mengingat belum diisi.")
    assert Select(browser.find_element(By.NAME, "template")).first_selected_option.get_attribute(
        "value") == "keputusan-iki"
    assert not browser.find_element(By.NAME, "pdf").is_selected()


OVERFLOWING = """return [...document.querySelectorAll('main table, main .gulir, main .kartu')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
               || e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName + '.' + e.className)"""


def test_every_page_fits_a_phone_its_tables_as_cards(
        browser: WebDriver, site: tuple[str, Path], tmp_path: Path) -> None:
    address, folder = site
    generate([SAMPLE], None, folder / "output")
    browser.get(address)
    choose_file(browser, SAMPLE)
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, ".kotak.ok", text="terbaca tanpa masalah")
    checked = browser.current_url
    browser.find_element(By.XPATH, "//button[contains(text(), 'Buat dokumen')]").click()
    wait(browser, "h1", text="Dokumen selesai dibuat")
    run = browser.current_url
    revision = f"{address}arsip/{UNIT}/r1"
    browser.set_window_size(390, 844)
    try:
        for shown in (address, checked, run, f"{address}arsip", revision, f"{address}template"):
            browser.get(shown)
            wait(browser, "h1")
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, shown
            assert browser.execute_script(OVERFLOWING) == [], shown
        browser.get(f"{address}arsip")
        download = browser.find_element(By.LINK_TEXT, ".zip")
        assert download.rect["x"] + download.rect["width"] <= 390  # on screen, reachable
    finally:
        browser.set_window_size(1280, 900)


def test_a_revision_with_a_changed_file_fits_a_phone_with_its_flag_under_the_link(
        browser: WebDriver, site: tuple[str, Path], tmp_path: Path) -> None:
    """The officer's walk: at 390 px the flag of a file changed after it was made pushed
    its link into a column one letter wide, off the card."""
    data = tmp_path / "ubah-uji.yaml"
    data.write_text((TESTS_DATA / "valid.yaml").read_text(encoding="utf-8").replace(
        "unit_kerja: Bagian Uji", "unit_kerja: Bagian Ubah Uji"), encoding="utf-8")
    [made] = generate([data], None, site[1] / "output")
    changed = made.folder / made.documents[0].file
    changed.write_bytes(changed.read_bytes() + b"x")
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{site[0]}arsip/bagian-ubah-uji-2025/r1")
        flag = wait(browser, "table.berkas .lencana.galat", text="diubah setelah dibuat")
        link = browser.find_element(By.LINK_TEXT, made.documents[0].file)
        assert link.rect["width"] > 100 and link.rect["height"] < 80  # a line or two, not a column
        assert flag.rect["y"] >= link.rect["y"] + link.rect["height"] - 1  # under it
        assert flag.rect["x"] + flag.rect["width"] <= 390
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        assert browser.execute_script(OVERFLOWING) == []
    finally:
        browser.set_window_size(1280, 900)

"""The pictures of pages in a real browser (headless Chromium, as tests/test_web_browser.py):
an uploaded position's page opens as a picture before anything is generated."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE
from test_preview import F4
from test_web_browser import browser, downloads, site, wait  # noqa: F401  (fixtures)

By = pytest.importorskip("selenium.webdriver.common.by").By
WebDriverWait = pytest.importorskip("selenium.webdriver.support.ui").WebDriverWait


def loaded(driver: Any, image: Any) -> tuple[int, int]:
    """The picture's width and height once the browser has loaded it (the Bendahara's)."""
    WebDriverWait(driver, 60).until(
        lambda _: driver.execute_script("return arguments[0].complete && "
                                        "arguments[0].naturalWidth", image),
        "the picture of the Bendahara's page did not load")
    width, height = driver.execute_script(
        "return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image)
    return width, height


def test_an_uploaded_position_opens_its_page_as_a_picture(
        soffice: None, browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    address, folder = site
    browser.get(address)
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(SAMPLE))
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, ".kotak.ok", text="terbaca tanpa masalah: 12 jabatan")
    opener = wait(browser, "details.pratinjau summary", text="2. Bendahara")
    opener.click()
    image = browser.find_elements(By.CSS_SELECTOR, "details.pratinjau img")[1]
    width, height = loaded(browser, image)
    assert height / width == pytest.approx(F4, rel=0.01)
    assert image.is_displayed()
    assert not (folder / "output").exists()


def test_ticking_a_switch_redraws_the_pictures_with_it(
        soffice: None, browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    Select = pytest.importorskip("selenium.webdriver.support.ui").Select
    address, _ = site
    browser.get(address)
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(SAMPLE))
    browser.find_element(By.XPATH, "//button[text()='Periksa berkas']").click()
    wait(browser, ".kotak.ok", text="terbaca tanpa masalah: 12 jabatan")
    Select(browser.find_element(By.NAME, "template")).select_by_value("iki-nomor")
    wait(browser, "details.pratinjau summary", text="2. Bendahara").click()
    image = browser.find_elements(By.CSS_SELECTOR, "details.pratinjau img")[1]
    plain = loaded(browser, image)
    assert "sakelar=iki-nomor%3Abaris_nomor" not in image.get_attribute("src")
    browser.find_element(By.CSS_SELECTOR, "input[value='iki-nomor:baris_nomor']").click()
    assert "sakelar=iki-nomor%3Abaris_nomor" in image.get_attribute("src")
    assert "sakelar=iki-nomor%3Akop" in image.get_attribute("src")
    assert loaded(browser, image) == plain  # drawn with the switch, it loads at the same size

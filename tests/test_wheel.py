"""The installed package carries its templates and sample: a wheel built from the repo
works from any folder, with no repository beside it."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, unpacked into a folder of its own (as pip installs it)."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next(folder.glob("ikidoc-*.whl"))
    site = folder / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    return site


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-m", "ikidoc", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_wheel_ships_templates_and_sample_under_names_that_clash_with_no_module(
        installed: Path) -> None:
    package = installed / "ikidoc"
    assert (package / "templates.py").is_file()
    assert not (package / "templates").exists()
    assert (package / "bundled_templates" / "iki" / "template.docx").is_file()
    assert (package / "bundled_data" / SAMPLE.name).is_file()


def test_an_installed_ikidoc_generates_with_a_bundled_template_from_any_folder(
        installed: Path, tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    data.write_bytes(SAMPLE.read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    located = subprocess.run([sys.executable, "-c", "import ikidoc; print(ikidoc.__file__)"],
                             cwd=elsewhere, env={**os.environ, "PYTHONPATH": str(installed)},
                             capture_output=True, text=True, check=True)
    assert located.stdout.strip().startswith(str(installed))
    result = run_installed(installed, elsewhere, "generate", str(data), "-t", "iki",
                           "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    combined = next((tmp_path / "out").glob("*/r1/bagian-administrasi-perekonomian-2025.docx"))
    with zipfile.ZipFile(combined) as document:
        assert "INDIKATOR KINERJA INDIVIDU" in document.read("word/document.xml").decode()


def test_an_installed_ikidoc_finds_its_message_catalogs(installed: Path, tmp_path: Path) -> None:
    bad = tmp_path / "unit.yaml"
    bad.write_text("unit_kerja: Bagian Uji\njabatan: []\n", encoding="utf-8")
    result = run_installed(installed, tmp_path, "validate", str(bad), "--lang", "id")
    assert result.returncode == 1
    assert result.stderr == (f"galat: 1 masalah pada data:\n  {bad} baris 2 kolom 10: jabatan: "
                             "perlu paling sedikit satu butir\n")
    assert (installed / "ikidoc" / "locale" / "id" / "LC_MESSAGES" / "ikidoc.po").is_file()

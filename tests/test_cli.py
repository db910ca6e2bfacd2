"""Every command through click's CliRunner: exit status and the exact messages."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, SAMPLE, TESTS_DATA, tree_snapshot, write_data

from ikidoc.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_generate_without_arguments_reads_data_folder(runner: CliRunner, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(SAMPLE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["generate"])
    assert result.exit_code == 0, result.output
    folder = os.path.join("output", "bagian-administrasi-perekonomian-2025", "r1")
    assert result.output.splitlines()[0] == (
        f"Bagian Administrasi Perekonomian: wrote 13 documents to {folder} (template iki 1.1.0)")
    assert "  Bendahara  " in result.output and "02-bendahara.docx" in result.output
    assert result.output.rstrip().endswith("bagian-administrasi-perekonomian-2025.docx")
    assert len(list(Path(folder).glob("*.docx"))) == 13


def test_generate_again_says_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    args = ["generate", str(TESTS_DATA / "valid.yaml"), "-o", str(tmp_path / "out")]
    assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert result.output.startswith("Bagian Uji: unchanged; ")


def test_generate_over_an_altered_revision_writes_it_again_and_says_why(
        runner: CliRunner, tmp_path: Path) -> None:
    args = ["generate", str(TESTS_DATA / "valid.yaml"), "-o", str(tmp_path / "out"), "-q"]
    assert runner.invoke(cli, args).exit_code == 0
    r1 = tmp_path / "out" / "bagian-uji-2025" / "r1"
    (r1 / "02-pengemudi.docx").write_bytes((r1 / "02-pengemudi.docx").read_bytes() + b"\0")
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"Bagian Uji: wrote 3 documents to {r1.parent / 'r2'} (template iki 1.1.0)",
        "r1 was changed after it was written (02-pengemudi.docx): written again as r2"]
    indonesian = runner.invoke(cli, args[:-1], env={"LANGUAGE": "id"})
    assert indonesian.output.startswith("Bagian Uji: tidak berubah; ")  # r2 is whole
    (r1.parent / "r2" / "01-bendahara.docx").unlink()
    again = runner.invoke(cli, args, env={"LANGUAGE": "id"})
    assert again.output.splitlines()[1] == (
        "r2 diubah setelah dibuat (01-bendahara.docx): ditulis lagi sebagai r3")


def test_generate_pdf_after_a_plain_run_writes_the_pdfs_then_nothing(
        runner: CliRunner, tmp_path: Path, soffice: None) -> None:
    args = ["generate", str(TESTS_DATA / "valid.yaml"), "-o", str(tmp_path / "out"), "-q"]
    unit = tmp_path / "out" / "bagian-uji-2025"
    assert runner.invoke(cli, args).exit_code == 0
    with_pdf = runner.invoke(cli, [*args, "--pdf"])
    assert with_pdf.exit_code == 0, with_pdf.output
    assert with_pdf.output.splitlines() == [
        f"Bagian Uji: wrote 3 documents to {unit / 'r2'} (template iki 1.1.0)",
        "  and a PDF/A-2b of each: 3 .pdf files beside them"]
    assert sorted(p.name for p in (unit / "r2").glob("*.pdf")) == [
        "01-bendahara.pdf", "02-pengemudi.pdf", "bagian-uji-2025.pdf"]
    before = tree_snapshot(tmp_path / "out")
    for again in ([*args, "--pdf"], args):
        assert runner.invoke(cli, again).output.startswith("Bagian Uji: unchanged; ")
    assert tree_snapshot(tmp_path / "out") == before


def test_generate_with_bad_data_exits_1_with_file_line_field_and_writes_nothing(
        runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("x")
    before = tree_snapshot(output)
    bad = TESTS_DATA / "bad" / "typo-key.yaml"
    result = runner.invoke(cli, ["generate", str(bad), "-o", str(output)])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 1 problem in the data:\n"
        f"  {bad}:8:13: jabatan[0].sasaran[0].indikator[0].formulasii (Bendahara): unknown key "
        "'formulasii' (did you mean 'formulasi'?)\n")
    assert "Traceback" not in result.output
    assert tree_snapshot(output) == before


def test_generate_with_unknown_template_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"), "-t", "nope",
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: template nope: no such template; available: iki")
    assert not (tmp_path / "out").exists()


def test_validate_says_ok_with_counts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(SAMPLE)])
    assert result.exit_code == 0
    assert result.output == f"ok: 12 positions, 18 indicators ({SAMPLE})\n"


def test_validate_reports_the_same_errors_and_writes_nothing(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["validate", str(TESTS_DATA / "bad" / "several.yaml")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 4 problems in the data:\n")
    assert list(tmp_path.iterdir()) == []


def test_wrong_usage_exits_2(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["validate"]).exit_code == 2
    assert runner.invoke(cli, ["generate", "--nope"]).exit_code == 2


def test_python_dash_m_works_like_the_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "ikidoc", "validate", str(SAMPLE)],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert (result.returncode, result.stdout) == (
        0, f"ok: 12 positions, 18 indicators ({SAMPLE})\n")
    result = subprocess.run([sys.executable, "-m", "ikidoc", "validate",
                             str(TESTS_DATA / "bad" / "nul.yaml")],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert (result.returncode == 1 and "NUL bytes" in result.stderr
            and "Traceback" not in result.stderr)


def test_a_console_that_cannot_show_a_character_gets_it_escaped(tmp_path: Path) -> None:
    """A Windows console or log in code page 1252 has no "≥": the run still ends well."""
    data = write_data(tmp_path, MINIMAL.replace("Bagian Uji", "Bagian Uji ≥ 1"))
    environment = dict(os.environ, PYTHONIOENCODING="cp1252")
    result = subprocess.run([sys.executable, "-m", "ikidoc", "generate", str(data),
                             "-o", str(tmp_path / "out")],
                            capture_output=True, env=environment, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("cp1252").startswith("Bagian Uji \\u2265 1: wrote 2 documents")
    data.write_text(data.read_text().replace("Analis", "Analis ≥")
                    .replace("formulasi", "formulasii"))
    again = subprocess.run([sys.executable, "-m", "ikidoc", "validate", str(data)],
                           capture_output=True, env=environment, cwd=tmp_path, check=False)
    assert again.returncode == 1 and b"Traceback" not in again.stderr
    assert "formulasii (Analis \\u2265): unknown key" in again.stderr.decode("cp1252")

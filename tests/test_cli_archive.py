"""ikidoc archive list | show | verify and generate --pdf through click's CliRunner:
exit status and the exact messages."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit_template, tree_snapshot

from ikidoc.archive import load_manifest
from ikidoc.cli import cli

UNIT = "bagian-uji-2025"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def archive(runner: CliRunner, minimal_data: Path, tmp_path: Path) -> Path:
    """An output folder holding r1 and r2 of the minimal unit (r2: a source renamed)."""
    output = tmp_path / "out"
    assert runner.invoke(cli, ["generate", str(minimal_data), "-o", str(output)]).exit_code == 0
    minimal_data.write_text(minimal_data.read_text(encoding="utf-8").replace("Arsip", "Agenda"),
                            encoding="utf-8")
    assert runner.invoke(cli, ["generate", str(minimal_data), "-o", str(output)]).exit_code == 0
    return output


def created(revision: Path) -> str:
    moment = load_manifest(revision).created.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def test_archive_list_shows_units_revisions_date_positions_and_template(runner: CliRunner,
                                                                       archive: Path) -> None:
    result = runner.invoke(cli, ["archive", "list", str(archive)])
    assert result.exit_code == 0, result.output
    unit = archive / UNIT
    assert result.stdout == (
        f"{unit}  Bagian Uji (2025)\n"
        f"  r1    {created(unit / 'r1')}  1 position  template iki 1.1.0\n"
        f"  r2    {created(unit / 'r2')}  1 position  template iki 1.1.0\n")


def test_archive_list_of_an_empty_or_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["archive", "list", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (
        0, f"{tmp_path}: no revision yet; ikidoc generate writes them here\n")
    result = runner.invoke(cli, ["archive", "list", str(tmp_path / "nowhere")])
    assert (result.exit_code, result.stderr) == (
        1, f"error: {tmp_path / 'nowhere'}: no such folder\n")


def test_archive_show_prints_the_manifest_and_what_changed(runner: CliRunner,
                                                           archive: Path) -> None:
    revision = archive / UNIT / "r2"
    result = runner.invoke(cli, ["archive", "show", str(archive / UNIT)])
    assert result.exit_code == 0, result.output
    manifest = load_manifest(revision)
    lines = result.stdout.splitlines()
    assert lines[:3] == [f"revision    {revision}", "unit kerja  Bagian Uji (2025)",
                         f"created     {created(revision)}"]
    assert f"ikidoc      {manifest.inputs.ikidoc}" in lines
    first = manifest.files[0]
    assert f"  {first.sha256}  {first.size:>9}  01-analis.docx  Analis" in lines
    assert lines[-3:] == ["changes since r1:", "  changed:   Analis (sasaran)",
                          "    Analis: sasaran 1, indikator 1, sumber_data 2: 'Arsip' → 'Agenda'"]


def test_archive_verify_passes_an_untouched_archive_in_the_default_folder(
        runner: CliRunner, archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (archive.parent / "out").rename(archive.parent / "output")
    monkeypatch.chdir(archive.parent)
    result = runner.invoke(cli, ["archive", "verify", "--rebuild"])
    assert result.exit_code == 0, result.output
    unit = Path("output") / UNIT
    assert result.stdout == (
        f"{unit / 'r1'}: ok, 2 files match manifest.json; 2 .docx made again are identical\n"
        f"{unit / 'r2'}: ok, 2 files match manifest.json; 2 .docx made again are identical\n")


def test_archive_verify_reports_a_changed_file_and_exits_1(runner: CliRunner,
                                                           archive: Path) -> None:
    revision = archive / UNIT / "r1"
    recorded = load_manifest(revision).files[0].sha256
    (revision / "01-analis.docx").write_bytes(b"edited")
    before = tree_snapshot(archive)
    result = runner.invoke(cli, ["archive", "verify", str(archive)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{revision}: 1 problem\n"
        f"  changed: 01-analis.docx (its sha256 is {hashlib.sha256(b'edited').hexdigest()}, "
        f"manifest.json says {recorded})\n"
        f"{archive / UNIT / 'r2'}: ok, 2 files match manifest.json\n")
    assert result.stderr == (f"error: {archive}: 1 of 2 revisions do not match their manifest: "
                             f"{revision}\n")
    assert tree_snapshot(archive) == before


def test_archive_verify_reports_a_hand_edited_manifest_without_a_traceback(runner: CliRunner,
                                                                          archive: Path) -> None:
    revision = archive / UNIT / "r2"
    manifest = json.loads((revision / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][0]["sha256"] = "edited"
    (revision / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(cli, ["archive", "verify", str(revision)])
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert result.stdout == (
        f"{revision}: 1 problem\n"
        "  manifest.json is not an ikidoc manifest: files[0].sha256: does not have the form "
        "expected (^[0-9a-f]{64}$)\n")
    assert "Traceback" not in result.output


def test_archive_verify_rebuild_with_another_template_fails_clearly(
        runner: CliRunner, archive: Path, iki_copy: Path) -> None:
    edit_template(iki_copy, "INDIKATOR KINERJA INDIVIDU", "INDIKATOR KINERJA")
    result = runner.invoke(cli, ["archive", "verify", str(archive / UNIT / "r1"), "--rebuild",
                                 "-t", str(iki_copy)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].startswith(
        f"  cannot rebuild: template iki-copy 1.1.0 at {iki_copy} has sha256 ")


def test_archive_show_and_verify_need_an_existing_path(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["archive", "show"]).exit_code == 2
    result = runner.invoke(cli, ["archive", "show", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        1, f"error: {tmp_path}: is neither a revision folder (r<N>) nor a unit folder holding one; "
           "see ikidoc archive list\n")
    result = runner.invoke(cli, ["archive", "verify", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        1, f"error: {tmp_path}: holds no revision (no r<N> folder); give the output folder of "
           "ikidoc generate\n")


def test_generate_pdf_without_libreoffice_writes_the_docx_and_says_how_to_install(
        runner: CliRunner, minimal_data: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    output = tmp_path / "out"
    result = runner.invoke(cli, ["generate", str(minimal_data), "-o", str(output), "--pdf"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no PDF was made: LibreOffice (soffice) is not installed or not on PATH\n"
        "  install LibreOffice and run again: apt-get install libreoffice-writer-nogui (Debian, "
        "Ubuntu), or https://www.libreoffice.org/download/\n"
        f"  the .docx files were written, without PDFs, to {output / UNIT / 'r1'}\n")
    assert sorted(p.name for p in (output / UNIT / "r1").iterdir()) == [
        "01-analis.docx", "bagian-uji-2025.docx", "manifest.json"]

"""Faults: a full disk, an output that cannot be written, a run interrupted or killed,
hostile names. The archive is always left as it was before the run."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import SAMPLE, TESTS_DATA, tree_snapshot

from ikidoc import generate
from ikidoc.cli import cli
from ikidoc.errors import ArchiveError


def test_full_disk_gives_a_clear_message_and_no_partial_revision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    generate([TESTS_DATA / "valid.yaml"], output=output)
    before = tree_snapshot(output)
    data = tmp_path / "changed.yaml"
    data.write_text((TESTS_DATA / "valid.yaml").read_text(encoding="utf-8")
                    .replace("Pengemudi", "Sopir"), encoding="utf-8")
    written = []
    real = Path.write_bytes

    def filling_up(self: Path, blob: bytes) -> int:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(self)
        return real(self, blob)

    monkeypatch.setattr(Path, "write_bytes", filling_up)
    result = CliRunner().invoke(cli, ["generate", str(data), "-o", str(output)])
    assert result.exit_code == 1
    assert "02-sopir.docx: cannot be written: No space left on device" in result.stderr
    assert tree_snapshot(output) == before
    assert sorted(p.name for p in (output / "bagian-uji-2025").iterdir()) == ["r1", "unit.json"]


def test_output_that_is_a_file_gives_a_clear_message(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.write_text("not a folder")
    result = CliRunner().invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"),
                                      "-o", str(output)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {output / 'bagian-uji-2025'}: cannot be created")
    assert output.read_text() == "not a folder"


def test_read_only_output_gives_a_clear_message(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "mkdir", read_only)
    result = CliRunner().invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"), "-o",
                                      str(tmp_path / "output")])
    assert result.exit_code == 1 and "Read-only file system" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "output").exists()


def big_data(tmp_path: Path, positions: int) -> Path:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["jabatan"] = [dict(data["jabatan"][n % 12], nama=f"{data['jabatan'][n % 12]['nama']} {n}")
                       for n in range(positions)]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def start_and_interrupt(tmp_path: Path, sig: int, jobs: int = 2) -> tuple[int, str, Path]:
    """Run generate on 600 positions with ``jobs`` processes, send ``sig`` once documents
    are being written; return the exit status, stderr and the output folder."""
    output = tmp_path / "output"
    unit = output / "bagian-administrasi-perekonomian-2025"
    process = subprocess.Popen([sys.executable, "-m", "ikidoc", "generate",
                                str(big_data(tmp_path, 600)), "-o", str(output),
                                "-j", str(jobs)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        staging = list(unit.glob(".ikidoc-*")) if unit.exists() else []
        if staging and len(list(staging[0].iterdir())) > 5:
            break
        time.sleep(0.02)
    if process.poll() is not None or time.monotonic() >= deadline:
        process.kill()
        pytest.fail(f"the run never started writing: {process.communicate()}")
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr, output


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGINT, 1), (signal.SIGINT, 2),
                                           (signal.SIGTERM, 2)], ids=["ctrl-c", "ctrl-c -j 2",
                                                                     "kill -j 2"])
def test_interrupted_run_leaves_the_archive_as_it_was(tmp_path: Path, sig: int,
                                                      jobs: int) -> None:
    """With -j 2 the workers are writing into the staged revision when it is removed."""
    status, stderr, output = start_and_interrupt(tmp_path, sig, jobs)
    assert status == 130 and stderr.endswith("interrupted; nothing was written\n")
    assert tree_snapshot(output) == {}
    assert not output.exists() or not any(output.rglob("*"))


def test_a_run_killed_outright_is_cleaned_up_by_the_next_run(tmp_path: Path) -> None:
    _, _, output = start_and_interrupt(tmp_path, signal.SIGKILL)
    unit = output / "bagian-administrasi-perekonomian-2025"
    assert list(unit.glob(".ikidoc-*")), "SIGKILL leaves the staging folder"
    [outcome] = generate([tmp_path / "big.yaml"], output=output)
    assert outcome.folder.name == "r1"
    assert sorted(p.name for p in unit.iterdir() if p.name != ".lock") == ["r1", "unit.json"]


@pytest.mark.parametrize(("name", "file"), [
    ("../../etc/passwd", "01-etc-passwd.docx"),
    ("/absolute/path", "01-absolute-path.docx"),
    ("C:\\Windows\\System32", "01-c-windows-system32.docx"),
    ("CON", "01-con.docx"),
    ("Pengelola " * 40, "01-" + "-".join(["pengelola"] * 6) + ".docx"),
    ("ملف", "01-jabatan.docx"),
])
def test_names_from_the_data_never_leave_the_revision_folder(tmp_path: Path, name: str,
                                                             file: str) -> None:
    data = yaml.safe_load((TESTS_DATA / "valid.yaml").read_text(encoding="utf-8"))
    data["jabatan"] = data["jabatan"][:1]
    data["jabatan"][0]["nama"] = name
    data["unit_kerja"] = name
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [outcome] = generate([path], output=tmp_path / "output")
    assert outcome.folder.parent.parent == tmp_path / "output"
    assert (outcome.folder / file).is_file()
    assert all(len(p.name.encode()) <= 255 for p in outcome.folder.iterdir())
    assert {p.parent for p in (tmp_path / "output").rglob("*.docx")} == {outcome.folder}


def test_an_edited_manifest_in_an_old_revision_does_not_stop_new_runs(tmp_path: Path) -> None:
    output = tmp_path / "output"
    [first] = generate([TESTS_DATA / "valid.yaml"], output=output)
    (first.folder / "manifest.json").write_text("{ broken", encoding="utf-8")
    [second] = generate([TESTS_DATA / "valid.yaml"], output=output)
    assert second.changed and second.folder.name == "r2"
    result = CliRunner().invoke(cli, ["archive", "verify", str(output)])
    assert result.exit_code == 1 and "r1" in result.output + result.stderr


def test_archive_error_is_an_oserror_and_names_the_path() -> None:
    error = ArchiveError(path="output/x", detail="cannot be written")
    assert isinstance(error, OSError) and str(error) == "output/x: cannot be written"


def test_two_runs_over_the_same_units_in_opposite_order_both_finish(tmp_path: Path) -> None:
    first = big_data(tmp_path, 300)
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    data["unit_kerja"] = "Bagian Kedua"
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    output = tmp_path / "output"
    runs = [subprocess.Popen([sys.executable, "-m", "ikidoc", "generate", str(a), str(b),
                              "-o", str(output)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for a, b in ((first, second), (second, first))]
    results = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
    assert [status for _, _, status in results] == [0, 0], results
    assert sorted(p.name for p in output.glob("*/r*")) == ["r1", "r1"]


def test_a_file_named_twice_is_one_unit(tmp_path: Path) -> None:
    [outcome] = generate([TESTS_DATA / "valid.yaml", TESTS_DATA / "valid.yaml"],
                         output=tmp_path / "o")
    assert outcome.changed


def test_a_worker_killed_during_a_run_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    """A worker the system kills (out of memory) ends the run with a message, exit 1."""
    output = tmp_path / "output"
    unit = output / "bagian-administrasi-perekonomian-2025"
    process = subprocess.Popen([sys.executable, "-m", "ikidoc", "generate",
                                str(big_data(tmp_path, 3000)), "-o", str(output), "-j", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        staging = list(unit.glob(".ikidoc-*")) if unit.exists() else []
        if staging and any(staging[0].iterdir()) and children.read_text().split():
            break
        time.sleep(0.01)
    if process.poll() is not None or time.monotonic() >= deadline:
        process.kill()
        pytest.fail(f"the run never started writing: {process.communicate()}")
    for child in children.read_text().split():
        os.kill(int(child), signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.rstrip().endswith("stopped before its work was done (killed, or the computer "
                                    "ran out of memory); nothing was written. Run again; if it "
                                    "happens again, use -j 1")
    assert tree_snapshot(output) == {}

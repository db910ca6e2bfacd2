"""One run at a time per unit: the lock file, and two real ikidoc processes started together."""
from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, write_data

from ikidoc import audit, lock
from ikidoc.archive import load_manifest, unit_lock
from ikidoc.errors import ArchiveError

UNIT = "bagian-administrasi-perekonomian-2025"


def write_lock(path: Path, pid: int, host: str | None = None) -> str:
    text = json.dumps({"pid": pid, "host": host or socket.gethostname(),
                       "since": "2025-01-02T08:00:00+07:00"})
    path.write_text(text, encoding="utf-8")
    return text


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_held_lock_is_reported_with_its_holder_after_the_wait(tmp_path: Path) -> None:
    held = write_lock(tmp_path / ".lock", os.getpid())
    with pytest.raises(ArchiveError) as raised, lock.hold(tmp_path / ".lock", wait=0.2):
        pytest.fail("the lock was taken from a live holder")
    assert str(raised.value) == (
        f"{tmp_path / '.lock'}: another ikidoc run (pid {os.getpid()} on {socket.gethostname()}, "
        "since 2025-01-02T08:00:00+07:00) is writing this unit; waited 0.2 seconds. Run again "
        "when it has finished; if no ikidoc is running any more, delete this file")
    assert (tmp_path / ".lock").read_text(encoding="utf-8") == held


def test_a_lock_on_another_host_counts_as_held(tmp_path: Path) -> None:
    write_lock(tmp_path / ".lock", dead_pid(), host="another-computer")
    with (pytest.raises(ArchiveError, match=r"another ikidoc run .* on another-computer"),
          lock.hold(tmp_path / ".lock", wait=0)):
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_lock_that_is_a_named_pipe_is_reported_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".lock")
    with (pytest.raises(ArchiveError, match=r"another ikidoc run is writing this unit; waited 0.2"),
          lock.hold(tmp_path / ".lock", wait=0.2)):
        pytest.fail("a named pipe was taken for a free lock")


def test_a_lock_left_by_a_dead_run_is_taken_over_and_removed_after(tmp_path: Path) -> None:
    write_lock(tmp_path / ".lock", dead_pid())
    with lock.hold(tmp_path / ".lock", wait=0):
        holder = json.loads((tmp_path / ".lock").read_text(encoding="utf-8"))
        assert (holder["pid"], holder["host"]) == (os.getpid(), socket.gethostname())
    assert not (tmp_path / ".lock").exists()


def test_racing_takeovers_of_a_dead_runs_lock_leave_one_holder_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight runs find the same dead holder's lock at once, 60 times over. Reading a lock
    is slowed by a random moment, which widens the window between judging a lock dead
    and acting on it: a takeover by read, compare and delete lets two runs hold the unit
    within a few rounds."""
    read = lock._read

    def slow_read(path: Path) -> object:
        found = read(path)
        time.sleep(random.random() / 500)
        return found

    monkeypatch.setattr(lock, "_read", slow_read)
    monkeypatch.setattr(lock, "_POLL", 0.001)
    path, dead, runs = tmp_path / ".lock", dead_pid(), 8
    holding, overlaps = [], []
    guard = threading.Lock()

    def run(barrier: threading.Barrier) -> None:
        barrier.wait(timeout=10)
        with lock.hold(path, wait=10):
            with guard:
                holding.append(threading.get_ident())
                if len(holding) > 1:
                    overlaps.append(list(holding))
            time.sleep(0.0005)
            with guard:
                holding.remove(threading.get_ident())

    for _ in range(60):
        write_lock(path, dead)
        barrier = threading.Barrier(runs)
        threads = [threading.Thread(target=run, args=(barrier,)) for _ in range(runs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)
        assert overlaps == [] and not path.exists()
    assert not list(tmp_path.glob(".lock.takeover-*"))


def test_the_lock_is_released_when_the_block_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), lock.hold(tmp_path / ".lock"):
        raise RuntimeError("render failed")
    assert not (tmp_path / ".lock").exists()


def test_unit_lock_leaves_no_folder_it_created_when_nothing_was_written(tmp_path: Path) -> None:
    with unit_lock(tmp_path / "output" / "unit"):
        assert (tmp_path / "output" / "unit" / ".lock").is_file()
    assert list(tmp_path.iterdir()) == []


def start_generate(data: Path, output: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "ikidoc", "generate", str(data), "-o", str(output)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out.splitlines()[0])
    return outputs


# The sample's 12 positions take long enough to render that the two runs overlap.
def test_two_runs_of_the_same_data_at_once_write_one_revision_and_one_unchanged(
        sample_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    firsts = finish([start_generate(sample_copy, output), start_generate(sample_copy, output)])
    revision = output / UNIT / "r1"
    assert sorted(firsts) == [
        f"Bagian Administrasi Perekonomian: unchanged; {revision} already holds these documents "
        "(same data, template and ikidoc version)",
        f"Bagian Administrasi Perekonomian: wrote 13 documents to {revision} (template iki 1.1.0)"]
    assert sorted(p.name for p in (output / UNIT).iterdir()) == ["r1", "unit.json"]
    assert all(check.ok for check in audit.verify(revision, rebuild=True))


def test_two_runs_of_different_data_at_once_write_two_whole_revisions(sample_copy: Path,
                                                                    tmp_path: Path) -> None:
    other = write_data(tmp_path, sample_copy.read_text(encoding="utf-8").replace(
        "Bendahara\n", "Bendahara Pengeluaran\n"), "other.yaml")
    output = tmp_path / "out"
    finish([start_generate(sample_copy, output), start_generate(other, output)])
    assert sorted(p.name for p in (output / UNIT).iterdir()) == ["r1", "r2", "unit.json"]
    assert all(check.ok for check in audit.verify(output, rebuild=True))
    made_from = {load_manifest(output / UNIT / r).inputs.data_file for r in ("r1", "r2")}
    assert made_from == {sample_copy.name, "other.yaml"}

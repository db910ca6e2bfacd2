"""Whole runs as an officer waits for them: ``--pdf`` against LibreOffice converting each
file, ``-j 1`` against ``-j 2``, and a mistake in a large file against the same file
valid, each measured against its baseline in the same run.

    python benchmarks/bench_whole.py            # PDFs of 10, 100, 500; -j and errors on 10,000
    python benchmarks/bench_whole.py --quick    # PDFs of 10 positions; -j and errors on 1,000
    python benchmarks/bench_whole.py --repeat 3

(a) ``--pdf``: the time of generate's PDF step (from its "pdf" step to its end) for a
unit of N positions, against plain ``soffice --convert-to pdf`` of the same .docx files
(the positions' and the combined one) with a fresh profile, in batches of 200 (one
soffice start converts at most about 245 files). (b) ``-j``: ``ikidoc generate -q`` as
a whole process (Python's start, loading, writing) with ``-j 1`` and ``-j 2``, for
10,000 positions in one data file and in 100 files of 100 positions, with the CPU time
of the parent process and of its workers (what stays in the parent is what -j cannot
share). (c) The error path: a 10,000-position file read valid, with a YAML syntax error
near its end, and with a misspelt key near its end (benchmarks/bench_errors.py). Runs
alternate between the two sides of each comparison, and the fastest of ``--repeat`` is
kept, so that other work on the machine weighs on both alike; the load average is
printed beside each row. Goals (issue "PDF/A at the speed of one LibreOffice load per
unit"): ``--pdf`` at least 2.5x faster than LibreOffice converting each file; ``-j 2`` at
least 1.6x faster than ``-j 1``; the error paths under 2x the valid file's time and memory.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not
sys.path.insert(0, str(REPO / "benchmarks"))

import yaml  # noqa: E402
from bench_errors import read as read_in_a_process  # noqa: E402
from bench_errors import variants  # noqa: E402
from bench_generate import SAMPLE, TEMPLATE, build_data  # noqa: E402

from ikidoc import generate  # noqa: E402
from ikidoc.pdf import soffice  # noqa: E402

BATCH = 200  # files per plain soffice start


Result = TypeVar("Result")


def fastest(repeat: int, *runs: Callable[[], Result],
            seconds: Callable[[Result], float]) -> list[Result]:
    """The fastest of ``repeat`` rounds of each run (by its ``seconds``), the runs
    alternating in a round."""
    times = [[run() for run in runs] for _ in range(repeat)]
    return [min((round_[index] for round_ in times), key=seconds) for index in range(len(runs))]


def load() -> str:
    """The machine's load average over the last minute, where the system tells it: a
    -j 2 run is only faster than -j 1 on cores that other work leaves free."""
    return f"load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""


def pdf_step(data: Path, jobs: int, work: Path) -> float:
    """Seconds of generate's PDF step for the unit in ``data``, into a fresh output."""
    begun: list[float] = []
    output = Path(tempfile.mkdtemp(dir=work))
    generate([data], TEMPLATE, output, pdf=True, jobs=jobs,
             steps=lambda unit, step: begun.append(time.perf_counter()) if step == "pdf" else None)
    seconds = time.perf_counter() - begun[0]
    shutil.rmtree(output)
    return seconds


def plain_soffice(documents: list[Path], work: Path) -> float:
    """Seconds for plain ``soffice --convert-to pdf`` of ``documents``, fresh profile,
    one start per batch of BATCH files; checks that every PDF was made."""
    profile = Path(tempfile.mkdtemp(dir=work))
    out = Path(tempfile.mkdtemp(dir=work))
    start = time.perf_counter()
    for first in range(0, len(documents), BATCH):
        subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out),
                        *map(str, documents[first:first + BATCH])],
                       check=True, capture_output=True)
    seconds = time.perf_counter() - start
    made = len(list(out.glob("*.pdf")))
    assert made == len(documents), f"soffice made {made} of {len(documents)} PDFs"
    shutil.rmtree(profile)
    shutil.rmtree(out)
    return seconds


def report_pdf(sizes: list[int], jobs: int, repeat: int, work: Path) -> None:
    print(f"\n--pdf: generate's PDF step against plain soffice --convert-to pdf of the same "
          f"files (fresh profile, batches of {BATCH})")
    print(f"  {'positions':>9} {'files':>6} {'soffice each':>13} {'ikidoc -j 1':>12} "
          f"{'-j ' + str(jobs):>8} {'each / -j 1':>12} {'each / -j ' + str(jobs):>12}")
    for size in sizes:
        folder = Path(tempfile.mkdtemp(dir=work))
        data = build_data(size, folder)
        [outcome] = generate([data], TEMPLATE, folder / "docx")
        documents = [outcome.folder / document.file for document in outcome.documents]
        each, one, many = fastest(repeat, partial(plain_soffice, documents, work),
                                  partial(pdf_step, data, 1, work),
                                  partial(pdf_step, data, jobs, work), seconds=float)
        print(f"  {size:>9,} {len(documents):>6} {each:>11.2f} s {one:>10.2f} s {many:>6.2f} s "
              f"{each / one:>11.1f}x {each / many:>11.1f}x  {load()}")


class Run(NamedTuple):
    """A whole run: its seconds, and the CPU seconds (user and system) of the process
    and of its worker processes."""

    seconds: float
    parent: float
    workers: float


# `ikidoc generate` as `python -m ikidoc` runs it, telling at its exit the CPU time of its
# own process and of its workers (finished, so counted among its children).
_GENERATE = """
import atexit, json, resource, sys
def told():
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    with open(sys.argv[1], "w") as out:
        json.dump([own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime], out)
atexit.register(told)
from ikidoc.cli import cli
cli(sys.argv[2:], prog_name="ikidoc")
"""


def whole_run(paths: Path, jobs: int, work: Path) -> Run:
    """``ikidoc generate -q -j JOBS`` as a process of its own: its seconds and CPU."""
    output = Path(tempfile.mkdtemp(dir=work))
    cpu = work / "cpu.json"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _GENERATE, str(cpu), "generate", str(paths),
                    "-t", TEMPLATE, "-o", str(output), "-q", "-j", str(jobs)], check=True,
                   capture_output=True, cwd=REPO)
    seconds = time.perf_counter() - start
    shutil.rmtree(output)
    parent, workers = json.loads(cpu.read_text(encoding="utf-8"))
    return Run(seconds, parent, workers)


def unit_files(count: int, size: int, folder: Path) -> Path:
    """``count`` data files of ``size`` positions each, one unit each, in ``folder``."""
    folder.mkdir()
    template = yaml.safe_load(build_data(size, Path(tempfile.mkdtemp(dir=folder.parent)))
                              .read_text(encoding="utf-8"))
    for number in range(1, count + 1):
        data = dict(template, unit_kerja=f"Puskesmas Kecamatan {number}")
        (folder / f"unit-{number:03d}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def report_jobs(total: int, repeat: int, work: Path) -> None:
    print(f"\n-j: ikidoc generate -q as a whole process, {total:,} positions; CPU seconds "
          "(user + system) of the parent process and of its workers")
    print(f"  {'data':<28} {'-j 1':>8} {'-j 2':>8} {'-j 1 / -j 2':>12} {'CPU -j 1':>9} "
          f"{'CPU -j 2: parent + workers':>27}")
    one_file = build_data(total, Path(tempfile.mkdtemp(dir=work)))
    many = unit_files(100, total // 100, work / "units")
    for label, paths in [(f"one file of {total:,}", one_file),
                         (f"100 files of {total // 100}", many)]:
        one, two = fastest(repeat, partial(whole_run, paths, 1, work),
                           partial(whole_run, paths, 2, work), seconds=lambda run: run.seconds)
        split = f"{two.parent:.1f} + {two.workers:.1f} s"
        print(f"  {label:<28} {one.seconds:>6.2f} s {two.seconds:>6.2f} s "
              f"{one.seconds / two.seconds:>11.2f}x {one.parent + one.workers:>7.1f} s "
              f"{split:>27}  {load()}")


def report_errors(positions: int, repeat: int, work: Path) -> None:
    folder = Path(tempfile.mkdtemp(dir=work))
    paths = variants(build_data(positions, folder))
    size = paths["valid"].stat().st_size / 2**20
    print(f"\nThe error path: {positions:,} positions, {size:.1f} MB of YAML, each read in a "
          "fresh process")
    print(f"  {'file':<14} {'seconds':>8} {'x valid':>8} {'peak RSS MB':>12} {'x valid':>8}")
    runs = dict(zip(paths, fastest(repeat, *(partial(read_in_a_process, path, 1)
                                             for path in paths.values()),
                                     seconds=lambda run: float(run["seconds"])), strict=True))
    base = runs["valid"]
    for name, run in runs.items():
        seconds, rss = float(run["seconds"]), float(run["rss"])
        print(f"  {name:<14} {seconds:>8.2f} {seconds / float(base['seconds']):>8.2f} "
              f"{rss:>12.0f} {rss / float(base['rss']):>8.2f}  {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="PDFs of 10 positions, -j and errors on 1,000 positions")
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds per comparison, fastest kept (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="N of the --pdf -j N column (default: %(default)s)")
    args = parser.parse_args()
    assert SAMPLE.is_file()
    print(f"ikidoc whole-run benchmark: {os.cpu_count()} CPUs, {load()} at the start; "
          f"times are the fastest of {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="ikidoc-bench-whole-") as work:
        report_pdf([10] if args.quick else [10, 100, 500], args.jobs, args.repeat, Path(work))
        report_jobs(1_000 if args.quick else 10_000, args.repeat, Path(work))
        report_errors(1_000 if args.quick else 10_000, args.repeat, Path(work))


if __name__ == "__main__":
    main()

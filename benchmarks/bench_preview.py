"""How long ``ikidoc preview`` takes: one position, and the bundled unit of 12 positions.

    python benchmarks/bench_preview.py              # 3 runs of each, the median shown
    python benchmarks/bench_preview.py --repeat 5

Targets: one position under 2 s, 12 positions under 6 s, on a 2-core machine. Each
preview starts LibreOffice once (there is no warm worker: UNO is not importable from the
project's Python, see the README), so the baseline measured in the same run is that
LibreOffice conversion alone, of the same documents: preview / baseline says what
rendering the documents and drawing their pages add to it.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not

from ikidoc import preview  # noqa: E402
from ikidoc.pdf import convert  # noqa: E402

SAMPLE = REPO / "data" / "bagian-administrasi-perekonomian.yaml"
TARGETS = {"1 position": 2.0, "12 positions": 6.0}


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def conversion_only(jabatan: int | None) -> None:
    """The baseline: LibreOffice converting the same documents, nothing drawn."""
    with tempfile.TemporaryDirectory() as work:
        paths = []
        for name, _, data in preview.unit_documents([SAMPLE], None, jabatan):
            path = Path(work) / name
            path.write_bytes(data)
            paths.append(path)
        convert(paths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    failed = False
    convert([])  # nothing: only makes sure LibreOffice is found before timing
    for label, jabatan in (("1 position", 2), ("12 positions", None)):
        with tempfile.TemporaryDirectory() as out:
            took = median_seconds(
                lambda chosen=jabatan: preview.preview([SAMPLE], Path(out), jabatan=chosen),
                args.repeat)
        baseline = median_seconds(lambda chosen=jabatan: conversion_only(chosen), args.repeat)
        target = TARGETS[label]
        verdict = "ok" if took < target else "TOO SLOW"
        failed |= took >= target
        print(f"{label:<13} preview {took:5.2f} s (target < {target:.0f} s: {verdict}); "
              f"LibreOffice conversion alone {baseline:5.2f} s, ratio {took / baseline:4.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

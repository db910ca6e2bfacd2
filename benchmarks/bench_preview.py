"""How long a preview takes: one position, and the bundled unit of 12 positions, drawn
by a LibreOffice started for it (``ikidoc preview``) and by the one the page keeps running.

    python benchmarks/bench_preview.py              # 3 runs of each, the median shown
    python benchmarks/bench_preview.py --repeat 5

Targets: one position under 2 s, 12 positions under 6 s, on a 2-core machine. The
baseline, measured in the same run, is the same pictures drawn by a LibreOffice started
for them (what the page did before it kept one running, and what ``ikidoc preview``
does): warm / cold says what keeping LibreOffice running saves. The page asks for one
position per request, so the 12 positions are 12 conversions through the kept one, and
one start for all 12 when cold. The kept LibreOffice is started (and timed) once before.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not

from ikidoc import office, preview  # noqa: E402
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


def cold(jabatan: int | None) -> None:
    """As ``ikidoc preview`` draws (the PNG files left out, as they are for the page):
    every document after one LibreOffice start."""
    preview.draw(preview.unit_documents([SAMPLE], None, jabatan))


def warm(kept: office.Office, jabatan: int | None) -> None:
    """The page: each position a request of its own, through the LibreOffice kept running."""
    for document in preview.unit_documents([SAMPLE], None, jabatan):
        preview.draw([document], converter=kept.convert)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    convert([])  # nothing: only makes sure LibreOffice is found before timing
    if office.uno_python() is None:
        print("no Python with LibreOffice's uno module here (apt-get install python3-uno): "
              "the page would start LibreOffice for each picture")
        return 1
    kept = office.Office()
    failed = False
    try:
        started = time.perf_counter()
        warm(kept, 1)
        print(f"starting the kept LibreOffice and the first picture: "
              f"{time.perf_counter() - started:5.2f} s (once per page)")
        for label, jabatan in (("1 position", 2), ("12 positions", None)):
            took = median_seconds(partial(warm, kept, jabatan), args.repeat)
            baseline = median_seconds(partial(cold, jabatan), args.repeat)
            target = TARGETS[label]
            verdict = "ok" if took < target else "TOO SLOW"
            failed |= took >= target
            print(f"{label:<13} warm {took:5.2f} s (target < {target:.0f} s: {verdict}); "
                  f"cold (one LibreOffice start) {baseline:5.2f} s, "
                  f"warm / cold {took / baseline:4.2f}")
    finally:
        kept.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

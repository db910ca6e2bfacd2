"""How fast ikidoc makes a unit's IKI, and in how much memory, against plain docxtpl.

    python benchmarks/bench_generate.py                 # 100, 1,000 and 10,000 positions
    python benchmarks/bench_generate.py --quick         # a small run, in seconds
    python benchmarks/bench_generate.py --sizes 500 --jobs 4 --repeat 3

Data sets are the bundled sample's positions repeated with numbered names, one unit per
size. Every case runs in a fresh process, so that its peak memory (RSS) is its own:
(a) ``ikidoc.generate`` with -j 1 and with -j N, its documents timed through its step and
progress callbacks; (b) the naive loop, one ``DocxTemplate(path).render(...).save(...)``
per position with the same template (benchmarks/plain_docxtpl.py), on at most
``--naive-sample`` positions of a large unit. Also: loading the data alone (the memory
that is the data itself) and the combined document. Whole runs with -j 1 and -j 2, and
--pdf against LibreOffice alone, are measured by benchmarks/bench_whole.py.
"""
from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not

import yaml  # noqa: E402
from plain_docxtpl import render as render_plain  # noqa: E402

from ikidoc import context, generate, load_file, parallel, templates, workers  # noqa: E402
from ikidoc.render import environment  # noqa: E402

SAMPLE = REPO / "data" / "bagian-administrasi-perekonomian.yaml"
TEMPLATE = "iki"


def build_data(positions: int, folder: Path) -> Path:
    """A data file of ``positions`` positions from the sample, each name numbered. Every
    position is its own copy, so the YAML holds no aliases (ikidoc bounds them)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    sample = data["jabatan"]
    data["jabatan"] = [dict(copy.deepcopy(sample[n % len(sample)]),
                            nama=f"{sample[n % len(sample)]['nama']} {n + 1}")
                       for n in range(positions)]
    path = folder / f"unit-{positions}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def current_rss_mb() -> float:
    """Memory in use now (Linux; elsewhere 0): what the peak does not show once loading
    the data has set it."""
    status = Path("/proc/self/status")
    if not status.exists():
        return 0.0
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB.
    This process's own from /proc (VmHWM) where there is one: Linux carries ru_maxrss
    over exec from the benchmark that started the case, which holds the data it built."""
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    status = Path("/proc/self/status")
    peak = [line for line in status.read_text().splitlines()
            if line.startswith("VmHWM:")] if status.exists() else []
    own = (int(peak[0].split()[1]) * 1024 if peak
           else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale) / 2**20
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 2**20
    return own, children


# Each case runs in its own process (see measure) and returns its figures.

def case_data(data: Path) -> dict[str, float]:
    """Loading and checking the data and building every position's context: the data."""
    start = time.perf_counter()
    source = load_file(data)
    context.for_unit(source.unit)
    return {"seconds": time.perf_counter() - start}


def case_generate(data: Path, jobs: int, output: Path) -> dict[str, float]:
    """ikidoc.generate as the command line runs it. Its step callback marks when the
    documents begin (the data loaded, the workers just given their tasks), its progress
    callback when each document is written: the documents' time, apart from loading, and
    the memory in use while they are written (it must not grow with them). The time per
    position document runs from the documents' start to the last position document; in
    worker processes a unit of up to parallel.WHOLE positions is one task, its combined
    document rendered with its positions, so that time then holds the combined one too."""
    stamps: list[float] = []
    rss: list[float] = []
    began: list[float] = []

    def progress(unit: str, done: int, total: int) -> None:
        stamps.append(time.perf_counter())
        if done == 1 or done % 100 == 0 or done == total:
            rss.append(current_rss_mb())

    def step(unit: str, name: str) -> None:
        if name == "docx":
            began.append(time.perf_counter())

    start = time.perf_counter()
    [outcome] = generate([data], TEMPLATE, output, jobs=jobs, progress=progress, steps=step)
    end = time.perf_counter()
    documents = len(outcome.documents)
    return {"seconds": end - start, "per_document": (stamps[-2] - began[0]) / (documents - 1),
            "combined": stamps[-1] - stamps[-2], "documents": documents,
            "rss_first": rss[0], "rss_most": max(rss)}


def case_naive(data: Path, sample: int, output: Path) -> dict[str, float]:
    """The naive loop over the first ``sample`` positions (the data loaded untimed)."""
    unit = load_file(data).unit
    dokumen = context.for_unit(unit)
    template, env = templates.resolve(TEMPLATE), environment()
    pilihan = template.manifest.switch_values(unit.tambahan)
    count = min(sample, len(unit.jabatan))
    start = time.perf_counter()
    for index in range(count):
        render_plain(template.docx, context.for_position(dokumen, index, pilihan),
                     output / f"{index}.docx", env)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "per_document": seconds / count, "documents": count}


CASES = {"data": case_data, "generate": case_generate, "naive": case_naive}


def measure(case: str, repeat: int, **arguments: Any) -> dict[str, float]:
    """Run a case ``repeat`` times, each in a fresh process; the fastest run's times, the
    highest peak memory."""
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="ikidoc-bench-") as work:
            request = json.dumps({"case": case, "work": work, **arguments}, default=str)
            done = subprocess.run([sys.executable, __file__, "--case", request], check=True,
                                  capture_output=True, text=True)
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    best = min(runs, key=lambda run: run["seconds"])
    return best | {"rss": max(run["rss"] for run in runs),
                   "workers_rss": max(run["workers_rss"] for run in runs)}


def run_case(request: dict[str, Any]) -> None:
    """The child's side of measure: run one case, print its figures as JSON."""
    work = Path(request.pop("work"))
    case = CASES[request.pop("case")]
    arguments = {key: Path(value) if key == "data" else value for key, value in request.items()}
    if case is not case_data:
        arguments["output"] = work / "output"
        arguments["output"].mkdir()
    figures = case(**arguments)
    own, workers = peak_rss_mb()
    print(json.dumps(figures | {"rss": own, "workers_rss": workers}))


def report(size: int, args: argparse.Namespace, folder: Path) -> None:
    data = build_data(size, folder)
    loaded = measure("data", args.repeat, data=data)
    print(f"\n{size:,} positions ({data.stat().st_size / 2**20:.1f} MB of YAML)")
    print(f"  {'case':<34} {'total s':>8} {'ms/doc':>8} {'peak RSS MB':>12}")
    print(f"  {'data: load, check, contexts':<34} {loaded['seconds']:>8.2f} {'':>8} "
          f"{loaded['rss']:>12.0f}")
    single = None
    for jobs in dict.fromkeys([1, args.jobs]):
        run = measure("generate", args.repeat, data=data, jobs=jobs)
        single = single or run
        # its positions' documents and the combined one
        used = workers.processes(jobs, size + 1, multiprocessing.get_start_method())
        label = f"ikidoc generate -j {jobs}" + (f" ({used} processes)" if used else "")
        shared = f" (workers {run['workers_rss']:.0f})" if used else ""
        print(f"  {label:<34} {run['seconds']:>8.2f} {run['per_document'] * 1000:>8.2f} "
              f"{run['rss']:>12.0f}{shared}")
        if jobs == 1 and size > parallel.WHOLE:  # rendered last, on its own
            print(f"  {'  of which the combined document':<34} {run['combined']:>8.2f}")
        print(f"  {'  RSS from the first document on':<34} {'':>17} "
              f"{run['rss_first']:>5.0f} -> {run['rss_most']:.0f}")
    naive = measure("naive", args.repeat, data=data, sample=args.naive_sample)
    sampled = f", {naive['documents']:.0f} of them" if naive["documents"] < size else ""
    print(f"  {'naive docxtpl loop' + sampled:<34} {naive['seconds']:>8.2f} "
          f"{naive['per_document'] * 1000:>8.2f} {naive['rss']:>12.0f}")
    print(f"  per position document, naive / ikidoc -j 1: "
          f"{naive['per_document'] / single['per_document']:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="positions per data set (default: 100 1000 10000; --quick: 30 300)")
    parser.add_argument("--quick", action="store_true",
                        help="a small run: 30 and 300 positions, 30 naive")
    parser.add_argument("--jobs", type=int, default=workers.available_cpus(),
                        help="N of the -j N case (default: the CPUs, here %(default)s)")
    parser.add_argument("--naive-sample", type=int, default=300,
                        help="positions the naive loop renders at most (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case, fastest kept")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        run_case(json.loads(args.case))
        return
    if args.quick:
        args.naive_sample = min(args.naive_sample, 30)
    args.sizes = args.sizes or ([30, 300] if args.quick else [100, 1000, 10_000])
    print(f"ikidoc benchmark: template {TEMPLATE}, {os.cpu_count()} CPUs "
          f"({workers.available_cpus()} usable), Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}; times are the fastest of {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="ikidoc-bench-data-") as folder:
        for size in args.sizes:
            report(size, args, Path(folder))


if __name__ == "__main__":
    main()

"""What a mistake in a large data file costs, against reading the same file valid.

    python benchmarks/bench_errors.py                   # 10,000 positions
    python benchmarks/bench_errors.py --positions 2000 --repeat 3

One data file of the bundled sample's positions repeated, then three variants of it: as
is (the baseline), with a YAML syntax error near its end, and with a misspelt key near
its end. Each is read by ``ikidoc.load_file`` in a fresh process, so that its peak
memory (RSS) is its own; the best time of ``--repeat`` runs is kept. The goal: the error
paths under 2x the valid file's time and memory, every one naming its line.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_generate import build_data  # noqa: E402

_READ = """
import json, resource, sys, time
from pathlib import Path
from ikidoc import DataError, load_file
start = time.perf_counter()
try:
    load_file(Path(sys.argv[1]))
    said = "valid"
except DataError as error:
    said = str(error.problems[0])
seconds = time.perf_counter() - start
# This process's own peak: Linux carries ru_maxrss over exec from the parent that forked
# it (a benchmark holding a large unit), VmHWM belongs to this program alone.
status = Path("/proc/self/status")
peak = [line for line in status.read_text().splitlines()
        if line.startswith("VmHWM:")] if status.exists() else []
kib = int(peak[0].split()[1]) if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rss = kib / 1024
print(json.dumps({"seconds": seconds, "rss": rss, "said": said}))
"""


def variants(valid: Path) -> dict[str, Path]:
    """The valid file and its two broken copies, each broken in its last position."""
    text = valid.read_text(encoding="utf-8")
    last = text.rindex("formulasi:")
    broken = {
        "valid": text,
        "syntax error": text[:last] + 'formulasi: "never closed\n' + text[last:],
        "misspelt key": text[:last] + "formulasii:" + text[last + len("formulasi:"):],
    }
    paths = {}
    for name, content in broken.items():
        path = valid.with_name(name.replace(" ", "-") + ".yaml")
        path.write_text(content, encoding="utf-8")
        paths[name] = path
    return paths


def read(path: Path, repeat: int) -> dict[str, float | str]:
    runs = [json.loads(subprocess.run([sys.executable, "-c", _READ, str(path)], check=True,
                                      capture_output=True, text=True, cwd=REPO).stdout)
            for _ in range(repeat)]
    best = min(runs, key=lambda run: run["seconds"])
    return best | {"rss": max(run["rss"] for run in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = variants(build_data(args.positions, Path(folder)))
        size = paths["valid"].stat().st_size / 2**20
        print(f"{args.positions:,} positions, {size:.1f} MB of YAML; each read in a fresh process")
        print(f"  {'file':<14} {'s':>7} {'x valid':>8} {'peak RSS MB':>12} {'x valid':>8}  "
              "first problem")
        base = read(paths["valid"], args.repeat)
        for name, path in paths.items():
            run = base if name == "valid" else read(path, args.repeat)
            said = str(run["said"]).replace(folder + "/", "")
            print(f"  {name:<14} {run['seconds']:>7.2f} {run['seconds'] / base['seconds']:>8.2f} "
                  f"{run['rss']:>12.0f} {run['rss'] / base['rss']:>8.2f}  {said[:70]}")


if __name__ == "__main__":
    main()

"""Worker processes: how many pay for their start, how each behaves, and reading several
data files side by side. Kept apart from the documents' own work (ikidoc.parallel) so that
the data layer (ikidoc.load) can read files in workers without reaching the documents."""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from ikidoc.errors import WorkerError

# Starting a worker costs about as much as rendering this many documents: a forked one
# shares its parent's memory; a spawned one (Windows, macOS) imports ikidoc and is sent
# the template and the units through a pipe.
MIN_PER_PROCESS = {"fork": 100, "spawn": 1000, "forkserver": 1000}
Loaded = TypeVar("Loaded")


def available_cpus() -> int:
    """The CPUs this process may run on (a container's or a taskset's limit, where the
    system tells it, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def processes(jobs: int, documents: int, method: str) -> int:
    """How many worker processes started by ``method`` render ``documents`` documents
    with at most ``jobs``: 0 (render here) unless two or more workers each get enough
    to pay for their start."""
    count = min(jobs, documents // MIN_PER_PROCESS.get(method, max(MIN_PER_PROCESS.values())))
    return count if count >= 2 else 0


# Reading this many bytes of a data file in a worker, and handing its unit back to the
# parent, takes about as long as rendering one document (see MIN_PER_PROCESS).
BYTES_PER_DOCUMENT = 5000


def each_file(read: Callable[[Path], Loaded], files: Sequence[Path], jobs: int) -> list[Loaded]:
    """``read`` of each file, in order, side by side in up to ``jobs`` processes when
    the files are several and together large enough to pay for them. ``read`` hands its
    errors back rather than raising them, so that every file is read."""
    method = multiprocessing.get_context()
    size = sum(_size(file) for file in files)
    count = min(len(files), processes(jobs, size // BYTES_PER_DOCUMENT,
                                      method.get_start_method()))
    if count < 2:
        return [read(file) for file in files]
    with ProcessPoolExecutor(count, method, become_worker) as pool:
        try:
            return list(pool.map(read, files))
        except BrokenProcessPool:
            raise WorkerError(processes=count) from None


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:  # read says why, in its turn
        return 0


def become_worker() -> None:
    """Worker initializer. Ctrl-C is the parent's to handle (it stops the workers and
    removes the unfinished revision), and a `kill` of the whole group ends a worker at
    once (not through the parent's handler, which a forked worker inherits): the workers
    print no traceback of their own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker when its parent ends: a parent killed outright (kill -9) cannot
    stop its workers, and a forked worker would otherwise wait for work forever, holding
    the parent's output open."""
    multiprocessing.connection.wait([parent])
    os._exit(1)

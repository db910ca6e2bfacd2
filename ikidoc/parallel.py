"""The position documents of a unit, rendered in several processes and handed back in order.

A province renders thousands of positions, each document independent of the others, so
they are spread over worker processes. Each worker receives the compiled template and
the unit once (pool initializer), then renders ranges of positions; the parent takes the
documents in order, with only a few ranges in flight, so that memory does not grow with
the number of positions and the files are written exactly as one process would.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ikidoc.model import UnitKerja
    from ikidoc.render import CompiledTemplate

# Starting a worker costs about as much as rendering this many documents: a forked one
# shares its parent's memory; a spawned one (Windows, macOS) imports ikidoc and is sent
# the template and the whole unit through a pipe.
MIN_PER_PROCESS = {"fork": 100, "spawn": 1000, "forkserver": 1000}
RANGE = 20  # positions per task: few messages, yet little waiting for the slowest
_IN_FLIGHT = 2  # ranges per process given out ahead of the one the parent waits for

# The worker's own state, set once by _start in each worker process.
_worker: tuple[CompiledTemplate, UnitKerja, dict[str, Any]] | None = None


def available_cpus() -> int:
    """The CPUs this process may run on (a container's or a taskset's limit, where the
    system tells it, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def processes(jobs: int, positions: int, method: str) -> int:
    """How many worker processes started by ``method`` render ``positions`` documents
    with at most ``jobs``: 0 (render here) unless two or more workers each get enough
    to pay for their start."""
    count = min(jobs, positions // MIN_PER_PROCESS.get(method, max(MIN_PER_PROCESS.values())))
    return count if count >= 2 else 0


def position_documents(compiled: CompiledTemplate, unit: UnitKerja, dokumen: dict[str, Any],
                       jobs: int = 1) -> Iterator[bytes]:
    """The .docx of every position of ``unit``, in order, rendered in up to ``jobs``
    processes; the same bytes for any ``jobs``. Raises what rendering raises
    (TemplateError), in this process; a worker that dies (killed, out of memory) raises
    BrokenProcessPool rather than leaving the run waiting."""
    start_method = multiprocessing.get_context()
    count = processes(jobs, len(unit.jabatan), start_method.get_start_method())
    if not count:
        for index in range(len(unit.jabatan)):
            yield compiled.position(unit, dokumen, index)
        return
    ranges = [(start, min(start + RANGE, len(unit.jabatan)))
              for start in range(0, len(unit.jabatan), RANGE)]
    with ProcessPoolExecutor(count, start_method, _start, (compiled, unit, dokumen)) as pool:
        pending: deque[Future[list[bytes]]] = deque()
        for task in ranges:
            pending.append(pool.submit(_render, *task))
            if len(pending) > _IN_FLIGHT * count:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _start(compiled: CompiledTemplate, unit: UnitKerja, dokumen: dict[str, Any]) -> None:
    """Worker initializer. Ctrl-C is the parent's to handle (it stops the workers and
    removes the unfinished revision), and a `kill` of the whole group ends a worker at
    once (not through the parent's handler, which a forked worker inherits): the workers
    print no traceback of their own."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    _worker = (compiled, unit, dokumen)


def _exit_with(parent: int) -> None:
    """End this worker when its parent ends: a parent killed outright (kill -9) cannot
    stop its workers, and a forked worker would otherwise wait for work forever, holding
    the parent's output open."""
    multiprocessing.connection.wait([parent])
    os._exit(1)


def _render(start: int, stop: int) -> list[bytes]:
    assert _worker is not None, "_start runs first in every worker"
    compiled, unit, dokumen = _worker
    return [compiled.position(unit, dokumen, index) for index in range(start, stop)]

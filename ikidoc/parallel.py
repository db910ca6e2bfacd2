"""The documents of a run's units, rendered in several processes and handed back in order.

A province renders thousands of positions, in one unit or in a hundred, each document
independent of the others, so they are spread over worker processes shared by every unit
of the run. Each worker receives the compiled template and the units once (pool
initializer), then renders ranges of positions, or a unit's combined document, which
takes as long as half of its positions and so is rendered beside them, not after them.
The parent takes the documents in order, with only a few tasks in flight, so that memory
does not grow with the number of positions and the files are written exactly as one
process would.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ikidoc.model import UnitKerja
    from ikidoc.render import CompiledTemplate

# Starting a worker costs about as much as rendering this many documents: a forked one
# shares its parent's memory; a spawned one (Windows, macOS) imports ikidoc and is sent
# the template and the units through a pipe.
MIN_PER_PROCESS = {"fork": 100, "spawn": 1000, "forkserver": 1000}
RANGE = 20  # positions per task: few messages, yet little waiting for the slowest
_IN_FLIGHT = 2  # tasks per process given out ahead of the one the parent waits for

Unit = tuple["UnitKerja", dict[str, Any]]  # a unit and its ``dokumen`` (context.for_unit)
# The worker's own state, set once by _start in each worker process.
_worker: tuple[CompiledTemplate, Sequence[Unit]] | None = None


class _Task(NamedTuple):
    """Positions start..stop of a unit, or its combined document when ``stop`` is 0."""

    unit: int
    start: int = 0
    stop: int = 0


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


class Documents:
    """The documents of ``units``, rendered in up to ``jobs`` processes shared by all of
    them; the same bytes for any ``jobs``. Use as a context manager, which stops the
    workers; ``of`` is asked for each unit in turn."""

    def __init__(self, compiled: CompiledTemplate, units: Sequence[Unit], jobs: int = 1) -> None:
        self._compiled, self._units = compiled, units
        per_unit = [self._tasks(index) for index in range(len(units))]
        # The combined document first: the longest task starts before its positions.
        self._order = [task for tasks in per_unit for task in (tasks[-1], *tasks[:-1])]
        self._submitted = 0
        self._futures: dict[_Task, Future[list[bytes]]] = {}
        method = multiprocessing.get_context()
        positions = sum(len(unit.jabatan) for unit, _ in units)
        self._count = processes(jobs, positions, method.get_start_method())
        self._pool = ProcessPoolExecutor(self._count, method, _start, (compiled, units)) \
            if self._count else None

    def __enter__(self) -> Documents:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def processes(self) -> int:
        """How many worker processes render (0: this process renders)."""
        return self._count

    def of(self, index: int) -> Iterator[bytes]:
        """The unit's position documents in order (none for a template of scope
        ``dokumen``), then its combined document. Raises what rendering raises
        (TemplateError), in this process; a worker that dies (killed, out of memory)
        raises BrokenProcessPool rather than leaving the run waiting."""
        for task in self._tasks(index):
            yield from self._result(task)

    def _tasks(self, index: int) -> list[_Task]:
        """The unit's tasks in the order of its documents, its combined document last."""
        unit, _ = self._units[index]
        count = len(unit.jabatan) if self._compiled.scope == "jabatan" else 0
        return [*(_Task(index, start, min(start + RANGE, count))
                  for start in range(0, count, RANGE)), _Task(index)]

    def _result(self, task: _Task) -> list[bytes]:
        if self._pool is None:
            return _render(self._compiled, self._units, task)
        limit = _IN_FLIGHT * self._count + 1
        while self._submitted < len(self._order) and (task not in self._futures
                                                      or len(self._futures) < limit):
            ahead = self._order[self._submitted]
            self._futures[ahead] = self._pool.submit(_work, ahead)
            self._submitted += 1
        return self._futures.pop(task).result()


def _start(compiled: CompiledTemplate, units: Sequence[Unit]) -> None:
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
    _worker = (compiled, units)


def _exit_with(parent: int) -> None:
    """End this worker when its parent ends: a parent killed outright (kill -9) cannot
    stop its workers, and a forked worker would otherwise wait for work forever, holding
    the parent's output open."""
    multiprocessing.connection.wait([parent])
    os._exit(1)


def _work(task: _Task) -> list[bytes]:
    assert _worker is not None, "_start runs first in every worker"
    return _render(*_worker, task)


def _render(compiled: CompiledTemplate, units: Sequence[Unit], task: _Task) -> list[bytes]:
    unit, dokumen = units[task.unit]
    if not task.stop:
        return [compiled.combined(unit, dokumen)]
    return [compiled.position(unit, dokumen, index) for index in range(task.start, task.stop)]

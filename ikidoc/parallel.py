"""The documents of a run's units, rendered and written in several processes.

A province renders thousands of positions, in one unit or in a hundred, each document
independent of the others, so they are spread over worker processes shared by every unit
of the run. Each worker receives the compiled template and the units once (pool
initializer), works out a unit's template values itself, then renders ranges of
positions, or a unit's combined document (which takes as long as half of its positions
and so is rendered beside them, not after them), or the whole of a small unit, and writes
them straight into the unit's staged revision. It hands back only each file's name,
sha256 and size, so the parent has little left to do but record them in order, and
memory does not grow with the number of positions.
"""
from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from ikidoc import archive, context
from ikidoc.errors import WorkerError
from ikidoc.workers import become_worker, processes

if TYPE_CHECKING:
    from ikidoc.letterhead import Logo
    from ikidoc.model import UnitKerja
    from ikidoc.render import CompiledTemplate

RANGE = 20  # positions per task of a large unit: few messages, yet little waiting for the slowest
# A unit of at most this many positions is one task, its combined document included: its
# template values are then worked out once, and a hundred small units keep the processes
# as busy as one large one.
WHOLE = 150


class Unit(NamedTuple):
    """What one unit's documents are made from and where they are written: the staged
    revision's folder, and the file of each position then the combined document's."""

    data: UnitKerja
    logo: Logo | None
    folder: Path
    names: Sequence[str]


class _Task(NamedTuple):
    """Positions start..stop of a unit, then its combined document if ``combined``."""

    unit: int
    start: int
    stop: int
    combined: bool


class Documents:
    """The documents of ``units``, rendered and written in up to ``jobs`` processes
    shared by all of them; the same bytes for any ``jobs``. Use as a context manager,
    which stops the workers (after the tasks they are in, so that nothing is written
    into a revision once the block is left); ``of`` is asked for each unit in turn."""

    def __init__(self, compiled: CompiledTemplate, units: Sequence[Unit], jobs: int = 1) -> None:
        self._compiled, self._units = compiled, units
        self._futures: dict[_Task, Future[list[archive.Written]]] = {}
        method = multiprocessing.get_context()
        self._count = processes(jobs, self._documents(), method.get_start_method())
        self._pool = ProcessPoolExecutor(self._count, method, _start, (compiled, units)) \
            if self._count else None
        self._here = None if self._pool else _Renderer(compiled, units)
        if self._pool:
            # The forked workers keep what is in memory now (the data) out of their
            # garbage collector's walks, which would copy the pages they share with
            # this process; the first task starts them.
            gc.freeze()
            try:
                self._submit(self._pool)
            except BaseException:  # Ctrl-C: no worker may go on writing once we are gone
                self._pool.shutdown(wait=True, cancel_futures=True)
                raise
            finally:
                gc.unfreeze()

    def _submit(self, pool: ProcessPoolExecutor) -> None:
        """Every task at once: each hands back a few names and hashes. A unit's combined
        document, its longest task, goes before its positions."""
        for index in range(len(self._units)):
            tasks = self._tasks(index)
            for task in tasks[-1:] + tasks[:-1]:
                self._futures[task] = pool.submit(_work, task)

    def _documents(self) -> int:
        """How many documents are made: each unit's positions and its combined document,
        or its one document for a template of scope ``dokumen`` (a unit of a thousand
        positions is then one task, which one process renders however many there are)."""
        if self._compiled.scope == "jabatan":
            return sum(len(unit.data.jabatan) + 1 for unit in self._units)
        return len(self._units)

    def __enter__(self) -> Documents:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def processes(self) -> int:
        """How many worker processes render (0: this process renders)."""
        return self._count

    def of(self, index: int) -> Iterator[archive.Written]:
        """The files written of the unit, in order: its position documents (none for a
        template of scope ``dokumen``), then its combined document. Raises what rendering
        or writing raises (TemplateError, ArchiveError), in this process; a worker that
        dies (killed, out of memory) raises WorkerError rather than leaving the run
        waiting."""
        for task in self._tasks(index):
            if self._here:
                yield from self._here(task)
                continue
            try:
                written = self._futures.pop(task).result()
            except BrokenProcessPool:
                raise WorkerError(processes=self._count) from None
            yield from written

    def _tasks(self, index: int) -> list[_Task]:
        """The unit's tasks in the order of its documents, its combined document last."""
        unit = self._units[index]
        count = len(unit.data.jabatan) if self._compiled.scope == "jabatan" else 0
        if self._here:  # one document a task: each is told (progress) as soon as written
            return [*(_Task(index, number, number + 1, combined=False)
                      for number in range(count)), _Task(index, 0, 0, combined=True)]
        if count <= WHOLE:
            return [_Task(index, 0, count, combined=True)]
        return [*(_Task(index, start, min(start + RANGE, count), combined=False)
                  for start in range(0, count, RANGE)), _Task(index, 0, 0, combined=True)]


class _Renderer:
    """Renders and writes the documents of a task, in a worker or in the parent; keeps
    the template values of the unit it last worked on, which its next task most likely
    needs too."""

    def __init__(self, compiled: CompiledTemplate, units: Sequence[Unit]) -> None:
        self._compiled, self._units = compiled, units
        self._values: tuple[int, dict[str, Any]] | None = None

    def __call__(self, task: _Task) -> list[archive.Written]:
        unit, dokumen = self._units[task.unit], self._dokumen(task.unit)
        made = [archive.write_file(unit.folder, unit.names[index],
                                   self._compiled.position(unit.data, dokumen, index))
                for index in range(task.start, task.stop)]
        if task.combined:
            made.append(archive.write_file(unit.folder, unit.names[-1],
                                           self._compiled.combined(unit.data, dokumen)))
        return made

    def _dokumen(self, index: int) -> dict[str, Any]:
        if self._values is None or self._values[0] != index:
            unit = self._units[index]
            self._values = (index, context.for_unit(unit.data, unit.logo))
        return self._values[1]


def _start(compiled: CompiledTemplate, units: Sequence[Unit]) -> None:
    """Worker initializer of Documents."""
    global _worker
    become_worker()
    _worker = _Renderer(compiled, units)


# The worker's own renderer, set once by _start in each worker process.
_worker: _Renderer | None = None


def _work(task: _Task) -> list[archive.Written]:
    assert _worker is not None, "_start runs first in every worker"
    return _worker(task)

"""Generation runs in the background, one at a time, with progress a page can poll.

A unit of hundreds of positions takes a while (longer with PDFs); the request that
starts it returns at once and the page asks for the progress instead of waiting.
One worker thread runs the jobs in turn, as two runs at once would only compete
for the same two cores and the unit's lock.
"""
from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ikidoc.errors import IkidocError
from ikidoc.generate import Outcome, generate

log = logging.getLogger(__name__)

State = Literal["menunggu", "berjalan", "selesai", "gagal"]


@dataclass
class Job:
    """One generation: what it is making, how far it has come, and how it ended."""

    id: str
    template: str  # the template's label, "iki 1.0.0"
    pdf: bool
    state: State = "menunggu"
    done: int = 0  # documents written so far
    total: int = 0  # documents to write; 0 until the first is written
    outcomes: list[Outcome] = field(default_factory=list)
    error: IkidocError | None = None
    failure: str = ""  # an error that is not ikidoc's own: a bug, reported without traceback

    @property
    def finished(self) -> bool:
        return self.state in ("selesai", "gagal")

    def status(self) -> dict[str, object]:
        """What the page's script polls."""
        return {"state": self.state, "done": self.done, "total": self.total,
                "finished": self.finished}

    def _progress(self, unit_kerja: str, done: int, total: int) -> None:
        self.done, self.total = done, total


class Jobs:
    """The jobs of this server, by id; the worker thread runs them in order."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ikidoc-generate")

    def start(self, paths: list[Path], template: Path, label: str, output: Path, *, pdf: bool,
              then: Callable[[], None]) -> Job:
        """Queue the generation of ``paths`` with the template folder ``template`` into
        ``output``; ``then`` runs after it, whatever the result (it removes the upload)."""
        job = Job(secrets.token_urlsafe(12), label, pdf)
        with self._lock:
            self._jobs[job.id] = job
        self._worker.submit(self._run, job, paths, template, output, then)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Finish the job that is running (a revision is never left half written by us)
        and drop those still waiting: the server is stopping."""
        self._worker.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _run(job: Job, paths: list[Path], template: Path, output: Path,
             then: Callable[[], None]) -> None:
        job.state = "berjalan"
        try:
            job.outcomes = generate(paths, str(template), output, pdf=job.pdf,
                                    progress=job._progress)
            job.state = "selesai"
        except IkidocError as error:
            job.error, job.state = error, "gagal"
        except Exception as error:  # a bug must end the job visibly, not hang the page
            log.exception("generation failed")
            job.failure, job.state = f"{type(error).__name__}: {error}", "gagal"
        finally:
            then()

"""Generation runs in the background, one at a time, with progress a page can poll.

A unit of hundreds of positions takes a while (longer with PDFs); the request that
starts it returns at once and the page asks for the progress instead of waiting.
One worker thread runs the jobs in turn, each with as many processes as the command
line uses (the CPUs): two runs at once would only compete for the same cores and the
unit's lock.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ikidoc.errors import IkidocError
from ikidoc.generate import Outcome, Step, generate
from ikidoc.web.uploads import Upload
from ikidoc.workers import available_cpus

log = logging.getLogger(__name__)

State = Literal["menunggu", "berjalan", "selesai", "gagal"]


@dataclass
class Job:
    """One generation: what it is making, how far it has come, and how it ended."""

    id: str
    upload: Upload  # what it is made from
    template: str  # the template's label, "iki 1.0.1"
    pdf: bool
    unit_kerja: str = ""  # the unit it makes, as read when it started
    state: State = "menunggu"
    done: int = 0  # documents written so far
    total: int = 0  # documents to write; 0 until the first is written
    step: Step = "docx"  # writing the Word files, then making the PDFs
    pdf_done: int = 0  # PDFs made so far, when generate tells them
    pdf_total: int = 0
    pdf_pace: float = 0.0  # seconds per document LibreOffice is expected to take (Jobs.pace)
    began: float = field(default_factory=time.monotonic)  # when the current step began
    outcomes: list[Outcome] = field(default_factory=list)
    error: IkidocError | None = None
    failure: str = ""  # an error that is not ikidoc's own: a bug, reported without traceback

    @property
    def finished(self) -> bool:
        return self.state in ("selesai", "gagal")

    @property
    def text(self) -> str:
        """How far the job has come, in the words the page shows."""
        if self.state == "menunggu":
            return "Menunggu giliran: pembuatan dokumen lain sedang berjalan."
        if not self.total:
            return "Memeriksa data dan template..."
        if self.step == "pdf" and not self.finished:
            counted = (f": {self.pdf_done} dari {self.pdf_total} selesai"
                       + _left(self._elapsed(), self.pdf_done, self.pdf_total)
                       if self.pdf_total else self._pdf_estimate())
            return (f"{self.total} dokumen Word ditulis. Membuat PDF/A dengan LibreOffice "
                    f"({_duration(self._elapsed())} berjalan){counted}...")
        return f"{self.done} dari {self.total} dokumen ditulis" + (
            "" if self.finished else _left(self._elapsed(), self.done, self.total))

    @property
    def sentence(self) -> str:
        """``text`` ending in one full stop, to be followed by more words."""
        return self.text.rstrip(".") + "."

    def status(self) -> dict[str, object]:
        """What the page's script polls."""
        return {"state": self.state, "done": self.done, "total": self.total,
                "step": self.step, "finished": self.finished, "text": self.text,
                "sentence": self.sentence}

    def progress(self, unit_kerja: str, done: int, total: int) -> None:
        """Told by generate after each Word document (see ikidoc.generate.Progress), and
        after each PDF when it tells those too: the time left is reckoned from them."""
        if self.step == "pdf":
            self.pdf_done, self.pdf_total = done, total
        else:
            self.done, self.total = done, total

    def begin(self, unit_kerja: str, step: Step) -> None:
        """Told by generate when a unit's step begins (see ikidoc.generate.Steps): the
        time left is reckoned from the step's own pace."""
        self.step, self.began = step, time.monotonic()

    def _elapsed(self) -> float:
        return time.monotonic() - self.began

    def _pdf_estimate(self) -> str:
        """The time left of a conversion that tells nothing until it ends (LibreOffice
        converts a unit's combined document at once), reckoned from the pace PDFs took
        on this computer so far, and said to be an estimate."""
        if not self.pdf_pace:
            return ""
        left = _PDF_START + self.pdf_pace * self.total - self._elapsed()
        if left < 1:
            return " · hampir selesai"
        return f" · perkiraan sekitar {_duration(left)} lagi"

    def pdf_seconds_per_document(self) -> float | None:
        """How long LibreOffice took per document in this job, asked once its PDFs are
        made; None when it made none, or too few to tell."""
        if self.step != "pdf" or self.total < _PACE_FROM:
            return None
        return max(0.0, self._elapsed() - _PDF_START) / self.total



# LibreOffice's start, and its time per document within a unit's combined document, as
# measured on a 2-core machine (benchmarks/bench_whole.py): the first estimate of a PDF
# step, until this server has timed one of its own of at least _PACE_FROM documents.
_PDF_START = 1.0
_PDF_PACE = 0.015
_PACE_FROM = 10


def _left(elapsed: float, done: int, total: int) -> str:
    """" · sekitar 2 menit lagi", from the pace of the step so far; nothing until a few
    documents have shown it."""
    if done < 3 or done >= total:
        return ""
    return f" · sekitar {_duration(elapsed / done * (total - done))} lagi"


def _duration(seconds: float) -> str:
    """A time as the page says it, as long as it really is: "1 detik", "40 detik",
    "3 menit"."""
    if seconds < 60:
        return f"{max(1, round(seconds))} detik"
    return f"{round(seconds / 60)} menit"


class Jobs:
    """The jobs of this server, by id; the worker thread runs them in order."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ikidoc-generate")
        self.pace = _PDF_PACE  # seconds per PDF, as the last run with PDFs took here

    def start(self, upload: Upload, template: Path, label: str, output: Path, *, pdf: bool,
              settings: dict[str, bool] | None = None) -> Job:
        """Queue the generation of the upload's data file with the template folder
        ``template`` into ``output``, its switches as ``settings`` say (``--set``). The
        upload's files stay (until it expires): the same data may be made again with
        another template."""
        data = upload.data_file
        if data is None:  # the page offers "Buat dokumen" only once an upload gave data
            raise ValueError(f"upload {upload.id} has no data file to generate from")
        unit = upload.source.unit.unit_kerja if upload.source is not None else upload.name
        job = Job(secrets.token_urlsafe(12), upload, label, pdf, unit, pdf_pace=self.pace)
        with self._lock:
            self._jobs[job.id] = job
        self._worker.submit(self._run, job, data, template, output, settings or {})
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self) -> list[Job]:
        """The jobs not yet ended, oldest first: every page links to them."""
        with self._lock:
            return [job for job in self._jobs.values() if not job.finished]

    def made(self, folder: Path) -> Job | None:
        """The job of this server that wrote the revision ``folder``, if one did: the
        page then names the file the officer uploaded, not only the data read from it."""
        with self._lock:
            jobs = list(self._jobs.values())
        return next((job for job in jobs for outcome in job.outcomes
                     if outcome.folder.resolve() == folder.resolve()), None)

    def close(self) -> None:
        """Finish the job that is running (a revision is never left half written by us)
        and drop those still waiting: the server is stopping."""
        self._worker.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, data: Path, template: Path, output: Path,
             settings: dict[str, bool]) -> None:
        job.state = "berjalan"
        ended: State = "gagal"
        try:
            job.outcomes = generate([data], str(template), output, pdf=job.pdf,
                                    progress=job.progress, steps=job.begin, settings=settings,
                                    jobs=available_cpus())
            ended = "selesai"
            taken = job.pdf_seconds_per_document()
            if taken is not None:  # the next job's estimate: this computer's own pace
                self.pace = taken
        except IkidocError as error:
            job.error = error
        except Exception as error:  # a bug must end the job visibly, not hang the page
            log.exception("generation failed")
            job.failure = f"{type(error).__name__}: {error}"
        finally:
            job.state = ended

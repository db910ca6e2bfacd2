"""A LibreOffice kept running for the page, so that a picture costs a conversion, not a start.

Each picture the page draws needs one document turned into PDF. Started for it alone,
LibreOffice takes about a second before it converts anything; kept running, it converts
a position's document in a fifth of that. LibreOffice is driven through UNO, whose Python
module (``uno``) belongs to LibreOffice's own Python: Debian's /usr/bin/python3 with
python3-uno, or the Python in LibreOffice's program folder on Windows and macOS. It is
not importable in the Python ikidoc runs in, so the worker is a script of its own
(ikidoc/office_worker.py) run by that Python as a child process, asked one JSON line per
document on its stdin.

The worker starts with the first picture, is started again when it died, and each
document has a time limit, after which the worker (with its LibreOffice) is killed.
Whenever there is no such Python or the worker fails, the document is converted by a
LibreOffice started for it (ikidoc.pdf.convert), as before the worker, and the log says
so once. The worker, its LibreOffice and its profile folder go away with ``stop``, when
the page stops and when ikidoc exits.
"""
from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import queue
import subprocess
import threading
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import IO

from ikidoc import pdf
from ikidoc.errors import IkidocError, PdfError
from ikidoc.messages import msg

log = logging.getLogger(__name__)

WORKER = Path(__file__).with_name("office_worker.py")
# LibreOffice's first start on a fresh profile takes a few seconds on a small machine;
# the worker itself gives up after 60 seconds without an answer from it.
START_SECONDS = 90
SECONDS_PER_DOCUMENT = 30  # as for --pdf (ikidoc.pdf)
_QUIT_SECONDS = 15  # for the worker to end LibreOffice when asked to stop
_PROBE_SECONDS = 30  # for a Python to say whether it can import uno
_PIPE_FOLDER = "/tmp"  # where LibreOffice puts a named pipe's socket (always, not TMPDIR)


@functools.cache
def uno_python() -> str | None:
    """A Python that can import LibreOffice's ``uno`` module (checked once), or None."""
    for candidate in _uno_candidates():
        if candidate.is_file() and os.access(candidate, os.X_OK) and _imports_uno(candidate):
            return str(candidate)
    return None


def _uno_candidates() -> list[Path]:
    """The Python LibreOffice brings (Windows: program/python.exe beside soffice.exe;
    macOS: Contents/Resources/python), then the system's, which Linux distributions give
    uno through a package (Debian: python3-uno)."""
    try:
        program = Path(pdf.soffice()).resolve().parent
    except IkidocError:
        return []
    return [program / "python.exe", program / "python", program.parent / "Resources" / "python",
            Path("/usr/bin/python3")]


def _imports_uno(python: Path) -> bool:
    try:
        return subprocess.run([str(python), "-c", "import uno"], capture_output=True,
                              timeout=_PROBE_SECONDS, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class WorkerFailed(Exception):
    """The worker cannot convert (it is not there, did not start, died or hung): the
    document goes to a LibreOffice of its own. Carries why, for the log."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Office:
    """Converts documents to PDF through one LibreOffice kept running, one document at a
    time for all threads, falling back to a LibreOffice start per call (see the module)."""

    def __init__(self, *, seconds_per_document: float = SECONDS_PER_DOCUMENT,
                 start_seconds: float = START_SECONDS) -> None:
        self.seconds_per_document = seconds_per_document
        self.start_seconds = start_seconds
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._broken: str | None = None  # why a worker cannot be started here
        self._told = False
        atexit.register(self.stop)

    def convert(self, documents: list[Path]) -> list[bytes]:
        """The PDF bytes of each document, in the order given. Raises PdfError when
        LibreOffice is missing or cannot convert a document (see ikidoc.pdf.convert)."""
        with self._lock:
            try:
                return [self._convert(path) for path in documents]
            except WorkerFailed as failure:
                self._fall_back(failure.reason)
        return pdf.convert(documents)

    @property
    def worker_pid(self) -> int | None:
        """The process id of the running worker, None without one."""
        worker = self._worker
        return worker.process.pid if worker and worker.alive() else None

    @property
    def soffice_pid(self) -> int | None:
        """The process id of the running worker's LibreOffice, None without one."""
        worker = self._worker
        return worker.soffice_pid if worker and worker.alive() else None

    @property
    def folder(self) -> Path | None:
        """The running worker's temporary folder (LibreOffice's profile, the PDFs)."""
        worker = self._worker
        return worker.folder if worker else None

    def stop(self) -> None:
        """End the worker and its LibreOffice and remove its folder; the next document
        starts a new one."""
        with self._lock:
            self._end()

    def _convert(self, document: Path, again: bool = True) -> bytes:
        """One document through the worker; a worker that ended before answering (killed
        between two requests, say) is started again once for it."""
        worker = self._running()
        target = worker.folder / "made.pdf"
        answer = worker.ask({"input": str(document), "output": str(target)},
                            self.seconds_per_document)
        if answer is None:
            reason = worker.why(f"gave no answer within {self.seconds_per_document:g} seconds")
            self._end(polite=False)
            if worker.ended and again:
                return self._convert(document, again=False)
            raise WorkerFailed(reason)
        try:
            data = target.read_bytes() if answer.get("ok") else b""
            target.unlink(missing_ok=True)
        except OSError:
            data = b""
        if not data.startswith(b"%PDF"):
            said = answer.get("error")
            if not said:
                raise PdfError(detail=msg("pdf.empty_of", "LibreOffice made no PDF of {name} "
                                          "(it said: an empty file)", name=document.name))
            raise PdfError(detail=msg("pdf.none_of", "LibreOffice made no PDF of {name} (it "
                                      "said: {said})", name=document.name, said=str(said)))
        return data

    def _running(self) -> _Worker:
        """The worker, started when there is none or it has died; raises WorkerFailed."""
        if self._worker is not None and not self._worker.alive():
            self._end()
        if self._worker is None:
            if self._broken is not None:
                raise WorkerFailed(self._broken)
            python = uno_python()
            if python is None:
                self._broken = "no Python here can import LibreOffice's uno module"
                raise WorkerFailed(self._broken)
            try:
                self._worker = _Worker.start(python, self.start_seconds)
            except WorkerFailed as failure:
                self._broken = failure.reason
                raise
        return self._worker

    def _end(self, *, polite: bool = True) -> None:
        if self._worker is not None:
            self._worker.end(polite=polite)
            self._worker = None

    def _fall_back(self, reason: str) -> None:
        if not self._told:
            log.warning("the LibreOffice worker is not used (%s): LibreOffice is started "
                        "for the picture instead", reason)
            self._told = True
        else:
            log.debug("the LibreOffice worker is not used (%s)", reason)


class _Worker:
    """One running office_worker.py: its process (in a process group of its own, with
    LibreOffice), its answers as a reader thread hands them over, and its temporary
    folder (an ikidoc.pdf work folder, removed by a later run if this one is killed)."""

    def __init__(self, process: subprocess.Popen[bytes], folder: Path, pipe: str,
                 cleanup: ExitStack) -> None:
        self.process = process
        self.folder = folder
        self.pipe = pipe
        self.soffice_pid: int | None = None
        self.ended = False  # its answers have ended: it died or was stopped
        self._cleanup = cleanup
        self._answers: queue.Queue[bytes | None] = queue.Queue()
        assert process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, python: str, seconds: float) -> _Worker:
        """A worker whose LibreOffice is ready; raises WorkerFailed (nothing left running)."""
        cleanup = ExitStack()
        folder = cleanup.enter_context(pdf.work_folder())
        profile = pdf._profile(folder / "profile")
        pipe = f"ikidoc-{os.getpid()}-{folder.name}"
        try:
            program = pdf.soffice()
            with (folder / "worker.log").open("w", encoding="utf-8") as errors:
                process = subprocess.Popen(
                    [python, str(WORKER), program, str(profile), pipe], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=errors, start_new_session=True,
                    env=pdf.temporary_files_in(folder))
        except (OSError, IkidocError) as error:
            cleanup.close()
            raise WorkerFailed(f"it cannot be started: {error}") from None
        worker = cls(process, folder, pipe, cleanup)
        ready = worker._next(seconds)
        if ready is None or not ready.get("ready"):
            reason = worker.why(f"LibreOffice was not ready within {seconds:g} seconds")
            worker.end(polite=False)
            raise WorkerFailed(reason)
        pid = ready.get("soffice")
        worker.soffice_pid = pid if isinstance(pid, int) else None
        return worker

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict[str, str], seconds: float) -> dict[str, object] | None:
        """The worker's answer to a request, None when it died or did not answer in time.
        A request it cannot be given (its stdin is a broken pipe) means it has died, even
        if it was alive a moment ago: it is then ``ended``, and started again."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            self.ended = True
            return None
        return self._next(seconds)

    def why(self, otherwise: str) -> str:
        """What the worker said last on stderr (why it ended), or ``otherwise`` when it
        has not ended (it hangs)."""
        if not self.ended:
            return otherwise
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(1)  # its pipe has just ended: so does the process
        try:
            said = (self.folder / "worker.log").read_text(encoding="utf-8").strip()
        except OSError:
            said = ""
        return said.splitlines()[-1] if said else f"it ended with status {self.process.poll()}"

    def end(self, *, polite: bool = True) -> None:
        """Ask the worker to end LibreOffice and itself (unless it hangs: not ``polite``),
        kill what is left of either (its process group), and remove its folder."""
        if polite and self.alive():
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(_QUIT_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass
        try:
            pdf._stop(self.process)  # the group outlives the worker while LibreOffice runs
        except ProcessLookupError:
            self.process.wait()
        self._reader.join(_QUIT_SECONDS)  # the pipe has ended with the worker
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                _close(stream)
        if os.name != "nt":  # a LibreOffice killed leaves its named pipe's socket behind
            Path(_PIPE_FOLDER, f"OSL_PIPE_{os.getuid()}_{self.pipe}").unlink(missing_ok=True)
        self._cleanup.close()

    def _next(self, seconds: float) -> dict[str, object] | None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self._answers.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                self.ended = True
                return None
            try:
                answer = json.loads(line)
            except ValueError:
                continue  # not an answer: something the worker's libraries printed
            if isinstance(answer, dict):
                return answer

    def _read(self, stream: IO[bytes]) -> None:
        try:
            for line in stream:
                self._answers.put(line)
        except (OSError, ValueError):  # closed by end()
            pass
        self._answers.put(None)


def _close(stream: IO[bytes]) -> None:
    with suppress(OSError):  # a worker that died leaves a broken pipe to flush
        stream.close()


_shared: Office | None = None
_shared_lock = threading.Lock()


def shared() -> Office:
    """The one Office of this process, which the page's pictures share."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Office()
        return _shared


def stop_shared() -> None:
    """End the shared Office's worker, if one runs (the page calls this when it stops)."""
    with _shared_lock:
        office = _shared
    if office is not None:
        office.stop()

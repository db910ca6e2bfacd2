"""PDF/A-2b copies of Word documents, made by LibreOffice headless.

One soffice start converts a batch of documents, because LibreOffice takes a third of a
second to start and a unit has dozens of documents. A few processes (up to ``jobs``)
share a large unit, each converting its share one batch after another. Each process gets
its own LibreOffice profile folder, so parallel runs, and a LibreOffice the user has open,
do not wait for each other.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ikidoc.errors import PdfError

STANDARD = "PDF/A-2b"
INSTALL_HINT = ("install LibreOffice and run again: apt-get install libreoffice-writer-nogui "
                "(Debian, Ubuntu), or https://www.libreoffice.org/download/")
# LibreOffice 7.4 and later read filter options as JSON; SelectPdfVersion 2 is PDF/A-2b.
_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
# PDF/A keeps its XMP metadata uncompressed (ISO 19005-2, 6.6.2.1), so the claim is readable.
_PDFA_CLAIM = b"<pdfaid:part>2</pdfaid:part>"
# LibreOffice runs a graphics self-test (about 0.7 s) at every start whose profile has not
# recorded the running version. Headless, it never records it, so ikidoc's profiles say
# they have seen every version; the profile is private to one run and never shown.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" \
oor:op="fuse"><value>999.9</value></prop></item>
</oor:items>
"""
_START_SECONDS = 120  # a first start with a fresh profile is slow on a small machine
_SECONDS_PER_DOCUMENT = 30
# LibreOffice takes about 0.3 s to start (two at once hardly longer than one) and
# converts a position's document in about 40 ms: from this many documents per process,
# one more shortens the conversion (10 documents: 0.64 s with two, 0.90 s with one).
_MIN_PER_PROCESS = 5
# soffice --convert-to silently skips every file after about the 245th argument (it still
# exits with status 0), so a process converts its share in batches of at most this many.
_MAX_PER_START = 200
# Windows refuses a command line over 32,767 characters; a batch stays well below it.
_MAX_COMMAND_CHARACTERS = 24_000
_POLL_SECONDS = 0.02


def soffice() -> str:
    """The LibreOffice program on PATH, or where its installer puts it on Windows and
    macOS (which do not add it to PATH); raises PdfError telling how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _usual_places():
        if place.is_file() and os.access(place, os.X_OK):
            return str(place)
    raise PdfError(detail="LibreOffice (soffice) is not installed or not on PATH",
                   hint=INSTALL_HINT)


def _usual_places() -> list[Path]:
    programs = [os.environ.get(name) for name in ("ProgramFiles", "ProgramFiles(x86)")]
    return [*(Path(folder) / "LibreOffice" / "program" / "soffice.exe"
              for folder in programs if folder),
            Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]


def convert(documents: list[Path], jobs: int = 1) -> list[bytes]:
    """The PDF/A-2b bytes of each document, in the order given.

    With ``jobs`` above 1, documents enough to pay for more starts are shared by up to
    ``jobs`` processes, each with its own profile. The documents' file names must differ
    (LibreOffice names each PDF after its document). soffice exits with status 0 even
    when it converts nothing, so every PDF is checked instead: raises PdfError when
    LibreOffice is missing or too slow, or when a PDF is missing, empty or does not
    declare PDF/A-2b.
    """
    program = soffice()
    count = max(1, min(jobs, len(documents) // _MIN_PER_PROCESS))
    with tempfile.TemporaryDirectory(prefix="ikidoc-pdf-") as work:
        queues = [_batches(Path(work) / f"process{number}", share)
                  for number, share in enumerate(_share(documents, count))]
        _run(program, queues)
        made = {path: pdf for queue in queues for batch in queue for path, pdf in batch.pdfs()}
        return [made[path] for path in documents]


@dataclass(frozen=True)
class _Batch:
    """Documents one soffice start converts into folder/pdf, with the profile of the
    process whose share they are."""
    documents: list[Path]
    folder: Path
    profile: Path

    @property
    def log(self) -> Path:
        return self.folder / "soffice.log"

    def command(self, program: str) -> list[str]:
        return [program, f"-env:UserInstallation={self.profile.as_uri()}", "--headless",
                "--norestore", "--nolockcheck", "--convert-to", _FILTER,
                "--outdir", str(self.folder / "pdf"), *(str(path) for path in self.documents)]

    def pdfs(self) -> list[tuple[Path, bytes]]:
        """Each document with its checked PDF (see _read)."""
        said = self.log.read_text(encoding="utf-8", errors="replace").strip()
        return [(path, _read(self.folder / "pdf" / f"{path.stem}.pdf", path, said))
                for path in self.documents]


def _share(documents: list[Path], count: int) -> list[list[Path]]:
    """The documents split into ``count`` shares of about equal work, each in the given
    order. The work is estimated from a document's unpacked size, because a unit's
    combined document takes LibreOffice as long as a quarter of all the others together:
    each document in turn goes to the share with the least work so far, largest first."""
    work = {path: _unpacked_size(path) for path in documents}
    shares: list[list[Path]] = [[] for _ in range(count)]
    loads = [0] * count
    for path in sorted(documents, key=work.__getitem__, reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest].append(path)
        loads[lightest] += work[path]
    order = {path: index for index, path in enumerate(documents)}
    return [sorted(share, key=order.__getitem__) for share in shares]


def _unpacked_size(path: Path) -> int:
    """The bytes of the package's parts once unzipped; 1 for a file that is not a zip
    (LibreOffice will say what is wrong with it)."""
    try:
        with zipfile.ZipFile(path) as package:
            return sum(info.file_size for info in package.infolist())
    except (OSError, zipfile.BadZipFile):
        return 1


def _batches(folder: Path, share: list[Path]) -> list[_Batch]:
    """A process's share in batches that one soffice start converts, its profile
    prepared (see _PROFILE_SETTINGS)."""
    settings = folder / "profile" / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text(_PROFILE_SETTINGS, encoding="utf-8")
    return [_Batch(chunk, folder / f"batch{number}", folder / "profile")
            for number, chunk in enumerate(_chunks(share))]


def _chunks(share: list[Path]) -> list[list[Path]]:
    """The share cut, in order, into chunks that one soffice start converts whole (see
    _MAX_PER_START and _MAX_COMMAND_CHARACTERS)."""
    chunks: list[list[Path]] = [[]]
    characters = 0
    for path in share:
        length = len(str(path)) + 3  # with a space and the quotes Windows may add
        if chunks[-1] and (len(chunks[-1]) == _MAX_PER_START
                           or characters + length > _MAX_COMMAND_CHARACTERS):
            chunks.append([])
            characters = 0
        chunks[-1].append(path)
        characters += length
    return [chunk for chunk in chunks if chunk]


def _run(program: str, queues: list[list[_Batch]]) -> None:
    """Run the batches of each queue one after another, the queues side by side (one
    LibreOffice process each), each batch within its own time limit. soffice hands the
    work to a child process (soffice.bin); each soffice runs in its own session, so that
    a timeout or an interrupt ends both (see _stop): none is left running, whatever
    happens."""
    waiting = [list(queue) for queue in queues]
    running: dict[int, tuple[subprocess.Popen[bytes], float, int]] = {}
    try:
        while True:
            for number, queue in enumerate(waiting):
                if number not in running and queue:
                    running[number] = _start(program, queue.pop(0))
            if not running:
                return
            time.sleep(_POLL_SECONDS)
            for number, (process, deadline, limit) in list(running.items()):
                if process.poll() is not None:
                    del running[number]
                elif time.monotonic() > deadline:
                    raise PdfError(detail=f"LibreOffice did not finish within {limit} seconds")
    finally:
        for process, _, _ in running.values():
            if process.poll() is None:
                _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a soffice with the soffice.bin it started (see _run)."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                       capture_output=True, check=False)
    else:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _start(program: str, batch: _Batch) -> tuple[subprocess.Popen[bytes], float, int]:
    """The started soffice process of a batch, printing into its log (so that a long
    batch never waits on a full pipe), with its deadline and time limit in seconds."""
    limit = _START_SECONDS + _SECONDS_PER_DOCUMENT * len(batch.documents)
    batch.folder.mkdir()
    try:
        with batch.log.open("wb") as output:
            process = subprocess.Popen(batch.command(program), stdin=subprocess.DEVNULL,
                                       stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
    except OSError as error:
        raise PdfError(detail=f"LibreOffice ({program}) cannot be started: "
                              f"{error.strerror or error}", hint=INSTALL_HINT) from None
    return process, time.monotonic() + limit, limit


def _read(pdf: Path, document: Path, said: str) -> bytes:
    try:
        data = pdf.read_bytes()
    except FileNotFoundError:
        data = b""
    if not data:
        last = said.splitlines()[-1] if said else "nothing"
        raise PdfError(detail=f"LibreOffice made no PDF of {document.name} (it said: {last})")
    if _PDFA_CLAIM not in data:
        raise PdfError(detail=f"LibreOffice made {pdf.name} but not as {STANDARD}",
                       hint="LibreOffice 7.4 or newer is needed for PDF/A")
    return data

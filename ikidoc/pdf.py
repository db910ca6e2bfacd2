"""PDF/A-2b copies of Word documents, made by LibreOffice headless.

One soffice process converts a whole batch, or a few share a large one, because
LibreOffice takes a second or more to start and a unit has dozens of documents. Each
process gets its own LibreOffice profile folder, so parallel runs, and a LibreOffice the
user has open, do not wait for each other.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ikidoc.errors import PdfError

STANDARD = "PDF/A-2b"
INSTALL_HINT = ("install LibreOffice and run again: apt-get install libreoffice-writer-nogui "
                "(Debian, Ubuntu), or https://www.libreoffice.org/download/")
# LibreOffice 7.4 and later read filter options as JSON; SelectPdfVersion 2 is PDF/A-2b.
_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
# PDF/A keeps its XMP metadata uncompressed (ISO 19005-2, 6.6.2.1), so the claim is readable.
_PDFA_CLAIM = b"<pdfaid:part>2</pdfaid:part>"
_START_SECONDS = 120  # a first start with a fresh profile is slow on a small machine
_SECONDS_PER_DOCUMENT = 30
# LibreOffice takes about a second to start (two at once hardly longer than one) and
# converts a position's document in less than a tenth of that: from this many documents
# per process, one more shortens a batch (10 documents: 1.5 s with two, 1.9 s with one).
_MIN_PER_PROCESS = 5


def soffice() -> str:
    """The LibreOffice program on PATH; raises PdfError telling how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(detail="LibreOffice (soffice) is not installed or not on PATH",
                   hint=INSTALL_HINT)


def convert(documents: list[Path], jobs: int = 1) -> list[bytes]:
    """The PDF/A-2b bytes of each document, in the order given.

    One soffice process converts the batch; with ``jobs`` above 1, a batch large enough
    to pay for more starts is shared by up to ``jobs`` processes, each with its own
    profile. The documents' file names must differ (LibreOffice names each PDF after its
    document). soffice exits with status 0 even when it converts nothing, so every PDF
    is checked instead: raises PdfError when LibreOffice is missing or too slow, or when
    a PDF is missing, empty or does not declare PDF/A-2b.
    """
    program = soffice()
    count = max(1, min(jobs, len(documents) // _MIN_PER_PROCESS))
    size = -(-len(documents) // count) or 1
    batches = [documents[start:start + size] for start in range(0, len(documents), size)]
    with tempfile.TemporaryDirectory(prefix="ikidoc-pdf-") as work:
        folders = [Path(work) / f"batch{number}" for number in range(len(batches))]
        said = _run([_command(program, folder, batch) for folder, batch in zip(folders, batches)],
                    [folder / "soffice.log" for folder in folders],
                    _START_SECONDS + _SECONDS_PER_DOCUMENT * size)
        return [_read(folder / "pdf" / f"{path.stem}.pdf", path, text)
                for folder, batch, text in zip(folders, batches, said) for path in batch]


def _command(program: str, folder: Path, batch: list[Path]) -> list[str]:
    return [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", _FILTER,
            "--outdir", str(folder / "pdf"), *(str(path) for path in batch)]


def _run(commands: list[list[str]], logs: list[Path], timeout: float) -> list[str]:
    """Run the soffice commands at once; return what each printed (into its log file, so
    that a long batch never waits on a full pipe). Each runs in its own session, so that
    a timeout ends its whole process group: soffice hands the work to a child process
    (soffice.bin); none is left running, whatever happens."""
    processes: list[subprocess.Popen[bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        for command, log in zip(commands, logs):
            log.parent.mkdir(parents=True)
            with log.open("wb") as output:
                processes.append(subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                                  stderr=subprocess.STDOUT, start_new_session=True))
        for process in processes:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except OSError as error:
        raise PdfError(detail=f"LibreOffice ({commands[0][0]}) cannot be started: "
                              f"{error.strerror or error}", hint=INSTALL_HINT) from None
    except subprocess.TimeoutExpired:
        raise PdfError(detail=f"LibreOffice did not finish within {timeout:g} seconds") from None
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return [log.read_text(encoding="utf-8", errors="replace").strip() for log in logs]


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

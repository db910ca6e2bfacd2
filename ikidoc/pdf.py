"""PDF/A-2b copies of Word documents, made by LibreOffice headless.

One soffice process converts a whole batch, because LibreOffice takes seconds to start
and a unit has dozens of documents. Each batch gets its own LibreOffice profile folder,
so parallel runs, and a LibreOffice the user has open, do not wait for each other.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
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


def soffice() -> str:
    """The LibreOffice program on PATH; raises PdfError telling how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(detail="LibreOffice (soffice) is not installed or not on PATH",
                   hint=INSTALL_HINT)


def convert(documents: list[Path]) -> list[bytes]:
    """The PDF/A-2b bytes of each document, in the order given, from one soffice process.

    The documents' file names must differ (LibreOffice names each PDF after its
    document). soffice exits with status 0 even when it converts nothing, so every
    PDF is checked instead: raises PdfError when LibreOffice is missing or too slow,
    or when a PDF is missing, empty or does not declare PDF/A-2b.
    """
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="ikidoc-pdf-") as work:
        profile, outdir = Path(work) / "profile", Path(work) / "pdf"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", _FILTER,
                   "--outdir", str(outdir), *(str(path) for path in documents)]
        said = _run(command, _START_SECONDS + _SECONDS_PER_DOCUMENT * len(documents))
        return [_read(outdir / f"{path.stem}.pdf", path, said) for path in documents]


def _run(command: list[str], timeout: float) -> str:
    """Run soffice; return what it printed. Its own session lets a timeout end the
    whole process group: soffice hands the work to a child process (soffice.bin)."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as error:
        raise PdfError(detail=f"LibreOffice ({command[0]}) cannot be started: "
                              f"{error.strerror or error}", hint=INSTALL_HINT) from None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(detail=f"LibreOffice did not finish within {timeout:g} seconds") from None
    return output.decode("utf-8", "replace").strip()


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

"""PDF/A-2b copies of Word documents, made by LibreOffice headless.

LibreOffice loads a unit's combined document (every position, each in its own section)
in a quarter of the time it takes to load the positions' documents one by one, so the
combined document's PDF is cut into the positions' PDFs (``cut``), by the bookmark that
starts each position (ooxml.bookmarks.START_MARK, a named destination in the PDF). Each piece keeps
what PDF/A-2b asks for: its fonts, the output intent and XMP metadata, under the title
of the position's own document.

One soffice start converts a batch of documents, because LibreOffice takes a third of a
second to start. A few processes (up to ``jobs``) share the documents, each converting
its share one batch after another. Each process gets its own LibreOffice profile folder,
so parallel runs, and a LibreOffice the user has open, do not wait for each other.
"""
from __future__ import annotations

import decimal
import io
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf

from ikidoc.errors import PdfError, system_reason
from ikidoc.messages import msg
from ikidoc.ooxml import properties, xmp
from ikidoc.ooxml.bookmarks import START_MARK
from ikidoc.ooxml.parsing import BrokenXml

STANDARD = "PDF/A-2b"
INSTALL_HINT = msg("pdf.install", "install LibreOffice and run again: apt-get install "
                   "libreoffice-writer-nogui (Debian, Ubuntu), or "
                   "https://www.libreoffice.org/download/")
# LibreOffice 7.4 and later read filter options as JSON; SelectPdfVersion 2 is PDF/A-2b,
# and the document's bookmarks become named destinations (see cut).
_FILTER = ('pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
           '"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}')
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
# The temporary folder of a run names its process, so that a later run removes what a
# run that was killed (kill -9, power cut) left behind.
_WORK_PREFIX = "ikidoc-pdf-"
_WORK_NAME = re.compile(re.escape(_WORK_PREFIX) + r"(\d+)-")
# LibreOffice writes a bookmark's name as a named destination with each character that
# is not a letter or digit as its hex code ("_" as 5F).
_DESTINATION = re.compile("".join(
    f"{ord(c):X}" if not c.isalnum() else c for c in START_MARK) + r"(\d+)")
# A start mark stands in the top quarter of its page (XYZ destinations give the top).
_TOP = 0.75


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
    raise PdfError(detail=msg("pdf.no_soffice", "LibreOffice (soffice) is not installed or not "
                              "on PATH"), hint=INSTALL_HINT)


def _usual_places() -> list[Path]:
    programs = [os.environ.get(name) for name in ("ProgramFiles", "ProgramFiles(x86)")]
    return [*(Path(folder) / "LibreOffice" / "program" / "soffice.exe"
              for folder in programs if folder),
            Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]


def convert(documents: list[Path], jobs: int = 1, *, large: bool = False) -> list[bytes]:
    """The PDF/A-2b bytes of each document, in the order given.

    With ``jobs`` above 1, documents enough to pay for more starts are shared by up to
    ``jobs`` processes, each with its own profile; ``large`` documents (the combined
    documents of units) each pay for a process of their own, up to ``jobs`` at once.
    soffice exits with status 0 even when it converts nothing, so every PDF is checked
    instead: raises PdfError when LibreOffice is missing or too slow, or when a PDF is
    missing, empty or does not declare PDF/A-2b.
    """
    program = soffice()
    count = max(1, min(jobs, len(documents) // (1 if large else _MIN_PER_PROCESS)))
    with work_folder() as work:
        queues = [_batches(work / f"process{number}", share)
                  for number, share in enumerate(_share(documents, count))]
        made = {path: pdf for batch in _run(program, queues) for path, pdf in batch.pdfs()}
        return [made[path] for path in documents]


@contextmanager
def work_folder() -> Iterator[Path]:
    """A new temporary folder named after this process, removed when done; the stale
    folders of runs killed before they could remove theirs are removed first."""
    remove_stale()
    work = Path(tempfile.mkdtemp(prefix=f"{_WORK_PREFIX}{os.getpid()}-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def title_of(document: Path) -> str:
    """The title in a .docx file's core properties (LibreOffice makes it the PDF's
    title), or its file name without extension when it has none."""
    try:
        with zipfile.ZipFile(document) as package:
            title = properties.title(package.read("docProps/core.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, BrokenXml):
        return document.stem
    return title if title else document.stem


def remove_stale(folder: Path | None = None) -> list[Path]:
    """Remove the temporary folders (in ``folder``, by default the system's) of runs whose
    process has ended without removing them; return them. A folder of a process that
    still runs is kept, as is every folder on Windows, where a process cannot be probed
    without ending it (its own temporary-file cleanup removes them)."""
    if os.name == "nt":
        return []
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{_WORK_PREFIX}*"):
        found = _WORK_NAME.match(path.name)
        if found and path.is_dir() and not path.is_symlink() and not _alive(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def cut(data: bytes, titles: list[str]) -> list[bytes] | None:
    """The PDF of a combined document of ``len(titles)`` positions cut into one PDF per
    position, each titled as given, each from the page that its start mark stands on
    (the first position from the first page). None when the marks do not give one
    range of pages per position, each mark on the top of its page (a template or a
    LibreOffice that moves or drops them): the positions' documents are converted then.
    Raises PdfError when the PDF cannot be read."""
    try:
        source = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        raise PdfError(detail=msg("pdf.unreadable", "LibreOffice made a PDF that cannot be read "
                                  "({detail})", detail=str(error))) from None
    with source:
        starts = _starts(source, len(titles))
        if starts is None:
            return None
        ends = [*starts[1:], len(source.pages)]
        return [_piece(source, range(start, end), title)
                for start, end, title in zip(starts, ends, titles, strict=True)]


def _starts(source: pikepdf.Pdf, count: int) -> list[int] | None:
    """The first page of each position, None unless every one is marked (see cut)."""
    pages: dict[tuple[int, int], tuple[int, pikepdf.Page]] = {
        page.obj.objgen: (index, page) for index, page in enumerate(source.pages)}
    marks: dict[int, int] = {}
    for name, target in _destinations(source):
        found = _DESTINATION.fullmatch(name.lstrip("/"))
        if found and _is_xyz(target) and target[0].objgen in pages:
            index, page = pages[target[0].objgen]
            if float(target[3]) >= _TOP * float(page.mediabox[3]):
                marks[int(found[1])] = index
    starts = [0, *(marks.get(index, -1) for index in range(1, count))]
    if any(later <= earlier for earlier, later in itertools.pairwise(starts)):
        return None
    return starts


def _is_xyz(target: pikepdf.Object) -> bool:
    """Whether a destination is [page /XYZ left top zoom] with a top to compare: a null
    top (valid PDF: "keep the current one") or another kind is no mark of ikidoc's."""
    return (isinstance(target, pikepdf.Array) and len(target) >= 4
            and isinstance(target[0], pikepdf.Dictionary)
            and isinstance(target[3], (int, float, decimal.Decimal)))


def _destinations(source: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The PDF's named destinations (LibreOffice writes them in the catalog's /Dests),
    each as (name, page reference array)."""
    found: list[tuple[str, pikepdf.Object]] = []
    if "/Dests" in source.Root:
        found += [(str(name), value) for name, value in source.Root.Dests.items()]
    if "/Names" in source.Root and "/Dests" in source.Root.Names:
        found += [(str(name), value) for name, value in
                  pikepdf.NameTree(source.Root.Names.Dests).items()]
    return [(name, value.D if isinstance(value, pikepdf.Dictionary) else value)
            for name, value in found]


def _piece(source: pikepdf.Pdf, pages: range, title: str) -> bytes:
    piece = _retitled(source, title)
    _add_pages(piece, source.pages[pages.start:pages.stop])
    return _saved(piece)


def _add_pages(made: pikepdf.Pdf, pages: Iterable[pikepdf.Page]) -> None:
    """Copy pages into ``made`` (with the fonts and images they use), without their
    place in the structure tree of the PDF they come from, which stays behind."""
    for page in pages:
        made.pages.append(page)
        if "/StructParents" in made.pages[-1].obj:
            del made.pages[-1].obj.StructParents


def _retitled(source: pikepdf.Pdf, title: str) -> pikepdf.Pdf:
    """A new PDF without pages holding what makes the source PDF/A-2b beyond its pages
    (output intent, XMP metadata, document information), under ``title``."""
    made = pikepdf.new()
    made.Root.OutputIntents = _copied(made, source, source.Root.OutputIntents)
    if "/Lang" in source.Root:
        made.Root.Lang = source.Root.Lang
    info = _copied(made, source, source.trailer.Info)
    info.Title = pikepdf.String(title)
    made.trailer.Info = info
    metadata = made.make_stream(xmp.retitled(source.Root.Metadata.read_bytes(), title))
    metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    made.Root.Metadata = metadata
    return made


def _copied(made: pikepdf.Pdf, source: pikepdf.Pdf, thing: pikepdf.Object) -> pikepdf.Object:
    """A copy in ``made`` of an object of ``source``, direct or not (pikepdf copies only
    indirect objects from one PDF to another)."""
    return made.copy_foreign(thing if thing.is_indirect else source.make_indirect(thing))


def _saved(made: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class _Batch:
    """Documents one soffice start converts into folder/pdf, with the profile of the
    process whose share they are."""
    documents: list[Path]
    folder: Path
    profile: Path
    attempt: int = 0  # 1 for the retry of a start that made nothing (see _retry)

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
    """A process's share in batches that one soffice start converts, with its profile."""
    profile = _profile(folder / "profile")
    return [_Batch(chunk, folder / f"batch{number}", profile)
            for number, chunk in enumerate(_chunks(share))]


def _profile(folder: Path) -> Path:
    """A new LibreOffice profile folder, prepared (see _PROFILE_SETTINGS)."""
    settings = folder / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text(_PROFILE_SETTINGS, encoding="utf-8")
    return folder


def _chunks(share: list[Path]) -> list[list[Path]]:
    """The share cut, in order, into chunks that one soffice start converts whole (see
    _MAX_PER_START and _MAX_COMMAND_CHARACTERS), no two documents of a chunk of the same
    name (LibreOffice names each PDF after its document: two units' folders may hold
    documents of the same name)."""
    chunks: list[list[Path]] = [[]]
    characters = 0
    names: set[str] = set()
    for path in share:
        length = len(str(path)) + 3  # with a space and the quotes Windows may add
        if chunks[-1] and (len(chunks[-1]) == _MAX_PER_START or path.stem in names
                           or characters + length > _MAX_COMMAND_CHARACTERS):
            chunks.append([])
            characters = 0
            names = set()
        chunks[-1].append(path)
        characters += length
        names.add(path.stem)
    return [chunk for chunk in chunks if chunk]


def _run(program: str, queues: list[list[_Batch]]) -> list[_Batch]:
    """Run the batches of each queue one after another, the queues side by side (one
    LibreOffice process each), each batch within its own time limit; return the batches
    run, each batch that made no PDF at all replaced by its one retry (see _retry).
    soffice hands the work to a child process (soffice.bin); each soffice runs in its
    own session, so that a timeout or an interrupt ends both (see _stop): none is left
    running, whatever happens."""
    waiting = [list(queue) for queue in queues]
    running: dict[int, tuple[_Batch, subprocess.Popen[bytes], float, int]] = {}
    done: list[_Batch] = []
    try:
        while True:
            for number, queue in enumerate(waiting):
                if number not in running and queue:
                    batch = queue.pop(0)
                    running[number] = (batch, *_start(program, batch))
            if not running:
                return done
            time.sleep(_POLL_SECONDS)
            for number, (batch, process, deadline, limit) in list(running.items()):
                if process.poll() is not None:
                    del running[number]
                    retry = _retry(batch)
                    if retry:
                        waiting[number].insert(0, retry)
                    else:
                        done.append(batch)
                elif time.monotonic() > deadline:
                    raise PdfError(detail=msg("pdf.timeout", "LibreOffice did not finish "
                                              "within {limit} seconds", limit=limit))
    finally:
        for _, process, _, _ in running.values():
            if process.poll() is None:
                _stop(process)


def _retry(batch: _Batch) -> _Batch | None:
    """The batch again, once, on a fresh profile, when its start made no PDF at all: a
    LibreOffice that ends before converting (a first start setting up its profile, one
    that restarts itself after an update, a profile damaged by a crash) exits with
    status 0 all the same. None when it made PDFs or was a retry already."""
    if batch.attempt or any((batch.folder / "pdf" / f"{path.stem}.pdf").is_file()
                            for path in batch.documents):
        return None
    folder = batch.folder.with_name(f"{batch.folder.name}-retry")
    return replace(batch, folder=folder, profile=_profile(folder / "profile"), attempt=1)


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
    batch.folder.mkdir(exist_ok=True)  # a retry's holds its profile already
    try:
        with batch.log.open("wb") as output:
            process = subprocess.Popen(batch.command(program), stdin=subprocess.DEVNULL,
                                       stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True,
                                       env=temporary_files_in(batch.folder))
    except OSError as error:
        raise PdfError(detail=msg("pdf.cannot_start", "LibreOffice ({program}) cannot be "
                                  "started: {reason}", program=program,
                                  reason=system_reason(error)),
                       hint=INSTALL_HINT) from None
    return process, time.monotonic() + limit, limit


def temporary_files_in(folder: Path) -> dict[str, str]:
    """The environment of a LibreOffice started for ikidoc: its temporary files (the
    lu*.tmp folders) go into ``folder``, which ikidoc removes, so that a LibreOffice
    stopped for taking too long, or killed, leaves nothing in the system's temp folder."""
    return {**os.environ, "TMPDIR": str(folder), "TMP": str(folder), "TEMP": str(folder)}


def _read(pdf: Path, document: Path, said: str) -> bytes:
    try:
        data = pdf.read_bytes()
    except FileNotFoundError:
        data = b""
    if not data:
        if said:
            raise PdfError(detail=msg("pdf.none_of", "LibreOffice made no PDF of {name} (it "
                                      "said: {said})", name=document.name,
                                      said=said.splitlines()[-1]))
        raise PdfError(detail=msg("pdf.none_of_silent", "LibreOffice made no PDF of {name} (it "
                                  "said: nothing)", name=document.name))
    if _PDFA_CLAIM not in data:
        raise PdfError(detail=msg("pdf.not_pdfa", "LibreOffice made {name} but not as {standard}",
                                  name=pdf.name, standard=STANDARD),
                       hint=msg("pdf.version", "LibreOffice 7.4 or newer is needed for PDF/A"))
    return data

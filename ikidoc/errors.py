"""Every error ikidoc raises on purpose, each carrying its facts as data.

An error names a kind of problem, its place and the values involved as ``Message``s
(ikidoc/messages.py); the command line and the page word them in the user's language
with ``error.word(lang)``. ``str(error)`` is the English wording, for library users.
"""
from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ikidoc.messages import Joined, Lang, Message, msg, word


class IkidocError(Exception):
    """Base of every error ikidoc raises for bad input, templates or archives.

    The CLI prints ``error.word(lang)`` and exits with status 1; nothing else is needed to
    report one, so each subclass words its whole message from its own facts.
    """

    def message(self) -> Message:
        """The whole error as one Message (its parts nested in it)."""
        raise NotImplementedError

    def word(self, lang: Lang) -> str:
        return word(self.message(), lang)

    def __str__(self) -> str:
        return self.word("en")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by facts, not by message: ``generate -j`` hands a worker process's error
        to its parent, and the subclasses take their facts as keyword arguments."""
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls: type[IkidocError], args: tuple[Any, ...], facts: dict[str, Any]) -> IkidocError:
    """The error pickled, rebuilt without calling its ``__init__``."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(facts)
    return error


@dataclass(frozen=True)
class Choice:
    """What a source leaves open for the user to decide, as data a form can offer: the
    kind of choice (the key ``import_file`` takes it as: ``kolom_sasaran``, ``jabatan``,
    ``sumber_data``), the option that gives it on the command line, the IKI table it
    concerns (counted from 1 in the document), the candidates found (the competing
    headers; none for a name or source that must be typed) and the table's headers."""

    kind: str
    option: str
    table: int
    candidates: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file or source: where it is and what to do about it.

    ``place`` says where inside a source that has no lines, such as a workbook or a Word
    document ("sheet 'IKI', row 12, column E (Formulasi)"); ``path`` is the field path
    (``jabatan[1].sasaran[0]``), which is the same in every language; ``choice`` is set
    when the user mends the problem by deciding what the source leaves open.
    """

    file: str
    message: Message
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: Message | None = None
    place: Message | None = None
    choice: Choice | None = None  # what the user may decide to mend it

    def where(self) -> Message:
        """The file with its line and column, when known."""
        if self.line is None:
            return msg("where.file", "{file}", file=self.file)
        if self.column is None:
            return msg("where.line", "{file}:{line}", file=self.file, line=self.line)
        return msg("where.line_column", "{file}:{line}:{column}", file=self.file,
                   line=self.line, column=self.column)

    def sentence(self) -> Message:
        """The problem as one line: where, which field, what, and what to do."""
        said = self.message
        if self.hint is not None:
            said = msg("problem.hinted", "{message} ({hint})", message=said, hint=self.hint)
        if self.path:
            said = msg("problem.field", "{path}: {message}", path=self.path, message=said)
        if self.place is not None:
            return msg("problem.placed", "{where}, {place}: {said}", where=self.where(),
                       place=self.place, said=said)
        return msg("problem.at", "{where}: {said}", where=self.where(), said=said)

    def word(self, lang: Lang) -> str:
        return word(self.sentence(), lang)

    def __str__(self) -> str:
        return self.word("en")


def unreadable(error: OSError) -> Message:
    """A file the system would not let us read, with the system's reason."""
    return msg("os.unreadable", "cannot be read: {reason}", reason=system_reason(error))


def unwritable(error: OSError) -> Message:
    """A file the system would not let us write, with the system's reason."""
    return msg("os.unwritable", "cannot be written: {reason}", reason=system_reason(error))


def uncreatable(error: OSError) -> Message:
    """A folder or file the system would not let us create, with the system's reason."""
    return msg("os.uncreatable", "cannot be created: {reason}", reason=system_reason(error))


# The system's reasons by errno, as kinds of their own: the English text is the one the
# system gives on Linux (so the English reads as it always did), the Indonesian the catalog's.
_SYSTEM_REASONS: dict[int, Message] = {
    errno.ENOENT: msg("os.no_such_file", "No such file or directory"),
    errno.EACCES: msg("os.permission_denied", "Permission denied"),
    errno.EPERM: msg("os.not_permitted", "Operation not permitted"),
    errno.EISDIR: msg("os.is_a_directory", "Is a directory"),
    errno.ENOTDIR: msg("os.not_a_directory", "Not a directory"),
    errno.ENOSPC: msg("os.disk_full", "No space left on device"),
    errno.EDQUOT: msg("os.quota", "Disk quota exceeded"),
    errno.EEXIST: msg("os.exists", "File exists"),
    errno.EROFS: msg("os.read_only", "Read-only file system"),
    errno.EMFILE: msg("os.too_many_open", "Too many open files"),
    errno.ENFILE: msg("os.too_many_open_system", "Too many open files in system"),
    errno.ENAMETOOLONG: msg("os.name_too_long", "File name too long"),
    errno.ENOTEMPTY: msg("os.not_empty", "Directory not empty"),
    errno.ELOOP: msg("os.symlink_loop", "Too many levels of symbolic links"),
    errno.EIO: msg("os.io", "Input/output error"),
    errno.EBUSY: msg("os.busy", "Device or resource busy"),
    errno.ENOMEM: msg("os.no_memory", "Cannot allocate memory"),
    errno.EXDEV: msg("os.cross_device", "Invalid cross-device link"),
    errno.EADDRINUSE: msg("os.address_in_use", "Address already in use"),
    errno.EADDRNOTAVAIL: msg("os.address_unavailable", "Cannot assign requested address"),
}


def system_reason(error: OSError) -> Message:
    """Why the system refused, worded by its errno; a reason without a kind of its own is
    the system's words, quoted after a sentence of the user's language."""
    known = _SYSTEM_REASONS.get(error.errno) if error.errno is not None else None
    return known or msg("os.other", "{reason}", reason=error.strerror or str(error))


class DataError(IkidocError, ValueError):
    """Raised when data files cannot be read or break the rules of the data format.

    Carries every problem found, so a user fixes a file in one pass instead of one
    error per run.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)

    def message(self) -> Message:
        if len(self.problems) == 1:
            head = msg("data.one_problem", "1 problem in the data")
        else:
            head = msg("data.problems", "{count} problems in the data", count=len(self.problems))
        return msg("data.listed", "{head}:\n{problems}", head=head,
                   problems=_lines(p.sentence() for p in self.problems))


def _lines(items: Iterable[Message]) -> Joined:
    """Messages one per line, indented: the list under an error's head."""
    return Joined.of(items, "\n", "  ")


class TemplateError(IkidocError, ValueError):
    """Raised when a template cannot be found, read, or rendered.

    ``where`` names the place inside the template (a paragraph, a table cell, a
    manifest field) when it is known.
    """

    def __init__(self, *, template: str | Path, detail: Message,
                 where: Message | str | None = None) -> None:
        self.template = str(template)
        self.detail = detail
        self.where = where
        super().__init__(self.template, detail)

    def message(self) -> Message:
        if self.where:
            return msg("template.error_at", "template {template} ({where}): {detail}",
                       template=self.template, where=self.where, detail=self.detail)
        return msg("template.error", "template {template}: {detail}", template=self.template,
                   detail=self.detail)


Finding = tuple[Message | str | None, Message]  # (where in the template, what is wrong)


class TemplateCheckError(TemplateError):
    """Raised by ``templates check`` with every finding, each as (where, what): a user
    fixes a template in one pass instead of one error per run."""

    def __init__(self, *, template: str | Path, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        super().__init__(template=template, detail=msg(
            "template.problem_count", "{count} problem(s)", count=len(self.findings)))

    def message(self) -> Message:
        lines = _lines(msg("template.finding_at", "{where}: {what}", where=where, what=what)
                       if where else what for where, what in self.findings)
        return msg("template.findings", "template {template}: {count} problem(s):\n{findings}",
                   template=self.template, count=len(self.findings), findings=lines)


class OutputError(IkidocError, OSError):
    """Raised when ``import`` or ``init`` cannot write the file asked for: it exists
    (a user's data is never replaced unasked) or its folder is not writable.

    ``hint`` says what to do instead, such as the option that allows replacing.
    """

    def __init__(self, *, path: str | Path, reason: Message, hint: Message | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.hint = hint
        super().__init__(self.path, reason)

    def message(self) -> Message:
        if self.hint is not None:
            return msg("output.error_hinted", "cannot write {path}: {reason}; {hint}",
                       path=self.path, reason=self.reason, hint=self.hint)
        return msg("output.error", "cannot write {path}: {reason}", path=self.path,
                   reason=self.reason)


class ArchiveError(IkidocError, OSError):
    """Raised when the output archive cannot be written or read as its layout says."""

    def __init__(self, *, path: str | Path, detail: Message) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(self.path, detail)

    def message(self) -> Message:
        return msg("archive.error", "{path}: {detail}", path=self.path, detail=self.detail)


class VerifyError(ArchiveError):
    """Raised by ``archive verify`` once every revision has been reported, when any of
    them has a file missing, extra or changed, an unreadable manifest, or a rebuild
    that differs; ``failed`` names those revisions so a script can act on them."""

    def __init__(self, *, path: str | Path, failed: Sequence[str | Path], checked: int) -> None:
        self.failed = [str(folder) for folder in failed]
        self.checked = checked
        super().__init__(path=path, detail=msg(
            "archive.verify_failed", "{count} of {checked} revisions do not match their "
            "manifest: {failed}", count=len(self.failed), checked=checked, failed=self.failed))


class PdfError(IkidocError, RuntimeError):
    """Raised by ``generate --pdf`` when LibreOffice is missing or does not make every PDF.

    The .docx revisions are written all the same (``written`` names them, without PDFs):
    a failed conversion must not cost the user the Word files.
    """

    def __init__(self, *, detail: Message, hint: Message | None = None,
                 written: Sequence[str | Path] = ()) -> None:
        self.detail = detail
        self.hint = hint
        self.written = [str(folder) for folder in written]
        super().__init__(detail)

    def message(self) -> Message:
        parts = [msg("pdf.none_made", "no PDF was made: {detail}", detail=self.detail)]
        if self.hint is not None:
            parts.append(msg("pdf.hint", "\n  {hint}", hint=self.hint))
        if self.written:
            parts.append(msg("pdf.docx_written", "\n  the .docx files were written, without "
                             "PDFs, to {folders}", folders=self.written))
        return msg("pdf.error", "{parts}", parts=Joined.of(parts, ""))


class WorkerError(IkidocError, RuntimeError):
    """Raised when a worker process of ``-j`` stops before handing back its work (killed,
    or out of memory): the run is given up as a whole, so nothing is written, rather than
    ending in a traceback or waiting for a process that is gone."""

    def __init__(self, *, processes: int) -> None:
        self.processes = processes
        super().__init__(processes)

    def message(self) -> Message:
        return msg("worker.died", "one of the {processes} worker processes (-j) stopped before "
                   "its work was done (killed, or the computer ran out of memory); nothing was "
                   "written. Run again; if it happens again, use -j 1",
                   processes=self.processes)


class ServeError(IkidocError, OSError):
    """Raised by ``ikidoc serve`` before the page starts: when it would be reachable from
    other machines without a token, or its address cannot be bound (the port is taken).

    Nothing has been served then; ``hint`` says which option to change.
    """

    def __init__(self, *, address: str, detail: Message, hint: Message | None = None) -> None:
        self.address = address
        self.detail = detail
        self.hint = hint
        super().__init__(address, detail)

    def message(self) -> Message:
        if self.hint is not None:
            return msg("serve.error_hinted", "cannot serve on {address}: {detail}; {hint}",
                       address=self.address, detail=self.detail, hint=self.hint)
        return msg("serve.error", "cannot serve on {address}: {detail}", address=self.address,
                   detail=self.detail)


class PreviewError(IkidocError, RuntimeError):
    """Raised by ``preview`` and ``archive diff`` when pages cannot be drawn: LibreOffice
    is missing or fails, or the position asked for does not exist. Nothing is written to
    the archive; ``hint`` says what to do."""

    def __init__(self, *, detail: Message, hint: Message | None = None) -> None:
        self.detail = detail
        self.hint = hint
        super().__init__(detail)

    def message(self) -> Message:
        if self.hint is not None:
            return msg("preview.error_hinted", "no page was drawn: {detail}\n  {hint}",
                       detail=self.detail, hint=self.hint)
        return msg("preview.error", "no page was drawn: {detail}", detail=self.detail)

"""Every error ikidoc raises on purpose; the CLI turns them into messages in one place."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class IkidocError(Exception):
    """Base of every error ikidoc raises for bad input, templates or archives.

    The CLI prints ``str(error)`` and exits with status 1; nothing else is needed to
    report one, so each subclass builds its whole message from its own facts.
    """

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
class Problem:
    """One thing wrong in a data file: where it is and what to do about it."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str = ""
    # Where inside a source that has no lines, such as a workbook or a Word document:
    # "sheet IKI, row 12, column E (Formulasi)" or "jabatan 2 (Bendahara), table row 4".
    place: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.place:
            where += f", {self.place}"
        field = f" {self.path}:" if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


class DataError(IkidocError, ValueError):
    """Raised when data files cannot be read or break the rules of FORMAT.md §1.

    Carries every problem found, so a user fixes a file in one pass instead of one
    error per run.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = "1 problem in the data" if count == 1 else f"{count} problems in the data"
        return head + ":\n" + "\n".join(f"  {p}" for p in self.problems)


class TemplateError(IkidocError, ValueError):
    """Raised when a template cannot be found, read, or rendered.

    ``where`` names the place inside the template (a paragraph, a table cell, a
    manifest field) when it is known.
    """

    def __init__(self, *, template: str | Path, detail: str, where: str = "") -> None:
        self.template = str(template)
        self.detail = detail
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"template {self.template}{where}: {self.detail}"


class TemplateCheckError(TemplateError):
    """Raised by ``templates check`` with every finding, each as (where, what): a user
    fixes a template in one pass instead of one error per run."""

    def __init__(self, *, template: str | Path, findings: Sequence[tuple[str, str]]) -> None:
        self.findings = list(findings)
        super().__init__(template=template, detail=f"{len(self.findings)} problem(s)")

    def __str__(self) -> str:
        lines = [f"  {where}: {what}" if where else f"  {what}" for where, what in self.findings]
        return f"template {self.template}: {len(self.findings)} problem(s):\n" + "\n".join(lines)


class OutputError(IkidocError, OSError):
    """Raised when ``import`` or ``init`` cannot write the file asked for: it exists
    (a user's data is never replaced unasked) or its folder is not writable.

    ``hint`` says what to do instead, such as the option that allows replacing.
    """

    def __init__(self, *, path: str | Path, reason: str, hint: str = "") -> None:
        self.path = str(path)
        self.reason = reason
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"cannot write {self.path}: {self.reason}{hint}"


class ArchiveError(IkidocError, OSError):
    """Raised when the output archive cannot be written or read as FORMAT.md §4 says."""

    def __init__(self, *, path: str | Path, detail: str) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"


class VerifyError(ArchiveError):
    """Raised by ``archive verify`` once every revision has been reported, when any of
    them has a file missing, extra or changed, an unreadable manifest, or a rebuild
    that differs; ``failed`` names those revisions so a script can act on them."""

    def __init__(self, *, path: str | Path, failed: Sequence[str | Path], checked: int) -> None:
        self.failed = [str(folder) for folder in failed]
        self.checked = checked
        super().__init__(path=path, detail=f"{len(self.failed)} of {checked} revisions do not "
                                            "match their manifest: " + ", ".join(self.failed))


class PdfError(IkidocError, RuntimeError):
    """Raised by ``generate --pdf`` when LibreOffice is missing or does not make every PDF.

    The .docx revisions are written all the same (``written`` names them, without PDFs):
    a failed conversion must not cost the user the Word files.
    """

    def __init__(self, *, detail: str, hint: str = "", written: Sequence[str | Path] = ()) -> None:
        self.detail = detail
        self.hint = hint
        self.written = [str(folder) for folder in written]
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"no PDF was made: {self.detail}"
        if self.hint:
            text += f"\n  {self.hint}"
        if self.written:
            text += "\n  the .docx files were written, without PDFs, to " + ", ".join(self.written)
        return text


class ServeError(IkidocError, OSError):
    """Raised by ``ikidoc serve`` before the page starts: when it would be reachable from
    other machines without a token, or its address cannot be bound (the port is taken).

    Nothing has been served then; ``hint`` says which option to change.
    """

    def __init__(self, *, address: str, detail: str, hint: str = "") -> None:
        self.address = address
        self.detail = detail
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"cannot serve on {self.address}: {self.detail}{hint}"


class PreviewError(IkidocError, RuntimeError):
    """Raised by ``preview`` and ``archive diff`` when pages cannot be drawn: LibreOffice
    is missing or fails, or the position asked for does not exist. Nothing is written to
    the archive; ``hint`` says what to do."""

    def __init__(self, *, detail: str, hint: str = "") -> None:
        self.detail = detail
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        hint = f"\n  {self.hint}" if self.hint else ""
        return f"no page was drawn: {self.detail}{hint}"

"""Every error ikidoc raises on purpose; the CLI turns them into messages in one place."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class IkidocError(Exception):
    """Base of every error ikidoc raises for bad input, templates or archives.

    The CLI prints ``str(error)`` and exits with status 1; nothing else is needed to
    report one, so each subclass builds its whole message from its own facts.
    """


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where it is and what to do about it."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
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


class ArchiveError(IkidocError, OSError):
    """Raised when the output archive cannot be written or read as FORMAT.md §4 says."""

    def __init__(self, *, path: str | Path, detail: str) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"

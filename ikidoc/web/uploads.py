"""Uploaded files, each upload in its own temporary folder until it has been used.

An upload's file name is shown back to the user but never chooses a path: the file is
saved under a slug of its name (the archive's own rule for names) inside a folder that
this module made, and the folder is removed once the upload has served (a generation
ran, a template was installed), when it is an hour old, or when the server stops.
"""
from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import BinaryIO

from ikidoc import archive, importers, load
from ikidoc.errors import DataError
from ikidoc.load import Source

MAX_AGE_SECONDS = 3600


@dataclass
class Upload:
    """One upload: its id (the only thing a page sends back), its folder, the names its
    files had on the user's computer (by the path each was saved at), and the data file
    read from it."""

    id: str
    folder: Path
    names: dict[str, str] = field(default_factory=dict)
    data_file: Path | None = None
    imported: bool = False  # the data file was written by ikidoc import, not uploaded

    def save(self, original: str, stream: BinaryIO) -> Path:
        """Save one uploaded file under a safe name of its own; return where it went."""
        shown = PureWindowsPath(original).name or "berkas"  # splits on both / and \
        stem, suffix = PureWindowsPath(shown).stem, PureWindowsPath(shown).suffix.lower()
        safe_suffix = suffix if suffix[1:].isalnum() else ""
        path = self.folder / f"{archive.slug(stem, 'berkas')}{safe_suffix}"
        counter = 1
        while path.exists():
            counter += 1
            path = self.folder / f"{archive.slug(stem, 'berkas')}-{counter}{safe_suffix}"
        with path.open("xb") as handle:
            shutil.copyfileobj(stream, handle)
        self.names[str(path)] = shown
        return path

    def problem_rows(self, error: DataError) -> list[dict[str, str]]:
        """Each problem of the library's error as the page's table shows it: the file as
        the user knows it (not its temporary path), the place in it, the field, the
        message and the hint. A line of the data file that ikidoc import wrote means
        nothing to the user, so only its field path is shown."""
        rows = []
        for problem in error.problems:
            hidden = self.imported and problem.file == str(self.data_file)
            if problem.place or problem.line is None or hidden:
                where = problem.place
            else:
                column = f", kolom {problem.column}" if problem.column else ""
                where = f"baris {problem.line}{column}"
            rows.append({"berkas": self.names.get(problem.file, PureWindowsPath(problem.file).name),
                         "letak": where, "isian": problem.path, "masalah": problem.message,
                         "saran": problem.hint})
        return rows


class Uploads:
    """Every upload still waiting to be used, under one temporary root."""

    def __init__(self, max_age: float = MAX_AGE_SECONDS) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ikidoc-web-"))
        self.max_age = max_age
        self._uploads: dict[str, tuple[Upload, float]] = {}
        self._lock = threading.Lock()

    def new(self) -> Upload:
        """A fresh, empty upload; uploads older than ``max_age`` are removed first."""
        self._expire()
        upload = Upload(secrets.token_urlsafe(16), self.root / secrets.token_hex(8))
        upload.folder.mkdir()
        with self._lock:
            self._uploads[upload.id] = (upload, time.monotonic())
        return upload

    def take(self, upload_id: str) -> Upload | None:
        """The upload of that id (None when it is unknown, used or expired), no longer
        waiting: the caller uses it and removes it, and neither expiry nor a second
        request can take it meanwhile."""
        self._expire()
        with self._lock:
            found = self._uploads.pop(upload_id, None)
        return found[0] if found else None

    def peek(self, upload_id: str) -> Upload | None:
        """The upload of that id, left waiting (for a picture of its pages), or None."""
        self._expire()
        with self._lock:
            found = self._uploads.get(upload_id)
        return found[0] if found else None

    def remove(self, upload: Upload) -> None:
        with self._lock:
            self._uploads.pop(upload.id, None)
        shutil.rmtree(upload.folder, ignore_errors=True)

    def close(self) -> None:
        """Remove every upload: the server is stopping."""
        with self._lock:
            self._uploads.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def _expire(self) -> None:
        limit = time.monotonic() - self.max_age
        with self._lock:
            old = [upload for upload, made in self._uploads.values() if made < limit]
        for upload in old:
            self.remove(upload)


def read_data(upload: Upload, path: Path) -> Source:
    """The unit in an uploaded data file (.yaml, .yml, .json) or in a sheet or document
    that ``ikidoc import`` reads (.xlsx, .csv, .docx), which is imported into a data
    file beside it first, exactly as the command line would.

    Raises DataError with every problem (or the reason the file cannot be taken).
    """
    data_file = path if path.suffix in load.SUFFIXES else path.with_suffix(".yaml")
    if data_file != path:
        importers.import_file(path, data_file)
        upload.names[str(data_file)] = upload.names.get(str(path), path.name)
    source = load.load_file(data_file)
    upload.data_file, upload.imported = data_file, data_file != path
    return source


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
from ikidoc.errors import Problem
from ikidoc.load import Source

MAX_AGE_SECONDS = 3600


@dataclass(frozen=True)
class Upload:
    """One upload: its id (the only thing a page sends back), its folder, and the names
    its files had on the user's computer, by the path each was saved at."""

    id: str
    folder: Path
    names: dict[str, str] = field(default_factory=dict)

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

    def shown(self, problem: Problem) -> str:
        """The file a problem names, as the user knows it (not the temporary path)."""
        return self.names.get(problem.file, PureWindowsPath(problem.file).name)


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

    def get(self, upload_id: str) -> Upload | None:
        """The upload of that id, or None when it is unknown, used or expired."""
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
    if path.suffix in load.SUFFIXES:
        return load.load_file(path)
    data_file = path.with_suffix(".yaml")
    importers.import_file(path, data_file)
    upload.names[str(data_file)] = upload.names.get(str(path), path.name)
    return load.load_file(data_file)


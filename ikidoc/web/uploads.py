"""Uploaded files, each upload in its own temporary folder until it has been used.

An upload's file name is shown back to the user but never chooses a path: the file is
saved under a slug of its name (the archive's own rule for names) inside a folder that
this module made, and the folder is removed when it is an hour old or the server stops,
and before that once it can serve no more (a template installed or refused, a data file
that cannot be read); a data file that was read stays, so that its page can make it
again with another template.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, BinaryIO

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ikidoc import archive, formats, importers, load, reading
from ikidoc.errors import DataError, Finding, Problem
from ikidoc.importers.draft import NO_UNIT, SIGNER_FIELDS, field_key
from ikidoc.importers.output import to_yaml
from ikidoc.importers.tabular import DOKUMEN
from ikidoc.load import Source
from ikidoc.messages import Message, msg, word
from ikidoc.template_check import Report
from ikidoc.templates import Template

MAX_AGE_SECONDS = 3600
# The document's own fields, as the page asks for them and names them (the command line
# keeps its keys and options).
DOCUMENT_FIELDS = (
    ("unit_kerja", "Unit kerja"), ("tahun", "Tahun"), ("tempat", "Tempat penandatanganan"),
    ("tanggal", "Tanggal penandatanganan"), ("penandatangan_jabatan", "Jabatan penanda tangan"),
    ("penandatangan_nama", "Nama penanda tangan"),
    ("penandatangan_pangkat", "Pangkat penanda tangan"),
    ("penandatangan_nip", "NIP penanda tangan"))
LABELS = dict(DOCUMENT_FIELDS)
PAGE_SUFFIXES = (*importers.READERS, *load.SUFFIXES)  # what the page's upload reads
# The page asks for the unit itself: its hint is not the command line's option.
_ON_THE_PAGE = msg("web.no_unit_hint", "write the unit's name in the form below the table")
# A year written in words: in the form or in the file, it is written in figures.
_YEAR_ON_THE_PAGE = msg("web.year_hint", "write the year in figures, for example 2025")
# ...and offers the SASARAN columns a Word document leaves to choose from as a list.
_PICK_ON_THE_PAGE = msg("web.pick_column_hint", "choose the SASARAN column in the list below "
                        "the table; the others go to tambahan under their headers' names")


@dataclass
class TemplateUpload:
    """What checking an uploaded template gave, kept for its page's own address: the
    report of a template that passed (and the free name offered when its own is taken),
    or its findings, or the reason it could not be read; then the template installed."""

    report: Report | None = None
    free_name: str | None = None
    findings: list[Finding] = field(default_factory=list)
    refusal: str = ""
    installed: Template | None = None


@dataclass(frozen=True)
class Chosen:
    """What the officer chose for an upload on its page: kept across the page's reloads
    (a template needing fields, a field missing) so that nothing chosen comes back
    otherwise."""

    template: str
    pdf: bool
    switches: frozenset[str]  # "template:switch" of each ticked


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
    original: Path | None = None  # the file as uploaded
    source: Source | None = None  # what reading it gave: its unit...
    error: DataError | None = None  # ...or every problem found
    fields: dict[str, str] = field(default_factory=dict)  # document fields given on the page
    job: str | None = None  # the generation started from it, once there is one
    template: TemplateUpload | None = None  # what checking it as a template gave
    empty: bool = False  # the file uploaded has no bytes at all
    chosen: Chosen | None = None  # the template and its choices last sent from its page
    given: dict[str, Any] | None = None  # the document fields the file gives, once read
    dokumen_names: dict[int, str] | None = None  # the field of each row of sheet 'dokumen'

    def fields_given(self) -> dict[str, Any]:
        """The document fields the uploaded file gives, as read (importers.read_fields):
        read once, as the file does not change; the form of a failed upload shows them
        on every render."""
        if self.given is None:
            self.given = importers.read_fields(self.original) if self.original else {}
        return self.given

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

    @property
    def name(self) -> str:
        """The uploaded file's name, as the user knows it."""
        return self.names.get(str(self.original), "") if self.original else ""

    def problem_rows(self, error: DataError) -> list[dict[str, str]]:
        """Each problem of the library's error as the page's table shows it, in Indonesian:
        the file as the user knows it (not its temporary path), the place in it, the field,
        the message and the hint. A line of the data file that ikidoc import (or the page's
        form) wrote means nothing to the user, so only its field path is shown."""
        rows = [self.row(problem) for problem in error.problems]
        if not self.empty:
            return rows
        # an empty file is one problem, in no row, however many readers found nothing in it
        said = {(row["masalah"], row["saran"]): {**row, "letak": ""} for row in reversed(rows)}
        return list(reversed(said.values()))

    def field_of(self, problem: Problem) -> str | None:
        """The document field of the page's form (``penandatangan_nip``) a problem is
        about, so that the form offers it, marked: by the problem's field path, or, for a
        value the importer refused before it had a field (a NIP stored as a number), by
        the name in column A of its row in the workbook's sheet 'dokumen'."""
        if problem.message is NO_UNIT:
            return "unit_kerja"
        key = problem.path.split(" ")[0].replace(".", "_")
        if key in LABELS:
            return key
        place = problem.place
        if (place is not None and place.kind == "place.sheet_value"
                and place.values.get("sheet") == DOKUMEN):
            key = self._dokumen_names().get(int(place.values["row"]), "")
            return key if key in LABELS else None
        return None

    def _dokumen_names(self) -> dict[int, str]:
        """The field named in each row of the uploaded workbook's sheet 'dokumen', read
        once (the file does not change)."""
        if self.dokumen_names is None:
            self.dokumen_names = {}
            if self.original is None or self.original.suffix not in (".xlsx", ".xlsm"):
                return self.dokumen_names
            # a workbook unreadable here has been told already, by its import
            with contextlib.suppress(OSError, KeyError, ValueError, zipfile.BadZipFile,
                                     InvalidFileException):
                book = openpyxl.load_workbook(self.original, read_only=True)
                try:
                    for number, (name,) in enumerate(book[DOKUMEN].iter_rows(
                            max_col=1, values_only=True), start=1):
                        found = field_key(str(name)) if name is not None else None
                        if found is not None:
                            self.dokumen_names[number] = found
                finally:
                    book.close()
        return self.dokumen_names

    def typed(self, problem: Problem) -> bool:
        """Whether the problem is in a field typed on the page, not in the file."""
        return problem.place is not None and problem.place.kind == "place.option"

    def row(self, problem: Problem) -> dict[str, str]:
        """One problem as a row of the page's table (see problem_rows)."""
        hidden = self.imported and problem.file == str(self.data_file)
        if self.typed(problem):
            assert problem.place is not None
            where = word(msg("web.typed_place", "the {label} field of this form",
                             label=label(str(problem.place.values["option"]))), "id")
        elif problem.place is not None:
            where = word(problem.place, "id")
        elif problem.line is None or hidden:
            where = ""
        else:
            column = f", kolom {problem.column}" if problem.column else ""
            where = f"baris {problem.line}{column}"
        hint = _ON_THE_PAGE if problem.message is NO_UNIT else problem.hint
        if problem.choice is not None and problem.choice.kind == "kolom_sasaran":
            hint = _PICK_ON_THE_PAGE
        said, hint = self._page_words(problem, hint)
        field = self.field_of(problem)
        if hint is None and field is not None and not self.typed(problem):
            hint = (_YEAR_ON_THE_PAGE if problem.message.kind == "data.year_type" else
                    msg("web.field_hint", "type the right {label} in the form Isian dokumen "
                        "on the page, or correct it in the file", label=LABELS[field]))
        shown = LABELS[field] if field is not None else label(problem.path)
        return {"berkas": self.names.get(problem.file, PureWindowsPath(problem.file).name),
                "letak": where, "isian": shown if problem.path or field else "",
                "masalah": word(said, "id"), "saran": word(hint, "id") if hint is not None else "",
                "diketik": "ya" if self.typed(problem) else ""}

    def _page_words(self, problem: Problem, hint: Message | None,
                    ) -> tuple[Message, Message | None]:
        """The problem as the page says it where the library's words name keys, options
        or formats an officer does not know: the field's label, the files the page reads,
        an empty file as empty."""
        kind = problem.message.kind
        if self.empty and problem.file in (str(self.original), str(self.data_file)):
            return (msg("web.empty_file", "the file is empty (0 bytes): it holds no sheet or "
                        "table with data"),
                    msg("web.empty_file_hint", "choose the file that holds the data, or save "
                        "it again in Excel or Word and upload it again"))
        if kind in ("import.doc", "import.xls"):  # said with its subject: the file
            return msg("web.old_format", "{name} is saved in the old format of Word or Excel "
                       "(97-2003), which the page does not read", name=self.name), msg(
                       "web.old_format_hint", "open it in Word or Excel and save it again as "
                       "{suffix}, then upload that file",
                       suffix=".docx" if kind == "import.doc" else ".xlsx")
        if kind == "import.no_unit":
            return msg("web.no_unit", "the unit's name (Unit kerja) is not given"), hint
        if kind == "data.file_empty":
            return msg("web.data_file_empty", "the file holds nothing: no unit and no "
                       "positions"), hint
        if kind == "import.unknown_kind":
            return msg("web.unknown_kind", "is not a file the page reads (it reads {known})",
                       known=list(PAGE_SUFFIXES)), hint
        return problem.message, hint


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
        """The upload of that id, still waiting (None when it is unknown or expired)."""
        self._expire()
        with self._lock:
            found = self._uploads.get(upload_id)
        return found[0] if found else None

    def remove(self, upload: Upload) -> None:
        with self._lock:
            self._uploads.pop(upload.id, None)
        shutil.rmtree(upload.folder, ignore_errors=True)

    def release(self, upload: Upload) -> None:
        """Remove the upload's files but remember what it gave (its page, its job) until
        it expires: the files have served."""
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


def label(path: str) -> str:
    """A document field as the page names it ("penandatangan.nip": "NIP penanda tangan",
    "tambahan.menimbang": "Menimbang"); another path as it is."""
    key = path.replace(".", "_").replace("-", "_")
    if key.startswith("tambahan_"):
        return key.removeprefix("tambahan_").capitalize()
    return LABELS.get(key, path)


def read_data(upload: Upload, fields: Mapping[str, str] | None = None) -> Source:
    """The unit in the uploaded data file (.yaml, .yml, .json) or in a sheet or document
    that ``ikidoc import`` reads (.xlsx, .csv, .docx), which is imported into a data
    file beside it first, exactly as the command line would; ``fields`` are document
    fields given on the page (``unit_kerja``, ``penandatangan_nama``, ``tambahan_nomor``),
    which replace what the file says, as ``ikidoc import --unit-kerja ...`` does.

    Raises DataError with every problem (or the reason the file cannot be taken).
    """
    path = upload.original
    assert path is not None
    fields = dict(fields or {})
    given = {key: value for key, value in fields.items() if value.strip()}
    if path.suffix in load.SUFFIXES and not fields:
        data_file = path
    elif path.suffix in load.SUFFIXES:
        data_file = upload.folder / "isian-halaman.yaml"
        data = reading.parse(path.read_bytes(), str(path), json_syntax=path.suffix == ".json")[0]
        data_file.write_text(to_yaml(with_fields(data, fields), path.name), encoding="utf-8")
    else:
        data_file = path.with_suffix(".yaml")
        importers.import_file(path, data_file, fields=given, force=True)
        if len(given) < len(fields):  # a field emptied on the page: not in the data
            data = reading.parse(data_file.read_bytes(), str(data_file))[0]
            data_file.write_text(to_yaml(with_fields(data, fields), path.name), encoding="utf-8")
    upload.names[str(data_file)] = upload.names.get(str(path), path.name)
    source = load.load_file(data_file)
    upload.data_file, upload.imported = data_file, data_file != path
    return source


def with_fields(data: Any, fields: Mapping[str, str]) -> Any:
    """The data with the document fields given replacing its own: the signer's fields
    under ``penandatangan``, ``tambahan_X`` under ``tambahan`` (a list when written on
    several lines). A field given empty is removed, as the page says: a field left empty
    is not printed (a unit without its name is then asked for it)."""
    if not isinstance(data, dict):
        return data
    merged = dict(data)
    for key, value in fields.items():
        if key.startswith(("penandatangan_", "tambahan_")):
            group, name = key.split("_", 1)
            inner = dict(merged.get(group) or {})
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            if group == "penandatangan" or not lines:
                inner[name] = value.strip()
            else:
                inner[name] = lines if len(lines) > 1 else lines[0]
            if not value.strip():
                del inner[name]
            if inner:
                merged[group] = inner
            else:
                merged.pop(group, None)
        elif value.strip():
            merged[key] = value.strip()
        else:
            merged.pop(key, None)
    return merged


def fields_of(upload: Upload) -> dict[str, str]:
    """The document fields as the form shows them: given on the page, else as read."""
    found: dict[str, Any] = {}
    if upload.source is not None:
        unit = upload.source.unit
        found = {"unit_kerja": unit.unit_kerja, "tahun": unit.tahun, "tempat": unit.tempat,
                 "tanggal": formats.tanggal(unit.tanggal) if unit.tanggal else None}
        if unit.penandatangan is not None:
            found |= {f"penandatangan_{name}": getattr(unit.penandatangan, name)
                      for name in SIGNER_FIELDS}
        found |= {f"tambahan_{key}": "\n".join(value) if isinstance(value, list) else value
                  for key, value in unit.tambahan.items() if isinstance(value, (str, list))}
    else:
        found = upload.fields_given()
    shown = {key: "" if value is None else str(value) for key, value in found.items()}
    if isinstance(found.get("tanggal"), dt.date):
        shown["tanggal"] = formats.tanggal(found["tanggal"])
    return shown | upload.fields

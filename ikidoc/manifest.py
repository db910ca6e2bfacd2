"""A revision's manifest.json: its model, read back within bounds, written with a checksum.

Reading is bounded in size and depth before anything is trusted: a manifest.json of
gigabytes, or one nested a hundred thousand levels deep, is named with the limit it
breaks instead of being read whole or crashing the reader. Every manifest written
records a checksum over its own content and the sha256 of the revision before it, so
an edit that the rebuild cannot judge (the time it was made), and a revision removed
or replaced whole, are still found by ``archive verify``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ikidoc.errors import ArchiveError, unreadable
from ikidoc.messages import msg
from ikidoc.validation import dotted, rule_message

MANIFEST = "manifest.json"
FORMAT = "ikidoc-archive/2"  # /2 adds instansi, previous and checksum to /1
MAX_BYTES = 128 * 2**20  # a data file may be 50 MB, and JSON escapes some characters
MAX_DEPTH = 32  # an ikidoc manifest nests 5 levels deep
CHECKSUM_KEY = "checksum"
_TOO_DEEP = msg("archive.too_deep", "nests deeper than {bound} levels; it is not an ikidoc "
                "manifest", bound=MAX_DEPTH)


class FileRecord(BaseModel):
    """One file of a revision as manifest.json lists it."""

    model_config = ConfigDict(extra="allow", frozen=True)

    # a plain name: a hand-edited "../x" must not lead a check outside the revision
    path: str = Field(pattern=r"^[^./\\][^/\\]*$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(alias="bytes", ge=0)
    jabatan: str | None = None  # the position a .docx holds; None for the combined one
    indikator: int | None = None
    pdf_of: str | None = None  # the .docx a PDF was made from


class Inputs(BaseModel):
    """What a revision was made from; equal inputs make equal documents."""

    model_config = ConfigDict(extra="allow", frozen=True)

    data_file: str
    data_sha256: str
    template: str
    template_version: str
    template_sha256: str
    ikidoc: str


class Previous(BaseModel):
    """The revision a revision was made after, and the sha256 of its manifest.json then
    (None when it could not be trusted: a link out of the archive, or over the bounds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: str = Field(pattern=r"^r[1-9][0-9]*$")
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class RevisionManifest(BaseModel):
    """manifest.json as it is read back. Keys it does not name are allowed, so that an
    older ikidoc can still check the files of a revision a newer one wrote."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format: str
    instansi: str | None = None  # not recorded by ikidoc-archive/1
    unit_kerja: str
    tahun: int | None = None
    created: dt.datetime
    inputs: Inputs
    template: dict[str, Any] = Field(default_factory=dict)
    jabatan: list[str] = Field(default_factory=list)  # every position, in order
    data_text: str | None = None  # the input data file's text, kept for a rebuild
    files: list[FileRecord]
    previous: Previous | None = None  # None for a first revision and for /1 manifests
    checksum: str | None = None  # see content_checksum; None for /1 manifests

    @property
    def pdfs(self) -> list[FileRecord]:
        return [record for record in self.files if record.pdf_of]

    @property
    def records_instansi(self) -> bool:
        """Whether the manifest says which instansi the unit belongs to (/1 ones do not)."""
        return "instansi" in self.model_fields_set


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, refused by its size before it is read (and never more
    than ``limit`` bytes read, should it grow meanwhile), or when it is not a regular
    file (a link included: ikidoc writes none, and one could lead anywhere on the disk).
    Raises ArchiveError."""
    try:
        facts = path.lstat()
        regular = stat.S_ISREG(facts.st_mode)  # a FIFO or a device would block or never end
        size = facts.st_size
        if regular and size <= limit:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
            size = len(data)
    except FileNotFoundError:
        raise ArchiveError(path=path, detail=msg("archive.missing", "is missing")) from None
    except OSError as error:
        raise ArchiveError(path=path, detail=unreadable(error)) from None
    if not regular:
        raise ArchiveError(path=path, detail=msg("archive.not_regular", "is not a regular file; "
                                                 "it is not read"))
    if size > limit:
        raise ArchiveError(path=path, detail=msg("archive.too_large", "is {size:,} bytes, over "
                                                 "the limit of {bound} MB; it is not read",
                                                 size=size, bound=limit // 2**20))
    return data


def read_json(path: Path, limit: int = MAX_BYTES) -> Any:
    """Parse a JSON file ikidoc wrote, bounded in size and in depth (MAX_DEPTH)."""
    data = read_bounded(path, limit)
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ArchiveError(path=path, detail=msg("archive.not_utf8", "is not UTF-8 text ({reason})",
                                                 reason=error.reason)) from None
    except json.JSONDecodeError as error:
        raise ArchiveError(path=path, detail=msg(
            "archive.not_json", "is not valid JSON: {detail} at line {line}, column {column}",
            detail=error.msg, line=error.lineno, column=error.colno)) from None
    except ValueError as error:  # a number of more than 4,300 digits
        raise ArchiveError(path=path, detail=msg("archive.not_json_value", "is not valid JSON: "
                                                 "{detail}", detail=str(error))) from None
    except RecursionError:  # deeper than Python's stack: far past MAX_DEPTH
        raise ArchiveError(path=path, detail=_TOO_DEEP) from None
    if _too_deep(raw):
        raise ArchiveError(path=path, detail=_TOO_DEEP)
    return raw


def _too_deep(value: Any) -> bool:
    """Whether ``value`` nests past MAX_DEPTH, found without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def read_manifest(revision_dir: Path) -> tuple[RevisionManifest, dict[str, Any]]:
    """A revision's manifest.json, as a model and as the JSON it holds; raises
    ArchiveError saying what is wrong with it (missing, over a bound, not JSON, or a
    field missing or of the wrong kind, by its path)."""
    path = revision_dir / MANIFEST
    raw = read_json(path)
    try:
        return RevisionManifest.model_validate(raw), raw
    except ValidationError as error:
        first = error.errors()[0]
        field = dotted(first["loc"]) or msg("archive.top_level", "top level")
        if error.error_count() > 1:
            raise ArchiveError(path=path, detail=msg(
                "archive.not_manifest_more", "is not an ikidoc manifest: {field}: {message} "
                "(and {more} more)", field=field, message=rule_message(first),
                more=error.error_count() - 1)) from None
        raise ArchiveError(path=path, detail=msg(
            "archive.not_manifest", "is not an ikidoc manifest: {field}: {message}", field=field,
            message=rule_message(first))) from None


def load_manifest(revision_dir: Path) -> RevisionManifest:
    """A revision's manifest.json as a model; see read_manifest."""
    return read_manifest(revision_dir)[0]


def manifest_sha256(revision_dir: Path) -> str | None:
    """The sha256 of a revision's manifest.json, None when it is missing, unreadable or
    over MAX_BYTES (then it is not read)."""
    try:
        return hashlib.sha256(read_bounded(revision_dir / MANIFEST)).hexdigest()
    except ArchiveError:
        return None


def content_checksum(raw: dict[str, Any]) -> str:
    """The sha256 of a manifest's content apart from its checksum, in a canonical form
    (sorted keys, no spaces), so that the checksum does not depend on the layout."""
    content = {key: value for key, value in raw.items() if key != CHECKSUM_KEY}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_text(manifest: dict[str, Any]) -> str:
    """manifest.json's text: the manifest with its checksum (its own sha256 cannot be in
    it; the next revision records that)."""
    checked = {**manifest, CHECKSUM_KEY: content_checksum(manifest)}
    return json.dumps(checked, ensure_ascii=False, indent=2) + "\n"

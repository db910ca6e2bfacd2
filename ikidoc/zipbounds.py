"""Bounds on what a zip package (.xlsx, .docx) may unpack to, checked before any library
opens it: a "zip bomb" of a few megabytes that unpacks to gigabytes, or a package of
a million entries, is refused in milliseconds, with the limit in the message.

The sizes a package declares are enough: Python's ``zipfile``, which openpyxl and
python-docx read through, never unpacks an entry past its declared size (a package
that lies about one fails its checksum instead).
"""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from ikidoc.errors import DataError, Problem
from ikidoc.messages import Message, msg

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 64 * 2**20
MAX_TOTAL_BYTES = 256 * 2**20
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = 22  # bytes of the end-of-directory record, without its comment
_LONGEST_COMMENT = 0xFFFF
_ZIP64_COUNT = 0xFFFF  # the record's count when the real one is in a zip64 record


def check(path: Path) -> None:
    """Raise DataError naming ``path`` when it passes a bound (see ``refusal``): for the
    importers, whose problems are data problems."""
    reason = refusal(path)
    if reason is not None:
        raise DataError([Problem(str(path), msg("zip.bomb", "{reason} (an export or a 'zip "
                                                "bomb'?)", reason=reason),
                                 hint=msg("zip.split_hint", "split the content into smaller "
                                          "files"))])


def refusal(path: Path) -> Message | None:
    """Why ``path`` is refused, or None: more than MAX_ENTRIES entries, an entry larger
    than MAX_ENTRY_BYTES or more than MAX_TOTAL_BYTES in all, unpacked. Any reader of a
    zip package words it in its own error.

    A file that is no zip at all passes: the reader that opens it says what it is not.
    """
    declared = _declared_entries(path)
    if declared is not None and declared > MAX_ENTRIES:
        return _too_many(declared)
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if len(entries) > MAX_ENTRIES:
        return _too_many(len(entries))
    largest = max(entries, key=lambda entry: entry.file_size, default=None)
    if largest is not None and largest.file_size > MAX_ENTRY_BYTES:
        return msg("zip.entry_too_large", "holds {name}, which unpacks to {size:,} bytes; "
                   "package entries over {bound} MB are refused", name=largest.filename,
                   size=largest.file_size, bound=MAX_ENTRY_BYTES // 2**20)
    total = sum(entry.file_size for entry in entries)
    if total > MAX_TOTAL_BYTES:
        return msg("zip.too_large", "unpacks to {size:,} bytes; packages that unpack to over "
                   "{bound} MB are refused", size=total, bound=MAX_TOTAL_BYTES // 2**20)
    return None


def _too_many(count: int) -> Message:
    if count == _ZIP64_COUNT:
        return msg("zip.too_many_at_least", "holds {count:,} or more entries; packages of more "
                   "than {bound:,} entries are refused", count=count, bound=MAX_ENTRIES)
    return msg("zip.too_many", "holds {count:,} entries; packages of more than {bound:,} entries "
               "are refused", count=count, bound=MAX_ENTRIES)


def _declared_entries(path: Path) -> int | None:
    """The entry count of the package's end-of-directory record, read without reading
    the directory itself (``zipfile`` builds an object per entry first); None when
    there is no such record. A count of 0xFFFF means "at least that many" (zip64)."""
    try:
        with path.open("rb") as stream:
            size = stream.seek(0, 2)
            start = max(0, size - _END_RECORD - _LONGEST_COMMENT)
            stream.seek(start)
            tail = stream.read()
    except OSError:
        return None
    found = tail.rfind(_END_OF_DIRECTORY)
    if found < 0 or len(tail) - found < _END_RECORD:
        return None
    (count,) = struct.unpack_from("<H", tail, found + 10)
    return int(count)

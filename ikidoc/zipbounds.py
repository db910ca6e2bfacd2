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

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 64 * 2**20
MAX_TOTAL_BYTES = 256 * 2**20
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = 22  # bytes of the end-of-directory record, without its comment
_LONGEST_COMMENT = 0xFFFF


def check(path: Path) -> None:
    """Raise DataError naming ``path`` when it holds more than MAX_ENTRIES entries, an
    entry larger than MAX_ENTRY_BYTES or more than MAX_TOTAL_BYTES in all, unpacked.

    A file that is no zip at all passes: the reader that opens it says what it is not.
    """
    name = str(path)
    declared = _declared_entries(path)
    if declared is not None and declared > MAX_ENTRIES:
        raise DataError([_refused(name, f"holds {declared:,} entries",
                                  f"packages of more than {MAX_ENTRIES:,} entries")])
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(entries) > MAX_ENTRIES:
        raise DataError([_refused(name, f"holds {len(entries):,} entries",
                                  f"packages of more than {MAX_ENTRIES:,} entries")])
    largest = max(entries, key=lambda entry: entry.file_size, default=None)
    if largest is not None and largest.file_size > MAX_ENTRY_BYTES:
        raise DataError([_refused(name, f"holds {largest.filename}, which unpacks to "
                                        f"{largest.file_size:,} bytes",
                                  f"package entries over {MAX_ENTRY_BYTES // 2**20} MB")])
    total = sum(entry.file_size for entry in entries)
    if total > MAX_TOTAL_BYTES:
        raise DataError([_refused(name, f"unpacks to {total:,} bytes",
                                  f"packages that unpack to over {MAX_TOTAL_BYTES // 2**20} MB")])


def _refused(name: str, what: str, limit: str) -> Problem:
    return Problem(name, f"{what}; {limit} are refused (an export or a 'zip bomb'?)",
                   hint="split the content into smaller files")


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

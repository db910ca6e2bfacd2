"""Word packages (.docx zip files) written many times from one template.

Most parts of a template's package (styles, theme, settings: nine tenths of its bytes)
are the same in every document. They are compressed once; a document then costs the
compression of the parts it changes. The bytes are exactly those ``zipfile`` writes for
the same entries (tests/test_package.py compares them), so a document is the same file
whichever way it was made, and a revision can be rebuilt byte for byte.
"""
from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Fixed, so that the same data gives the same bytes: 1980-01-01 00:00:00 as MS-DOS date and time.
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_VERSION = 20  # 2.0: deflate (APPNOTE.TXT 4.4.3)
_UNIX = 3  # "made by" a Unix system, so that permissions mean the same on every platform
_PERMISSIONS = 0o644 << 16  # rw-r--r--, in the high word of the external attributes
_DEFLATED = 8
_UTF8_NAME = 0x800  # general purpose flag bit 11: the name is UTF-8
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # APPNOTE.TXT 4.3.7, local file header
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # 4.3.12, central directory file header
_END = struct.Struct("<4s4H2LH")  # 4.3.16, end of central directory record


@dataclass(frozen=True)
class _Entry:
    """One compressed part: its local header and data, and what the central directory needs."""

    name: bytes
    flags: int
    crc: int
    size: int
    local: bytes

    def central(self, offset: int) -> bytes:
        """The central directory record of this entry, its local header at ``offset``."""
        compressed = len(self.local) - _LOCAL.size - len(self.name)
        return _CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, self.flags, _DEFLATED,
                             _DOS_TIME, _DOS_DATE, self.crc, compressed, self.size,
                             len(self.name), 0, 0, 0, 0, _PERMISSIONS, offset) + self.name


def _compress(name: str, pieces: Iterable[bytes]) -> _Entry:
    """Deflate a part given piece by piece: a large part is never held uncompressed.

    Deflate's output does not depend on how its input is split, so the pieces give the
    bytes the whole part would.
    """
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    crc = size = 0
    chunks = []
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        chunks.append(compressor.compress(piece))
    chunks.append(compressor.flush())
    data = b"".join(chunks)
    encoded = name.encode("utf-8")
    flags = 0 if name.isascii() else _UTF8_NAME
    header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE,
                         crc, len(data), size, len(encoded), 0)
    return _Entry(encoded, flags, crc, size, header + encoded + data)


class Package:
    """A template's package: its parts in their order, each compressed once.

    Parts and documents stay far below the 4 GiB a zip file without ZIP64 can hold
    (a data file is at most 50 MB).
    """

    def __init__(self, parts: Mapping[str, bytes]) -> None:
        self._entries = {name: _compress(name, [data]) for name, data in parts.items()}

    def write(self, changed: Mapping[str, Iterable[bytes]]) -> bytes:
        """The package with the parts named in ``changed`` replaced by their new bytes
        (given piece by piece, consumed in the package's order).

        Raises KeyError for a changed part the package does not have.
        """
        unknown = set(changed) - set(self._entries)
        if unknown:
            raise KeyError(f"not parts of the package: {', '.join(sorted(unknown))}")
        parts = [(name, changed.get(name)) for name in self._entries]
        locals_, centrals, offset = [], [], 0
        for name, pieces in parts:
            entry = self._entries[name] if pieces is None else _compress(name, pieces)
            locals_.append(entry.local)
            centrals.append(entry.central(offset))
            offset += len(entry.local)
        directory = b"".join(centrals)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(centrals), len(centrals), len(directory),
                        offset, 0)
        return b"".join(locals_) + directory + end

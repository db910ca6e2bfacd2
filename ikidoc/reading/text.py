"""A data file's bytes as text, and where an offset of that text stands."""
from __future__ import annotations

import codecs
import re

from ikidoc.errors import DataError, Problem
from ikidoc.messages import msg

_LINE_BREAK = re.compile("\r\n|\r|\n")
_BYTE_LINE_BREAK = re.compile(b"\r\n|\r|\n")
# Notepad's "Unicode" and Excel's "Unicode Text" save UTF-16 with its byte order mark: named
# for what it is, not as a file of NUL bytes. UTF-32 is tried first (its mark starts alike).
_WIDE_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
               (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a BOM allowed); DataError naming a UTF-16 or UTF-32 file as such, or
    the line of a NUL byte or a byte that is no UTF-8."""
    for mark, encoding in _WIDE_MARKS:
        if raw.startswith(mark):
            raise DataError([Problem(name, msg(
                "text.wide_encoding", "is saved as {encoding} (\"Unicode\" in Notepad); save "
                "it again with the encoding UTF-8", encoding=encoding))])
    if b"\x00" in raw:
        line = _byte_line(raw, raw.index(b"\x00"))
        raise DataError([Problem(name, msg("text.nul", "is not a text file (it holds NUL "
                                           "bytes); save the data as UTF-8 text"), line=line)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _byte_line(raw, error.start)
        raise DataError([Problem(name, msg("text.not_utf8", "is not UTF-8 text (byte "
                                           "0x{byte:02X}); save it as UTF-8",
                                           byte=raw[error.start]), line=line)]) from None


def place_of(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of ``text[offset]``, with a line ended by CR LF, LF or a
    CR alone (old Mac files) as YAML counts them."""
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def _byte_line(raw: bytes, offset: int) -> int:
    return sum(1 for _ in _BYTE_LINE_BREAK.finditer(raw, 0, offset)) + 1

"""How the cells of an IKI table are read: which field a header or a label names, the
text of a spreadsheet value, and the items a cell lists.

Sheets and Word documents typed by hand name their columns in many ways and put
several tugas or sources in one cell; both importers read them by these same rules.
"""
from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from typing import Any

from ikidoc import formats

# The fields of an IKI table row, with the name a user sees in messages and in the
# starter workbook, in the order of the official table.
FIELDS = {
    "jabatan": "Jabatan",
    "tugas": "Tugas",
    "fungsi": "Fungsi",
    "sasaran": "Sasaran",
    "indikator": "Indikator",
    "formulasi": "Formulasi",
    "sumber": "Sumber Data",
}
SKIP = "no"  # a column of row numbers: not data

# A header names a field when it holds one of these words, tried in this order
# ("Penjelasan/Formulasi Penghitungan", "Indikator Kinerja", "Sumber"); IKI documents
# typed by offices also show the typo "FORMASI". Any other header is a free (tambahan)
# column.
_HEADER_WORDS = (
    ("sumber", {"sumber"}),
    ("formulasi", {"formulasi", "formasi", "formula", "rumus", "penghitungan", "perhitungan",
                   "penjelasan"}),
    ("indikator", {"indikator", "iki"}),
    ("sasaran", {"sasaran"}),
    ("tugas", {"tugas"}),
    ("fungsi", {"fungsi"}),
    ("jabatan", {"jabatan"}),
)
_NUMBERING = {("no",), ("nomor",), ("no", "urut")}

# Labels of the lines above the table ("Jabatan : ..."): matched whole, because a
# tugas such as "Melaksanakan tugas kedinasan: ..." holds a colon too.
HOLDER = "pemangku_"  # the fields of the holder's label lines, under this prefix
_LABELS = {
    "jabatan": "jabatan",
    "nama jabatan": "jabatan",
    "tugas": "tugas",
    "tugas pokok": "tugas",
    "uraian tugas": "tugas",
    "tugas jabatan": "tugas",
    "tugas pokok jabatan": "tugas",
    "uraian tugas jabatan": "tugas",
    "fungsi": "fungsi",
    "fungsi jabatan": "fungsi",
    "nama unit kerja": "unit_kerja",
    "unit kerja": "unit_kerja",
    "instansi": "instansi",
    "menimbang": "menimbang",
    "mengingat": "mengingat",
}
# The holder's own lines above an IKI table ("Nama : ...", "NIP : ...", "Pangkat/Gol : ...").
_LABELS |= {label: f"{HOLDER}nama" for label in ("nama", "nama pegawai", "nama pemangku",
                                                 "nama pemangku jabatan")}
_LABELS |= {label: f"{HOLDER}nip" for label in ("nip", "nip.", "nip pegawai")}
_LABELS |= {label: f"{HOLDER}pangkat" for label in (
    "pangkat", "pangkat/gol", "pangkat/gol.", "pangkat/golongan", "pangkat/gol ruang",
    "pangkat/gol. ruang", "pangkat/golongan ruang", "pangkat / golongan", "pangkat, golongan",
    "pangkat/golongan/ruang", "pangkat / gol. ruang", "pangkat / golongan ruang")}

_LEADING_ITEM = re.compile(r"\(?([A-Za-z]|\d{1,3})([.)])\s")
_NOTHING = {"-", "\u2013", "\u2014"}  # what an office types for "no items"


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z]+", text.lower()))


def field_of(header: str) -> str | None:
    """The field a column header names, SKIP for a numbering column, None for a free column."""
    words = _words(header)
    if words in _NUMBERING:
        return SKIP
    for name, keys in _HEADER_WORDS:
        if keys.intersection(words):
            return name
    return None


def likely_field(header: str) -> str | None:
    """The display name a mistyped header probably meant ("Indikatr" -> "Indikator"),
    the header read whole or word by word ("Indikatr Kinerja", "Formulsi Penghitungan")."""
    names = {display.lower(): display for display in FIELDS.values()}
    for part in [header.strip().lower(), *_words(header)]:
        close = difflib.get_close_matches(part, list(names), n=1, cutoff=0.75)
        if close:
            return names[close[0]]
    return None


def tambahan_key(header: str) -> str:
    """The key of a free column under ``tambahan``: "Target Kinerja" -> "target_kinerja"."""
    return "_".join(re.findall(r"\w+", header.lower())) or "kolom"


def label_of(text: str) -> str | None:
    """The field a label such as "Jabatan", "1. Nama Jabatan" or "Tugas Pokok" names."""
    return _LABELS.get(" ".join(formats.strip_marker(text.strip()).lower().split()))


def cell_text(value: Any) -> str:
    """The text of a spreadsheet value: 12.0 is "12", a date is ISO, nothing is ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_numbering(texts: list[str]) -> bool:
    """True for the (1) (2) (3) (4) row under a table's header (numbers only, at least two)."""
    filled = [text for text in texts if text]
    return len(filled) >= 2 and all(number_token(text) is not None for text in filled)


def number_token(text: str) -> int | None:
    """The column number a cell holds alone ("3", "(3)", "3."), else None."""
    core = text.strip().strip("().")
    return int(core) if core.isdigit() and len(core) <= 2 else None


# Words a line ends in when the text goes on in the next one ("Kepala Sub Bagian Umum dan").
_JOINING = {"dan", "serta", "atau", "&", "di", "pada", "dengan", "untuk", "yang", "dari", "ke"}


def continues(above: str, line: str) -> bool:
    """Whether ``line`` carries on ``above``: one text typed over two paragraphs, Enter
    pressed where Word would have wrapped it in a narrow column. ``line`` has no marker
    of its own, ``above`` ends no sentence or item (".", ";", ":"), and either ``above``
    ends in a comma or a joining word ("dan", "serta") or ``line`` begins with a
    lower-case letter ("Kasubag Umum," / "Kepegawaian, Keuangan," / "dan Aset.")."""
    above, line = above.strip(), line.strip()
    if not above or not line or formats.strip_marker(line) != line or above[-1] in ".;:":
        return False
    return above.endswith(",") or above.split()[-1].lower() in _JOINING or line[0].islower()


def joined(lines: list[str]) -> list[str]:
    """The lines with each one that carries on the line above (see continues) joined to
    it by a space."""
    found: list[str] = []
    for line in lines:
        if found and continues(found[-1], line):
            found[-1] = f"{found[-1].rstrip()} {line.strip()}"
        else:
            found.append(line)
    return found


def split_items(text: str) -> list[str]:
    """The items a cell lists, one a line or typed in a row ("a. X b. Y", "- X - Y"),
    without their letters or bullets; "-" alone means none."""
    items = []
    for line in text.splitlines():
        for piece in _inline(line.strip()):
            item = formats.strip_marker(piece.strip()).strip()
            if item and item not in _NOTHING:
                items.append(item)
    return items


def _inline(line: str) -> list[str]:
    """Split a line that holds several items typed one after another.

    Lettered or numbered items split where the next letter or number in turn follows a
    space ("a. X; b. Y"), and only when the items end in punctuation, there are three or
    more, or each begins with a capital as its first does ("1. Menyelenggarakan ... 2.
    Mendukung ..."), so that "a. Sesuai huruf b. di atas" stays one item.
    """
    match = _LEADING_ITEM.match(line)
    if match is None:
        bullet = line[:1]  # items typed in a row split at that bullet only, not at a dash
        return re.split(rf"\s{re.escape(bullet)}\s", line) if bullet in "-\u2013\u2022" else [line]
    label, close = match.group(1), match.group(2)
    cuts, position = [], match.end()
    while (label := _following(label)) is not None:
        found = _next_item(line, label, close, position)
        if found is None:
            break
        cuts.append(found.start())
        position = found.end()
    capitals = [line[start:].split(None, 1)[1:2] for start in [0, *cuts]]
    if len(cuts) < 2 and not all(line[:cut].rstrip()[-1:] in ";.," for cut in cuts) \
            and not all(words and words[0][:1].isupper() for words in capitals):
        return [line]
    bounds = [0, *cuts, len(line)]
    return [line[start:end] for start, end in itertools.pairwise(bounds)]


# Words after which a number is a reference, not the next item: "Perda No 2. Tahun 2020"
_REFERENCES = frozenset({"no", "no.", "nomor", "pasal", "ayat", "huruf", "angka", "bab", "butir"})


def _next_item(line: str, label: str, close: str, position: int) -> re.Match[str] | None:
    """Where item ``label`` begins in ``line`` after ``position``, passing over the same
    number where it follows a reference word ("No 2." in "sesuai Perda No 2. Tahun 2020")."""
    pattern = re.compile(rf"\s\(?{re.escape(label)}{re.escape(close)}\s")
    while (found := pattern.search(line, position)) is not None:
        before = line[:found.start()].split()
        if not before or before[-1].lower() not in _REFERENCES:
            return found
        position = found.end()
    return None


def _following(label: str) -> str | None:
    if label.isdigit():
        return str(int(label) + 1)
    return None if label in "zZ" else chr(ord(label) + 1)

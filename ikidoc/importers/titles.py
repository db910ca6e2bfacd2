"""The title of an IKI (or IKU) in a Word document and the lines in capitals under it:
the position, unit and year they name.

Offices title the same table in many ways: "INDIKATOR KINERJA INDIVIDU ( IKI ) 2018",
"FORMULIR INDIKATOR KINERJA INDIVIDU", "IKI KEPALA SUB BAGIAN UMUM", "INDIKATOR KINERJA
UTAMA KECAMATAN CONTOH TAHUN 2017 - 2021" (the IKU: the same table, for the unit's
head), often with the position on the line below. Words after the title name a unit
when they begin with a unit's word (KECAMATAN, DINAS, BAGIAN ...), otherwise a position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ikidoc.importers import cells

IKI = "INDIKATOR KINERJA INDIVIDU"
IKU = "INDIKATOR KINERJA UTAMA"
_OPENING = re.compile(
    r"(?:FORMULIR\s+)?(?:(?P<full>INDIKATOR\s+KINERJA\s+(?:INDIVIDU|UTAMA))"
    r"(?:\s*\(\s*IK[IU]\s*\))?|(?P<short>IK[IU])(?=[\s:(]|$))(?P<rest>.*)", re.IGNORECASE)
_YEAR = re.compile(r"(?:\bPERIODE\s+)?\bTAHUN(?:\s+ANGGARAN)?\s+(\d{4})(\s*[-\u2013]\s*\d{4})?"
                   r"|\bPERIODE\s+\d{4}(\s*[-\u2013]\s*\d{4})|^(\d{4})$|\s(\d{4})$",
                   re.IGNORECASE)
_WHERE = re.compile(r"^(?:DI\s+LINGKUNGAN|DI|PADA)\s+", re.IGNORECASE)  # "DI LINGKUNGAN DINAS X"
_LEVEL = {"ESELON", "ESSELON", "ESELLON"}
# First words of a unit's name; any other words after a title name a position.
_UNIT_WORDS = {"DINAS", "BADAN", "KECAMATAN", "KELURAHAN", "SEKRETARIAT", "BAGIAN", "BIDANG",
               "SUB", "SUBBAGIAN", "SEKSI", "UPTD", "UPT", "RUMAH", "RSUD", "KANTOR",
               "INSPEKTORAT", "SATUAN", "PEMERINTAH", "PUSKESMAS", "DESA", "DI", "PADA",
               "LINGKUNGAN", "KABUPATEN", "KOTA", "PROVINSI", "DEWAN", "UNIT"}
_SMALL = {"dan", "di", "ke", "dari", "pada", "dengan", "untuk", "serta", "atau"}


@dataclass(frozen=True)
class Heading:
    """What a title and the capital lines under it name; "" or None where they do not."""

    nama: str = ""  # the position ("KEPALA BAGIAN UMUM DAN KEUANGAN")
    unit: str = ""  # the unit ("KECAMATAN CONTOH")
    tahun: int | None = None  # one year; a period ("2017 - 2021") is not a year

    def merged(self, other: Heading) -> Heading:
        """This heading with what it lacks taken from ``other``."""
        return Heading(self.nama or other.nama, self.unit or other.unit,
                       self.tahun if self.tahun is not None else other.tahun)


def read(text: str) -> Heading | None:
    """The heading a title paragraph gives, or None when the paragraph is no title.

    A title begins with INDIKATOR KINERJA INDIVIDU or UTAMA (or IKI / IKU in a line in
    capitals), "FORMULIR" allowed in front; a short line in capitals that holds the
    title ("TENTANG INDIKATOR KINERJA INDIVIDU DI ...") is a title naming nothing.
    """
    line = " ".join(text.split())
    match = _OPENING.fullmatch(line)
    if match and (match.group("full") or line.isupper()) and _titled(line):
        return describe(match.group("rest"))
    upper = line.upper() == line
    if upper and any(name in line for name in (IKI, IKU)) and len(line) <= 2 * len(IKI):
        return Heading()
    return None


def _titled(line: str) -> bool:
    """Whether a line reads as a title, not a sentence that begins with its words: in
    capitals, or every word capitalised but the small ones ("dan", "di")."""
    return line.isupper() or all(word[:1].isupper() or not word[:1].isalpha()
                                 or word in _SMALL for word in line.split())


def describe(words: str) -> Heading:
    """The position, unit or year a line in capitals names ("KEPALA BAGIAN UMUM",
    "KECAMATAN CONTOH TAHUN 2018", "TAHUN 2017 - 2021", "( IKI ) 2018")."""
    text = " ".join(words.split()).strip(" -:,.")
    text = re.sub(r"^\(\s*IK[IU]\s*\)", "", text, flags=re.IGNORECASE).strip(" -:,.")
    tahun = None
    year = _YEAR.search(text)
    if year:
        single = year.group(1) if not year.group(2) else None
        found = single or year.group(4) or year.group(5)
        tahun = int(found) if found else None
        text = (text[:year.start()] + text[year.end():]).strip(" -:,.")
    if not any(char.isalpha() for char in text):
        return Heading(tahun=tahun)
    if is_level(text):
        return Heading(tahun=tahun)
    if text.split()[0].upper() in _UNIT_WORDS:
        return Heading(unit=_WHERE.sub("", text), tahun=tahun)
    return Heading(nama=re.sub(r"^JABATAN\b\s*:?\s*", "", text, flags=re.IGNORECASE),
                   tahun=tahun)


def is_level(text: str) -> bool:
    """Whether a line names a level ("ESELON II", "ESSELON III.a"), not a position."""
    words = text.upper().split()
    return 0 < len(words) <= 2 and words[0] in _LEVEL


def under(lines: list[str], title: Heading = Heading()) -> Heading:
    """The heading of a title (what ``title`` names, if given) with what the lines in
    capitals (or capitalised words) right under it add, up to the first line that is
    not ("Jabatan : ...", a sentence, a table); a letterhead's "PEMERINTAH ..." is passed
    over. A position's name typed over two lines ("KEPALA SUB BAGIAN UMUM DAN" /
    "KEPEGAWAIAN", or "IKI KEPALA SUB BAGIAN UMUM DAN" / "KEPEGAWAIAN") is one (see
    cells.continues)."""
    found, above = title, title.nama
    for line in lines:
        line = " ".join(line.split())
        if not line or line.upper().startswith("PEMERINTAH "):
            continue
        if ":" in line or not _titled(line) or line.endswith(".") or len(line.split()) > 16:
            break
        if found.nama and above.endswith(found.nama) and cells.continues(above, line):
            found = Heading(f"{found.nama} {line}", found.unit, found.tahun)  # over two lines
        else:
            found = found.merged(describe(line))
        above = line
    return found

"""Word documents that combine, in one file, the layouts offices type IKI and IKU in, and
the data each one says.

Each feature the import reads is tested alone elsewhere; a real document mixes several: a
position named by the title's second line in a landscape section under a letterhead, a
NO column beside merged SASARAN cells, a stacked fraction in a PENJELASAN column whose
last line holds the sources... ``mixes`` draws a fixed list of such combinations from a
seeded generator; ``build`` writes one as a Word document (python-docx) and ``expected``
gives the data that document says, from the same inputs, never from the importer.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
from conftest import png
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

LOGO = png(8, 8, (0x80, 0x80, 0x80))  # a small grey picture, the regency's logo
UNIT = "Dinas Contoh"
SIGNER = {"jabatan": "KEPALA DINAS CONTOH", "nama": "Drs. NAMA LENGKAP, M.Si",
          "pangkat": "Pembina (IV/a)", "nip": "198005122005011002"}
HOLDER = {"nama": "NAMA PEMANGKU, S.E.", "pangkat": "Penata (III/c)",
          "nip": "199001012015031002"}
NAMES = ["KEPALA SUB BAGIAN UMUM", "KEPALA SUB BAGIAN KEUANGAN", "KEPALA SEKSI PELAYANAN"]
ESELON = ["ESSELON IV.a", "ESELON IV", "ESSELON IV.b"]
TUGAS = ["Menyusun rencana kerja sub bagian", "Melaksanakan urusan surat menyurat"]
FUNGSI = ["Penyusunan program kerja", "Pelaksanaan urusan kepegawaian"]

# How each layout names the position (README: "The position's name").
NAMINGS = ("jabatan", "second-line", "in-title", "group", "signer")
TITLES = {  # title: the year it gives
    "INDIKATOR KINERJA INDIVIDU": None,
    "INDIKATOR KINERJA INDIVIDU ( IKI ) 2018": 2018,
    "FORMULIR INDIKATOR KINERJA INDIVIDU": None,
    "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2019": 2019,
    "INDIKATOR KINERJA UTAMA (IKU)": None,
    "INDIKATOR KINERJA UTAMA KECAMATAN CONTOH TAHUN 2017 - 2021": None,
}
SASARAN_HEADERS = ("SASARAN", "SASARAN STRATEGIS", "SASARAN PROGRAM", "SASARAN KINERJA",
                   "KINERJA UTAMA")
INDIKATOR_HEADERS = ("INDIKATOR KINERJA", "INDIKATOR KINERJA INDIVIDU", "IKI")
FORMULASI_HEADERS = ("PENJELASAN/FORMULASI PENGHITUNGAN", "PENJELASAN", "ALASAN/PENJELASAN",
                     "FORMULASI")
EXTRAS = {"PENANGGUNG JAWAB": "Kepala Sub Bagian Umum", "TARGET": "100%",
          "SATUAN": "Persen", "KETERANGAN": "Triwulan"}
FRACTIONS = ("none", "bordered", "underlined", "equation")
SOURCES = ("plain", "dash-bullets", "dot-bullets", "soft-breaks", "dash", "in-penjelasan")
TWO_ROWS = ("none", "rpjmd", "target-years", "split-words")
GROUP_STYLES = ("wide", "numbered", "jabatan")
CUTS = ("none", "header-again", "rows-only")


@dataclass(frozen=True)
class Mix:
    """One combination of layouts: how the document is typed."""

    naming: str = "jabatan"
    title: str = "INDIKATOR KINERJA INDIVIDU"
    positions: int = 1
    no_column: bool = False
    numbering_row: bool = False
    merged_sasaran: bool = True
    sasaran_header: str = "SASARAN"
    indikator_header: str = "INDIKATOR KINERJA"
    formulasi_header: str = "PENJELASAN/FORMULASI PENGHITUNGAN"
    two_columns: bool = False  # PENJELASAN and FORMULASI
    two_rows: str = "none"
    labelled: bool = False
    fraction: str = "none"
    sources: str = "plain"
    extras: tuple[str, ...] = ()
    extras_first: bool = False  # the extra columns right after INDIKATOR
    landscape: bool = False
    page_text: bool = False  # text in the page header and footer
    kop: bool = False
    breaks: bool = False  # empty paragraphs and a page break between positions
    tugas: bool = False
    side_by_side: bool = False
    tabs: bool = False  # a tab inside an indicator's text
    group_style: str = "wide"  # a group row: merged across, after a number, "Jabatan : "
    holder_lines: bool = False  # Nama / NIP / Pangkat lines above the table
    merged_sources: bool = False  # one SUMBER DATA cell over two indicators
    word_numbering: bool = False  # Tugas and Fungsi as Word's numbered list
    split_title: bool = False  # the title over two paragraphs
    cut: str = "none"  # the table cut in two at a page: "header-again", "rows-only"
    cell_blanks: bool = False  # empty paragraphs inside cells, between parts and after
    kop_paragraphs: bool = False  # the letterhead as paragraphs, the logo in the first
    enacted: bool = False  # "Ditetapkan di : ..." and "Pada tanggal : ..." over the signer
    group_unmerged: bool = False  # group rows typed in one cell, not merged across
    plain_numbers: bool = False  # the numbering row as 1, 2, 3 (not (1), (2), (3))
    kop_in_header: bool = False  # the letterhead in the page header, not above the title
    kop_each: bool = False  # the letterhead again above each position's title
    signatures_after_tabs: bool = False  # side by side as paragraphs, the right after tabs
    source_bullet: str = "-"  # the bullet of the sources listed under "Sumber Data :"
    unit_line: bool = False  # the unit named under the title (not given with --unit-kerja)

    @property
    def iku(self) -> bool:
        return "UTAMA" in self.title

    @property
    def label(self) -> str:
        default = Mix()
        return "-".join(f"{name}={_short(getattr(self, name))}"
                        for name in self.__dataclass_fields__
                        if getattr(self, name) != getattr(default, name)) or "plain"


def _short(value: Any) -> str:
    if isinstance(value, tuple):
        return "+".join(word.split()[0].lower() for word in value)
    return "".join(word[0] for word in value.split()) if isinstance(value, str) and " " in value \
        else str(value).lower()


@dataclass
class Row:
    """An indicator as typed: its cells, and the data it says."""

    sasaran: str
    uraian: str
    penjelasan: list[Any]  # paragraphs: str, ("ruled"|"underlined", text), ("math", text)
    formula: list[Any]  # the FORMULASI column's paragraphs, when two columns
    sources: list[Any]
    formulasi: str  # what it says
    sumber_data: list[str]
    tambahan: dict[str, str] = field(default_factory=dict)


MATH = ('<m:oMath {}><m:f><m:num><m:nary><m:naryPr><m:chr m:val="\u2211"/></m:naryPr><m:sub/>'
        '<m:sup/><m:e><m:r><m:t>{}</m:t></m:r></m:e></m:nary></m:num><m:den><m:nary><m:naryPr>'
        '<m:chr m:val="\u2211"/></m:naryPr><m:sub/><m:sup/><m:e><m:r><m:t>{}</m:t></m:r></m:e>'
        '</m:nary></m:den></m:f><m:r><m:t> x 100%</m:t></m:r></m:oMath>')


def mixes(count: int, seed: int = 16) -> list[Mix]:
    """``count`` combinations drawn by a seeded generator: the same list on every run."""
    draw = random.Random(seed)
    return [_drawn(draw, number) for number in range(count)]


def _drawn(draw: random.Random, number: int) -> Mix:
    naming = NAMINGS[number % len(NAMINGS)]
    title = draw.choice(list(TITLES))
    if naming == "in-title":
        title = draw.choice(["IKI", "INDIKATOR KINERJA INDIVIDU (IKI)"])
    extras = tuple(name for name in EXTRAS if draw.random() < 0.3)
    mix = Mix(naming=naming, title=title,
              positions=1 if naming == "signer" else draw.choice([1, 2, 2]),
              no_column=draw.random() < 0.5, numbering_row=draw.random() < 0.3,
              merged_sasaran=draw.random() < 0.6,
              sasaran_header=draw.choice(SASARAN_HEADERS),
              indikator_header=draw.choice(INDIKATOR_HEADERS),
              formulasi_header=draw.choice(FORMULASI_HEADERS),
              two_columns=draw.random() < 0.35, two_rows=draw.choice(TWO_ROWS),
              labelled=draw.random() < 0.4, fraction=draw.choice(FRACTIONS),
              sources=draw.choice(SOURCES), extras=extras, extras_first=draw.random() < 0.3,
              landscape=draw.random() < 0.3, page_text=draw.random() < 0.4,
              kop=draw.random() < 0.4, breaks=draw.random() < 0.5,
              tugas=naming in ("jabatan", "second-line") and draw.random() < 0.5,
              side_by_side=naming != "group" and draw.random() < 0.3,
              tabs=draw.random() < 0.3, group_style=draw.choice(GROUP_STYLES),
              merged_sources=draw.random() < 0.3, word_numbering=draw.random() < 0.5,
              split_title=naming != "in-title" and draw.random() < 0.25,
              cut=draw.choice(CUTS), cell_blanks=draw.random() < 0.3,
              kop_paragraphs=draw.random() < 0.5, enacted=draw.random() < 0.2,
              group_unmerged=naming == "group" and draw.random() < 0.4,
              plain_numbers=draw.random() < 0.5, kop_in_header=draw.random() < 0.4,
              kop_each=draw.random() < 0.5, signatures_after_tabs=draw.random() < 0.4,
              source_bullet=draw.choice(["-", "\u2022", ""]), unit_line=draw.random() < 0.4)
    if mix.naming != "group":
        mix = replace(mix, group_style="wide",
                      holder_lines=not mix.side_by_side and draw.random() < 0.3)
    if not mix.tugas:
        mix = replace(mix, word_numbering=False)
    if mix.split_title and mix.title.count(" ") < 3:
        mix = replace(mix, split_title=False)
    if mix.two_rows == "target-years" and "TARGET" not in mix.extras:
        mix = replace(mix, extras=(*mix.extras, "TARGET"))
    if mix.iku:
        mix = replace(mix, indikator_header=draw.choice(["INDIKATOR KINERJA UTAMA", "IKU"]))
    return mix


# --- the data the document says -------------------------------------------------------

NOWHERE = "nowhere"  # a naming that names no position: no Jabatan line, no signature
ASKED = "Analis Perencanaan"  # the name given with --jabatan when the document gives none
NO_SOURCES = "none"  # no SUMBER DATA column and no "Sumber Data :" line
GIVEN_SOURCE = "Laporan tahunan"  # the source given with --sumber-data then


def position_names(mix: Mix) -> list[str]:
    if mix.naming == NOWHERE:
        return [ASKED]
    if mix.naming == "jabatan":
        return ["Kepala Sub Bagian Umum", "Kepala Sub Bagian Keuangan"][:mix.positions]
    if mix.naming == "signer":
        return ["CAMAT CONTOH" if not mix.side_by_side else NAMES[0]]
    return NAMES[:mix.positions]


def rows_of(mix: Mix, position: int) -> list[Row]:
    """The indicators of a position: two sasaran, the first with two indicators."""
    plan = [("Meningkatnya tertib administrasi", "Persentase laporan tepat waktu"),
            ("Meningkatnya tertib administrasi", "Jumlah dokumen perencanaan"),
            ("Meningkatnya kualitas layanan", "Indeks kepuasan layanan")]
    return [_row(mix, position, number, sasaran, f"{uraian} {position + 1}")
            for number, (sasaran, uraian) in enumerate(plan)]


def _row(mix: Mix, position: int, number: int, sasaran: str, uraian: str) -> Row:
    said, typed = _penjelasan(mix, number)
    formula_said, formula_typed = _formula(mix, number)
    if mix.two_columns:
        penjelasan, formula = typed, formula_typed
        formulasi = "\n".join(part for part in (said, formula_said) if part)
    else:
        penjelasan, formula = typed + formula_typed, []
        formulasi = "\n".join(part for part in (said, formula_said) if part)
    sources_said, sources_typed = _sources(mix, 0 if mix.merged_sources and number == 1
                                           else number)
    if mix.sources in ("in-penjelasan", NO_SOURCES):
        penjelasan = [*penjelasan, *sources_typed]
    if mix.cell_blanks:
        penjelasan = [*penjelasan[:1], "", *penjelasan[1:], ""]
    if mix.tabs and number == 1:
        uraian = uraian.replace("dokumen ", "dokumen\t")
    tambahan = {_key(name): f"{EXTRAS[name]} {number + 1}" for name in mix.extras}
    if mix.two_rows == "target-years":
        del tambahan["target"]
        tambahan |= {"target_2024": f"{80 + number}%", "target_2025": f"{90 + number}%"}
    if mix.two_rows == "rpjmd":
        tambahan["sasaran_rpjmd"] = "Tata kelola pemerintahan yang baik"
    return Row(sasaran=f"{sasaran} {position + 1}", uraian=uraian, penjelasan=penjelasan,
               formula=formula, sources=sources_typed,
               formulasi=formulasi, sumber_data=sources_said, tambahan=tambahan)


def _key(header: str) -> str:
    return header.lower().replace(" ", "_")


def _penjelasan(mix: Mix, number: int) -> tuple[str, list[Any]]:
    if mix.labelled:
        lines = [f"Makna Indikator : ketepatan laporan {number + 1}",
                 "Alasan : tertib administrasi"]
        return "\n".join(lines), lines
    if mix.tabs and number == 0:
        return "Jumlah laporan disusun : 12 laporan", ["Jumlah laporan disusun\t: 12 laporan"]
    return f"Laporan disusun tiap bulan {number + 1}", [f"Laporan disusun tiap bulan {number + 1}"]


def _formula(mix: Mix, number: int) -> tuple[str, list[Any]]:
    """The formula part: a stacked fraction, or a plain line."""
    top, bottom = f"laporan tepat waktu {number + 1}", "seluruh laporan"
    label = ["Cara Perhitungan :"] if mix.labelled else []
    if mix.fraction == "none" or number == 2:
        line = f"Jumlah {top} dibagi {bottom}"
        if number == 2 and mix.sources == "soft-breaks":
            return "\n".join([*label, line, "dikali 100"]), [
                *label, ("broken", (line, "dikali 100"))]
        return "\n".join([*label, line]), [*label, line]
    if mix.fraction == "equation":
        return "\n".join([*label, f"Rumus: \u2211 {top} / \u2211 {bottom} x 100%"]), [
            *label, ("math", (top, bottom))]
    return "\n".join([*label, f"\u03a3 {top} / \u03a3 {bottom} x 100%"]), [
        *label, (mix.fraction, f"\u03a3 {top}"), f"\u03a3 {bottom}", "x 100%"]


def _sources(mix: Mix, number: int) -> tuple[list[str], list[Any]]:
    names = [f"Laporan bulanan {number + 1}", "Kepala Sub Bagian Umum"]
    kind = mix.sources
    if kind == NO_SOURCES:
        return [GIVEN_SOURCE], []
    if kind == "in-penjelasan" and number == 2:
        return names[:1], [f"Sumber Data : {names[0]}"]
    if kind == "plain" or number == 2:
        return names[:1], names[:1]
    if kind == "dash":
        return ["-"], ["-"]
    if kind == "dash-bullets":
        return names, [f"- {name}" for name in names]
    if kind == "dot-bullets":
        return names, [f"\u2022 {name}" for name in names]
    if kind == "soft-breaks":
        return names, [("broken", tuple(names))]
    bullet = f"{mix.source_bullet} " if mix.source_bullet else ""
    return names, [draw_label(number), *[f"{bullet}{name}" for name in names]]


def draw_label(number: int) -> str:
    """The label of the sources in a penjelasan, as offices type it."""
    return ("Sumber Data :", "Sumber data:", "SUMBER DATA :")[number % 3]


def expected(mix: Mix) -> dict[str, Any]:
    """Every field the document says: the unit's and each position's, as the data file
    holds them."""
    positions = []
    for number, nama in enumerate(position_names(mix)):
        position: dict[str, Any] = {"nama": nama}
        if mix.tugas:
            position |= {"tugas": TUGAS, "fungsi": FUNGSI}
        if mix.side_by_side or mix.holder_lines:
            position["pemangku"] = HOLDER
        if mix.naming == "group":
            position["tambahan"] = {"eselon": ESELON[number]}
        sasaran: list[dict[str, Any]] = []
        for row in rows_of(mix, number):
            found = {"uraian": row.uraian.replace("\t", " "), "formulasi": row.formulasi,
                     "sumber_data": row.sumber_data} | (
                         {"tambahan": row.tambahan} if row.tambahan else {})
            if sasaran and sasaran[-1]["uraian"] == row.sasaran:
                sasaran[-1]["indikator"].append(found)
            else:
                sasaran.append({"uraian": row.sasaran, "indikator": [found]})
        positions.append(position | {"sasaran": sasaran})
    signed = mix.naming != NOWHERE
    return {"unit_kerja": unit_of(mix), "tahun": TITLES.get(mix.title),
            "instansi": "PEMERINTAH KABUPATEN CONTOH" if mix.kop else None,
            "kop": {"baris": KOP[:2], "alamat": "Jalan Merdeka No. 1 Contoh",
                    "telepon": "(0361) 123456", "logo": "iki-logo.png"} if mix.kop else None,
            "penandatangan": signer_of(mix) if signed else None,
            "tempat": "Contoh" if signed else None, "tanggal": "2025-01-02" if signed else None,
            "jabatan": positions}


UNIT_LINE = "DINAS KOMUNIKASI DAN INFORMATIKA"


def unit_of(mix: Mix) -> str:
    """The unit: given with --unit-kerja, or named by the title or the line under it."""
    if "KECAMATAN CONTOH" in mix.title:
        return "KECAMATAN CONTOH" if mix.unit_line else UNIT
    return UNIT_LINE if mix.unit_line else UNIT


def signer_of(mix: Mix) -> dict[str, str]:
    if mix.naming == "signer" and not mix.side_by_side:
        return SIGNER | {"jabatan": "CAMAT CONTOH"}
    return SIGNER


# --- the document -----------------------------------------------------------------------

def build(mix: Mix, path: Path) -> Path:
    """The Word document of a combination."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)
    if mix.landscape:
        _turn(document.sections[0])
    if mix.page_text:
        document.sections[0].header.paragraphs[0].text = "Lampiran Perjanjian Kinerja"
        document.sections[0].footer.paragraphs[0].text = "Dokumen Dinas Contoh - halaman 1"
    if mix.kop:
        _kop(document.sections[0].header if mix.kop_in_header else document,
             mix.kop_paragraphs)
    names = position_names(mix)
    if mix.naming == "group":
        _title(document, mix, names[0])
        table_rows = []
        for number in range(mix.positions):
            label = {"wide": names[number], "numbered": names[number],
                     "jabatan": f"Jabatan : {names[number]}"}[mix.group_style]
            table_rows += [("wide", ESELON[number]), ("wide", label), *rows_of(mix, number)]
        _table(document, mix, table_rows)
        _signature(document, mix, names[0])
        return _saved(document, path)
    for number, nama in enumerate(names):
        if number:
            _between(document, mix)
            if mix.kop and mix.kop_each and not mix.kop_in_header:
                _kop(document, mix.kop_paragraphs)
        _title(document, mix, nama)
        if mix.naming == "jabatan":
            document.add_paragraph(f"Jabatan : {nama}")
        if mix.holder_lines:
            for line in ("Nama : NAMA PEMANGKU, S.E.", "NIP : 19900101 201503 1 002",
                         "Pangkat/Gol. Ruang : Penata (III/c)"):
                document.add_paragraph(line)
        if mix.tugas:
            _tugas(document, mix.word_numbering)
        _table(document, mix, list(rows_of(mix, number)))
        if mix.naming != NOWHERE:
            _signature(document, mix, nama)
    return _saved(document, path)


def _saved(document: Document, path: Path) -> Path:
    document.save(str(path))
    return path


def _turn(section: Any) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(33), Cm(21.5)


def _between(document: Document, mix: Mix) -> None:
    if mix.landscape:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _turn(section)
    elif mix.breaks:
        document.add_paragraph()
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph()


def _title(document: Document, mix: Mix, nama: str) -> None:
    if mix.naming == "in-title":
        document.add_paragraph(f"{mix.title} {nama}")
    elif mix.split_title:  # "INDIKATOR KINERJA" / "INDIVIDU ( IKI ) 2018"
        head, _, tail = mix.title.partition(" KINERJA ")
        document.add_paragraph(f"{head} KINERJA")
        document.add_paragraph(tail)
    else:
        document.add_paragraph(mix.title)
    if mix.naming == "second-line":
        document.add_paragraph(nama)
    if mix.unit_line and "KECAMATAN" not in mix.title:
        document.add_paragraph(UNIT_LINE)
    if mix.breaks:
        document.add_paragraph()


KOP = ["PEMERINTAH KABUPATEN CONTOH", "DINAS CONTOH",
       "Jalan Merdeka No. 1 Contoh, Telepon (0361) 123456"]


def _kop(document: Any, paragraphs: bool) -> None:
    """A letterhead: the logo beside the lines of the government and the office, in a
    borderless table above the title; or the logo in a paragraph of its own over them."""
    if paragraphs:
        document.add_paragraph().add_run().add_picture(BytesIO(LOGO), width=Cm(2))
        for line in KOP:
            document.add_paragraph(line)
    else:
        table = document.add_table(1, 2, Cm(16)) if not isinstance(document, Document) \
            else document.add_table(rows=1, cols=2)
        table.cell(0, 0).paragraphs[0].add_run().add_picture(BytesIO(LOGO), width=Cm(2))
        _lines(table.cell(0, 1), KOP)
    document.add_paragraph()


def _tugas(document: Document, word_numbering: bool) -> None:
    """Tugas and Fungsi as lists: numbers typed, or Word's own numbering."""
    document.add_paragraph("Tugas :")
    for number, tugas in enumerate(TUGAS, start=1):
        if word_numbering:
            document.add_paragraph(tugas, style="List Number")
        else:
            document.add_paragraph(f"{number}. {tugas}")
    document.add_paragraph("Fungsi :")
    for letter, fungsi in zip("ab", FUNGSI, strict=True):
        if word_numbering:
            document.add_paragraph(fungsi, style="List Bullet")
        else:
            document.add_paragraph(f"{letter}. {fungsi}")


def _signature(document: Document, mix: Mix, nama: str) -> None:
    signer = signer_of(mix)
    if not mix.side_by_side:
        dated = ["Ditetapkan di : Contoh", "Pada tanggal : 2 Januari 2025"] if mix.enacted \
            else ["Contoh, 2 Januari 2025"]
        for line in ("", *dated, signer["jabatan"], "", "", signer["nama"],
                     signer["pangkat"], "NIP. 19800512 200501 1 002"):
            document.add_paragraph(line)
        return
    document.add_paragraph()
    left = ["Mengetahui,", "Atasan Langsung,", signer["jabatan"], "", "", signer["nama"],
            signer["pangkat"], "NIP. 19800512 200501 1 002"]
    right = ["Contoh, 2 Januari 2025", "Pegawai yang dinilai,", nama, "", "", HOLDER["nama"],
             HOLDER["pangkat"], "NIP. 19900101 201503 1 002"]
    if mix.signatures_after_tabs:
        for one, other in zip(left, right, strict=True):
            document.add_paragraph(f"{one}\t\t\t{other}" if other else one)
        return
    table = document.add_table(rows=1, cols=2)
    _lines(table.cell(0, 0), left)
    _lines(table.cell(0, 1), right)


def _columns(mix: Mix) -> list[str]:
    """The fields of the table's columns, in order."""
    extras = [f"extra:{name}" for name in mix.extras]
    columns = ["no"] if mix.no_column else []
    columns += ["sasaran"] + (["rpjmd"] if mix.two_rows == "rpjmd" else []) + ["indikator"]
    columns += extras if mix.extras_first else []
    columns += ["penjelasan", "formula"] if mix.two_columns else ["penjelasan"]
    columns += [] if mix.sources in ("in-penjelasan", NO_SOURCES) else ["sumber"]
    return columns + ([] if mix.extras_first else extras)


def _header(mix: Mix) -> tuple[list[str], list[list[str]]]:
    """The columns' fields and the header's rows: one, or two (a group header over
    sub-columns, or words split over the two)."""
    names = {"no": "NO", "sasaran": mix.sasaran_header, "indikator": mix.indikator_header,
             "penjelasan": "PENJELASAN" if mix.two_columns else mix.formulasi_header,
             "formula": "FORMULASI", "sumber": "SUMBER DATA"}
    columns = _columns(mix)
    top = [names.get(column, column.removeprefix("extra:")) for column in columns]
    if mix.two_rows == "none":
        return columns, [top]
    bottom = ["^"] * len(columns)
    if mix.two_rows == "rpjmd":
        at = columns.index("sasaran")
        top[at:at + 2] = ["SASARAN", "<"]
        bottom[at:at + 2] = ["SASARAN RENSTRA", "SASARAN RPJMD"]
    elif mix.two_rows == "target-years":  # TARGET over 2024 and 2025: one column more
        at = columns.index("extra:TARGET")
        columns[at:at + 1] = ["target_2024", "target_2025"]
        top[at:at + 1] = ["TARGET", "<"]
        bottom[at:at + 1] = ["2024", "2025"]
    else:
        at = columns.index("sumber") if "sumber" in columns else columns.index("indikator")
        words = top[at].split(" ", 1)
        if len(words) == 2:
            top[at], bottom[at] = words
    return columns, [top, bottom]


def _table(document: Document, mix: Mix, rows: list[Any]) -> None:
    """The IKI table; cut in two at a page before its last row, the header typed again
    over the second part or not."""
    if mix.cut == "none":
        _table_part(document, mix, rows, header=True)
        return
    _table_part(document, mix, rows[:-1], header=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _table_part(document, mix, rows[-1:], header=mix.cut == "header-again")


def _table_part(document: Document, mix: Mix, rows: list[Any], header: bool) -> None:
    columns, headers = _header(mix)
    headers = headers if header else []
    width = len(columns)
    shape = "{}" if mix.plain_numbers else "({})"
    body = [[shape.format(number + 1) for number in range(width)]] \
        if mix.numbering_row and header else []
    table = document.add_table(rows=len(headers) + len(body) + len(rows), cols=width)
    table.style = "Table Grid"
    for number, texts in enumerate([*headers, *body]):
        for column, text in enumerate(texts):
            if text not in ("^", "<"):
                table.cell(number, column).text = text
    _merge_header(table, headers)
    _body(table, mix, columns, rows, len(headers) + len(body))


def _merge_header(table: Table, headers: list[list[str]]) -> None:
    for number, texts in enumerate(headers):
        for column, text in enumerate(texts):
            if text == "^":
                top = table.cell(number - 1, column)
                kept = top.text
                top.merge(table.cell(number, column)).text = kept
            elif text == "<":
                left = table.cell(number, column - 1)
                kept = left.text
                left.merge(table.cell(number, column)).text = kept


def _body(table: Table, mix: Mix, columns: list[str], rows: list[Any], start: int) -> None:
    previous: Row | None = None
    first_of_sasaran = start
    numbered = groups = 0
    for offset, row in enumerate(rows):
        at = start + offset
        if isinstance(row, tuple):
            first = 0
            if mix.group_style == "numbered" and mix.no_column and not row[1].startswith("ES"):
                groups, first = groups + 1, 1
                table.cell(at, 0).text = "I" * groups
            if mix.group_unmerged:  # typed in the SASARAN cell, the others left empty
                table.cell(at, columns.index("sasaran")).text = row[1]
            else:
                table.cell(at, first).merge(table.cell(at, len(columns) - 1)).text = row[1]
            previous = None
            continue
        same = previous is not None and previous.sasaran == row.sasaran
        if not same:
            first_of_sasaran, numbered = at, numbered + 1
        for column, name in enumerate(columns):
            cell = table.cell(at, column)
            merged_source = name == "sumber" and mix.merged_sources and same and (
                previous is not None and previous.sources == row.sources)
            if (name in ("no", "sasaran") and same) or merged_source:
                if mix.merged_sasaran or merged_source:
                    top = table.cell(first_of_sasaran, column)
                    kept = top.text
                    top.merge(cell).text = kept
                continue
            _fill(cell, _cell_value(mix, name, row, numbered))
        previous = row


def _cell_value(mix: Mix, name: str, row: Row, numbered: int) -> list[Any]:
    values: dict[str, list[Any]] = {
        "no": [f"{numbered}."], "sasaran": [row.sasaran], "indikator": [row.uraian],
        "penjelasan": row.penjelasan, "formula": row.formula, "sumber": row.sources,
        "rpjmd": [row.tambahan.get("sasaran_rpjmd", "")],
        "target_2024": [row.tambahan.get("target_2024", "")],
        "target_2025": [row.tambahan.get("target_2025", "")]}
    if name.startswith("extra:"):
        return [row.tambahan[_key(name.removeprefix("extra:"))]]
    return values[name]


def _fill(cell: _Cell, paragraphs: list[Any]) -> None:
    """A cell's paragraphs: text, a fraction's numerator (over a rule, or underlined), an
    equation, or lines kept in one paragraph by soft line breaks."""
    for number, part in enumerate(paragraphs or [""]):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if isinstance(part, str):
            _tabbed(paragraph, part)
            continue
        kind, text = part
        if kind == "bordered":
            paragraph.add_run(text)
            paragraph._p.insert(0, parse_xml(
                f'<w:pPr {nsdecls("w")}><w:pBdr><w:bottom w:val="single" w:sz="4" '
                'w:space="1" w:color="auto"/></w:pBdr></w:pPr>'))
        elif kind == "underlined":
            paragraph.add_run(text).underline = True
        elif kind == "math":
            paragraph.add_run("Rumus: ")
            paragraph._p.append(parse_xml(MATH.format(nsdecls("m"), *text)))
        else:  # "broken": lines of one paragraph
            run = paragraph.add_run(text[0])
            for line in text[1:]:
                run.add_break()
                run.add_text(line)


def _tabbed(paragraph: Any, text: str) -> None:
    for number, piece in enumerate(text.split("\t")):
        run = paragraph.add_run(piece) if number == 0 else paragraph.add_run()
        if number:
            run.add_tab()
            run.add_text(piece)


def _lines(cell: _Cell, lines: list[str]) -> None:
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)

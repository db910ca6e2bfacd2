"""Rebuild the bundled templates' template.docx files from this script.

Run ``python tools/build_templates.py`` after changing it. The .docx files are what
HR edits in Word; this script is how the originals were made, so a damaged template
can always be rebuilt. Each template's template.yaml is kept by hand beside it.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parent.parent / "templates"
FONT = "Arial"
TEXT_WIDTH_CM = 16.5  # F4 (21.5 cm) less 3 cm left and 2 cm right margins

# (header, width in cm, cell paragraphs) of the official four columns.
IKI_COLUMNS = [
    ("SASARAN", 3.8, ["{% vmerge not loop.first %}{{ s.uraian }}"]),
    ("INDIKATOR KINERJA", 4.2, ["{{ i.uraian }}"]),
    ("PENJELASAN/FORMULASI PENGHITUNGAN", 4.5, ["{{ i.formulasi }}"]),
    ("SUMBER DATA", 4.0, [
        "{% vmerge i.sumber_sama %}{%p if i.sumber_data|length > 1 %}",
        "{%p for sumber in i.sumber_data %}",
        ("- {{ sumber }}", "IKI Sumber"),
        "{%p endfor %}",
        "{%p else %}",
        "{{ i.sumber_data[0] }}",
        "{%p endif %}",
    ]),
]


def target_columns() -> list:
    """IKI_COLUMNS with TARGET and SATUAN (PermenPAN-RB 6/2022) after the indicator, widened
    for a landscape page."""
    sasaran, indikator, formulasi, sumber = IKI_COLUMNS
    return [(sasaran[0], 5.0, sasaran[2]), (indikator[0], 5.5, indikator[2]),
            ("TARGET", 2.5, ["{{ i.tambahan.target }}"]), ("SATUAN", 3.0, ["{{ i.tambahan.satuan }}"]),
            (formulasi[0], 6.5, formulasi[2]), (sumber[0], 5.5, sumber[2])]


def new_document(landscape: bool = False) -> Document:
    """An empty F4 document with the IKI styles, margins usual for government letters."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = Mm(215), Mm(330)
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    add_styles(document)
    return document


def add_styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "id-ID")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    title = paragraph_style(document, "IKI Judul", bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    label = paragraph_style(document, "IKI Label")
    tabs(label, [2.5, 3.0])
    hang(label, 3.0)
    label.paragraph_format.space_after = Pt(2)
    item = paragraph_style(document, "IKI Butir")
    tabs(item, [2.5, 3.0, 3.7])
    hang(item, 3.7)
    item.paragraph_format.space_after = Pt(2)
    cell = paragraph_style(document, "IKI Tabel", size=11)
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(2)
    head = paragraph_style(document, "IKI Kepala Tabel", size=11, bold=True, base="IKI Tabel")
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    source = paragraph_style(document, "IKI Sumber", size=11, base="IKI Tabel")
    hang(source, 0.3)
    sign = paragraph_style(document, "IKI Tanda Tangan")
    sign.paragraph_format.left_indent = Cm(8.5)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sign.paragraph_format.keep_with_next = True
    body = paragraph_style(document, "IKI Diktum")
    tabs(body, [3.0, 3.5])
    hang(body, 3.5)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.space_after = Pt(6)
    listed = paragraph_style(document, "IKI Diktum Butir", base="IKI Diktum")
    tabs(listed, [3.0, 3.5, 4.2])
    hang(listed, 4.2)
    listed.paragraph_format.space_after = Pt(3)


def paragraph_style(document, name, size=12, bold=False, base="Normal"):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.font.size, style.font.bold = Pt(size), bold
    style.quick_style = True
    return style


def tabs(style, stops_cm):
    for stop in stops_cm:
        style.paragraph_format.tab_stops.add_tab_stop(Cm(stop), WD_TAB_ALIGNMENT.LEFT)


def hang(style, indent_cm):
    style.paragraph_format.left_indent = Cm(indent_cm)
    style.paragraph_format.first_line_indent = Cm(-indent_cm)


def write(paragraph, text: str, bold: bool = False, underline: bool = False):
    """Add text to a paragraph, a w:tab for every tab character."""
    for k, piece in enumerate(text.split("\t")):
        if k:
            paragraph.add_run().add_tab()
        if piece:
            run = paragraph.add_run(piece)
            run.bold, run.underline = bold or None, underline or None
    return paragraph


def heading(document, title: str) -> None:
    write(document.add_paragraph(style="IKI Judul"), title)


def position_block(document) -> None:
    """Jabatan / Tugas / Fungsi, each list lettered with a hanging indent; "-" when empty."""
    write(document.add_paragraph(style="IKI Label"), "Jabatan\t:\t{{ jabatan.nama }}")
    for label, key in (("Tugas", "tugas"), ("Fungsi", "fungsi")):
        document.add_paragraph(f"{{%p for butir in jabatan.{key} %}}")
        write(document.add_paragraph(style="IKI Butir"),
              f"{{% if loop.first %}}{label}{{% endif %}}\t{{% if loop.first %}}:{{% endif %}}"
              "\t{{ loop.index|huruf }}.\t{{ butir }}")
        document.add_paragraph("{%p else %}")
        write(document.add_paragraph(style="IKI Label"), f"{label}\t:\t-")
        document.add_paragraph("{%p endfor %}")
    document.add_paragraph()


def iki_table(document, columns) -> None:
    """The table of FORMAT.md §2: header and numbering rows repeated on every page, one
    row per indikator that never splits, sasaran and sumber data merged by the plan."""
    table = document.add_table(rows=7, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header, numbers, outer, inner, data, end_inner, end_outer = table.rows
    for k, (title, width, paragraphs) in enumerate(columns):
        for row in table.rows:
            row.cells[k].width = Cm(width)
        fill(header.cells[k], [title], "IKI Kepala Tabel")
        fill(numbers.cells[k], [f"({k + 1})"], "IKI Kepala Tabel")
        fill(data.cells[k], paragraphs, "IKI Tabel")
        header.cells[k].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    fill(outer.cells[0], ["{%tr for s in jabatan.sasaran %}"], "IKI Tabel")
    fill(inner.cells[0], ["{%tr for i in s.indikator %}"], "IKI Tabel")
    fill(end_inner.cells[0], ["{%tr endfor %}"], "IKI Tabel")
    fill(end_outer.cells[0], ["{%tr endfor %}"], "IKI Tabel")
    for row in (header, numbers):
        row_flag(row, "w:tblHeader")
    row_flag(data, "w:cantSplit")
    grid = table._tbl.tblGrid
    for col, (_, width, _) in zip(grid.findall(qn("w:gridCol")), columns):
        col.set(qn("w:w"), str(int(Cm(width).twips)))


def fill(cell, paragraphs, style) -> None:
    first = True
    for entry in paragraphs:
        text, own_style = entry if isinstance(entry, tuple) else (entry, style)
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.style = own_style
        write(paragraph, text)
        first = False


def row_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement(tag))


PLACE_AND_DATE = ["{%p if dokumen.tempat_tanggal %}", ("{{ dokumen.tempat_tanggal }}",),
                  "{%p endif %}"]
DECREED = ["{%p if dokumen.tempat %}", ("Ditetapkan di {{ dokumen.tempat }}",), "{%p endif %}",
           "{%p if dokumen.tanggal %}", ("pada tanggal {{ dokumen.tanggal }}",), "{%p endif %}"]


def signature(document, signer: str = "jabatan.penandatangan", place=None) -> None:
    """Place and date, then the signer: jabatan, room to sign, name, pangkat, NIP. A line
    whose data is absent is left out."""
    document.add_paragraph().paragraph_format.keep_with_next = True
    lines = (place or PLACE_AND_DATE) + [
        f"{{%p if {signer} %}}", (f"{{{{ {signer}.jabatan }}}}",), ("",), ("",), ("",), ("",),
        (f"{{{{ {signer}.nama }}}}", True), f"{{%p if {signer}.pangkat %}}",
        (f"{{{{ {signer}.pangkat }}}}",), "{%p endif %}", f"{{%p if {signer}.nip %}}",
        (f"NIP. {{{{ {signer}.nip }}}}",), "{%p endif %}", "{%p endif %}",
    ]
    for line in lines:
        if isinstance(line, str):
            document.add_paragraph(line)
            continue
        paragraph = write(document.add_paragraph(style="IKI Tanda Tangan"), line[0],
                          bold=len(line) > 1, underline=len(line) > 1)
        if "pangkat" in line[0] or "nip" in line[0]:
            paragraph.paragraph_format.keep_with_next = False  # the block's end keeps to nothing


def build_iki(folder: Path) -> None:
    document = new_document()
    heading(document, "INDIKATOR KINERJA INDIVIDU")
    position_block(document)
    iki_table(document, IKI_COLUMNS)
    signature(document)
    save(document, folder)


def build_iki_target(folder: Path) -> None:
    document = new_document(landscape=True)
    heading(document, "INDIKATOR KINERJA INDIVIDU")
    position_block(document)
    iki_table(document, target_columns())
    signature(document)
    save(document, folder)


SIGNER = "dokumen.penandatangan"
TITLE = ("INDIKATOR KINERJA INDIVIDU DI LINGKUNGAN {{ dokumen.unit_kerja|upper }}"
         "{% if dokumen.tahun %} TAHUN {{ dokumen.tahun }}{% endif %}")
NOMOR = "NOMOR {{ dokumen.tambahan.get('nomor') or '                              ' }}"


def build_keputusan(folder: Path) -> None:
    """A Keputusan of the unit's signer establishing the IKI, with every position's IKI
    table in its Lampiran, one position per page."""
    document = new_document()
    for line in (f"KEPUTUSAN {{{{ {SIGNER}.jabatan|upper }}}}", "{%p if dokumen.instansi %}",
                 "{{ dokumen.instansi|upper }}", "{%p endif %}", NOMOR, "", "TENTANG", "", TITLE, "",
                 f"{{{{ {SIGNER}.jabatan|upper }}}},"):
        if line.startswith("{%p"):
            document.add_paragraph(line)
            continue
        paragraph = write(document.add_paragraph(style="IKI Judul"), line)
        paragraph.paragraph_format.space_after = Pt(0)
    document.add_paragraph()
    for label, key, number in (("Menimbang", "menimbang", "{{ loop.index|huruf }}."),
                               ("Mengingat", "mengingat", "{{ loop.index }}.")):
        document.add_paragraph(f"{{%p for butir in dokumen.tambahan.{key}|daftar %}}")
        write(document.add_paragraph(style="IKI Diktum Butir"),
              f"{{% if loop.first %}}{label}{{% endif %}}\t{{% if loop.first %}}:{{% endif %}}"
              f"\t{number}\t{{{{ butir }}}}")
        document.add_paragraph("{%p endfor %}")
    heading(document, "MEMUTUSKAN:")
    decree = f"KEPUTUSAN {{{{ {SIGNER}.jabatan|upper }}}} TENTANG {TITLE}."
    for label, text in (
            ("Menetapkan", decree),
            ("KESATU", "Menetapkan Indikator Kinerja Individu di lingkungan {{ dokumen.unit_kerja }} "
                       "sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak terpisahkan "
                       "dari Keputusan ini."),
            ("KEDUA", "Indikator Kinerja Individu sebagaimana dimaksud dalam Diktum KESATU menjadi "
                      "acuan dalam penyusunan Sasaran Kinerja Pegawai, perjanjian kinerja dan penilaian "
                      "kinerja pegawai di lingkungan {{ dokumen.unit_kerja }}."),
            ("KETIGA", "Keputusan ini mulai berlaku pada tanggal ditetapkan.")):
        write(document.add_paragraph(style="IKI Diktum"), f"{label}\t:\t{text}")
    signature(document, SIGNER, DECREED)
    lampiran(document)
    save(document, folder)


def lampiran(document) -> None:
    """LAMPIRAN: the decision's reference, then each position's IKI on a page of its own,
    signed as FORMAT.md §2 asks of every IKI."""
    document.add_section()
    for line in ("LAMPIRAN", f"KEPUTUSAN {{{{ {SIGNER}.jabatan|upper }}}}", NOMOR):
        write(document.add_paragraph(style="IKI Tanda Tangan"), line)
    document.add_paragraph("{%p if dokumen.tanggal %}")
    write(document.add_paragraph(style="IKI Tanda Tangan"), "TANGGAL {{ dokumen.tanggal|upper }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph()
    document.add_paragraph("{%p for jabatan in dokumen.jabatan %}")
    heading(document, "INDIKATOR KINERJA INDIVIDU")
    position_block(document)
    iki_table(document, IKI_COLUMNS)
    signature(document)
    document.add_paragraph("{%p if not loop.last %}")
    document.add_section()
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")


def drop_unused_styles(document) -> None:
    """Keep Word's default styles, the IKI styles and the styles the template uses (with
    those they are based on, linked to or followed by).

    python-docx's blank document defines some 160 styles that Word recreates from its
    latent styles when a user picks one. LibreOffice reads them all for every document it
    converts to PDF, which took longer than the document itself (85 ms against 38 ms).
    """
    element = document.styles.element
    styles = {style.get(qn("w:styleId")): style for style in element.findall(qn("w:style"))}
    used = set(re.findall(r'Style w:val="([^"]+)"', document.element.xml))
    keep = used | {key for key, style in styles.items()
                   if style.get(qn("w:default")) == "1" or key.startswith("IKI")}
    pending = list(keep)
    while pending:
        style = styles[pending.pop()]
        for tag in ("w:basedOn", "w:link", "w:next"):
            reference = style.find(qn(tag))
            if reference is not None and reference.get(qn("w:val")) not in keep:
                keep.add(reference.get(qn("w:val")))
                pending.append(reference.get(qn("w:val")))
    for key, style in styles.items():
        if key not in keep:
            element.remove(style)


def drop_unused_parts(document) -> None:
    """Leave out what python-docx's blank document carries but no IKI needs: a Word 2010
    copy of the styles (stylesWithEffects), an empty customXml item, and a thumbnail of
    a blank page, which Windows Explorer would show as the template's preview."""
    unused = ("/stylesWithEffects", "/customXml", "/thumbnail")
    for part in (document.part, document.part.package):
        for key, relationship in list(part.rels.items()):
            if relationship.reltype.endswith(unused):
                del part.rels[key]


def save(document, folder: Path) -> None:
    properties = document.core_properties
    properties.author = properties.last_modified_by = "ikidoc"
    properties.title = "Template Indikator Kinerja Individu"
    drop_unused_styles(document)
    drop_unused_parts(document)
    folder.mkdir(parents=True, exist_ok=True)
    document.save(folder / "template.docx")
    print(f"wrote {folder / 'template.docx'}")


BUILDERS = {"iki": build_iki, "iki-target": build_iki_target, "keputusan-iki": build_keputusan}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(BUILDERS):
        BUILDERS[name](ROOT / name)

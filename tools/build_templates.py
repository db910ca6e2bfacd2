"""Rebuild the bundled templates' template.docx files from this script.

Run ``python tools/build_templates.py`` after changing it. The .docx files are what
HR edits in Word; this script is how the originals were made, so a damaged template
can always be rebuilt. Each template's template.yaml is kept by hand beside it.
Beside them goes thumbnail.png, the first page the bundled sample renders to
(LibreOffice and pdftoppm make it), which ``ikidoc templates list`` and the page show.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
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


NO_COLUMN = ("NO", 1.2, ["{% vmerge not loop.first %}{{ s.nomor }}."])


def numbered_columns() -> list:
    """NO, then the official four columns narrowed to fit an F4 portrait page."""
    widths = (3.4, 3.9, 4.2, 3.8)
    return [NO_COLUMN] + [(title, width, cell) for (title, _, cell), width
                          in zip(IKI_COLUMNS, widths, strict=True)]


def responsible_columns() -> list:
    """The target table with PENANGGUNG JAWAB last, for a landscape F4 page."""
    narrower = [(title, width * 0.85, cell) for title, width, cell in target_columns()]
    return narrower + [("PENANGGUNG JAWAB", 4.0, ["{{ i.tambahan.get('penanggung_jawab') }}"])]


def target_columns() -> list:
    """IKI_COLUMNS with TARGET and SATUAN (PermenPAN-RB 6/2022) after the indicator, widened
    for a landscape page."""
    sasaran, indikator, formulasi, sumber = IKI_COLUMNS
    return [(sasaran[0], 5.0, sasaran[2]), (indikator[0], 5.5, indikator[2]),
            ("TARGET", 2.5, ["{{ i.tambahan.target }}"]),
            ("SATUAN", 3.0, ["{{ i.tambahan.satuan }}"]),
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


def iki_table(document, columns, numbering: str | None = "") -> None:
    """The table of docs/official-table.md: header and numbering rows repeated on every page, one
    row per indikator that never splits, sasaran and sumber data merged by the plan.
    ``numbering``: "" prints the numbering row, None leaves it out, a switch's name
    prints it when that switch is on."""
    rows = 7 + (0 if numbering == "" else -1 if numbering is None else 2)
    table = document.add_table(rows=rows, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header, *numbered, outer, inner, data, end_inner, end_outer = table.rows
    numbers = numbered[len(numbered) // 2] if numbered else None
    for k, (title, width, paragraphs) in enumerate(columns):
        for row in table.rows:
            row.cells[k].width = Cm(width)
        fill(header.cells[k], [title], "IKI Kepala Tabel")
        if numbers is not None:
            fill(numbers.cells[k], [f"({k + 1})"], "IKI Kepala Tabel")
        fill(data.cells[k], paragraphs, "IKI Tabel")
        header.cells[k].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if numbering:
        fill(numbered[0].cells[0], [f"{{%tr if pilihan.{numbering} %}}"], "IKI Tabel")
        fill(numbered[2].cells[0], ["{%tr endif %}"], "IKI Tabel")
    fill(outer.cells[0], ["{%tr for s in jabatan.sasaran %}"], "IKI Tabel")
    fill(inner.cells[0], ["{%tr for i in s.indikator %}"], "IKI Tabel")
    fill(end_inner.cells[0], ["{%tr endfor %}"], "IKI Tabel")
    fill(end_outer.cells[0], ["{%tr endfor %}"], "IKI Tabel")
    for row in [header, *numbered]:
        row_flag(row, "w:tblHeader")
    row_flag(data, "w:cantSplit")
    grid = table._tbl.tblGrid
    for col, (_, width, _) in zip(grid.findall(qn("w:gridCol")), columns, strict=True):
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
    signature_lines(document, signer, place or PLACE_AND_DATE, "IKI Tanda Tangan")


def signature_lines(container, person: str, head: list, style: str,
                    with_jabatan: bool = True) -> None:
    """``head`` (text lines as 1-tuples, tags as text), then ``person``'s jabatan (unless
    ``with_jabatan`` is off), room to sign, name, pangkat and NIP, into a document or a
    table cell."""
    jabatan = [(f"{{{{ {person}.jabatan }}}}",)] if with_jabatan else []
    lines = head + [f"{{%p if {person} %}}"] + jabatan + [("",), ("",), ("",), ("",),
        (f"{{{{ {person}.nama }}}}", True), f"{{%p if {person}.pangkat %}}",
        (f"{{{{ {person}.pangkat }}}}",), "{%p endif %}", f"{{%p if {person}.nip %}}",
        (f"NIP. {{{{ {person}.nip }}}}",), "{%p endif %}", "{%p endif %}",
    ]
    blank = container.paragraphs[0] if not hasattr(container, "sections") else None
    for line in lines:
        if isinstance(line, str):
            container.add_paragraph(line)
            continue
        paragraph = write(container.add_paragraph(style=style), line[0],
                          bold=len(line) > 1, underline=len(line) > 1)
        if "pangkat" in line[0] or "nip" in line[0]:
            paragraph.paragraph_format.keep_with_next = False  # the block's end keeps to nothing
    if blank is not None:  # a new cell's own empty paragraph
        blank._p.getparent().remove(blank._p)


def build_table_template(folder: Path, columns: list[tuple[str, float, list[str]]], *,
                         landscape: bool = False, numbering: str | None = "",
                         numbered_pages: bool = True) -> None:
    """A template of the IKI's shape: letterhead, title, Jabatan/Tugas/Fungsi, the table of
    ``columns``, the signature; the bundled layouts differ only in these choices."""
    document = new_document(landscape=landscape)
    letterhead(document)
    heading(document, "INDIKATOR KINERJA INDIVIDU")
    position_block(document)
    iki_table(document, columns, numbering=numbering)
    signature(document)
    if numbered_pages:
        page_numbers(document)
    save(document, folder)


def build_iki(folder: Path) -> None:
    """The official four columns; no page numbers, so its documents stay as they were."""
    build_table_template(folder, IKI_COLUMNS, numbered_pages=False)


def build_iki_target(folder: Path) -> None:
    build_table_template(folder, target_columns(), landscape=True)


def build_iki_nomor(folder: Path) -> None:
    """A NO column numbering the sasaran, no numbering row unless switched on."""
    build_table_template(folder, numbered_columns(), numbering="baris_nomor")


def build_iki_penanggung_jawab(folder: Path) -> None:
    """Landscape: TARGET, SATUAN and PENANGGUNG JAWAB beside the official columns."""
    build_table_template(folder, responsible_columns(), landscape=True, numbering="baris_nomor")


def build_iki_pemangku(folder: Path) -> None:
    """The official table, signed by the holder and the signer side by side."""
    document = new_document()
    column = paragraph_style(document, "IKI Tanda Tangan Kolom")
    column.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    column.paragraph_format.keep_with_next = True
    letterhead(document)
    heading(document, "INDIKATOR KINERJA INDIVIDU")
    position_block(document)
    iki_table(document, IKI_COLUMNS)
    document.add_paragraph("{%p if pilihan.ttd_pemangku %}")
    document.add_paragraph().paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    signer, holder = table.rows[0].cells
    signature_lines(signer, "jabatan.penandatangan", [("",)], "IKI Tanda Tangan Kolom")
    holder_lines = PLACE_AND_DATE + [("Pemangku Jabatan,",)]
    signature_lines(holder, "jabatan.pemangku", holder_lines, "IKI Tanda Tangan Kolom",
                    with_jabatan=False)
    row_flag(table.rows[0], "w:cantSplit")
    document.add_paragraph("{%p else %}")
    signature(document)
    document.add_paragraph("{%p endif %}")
    page_numbers(document)
    save(document, folder)


def letterhead(document) -> None:
    """The kop: the logo at the left, the lines centred (the first largest), address,
    telephone and site, a double rule under them. Printed when the data has a kop and
    the switch ``kop`` is on; direct formatting only, so that a template gains it
    without a style of its own (its other parts stay byte for byte as they were)."""
    document.add_paragraph("{%p if pilihan.kop and dokumen.kop %}")
    table = document.add_table(rows=1, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (2.7, TEXT_WIDTH_CM - 5.4, 2.7) if not _landscape(document) else \
        (2.7, LANDSCAPE_WIDTH_CM - 5.4, 2.7)
    logo, lines, _ = table.rows[0].cells
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Cm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    centred(logo.paragraphs[0], "{{ dokumen.kop.logo }}")
    first = lines.paragraphs[0]
    first.text = "{%p for baris in dokumen.kop.baris %}"
    for line in ("{%p if loop.first %}", ("{{ baris }}", 16), "{%p else %}", ("{{ baris }}", 14),
                 "{%p endif %}", "{%p endfor %}", "{%p if dokumen.kop.alamat %}",
                 ("{{ dokumen.kop.alamat }}", 10), "{%p endif %}", "{%p if dokumen.kop.telepon %}",
                 ("Telepon {{ dokumen.kop.telepon }}", 10), "{%p endif %}",
                 "{%p if dokumen.kop.laman %}", ("{{ dokumen.kop.laman }}", 10), "{%p endif %}"):
        if isinstance(line, str):
            lines.add_paragraph(line)
        else:
            centred(lines.add_paragraph(), line[0], size=line[1], bold=line[1] > 10)
    rule = document.add_paragraph()
    rule.paragraph_format.space_after = Pt(12)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thinThickSmallGap"), ("w:sz", "18"), ("w:space", "1"),
                       ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    rule._p.get_or_add_pPr().append(borders)
    document.add_paragraph("{%p endif %}")


LANDSCAPE_WIDTH_CM = 33.0 - 5.0  # F4 landscape less the margins


def _landscape(document) -> bool:
    return document.sections[0].orientation == WD_ORIENT.LANDSCAPE


def centred(paragraph, text: str, size: int | None = None, bold: bool = False):
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def page_numbers(document) -> None:
    """"Halaman X dari Y" at the foot of every page, from Word's PAGE and NUMPAGES
    fields, which Word and LibreOffice count as they lay the document out."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Halaman ")
    field(paragraph, "PAGE")
    paragraph.add_run(" dari ")
    field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def field(paragraph, instruction: str) -> None:
    """A complex field: begin, its instruction, separate, the last result, end."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None),
                       (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text.strip() == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            run.text = text


SIGNER = "dokumen.penandatangan"
TITLE = ("INDIKATOR KINERJA INDIVIDU DI LINGKUNGAN {{ dokumen.unit_kerja|upper }}"
         "{% if dokumen.tahun %} TAHUN {{ dokumen.tahun }}{% endif %}")
NOMOR = "NOMOR {{ dokumen.tambahan.get('nomor') or '                              ' }}"


def build_keputusan(folder: Path) -> None:
    """A Keputusan of the unit's signer establishing the IKI, with every position's IKI
    table in its Lampiran, one position per page."""
    document = new_document()
    letterhead(document)
    for line in (f"KEPUTUSAN {{{{ {SIGNER}.jabatan|upper }}}}", "{%p if dokumen.instansi %}",
                 "{{ dokumen.instansi|upper }}", "{%p endif %}", NOMOR, "", "TENTANG", "",
                 TITLE, "",
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
            ("KESATU", "Menetapkan Indikator Kinerja Individu di lingkungan "
                       "{{ dokumen.unit_kerja }} sebagaimana tercantum dalam Lampiran yang "
                       "merupakan bagian tidak terpisahkan dari Keputusan ini."),
            ("KEDUA", "Indikator Kinerja Individu sebagaimana dimaksud dalam Diktum KESATU menjadi "
                      "acuan dalam penyusunan Sasaran Kinerja Pegawai, perjanjian kinerja dan "
                      "penilaian kinerja pegawai di lingkungan {{ dokumen.unit_kerja }}."),
            ("KETIGA", "Keputusan ini mulai berlaku pada tanggal ditetapkan.")):
        write(document.add_paragraph(style="IKI Diktum"), f"{label}\t:\t{text}")
    signature(document, SIGNER, DECREED)
    lampiran(document)
    page_numbers(document)
    save(document, folder)


def lampiran(document) -> None:
    """LAMPIRAN: the decision's reference, then each position's IKI on a page of its own,
    signed as docs/official-table.md asks of every IKI."""
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


BUILDERS = {"iki": build_iki, "iki-target": build_iki_target, "iki-nomor": build_iki_nomor,
            "iki-penanggung-jawab": build_iki_penanggung_jawab, "iki-pemangku": build_iki_pemangku,
            "keputusan-iki": build_keputusan}

def thumbnail(folder: Path) -> None:
    """thumbnail.png: the first page of the sample's first document with this template,
    about 200 pixels wide."""
    from ikidoc import context, templates
    from ikidoc.bundled import sample_paths
    from ikidoc.load import load_file
    from ikidoc.pdf import convert
    from ikidoc.render import CompiledTemplate

    compiled = CompiledTemplate(templates.read(folder, "bundled"))
    unit = load_file(sample_paths()[0]).unit
    dokumen = context.for_unit(unit)
    data = compiled.position(unit, dokumen, 1) if compiled.scope == "jabatan" else \
        compiled.combined(unit, dokumen)
    with tempfile.TemporaryDirectory() as work:
        document = Path(work) / "first.docx"
        document.write_bytes(data)
        [pdf] = convert([document])
        (Path(work) / "first.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to", "200",
                        "-singlefile", str(Path(work) / "first.pdf"), str(folder / "thumbnail")],
                       check=True)
    print(f"wrote {folder / 'thumbnail.png'}")


if __name__ == "__main__":
    for name in sys.argv[1:] or list(BUILDERS):
        BUILDERS[name](ROOT / name)
        thumbnail(ROOT / name)

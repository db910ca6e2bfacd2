"""The reading side of ikidoc/ooxml as case tables: a paragraph's XML in, the text Word
shows out; a body's XML in, the plain paragraphs, tables, rows and cells the importers
walk out (merges, spans, numbering, rules, text boxes, content controls)."""
from __future__ import annotations

from pathlib import Path

import docx
import docx.document
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ikidoc.ooxml import document as wordfile
from ikidoc.ooxml.document import Cell, Paragraph, Row, Run, Table
from ikidoc.ooxml.names import MATH, W
from ikidoc.ooxml.parsing import parse
from ikidoc.ooxml.shown import shown

NS = (f'xmlns:w="{W}" xmlns:m="{MATH}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def r(text: str) -> str:
    return f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>"


@pytest.mark.parametrize(("inner", "text"), [
    (r("Jumlah ") + r("laporan"), "Jumlah laporan"),
    (r("a") + "<w:r><w:tab/><w:t>b</w:t></w:r>", "a\tb"),
    ("<w:r><w:t>a</w:t><w:br/><w:t>b</w:t><w:br w:type='page'/><w:cr/><w:t>c</w:t></w:r>",
     "a\nb\nc"),
    ("<w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>mail</w:t><w:softHyphen/></w:r>", "e-mail\u00ad"),
    # tracked changes: insertions in, deletions and moves away out
    (r("ada ") + f"<w:ins>{r('baru')}</w:ins><w:del><w:r><w:delText>lama</w:delText></w:r>"
     "</w:del><w:moveFrom>" + r("pindah") + "</w:moveFrom>", "ada baru"),
    # a field shows its result, never its code; a simple field its text
    ("<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"
     "<w:r><w:fldChar w:fldCharType='separate'/></w:r>" + r("3")
     + "<w:r><w:fldChar w:fldCharType='end'/></w:r>", "3"),
    ("<w:fldSimple w:instr='NUMPAGES'>" + r("12") + "</w:fldSimple>", "12"),
    # content controls and smart tags show their contents, not their properties
    ("<w:sdt><w:sdtPr><w:alias w:val='Nama'/></w:sdtPr><w:sdtContent>" + r("Analis")
     + "</w:sdtContent></w:sdt>", "Analis"),
    ("<w:smartTag w:element='place'>" + r("Contoh") + "</w:smartTag>", "Contoh"),
    ("<w:hyperlink>" + r("tautan") + "</w:hyperlink>", "tautan"),
    # symbols: the Symbol font's own codes, or a character of any other font
    ("<w:r><w:sym w:font='Symbol' w:char='F0B4'/></w:r>", "×"),
    ("<w:r><w:sym w:font='Symbol' w:char='F053'/></w:r>", "Σ"),
    ("<w:r><w:sym w:font='Wingdings' w:char='0041'/></w:r>", "A"),
    ("<w:r><w:sym w:font='Symbol' w:char='zz'/></w:r>", ""),
    # what stands outside the line: footnote marks, text boxes, drawings, fallbacks
    (r("a") + "<w:r><w:footnoteReference w:id='1'/></w:r>", "a"),
    (r("a") + "<w:r><mc:AlternateContent><mc:Fallback>" + r("box") + "</mc:Fallback>"
     "</mc:AlternateContent></w:r>", "a"),
    (r("a") + "<w:r><w:drawing>" + r("in a drawing") + "</w:drawing></w:r>", "a"),
    # equations: a fraction, a sum with and without its limits, the default sign
    ("<m:oMath><m:f><m:fPr/><m:num><m:r><m:t>realisasi</m:t></m:r></m:num>"
     "<m:den><m:r><m:t>target</m:t></m:r></m:den></m:f><m:r><m:t> x 100%</m:t></m:r>"
     "</m:oMath>", "realisasi / target x 100%"),
    ("<m:oMath><m:nary><m:naryPr><m:chr m:val='∑'/></m:naryPr><m:sub><m:r><m:t>i=1</m:t>"
     "</m:r></m:sub><m:sup><m:r><m:t>n</m:t></m:r></m:sup><m:e><m:r><m:t>laporan</m:t>"
     "</m:r></m:e></m:nary></m:oMath>", "∑(i=1..n) laporan"),
    ("<m:oMath><m:nary><m:naryPr><m:chr m:val='∑'/></m:naryPr><m:sub/><m:sup/>"
     "<m:e><m:r><m:t>x</m:t></m:r></m:e></m:nary></m:oMath>", "∑ x"),
    ("<m:oMath><m:nary><m:e><m:r><m:t>f</m:t></m:r></m:e></m:nary></m:oMath>", "\u222b f"),
    # properties are never text
    ("<w:pPr><w:rPr><w:t>no</w:t></w:rPr></w:pPr>" + r("yes"), "yes"),
])
def test_shown(inner: str, text: str) -> None:
    assert shown(parse(f"<w:p {NS}>{inner}</w:p>".encode())) == text


def p(text: str, properties: str = "") -> str:
    return f"<w:p>{properties}{r(text) if text else ''}</w:p>"


def tc(*paragraphs: str, properties: str = "") -> str:
    return f"<w:tc>{'<w:tcPr>' + properties + '</w:tcPr>' if properties else ''}" \
           f"{''.join(paragraphs) or p('')}</w:tc>"


def P(text: str, **flags: bool | tuple[str, ...]) -> Paragraph:
    """The paragraph p(text) reads into: one run of that text, if any."""
    return Paragraph(text, runs=(Run(text),) if text else (), **flags)  # type: ignore[arg-type]


def one(text: str) -> tuple[Paragraph, ...]:
    return (P(text),)


NUMBERED = "<w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='{}'/></w:numPr></w:pPr>"
BORDER = "<w:pPr><w:pBdr><w:{side} w:val='{value}' w:sz='4'/></w:pBdr></w:pPr>"
BOX = ("<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent>"
       + p("Kepala,") + p("NAMA") + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback>"
       "<w:pict><w:txbxContent>" + p("Kepala,") + p("NAMA")
       + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


@pytest.mark.parametrize(("body", "blocks"), [
    (p("Judul") + p(""), (P("Judul"), P(""))),
    # merges and spans, a row starting after grid columns left empty
    ("<w:tbl><w:tr>" + tc(p("SASARAN"), properties="<w:vMerge w:val='restart'/>")
     + tc(p("A"), properties="<w:gridSpan w:val='2'/>") + "</w:tr><w:tr>"
     + tc(properties="<w:vMerge/>") + tc(p("B")) + tc(p("C")) + "</w:tr>"
     "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>" + tc(p("D")) + "</w:tr></w:tbl>",
     (Table((Row((Cell(one("SASARAN"), merge="restart"), Cell(one("A"), span=2))),
             Row((Cell(one(""), merge="continue"), Cell(one("B")), Cell(one("C")))),
             Row((Cell(one("D")),), before=1)), rules=(False, False)),)),
    # paragraphs, tables, rows and cells wrapped in content controls
    ("<w:sdt><w:sdtContent>" + p("dalam") + "</w:sdtContent></w:sdt><w:tbl><w:sdt>"
     "<w:sdtContent><w:tr><w:customXml>" + tc(p("sel")) + "</w:customXml></w:tr>"
     "</w:sdtContent></w:sdt></w:tbl>",
     (P("dalam"), Table((Row((Cell(one("sel")),)),)))),
    # a table inside a cell
    ("<w:tbl><w:tr>" + tc(p("luar"), "<w:tbl><w:tr>" + tc(p("dalam")) + "</w:tr></w:tbl>",
                          p("")) + "</w:tr></w:tbl>",
     (Table((Row((Cell((P("luar"), Table((Row((Cell(one("dalam")),)),)), P(""))),)),)),)),
    # numbering of its own; numId 0 takes it away, one without a number gives none
    (p("a. satu", NUMBERED.format(1)) + p("dua", NUMBERED.format(0))
     + p("tiga", "<w:pPr><w:numPr><w:numId/></w:numPr></w:pPr>"),
     (P("a. satu", numbered=True), P("dua"), P("tiga"))),
    # a table without properties (Word always writes them; a script may not)
    ("<w:tbl><w:tr>" + tc(p("a")) + "</w:tr><w:tr>" + tc(p("b")) + "</w:tr></w:tbl>",
     (Table((Row((Cell(one("a")),)), Row((Cell(one("b")),))), rules=(False,)),)),
    # a rule above or below (a stacked fraction); "nil" and "none" draw none
    (p("atas", BORDER.format(side="bottom", value="single"))
     + p("bawah", BORDER.format(side="top", value="single"))
     + p("x", BORDER.format(side="bottom", value="nil"))
     + p("y", BORDER.format(side="top", value="none")),
     (P("atas", rule_below=True), P("bawah", rule_above=True), P("x"), P("y"))),
    # a text box's paragraphs once, though Word writes them twice (its runs, read for
    # their underline, are all there: the run holding the box, then each copy's)
    (f"<w:p>{BOX}</w:p>", (Paragraph("", boxed=("Kepala,", "NAMA"), runs=(
        Run("Kepala,NAMAKepala,NAMA"), *[Run("Kepala,"), Run("NAMA")] * 2)),)),
])
def test_a_body_reads_into_plain_blocks(tmp_path: Path, body: str,
                                        blocks: tuple[wordfile.Block, ...]) -> None:
    read = wordfile.read(with_body(tmp_path / "made.docx", body))
    assert read.body == blocks
    assert read.subject == "Bagian Uji"


def with_body(path: Path, body: str, styled: docx.document.Document | None = None) -> Path:
    """A Word file (``styled``, or python-docx's blank one) whose body is ``body``."""
    made = styled or docx.Document()
    element = made.element.body
    for child in list(element):
        if child.tag != qn("w:sectPr"):
            element.remove(child)
    for child in parse_xml(f"<w:body {NS}>{body}</w:body>"):
        element.find(qn("w:sectPr")).addprevious(child)
    made.core_properties.subject = "Bagian Uji"
    made.save(str(path))
    return path


U = "<w:r><w:rPr><w:u w:val='{}'/></w:rPr><w:t>{}</w:t></w:r>"


@pytest.mark.parametrize(("inner", "runs"), [
    (U.format("single", " realisasi ") + r("x 100%"), (Run("realisasi", True), Run("x 100%"))),
    (U.format("none", "a") + U.format("0", "b") + U.format("false", "c")
     + "<w:r><w:rPr><w:u/></w:rPr><w:t>d</w:t></w:r>",
     (Run("a"), Run("b"), Run("c"), Run("d", True))),
    # deleted and moved-away runs are no text; inserted ones are
    ("<w:del>" + U.format("single", "lama").replace("w:t>", "w:delText>") + "</w:del>"
     "<w:moveFrom>" + r("pindah") + "</w:moveFrom><w:ins>" + r("baru") + "</w:ins>",
     (Run("baru"),)),
    ("<w:r><w:tab/></w:r>", (Run(""),)),
])
def test_a_paragraphs_runs_and_their_underline(tmp_path: Path, inner: str,
                                              runs: tuple[Run, ...]) -> None:
    [paragraph] = wordfile.read(with_body(tmp_path / "runs.docx", f"<w:p>{inner}</w:p>")).body
    assert isinstance(paragraph, Paragraph) and paragraph.runs == runs


def test_a_style_that_underlines_underlines_runs_without_a_mark(tmp_path: Path) -> None:
    styled = docx.Document()
    styled.styles.add_style("Pembilang", WD_STYLE_TYPE.PARAGRAPH).font.underline = True
    body = ("<w:p><w:pPr><w:pStyle w:val='Pembilang'/></w:pPr>" + r("realisasi")
            + U.format("none", "x") + "</w:p>" + p("target"))
    read = wordfile.read(with_body(tmp_path / "styled.docx", body, styled)).body
    assert [b.runs for b in read if isinstance(b, Paragraph)] == [
        (Run("realisasi", True), Run("x")), (Run("target"),)]


EDGE = "<w:tcBorders><w:{side} w:val='{value}' w:sz='4'/></w:tcBorders>"


@pytest.mark.parametrize(("rows", "style", "rules"), [
    ([tc(p("a"), properties=EDGE.format(side="bottom", value="single")), tc(p("b"))], "",
     (True,)),
    ([tc(p("a")), tc(p("b"), properties=EDGE.format(side="top", value="single"))], "", (True,)),
    # a cell's own "nil" border takes away the table's inside border
    ([tc(p("a"), properties=EDGE.format(side="bottom", value="nil")), tc(p("b"))],
     "<w:tblBorders><w:insideH w:val='single'/></w:tblBorders>", (False,)),
    ([tc(p("a")), tc(p("b"))], "<w:tblBorders><w:insideH w:val='single'/></w:tblBorders>",
     (True,)),
    ([tc(p("a")), tc(p("b"))], "<w:tblBorders><w:insideH w:val='none'/></w:tblBorders>",
     (False,)),
    ([tc(p("a")), tc(p("b"))], "<w:tblStyle w:val='TableGrid'/>", (True,)),  # its style's
    ([tc(p("a")), tc(p("b")), tc(p("c"))], "", (False, False)),
    ([tc(p("a"))], "", ()),
])
def test_the_rules_between_a_tables_rows(tmp_path: Path, rows: list[str], style: str,
                                         rules: tuple[bool, ...]) -> None:
    body = f"<w:tbl><w:tblPr>{style}</w:tblPr>" + "".join(
        f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"
    [table] = wordfile.read(with_body(tmp_path / "rules.docx", body)).body
    assert isinstance(table, Table) and table.rules == rules


@pytest.mark.parametrize(("style", "own", "numbered"), [
    ("List Number", "", True),  # the style numbers
    ("List Number", NUMBERED.format(0), False),  # its own numId 0 takes the style's away
    ("Normal", "", False),
])
def test_a_paragraph_numbered_by_its_style(tmp_path: Path, style: str, own: str,
                                           numbered: bool) -> None:
    made = docx.Document()
    paragraph = made.add_paragraph("Menyusun laporan", style=style)
    if own:
        properties = paragraph._p.get_or_add_pPr()
        properties.append(parse_xml(own.replace("<w:pPr>", f"<w:pPr {NS}>"))[0])
    made.save(str(tmp_path / "styled.docx"))
    assert wordfile.read(tmp_path / "styled.docx").body[-1] == P(
        "Menyusun laporan", numbered=numbered)


def test_the_page_headers_paragraphs_are_read(tmp_path: Path) -> None:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "INDIKATOR KINERJA INDIVIDU"
    made.save(str(tmp_path / "header.docx"))
    assert wordfile.read(tmp_path / "header.docx").headers == (
        P("INDIKATOR KINERJA INDIVIDU"),)


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_no_word_document_is_unreadable(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.docx").write_bytes(content)
    with pytest.raises(wordfile.UNREADABLE):
        wordfile.read(tmp_path / "bad.docx")

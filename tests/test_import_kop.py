"""The letterhead (kop surat) comes in with the IKI: from an old Word document's lines
above its title (beside the logo in a borderless table, as paragraphs under a rule, or in
the page header) and from the rows ``kop ...`` of a workbook's sheet ``dokumen``; the logo
is written beside the data file, and a document made from the import prints the kop."""
from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from conftest import SAMPLE, png
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from importing import imported, problems_of
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image
from starlette.testclient import TestClient
from test_import_docx import hand_made
from test_import_tabular import workbook
from test_web import client, generate_from, page, text, upload, uploads_root  # noqa: F401  (fixtures)

from ikidoc import generate, letterhead
from ikidoc.importers import import_file
from ikidoc.starter import workbook_bytes

LOGO = png(60, 70, (0x10, 0x70, 0x30))
LINES = ["PEMERINTAH KABUPATEN KUBU RAYA", "DINAS KESEHATAN",
         "Jl. Ahmad Yani No. 1 Sungai Raya, Telp. (0561) 123456",
         "Laman: dinkes.kuburayakab.go.id / Email: dinkes@kuburayakab.go.id"]
KOP = {"baris": ["PEMERINTAH KABUPATEN KUBU RAYA", "DINAS KESEHATAN"],
       "alamat": "Jl. Ahmad Yani No. 1 Sungai Raya", "telepon": "(0561) 123456",
       "laman": "Laman: dinkes.kuburayakab.go.id / Email: dinkes@kuburayakab.go.id"}
RULE = (f'<w:pBdr {nsdecls("w")}><w:bottom w:val="thick" w:sz="18" w:space="1" '
        'w:color="000000"/></w:pBdr>')


def old_iki(path: Path, layout: str, logo: bytes = LOGO, lines: list[str] = LINES) -> Path:
    """An IKI typed by hand (test_import_docx.hand_made) under the letterhead an office
    types: the logo beside its lines in a borderless table, the logo and the lines as
    paragraphs, or both in the page header; a thick rule under it."""
    body = docx.Document(str(hand_made(path)))
    title = body.paragraphs[1]._p  # the first paragraph (PEMERINTAH ...) is replaced
    body.paragraphs[0]._p.getparent().remove(body.paragraphs[0]._p)
    if layout == "table":
        table = body.add_table(rows=1, cols=2)
        table.cell(0, 0).paragraphs[0].add_run().add_picture(BytesIO(logo), width=Cm(2))
        table.cell(0, 1).paragraphs[0].text = lines[0]
        for line in lines[1:]:
            table.cell(0, 1).add_paragraph(line)
        title.addprevious(table._tbl)
        rule = body.add_paragraph()
        rule._p.get_or_add_pPr().append(parse_xml(RULE))
        title.addprevious(rule._p)
    elif layout == "paragraphs":
        pictured = body.add_paragraph()
        pictured.add_run().add_picture(BytesIO(logo), width=Cm(2))
        title.addprevious(pictured._p)
        for line in lines:
            paragraph = body.add_paragraph(line)
            title.addprevious(paragraph._p)
        paragraph._p.get_or_add_pPr().append(parse_xml(RULE))
    else:
        header = body.sections[0].header
        header.paragraphs[0].add_run().add_picture(BytesIO(logo), width=Cm(2))
        for line in lines:
            header.add_paragraph(line)
    body.save(str(path))
    return path


@pytest.mark.parametrize("layout", ["table", "paragraphs", "header"])
def test_an_old_word_iki_brings_its_letterhead_and_logo_into_kop(
        tmp_path: Path, layout: str) -> None:
    unit = imported(old_iki(tmp_path / "lama.docx", layout), unit_kerja="Dinas Kesehatan")
    assert unit.kop is not None
    assert unit.kop.model_dump(exclude_none=True) == {**KOP, "logo": "lama-logo.png"}
    assert (tmp_path / "imported" / "lama-logo.png").read_bytes() == LOGO
    assert unit.instansi == "PEMERINTAH KABUPATEN KUBU RAYA"


@pytest.mark.parametrize(("lines", "kop"), [
    (["PEMERINTAH KOTA PONTIANAK", "SEKRETARIAT DPRD",
      "Jalan Rahadi Usman No. 3 Telp. (0561) 732201 Fax. (0561) 732202 Website: dprd.go.id",
      "PONTIANAK 78111"],
     {"baris": ["PEMERINTAH KOTA PONTIANAK", "SEKRETARIAT DPRD"],
      "alamat": "Jalan Rahadi Usman No. 3 PONTIANAK 78111",
      "telepon": "(0561) 732201 Fax. (0561) 732202", "laman": "Website: dprd.go.id"}),
    (["PEMERINTAH KABUPATEN CONTOH", "RUMAH SAKIT UMUM DAERAH", "Jl. Merdeka No. 1",
      "Telepon (0123) 456789", "rsud.contoh.go.id"],
     {"baris": ["PEMERINTAH KABUPATEN CONTOH", "RUMAH SAKIT UMUM DAERAH"],
      "alamat": "Jl. Merdeka No. 1", "telepon": "(0123) 456789",
      "laman": "rsud.contoh.go.id"}),
], ids=["telephone-fax-and-site-on-the-address-line", "each-on-its-own-line"])
def test_each_part_of_a_letterhead_line_goes_where_its_label_says(
        tmp_path: Path, lines: list[str], kop: dict[str, object]) -> None:
    unit = imported(old_iki(tmp_path / "lama.docx", "paragraphs", lines=lines),
                    unit_kerja="Sekretariat")
    assert unit.kop is not None
    assert unit.kop.model_dump(exclude_none=True) == {**kop, "logo": "lama-logo.png"}


def test_a_document_made_from_the_import_prints_the_letterhead_and_its_logo(
        tmp_path: Path) -> None:
    imported(old_iki(tmp_path / "lama.docx", "table"), unit_kerja="Dinas Kesehatan")
    [outcome] = generate([tmp_path / "imported" / "lama.yaml"], "iki", tmp_path / "output")
    made = outcome.folder / outcome.documents[0].file
    kop = docx.Document(str(made)).tables[0]
    assert [p.text for p in kop.cell(0, 1).paragraphs] == [
        *KOP["baris"], KOP["alamat"], f"Telepon {KOP['telepon']}", KOP["laman"]]
    assert letterhead.picture_in(made, hashlib.sha256(LOGO).hexdigest()) == LOGO


def test_a_logo_that_is_no_png_or_jpeg_is_left_out_and_said_in_the_data_file(
        tmp_path: Path) -> None:
    gif = BytesIO()
    Image.new("RGB", (20, 20), "red").save(gif, "GIF")
    source = old_iki(tmp_path / "lama.docx", "table", logo=gif.getvalue())
    unit = imported(source, unit_kerja="Dinas Kesehatan")
    assert unit.kop is not None and unit.kop.logo is None and unit.kop.baris == KOP["baris"]
    written = tmp_path / "imported" / "lama.yaml"
    assert "logo was left out: it is no PNG or JPEG" in written.read_text(encoding="utf-8")
    assert sorted(p.name for p in written.parent.iterdir()) == ["lama.yaml"]


def test_an_iki_without_a_letterhead_at_the_top_has_no_kop(tmp_path: Path) -> None:
    """A "PEMERINTAH ..." line further down (a Keputusan's heading) is no letterhead."""
    document = docx.Document(str(hand_made(tmp_path / "tanpa.docx")))
    document.paragraphs[0].insert_paragraph_before("KEPUTUSAN KEPALA DINAS")
    document.save(str(tmp_path / "tanpa.docx"))
    assert imported(tmp_path / "tanpa.docx", unit_kerja="Dinas Kesehatan").kop is None


def test_the_import_refuses_to_replace_another_logo_and_writes_nothing(tmp_path: Path) -> None:
    source = old_iki(tmp_path / "lama.docx", "table")
    (tmp_path / "unit-logo.png").write_bytes(b"a logo of someone else")
    with pytest.raises(Exception, match="already exists"):
        import_file(source, tmp_path / "unit.yaml", fields={"unit_kerja": "Dinas"})
    assert not (tmp_path / "unit.yaml").exists()
    assert (tmp_path / "unit-logo.png").read_bytes() == b"a logo of someone else"


KOP_ROWS = [["kop baris 1", KOP["baris"][0]], ["Kop Baris 2", KOP["baris"][1]],
            ["kop alamat", KOP["alamat"]], ["kop telepon", KOP["telepon"]],
            ["kop laman", KOP["laman"]]]


def test_a_workbook_gives_the_kop_in_its_dokumen_rows_and_the_logo_by_file_name(
        tmp_path: Path) -> None:
    (tmp_path / "lambang.png").write_bytes(LOGO)
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Dinas Kesehatan"], *KOP_ROWS, ["kop logo", "lambang.png"]])
    unit = imported(source)
    assert unit.kop is not None
    assert unit.kop.model_dump(exclude_none=True) == {**KOP, "logo": "iki-logo.png"}
    assert (tmp_path / "imported" / "iki-logo.png").read_bytes() == LOGO


def test_a_logo_pasted_in_the_dokumen_sheet_is_the_kop_logo(tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["kop baris 1", KOP["baris"][0]], ["unit_kerja", "Dinas Kesehatan"]])
    book = openpyxl.load_workbook(source)
    book["dokumen"].add_image(SheetImage(BytesIO(LOGO)), "D2")
    book.save(source)
    unit = imported(source)
    assert unit.kop is not None and unit.kop.baris == [KOP["baris"][0]]
    assert (tmp_path / "imported" / f"{unit.kop.logo}").read_bytes() == LOGO


def test_a_picture_in_a_dokumen_sheet_without_kop_rows_is_left_out_and_the_import_goes_on(
        tmp_path: Path) -> None:
    """An office's own picture (a stamp, a chart) pasted in the sheet of a workbook that
    has no letterhead: the workbook imports as before, without a kop, and says so."""
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Dinas Kesehatan"]])
    book = openpyxl.load_workbook(source)
    book["dokumen"].add_image(SheetImage(BytesIO(LOGO)), "D2")
    book.save(source)
    unit = imported(source)
    assert unit.kop is None and unit.unit_kerja == "Dinas Kesehatan"
    written = (tmp_path / "imported" / "iki.yaml").read_text(encoding="utf-8")
    assert "a picture was left out: it is no logo without the kop baris rows" in written
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == ["iki.yaml"]


def test_a_workbook_kop_without_lines_or_with_a_missing_logo_is_named_in_its_row(
        tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Dinas Kesehatan"], ["kop alamat", "Jl. Ahmad Yani"],
        ["kop logo", "tidak-ada.png"]])
    found = problems_of(source)
    assert any("sheet 'dokumen', row 3, column B" in line and "tidak-ada.png does not exist"
               in line for line in found), found
    assert any("sheet 'dokumen', row 2, column B" in line and "baris" in line
               for line in found), found


def test_the_starter_workbook_offers_the_kop_rows_explained_and_still_imports(
        tmp_path: Path) -> None:
    path = tmp_path / "iki.xlsx"
    path.write_bytes(workbook_bytes())
    rows = {row[0].value: row for row in openpyxl.load_workbook(path)["dokumen"].iter_rows()}
    assert [label for label in rows if str(label).startswith("kop")] == [
        "kop baris 1", "kop baris 2", "kop baris 3", "kop baris 4", "kop alamat",
        "kop telepon", "kop laman", "kop logo"]
    assert "kop surat" in rows["kop baris 1"][2].value
    assert imported(path).kop is None  # offered empty: the example has no letterhead
    filled = openpyxl.load_workbook(path)
    filled["dokumen"]["B" + str(rows["kop baris 1"][0].row)] = "PEMERINTAH KABUPATEN CONTOH"
    filled.save(tmp_path / "iki-kop.xlsx")
    kop = imported(tmp_path / "iki-kop.xlsx").kop
    assert kop is not None and kop.baris == ["PEMERINTAH KABUPATEN CONTOH"]


def test_the_page_workbook_of_an_upload_keeps_its_kop(tmp_path: Path) -> None:
    """The workbook the page offers for an upload (its data with the fields typed there)
    holds the letterhead's rows, so that it imports back with them."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["kop"] = dict(KOP)
    path = tmp_path / "unggahan.xlsx"
    path.write_bytes(workbook_bytes(data))
    unit = imported(path)
    assert unit.kop is not None and unit.kop.model_dump(exclude_none=True) == KOP


def test_a_workbook_letterhead_of_more_lines_than_the_bound_is_refused_naming_the_row(
        tmp_path: Path) -> None:
    source = workbook(tmp_path, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Dinas"], *([f"kop baris {n}", "BARIS"] for n in range(1, 8))])
    assert problems_of(source) == [f"{source}, sheet 'dokumen', row 8, column B: 'kop baris 7': "
                                   "a letterhead has lines 1 to 6"]


def old_iki_of_a_unit(path: Path) -> Path:
    """old_iki in the table layout, naming its unit (Dinas Kesehatan) in the document's
    properties, so that the page asks for nothing before making it."""
    document = docx.Document(str(old_iki(path, "table")))
    document.core_properties.subject = "Dinas Kesehatan"
    document.save(str(path))
    return path


def test_an_old_word_iki_uploaded_on_the_page_prints_its_letterhead(
        client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    """The officer's walk: an old Word IKI with its kop uploaded, the kop box offered
    (the data has one), and the documents made print the kop and its logo."""
    checked = upload(client, old_iki_of_a_unit(tmp_path / "lama.docx"))
    [box] = page(checked).xpath("//fieldset[@data-template='iki']//input[@value='iki:kop']")
    assert box.get("checked") is not None and box.get("type") == "checkbox"
    assert "tidak memuat kop surat" not in text(box.getparent())
    assert generate_from(client, checked).status_code == 200
    [made] = Path("output").glob("*/r1/01-*.docx")
    kop = docx.Document(str(made)).tables[0]
    assert [p.text for p in kop.cell(0, 1).paragraphs][:2] == KOP["baris"]
    assert letterhead.picture_in(made, hashlib.sha256(LOGO).hexdigest()) == LOGO


def test_the_workbook_downloaded_from_the_page_carries_the_logo_and_imports_back_alone(
        client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    """The workbook the page offers for an upload of an old Word IKI with its logo holds
    the logo pasted in its dokumen sheet (no file beside it to name), so that the officer
    uploads it again alone, corrected in Excel, and the documents keep the logo."""
    checked = upload(client, old_iki_of_a_unit(tmp_path / "lama.docx"))
    [link] = page(checked).xpath("//p[@class='catatan']/a[contains(@href, '/data.xlsx')]/@href")
    downloaded = client.get(link)
    assert downloaded.status_code == 200
    alone = tmp_path / "koreksi" / "data.xlsx"
    alone.parent.mkdir()
    alone.write_bytes(downloaded.content)
    rows = {row[0]: row[1] for row in openpyxl.load_workbook(alone)["dokumen"].iter_rows(
        values_only=True)}
    assert rows["kop logo"] in ("", None)
    unit = imported(alone)
    assert unit.kop is not None and unit.kop.logo is not None
    logo = alone.parent / "imported" / unit.kop.logo
    with Image.open(logo) as read, Image.open(BytesIO(LOGO)) as original:
        assert read.size == original.size and read.tobytes() == original.tobytes()

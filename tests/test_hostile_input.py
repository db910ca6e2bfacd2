"""Hostile and broken input found by a sweep of the command line: each is refused (or
read) at once with a message naming the file, the place and the field, exit status 1,
no traceback, and nothing written."""
from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import MINIMAL, edit_template, png, tree_snapshot, write_data
from test_import_tabular import workbook as workbook_file

from ikidoc.cli import cli
from ikidoc.importers import workbook

WITH_LOGO = MINIMAL + """
    kop:
      baris: [PEMERINTAH KABUPATEN CONTOH]
      logo: {logo}
"""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def _refused(result: Result) -> str:
    """The message of a command that refused its input cleanly."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    return result.stderr


def _generate_refused(tmp_path: Path, data: Path, *extra: str) -> str:
    """generate refuses ``data`` and leaves the output folder as it was."""
    output = tmp_path / "output"
    (output / "other-unit" / "r1").mkdir(parents=True)
    (output / "other-unit" / "r1" / "manifest.json").write_text("{}")
    before = tree_snapshot(output)
    said = _refused(_invoke("generate", str(data), "-o", str(output), *extra))
    assert tree_snapshot(output) == before
    return said


@pytest.mark.parametrize("picture", [
    PNG_SIGNATURE + b"garbage" * 10,  # the signature, then no header
    PNG_SIGNATURE + b"\x00\x00\x00\rIHDR\x00\x00\xff\xff",  # a header cut short
], ids=["no-header", "header-cut-short"])
def test_a_logo_that_only_begins_like_a_png_is_refused_naming_the_field(
        tmp_path: Path, picture: bytes) -> None:
    (tmp_path / "logo.png").write_bytes(picture)
    data = write_data(tmp_path, WITH_LOGO.format(logo="logo.png"))
    said = _generate_refused(tmp_path, data)
    assert f"{data}:22:9: kop.logo: {tmp_path / 'logo.png'} is not a PNG or JPEG image" in said


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_logo_that_is_a_folder_or_a_pipe_is_named_as_no_file_and_never_waited_on(
        tmp_path: Path, kind: str) -> None:
    logo = tmp_path / "logo.png"
    logo.mkdir() if kind == "folder" else os.mkfifo(logo)
    data = write_data(tmp_path, WITH_LOGO.format(logo="logo.png"))
    said = _refused(_invoke("validate", str(data)))
    assert f"kop.logo: {logo} is not a file (a folder, a device or a pipe)" in said


@pytest.mark.parametrize("name", ["../secret.png", "{outside}", "link.png"],
                         ids=["parent", "absolute", "link-out"])
def test_a_logo_named_outside_the_data_files_folder_is_refused_never_read(
        tmp_path: Path, name: str) -> None:
    """A data file uploaded to the page must not print (nor hand back) a picture from
    elsewhere on the disk: another unit's logo, say."""
    folder = tmp_path / "unit"
    folder.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(10, 10))
    (folder / "link.png").symlink_to(secret)
    name = name.format(outside=secret)
    data = write_data(folder, WITH_LOGO.format(logo=name))
    said = _generate_refused(tmp_path, data)
    assert (f"kop.logo: {name} is not in the data file's folder; a logo is read from that "
            "folder only (copy the logo beside the data file and write its file name only)"
            ) in said


def test_a_workbook_naming_a_logo_outside_its_folder_is_refused_never_copied(
        tmp_path: Path) -> None:
    folder = tmp_path / "unggahan"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(png(10, 10))
    source = workbook_file(folder, [["Analis", "", "", "S", "I", "F", "L"]], dokumen=[
        ["unit_kerja", "Dinas"], ["kop baris 1", "PEMERINTAH KABUPATEN CONTOH"],
        ["kop logo", "../secret.png"]])
    said = _refused(_invoke("import", str(source), "-o", str(folder / "unit.yaml")))
    assert f"{source}, sheet 'dokumen', row 3, column B: ../secret.png is not in the data " \
        "file's folder" in said
    assert not (folder / "unit.yaml").exists()
    assert sorted(p.name for p in folder.iterdir()) == [source.name]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="only some file systems keep names that are not UTF-8")
def test_a_data_file_whose_name_is_not_utf8_is_refused_before_anything_is_written(
        tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_data(folder, MINIMAL, name=os.fsdecode(b"unit-\xff.yaml"))
    said = _generate_refused(tmp_path, folder)
    assert "the file's name is not UTF-8 text, so the archive cannot record it (rename the " \
           "file)" in said
    indonesian = CliRunner().invoke(cli, ["--lang", "id", "validate", str(folder)]).stderr
    assert "nama berkasnya bukan teks UTF-8" in indonesian


@pytest.mark.parametrize("tags", [
    "{% if 1 %}" * 120 + "x" + "{% endif %}" * 120,  # past Python's 100 levels of indentation
    "{% for a in [1] %}" * 25 + "x" + "{% endfor %}" * 25,  # past its 20 nested loops
], ids=["ifs", "loops"])
def test_a_template_nesting_tags_past_pythons_limits_is_refused_naming_the_part(
        tmp_path: Path, iki_copy: Path, tags: str) -> None:
    edit_template(iki_copy, "INDIKATOR KINERJA INDIVIDU", tags)
    said = _refused(_invoke("templates", "check", str(iki_copy)))
    assert "word/document.xml: tags nested too deep to read" in said
    data = write_data(tmp_path, MINIMAL)
    assert "tags nested too deep to read" in _generate_refused(tmp_path, data, "-t",
                                                               str(iki_copy))


def _iki_document(path: Path) -> Path:
    """A one-position IKI Word file."""
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    document.add_paragraph("Jabatan : Bendahara")
    table = document.add_table(rows=2, cols=4)
    for row, texts in zip(table.rows, [
            ["SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA"],
            ["Tertib", "Jumlah SPJ", "Jumlah SPJ disusun", "Laporan"]], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def test_a_word_file_with_a_broken_content_types_part_is_refused_naming_the_file(
        tmp_path: Path) -> None:
    good = _iki_document(tmp_path / "good.docx")
    broken = tmp_path / "lama.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            target.writestr(info, b"<Types/>" if info.filename == "[Content_Types].xml"
                            else source.read(info))
    said = _refused(_invoke("import", str(broken), "-o", str(tmp_path / "unit.yaml")))
    assert f"{broken}: cannot be read as a Word .docx document" in said
    assert not (tmp_path / "unit.yaml").exists()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADER = ["Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formulasi", "Sumber Data"]


def _shared_strings_workbook(path: Path, strings: list[str], rows: list[list[str]]) -> Path:
    """An .xlsx as Excel writes it: every cell a number into the shared strings part."""
    cells = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{"ABCDEFG"[c]}{r}" t="s"><v>{value}</v></c>'
                                   for c, value in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1))
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{_RELATIONSHIPS[:-14]}relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{kinds}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{kinds}.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
                        f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
                        '</Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
                            '<sheet name="IKI" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{cells}</sheetData>'
                                    '</worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">'
                                + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return path


def _import_refused(tmp_path: Path, source: Path) -> str:
    before = tree_snapshot(tmp_path)
    said = _refused(_invoke("import", str(source), "-o", str(tmp_path / "unit.yaml"),
                            "--unit-kerja", "Bagian Uji"))
    assert tree_snapshot(tmp_path) == before
    return said


def test_a_workbook_whose_cells_are_shared_strings_imports(tmp_path: Path) -> None:
    strings = [*_HEADER, "Analis", "Tertib", "Jumlah laporan", "Laporan"]
    source = _shared_strings_workbook(tmp_path / "iki.xlsx", strings, [
        [str(n) for n in range(7)], ["7", "7", "7", "8", "9", "9", "10"]])
    result = _invoke("import", str(source), "-o", str(tmp_path / "unit.yaml"),
                     "--unit-kerja", "Bagian Uji")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "unit.yaml").read_text(encoding="utf-8")
    assert "nama: Analis" in written and "sumber_data: Laporan" in written


@pytest.mark.parametrize("number", ["99999", "-1", "abc"])
def test_a_cell_naming_a_shared_string_the_workbook_lacks_is_refused_naming_the_cell(
        tmp_path: Path, number: str) -> None:
    source = _shared_strings_workbook(tmp_path / "iki.xlsx", _HEADER, [
        [str(n) for n in range(7)], ["0", "1", "2", "3", "4", "5", number]])
    said = _import_refused(tmp_path, source)
    assert (f"{source}, sheet 'IKI', row 2, column G: refers to shared text number "
            f"'{number}', which the workbook does not hold") in said


def test_one_long_shared_string_in_every_cell_is_refused_before_the_sheet_is_read(
        tmp_path: Path) -> None:
    long_text = "B" * 30_000
    rows = [[str(n) for n in range(7)]] + [["7"] * 7] * 300
    source = _shared_strings_workbook(tmp_path / "iki.xlsx", [*_HEADER, long_text], rows)
    said = _import_refused(tmp_path, source)
    # 238 rows of 7 cells of 30,000 characters stay within the bound; the next cell does not
    assert (f"{source}, sheet 'IKI', row 240, column A: its cells up to here take more than "
            f"{workbook.MAX_SHARED_TEXT:,} characters of text; workbooks of more text are "
            "refused") in said


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_import_of_a_folder_or_a_pipe_says_what_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "iki.xlsx"
    folder.mkdir()
    os.mkfifo(tmp_path / "iki.csv")
    assert f"{folder}: is a folder; import one .xlsx, .csv or .docx file at a time" in \
        _import_refused(tmp_path, folder)
    assert f"{tmp_path / 'iki.csv'}: is not a regular file (a pipe or a device)" in \
        _import_refused(tmp_path, tmp_path / "iki.csv")


def test_a_nip_of_thousands_of_digits_is_quoted_cut_after_40_characters(tmp_path: Path) -> None:
    data = write_data(tmp_path, MINIMAL.replace('"198005122005011002"', "9" * 5000))
    said = _refused(_invoke("validate", str(data)))
    assert f"penandatangan.nip: a NIP has 18 digits (spaces allowed), got '{'9' * 40}...'; " \
           "example" in said
    assert len(said) < 300


@pytest.mark.parametrize(("text", "shown"), [("~\n", "nothing"),
                                             ("hello\n", "the value 'hello'")])
def test_a_data_file_holding_one_value_names_that_value_not_a_python_type(
        tmp_path: Path, text: str, shown: str) -> None:
    data = tmp_path / "unit.yaml"
    data.write_text(text, encoding="utf-8")
    said = _refused(_invoke("validate", str(data)))
    assert f"{data}:1: top level must be a mapping with unit_kerja and jabatan, not a single " \
           f"value ({shown})" in said


def test_diff_of_a_revision_whose_document_was_emptied_by_hand_names_that_document(
        tmp_path: Path) -> None:
    output = tmp_path / "output"
    data = write_data(tmp_path, MINIMAL)
    assert _invoke("generate", str(data), "-o", str(output), "-q").exit_code == 0
    write_data(tmp_path, MINIMAL.replace("Menyusun laporan", "Menyusun laporan bulanan"))
    assert _invoke("generate", str(data), "-o", str(output), "-q").exit_code == 0
    unit = next(output.iterdir())
    emptied = next((unit / "r1").glob("01-*.docx"))
    emptied.write_bytes(b"")
    said = _refused(_invoke("archive", "diff", str(unit / "r1"), str(unit / "r2"),
                            "-o", str(tmp_path / "pictures")))
    assert f"{emptied}: is not a Word document any more (see ikidoc archive verify)" in said
    assert not (tmp_path / "pictures").exists()

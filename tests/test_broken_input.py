"""The corpus of broken input: every file gives exit status 1, a message naming the
file, the line and the field, no traceback, and an output folder left as it was."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TESTS_DATA, edit_template, tree_snapshot

from ikidoc.cli import cli

BAD = TESTS_DATA / "bad"

# file -> what the message must say (after "<file>:"), one entry per problem.
DATA_CORPUS = {
    "typo-key.yaml": ["8:13: jabatan[0].sasaran[0].indikator[0].formulasii (Bendahara): "
                      "unknown key 'formulasii' (did you mean 'formulasi'?)"],
    "duplicate-key.yaml": ["4:5: jabatan[0].nama (Pengemudi): key 'nama' is given twice "
                           "(first at line 3); keep one"],
    "several.yaml": ["2:8: tahun: expected a year such as 2025, got 'dua ribu'",
                     "7:8: jabatan[0].tugas[1] (Analis): is empty",
                     "11:12: jabatan[0].penandatangan.nip (Analis): a NIP has 18 digits",
                     "15:13: jabatan[0].sasaran[0].indikator[0].formulasi (Analis): "
                     "required field is missing"],
    "wrong-types.yaml": ["1:13: unit_kerja: expected text, got a list",
                         "4:12: jabatan[0].tugas (Analis): expected a list, got a mapping",
                         "7:20: jabatan[0].sasaran[0].indikator (Analis): expected a list, "
                         "got the value 'Jumlah laporan'"],
    "bad-nip.yaml": ["5:8: penandatangan.nip: a NIP has 18 digits (spaces allowed), got "
                     "'1980-05-12 2005 01 1 002'"],
    "bad-date.yaml": ["2:10: tanggal: '31 Februari 2025' is not a day of the calendar"],
    "missing-fields.yaml": ["1:1: unit_kerja: required field is missing",
                            "3:5: jabatan[0].nama: required field is missing",
                            "5:9: jabatan[0].sasaran[0].uraian: required field is missing",
                            "6:13: jabatan[0].sasaran[0].indikator[0].formulasi: "
                            "required field is missing",
                            "6:13: jabatan[0].sasaran[0].indikator[0].sumber_data: "
                            "required field is missing"],
    "syntax.yaml": ["5:7: invalid YAML"],
    "control-char.yaml": ["3:11: jabatan[0].nama: contains the character U+0007 "
                          "(control character) at character 4"],
    "typed-control-chars.yaml": [
        "3:14: contains the character U+0001 (control character), which a Word document cannot "
        "hold; remove it", "5:18: contains the character U+0001 (control character)"],
    "typed-line-separator-c1.yaml": ["3:18: contains the character U+0085 (control character)"],
    "typed-c1-and-ffff.json": ["2:25: contains the character U+009F (control character)",
                               "2:55: contains the character U+FFFF (noncharacter)"],
    "nul.yaml": ["1: is not a text file (it holds NUL bytes)"],
    "latin1.yaml": ["3: is not UTF-8 text (byte 0xE7); save it as UTF-8"],
    "trailing-comma.json": ["4:1: invalid JSON: Expecting property name enclosed in double quotes"],
    "top-level-list.json": ["1: top level must be a mapping with unit_kerja and jabatan, "
                            "not a list"],
    "empty.yaml": [" file is empty"],
    "blank.yaml": [" file is empty"],
    "alias-bomb.yaml": [" aliases expand past 100,000 values"],
}


def test_the_corpus_covers_every_bad_file() -> None:
    assert sorted(DATA_CORPUS) == sorted(p.name for p in BAD.iterdir())


@pytest.mark.parametrize("command", ["generate", "validate"])
@pytest.mark.parametrize(("name", "expected"), sorted(DATA_CORPUS.items()))
def test_bad_data_is_refused_with_file_line_and_field(tmp_path: Path, name: str,
                                                      expected: list[str], command: str) -> None:
    output = tmp_path / "output"
    (output / "unit" / "r1").mkdir(parents=True)
    (output / "unit" / "r1" / "manifest.json").write_text("{}")
    before = tree_snapshot(output)
    args = [command, str(BAD / name)] + (["-o", str(output)] if command == "generate" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (f"error: {len(expected)} problem{'s' if len(expected) > 1 else ''} "
                        "in the data:")
    for line, message in zip(lines[1:], expected, strict=True):
        assert line.startswith(f"  {BAD / name}:{message}"), (line, message)
    assert "Traceback" not in result.output
    assert tree_snapshot(output) == before


def corrupt_docx(folder: Path) -> None:
    (folder / "template.docx").write_bytes(b"PK\x03\x04 this is not a zip")


def zip_not_docx(folder: Path) -> None:
    with zipfile.ZipFile(folder / "template.docx", "w") as package:
        package.writestr("hello.txt", "not a Word document")


def broken_xml(folder: Path) -> None:
    with zipfile.ZipFile(folder / "template.docx") as package:
        entries = {i.filename: package.read(i) for i in package.infolist()}
    entries["word/document.xml"] = entries["word/document.xml"][:-40]
    with zipfile.ZipFile(folder / "template.docx", "w") as package:
        for name, blob in entries.items():
            package.writestr(name, blob)


def zip_bomb(folder: Path) -> None:
    with zipfile.ZipFile(folder / "template.docx", "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/padding.bin", b"\0" * (51 * 1024 * 1024))


TEMPLATE_CORPUS = [
    ("unclosed-tag", lambda f: edit_template(f, "{{ jabatan.nama }}", "{{ jabatan.nama"),
     "a tag opened with {{ is not closed with }}"),
    ("unclosed-block", lambda f: edit_template(f, "{%p endfor %}", "{%p endfr %}"),
     "unknown tag 'endfr': here the block 'for' expects one of {% endfor %}, {% else %}"),
    ("unknown-variable", lambda f: edit_template(f, "{{ i.formulasi }}", "{{ i.formula }}"),
     "unknown variable 'i.formula'; did you mean 'i.formulasi'?"),
    ("corrupt-docx", corrupt_docx, "is not a Word .docx file"),
    ("zip-not-docx", zip_not_docx, "is a zip file but not a Word document (no word/document.xml)"),
    ("broken-xml", broken_xml, "holds broken XML"),
    ("zip-bomb", zip_bomb, "templates over 50 MB are refused"),
]


@pytest.mark.parametrize(("name", "damage", "expected"), TEMPLATE_CORPUS,
                         ids=[t[0] for t in TEMPLATE_CORPUS])
def test_broken_templates_are_refused_with_a_message(iki_copy: Path, tmp_path: Path, name: str,
                                                     damage, expected: str) -> None:
    damage(iki_copy)
    runner = CliRunner()
    checked = runner.invoke(cli, ["templates", "check", str(iki_copy)])
    assert checked.exit_code == 1 and expected in checked.stderr, checked.output
    output = tmp_path / "output"
    generated = runner.invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"), "-t", str(iki_copy),
                                    "-o", str(output)])
    assert generated.exit_code == 1 and "Traceback" not in generated.output
    assert generated.stderr.startswith(f"error: template {iki_copy / 'template.docx'}") or \
        name in ("unclosed-tag", "unknown-variable")
    assert not output.exists()

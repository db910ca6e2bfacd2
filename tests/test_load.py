"""Reading data files: every problem named with file, line, column and field path."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, TESTS_DATA, write_data

from ikidoc.errors import DataError
from ikidoc.generate import generate
from ikidoc.load import load_file, load_paths
from ikidoc.model import MAX_TAMBAHAN_DEPTH
from ikidoc.reading import NeedsCarefulReading, compose, marks_at, read_events

BAD = TESTS_DATA / "bad"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_paths([path])
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("name", "expected"), [
    ("typo-key.yaml", ["typo-key.yaml:8:13: jabatan[0].sasaran[0].indikator[0].formulasii "
                       "(Bendahara): unknown key 'formulasii' (did you mean 'formulasi'?)"]),
    ("duplicate-key.yaml", ["duplicate-key.yaml:4:5: jabatan[0].nama (Pengemudi): key 'nama' "
                            "is given twice (first at line 3); keep one"]),
    ("syntax.yaml", ["syntax.yaml:5:7: invalid YAML"]),
    ("top-level-list.json", ["top-level-list.json:1: top level must be a mapping with "
                             "unit_kerja and jabatan, not a list"]),
    ("trailing-comma.json", ["trailing-comma.json:4:1: invalid JSON"]),
    ("empty.yaml", ["empty.yaml: file is empty"]),
    ("latin1.yaml", ["latin1.yaml:3: is not UTF-8 text (byte 0xE7); save it as UTF-8"]),
    ("nul.yaml", ["nul.yaml:1: is not a text file (it holds NUL bytes)"]),
    ("control-char.yaml", ["control-char.yaml:3:11: jabatan[0].nama: contains the character "
                           "U+0007"]),
    ("alias-bomb.yaml", ["alias-bomb.yaml: aliases expand past 100,000 values"]),
])
def test_names_file_line_and_field_of_each_problem(name: str, expected: list[str]) -> None:
    found = problems_of(BAD / name)
    assert len(found) == len(expected), found
    for message in expected:
        assert any(str(BAD / message.split(":")[0]) + message[len(message.split(":")[0]):] in f
                   or message in f for f in found), (message, found)


def test_reports_every_problem_of_a_file_at_once() -> None:
    found = problems_of(BAD / "several.yaml")
    assert [f.split(": ", 1)[0].rsplit("/", 1)[-1] for f in found] == [
        "several.yaml:2:8", "several.yaml:7:8", "several.yaml:11:12", "several.yaml:15:13"]
    assert "tahun: expected a year such as 2025, got 'dua ribu'" in found[0]
    assert "jabatan[0].tugas[1] (Analis): is empty" in found[1]
    assert "jabatan[0].penandatangan.nip (Analis): a NIP has 18 digits" in found[2]
    assert ("jabatan[0].sasaran[0].indikator[0].formulasi (Analis): required field is missing"
            in found[3])


def test_reports_problems_of_every_file_of_a_folder(tmp_path: Path) -> None:
    for name in ("typo-key.yaml", "duplicate-key.yaml"):
        (tmp_path / name).write_bytes((BAD / name).read_bytes())
    found = problems_of(tmp_path)
    assert {Path(f.split(":")[0]).name for f in found} == {"typo-key.yaml", "duplicate-key.yaml"}


def test_reads_yaml_with_anchors_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (TESTS_DATA / "valid.yaml").read_bytes())
    unit = load_file(path).unit
    first, second, third = unit.jabatan[0].sasaran[0].indikator
    assert first.sumber_data == second.sumber_data == ["Laporan Keuangan", "Buku Kas Umum"]
    assert third.sumber_data == ["Rekening koran"]


def test_keeps_plain_scalars_as_typed(tmp_path: Path) -> None:
    """YAML 1.1's booleans (No, yes, off) are text; so is a number typed in quotes."""
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        jabatan:
          - nama: No
            sasaran:
              - uraian: "1.10"
                indikator:
                  - {uraian: yes, formulasi: '0012', sumber_data: null}
    """)
    found = problems_of(path)
    assert len(found) == 1 and (
        "7:46: jabatan[0].sasaran[0].indikator[0].sumber_data (No): is empty" in found[0])
    path.write_text(path.read_text().replace("null", "off"))
    jab = load_file(path).unit.jabatan[0]
    assert (jab.nama, jab.sasaran[0].uraian) == ("No", "1.10")
    assert (jab.sasaran[0].indikator[0].uraian,
            jab.sasaran[0].indikator[0].formulasi) == ("yes", "0012")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_number_boolean_or_mapping_where_text_belongs_is_named(tmp_path: Path,
                                                                  suffix: str) -> None:
    yaml_text = """
        unit_kerja: Bagian Uji
        jabatan:
          - nama: 2025
            tugas: 5
            fungsi: [Menyusun, true]
            sasaran:
              - uraian: 1.10
                indikator:
                  - {uraian: I, formulasi: F, sumber_data: {a: b}}
    """
    path = write_data(tmp_path, yaml_text)
    if suffix == ".json":
        data = {"unit_kerja": "Bagian Uji", "jabatan": [{
            "nama": 2025, "tugas": 5, "fungsi": ["Menyusun", True], "sasaran": [{
                "uraian": 1.10, "indikator": [{"uraian": "I", "formulasi": "F",
                                               "sumber_data": {"a": "b"}}]}]}]}
        path = path.with_suffix(".json")
        path.write_text(json.dumps(data).replace("1.1,", "1.10,"), encoding="utf-8")
    found = [line.split(": ", 1)[1] for line in problems_of(path)]
    quoted = "; if it is meant as text, put it in quotes:"
    assert found == [
        f'jabatan[0].nama: expected text, got the number 2025{quoted} "2025"',
        f'jabatan[0].tugas: expected text or a list of text, got the number 5{quoted} "5"',
        f'jabatan[0].fungsi[1]: expected text, got the boolean true{quoted} "true"',
        f'jabatan[0].sasaran[0].uraian: expected text, got the number 1.10{quoted} "1.10"',
        "jabatan[0].sasaran[0].indikator[0].sumber_data: expected a list, got a mapping "
        "(key: value)",
    ]


def test_a_bare_nip_and_year_and_free_numbers_stay_welcome(tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        tahun: 2025
        penandatangan: {jabatan: Kepala, nama: NAMA, nip: 197001012000031001}
        tambahan: {nomor: 12, aktif: true}
        jabatan:
          - nama: Analis
            sasaran:
              - uraian: S
                indikator:
                  - {uraian: I, formulasi: F, sumber_data: D, tambahan: {target: 1.50}}
    """)
    unit = load_file(path).unit
    assert (unit.tahun, unit.penandatangan.nip) == (2025, "197001012000031001")
    assert unit.tambahan == {"nomor": "12", "aktif": "true"}
    assert unit.jabatan[0].sasaran[0].indikator[0].tambahan == {"target": "1.50"}


def test_a_delete_character_typed_in_yaml_is_kept_as_in_json(tmp_path: Path) -> None:
    """U+007F is printable by docs/data-format.md; YAML parsers refuse it typed as such."""
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        jabatan:
          - nama: A\x7fB
            sasaran:
              - uraian: S
                indikator:
                  - {uraian: I, formulasi: F, sumber_data: D, tambahan: {target: "1\x7f"}}
    """)
    jab = load_file(path).unit.jabatan[0]
    assert (jab.nama, jab.sasaran[0].indikator[0].tambahan) == ("A\x7fB", {"target": "1\x7f"})
    path.write_text(path.read_text().replace("tambahan: {", "tambahan: {target: 2, "))
    assert problems_of(path) == [f"{path}:7:77: jabatan[0].sasaran[0].indikator[0].tambahan.target"
                                 ": key 'target' is given twice (first at line 7); keep one"]


def test_line_and_paragraph_separators_are_text_not_line_breaks(tmp_path: Path) -> None:
    """YAML 1.1 would break a line at U+2028 and U+2029; docs/data-format.md prints them."""
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji  # catatan\u2028unit_kerja: lain
        jabatan:
          - nama: Satu\u2028Dua
            tugas: ["Tiga\u2029Empat"]
            sasaran:
              - uraian: S
                indikator: [{uraian: I, formulasi: F, sumber_data: D}]
    """)
    unit = load_file(path).unit
    assert (unit.unit_kerja, unit.jabatan[0].nama) == ("Bagian Uji", "Satu\u2028Dua")
    assert unit.jabatan[0].tugas == ["Tiga\u2029Empat"]
    path.write_text(path.read_text().replace("formulasi", "formulasii"))
    assert problems_of(path)[0].startswith(f"{path}:7:33: jabatan[0].sasaran[0].indikator[0]"
                                           ".formulasii: unknown key")


def test_two_merge_keys_in_one_mapping_are_a_key_given_twice(tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        jabatan:
          - &sopir
            nama: Sopir A
            sasaran: [{uraian: S, indikator: [{uraian: I, formulasi: F, sumber_data: D}]}]
          - &tugas
            nama: Sopir B
            tugas: [Mengemudi]
            sasaran: [{uraian: S, indikator: [{uraian: I, formulasi: F, sumber_data: D}]}]
          - <<: *sopir
            <<: *tugas
    """)
    assert problems_of(path) == [f"{path}:11:5: jabatan[2] (Sopir B): key '<<' is given twice "
                                 "(first at line 10); merge several mappings with one: "
                                 "<< : [*a, *b]"]


def test_an_empty_key_is_named_at_its_line(tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        jabatan:
          - nama: Analis
            ~: lupa nama kunci
            sasaran: [{uraian: S, indikator: [{uraian: I, formulasi: F, sumber_data: D}]}]
    """)
    assert problems_of(path) == [f"{path}:4:5: jabatan[0] (Analis): a key is empty (~, null or "
                                 "nothing before the colon); write the key's name"]


def test_separators_written_by_a_yaml_writer_read_back_as_written(tmp_path: Path) -> None:
    """PyYAML (and ikidoc import) write U+2028 as a YAML 1.1 line break, indented."""
    data = {"unit_kerja": "Bagian Uji", "jabatan": [{
        "nama": "Analis\u2028Data", "sasaran": [{"uraian": "Sasaran\u2029satu", "indikator": [
            {"uraian": "I", "formulasi": "F", "sumber_data": ["A\u2028B", "C"]}]}]}]}
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=20), encoding="utf-8")
    assert load_file(path).unit.model_dump(exclude_defaults=True) == data


def test_a_text_holding_the_stand_ins_keeps_them(tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: "Bagian\ufdd0Uji"
        jabatan:
          - nama: "Satu\u2028Dua"
            sasaran: [{uraian: S, indikator: [{uraian: I, formulasi: F, sumber_data: D}]}]
    """)
    unit = load_file(path).unit
    assert (unit.unit_kerja, unit.jabatan[0].nama) == ("Bagian\ufdd0Uji", "Satu\u2028Dua")


def test_reads_json_with_the_same_shape(tmp_path: Path) -> None:
    data = {"unit_kerja": "Bagian Uji", "tahun": 2025, "penandatangan": {
        "jabatan": "Kepala", "nama": "Nama", "nip": 198005122005011002},
        "jabatan": [{"nama": "Analis", "sasaran": [{"uraian": "S", "indikator": [
            {"uraian": "I", "formulasi": "F", "sumber_data": ["A", "B"]}]}]}]}
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(data, indent=2))
    assert load_file(path).unit.penandatangan.nip == "198005122005011002"


def test_json_errors_name_the_line_of_the_field(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_text('{\n  "unit_kerja": "X",\n  "jabatan": [\n    {"namaa": "A"}\n  ]\n}\n')
    found = problems_of(path)
    assert any(":4:6: jabatan[0].namaa: unknown key 'namaa' (did you mean 'nama'?)" in f
               for f in found)


def test_json_duplicate_keys_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_text('{"unit_kerja": "X",\n "unit_kerja": "Y", "jabatan": []}')
    assert any(":2:2: unit_kerja: key 'unit_kerja' is given twice" in f for f in problems_of(path))


def test_json_duplicate_keys_are_errors_when_indented_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_text('{\n\t"unit_kerja": "X",\n\t"unit_kerja": "Y",\n\t"jabatan": []\n}')
    found = problems_of(path)
    assert any(":3:2: unit_kerja: key 'unit_kerja' is given twice" in f for f in found), found


def test_refuses_json_nan(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_text('{"unit_kerja": "X", "tahun": NaN, "jabatan": []}')
    assert any("invalid JSON" in f for f in problems_of(path))


def test_names_a_missing_file_or_empty_folder(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.yaml") == [
        f"{tmp_path / 'nope.yaml'}: no such file or folder"]
    assert problems_of(tmp_path) == [f"{tmp_path}: folder holds no .yaml, .yml or .json data file"]


def test_refuses_files_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ikidoc.load.MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("unit_kerja: X\n" + "# padding\n" * 20)
    assert "data files larger than" in problems_of(path)[0]


def test_refuses_data_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"unit_kerja": "X", "tambahan": {"a": ' + "[" * 5000 + "]" * 5000 + "}}")
    assert any("nested too deeply" in f or "invalid JSON" in f for f in problems_of(path))


@pytest.mark.parametrize("path", [SAMPLE, TESTS_DATA / "valid.yaml"], ids=lambda p: p.name)
def test_quick_reading_gives_the_same_data_as_the_careful_one(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read_events(text) == (compose(text, path.name)[0], 0)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def test_the_lines_of_a_few_places_are_those_of_the_whole_reading() -> None:
    """A large file with a mistake is not composed whole again to name a few places."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
    whole = compose(text, "sample")[1]
    few = marks_at(text, set(whole.values) | set(whole.keys))
    assert (few.values, few.keys) == (whole.values, whole.keys)
    some = {loc for loc in whole.values if len(loc) == 3}
    assert marks_at(text, some).values == {loc: whole.values[loc] for loc in some}


def test_a_place_given_by_an_alias_is_where_the_alias_stands(tmp_path: Path) -> None:
    path = write_data(tmp_path, """
        unit_kerja: Bagian Uji
        jabatan:
          - nama: Analis
            sasaran:
              - uraian: S
                indikator:
                  - {uraian: I, formulasi: F, sumber_data: &arsip [Arsip, null]}
                  - {uraian: J, formulasi: G, sumber_data: *arsip}
    """)
    assert [problem.split(": ")[0] for problem in problems_of(path)] == [
        f"{path}:7:67", f"{path}:8:52"]


@pytest.mark.parametrize("text", [
    "a: !!str {b: c}", "a: <<", "a: [<<]", "a: ! <<", "unit_kerja: !!map Bagian", "t: !!seq x",
    "%TAG !e! tag:yaml.org,2002:\n---\na: !e!str {b: c}", "a: " + "[" * 300 + "]" * 300,
])
def test_quick_reading_leaves_the_unusual_to_the_careful_one(text: str) -> None:
    with pytest.raises(NeedsCarefulReading):
        read_events(text)


@pytest.mark.parametrize("text", ["a: " + "[" * 30000 + "]" * 30000,
                                  "a: " + "{b: " * 30000 + "c" + "}" * 30000])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    assert any("nested too deeply" in f for f in problems_of(path))


def test_aliases_of_one_scalar_count_toward_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("s: &s x\nunit_kerja: U\ntambahan: {l: ["
                    + ", ".join(["*s"] * 100_005) + "]}\n")
    assert any("aliases expand past" in f for f in problems_of(path))


def test_a_link_to_nothing_a_link_loop_or_a_fifo_in_a_folder_is_named(tmp_path: Path) -> None:
    """Skipped without a word, a unit would silently be missing from the run."""
    write_data(tmp_path, (TESTS_DATA / "valid.yaml").read_text(encoding="utf-8"), "a.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "c.yaml").symlink_to(tmp_path / "d.yaml")
    (tmp_path / "d.yaml").symlink_to(tmp_path / "c.yaml")
    os.mkfifo(tmp_path / "e.yaml")
    (tmp_path / "f.yaml").mkdir()  # a folder is not meant as a data file
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'b.yaml'}: is a symbolic link to nothing (its target is missing)",
        f"{tmp_path / 'c.yaml'}: is a symbolic link in a loop",
        f"{tmp_path / 'd.yaml'}: is a symbolic link in a loop",
        f"{tmp_path / 'e.yaml'}: is a named pipe (FIFO), not a data file",
    ]


def test_a_fifo_named_directly_is_named_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "unit.yaml")
    assert problems_of(tmp_path / "unit.yaml") == [
        f"{tmp_path / 'unit.yaml'}: is a named pipe (FIFO), not a data file"]
    with pytest.raises(DataError) as caught:
        load_file(tmp_path / "unit.yaml")
    assert str(caught.value.problems[0]).endswith("is a named pipe (FIFO), not a data file")


def test_tambahan_nested_past_the_bound_is_named_and_validate_agrees_with_generate(
        tmp_path: Path) -> None:
    def unit(levels: int) -> str:
        nested = "{a: " * levels + "x" + "}" * levels  # tambahan's own mapping is the first
        return (f"unit_kerja: U\ntambahan: {nested}\njabatan:\n  - nama: A\n    sasaran:\n"
                "      - uraian: S\n        indikator:\n"
                "          - {uraian: I, formulasi: F, sumber_data: D}\n")

    deepest = write_data(tmp_path, unit(MAX_TAMBAHAN_DEPTH), "deepest.yaml")
    assert list(generate([deepest], "iki", tmp_path / "output"))
    too_deep = write_data(tmp_path, unit(MAX_TAMBAHAN_DEPTH + 1), "too-deep.yaml")
    path = "tambahan: " + ".".join("a" * MAX_TAMBAHAN_DEPTH)
    assert problems_of(too_deep) == [
        f"{too_deep}:2:11: {path}: nests deeper than {MAX_TAMBAHAN_DEPTH} levels of mappings and "
        "lists; free fields for a template need far fewer"]
    with pytest.raises(DataError):
        list(generate([too_deep], "iki", tmp_path / "output"))


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_a_bad_character_is_placed_at_its_line_whatever_the_line_ends(tmp_path: Path,
                                                                        end: str) -> None:
    path = tmp_path / "unit.yaml"
    lines = ["unit_kerja: Bagian Uji", "jabatan:", "  - nama: A\x01B", "    sasaran: []"]
    path.write_bytes(end.join(lines).encode("utf-8"))
    assert problems_of(path) == [f"{path}:3:12: contains the character U+0001 (control character), "
                                 "which a Word document cannot hold; remove it (it often comes "
                                 "from copy-paste)"]


def test_invalid_json_with_old_mac_line_ends_is_placed_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_bytes(b'{\r"unit_kerja": "U",\r"jabatan": [,]\r}')
    assert problems_of(path) == [f"{path}:3:13: invalid JSON: Expecting value"]


def test_a_syntax_error_is_placed_without_the_pure_python_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python composer took 22 s and 473 MB to place one in a 10,000-position
    file; libyaml's first reading already knows where it is."""
    from ikidoc.reading import careful

    def refused(*_: object) -> None:
        raise AssertionError("the pure-Python reader ran")

    monkeypatch.setattr(careful.TextLoader, "__init__", refused)
    path = write_data(tmp_path, (TESTS_DATA / "valid.yaml").read_text(encoding="utf-8")
                      + 'tempat: "never closed\n')
    found = problems_of(path)
    assert len(found) == 1 and "invalid YAML: while scanning a quoted scalar" in found[0]
    assert found[0].startswith(f"{path}:{path.read_text().count(chr(10)) + 1}:1: ")


def test_validate_of_a_folder_with_a_fifo_exits_1_naming_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ikidoc.cli import cli

    write_data(tmp_path, (TESTS_DATA / "valid.yaml").read_text(encoding="utf-8"), "a.yaml")
    os.mkfifo(tmp_path / "b.yaml")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.yaml'}: is a named pipe (FIFO), not a data file" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_saved_as_unicode_in_notepad_is_named_for_its_encoding(tmp_path: Path,
                                                                     encoding: str) -> None:
    path = tmp_path / "unit.yaml"
    path.write_bytes("unit_kerja: Bagian Umum\n".encode(encoding))  # with its byte order mark
    assert problems_of(path) == [f"{path}: is saved as {encoding.upper()} (\"Unicode\" in "
                                 "Notepad); save it again with the encoding UTF-8"]


@pytest.mark.parametrize(("name", "said"), [
    ("iki.xlsx", "is an Excel workbook"), ("iki.csv", "is a CSV file"),
    ("IKI 2024.DOCX", "is a Word document")])
def test_a_source_for_import_given_as_data_names_the_import_command(tmp_path: Path, name: str,
                                                                     said: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 not read")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}: {said}, not a data file (.yaml, .yml, .json)")
    assert f"ikidoc import {name} -o {Path(name).stem}.yaml" in problem


def test_an_old_office_file_given_as_data_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "iki.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an OLE file")
    with pytest.raises(DataError) as caught:
        generate([path], "iki", tmp_path / "output")
    assert "is a Word 97-2003 document" in str(caught.value)
    assert not (tmp_path / "output").exists()

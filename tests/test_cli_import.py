"""``ikidoc import`` and ``ikidoc init`` through click's CliRunner: exit status, messages,
and that nothing is written when something is wrong."""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SAMPLE, tree_snapshot

from ikidoc import generate, load_file
from ikidoc.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def sheet(folder: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    for row in [["Jabatan", "Sasaran", "Indikator", "Formulasi", "Sumber Data"], *rows]:
        book.active.append(row)
    path = folder / "iki.xlsx"
    book.save(path)
    return path


def test_import_writes_a_data_file_that_validate_accepts(runner: CliRunner, tmp_path: Path) -> None:
    source = sheet(tmp_path, [["Analis", "S", "I", "F", "L"]])
    target = tmp_path / "data" / "unit.yaml"
    result = runner.invoke(cli, [
        "import", str(source), "-o", str(target), "--unit-kerja", "Bagian Uji", "--tahun", "2025",
        "--penandatangan-nip", "19800512 200501 1 002", "--penandatangan-jabatan", "Kepala",
        "--penandatangan-nama", "NAMA"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {target}: Bagian Uji, 1 position, 1 indicator (from {source})\n")
    assert runner.invoke(cli, ["validate", str(target)]).output == (
        f"ok: 1 position, 1 indicator ({target})\n")
    assert load_file(target).unit.penandatangan.nip == "198005122005011002"


def test_import_of_a_generated_document(runner: CliRunner, tmp_path: Path) -> None:
    (outcome,) = generate([SAMPLE], "iki", tmp_path / "out")
    combined = outcome.folder / outcome.documents[-1].file
    target = tmp_path / "unit.yaml"
    result = runner.invoke(cli, ["import", str(combined), "-o", str(target), "--tahun", "2025"])
    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote {target}: Bagian Administrasi Perekonomian, 12 positions, "
                             f"18 indicators (from {combined})\n")


def test_import_refuses_to_replace_a_file_unless_forced(runner: CliRunner, tmp_path: Path) -> None:
    source = sheet(tmp_path, [["Analis", "S", "I", "F", "L"]])
    target = tmp_path / "unit.yaml"
    target.write_text("mine\n")
    args = ["import", str(source), "-o", str(target), "--unit-kerja", "U"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == (f"error: cannot write {target}: it already exists; choose another "
                             "file name, or add --force to replace it\n")
    assert target.read_text() == "mine\n"
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert load_file(target).unit.unit_kerja == "U"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["iki.xlsx", "unit.yaml"]


def test_import_with_problems_exits_1_names_the_cell_and_writes_nothing(
        runner: CliRunner, tmp_path: Path) -> None:
    source = sheet(tmp_path, [["Analis", "", "Jumlah laporan", "F", "L"]])
    before = tree_snapshot(tmp_path)
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "unit.yaml"),
                                 "--unit-kerja", "U"])
    assert (result.exit_code, result.stderr) == (1, (
        "error: 1 problem in the data:\n"
        f"  {source}, sheet 'Sheet', row 2, column B (Sasaran): indikator 'Jumlah laporan' has no "
        "sasaran (write the sasaran in this row or in a row above it)\n"))
    assert tree_snapshot(tmp_path) == before


@pytest.mark.parametrize(("args", "message"), [
    (["import", "unit.txt", "-o", "unit.yaml"],
     ("error: 1 problem in the data:\n  unit.txt: is not a file ikidoc can import (it reads .xlsx, "
     ".xlsm, .csv, .docx)\n")),
    (["import", "missing.xlsx", "-o", "unit.yaml"],
     "error: 1 problem in the data:\n  missing.xlsx: no such file\n"),
])
def test_import_of_what_it_cannot_read_exits_1(runner: CliRunner, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, args: list[str],
                                               message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert list(tmp_path.iterdir()) == []


def test_import_into_a_file_that_is_not_yaml_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    source = sheet(tmp_path, [["Analis", "S", "I", "F", "L"]])
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "unit.json"),
                                 "--unit-kerja", "U"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: cannot write {tmp_path / 'unit.json'}: a data file's name "
                             f"ends in .yaml or .yml; for example -o {tmp_path / 'unit.yaml'}\n")


def test_import_without_output_is_wrong_usage(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["import", "iki.xlsx"])
    assert result.exit_code == 2 and "Missing option '-o'" in result.output


def test_init_writes_the_starters_and_says_what_next(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["init"])
    assert (result.exit_code, result.output) == (0, (
        f"wrote {Path('data', 'unit-kerja.yaml')}; fill it in, then run: ikidoc validate "
        f"{Path('data', 'unit-kerja.yaml')}\n"))
    result = runner.invoke(cli, ["init", "--xlsx", "-o", "kantor.xlsx"])
    assert (result.exit_code, result.output) == (0, (
        "wrote kantor.xlsx; fill it in, then run: ikidoc import kantor.xlsx -o "
        "data/unit-kerja.yaml\n"))
    assert runner.invoke(cli, ["validate", "data"]).exit_code == 0


def test_init_refuses_to_replace_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "unit.yaml"
    target.write_text("mine\n")
    result = runner.invoke(cli, ["init", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: cannot write {target}: it already exists; choose another "
                             "file with -o\n")
    assert target.read_text() == "mine\n"


def test_import_options_decide_what_a_word_document_leaves_open(
        runner: CliRunner, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("INDIKATOR KINERJA INDIVIDU")
    table = document.add_table(rows=2, cols=3)
    for column, (head, text) in enumerate(zip(["SASARAN", "INDIKATOR", "FORMULASI"],
                                              ["S", "I", "F"], strict=True)):
        table.cell(0, column).text, table.cell(1, column).text = head, text
    source = tmp_path / "iki.docx"
    document.save(source)
    target = tmp_path / "unit.yaml"
    args = ["import", str(source), "-o", str(target), "--unit-kerja", "U"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1 and not target.exists()
    assert "--jabatan" in refused.output and "--sumber-data" in refused.output
    result = runner.invoke(cli, [*args, "--jabatan", "Analis", "--sumber-data", "Laporan"])
    assert result.exit_code == 0, result.output
    jab = load_file(target).unit.jabatan[0]
    assert (jab.nama, jab.sasaran[0].indikator[0].sumber_data) == ("Analis", ["Laporan"])


def test_a_word_option_given_for_a_sheet_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    source = sheet(tmp_path, [["Analis", "S", "I", "F", "L"]])
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "u.yaml"),
                                 "--unit-kerja", "U", "--jabatan", "Analis"])
    assert result.exit_code == 1
    assert f"{source}: --jabatan: only for a Word document (.docx)" in result.output
    assert not (tmp_path / "u.yaml").exists()


def test_import_of_two_sasaran_columns_names_the_headers_found_then_the_option_decides(
        runner: CliRunner, tmp_path: Path) -> None:
    from importing import import_layouts
    header, sub, row = import_layouts().LAYOUTS["two-row-header"][-1]
    source = import_layouts().write(tmp_path / "iki.docx", [
        "INDIKATOR KINERJA INDIVIDU", "Jabatan : Analis",
        [header, [sub[0], "SASARAN PROGRAM", "SASARAN KEGIATAN", *sub[3:]], row]])
    target = tmp_path / "data" / "unit.yaml"
    before = tree_snapshot(tmp_path)
    args = ["import", str(source), "-o", str(target), "--unit-kerja", "U"]
    refused = runner.invoke(cli, ["--lang", "id", *args])
    assert refused.exit_code == 1 and tree_snapshot(tmp_path) == before
    assert ("jabatan ke-1 (Analis): 2 kolom dapat menjadi SASARAN: 'SASARAN PROGRAM', "
            "'SASARAN KEGIATAN'; judul kolom tabel: 'NO', 'SASARAN PROGRAM', 'SASARAN KEGIATAN', "
            "'INDIKATOR KINERJA', 'FORMULASI', 'SUMBER DATA', 'KETERANGAN'") in refused.output
    assert "--kolom-sasaran \"SASARAN PROGRAM\"" in refused.output
    chosen = runner.invoke(cli, [*args, "--kolom-sasaran", "SASARAN KEGIATAN"])
    assert chosen.exit_code == 0, chosen.output
    [position] = load_file(target).unit.jabatan
    assert position.sasaran[0].uraian == "Tata kelola yang baik"
    assert position.sasaran[0].indikator[0].tambahan["sasaran_program"] == "Tertib administrasi"

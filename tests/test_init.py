"""Starter files: the commented YAML and the workbook both hold a valid example."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ikidoc import load_file
from ikidoc.errors import OutputError
from ikidoc.importers import import_file
from ikidoc.starter import DEFAULT_XLSX, DEFAULT_YAML, write_starter


def test_the_starter_yaml_validates_and_explains_its_fields(tmp_path: Path) -> None:
    path = write_starter(tmp_path / "unit.yaml")
    unit = load_file(path).unit
    assert (unit.unit_kerja, [j.nama for j in unit.jabatan], unit.indikator_count) == (
        "Bagian Contoh", ["Analis Keuangan"], 2)
    lines = path.read_text(encoding="utf-8").splitlines()
    for field in ("unit_kerja:", "tanggal:", "penandatangan:", "nip:", "tugas:", "fungsi:",
                  "sasaran:", "formulasi:", "sumber_data:"):
        number = next(k for k, line in enumerate(lines) if line.strip().startswith(field))
        explained = "#" in lines[number] or lines[number - 1].strip().startswith("#")
        assert explained, f"{field} has no comment"


def test_the_starter_workbook_imports_to_the_same_data_as_the_yaml(tmp_path: Path) -> None:
    workbook = write_starter(tmp_path / "iki.xlsx", xlsx=True)
    import_file(workbook, tmp_path / "from-xlsx.yaml")
    expected = load_file(write_starter(tmp_path / "unit.yaml")).unit
    assert load_file(tmp_path / "from-xlsx.yaml").unit == expected


def test_the_starter_workbook_has_headers_a_dokumen_sheet_and_instructions(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_starter(tmp_path / "iki.xlsx", xlsx=True))
    assert book.sheetnames == ["IKI", "dokumen", "Petunjuk"]
    assert [cell.value for cell in book["IKI"][1]] == [
        "Jabatan", "Tugas", "Fungsi", "Sasaran", "Indikator", "Formulasi", "Sumber Data", "Target",
        "Satuan"]
    dokumen = book["dokumen"]
    assert [row[0] for row in dokumen.iter_rows(values_only=True)][:4] == [
        "Kolom", "instansi", "induk", "unit_kerja"]
    assert dokumen["B11"].value == "198005122005011002" and dokumen["B11"].number_format == "@"
    assert book["Petunjuk"]["A1"].value == "Petunjuk pengisian IKI"


@pytest.mark.parametrize(("xlsx", "default"), [(False, DEFAULT_YAML), (True, DEFAULT_XLSX)])
def test_writes_to_its_default_path_and_never_replaces_a_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xlsx: bool, default: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert write_starter(xlsx=xlsx) == default
    before = default.read_bytes()
    with pytest.raises(OutputError) as caught:
        write_starter(xlsx=xlsx)
    assert str(caught.value) == (
        f"cannot write {default}: it already exists; choose another file with -o")
    assert default.read_bytes() == before

"""One unit per archive folder: units whose names give the same folder name are kept
apart, each folder says which unit it holds, and folders written before that rule are
still read and extended."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, tree_snapshot, write_data

from ikidoc import audit, audit_text, generate
from ikidoc.archive import Identity, load_manifest
from ikidoc.cli import cli

PUSKESMAS = "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan"
# both slugs are cut to this, at a "-" within 60 characters
PUSKESMAS_CUT = "unit-pelaksana-teknis-daerah-pusat-kesehatan-masyarakat"


def unit_data(folder: Path, unit_kerja: str, name: str, instansi: str | None = None) -> Path:
    text = MINIMAL.replace("unit_kerja: Bagian Uji", f"unit_kerja: {unit_kerja}")
    if instansi:
        text = text.replace("    tahun: 2025", f"    instansi: {instansi}\n    tahun: 2025")
    return write_data(folder, text, name)


def suffix(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]


def only(outcomes: list) -> Path:  # the revision of a run of one unit
    [outcome] = outcomes
    return outcome.folder


def test_the_identity_key_writes_an_absent_instansi_or_tahun_as_nothing() -> None:
    assert Identity(None, "Bagian Umum", None).key == "|Bagian Umum|"
    assert Identity("Pemerintah Kabupaten Contoh", "Bagian Umum", 2025).key == (
        "Pemerintah Kabupaten Contoh|Bagian Umum|2025")
    assert Identity(None, "Bagian Umum", None).suffix == suffix("|Bagian Umum|")


def test_two_puskesmas_named_alike_past_the_60th_character_get_a_folder_each(
        tmp_path: Path) -> None:
    sukamaju = unit_data(tmp_path, f"{PUSKESMAS} Sukamaju", "sukamaju.yaml")
    sukamakmur = unit_data(tmp_path, f"{PUSKESMAS} Sukamakmur", "sukamakmur.yaml")
    output = tmp_path / "out"
    first = only(generate([sukamaju], None, output))
    second = only(generate([sukamakmur], None, output))
    for folder, name in ((first, "Sukamaju"), (second, "Sukamakmur")):
        hashed = suffix(f"|{PUSKESMAS} {name}|2025")
        assert folder == output / f"{PUSKESMAS_CUT}-2025-{hashed}" / "r1"
    # the combined document keeps the name the data gives, in either folder
    assert (first / f"{PUSKESMAS_CUT}-2025.docx").is_file()
    assert load_manifest(second).unit_kerja == f"{PUSKESMAS} Sukamakmur"
    before = tree_snapshot(output)
    for data, folder in ((sukamaju, first), (sukamakmur, second)):
        [again] = generate([data], None, output)
        assert (again.changed, again.folder) == (False, folder)
    assert tree_snapshot(output) == before
    titles = [audit_text.unit_listing(unit).splitlines()[0] for unit in audit.list_units(output)]
    assert sorted(titles) == sorted([f"{first.parent}  {PUSKESMAS} Sukamaju (2025)",
                                     f"{second.parent}  {PUSKESMAS} Sukamakmur (2025)"])


def test_two_names_without_latin_letters_do_not_share_the_folder_unit(tmp_path: Path) -> None:
    first_data = unit_data(tmp_path, "بخش اول", "satu.yaml")
    second_data = unit_data(tmp_path, "بخش دوم", "dua.yaml")
    output = tmp_path / "out"
    first = only(generate([first_data], None, output))
    second = only(generate([second_data], None, output))
    assert first == output / "unit-2025" / "r1"
    assert second == output / f"unit-2025-{suffix('|بخش دوم|2025')}" / "r1"
    assert [only(generate([data], None, output)) for data in (first_data, second_data)] == [
        first, second]
    assert json.loads((output / "unit-2025" / "unit.json").read_text(encoding="utf-8")) == {
        "format": "ikidoc-unit/1", "instansi": None, "unit_kerja": "بخش اول", "tahun": 2025}
    result = CliRunner().invoke(cli, ["archive", "list", str(output)])
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if not line.startswith(" ")] == [
        f"{output / 'unit-2025'}  بخش اول (2025)",
        f"{second.parent}  بخش دوم (2025)"]


def test_units_alike_in_one_run_are_kept_apart_too(tmp_path: Path) -> None:
    one = unit_data(tmp_path, "بخش اول", "satu.yaml")
    two = unit_data(tmp_path, "بخش دوم", "dua.yaml")
    outcomes = generate([one, two], None, tmp_path / "out")
    assert [o.folder.parent.name for o in outcomes] == ["unit-2025",
                                                         f"unit-2025-{suffix('|بخش دوم|2025')}"]


def test_the_same_unit_kerja_of_two_instansi_gets_two_folders(tmp_path: Path) -> None:
    output = tmp_path / "out"
    first = only(generate([unit_data(tmp_path, "Bagian Umum", "a.yaml", "Kabupaten A")], None,
                          output))
    second = only(generate([unit_data(tmp_path, "Bagian Umum", "b.yaml", "Kabupaten B")], None,
                           output))
    assert first == output / "bagian-umum-2025" / "r1"
    assert second == output / f"bagian-umum-2025-{suffix('Kabupaten B|Bagian Umum|2025')}" / "r1"


def make_old_layout(unit_folder: Path) -> None:
    """Turn a folder into one as ikidoc wrote it before folders recorded their unit:
    no unit.json, manifests of ikidoc-archive/1 (no instansi, previous or checksum)."""
    (unit_folder / "unit.json").unlink()
    for manifest_file in unit_folder.glob("r*/manifest.json"):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        for key in ("instansi", "previous", "checksum"):
            manifest.pop(key)
        manifest["format"] = "ikidoc-archive/1"
        manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")


def test_a_folder_of_the_old_layout_is_still_read_and_extended(tmp_path: Path) -> None:
    data = unit_data(tmp_path, "Bagian Uji", "unit.yaml", "Kabupaten Contoh")
    output = tmp_path / "out"
    first = only(generate([data], None, output))
    make_old_layout(first.parent)
    [again] = generate([data], None, output)
    assert (again.changed, again.folder) == (False, first)
    data.write_text(data.read_text(encoding="utf-8").replace("Arsip", "Agenda"), encoding="utf-8")
    second = only(generate([data], None, output))
    assert second == first.parent / "r2"
    assert all(check.ok for check in audit.verify(output, rebuild=True))
    [listing] = audit.list_units(output)
    assert audit_text.unit_listing(listing).splitlines()[0] == f"{first.parent}  Bagian Uji (2025)"
    # another unit of the old folder's name goes beside it, not into it
    other = only(generate([unit_data(tmp_path, "Bagian Uji", "lain.yaml", "Kabupaten Lain")],
                          None, output))
    assert other.parent.name == f"bagian-uji-2025-{suffix('Kabupaten Lain|Bagian Uji|2025')}"


@pytest.mark.parametrize("instansi", [None, "Kabupaten Contoh"])
def test_the_same_unit_in_two_files_of_one_run_is_refused(tmp_path: Path,
                                                          instansi: str | None) -> None:
    one = unit_data(tmp_path, "Bagian Uji", "one.yaml", instansi)
    two = unit_data(tmp_path, "Bagian Uji", "two.yaml", instansi)
    result = CliRunner().invoke(cli, ["generate", str(one), str(two), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert (f"unit_kerja: instansi, unit_kerja and tahun are those of {one}, so both would write "
            "the same archive folder; one unit per file") in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_folder_whose_unit_json_is_spoilt_is_named_and_never_mixed_into(tmp_path: Path) -> None:
    data = unit_data(tmp_path, "Bagian Uji", "unit.yaml")
    output = tmp_path / "out"
    first = only(generate([data], None, output))
    (first.parent / "unit.json").write_text("{", encoding="utf-8")
    detail = (f"{first.parent / 'unit.json'}: is not valid JSON: Expecting property name enclosed "
              "in double quotes at line 1, column 2")
    assert audit_text.unit_listing(audit.list_units(output)[0]).splitlines()[0] == (
        f"{first.parent}  ({detail})")
    [check] = audit.checks(output)
    assert [audit_text.finding(problem) for problem in check.problems] == [f"unit: {detail}"]
    # the folder cannot say which unit it holds: the unit goes beside it, not into it
    again = only(generate([data], None, output))
    assert again == output / f"bagian-uji-2025-{suffix('|Bagian Uji|2025')}" / "r1"

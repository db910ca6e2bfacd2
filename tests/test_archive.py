"""Slugs and revision folders of the archive, put in place whole or not at all."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, write_data

from ikidoc import audit, generate
from ikidoc.archive import new_revision, revision_number, revisions, slug, unit_folder_name
from ikidoc.cli import cli


@pytest.mark.parametrize(("name", "expected"), [
    ("Pengelola Program/Kegiatan", "pengelola-program-kegiatan"),
    ("Kepala Sub Bagian Sarana Perekonomian dan BUMD",
     "kepala-sub-bagian-sarana-perekonomian-dan-bumd"),
    ("  Analis   Kebijakan (Ahli Muda) ", "analis-kebijakan-ahli-muda"),
    ("Pengelola Keuangan & Aset", "pengelola-keuangan-aset"),
    ("Pranata Komputer Ahli Pertama—Teknis", "pranata-komputer-ahli-pertama-teknis"),
    ("Pénata Layanan Operasional", "penata-layanan-operasional"),
    ("../../etc/passwd", "etc-passwd"),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("مؤشر الأداء", "jabatan"),
    ("2025", "jabatan"),
    ("CON", "con"),
    ("nul", "nul"),
])
def test_slug_is_lower_case_ascii_with_dashes(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_of_a_long_name_is_cut_at_a_dash_within_60_characters() -> None:
    name = ("Kepala Sub Bagian Perencanaan Evaluasi dan Pelaporan Kinerja Organisasi "
            "Perangkat Daerah")
    cut = slug(name)
    assert len(cut) <= 60 and not cut.endswith("-")
    assert cut == "kepala-sub-bagian-perencanaan-evaluasi-dan-pelaporan-kinerja"
    assert len(slug("x" * 300)) == 60


def test_unit_folder_name_carries_the_year() -> None:
    assert (unit_folder_name("Bagian Administrasi Perekonomian", 2025)
            == "bagian-administrasi-perekonomian-2025")
    assert unit_folder_name("Bagian Umum", None) == "bagian-umum"
    assert unit_folder_name("بخش", 2025) == "unit-2025"


def test_a_unit_folder_never_bears_a_windows_device_name() -> None:
    """CON, NUL, COM1... cannot name a folder on Windows; with its year it is a name."""
    assert unit_folder_name("CON", None) == "con-unit"
    assert unit_folder_name("Com1", 2025) == "com1-2025"


def test_a_finished_revision_takes_the_next_number(tmp_path: Path) -> None:
    for expected in (1, 2, 3):
        with new_revision(tmp_path / "unit") as revision:
            revision.add("a.txt", b"x")
        assert revision.number == expected and (
            tmp_path / "unit" / f"r{expected}" / "a.txt").exists()
    assert revisions(tmp_path / "unit") == [1, 2, 3]


def test_a_failed_revision_leaves_no_folder_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), new_revision(tmp_path / "output" / "unit") as revision:
        revision.add("a.txt", b"x")
        raise RuntimeError("render failed")
    assert not (tmp_path / "output").exists()


def test_a_file_named_like_a_revision_is_passed_over_not_a_dead_end(tmp_path: Path) -> None:
    """A file (or link) called r2 left in the unit's folder by hand is no revision, and
    the next run takes r3 instead of failing for ever."""
    unit = tmp_path / "unit"
    with new_revision(unit) as revision:
        revision.add("a.txt", b"x")
    (unit / "r2").write_bytes(b"left here by hand")
    with new_revision(unit) as revision:
        revision.add("a.txt", b"y")
    assert revision.number == 3 and (unit / "r3" / "a.txt").read_bytes() == b"y"
    assert (unit / "r2").read_bytes() == b"left here by hand"
    assert revisions(unit) == [1, 3]


def test_revision_numbers_ignore_other_folders(tmp_path: Path) -> None:
    for name in ("r1", "r10", "r2", "r0", "r01", "rx", ".ikidoc-tmp"):
        (tmp_path / name).mkdir()
    assert revisions(tmp_path) == [1, 2, 10]


def test_revision_folder_gets_the_usual_permissions_not_private_ones(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with new_revision(tmp_path / "unit") as revision:
            revision.add("a.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "unit" / "r1").stat().st_mode) == 0o755


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under ``folder``: an empty folder
    left behind counts too."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def two_units(tmp_path: Path) -> tuple[list[Path], Path]:
    """Two data files of new units, and an output already holding a third unit."""
    folder = tmp_path / "data"
    folder.mkdir()
    files = [write_data(folder, MINIMAL.replace("Bagian Uji", name), f"{number}.yaml")
             for number, name in enumerate(["Bagian Satu", "Bagian Dua"], start=1)]
    output = tmp_path / "output"
    generate([write_data(tmp_path, MINIMAL)], output=output)
    return files, output


def test_a_unit_record_that_cannot_be_written_leaves_no_unit_of_the_run_in_place(
        two_units: tuple[list[Path], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The first unit's unit.json fails; the second unit's revision must not stay."""
    files, output = two_units
    before = listing(output)
    real = Path.write_text

    def failing(self: Path, text: str, *args: object, **kwargs: object) -> int:
        if self.name == "unit.json" and "Bagian Satu" in text:
            raise OSError(errno.EACCES, "Permission denied")
        return real(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing)
    result = CliRunner().invoke(cli, ["generate", *map(str, files), "-o", str(output)])
    assert result.exit_code == 1, result.output
    assert (f"{output / 'bagian-satu-2025' / 'unit.json'}: cannot be written: "
            "Permission denied") in result.stderr
    assert "Traceback" not in result.output
    assert listing(output) == before


@pytest.mark.parametrize("failing_unit", ["bagian-satu-2025", "bagian-dua-2025"])
def test_a_revision_that_cannot_be_renamed_into_place_takes_back_the_others(
        two_units: tuple[list[Path], Path], monkeypatch: pytest.MonkeyPatch,
        failing_unit: str) -> None:
    files, output = two_units
    before = listing(output)
    real = os.rename

    def failing(source: str | Path, target: str | Path) -> None:
        target = Path(target)
        if target.parent.name == failing_unit and revision_number(target):
            raise OSError(errno.EIO, "Input/output error")
        real(source, target)

    monkeypatch.setattr(os, "rename", failing)
    result = CliRunner().invoke(cli, ["generate", *map(str, files), "-o", str(output)])
    assert result.exit_code == 1, result.output
    assert (f"{output / failing_unit / 'r1'}: cannot be created: Input/output error"
            in result.stderr)
    assert listing(output) == before
    monkeypatch.undo()
    outcomes = generate(files, output=output)  # and a run after it writes both, whole
    assert [outcome.folder.relative_to(output).as_posix() for outcome in outcomes] == [
        "bagian-satu-2025/r1", "bagian-dua-2025/r1"]
    assert all(check.ok for check in audit.verify(output))


def test_a_file_of_a_revision_that_cannot_be_read_is_named_and_the_revision_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document the user cannot read (its permissions changed, a disk error): verify
    names it instead of a traceback, and generate does not take the revision as whole."""
    data = write_data(tmp_path, MINIMAL)
    output = tmp_path / "output"
    [first] = generate([data], output=output)
    blocked = next(first.folder.glob("01-*.docx"))
    real = Path.open

    def failing(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == blocked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", failing)
    result = CliRunner().invoke(cli, ["archive", "verify", str(output)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"  unreadable: {blocked.name} cannot be read, so it cannot be checked" in (
        result.stdout.splitlines())
    [again] = generate([data], output=output)
    assert again.folder.name == "r2" and again.altered is not None
    assert again.altered.files == [blocked.name]

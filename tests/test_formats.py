"""How values print: Indonesian dates, NIP grouping, list letters, list markers."""
from __future__ import annotations

import datetime as dt
import locale

import pytest

from ikidoc import formats


@pytest.mark.parametrize(("number", "letters"), [
    (1, "a"), (2, "b"), (26, "z"), (27, "aa"), (28, "ab"), (52, "az"), (53, "ba"), (702, "zz"),
    (703, "aaa"),
])
def test_letters_items_a_to_z_then_aa_ab(number: int, letters: str) -> None:
    assert formats.huruf(number) == letters


@pytest.mark.parametrize(("typed", "kept"), [
    ("a. Menyusun program", "Menyusun program"),
    ("f. Melaksanakan tugas", "Melaksanakan tugas"),
    ("B) Mengelola", "Mengelola"),
    ("(c) Mendokumentasikan", "Mendokumentasikan"),
    ("ab. Menyusun", "Menyusun"),
    ("2) Menyusun", "Menyusun"),
    ("123. Menyusun", "Menyusun"),
    ("- Laporan Keuangan", "Laporan Keuangan"),
    ("– Laporan", "Laporan"),
    ("• Laporan", "Laporan"),
    ("* Laporan", "Laporan"),
    ("· Laporan", "Laporan"),
    ("-\tLaporan", "Laporan"),
    ("Dr. Ahmad", "Dr. Ahmad"),
    ("5.000 dokumen", "5.000 dokumen"),
    ("1234. Angka", "1234. Angka"),
    ("Abc. kata", "Abc. kata"),
    ("a.Menyusun", "a.Menyusun"),
    ("-5 derajat", "-5 derajat"),
])
def test_strips_one_leading_marker_followed_by_space(typed: str, kept: str) -> None:
    assert formats.strip_marker(typed) == kept


def test_strips_only_one_marker() -> None:
    assert formats.strip_marker("a. - Laporan") == "- Laporan"


@pytest.mark.parametrize("typed", ["198005122005011002", "19800512 200501 1 002",
                                   " 1980 0512 2005 0110 02 ", 198005122005011002])
def test_prints_nip_grouped_8_6_1_3(typed: str | int) -> None:
    assert formats.nip(typed) == "19800512 200501 1 002"


@pytest.mark.parametrize("typed", ["19800512200501100", "1980051220050110021",
                                   "19800512-200501-1-002", "NIP 198005122005011002", ""])
def test_refuses_nip_that_is_not_18_digits(typed: str) -> None:
    with pytest.raises(ValueError, match="18 digits"):
        formats.nip(typed)


@pytest.mark.parametrize(("date", "printed"), [
    (dt.date(2025, 1, 2), "2 Januari 2025"),
    (dt.date(2024, 2, 29), "29 Februari 2024"),
    (dt.date(2025, 5, 31), "31 Mei 2025"),
    (dt.date(2025, 8, 17), "17 Agustus 2025"),
    (dt.date(2025, 12, 1), "1 Desember 2025"),
    ("2025-03-09", "9 Maret 2025"),
    ("Awal Tahun 2025", "Awal Tahun 2025"),
])
def test_prints_dates_in_indonesian(date: dt.date | str, printed: str) -> None:
    assert formats.tanggal(date) == printed


def test_prints_dates_in_indonesian_whatever_the_locale() -> None:
    try:
        locale.setlocale(locale.LC_TIME, "C.UTF-8")
    except locale.Error:
        pytest.skip("no C.UTF-8 locale here")
    try:
        assert formats.tanggal(dt.date(2025, 10, 2)) == "2 Oktober 2025"
    finally:
        locale.setlocale(locale.LC_TIME, "")


@pytest.mark.parametrize(("typed", "date"), [
    ("2025-01-02", dt.date(2025, 1, 2)),
    ("2 Januari 2025", dt.date(2025, 1, 2)),
    ("17 agustus 2025", dt.date(2025, 8, 17)),
])
def test_reads_iso_and_indonesian_dates(typed: str, date: dt.date) -> None:
    assert formats.parse_tanggal(typed) == date


@pytest.mark.parametrize("typed", ["2 January 2025", "31 Februari 2025", "besok", "2025-13-01",
                                   "20250102", "2025-W01-3", "2025-1-2"])
def test_refuses_text_that_is_no_date(typed: str) -> None:
    with pytest.raises(ValueError):
        formats.parse_tanggal(typed)

"""The rules of docs/data-format.md that concern single values, enforced by the model."""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from ikidoc.model import UnitKerja

BASE: dict[str, Any] = {
    "unit_kerja": "Bagian Uji",
    "jabatan": [{
        "nama": "Analis",
        "sasaran": [{"uraian": "Sasaran", "indikator": [
            {"uraian": "Indikator", "formulasi": "Formulasi", "sumber_data": "Laporan"}]}],
    }],
}


def unit(**changes: Any) -> UnitKerja:
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return UnitKerja.model_validate(data)


def errors(**changes: Any) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as caught:
        unit(**changes)
    return [(e["loc"], e["msg"]) for e in caught.value.errors()]


def test_trims_text_and_keeps_inner_spacing() -> None:
    assert unit(unit_kerja="  Bagian  Uji \n").unit_kerja == "Bagian  Uji"


def test_empty_required_text_is_missing() -> None:
    assert errors(unit_kerja="   ") == [(("unit_kerja",), "Field required")]


def test_optional_key_with_no_value_is_absent() -> None:
    parsed = unit(jabatan__0__fungsi=None, tempat="  ", tahun=None)
    assert parsed.jabatan[0].fungsi == [] and parsed.tempat is None and parsed.tahun is None


def test_empty_item_in_a_list_is_an_error() -> None:
    assert errors(jabatan__0__tugas=["Menyusun", None]) == [
        (("jabatan", 0, "tugas", 1), "is empty; write its text or remove the item")]


@pytest.mark.parametrize("year", ["²⁰²⁵", "1e3", -5, 10**9, "9" * 5000])
def test_a_year_is_a_number_of_the_calendar(year: object) -> None:
    [(loc, message)] = errors(tahun=year)
    assert loc == ("tahun",) and message.startswith("expected a year such as 2025, got ")
    assert len(message) < 90


def test_empty_item_in_a_free_list_is_an_error() -> None:
    assert errors(tambahan={"menimbang": ["bahwa ...", None, "  "]}) == [
        (("tambahan",), "menimbang[1]: is empty; write its text or remove the item")]


def test_unknown_key_is_an_error() -> None:
    found = errors(jabatan__0__sasaran__0__indikator__0__formulasii="x")
    assert found == [(("jabatan", 0, "sasaran", 0, "indikator", 0, "formulasii"),
                      "Extra inputs are not permitted")]


@pytest.mark.parametrize(("char", "kind"), [
    ("\x00", "control character"), ("\x07", "control character"),
    ("\x1b", "control character"), ("\x85", "control character"),
    ("\x9f", "control character"), ("\ufffe", "noncharacter"),
    ("\uffff", "noncharacter"), ("\ud800", "lone surrogate")])
def test_refuses_characters_word_cannot_hold(char: str, kind: str) -> None:
    [(loc, message)] = errors(jabatan__0__nama=f"Ana{char}lis")
    assert loc == ("jabatan", 0, "nama")
    assert f"U+{ord(char):04X} ({kind}) at character 4" in message


@pytest.mark.parametrize("text", ["A & B < C > D", "\"kutip\" 'tunggal'", "÷ ≥ ≤ %", "مؤشر الأداء",
                                  "zero\u200bwidth", "soft\u00adhyphen", "\u200fRTL", "emoji 📄",
                                  "tab\tinside", "baris\nbaru"])
def test_keeps_every_other_character(text: str) -> None:
    assert unit(jabatan__0__nama=text).jabatan[0].nama == text


def test_makes_windows_line_ends_newlines() -> None:
    assert unit(jabatan__0__nama="satu\r\ndua\rtiga").jabatan[0].nama == "satu\ndua\ntiga"


def test_removes_typed_markers_from_list_items() -> None:
    parsed = unit(jabatan__0__tugas=["a. Menyusun", "b) Mengelola", "f. Melaksanakan"],
                  jabatan__0__fungsi=["1. Perumusan"],
                  jabatan__0__sasaran__0__indikator__0__sumber_data=["- Laporan", "• Arsip"])
    jab = parsed.jabatan[0]
    assert jab.tugas == ["Menyusun", "Mengelola", "Melaksanakan"]
    assert jab.fungsi == ["Perumusan"]
    assert jab.sasaran[0].indikator[0].sumber_data == ["Laporan", "Arsip"]


def test_single_sumber_data_string_is_a_one_item_list() -> None:
    assert unit().jabatan[0].sasaran[0].indikator[0].sumber_data == ["Laporan"]


@pytest.mark.parametrize("typed", ["198005122005011002", "19800512 200501 1 002",
                                   198005122005011002])
def test_accepts_nip_typed_with_spaces_or_as_a_number(typed: str | int) -> None:
    signer = {"jabatan": "Kepala", "nama": "Nama", "nip": typed}
    assert unit(penandatangan=signer).penandatangan.nip == "198005122005011002"


def test_refuses_nip_of_wrong_length() -> None:
    [(loc, message)] = errors(penandatangan={"jabatan": "Kepala", "nama": "Nama", "nip": "1980"})
    assert loc == ("penandatangan", "nip") and "18 digits" in message


@pytest.mark.parametrize(("typed", "date"), [("2025-01-02", dt.date(2025, 1, 2)),
                                            ("2 Januari 2025", dt.date(2025, 1, 2))])
def test_reads_tanggal(typed: str, date: dt.date) -> None:
    assert unit(tanggal=typed).tanggal == date


@pytest.mark.parametrize("typed", ["2 Jan 2025", "31 Februari 2025", 0, 20250102, True])
def test_refuses_tanggal_that_is_no_date(typed: Any) -> None:
    [(loc, message)] = errors(tanggal=typed)
    assert loc == ("tanggal",) and "2025-01-02" in message


def test_refuses_tambahan_keys_with_control_characters_and_infinite_numbers() -> None:
    assert "U+0001" in errors(tambahan={"a\x01": 1})[0][1]
    assert "inf" in errors(tambahan={"nilai": float("inf")})[0][1]


@pytest.mark.parametrize("typed", ["dua ribu", True, 20.25])
def test_refuses_tahun_that_is_no_year(typed: Any) -> None:
    [(loc, message)] = errors(tahun=typed)
    assert loc == ("tahun",) and "2025" in message


def test_requires_at_least_one_position_sasaran_and_indikator() -> None:
    assert errors(jabatan=[])[0][0] == ("jabatan",)
    assert errors(jabatan__0__sasaran=[])[0][0] == ("jabatan", 0, "sasaran")
    assert errors(jabatan__0__sasaran__0__indikator=[])[0][0] == (
        "jabatan", 0, "sasaran", 0, "indikator")


def test_position_signer_replaces_the_file_signer_whole() -> None:
    parsed = unit(penandatangan={"jabatan": "Kepala Bagian", "nama": "A",
                                 "pangkat": "Pembina (IV/a)"},
                  jabatan__0__penandatangan={"jabatan": "Kepala Sub Bagian", "nama": "B"})
    signer = parsed.signer_of(parsed.jabatan[0])
    assert (signer.jabatan, signer.nama, signer.pangkat) == ("Kepala Sub Bagian", "B", None)


def test_tambahan_holds_free_fields_with_the_same_character_rule() -> None:
    parsed = unit(
        jabatan__0__sasaran__0__indikator__0__tambahan={"target": " 12 ", "satuan": "Laporan"})
    assert parsed.jabatan[0].sasaran[0].indikator[0].tambahan == {"target": "12",
                                                                  "satuan": "Laporan"}
    [(loc, message)] = errors(tambahan={"catatan": "bel\x07"})
    assert loc == ("tambahan",) and "U+0007" in message

"""What a template sees: the data of a unit as plain values, ready to print.

Templates get text already formatted the Indonesian way (dates, NIP grouping) and
the merge plan of the table, so a template never has to compute either.
"""
from __future__ import annotations

from typing import Any

from ikidoc import formats, table
from ikidoc.model import Jabatan, Pemangku, Penandatangan, Sasaran, UnitKerja


def for_position(dokumen: dict[str, Any], index: int) -> dict[str, Any]:
    """Context of one position's document: ``dokumen`` and ``jabatan``."""
    return {"dokumen": dokumen, "jabatan": dokumen["jabatan"][index]}


def for_unit(unit: UnitKerja) -> dict[str, Any]:
    """The ``dokumen`` value: the unit's fields and every position's ``jabatan`` value."""
    tanggal = formats.tanggal(unit.tanggal) if unit.tanggal else None
    return {
        "instansi": unit.instansi,
        "induk": unit.induk,
        "unit_kerja": unit.unit_kerja,
        "tahun": unit.tahun,
        "tempat": unit.tempat,
        "tanggal": tanggal,
        "tempat_tanggal": ", ".join(part for part in (unit.tempat, tanggal) if part),
        "penandatangan": person(unit.penandatangan),
        "tambahan": unit.tambahan,
        "jabatan": [
            position(jab, number, unit.signer_of(jab))
            for number, jab in enumerate(unit.jabatan, start=1)
        ],
        "jumlah_indikator": unit.indikator_count,
    }


def position(jab: Jabatan, number: int, signer: Penandatangan | None) -> dict[str, Any]:
    """The ``jabatan`` value of one position; ``penandatangan`` is the signer in force."""
    return {
        "nomor": number,
        "nama": jab.nama,
        "tugas": list(jab.tugas),
        "fungsi": list(jab.fungsi),
        "pemangku": person(jab.pemangku),
        "penandatangan": person(signer),
        "tambahan": jab.tambahan,
        "sasaran": [_sasaran(s, n) for n, s in enumerate(jab.sasaran, start=1)],
        "jumlah_indikator": len(jab.indikator),
    }


def _sasaran(sasaran: Sasaran, number: int) -> dict[str, Any]:
    indicators = []
    continues = table.sumber_continues(sasaran)
    for n, indikator in enumerate(sasaran.indikator, start=1):
        indicators.append({
            "nomor": n,
            "uraian": indikator.uraian,
            "formulasi": indikator.formulasi,
            "sumber_data": list(indikator.sumber_data),
            "sumber_baris": table.sumber_lines(indikator.sumber_data),
            "sumber_sama": continues[n - 1],
            "tambahan": indikator.tambahan,
        })
    return {"nomor": number, "uraian": sasaran.uraian, "tambahan": sasaran.tambahan,
            "indikator": indicators}


def person(who: Penandatangan | Pemangku | None) -> dict[str, Any] | None:
    """A signer or holder with the NIP printed 8-6-1-3; None when there is nobody."""
    if who is None:
        return None
    values = who.model_dump()
    values.setdefault("jabatan", None)
    values["nip"] = formats.nip(who.nip) if who.nip else None
    return values

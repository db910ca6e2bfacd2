"""What a template sees: the data of a unit as plain values, ready to print.

Templates get text already formatted the Indonesian way (dates, NIP grouping) and
the merge plan of the table, so a template never has to compute either.
"""
from __future__ import annotations

from typing import Any

from ikidoc import formats, table
from ikidoc.letterhead import Logo
from ikidoc.model import Jabatan, Kop, Pemangku, Penandatangan, Sasaran, UnitKerja


def for_position(dokumen: dict[str, Any], index: int,
                 pilihan: dict[str, bool] | None = None) -> dict[str, Any]:
    """Context of one position's document: ``dokumen``, ``jabatan`` and the template's
    switches in force (``pilihan``)."""
    return {"dokumen": dokumen, "jabatan": dokumen["jabatan"][index], "pilihan": pilihan or {}}


def for_document(dokumen: dict[str, Any], pilihan: dict[str, bool] | None = None) -> dict[str, Any]:
    """Context of the unit's one document: ``dokumen`` and ``pilihan``."""
    return {"dokumen": dokumen, "pilihan": pilihan or {}}


def for_unit(unit: UnitKerja, logo: Logo | None = None) -> dict[str, Any]:
    """The ``dokumen`` value: the unit's fields and every position's ``jabatan`` value;
    ``logo`` is the letterhead's picture, read beside the data file (ikidoc.letterhead)."""
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
        "kop": letterhead(unit.kop, logo),
        "jabatan": [
            position(jab, number, unit.signer_of(jab))
            for number, jab in enumerate(unit.jabatan, start=1)
        ],
        "jumlah_indikator": unit.indikator_count,
    }


def letterhead(kop: Kop | None, logo: Logo | None) -> dict[str, Any] | None:
    """The ``dokumen.kop`` value: its lines, address, telephone, site and the logo's
    picture (None without one, or when the logo was not read)."""
    if kop is None:
        return None
    values = kop.model_dump()
    values["logo"] = logo
    return values


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

"""Word documents that combine the layouts offices type (tests/combined_layouts.py) import
with every field the document says: positions, their names, tugas, fungsi, holder and
eselon, every sasaran and indikator with its formulasi, sources and tambahan, the year,
the letterhead's instansi and the signer."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from combined_layouts import UNIT, Mix, build, expected, mixes
from importing import imported

from ikidoc import UnitKerja

MIXES = mixes(40)


def read(unit: UnitKerja) -> dict[str, Any]:
    """The fields the generator states, as the imported data file holds them."""
    return {"unit_kerja": unit.unit_kerja, "tahun": unit.tahun, "instansi": unit.instansi,
            "penandatangan": (unit.penandatangan.model_dump(exclude_none=True)
                              if unit.penandatangan else None),
            "tempat": unit.tempat, "tanggal": str(unit.tanggal) if unit.tanggal else None,
            "jabatan": [jab.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                        for jab in unit.jabatan]}


@pytest.mark.parametrize("mix", MIXES, ids=[mix.label for mix in MIXES])
def test_a_document_combining_office_layouts_imports_every_field_it_says(
        tmp_path: Path, mix: Mix) -> None:
    unit = imported(build(mix, tmp_path / "iki.docx"), unit_kerja=UNIT)
    assert read(unit) == expected(mix)

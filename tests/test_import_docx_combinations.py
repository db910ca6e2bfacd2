"""Word documents that combine the layouts offices type (tests/combined_layouts.py) import
with every field the document says: positions, their names, tugas, fungsi, holder and
eselon, every sasaran and indikator with its formulasi, sources and tambahan, the year,
the letterhead (its instansi, lines, address, telephone and logo) and the signer."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from combined_layouts import (
    ASKED,
    GIVEN_SOURCE,
    NO_SOURCES,
    NOWHERE,
    UNIT,
    Mix,
    build,
    expected,
    mixes,
)
from importing import imported, problems_of

from ikidoc import DataError, UnitKerja
from ikidoc.errors import Choice
from ikidoc.importers import import_file

MIXES = mixes(40)


def read(unit: UnitKerja) -> dict[str, Any]:
    """The fields the generator states, as the imported data file holds them."""
    return {"unit_kerja": unit.unit_kerja, "tahun": unit.tahun, "instansi": unit.instansi,
            "penandatangan": (unit.penandatangan.model_dump(exclude_none=True)
                              if unit.penandatangan else None),
            "kop": unit.kop.model_dump(exclude_none=True) if unit.kop else None,
            "tempat": unit.tempat, "tanggal": str(unit.tanggal) if unit.tanggal else None,
            "jabatan": [jab.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                        for jab in unit.jabatan]}


@pytest.mark.parametrize("mix", MIXES, ids=[mix.label for mix in MIXES])
def test_a_document_combining_office_layouts_imports_every_field_it_says(
        tmp_path: Path, mix: Mix) -> None:
    given = {} if mix.unit_line else {"unit_kerja": UNIT}
    unit = imported(build(mix, tmp_path / "iki.docx"), **given)
    assert read(unit) == expected(mix)


def choices_of(path: Path) -> list[Choice | None]:
    """The choices the problems of an import that must fail carry, after checking that
    the problems name the option that decides."""
    problems = problems_of(path, unit_kerja=UNIT)
    with pytest.raises(DataError) as caught:
        import_file(path, path.parent / "unit.yaml", fields={"unit_kerja": UNIT})
    found = [problem.choice for problem in caught.value.problems]
    assert all(choice is not None and choice.option in text
               for choice, text in zip(found, problems, strict=True))
    return found


# Combinations that leave the position's name, or the sources, to the user: a document
# that names no position anywhere, and a table with no sources at all.
UNNAMED = [replace(mix, naming=NOWHERE, positions=1, side_by_side=False, unit_line=False)
           for mix in MIXES[:40:5] if mix.naming != "group"]
UNSOURCED = [replace(mix, sources=NO_SOURCES, merged_sources=False, unit_line=False)
             for mix in MIXES[1:40:6]]


@pytest.mark.parametrize("mix", UNNAMED, ids=[mix.label for mix in UNNAMED])
def test_a_combination_naming_no_position_asks_for_it_and_reads_with_jabatan(
        tmp_path: Path, mix: Mix) -> None:
    path = build(mix, tmp_path / "iki.docx")
    assert choices_of(path) == [Choice("jabatan", "--jabatan", 1)]
    assert read(imported(path, unit_kerja=UNIT, jabatan=ASKED)) == expected(mix)


@pytest.mark.parametrize("mix", UNSOURCED, ids=[mix.label for mix in UNSOURCED])
def test_a_combination_naming_no_source_asks_for_one_and_reads_with_sumber_data(
        tmp_path: Path, mix: Mix) -> None:
    path = build(mix, tmp_path / "iki.docx")
    found = choices_of(path)
    assert [(choice.kind, choice.option) for choice in found if choice] == [
        ("sumber_data", "--sumber-data")] * len(found)
    assert read(imported(path, unit_kerja=UNIT, sumber_data=GIVEN_SOURCE)) == expected(mix)

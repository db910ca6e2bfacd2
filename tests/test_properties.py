"""Property tests: any text Word can hold comes through exactly; anything else is an
error naming the field; valid data always generates."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ikidoc import context, formats, templates
from ikidoc.errors import DataError, IkidocError
from ikidoc.load import Source, validate
from ikidoc.model import UnitKerja
from ikidoc.render import CompiledTemplate

COMPILED = CompiledTemplate(templates.resolve("iki"))
FORBIDDEN = [
    chr(c) for c in [*range(9), 11, 12, *range(14, 32), *range(0x80, 0xA0), 0xFFFE, 0xFFFF]
]
# Text a Word document can hold: XML 1.0 characters, less the C0/C1 controls
# the data format refuses.
holdable = st.text(
    st.characters(codec="utf-8", exclude_characters=FORBIDDEN, exclude_categories=["Cs"]),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip())
FIELDS = ["nama", "tugas", "sasaran", "indikator", "formulasi", "sumber"]


def data_with(field: str, text: Any) -> dict[str, Any]:
    indikator = {
        "uraian": "Indikator", "formulasi": "Formulasi", "sumber_data": ["Laporan", "Arsip"]
    }
    jabatan = {
        "nama": "Analis",
        "tugas": ["Menyusun"],
        "sasaran": [{"uraian": "Sasaran", "indikator": [indikator]}],
    }
    if field == "nama":
        jabatan["nama"] = text
    elif field == "tugas":
        jabatan["tugas"] = [text]
    elif field == "sasaran":
        jabatan["sasaran"][0]["uraian"] = text
    elif field == "indikator":
        indikator["uraian"] = text
    elif field == "formulasi":
        indikator["formulasi"] = text
    else:
        indikator["sumber_data"] = [text, "Arsip"]
    return {"unit_kerja": "Bagian Uji", "jabatan": [jabatan]}


def printed(field: str, document: docx.document.Document) -> str:
    paragraphs = [p.text for p in document.paragraphs]
    return {
        "nama": paragraphs[1].removeprefix("Jabatan\t:\t"),
        "tugas": paragraphs[2].removeprefix("Tugas\t:\ta.\t"),
        "sasaran": document.tables[0].rows[2].cells[0].paragraphs[0].text,
        "indikator": document.tables[0].rows[2].cells[1].paragraphs[0].text,
        "formulasi": document.tables[0].rows[2].cells[2].paragraphs[0].text,
        "sumber": document.tables[0].rows[2].cells[3].paragraphs[0].text.removeprefix("- "),
    }[field]


def render_first(unit: UnitKerja) -> docx.document.Document:
    return docx.Document(io.BytesIO(COMPILED.position(unit, context.for_unit(unit), 0)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=holdable)
def test_any_holdable_text_is_printed_exactly(field: str, text: str) -> None:
    unit = UnitKerja.model_validate(data_with(field, text))
    expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if field in ("tugas", "sumber"):
        expected = formats.strip_marker(expected)
    assert printed(field, render_first(unit)) == expected


@settings(max_examples=40, deadline=None)
@given(
    field=st.sampled_from(FIELDS), before=holdable, bad=st.sampled_from(FORBIDDEN), after=holdable
)
def test_any_other_character_is_an_error_naming_the_field(field: str, before: str, bad: str,
                                                           after: str) -> None:
    with pytest.raises(DataError) as caught:
        validate(data_with(field, before + bad + after))
    [problem] = caught.value.problems
    assert f"U+{ord(bad):04X}" in str(problem.message)
    assert problem.path.split(" ")[0].endswith({
        "nama": ".nama",
        "tugas": ".tugas[0]",
        "sasaran": "sasaran[0].uraian",
        "indikator": "indikator[0].uraian",
        "formulasi": ".formulasi",
        "sumber": ".sumber_data[0]",
    }[field])


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | holdable,
                           lambda children: st.lists(children, max_size=3)
                           | st.dictionaries(holdable, children, max_size=3), max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["unit_kerja", "tahun", "tanggal", "tempat", "jabatan",
                                             "penandatangan", "tambahan", "extra"]), json_values))
def test_arbitrary_data_gives_a_unit_or_a_data_error(data: dict[str, Any]) -> None:
    try:
        unit = validate(data)
    except DataError:
        return
    with contextlib.suppress(IkidocError):
        COMPILED.combined(unit, context.for_unit(unit))


@settings(max_examples=25, deadline=None)
@given(names=st.lists(holdable, min_size=1, max_size=4), tugas=st.lists(holdable, max_size=3),
       sources=st.lists(st.lists(holdable, min_size=1, max_size=2), min_size=1, max_size=3))
def test_any_valid_unit_generates_every_document(names: list[str], tugas: list[str],
                                                 sources: list[list[str]]) -> None:
    unit = UnitKerja.model_validate({"unit_kerja": "Bagian Uji", "jabatan": [
        {"nama": name, "tugas": tugas, "sasaran": [{"uraian": name, "indikator": [
            {"uraian": "I", "formulasi": "F", "sumber_data": s} for s in sources]}]}
        for name in names]})
    dokumen = context.for_unit(unit)
    for index in range(len(names)):
        document = docx.Document(io.BytesIO(COMPILED.position(unit, dokumen, index)))
        assert len(document.tables[0].rows) == 2 + len(sources)
    assert docx.Document(io.BytesIO(COMPILED.combined(unit, dokumen))).tables


def test_source_problem_names_line_of_nearest_value() -> None:
    source = Source(path=Path("u.yaml"), sha256="", unit=UnitKerja.model_validate(
        data_with("nama", "Analis")), positions={("jabatan", 0): (4, 3)})
    problem = source.problem(("jabatan", 0, "tambahan", "kode"), "missing")
    assert (problem.line, problem.column, problem.path) == (
        4, 3, "jabatan[0].tambahan.kode (Analis)"
    )

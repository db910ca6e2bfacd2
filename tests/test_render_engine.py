"""The rendering engine against plain docxtpl: every part of every document the same
XML (after C14N canonicalisation) as DocxTemplate(path).render(...).save(...) makes from
the same template and data, whether the engine wrote it in one piece or in many."""
from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import SAMPLE, edit_template, repeated_sample
from lxml import etree

from benchmarks.plain_docxtpl import render as render_plain
from ikidoc import context, render, templates
from ikidoc.errors import TemplateError
from ikidoc.load import load_file
from ikidoc.render import CORE, DOCUMENT, CompiledTemplate

# ikidoc writes the document properties from the data (title, subject, author, a date that
# is never the clock's); docxtpl keeps the template's own. The one part allowed to differ.
WRITTEN_FROM_THE_DATA = {CORE}
MANY = 150  # positions whose combined document is written in several pieces (render._PIECE)


def parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return {name: package.read(name) for name in package.namelist()}


def canonical(name: str, data: bytes) -> bytes:
    """An XML part in C14N (attribute order, quoting and namespace placement do not
    count), any other part (the thumbnail) as it is."""
    if name.endswith((".xml", ".rels")):
        return etree.tostring(etree.fromstring(data), method="c14n")
    return data


def assert_same_as_docxtpl(made: bytes, template: Path, values: dict[str, Any],
                           combined: bool = False) -> None:
    plain = io.BytesIO()
    render_plain(template, values, plain, render.environment(), combined=combined)
    ours, theirs = parts(made), parts(plain.getvalue())
    assert set(ours) == set(theirs)
    for name in sorted(set(ours) - WRITTEN_FROM_THE_DATA):
        assert canonical(name, ours[name]) == canonical(name, theirs[name]), name


@pytest.mark.parametrize("name", [t.manifest.name for t in templates.available()])
def test_every_part_is_the_xml_plain_docxtpl_makes(name: str) -> None:
    template = templates.resolve(name)
    compiled = CompiledTemplate(template)
    unit = load_file(SAMPLE).unit
    dokumen = context.for_unit(unit)
    if compiled.scope == "jabatan":
        for index in range(len(unit.jabatan)):
            assert_same_as_docxtpl(compiled.position(unit, dokumen, index), template.docx,
                                   context.for_position(dokumen, index, compiled.switches(unit)))
    assert_same_as_docxtpl(compiled.combined(unit, dokumen), template.docx,
                           context.for_document(dokumen, compiled.switches(unit)),
                           combined=compiled.scope == "jabatan")


def test_a_document_written_in_many_pieces_is_the_xml_docxtpl_makes_whole() -> None:
    unit = repeated_sample(MANY)
    first = unit.jabatan[0]
    tugas = ["Menyusun laporan\nbulanan dan\ttahunan", *first.tugas]  # line break and tab
    lines = first.model_copy(update={"tugas": tugas})
    unit = unit.model_copy(update={"jabatan": [lines, *unit.jabatan[1:]]})
    template = templates.resolve("iki")
    dokumen = context.for_unit(unit)
    compiled = CompiledTemplate(template)
    made = compiled.combined(unit, dokumen)
    assert len(parts(made)[DOCUMENT]) > 3 * render._PIECE  # so it was written in several pieces
    assert_same_as_docxtpl(made, template.docx,
                           context.for_document(dokumen, compiled.switches(unit)), combined=True)


def test_headers_render_as_docxtpl_renders_them(iki_copy: Path) -> None:
    word = docx.Document(str(iki_copy / "template.docx"))
    word.sections[0].header.paragraphs[0].text = "IKI {{ jabatan.nama }}, {{ dokumen.unit_kerja }}"
    word.save(str(iki_copy / "template.docx"))
    template = templates.read(iki_copy, "path")
    unit = load_file(SAMPLE).unit
    dokumen = context.for_unit(unit)
    compiled = CompiledTemplate(template)
    made = compiled.position(unit, dokumen, 1)
    header = docx.Document(io.BytesIO(made)).sections[0].header.paragraphs[0].text
    assert header == "IKI Bendahara, Bagian Administrasi Perekonomian"
    assert_same_as_docxtpl(made, template.docx,
                           context.for_position(dokumen, 1, compiled.switches(unit)))


@pytest.mark.parametrize(("printed", "error"), [
    ("</w:t>", "Opening and ending tag mismatch"),
    ("<q:x/>", "Namespace prefix q on x is not defined"),
])
def test_broken_xml_in_a_late_piece_is_a_template_error(iki_copy: Path, printed: str,
                                                        error: str) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}",
                  f"{{{{ jabatan.nama }}}}"
                  f"{{{{ '{printed}' | safe if jabatan.nomor == {MANY} else '' }}}}")
    unit = repeated_sample(MANY)
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate(templates.read(iki_copy, "path")).combined(unit, context.for_unit(unit))
    assert str(caught.value.where) == DOCUMENT
    assert str(caught.value.detail).startswith("renders to a broken Word document (")
    assert error in str(caught.value.detail)


def test_a_pickled_template_renders_the_same_bytes() -> None:
    compiled = CompiledTemplate(templates.resolve("iki"))
    unit = load_file(SAMPLE).unit
    dokumen = context.for_unit(unit)
    copy = pickle.loads(pickle.dumps(compiled))
    assert copy.position(unit, dokumen, 3) == compiled.position(unit, dokumen, 3)
    assert copy.combined(unit, dokumen) == compiled.combined(unit, dokumen)

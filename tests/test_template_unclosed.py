"""A block opened in Word and never closed ({% for %} or {% if %} without its end) is
placed where it opens, the paragraph or table cell of its opening tag, not at the end of
the document where Jinja notices it."""
from __future__ import annotations

import copy
import io

import docx
import pytest
from docx.oxml.ns import qn
from starlette.testclient import TestClient
from test_web import client, page, rows, uploads_root

__all__ = ["client", "uploads_root"]  # the fixtures, used by name


def _downloaded(client: TestClient) -> docx.document.Document:
    return docx.Document(io.BytesIO(client.get("/template/iki/unduh.docx").content))


def _checked(client: TestClient, document: docx.document.Document):  # type: ignore[no-untyped-def]
    edited = io.BytesIO()
    document.save(edited)
    return client.post("/template", files={"berkas": ("iki.docx", edited.getvalue())})


@pytest.mark.parametrize("opening", ["{% for tugas in jabatan.tugas %}{{ tugas }}",
                                     "{%p if jabatan.nama %}"])
def test_a_block_never_closed_is_placed_at_its_opening_paragraph(
        client: TestClient, opening: str) -> None:
    document = _downloaded(client)
    anchor = next(p for p in document.paragraphs if p.text.startswith("Jabatan"))
    added = copy.deepcopy(anchor._p)
    anchor._p.addnext(added)
    [inserted] = [p for p in document.paragraphs if p._p is added]
    for run in inserted.runs[1:]:
        run.text = ""
    inserted.runs[0].text = opening
    number = [p._p for p in document.paragraphs].index(added) + 1
    response = _checked(client, document)
    assert response.status_code == 400
    [[where, what]] = rows(response, "masalah")
    block = opening.split()[1]
    assert where == f"isi dokumen, paragraf {number}: {opening!r}"
    assert what.startswith(f"bagian {{% {block} … %}} tidak pernah ditutup: tambahkan")
    assert not page(response).xpath("//form[contains(@action, '/pasang/')]")


def test_a_block_never_closed_in_a_table_cell_is_placed_at_that_cell(client: TestClient) -> None:
    document = _downloaded(client)
    table = document.add_table(rows=2, cols=3)
    table.cell(1, 2).text = "{% if jabatan.nama %}Ada"
    tables = list(document.element.body.iter(qn("w:tbl")))
    response = _checked(client, document)
    [[where, what]] = rows(response, "masalah")
    number = tables.index(table._tbl) + 1
    assert where == f"isi dokumen, tabel {number}, baris 2, kolom 3: '{{% if jabatan.nama %}}Ada'"
    assert what == ("bagian {% if … %} tidak pernah ditutup: tambahkan {%p endif %} di tempat "
                    "bagian itu berakhir")

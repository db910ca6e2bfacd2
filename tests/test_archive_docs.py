"""docs/archive.md tells an auditor every key the archive really writes: a sample archive
is generated with everything a manifest can hold (a logo, switches set for the run, PDFs,
a revision before it), and each key found in it must have its row in the document; so must
every field and kind of a finding of ``archive verify``."""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from conftest import REPO
from test_bundled_templates import full_unit
from test_pdf import fake_soffice

from ikidoc import generate
from ikidoc.audit import Finding
from ikidoc.verification import Kind

DOC = (REPO / "docs" / "archive.md").read_text(encoding="utf-8")
# Maps whose keys are names the data or the template chooses, not keys of the format.
NAMED = {"inputs.pilihan", "template.switches"}


def documented(first_column: bool = False) -> set[str]:
    """The names in backquotes in the document's tables (only in their first column, a
    row's own names, with ``first_column``): `a`, `b` | ... gives a and b."""
    rows = re.findall(r"^\|(.*)\|$", DOC, flags=re.MULTILINE)
    cells = [row.split("|")[0] if first_column else row for row in rows]
    return {name for cell in cells for name in re.findall(r"`([^`]+)`", cell)}


def keys(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, key) of every key in a JSON value, the keys of NAMED maps left out (their
    values' keys are not)."""
    if isinstance(value, list):
        for item in value:
            yield from keys(item, f"{path}[]")
    elif isinstance(value, dict):
        for key, child in value.items():
            if path not in NAMED:
                yield f"{path}.{key}".lstrip("."), key
            yield from keys(child, f"{path}.{key}".lstrip(".") if path not in NAMED
                            else f"{path}.*")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A unit folder of two revisions: the second with PDFs (a stand-in soffice, which
    writes what LibreOffice writes as far as ikidoc checks), both with a logo and a
    switch set for the run, of a template with required and optional free fields."""
    folder = tmp_path_factory.mktemp("archive")
    data = full_unit(folder / "data")
    output = folder / "output"
    settings = {"baris_nomor": False}
    generate([data], "iki-penanggung-jawab", output, settings=settings)
    fake_soffice(folder / "bin", b"%PDF-1.7 <pdfaid:part>2</pdfaid:part>")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", str(folder / "bin"))
        [outcome] = generate([data], "iki-penanggung-jawab", output, pdf=True,
                             settings=settings)
    assert outcome.folder.name == "r2" and outcome.pdfs
    return outcome.folder.parent


def test_every_key_of_a_written_manifest_has_its_row_in_the_archive_document(
        archive: Path) -> None:
    manifest = json.loads((archive / "r2" / "manifest.json").read_text(encoding="utf-8"))
    found = dict(keys(manifest))
    # the sample holds what only some revisions hold
    assert {"inputs.kop_logo_sha256", "inputs.pilihan", "files[].pdf_of",
            "previous.revision", "template.switches.*.default",
            "template.tambahan.indikator"} <= set(found)
    own_rows = documented(first_column=True)  # a key of the format has a row of its own
    assert sorted(where for where, key in found.items() if key not in own_rows
                  and not (where.count(".") > 1 and key in documented())) == []


def test_every_key_of_a_unit_record_has_its_row_in_the_archive_document(archive: Path) -> None:
    record = json.loads((archive / "unit.json").read_text(encoding="utf-8"))
    assert sorted(record) == ["format", "instansi", "tahun", "unit_kerja"]
    assert [key for key in record if key not in documented(first_column=True)] == []


def test_every_field_and_kind_of_a_finding_has_its_row_in_the_archive_document() -> None:
    fields = [field.name for field in dataclasses.fields(Finding)]
    assert {"template", "made_with"} <= set(fields)
    assert [name for name in fields if name not in documented(first_column=True)] == []
    assert [kind for kind in get_args(Kind) if kind not in documented(first_column=True)] == []

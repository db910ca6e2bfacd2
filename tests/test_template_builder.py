"""The committed templates/*/template.docx are what tools/build_templates.py builds: a hand
edit of a committed template, or a change to the builder not run again, shows here. Parts
are compared as canonical XML (C14N), not as zip bytes, which hold the time of writing."""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree


def builder() -> ModuleType:
    """tools/build_templates.py, loaded from its file (tools/ is no package)."""
    path = Path(__file__).resolve().parent.parent / "tools" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_templates = builder()


def canonical_parts(docx: bytes) -> dict[str, bytes]:
    """A package's parts by name, each XML part in C14N."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    return {name: etree.tostring(etree.fromstring(data), method="c14n")
            if name.endswith((".xml", ".rels")) else data for name, data in parts.items()}


def drift(built: bytes, committed: bytes) -> list[str]:
    """The parts in which two packages differ (missing from one of them, or changed)."""
    ours, theirs = canonical_parts(built), canonical_parts(committed)
    return sorted(name for name in set(ours) | set(theirs) if ours.get(name) != theirs.get(name))


def test_every_bundled_template_has_a_builder() -> None:
    committed = {path.parent.name for path in build_templates.ROOT.glob("*/template.docx")}
    assert committed == set(build_templates.BUILDERS)


@pytest.mark.parametrize("name", sorted(build_templates.BUILDERS))
def test_the_committed_template_is_what_the_builder_builds(name: str, tmp_path: Path) -> None:
    build_templates.BUILDERS[name](tmp_path / name)
    built = (tmp_path / name / "template.docx").read_bytes()
    committed = (build_templates.ROOT / name / "template.docx").read_bytes()
    assert drift(built, committed) == []


def test_a_hand_edit_of_a_template_is_drift(tmp_path: Path) -> None:
    committed = (build_templates.ROOT / "iki" / "template.docx").read_bytes()
    edited = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(committed)) as source, \
            zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"SUMBER DATA", b"SUMBER  DATA", 1)
            target.writestr(info, data)
    assert drift(edited.getvalue(), committed) == ["word/document.xml"]
    rezipped = io.BytesIO()  # the same parts in another zip are no drift
    with zipfile.ZipFile(io.BytesIO(committed)) as source, \
            zipfile.ZipFile(rezipped, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    assert rezipped.getvalue() != committed and drift(rezipped.getvalue(), committed) == []

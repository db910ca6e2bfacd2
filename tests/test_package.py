"""Word packages written from parts compressed once: the very bytes zipfile writes."""
from __future__ import annotations

import io
import zipfile

import pytest
from conftest import REPO

from ikidoc.package import Package


def template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(REPO / "templates" / "iki" / "template.docx") as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def written_by_zipfile(parts: dict[str, bytes]) -> bytes:
    """What ikidoc wrote before Package: one zipfile entry per part, fixed date and mode."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize("changed", [
    {},
    {"word/document.xml": [b"<w:document/>"]},
    {"word/document.xml": [b"<a>", b"x" * 300_000, b"", b"</a>"], "docProps/core.xml": [b""]},
])
def test_writes_the_bytes_zipfile_writes(changed: dict[str, list[bytes]]) -> None:
    parts = template_parts()
    whole = {name: b"".join(pieces) for name, pieces in changed.items()}
    expected = written_by_zipfile({**parts, **whole})
    assert Package(parts).write(changed) == expected


def test_keeps_non_ascii_part_names() -> None:
    parts = {"[Content_Types].xml": b"<Types/>", "word/média/gambar ö.xml": b"<x/>"}
    written = Package(parts).write({})
    assert written == written_by_zipfile(parts)
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        assert package.read("word/média/gambar ö.xml") == b"<x/>"


def test_refuses_a_part_the_template_does_not_have() -> None:
    with pytest.raises(KeyError, match=r"word/footer9\.xml"):
        Package(template_parts()).write({"word/footer9.xml": [b"<w:ftr/>"]})

"""Only ikidoc/ooxml touches XML: no other module of the package imports lxml or
python-docx's XML layer, reaches into python-docx's private attributes, or writes
WordprocessingML markup as text. A docxtpl or python-docx upgrade then breaks one package."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ikidoc"
LAYER = PACKAGE / "ooxml"
# python-docx's modules that hand out lxml elements or wrap them.
_XML_MODULES = ("lxml", "docx.oxml", "docx.text", "docx.table", "docx.document", "docx.types",
                "xml.etree", "xml.dom")
# The attributes through which python-docx's objects give away their XML.
_PRIVATE = {"_p", "_r", "_tbl", "_tr", "_tc", "_element", "_parent", "_body", "_part",
            "_document_part", "_sectPr", "_gridCol", "element", "oxml"}


def crossings(source: str) -> list[str]:
    """Where a module's source crosses the boundary, as "line N: what" texts."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [
                node.module or "", *(f"{node.module}.{alias.name}" for alias in node.names)]
            found += [f"line {node.lineno}: imports {name}" for name in names
                      if any(name == module or name.startswith(f"{module}.")
                             for module in _XML_MODULES)][:1]
        elif isinstance(node, ast.Attribute) and node.attr in _PRIVATE:
            found.append(f"line {node.lineno}: reads .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and ("<w:" in node.value or "</w:" in node.value):
            found.append(f"line {node.lineno}: writes WordprocessingML {node.value[:30]!r}")
    return found


def test_no_module_outside_the_ooxml_layer_touches_xml() -> None:
    outside = [path for path in sorted(PACKAGE.rglob("*.py")) if LAYER not in path.parents]
    assert len(outside) > 50  # the walk sees the package, not an empty folder
    found = {str(path.relative_to(PACKAGE)): hits for path in outside
             if (hits := crossings(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_ooxml_layer_itself_is_seen_as_touching_xml() -> None:
    assert any(crossings(path.read_text(encoding="utf-8")) for path in LAYER.glob("*.py"))


@pytest.mark.parametrize(("source", "expected"), [
    ("from lxml import etree\n", ["line 1: imports lxml"]),
    ("import lxml.etree as et\n", ["line 1: imports lxml.etree"]),
    ("from docx.oxml.ns import qn\n", ["line 1: imports docx.oxml.ns"]),
    ("from docx.text.paragraph import Paragraph\n", ["line 1: imports docx.text.paragraph"]),
    ("from docx import oxml\n", ["line 1: imports docx.oxml"]),
    ("def f(paragraph):\n    return paragraph._p.pPr\n", ["line 2: reads ._p"]),
    ("rows = table._tbl.tr_lst\n", ["line 1: reads ._tbl"]),
    ("merge = cell._tc.vMerge\n", ["line 1: reads ._tc"]),
    ("body = document.element.body\n", ["line 1: reads .element"]),
    ("xml = re.sub(r'<w:p([ >])', r'\\n<w:p\\1', xml)\n",
     ["line 1: writes WordprocessingML '<w:p([ >])'",
      "line 1: writes WordprocessingML '\\\\n<w:p\\\\1'"]),
    ("END = '</w:p>'\n", ["line 1: writes WordprocessingML '</w:p>'"]),
    # what the rest of the package may do
    ("import docx\nfrom docx.image.image import Image\n", []),
    ("self._parts = {}\nvalue = self._element_count\n", []),
    ("text = 'w:numPr in a docstring is a name, not markup'\n", []),
])
def test_the_check_flags_what_crosses_the_boundary(source: str, expected: list[str]) -> None:
    assert crossings(source) == expected

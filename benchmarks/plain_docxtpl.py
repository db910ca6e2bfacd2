"""The plain docxtpl path for an ikidoc template: what ikidoc's engine is checked against
(tests/test_render_engine.py) and measured against (benchmarks/bench_generate.py).

docxtpl does not know ikidoc's own tag ``{% vmerge CONDITION %}``; ikidoc prepares it
(ooxml.tags.prepare_tags) before docxtpl's own preparation, and so does this class, on a copy
of each part it serialises. Everything else is docxtpl's: DocxTemplate(path).render(...)
then .save(...), one template read and parsed per document.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.oxml import parse_xml
from docxtpl import DocxTemplate

from ikidoc.ooxml.names import w
from ikidoc.ooxml.repetition import repeat_body
from ikidoc.ooxml.tags import prepare_tags

if TYPE_CHECKING:
    from jinja2 import Environment


class PlainDocxTemplate(DocxTemplate):
    """A docxtpl DocxTemplate that knows ikidoc's tags. With ``combined`` its body repeats
    once per position (ooxml.repetition.repeat_body), as in ikidoc's combined document."""

    def __init__(self, path: str | Path, *, combined: bool = False) -> None:
        super().__init__(str(path))
        self.combined = combined

    def get_xml(self) -> str:
        document = copy.deepcopy(self.docx._element)
        prepare_tags(document)
        if self.combined:
            repeat_body(document, "jabatan in dokumen.jabatan")
        return self.xml_to_string(document.find(w("body")))

    def get_part_xml(self, part: Any) -> str:
        root = parse_xml(part.blob)
        prepare_tags(root)
        return self.xml_to_string(root)


def render(path: str | Path, values: dict[str, Any], target: Any, jinja_env: Environment, *,
           combined: bool = False) -> None:
    """One document the plain way: read the template, render ``values`` with ikidoc's
    Jinja environment (render.environment()), save to ``target`` (a path or a binary file)."""
    template = PlainDocxTemplate(path, combined=combined)
    template.render(values, jinja_env=jinja_env)
    template.save(target)

"""``ikidoc templates check``: everything that can be wrong with a template HR edited.

Tag syntax, tags placed where docxtpl breaks the document, variables the data model
does not have (with the likely intended name), ``tambahan`` fields the manifest does
not declare, then a trial render whose every document must open as a Word file.
"""
from __future__ import annotations

import difflib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from jinja2 import nodes

from ikidoc import context
from ikidoc.bundled import sample_paths
from ikidoc.errors import Finding, TemplateCheckError, TemplateError
from ikidoc.load import Source, load_paths
from ikidoc.messages import Message, msg
from ikidoc.model import UnitKerja
from ikidoc.ooxml import parsing, tags
from ikidoc.ooxml.places import part_name, place_in
from ikidoc.render import CompiledTemplate, environment
from ikidoc.templates import Template, missing_data

LEVELS = {"jabatan": "jabatan", "sasaran": "sasaran", "indikator": "indikator"}
# Names Jinja itself provides to every template.
_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none",
            "True", "False", "None"}


@dataclass
class Shape:
    """What a template expression may hold: a mapping with known keys, a list of one
    shape, free ``tambahan`` fields of a level, or a plain value."""

    keys: dict[str, Shape] | None = None
    item: Shape | None = None
    tambahan_of: str | None = None


ANY = Shape()  # nothing known: any name may follow
_LOOP = Shape(keys={k: ANY for k in ("index", "index0", "revindex", "revindex0", "first", "last",
                                      "length", "cycle", "depth", "depth0", "previtem", "nextitem",
                                      "changed")})


def _shape_of(value: Any, level: str = "dokumen") -> Shape:
    if isinstance(value, dict):
        keys = {}
        for key, item in value.items():
            if key == "tambahan":
                keys[key] = Shape(tambahan_of=level)
            else:
                keys[key] = _shape_of(item, LEVELS.get(key, level))
        return Shape(keys=keys)
    if isinstance(value, list):
        return Shape(item=_shape_of(value[0], level) if value else ANY)
    return ANY


def _specimen() -> dict[str, Any]:
    """The ``dokumen`` value of a unit with every optional field given, so that every
    name a template may use is known."""
    person = {"jabatan": "J", "nama": "N", "pangkat": "P", "nip": "198005122005011002"}
    unit = UnitKerja.model_validate({
        "instansi": "I", "induk": "I", "unit_kerja": "U", "tahun": 2025, "tempat": "T",
        "tanggal": "2025-01-02", "penandatangan": person,
        "kop": {"baris": ["B"], "alamat": "A", "telepon": "T", "laman": "L", "logo": "L"},
        "jabatan": [{"nama": "J", "tugas": ["T"], "fungsi": ["F"], "penandatangan": person,
                     "pemangku": {k: v for k, v in person.items() if k != "jabatan"},
                     "sasaran": [{"uraian": "S", "indikator": [
                         {"uraian": "I", "formulasi": "F", "sumber_data": ["D"]}]}]}],
    })
    return context.for_unit(unit)


@dataclass
class _Walker:
    """Walks a template's Jinja syntax tree, resolving each name to its Shape."""

    template: Template
    findings: list[tuple[str, Message]] = field(default_factory=list)  # (expression, message)

    def walk(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        if isinstance(node, nodes.For):
            self._loop(node, scope)
            return
        if isinstance(node, nodes.Name) and node.ctx != "load":
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) or _optional_field(node):
            self.resolve(node, scope)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            scope.update((name, ANY) for name in _bound_names(node.target))
        if isinstance(node, nodes.Macro):
            scope[node.name] = ANY
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            scope = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            scope.update((arg.name, ANY) for arg in node.args)
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def _loop(self, node: nodes.For, scope: dict[str, Shape]) -> None:
        """A for loop binds its target to the item Shape of what it iterates, and ``loop``."""
        iterated = self.resolve(node.iter, scope)
        inner = dict(scope, loop=_LOOP)
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = iterated.item or ANY
        else:
            inner.update((name.name, ANY) for name in node.target.find_all(nodes.Name))
        for child in ([node.test] if node.test else []) + node.body:
            self.walk(child, inner)
        for child in node.else_:
            self.walk(child, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        """The Shape of an expression, reporting the first unknown name on its path."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _GLOBALS:
                self._unknown(node.name, list(scope), node.name)
            return ANY
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and \
                _optional_field(node):
            parent = self.resolve(node.node.node, scope)
            key = _constant(node.args[0])
            if parent.tambahan_of and not self.template.manifest.declares(parent.tambahan_of, key):
                self._undeclared(parent.tambahan_of, key, _dotted(node.node.node))
            for child in node.args[1:]:
                self.walk(child, scope)
            return ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            key = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
            parent = self.resolve(node.node, scope)
            if isinstance(node, nodes.Getitem) and key is None:
                self.walk(node.arg, scope)
                return parent.item or ANY
            return self._member(parent, str(key), _dotted(node))
        for inner in node.iter_child_nodes():
            self.walk(inner, scope)
        return ANY

    def _member(self, parent: Shape, key: str, path: str) -> Shape:
        if parent.tambahan_of:
            required = getattr(self.template.manifest.tambahan, parent.tambahan_of)
            if key not in required and self.template.manifest.declares(parent.tambahan_of, key):
                self.findings.append((path, msg(
                    "check.optional_field", "{path}: {key!r} is optional, so a unit without it "
                    "fails to render; write {base}.get({key!r})", path=path, key=key,
                    base=path.rsplit(".", 1)[0])))
            elif key not in required:
                self._undeclared(parent.tambahan_of, key, path.rsplit(".", 1)[0])
            return ANY
        if parent.keys is None:
            return ANY
        if key not in parent.keys:
            self._unknown(path, list(parent.keys), key)
            return ANY
        return parent.keys[key]

    def _undeclared(self, level: str, key: str, path: str) -> None:
        field = f"{path}.{key}"
        self.findings.append((field, msg(
            "check.undeclared", "{path}: tambahan field {key!r} of {level} is not declared in "
            "template.yaml (add it under tambahan: {level}: or, if the data may leave it out, "
            "tambahan_opsional: {level}:)", path=field, key=key, level=level)))

    def _unknown(self, path: str, known: list[str], key: str) -> None:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        base = path.rsplit(".", 1)[0] + "." if "." in path else ""
        if close:
            found = msg("check.unknown_variable_close", "unknown variable {path!r}; did you "
                        "mean {name!r}?", path=path, name=base + close[0])
        else:
            found = msg("check.unknown_variable", "unknown variable {path!r}; known here: "
                        "{known}", path=path, known=sorted(known))
        if path.startswith("pilihan."):
            found = msg("check.switch_hint", "{found} (a template's switches are declared in "
                        "template.yaml under switches:)", found=found)
        self.findings.append((path, found))


def _bound_names(target: nodes.Node) -> list[str]:
    """The names a ``{% set %}`` binds: its target itself, or each of a tuple's."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


def _optional_field(node: nodes.Node) -> bool:
    """``x.tambahan.get("key")``: how a template reads a field the data may leave out."""
    return (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr)
            and node.node.attr == "get" and bool(node.args)
            and isinstance(_constant(node.args[0]), str))


def _constant(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        key = _constant(node.arg)
        inner = _dotted(node.node)
        return f"{inner}.{key}" if isinstance(key, str) else f"{inner}[...]"
    return "(expression)"


@dataclass(frozen=True)
class Report:
    """A template that passed every check: what it was tried on."""

    template: Template
    data: list[Path]
    documents: int


def check(template: Template, data: list[Path] | None = None) -> Report:
    """Check a template; return a Report, or raise TemplateCheckError listing every finding.

    ``data`` defaults to the bundled sample. Data that is itself invalid raises DataError.
    """
    try:
        compiled = CompiledTemplate(template)
    except TemplateCheckError:
        raise
    except TemplateError as error:
        where = (_opening_of(template, error) or error.where
                 or Path(error.template).name)  # the file, when no place in it
        raise TemplateCheckError(template=template.folder,
                                 findings=[(where, error.detail)]) from None
    findings = _variable_findings(template, compiled)
    paths = data or sample_paths()
    sources = load_paths(paths)
    if not findings:
        findings += _trial_findings(template, compiled, sources)
    if findings:
        raise TemplateCheckError(template=template.folder, findings=findings)
    count = sum(len(s.unit.jabatan) + 1 if compiled.scope == "jabatan" else 1 for s in sources)
    return Report(template=template, data=[s.path for s in sources], documents=count)


def _opening_of(template: Template, error: TemplateError) -> Message | None:
    """For a block never closed, the place of the tag that opens it (tags.unclosed_opening)
    in the part the error names: Jinja places it at the part's end, where nothing is to
    be mended. None for another error, or when the opening tag is not found."""
    where = error.where
    if error.detail.kind != "template.unclosed_block" or not isinstance(where, Message):
        return None
    named = where.values.get("part") if where.kind == "part.place" else where
    try:
        with zipfile.ZipFile(template.docx) as package:  # read once already, within bounds
            part = next((name for name in package.namelist() if part_name(name) == named), None)
            root = parsing.parse(package.read(part)) if part is not None else None
    except (zipfile.BadZipFile, OSError, KeyError, parsing.BrokenXml):
        return None
    if part is None or root is None:
        return None
    place = tags.unclosed_opening(root, str(error.detail.values.get("block", "")))
    return place_in(part, place) if place is not None else None


def _variable_findings(template: Template, compiled: CompiledTemplate) -> list[Finding]:
    dokumen = _shape_of(_specimen())
    switches = Shape(keys={name: ANY for name in template.manifest.switches})
    scope = {"dokumen": dokumen, "pilihan": switches}
    if compiled.scope == "jabatan":
        assert dokumen.keys is not None and dokumen.keys["jabatan"].item is not None
        scope["jabatan"] = dokumen.keys["jabatan"].item
    env = environment()
    findings: list[Finding] = []
    for part, source in compiled.sources.items():
        walker = _Walker(template)
        walker.walk(env.parse(source), dict(scope))
        for path, message in walker.findings:
            where = compiled.roots[part].locate(holding=path)
            findings.append((place_in(part, where), message))
    return findings


def _trial_findings(template: Template, compiled: CompiledTemplate,
                    sources: list[Source]) -> list[Finding]:
    findings: list[Finding] = [(p.file, p.sentence()) for s in sources
                               for p in missing_data(s, template)]
    if findings:
        return findings
    for source in sources:
        dokumen = context.for_unit(source.unit)
        try:
            documents = [compiled.combined(source.unit, dokumen)]
            if compiled.scope == "jabatan":
                documents += [compiled.position(source.unit, dokumen, i)
                              for i in range(len(source.unit.jabatan))]
        except TemplateError as error:
            return [(msg("check.trial_at", "trial render with {name}: {where}",
                         name=source.path.name, where=error.where or ""), error.detail)]
        for number, blob in enumerate(documents):
            try:
                docx.Document(io.BytesIO(blob))
            except Exception as error:  # noqa: BLE001 -- python-docx raises many kinds here
                return [(msg("check.trial_document", "trial render with {name}, document "
                             "{number}", name=source.path.name, number=number + 1),
                         msg("check.not_openable", "the result does not open as a Word "
                             "document: {detail}", detail=str(error)))]
    return []

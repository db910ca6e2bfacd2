"""Render a template with a unit's data into .docx files, per position and combined.

The template is read, prepared by docxtpl and compiled by Jinja once, and the parts
of its package that documents do not change are compressed once; each document then
costs one Jinja render of its XML and the compression of the parts it changes.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import traceback
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import jinja2
from markupsafe import Markup

from ikidoc import context, formats, sandbox
from ikidoc.errors import TemplateCheckError, TemplateError
from ikidoc.letterhead import Logo
from ikidoc.messages import Message, msg
from ikidoc.model import UnitKerja
from ikidoc.ooxml import docxtpl_steps, parsing, properties
from ikidoc.ooxml.pictures import FIRST_DRAWING_ID
from ikidoc.ooxml.places import lone_tag, part_name, place_in
from ikidoc.ooxml.template import TemplatePart
from ikidoc.package import Package
from ikidoc.templates import Template

DOCUMENT = "word/document.xml"
_RELATIONSHIPS = "word/_rels/document.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"
CORE = "docProps/core.xml"
_HEADER_FOOTER = re.compile(r"word/(header|footer)\d*\.xml")
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # unpacked: a zip bomb must not exhaust memory
MAX_TEMPLATE_ENTRIES = 1000  # parts of template.docx; Word writes a few dozen
# What one part of a document may render to: a position's document is some ten kilobytes.
MAX_OUTPUT_BYTES = 32 * 1024 * 1024
MAX_OUTPUT_PER_POSITION = 4 * 1024 * 1024
# Rendered XML is finished, checked and compressed in pieces of about this many
# characters, each cut after a paragraph's end, so that a document of thousands of
# positions is never held whole; a position's document is one piece.
_PIECE = 1 << 18
_OWN_FILTERS = ("tanggal", "nip", "huruf", "daftar")  # beside Jinja's, see environment()


def environment() -> sandbox.Environment:
    """The Jinja environment of every template: sandboxed (no Python internals, files
    or environment, no changing the data) with bounds on time, memory and the size of
    what it computes (ikidoc.sandbox), strict (a missing variable is an error) and
    escaping for XML."""
    env = sandbox.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                              finalize=_printable, keep_trailing_newline=True)
    env.filters.update(tanggal=formats.tanggal, nip=formats.nip, huruf=formats.huruf,
                       daftar=_items)
    return env


def _as_text(value: Any) -> str:
    """How a free (tambahan) value reads in a document, never as Python writes it: yes
    or no as "ya"/"tidak", a date in Indonesian, a list's items joined by "; ", a
    mapping as "key: value" pairs; text and numbers as given."""
    if isinstance(value, str):  # nearly every value printed
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.date):
        return formats.tanggal(value)
    if isinstance(value, list | tuple):
        return "; ".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_as_text(item)}" for key, item in value.items())
    return str(value)


def _items(value: Any) -> list[Any]:
    """The ``daftar`` filter: the items of a free list for a loop, a single text being
    one item (not one per character), each without the letter or bullet typed before
    it, as for tugas."""
    items = value if isinstance(value, list) else [value]
    return [formats.strip_marker(item) if isinstance(item, str) else item for item in items]


def _printable(value: Any) -> Any:
    """Escape a printed value for XML and hide its braces from docxtpl's post-processing
    ("{_{" in the data would otherwise print as "{{"). None prints as nothing."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, Logo):
        return Markup(value.drawing())
    return Markup(docxtpl_steps.printed(_as_text(value)))


class CompiledTemplate:
    """A template ready to render many documents (docs/templates.md scopes).

    Raises TemplateError on construction when the .docx is not a Word file or its
    tags are not valid Jinja. ``parts`` are the package's parts as an earlier
    CompiledTemplate read them (see ``__reduce__``); by default they are read from
    ``template.docx``. ``settings`` are the switches given for the run (``generate
    --set``), over the defaults and the data's ``tambahan.pilihan``.
    """

    def __init__(self, template: Template, parts: dict[str, bytes] | None = None,
                 settings: dict[str, bool] | None = None) -> None:
        self.template = template
        self.settings = dict(settings or {})
        self._env = environment()
        self._entries = _read_package(template) if parts is None else parts
        self._zip = Package(self._entries)
        self._with_logo: dict[Logo, Package] = {}  # the package with a unit's logo added
        self.sources: dict[str, str] = {}  # part name -> Jinja source, for `templates check`
        self.roots: dict[str, TemplatePart] = {}  # part name -> prepared XML, to locate errors
        # compiled part -> its source and prepared XML, to say where rendering failed
        self._origins: dict[jinja2.Template, str] = {}
        root = self._prepare(DOCUMENT)
        self._single = self._compile(root, DOCUMENT)
        root.repeat_body("jabatan in dokumen.jabatan")
        self._combined = self._compile(root, DOCUMENT, keep=False)
        self._parts = {
            name: self._compile(self._prepare(name), name)
            for name, data in self._entries.items()
            if _HEADER_FOOTER.fullmatch(name) and (b"{{" in data or b"{%" in data)
        }

    @property
    def scope(self) -> str:
        return self.template.manifest.scope

    @functools.cached_property
    def sha256(self) -> str:
        """The template's hash (Template.sha256), read once for all the units of a run."""
        return self.template.sha256()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the template and the very parts read from it, compiled again when
        loaded (compiled Jinja does not pickle): a worker process of ``generate -j``
        then renders from the same bytes as its parent, even if the file changed since."""
        return (CompiledTemplate, (self.template, self._entries, self.settings))

    def _prepare(self, part: str) -> TemplatePart:
        """Parse a part and make its tags ready; refuse tags that would break the document
        or drop its text silently (all of them at once, with where each stands)."""
        root = TemplatePart(self._entries[part])
        misplaced = root.misplaced_tags()
        if misplaced:
            raise TemplateCheckError(template=self.template.docx,
                                     findings=[(place_in(part, where), what)
                                               for where, what in misplaced])
        root.prepare()
        return root

    def _compile(self, root: TemplatePart, part: str, keep: bool = True) -> jinja2.Template:
        source = root.jinja_source()
        if keep:
            self.sources[part], self.roots[part] = source, root.copy()
        try:
            compiled = self._env.from_string(source)
        except jinja2.TemplateSyntaxError as error:
            where, problem = self._syntax_error(part, source, error)
            raise TemplateError(template=self.template.docx, where=where,
                                detail=problem) from None
        except (RecursionError, SyntaxError):
            # Python's own limits on the code Jinja makes of the tags (100 levels of
            # indentation, 20 loops inside one another) are reached before Jinja's
            raise TemplateError(template=self.template.docx, where=part_name(part),
                                detail=msg("template.tags_too_deep", "tags nested too deep to "
                                           "read")) from None
        self._origins[compiled] = source
        return compiled

    def _syntax_error(self, part: str, source: str, error: jinja2.TemplateSyntaxError,
                      ) -> tuple[Message, Message]:
        """Where a syntax error stands and what it is (sandbox.syntax_problem): the
        source is parsed again with each ``{%p %}`` tag on its own line, so that an error
        at such a tag names its own paragraph, not the one before it."""
        lines = docxtpl_steps.tags_on_their_lines(source)
        try:
            self._env.compile(lines)  # compiled, not only parsed: filters are checked there
            lines = source  # should it pass, the error stands where it was first found
        except jinja2.TemplateSyntaxError as placed:
            error = placed
        problem = sandbox.syntax_problem(error, _OWN_FILTERS)
        if part not in self.roots or not error.lineno:
            return place_in(part, None), problem
        before = lines.split("\n")[:error.lineno - 1]
        text = docxtpl_steps.text_of_line(lines.split("\n")[error.lineno - 1])
        tag = lone_tag(text)
        if tag is None:
            return self._where(part, error.lineno, source=lines), problem
        ordinal = sum(lone_tag(docxtpl_steps.text_of_line(earlier)) == tag for earlier in before)
        where = self.roots[part].paragraph_of_tag(tag, ordinal)
        return place_in(part, where or msg("template.near_end", "near its end")), problem

    def _where(self, part: str, line: int | None,
               compiled: jinja2.Template | None = None, source: str = "") -> Message:
        """The part and the paragraph of ``line`` of its compiled source (or of
        ``source``), as Word shows it in the template (the combined document's repetition
        adds none of its own)."""
        source = source or (self._origins[compiled] if compiled else self.sources[part])
        text = source.split("\n")[line - 1] if line else ""
        where = self.roots[part].locate(within=docxtpl_steps.text_of_line(text))
        return place_in(part, where or msg("template.near_end", "near its end"))

    def position(self, unit: UnitKerja, dokumen: dict[str, Any], index: int) -> bytes:
        """The .docx of position ``index`` of the unit (``dokumen`` from context.for_unit)."""
        values = context.for_position(dokumen, index, self.switches(unit))
        jab = unit.jabatan[index]
        core = _core(unit, f"Indikator Kinerja Individu - {jab.nama}")
        return self._write(self._single, values, core, positions=1)

    def combined(self, unit: UnitKerja, dokumen: dict[str, Any]) -> bytes:
        """One .docx for the whole unit: every position in turn, each on a new page, or
        the template's own document for scope ``dokumen``."""
        compiled = self._single if self.scope == "dokumen" else self._combined
        core = _core(unit, f"{self.template.manifest.title} - {unit.unit_kerja}")
        return self._write(compiled, context.for_document(dokumen, self.switches(unit)), core,
                           positions=len(unit.jabatan))

    def switches(self, unit: UnitKerja) -> dict[str, bool]:
        """The template's switches in force for ``unit`` (``pilihan`` in the template)."""
        return self.template.manifest.switch_values(unit.tambahan, self.settings)

    def _write(self, document: jinja2.Template, values: dict[str, Any], core: bytes,
               positions: int) -> bytes:
        limit = MAX_OUTPUT_BYTES + MAX_OUTPUT_PER_POSITION * positions
        changed: dict[str, Any] = {DOCUMENT: self._render(document, values, DOCUMENT, limit)}
        if CORE in self._entries:  # a template without core properties keeps having none
            changed[CORE] = iter([core])
        for name, part in self._parts.items():
            changed[name] = self._render(part, values, name, limit)
        logo = (values["dokumen"].get("kop") or {}).get("logo")
        if isinstance(logo, Logo) and _RELATIONSHIPS in self._entries:
            return self._package_with(logo).write(changed)
        return self._zip.write(changed)

    def _package_with(self, logo: Logo) -> Package:
        """The package with the logo's picture, relationship and content type in it,
        compressed once for all the documents of the unit, not once per document (a
        logo may be 2 MB): the same parts in the same order as adding them to each."""
        package = self._with_logo.get(logo)
        if package is None:
            parts = logo.parts(self._entries[_RELATIONSHIPS], self._entries[_CONTENT_TYPES])
            package = Package({**self._entries, **parts, logo.part_name: logo.data})
            self._with_logo[logo] = package
        return package

    def _render(self, compiled: jinja2.Template, values: dict[str, Any],
                part: str, limit: int) -> Iterator[bytes]:
        """The rendered part as UTF-8 pieces, each checked as it goes; raises TemplateError.

        The pieces are cut after a paragraph's end, which docxtpl's post-processing never
        reaches across: they are exactly the pieces of the whole part finished at once.
        Where a paragraph does not end, the next try waits for twice the text, so that
        a part of no paragraphs costs linear time. At each try the part's size (at most
        ``limit`` characters) and the render's time are checked.
        """
        check = parsing.WellFormed()
        ids = itertools.count(FIRST_DRAWING_ID)
        budget = self._env.start()
        pending: list[str] = []
        size = done = 0
        wait = _PIECE
        try:
            for text in self._generate(compiled, values, part):
                pending.append(text)
                size += len(text)
                if size >= wait:
                    self._within(done + size, limit, budget, part)
                    xml = "".join(pending)
                    cut = xml.rfind(docxtpl_steps.PARAGRAPH_END)
                    if cut >= 0:
                        cut += len(docxtpl_steps.PARAGRAPH_END)
                        yield self._finish(xml[:cut], check, ids)
                        xml, done = xml[cut:], done + cut
                    wait = _PIECE if cut >= 0 else 2 * len(xml)
                    pending, size = [xml], len(xml)
            yield self._finish("".join(pending), check, ids)
            check.close()
        except parsing.BrokenXml as error:
            raise TemplateError(template=self.template.docx, where=part_name(part),
                                detail=msg("template.broken_result", "renders to a broken Word "
                                           "document ({detail}); is a {{%tr %}}, {{%tc %}} or "
                                           "{{%p %}} tag outside its row, cell or paragraph?",
                                           detail=str(error))) from None
        except MemoryError:
            raise TemplateError(template=self.template.docx, where=part_name(part),
                                detail=_NO_MEMORY) from None

    def _within(self, size: int, limit: int, budget: sandbox.Budget, part: str) -> None:
        if size > limit:
            raise TemplateError(template=self.template.docx, where=part_name(part),
                                detail=msg("template.output_too_large", "renders to more than "
                                           "{limit:,} MB (at most {total} MB and {each} MB per "
                                           "position); a loop that prints too much?",
                                           limit=limit // 2**20, total=MAX_OUTPUT_BYTES // 2**20,
                                           each=MAX_OUTPUT_PER_POSITION // 2**20))
        try:
            budget.check()
        except sandbox.Exceeded as error:
            raise TemplateError(template=self.template.docx, where=part_name(part),
                                detail=error.message) from None

    def _generate(self, compiled: jinja2.Template, values: dict[str, Any],
                  part: str) -> Iterator[str]:
        """The rendered text of a part; every error of the template becomes a TemplateError
        naming the paragraph of the tag that raised it."""
        try:
            yield from compiled.generate(values)
        except TemplateError:
            raise
        except Exception as error:  # noqa: BLE001 -- whatever a template does, a message
            raise TemplateError(template=self.template.docx,
                                where=self._where(part, _template_line(error), compiled),
                                detail=_explain(error)) from None

    def _finish(self, xml: str, check: parsing.WellFormed, ids: Iterator[int]) -> bytes:
        """docxtpl's steps after rendering (docxtpl_steps.finish), then the check; ``ids``
        counts the logos' drawing ids through the part."""
        data = docxtpl_steps.finish(xml, ids).encode("utf-8")
        check.feed(data)
        return data


def _template_line(error: BaseException) -> int | None:
    """The line of the compiled template where ``error`` was raised (Jinja rewrites a
    render's traceback to point into the template)."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line


_NO_MEMORY = msg("template.no_memory", "rendering needs more memory than this computer has")


def _explain(error: Exception) -> Message:
    """What went wrong in a render, in a user's words (never a traceback)."""
    if isinstance(error, jinja2.UndefinedError):
        return msg("template.undefined", "{detail}; the data has no such value (see the "
                   "template variables in docs/templates.md)", detail=error.message or "")
    if isinstance(error, jinja2.exceptions.SecurityError):
        return msg("template.not_allowed", "not allowed: {detail}", detail=str(error))
    if isinstance(error, sandbox.Exceeded):
        return error.message
    if isinstance(error, RecursionError):
        return msg("template.recursion", "macros or loops call themselves too deep")
    if isinstance(error, MemoryError):
        return _NO_MEMORY
    if isinstance(error, ArithmeticError):
        return msg("template.cannot_compute", "cannot compute: {detail}", detail=str(error))
    return msg("template.cannot_render", "cannot render: {detail}", detail=str(error))


def _read_package(template: Template) -> dict[str, bytes]:
    """The parts of template.docx, refused before anything is unpacked when the file,
    its parts or their count exceed the bounds (a zip bomb must not exhaust memory)."""
    try:
        if template.docx.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(template=template.docx, detail=msg(
                "template.file_too_large", "is larger than {bound} MB; templates are refused "
                "over it", bound=MAX_TEMPLATE_BYTES // 2**20))
        with zipfile.ZipFile(template.docx) as package:
            infos = package.infolist()
            if len(infos) > MAX_TEMPLATE_ENTRIES:
                raise TemplateError(template=template.docx, detail=msg(
                    "template.too_many_parts", "holds {count:,} parts; a Word file of more than "
                    "{bound:,} is refused", count=len(infos), bound=MAX_TEMPLATE_ENTRIES))
            size = sum(info.file_size for info in infos)
            if size > MAX_TEMPLATE_BYTES:
                raise TemplateError(template=template.docx, detail=msg(
                    "template.too_large", "unpacks to {size:,} bytes; templates over {bound} MB "
                    "are refused", size=size, bound=MAX_TEMPLATE_BYTES // 2**20))
            entries = {info.filename: package.read(info) for info in infos}
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError,
            zlib.error) as error:
        raise TemplateError(template=template.docx, detail=not_docx(error)) from None
    if DOCUMENT not in entries or "[Content_Types].xml" not in entries:
        raise TemplateError(template=template.docx, detail=msg(
            "template.zip_not_word", "is a zip file but not a Word document (no {part})",
            part=DOCUMENT))
    try:
        for name in [DOCUMENT] + [n for n in entries if _HEADER_FOOTER.fullmatch(n)]:
            parsing.check(entries[name])
    except parsing.BrokenXml as error:
        raise TemplateError(template=template.docx, detail=msg(
            "template.broken_xml", "holds broken XML: {detail}", detail=str(error))) from None
    return entries


def not_docx(error: Exception) -> Message:
    """A file that is no Word package: not a zip at all (an empty file, a .doc, a PDF)."""
    if isinstance(error, zipfile.BadZipFile):
        return msg("template.not_zip", "is not a Word .docx file ({detail})", detail=str(error))
    return msg("template.unreadable_docx", "is not a Word .docx file ({detail})",
               detail=str(error))


def _core(unit: UnitKerja, title: str) -> bytes:
    created = unit.tanggal or dt.date(unit.tahun or 2000, 1, 1)
    return properties.core_properties(title=title, subject=unit.unit_kerja,
                                 creator=unit.instansi or unit.unit_kerja,
                                 keywords="IKI; Indikator Kinerja Individu", created=created)

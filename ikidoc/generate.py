"""The pipeline behind ``ikidoc generate``: load, check, render, archive."""
from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ikidoc import __version__, archive, defaults, letterhead, parallel, pdf, templates
from ikidoc.errors import DataError, PdfError, Problem
from ikidoc.load import Source, load_paths
from ikidoc.manifest import FORMAT as MANIFEST_FORMAT
from ikidoc.messages import Message, msg
from ikidoc.model import UnitKerja
from ikidoc.render import CompiledTemplate


@dataclass(frozen=True)
class Document:
    """One file written: the position it holds (None for the combined document)."""

    file: str
    jabatan: str | None
    indikator: int


@dataclass
class Outcome:
    """What ``generate`` did for one unit."""

    unit_kerja: str
    folder: Path  # the revision written, or the newest one when unchanged
    changed: bool
    template: str
    documents: list[Document] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)  # the PDF/A copies written, by file name
    # The newest revision, of the same inputs, found altered: why this one was written.
    altered: archive.Altered | None = None

    @property
    def altered_message(self) -> Message | None:
        """Why a run of unchanged inputs wrote a revision: the one before was altered."""
        return None if self.altered is None else self.altered.message(self.folder.name)


# Told (unit_kerja, documents written, documents to write) after each document, so that
# a caller (the web page) can show how far a run of hundreds of positions has come.
Progress = Callable[[str, int, int], None]
# Told (unit_kerja, step) when a unit's step begins: its Word files, then its PDFs.
Step = Literal["docx", "pdf"]
Steps = Callable[[str, Step], None]


def generate(paths: list[Path], template: str | None = None,
             output: Path = defaults.OUTPUT, *, pdf: bool = False,
             progress: Progress | None = None, jobs: int = 1,
             settings: dict[str, bool] | None = None,
             steps: Steps | None = None) -> list[Outcome]:
    """Generate the documents of every unit in ``paths`` into ``output``.

    Everything is read and checked before anything is written; a unit whose data,
    template and ikidoc version match its newest revision (which holds PDFs, when
    ``pdf``, and still its files as its manifest lists them: else Outcome.altered says
    which are not) is left alone. Raises DataError, TemplateError or ArchiveError (nothing
    written for the failing unit). With ``pdf`` a PDF/A-2b copy of every document goes
    into the revision too; when LibreOffice fails, the revisions are written without
    PDFs and PdfError is raised after the last unit. ``progress`` is called after each
    document written, ``steps`` when a unit's step begins. Up to ``jobs`` processes
    render the documents of all units, and convert their PDFs, when there are enough of
    them to pay off (see ikidoc.parallel, ikidoc.pdf); the documents are the same for
    any ``jobs``. ``settings`` turn the template's
    switches on or off (``--set``), over the data's ``tambahan.pilihan``.
    """
    with _collector_off():
        sources, chosen, logos = checked(paths, template, settings, jobs)
    return _generate(sources, chosen, logos, output, pdf=pdf, told=_Told(progress, steps),
                     jobs=jobs, settings=settings)


@contextmanager
def _collector_off() -> Iterator[None]:
    """Python's cyclic garbage collector off while the data is read: reading 10,000
    positions makes millions of objects, none of them garbage, and each full collection
    would walk them all (a sixth of the reading time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(sources: list[Source], chosen: templates.Template, logos: Logos, output: Path,
              *, pdf: bool, told: _Told, jobs: int,
              settings: dict[str, bool] | None) -> list[Outcome]:
    """generate, once the data and its logos are read and checked."""
    compiled = CompiledTemplate(chosen, settings=settings)
    # Every unit's revision is staged, its manifest written, before any is put in place:
    # a unit that fails leaves no other unit's revision behind either.
    identities = [archive.Identity.of(source.unit) for source in sources]
    with ExitStack() as staged:
        # Locks in one order for every run, so two runs over the same units never wait
        # for each other in a circle; the folders are chosen once they are held.
        for lock_dir in sorted({archive.lock_dir(output, identity) for identity in identities}):
            staged.enter_context(archive.unit_lock(lock_dir))
        folders = archive.unit_dirs(output, identities)
        units = [_Unit.of(source, folder, compiled, logos.get(source.path), pdf)
                 for source, folder in zip(sources, folders, strict=True)]
        results = _stage_documents(staged, units, compiled, told, jobs)
        written = [(unit, outcome, revision) for unit, (outcome, revision)
                   in zip(units, results, strict=True) if revision is not None]
        failure = None
        if pdf and written:
            failure = _add_pdfs([(outcome, revision) for _, outcome, revision in written],
                                _split(compiled), jobs, told)
        for unit, _, staging in written:
            archive.write_manifest(staging, _manifest(unit.source, compiled, unit.inputs,
                                                      staging.files, unit.made_after))
        # Every file is written; putting the revisions in place only renames.
        archive.commit([staging for _, _, staging in written])
    for outcome, revision in results:
        if revision is not None:
            outcome.folder, outcome.changed = revision.folder, True
    if failure:
        raise PdfError(detail=failure.detail, hint=failure.hint,
                       written=[outcome.folder for _, outcome, _ in written])
    return [outcome for outcome, _ in results]


def validate(paths: list[Path], template: str | None = None,
             settings: dict[str, bool] | None = None,
             jobs: int = 1) -> tuple[list[Source], templates.Template]:
    """Load the data (several files in up to ``jobs`` processes) and check it against the
    template's required ``tambahan`` fields, its switches (the data's and ``settings``)
    and the letterhead's logo.

    Raises DataError (with every problem) or TemplateError; writes nothing.
    """
    sources, chosen, _ = checked(paths, template, settings, jobs)
    return sources, chosen


Logos = dict[Path, letterhead.Logo]  # each data file's logo, for the units that have one


def checked(paths: list[Path], template: str | None, settings: dict[str, bool] | None,
             jobs: int) -> tuple[list[Source], templates.Template, Logos]:
    """validate, with the logos it read: generate (and preview) print the very bytes that
    were checked (and generate records their sha256), never a second reading of a file
    that may have changed."""
    sources = load_paths(paths, jobs)
    chosen = templates.resolve(template, templates.local_roots(paths))
    templates.check_switches(chosen, settings or {})
    logos, unusable = letterhead.read_logos(sources)
    problems = _shared_folders(sources) + unusable + [
        problem for source in sources for problem in templates.missing_data(source, chosen)]
    if problems:
        raise DataError(problems)
    return sources, chosen, logos


def _shared_folders(sources: list[Source]) -> list[Problem]:
    """Two files of the same unit (instansi, unit_kerja and tahun): one unit per file."""
    seen: dict[archive.Identity, Source] = {}
    problems = []
    for source in sources:
        identity = archive.Identity.of(source.unit)
        if identity in seen:
            problems.append(source.problem(("unit_kerja",), msg(
                "generate.shared_folder", "instansi, unit_kerja and tahun are those of {other}, "
                "so both would write the same archive folder; one unit per file",
                other=str(seen[identity].path))))
        seen.setdefault(identity, source)
    return problems


def _inputs(source: Source, compiled: CompiledTemplate,
            logo: letterhead.Logo | None) -> dict[str, object]:
    """What a revision is made from; equal inputs mean equal documents. The logo and the
    switches given for the run appear only when there are any, so that a unit without
    them keeps matching the revisions written before they existed."""
    manifest = compiled.template.manifest
    extra: dict[str, object] = {}
    if logo is not None:
        extra["kop_logo_sha256"] = logo.sha256
    if compiled.settings:
        extra["pilihan"] = dict(sorted(compiled.settings.items()))
    return {
        "data_file": source.path.name,
        "data_sha256": source.sha256,
        "template": manifest.name,
        "template_version": manifest.version,
        "template_sha256": compiled.sha256,
        "ikidoc": __version__,
        **extra,
    }


@dataclass(frozen=True)
class _Unit:
    """A unit of the run: its data, its folder, what its revision is made from, and its
    newest revision when that matches (nothing to write)."""

    source: Source
    folder: Path
    logo: letterhead.Logo | None
    inputs: dict[str, object]
    current: Path | None
    altered: archive.Altered | None  # the newest revision, of these inputs, but altered
    made_after: dict[str, str | None] | None  # the revision a new one follows

    @classmethod
    def of(cls, source: Source, folder: Path, compiled: CompiledTemplate,
           logo: letterhead.Logo | None, with_pdf: bool) -> _Unit:
        inputs = _inputs(source, compiled, logo)
        newest = archive.current_revision(folder, inputs, pdf=with_pdf)
        current = newest if isinstance(newest, Path) else None
        altered = newest if isinstance(newest, archive.Altered) else None
        return cls(source, folder, logo, inputs, current, altered,
                   None if current else archive.previous(folder))

    def work(self, folder: Path, scope: str) -> parallel.Unit:
        """What the unit's documents are made from, written into ``folder``."""
        unit = self.source.unit
        positions = [position_file(unit, index) for index in range(len(unit.jabatan))] \
            if scope == "jabatan" else []
        combined = f"{archive.Identity.of(unit).base_name}.docx"
        return parallel.Unit(unit, self.logo, folder, [*positions, combined])


@dataclass(frozen=True)
class _Told:
    """The caller's progress and step callbacks, either of them None."""

    progress: Progress | None = None
    steps: Steps | None = None

    def step(self, unit_kerja: str, step: Step) -> None:
        if self.steps:
            self.steps(unit_kerja, step)


def _stage_documents(staged: ExitStack, units: list[_Unit], compiled: CompiledTemplate,
                     told: _Told, jobs: int) -> list[tuple[Outcome, archive.Revision | None]]:
    """Stage a revision for every changed unit (kept by ``staged`` until every unit is
    staged) with its documents; return each unit's outcome and revision (None when
    unchanged). The revisions are made first, so that one set of worker processes
    writes the documents of all units straight into their folders."""
    revisions = {index: staged.enter_context(archive.staged_revision(
        unit.folder, archive.Identity.of(unit.source.unit)))
        for index, unit in enumerate(units) if unit.current is None}
    work = [unit.work(revisions[index].folder, compiled.scope)
            for index, unit in enumerate(units) if index in revisions]
    with parallel.Documents(compiled, work, jobs) as rendered:
        made = (rendered.of(number) for number in range(len(work)))
        return [_generate_unit(unit, compiled, told, revisions.get(index),
                               next(made) if index in revisions else None)
                for index, unit in enumerate(units)]


def _generate_unit(unit: _Unit, compiled: CompiledTemplate, told: _Told,
                   revision: archive.Revision | None, rendered: Iterator[archive.Written] | None,
                   ) -> tuple[Outcome, archive.Revision | None]:
    """Record one unit's documents, ``rendered`` into its staged ``revision`` (both None:
    its newest revision is current); return the outcome and the revision (None when
    unchanged)."""
    data = unit.source.unit
    outcome = Outcome(data.unit_kerja, unit.folder, changed=False,
                      template=compiled.template.label, altered=unit.altered)
    if revision is None or rendered is None:
        outcome.folder = unit.current or unit.folder
        return outcome, None
    told.step(data.unit_kerja, "docx")
    outcome.documents = _record_documents(revision, data, compiled.scope, rendered,
                                          told.progress)
    return outcome, revision


def _record_documents(revision: archive.Revision, unit: UnitKerja, scope: str,
                      rendered: Iterator[archive.Written],
                      progress: Progress | None = None) -> list[Document]:
    """Record the unit's position documents (scope ``jabatan``) and its combined one,
    written in that order into the revision's folder."""
    documents: list[Document] = []
    total = len(unit.jabatan) + 1 if scope == "jabatan" else 1
    positions = unit.jabatan if scope == "jabatan" else []
    for jab in [*positions, None]:
        written = next(rendered)
        count = unit.indikator_count if jab is None else len(jab.indikator)
        name = None if jab is None else jab.nama
        revision.record(written, jabatan=name, indikator=count)
        documents.append(Document(written.path, name, count))
        if progress:
            progress(unit.unit_kerja, len(documents), total)
    return documents


def position_file(unit: UnitKerja, index: int) -> str:
    """The file name of position ``index``'s document: NN-<jabatan-slug>.docx, NN wide
    enough for every position of the unit (the archive's naming, see docs/)."""
    width = max(2, len(str(len(unit.jabatan))))
    return f"{index + 1:0{width}d}-{archive.slug(unit.jabatan[index].nama)}.docx"


def _split(compiled: CompiledTemplate) -> bool:
    """Whether the positions' PDFs are cut from the combined document's: the template's
    manifest says ``pdf: split`` (the default) or ``each`` (a template whose documents
    print what a combined document numbers differently, such as "Halaman X dari Y")."""
    manifest = compiled.template.manifest
    return compiled.scope == "jabatan" and manifest.pdf == "split"


Written = tuple[Outcome, archive.Revision]  # a unit's documents, in its staged revision


def _add_pdfs(units: list[Written], split: bool, jobs: int, told: _Told) -> PdfError | None:
    """Add a PDF/A copy of every document of every unit, or none: on failure return
    why, so that the .docx revisions are written all the same and a later run can add
    the PDFs. One conversion serves every unit, so that a hundred small units share
    LibreOffice's starts and its ``jobs`` processes."""
    for outcome, _ in units:
        told.step(outcome.unit_kerja, "pdf")
    documents = [[revision.folder / document.file for document in outcome.documents]
                 for outcome, revision in units]
    try:
        made = _split_pdfs(documents, jobs) if split else _each_pdf(documents, jobs)
    except PdfError as error:
        return error
    for (outcome, revision), pdfs in zip(units, made, strict=True):
        for document, data in zip(outcome.documents, pdfs, strict=True):
            name = f"{Path(document.file).stem}.pdf"
            revision.add(name, data, pdf_of=document.file)
            outcome.pdfs.append(name)
    return None


def _each_pdf(documents: list[list[Path]], jobs: int) -> list[list[bytes]]:
    """The PDF of every document of each unit, each converted on its own."""
    made = iter(pdf.convert([path for unit in documents for path in unit], jobs))
    return [[next(made) for _ in unit] for unit in documents]


def _split_pdfs(documents: list[list[Path]], jobs: int) -> list[list[bytes]]:
    """The PDFs of each unit's position documents and of its combined one (last), cut
    from the combined document's. A unit whose combined PDF does not show where each
    position starts (see pdf.cut) has its position documents converted instead, those of
    every such unit in one conversion after the first; its combined PDF is kept, so that
    no document is converted twice."""
    combined = pdf.convert([unit[-1] for unit in documents], jobs, large=True)
    cuts = [pdf.cut(whole, [pdf.title_of(path) for path in unit[:-1]])
            for unit, whole in zip(documents, combined, strict=True)]
    uncut = [path for unit, cut in zip(documents, cuts, strict=True) if cut is None
             for path in unit[:-1]]
    converted = iter(pdf.convert(uncut, jobs) if uncut else [])
    return [[*(cut if cut is not None else [next(converted) for _ in unit[:-1]]), whole]
            for unit, whole, cut in zip(documents, combined, cuts, strict=True)]


def _manifest(source: Source, compiled: CompiledTemplate, inputs: dict[str, object],
              files: list[dict[str, object]],
              made_after: dict[str, str | None] | None) -> dict[str, object]:
    manifest = compiled.template.manifest
    return {
        "format": MANIFEST_FORMAT,
        "instansi": source.unit.instansi,
        "unit_kerja": source.unit.unit_kerja,
        "tahun": source.unit.tahun,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "template": json.loads(manifest.model_dump_json()),
        "jabatan": [jab.nama for jab in source.unit.jabatan],
        "files": files,
        "data_text": source.text,
        "previous": made_after,
    }

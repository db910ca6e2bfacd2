"""The pipeline behind ``ikidoc generate``: load, check, render, archive."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path

from ikidoc import __version__, archive, context, defaults, letterhead, parallel, templates
from ikidoc.errors import DataError, PdfError, Problem
from ikidoc.load import Source, load_paths
from ikidoc.manifest import FORMAT as MANIFEST_FORMAT
from ikidoc.model import UnitKerja
from ikidoc.pdf import convert as convert_to_pdf
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


# Told (unit_kerja, documents written, documents to write) after each document, so that
# a caller (the web page) can show how far a run of hundreds of positions has come.
Progress = Callable[[str, int, int], None]


def generate(paths: list[Path], template: str | None = None,
             output: Path = defaults.OUTPUT, *, pdf: bool = False,
             progress: Progress | None = None, jobs: int = 1,
             settings: dict[str, bool] | None = None) -> list[Outcome]:
    """Generate the documents of every unit in ``paths`` into ``output``.

    Everything is read and checked before anything is written; a unit whose data,
    template and ikidoc version match its newest revision (which holds PDFs, when
    ``pdf``) is left alone. Raises DataError, TemplateError or ArchiveError (nothing
    written for the failing unit). With ``pdf`` a PDF/A-2b copy of every document goes
    into the revision too; when LibreOffice fails, the revisions are written without
    PDFs and PdfError is raised after the last unit. ``progress`` is called after each
    document written. Up to ``jobs`` processes render a unit's positions, and convert
    its PDFs, when it has enough of them to pay off (see ikidoc.parallel, ikidoc.pdf);
    the documents are the same for any ``jobs``. ``settings`` turn the template's
    switches on or off (``--set``), over the data's ``tambahan.pilihan``.
    """
    sources, chosen = validate(paths, template, settings)
    logos, _ = letterhead.read_logos(sources)
    compiled = CompiledTemplate(chosen, settings=settings)
    # Every unit's revision is staged before any is put in place: a unit that fails
    # leaves no other unit's revision behind either.
    identities = [archive.Identity.of(source.unit) for source in sources]
    with ExitStack() as staged:
        # Locks in one order for every run, so two runs over the same units never wait
        # for each other in a circle; the folders are chosen once they are held.
        for lock_dir in sorted({archive.lock_dir(output, identity) for identity in identities}):
            staged.enter_context(archive.unit_lock(lock_dir))
        folders = archive.unit_dirs(output, identities)
        results = [_generate_unit(staged, source, folder, compiled, pdf, progress, jobs,
                                  logos.get(source.path))
                   for source, folder in zip(sources, folders, strict=True)]
    for outcome, revision, _ in results:
        if revision is not None:
            outcome.folder, outcome.changed = revision.folder, True
    failed = [(outcome, error) for outcome, _, error in results if error]
    if failed:
        raise PdfError(detail="; ".join(dict.fromkeys(error.detail for _, error in failed)),
                       hint=failed[0][1].hint, written=[outcome.folder for outcome, _ in failed])
    return [outcome for outcome, _, _ in results]


def validate(paths: list[Path], template: str | None = None,
             settings: dict[str, bool] | None = None) -> tuple[list[Source], templates.Template]:
    """Load the data and check it against the template's required ``tambahan`` fields,
    its switches (the data's and ``settings``) and the letterhead's logo.

    Raises DataError (with every problem) or TemplateError; writes nothing.
    """
    sources = load_paths(paths)
    chosen = templates.resolve(template, templates.local_roots(paths))
    templates.check_switches(chosen, settings or {})
    problems = _shared_folders(sources) + letterhead.read_logos(sources)[1] + [
        problem for source in sources for problem in templates.missing_data(source, chosen)]
    if problems:
        raise DataError(problems)
    return sources, chosen


def _shared_folders(sources: list[Source]) -> list[Problem]:
    """Two files of the same unit (instansi, unit_kerja and tahun): one unit per file."""
    seen: dict[archive.Identity, Source] = {}
    problems = []
    for source in sources:
        identity = archive.Identity.of(source.unit)
        if identity in seen:
            problems.append(source.problem(("unit_kerja",), f"instansi, unit_kerja and tahun are "
                                           f"those of {seen[identity].path}, so both would write "
                                           "the same archive folder; one unit per file"))
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
        "template_sha256": compiled.template.sha256(),
        "ikidoc": __version__,
        **extra,
    }


def _generate_unit(staged: ExitStack, source: Source, unit_dir: Path, compiled: CompiledTemplate,
                   pdf: bool, progress: Progress | None = None, jobs: int = 1,
                   logo: letterhead.Logo | None = None,
                   ) -> tuple[Outcome, archive.Revision | None, PdfError | None]:
    """Stage one unit's revision in ``unit_dir`` (its lock is held), kept by ``staged``
    until every unit is staged; return the outcome, the revision (None when unchanged)
    and the PdfError that kept its PDFs out."""
    unit = source.unit
    identity = archive.Identity.of(unit)
    inputs = _inputs(source, compiled, logo)
    outcome = Outcome(unit.unit_kerja, unit_dir, changed=False, template=compiled.template.label)
    current = archive.current_revision(unit_dir, inputs, pdf=pdf)
    if current:
        outcome.folder = current
        return outcome, None, None
    made_after = archive.previous(unit_dir)
    revision = staged.enter_context(archive.new_revision(unit_dir, identity))
    outcome.documents = _write_documents(revision, unit, compiled, identity.base_name, progress,
                                         jobs, logo)
    failure = _add_pdfs(revision, outcome, jobs) if pdf else None
    archive.write_manifest(revision, _manifest(source, compiled, inputs, revision.files,
                                               made_after))
    return outcome, revision, failure


def _write_documents(revision: archive.Revision, unit: UnitKerja, compiled: CompiledTemplate,
                     folder_name: str, progress: Progress | None = None,
                     jobs: int = 1, logo: letterhead.Logo | None = None) -> list[Document]:
    dokumen = context.for_unit(unit, logo)
    documents: list[Document] = []
    total = len(unit.jabatan) + 1 if compiled.scope == "jabatan" else 1

    def written(document: Document) -> None:
        documents.append(document)
        if progress:
            progress(unit.unit_kerja, len(documents), total)

    if compiled.scope == "jabatan":
        # closing: a failed write stops the worker processes before the revision is removed
        with closing(parallel.position_documents(compiled, unit, dokumen, jobs)) as rendered:
            for index, (jab, data) in enumerate(zip(unit.jabatan, rendered, strict=True)):
                name = position_file(unit, index)
                revision.add(name, data, jabatan=jab.nama, indikator=len(jab.indikator))
                written(Document(name, jab.nama, len(jab.indikator)))
    combined = f"{folder_name}.docx"
    revision.add(combined, compiled.combined(unit, dokumen), jabatan=None,
                 indikator=unit.indikator_count)
    written(Document(combined, None, unit.indikator_count))
    return documents


def position_file(unit: UnitKerja, index: int) -> str:
    """The file name of position ``index``'s document: NN-<jabatan-slug>.docx, NN wide
    enough for every position of the unit (the archive's naming, see docs/)."""
    width = max(2, len(str(len(unit.jabatan))))
    return f"{index + 1:0{width}d}-{archive.slug(unit.jabatan[index].nama)}.docx"


def _add_pdfs(revision: archive.Revision, outcome: Outcome, jobs: int = 1) -> PdfError | None:
    """Add a PDF/A copy of every document, or none: on failure return why, so that the
    .docx revision is written all the same and a later run can add the PDFs."""
    try:
        made = convert_to_pdf([revision.folder / document.file for document in outcome.documents],
                              jobs)
    except PdfError as error:
        return error
    for document, data in zip(outcome.documents, made, strict=True):
        name = f"{Path(document.file).stem}.pdf"
        revision.add(name, data, pdf_of=document.file)
        outcome.pdfs.append(name)
    return None


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

"""The pipeline behind ``ikidoc generate``: load, check, render, archive."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from ikidoc import __version__, archive, context, templates
from ikidoc.errors import DataError, Problem
from ikidoc.load import Source, load_paths
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


def local_template_roots(paths: list[Path]) -> list[Path]:
    """The ``templates/`` folders beside the data, where a local template may live."""
    roots = []
    for path in paths:
        folder = path if path.is_dir() else path.parent
        for candidate in (folder / "templates", folder.parent / "templates"):
            if candidate.is_dir() and candidate.resolve() != templates.bundled_root().resolve() \
                    and candidate not in roots:
                roots.append(candidate)
    return roots


def generate(paths: list[Path], template: str | None = None,
             output: Path = Path("output")) -> list[Outcome]:
    """Generate the documents of every unit in ``paths`` into ``output``.

    Everything is read and checked before anything is written; a unit whose data,
    template and ikidoc version match its newest revision is left alone. Raises
    DataError, TemplateError or ArchiveError (nothing written for the failing unit).
    """
    sources = load_paths(paths)
    chosen = templates.resolve(template, local_template_roots(paths))
    _refuse_shared_folders(sources)
    compiled = CompiledTemplate(chosen)
    return [_generate_unit(source, compiled, output) for source in sources]


def _refuse_shared_folders(sources: list[Source]) -> None:
    seen: dict[str, Source] = {}
    problems = []
    for source in sources:
        name = archive.unit_folder_name(source.unit.unit_kerja, source.unit.tahun)
        if name in seen:
            problems.append(Problem(str(source.path), f"unit_kerja and tahun give the output folder "
                                    f"{name!r}, as does {seen[name].path}; one unit per file",
                                    path="unit_kerja"))
        seen.setdefault(name, source)
    if problems:
        raise DataError(problems)


def _inputs(source: Source, compiled: CompiledTemplate) -> dict[str, object]:
    """What a revision is made from; equal inputs mean equal documents."""
    manifest = compiled.template.manifest
    return {
        "data_file": source.path.name,
        "data_sha256": source.sha256,
        "template": manifest.name,
        "template_version": manifest.version,
        "template_sha256": compiled.template.sha256(),
        "ikidoc": __version__,
    }


def _generate_unit(source: Source, compiled: CompiledTemplate, output: Path) -> Outcome:
    unit = source.unit
    folder_name = archive.unit_folder_name(unit.unit_kerja, unit.tahun)
    unit_dir = output / folder_name
    inputs = _inputs(source, compiled)
    outcome = Outcome(unit.unit_kerja, unit_dir, changed=False, template=compiled.template.label)
    if archive.newest_inputs(unit_dir) == inputs:
        outcome.folder = unit_dir / f"r{archive.revisions(unit_dir)[-1]}"
        return outcome
    dokumen = context.for_unit(unit)
    with archive.new_revision(unit_dir) as revision:
        if compiled.scope == "jabatan":
            width = max(2, len(str(len(unit.jabatan))))
            for index, jab in enumerate(unit.jabatan):
                name = f"{index + 1:0{width}d}-{archive.slug(jab.nama)}.docx"
                revision.add(name, compiled.position(unit, dokumen, index),
                             jabatan=jab.nama, indikator=len(jab.indikator))
                outcome.documents.append(Document(name, jab.nama, len(jab.indikator)))
        combined = f"{folder_name}.docx"
        revision.add(combined, compiled.combined(unit, dokumen), jabatan=None,
                     indikator=unit.indikator_count)
        outcome.documents.append(Document(combined, None, unit.indikator_count))
        archive.write_manifest(revision, _manifest(source, compiled, inputs, revision.files))
    outcome.folder, outcome.changed = revision.folder, True
    return outcome


def _manifest(source: Source, compiled: CompiledTemplate, inputs: dict[str, object],
              files: list[dict[str, object]]) -> dict[str, object]:
    manifest = compiled.template.manifest
    return {
        "format": "ikidoc-archive/1",
        "unit_kerja": source.unit.unit_kerja,
        "tahun": source.unit.tahun,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": inputs,
        "template": json.loads(manifest.model_dump_json()),
        "files": files,
    }

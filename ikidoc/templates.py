"""Find templates (bundled, local, or a folder) and read their manifests.

A template is a folder with ``template.docx`` (a docxtpl Word file) and
``template.yaml`` (its manifest, docs/templates.md).
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ikidoc import defaults, reading, validation
from ikidoc.bundled import templates_folder
from ikidoc.errors import DataError, Problem, TemplateError, system_reason, unwritable
from ikidoc.load import Source
from ikidoc.messages import Message, joined, msg
from ikidoc.model import refusal

DEFAULT = defaults.TEMPLATE
_NAME = r"[a-z0-9][a-z0-9-]*"  # a template's name, and its folder's


def valid_name(name: str) -> bool:
    """Whether ``name`` can name a template (and its folder)."""
    return re.fullmatch(_NAME, name) is not None
DOCX = "template.docx"
MANIFEST = "template.yaml"
THUMBNAIL = "thumbnail.png"


class Requirements(BaseModel):
    """``tambahan`` field names per level of the data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dokumen: list[str] = Field(default_factory=list)
    jabatan: list[str] = Field(default_factory=list)
    sasaran: list[str] = Field(default_factory=list)
    indikator: list[str] = Field(default_factory=list)


class Switch(BaseModel):
    """An option an office turns on or off without Word (``pilihan.NAME`` in the
    template): its default and what it does, as the page's tick box says it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: bool
    description: str


SWITCH_NAME = r"[a-z][a-z0-9_]*"
SWITCHES_KEY = "pilihan"  # the data's tambahan.pilihan sets switches
_WORDS = {"ya": True, "true": True, "on": True, "yes": True, "1": True,
          "tidak": False, "false": False, "off": False, "no": False, "0": False}


class Manifest(BaseModel):
    """template.yaml: what the template is and which regulation it follows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=f"^{_NAME}$")
    title: str
    version: str
    regulation: str
    effective_date: dt.date
    paper: Literal["F4", "A4", "Letter", "Legal"]
    orientation: Literal["portrait", "landscape"] = "portrait"
    scope: Literal["jabatan", "dokumen"]
    tambahan: Requirements = Field(default_factory=Requirements)  # the data must give these
    tambahan_opsional: Requirements = Field(default_factory=Requirements)  # printed when given
    penandatangan_wajib: bool = False  # the file's own signer must be given (a Keputusan)
    # split: each position's pages in the combined document are its own document's, so a
    # PDF of the combined document may be cut into the positions' PDFs; each: they differ
    # (page numbers "dari Y" count the whole document), convert every document itself.
    pdf: Literal["split", "each"] = "split"
    switches: dict[str, Switch] = Field(default_factory=dict)
    columns: list[str] = Field(default_factory=list)  # the table's header, left to right
    prints: list[str] = Field(default_factory=list)  # what else it prints: kop, halaman, ...

    @field_validator("switches")
    @classmethod
    def _switch_names(cls, value: dict[str, Switch]) -> dict[str, Switch]:
        for name in value:
            if not re.fullmatch(SWITCH_NAME, name):
                raise refusal(msg("template.switch_name", "switch {name!r}: a switch's name is "
                                  "lower-case letters, digits and '_' (e.g. baris_nomor)",
                                  name=name))
        return value

    def switch_values(self, tambahan: dict[str, Any],
                      given: dict[str, bool] | None = None) -> dict[str, bool]:
        """The switches in force: the defaults, then the data's ``tambahan.pilihan``,
        then ``given`` (``generate --set``). Unknown names and values that are not
        yes or no are reported by ``switch_problems`` and ``check_switches`` first."""
        values = {name: switch.default for name, switch in self.switches.items()}
        chosen = tambahan.get(SWITCHES_KEY)
        if isinstance(chosen, dict):
            for name, value in chosen.items():
                turned = _yes_no(value)
                if name in values and turned is not None:
                    values[name] = turned
        values.update(given or {})
        return values

    def unknown_switch(self, name: str) -> Message | None:
        """Why ``name`` is no switch of this template (with the likely one), else None."""
        if name in self.switches:
            return None
        close = difflib.get_close_matches(name, list(self.switches), n=1, cutoff=0.6)
        if close:
            return msg("template.no_switch_close", "template {template} has no switch {name!r}; "
                       "did you mean {close!r}?", template=self.name, name=name, close=close[0])
        return msg("template.no_switch", "template {template} has no switch {name!r}; its "
                   "switches: {known}", template=self.name, name=name,
                   known=", ".join(self.switches) or msg("template.none", "none"))

    def declares(self, level: str, key: str) -> bool:
        """Whether the template may use field ``key`` of ``level``'s tambahan."""
        return key in getattr(self.tambahan, level) + getattr(self.tambahan_opsional, level)


def _yes_no(value: Any) -> bool | None:
    """A switch's value as the data or ``--set`` gives it: true/false, ya/tidak, on/off,
    yes/no, 1/0; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)):
        return _WORDS.get(str(value).strip().lower())
    return None


def parse_setting(text: str) -> tuple[str, bool]:
    """``NAME=VALUE`` of ``generate --set``; raises ValueError saying what is wrong."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(SWITCH_NAME, name.strip()):
        raise ValueError(msg("template.setting_form", "{text!r}: expected NAME=VALUE, e.g. "
                             "baris_nomor=ya", text=text))
    chosen = _yes_no(value)
    if chosen is None:
        raise ValueError(msg("template.setting_value", "{text!r}: the value is one of ya/tidak, "
                             "true/false, on/off, 1/0", text=text))
    return name.strip(), chosen


def check_switches(template: Template, given: dict[str, bool]) -> None:
    """Raise TemplateError for a switch given (``--set``) that the template lacks."""
    for name in given:
        unknown = template.manifest.unknown_switch(name)
        if unknown:
            raise TemplateError(template=template.folder, where=f"--set {name}", detail=unknown)


Origin = Literal["bundled", "local", "path"]


@dataclass(frozen=True)
class Template:
    """A template found on disk: its folder, manifest, where it comes from, and
    whether ``-t NAME`` selects it (False when a local one of its name comes first)."""

    folder: Path
    manifest: Manifest
    origin: Origin
    used: bool = True

    @property
    def docx(self) -> Path:
        return self.folder / DOCX

    @property
    def thumbnail(self) -> Path | None:
        """A picture of the first page a sample renders to, when the folder has one."""
        path = self.folder / THUMBNAIL
        return path if path.is_file() else None

    @property
    def label(self) -> str:
        return f"{self.manifest.name} {self.manifest.version}"

    def sha256(self) -> str:
        """One hash over both files, so a change to either makes a new revision."""
        digest = hashlib.sha256()
        for name in (DOCX, MANIFEST):
            digest.update(name.encode() + b"\0" + (self.folder / name).read_bytes() + b"\0")
        return digest.hexdigest()


def bundled_root() -> Path:
    """The templates shipped with ikidoc (see ikidoc.bundled)."""
    return templates_folder()


def resolve(spec: str | None, roots: list[Path] | None = None) -> Template:
    """The template named by ``-t``: by name, a local template (in a ``templates/``
    folder in the working folder or beside the data) before a bundled one; a spec with
    a path separator, or an existing folder no template is named after, is a folder.

    Raises TemplateError when nothing matches or a match lacks a file.
    """
    spec = spec or DEFAULT
    if re.fullmatch(_NAME, spec):
        for root, origin in _lookup(roots):
            if (root / spec).is_dir():
                return read(root / spec, origin)
    if Path(spec).is_dir() or not re.fullmatch(_NAME, spec):
        return read(Path(spec), "path")
    known = ", ".join(sorted({folder.name for root, _ in _lookup(roots) if root.is_dir()
                              for folder in root.iterdir() if (folder / MANIFEST).is_file()}))
    raise TemplateError(template=spec, detail=msg(
        "template.unknown", "no such template; available: {known}",
        known=known or msg("template.none", "none")))


def _lookup(roots: list[Path] | None) -> list[tuple[Path, Origin]]:
    return [(root, "local") for root in roots or []] + [(bundled_root(), "bundled")]


def available(roots: list[Path] | None = None) -> list[Template]:
    """Every template that ``resolve`` can find by name, in the order it looks: local
    folders first, then the bundled ones. The first of each name is ``used``; the
    others are shadowed by it."""
    found: list[Template] = []
    for root, origin in _lookup(roots):
        if root.is_dir():
            found += [read(folder, origin) for folder in sorted(root.iterdir())
                      if (folder / MANIFEST).is_file()]
    names = [t.manifest.name for t in found]
    return [replace(t, used=names.index(t.manifest.name) == k) for k, t in enumerate(found)]


def local_roots(data_paths: list[Path] | None = None) -> list[Path]:
    """Where local templates live: ``templates/`` in the working folder and beside
    (or above) each data folder; the bundled folder itself is never "local"."""
    folders = [Path.cwd()] + [p if p.is_dir() else p.parent for p in data_paths or []]
    candidates = [defaults.TEMPLATES] + [f / "templates" for f in folders[1:]] + \
                 [f.parent / "templates" for f in folders[1:]]
    bundled = bundled_root().resolve()
    roots: list[Path] = []
    for candidate in candidates:
        if candidate.is_dir() and candidate.resolve() != bundled and \
                candidate.resolve() not in [r.resolve() for r in roots]:
            roots.append(candidate)
    return roots


def create(name: str, source: str | None, root: Path) -> Template:
    """Copy template ``source`` (default: iki) into ``root/name`` as version 0.1.0,
    ready to edit in Word. Refuses an existing folder or a name that is no slug."""
    if not re.fullmatch(_NAME, name):
        raise TemplateError(template=name, detail=msg(
            "template.bad_name", "a template name is lower-case letters, digits and '-' "
            "(e.g. iki-2026)"))
    target = root / name
    if target.exists():
        raise TemplateError(template=target, detail=msg(
            "template.exists", "already exists; choose another name or edit that template"))
    origin = resolve(source, local_roots())
    manifest = origin.manifest.model_copy(update={"name": name, "version": "0.1.0"})
    try:
        target.mkdir(parents=True)
        shutil.copyfile(origin.docx, target / DOCX)
        (target / MANIFEST).write_text(_manifest_text(manifest, origin), encoding="utf-8")
    except OSError as error:
        shutil.rmtree(target, ignore_errors=True)
        raise TemplateError(template=target, detail=unwritable(error)) from None
    return read(target, "local")



def _manifest_text(manifest: Manifest, origin: Template) -> str:
    values = json.loads(manifest.model_dump_json())
    body = yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=90)
    return (f"# Template {manifest.name}, copied from {origin.label} ({origin.origin}).\n"
            "# Edit template.docx in Word, then describe it here and run:\n"
            f"#   ikidoc templates check templates/{manifest.name}\n"
            "# name: the folder's name; version: raise it with every change (archives record it)\n"
            "# regulation / effective_date: the rule the template follows and when it applies\n"
            "# paper: F4, A4, Letter or Legal; orientation: portrait or landscape\n"
            "# scope: jabatan (one document per position) or dokumen (one for the unit)\n"
            "# tambahan: the extra data fields the template prints, per level\n"
            "#   (dokumen, jabatan, sasaran, indikator); data lacking them is refused.\n"
            "# switches: options turned on or off by the data (tambahan: pilihan:) or\n"
            "#   generate --set NAME=ya, each with its default and description; pilihan.NAME\n"
            "# pdf: split (a position's pages in the combined document are its own) or each\n"
            + body)


def read(folder: Path, origin: Origin) -> Template:
    """Read a template folder; raise TemplateError naming the missing file or bad field.

    A template found by name must carry that name in its manifest: an archive records
    the manifest's name, and ``-t NAME`` must find that same folder again.
    """
    for name in (DOCX, MANIFEST):
        if not (folder / name).is_file():
            raise TemplateError(template=folder, detail=msg(
                "template.file_missing", "{name} is missing; a template folder holds {docx} "
                "and {manifest}", name=name, docx=DOCX, manifest=MANIFEST))
    manifest_path = folder / MANIFEST
    try:
        text = manifest_path.read_bytes()
        if not text.strip():
            raise TemplateError(template=manifest_path, detail=msg(
                "template.manifest_empty", "is empty; a manifest gives name, title, version, "
                "regulation, effective_date, paper and scope"))
        raw, marks = reading.parse(text, str(manifest_path))
    except OSError as error:
        raise TemplateError(template=manifest_path, detail=msg(
            "template.unreadable", "cannot be read: {reason}",
            reason=system_reason(error))) from None
    except DataError as error:
        raise TemplateError(template=manifest_path,
                            detail=joined(p.message for p in error.problems)) from None
    if marks.problems:
        raise TemplateError(template=manifest_path, detail=marks.problems[0][2])
    if not isinstance(raw, dict):
        raise TemplateError(template=manifest_path, detail=msg(
            "template.manifest_not_mapping", "must be a mapping (name, title, ...)"))
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as error:
        problems = validation.placed_problems(error, Manifest, str(manifest_path), marks)
        raise TemplateError(template=manifest_path, detail=joined(
            validation.without_file(problem) for problem in problems)) from None
    if origin != "path" and manifest.name != folder.name:
        raise TemplateError(template=manifest_path, detail=msg(
            "template.name_not_folder", "name: is {name!r}, but the folder is {folder!r}; a "
            "template's name is its folder's name", name=manifest.name, folder=folder.name))
    return Template(folder=folder, manifest=manifest, origin=origin)


def missing_data(source: Source, template: Template) -> list[Problem]:
    """A Problem for every value the template requires and the data lacks: its
    ``tambahan`` fields and, when the manifest says so, the file's own signer; and
    every switch the data sets (``tambahan.pilihan``) that the template lacks."""
    problems = _missing_tambahan(source, template) + switch_problems(source, template)
    if template.manifest.penandatangan_wajib and source.unit.penandatangan is None:
        problems.insert(0, source.problem(("penandatangan",), msg(
            "template.requires_signer", "template {template} requires the file's penandatangan "
            "(who signs it)", template=template.manifest.name), hint=msg(
            "template.requires_signer_hint", "add penandatangan: with jabatan and nama")))
    return problems


def _missing_tambahan(source: Source, template: Template) -> list[Problem]:
    required = template.manifest.tambahan
    unit = source.unit
    checks: list[tuple[tuple[str | int, ...], dict[str, Any], list[str]]] = [
        (("tambahan",), unit.tambahan, required.dokumen)]
    for j, jab in enumerate(unit.jabatan):
        checks.append((("jabatan", j, "tambahan"), jab.tambahan, required.jabatan))
        for s, sasaran in enumerate(jab.sasaran):
            here = ("jabatan", j, "sasaran", s)
            checks.append((here + ("tambahan",), sasaran.tambahan, required.sasaran))
            for i, indikator in enumerate(sasaran.indikator):
                checks.append((here + ("indikator", i, "tambahan"), indikator.tambahan,
                               required.indikator))
    return [
        source.problem(loc + (key,), msg("template.requires_field", "template {template} "
                                         "requires this field", template=template.manifest.name),
                       hint=msg("template.requires_field_hint", "add it under {parent}:",
                                parent=loc[-1]))
        for loc, values, keys in checks for key in keys if values.get(key) in (None, "", [], {})
    ]


def switch_problems(source: Source, template: Template) -> list[Problem]:
    """A Problem for every name under the data's ``tambahan.pilihan`` that is no switch
    of the template, and for every value that is not yes or no."""
    chosen = source.unit.tambahan.get(SWITCHES_KEY)
    here: tuple[str | int, ...] = ("tambahan", SWITCHES_KEY)
    if chosen is None:
        return []
    if not isinstance(chosen, dict):
        return [source.problem(here, msg("template.switches_type", "expected a mapping of "
                                         "switches (name: ya or tidak)"))]
    problems = []
    for name, value in chosen.items():
        unknown = template.manifest.unknown_switch(name)
        if unknown:
            problems.append(source.problem(here + (name,), unknown))
        elif _yes_no(value) is None:
            problems.append(source.problem(here + (name,), msg(
                "template.switch_value", "a switch is ya or tidak (true or false)")))
    return problems

"""Take in a template edited elsewhere (the web page's "Template"): gather its two files
from what was uploaded, then install it as a local template only once ``templates
check`` has passed, never over a template that already has its name.

An upload is untrusted: a zip is read entry by entry with bounded sizes (a "zip bomb"
cannot fill the disk), its entry names never choose where anything is written, and
the template is rendered in the sandbox by ``template_check`` before it is installed,
in a process of its own (``check_apart``) that is killed when it takes too long or
too much memory, so that a template made to hang the page cannot.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import zipfile
from collections.abc import Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path, PurePosixPath

from ikidoc import template_check, templates, zipbounds
from ikidoc.errors import IkidocError, TemplateError, unwritable
from ikidoc.messages import Message, msg
from ikidoc.ooxml import properties
from ikidoc.templates import DOCX, MANIFEST, Template

MAX_PART_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_CHECK_SECONDS = 30.0  # for checking an uploaded template, start of its process included
MAX_CHECK_MEMORY = 2 << 30  # bytes of address space of that process (where the system bounds it)
_checks: set[BaseProcess] = set()  # the checks running, killed when the page stops
_checks_lock = threading.Lock()
MANIFEST_SUFFIXES = (".yaml", ".yml")
_HOW = msg("install.how", "upload a template's .docx downloaded from the Template page (edited "
           "in Word), or {docx} together with {manifest}, or a .zip of a template folder",
           docx=DOCX, manifest=MANIFEST)


def _refused(label: str, detail: Message) -> TemplateError:
    """An upload that is not a template as it came, with how to upload one."""
    return TemplateError(template=label, detail=msg("install.refused", "{detail}; {how}",
                                                    detail=detail, how=_HOW))


def gather(files: list[Path], folder: Path, names: Mapping[str, str] | None = None) -> Template:
    """Put the template in ``files`` (one .zip of a template folder, or one .docx and one
    .yaml) into ``folder`` as template.docx and template.yaml, and read it. ``names``:
    each file's name as the user knows it (by its path), for the messages.

    Returns the Template (origin "path"). Raises TemplateError naming the upload that
    is missing a part, holds a part twice, is not a zip or is too large.
    """
    zips = [f for f in files if f.suffix.lower() == ".zip"]
    label = ", ".join((names or {}).get(str(f), f.name) for f in zips or files) or "upload"
    if zips and len(files) > 1:
        raise _refused(label, msg("install.zip_not_alone", "a .zip must come alone"))
    parts = _from_zip(zips[0], label) if zips else {f.name: f.read_bytes() for f in files}
    carried = _carried_manifest(files) if not zips else None
    if carried is not None:
        parts[MANIFEST] = carried
    elif len(files) == 1 and files[0].suffix.lower() == ".docx":
        raise TemplateError(template=label, detail=msg(
            "install.plain_docx", "this Word document is not a template downloaded from this "
            "page, so it does not say which template it is; download a template's .docx from "
            "the list on the Template page, make the changes in that file in Word, then "
            "upload it"))
    folder.mkdir(parents=True, exist_ok=True)
    for target, suffixes in ((DOCX, (".docx",)), (MANIFEST, MANIFEST_SUFFIXES)):
        (folder / target).write_bytes(_one(parts, target, suffixes, label))
    return templates.read(folder, "path")


MANIFEST_PROPERTY = "ikidoc-template.yaml"  # the custom property a downloaded .docx carries


def _carried_manifest(files: list[Path]) -> bytes | None:
    """The template.yaml inside a .docx uploaded alone (a custom document property that
    the page's download puts there and Word keeps); None when it carries none."""
    if len(files) != 1 or files[0].suffix.lower() != ".docx" or zipbounds.refusal(files[0]):
        return None
    try:
        with zipfile.ZipFile(files[0]) as package:
            wanted = [name for name in package.namelist()
                      if name in (properties.CUSTOM_PART, "[Content_Types].xml", "_rels/.rels")]
            parts = {name: package.read(name) for name in wanted}
        text = properties.custom_property(parts, MANIFEST_PROPERTY)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError):
        return None
    return text.encode("utf-8") if text is not None else None


def _from_zip(path: Path, label: str) -> dict[str, bytes]:
    """The .docx and .yaml entries of a zip by their path inside it, each read with a bound."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise TemplateError(template=label, detail=msg(
                    "install.zip_entries", "holds {count} entries; a template folder holds two",
                    count=len(entries)))
            wanted = [e for e in entries
                      if not e.is_dir() and not e.filename.startswith("__MACOSX/")
                      and PurePosixPath(e.filename).suffix.lower() in (".docx", *MANIFEST_SUFFIXES)]
            return {entry.filename: _bounded(package, entry, label) for entry in wanted}
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as error:
        raise _refused(label, msg("install.not_zip", "cannot be read as a .zip ({detail})",
                                      detail=str(error))) from None


def _bounded(package: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str) -> bytes:
    with package.open(entry) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise TemplateError(template=label, detail=msg(
            "install.part_too_large", "{name} is larger than {bound} MB", name=entry.filename,
            bound=MAX_PART_BYTES // 2**20))
    return data


def _one(parts: dict[str, bytes], target: str, suffixes: tuple[str, ...], label: str) -> bytes:
    """The one part that is ``target``: the entry of that name, else the only one of its kind."""
    kind = {name: data for name, data in parts.items()
            if PurePosixPath(name).suffix.lower() in suffixes}
    named = [name for name in kind if PurePosixPath(name).name.lower() == target]
    chosen = named if named else list(kind)
    if len(chosen) == 1:
        return kind[chosen[0]]
    if not chosen:
        raise _refused(label, msg("install.part_missing", "holds no {target}", target=target))
    raise _refused(label, msg("install.part_twice", "holds {count} candidates for {target} "
                              "({names})", count=len(chosen), target=target, names=sorted(chosen)))


def taken(name: str, root: Path) -> bool:
    """Whether a bundled or local template (in ``root`` or the working folder's) has ``name``."""
    known = templates.available([root, *templates.local_roots()])
    return any(other.manifest.name == name for other in known)


def free_name(name: str, root: Path) -> str:
    """``name`` when no template has it, else the first of ``name-2``, ``name-3``, ... that
    none has: the name a template whose own is taken is offered instead."""
    stem = re.sub(r"-[0-9]+$", "", name)
    candidates = [name, *(f"{stem}-{number}" for number in range(2, 1000))]
    return next(candidate for candidate in candidates if not taken(candidate, root))


def install(template: Template, root: Path, name: str | None = None) -> Template:
    """Check ``template`` with the bundled sample and copy it into ``root/<name>``, the
    local templates folder (``templates/`` as ``templates new`` uses it), under its own
    name or under ``name`` (its manifest's name changed to it: a folder's template
    carries its folder's name).

    Returns the installed Template. Raises TemplateCheckError with every finding, or
    TemplateError when a bundled or local template already has the name (an archive
    names the template it was made with, so a name is never given to other files);
    nothing is written then.
    """
    template_check.check(template)
    name = name or template.manifest.name
    if not templates.valid_name(name):
        raise TemplateError(template=name, detail=msg(
            "template.bad_name", "a template name is lower-case letters, digits and '-' "
            "(e.g. iki-2026)"))
    if taken(name, root):
        raise TemplateError(template=name, detail=msg(
            "install.name_taken", "a template of this name already exists; upload it again to "
            "install it under the next free name (for example {name}-2)", name=name))
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".ikidoc-", dir=root))
    except OSError as error:
        raise TemplateError(template=root, detail=unwritable(error)) from None
    try:
        shutil.copyfile(template.folder / DOCX, staging / DOCX)
        text = (template.folder / MANIFEST).read_text(encoding="utf-8")
        if name != template.manifest.name:
            text = _renamed(text, name, template.manifest)
        (staging / MANIFEST).write_text(text, encoding="utf-8")
        os.rename(staging, root / name)  # fails if the folder appeared meanwhile
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise TemplateError(template=root / name, detail=unwritable(error)) from None
    return templates.read(root / name, "local")


_MADE_FROM = re.compile(r"^name:\s*\S+\s+#\s*made from: (?P<name>\S+) (?P<version>\S+)\s*$",
                        re.M)


def _renamed(manifest: str, name: str, original: templates.Manifest) -> str:
    """The manifest's text with its top-level ``name:`` line giving ``name`` and saying,
    in a comment, the template it is a copy of (the rest kept as written): a copy
    installed under the next free name keeps its original's title, so the copy alone
    says where it came from (``made_from``)."""
    line = f"name: {name}  # made from: {original.name} {original.version}"
    return re.sub(r"^name:.*$", lambda _: line, manifest, count=1, flags=re.M)


def made_from(template: Template) -> tuple[str, str] | None:
    """The name and version of the template that ``template`` is a copy of, when it was
    installed as one under another name (see ``install``); None for any other."""
    try:
        text = (template.folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _MADE_FROM.search(text)
    return (found["name"], found["version"]) if found else None


def check_apart(template: Template) -> template_check.Report:
    """``templates check`` of ``template`` in a process of its own: raises what the check
    raises, or a TemplateError when that process runs past MAX_CHECK_SECONDS, runs out
    of its MAX_CHECK_MEMORY or is stopped by ``stop_checks``. The caller never waits
    longer, whatever the template computes."""
    context = multiprocessing.get_context("spawn")  # nothing of the page's threads inherited
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_check_here, args=(template, sending), daemon=True)
    with _checks_lock:
        _checks.add(process)
    try:
        process.start()
        sending.close()
        if not receiving.poll(MAX_CHECK_SECONDS):
            raise TemplateError(template=template.folder, detail=msg(
                "install.check_too_long", "checking it takes longer than {bound:g} seconds; a "
                "loop without end?", bound=MAX_CHECK_SECONDS))
        try:
            outcome = receiving.recv()
        except EOFError:
            raise TemplateError(template=template.folder, detail=msg(
                "install.check_stopped", "checking it was stopped: it needs more than {bound} GB "
                "of memory, or the page is stopping", bound=MAX_CHECK_MEMORY // 2**30)) from None
    finally:
        process.kill()
        process.join()
        receiving.close()
        with _checks_lock:
            _checks.discard(process)
    if isinstance(outcome, IkidocError):
        raise outcome
    assert isinstance(outcome, template_check.Report)
    return outcome


def stop_checks() -> None:
    """Kill every check running (the page is stopping): each caller gets its TemplateError."""
    with _checks_lock:
        running = list(_checks)
    for process in running:
        process.kill()


def _check_here(template: Template, sending: Connection) -> None:
    """The checking process: bound its memory, check, send the report or the error."""
    if sys.platform != "win32":
        import resource  # Unix only
        resource.setrlimit(resource.RLIMIT_AS, (MAX_CHECK_MEMORY, MAX_CHECK_MEMORY))
    outcome: object
    try:
        outcome = template_check.check(template)
    except IkidocError as error:
        outcome = error
    except MemoryError:
        outcome = TemplateError(template=template.folder, detail=msg(
            "install.check_memory", "checking it needs more than {bound} GB of memory",
            bound=MAX_CHECK_MEMORY // 2**30))
    sending.send(outcome)

"""Take in a template edited elsewhere (the web page's "Template"): gather its two files
from what was uploaded, then install it as a local template only once ``templates
check`` has passed, never over a template that already has its name.

An upload is untrusted: a zip is read entry by entry with bounded sizes (a "zip bomb"
cannot fill the disk), its entry names never choose where anything is written, and
the template is rendered in the sandbox by ``template_check`` before it is installed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from ikidoc import template_check, templates
from ikidoc.errors import TemplateError
from ikidoc.templates import DOCX, MANIFEST, Template

MAX_PART_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MANIFEST_SUFFIXES = (".yaml", ".yml")
_HOW = (f"upload {DOCX} together with {MANIFEST}, or a .zip of the template folder "
        "(ikidoc templates new makes one)")


def gather(files: list[Path], folder: Path) -> Template:
    """Put the template in ``files`` (one .zip of a template folder, or one .docx and one
    .yaml) into ``folder`` as template.docx and template.yaml, and read it.

    Returns the Template (origin "path"). Raises TemplateError naming the upload that
    is missing a part, holds a part twice, is not a zip or is too large.
    """
    zips = [f for f in files if f.suffix.lower() == ".zip"]
    if zips and len(files) > 1:
        raise TemplateError(template=zips[0].name, detail=f"a .zip must come alone; {_HOW}")
    parts = _from_zip(zips[0]) if zips else {f.name: f.read_bytes() for f in files}
    folder.mkdir(parents=True, exist_ok=True)
    label = zips[0].name if zips else ", ".join(f.name for f in files) or "upload"
    for target, suffixes in ((DOCX, (".docx",)), (MANIFEST, MANIFEST_SUFFIXES)):
        (folder / target).write_bytes(_one(parts, target, suffixes, label))
    return templates.read(folder, "path")


def _from_zip(path: Path) -> dict[str, bytes]:
    """The .docx and .yaml entries of a zip by their path inside it, each read with a bound."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise TemplateError(template=path.name, detail=f"holds {len(entries)} entries; "
                                                               f"a template folder holds two")
            wanted = [e for e in entries
                      if not e.is_dir() and not e.filename.startswith("__MACOSX/")
                      and PurePosixPath(e.filename).suffix.lower() in (".docx", *MANIFEST_SUFFIXES)]
            return {entry.filename: _bounded(package, entry, path.name) for entry in wanted}
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as error:
        raise TemplateError(template=path.name, detail=f"cannot be read as a .zip ({error}); "
                                                       f"{_HOW}") from None


def _bounded(package: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str) -> bytes:
    with package.open(entry) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise TemplateError(template=label, detail=f"{entry.filename} is larger than "
                                                   f"{MAX_PART_BYTES // 2**20} MB")
    return data


def _one(parts: dict[str, bytes], target: str, suffixes: tuple[str, ...], label: str) -> bytes:
    """The one part that is ``target``: the entry of that name, else the only one of its kind."""
    kind = {name: data for name, data in parts.items()
            if PurePosixPath(name).suffix.lower() in suffixes}
    named = [name for name in kind if PurePosixPath(name).name.lower() == target]
    chosen = named if named else list(kind)
    if len(chosen) == 1:
        return kind[chosen[0]]
    detail = (f"holds no {target}" if not chosen
              else f"holds {len(chosen)} candidates for {target} ({', '.join(sorted(chosen))})")
    raise TemplateError(template=label, detail=f"{detail}; {_HOW}")


def install(template: Template, root: Path) -> Template:
    """Check ``template`` with the bundled sample and copy it into ``root/<name>``, the
    local templates folder (``templates/`` as ``templates new`` uses it).

    Returns the installed Template. Raises TemplateCheckError with every finding, or
    TemplateError when a bundled or local template already has its name (an archive
    names the template it was made with, so a name is never given to other files);
    nothing is written then.
    """
    template_check.check(template)
    name = template.manifest.name
    known = templates.available([root, *templates.local_roots()])
    if any(other.manifest.name == name for other in known):
        raise TemplateError(template=name, detail="a template of this name already exists; give "
                                                  "this one its own name in template.yaml "
                                                  f"(for example {name}-2) and a new version")
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".ikidoc-", dir=root))
    except OSError as error:
        raise TemplateError(template=root, detail=f"cannot be written: {error}") from None
    try:
        for part in (DOCX, MANIFEST):
            shutil.copyfile(template.folder / part, staging / part)
        os.rename(staging, root / name)  # fails if the folder appeared meanwhile
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise TemplateError(template=root / name, detail=f"cannot be written: {error}") from None
    return templates.read(root / name, "local")

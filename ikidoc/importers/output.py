"""Write an imported unit as a YAML data file, only once ``load`` has accepted the very
text that will be written, and never over a file the user already has."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import yaml

from ikidoc import load, reading, scalars
from ikidoc.errors import DataError, OutputError, Problem, system_reason
from ikidoc.importers import kop
from ikidoc.importers.draft import NO_UNIT, Draft
from ikidoc.messages import Message, msg
from ikidoc.model import UnitKerja

DATA_SUFFIXES = (".yaml", ".yml")


class _Dumper(yaml.SafeDumper):
    """Block style as a person writes it: a text of several lines as a ``|`` block, a
    list used twice written out twice (no ``&id001`` anchors)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The emitter falls back to quotes by itself where a block cannot hold the text.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _typed(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """A number or boolean read from a data file (ikidoc.scalars): plain, as typed."""
    text = str(value)
    tag: str = dumper.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(scalars.Number, _typed)
_Dumper.add_representer(scalars.Boolean, _typed)


def to_yaml(data: dict[str, Any], source: str, notes: list[Message] | None = None) -> str:
    """The data file's text: keys in docs/data-format.md order, unicode as is, one value a line;
    the choices made while reading (``notes``) said in its opening comment."""
    head = (f"# Dibuat oleh `ikidoc import` dari {Path(source).name}; "
            "periksa isinya sebelum dipakai.\n")
    head += "".join(f"# {' '.join(str(note).split())}\n" for note in notes or [])
    return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                            default_flow_style=False, width=4096)


def save(draft: Draft, target: Path, *, force: bool = False) -> UnitKerja:
    """Validate the draft as the data file it becomes and write that file.

    Returns the unit as ``load`` reads the written file. Raises DataError (every
    problem placed in the source: sheet and cell, or position and table row) or
    OutputError; nothing is written then. The problems met while reading come together
    with those of the document's own fields (a ``tahun`` in words beside a row without
    its sasaran), so that one correction fixes all of them.
    """
    if target.suffix.lower() not in DATA_SUFFIXES:
        raise OutputError(path=target, reason=msg("output.suffix", "a data file's name ends in "
                                                  ".yaml or .yml"),
                          hint=msg("output.suffix_hint", "for example -o {example}",
                                   example=str(target.with_suffix(".yaml"))))
    if draft.logo is not None:
        draft.kop["logo"] = kop.logo_name(target, draft.logo)
    text = to_yaml(draft.unit(), draft.source, draft.notes)
    load.refuse_large(len(text.encode("utf-8")), draft.source, written=True)
    data, marks = reading.parse(text.encode("utf-8"), str(target))
    try:
        unit = load.validate(data, marks, str(target))
    except DataError as error:
        raise DataError(draft.problems + _beside(draft, error.problems)) from None
    if draft.problems:
        raise DataError(draft.problems)
    logo = _write_logo(target.parent / draft.kop["logo"], draft.logo, force) \
        if draft.logo is not None else None
    try:
        write_new(target, text.encode("utf-8"), force=force)
    except OutputError:
        if logo is not None:
            logo.unlink(missing_ok=True)
        raise
    return unit


def _write_logo(path: Path, data: bytes, force: bool) -> Path | None:
    """Write the letterhead's logo beside the data file; return it when it is new (to be
    removed again when the data file cannot be written), None when it was there."""
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return None
    existed = path.exists()
    write_new(path, data, force=force)
    return None if existed else path


def _beside(draft: Draft, problems: list[Problem]) -> list[Problem]:
    """The problems of the data read, placed in the source, less those the reading has
    already explained: a position whose rows were refused, a unit not given."""
    read_badly = any(problem.message is not NO_UNIT for problem in draft.problems)
    unit_missing = any(problem.message is NO_UNIT for problem in draft.problems)
    return [_placed(problem, draft) for problem in problems
            if not (read_badly and problem.path.startswith("jabatan"))
            and not (unit_missing and problem.path == "unit_kerja")]


def _placed(problem: Problem, draft: Draft) -> Problem:
    """A problem of the unwritten YAML, moved to where its value came from in the source."""
    return dataclasses.replace(problem, file=draft.source, line=None, column=None,
                               place=draft.place_of(problem.path))


def write_new(target: Path, content: bytes, *, force: bool = False,
              hint: Message | None = None) -> None:
    """Write ``content`` to ``target``, a new file unless ``force``; the folder is made.

    The file appears whole or not at all: written beside it and renamed when replacing,
    removed again when writing a new one fails half-way. Raises OutputError.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if force:
            _replace(target, content)
        else:
            _create(target, content)
    except FileExistsError:
        raise OutputError(path=target, reason=msg("output.exists", "it already exists"),
                          hint=hint or msg("output.force_hint", "choose another file name, or "
                                           "add --force to replace it")) from None
    except OSError as error:
        raise OutputError(path=target, reason=msg("output.system", "{reason}",
                                                  reason=system_reason(error))) from None


def _create(target: Path, content: bytes) -> None:
    stream = target.open("xb")
    try:
        with stream:
            stream.write(content)
    except OSError:
        target.unlink(missing_ok=True)
        raise


def _replace(target: Path, content: bytes) -> None:
    temporary = target.with_name(f".{target.name}.ikidoc-new")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)

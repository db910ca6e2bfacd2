"""Read data files (YAML or JSON) and folders into models, reporting every problem
with its file, line, column and field path."""
from __future__ import annotations

import codecs
import errno
import hashlib
import itertools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ikidoc.errors import DataError, Problem, system_reason, unreadable
from ikidoc.messages import Message, msg
from ikidoc.model import FORBIDDEN, UnitKerja, character_name, describe_value
from ikidoc.reading import (
    NESTED,
    Loc,
    Marks,
    NeedsCarefulReading,
    decode,
    expands_past_bound,
    marks_at,
    parse,
    parse_json,
    place_of,
    read_events,
    syntax_error,
)
from ikidoc.validation import dotted, nearest, placed_problems, places
from ikidoc.workers import each_file

SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 50 * 1024 * 1024
_LISTED_CHARACTERS = 20  # a file full of control characters is named, not listed whole
# Files an officer may hand to generate or validate that are sources for ``import``, or
# office files to save as one first: named for what they are, not read as YAML.
_EXCEL = msg("load.kind_excel", "an Excel workbook")
IMPORTED = {".xlsx": _EXCEL, ".xlsm": _EXCEL, ".csv": msg("load.kind_csv", "a CSV file"),
            ".docx": msg("load.kind_word", "a Word document")}
OTHER_OFFICE = {".xls": msg("load.kind_old_excel", "an Excel 97-2003 workbook"),
                ".doc": msg("load.kind_old_word", "a Word 97-2003 document"),
                ".odt": msg("load.kind_opendocument", "an OpenDocument file"),
                ".ods": msg("load.kind_opendocument", "an OpenDocument file"),
                ".pdf": msg("load.kind_pdf", "a PDF file")}


@dataclass(frozen=True)
class Source:
    """One data file read and validated: its path, its bytes' hash, its unit, its text
    (kept in the archive so a revision can be rebuilt), and where each value stood (so
    later checks can name the line too)."""

    path: Path
    sha256: str
    unit: UnitKerja
    text: str = field(default="", repr=False, compare=False)
    positions: dict[Loc, tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    def problem(self, loc: Loc, message: Message, hint: Message | None = None) -> Problem:
        """A Problem at ``loc`` of this file, with the line of the nearest value known."""
        line, column = nearest(self._positions(), loc) or (None, None)
        return Problem(str(self.path), message, line=line, column=column,
                       path=dotted(loc) + self._position_named(loc), hint=hint)

    def _position_named(self, loc: Loc) -> str:
        """' (Bendahara)' when loc lies inside a position: its name is looked up, never
        gathered with every other one (a unit of 20,000 positions, each lacking a field a
        template needs, has 20,000 problems)."""
        positions = self.unit.jabatan
        if len(loc) >= 2 and loc[0] == "jabatan" and isinstance(loc[1], int) \
                and 0 <= loc[1] < len(positions):
            return f" ({positions[loc[1]].nama})"
        return ""


    def _positions(self) -> dict[Loc, tuple[int, int]]:
        """Where each value stands, worked out from the text only when a problem needs it:
        a valid file is read once, quickly, without them."""
        if self.positions is None:
            try:
                marks = parse(self.text.encode("utf-8"), str(self.path),
                              json_syntax=self.path.suffix.lower() == ".json")[1]
            except DataError:
                marks = Marks()
            object.__setattr__(self, "positions", marks.values)
        return self.positions  # type: ignore[return-value]


def load_paths(paths: list[Path], jobs: int = 1) -> list[Source]:
    """Read every data file named or found (non-recursively) in the folders named, in
    up to ``jobs`` processes when they are several and large (see ikidoc.workers).

    Returns the sources in order (folders sorted by file name). Raises DataError with
    every problem of every file, so nothing is written for a partly valid set.
    """
    files, problems = _expand(paths)
    sources = []
    for loaded in each_file(_attempt, files, jobs):
        if isinstance(loaded, DataError):
            problems.extend(loaded.problems)
        else:
            sources.append(loaded)
    if problems:
        raise DataError(problems)
    return sources


def _attempt(path: Path) -> Source | DataError:
    """The file's Source, or the DataError that names its problems: handed back, so
    that every file is read and every problem reported."""
    try:
        return load_file(path)
    except DataError as error:
        return error


def _expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            try:
                named = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
            except OSError as error:
                problems.append(Problem(str(path), msg(
                    "load.folder_unreadable", "folder cannot be read: {reason}",
                    reason=system_reason(error))))
                continue
            found = [p for p in named if p.is_file()]
            # a folder named x.yaml is a folder; anything else so named is meant as data
            special = [Problem(str(p), _not_a_file(p)) for p in named
                       if not p.is_file() and not p.is_dir()]
            problems.extend(special)
            if not found and not special:
                problems.append(Problem(str(path), msg("load.folder_empty", "folder holds no "
                                                       ".yaml, .yml or .json data file")))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), _not_a_file(path)))
    unique = {file.resolve(): file for file in reversed(files)}  # a file named twice is read once
    return [file for file in files if unique.get(file.resolve()) is file], problems


def _not_a_file(path: Path) -> Message:
    """Why ``path`` cannot be read as a data file: no such file, a link to nothing or in a
    loop, or a special file (a FIFO would block the reader for ever)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if path.is_symlink() and error.errno == errno.ELOOP:
            return msg("load.link_loop", "is a symbolic link in a loop")
        if path.is_symlink():
            return msg("load.link_to_nothing", "is a symbolic link to nothing (its target is "
                       "missing)")
        return msg("load.no_such_path", "no such file or folder")
    if stat.S_ISFIFO(mode):
        return msg("load.fifo", "is a named pipe (FIFO), not a data file")
    if stat.S_ISSOCK(mode):
        return msg("load.socket", "is a socket, not a data file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return msg("load.device", "is a device, not a data file")
    return msg("load.not_regular", "is not a regular file, not a data file")


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` when it is a regular file within MAX_BYTES. Opened without
    blocking, so a FIFO swapped in after the folder was listed is named, not waited on."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise DataError([Problem(str(path), _not_a_file(path))])
        refuse_large(status.st_size, str(path))
        return stream.read(MAX_BYTES + 1)


def load_file(path: Path) -> Source:
    """Read one YAML or JSON data file into a Source; raise DataError naming each problem."""
    name = str(path)
    _refuse_office_file(path)
    _refuse_unrecordable_name(path)
    try:
        raw = _read_regular(path)
        refuse_large(len(raw), name)  # it grew while being read
    except OSError as error:
        raise DataError([Problem(name, unreadable(error))]) from None
    json_syntax = path.suffix.lower() == ".json"
    text = decode(raw, name)
    # The text kept (in the archive too) is the file's, its BOM included, so that its
    # sha256 is the file's; it is read without.
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    sha256 = hashlib.sha256(raw).hexdigest()
    _refuse_typed_characters(text, name)
    data = _read_quickly(text, name, json_syntax)
    if data is not None:
        try:
            unit = UnitKerja.model_validate(data)
            return Source(path=path, sha256=sha256, unit=unit, text=bom + text)
        except ValidationError as error:
            if not json_syntax:  # the data breaks a rule: find the lines of those places only
                validate(data, marks_at(text, places(error)), name, error)
        except RecursionError:
            pass
    # something else is wrong: read again, keeping every line and column
    data, marks = parse(raw, name, json_syntax=json_syntax)
    return Source(path=path, sha256=sha256, unit=validate(data, marks, name), text=bom + text)


def _refuse_office_file(path: Path) -> None:
    """A workbook, a Word document or a PDF given as data is named for what it is, with the
    way to turn it into data, instead of being read as YAML and refused for its bytes."""
    suffix = path.suffix.lower()
    if suffix in IMPORTED:
        raise DataError([Problem(str(path), msg(
            "load.import_first", "is {kind}, not a data file (.yaml, .yml, .json)",
            kind=IMPORTED[suffix]), hint=msg(
            "load.import_hint", "turn it into data with: ikidoc import {file} -o {data}, or "
            "upload it on the page (ikidoc serve)", file=path.name,
            data=path.with_suffix(".yaml").name))])
    if suffix in OTHER_OFFICE:
        raise DataError([Problem(str(path), msg(
            "load.office_file", "is {kind}, not a data file (.yaml, .yml, .json)",
            kind=OTHER_OFFICE[suffix]), hint=msg(
            "load.office_hint", "save it from Word or Excel as .docx or .xlsx, then turn it "
            "into data with ikidoc import"))])


def _refuse_unrecordable_name(path: Path) -> None:
    """A file name that is not UTF-8 (bytes of another encoding, kept by the system as
    they are) cannot be recorded in a revision's manifest: it is refused before anything
    is written, with the way out."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise DataError([Problem(str(path), msg(
            "load.name_not_utf8", "the file's name is not UTF-8 text, so the archive cannot "
            "record it"), hint=msg("load.name_not_utf8_hint", "rename the file"))]) from None


def refuse_large(size: int, name: str, *, written: bool = False) -> None:
    """Raise DataError when a data file of ``size`` bytes is over MAX_BYTES: for files
    read, and for files ``import`` would write (``written``; never one that ``validate``
    refuses)."""
    if size <= MAX_BYTES:
        return
    hint = msg("load.split_hint", "split the unit into several data files")
    if written:
        said = msg("load.too_large_written", "makes a data file of {size:,} bytes; data files "
                   "larger than {bound} MB are refused", size=size, bound=MAX_BYTES // 2**20)
    else:
        said = msg("load.too_large", "file is {size:,} bytes; data files larger than {bound} MB "
                   "are refused", size=size, bound=MAX_BYTES // 2**20)
    raise DataError([Problem(name, said, hint=hint)])


def _refuse_typed_characters(text: str, name: str) -> None:
    """Raise DataError naming the line and column of every character a Word document
    cannot hold that the file holds as typed (not escaped as "\\x01"). A YAML parser
    would stop at the first with its own message, or read U+0085 as a line break."""
    found = FORBIDDEN.finditer(text)
    problems = [Problem(name, msg("data.typed_character", "contains the character {character}, "
                                  "which a Word document cannot hold; remove it (it often "
                                  "comes from copy-paste)",
                                  character=character_name(match.group())),
                        *place_of(text, match.start()))
                for match in itertools.islice(found, _LISTED_CHARACTERS)]
    more = sum(1 for _ in found)  # counted, not placed: placing each reads the text again
    if more:
        problems.append(Problem(name, msg("data.more_characters", "and {count:,} more such "
                                          "characters", count=more)))
    if problems:
        raise DataError(problems)


def _read_quickly(text: str, name: str, json_syntax: bool) -> Any:
    """The data of a file that holds nothing unusual, read without tracking lines; None
    when anything is amiss, for ``parse`` and ``validate`` to report with lines and
    columns. A YAML syntax error libyaml finds is reported at once (DataError): reading
    the file again would find it again, at the same place."""
    try:
        repeated = 0
        if json_syntax:
            data, duplicates = parse_json(text, "")
            if duplicates:
                return None
        else:
            data, repeated = read_events(text)
        if not isinstance(data, dict) or expands_past_bound(data, repeated):
            return None
        return data
    except yaml.MarkedYAMLError as error:
        raise syntax_error(error, name) from None
    except (DataError, yaml.YAMLError, NeedsCarefulReading, RecursionError):
        return None


def validate(data: Any, marks: Marks | None = None, name: str = "<data>",
             error: ValidationError | None = None) -> UnitKerja:
    """Build the model from parsed data; raise DataError with one Problem per rule broken.

    ``marks`` (from parsing a file) adds lines and columns; ``name`` is the file named
    in each Problem; ``error`` is the data's ValidationError when it is already known
    (a large file is not validated twice to be reported).
    """
    marks = marks or Marks()
    problems = [Problem(name, message, line=position[0] if position else None,
                        column=position[1] if position else None,
                        path=dotted(loc) + (_named(loc, data) if isinstance(data, dict) else ""))
                for loc, position, message in marks.problems]
    if not isinstance(data, dict):
        if isinstance(data, list):
            found = msg("data.top_list", "top level must be a mapping with unit_kerja and "
                        "jabatan, not a list")
        else:
            found = msg("data.top_value", "top level must be a mapping with unit_kerja and "
                        "jabatan, not a single value ({value})", value=describe_value(data))
        raise DataError([Problem(name, found, line=1)])
    try:
        if error is not None:
            raise error
        unit = UnitKerja.model_validate(data)
    except ValidationError as invalid:
        problems += placed_problems(invalid, UnitKerja, name, marks, lambda loc: _named(loc, data))
    except RecursionError:
        problems.append(Problem(name, NESTED))
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return unit


def _named(loc: Loc, data: dict[str, Any]) -> str:
    """' (Bendahara)' when loc lies inside a position whose name is known."""
    if len(loc) >= 2 and loc[0] == "jabatan" and isinstance(loc[1], int):
        positions = data.get("jabatan")
        if isinstance(positions, list) and loc[1] < len(positions):
            entry = positions[loc[1]]
            name = entry.get("nama") if isinstance(entry, dict) else None
            # a number typed as the name (an error of its own) names no position
            if type(name) is str and name.strip() and name.isprintable():
                return f" ({name.strip()})"
    return ""

"""Read data files (YAML or JSON) and folders into models, reporting every problem
with its file, line, column and field path."""
from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ikidoc.errors import DataError, Problem
from ikidoc.model import (
    Indikator,
    Jabatan,
    Pemangku,
    Penandatangan,
    Sasaran,
    UnitKerja,
    describe_value,
)

SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 50 * 1024 * 1024
# Aliases may repeat a sumber_data list; a handful of anchors nested in each other
# ("billion laughs") would expand past any memory, so their expansion is bounded.
MAX_ALIAS_NODES = 100_000

Loc = tuple[str | int, ...]
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_CHILD_MODELS = {
    "jabatan": Jabatan,
    "sasaran": Sasaran,
    "indikator": Indikator,
    "penandatangan": Penandatangan,
    "pemangku": Pemangku,
}


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's when installed) that keeps every plain scalar as the
    text the user typed.

    YAML 1.1 would read ``nama: No`` as False, ``uraian: 1.10`` as 1.1 and a NIP as an
    int; only empty values and merge keys are resolved, pydantic converts the rest.
    """


_TextLoader.yaml_implicit_resolvers = {
    first: kept
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if (kept := [(tag, rx) for tag, rx in resolvers if tag in (_NULL, _MERGE)])
}


class _NeedsCarefulReading(Exception):
    """Internal: the quick reading met something only the careful one reads or reports well."""


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

    def problem(self, loc: Loc, message: str, hint: str = "") -> Problem:
        """A Problem at ``loc`` of this file, with the line of the nearest value known."""
        line, column = _nearest(self._positions(), loc) or (None, None)
        return Problem(str(self.path), message, line=line, column=column,
                       path=dotted(loc) + _named(loc, {"jabatan": [{"nama": j.nama} for j in self.unit.jabatan]}),
                       hint=hint)


    def _positions(self) -> dict[Loc, tuple[int, int]]:
        """Where each value stands, worked out from the text only when a problem needs it:
        a valid file is read once, quickly, without them."""
        if self.positions is None:
            try:
                marks = parse(self.text.encode("utf-8"), str(self.path),
                              json_syntax=self.path.suffix.lower() == ".json")[1]
            except DataError:
                marks = _Marks()
            object.__setattr__(self, "positions", marks.values)
        return self.positions  # type: ignore[return-value]


class _Marks:
    """Line and column (1-based) of every value and key of a composed YAML document."""

    def __init__(self) -> None:
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.problems: list[tuple[Loc, tuple[int, int] | None, str]] = []  # duplicate keys
        self._seen: set[int] = set()
        self._walked = 0

    def walk(self, node: yaml.Node, loc: Loc = ()) -> None:
        self._walked += 1
        self._seen.add(id(node))
        if self._walked - len(self._seen) > MAX_ALIAS_NODES:
            raise _AliasBomb()
        self.values.setdefault(loc, _position(node))
        if isinstance(node, yaml.MappingNode):
            self._walk_mapping(node, loc)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, loc + (index,))

    def _walk_mapping(self, node: yaml.MappingNode, loc: Loc) -> None:
        first: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.walk(value_node, loc)
                continue
            key = str(key_node.value)
            here = _position(key_node)
            if key in first:
                self.problems.append((loc + (key,), here, f"key {key!r} is given twice "
                                      f"(first at line {first[key][0]}); keep one"))
            first.setdefault(key, here)
            self.keys.setdefault(loc + (key,), here)
            self.walk(value_node, loc + (key,))


class _AliasBomb(Exception):
    """Internal: alias expansion passed MAX_ALIAS_NODES."""


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_paths(paths: list[Path]) -> list[Source]:
    """Read every data file named or found (non-recursively) in the folders named.

    Returns the sources in order (folders sorted by file name). Raises DataError with
    every problem of every file, so nothing is written for a partly valid set.
    """
    files, problems = _expand(paths)
    sources = []
    for file in files:
        try:
            sources.append(load_file(file))
        except DataError as error:
            problems.extend(error.problems)
    if problems:
        raise DataError(problems)
    return sources


def _expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            try:
                found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            except OSError as error:
                problems.append(Problem(str(path), f"folder cannot be read: {error.strerror or error}"))
                continue
            if not found:
                problems.append(Problem(str(path), "folder holds no .yaml, .yml or .json data file"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return files, problems


def load_file(path: Path) -> Source:
    """Read one YAML or JSON data file into a Source; raise DataError naming each problem."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError([Problem(name, f"file is {size:,} bytes; data files larger than "
                                           f"{MAX_BYTES // 2**20} MB are refused")])
        raw = path.read_bytes()
    except OSError as error:
        raise DataError([Problem(name, f"cannot be read: {error.strerror or error}")]) from None
    json_syntax = path.suffix.lower() == ".json"
    source = {"path": path, "sha256": hashlib.sha256(raw).hexdigest(), "text": _decode(raw, name)}
    unit = _validate_quickly(source["text"], json_syntax)
    if unit is None:  # something is wrong: read again, keeping every line and column
        data, marks = parse(raw, name, json_syntax=json_syntax)
        unit = validate(data, marks, name)
    return Source(unit=unit, **source)


def _validate_quickly(text: str, json_syntax: bool) -> UnitKerja | None:
    """The unit of a valid file, read without tracking lines; None when anything is
    amiss, for ``parse`` and ``validate`` to report with lines and columns."""
    try:
        if json_syntax:
            data, duplicates = _parse_json(text, "")
            if duplicates:
                return None
        else:
            data = _read_events(text)
        if not isinstance(data, dict) or _expands_past_bound(data):
            return None
        return UnitKerja.model_validate(data)
    except (DataError, yaml.YAMLError, _NeedsCarefulReading, ValidationError, RecursionError):
        return None


_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = (None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")
_UNSET = object()


def _read_events(text: str) -> Any:
    """YAML data built straight from the parser's events, as _TextLoader would build it.

    No node tree is kept, so a large file costs only its data. Anything unusual (a
    key given twice, a merge key, an explicit tag, several documents) raises
    _NeedsCarefulReading.
    """
    loader = _TextLoader(text)
    anchors: dict[str, Any] = {}
    open_: list[list | dict] = []
    pending: list[Any] = []  # per open mapping: its key waiting for a value
    root: list[Any] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.CollectionEndEvent)):
                open_.pop()
                pending.pop()
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise _NeedsCarefulReading()
                value = anchors[event.anchor]
            elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                if event.tag not in _PLAIN_TAGS:
                    raise _NeedsCarefulReading()
                value = _start(event)
                if event.anchor:
                    anchors[event.anchor] = value
            else:
                continue
            _attach(value, event, open_, pending, root)
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append(value)
                pending.append(_UNSET)
    finally:
        loader.dispose()
    if len(root) > 1:
        raise _NeedsCarefulReading()
    return root[0] if root else None


def _start(event: yaml.Event) -> Any:
    if isinstance(event, yaml.SequenceStartEvent):
        return []
    if isinstance(event, yaml.MappingStartEvent):
        return {}
    if event.implicit[0] and event.tag is None and event.value in _NULLS:
        return None
    return event.value


def _attach(value: Any, event: yaml.Event, open_: list, pending: list, root: list) -> None:
    if not open_:
        root.append(value)
    elif isinstance(open_[-1], list):
        open_[-1].append(value)
    elif pending[-1] is _UNSET:
        plain = isinstance(event, yaml.ScalarEvent) and event.implicit[0]
        if not isinstance(value, str) or value in open_[-1] or (plain and value == "<<"):
            raise _NeedsCarefulReading()
        pending[-1] = value
    else:
        open_[-1][pending[-1]] = value
        pending[-1] = _UNSET


def _expands_past_bound(data: Any) -> bool:
    """Whether aliases make the data larger than MAX_ALIAS_NODES beyond what was typed.
    Shared lists and mappings are counted once for "typed" and in full for "expanded",
    without expanding them (a "billion laughs" file would never finish)."""
    sizes: dict[int, int] = {}
    typed = 0

    def size(value: Any) -> int:
        nonlocal typed
        if not isinstance(value, (dict, list)):
            return 1
        if id(value) not in sizes:
            children = value.values() if isinstance(value, dict) else value
            typed += 1 + sum(1 for child in children if not isinstance(child, (dict, list)))
            sizes[id(value)] = 1 + sum(size(child) for child in children)
        return sizes[id(value)]

    return size(data) - typed > MAX_ALIAS_NODES


def parse(raw: bytes, name: str, *, json_syntax: bool = False) -> tuple[Any, _Marks]:
    """Decode and parse a data file's bytes; return plain data and the marks of its nodes."""
    text = _decode(raw, name)
    if not text.strip():
        raise DataError([Problem(name, "file is empty; it must hold a unit (unit_kerja, jabatan)")])
    if not json_syntax:
        return _compose(text, name)
    data, duplicates = _parse_json(text, name)
    try:
        # Only for line numbers: valid JSON is YAML but for tabs between tokens (a tab
        # cannot stand inside a JSON string, so spaces keep every column).
        marks = _compose(text.replace("\t", " "), name)[1]
    except DataError:
        marks = _Marks()  # valid JSON that YAML cannot read: no line numbers
    if not marks.problems:
        marks.problems += [((key,), None, f"key {key!r} is given twice in one object; keep one")
                           for key in duplicates]
    return data, marks


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError([Problem(name, "is not a text file (it holds NUL bytes); save the data "
                                       "as UTF-8 text", line=line)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError([Problem(name, f"is not UTF-8 text (byte 0x{raw[error.start]:02X}); "
                                       "save it as UTF-8", line=line)]) from None


def _parse_json(text: str, name: str) -> tuple[Any, list[str]]:
    """Strict JSON (no NaN), and the keys given twice in one object (JSON parsers keep
    the last one silently)."""
    duplicates: list[str] = []

    def no_constant(token: str) -> Any:
        raise ValueError(f"{token} is not JSON")

    def first_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result.setdefault(key, value)
        return result

    try:
        return json.loads(text, parse_constant=no_constant, object_pairs_hook=first_wins), duplicates
    except json.JSONDecodeError as error:
        raise DataError([Problem(name, f"invalid JSON: {error.msg}",
                                 line=error.lineno, column=error.colno)]) from None
    except (ValueError, RecursionError) as error:
        raise DataError([Problem(name, f"invalid JSON: {error}")]) from None


def _compose(text: str, name: str) -> tuple[Any, _Marks]:
    loader = _TextLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataError([Problem(name, "file is empty; it must hold a unit (unit_kerja, jabatan)")])
        marks = _Marks()
        marks.walk(node)
        return loader.construct_document(node), marks
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise DataError([Problem(name, f"invalid YAML: {message}",
                                 line=mark.line + 1 if mark else None,
                                 column=mark.column + 1 if mark else None)]) from None
    except yaml.YAMLError as error:
        raise DataError([Problem(name, f"invalid YAML: {error}")]) from None
    except _AliasBomb:
        raise DataError([Problem(name, f"aliases expand past {MAX_ALIAS_NODES:,} values; "
                                       "repeat the data instead of nesting anchors")]) from None
    except RecursionError:
        raise DataError([Problem(name, "data is nested too deeply")]) from None
    finally:
        loader.dispose()


def validate(data: Any, marks: _Marks | None = None, name: str = "<data>") -> UnitKerja:
    """Build the model from parsed data; raise DataError with one Problem per rule broken.

    ``marks`` (from parsing a file) adds lines and columns; ``name`` is the file named
    in each Problem.
    """
    marks = marks or _Marks()
    problems = [Problem(name, message, line=position[0] if position else None,
                        column=position[1] if position else None,
                        path=dotted(loc) + (_named(loc, data) if isinstance(data, dict) else ""))
                for loc, position, message in marks.problems]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise DataError([Problem(name, f"top level must be a mapping with unit_kerja and jabatan, "
                                       f"not {kind}", line=1)])
    try:
        unit = UnitKerja.model_validate(data)
    except ValidationError as error:
        problems += [_problem(item, data, marks, name) for item in _explained(error.errors())]
    except RecursionError:
        problems.append(Problem(name, "data is nested too deeply"))
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return unit


def _explained(errors: list[Any]) -> list[Any]:
    """Drop "required field is missing" where a misspelt key already explains it
    (``formulasii`` given, ``formulasi`` missing): one problem, one message."""
    typos = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            loc = tuple(item["loc"])
            intended = _intended(loc)
            if intended:
                typos.add((loc[:-1], intended))
    return [item for item in errors
            if not (item["type"] == "missing" and (tuple(item["loc"][:-1]), item["loc"][-1]) in typos)]


def _problem(item: Any, data: dict, marks: _Marks, name: str) -> Problem:
    loc: Loc = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
    kind = item["type"]
    hint = ""
    if kind == "extra_forbidden":
        intended = _intended(loc)
        message = f"unknown key {str(loc[-1])!r}"
        hint = f"did you mean {intended!r}?" if intended else \
            "allowed keys: " + ", ".join(_model_at(loc[:-1]).model_fields)
        position = marks.keys.get(loc) or _nearest(marks.values, loc)
    elif kind == "missing":
        message = "required field is missing"
        position = _nearest(marks.values, loc[:-1])
    else:
        message = _message(item)
        position = _nearest(marks.values, loc)
    line, column = position if position else (None, None)
    return Problem(name, message, line=line, column=column, path=dotted(loc) + _named(loc, data),
                   hint=hint)


def _intended(loc: Loc) -> str | None:
    """The key an unknown key at ``loc`` was most likely meant to be."""
    fields = list(_model_at(loc[:-1]).model_fields)
    close = difflib.get_close_matches(str(loc[-1]).lower(), fields, n=1, cutoff=0.6)
    return close[0] if close else None


def _message(item: Any) -> str:
    kind, value = item["type"], item.get("input")
    if kind == "model_type" or kind == "dict_type":
        return f"expected a mapping (key: value), got {describe_value(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe_value(value)}"
    if kind == "too_short":
        return "needs at least one item"
    message = item["msg"]
    return message[len("Value error, "):] if message.startswith("Value error, ") else message


def _model_at(loc: Loc) -> type:
    for part in reversed(loc):
        if isinstance(part, str):
            return _CHILD_MODELS.get(part, UnitKerja)
    return UnitKerja


def _nearest(positions: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int, int] | None:
    """Line and column of ``loc``, else of its nearest ancestor that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return None


def dotted(loc: Loc) -> str:
    """``jabatan[3].sasaran[0].formulasi``: a field path as FORMAT.md writes it."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _named(loc: Loc, data: dict) -> str:
    """' (Bendahara)' when loc lies inside a position whose name is known."""
    if len(loc) >= 2 and loc[0] == "jabatan" and isinstance(loc[1], int):
        positions = data.get("jabatan")
        if isinstance(positions, list) and loc[1] < len(positions):
            entry = positions[loc[1]]
            name = entry.get("nama") if isinstance(entry, dict) else None
            if isinstance(name, str) and name.strip() and name.isprintable():
                return f" ({name.strip()})"
    return ""

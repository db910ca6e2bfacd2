"""Turn a data file's bytes into plain data: strict YAML or JSON, read quickly when
valid, or carefully with the line and column of every value when a problem must be
named. Nothing here knows the data model."""
from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ikidoc import scalars
from ikidoc.errors import DataError, Problem

Loc = tuple[str | int, ...]
# Aliases may repeat a sumber_data list; a handful of anchors nested in each other
# ("billion laughs") would expand past any memory, so their expansion is bounded.
MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 200  # a unit's data nests six deep; far deeper is no IKI, and may crash a parser

_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"


class TextLoader(yaml.SafeLoader):
    """A safe loader that keeps every plain scalar as the text the user typed.

    YAML 1.1 would read ``nama: No`` as False, ``uraian: 1.10`` as 1.1 and a NIP as an
    int; only empty values and merge keys are resolved, pydantic converts the rest.
    The pure-Python loader: it reads only files that have a problem to report, and it
    stops at Python's recursion limit where libyaml's composer would crash. It accepts
    U+007F typed as such, as JSON does: FORMAT.md §1 prints it (the characters a Word
    document cannot hold are refused before any parser reads the file).
    """

    NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7f\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Empty values and merge keys as YAML resolves them; plain numbers and booleans
    (YAML 1.2's core schema) marked, yet kept as typed (see ikidoc.scalars)."""
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {
        first: kept
        for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
        if (kept := [(tag, rx) for tag, rx in found if tag in (_NULL, _MERGE)])
    }
    for first in scalars.FIRST_CHARACTERS:
        resolvers.setdefault(first, []).extend(
            (tag, re.compile(f"^(?:{pattern.pattern})$")) for tag, pattern in scalars.PATTERNS)
    return resolvers


def _add_typed_constructors(loader: type[yaml.SafeLoader]) -> None:
    loader.yaml_implicit_resolvers = _text_resolvers()
    for tag, kind in ((scalars.NUMBER_TAG, scalars.Number), (scalars.BOOLEAN_TAG, scalars.Boolean)):
        loader.add_constructor(tag, lambda self, node, kind=kind: kind(node.value))


_add_typed_constructors(TextLoader)


class _EventReader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where installed: only its events are used, by read_events."""


class NeedsCarefulReading(Exception):
    """Internal: the quick reading met something only the careful one reads or reports well."""


class Marks:
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
                if "<<" in first:
                    self.problems.append((loc, _position(key_node), "key '<<' is given twice "
                                          f"(first at line {first['<<'][0]}); merge several "
                                          "mappings with one: << : [*a, *b]"))
                first.setdefault("<<", _position(key_node))
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


_NULLS = {"", "~", "null", "Null", "NULL"}
_UNSET = object()


def read_events(text: str) -> tuple[Any, int]:
    """YAML data built straight from the parser's events, as TextLoader would build it,
    and how many times an alias repeated a scalar (for the alias bound).

    No node tree is kept, so a large file costs only its data. Anything unusual (a
    key given twice, a merge key, an explicit tag, several documents, deep nesting)
    raises NeedsCarefulReading.
    """
    if "\u2028" in text or "\u2029" in text:  # see _SEPARATED
        raise NeedsCarefulReading()
    loader = _EventReader(text)
    anchors: dict[str, Any] = {}
    open_: list[list | dict] = []
    pending: list[Any] = []  # per open mapping: its key waiting for a value
    root: list[Any] = []
    repeated = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                pending.pop()
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise NeedsCarefulReading()
                value = anchors[event.anchor]
                repeated += not isinstance(value, (dict, list))
            elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                _check_plain(event, len(open_))
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
        raise NeedsCarefulReading()
    return (root[0] if root else None), repeated


def marks_at(text: str, wanted: set[Loc]) -> Marks:
    """The lines and columns of the keys and values at ``wanted`` only, from libyaml's
    events: for a text that read_events read well but whose data breaks a rule, so that
    a large file is not composed again into a tree of every node to name a few."""
    marks = Marks()
    loader = _EventReader(text)
    open_: list[list[Any]] = []  # per open collection: its loc, then its pending key or next index
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
                continue
            place = (event.start_mark.line + 1, event.start_mark.column + 1)
            loc: Loc = ()
            if open_ and open_[-1][1] is _UNSET:  # a mapping's key (read_events saw only text keys)
                open_[-1][1] = event.value
                if open_[-1][0] + (event.value,) in wanted:
                    marks.keys[open_[-1][0] + (event.value,)] = place
                continue
            if open_:
                loc = open_[-1][0] + (open_[-1][1],)
                open_[-1][1] = _UNSET if isinstance(open_[-1][1], str) else open_[-1][1] + 1
            if loc in wanted:
                marks.values[loc] = place
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([loc, _UNSET if isinstance(event, yaml.MappingStartEvent) else 0])
    finally:
        loader.dispose()
    return marks


def _check_plain(event: yaml.Event, depth: int) -> None:
    """Only what TextLoader reads the same way: the tag that fits the event, no plain
    ``<<`` (a merge key to YAML wherever it stands), no nesting a reader could choke on."""
    fitting = {yaml.ScalarEvent: (None, "!", "tag:yaml.org,2002:str"),
               yaml.SequenceStartEvent: (None, "tag:yaml.org,2002:seq"),
               yaml.MappingStartEvent: (None, "tag:yaml.org,2002:map")}[type(event)]
    plain_merge = isinstance(event, yaml.ScalarEvent) and event.implicit[0] and event.value == "<<"
    if event.tag not in fitting or plain_merge or depth > MAX_DEPTH:
        raise NeedsCarefulReading()


def _start(event: yaml.Event) -> Any:
    if isinstance(event, yaml.SequenceStartEvent):
        return []
    if isinstance(event, yaml.MappingStartEvent):
        return {}
    if event.implicit[0] and event.tag is None:
        return None if event.value in _NULLS else scalars.typed(event.value)
    return event.value


def _attach(value: Any, event: yaml.Event, open_: list, pending: list, root: list) -> None:
    if not open_:
        root.append(value)
    elif isinstance(open_[-1], list):
        open_[-1].append(value)
    elif pending[-1] is _UNSET:
        if not isinstance(value, str) or value in open_[-1]:
            raise NeedsCarefulReading()
        pending[-1] = value
    else:
        open_[-1][pending[-1]] = value
        pending[-1] = _UNSET


def expands_past_bound(data: Any, repeated: int = 0) -> bool:
    """Whether aliases make the data larger than MAX_ALIAS_NODES beyond what was typed,
    counted as Marks.walk counts it: ``repeated`` scalars, and shared lists and mappings
    in full for "expanded" but once for "typed", without expanding them (a "billion
    laughs" file would never finish)."""
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

    return size(data) - typed + repeated > MAX_ALIAS_NODES


def parse(raw: bytes, name: str, *, json_syntax: bool = False) -> tuple[Any, Marks]:
    """Decode and parse a data file's bytes; return plain data and the marks of its nodes."""
    text = decode(raw, name)
    if not text.strip():
        raise DataError([Problem(name, "file is empty; it must hold a unit (unit_kerja, jabatan)")])
    if not json_syntax:
        return compose(text, name)
    data, duplicates = parse_json(text, name)
    try:
        # Only for line numbers: valid JSON is YAML but for tabs between tokens (a tab
        # cannot stand inside a JSON string, so spaces keep every column).
        marks = compose(text.replace("\t", " "), name)[1]
    except DataError:
        marks = Marks()  # valid JSON that YAML cannot read: no line numbers
    if not marks.problems:
        marks.problems += [((key,), None, f"key {key!r} is given twice in one object; keep one")
                           for key in duplicates]
    return data, marks


_LINE_BREAK = re.compile("\r\n|\r|\n")
_BYTE_LINE_BREAK = re.compile(b"\r\n|\r|\n")


def place_of(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of ``text[offset]``, with a line ended by CR LF, LF or a
    CR alone (old Mac files) as YAML counts them."""
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def _byte_line(raw: bytes, offset: int) -> int:
    return sum(1 for _ in _BYTE_LINE_BREAK.finditer(raw, 0, offset)) + 1


def decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        line = _byte_line(raw, raw.index(b"\x00"))
        raise DataError([Problem(name, "is not a text file (it holds NUL bytes); save the data "
                                       "as UTF-8 text", line=line)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _byte_line(raw, error.start)
        raise DataError([Problem(name, f"is not UTF-8 text (byte 0x{raw[error.start]:02X}); "
                                       "save it as UTF-8", line=line)]) from None


def parse_json(text: str, name: str) -> tuple[Any, list[str]]:
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
        # A number with a fraction or an exponent stays as typed ("1.10", "1E2"), as in YAML.
        return json.loads(text, parse_constant=no_constant, object_pairs_hook=first_wins,
                          parse_float=scalars.Number), duplicates
    except json.JSONDecodeError as error:
        line, column = place_of(text, error.pos)  # json counts LF only
        raise DataError([Problem(name, f"invalid JSON: {error.msg}",
                                 line=line, column=column)]) from None
    except (ValueError, RecursionError) as error:
        raise DataError([Problem(name, f"invalid JSON: {error}")]) from None


# YAML 1.1 takes U+2028 and U+2029 for line breaks, which cuts a text typed with one in
# two and shifts every later line number; FORMAT.md §1 prints them as given. They are read
# as two noncharacters and given back in the data, without the indentation that a YAML
# 1.1 writer (PyYAML, ikidoc import) puts after them, as YAML 1.1 would read them. A text
# that already holds one of those noncharacters is read by YAML 1.1's rule.
_SEPARATED = re.compile("[\u2028\u2029][ \t]*")
_STAND_INS = {"\u2028": "\ufdd0", "\u2029": "\ufdd1"}
_SEPARATORS_BACK = str.maketrans("\ufdd0\ufdd1", "\u2028\u2029")


def _separators_read_as_text(text: str) -> bool:
    return bool(_SEPARATED.search(text)) and not ("\ufdd0" in text or "\ufdd1" in text)


def _separators_back(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_SEPARATORS_BACK)
    if isinstance(value, list):
        return [_separators_back(item) for item in value]
    if isinstance(value, dict):
        return {_separators_back(key): _separators_back(item) for key, item in value.items()}
    return value


def compose(text: str, name: str) -> tuple[Any, Marks]:
    """The data of a YAML text with the line and column of every key and value; raises
    DataError saying what is wrong, and where."""
    separated = _separators_read_as_text(text)
    if separated:
        text = _SEPARATED.sub(lambda found: _STAND_INS[found.group()[0]], text)
    try:
        data, marks = _compose_quickly(text) or _compose_carefully(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise DataError([Problem(name, f"invalid YAML: {message}",
                                 line=mark.line + 1 if mark else None,
                                 column=mark.column + 1 if mark else None)]) from None
    except yaml.YAMLError as error:
        raise DataError([Problem(name, f"invalid YAML: {error}")]) from None
    except _Empty:
        raise DataError([Problem(name, "file is empty; it must hold a unit (unit_kerja, jabatan)")]) from None
    except _AliasBomb:
        raise DataError([Problem(name, f"aliases expand past {MAX_ALIAS_NODES:,} values; "
                                       "repeat the data instead of nesting anchors")]) from None
    except RecursionError:
        raise DataError([Problem(name, "data is nested too deeply")]) from None
    except MemoryError:
        raise DataError([Problem(name, "has a problem, and is too large for this machine to "
                                       "point at it; split it into smaller files")]) from None
    return (_separators_back(data) if separated else data), marks


_LIBYAML = hasattr(yaml, "CSafeLoader")


class _FastTextLoader(getattr(yaml, "CSafeLoader", TextLoader)):  # type: ignore[misc]
    """libyaml's parser and composer with TextLoader's resolvers: a large file with a
    mistake is read again for its lines in seconds, not minutes (see _compose_quickly)."""


_add_typed_constructors(_FastTextLoader)


class _Empty(Exception):
    """Internal: the text holds no document."""


def _compose_quickly(text: str) -> tuple[Any, Marks] | None:
    """The data and marks composed by libyaml, where it is installed and the nesting is
    shallow enough for its recursion; None when it cannot read the text (the
    pure-Python reader then says why, in its own words)."""
    if not _LIBYAML or not _shallow(text):
        return None
    loader = _FastTextLoader(text)
    try:
        return _built(loader)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _compose_carefully(text: str) -> tuple[Any, Marks]:
    loader = TextLoader(text)
    try:
        return _built(loader)
    finally:
        loader.dispose()


def _built(loader: yaml.SafeLoader) -> tuple[Any, Marks]:
    node = loader.get_single_node()
    if node is None:
        raise _Empty()
    marks = Marks()
    marks.walk(node)
    return loader.construct_document(node), marks


def _shallow(text: str) -> bool:
    """Whether the text's collections nest no deeper than MAX_DEPTH (read from libyaml's
    events, which keep no stack)."""
    loader, depth = _EventReader(text), 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()
    return True

"""Where each key and value of a YAML text stands: from a composed node tree (every
place, for a file read carefully) or from libyaml's events (only the places a problem
names, for a large file whose data breaks a rule)."""
from __future__ import annotations

from typing import Any

import yaml

from ikidoc.messages import Message, msg
from ikidoc.reading.aliases import NodeCount
from ikidoc.reading.events import events, place

Loc = tuple[str | int, ...]
MERGE = "tag:yaml.org,2002:merge"
_UNSET = object()


class Marks:
    """Line and column (1-based) of every value and key of a composed YAML document."""

    def __init__(self) -> None:
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.problems: list[tuple[Loc, tuple[int, int] | None, Message]] = []  # duplicate keys
        self._count = NodeCount()

    def walk(self, node: yaml.Node, loc: Loc = ()) -> None:
        """Record the places of ``node`` and all it holds; AliasBomb past the alias bound."""
        self._count.meet(node)
        self.values.setdefault(loc, _position(node))
        if isinstance(node, yaml.MappingNode):
            self._walk_mapping(node, loc)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, loc + (index,))

    def _walk_mapping(self, node: yaml.MappingNode, loc: Loc) -> None:
        first: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                if "<<" in first:
                    self.problems.append((loc, _position(key_node), msg(
                        "yaml.merge_twice", "key '<<' is given twice (first at line {first}); "
                        "merge several mappings with one: << : [*a, *b]", first=first["<<"][0])))
                first.setdefault("<<", _position(key_node))
                self.walk(value_node, loc)
                continue
            key = str(key_node.value)
            here = _position(key_node)
            if key in first:
                self.problems.append((loc + (key,), here, msg(
                    "yaml.key_twice", "key {key!r} is given twice (first at line {first}); "
                    "keep one", key=key, first=first[key][0])))
            first.setdefault(key, here)
            self.keys.setdefault(loc + (key,), here)
            self.walk(value_node, loc + (key,))


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def marks_at(text: str, wanted: set[Loc]) -> Marks:
    """The lines and columns of the keys and values at ``wanted`` only, from libyaml's
    events: for a text that read_events read well but whose data breaks a rule, so that
    a large file is not composed again into a tree of every node to name a few."""
    marks = Marks()
    open_: list[list[Any]] = []  # per open collection: its loc, then its pending key or next index
    for event in events(text):
        if isinstance(event, yaml.CollectionEndEvent):
            open_.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
            continue
        loc: Loc = ()
        if open_ and open_[-1][1] is _UNSET:  # a mapping's key (read_events saw only text keys)
            key = event.value if isinstance(event, yaml.ScalarEvent) else ""
            open_[-1][1] = key
            if open_[-1][0] + (key,) in wanted:
                marks.keys[open_[-1][0] + (key,)] = place(event)
            continue
        if open_:
            loc = open_[-1][0] + (open_[-1][1],)
            open_[-1][1] = _UNSET if isinstance(open_[-1][1], str) else open_[-1][1] + 1
        if loc in wanted:
            marks.values[loc] = place(event)
            if len(marks.values) == len(wanted):  # each key comes before its value
                break
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append([loc, _UNSET if isinstance(event, yaml.MappingStartEvent) else 0])
    return marks

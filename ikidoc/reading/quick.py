"""YAML data built straight from libyaml's events, as the careful reader would build it,
for the common case of a valid file: no node tree and no line marks are kept."""
from __future__ import annotations

from typing import Any

import yaml

from ikidoc import scalars
from ikidoc.reading import separators
from ikidoc.reading.events import TooDeep, events

_NULLS = {"", "~", "null", "Null", "NULL"}
_UNSET = object()
_NUMBER_FIRST = frozenset(scalars.NUMBER_FIRST)
_BOOLEAN_FIRST = frozenset(scalars.BOOLEAN_FIRST)
_FITTING = {yaml.ScalarEvent: (None, "!", "tag:yaml.org,2002:str"),
            yaml.SequenceStartEvent: (None, "tag:yaml.org,2002:seq"),
            yaml.MappingStartEvent: (None, "tag:yaml.org,2002:map")}


class NeedsCarefulReading(Exception):
    """The quick reading met something only the careful one reads or reports well."""


def read_events(text: str) -> tuple[Any, int]:
    """The data of a YAML text, and how many times an alias repeated a scalar (for the
    alias bound).

    Anything unusual (a key given twice, a merge key, an explicit tag, several
    documents, deep nesting, a line separator) raises NeedsCarefulReading; a text that
    is no YAML raises the parser's YAMLError.
    """
    if separators.present(text):
        raise NeedsCarefulReading()
    anchors: dict[str, Any] = {}
    open_: list[list[Any] | dict[Any, Any]] = []
    pending: list[Any] = []  # per open mapping: its key waiting for a value
    root: list[Any] = []
    repeated = 0
    try:
        for event in events(text):
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
                _check_plain(event)
                value = _start(event)
                if event.anchor:
                    anchors[event.anchor] = value
            else:
                continue
            _attach(value, open_, pending, root)
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append(value)
                pending.append(_UNSET)
    except TooDeep:
        raise NeedsCarefulReading() from None
    if len(root) > 1:
        raise NeedsCarefulReading()
    return (root[0] if root else None), repeated


def _check_plain(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
    """Only what the careful reader reads the same way: the tag that fits the event, no
    plain ``<<`` (a merge key to YAML wherever it stands)."""
    plain_merge = isinstance(event, yaml.ScalarEvent) and event.implicit[0] and event.value == "<<"
    if event.tag not in _FITTING[type(event)] or plain_merge:
        raise NeedsCarefulReading()


def _start(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> Any:
    if isinstance(event, yaml.SequenceStartEvent):
        return []
    if not isinstance(event, yaml.ScalarEvent):
        return {}
    value = event.value
    if event.implicit[0] and event.tag is None:
        if value in _NULLS:
            return None
        first = value[0]  # most text starts with a letter that marks nothing: no call
        if first in _NUMBER_FIRST or (first in _BOOLEAN_FIRST and value in scalars.BOOLEANS):
            return scalars.typed(value)
    return value


def _attach(value: Any, open_: list[Any], pending: list[Any], root: list[Any]) -> None:
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

"""The one loop over libyaml's events that every fast reading of a YAML text shares:
no node tree is built, so a large file costs only what its reader keeps."""
from __future__ import annotations

from collections.abc import Iterator

import yaml

# A unit's data nests six deep; far deeper is no IKI, and may crash a parser.
MAX_DEPTH = 200
LIBYAML = hasattr(yaml, "CSafeLoader")


class _EventReader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where installed: only its events are used."""


class TooDeep(Exception):
    """Collections nest deeper than MAX_DEPTH at ``where`` (line, column)."""

    def __init__(self, where: tuple[int, int]) -> None:
        super().__init__(where)
        self.where = where


def events(text: str) -> Iterator[yaml.Event]:
    """Each event of the text, in order; raises TooDeep where collections nest past
    MAX_DEPTH, and the parser's own YAMLError for a text that is no YAML.

    Kept lean (a large file has millions of events): types compared, not isinstance.
    """
    loader = _EventReader(text)
    check, get = loader.check_event, loader.get_event
    depth = 0
    try:
        while check():
            event = get()
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise TooDeep(place(event))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            yield event
    finally:
        loader.dispose()


def place(event: yaml.Event) -> tuple[int, int]:
    """Line and column (1-based) where an event starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

"""Turn a data file's bytes into plain data: strict YAML or JSON, read quickly when
valid, or carefully with the line and column of every value when a problem must be
named. Nothing here knows the data model.

The jobs, one module each: ``text`` (decoding, and where an offset stands), ``jsondata``
(strict JSON), ``events`` (the one loop over libyaml's events), ``quick`` (data from
those events, for a valid file), ``marks`` (lines and columns, from a node tree or from
events), ``careful`` (the careful reading, composed), ``aliases`` (their bound) and
``separators`` (U+2028 and U+2029 as text).
"""
from __future__ import annotations

from typing import Any

from ikidoc.errors import DataError, Problem
from ikidoc.messages import msg
from ikidoc.reading.aliases import MAX_ALIAS_NODES, expands_past_bound
from ikidoc.reading.careful import EMPTY, NESTED, TextLoader, compose, syntax_error
from ikidoc.reading.events import MAX_DEPTH
from ikidoc.reading.jsondata import parse_json
from ikidoc.reading.marks import Loc, Marks, marks_at
from ikidoc.reading.quick import NeedsCarefulReading, read_events
from ikidoc.reading.text import decode, place_of

__all__ = ["EMPTY", "MAX_ALIAS_NODES", "MAX_DEPTH", "NESTED", "Loc", "Marks",
           "NeedsCarefulReading", "TextLoader",
           "compose", "decode", "expands_past_bound", "marks_at", "parse", "parse_json",
           "place_of", "read_events", "syntax_error"]


def parse(raw: bytes, name: str, *, json_syntax: bool = False) -> tuple[Any, Marks]:
    """Decode and parse a data file's bytes; return plain data and the marks of its nodes."""
    text = decode(raw, name)
    if not text.strip():
        raise DataError([Problem(name, EMPTY)])
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
        marks.problems += [((key,), None, msg("json.key_twice", "key {key!r} is given twice "
                                              "in one object; keep one", key=key))
                           for key in duplicates]
    return data, marks

"""A number or a boolean typed in a data file, kept as the text typed.

YAML reads every plain scalar here as text (so ``nama: No`` stays "No", and a NIP keeps
its leading zeros), yet a plain ``5``, ``2025``, ``1.10`` or ``true`` is a number or a
boolean to any reader of YAML 1.2, as a bare number is in JSON: where text or a list
of text belongs it is an error (the data format says so), while under ``tambahan``, a
NIP or ``tahun`` it stays welcome. These marks carry that difference from the reader
to the model.
"""
from __future__ import annotations

import re

# YAML 1.2's core schema; YAML 1.1's yes/no/on/off stay text.
BOOLEANS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_NUMBER = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
                     r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                     r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN")
NUMBER_FIRST = "-+0123456789."
BOOLEAN_FIRST = "tTfF"
FIRST_CHARACTERS = NUMBER_FIRST + BOOLEAN_FIRST


class Number(str):
    """A number as typed (``1.10``, ``0012``): a JSON number or a plain YAML scalar."""

    __slots__ = ()


class Boolean(str):
    """A boolean as typed in YAML (``true``)."""

    __slots__ = ()


NUMBER_TAG = "tag:ikidoc,2025:number"
BOOLEAN_TAG = "tag:ikidoc,2025:boolean"
PATTERNS = ((BOOLEAN_TAG, re.compile("|".join(sorted(BOOLEANS)))), (NUMBER_TAG, _NUMBER))


def typed(text: str) -> str:
    """``text`` (a plain YAML scalar) as a Number or a Boolean when it is one."""
    first = text[:1]
    if first and first in NUMBER_FIRST:
        return Number(text) if _NUMBER.fullmatch(text) else text
    if first and first in BOOLEAN_FIRST and text in BOOLEANS:
        return Boolean(text)
    return text

"""U+2028 and U+2029 read as the text they are, not as YAML 1.1's line breaks.

YAML 1.1 takes them for line breaks, which cuts a text typed with one in two and shifts
every later line number; the data format prints them as given. They are read as two
noncharacters and given back in the data, without the indentation that a YAML 1.1
writer (PyYAML, ikidoc import) puts after them, as YAML 1.1 would read them. A text
that already holds one of those noncharacters is read by YAML 1.1's rule.
"""
from __future__ import annotations

import re
from typing import Any

_SEPARATED = re.compile("[\u2028\u2029][ \t]*")
_STAND_INS = {"\u2028": "\ufdd0", "\u2029": "\ufdd1"}
_SEPARATORS_BACK = str.maketrans("\ufdd0\ufdd1", "\u2028\u2029")


def present(text: str) -> bool:
    """Whether the text holds a separator at all (the fast reader then steps aside)."""
    return "\u2028" in text or "\u2029" in text


def stood_in(text: str) -> str | None:
    """The text with its separators replaced by stand-ins, or None when it keeps YAML
    1.1's reading (no separator, or a stand-in already typed)."""
    if not _SEPARATED.search(text) or "\ufdd0" in text or "\ufdd1" in text:
        return None
    return _SEPARATED.sub(lambda found: _STAND_INS[found.group()[0]], text)


def given_back(value: Any) -> Any:
    """The data with the stand-ins turned back into the separators typed."""
    if type(value) is str:  # a number or boolean as typed holds no separator, and stays one
        return value.translate(_SEPARATORS_BACK)
    if isinstance(value, list):
        return [given_back(item) for item in value]
    if isinstance(value, dict):
        return {given_back(key): given_back(item) for key, item in value.items()}
    return value

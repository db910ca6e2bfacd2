"""The bound on YAML aliases: they may repeat a sumber_data list, but a handful of
anchors nested in each other ("billion laughs") would expand past any memory."""
from __future__ import annotations

from typing import Any

MAX_ALIAS_NODES = 100_000


class AliasBomb(Exception):
    """Alias expansion passed MAX_ALIAS_NODES."""


class NodeCount:
    """Values met while walking a tree against the distinct ones typed: the walk of a
    node tree (``Marks.walk``) counts each node it reaches through an alias again."""

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self._walked = 0

    def meet(self, node: object) -> None:
        """Count ``node``; raise AliasBomb once aliases repeat more than the bound."""
        self._walked += 1
        self._seen.add(id(node))
        if self._walked - len(self._seen) > MAX_ALIAS_NODES:
            raise AliasBomb()


def expands_past_bound(data: Any, repeated: int = 0) -> bool:
    """Whether aliases make the data larger than MAX_ALIAS_NODES beyond what was typed,
    counted as NodeCount counts a walk: ``repeated`` scalars, and shared lists and
    mappings in full for "expanded" but once for "typed", without expanding them (a
    "billion laughs" file would never finish)."""
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

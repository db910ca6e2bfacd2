"""A part of a template (the body, a header, a footer) as ikidoc compiles it: read,
checked, prepared for docxtpl, and kept to say where in Word a paragraph stands."""
from __future__ import annotations

import copy

from ikidoc.messages import Message
from ikidoc.ooxml import docxtpl_steps, places, repetition, tags
from ikidoc.ooxml.parsing import parse, serialize


class TemplatePart:
    """One part's XML, changed in place by ``prepare`` and ``repeat_body``."""

    def __init__(self, data: bytes) -> None:
        """Raises parsing.BrokenXml when the part is not well-formed."""
        self._root = parse(data)

    def misplaced_tags(self) -> list[tuple[Message, Message]]:
        """The docxtpl tags standing where they break the document (tags.misplaced_tags)."""
        return tags.misplaced_tags(self._root)

    def prepare(self) -> None:
        """Keep the spaces of tags and merge ``{% vmerge %}`` cells (tags.prepare_tags)."""
        tags.prepare_tags(self._root)

    def repeat_body(self, loop: str) -> None:
        """The body once per item of ``loop`` (repetition.repeat_body)."""
        repetition.repeat_body(self._root, loop)

    def jinja_source(self) -> str:
        """The Jinja source of the part as it is now (docxtpl_steps.jinja_source)."""
        return docxtpl_steps.jinja_source(serialize(self._root))

    def copy(self) -> TemplatePart:
        """A copy that later changes to this part leave as it is."""
        kept = copy.copy(self)
        kept._root = copy.deepcopy(self._root)
        return kept

    def locate(self, *, within: str = "", holding: str = "") -> Message | None:
        """Where the paragraph a message is about stands (places.locate)."""
        return places.locate(self._root, within=within, holding=holding)

    def paragraph_of_tag(self, tag: str, ordinal: int) -> Message | None:
        """Where the ``ordinal``-th paragraph made of the one tag ``tag`` stands
        (places.paragraph_of_tag): a ``{%p %}`` paragraph, which docxtpl removes."""
        return places.paragraph_of_tag(self._root, tag, ordinal)

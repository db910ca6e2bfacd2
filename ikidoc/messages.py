"""Messages as data, worded at the edges.

The library never builds a finished sentence for a user. Where something is wrong (or a
report is due) it makes a ``Message``: a kind (``data.file_empty``), the English source
text with ``{placeholders}``, and the values involved. The command line and the page word
it with ``word(message, lang)`` from the gettext catalogs shipped in ``ikidoc/locale``
(``en`` and ``id``), read with Babel. ``str(message)`` is the English wording, for
library users and logs.

The catalogs are made from the source: every ``msg(kind, text, ...)`` call is a gettext
message with ``kind`` as its context (``pybabel extract -k msg:1c,2``), so a kind missing
from a catalog is found by a test, not by an officer.
"""
from __future__ import annotations

import locale
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from babel.messages.pofile import read_po

Lang = Literal["id", "en"]
LANGUAGES: tuple[Lang, ...] = ("id", "en")
DOMAIN = "ikidoc"


@dataclass(frozen=True)
class Message:
    """One thing to tell a user, as data: what kind, in which English words, with what values.

    Values are text, numbers, other Messages (a place, a value described), or sequences
    of them (joined with ", " when worded, or as a ``Joined`` says).
    """

    kind: str
    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return word(self, "en")


def msg(kind: str, text: str, /, **values: Any) -> Message:
    """A Message of ``kind``; ``text`` is its English wording and gettext message id.

    Both must be string literals: the catalogs are extracted from these calls.
    """
    return Message(kind, text, values)


def word(message: Message | str, lang: Lang) -> str:
    """The message in ``lang``, its values worded too; a plain string is already words
    (a name, a value the user typed)."""
    if isinstance(message, str):
        return message
    template = _catalog(lang).get((message.kind, message.text)) or message.text
    values = {key: _worded(value, lang) for key, value in message.values.items()}
    return template.format(**values)


@dataclass(frozen=True)
class Joined:
    """Several values worded and joined, each after ``prefix``: the list under an error's
    head (one per line), or the causes of one failure ("; ")."""

    items: tuple[Message | str, ...]
    separator: str = ", "
    prefix: str = ""

    @classmethod
    def of(cls, items: Iterable[Message | str], separator: str = ", ",
           prefix: str = "") -> Joined:
        return cls(tuple(items), separator, prefix)


def joined(items: Iterable[Message | str], separator: str = "; ") -> Message:
    """Several messages as one: the causes of one failure."""
    return msg("joined", "{items}", items=Joined.of(items, separator))


def _worded(value: Any, lang: Lang) -> Any:
    if isinstance(value, Message):
        return word(value, lang)
    if isinstance(value, Joined):
        return value.separator.join(value.prefix + str(_worded(item, lang))
                                    for item in value.items)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_worded(item, lang)) for item in value)
    return value


@cache
def _catalog(lang: Lang) -> dict[tuple[str, str], str]:
    """The translations of ``lang`` by (kind, English text), read from its .po file."""
    source = resources.files("ikidoc") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {(entry.context or "", str(entry.id)): str(entry.string)
            for entry in catalog if entry.id and entry.string and not entry.fuzzy}


def default_language(environ: Mapping[str, str] | None = None) -> Lang:
    """``id`` when the user's locale speaks Indonesian, else ``en``: the variables gettext
    reads (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), then the system's locale."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return _language_of(value.split(":")[0])
    return _language_of(locale.getlocale()[0] or "")


def _language_of(tag: str) -> Lang:
    """``id`` for id, id_ID, id_ID.UTF-8, in_ID (the old code) or Indonesian_Indonesia."""
    name = tag.split(".")[0].replace("-", "_").lower()
    return "id" if name.split("_")[0] in ("id", "in", "indonesian") else "en"

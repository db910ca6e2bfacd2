"""The data of docs/data-format.md as typed models: one unit (UnitKerja) and its positions.

Everything a rule of the format says about a single value (trimming, control
characters, NIP, dates, list markers) is enforced here, so later code never sees raw
input. Reading files and reporting where a problem stands is ``load``'s business.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ikidoc import formats, scalars
from ikidoc.messages import Message, msg

# Characters a Word document cannot hold (docs/data-format.md): C0/C1 controls but tab, newline
# and carriage return; U+FFFE, U+FFFF; lone surrogates (from JSON escapes).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ufffe\uffff\ud800-\udfff]")
_UNNAMED = {"Cc": "control character", "Cs": "lone surrogate"}  # Unicode's names, untranslated


def character_name(char: str) -> str:
    """U+0001 (START OF HEADING), the way errors name a character."""
    name = unicodedata.name(char, "") or _UNNAMED.get(unicodedata.category(char), "noncharacter")
    return f"U+{ord(char):04X} ({name})"


def check_characters(text: str) -> str:
    """Return text with Windows/Mac line ends made "\\n"; raise for a character Word cannot hold.

    Such characters are refused rather than dropped: a silently shortened sentence in
    a signed document is worse than an error.
    """
    found = FORBIDDEN.search(text)
    if found:
        raise refusal(msg("data.text_character", "contains the character {character} at "
                          "character {index}, which a Word document cannot hold; remove it (it "
                          "often comes from copy-paste)", character=character_name(found.group()),
                          index=found.start() + 1))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refusal(message: Message) -> PydanticCustomError:
    """The error a validator raises: the Message rides in its context, for validation to
    place and the edges to word; pydantic's own text is the English wording."""
    return PydanticCustomError(message.kind, str(message).replace("{", "{{"), {"message": message})


def _text(value: Any) -> str:
    if value is None:
        raise refusal(msg("data.item_empty", "is empty; write its text or remove the item"))
    if not isinstance(value, str) or _typed(value):
        raise refusal(_quoted(msg("data.expected_text", "expected text, got {value}",
                                  value=describe_value(value)), value))
    text = check_characters(str(value)).strip()
    if not text:
        raise refusal(msg("data.text_empty", "is empty"))
    return text


def _typed(value: Any) -> bool:
    """A number or a boolean, typed as such in JSON or YAML (docs/data-format.md: not text)."""
    return isinstance(value, (bool, int, float, scalars.Number, scalars.Boolean))


def _quoted(message: Message, value: Any) -> Message:
    """The message with advice for a number or boolean meant as text."""
    if not _typed(value):
        return message
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return msg("data.quote_it", "{message}; if it is meant as text, put it in quotes: "
               "\"{shown}\"", message=message, shown=shown[:40])


def describe_value(value: Any) -> Message:
    """A value as a message names it: "a list", "true/false", "the number 5", "the value 'x'"."""
    if isinstance(value, dict):
        return msg("value.mapping", "a mapping (key: value)")
    if isinstance(value, list):
        return msg("value.list", "a list")
    if isinstance(value, (bool, scalars.Boolean)):
        return msg("value.boolean", "the boolean {shown}", shown=str(value).lower())
    if value is None:
        return msg("value.nothing", "nothing")
    if isinstance(value, (int, float, scalars.Number)):
        return msg("value.number", "the number {shown}", shown=formats.cut(str(value)))
    return msg("value.shown", "the value {shown}", shown=shortened(value))


def shortened(value: Any) -> str:
    """The value as typed (its repr), cut after 40 characters."""
    return formats.cut(repr(value))


# Free fields nest as deep as a template needs (a table of rows of cells: three); the
# bound keeps every later reader of them (rendering, the archive's JSON, a worker's
# pickle) far from Python's recursion limit, so what validate accepts generate writes.
MAX_TAMBAHAN_DEPTH = 20


def _tambahan(value: Any) -> dict[str, Any]:
    """Free fields for templates: any nesting of text, numbers, lists and mappings,
    with every text held to the same character rule as the official fields. A problem
    names its place inside (``menimbang[1]: ...``): the path of the error stops at
    ``tambahan``."""
    if not isinstance(value, dict):
        raise refusal(msg("data.tambahan_type", "expected a mapping of extra fields, got {value}",
                          value=describe_value(value)))
    return _mapping(value, "")


def _mapping(value: dict[Any, Any], where: str, depth: int = 1) -> dict[str, Any]:
    return {_at(where, check_characters, str(key)):
            _free(item, f"{where}.{key}".lstrip("."), depth)
            for key, item in value.items()}


def _free(value: Any, where: str, depth: int) -> Any:
    """A free value ``depth`` mappings and lists deep inside ``tambahan``."""
    if isinstance(value, (dict, list)) and depth >= MAX_TAMBAHAN_DEPTH:
        raise refusal(msg("data.tambahan_depth", "{where}: nests deeper than {limit} levels of "
                          "mappings and lists; free fields for a template need far fewer",
                          where=where, limit=MAX_TAMBAHAN_DEPTH))
    if isinstance(value, str):
        return _at(where, check_characters, value).strip()
    if isinstance(value, dict):
        return _mapping(value, where, depth + 1)
    if isinstance(value, list):
        return [_free_item(item, f"{where}[{index}]", depth + 1)
                for index, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise refusal(msg("data.tambahan_number", "{where}: {value} is not a number a document "
                          "can print", where=where, value=repr(value)))
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return value
    raise refusal(msg("data.tambahan_value", "{where}: unsupported value {value}", where=where,
                      value=describe_value(value)))


def _free_item(value: Any, where: str, depth: int) -> Any:
    """An item of a free list: empty is an error, as in every list (docs/data-format.md)."""
    item = _free(value, where, depth)
    if item is None or item == "":
        raise refusal(msg("data.tambahan_item_empty", "{where}: is empty; write its text or "
                          "remove the item", where=where))
    return item


def _at(where: str, check: Callable[[str], str], text: str) -> str:
    """check(text), its error prefixed with the place inside tambahan."""
    try:
        return check(text)
    except PydanticCustomError as error:
        inner = (error.context or {})["message"]
        raise refusal(msg("data.tambahan_at", "{where}: {message}",
                          where=where or msg("data.a_key", "a key"), message=inner)) from None


def _listed(value: Any) -> Any:
    """A single text where a list is expected is a list of one item; a number or a
    boolean there is named at the field itself."""
    if not _typed(value):
        return [value] if isinstance(value, str) else value
    raise refusal(_quoted(msg("data.items_type", "expected text or a list of text, got {value}",
                              value=describe_value(value)), value))


def _date(value: Any) -> Any:
    """A date or its text; never a number, which pydantic would read as a timestamp."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise refusal(msg("data.date_type", "expected a date such as 2025-01-02, got {value}",
                          value=describe_value(value)))
    try:
        return formats.parse_tanggal(check_characters(value))
    except ValueError as error:
        raise refusal(error.args[0]) from None


def _nip(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise refusal(msg("data.nip_type", "expected a NIP of 18 digits, got {value}",
                          value=describe_value(value)))
    try:
        return formats.nip_digits(value)
    except ValueError as error:
        raise refusal(error.args[0]) from None


Text = Annotated[str, BeforeValidator(_text)]
Item = Annotated[str, BeforeValidator(_text), AfterValidator(formats.strip_marker)]
Items = Annotated[list[Item], BeforeValidator(_listed)]
Nip = Annotated[str, BeforeValidator(_nip)]
Tanggal = Annotated[dt.date, BeforeValidator(_date)]
Tambahan = Annotated[dict[str, Any], BeforeValidator(_tambahan)]


class _Record(BaseModel):
    """Strict base: unknown keys are errors, a known key with no value is absent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {
            key: value
            for key, value in data.items()
            if not (key in cls.model_fields and _blank(value))
        }


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Penandatangan(_Record):
    """Who signs: printed under the table as jabatan, name, pangkat and NIP."""

    jabatan: Text
    nama: Text
    pangkat: Text | None = None
    nip: Nip | None = None


class Pemangku(_Record):
    """The holder of a position, for templates that print it."""

    nama: Text
    pangkat: Text | None = None
    nip: Nip | None = None


class Kop(_Record):
    """The letterhead (kop surat) that templates with one print above the title: the
    lines largest first, then address, telephone and site; ``logo`` is a file name
    relative to the data file, read and checked by ``ikidoc.letterhead``."""

    baris: list[Text] = Field(min_length=1)
    alamat: Text | None = None
    telepon: Text | None = None
    laman: Text | None = None
    logo: Text | None = None

    @field_validator("baris", mode="before")
    @classmethod
    def _one_line_is_a_list(cls, value: Any) -> Any:
        return _listed(value)


class Indikator(_Record):
    """One row of the IKI table."""

    uraian: Text
    formulasi: Text
    sumber_data: Items = Field(min_length=1)
    tambahan: Tambahan = Field(default_factory=dict)


class Sasaran(_Record):
    """A target; its cell spans the rows of its indicators."""

    uraian: Text
    indikator: list[Indikator] = Field(min_length=1)
    tambahan: Tambahan = Field(default_factory=dict)


class Jabatan(_Record):
    """A position and its IKI."""

    nama: Text
    tugas: Items = Field(default_factory=list)
    fungsi: Items = Field(default_factory=list)
    pemangku: Pemangku | None = None
    penandatangan: Penandatangan | None = None
    tambahan: Tambahan = Field(default_factory=dict)
    sasaran: list[Sasaran] = Field(min_length=1)

    @property
    def indikator(self) -> list[Indikator]:
        """Every indicator of the position, in table order."""
        return [ind for sasaran in self.sasaran for ind in sasaran.indikator]


class UnitKerja(_Record):
    """One data file: a unit and all its positions, in print order."""

    instansi: Text | None = None
    induk: Text | None = None
    unit_kerja: Text
    tahun: int | None = Field(default=None, ge=1900, le=2200)
    tempat: Text | None = None
    tanggal: Tanggal | None = None
    penandatangan: Penandatangan | None = None
    tambahan: Tambahan = Field(default_factory=dict)
    kop: Kop | None = None
    jabatan: list[Jabatan] = Field(min_length=1)

    @field_validator("tahun", mode="before")
    @classmethod
    def _year_is_a_number(cls, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip()):
            return int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 10**6:
            raise refusal(msg("data.year_type", "expected a year such as 2025, got {value}",
                              value=shortened(value)))
        return value

    def signer_of(self, jabatan: Jabatan) -> Penandatangan | None:
        """The position's own signer, else the unit's (taken whole, never field by field)."""
        return jabatan.penandatangan or self.penandatangan

    @property
    def indikator_count(self) -> int:
        return sum(len(j.indikator) for j in self.jabatan)

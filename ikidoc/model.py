"""The data of FORMAT.md §1 as typed models: one unit (UnitKerja) and its positions.

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

# Characters a Word document cannot hold (FORMAT.md §1): C0/C1 controls but tab, newline
# and carriage return; U+FFFE, U+FFFF; lone surrogates (from JSON escapes).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ufffe\uffff\ud800-\udfff]")
_UNNAMED = {"Cc": "control character", "Cs": "lone surrogate"}


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
        raise PydanticCustomError(
            "text_character",
            "contains the character {character} at character {index}, which a Word "
            "document cannot hold; remove it (it often comes from copy-paste)",
            {"character": character_name(found.group()), "index": found.start() + 1},
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(value: Any) -> str:
    if value is None:
        raise PydanticCustomError("text_empty", "is empty; write its text or remove the item")
    if not isinstance(value, str) or _typed(value):
        raise PydanticCustomError("text_type", "expected text, got {kind}{advice}",
                                  {"kind": describe_value(value), "advice": _quote_it(value)})
    text = check_characters(str(value)).strip()
    if not text:
        raise PydanticCustomError("text_empty", "is empty")
    return text


def _typed(value: Any) -> bool:
    """A number or a boolean, typed as such in JSON or YAML (FORMAT.md §1: not text)."""
    return isinstance(value, (bool, int, float, scalars.Number, scalars.Boolean))


def _quote_it(value: Any) -> str:
    """Advice for a number or boolean meant as text."""
    if not _typed(value):
        return ""
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return f"; if it is meant as text, put it in quotes: \"{shown[:40]}\""


def describe_value(value: Any) -> str:
    """A value as a message names it: "a list", "true/false", "the number 5", "the value 'x'"."""
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (bool, scalars.Boolean)):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float, scalars.Number)):
        shown = str(value)
        return f"the number {shown[:40] + '...' if len(shown) > 40 else shown}"
    shown = repr(value)
    return f"the value {shown[:40] + '...' if len(shown) > 40 else shown}"


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
        raise PydanticCustomError(
            "tambahan_type", "expected a mapping of extra fields, got {kind}",
            {"kind": describe_value(value)}
        )
    return _mapping(value, "")


def _mapping(value: dict[Any, Any], where: str, depth: int = 1) -> dict[str, Any]:
    return {_at(where, check_characters, str(key)):
            _free(item, f"{where}.{key}".lstrip("."), depth)
            for key, item in value.items()}


def _free(value: Any, where: str, depth: int) -> Any:
    """A free value ``depth`` mappings and lists deep inside ``tambahan``."""
    if isinstance(value, (dict, list)) and depth >= MAX_TAMBAHAN_DEPTH:
        raise PydanticCustomError("tambahan_depth", "{where}: nests deeper than {limit} levels "
                                  "of mappings and lists; free fields for a template need far "
                                  "fewer", {"where": where, "limit": MAX_TAMBAHAN_DEPTH})
    if isinstance(value, str):
        return _at(where, check_characters, value).strip()
    if isinstance(value, dict):
        return _mapping(value, where, depth + 1)
    if isinstance(value, list):
        return [_free_item(item, f"{where}[{index}]", depth + 1)
                for index, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("tambahan_number", "{where}: {value} is not a number a document "
                                  "can print", {"where": where, "value": repr(value)})
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return value
    raise PydanticCustomError("tambahan_type", "{where}: unsupported value {kind}",
                              {"where": where, "kind": describe_value(value)})


def _free_item(value: Any, where: str, depth: int) -> Any:
    """An item of a free list: empty is an error, as in every list (FORMAT.md §1)."""
    item = _free(value, where, depth)
    if item is None or item == "":
        raise PydanticCustomError("text_empty", "{where}: is empty; write its text or remove "
                                                "the item", {"where": where})
    return item


def _at(where: str, check: Callable[[str], str], text: str) -> str:
    """check(text), its error prefixed with the place inside tambahan."""
    try:
        return check(text)
    except PydanticCustomError as error:
        raise PydanticCustomError(error.type, f"{where or 'a key'}: {error.message()}") from None


def _listed(value: Any) -> Any:
    """A single text where a list is expected is a list of one item; a number or a
    boolean there is named at the field itself."""
    if not _typed(value):
        return [value] if isinstance(value, str) else value
    raise PydanticCustomError("items_type", "expected text or a list of text, got {kind}{advice}",
                              {"kind": describe_value(value), "advice": _quote_it(value)})


def _date(value: Any) -> Any:
    """A date or its text; never a number, which pydantic would read as a timestamp."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "expected a date such as 2025-01-02, got {kind}",
                                  {"kind": describe_value(value)})
    try:
        return formats.parse_tanggal(check_characters(value))
    except ValueError as error:
        raise PydanticCustomError("date_text", str(error)) from None


def _nip(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PydanticCustomError("nip_type", "expected a NIP of 18 digits, got {kind}",
                                  {"kind": describe_value(value)})
    try:
        return formats.nip_digits(value)
    except ValueError as error:
        raise PydanticCustomError("nip_format", str(error)) from None


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
            shown = repr(value)
            raise PydanticCustomError("year_type", "expected a year such as 2025, got {value}",
                                      {"value": shown[:40] + "..." if len(shown) > 40 else shown})
        return value

    def signer_of(self, jabatan: Jabatan) -> Penandatangan | None:
        """The position's own signer, else the unit's (taken whole, never field by field)."""
        return jabatan.penandatangan or self.penandatangan

    @property
    def indikator_count(self) -> int:
        return sum(len(j.indikator) for j in self.jabatan)

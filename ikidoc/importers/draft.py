"""A data file being read from a workbook or a Word document: its parts, where each
came from, and every problem met on the way.

Messages about an imported file must point into that file (a sheet and cell, a
position and table row), not into YAML the user has never seen; the draft keeps
those places beside the data for exactly that.
"""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from ikidoc import formats
from ikidoc.errors import Choice, Problem
from ikidoc.importers import kop
from ikidoc.importers.cells import cell_text, split_items
from ikidoc.messages import Message, msg
from ikidoc.validation import did_you_mean

# Document-level fields, as the sheet `dokumen` and the command line name them, in the
# order of docs/data-format.md; the signer's fields are flat here ("penandatangan_nip").
UNIT_FIELDS = ("instansi", "induk", "unit_kerja", "tahun", "tempat", "tanggal")
SIGNER_FIELDS = ("jabatan", "nama", "pangkat", "nip")
FIELD_KEYS = UNIT_FIELDS + tuple(f"penandatangan_{name}" for name in SIGNER_FIELDS)
NO_UNIT = msg("import.no_unit", "the unit (unit_kerja) is not given")
_TAMBAHAN = "tambahan_"  # "tambahan.menimbang": a free field for templates that print one


class Draft:
    """Positions and document fields read from ``source``, not yet validated.

    ``places`` maps a field path as ``load`` writes it (``jabatan[1].sasaran[0]``) to
    the place in the source it was read from.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.fields: dict[str, Any] = {}
        self.tambahan: dict[str, Any] = {}
        self.positions: list[dict[str, Any]] = []
        self.places: dict[str, Message] = {}
        self.problems: list[Problem] = []
        self.notes: list[Message] = []  # choices made while reading, said in the written file
        self.kop: dict[str, str] = {}  # the letterhead's alamat, telepon, laman (ikidoc.kop)
        self.kop_lines: dict[int, str] = {}  # its lines (baris) by number, from 1
        self.logo: bytes | None = None  # its logo, written beside the data file


    def problem(self, place: Message | None, message: Message,
                hint: Message | None = None, choice: Choice | None = None,
                path: str = "") -> None:
        self.problems.append(Problem(self.source, message, place=place, hint=hint,
                                     choice=choice, path=path))

    def note(self, place: Message | None, message: Message) -> None:
        """A choice the reader made where the source allowed two readings."""
        self.notes.append(msg("import.note_at", "{place}: {message}", place=place,
                              message=message) if place else message)

    def place(self, path: str, place: Message) -> None:
        self.places.setdefault(path, place)

    def set_field(self, label: str, value: Any, place: Message) -> None:
        """Take a document field typed as ``label`` ("Unit Kerja", "penandatangan.nip",
        "tambahan.nomor")."""
        if kop.label_of(label) is not None:
            kop.take(self, label, value, place)
            return
        key = field_key(label)
        if key is None and _normal(label).startswith(_TAMBAHAN):
            self.add_tambahan(_normal(label).removeprefix(_TAMBAHAN), value, place)
            return
        if key is None:
            close = difflib.get_close_matches(_normal(label), FIELD_KEYS, n=1, cutoff=0.6)
            hint = did_you_mean(close[0]) if close else msg(
                "import.known_fields", "known: {fields}, tambahan.<name>", fields=FIELD_KEYS)
            self.problem(place, msg("import.unknown_field", "unknown field {label!r}",
                                    label=label), hint)
            return
        if key == "penandatangan_nip" and isinstance(value, float):
            self.problem(place, msg("import.nip_number", "the NIP was stored as a number "
                                    "({value:.0f}) and has lost its last digits", value=value),
                         msg("import.nip_number_hint", "type it as text: start it with ' or "
                             "format the cell as Text"), path="penandatangan.nip")
            return
        self.fields[key] = _value(key, value)
        self.places[key.replace("penandatangan_", "penandatangan.")] = place

    def add_tambahan(self, key: str, value: Any, place: Message) -> None:
        """A free field of the document: text, or a list when its cell holds several lines,
        it is given as a list, or its name comes again in the rows below (one item a row)."""
        items = value if isinstance(value, list) else split_items(cell_text(value))
        if key in self.tambahan:
            known = self.tambahan[key]
            self.tambahan[key] = (known if isinstance(known, list) else [known]) + items
        elif items:
            self.tambahan[key] = items if len(items) > 1 else items[0]
            self.places[f"tambahan.{key}"] = place

    def unit(self) -> dict[str, Any]:
        """The unit as data of the data format, keys in its order, as far as it was read
        (``problems`` says what is missing or wrong)."""
        if not self.fields.get("unit_kerja"):
            self.problem(None, NO_UNIT, msg(
                "import.no_unit_hint", "give it with --unit-kerja \"Bagian ...\" or, in a "
                "workbook, a row unit_kerja in the sheet 'dokumen'"))
        data = {key: self.fields[key] for key in UNIT_FIELDS
                if self.fields.get(key) not in (None, "")}
        signer = {name: self.fields[f"penandatangan_{name}"] for name in SIGNER_FIELDS
                  if self.fields.get(f"penandatangan_{name}") not in (None, "")}
        if signer:
            data["penandatangan"] = signer
        if self.tambahan:
            data["tambahan"] = self.tambahan
        if self.kop or self.kop_lines:
            lines = [self.kop_lines[number] for number in sorted(self.kop_lines)]
            data["kop"] = ({"baris": lines} if lines else {}) | {
                key: self.kop[key] for key in kop.FIELDS if key in self.kop}
        data["jabatan"] = self.positions
        return data

    def place_of(self, path: str) -> Message | None:
        """The place of the nearest recorded part that holds ``path`` (None when none does)."""
        best = ""
        for key in self.places:
            inside = path == key or (path.startswith(key) and path[len(key)] in ".[ ")
            if inside and len(key) > len(best):
                best = key
        return self.places.get(best)


def field_key(label: str) -> str | None:
    """The document field a label names, or None."""
    key = _normal(label)
    return key if key in FIELD_KEYS else None


def _normal(label: str) -> str:
    return "_".join(label.strip().rstrip(":").lower().replace(".", " ").replace("-", " ").split())


def _value(key: str, value: Any) -> Any:
    """A field's value as the data file should hold it: a year as a number, a date as a date."""
    if key == "tanggal" and isinstance(value, dt.datetime):
        return value.date()
    if key == "tanggal" and isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if key == "tahun" and text.isdigit():
        return int(text)
    if key == "tanggal":
        try:
            return formats.parse_tanggal(text)
        except ValueError:
            return text  # kept as typed: the model names the problem and its place
    return text

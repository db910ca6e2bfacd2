"""Which field each column of a Word IKI table holds, read from its header as offices
type it: other words for SASARAN (KINERJA, KINERJA UTAMA), a group header over its
sub-columns, and several columns that could hold one field.

Of several SASARAN (or INDIKATOR, SUMBER DATA) columns the unit's own is taken and a
column of the region's plan (SASARAN RPJMD) goes to ``tambahan`` under its header's
name; when that does not decide, the import says which columns compete and how to
choose. Several PENJELASAN/FORMULASI columns are one formulasi, read in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ikidoc.errors import Choice
from ikidoc.importers import cells
from ikidoc.importers.draft import Draft
from ikidoc.messages import Message, msg

# Headers the sheets do not use but IKI and IKU tables do, matched as whole words.
_SYNONYMS = {("kinerja",): "sasaran", ("kinerja", "utama"): "sasaran", ("iku",): "indikator",
             ("cara", "pengukuran"): "formulasi", ("metode", "pengukuran"): "formulasi",
             ("cara", "menghitung"): "formulasi", ("cara", "mengukur"): "formulasi",
             ("rumus", "perhitungan"): "formulasi"}
_EXPLAINING = {"alasan", "definisi"}  # "ALASAN", "DEFINISI OPERASIONAL"
# Words of a header naming the region's (or nation's) plan, not the unit's own.
_REGIONAL = {"rpjmd", "rpjmn", "rpjm", "rkpd", "nasional", "daerah", "pemda", "provinsi",
             "kabupaten", "kota", "bupati", "walikota", "gubernur"}
_CHOOSABLE = {"sasaran": "SASARAN", "indikator": "INDIKATOR KINERJA", "sumber": "SUMBER DATA"}
SASARAN_OPTION = "--kolom-sasaran"


def named(text: str) -> str | None:
    """The field a header names (as for a sheet, and KINERJA UTAMA for SASARAN), or None."""
    words = tuple(re.findall(r"[a-z]+", text.lower()))
    return cells.field_of(text) or _SYNONYMS.get(words) or (
        "formulasi" if _EXPLAINING.intersection(words) else None)


def field(text: str) -> str:
    """The field of a column by its header: a named field or a ``tambahan`` key."""
    return named(text) or cells.tambahan_key(text)


def placed(texts: dict[int, str]) -> dict[int, str | None]:
    """The fields a header's cells (``texts`` by column) name, a bare URAIAN ("what it
    is") by its place: left of the INDIKATOR in a table with no SASARAN it is the
    sasaran, right of it in one with no formulasi the penjelasan; anywhere else (or in
    a table that has both) it is a column of its own."""
    fields = {column: named(text) for column, text in texts.items()}
    indikator = [column for column, found in fields.items() if found == "indikator"]
    for column, text in texts.items():
        if re.findall(r"[a-z]+", text.lower()) != ["uraian"] or not indikator:
            continue
        if column < indikator[0] and "sasaran" not in fields.values():
            fields[column] = "sasaran"
        elif column > indikator[0] and "formulasi" not in fields.values():
            fields[column] = "formulasi"
    return fields


@dataclass(frozen=True)
class Columns:
    """The fields of a table's grid columns, and each column's header as read."""

    fields: dict[int, str]
    texts: dict[int, str]

    def header(self, name: str) -> str:
        """The header of the (first) column that holds field ``name``, for messages."""
        return next((self.texts[column] for column, found in self.fields.items()
                     if found == name), "")

    def found(self) -> str:
        """The headers found, in order, for messages: 'NO', 'KINERJA UTAMA', ..."""
        return ", ".join(repr(text) for text in self.headers())

    def headers(self) -> tuple[str, ...]:
        """The headers found, in order, each once."""
        return tuple(dict.fromkeys(self.texts.values()))


def read(texts: dict[int, str], place: Message, draft: Draft, chosen: str | None,
         table: int = 1) -> Columns:
    """The columns of a header whose grid columns read ``texts``; ``chosen`` is the
    header the user picked as the SASARAN (``--kolom-sasaran``), if any; ``table`` the
    table's number among the document's IKI tables, for the choice it may leave."""
    fields = {column: found or cells.tambahan_key(texts[column])
              for column, found in placed(texts).items()}
    for name in _CHOOSABLE:
        competing = [column for column, found in fields.items() if found == name]
        if len({texts[column] for column in competing}) < 2:
            continue  # one header, maybe over several cells: each row says which holds text
        choice = Choice("kolom_sasaran", SASARAN_OPTION, table,
                        tuple(dict.fromkeys(texts[column] for column in competing)),
                        tuple(dict.fromkeys(texts.values()))) if name == "sasaran" else None
        taken = _taken(name, competing, texts, place, draft, chosen if choice else None, choice)
        for column in competing:
            if column != taken:
                fields[column] = cells.tambahan_key(texts[column])
    return Columns(fields, texts)


def _taken(name: str, competing: list[int], texts: dict[int, str], place: Message, draft: Draft,
           chosen: str | None, choice: Choice | None) -> int:
    """The column read as field ``name`` of several whose headers name it: the one the
    user chose, or the only one not of the region's plan. Otherwise a problem saying
    which compete and how to choose, carrying ``choice`` (the first is read meanwhile,
    so that its rows raise no further problems)."""
    headers = ", ".join(repr(texts[column]) for column in competing)
    if chosen is not None:
        picked = [column for column in competing if _words(chosen) == _words(texts[column])] \
            or [column for column in competing if _words(chosen) <= _words(texts[column])]
        if len(picked) == 1:
            return picked[0]
        draft.problem(place, msg("word.chosen_names", "{option} {chosen!r} names {count} of the "
                                 "columns that could be the SASARAN ({headers})",
                                 option=SASARAN_OPTION, chosen=chosen,
                                 count=len(picked) or msg("word.none", "none"), headers=headers),
                      msg("word.chosen_names_hint", "give the header of one of them as it is "
                          "typed"), choice)
        return competing[0]
    own = [column for column in competing if not _words(texts[column]) & _REGIONAL]
    if len(own) == 1:
        others = [texts[column] for column in competing if column != own[0]]
        gone = [msg("word.goes_to", "{text!r} goes to tambahan.{key}", text=text,
                    key=cells.tambahan_key(text)) for text in others]
        draft.note(place, msg("word.own_column", "of the columns that could be the {field} "
                              "({headers}) {own!r} is read as it, the unit's own; {others}",
                              field=_CHOOSABLE[name], headers=headers, own=texts[own[0]],
                              others=gone))
        return own[0]
    if name == "sasaran":
        how = msg("word.choose_sasaran_hint", "choose one with {option} \"{header}\"; the others "
                  "go to tambahan under their headers' names", option=SASARAN_OPTION,
                  header=texts[competing[0]])
    else:
        how = msg("word.rename_column_hint", "rename the header of each column that is not the "
                  "{field} in Word", field=_CHOOSABLE[name])
    draft.problem(place, msg("word.columns_compete", "{count} columns could be the {field}: "
                             "{headers}; the table's headers: {found}", count=len(competing),
                             field=_CHOOSABLE[name], headers=headers,
                             found=", ".join(map(repr, dict.fromkeys(texts.values())))),
                  how, choice)
    return competing[0]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))

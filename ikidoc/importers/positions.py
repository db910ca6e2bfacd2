"""How a position read from a Word table is named and added to the draft: by the
full-width group rows above its rows (the last that is not an eselon's), else by the
Jabatan line, title or signer of its section, else by the --jabatan option.
"""
from __future__ import annotations

import re
from typing import Any

from ikidoc.errors import Choice
from ikidoc.importers import labels, rows, titles, wordtable
from ikidoc.importers.draft import Draft
from ikidoc.messages import Message, msg

JABATAN_OPTION = "--jabatan"


def add(segment: wordtable.Segment, fallback: str, found: labels.Labels, place: Message,
        draft: Draft, chosen: str | None, table: int = 1) -> None:
    """One position of the draft: its rows, named by its group rows (the last that is not
    an eselon's), else by ``fallback`` (Jabatan line, title, signer), else by the
    --jabatan option (``chosen``); with none of these, a problem saying so, with the
    choice it leaves (``table``: the table's number among the document's IKI tables)."""
    eselon = [label for label in segment.labels if titles.is_level(label)]
    named = [_group_name(label) for label in segment.labels if not titles.is_level(label)]
    nama = (named[-1] if named else fallback) or chosen or ""
    if named:
        place = msg("place.group_row", "{position}, table row {row} ({name})", position=place,
                    row=segment.row, name=nama)
    if not nama:
        draft.problem(place, msg("word.no_position_name", "the position's name is given "
                                 "nowhere: no 'Jabatan : ...' line above the table, no name in "
                                 "or under its title, no full-width row naming it in the "
                                 "table, no signer below it"),
                      msg("word.no_position_name_hint", "type 'Jabatan : <name>' above the "
                          "table, or give the name with {option} \"<name>\"",
                          option=JABATAN_OPTION),
                      Choice("jabatan", JABATAN_OPTION, table))
    path = f"jabatan[{len(draft.positions)}]"
    draft.place(path, place)
    entry: dict[str, Any] = {"nama": nama, "tugas": found.lists["tugas"],
                             "fungsi": found.lists["fungsi"]}
    if found.holder:
        entry["pemangku"] = dict(found.holder)
        draft.place(f"{path}.pemangku", place)
    if eselon:
        entry["tambahan"] = {"eselon": eselon[-1]}
    draft.positions.append(entry)
    if not segment.rows:
        draft.problem(place, msg("word.empty_group", "the group row {label!r} has no rows under "
                                 "it", label=segment.labels[-1]),
                      msg("word.empty_group_hint", "type its sasaran and indicators under it, or "
                          "remove the row"))
        return
    entry["sasaran"] = rows.assemble(segment.rows, draft, path)


def _group_name(label: str) -> str:
    """A position's name from its group row, without "Jabatan :" or a leading number."""
    text = label.replace("\n", " ").strip()
    _, colon, tail = text.partition(":")
    if colon and labels.read([text]).nama:
        text = tail.strip()
    return " ".join(re.sub(r"^(?:[IVX]{1,4}|\d{1,2}|[A-Z])[.)]\s+", "", text).split())

"""The rows of one position's IKI table, from a sheet or a Word table, assembled into
its sasaran and indikator by the rules a person types a table with.

A blank (or merged) SASARAN cell continues the sasaran above; a blank SUMBER DATA
cell takes the sources of the indikator above in the same position, as a merged cell
shows them, or, at the top of a position, those written lower in the same sasaran (a
merged cell whose text fell to its last row when the merge was lost); a row with no
indikator adds the sources it lists to the indikator above (one source typed per row).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ikidoc.importers.draft import Draft
from ikidoc.messages import Message, msg


class Origin(Protocol):
    """Where a row stands in its source, for messages."""

    def describe(self, field: str) -> Message:
        """The place of the row's cell of ``field`` ("sheet 'IKI', row 4, column D (Sasaran)")."""


@dataclass(frozen=True)
class Row:
    """One table row as read; empty text is a blank (or continued) cell."""

    origin: Origin
    sasaran: str = ""
    opens_sasaran: bool = False  # a merged cell starts here: a new sasaran even if the text repeats
    indikator: str = ""
    formulasi: str = ""
    sumber: tuple[str, ...] = ()
    tambahan: dict[str, str] = field(default_factory=dict)


def assemble(rows: list[Row], draft: Draft, path: str) -> list[dict[str, Any]]:
    """The ``sasaran`` list of the position at ``path`` (``jabatan[2]``).

    Every row that cannot be read (an indikator with no sasaran above it, a formulasi
    with no indikator, a sasaran left without indikator) becomes a problem of the
    draft naming its cell.
    """
    assembly = _Assembly(draft, path)
    for row in rows:
        assembly.add(row)
    return assembly.finish()


class _Assembly:
    """The sasaran of one position as its rows are read, in order."""

    def __init__(self, draft: Draft, path: str) -> None:
        self.draft, self.path = draft, path
        self.sasaran: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None  # the sasaran rows are added to
        self.indikator: dict[str, Any] | None = None  # the last indikator read
        self.waiting: list[tuple[dict[str, Any], Row]] = []  # no sources yet

    def add(self, row: Row) -> None:
        if row.sasaran and (self.current is None or row.opens_sasaran
                            or row.sasaran != self.current["uraian"]):
            self._unsourced()
            self.current = {"uraian": row.sasaran, "indikator": []}
            self.draft.place(f"{self.path}.sasaran[{len(self.sasaran)}]",
                             row.origin.describe("sasaran"))
            self.sasaran.append(self.current)
        if row.indikator:
            self._open(row)
        else:
            self._continue(row)

    def finish(self) -> list[dict[str, Any]]:
        self._unsourced()
        for number, entry in enumerate(self.sasaran):
            if not entry["indikator"]:
                self.draft.problem(self.draft.places[f"{self.path}.sasaran[{number}]"],
                                   msg("rows.no_indikator", "sasaran {sasaran!r} has no "
                                       "indikator", sasaran=entry["uraian"]),
                                   msg("rows.no_indikator_hint", "write its indikator in this "
                                       "row or the rows below"))
            for item in entry["indikator"]:
                if len(item["sumber_data"]) == 1:  # one source reads best as plain text
                    item["sumber_data"] = item["sumber_data"][0]
        return self.sasaran

    def _open(self, row: Row) -> None:
        """The indikator a row opens, added to the current sasaran. One that has no sasaran
        is a problem, yet is kept as the last read: the rows below may take its sources."""
        if not row.formulasi:
            self.draft.problem(row.origin.describe("formulasi"), msg(
                "rows.no_formulasi", "indikator {indikator!r} has no formulasi "
                "(penjelasan/formulasi penghitungan)", indikator=row.indikator))
        above = self.indikator["sumber_data"] if self.indikator else []
        entry: dict[str, Any] = {"uraian": row.indikator, "formulasi": row.formulasi,
                                 "sumber_data": list(row.sumber or above)}
        if row.tambahan:
            entry["tambahan"] = dict(row.tambahan)
        if row.sumber:
            for waiting, _ in self.waiting:
                waiting["sumber_data"] = list(row.sumber)
            self.waiting = []
        elif not above:
            self.waiting.append((entry, row))
        self.indikator = entry
        if self.current is None:
            self.draft.problem(row.origin.describe("sasaran"), msg(
                "rows.no_sasaran", "indikator {indikator!r} has no sasaran",
                indikator=row.indikator), msg("rows.no_sasaran_hint", "write the sasaran in "
                                              "this row or in a row above it"))
            return
        number = len(self.current["indikator"])
        here = f"{self.path}.sasaran[{len(self.sasaran) - 1}].indikator[{number}]"
        self.draft.place(here, row.origin.describe("indikator"))
        self.draft.place(f"{here}.formulasi", row.origin.describe("formulasi"))
        self.draft.place(f"{here}.sumber_data", row.origin.describe("sumber"))
        self.current["indikator"].append(entry)

    def _continue(self, row: Row) -> None:
        """A row without an indikator may only list more sources of the indikator above."""
        stray = "formulasi" if row.formulasi else next(iter(row.tambahan), "")
        if stray:
            self.draft.problem(row.origin.describe(stray), msg(
                "rows.value_without_indikator", "this row has a value but no indikator"), msg(
                "rows.value_without_indikator_hint", "write the indikator in this row, or move "
                "the value to the row of its indikator"))
        elif row.sumber and self.indikator is None:
            self.draft.problem(row.origin.describe("sumber"), msg(
                "rows.sumber_without_indikator", "sumber data with no indikator above it"))
        elif row.sumber and self.indikator is not None:
            self.indikator["sumber_data"] += row.sumber
            self.waiting = [(entry, r) for entry, r in self.waiting if entry is not self.indikator]

    def _unsourced(self) -> None:
        for entry, row in self.waiting:
            self.draft.problem(row.origin.describe("sumber"),
                               msg("rows.no_sumber", "indikator {indikator!r} has no sumber "
                                   "data", indikator=entry["uraian"]),
                               msg("rows.no_sumber_hint", "write at least one source"))
        self.waiting = []

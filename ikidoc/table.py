"""The official IKI table of one position as a plan: its rows and which cells merge.

FORMAT.md §2: one row per indikator; the SASARAN cell spans the rows of its own
indicators; consecutive indicators of one sasaran with the same sumber data share
one SUMBER DATA cell. Pure functions, no Word XML.
"""
from __future__ import annotations

from dataclasses import dataclass

from ikidoc.model import Indikator, Jabatan, Sasaran

HEADER = ("SASARAN", "INDIKATOR KINERJA", "PENJELASAN/FORMULASI PENGHITUNGAN", "SUMBER DATA")


@dataclass(frozen=True)
class Row:
    """One table row: the indicator, its sasaran and how its merged cells run."""

    sasaran: Sasaran
    indikator: Indikator
    sasaran_first: bool  # opens the SASARAN cell (else continues the one above)
    sumber_first: bool  # opens a SUMBER DATA cell (else continues the one above)


def rows(jabatan: Jabatan) -> list[Row]:
    """The rows of a position's table, in print order."""
    plan = []
    for sasaran in jabatan.sasaran:
        previous: Indikator | None = None
        for indikator in sasaran.indikator:
            plan.append(Row(
                sasaran=sasaran,
                indikator=indikator,
                sasaran_first=previous is None,
                sumber_first=previous is None or not same_sources(previous, indikator),
            ))
            previous = indikator
    return plan


def same_sources(a: Indikator, b: Indikator) -> bool:
    """Equal sumber data (the model has already trimmed items and removed markers)."""
    return a.sumber_data == b.sumber_data


def sumber_lines(sources: list[str]) -> list[str]:
    """The printed lines of a SUMBER DATA cell: one source as is, several as "- " lines."""
    if len(sources) == 1:
        return list(sources)
    return [f"- {source}" for source in sources]

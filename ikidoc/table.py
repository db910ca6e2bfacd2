"""The official IKI table of one position, as far as templates need a plan of it.

docs/official-table.md: the SASARAN cell spans the rows of its own indicators (the template's
loop does that); consecutive indicators of one sasaran with the same sumber data share
one SUMBER DATA cell, which this plan tells. Pure functions, no Word XML.
"""
from __future__ import annotations

from ikidoc.model import Sasaran


def sumber_continues(sasaran: Sasaran) -> list[bool]:
    """Per indicator: whether its SUMBER DATA cell continues the one above (equal
    sources, after the model's trimming and marker removal; never across a sasaran)."""
    indicators = sasaran.indikator
    return [k > 0 and indicators[k - 1].sumber_data == ind.sumber_data
            for k, ind in enumerate(indicators)]


def sumber_lines(sources: list[str]) -> list[str]:
    """The printed lines of a SUMBER DATA cell: one source as is, several as "- " lines."""
    if len(sources) == 1:
        return list(sources)
    return [f"- {source}" for source in sources]

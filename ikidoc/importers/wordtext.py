"""The lines of a table cell as an office types them: a fraction typed as a stack of
two paragraphs (over a rule, or under an underlined numerator) reads "numerator /
denominator".
"""
from __future__ import annotations

import re
from collections.abc import Collection

from ikidoc.ooxml.document import Paragraph

_RULE = re.compile(r"[_\-\u2013\u2014\u2500]{3,}\s*(.*)")
_TIMES = re.compile(r"[x×X*]\s*100\s*%")


def stacked(paragraphs: list[Paragraph], texts: list[str], ruled: Collection[int] = (),
            underlined: bool = False) -> list[str]:
    """The lines of a cell's paragraphs (``texts``, as read) with each fraction typed as
    a stack written "numerator / denominator": a paragraph over the next with a rule
    between them (the upper one's bottom border, the lower one's top border, a border
    between the rows of a table inside the cell: the paragraphs at ``ruled``, or, when
    ``underlined``, the upper one's text underlined), or over a line of underscores or
    dashes over the next. An "x 100%" after the rule, after a tab or in the paragraph
    under the denominator ends the fraction's line."""
    lines, number = [], 0
    while number < len(texts):
        text, following = texts[number], texts[number + 1:number + 3]
        if following and text.strip() and following[0].strip() and not _RULE.fullmatch(
                text.strip()) and _ruled_under(paragraphs, number, ruled, underlined):
            times = _times_after(texts, number + 2)
            lines.append(_fraction_line(text, following[0], *texts[times:times + 1]))
            number = times + 1 if times < len(texts) else number + 2
            continue
        rule = _RULE.fullmatch(following[0].strip()) if len(following) == 2 else None
        if rule and text.strip() and following[1].strip():
            lines.append(_fraction_line(text, following[1], rule.group(1)))
            number += 3
            continue
        lines.append(text)
        number += 1
    return lines


def _times_after(texts: list[str], start: int) -> int:
    """The place of an "x 100%" paragraph at ``start``, past empty ones (the paragraph
    Word keeps after a table inside a cell); len(texts) when there is none."""
    number = start
    while number < len(texts) and not texts[number].strip():
        number += 1
    return number if number < len(texts) and _TIMES.fullmatch(texts[number].strip()) \
        else len(texts)


def _ruled_under(paragraphs: list[Paragraph], number: int, ruled: Collection[int],
                 underlined: bool) -> bool:
    """Whether a rule stands between paragraph ``number`` and the next (see stacked)."""
    upper, lower = paragraphs[number], paragraphs[number + 1]
    if number in ruled or upper.rule_below or lower.rule_above:
        return True
    return underlined and _numerator(upper) and not _underlined(lower)


def _fraction_line(numerator: str, denominator: str, *after: str) -> str:
    """ "numerator / denominator x 100%": an "x 100%" typed after a tab beside the
    numerator or the denominator, or ``after`` them, ends the line."""
    parts = [part.split("\t") for part in (numerator, denominator)]
    times = [piece.strip() for part in parts for piece in part[1:]
             if _TIMES.fullmatch(piece.strip())]
    kept = [" ".join(piece for piece in part if not _TIMES.fullmatch(piece.strip()))
            for part in parts]
    return " ".join(f"{kept[0]} / {kept[1]} {' '.join([*times, *after])}".split())


def _numerator(paragraph: Paragraph) -> bool:
    """Whether a paragraph reads as a numerator marked by its underline alone: all its
    text underlined, and not a label ("Cara Perhitungan :")."""
    return not paragraph.text.strip().endswith(":") and _underlined(paragraph)


def _underlined(paragraph: Paragraph) -> bool:
    """Whether every run of the paragraph that shows text is underlined (its own w:u,
    or its paragraph style's), tabs and a trailing "x 100%" aside."""
    shown = [run for run in paragraph.runs if run.text and not _TIMES.fullmatch(run.text)]
    return bool(shown) and all(run.underlined for run in shown)

"""One path from a pydantic ValidationError to placed problems, for every file ikidoc
reads (a unit's data, a template's template.yaml): each problem with its file, line and
column, its field path and, for a misspelt key, the key most likely meant.

Generic over the model validated: the fields allowed at a place are read from the
model's own annotations, so a new model needs no table here.
"""
from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ikidoc.errors import Problem
from ikidoc.messages import Message, msg
from ikidoc.model import describe_value
from ikidoc.reading import Loc, Marks

Label = Callable[[Loc], str]  # words shown after a path, such as " (Bendahara)"
_NULL_KEYS = ("~", "null", "Null", "NULL", "")


def placed_problems(error: ValidationError, model: type[BaseModel], name: str,
                    marks: Marks | None = None, label: Label | None = None) -> list[Problem]:
    """A Problem for each rule ``error`` says was broken while validating ``model``,
    placed by ``marks`` (from reading the file ``name``) when it has them."""
    marks = marks or Marks()
    return [_problem(item, model, marks, name, label or (lambda loc: ""))
            for item in _explained(error.errors(), model)]


def without_file(problem: Problem) -> Message:
    """``paper (line 16, column 8): ...``: a problem as a message about one file already
    named shows it (a template's errors name their template first)."""
    said = problem.message
    if problem.hint is not None:
        said = msg("problem.hinted", "{message} ({hint})", message=said, hint=problem.hint)
    if problem.line:
        return msg("problem.in_file_at", "{path} (line {line}, column {column}): {said}",
                   path=problem.path, line=problem.line, column=problem.column, said=said)
    return msg("problem.field", "{path}: {message}", path=problem.path, message=said)


def places(error: ValidationError) -> set[Loc]:
    """The places a validation error names, with every place that holds them (a problem
    is shown at the nearest one that has a line): what ``marks_at`` needs to find."""
    found: set[Loc] = set()
    for item in error.errors():
        loc = _loc(item)
        found.update(loc[:end] for end in range(len(loc) + 1))
    return found


def dotted(loc: Loc) -> str:
    """``jabatan[3].sasaran[0].formulasi``: a field path as the data format writes it."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def nearest(positions: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int, int] | None:
    """Line and column of ``loc``, else of its nearest ancestor that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return None


def _loc(item: Any) -> Loc:
    return tuple(part for part in item["loc"] if isinstance(part, (str, int)))


def _explained(errors: list[Any], model: type[BaseModel]) -> list[Any]:
    """Drop "required field is missing" where a misspelt key already explains it
    (``formulasii`` given, ``formulasi`` missing): one problem, one message."""
    typos = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            loc = tuple(item["loc"])
            intended = _intended(loc, model)
            if intended:
                typos.add((loc[:-1], intended))
    return [item for item in errors
            if not (item["type"] == "missing"
                    and (tuple(item["loc"][:-1]), item["loc"][-1]) in typos)]


def _problem(item: Any, model: type[BaseModel], marks: Marks, name: str, label: Label) -> Problem:
    loc = _loc(item)
    kind = item["type"]
    hint = None
    if kind == "extra_forbidden":
        intended = _intended(loc, model)
        message = msg("data.unknown_key", "unknown key {key!r}", key=str(loc[-1]))
        hint = did_you_mean(intended) if intended else msg(
            "data.allowed_keys", "allowed keys: {keys}",
            keys=list(_model_at(loc[:-1], model).model_fields))
        position = marks.keys.get(loc) or nearest(marks.values, loc)
    elif kind == "invalid_key":  # a key YAML reads as no text: "~", "null", or nothing
        message = msg("data.empty_key", "a key is empty (~, null or nothing before the colon); "
                      "write the key's name")
        loc = loc[:-1]
        position = next((marks.keys[loc + (null,)] for null in _NULL_KEYS
                         if loc + (null,) in marks.keys), None) or nearest(marks.values, loc)
    elif kind == "missing" and loc in marks.keys:  # given with no value, or a blank one
        message = msg("data.blank", "is empty; write its value")
        position = marks.keys[loc]
    elif kind == "missing":
        message = msg("data.missing", "required field is missing")
        position = nearest(marks.values, loc[:-1])
    else:
        message = rule_message(item)
        position = nearest(marks.values, loc)
    line, column = position if position else (None, None)
    return Problem(name, message, line=line, column=column, path=dotted(loc) + label(loc),
                   hint=hint)


def _intended(loc: Loc, model: type[BaseModel]) -> str | None:
    """The key an unknown key at ``loc`` was most likely meant to be."""
    fields = list(_model_at(loc[:-1], model).model_fields)
    close = difflib.get_close_matches(str(loc[-1]).lower(), fields, n=1, cutoff=0.6)
    return close[0] if close else None


def rule_message(item: Any) -> Message:
    """The message of a rule broken: the model's own (carried in the error's context, see
    ikidoc.model.refusal), else one for each rule pydantic checks on the model's behalf."""
    kind, value, context = item["type"], item.get("input"), item.get("ctx") or {}
    if isinstance(context.get("message"), Message):
        return context["message"]  # type: ignore[no-any-return]
    # a kind of value expected (list_type; int_parsing, int_from_float...: by its family,
    # but not a rule of that family such as date_future)
    kind = _SAME.get(kind, kind)
    family = kind.split("_", 1)[0]
    expected = _EXPECTED.get(kind) or (_EXPECTED.get(_SAME.get(family, family))
                                       if _A_KIND.search(kind) else None)
    if expected is not None:
        return expected(describe_value(value))
    worded = _RULES.get(kind)
    if worded is not None:
        return worded(context)
    return msg("data.invalid", "{detail}", detail=str(item["msg"]).removeprefix("Value error, "))


_Worded = Callable[[Any], Message]
_SAME = {"dict_type": "model_type", "string_sub_type": "string_type", "datetime": "date"}
_A_KIND = re.compile(r"_(type|parsing|from_\w+)$")  # int_type, date_parsing, int_from_float
# What was expected, by pydantic's kind or its family, told with the value found: the
# data's models word most of these themselves; a template.yaml's and a manifest's leave
# them to pydantic.
_EXPECTED: dict[str, _Worded] = {
    "model_type": lambda v: msg("data.expected_mapping", "expected a mapping (key: value), got "
                                "{value}", value=v),
    "list_type": lambda v: msg("data.expected_list", "expected a list, got {value}", value=v),
    "string_type": lambda v: msg("data.expected_text", "expected text, got {value}", value=v),
    "int": lambda v: msg("data.expected_whole", "expected a whole number, got {value}",
                         value=v),
    "float": lambda v: msg("data.expected_number", "expected a number, got {value}", value=v),
    "bool": lambda v: msg("data.expected_boolean", "expected true or false, got {value}",
                          value=v),
    "date": lambda v: msg("data.expected_date", "expected a date as YYYY-MM-DD, got {value}",
                          value=v),
}
# Other rules, told with the bound of the error's context.
_RULES: dict[str, _Worded] = {
    "too_short": lambda c: msg("data.too_short", "needs at least one item"),
    "greater_than_equal": lambda c: msg(
        "data.at_least", "Input should be greater than or equal to {limit}", limit=c.get("ge")),
    "less_than_equal": lambda c: msg(
        "data.at_most", "Input should be less than or equal to {limit}", limit=c.get("le")),
    "literal_error": lambda c: msg("data.one_of", "Input should be {expected}",
                                   expected=c.get("expected")),
    "string_too_short": lambda c: msg("data.text_too_short", "needs at least {count} "
                                      "characters", count=c.get("min_length")),
    "string_too_long": lambda c: msg("data.text_too_long", "is longer than {count} characters",
                                     count=c.get("max_length")),
    "string_pattern_mismatch": lambda c: msg(
        "data.pattern", "does not have the form expected ({pattern})",
        pattern=str(c.get("pattern"))),
}


def did_you_mean(intended: str) -> Message:
    """The hint under an unknown key or field: the known one it most likely meant."""
    return msg("data.did_you_mean", "did you mean {name!r}?", name=intended)


def _model_at(loc: Loc, model: type[BaseModel]) -> type[BaseModel]:
    """The model that validates the mapping at ``loc``, found through the annotations
    of the fields on the way (``jabatan[0].sasaran`` -> Sasaran)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return current
        current = inner
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as ``list[Sasaran]`` or ``Pemangku | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None

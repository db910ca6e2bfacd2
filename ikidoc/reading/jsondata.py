"""Strict JSON, as the data format asks: no NaN, no key given twice unnoticed."""
from __future__ import annotations

import json
from typing import Any

from ikidoc import scalars
from ikidoc.errors import DataError, Problem
from ikidoc.messages import msg
from ikidoc.reading.text import place_of


def parse_json(text: str, name: str) -> tuple[Any, list[str]]:
    """Strict JSON (no NaN), and the keys given twice in one object (JSON parsers keep
    the last one silently)."""
    duplicates: list[str] = []

    def no_constant(token: str) -> Any:
        raise _NotJson(token)

    def first_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result.setdefault(key, value)
        return result

    try:
        # A number with a fraction or an exponent stays as typed ("1.10", "1E2"), as in YAML.
        return json.loads(text, parse_constant=no_constant, object_pairs_hook=first_wins,
                          parse_float=scalars.Number), duplicates
    except json.JSONDecodeError as error:
        line, column = place_of(text, error.pos)  # json counts LF only
        raise DataError([Problem(name, msg("json.invalid", "invalid JSON: {detail}",
                                           detail=error.msg),
                                 line=line, column=column)]) from None
    except _NotJson as error:
        raise DataError([Problem(name, msg("json.constant", "invalid JSON: {token} is not JSON",
                                           token=error.args[0]))]) from None
    except (ValueError, RecursionError) as error:
        raise DataError([Problem(name, msg("json.invalid", "invalid JSON: {detail}",
                                           detail=str(error)))]) from None


class _NotJson(ValueError):
    """NaN or Infinity, which JSON does not have."""

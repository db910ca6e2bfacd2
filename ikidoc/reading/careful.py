"""A YAML text composed into a node tree, for its data and the line and column of every
key and value: the careful reading, for files with something to report."""
from __future__ import annotations

import re
from typing import Any

import yaml

from ikidoc import scalars
from ikidoc.errors import DataError, Problem
from ikidoc.messages import Joined, Message, msg
from ikidoc.reading import separators
from ikidoc.reading.aliases import MAX_ALIAS_NODES, AliasBomb
from ikidoc.reading.events import LIBYAML, MAX_DEPTH, TooDeep, events
from ikidoc.reading.marks import MERGE, Marks

_NULL = "tag:yaml.org,2002:null"
EMPTY = msg("data.file_empty", "file is empty; it must hold a unit (unit_kerja, jabatan)")
NESTED = msg("data.nested", "data is nested too deeply")


class TextLoader(yaml.SafeLoader):
    """A safe loader that keeps every plain scalar as the text the user typed.

    YAML 1.1 would read ``nama: No`` as False, ``uraian: 1.10`` as 1.1 and a NIP as an
    int; only empty values and merge keys are resolved, numbers and booleans are marked
    (ikidoc.scalars), pydantic converts the rest. The pure-Python loader: it reads only
    what libyaml cannot (where libyaml is missing, or a text holds U+007F), and it stops
    at Python's recursion limit where libyaml's composer would crash. It accepts U+007F
    typed as such, as JSON does: the data format prints it (the characters a Word
    document cannot hold are refused before any parser reads the file).
    """

    NON_PRINTABLE = re.compile(  # type: ignore[misc]
        "[^\t\n\r\x20-\x7f\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _FastTextLoader(getattr(yaml, "CSafeLoader", TextLoader)):  # type: ignore[misc]
    """libyaml's parser and composer with TextLoader's resolvers: a large file with a
    mistake is read again for its lines in seconds, not minutes."""


def _text_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Empty values and merge keys as YAML resolves them; plain numbers and booleans
    (YAML 1.2's core schema) marked, yet kept as typed (see ikidoc.scalars)."""
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {
        first: kept
        for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
        if (kept := [(tag, rx) for tag, rx in found if tag in (_NULL, MERGE)])
    }
    for first in scalars.FIRST_CHARACTERS:
        resolvers.setdefault(first, []).extend(
            (tag, re.compile(f"^(?:{pattern.pattern})$")) for tag, pattern in scalars.PATTERNS)
    return resolvers


def _constructor(kind: type[str]) -> Any:
    """Builds a marked scalar (ikidoc.scalars) from its node, keeping the text typed."""
    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        return kind(node.value)
    return construct


for _loader in (TextLoader, _FastTextLoader):
    _loader.yaml_implicit_resolvers = _text_resolvers()
    _loader.add_constructor(scalars.NUMBER_TAG, _constructor(scalars.Number))
    _loader.add_constructor(scalars.BOOLEAN_TAG, _constructor(scalars.Boolean))


class _Empty(Exception):
    """The text holds no document."""


def compose(text: str, name: str) -> tuple[Any, Marks]:
    """The data of a YAML text with the line and column of every key and value; raises
    DataError saying what is wrong, and where."""
    stood_in = separators.stood_in(text)
    try:
        data, marks = _composed(stood_in or text)
    except yaml.YAMLError as error:
        raise syntax_error(error, name) from None
    except _Empty:
        raise DataError([Problem(name, EMPTY)]) from None
    except AliasBomb:
        raise DataError([Problem(name, msg("yaml.alias_bomb", "aliases expand past {bound:,} "
                                           "values; repeat the data instead of nesting anchors",
                                           bound=MAX_ALIAS_NODES))]) from None
    except TooDeep as deep:
        raise _too_deep(name, deep.where) from None
    except RecursionError:
        raise DataError([Problem(name, NESTED)]) from None
    except MemoryError:
        raise DataError([Problem(name, msg("data.too_large_to_place", "has a problem, and is "
                                           "too large for this machine to point at it; split "
                                           "it into smaller files"))]) from None
    return (separators.given_back(data) if stood_in else data), marks


def syntax_error(error: yaml.YAMLError, name: str) -> DataError:
    """A parser's error as a DataError at its line and column."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if mark and "maximum nesting depth" in str(error.problem):  # libyaml's own bound
            return _too_deep(name, (mark.line + 1, mark.column + 1))
        parts = [str(part) for part in (error.context, error.problem) if part]
        worded = [_YAML_WORDS.get(part) for part in parts]
        detail = (Joined.of([said for said in worded if said], " ") if all(worded) else
                  msg("yaml.parser_words", "{words}", words=" ".join(parts)))
        return DataError([Problem(name, msg("yaml.invalid", "invalid YAML: {detail}",
                                            detail=detail),
                                  line=mark.line + 1 if mark else None,
                                  column=mark.column + 1 if mark else None)])
    return DataError([Problem(name, msg("yaml.invalid", "invalid YAML: {detail}",
                                        detail=msg("yaml.parser_words", "{words}",
                                                   words=str(error))))])


# The parsers' own words for the mistakes people make most, as messages (the English text
# is the parser's, so the command line says what it always said); a complaint with a part
# not among them is the parser's words, quoted as a technical detail (yaml.parser_words).
_YAML_WORDS: dict[str, Message] = {
    "mapping values are not allowed in this context": msg(
        "yaml.colon", "mapping values are not allowed in this context"),
    "mapping values are not allowed here": msg(
        "yaml.colon_here", "mapping values are not allowed here"),
    "while scanning for the next token": msg(
        "yaml.scanning_token", "while scanning for the next token"),
    "found character that cannot start any token": msg(
        "yaml.bad_character", "found character that cannot start any token"),
    "found character '\\t' that cannot start any token": msg(
        "yaml.tab", "found character '\\t' that cannot start any token"),
    "while scanning a quoted scalar": msg("yaml.scanning_quoted", "while scanning a quoted scalar"),
    "found unexpected end of stream": msg("yaml.end_of_stream", "found unexpected end of stream"),
    "while parsing a block mapping": msg("yaml.block_mapping", "while parsing a block mapping"),
    "while parsing a block collection": msg("yaml.block_collection",
                                            "while parsing a block collection"),
    "did not find expected key": msg("yaml.expected_key", "did not find expected key"),
    "did not find expected '-' indicator": msg("yaml.expected_dash",
                                               "did not find expected '-' indicator"),
    "found undefined alias": msg("yaml.undefined_alias", "found undefined alias"),
    "while parsing a flow mapping": msg("yaml.flow_mapping", "while parsing a flow mapping"),
    "did not find expected ',' or '}'": msg("yaml.expected_brace",
                                            "did not find expected ',' or '}}'"),
    "while scanning a simple key": msg("yaml.simple_key", "while scanning a simple key"),
    "could not find expected ':'": msg("yaml.expected_colon", "could not find expected ':'"),
    "while parsing a flow sequence": msg("yaml.flow_sequence", "while parsing a flow sequence"),
    "did not find expected ',' or ']'": msg("yaml.expected_bracket",
                                            "did not find expected ',' or ']'"),
    "while parsing a flow node": msg("yaml.flow_node", "while parsing a flow node"),
    "did not find expected node content": msg("yaml.expected_content",
                                              "did not find expected node content"),
    "while parsing a block node": msg("yaml.block_node", "while parsing a block node"),
    "while scanning an alias": msg("yaml.scanning_alias", "while scanning an alias"),
    "while scanning an anchor": msg("yaml.scanning_anchor", "while scanning an anchor"),
    "did not find expected alphabetic or numeric character": msg(
        "yaml.expected_name_character", "did not find expected alphabetic or numeric character"),
    "while scanning a block scalar": msg("yaml.scanning_block_scalar",
                                         "while scanning a block scalar"),
    "found a tab character that violates indentation": msg(
        "yaml.tab_indentation", "found a tab character that violates indentation"),
    "while scanning a plain scalar": msg("yaml.scanning_plain", "while scanning a plain scalar"),
    "found unexpected ':'": msg("yaml.unexpected_colon", "found unexpected ':'"),
    "while parsing a quoted scalar": msg("yaml.parsing_quoted", "while parsing a quoted scalar"),
    "found unknown escape character": msg("yaml.unknown_escape",
                                          "found unknown escape character"),
    "did not find expected hexdecimal number": msg(
        "yaml.escape_number", "did not find expected hexdecimal number"),
    "expected a single document in the stream": msg(
        "yaml.single_document", "expected a single document in the stream"),
    "but found another document": msg("yaml.another_document", "but found another document"),
    "found duplicate anchor; first occurrence": msg("yaml.duplicate_anchor",
                                                    "found duplicate anchor; first occurrence"),
}


def _too_deep(name: str, where: tuple[int, int]) -> DataError:
    return DataError([Problem(name, msg("data.too_deep", "data is nested too deeply (more than "
                                        "{bound} levels of mappings and lists)", bound=MAX_DEPTH),
                              line=where[0], column=where[1])])


def _composed(text: str) -> tuple[Any, Marks]:
    """Composed by libyaml where it is installed and reads the text: its syntax errors
    are reported in its words, without a pure-Python pass over a large file (minutes);
    by the pure-Python loader where libyaml refuses the text's characters (U+007F)."""
    if not LIBYAML:
        return _built(TextLoader(text))
    try:
        for _ in events(text):  # the nesting bound, before a recursive composer runs
            pass
    except yaml.reader.ReaderError:
        return _built(TextLoader(text))
    return _built(_FastTextLoader(text))


def _built(loader: yaml.SafeLoader) -> tuple[Any, Marks]:
    try:
        node = loader.get_single_node()
        if node is None:
            raise _Empty()
        marks = Marks()
        marks.walk(node)
        return loader.construct_document(node), marks
    finally:
        loader.dispose()

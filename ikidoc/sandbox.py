"""The Jinja sandbox every template renders in, with bounds on what a template may cost.

Jinja's own sandbox keeps a template away from Python's internals, files and changing
the data, but not from exhausting the computer: ``{{ 3**(10**9) }}`` computes for ever,
``{{ 'x' * 10**9 }}`` takes a gigabyte, nested loops never end and a recursive loop
overflows the stack. Here every computed value (a text, a list, a number) is bounded
before it is made where its size can be told in advance (powers, repetitions, widths,
replacements, joins) and checked after, a render stops after ``MAX_SECONDS`` or once it
has grown the memory by ``MAX_MEMORY``, and macros and recursive loops nest at most
``MAX_DEPTH`` deep. The checks sit where a template repeats work (a loop's iteration, a
call, an operator that builds a value), never on every printed tag, so that rendering
an IKI stays as fast as plain Jinja.

A bound that is reached raises ``Exceeded``, which the renderer turns into a
TemplateError naming the template and the tag.
"""
from __future__ import annotations

import functools
import re
import string
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from ikidoc.messages import Message, msg

MAX_VALUE = 1_000_000  # characters of a text, or items of a list, one value may hold
MAX_RANGE = 100_000  # numbers of one range(...)
MAX_INT_BITS = 100_000  # an integer of about 30,000 digits
MAX_DEPTH = 50  # macros and recursive loops inside one another
MAX_SECONDS = 60.0  # to render one part of one document
MAX_MEMORY = 1 << 30  # bytes of memory a render may add (where the system tells it)
_EVERY = 256  # loop iterations or calls between two looks at the clock and the memory
# Builtin filters whose result can be far larger than their input; the others give at
# most what they were given (upper, trim, ...) or a number.
_GROWING_FILTERS = ("batch", "center", "format", "indent", "join", "replace", "slice", "sum",
                    "wordwrap")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_NUMBER = re.compile(r"\d+")


class Exceeded(Exception):
    """A bound of the sandbox was reached; ``message`` says which (``str()`` in English)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message

    def __reduce__(self) -> tuple[type[Exceeded], tuple[Message]]:
        return (Exceeded, (self.message,))


class Budget:
    """What one render has spent: time, memory, nesting, counted until a bound is hit."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.memory = _peak_memory()
        self.depth = 0
        self.steps = 0

    def step(self, count: int = 1) -> None:
        """``count`` more loop iterations or calls; every ``_EVERY`` of them, look at the
        clock and the memory."""
        before = self.steps
        self.steps += count
        if self.steps // _EVERY != before // _EVERY:
            self.check()

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Exceeded(msg("sandbox.time", "rendering takes longer than {bound:g} seconds (an "
                               "endless or very large loop?)", bound=self.seconds))
        if _peak_memory() - self.memory > MAX_MEMORY:
            raise Exceeded(msg("sandbox.memory", "rendering needs more than {bound:,} MB of memory",
                               bound=MAX_MEMORY // 2**20))


def _peak_memory() -> int:
    """The largest memory the process has used, in bytes (0 where the system cannot say)."""
    if sys.platform == "win32":
        return 0
    import resource  # Unix only
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class _Generator(CodeGenerator):
    """Jinja's code generator, with every loop's iterable counted and every ``~`` measured."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        counted = nodes.EnvironmentAttribute("counted")
        if not (isinstance(node.iter, nodes.Call) and node.iter.node == counted):
            node.iter = nodes.Call(counted, [node.iter], [], None, None, lineno=node.lineno)
        super().visit_For(node, frame)

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        if node.node == nodes.EnvironmentAttribute("counted"):  # ours: called directly
            self.write("environment.counted(")
            self.visit(node.args[0], frame)
            self.write(")")
        else:
            super().visit_Call(node, frame, forward_caller=forward_caller)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.measured(")
        super().visit_Concat(node, frame)
        self.write(")")


class Environment(ImmutableSandboxedEnvironment):
    """The sandbox with bounds (see the module's docstring). ``budget`` is that of the
    render running in this thread; ``start`` gives each render a fresh one."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._local = threading.local()
        self.globals["range"] = _range
        self.globals["lipsum"] = _lipsum
        for name in _GROWING_FILTERS:
            self.filters[name] = _measured_filter(self.filters[name], name)

    def start(self) -> Budget:
        budget = Budget(MAX_SECONDS)
        self._local.budget = budget
        return budget

    @property
    def budget(self) -> Budget:
        budget = getattr(self._local, "budget", None)
        return budget if isinstance(budget, Budget) else self.start()

    def counted(self, iterable: Iterable[Any]) -> Iterable[Any]:
        """What a loop iterates, its iterations counted: a short list of the data (nearly
        every loop) at once, anything else item by item."""
        budget = self.budget
        if isinstance(iterable, list | tuple | dict | str) and len(iterable) < _EVERY:
            budget.step(len(iterable))
            return iterable
        return _counting(iterable, budget)

    def measured(self, value: Any) -> Any:
        _check_size(value, "joined")
        return value

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        _before_binop(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        if not (type(result) is int or type(result) is float):  # the bundled templates' sums
            _check_size(result, "result", operator)
        return result

    def call(self, context: jinja2.runtime.Context, obj: Any, /,
             *args: Any, **kwargs: Any) -> Any:
        """Call an object from the template: a macro, a loop's recursion, a method. Its
        numbers are bounded, the depth counted and its result measured."""
        budget = self.budget
        budget.step()
        _check_arguments(args, kwargs, _name(obj))
        _before_method(obj, args)
        if budget.depth >= MAX_DEPTH:
            raise Exceeded(msg("sandbox.depth", "macros or recursive loops are nested more than "
                               "{bound} deep", bound=MAX_DEPTH))
        budget.depth += 1
        try:
            result = super().call(context, obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        _check_size(result, "result", _name(obj))
        return result


def _counting(iterable: Iterable[Any], budget: Budget) -> Iterator[Any]:
    for item in iterable:
        budget.step()
        yield item


def _name(obj: Any) -> str:
    return str(getattr(obj, "__name__", None) or getattr(obj, "_name", None) or type(obj).__name__)


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise Exceeded(msg("sandbox.range", "range(...) of {count:,} numbers; at most {bound:,}",
                           count=len(numbers), bound=MAX_RANGE))
    return numbers


_range.__name__ = "range"  # as the template calls it, in messages
MAX_LIPSUM = 100  # paragraphs, or words in one, of lipsum(...)'s placeholder text


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's placeholder text, of at most MAX_LIPSUM paragraphs of MAX_LIPSUM words."""
    if n > MAX_LIPSUM or max > MAX_LIPSUM:
        raise Exceeded(msg("sandbox.lipsum", "lipsum(...) of more than {bound} paragraphs or words",
                           bound=MAX_LIPSUM))
    return str(generate_lorem_ipsum(n, html, min, max))


_lipsum.__name__ = "lipsum"


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """How large a value is: characters of a text, items of a list (counting the items
    of the lists inside it, a repeated one each time). Stops counting past ``limit``."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list | tuple | set | frozenset):
        return 1
    total = len(value)
    for item in value:
        if total > limit:
            break
        if not isinstance(item, int | float | bool) and item is not None:
            total += weight(item, limit - total)
    return total


def _check_size(value: Any, what: str, name: str = "") -> None:
    """``value`` within the bounds; ``what`` (joined, result, filter) and ``name`` say
    what made it, worded only when it is refused (this runs at every call)."""
    if isinstance(value, str) and len(value) <= MAX_VALUE:  # nearly every value
        return
    if type(value) is int and value.bit_length() > MAX_INT_BITS:
        raise Exceeded(msg("sandbox.big_number", "{what} is a number of more than {bound:,} bits",
                           what=_what(what, name), bound=MAX_INT_BITS))
    if weight(value) > MAX_VALUE:
        raise Exceeded(msg("sandbox.big_value", "{what} holds more than {bound:,} characters or "
                           "items", what=_what(what, name), bound=MAX_VALUE))


def _what(what: str, name: str) -> Message:
    if what == "joined":
        return msg("sandbox.joined", "a text joined with ~")
    if what == "filter":
        return msg("sandbox.filter", "the filter {name}", name=name)
    return msg("sandbox.result", "the result of {name}", name=name)


def _before_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too large, before it is computed."""
    if operator == "**" and _is_int(left) and _is_int(right) and right > 0 and \
            left.bit_length() * right > MAX_INT_BITS:
        raise Exceeded(msg("sandbox.power", "{left} ** {right} is a number of more than {bound:,} "
                           "bits", left=left, right=right, bound=MAX_INT_BITS))
    if operator == "*":
        if _is_int(left) and _is_int(right):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise Exceeded(msg("sandbox.product", "a product of more than {bound:,} bits",
                                   bound=MAX_INT_BITS))
            return
        times, sequence = (left, right) if _is_int(left) else (right, left)
        if _is_int(times) and times > 0 and weight(sequence) * times > MAX_VALUE:
            raise Exceeded(msg("sandbox.repeated", "a text or list repeated {times:,} times holds "
                               "more than {bound:,} characters or items", times=times,
                               bound=MAX_VALUE))
    if operator == "+" and not (_is_int(left) or isinstance(left, float)) and \
            weight(left) + weight(right) > MAX_VALUE:
        raise Exceeded(msg("sandbox.plus", "joined with +, it holds more than {bound:,} characters "
                           "or items", bound=MAX_VALUE))
    if operator == "%" and isinstance(left, str):
        _check_percent(left, right)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_percent(text: str, values: Any) -> None:
    """``"%9999999d" % 1`` is a text of that width: refuse widths over the bound."""
    for match in _PERCENT_FIELD.finditer(text):
        for number in match.groups():
            if number and number != "*" and int(number) > MAX_VALUE:
                raise Exceeded(msg("sandbox.width", "a width of {width:,} in {field!r}; at most "
                                   "{bound:,}", width=int(number), field=match.group(0),
                                   bound=MAX_VALUE))
    _check_arguments(values if isinstance(values, tuple) else (values,), {}, "%")


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], name: str) -> None:
    """A number given to a function is at most MAX_VALUE: ``'x'.center(10**9)`` and the
    like make texts of that size."""
    for value in (*args, *kwargs.values()):
        if _is_int(value) and abs(value) > MAX_VALUE:
            raise Exceeded(msg("sandbox.argument", "{name}(...) is given {value:,}; numbers given "
                               "to a function are at most {bound:,}", name=name, value=value,
                               bound=MAX_VALUE))


def _before_method(obj: Any, args: tuple[Any, ...]) -> None:
    """Refuse a text method whose result would be too large, before it runs."""
    wrapped = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    text = getattr(wrapped, "__self__", None)
    if not isinstance(text, str):
        return
    name = wrapped.__name__
    if name in ("format", "format_map"):
        _check_format(text)
    elif name == "replace" and len(args) >= 2:
        _check_estimate(_replaced_size(text, args[0], args[1]), "replace(...)")
    elif name == "join" and args:
        _check_estimate(_joined_size(args[0], text), "join(...)")
    elif name == "expandtabs":
        width = args[0] if args and _is_int(args[0]) else 8
        _check_estimate(len(text) + text.count("\t") * width, "expandtabs(...)")


def _check_format(text: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(text):
        for number in _NUMBER.findall(spec or ""):
            if int(number) > MAX_VALUE:
                raise Exceeded(msg("sandbox.width", "a width of {width:,} in {field!r}; at most "
                                   "{bound:,}", width=int(number), field=text[:40],
                                   bound=MAX_VALUE))


def _replaced_size(text: Any, old: Any, new: Any) -> int:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    found = text.count(old) if old else len(text) + 1
    return len(text) + found * max(len(new) - len(old), 0)


def _joined_size(items: Any, separator: Any) -> int:
    if not isinstance(items, list | tuple):
        return 0
    return sum(weight(item) for item in items) + weight(separator) * len(items)


def _check_estimate(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise Exceeded(msg("sandbox.estimate", "{what} would hold {size:,} characters; at most "
                           "{bound:,}", what=what, size=size, bound=MAX_VALUE))


def _measured_filter(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """A builtin filter that can grow its input, bounded before (its numbers, the size
    it would reach) and measured after."""

    @functools.wraps(function)  # keeps Jinja's pass_environment / pass_eval_context mark
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [value for value in args
                  if not isinstance(value, jinja2.Environment | nodes.EvalContext)]
        _check_arguments(tuple(values[1:]), kwargs, name)
        _before_filter(name, values, kwargs)
        result = function(*args, **kwargs)
        _check_size(result, "filter", name)
        return result

    return bounded


def _before_filter(name: str, values: list[Any], kwargs: dict[str, Any]) -> None:
    """Refuse a filter whose result would be too large, before it runs."""
    if not values:
        return
    text = values[0]
    if name == "replace" and len(values) >= 3:
        _check_estimate(_replaced_size(text, values[1], values[2]), "replace")
    elif name == "join":
        _check_estimate(_joined_size(text, values[1] if len(values) > 1 else ""), "join")
    elif name == "indent" and isinstance(text, str):
        width = values[1] if len(values) > 1 else kwargs.get("width", 4)
        width = len(width) if isinstance(width, str) else width
        if _is_int(width):
            _check_estimate(len(text) + (text.count("\n") + 1) * width, "indent")
    elif name == "format" and isinstance(text, str):
        _check_percent(text, tuple(values[1:]))


# Jinja's syntax errors, as its parser words them (jinja2/parser.py), read back into kinds
# the page and the command line word for a template's author.
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(?P<tag>[^']*)'\.(?: Jinja was looking "
                          r"for the following tags: (?P<expected>.*?)\.)?(?: The innermost "
                          r"block that needs to be closed is '(?P<block>[^']*)'\.)?")
_END_OF_TEMPLATE = re.compile(r"Unexpected end of template\.(?: Jinja was looking for the "
                              r"following tags: (?P<expected>.*?)\.)?(?: The innermost block "
                              r"that needs to be closed is '(?P<block>[^']*)'\.)?")
_UNCLOSED_TAG = re.compile(r"unexpected end of template, expected '(?P<what>[^']*)'")
_NO_FILTER = re.compile(r"No filter named '(?P<name>[^']*)'")
_UNEXPECTED = re.compile(r"unexpected (?:char )?'(?P<what>.*?)'(?: at \d+)?$|expected token "
                         r"'(?P<expected>[^']*)', got '(?P<got>[^']*)'")
_QUOTED = re.compile(r"'([^']*)'")


def syntax_problem(error: jinja2.TemplateSyntaxError, filters: Iterable[str]) -> Message:
    """What is wrong with a template's tags, as a kind with its values: an unknown tag
    (with the tags expected there), a block never closed, an end closing no block, a tag
    not closed, an unknown filter, an unexpected character. Jinja's own words remain
    only for a mistake none of these is."""
    text = error.message or ""
    if found := _UNKNOWN_TAG.match(text):
        tag, expected = found["tag"], _tags(found["expected"])
        if expected and "," not in expected:
            return msg("template.unknown_tag_expected_one", "unknown tag {tag!r}: here the "
                       "block {block!r} expects {expected}", tag=tag,
                       block=found["block"] or "", expected=expected)
        if expected:
            return msg("template.unknown_tag_expected", "unknown tag {tag!r}: here the block "
                       "{block!r} expects one of {expected}", tag=tag,
                       block=found["block"] or "", expected=expected)
        if tag.startswith("end"):
            return msg("template.end_without_block", "{tag!r} closes no open block: remove "
                       "it, or add the tag that opens its block", tag=tag)
        return msg("template.unknown_tag", "unknown tag {tag!r}", tag=tag)
    if (found := _END_OF_TEMPLATE.match(text)) and found["block"]:
        return msg("template.unclosed_block", "the block {block!r} is never closed: add "
                   "{end} where it ends", block=found["block"], end=_closing(found["block"]))
    if _UNCLOSED_TAG.match(text):
        return msg("template.unclosed_tag", "a tag is not closed: a '{{{{' without '}}}}' or "
                   "a '{{%' without '%}}'")
    if found := _NO_FILTER.match(text):
        return msg("template.unknown_filter", "unknown filter {name!r}; the filters of ikidoc "
                   "are {known}", name=found["name"], known=sorted(filters))
    if found := _UNEXPECTED.match(text):
        return msg("template.unexpected_character", "unexpected {what!r} inside a tag",
                   what=found["what"] if found["what"] is not None else found["got"])
    return msg("template.tag_error", "tag error: {detail}", detail=text)


def _closing(block: str) -> str:
    """The tag that closes a block, in a paragraph of its own: "{%p endfor %}"."""
    return "{%p end" + block + " %}"


def _tags(expected: str | None) -> str:
    """"'elif' or 'else' or 'endif'" as a template writes them: "{% elif %}, {% else %},
    {% endif %}"."""
    return ", ".join(f"{{% {name} %}}" for name in _QUOTED.findall(expected or ""))

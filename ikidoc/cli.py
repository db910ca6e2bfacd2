"""The ``ikidoc`` command line: click commands over the library, nothing more."""
from __future__ import annotations

import functools
import inspect
import io
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Self, TextIO, TypeVar

import click
from click.exceptions import NoArgsIsHelpError

from ikidoc import (
    __version__,
    audit,
    audit_text,
    defaults,
    importers,
    starter,
    template_check,
    templates,
    workers,
)
from ikidoc.errors import IkidocError
from ikidoc.generate import Outcome, generate, validate
from ikidoc.messages import LANGUAGES, Lang, Message, default_language, msg, word


def _lang() -> Lang:
    """The language asked for with --lang (on the group or the command), else the locale's."""
    return _lang_of(click.get_current_context(silent=True))


def _lang_of(ctx: click.Context | None) -> Lang:
    chosen = ctx.meta.get(_LANG_KEY) if ctx is not None else None
    return chosen if chosen in LANGUAGES else default_language()


def _say(message: Message, *, err: bool = False) -> None:
    """Print a message in the user's language: the only way this module speaks."""
    click.echo(word(message, _lang()), err=err)


def _helped(text: str | None) -> str | None:
    """A help text in the user's language (English as written when the catalog lacks it)."""
    kinds = _help_kinds()
    if not text or text not in kinds:
        return text
    return word(Message(kinds[text], inspect.cleandoc(text)), _lang())


_LANG_KEY = "ikidoc.lang"
FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)


def _lang_in(args: list[str]) -> str | None:
    """The --lang written among ``args`` (before a ``--``), read ahead of click's parse so
    that a usage error found before the option is reached is worded in it too."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
    return None


class _Formatter(click.HelpFormatter):
    """Click's help layout with its "Usage:" in the language of its context (an error's
    usage line is written after the context has ended)."""

    def __init__(self, lang: Lang, width: int | None = None,
                 max_width: int | None = None) -> None:
        super().__init__(width=width, max_width=max_width)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = word(msg("cli.usage", "Usage:"), self.lang) + " "
        super().write_usage(prog, args, prefix)


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        return _Formatter(_lang_of(self), width=self.terminal_width,
                          max_width=self.max_content_width)


class _Usage(click.UsageError):
    """A usage error as a Message, shown (usage line, hint, error) in the language the
    command line was asked to speak; the exit status stays click's 2."""

    def __init__(self, said: Message, ctx: click.Context | None) -> None:
        super().__init__(str(said), ctx)
        self.said = said

    def show(self, file: IO[Any] | None = None) -> None:
        lang = _lang_of(self.ctx)
        if self.ctx is not None:
            lines = [self.ctx.get_usage()]
            if self.ctx.command.get_help_option(self.ctx) is not None:
                lines.append(word(msg("cli.usage_hint", "Try '{command} --help' for help.",
                                      command=self.ctx.command_path), lang))
            click.echo("\n".join(lines) + "\n", file=file, err=file is None)
        click.echo(word(msg("cli.usage_error", "Error: {message}", message=self.said), lang),
                   file=file, err=file is None)


class _BadValue(click.BadParameter):
    """A value a type or a callback refused, with the reason as a Message."""

    def __init__(self, problem: Message, ctx: click.Context | None = None,
                 param: click.Parameter | None = None) -> None:
        super().__init__(str(problem), ctx, param)
        self.problem = problem


def _said(error: click.UsageError) -> Message:
    """A usage error of click as a Message, from the data the error carries."""
    if isinstance(error, _Usage):
        return error.said
    if isinstance(error, click.NoSuchOption):
        return _possibly(msg("cli.no_such_option", "No such option {name}.",
                             name=repr(error.option_name)), error.possibilities)
    if isinstance(error, click.NoSuchCommand):
        return _possibly(msg("cli.no_such_command", "No such command {name}.",
                             name=repr(error.command_name)), error.possibilities)
    if isinstance(error, click.BadOptionUsage):
        return _option_misused(error)
    if isinstance(error, click.MissingParameter):
        return _missing(error)
    if isinstance(error, click.BadParameter):
        hint = error.param.get_error_hint(error.ctx) if error.param is not None else "?"
        problem = error.problem if isinstance(error, _BadValue) else msg(
            "cli.bad_value_detail", "the value is not accepted (technical detail: "
            "\"{detail}\")", detail=error.message)
        return msg("cli.bad_value", "Invalid value for {param}: {problem}", param=hint,
                   problem=problem)
    return msg("cli.usage_detail", "the command is not written as its help shows (technical "
               "detail: \"{detail}\")", detail=error.message)


def _possibly(said: Message, possibilities: list[str] | None) -> Message:
    """``said``, followed by the close names the user may have meant."""
    if not possibilities:
        return said
    names = ", ".join(repr(name) for name in sorted(possibilities))
    meant = (msg("cli.did_you_mean", "Did you mean {name}?", name=names)
             if len(possibilities) == 1 else
             msg("cli.did_you_mean_one_of", "(Did you mean one of: {names}?)", names=names))
    return msg("cli.with_possibilities", "{said} {meant}", said=said, meant=meant)


def _option_misused(error: click.BadOptionUsage) -> Message:
    """An option written without its value, or a flag given one (``--pdf=ya``)."""
    command = error.ctx.command if error.ctx is not None else None
    flag = command is not None and any(
        isinstance(param, click.Option) and param.is_flag and error.option_name in param.opts
        for param in command.params)
    if flag:
        return msg("cli.flag_with_value", "Option {name} does not take a value.",
                   name=repr(error.option_name))
    return msg("cli.option_needs_value", "Option {name} requires an argument.",
               name=repr(error.option_name))


def _missing(error: click.MissingParameter) -> Message:
    hint = error.param.get_error_hint(error.ctx) if error.param is not None else ""
    if isinstance(error.param, click.Argument):
        return msg("cli.missing_argument", "Missing argument {name}.", name=hint)
    return msg("cli.missing_option", "Missing option {name}.", name=hint)


class _worded_usage:
    """Turn click's usage errors raised inside into ones worded from the catalogs, shown
    with the usage of ``ctx`` when click's parser raised them without one."""

    def __init__(self, ctx: click.Context) -> None:
        self.ctx = ctx

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: object) -> None:
        if (isinstance(error, click.UsageError) and not isinstance(error, _Usage)
                and not isinstance(error, NoArgsIsHelpError)):
            error.ctx = error.ctx or self.ctx
            raise _Usage(_said(error), error.ctx) from None


class _Option(click.Option):
    """An option whose help extras ([default: ...], [required]) and type name are worded."""

    def get_help_extra(self, ctx: click.Context) -> click.types.OptionHelpExtra:
        return {}  # worded by get_help_record below instead

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        extra = click.Option.get_help_extra(self, ctx)
        items = [word(msg("cli.help_default", "default: {default}", default=extra["default"]),
                      _lang())] if "default" in extra else []
        items += [extra["range"]] if "range" in extra else []
        items += [word(msg("cli.help_required", "required"), _lang())] if "required" in extra \
            else []
        names, text = record
        if not items:
            return names, text
        extras = "[" + "; ".join(items) + "]"
        return names, f"{text}  {extras}" if text else extras

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is None:
            for kind, said in _TYPE_NAMES:
                if isinstance(self.type, kind):
                    return word(said, _lang())
        return super().make_metavar(ctx)


def option(*decls: str, **attrs: Any) -> Callable[[FC], FC]:
    """``click.option`` with ikidoc's wording of its help and of its value's type."""
    return click.option(*decls, cls=_Option, **attrs)


class _Path(click.Path):
    """A path; a folder where a file is needed (or the reverse) is worded (in English as
    click words it)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            problem = (msg("cli.folder_not_file", "File {path} is a directory.",
                           path=repr(str(value))) if Path(value).is_dir() else
                       msg("cli.file_not_folder", "Directory {path} is a file.",
                           path=repr(str(value))))
            raise _BadValue(problem, ctx, param) from None


class _Whole(click.IntRange):
    """A whole number in a range; a value outside it, or not a number, is worded (in
    English as click words it)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise _BadValue(msg("cli.not_a_number", "{value} is not a valid integer.",
                                value=repr(value)), ctx, param) from None
        try:
            return super().convert(number, param, ctx)
        except click.BadParameter:
            problem = (msg("cli.number_at_least", "{value} is not in the range x>={min}.",
                           value=number, min=self.min) if self.max is None
                       else msg("cli.number_between", "{value} is not in the range "
                                "{min}<=x<={max}.", value=number, min=self.min, max=self.max))
            raise _BadValue(problem, ctx, param) from None


class _OneOf(click.Choice[str]):
    """One of a few words; another one is worded with the choices."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise _BadValue(msg("cli.not_a_choice", "{value} is not one of {choices}.",
                                value=repr(value), choices=", ".join(map(repr, self.choices))),
                            ctx, param) from None


# The names of a value's type in the help, where the option names no metavar of its own.
_TYPE_NAMES: tuple[tuple[type[click.ParamType[Any, Any]], Message], ...] = (
    (_Path, msg("cli.metavar_path", "PATH")),
    (_Whole, msg("cli.metavar_number", "INTEGER RANGE")),
    (click.types.StringParamType, msg("cli.metavar_text", "TEXT")),
)


class _Translated(click.Command):
    """A command whose help (its own text and its options') and usage errors are worded in
    --lang, from the catalogs."""

    context_class = _Context

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        chosen = _lang_in(args)
        if chosen in LANGUAGES:
            ctx.meta[_LANG_KEY] = chosen
        with _worded_usage(ctx):
            return self._parse_args(ctx, args)

    def _parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's parse, with extra arguments refused in words of the catalogs."""
        if isinstance(self, click.Group):
            return super().parse_args(ctx, args)
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        rest = super().parse_args(ctx, args)
        ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise _Usage(msg("cli.extra_argument", "Got unexpected extra argument ({args})",
                             args=rest[0]) if len(rest) == 1 else
                         msg("cli.extra_arguments", "Got unexpected extra arguments ({args})",
                             args=" ".join(rest)), ctx)
        return rest

    def invoke(self, ctx: click.Context) -> Any:
        with _worded_usage(ctx):
            return super().invoke(ctx)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [word(msg("cli.usage_options", "[OPTIONS]"), _lang_of(ctx))]
        return pieces + [piece for param in self.get_params(ctx)
                         for piece in param.get_usage_pieces(ctx)]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self):
            super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self):
            rows = [record for param in self.get_params(ctx)
                    if isinstance(param, click.Option)
                    and (record := param.get_help_record(ctx)) is not None]
        if rows:
            with formatter.section(word(msg("cli.help_options", "Options"), _lang())):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = word(msg("cli.help_option", "Show this message and exit."), _lang())
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_in_language(self):
            return super().get_short_help_str(limit)


class _TranslatedGroup(_Translated, click.Group):
    """A group of translated commands."""

    command_class = _Translated
    group_class = type

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx),
                word(msg("cli.usage_command", "COMMAND [ARGS]..."), _lang_of(ctx))]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, command) for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) is not None
                    and not command.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        with formatter.section(word(msg("cli.help_commands", "Commands"), _lang())):
            formatter.write_dl([(name, command.get_short_help_str(limit))
                                for name, command in commands])

    def invoke(self, ctx: click.Context) -> Any:
        # click's own test, before it words the same error in English
        if not ctx._protected_args and not self.invoke_without_command:
            raise _Usage(msg("cli.missing_command", "Missing command."), ctx)
        return super().invoke(ctx)


class _help_in_language:
    """Swap a command's and its options' English help for the user's language, then back."""

    def __init__(self, command: click.Command) -> None:
        self.items: list[Any] = [command, *command.params]
        self.saved = [getattr(item, "help", None) for item in self.items]

    def __enter__(self) -> None:
        for item, text in zip(self.items, self.saved, strict=True):
            if hasattr(item, "help"):
                item.help = _helped(text)

    def __exit__(self, *exc: object) -> None:
        for item, text in zip(self.items, self.saved, strict=True):
            if hasattr(item, "help"):
                item.help = text


class _Cli(_TranslatedGroup):
    """Turns every IkidocError into its message on stderr and exit status 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        # `kill` (SIGTERM) ends a run like Ctrl-C does: the half-written revision is removed.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)
        # A console or log file whose code page lacks a character of the data (cp1252 on
        # Windows has no "≥") gets it escaped, rather than a crash after the run is done.
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(errors="backslashreplace")
        try:
            return super().invoke(ctx)
        except IkidocError as error:
            _say(msg("cli.error", "error: {error}", error=error.message()), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            _say(msg("cli.interrupted", "interrupted; nothing was written"), err=True)
            sys.exit(130)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(word(msg("cli.version", "{prog}, version {version}", prog="ikidoc",
                            version=__version__), _lang_of(ctx)))
        ctx.exit()


@click.group(cls=_Cli)
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
        help="Show the version and exit.")
def cli() -> None:
    """Generate the Indikator Kinerja Individu (IKI) documents of every position of a
    unit from one data file, as Word files ready for signature."""


data_argument = click.argument("data", nargs=-1, type=_Path(path_type=Path))
template_option = option("-t", "--template", "template", metavar="TEMPLATE",
                               help="Template name (bundled or in templates/ beside the data) "
                                    "or folder. Default: iki.")


def _settings(ctx: click.Context, param: click.Parameter,
              values: tuple[str, ...]) -> dict[str, bool]:
    """The ``--set NAME=VALUE`` options as switches; a malformed one is a usage error."""
    try:
        return dict(templates.parse_setting(value) for value in values)
    except ValueError as error:
        raise _BadValue(error.args[0], ctx, param) from None


settings_option = option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                         callback=_settings,
                         help="Turn a switch of the template on or off (ya/tidak), e.g. --set "
                              "baris_nomor=ya; repeatable. `ikidoc templates list` shows the "
                              "switches.")


@cli.command("generate")
@data_argument
@template_option
@option("-o", "--output", type=_Path(path_type=Path), default=defaults.OUTPUT,
              show_default=True, help="Folder of the archive.")
@option("--pdf", is_flag=True, help="Also a PDF/A-2b beside every .docx, made by "
                                          "LibreOffice (apt-get install libreoffice-writer-nogui).")
@option("-j", "--jobs", type=_Whole(min=1), metavar="N",
              help="Render in up to N processes, when a unit has enough positions to gain "
                   "from it; the documents are the same for any N. Default: the number of CPUs.")
@option("-q", "--quiet", is_flag=True, help="No progress bar and no list of the documents "
                                                  "written, only one line per unit.")
@settings_option
def generate_command(data: tuple[Path, ...], template: str | None, output: Path, pdf: bool,
                     jobs: int | None, quiet: bool, settings: dict[str, bool]) -> None:
    """Write the IKI of every position in DATA (files or folders; default: data/)
    into a new revision under OUTPUT."""
    paths = list(data) or [defaults.DATA]
    stderr = sys.stderr
    with _ProgressBar(stderr) as bar:
        outcomes = generate(paths, template, output, pdf=pdf, settings=settings,
                            jobs=jobs or workers.available_cpus(),
                            progress=None if quiet or not stderr.isatty() else bar)
    for outcome in outcomes:
        _report(outcome, listing=not quiet)


class _ProgressBar:
    """How far a run has come, one bar per unit on ``stream`` (a terminal), shown only
    once the run has taken ``delay`` seconds: a run of a few positions stays quiet."""

    def __init__(self, stream: TextIO, delay: float = 2.0) -> None:
        self._stream = stream
        self._show_at = time.monotonic() + delay
        self._bars = ExitStack()  # the bar shown, ended (its line finished) by close()
        self._bar: Any = None
        self._unit = ""

    def __call__(self, unit_kerja: str, done: int, total: int) -> None:
        if unit_kerja != self._unit:
            self.close()
            self._unit = unit_kerja
        if self._bar is None and time.monotonic() >= self._show_at:
            self._bar = self._bars.enter_context(click.progressbar(
                length=total, label=unit_kerja, file=self._stream, show_pos=True))
        if self._bar is not None:
            self._bar.update(done - self._bar.pos)

    def close(self) -> None:
        self._bars.close()
        self._bar = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _report(outcome: Outcome, listing: bool = True) -> None:
    if not outcome.changed:
        _say(msg("cli.unchanged", "{unit}: unchanged; {folder} already holds these documents "
                 "(same data, template and ikidoc version)", unit=outcome.unit_kerja,
                 folder=str(outcome.folder)))
        return
    _say(msg("cli.wrote", "{unit}: wrote {count} documents to {folder} (template {template})",
             unit=outcome.unit_kerja, count=len(outcome.documents), folder=str(outcome.folder),
             template=outcome.template))
    if outcome.altered_message is not None:
        _say(outcome.altered_message)
    if listing:
        every = word(msg("cli.all_positions", "(all positions)"), _lang())
        labels = [document.jabatan or every for document in outcome.documents]
        width = max([7] + [len(label) for label in labels])
        click.echo(f"  {'Jabatan':<{width}}  {'Indikator':>9}  "
                   + word(msg("cli.file_column", "File"), _lang()))
        for label, document in zip(labels, outcome.documents, strict=True):
            click.echo(f"  {label:<{width}}  {document.indikator:>9}  {document.file}")
    if outcome.pdfs:
        _say(msg("cli.pdfs", "  and a PDF/A-2b of each: {count} .pdf files beside them",
                 count=len(outcome.pdfs)))


@cli.command("validate")
@click.argument("data", nargs=-1, required=True, type=_Path(path_type=Path))
@template_option
def validate_command(data: tuple[Path, ...], template: str | None) -> None:
    """Check DATA files or folders without writing anything."""
    sources, _ = validate(list(data), template)
    for source in sources:
        _say(msg("cli.valid", "ok: {positions}, {indicators} ({path})",
                 positions=_positions(len(source.unit.jabatan)),
                 indicators=_indicators(source.unit.indikator_count), path=str(source.path)))


def _positions(count: int) -> Message:
    """"1 position" or "N positions": English counts in the singular too."""
    if count == 1:
        return msg("cli.one_position", "1 position")
    return msg("cli.positions", "{count} positions", count=count)


def _indicators(count: int) -> Message:
    """"1 indicator" or "N indicators"."""
    if count == 1:
        return msg("cli.one_indicator", "1 indicator")
    return msg("cli.indicators", "{count} indicators", count=count)


@cli.command("preview")
@click.argument("data", type=_Path(path_type=Path))
@template_option
@option("--jabatan", type=_Whole(min=1), metavar="N",
              help="Only position N, counted from 1 in the order of the data.")
@option("-o", "--output", required=True, type=_Path(path_type=Path, file_okay=False),
              metavar="DIR", help="Folder for the pictures (never the archive).")
@settings_option
def preview_command(data: Path, template: str | None, jabatan: int | None, output: Path,
                    settings: dict[str, bool]) -> None:
    """Draw every page of the documents DATA would give as PNG pictures in DIR, one folder
    per position, without generating anything (needs LibreOffice)."""
    from ikidoc import preview  # Pillow and PDFium load only for the commands that draw

    for position in preview.preview([data], output, template, jabatan, settings=settings):
        _say(msg("cli.previewed", "{folder}: {count} page(s), {jabatan}",
                 folder=str(output / position.folder), count=len(position.pages),
                 jabatan=position.jabatan or msg("cli.all_positions", "(all positions)")))


@cli.command("import")
@click.argument("source", type=_Path(path_type=Path))
@option("-o", "--output", required=True, type=_Path(path_type=Path, dir_okay=False),
              metavar="DATA.yaml", help="The data file to write.")
@option("--force", is_flag=True, help="Replace DATA.yaml if it exists.")
@option("--unit-kerja", help="The unit's name (required unless the source names it).")
@option("--instansi", help="The instansi.")
@option("--induk", help="The parent organisation.")
@option("--tahun", help="The performance year, e.g. 2025.")
@option("--tempat", help="Place in the signature line.")
@option("--tanggal", help="Signature date: 2025-01-02 or '2 Januari 2025'.")
@option("--penandatangan-jabatan", help="The signer's jabatan.")
@option("--penandatangan-nama", help="The signer's name.")
@option("--penandatangan-pangkat", help="The signer's pangkat.")
@option("--penandatangan-nip", help="The signer's NIP (18 digits).")
@option("--jabatan", metavar="NAME",
              help="Word: the name of a position the document names nowhere.")
@option("--sumber-data",
              help="Word: the source of every indicator of a table without a SUMBER DATA column.")
@option("--kolom-sasaran", metavar="HEADER",
              help="Word: the header of the column to read as SASARAN when several could be.")
def import_command(source: Path, output: Path, force: bool, **fields: str | None) -> None:
    """Turn SOURCE (.xlsx, .csv or an existing IKI .docx) into the data file DATA.yaml;
    the options give or replace the document's own fields."""
    given = {key: value for key, value in fields.items() if value is not None}
    unit = importers.import_file(source, output, fields=given, force=force)
    _say(msg("cli.imported", "wrote {output}: {unit}, {positions}, {indicators} (from "
             "{source})", output=str(output), unit=unit.unit_kerja,
             positions=_positions(len(unit.jabatan)),
             indicators=_indicators(unit.indikator_count), source=str(source)))


@cli.command("init")
@option("--xlsx", is_flag=True, help="An Excel workbook to fill in, instead of YAML.")
@option("-o", "--output", type=_Path(path_type=Path, dir_okay=False),
              help=f"File to write. Default: {starter.DEFAULT_YAML}, or {starter.DEFAULT_XLSX} "
                   "with --xlsx.")
def init_command(xlsx: bool, output: Path | None) -> None:
    """Write a starter data file with an example and notes on every field (or, with
    --xlsx, a workbook with the right columns); never replaces a file."""
    path = starter.write_starter(output, xlsx=xlsx)
    then = f"ikidoc import {path} -o data/unit-kerja.yaml" if xlsx else f"ikidoc validate {path}"
    _say(msg("cli.started", "wrote {path}; fill it in, then run: {then}", path=str(path),
             then=then))


@cli.group("templates")
def templates_group() -> None:
    """List, check and create the Word templates documents are made from."""


@templates_group.command("list")
@click.argument("data", nargs=-1, type=_Path(path_type=Path))
def templates_list(data: tuple[Path, ...]) -> None:
    """List every template: name, version, scope, regulation and where it comes from
    (local templates/ folders, here or beside DATA, before the bundled ones; the first
    of a name is used)."""
    for template in templates.available(templates.local_roots(list(data))):
        manifest = template.manifest
        state = (msg("cli.template_used", "used") if template.used
                 else msg("cli.template_shadowed", "shadowed"))
        click.echo(f"{manifest.name:<16} {manifest.version:<8} {manifest.scope:<8} "
                   f"{template.origin} {word(state, _lang())}: {template.folder}")
        click.echo(f"{'':<16} {manifest.regulation}")
        printed = ", ".join(manifest.columns + manifest.prints) or msg(
            "cli.own_layout", "its own layout")
        _say(msg("cli.template_prints", "{indent}{paper} {orientation}; prints {printed}",
                 indent=" " * 17, paper=manifest.paper, orientation=manifest.orientation,
                 printed=printed))
        for name, switch in manifest.switches.items():
            _say(msg("cli.template_switch", "{indent}switch {name} (default {state}): "
                     "{description}", indent=" " * 17, name=name,
                     state="ya" if switch.default else "tidak", description=switch.description))
        if template.thumbnail:
            _say(msg("cli.template_thumbnail", "{indent}first page: {path}", indent=" " * 17,
                     path=str(template.thumbnail)))


@templates_group.command("check")
@click.argument("template")
@click.argument("data", nargs=-1, type=_Path(path_type=Path))
def templates_check(template: str, data: tuple[Path, ...]) -> None:
    """Check TEMPLATE (a name or folder): tag syntax and placement, variables, declared
    tambahan fields, and a trial render with DATA (default: the bundled sample)."""
    chosen = templates.resolve(template, templates.local_roots(list(data)))
    report = template_check.check(chosen, list(data) or None)
    names = ", ".join(p.name for p in report.data)
    _say(msg("cli.template_ok", "ok: template {template} ({origin}) rendered {count} documents "
             "from {names}", template=chosen.label, origin=chosen.origin,
             count=report.documents, names=names))


@templates_group.command("new")
@click.argument("name")
@option("--from", "source", default=defaults.TEMPLATE, show_default=True, metavar="TEMPLATE",
              help="Template to start from.")
def templates_new(name: str, source: str) -> None:
    """Copy a template into templates/NAME/ (version 0.1.0) to edit in Word."""
    created = templates.create(name, source, defaults.TEMPLATES)
    _say(msg("cli.template_created", "created {folder}: edit {docx} in Word and "
             "{name}/template.yaml, then run: ikidoc templates check {folder}",
             folder=str(created.folder), docx=created.docx.name, name=created.folder.name))


@cli.group("archive")
def archive_group() -> None:
    """List, show, verify and compare (diff) the revisions that ikidoc generate wrote."""


@archive_group.command("list")
@click.argument("output", default=defaults.OUTPUT, type=_Path(path_type=Path))
def archive_list(output: Path) -> None:
    """List every unit under OUTPUT (default: output/) with its revisions: date,
    number of positions, template name and version, PDFs."""
    units = audit.list_units(output)
    for unit in units:
        click.echo(audit_text.unit_listing(unit, _lang()))
    if not units:
        _say(msg("cli.no_revision", "{output}: no revision yet; ikidoc generate writes them here",
                 output=str(output)))


@archive_group.command("show")
@click.argument("path", type=_Path(path_type=Path))
def archive_show(path: Path) -> None:
    """Show the revision PATH (or a unit folder's newest revision): its data, template,
    files with their sha256, and the positions added, removed or changed since the
    revision before it."""
    click.echo(audit_text.revision_view(audit.show(path), _lang()))


@archive_group.command("diff")
@click.argument("old", type=_Path(path_type=Path))
@click.argument("new", type=_Path(path_type=Path))
@option("-o", "--output", required=True, type=_Path(path_type=Path, file_okay=False),
              metavar="DIR", help="Folder for the side-by-side pictures.")
@settings_option
def archive_diff(old: Path, new: Path, output: Path, settings: dict[str, bool]) -> None:
    """Compare the revisions OLD and NEW page by page: for each position that changed,
    its old and new pages side by side in DIR with the changes framed, and the texts
    changed listed old -> new (needs LibreOffice). With --set, NEW is made again with
    those switches from the data it keeps (nothing is written to the archive): OLD and
    NEW the same revision show what a switch would change."""
    from ikidoc import diff  # Pillow and PDFium load only for the commands that draw

    report = diff.compare(old, new, output, settings=settings)
    click.echo(audit_text.revision_diff(report, _lang()))


@archive_group.command("verify")
@click.argument("path", default=defaults.OUTPUT, type=_Path(path_type=Path))
@option("--rebuild", is_flag=True, help="Also make every revision again from the data "
                                              "kept in its manifest and compare the bytes.")
@template_option
def archive_verify(path: Path, rebuild: bool, template: str | None) -> None:
    """Check every revision under PATH (default: output/; or a unit or revision folder):
    each file against the sha256 and size in its manifest, the manifest's checksum, the
    revision it was made after, and its unit; exit 1 when anything does not match. With
    --rebuild, also every .docx and every key of the manifest against a rebuild."""
    for check in audit.verify(path, rebuild=rebuild, template=template):
        click.echo(audit_text.revision_check(check, _lang()))


@cli.command("serve")
@option("--port", type=_Whole(0, 65535), default=8000, show_default=True,
              help="Port of the page; 0 takes a free one.")
@option("--host", help="Listen on this address instead of 127.0.0.1 (this computer "
                             "only); other computers then reach the page, so --token is required.")
@option("--token", help="A secret every request must carry (?token=... once, then a "
                              "cookie); required with --host.")
@option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@option("-o", "--output", type=_Path(path_type=Path), default=defaults.OUTPUT,
              show_default=True, help="Folder of the archive.")
def serve_command(port: int, host: str | None, token: str | None, open_browser: bool,
                  output: Path) -> None:
    """Start the local web page (in Bahasa Indonesia) for HR officers: upload data,
    generate, download, see the archive and templates. Runs until Ctrl+C."""
    from ikidoc import web  # the web server's packages load only for this command

    web.serve(host=host, port=port, token=token, output=output, open_browser=open_browser,
              say=click.echo)


def _with_language(command: click.Command) -> None:
    """Give ``command`` and every command under it the --lang option."""
    command.params.append(_Option(
        ["--lang"], type=_OneOf(LANGUAGES), expose_value=False, is_eager=True,
        callback=_choose_language, help="Language of messages, reports and help: id (Bahasa "
                                        "Indonesia) or en. Default: the locale's."))
    for child in getattr(command, "commands", {}).values():
        _with_language(child)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_LANG_KEY] = value


def help_messages(command: click.Command | None = None, path: str = "help") -> list[Message]:
    """Every help text of the command line as a Message: kind ``help.<command path>`` for a
    command, ``help.<command path>.<option>`` for an option (for the catalogs); a text that
    several commands share (--lang, -t) is one message."""
    command = command or cli
    found = [Message(path, inspect.cleandoc(command.help))] if command.help else []
    found += [Message(f"{path}.{param.name}", param.help) for param in command.params
              if isinstance(param, click.Option) and param.help]
    for name, child in getattr(command, "commands", {}).items():
        found += help_messages(child, f"{path}.{name}")
    once = {message.text: message for message in reversed(found)}  # a shared text: its first kind
    return [message for message in found if once[message.text] is message]


@functools.cache
def _help_kinds() -> dict[str, str]:
    """The kind of each help text, by the text as click holds it."""
    kinds: dict[str, str] = {}
    for message in help_messages():
        kinds.setdefault(message.text, message.kind)
    for command in _commands(cli):
        if command.help:
            kinds.setdefault(command.help, kinds[inspect.cleandoc(command.help)])
    return kinds


def _commands(command: click.Command) -> list[click.Command]:
    return [command] + [found for child in getattr(command, "commands", {}).values()
                        for found in _commands(child)]


_with_language(cli)

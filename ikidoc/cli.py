"""The ``ikidoc`` command line: click commands over the library, nothing more."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ikidoc import __version__, templates
from ikidoc.errors import IkidocError
from ikidoc.generate import Outcome, generate, local_template_roots
from ikidoc.load import load_paths

DEFAULT_DATA = Path("data")


class _Cli(click.Group):
    """Turns every IkidocError into its message on stderr and exit status 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IkidocError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written", err=True)
            sys.exit(130)


@click.group(cls=_Cli)
@click.version_option(__version__, prog_name="ikidoc")
def cli() -> None:
    """Generate the Indikator Kinerja Individu (IKI) documents of every position of a
    unit from one data file, as Word files ready for signature."""


data_argument = click.argument("data", nargs=-1, type=click.Path(path_type=Path))
template_option = click.option("-t", "--template", "template", metavar="TEMPLATE",
                               help="Template name (bundled or in templates/ beside the data) "
                                    "or folder. Default: iki.")


@cli.command("generate")
@data_argument
@template_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder of the archive.")
def generate_command(data: tuple[Path, ...], template: str | None, output: Path) -> None:
    """Write the IKI of every position in DATA (files or folders; default: data/)
    into a new revision under OUTPUT."""
    paths = list(data) or [DEFAULT_DATA]
    for outcome in generate(paths, template, output):
        _report(outcome)


def _report(outcome: Outcome) -> None:
    if not outcome.changed:
        click.echo(f"{outcome.unit_kerja}: unchanged; {outcome.folder} already holds these "
                   "documents (same data, template and ikidoc version)")
        return
    click.echo(f"{outcome.unit_kerja}: wrote {len(outcome.documents)} documents to "
               f"{outcome.folder} (template {outcome.template})")
    width = max([7] + [len(d.jabatan or "") for d in outcome.documents])
    click.echo(f"  {'Jabatan':<{width}}  {'Indikator':>9}  File")
    for document in outcome.documents:
        label = document.jabatan or "(all positions)"
        click.echo(f"  {label:<{width}}  {document.indikator:>9}  {document.file}")


@cli.command("validate")
@click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path))
@template_option
def validate_command(data: tuple[Path, ...], template: str | None) -> None:
    """Check DATA files or folders without writing anything."""
    paths = list(data)
    sources = load_paths(paths)
    templates.resolve(template, local_template_roots(paths))
    for source in sources:
        click.echo(f"ok: {len(source.unit.jabatan)} positions, {source.unit.indikator_count} "
                   f"indicators ({source.path})")

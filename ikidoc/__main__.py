"""``python -m ikidoc``: the same command line as ``ikidoc``."""
from ikidoc.cli import cli

cli(prog_name="ikidoc")

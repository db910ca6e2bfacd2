"""Where ikidoc reads and writes when it is not told: every default folder and name, once.

The command line, the page and the library take these as their defaults, so that
``ikidoc generate``, ``ikidoc serve`` and ``ikidoc.generate(...)`` agree on them.
"""
from __future__ import annotations

from pathlib import Path

OUTPUT = Path("output")  # the archive that generate writes and archive list/verify read
DATA = Path("data")  # the data files that generate reads when given none
TEMPLATES = Path("templates")  # local templates, here or beside the data; made by `templates new`
TEMPLATE = "iki"  # the template used when none is named

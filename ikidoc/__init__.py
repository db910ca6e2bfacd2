"""ikidoc: the official Indikator Kinerja Individu (IKI) of every position of a unit,
generated as Word documents from one data file."""
from __future__ import annotations

__version__ = "0.1.0"

from ikidoc.errors import (  # noqa: E402
    ArchiveError,
    DataError,
    IkidocError,
    PdfError,
    Problem,
    TemplateError,
    VerifyError,
)
from ikidoc.generate import Outcome, generate  # noqa: E402
from ikidoc.load import Source, load_file, load_paths  # noqa: E402
from ikidoc.model import (  # noqa: E402
    Indikator,
    Jabatan,
    Pemangku,
    Penandatangan,
    Sasaran,
    UnitKerja,
)
from ikidoc.render import CompiledTemplate  # noqa: E402
from ikidoc.templates import Template, available, resolve  # noqa: E402

__all__ = [
    "ArchiveError", "CompiledTemplate", "DataError", "IkidocError", "Indikator", "Jabatan",
    "Outcome", "PdfError", "Pemangku", "Penandatangan", "Problem", "Sasaran", "Source", "Template",
    "TemplateError", "UnitKerja", "VerifyError", "__version__", "available", "generate",
    "load_file", "load_paths", "resolve",
]

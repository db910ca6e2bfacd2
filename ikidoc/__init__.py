"""ikidoc: the official Indikator Kinerja Individu (IKI) of every position of a unit,
generated as Word documents from one data file."""
from __future__ import annotations

__version__ = "0.1.0"

from ikidoc.errors import (  # noqa: E402
    ArchiveError,
    DataError,
    IkidocError,
    OutputError,
    PdfError,
    Problem,
    TemplateCheckError,
    TemplateError,
    VerifyError,
)
from ikidoc.generate import Outcome, generate, validate  # noqa: E402
from ikidoc.importers import import_file  # noqa: E402
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
from ikidoc.template_check import check as check_template  # noqa: E402
from ikidoc.templates import Template, available, resolve  # noqa: E402

__all__ = [
    "ArchiveError", "CompiledTemplate", "DataError", "IkidocError", "Indikator", "Jabatan",
    "Outcome", "OutputError", "PdfError", "Pemangku", "Penandatangan", "Problem", "Sasaran",
    "Source", "Template", "TemplateCheckError", "TemplateError", "UnitKerja", "VerifyError",
    "__version__", "available", "check_template", "generate", "import_file", "load_file",
    "load_paths", "resolve", "validate",
]

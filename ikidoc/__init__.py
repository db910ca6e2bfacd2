"""ikidoc: the official Indikator Kinerja Individu (IKI) of every position of a unit,
generated as Word documents from one data file."""
from __future__ import annotations

__version__ = "0.1.0"

from ikidoc.errors import (
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
from ikidoc.generate import Outcome, generate, validate
from ikidoc.importers import import_file
from ikidoc.load import Source, load_file, load_paths
from ikidoc.model import (
    Indikator,
    Jabatan,
    Pemangku,
    Penandatangan,
    Sasaran,
    UnitKerja,
)
from ikidoc.render import CompiledTemplate
from ikidoc.template_check import check as check_template
from ikidoc.templates import Template, available, resolve

__all__ = [
    "ArchiveError", "CompiledTemplate", "DataError", "IkidocError", "Indikator", "Jabatan",
    "Outcome", "OutputError", "PdfError", "Pemangku", "Penandatangan", "Problem", "Sasaran",
    "Source", "Template", "TemplateCheckError", "TemplateError", "UnitKerja", "VerifyError",
    "__version__", "available", "check_template", "generate", "import_file", "load_file",
    "load_paths", "resolve", "validate",
]

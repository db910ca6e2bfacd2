"""Where the bundled sample data lives: the repo's data/ folder, which a wheel ships
inside the package as ikidoc/contoh/ (as it ships templates/ as ikidoc/templates/)."""
from __future__ import annotations

from pathlib import Path


def sample_folder() -> Path:
    """The folder of the bundled sample unit(s)."""
    package = Path(__file__).resolve().parent
    installed = package / "contoh"
    return installed if installed.is_dir() else package.parent / "data"


def sample_paths() -> list[Path]:
    """The bundled sample data files, for trial renders when the user names none."""
    return sorted(p for p in sample_folder().glob("*.yaml"))

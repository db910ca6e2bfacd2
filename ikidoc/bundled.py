"""What ships with ikidoc: the bundled templates and the sample unit.

In the repository they are the top-level ``templates/`` and ``data/`` folders; a wheel
ships them inside the package as ``ikidoc/bundled_templates/`` and ``ikidoc/bundled_data/``,
names that clash with no module (``ikidoc.templates`` is the module that finds templates).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def _shipped(package_folder: str, repo_folder: str) -> Path:
    """The installed copy when the package has one, else the repository's own folder (a
    source checkout or an editable install, which maps no package data into ikidoc/)."""
    installed = resources.files("ikidoc") / package_folder
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return _REPO / repo_folder


def templates_folder() -> Path:
    """The folder holding one folder per bundled template."""
    return _shipped("bundled_templates", "templates")


def sample_folder() -> Path:
    """The folder of the bundled sample unit(s)."""
    return _shipped("bundled_data", "data")


def sample_paths() -> list[Path]:
    """The bundled sample data files, for trial renders when the user names none."""
    return sorted(sample_folder().glob("*.yaml"))

"""Helpers of the import tests: import a source and read the result back, or collect the
problems of an import that must fail and write nothing."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO, tree_snapshot

from ikidoc import DataError, UnitKerja, load_file
from ikidoc.importers import import_file


def imported(source: Path, **fields: Any) -> UnitKerja:
    """Import source to a YAML file beside it and read that file back as ikidoc validate would."""
    target = source.parent / "imported" / f"{source.stem}.yaml"
    import_file(source, target, fields=fields)
    return load_file(target).unit


def problems_of(source: Path, **fields: Any) -> list[str]:
    """The problem lines of an import that must fail, after checking it wrote nothing."""
    before = tree_snapshot(source.parent)
    with pytest.raises(DataError) as caught:
        import_file(source, source.parent / "unit.yaml", fields=fields)
    assert tree_snapshot(source.parent) == before
    return [str(problem) for problem in caught.value.problems]


def import_layouts() -> ModuleType:
    """tools/import_layouts.py: the builder of Word documents in the layouts the import
    reads, which also draws their pictures for the README."""
    name = "import_layouts"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]

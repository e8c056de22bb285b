"""The library's public surface (decision 078): what the package exports, what its modules may
import, and the tooling kept outside it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import tandem.residency.scheduling as library
from tandem.residency.scheduling.tests.factories import example_instance
from tandem.residency.scheduling.tools import baselines

PACKAGE = Path(library.__file__).resolve().parent
RESIDENCY = PACKAGE.parent


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _library_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.glob("*.py"))


def test_library_modules_never_import_pulp_or_django() -> None:
    assert len(_library_modules()) > 15
    for path in _library_modules():
        roots = {name.split(".")[0] for name in _imports(path)}
        assert not roots & {"pulp", "django"}, path.name


def test_library_modules_never_import_the_tooling() -> None:
    for path in _library_modules():
        if path.name == "__main__.py":  # the command line's entry point, by design
            continue
        tooling = {n for n in _imports(path) if n.startswith("tandem.residency.scheduling.tools")}
        assert not tooling, path.name


def test_only_the_tooling_imports_pulp() -> None:
    importers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "pulp" in {name.split(".")[0] for name in _imports(path)}
    }
    assert importers == {"tools/baselines.py"}


def test_the_django_layer_imports_only_the_package_surface() -> None:
    layer = [
        p
        for p in RESIDENCY.rglob("*.py")
        if PACKAGE not in p.parents and "tests" not in p.relative_to(RESIDENCY).parts
    ]
    assert len(layer) > 20
    for path in layer:
        deeper = {
            name
            for name in _imports(path)
            if name.startswith("tandem.residency.scheduling.")
            and name.removeprefix("tandem.residency.scheduling.") not in library.__all__
        }
        assert not deeper, (path.name, deeper)


def test_the_surface_exports_what_it_lists() -> None:
    for name in library.__all__:
        assert getattr(library, name) is not None, name
    instance = library.parse_instance(example_instance())
    assert library.parse_instance(library.instance_to_dict(instance)) == instance
    rows = {r.id: (None,) * instance.blocks for r in instance.residents}
    report = library.check_rows(instance, rows)
    assert not report.ok  # nobody works: the program's requirements are broken
    assert report.objective is not None


def test_the_mip_baseline_says_what_to_install_without_pulp(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pulp", None)  # import pulp now raises ImportError
    assert not baselines.pulp_available()
    instance = library.parse_instance(example_instance())
    with pytest.raises(baselines.BaselineUnavailable, match="pip install pulp"):
        baselines.mip_schedule(instance, 1.0)
    # The greedy baseline needs nothing more.
    assert baselines.greedy_schedule(instance).assignments is not None

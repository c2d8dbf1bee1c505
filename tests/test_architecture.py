"""The domain modules stay free of the CLI: no Typer, no Rich, so they are usable and
testable without it (the house style's first rule)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mlpath"
DOMAIN = (
    "catalog",
    "catalog_cache",
    "db",
    "details",
    "errors",
    "export_file",
    "failures",
    "files",
    "journey",
    "models",
    "path",
    "paths",
    "schema",
    "search",
    "store",
    "store_files",
    "timefmt",
    "transfer",
    "validate",
    "workspace",
)


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_imports_neither_typer_nor_rich(module: str) -> None:
    assert imported_roots(PACKAGE / f"{module}.py").isdisjoint({"typer", "rich", "click"})


def test_every_module_is_classified() -> None:
    cli_side = {"__init__", "__main__", "app", "cli", "cliutil", "render", "render_journey"}
    output = {"text", "views"}
    found = {p.stem for p in PACKAGE.glob("*.py")}
    assert found == set(DOMAIN) | cli_side | output

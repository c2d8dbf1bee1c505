"""The shape of the code: domain modules free of the CLI and the output layer, no import
circles, and no heavy library on the path of a normal run.

The house style's first rule: a library with a thin CLI on top, so the domain is usable
and testable without it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mlpath"
DOMAIN = (
    "activity_memo",
    "browser",
    "bundled_paths",
    "catalog",
    "catalog_cache",
    "catalog_quick",
    "catalog_stream",
    "catalog_tables",
    "counts",
    "dates",
    "db",
    "details",
    "doctor",
    "errors",
    "import_file",
    "import_quick",
    "import_bulk",
    "import_memo",
    "import_stream",
    "json_errors",
    "json_layout",
    "importing",
    "kept_file",
    "export_format",
    "exporting",
    "failures",
    "files",
    "goal",
    "held_files",
    "history_since",
    "i18n",
    "language",
    "links",
    "listing",
    "marking",
    "message_catalog",
    "models",
    "next_steps",
    "os_errors",
    "own",
    "own_overlay",
    "part_status",
    "paths",
    "plan",
    "plan_kept",
    "plan_table",
    "progress",
    "record",
    "results",
    "schema",
    "search",
    "search_bits",
    "search_index",
    "search_top",
    "section_counts",
    "sqlite_errors",
    "store",
    "store_beside",
    "store_files",
    "suggest",
    "sync",
    "sync_log",
    "sync_state",
    "text_rules",
    "timefmt",
    "validate",
    "workspace",
)
FRONT = (
    "__init__",
    "__main__",
    "answer_cache",
    "argv",
    "cli",
    "completion",
    "completion_quick",
    "context",
    "definition",
    "execute",
    "help_cache",
    "typer_app",
)
UI_LIBRARIES = {"typer", "rich", "click", "textual"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, at the top or inside a function (lazily)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.JoinedStr)
        ):
            # `__import__(f"mlpath.commands.{name}")`: the package it reaches into.
            head = node.args[0].values[0]
            if isinstance(head, ast.Constant):
                found.add(str(head.value).rstrip("."))
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in imports_of(path) if m in files and m != name}
        for name, path in files.items()
    }


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_modules_import_no_ui_library_and_no_output_layer(module: str) -> None:
    found = imports_of(PACKAGE / f"{module}.py")
    assert not {m.split(".")[0] for m in found} & UI_LIBRARIES
    assert not [m for m in found if m.startswith(("mlpath.output", "mlpath.commands"))]
    assert not found & {f"mlpath.{name}" for name in FRONT}


def test_every_module_is_classified() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == set(DOMAIN) | set(FRONT)
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == {"commands", "output", "share", "ui"}


def test_the_share_page_data_is_domain_code() -> None:
    """What the shared page shows is gathered without a template engine or a terminal."""
    found = imports_of(PACKAGE / "share" / "page.py")
    assert not {m.split(".")[0] for m in found} & (UI_LIBRARIES | {"jinja2", "markupsafe"})
    assert not [m for m in found if m.startswith(("mlpath.output", "mlpath.commands"))]
    assert not found & {f"mlpath.{name}" for name in FRONT}


def test_the_share_package_imports_no_command_and_no_front_end() -> None:
    for path in (PACKAGE / "share").glob("*.py"):
        found = imports_of(path)
        assert not {m.split(".")[0] for m in found} & UI_LIBRARIES, path
        assert not [m for m in found if m.startswith("mlpath.commands")], path
        assert not found & {f"mlpath.{name}" for name in FRONT}, path


def test_the_output_layer_imports_no_command_and_no_front_end() -> None:
    for path in (PACKAGE / "output").glob("*.py"):
        found = imports_of(path)
        assert not [m for m in found if m.startswith("mlpath.commands")], path
        assert not found & {f"mlpath.{name}" for name in FRONT}, path


def test_only_the_ui_package_imports_textual() -> None:
    """Textual costs more than most answers: only `mlpath ui` may load it."""
    for path in PACKAGE.rglob("*.py"):
        found = {m.split(".")[0] for m in imports_of(path)}
        if "textual" in found:
            assert path.parent.name == "ui", path
    # And the command reaches it lazily, from inside its `run`.
    command = (PACKAGE / "commands" / "ui.py").read_text(encoding="utf-8")
    top = [line for line in command.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in top if "mlpath.ui.app" in line or "textual" in line]


def find_circle(edges: dict[str, set[str]]) -> list[str] | None:
    """A chain of imports that comes back to where it started, if there is one."""
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> list[str] | None:
        if name in trail:
            return [*trail[trail.index(name) :], name]
        if name in done:
            return None
        for target in sorted(edges.get(name, ())):
            if target.startswith(name + "."):
                continue  # a package importing its own submodule
            found = visit(target, [*trail, name])
            if found:
                return found
        done.add(name)
        return None

    for name in sorted(edges):
        found = visit(name, [])
        if found:
            return found
    return None


def test_no_import_circles() -> None:
    assert find_circle(graph()) is None


def test_the_circle_check_finds_a_circle() -> None:
    edges = {"m.a": {"m.b"}, "m.b": {"m.c"}, "m.c": {"m.a"}, "m": {"m.a"}}
    assert find_circle(edges) == ["m.a", "m.b", "m.c", "m.a"]
    assert find_circle({"m.a": {"m.b"}, "m.b": set()}) is None

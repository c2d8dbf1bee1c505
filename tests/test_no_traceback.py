"""No traceback, ever, for anything a user or a file can supply.

Hypothesis drives the real CLI (`mlpath.cli.run`, both front ends) with generated
command lines, catalog files and import files; whatever it makes, mlpath must answer
with an exit code (0, 1, or 2 for usage) and at most one-line errors, never let an
exception out.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import MINI_CATALOG
from mlpath import cli
from mlpath.definition import COMMANDS
from mlpath.output.env import Environment

NAMES = [c.name for c in COMMANDS]
# Not --links: it would reach the catalog's hosts on the internet (tests/test_doctor.py
# checks it against servers on 127.0.0.1).
OPTION_NAMES = sorted(
    {n for c in COMMANDS for o in c.options for n in (*o.names, *o.off)} - {"--links"}
)
AWKWARD = [
    "",
    "-",
    "--",
    "0",
    "-1",
    "³",
    "٣",
    "1e309",
    "nan",
    "99999999999999999999",
    "0.0000001",
    "9999-12-25",
    "0001-01-01",
    "2026-02-30",
    "alpha",
    "ALP",
    "gamma",
    "books",
    "intro",
    "video",
    "done",
    "zh",
    "en",
    "\udcff",
    "\x00",
    "\x1b[31m",
    "[/x]",
    "😀",
    "中文",
    "a" * 300,
]
TOKENS = st.sampled_from([*NAMES, *OPTION_NAMES, *AWKWARD]) | st.text(max_size=12)


def run_quietly(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, stdin=io.StringIO(""))
    code = cli.run(args, env)
    return code, err.getvalue()


def check(code: int, err: str) -> None:
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("front", ["quick", "typer"])
@SETTINGS
@given(st.sampled_from(NAMES), st.lists(TOKENS, max_size=6))
@example("import", ["-"])  # reads the run's standard input, not the process's
def test_any_command_line(
    front: str,
    mini_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    rest: list[str],
) -> None:
    # `share` writes ./mlpath-page by default, `badge -o x` and `export -o x` write ./x.
    monkeypatch.chdir(mini_catalog.parent)
    if front == "typer":
        monkeypatch.setenv(cli.DISABLE_ENV, "1")
    if command == "open":
        monkeypatch.setenv("BROWSER", "true")
    if command == "sync":
        # A folder that exists (`.`, `/`) would get this test's log written into it.
        assume(not any(os.path.isdir(token) for token in rest))
    check(*run_quietly([command, *rest]))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def catalogs(draw: st.DrawFn) -> dict[str, Any]:
    catalog: dict[str, Any] = json.loads(json.dumps(MINI_CATALOG))
    # Entries to spoil, chosen before any is spoiled (a spoilt list may be a number).
    targets = [catalog, *catalog["sections"], *catalog["resources"]]
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(targets))
        key = draw(st.sampled_from([*sorted(target), "extra"]))
        target[key] = draw(JSON_VALUES)
    return catalog


@SETTINGS
@given(catalogs(), st.sampled_from([["next"], ["list"], ["show", "alpha"], ["progress"]]))
def test_any_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: dict[str, Any], args: list[str]
) -> None:
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    check(*run_quietly(args))


def test_pathological_catalog_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    big_number = json.dumps(MINI_CATALOG).replace('"minutes": 30', '"minutes": ' + "9" * 5000)
    for name, text in {
        "deep.json": deep,
        "number.json": big_number,
        "bytes.json": "\udcff",
    }.items():
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        monkeypatch.setenv("MLPATH_CATALOG", str(path))
        code, err = run_quietly(["next"])
        check(code, err)
        assert code == 1 and err.startswith("mlpath: catalog "), err


@st.composite
def import_files(draw: st.DrawFn) -> Any:
    change = {
        "uid": draw(st.sampled_from(["0" * 32, "a" * 32, "x"]) | st.text(max_size=4)),
        "at": draw(
            st.sampled_from(
                [
                    "2026-01-05T10:00:00.000000Z",
                    "0001-01-01T00:00:00.000000Z",
                    "9999-12-31T23:59:59.999999Z",
                    "garbage",
                ]
            )
        ),
        "resource": draw(st.sampled_from(["alpha", "nope", "\udcff", ""])),
        "action": draw(st.sampled_from(["status", "note", "undo", "bogus"])),
        "status": draw(st.sampled_from(["done", "todo", "weird", None])),
        "note": draw(st.none() | st.text(max_size=5) | st.just("\ud800")),
        "reverts": None,
    }
    document = {"format": "mlpath-export", "version": draw(st.integers(0, 3)), "changes": [change]}
    return draw(st.sampled_from([document, change, [document]]) | JSON_VALUES)


@SETTINGS
@given(import_files(), st.booleans())
def test_any_import_file(mini_catalog: Path, tmp_path: Path, document: Any, dry_run: bool) -> None:
    path = tmp_path / "import.json"
    path.write_bytes(json.dumps(document).encode("utf-8", "surrogatepass"))
    args = ["import", str(path), *(["--dry-run"] if dry_run else [])]
    check(*run_quietly(args))


def test_the_check_can_fail() -> None:
    """A traceback or a stray exit code is caught by `check`."""
    with pytest.raises(AssertionError):
        check(1, "Traceback (most recent call last):\n")
    with pytest.raises(AssertionError):
        check(3, "")

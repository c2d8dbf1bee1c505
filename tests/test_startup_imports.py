"""Commands that run daily load no Python module they can do without.

Each of these standard modules is Python code laid over a C extension that it then
re-exports (`datetime` over `_datetime`, `heapq` over `_heapq`, `json` over `_json`), and
importing one costs more than most commands' own work: mlpath takes what it needs from
the extension (mlpath.dates, mlpath.plan, the JSON export). A read loads no store code.
Checked in a fresh interpreter, through the quick path people's runs take.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_definition import imported_modules

PYTHON_WRAPPERS = ["datetime", "heapq", "json"]
READS_WITHOUT_STORE_CODE = ["mlpath.store"]

RUNS = [
    (["next"], PYTHON_WRAPPERS + READS_WITHOUT_STORE_CODE),
    (["next", "--short"], PYTHON_WRAPPERS + READS_WITHOUT_STORE_CODE),
    (["list", "--free"], PYTHON_WRAPPERS + READS_WITHOUT_STORE_CODE),
    (["show", "alpha"], PYTHON_WRAPPERS),
    (["progress"], PYTHON_WRAPPERS),
    (["plan", "-w", "5"], PYTHON_WRAPPERS),
    (["plan", "-w", "5", "--start", "2027-01-04"], PYTHON_WRAPPERS),
    (["export", "--format", "json"], PYTHON_WRAPPERS),
    (["export", "--format", "markdown"], PYTHON_WRAPPERS),
    (["export", "--format", "csv"], PYTHON_WRAPPERS),
    (["start", "beta"], PYTHON_WRAPPERS),
    (["done", "beta"], PYTHON_WRAPPERS),
]


# Modules that load `re` (json's decoder, html, csv, urllib.parse), or OpenSSL (hashlib),
# and contextlib (a tenth of a bare start for one decorator): mlpath's launcher loads
# none of them, so each would be a command's own cost.
RE_OR_OPENSSL = ["re", "json", "html", "csv", "urllib", "hashlib", "contextlib"]
COMMANDS_WITHOUT_RE = [
    ["list", "--json"],
    ["progress", "--json"],
    ["show", "alpha"],
    ["sections"],
    ["search", "alpha"],
    ["plan", "-w", "5"],
    ["goal"],
    ["doctor"],
    ["badge"],
    ["export", "--format", "markdown"],
    ["export", "--format", "csv"],
    ["add", "My", "notes", "--after", "alpha"],
    ["parts", "my-notes", "--split", "3"],
    ["remove", "my-notes"],
    ["history"],  # which shows the definitions just made
]


def unwanted_imports(args: list[str], unwanted: list[str], env: dict[str, str]) -> list[str]:
    code, found = imported_modules(args, env, unwanted)
    assert code == 0
    return found


@pytest.mark.parametrize(("args", "unwanted"), RUNS, ids=lambda v: " ".join(v))
def test_daily_commands_skip_pure_python_wrappers(
    args: list[str], unwanted: list[str], mini_catalog: Path, tmp_path: Path
) -> None:
    env = {
        "MLPATH_CATALOG": str(mini_catalog),
        "MLPATH_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
    }
    unwanted_imports(["done", "alpha"], [], env)  # a store, and the catalog cache built
    assert unwanted_imports(args, unwanted, env) == []


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("2027-01-04", "2027-01-04"),
        ("2027-1-4", "2027-01-04"),
        ("２０２７-01-04", "2027-01-04"),  # typed with a Chinese input method's digits
        ("27-01-04", None),
        ("2027-02-30", None),
        ("2027-13-01", None),
        ("2027-001-01", None),
        ("2027-01-04 ", None),
        ("+2027-01-04", None),
        ("2027/01/04", None),
        ("", None),
    ],
)
def test_a_date_is_read_as_strptime_read_it(raw: str, read: str | None) -> None:
    from datetime import datetime

    from mlpath import argv
    from mlpath.definition import BY_NAME
    from mlpath.errors import UnusableValue

    try:
        expected: str | None = datetime.strptime(raw, "%Y-%m-%d").date().isoformat()
    except ValueError:
        expected = None
    assert expected == read
    try:
        parsed = argv.parse(["plan", "-w", "5", "--start", raw])
    except UnusableValue:
        assert read is None
        return
    assert parsed is not None and parsed.command is BY_NAME["plan"]
    start = parsed.values.date("start")
    assert start is not None and start.isoformat() == read


def test_commands_load_nothing_that_imports_re(mini_catalog: Path, tmp_path: Path) -> None:
    env = {
        "MLPATH_CATALOG": str(mini_catalog),
        "MLPATH_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
    }
    # A store, the catalog cache and the search index built, as after a first search.
    unwanted_imports(["done", "alpha"], [], env)
    unwanted_imports(["search", "alpha"], [], env)
    exported = str(tmp_path / "export.json")
    runs = [*COMMANDS_WITHOUT_RE, ["export", "-o", exported], ["import", exported]]
    loaded = {" ".join(args): unwanted_imports(args, RE_OR_OPENSSL, env) for args in runs}
    assert loaded == {command: [] for command in loaded}


def test_an_import_that_moves_parts_loads_neither_datetime_nor_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled d2l's chapters are parts."""
    monkeypatch.delenv("MLPATH_CATALOG", raising=False)
    export = tmp_path / "export.json"
    there = {"MLPATH_HOME": str(tmp_path / "there"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args in (["done", "d2l/2"], ["export", "-o", str(export)]):
        assert unwanted_imports(args, [], there) == []
    here = {**there, "MLPATH_HOME": str(tmp_path / "here")}
    # The parts moved are named from the catalog copy; the progress report is not needed.
    found = unwanted_imports(["import", str(export)], ["datetime", "mlpath.progress"], here)
    assert found == []
    assert (tmp_path / "here" / "progress.db").exists()

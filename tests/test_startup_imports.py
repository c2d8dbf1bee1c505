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
# The SQLite extension takes functools.lru_cache as it starts (mlpath.db): functools
# would bring collections, types, operator, keyword and reprlib along.
FUNCTOOLS = ["functools", "collections", "types", "operator", "reprlib"]

RUNS = [
    (["next"], PYTHON_WRAPPERS + FUNCTOOLS + READS_WITHOUT_STORE_CODE),
    (["next", "--short"], PYTHON_WRAPPERS + FUNCTOOLS + READS_WITHOUT_STORE_CODE),
    (["list", "--free"], PYTHON_WRAPPERS + FUNCTOOLS + READS_WITHOUT_STORE_CODE),
    (["show", "alpha"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["progress"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["plan", "-w", "5"], PYTHON_WRAPPERS),
    (["plan", "-w", "5", "--start", "2027-01-04"], PYTHON_WRAPPERS),
    (["export", "--format", "json"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["export", "--format", "markdown"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["export", "--format", "csv"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["start", "beta"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["done", "beta"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["undo"], PYTHON_WRAPPERS + FUNCTOOLS),
    (["sections"], PYTHON_WRAPPERS + FUNCTOOLS),
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
    # The parts moved are named from the catalog copy; the progress report is not needed;
    # a file this small is read whole, without the streaming reader or its memo.
    unwanted = ["datetime", "mlpath.progress", "mlpath.import_stream", "mlpath.import_memo"]
    found = unwanted_imports(["import", str(export)], unwanted, here)
    assert found == []
    assert (tmp_path / "here" / "progress.db").exists()


def test_the_extension_caches_statements_and_functools_stays_whole() -> None:
    """The stand-in lives only while the extension imports: a later `import functools`
    is the real module, and connections prepare statements as often as they do when
    the extension took the real `functools.lru_cache` (the authorizer runs as a
    statement is prepared)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "if sys.argv[1] == 'real':\n"
        "    import functools\n"
        "from mlpath.db import sqlite3\n"
        "stand_in = 'functools' not in sys.modules\n"
        "con = sqlite3.connect(':memory:')\n"
        "con.execute('CREATE TABLE t (x)')\n"
        "seen = []\n"
        "con.set_authorizer(lambda *a: seen.append(a) or 0)\n"
        "for n in range(5):\n"
        "    con.execute('INSERT INTO t VALUES (?)', (n,))\n"
        "calls = len(seen)\n"
        "import functools\n"
        "print(stand_in, calls, hasattr(functools, 'reduce'))\n"
    )

    def run(how: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, how],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.split()

    stand_in, real = run("stand-in"), run("real")
    assert stand_in[0] == "True" and real[0] == "False"
    assert stand_in[1] == real[1]
    assert int(real[1]) < 5  # five inserts, prepared fewer times: the cache at work
    assert stand_in[2] == real[2] == "True"

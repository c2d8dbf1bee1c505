"""`mlpath doctor`: what it finds in the store, the cache and the catalog, what it tells the
user to do, its exit code, and that it writes nothing; with --links, against servers
these tests start on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_CATALOG, Run, payload
from mlpath import cli, store
from mlpath.output.env import Environment
from test_zh_every_command import ALLOWED, english_words


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under `root`: size, modification time and content."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_catalog(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def doctor_json(run: Run, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("doctor", "--json", *args)
    return result.exit_code, payload(result.stdout, "doctor")


def levels(report: dict[str, Any], area: str) -> list[str]:
    return [f["level"] for f in report["findings"] if f["area"] == area]


# --- all is well, and nothing is written -------------------------------------------


def test_a_fresh_install_is_well_and_doctor_creates_nothing(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    before = snapshot(tmp_path)
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert "no progress store yet" in result.stdout
    assert "no catalog cache yet" in result.stdout
    assert f"catalog {mini_catalog} (from MLPATH_CATALOG): valid, 3 sections, 5 resources" in (
        result.stdout
    )
    assert result.stdout.rstrip().endswith("All is well.")
    assert snapshot(tmp_path) == before  # no store, no cache, no directory made
    assert not (tmp_path / "home").exists() and not (tmp_path / "cache").exists()


def test_a_used_store_is_checked_and_left_byte_for_byte(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("done", "alpha").exit_code == 0
    assert run("note", "beta", "later").exit_code == 0
    before = snapshot(tmp_path)
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert f"progress store {tmp_path / 'home' / 'progress.db'}: intact, 2 changes" in (
        result.stdout
    )
    assert "fresh, intact" in result.stdout
    # Not even SQLite's -wal and -shm files appear beside the store.
    assert snapshot(tmp_path) == before


def test_the_bundled_catalog_is_named_as_such(run: Run) -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert "✔ the bundled catalog " in result.stdout


def test_json_reports_every_finding_for_scripts(run: Run, mini_catalog: Path) -> None:
    code, report = doctor_json(run)
    assert code == 0
    assert report["healthy"] is True
    assert report["links"] is None
    assert [f["area"] for f in report["findings"]] == ["store", "cache", "catalog"]
    assert {f["level"] for f in report["findings"]} == {"ok"}


def test_the_installed_command_exits_0_when_well_and_1_when_not(
    mini_catalog: Path, tmp_path: Path
) -> None:
    def doctor() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mlpath", "doctor"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    well = doctor()
    assert (well.returncode, well.stderr) == (0, "")
    assert well.stdout.endswith("All is well.\n")
    path = tmp_path / "home" / "progress.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\0" * 4096)
    broken = doctor()
    assert (broken.returncode, broken.stderr) == (1, "")
    assert broken.stdout.endswith("Something is wrong: 1 problem.\n")


# --- the store ---------------------------------------------------------------------


def store_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / "progress.db"


def make_store(run: Run) -> None:
    assert run("done", "alpha").exit_code == 0


def test_a_store_that_is_not_a_database_is_a_problem_with_a_way_out(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    path = store_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"these are my notes, not a database" * 10)
    result = run("doctor")
    assert result.exit_code == 1
    assert f"✘ progress store {path} cannot be used: it is not a valid database" in result.stdout
    assert f"→ move it aside to start fresh (mv {path} {path}.broken)" in result.stdout
    assert "Something is wrong: 1 problem." in result.stdout
    assert path.read_bytes() == b"these are my notes, not a database" * 10


def test_a_truncated_store_is_a_problem(run: Run, mini_catalog: Path, tmp_path: Path) -> None:
    make_store(run)
    path = store_path(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = run("doctor")
    assert result.exit_code == 1
    assert "it is truncated" in result.stdout


def test_damaged_pages_fail_the_integrity_check(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    make_store(run)
    path = store_path(tmp_path)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages >= 3
    data = bytearray(path.read_bytes())
    # Scribble over every page after the schema page: the header stays valid.
    for page in range(1, pages):
        start = page * page_size
        data[start + 8 : start + 64] = b"\xff" * 56
    path.write_bytes(bytes(data))
    before = snapshot(tmp_path / "home")
    result = run("doctor")
    assert result.exit_code == 1
    assert f"✘ progress store {path} is damaged: SQLite's integrity check says " in result.stdout
    assert f"→ move it aside to start fresh (mv {path} {path}.broken)" in result.stdout
    assert snapshot(tmp_path / "home") == before


def set_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_a_store_from_a_newer_mlpath_says_to_upgrade(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    make_store(run)
    set_version(store_path(tmp_path), store.SCHEMA_VERSION + 1)
    result = run("doctor")
    assert result.exit_code == 1
    assert (
        f"written by a newer mlpath (schema {store.SCHEMA_VERSION + 1}; this one reads up to "
        f"{store.SCHEMA_VERSION})" in result.stdout
    )
    assert "→ upgrade mlpath" in result.stdout


def test_an_older_schema_is_fine_and_is_not_upgraded_by_the_doctor(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    make_store(run)
    path = store_path(tmp_path)
    set_version(path, store.SCHEMA_VERSION - 1)
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert f"schema {store.SCHEMA_VERSION - 1} (the next mlpath command upgrades it" in (
        result.stdout
    )
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION - 1
    conn.close()


def test_history_of_resources_this_catalog_lacks_is_mentioned_not_blamed(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("done", "alpha", "gamma-book").exit_code == 0
    data = json.loads(json.dumps(MINI_CATALOG))
    data["resources"] = [r for r in data["resources"] if r["id"] not in ("alpha", "gamma-book")]
    data["resources"][0]["prerequisites"] = []
    other = write_catalog(tmp_path / "other.json", data)
    result = run("--catalog", str(other), "doctor")
    assert result.exit_code == 0, result.stdout
    assert (
        "✔ your history names 2 resources this catalog does not have (alpha, gamma-book): "
        "it is kept, and counts again with a catalog that has them"
    ) in result.stdout
    assert "does not have" not in run("doctor").stdout  # the catalog that has them


def test_a_database_of_something_else_is_a_problem(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    path = store_path(tmp_path)
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    result = run("doctor")
    assert result.exit_code == 1
    assert "is a database of something else" in result.stdout


def test_a_store_missing_its_tables_is_a_problem(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    make_store(run)
    conn = sqlite3.connect(store_path(tmp_path))
    conn.execute("DROP TABLE current")
    conn.commit()
    conn.close()
    result = run("doctor")
    assert result.exit_code == 1
    assert "lacks its table current" in result.stdout


def test_changes_still_in_the_write_ahead_log_are_counted(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    make_store(run)
    writer = store.open_store(store_path(tmp_path), create=False)
    assert writer is not None
    try:
        writer.conn.execute("PRAGMA wal_autocheckpoint = 0")
        writer.set_status(["beta", "delta"], "done")
        assert os.path.getsize(f"{store_path(tmp_path)}-wal") > 0
        result = run("doctor")
    finally:
        writer.close()
    assert result.exit_code == 0, result.stdout
    assert "intact, 3 changes" in result.stdout


def deny_writes_under(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """As if `root` were read-only for this user (these tests may run as root)."""
    real = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(path).resolve().is_relative_to(root.resolve()):
            return False
        return real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_a_read_only_data_directory_is_a_problem_before_the_first_change(
    run: Run, mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny_writes_under(monkeypatch, tmp_path)
    result = run("doctor")
    assert result.exit_code == 1
    assert (
        f"✘ progress store {store_path(tmp_path)} cannot be written ({tmp_path} is read-only "
        "for you): changes will fail"
    ) in result.stdout
    assert "→ fix the permissions, or set MLPATH_HOME to a writable directory" in result.stdout


def test_a_read_only_cache_directory_is_a_warning_about_speed(
    run: Run, mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("list").exit_code == 0
    deny_writes_under(monkeypatch, tmp_path / "cache")
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert f"! the catalog cache cannot be written ({tmp_path / 'cache'} is read-only" in (
        result.stdout
    )
    assert "→ set MLPATH_CACHE_DIR to a writable directory" in result.stdout


# --- the cache and the catalog -----------------------------------------------------


def test_a_catalog_that_changed_is_validated_again_without_touching_the_cache(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("list").exit_code == 0  # builds the cache
    data = json.loads(json.dumps(MINI_CATALOG))
    data["resources"][0]["title"] = "Alpha, retitled"
    write_catalog(mini_catalog, data)
    before = snapshot(tmp_path / "cache")
    code, report = doctor_json(run)
    assert code == 0
    cache = [f for f in report["findings"] if f["area"] == "cache"][0]
    assert (
        "is older than the catalog: the next command validates the catalog again"
        in (cache["message"])
    )
    assert levels(report, "catalog") == ["ok"]
    assert snapshot(tmp_path / "cache") == before


def test_a_damaged_cache_is_a_warning_that_mends_itself(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("list").exit_code == 0
    (cache_file,) = (tmp_path / "cache").glob("catalog-*.sqlite3")
    cache_file.write_bytes(b"garbage" * 100)
    result = run("doctor")
    assert result.exit_code == 0, result.stdout  # the next command rebuilds it
    assert f"! catalog cache {cache_file} cannot be read" in result.stdout
    assert "the next command builds it again" in result.stdout
    assert cache_file.read_bytes() == b"garbage" * 100
    assert run("list").exit_code == 0
    assert "fresh, intact" in run("doctor").stdout


def test_an_invalid_catalog_is_a_problem_that_lists_what_is_wrong(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    data = json.loads(json.dumps(MINI_CATALOG))
    data["resources"][1]["prerequisites"] = ["nobody"]
    data["resources"][2]["cost"] = "cheap"
    write_catalog(mini_catalog, data)
    result = run("doctor")
    assert result.exit_code == 1
    assert f"✘ catalog {mini_catalog} has 2 problems:" in result.stdout
    assert "'nobody'" in result.stdout and "cost" in result.stdout
    assert "→ fix the file, then run `mlpath doctor` again" in result.stdout
    assert not (tmp_path / "cache").exists()  # validated in memory only


def test_links_are_not_checked_when_the_catalog_cannot_be_read(
    run: Run, mini_catalog: Path
) -> None:
    mini_catalog.write_text("{ not json", encoding="utf-8")
    result = run("doctor", "--links")
    assert result.exit_code == 1
    assert "Links not checked: the catalog cannot be read (see above)." in result.stdout


def test_a_catalog_that_is_not_json_is_a_problem(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    mini_catalog.write_text("{ not json", encoding="utf-8")
    code, report = doctor_json(run)
    assert code == 1
    assert report["healthy"] is False
    (catalog,) = [f for f in report["findings"] if f["area"] == "catalog"]
    assert catalog["level"] == "problem"
    assert "is not valid JSON" in catalog["message"]


def test_a_missing_catalog_says_which_setting_named_it(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = run("--catalog", str(missing), "doctor")
    assert result.exit_code == 1
    assert f"✘ catalog {missing} (from --catalog) does not exist" in result.stdout
    assert "→ check the file name given to --catalog" in result.stdout


# --- links -------------------------------------------------------------------------


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.count = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Server
    ROUTES = {"/gone": 404, "/old": 301, "/slow": 200, "/forbidden": 403}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        with self.server.lock:
            self.server.count += 1
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(2)
        self.send_response(self.ROUTES.get(path, 200))
        if path == "/old":
            self.send_header("Location", "/new")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def linked_catalog(path: Path, urls: dict[str, str | None], parts: Any = None) -> Path:
    data = json.loads(json.dumps(MINI_CATALOG))
    for resource in data["resources"]:
        # Every other address is dropped: tests never reach out to the internet.
        resource["url"] = urls.get(resource["id"])
    if parts:
        data["resources"][0]["parts"] = parts
    return write_catalog(path, data)


def test_links_reports_dead_and_moved_with_what_to_do(
    run: Run, mini_catalog: Path, server: Server
) -> None:
    base = server.base
    linked_catalog(
        mini_catalog,
        {"alpha": base + "/ok", "gamma-book": base + "/gone", "gamma-course": base + "/old"},
        parts=[
            {"id": "one", "title": "One", "minutes": 10, "url": base + "/gone"},
            {"id": "two", "title": "Two", "minutes": 20, "url": base + "/part"},
        ],
    )
    result = run("doctor", "--links")
    assert result.exit_code == 1, result.stdout
    out = result.stdout
    assert "Links: 4 addresses checked" in out
    assert "2 ok · 1 moved · 1 dead" in out
    assert "Dead (1) — gone: find a new address, or try the web archive:" in out
    # One address used in two places is checked once and names both.
    assert f"  alpha/1, gamma-book: {base}/gone" in out
    assert f"    try the web archive: https://web.archive.org/web/{base}/gone" in out
    assert f"    now at {base}/new (301 Moved Permanently)" in out
    assert "Something is wrong: 1 dead link." in out
    assert server.count == 5  # 4 addresses, and the one redirect's end


def test_links_json_is_for_ci_and_the_cache_spares_a_second_run(
    run: Run, mini_catalog: Path, server: Server, tmp_path: Path
) -> None:
    base = server.base
    linked_catalog(mini_catalog, {"alpha": base + "/ok", "gamma-book": base + "/old"})
    code, report = doctor_json(run, "--links")
    assert code == 0  # a moved link still works
    links = report["links"]
    assert links["offline"] is False
    assert links["counts"]["moved"] == 1
    by_url = {entry["url"]: entry for entry in links["links"]}
    assert by_url[base + "/old"]["final_url"] == base + "/new"
    assert by_url[base + "/old"]["redirects"] == [{"status": 301, "location": base + "/new"}]
    assert by_url[base + "/old"]["used_by"] == ["gamma-book"]
    assert (tmp_path / "cache" / "links.json").exists()
    asked = server.count
    code, again = doctor_json(run, "--links")
    assert again["links"]["from_cache"] == again["links"]["checked"]
    assert server.count == asked  # nothing asked again within the day
    code, fresh = doctor_json(run, "--links", "--fresh")
    assert fresh["links"]["from_cache"] == 0
    assert server.count > asked


def test_a_timed_out_link_is_checked_again_next_time(
    run: Run, mini_catalog: Path, server: Server
) -> None:
    linked_catalog(mini_catalog, {"alpha": server.base + "/slow"})
    started = time.monotonic()
    result = run("doctor", "--links", "--timeout", "0.3")
    assert time.monotonic() - started < 1.9
    assert "Timed out (1) — no answer in time: checked again next time:" in result.stdout
    assert "    no answer in 0.3 s" in result.stdout
    assert result.exit_code == 0  # not dead: perhaps only slow today
    asked = server.count
    run("doctor", "--links", "--timeout", "0.3")
    assert server.count == asked + 1


def test_a_timeout_that_is_not_a_number_is_refused(run: Run, mini_catalog: Path) -> None:
    linked_catalog(mini_catalog, {})
    result = run("doctor", "--links", "--timeout", "nan")
    # Click refuses it on the Typer path; the quick parser lets NaN through to the command.
    assert result.exit_code == 2
    assert "--timeout" in result.stderr


def test_offline_is_one_line_not_a_list_of_failures(run: Run, mini_catalog: Path) -> None:
    linked_catalog(
        mini_catalog,
        {
            "alpha": "https://one.invalid/",
            "gamma-book": "https://two.invalid/a",
            "gamma-course": "https://three.invalid/b",
        },
    )
    result = run("doctor", "--links")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "invalid" in line or "✘" in line]
    assert lines == [
        "✘ Links not checked: none of 3 hosts could be reached (no name resolved, no "
        "connection was made). This machine seems to be offline; try again when it is "
        "connected."
    ]
    assert "Dead" not in result.stdout
    code, report = doctor_json(run, "--links")
    assert report["links"]["offline"] is True
    assert report["links"]["links"] == []


def test_a_name_that_does_not_resolve_beside_a_live_link_is_dead(
    run: Run, mini_catalog: Path, server: Server
) -> None:
    linked_catalog(
        mini_catalog, {"alpha": server.base + "/ok", "gamma-book": "https://gone.invalid/"}
    )
    code, report = doctor_json(run, "--links")
    assert code == 1
    (dead,) = [e for e in report["links"]["links"] if e["state"] == "dead"]
    assert dead["url"] == "https://gone.invalid/"
    # For scripts: why, as a key and its facts, the same in every language.
    assert (dead["reason"], dead["facts"]) == ("name_unknown", {"host": "gone.invalid"})
    assert dead["archive_url"] == "https://web.archive.org/web/https://gone.invalid/"


def link_details(stdout: str) -> list[str]:
    """What `doctor --links` says under each address (indented four)."""
    return [line for line in stdout.splitlines() if line.startswith("    ")]


def test_results_cached_in_one_language_are_read_in_the_other(
    run: Run, mini_catalog: Path, server: Server
) -> None:
    base = server.base
    linked_catalog(
        mini_catalog,
        {
            "alpha": base + "/forbidden",
            "gamma-book": base + "/gone",
            "gamma-course": base + "/old",
            "delta": "https://gone.invalid/",
        },
    )
    english = link_details(run("doctor", "--links").stdout)
    assert english == [
        "    404 Not Found",
        f"    try the web archive: https://web.archive.org/web/{base}/gone",
        "    the name gone.invalid does not resolve",
        "    try the web archive: https://web.archive.org/web/https://gone.invalid/",
        f"    now at {base}/new (301 Moved Permanently)",
        "    403 Forbidden",
    ]
    asked = server.count
    shown = run("--lang", "zh", "doctor", "--links")
    assert server.count == asked  # every result was read from the cache
    chinese = link_details(shown.stdout)
    assert chinese == [
        "    404 未找到",
        f"    试试网页存档：https://web.archive.org/web/{base}/gone",
        "    域名 gone.invalid 无法解析",
        "    试试网页存档：https://web.archive.org/web/https://gone.invalid/",
        f"    现在在 {base}/new（301 永久移动）",
        "    403 禁止访问",
    ]
    # The catalog's ids, and the host the learner's catalog names, are data.
    data = (*(r["id"] for r in MINI_CATALOG["resources"]), "gone.invalid")
    assert english_words(shown.stdout, set(ALLOWED), data) == set(), shown.stdout
    # And the other way round: checked in Chinese, read from the cache in English.
    assert link_details(run("--lang", "zh", "doctor", "--links", "--fresh").stdout) == chinese
    asked = server.count
    assert link_details(run("doctor", "--links").stdout) == english
    assert server.count == asked


def test_a_cache_from_before_reasons_is_checked_again(
    run: Run, mini_catalog: Path, server: Server, tmp_path: Path
) -> None:
    """A links.json of format 1 held English sentences: it is read as no cache."""
    url = server.base + "/gone"
    linked_catalog(mini_catalog, {"gamma-book": url})
    (tmp_path / "cache").mkdir(exist_ok=True)
    entry = {"url": url, "state": "dead", "status": 404, "detail": "404 Not Found"}
    old = {"format": 1, "results": [{**entry, "redirects": [], "checked_at": time.time()}]}
    (tmp_path / "cache" / "links.json").write_text(json.dumps(old), encoding="utf-8")
    code, report = doctor_json(run, "--links")
    assert report["links"]["from_cache"] == 0
    assert server.count == 1
    (checked,) = report["links"]["links"]
    assert (checked["state"], checked["reason"], checked["facts"]) == ("dead", "http", {})
    saved = json.loads((tmp_path / "cache" / "links.json").read_text(encoding="utf-8"))
    assert saved["format"] == 2


def test_a_thousand_links_finish_well_within_bounds(
    run: Run, tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(json.dumps(MINI_CATALOG))
    template = data["resources"][0]
    data["sections"] = data["sections"][:1]
    data["resources"] = [
        {**template, "id": f"r{i}", "url": f"{server.base}/page{i}", "title_zh": None}
        for i in range(1000)
    ]
    path = write_catalog(tmp_path / "big.json", data)
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    started = time.monotonic()
    code, report = doctor_json(run, "--links")
    elapsed = time.monotonic() - started
    assert code == 0, report["findings"]
    assert report["links"]["counts"]["ok"] == 1000
    assert server.count == 1000
    assert elapsed < 30, elapsed


def terminal_env(master: int, slave: int) -> tuple[Environment, Any]:
    stderr = open(slave, "w", encoding="utf-8", closefd=False)
    return Environment(stdout=io.StringIO(), stderr=stderr, stdout_is_terminal=True), stderr


def read_all(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def test_at_a_terminal_a_progress_bar_counts_the_links_on_stderr(
    mini_catalog: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    linked_catalog(mini_catalog, {"alpha": server.base + "/ok", "delta": server.base + "/b"})
    monkeypatch.setenv("TERM", "xterm")
    master, slave = pty.openpty()
    try:
        env, stderr = terminal_env(master, slave)
        code = cli.run(["doctor", "--links"], env)
        stderr.flush()
        shown = read_all(master)
        assert code == 0
        assert "Checking links" in shown
        assert "2/2" in shown
        # With --json (or stdout in a pipe) no bar, even with stderr at a terminal.
        env, stderr = terminal_env(master, slave)
        cli.run(["doctor", "--links", "--json", "--fresh"], env)
        env = Environment(stdout=env.stdout, stderr=stderr, stdout_is_terminal=False)
        cli.run(["doctor", "--links", "--fresh"], env)
        stderr.flush()
        assert read_all(master) == ""
    finally:
        os.close(slave)
        os.close(master)

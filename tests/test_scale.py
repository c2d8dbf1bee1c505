"""Big catalogs and long histories cost what is left to show, not what lies behind.

Counted, not timed (see tests/test_history_length.py): objects built and SQLite rows
or steps, which are the same on any machine.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any, TextIO, cast

import pytest

from conftest import Run, payload
from mlpath import catalog as catalog_mod
from mlpath import plan
from mlpath.catalog import load_catalog, parts_by_resource
from mlpath.store import open_store
from mlpath.workspace import Workspace


def big_catalog(path: Path, resources: int, parts: int = 0) -> list[str]:
    """A generated catalog of `resources` in 4 sections (some with prerequisites, a pair
    of alternatives, some paid, some optional), each with `parts` parts; its ids."""
    ids = [f"res-{i:05d}" for i in range(resources)]
    entries: list[dict[str, Any]] = []
    for i, rid in enumerate(ids):
        entry: dict[str, Any] = {
            "id": rid,
            "title": f"Topic {i}",
            "section": f"s{i * 4 // resources}",
            "url": f"https://example.org/{rid}",
            "kind": "video",
            "cost": "paid" if i % 7 == 3 else "free",
            "optional": i % 11 == 5,
            "minutes": 30 + i % 90,
            "prerequisites": [ids[i - 3]] if i >= 3 and i % 5 == 0 else [],
            "description": f"Resource {i}.",
            "tags": [],
        }
        if parts:
            entry["minutes"] = 10 * parts
            entry["parts"] = [
                {"id": f"p{j}", "title": f"Part {j}", "minutes": 10} for j in range(1, parts + 1)
            ]
        entries.append(entry)
    entries[1]["alternatives"] = [ids[2]]
    entries[2]["alternatives"] = [ids[1]]
    catalog = {
        "schema_version": 1,
        "source": {"title": "Generated", "author": "tests", "url": "https://example.org/"},
        "sections": [
            {"id": f"s{s}", "title": f"Section {s}", "summary": "Generated."} for s in range(4)
        ],
        "resources": entries,
    }
    path.write_text(json.dumps(catalog), encoding="utf-8")
    return ids


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    ids = big_catalog(tmp_path / "big.json", 300)
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "big.json"))
    return ids


def mark(ids: list[str], status: str = "done") -> None:
    store = open_store(Workspace(catalog_mod.catalog_path()).store_path, create=True)
    assert store is not None
    store.set_status(ids, status)
    store.close()


def counting_resources(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the Resource objects built from cache rows."""
    built = [0]
    real = catalog_mod.resource_from_row

    def counted(row: Any) -> catalog_mod.Resource:
        built[0] += 1
        return real(row)

    monkeypatch.setattr(catalog_mod, "resource_from_row", counted)
    return built


def test_plan_builds_only_what_is_left(
    big: list[str], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark(big[:290])
    mark(big[290:292], "doing")
    assert run("next").exit_code == 0  # builds the catalog cache: not what is counted
    built = counting_resources(monkeypatch)
    result = run("plan", "-w", "6", "--json")
    assert result.exit_code == 0, result.stderr
    planned = [r["id"] for r in payload(result.stdout, "plan")["resources"]]
    # The ten not done or skipped.
    assert planned == big[290:]
    # Only what is shown in full: the alternatives are decided from their own rows.
    assert built[0] == 10


def test_plan_from_what_is_left_is_the_plan_from_the_whole_catalog(big: list[str]) -> None:
    mark(big[:150:2])
    mark(big[1:150:3], "skipped")
    mark(big[200:210], "doing")
    ws = Workspace(catalog_mod.catalog_path())
    statuses = ws.statuses()
    whole = load_catalog(ws.db(), ws.catalog_file)
    left = plan.read_open_catalog(ws.db(), ws.catalog_file)
    assert len(left.resources) < len(whole.resources)
    for free in (False, True):
        for scope in ("core", "free", "all"):
            a = plan.make_plan(
                whole,
                statuses,
                plan.hours_value(6),
                date(2026, 1, 5),
                free,
                scope=scope,
                parts=parts_by_resource(ws.db()),
            )
            b = plan.make_plan(
                left,
                statuses,
                plan.hours_value(6),
                date(2026, 1, 5),
                free,
                scope=scope,
                parts=parts_by_resource(ws.db(), (r.id for r in left.resources)),
            )
            assert b.to_json() == a.to_json()


# --- progress: the streak and the calendar ------------------------------------------


def streak_store(home: Path, days: int, per_day: int) -> None:
    """A change on each of the last `days` local days (noon, then a second apart),
    `per_day` of them a day: a streak of `days` days running today."""
    from datetime import UTC, datetime, time, timedelta

    from mlpath.store import Change
    from mlpath.timefmt import today

    changes = []
    for n in range(days):
        noon = datetime.combine(today() - timedelta(days=n), time(12)).astimezone(UTC)
        for j in range(per_day):
            at = (noon + timedelta(seconds=j)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            changes.append(Change(0, f"{n:016x}{j:016x}", at, "alpha", "note", None, "n", None))
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    store.merge(changes)
    store.close()


def progress_steps(home: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> tuple[int, Any]:
    from test_history_length import counting_vm_steps

    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert run("next").exit_code == 0  # builds the catalog cache first: not what is counted
    with counting_vm_steps() as steps:
        result = run("progress", "--json")
    assert result.exit_code == 0, result.stderr
    return steps[0], payload(result.stdout, "progress")


@pytest.mark.usefixtures("mini_catalog")
def test_progress_does_not_read_the_changes_of_a_long_streak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    counts = []
    for per_day in (1, 8):
        home = tmp_path / f"home-{per_day}"
        streak_store(home, 400, per_day)
        steps, report = progress_steps(home, monkeypatch, run)
        assert report["streak"]["days"] == 400
        days = report["calendar"]["days"]
        assert [d["changes"] for d in days] == [per_day] * len(days)
        counts.append(steps)
    # Eight times the history over the same days: more to count on the calendar's
    # days (a few steps each, in SQLite's count), nothing more beyond them.
    calendar_changes = len(days) * 7
    assert counts[1] - counts[0] < 10 * calendar_changes, counts


@pytest.mark.usefixtures("mini_catalog")
def test_a_streak_years_long_costs_one_probe_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    counts = []
    for days in (200, 1200):
        home = tmp_path / f"home-{days}"
        streak_store(home, days, 4)
        steps, report = progress_steps(home, monkeypatch, run)
        assert report["streak"]["days"] == days
        counts.append(steps)
    # Each day before the calendar is one index probe; its changes are never read.
    assert (counts[1] - counts[0]) / 1000 < 60, counts


# --- list: streamed into a pipe and with --json ------------------------------------


def whole_listing(lang: str, *filters: str) -> tuple[str, str]:
    """What the whole-table renderers write for `list`: plain text and the JSON."""
    import sys

    from mlpath.argv import parse
    from mlpath.commands import list_
    from mlpath.context import Context
    from mlpath.output.env import Environment
    from mlpath.output.literal import json_text, lines_out
    from mlpath.output.plain import listing_lines
    from mlpath.output.render import envelope

    invocation = parse(["list", *filters])
    assert invocation is not None
    ctx = Context(Environment(sys.stdout), invocation.global_values)
    result = list_.run(ctx, invocation.values)
    text = lines_out(listing_lines(result, lang))
    return text, json_text(envelope("list", result)) + "\n"


@pytest.mark.usefixtures("mini_catalog")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "filters", [[], ["--status", "todo"], ["--section", "books", "--paid"], ["--kind", "own"]]
)
def test_a_streamed_listing_is_the_whole_table(
    lang: str, filters: list[str], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLPATH_LANG", lang)
    assert run("skip", "beta").exit_code == 0
    assert run("start", "alpha").exit_code == 0
    added = run("add", "My\u00e9 own \u7b14\u8bb0", "--minutes", "20", "--section", "books")
    assert added.exit_code == 0, added.stderr
    text, document = whole_listing(lang, *filters)
    plain = run("list", *filters)
    assert plain.exit_code == 0, plain.stderr
    assert plain.stdout == text
    as_json = run("list", "--json", *filters)
    assert as_json.stdout == document


def test_listing_writes_its_first_lines_before_reading_every_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    from mlpath.output import listing_text
    from mlpath.output.env import Environment

    big_catalog(tmp_path / "big.json", 3000)
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "big.json"))
    assert run("next").exit_code == 0  # builds the catalog cache: not what is counted
    built = counting_resources(monkeypatch)
    seen: list[int] = []

    class Recording:
        def write(self, text: str) -> int:
            seen.append(built[0])
            return len(text)

        def flush(self) -> None:
            pass

    for flags in ([], ["--json"]):
        seen.clear()
        stream = cast("TextIO", Recording())
        env = Environment(stdout=stream, stderr=stream, stdin=None)
        from mlpath import cli

        assert cli.run(["list", *flags], env) == 0
        # Written a batch at a time: the first before more than a batch was read.
        assert seen[0] <= listing_text.BATCH, flags
        assert len(seen) >= 3000 // listing_text.BATCH
        built[0] = 0


# --- export: the history streamed --------------------------------------------------


@pytest.mark.usefixtures("mini_catalog")
def test_a_streamed_export_is_the_whole_document(run: Run) -> None:
    from mlpath import exporting
    from mlpath.output.literal import json_text

    assert run("done", "alpha").exit_code == 0
    assert run("note", "beta", "odd \u202e text\u0085 and \u4e2d\u6587").exit_code == 0
    assert run("undo").exit_code == 0
    assert run("start", "beta").exit_code == 0
    assert run("goal", "--hours-per-week", "5").exit_code == 0
    ws = Workspace(catalog_mod.catalog_path())
    store = ws.existing_store()
    assert store is not None
    changes = store.changes(newest_first=False)
    document = {
        **exporting.json_head(ws),
        "units": [{"uid": uid, "label": label, "at": at} for uid, label, at in store.units()],
        "changes": [c.to_export() for c in changes],
    }
    whole = json_text(document) + "\n"
    streamed = run("export")
    assert streamed.exit_code == 0, streamed.stderr

    def timeless(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if '"exported_at"' not in line)

    assert timeless(streamed.stdout) == timeless(whole)
    assert len(changes) == 5


def test_export_writes_before_reading_the_whole_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_catalog: Path
) -> None:
    from mlpath import cli, exporting
    from mlpath.output.env import Environment
    from test_history_length import seed

    seed(tmp_path / "home", 15 * 400)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    read = [0]
    from mlpath.store import Change as real

    def counted(*row: Any) -> Any:
        read[0] += 1
        return real(*row)

    monkeypatch.setattr(exporting, "Change", counted)
    seen: list[int] = []

    class Recording:
        def write(self, text: str) -> int:
            seen.append(read[0])
            return len(text)

        def flush(self) -> None:
            pass

    stream = cast("TextIO", Recording())
    assert cli.run(["export"], Environment(stdout=stream, stderr=stream)) == 0
    assert read[0] == 15 * 400 + 2
    # Written a thousand or so changes at a time, never all of them at once.
    assert len(seen) > 3, seen
    assert max(b - a for a, b in zip(seen, seen[1:], strict=False)) <= 1024


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_a_markdown_or_csv_export_never_holds_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, fmt: str
) -> None:
    """The history is read a change at a time, however long it is: what a CSV or
    Markdown export shows of it (notes, dates) is kept, not the changes."""
    from mlpath import cli
    from mlpath.output.env import Environment
    from mlpath.store import Change
    from test_history_length import seed

    seed(tmp_path / "home", 15 * 200)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    alive, peak = [0], [0]
    real_init = Change.__init__

    def counted_init(self: Change, *row: Any) -> None:
        real_init(self, *row)
        alive[0] += 1
        peak[0] = max(peak[0], alive[0])

    def counted_del(self: Change) -> None:
        alive[0] -= 1

    monkeypatch.setattr(Change, "__init__", counted_init)
    monkeypatch.setattr(Change, "__del__", counted_del, raising=False)
    out = FakeTerminal(False)
    stream = cast("TextIO", out)
    assert cli.run(["export", "--format", fmt], Environment(stdout=stream, stderr=stream)) == 0
    # Every change was read, never more than a few at once (all 3,002 before).
    assert peak[0] <= 3, peak
    # What it shows of the history is still there: the notes (none of them undone).
    assert out.text.count("a note") == 200 * 3, out.text[:300]


# --- a progress bar for long work at a terminal -------------------------------------


class FakeTerminal:
    """A stream that says it is a terminal, and keeps what was written."""

    def __init__(self, terminal: bool = True) -> None:
        self.terminal = terminal
        self.text = ""

    def isatty(self) -> bool:
        return self.terminal

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_long_work_at_a_terminal_shows_a_bar_once_it_takes_a_while() -> None:
    from mlpath.output.progress_bar import tracked

    screen = FakeTerminal()
    items = list(tracked(range(1000), 1000, "Exporting changes", cast("TextIO", screen), after=0))
    assert items == list(range(1000))
    assert "Exporting changes" in screen.text
    # Quick work shows nothing, nor does work whose output is not watched.
    for stream, as_json, after in (
        (FakeTerminal(), False, 60.0),
        (FakeTerminal(False), False, 0),
        (FakeTerminal(), True, 0),
    ):
        items = list(tracked(range(1000), 1000, "x", cast("TextIO", stream), as_json, after))
        assert items == list(range(1000))
        assert stream.text == ""


@pytest.mark.usefixtures("mini_catalog")
def test_an_export_into_a_pipe_shows_no_bar(run: Run, tmp_path: Path) -> None:
    assert run("done", "alpha").exit_code == 0
    result = run("export", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_a_first_build_of_a_big_catalog_shows_a_bar_at_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath import cli
    from mlpath.output import progress_bar
    from mlpath.output.env import Environment

    monkeypatch.setattr(progress_bar, "AFTER", 0.0)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    shown = []
    for name, args, terminal in (
        ("a", ["next", "--json"], True),  # the output is JSON: nothing else shown
        ("b", ["next"], False),  # stderr is a pipe
        ("c", ["next"], True),
        ("c", ["next"], True),  # the cache is built: nothing to wait for
    ):
        big_catalog(tmp_path / f"{name}.json", 300)
        monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / f"{name}.json"))
        screen, out = FakeTerminal(terminal), FakeTerminal(False)
        environment = Environment(stdout=cast("TextIO", out), stderr=cast("TextIO", screen))
        assert cli.run(args, environment) == 0
        assert "res-00000" in out.text
        shown.append("Preparing the catalog" in screen.text)
    assert shown == [False, False, True, False]


def test_only_a_search_builds_the_search_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run builds what it needs: the index (most of a first build's work on a
    big catalog) waits for the first search, which keeps it for the next ones."""
    from mlpath import cli, search_index

    built = [0]
    real = search_index.fill_index

    def counted(*args: Any) -> None:
        built[0] += 1
        real(*args)

    monkeypatch.setattr(search_index, "fill_index", counted)
    ids = big_catalog(tmp_path / "big.json", 300)
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "big.json"))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    for args, builds in ((["next"], 0), (["search", "topic 7"], 1), (["search", "topic 8"], 1)):
        assert cli.run(args) == 0
        assert built[0] == builds, args
    index = list((tmp_path / "cache").glob("*-search.sqlite3"))
    assert len(index) == 1
    # Written since it was sealed: not trusted, built again.
    with index[0].open("ab") as handle:
        handle.write(b"\0" * 4096)
    assert cli.run(["search", "topic 9", "--json"]) == 0
    assert built[0] == 2
    # A catalog with other content gets its own index.
    catalog = json.loads((tmp_path / "big.json").read_text())
    catalog["resources"][5]["title"] = "Quantum zebra"
    (tmp_path / "big.json").write_text(json.dumps(catalog))
    result = Workspace(tmp_path / "big.json")
    from mlpath.search_index import search

    assert [hit.resource.id for hit in search(result.db(), "zebra")] == [ids[5]]
    result.close()
    assert built[0] == 3


def test_a_cache_build_tells_its_watcher_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big_catalog(tmp_path / "big.json", 300)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    told: list[tuple[int, int]] = []

    def watch(steps: Any, total: int) -> Any:
        count = 0
        for step in steps:
            count += 1
            yield step
        told.append((count, total))

    ws = Workspace(tmp_path / "big.json")
    ws.watch = watch
    from mlpath.search_index import ensure_index

    db = ws.db()
    assert told == [(300, 300)]  # a step a resource written
    ensure_index(db, watch)
    assert told[1:] == [(600, 600)]  # the search index: a step a resource read, one written
    ws.close()


def test_progress_does_not_read_every_part_of_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    counts = []
    for parts in (2, 12):
        catalog = tmp_path / f"parts-{parts}.json"
        ids = big_catalog(catalog, 200, parts=parts)
        monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
        home = tmp_path / f"home-{parts}"
        monkeypatch.setenv("MLPATH_HOME", str(home))
        assert run("done", f"{ids[5]}/1").exit_code == 0  # a part's key in the history
        steps, report = progress_steps(home, monkeypatch, run)
        assert report["not_in_catalog"] == []
        counts.append(steps)
    # Six times the parts in the catalog: the part in the history is looked up, not
    # compared with every part.
    assert counts[1] - counts[0] < 200, counts


def test_a_part_the_catalog_lost_is_still_not_in_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    from mlpath.store import Change

    ids = big_catalog(tmp_path / "parts.json", 20, parts=3)
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "parts.json"))
    assert run("done", f"{ids[5]}/1").exit_code == 0
    store = open_store(Workspace(catalog_mod.catalog_path()).store_path, create=False)
    assert store is not None
    at = "2026-01-05T10:00:00.000000Z"
    store.merge([Change(0, "f" * 32, at, f"{ids[5]}/gone", "status", "done", None, None)])
    store.close()
    result = run("progress", "--json")
    assert [o["id"] for o in payload(result.stdout)["not_in_catalog"]] == [f"{ids[5]}/gone"]


# --- undo of a big command: a few statements, a few lines -----------------------------


def statements(store: Any, work: Any) -> int:
    """SQLite statements run by `work()`: each row of an executemany counts as one."""
    ran = [0]

    def traced(_sql: str) -> None:
        ran[0] += 1

    store.conn.set_trace_callback(traced)
    try:
        work()
    finally:
        store.conn.set_trace_callback(None)
    return ran[0]


def big_command(store: Any, size: int) -> list[str]:
    """One command that marked `size` resources done, then a part and a note on its own."""
    ids = big_ids(size)
    store.set_status(["alpha"], "doing")
    with store.unit("skip --section big"):
        store.set_status(ids, "done")
        store.set_status(["alpha/p1"], "done")
        store.add_note("alpha", "half way")
    return ids


def undo_counted(home: Path, size: int) -> int:
    """The statements an undo of a `size`-resource command runs, checking what it did."""
    from mlpath.results import UNDONE_READ

    store = open_store(home / "progress.db", create=True)
    assert store is not None
    big_command(store, size)
    undone: list[Any] = []
    ran = statements(store, lambda: undone.extend(store.take_back(1, UNDONE_READ)))
    shown, count = undone
    assert count == size + 2
    assert len(shown) == min(count, UNDONE_READ)
    # Every change of the command taken back: alpha is back where it was before it.
    assert store.statuses() == {"alpha": "doing"}
    undo_rows = store.conn.execute("SELECT count(*) FROM changes WHERE action = 'undo'")
    assert undo_rows.fetchone() == (count,)
    store.close()
    return ran


def test_undo_of_a_big_command_runs_as_many_statements_as_a_small_one(tmp_path: Path) -> None:
    counts = [undo_counted(tmp_path / f"s{size}", size) for size in (30, 3000)]
    assert counts[0] == counts[1], counts


@pytest.mark.usefixtures("mini_catalog")
def test_the_report_of_a_big_undo_names_a_few_and_counts_the_rest(run: Run) -> None:
    store = open_store(Workspace(catalog_mod.catalog_path()).store_path, create=True)
    assert store is not None
    ids = big_command(store, 3000)
    store.close()
    result = run("undo")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # Newest first: the note, then the done resources from the last; 3,002 changes.
    assert [line.split(" (")[0] for line in lines[:3]] == [
        "undid: note on alpha",
        f"undid: done {ids[-1]}",
        f"undid: done {ids[-2]}",
    ]
    assert len(lines) == 11
    assert lines[-1] == "… and 2,992 more"
    assert run("progress", "--json").exit_code == 0
    as_json = run("undo", "--json")  # nothing left but alpha's `start`
    assert [c["resource"] for c in payload(as_json.stdout)["undone"]] == ["alpha"]


@pytest.mark.usefixtures("mini_catalog")
def test_a_big_undo_counts_the_rest_in_chinese(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(Workspace(catalog_mod.catalog_path()).store_path, create=True)
    assert store is not None
    big_command(store, 3000)
    store.close()
    monkeypatch.setenv("MLPATH_LANG", "zh")
    lines = run("undo").stdout.splitlines()
    assert len(lines) == 11
    assert all(line.startswith("已撤销：") for line in lines[:10])
    assert lines[-1] == "……另外还有 2,992 个"


@pytest.mark.usefixtures("mini_catalog")
def test_a_small_undo_still_names_every_change(run: Run) -> None:
    assert run("done", "alpha", "beta").exit_code == 0
    result = run("undo")
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        "undid: done beta",
        "undid: done alpha",
    ]


# --- import: rows written, not work per row around them ----------------------------


def exported(tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An export (as `mlpath export` writes it) of one command marking `size` resources
    done, a part and a note, and an undo of the note: its file."""
    from mlpath import exporting
    from mlpath.output.exports import export_json_chunks

    home = tmp_path / f"from-{size}"
    monkeypatch.setenv("MLPATH_HOME", str(home))
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    big_command(store, size)
    store.add_note("beta", "soon")
    store.undo(1)
    store.close()
    path = tmp_path / f"export-{size}.json"
    ws = Workspace(catalog_mod.catalog_path())
    head, units, changes = (
        exporting.json_head(ws),
        exporting.iter_units(ws),
        exporting.iter_changes(ws),
    )
    path.write_text("".join(export_json_chunks(head, units, changes)))
    ws.close()
    return path


def import_counted(tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """An import of `exported(size)` into a new store: the statements it ran beyond one
    row per change added, and the Change objects it built."""
    from mlpath import store as store_mod
    from mlpath.import_file import read_import_file
    from mlpath.importing import import_export

    export = read_import_file(str(exported(tmp_path, size, monkeypatch)))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / f"to-{size}"))
    ws = Workspace(catalog_mod.catalog_path())
    store = ws.store()
    built = [0]
    real_init = store_mod.Change.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        built[0] += 1
        real_init(self, *args, **kwargs)

    reports: list[Any] = []
    with monkeypatch.context() as patched:
        patched.setattr(store_mod.Change, "__init__", counted)
        ran = statements(store, lambda: reports.append(import_export(ws, export)))
    # With alpha's start, its part, a note on each of alpha and beta, the undo.
    assert reports[0].added == size + 5
    done = dict.fromkeys([*big_ids(size), "alpha/p1"], "done")
    assert ws.statuses() == {"alpha": "doing", **done}
    ws.close()
    return ran - reports[0].added, built[0]


@pytest.mark.usefixtures("mini_catalog")
def test_an_import_writes_its_rows_and_runs_no_more_statements_than_a_small_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, big = (import_counted(tmp_path, size, monkeypatch) for size in (30, 3000))
    # The changes of a file mlpath wrote go to SQLite as they were read, one executemany
    # row each; everything else is the same few statements at any size.
    assert small[1] == big[1] == 0
    assert small[0] == big[0], (small, big)


def big_ids(size: int) -> list[str]:
    return [f"r{i:05d}" for i in range(size)]


def test_known_uids_answers_alike_for_plain_ids_and_odd_ones(tmp_path: Path) -> None:
    store = open_store(tmp_path / "progress.db", create=True)
    assert store is not None
    store.set_status(["a", "b"], "done")
    uids = [c.uid for c in store.changes()]
    # Plain ids go to SQLite as one JSON array; anything else as bound parameters.
    assert store.known_uids([*uids, "f" * 32]) == set(uids)
    assert store.known_uids([uids[0], 'x"], "', "\\u0000"]) == {uids[0]}
    assert store.known_uids([]) == set()
    store.close()


@pytest.mark.usefixtures("mini_catalog")
def test_an_import_at_a_terminal_shows_a_bar_while_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath import cli
    from mlpath.output import progress_bar
    from mlpath.output.env import Environment

    monkeypatch.setattr(progress_bar, "AFTER", 0.0)
    export = exported(tmp_path, 300, monkeypatch)
    shown = []
    for home, args, terminal in (
        ("a", ["import", str(export), "--json"], True),  # the output is JSON
        ("b", ["import", str(export)], False),  # stderr is a pipe
        ("c", ["import", str(export)], True),
        ("c", ["import", str(export)], True),  # all there already: nothing written
    ):
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / home))
        screen, out = FakeTerminal(terminal), FakeTerminal(False)
        environment = Environment(stdout=cast("TextIO", out), stderr=cast("TextIO", screen))
        assert cli.run(args, environment) == 0, screen.text
        shown.append("Importing changes" in screen.text)
    assert shown == [False, False, True, False]


@pytest.mark.usefixtures("mini_catalog")
def test_an_export_to_a_file_at_a_terminal_shows_a_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath import cli
    from mlpath.output import progress_bar
    from mlpath.output.env import Environment

    monkeypatch.setattr(progress_bar, "AFTER", 0.0)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    out_file = str(tmp_path / "out")
    assert cli.run(["done", "alpha"], Environment(stdout=cast("TextIO", FakeTerminal(False)))) == 0
    shown = []
    for args, terminal in (
        (["export", "--format", "csv"], True),  # the data goes to stdout: no bar
        (["export", "-o", out_file + ".csv", "--force"], False),  # stderr is a pipe
        (["export", "-o", out_file + ".csv", "--force"], True),
        (["export", "-o", out_file + ".json", "--force"], True),
    ):
        screen, out = FakeTerminal(terminal), FakeTerminal(False)
        environment = Environment(stdout=cast("TextIO", out), stderr=cast("TextIO", screen))
        assert cli.run(args, environment) == 0, screen.text
        shown.append("Exporting changes" in screen.text)
    assert shown == [False, False, True, True]


@pytest.mark.parametrize("command", [["sections"], ["next", "--json"], ["progress", "--json"]])
def test_the_counts_after_a_day_of_work_cost_what_changed_not_the_catalog(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    from test_history_length import counting_vm_steps

    counts = []
    weeks_ago = time.time_ns() - 40 * 86_400 * 10**9
    for size in (400, 4000):
        ids = big_catalog(tmp_path / f"big-{size}.json", size)
        monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / f"big-{size}.json"))
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / f"home-{size}"))
        # Most of the path touched, here and there (what is next is then found at
        # once), weeks ago; then a command as yesterday left things, then today's
        # work: what is counted is the run after it.
        path = Workspace(catalog_mod.catalog_path()).store_path
        store = open_store(path, create=True, clock=lambda: weeks_ago)
        assert store is not None
        store.set_status(ids[1::3], "skipped")
        store.set_status(ids[2::3], "done")
        store.close()
        assert run(*command).exit_code == 0
        assert run("done", ids[3]).exit_code == 0
        with counting_vm_steps() as steps:
            result = run(*command)
        assert result.exit_code == 0, result.stderr
        counts.append(steps[0])
    assert counts[0] > 0
    # Ten times the catalog and the statuses: the same work, give or take a few steps
    # for the deeper indexes of a bigger table.
    assert counts[1] < counts[0] * 1.1, counts


@pytest.mark.parametrize(
    ("sizes", "started"),
    [
        # A few started, late on the path: sorting them beats walking to them.
        ((400, 4000), lambda ids: ids[-20:]),
        # A third of the path started, from the start: the first is met at once.
        ((1000, 10_000), lambda ids: ids[::3]),
    ],
    ids=["few-late", "many"],
)
def test_what_is_in_progress_is_found_at_the_same_cost_at_any_size(
    sizes: tuple[int, int],
    started: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
) -> None:
    from test_history_length import counting_vm_steps

    counts = []
    for size in sizes:
        ids = big_catalog(tmp_path / f"big-{size}.json", size)
        monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / f"big-{size}.json"))
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / f"home-{size}"))
        mark(started(ids), "doing")
        assert run("next").exit_code == 0
        assert run("done", ids[1]).exit_code == 0  # today's work: nothing kept answers
        with counting_vm_steps() as steps:
            result = run("next", "--json")
        assert result.exit_code == 0, result.stderr
        assert payload(result.stdout)["next"][0]["status"] == "doing"
        counts.append(steps[0])
    assert counts[1] < counts[0] * 1.1, counts

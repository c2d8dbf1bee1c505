"""A big export streams: read a block at a time into a scratch database, it imports at
any size (past the limit on a file read whole) with the result the quick check gives,
and the streaming reader never accepts what the quick check refuses."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, TextIO, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run, payload
from mlpath import import_quick, import_stream
from mlpath.db import sqlite3
from mlpath.import_quick import quick_read
from mlpath.store import open_store, wall_clock
from test_import_quick import PARTED

# A block this small splits even a short export into many, and records across blocks.
SMALL_BLOCK = 256

STEPS = [
    ["done", "alpha/welcome"],
    ["start", "alpha/basics"],
    ["note", "alpha", 'a note with ünïcode, \u202e, "quotes", a \\ and a tab\tin it'],
    ["skip", "--section", "books"],
    ["done", "beta"],
    ["undo"],
    ["reset", "alpha/welcome"],
    ["start", "delta"],
    ["add", "My", "lecture", "notes", "--section", "intro", "--minutes", "45"],
    ["parts", "gamma-book", "--split", "4"],
    ["done", "my-lecture-notes"],
    ["remove", "my-lecture-notes"],
]


@pytest.fixture
def parted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "parted.json"
    path.write_text(json.dumps(PARTED), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


@pytest.fixture
def export_text(run: Run, parted: Path, home: Path) -> str:
    """An export as `mlpath export` writes it, of every kind of change, and the goal."""
    for step in STEPS:
        assert run(*step).exit_code == 0, step
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    store.define("goal:", {"hours_per_week": 6})
    store.close()
    exported = run("export", "--format", "json")
    assert exported.exit_code == 0, exported.stderr
    return exported.stdout


def staged_export(text: str, now: int | None = None) -> dict[str, Any] | None:
    """What the streaming reader stages of `text`, as quick_read's export would hold it."""
    now = wall_clock() if now is None else now
    staged = import_stream.stage_export(io.BytesIO(text.encode()), 0, now)
    if staged is None:
        return None
    conn = sqlite3.connect(staged.path)
    units = conn.execute("SELECT uid, label, at FROM u ORDER BY rowid").fetchall()
    changes = conn.execute(
        "SELECT uid, at, clock, unit, resource, action, status, note, reverts FROM c "
        "ORDER BY rowid"
    ).fetchall()
    conn.close()
    staged.close()
    return {"units": units, "changes": changes, "definitions": staged.definitions}


def quick_export_of(text: str, now: int | None = None) -> dict[str, Any] | None:
    """The same, of what the quick check makes of `text`."""
    export = quick_read(text.encode(), wall_clock() if now is None else now)
    if export is None:
        return None
    return {
        "units": [(u.uid, u.label, u.at) for u in export.units],
        "changes": [
            (c.uid, c.at, c.clock, c.unit, c.resource, c.action, c.status, c.note, c.reverts)
            for c in export.changes
        ],
        "definitions": [
            (i, c.resource, c.note) for i, c in enumerate(export.changes) if c.action == "define"
        ],
    }


def test_an_export_mlpath_writes_is_staged_as_the_quick_check_reads_it(
    export_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_stream, "BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", SMALL_BLOCK)
    quick = quick_export_of(export_text)
    assert quick is not None
    assert staged_export(export_text) == quick
    kinds = {change[5] for change in quick["changes"]}
    assert kinds == {"status", "note", "undo", "define"}
    assert "\\u202e" in export_text and '\\"quotes\\"' in export_text  # escapes, decoded
    # Empty lists, and one block for the whole file.
    empty = export_text.split('"units": [')[0] + '"units": [],\n  "changes": []\n}\n'
    assert (
        staged_export(empty)
        == quick_export_of(empty)
        == {
            "units": [],
            "changes": [],
            "definitions": [],
        }
    )
    monkeypatch.setattr(import_stream, "BLOCK", 1 << 20)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", 1 << 20)
    assert staged_export(export_text) == quick


# Edits of an export that JSON, the layout or the rules may or may not allow.
EDITS = st.tuples(
    st.floats(0, 1),
    st.integers(0, 40),
    st.sampled_from(
        ["", ",", " ", "\n", '"', "\\", "}", "]", "{", "0", "9", "a", "-", "null", "\\u0000", "é"]
    ),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=3))
def test_the_streaming_reader_never_accepts_what_the_quick_check_refuses(
    export_text: str, monkeypatch: pytest.MonkeyPatch, edits: list[tuple[float, int, str]]
) -> None:
    monkeypatch.setattr(import_stream, "BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", SMALL_BLOCK)
    text = export_text
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    staged = staged_export(text)
    if staged is not None:
        assert staged == quick_export_of(text), text


def test_a_change_from_the_future_is_left_to_the_models(
    export_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_stream, "BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", SMALL_BLOCK)
    assert staged_export(export_text) is not None
    earlier = 10**9 * 86_400 * 365 * 50  # 2020, before these changes were made
    assert staged_export(export_text, earlier) is quick_export_of(export_text, earlier) is None


def test_memory_stays_flat_the_file_is_read_a_block_at_a_time(
    export_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_stream, "BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", SMALL_BLOCK)
    held: list[int] = []
    more = import_stream._Reader.more

    def counted(reader: Any) -> bool:
        held.append(len(reader.buffer))
        return more(reader)

    monkeypatch.setattr(import_stream._Reader, "more", counted)
    for copies in (10, 40):
        held.clear()
        staged = staged_export(repeated(export_text, copies))
        assert staged is not None and len(staged["changes"]) == 15 * copies
        assert len(held) > copies * 5
        # What is held at once is the head (read whole), or a block and the record it
        # cuts, at any size.
        assert max(held) < import_stream.HEAD_CHARS + 2 * SMALL_BLOCK + 1024


def repeated(export_text: str, copies: int) -> str:
    """The history of `export_text` `copies` times over, each copy's uids its own."""
    raw = json.loads(export_text)

    def copy(record: dict[str, Any], index: int) -> dict[str, Any]:
        fields = ("uid", "unit", "reverts")
        return record | {k: f"{index:02x}{record[k][2:]}" for k in fields if record.get(k)}

    units = [copy(u, i) for i in range(copies) for u in raw["units"]]
    changes = [copy(c, i) for i in range(copies) for c in raw["changes"]]
    return json.dumps(raw | {"units": units, "changes": changes}, ensure_ascii=False, indent=2)


def big_export(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """An export of about 100 changes, several times the (lowered) limit of a file read whole."""
    ids = ["alpha", "beta", "gamma-book", "gamma-course", "delta"]
    for index in range(24):
        assert run("done" if index % 2 else "start", ids[index % 5]).exit_code == 0
        assert run("note", ids[index % 5], f"note {index}").exit_code == 0
        assert run("skip", ids[(index + 1) % 5]).exit_code == 0
        assert run("undo").exit_code == 0
    path = tmp_path / "big.json"
    assert run("export", "-o", str(path)).exit_code == 0
    monkeypatch.setattr(import_stream, "BLOCK", 1024)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", 1024)
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 4096)
    assert path.stat().st_size > 4 * 4096
    return path


def test_an_export_past_the_limit_on_a_whole_file_imports_again(
    run: Run, parted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    before = run("export", "--format", "json")
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    count = len(json.loads(path.read_text())["changes"])
    assert count > 90
    assert result.stdout.endswith(f"imported {count} changes, 0 already present\n")
    again = run("import", str(path))
    assert again.stdout == f"imported 0 changes, {count} already present\n"
    after = run("export", "--format", "json")
    assert json.loads(after.stdout)["changes"] == json.loads(before.stdout)["changes"]
    assert json.loads(after.stdout)["units"] == json.loads(before.stdout)["units"]


def test_a_dry_run_of_a_big_file_reports_and_writes_nothing(
    run: Run, parted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("MLPATH_HOME", str(fresh))
    preview = run("import", str(path), "--dry-run", "--json")
    assert preview.exit_code == 0, preview.stderr
    assert not fresh.exists()
    real = run("import", str(path), "--json")
    previewed, imported = payload(preview.stdout, "import"), payload(real.stdout, "import")
    assert previewed.pop("dry_run") is True and imported.pop("dry_run") is False
    assert previewed == imported and imported["imported"] > 90


@pytest.mark.parametrize("beside", [False, True], ids=["read here", "read beside"])
def test_a_bad_record_in_a_big_file_is_refused_as_before(
    run: Run,
    parted: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    beside: bool,
) -> None:
    """Read and checked here, or in a second process (mlpath.import_stream._stage_beside)."""
    if beside:
        monkeypatch.setattr(import_stream, "PARALLEL_BYTES", 0)
    path = big_export(tmp_path, run, monkeypatch, home)
    raw = json.loads(path.read_text())
    raw["changes"][7]["status"] = "finished"
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=2))
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 200 * 1024 * 1024)
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("MLPATH_HOME", str(fresh))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"mlpath: cannot import {path}: 1 problem: changes[7].status: "
    )
    assert result.stderr.count("\n") == 1
    assert not fresh.exists()


def staging_spy(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What each staging of the run gives (None: the file was read whole instead)."""
    staged: list[object] = []
    stage = import_stream.stage_export

    def spied(*args: Any) -> Any:
        staged.append(stage(*args))
        return staged[-1]

    monkeypatch.setattr(import_stream, "stage_export", spied)
    return staged


def test_a_big_export_on_standard_input_streams_too(
    run: Run, parted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 200 * 1024 * 1024)
    staged = staging_spy(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    result = run("import", "-", "--json")
    assert result.exit_code == 0, result.stderr
    assert payload(result.stdout, "import")["imported"] > 90
    assert len(staged) == 1 and staged[0] is not None


def test_a_big_import_at_a_terminal_shows_a_bar(
    run: Run, parted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    from mlpath import cli
    from mlpath.output import progress_bar
    from mlpath.output.env import Environment
    from test_scale import FakeTerminal

    path = big_export(tmp_path, run, monkeypatch, home)
    monkeypatch.setattr(progress_bar, "AFTER", 0.0)
    shown = []
    for where, args, terminal in (
        ("a", ["import", str(path), "--json"], True),  # the output is JSON
        ("b", ["import", str(path)], False),  # stderr is a pipe
        ("c", ["import", str(path)], True),
    ):
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / where))
        screen, out = FakeTerminal(terminal), FakeTerminal(False)
        environment = Environment(stdout=cast("TextIO", out), stderr=cast("TextIO", screen))
        assert cli.run(args, environment) == 0, screen.text
        shown.append("Importing changes" in screen.text)
    assert shown == [False, False, True]


def test_a_streamed_merge_leaves_the_store_a_whole_file_leaves(
    run: Run, parted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 200 * 1024 * 1024)
    raw = json.loads(path.read_text())
    # A machine holding part of that history (its first half), and its own changes.
    half = dict(raw, changes=raw["changes"][: len(raw["changes"]) // 2])
    half["changes"] = [c for c in half["changes"] if c["action"] != "undo"]
    part = tmp_path / "half.json"
    part.write_text(json.dumps(half, indent=2))
    staged = staging_spy(monkeypatch)
    outcomes = []
    for where, block in (("streamed", 1024), ("whole", 1 << 30)):
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / where))
        monkeypatch.setattr(import_stream, "BLOCK", 1 << 30)
        monkeypatch.setattr(import_quick, "WHOLE_MAX", 1 << 30)
        assert run("import", str(part)).exit_code == 0
        assert run("start", "beta").exit_code == 0
        assert run("note", "delta", "mine").exit_code == 0
        monkeypatch.setattr(import_stream, "BLOCK", block)
        monkeypatch.setattr(import_quick, "WHOLE_MAX", block)
        result = run("import", str(path), "--json")
        assert result.exit_code == 0, result.stderr
        exported = json.loads(run("export", "--format", "json").stdout)
        # The units' times and uids, and the changes' of this machine, are its own.
        mine = {u["uid"] for u in exported["units"] if u["uid"] not in str(raw["units"])}
        changes = [
            {k: v for k, v in c.items() if c["unit"] not in mine or k in ("resource", "note")}
            for c in exported["changes"]
        ]
        outcomes.append((payload(result.stdout, "import"), changes, run("progress").stdout))
    assert outcomes[0] == outcomes[1]
    assert len(staged) == 1 and staged[0] is not None  # the first streamed, the second not
    assert outcomes[0][0]["imported"] > 0 and outcomes[0][0]["already_present"] > 0

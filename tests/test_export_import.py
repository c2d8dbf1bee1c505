"""`mlpath export` and `mlpath import`: formats, round trips, and refusing bad files."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run, payload
from mlpath import cli, import_file, import_quick
from mlpath.errors import ImportFileError
from mlpath.store import Change, open_store

# --- helpers -------------------------------------------------------------------------


def change(
    n: int,
    at: str,
    resource: str,
    action: str = "status",
    status: str | None = None,
    note: str | None = None,
    reverts: int | None = None,
) -> Change:
    """A history row with a readable, predictable uid (n as 32 hex digits)."""
    return Change(
        seq=0,
        uid=f"{n:032x}",
        at=at,
        resource=resource,
        action=action,
        status=status,
        note=note,
        reverts=None if reverts is None else f"{reverts:032x}",
    )


KNOWN_HISTORY = (
    change(1, "2026-01-05T09:00:00.000000Z", "alpha", status="doing"),
    change(2, "2026-01-06T10:30:00.000000Z", "alpha", status="done"),
    change(3, "2026-01-07T08:00:00.000000Z", "beta", status="doing"),
    change(4, "2026-01-07T09:00:00.000000Z", "alpha", "note", note="loved it — «ünïcode»"),
    change(5, "2026-01-08T12:00:00.000000Z", "gamma-book", status="skipped"),
    change(6, "2026-01-09T12:00:00.000000Z", "delta", status="done"),
    change(7, "2026-01-09T12:05:00.000000Z", "delta", "undo", reverts=6),
    change(8, "2026-01-10T07:00:00.000000Z", "retired-course", status="done"),
)


def seed(home: Path, changes: tuple[Change, ...] = KNOWN_HISTORY) -> None:
    """Give the machine whose data lives in `home` this history."""
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    try:
        store.merge(changes)
    finally:
        store.close()


def snapshot(home: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every row of the store, in storage order."""
    # Read-write only so that closing tidies the -wal/-shm files a reader leaves behind.
    conn = sqlite3.connect(home / "progress.db")
    try:
        changes = conn.execute("SELECT * FROM changes ORDER BY seq").fetchall()
        current = conn.execute("SELECT * FROM current ORDER BY resource").fetchall()
    finally:
        conn.close()
    return changes, current


def use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Switch to another machine: its own data directory."""
    monkeypatch.setenv("MLPATH_HOME", str(home))


def export_document(changes: tuple[Change, ...] = KNOWN_HISTORY) -> dict[str, Any]:
    return {
        "format": "mlpath-export",
        "version": 1,
        "exported_at": "2026-02-01T00:00:00.000000Z",
        "catalog_title": "A test path",
        "changes": [c.to_json() for c in changes],
    }


def stdin_with(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- round trip ----------------------------------------------------------------------


def test_export_then_import_reproduces_the_machine(
    run: Run, mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    steps: list[tuple[str, ...]] = [
        ("done", "alpha"),
        ("start", "beta"),
        ("note", "alpha", "watch again at 2x"),
        ("skip", "--section", "books"),
        ("done", "delta"),
        ("undo",),
        ("reset", "gamma-course"),
    ]
    for args in steps:
        result = run(*args)
        assert result.exit_code == 0, result.stderr
    seed(home, (change(99, "2026-01-01T00:00:00.000000Z", "retired-course", status="done"),))

    exported = tmp_path / "progress.json"
    result = run("export", "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"exported 9 changes to {exported} (json)\n"

    views = (
        ("list", "--json"),
        ("history", "--json", "--limit", "1000"),
        ("show", "alpha", "--json"),
        ("show", "retired-course", "--json"),
    )
    on_a = {args: run(*args) for args in views}
    progress_a = run("progress", "--json")

    use_home(monkeypatch, tmp_path / "machine-b")
    result = run("import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "alpha · Alpha Intro: todo → done",
        "beta · Beta Article: todo → doing",
        "gamma-book · Gamma Book: todo → skipped",
        "retired-course (not in this catalog): todo → done",
        "imported 9 changes, 0 already present",
    ]
    for args, before in on_a.items():
        after = run(*args)
        assert after.exit_code == 0, after.stderr
        assert after.stdout == before.stdout, args
    if progress_a.exit_code == 2 and "No such command" in progress_a.stderr:
        pass  # `progress` is not part of this build yet
    else:
        assert progress_a.exit_code == 0, progress_a.stderr
        assert run("progress", "--json").stdout == progress_a.stdout

    again = tmp_path / "again.json"
    assert run("export", "-o", str(again)).exit_code == 0
    first, second = json.loads(exported.read_text()), json.loads(again.read_text())
    assert first["changes"] == second["changes"]


def test_importing_twice_changes_nothing(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_document()), encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    before = snapshot(home)

    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "imported 0 changes, 8 already present\n"
    assert snapshot(home) == before


def test_import_merges_the_union_of_two_histories(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    seed(home, KNOWN_HISTORY[:3])
    later = (
        *KNOWN_HISTORY,
        change(20, "2026-01-11T00:00:00.000000Z", "beta", status="done"),
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_document(later)), encoding="utf-8")

    result = run("import", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    assert payload(result.stdout, "import") == {
        "dry_run": False,
        "changes_in_file": 9,
        "imported": 6,
        "already_present": 3,
        "status_changes": [
            {"id": "beta", "from": "doing", "to": "done"},
            {"id": "gamma-book", "from": "todo", "to": "skipped"},
            {"id": "retired-course", "from": "todo", "to": "done"},
        ],
    }
    changes, current = snapshot(home)
    assert sorted(row[1] for row in changes) == sorted(c.uid for c in later)
    assert {row[0]: row[1] for row in current} == {
        "alpha": "done",
        "beta": "done",
        "gamma-book": "skipped",
        "retired-course": "done",
    }


def test_import_from_stdin(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    stdin_with(monkeypatch, json.dumps(export_document()).encode())
    result = run("import", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("imported 8 changes, 0 already present\n")
    assert len(snapshot(home)[0]) == 8


def test_dry_run_on_a_fresh_machine_creates_nothing(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_document()), encoding="utf-8")
    result = run("import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "would import 8 changes, 0 already present (dry run: nothing was written)"
    )
    assert "alpha · Alpha Intro: todo → done" in result.stdout
    assert not home.exists()


def test_dry_run_reports_what_the_import_would_do(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    seed(home, KNOWN_HISTORY[:2])
    before = snapshot(home)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_document()), encoding="utf-8")

    preview = run("import", "--dry-run", "--json", str(path))
    assert preview.exit_code == 0, preview.stderr
    assert snapshot(home) == before
    real = run("import", "--json", str(path))
    assert real.exit_code == 0, real.stderr
    assert payload(preview.stdout) == {**payload(real.stdout), "dry_run": True}


# --- the formats ---------------------------------------------------------------------


def test_json_export_holds_every_change(run: Run, mini_catalog: Path, home: Path) -> None:
    seed(home)
    result = run("export")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == [
        "format",
        "version",
        "exported_at",
        "catalog_title",
        "units",
        "changes",
    ]
    assert document["format"] == "mlpath-export"
    assert document["version"] == 3
    assert document["catalog_title"] == "A test path"
    datetime.strptime(document["exported_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    # The seed was one merge, so one unit holds every change.
    [unit] = document["units"]
    assert unit["label"] == "import"
    for change in document["changes"]:
        assert change.pop("unit") == unit["uid"]
        moment = datetime.fromisoformat(change["at"].replace("Z", "+00:00"))
        assert change.pop("clock") == round(moment.timestamp() * 10**6)
    assert document["changes"] == [c.to_json() for c in KNOWN_HISTORY]


def test_markdown_export_is_a_checklist(run: Run, mini_catalog: Path, home: Path) -> None:
    seed(home)
    result = run("export", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# A test path"
    assert re.fullmatch(
        r"Exported by mlpath on \d{4}-\d\d-\d\d \d\d:\d\d · 1 of 5 done, 1 doing, 1 skipped",
        lines[2],
    )
    assert lines[3:] == [
        "",
        "[x] done · ▶ in progress · ⏭ skipped · [ ] to do",
        "",
        "## Intro",
        "",
        "- [x] [Alpha Intro](https://example.org/alpha) — video, free, 30 min",
        "  > loved it — «ünïcode»",
        "- [ ] ▶ Beta Article — article, free, 1 h 30 min",
        "",
        "## Books (optional)",
        "",
        "- [ ] ⏭ [Gamma Book](https://example.org/gamma) — book, paid, 10 h, optional",
        "- [ ] [Gamma Course](https://example.org/course) — course, paid (free to audit), 20 h",
        "",
        "## Practice",
        "",
        "- [ ] [Delta Practice](https://example.org/delta) — exercises, free, 2 h",
        "",
        "## Not in this catalog",
        "",
        "- [x] retired-course — not in this catalog",
    ]


def test_markdown_export_respects_the_language(run: Run, mini_catalog: Path) -> None:
    result = run("--lang", "zh", "export", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "## 入门" in result.stdout
    # Kinds, costs and durations are mlpath's words, in Chinese too.
    assert "- [ ] [阿尔法](https://example.org/alpha) — 视频、免费、30 分钟" in result.stdout
    assert "[x] 已完成 · ▶ 学习中 · ⏭ 已跳过 · [ ] 待学" in result.stdout


def test_csv_export_has_a_row_per_resource(run: Run, mini_catalog: Path, home: Path) -> None:
    seed(home)
    result = run("export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        [
            "id",
            "title",
            "section",
            "kind",
            "cost",
            "minutes",
            "status",
            "started",
            "finished",
            "url",
            "optional",
            "notes",
        ],
        [
            "alpha",
            "Alpha Intro",
            "intro",
            "video",
            "free",
            "30",
            "done",
            "2026-01-05 09:00",
            "2026-01-06 10:30",
            "https://example.org/alpha",
            "no",
            "loved it — «ünïcode»",
        ],
        [
            "beta",
            "Beta Article",
            "intro",
            "article",
            "free",
            "90",
            "doing",
            "2026-01-07 08:00",
            "",
            "",
            "no",
            "",
        ],
        [
            "gamma-book",
            "Gamma Book",
            "books",
            "book",
            "paid",
            "600",
            "skipped",
            "",
            "",
            "https://example.org/gamma",
            "yes",
            "",
        ],
        [
            "gamma-course",
            "Gamma Course",
            "books",
            "course",
            "paid",
            "1200",
            "todo",
            "",
            "",
            "https://example.org/course",
            "no",
            "",
        ],
        # delta's `done` was undone: no finish date.
        [
            "delta",
            "Delta Practice",
            "practice",
            "exercises",
            "free",
            "120",
            "todo",
            "",
            "",
            "https://example.org/delta",
            "no",
            "",
        ],
        [
            "retired-course",
            "",
            "not in this catalog",
            "",
            "",
            "",
            "done",
            "",
            "2026-01-10 07:00",
            "",
            "",
            "",
        ],
    ]


def test_export_on_a_fresh_machine_creates_nothing(
    run: Run, mini_catalog: Path, home: Path
) -> None:
    result = run("export")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["changes"] == []
    assert not home.exists()


# --- writing a file ------------------------------------------------------------------


def test_output_file_is_not_overwritten_without_force(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    seed(home)
    target = tmp_path / "out" / "progress.md"
    target.parent.mkdir()
    target.write_text("precious", encoding="utf-8")

    refused = run("export", "-o", str(target))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"mlpath: {target} already exists — choose another name, or add --force to replace it\n"
    )
    assert target.read_text(encoding="utf-8") == "precious"

    forced = run("export", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout == f"exported your progress to {target} (markdown)\n"
    assert target.read_text(encoding="utf-8").startswith("# A test path\n")
    assert sorted(p.name for p in target.parent.iterdir()) == ["progress.md"]


@pytest.mark.parametrize(
    ("name", "first_line"),
    [
        ("p.json", "{"),
        ("p.md", "# A test path"),
        ("p.csv", "id,title,section,kind,cost,minutes,status,started,finished,url,optional,notes"),
        ("p.txt", "{"),
    ],
)
def test_output_format_follows_the_file_suffix(
    run: Run, mini_catalog: Path, tmp_path: Path, name: str, first_line: str
) -> None:
    target = tmp_path / name
    assert run("export", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").splitlines()[0] == first_line


def test_output_into_a_missing_directory_is_refused(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nowhere" / "p.json"
    result = run("export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"mlpath: cannot write {target}: No such file or directory\n"


# --- refusing bad files --------------------------------------------------------------


def test_a_bad_file_lists_every_problem_with_its_location(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    document = export_document()
    document["exported_at"] = "2026-13-01T00:00:00.000000Z"
    document["changes"][0]["status"] = "finished"
    document["changes"][2]["uid"] = "ABC"
    del document["changes"][3]["note"]
    document["changes"][6]["reverts"] = None
    document["changes"][7]["colour"] = "blue"
    document["changes"].append(document["changes"][1])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: cannot import {path}: 7 problems: "
        "exported_at: is not a real date and time; "
        "changes[0].status: must be 'todo', 'doing', 'done' or 'skipped'; "
        "changes[2].uid: must be 32 lowercase hexadecimal digits; "
        "changes[3].note: is required; "
        "changes[6].reverts: is required for an undo: the uid of the change it reverts; "
        "changes[7].colour: is not a known field; "
        "changes[8].uid: repeats the uid of changes[1] — nothing was imported\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "it is not valid JSON: Expecting value (line 1, column 1)"),
        (b"\xff\xfe{}", "it is not UTF-8 text (byte 0xff at offset 0)"),
        (b"[1, 2]", 'it is not an mlpath export (expected a JSON object with "format"'),
        (
            b'{"format": "mlpath-export", "version": 4, "changes": "later"}',
            "it was written by a newer mlpath (export version 4; this one reads version 3)",
        ),
        (b"[" * 100_000, "it is not valid JSON: it is nested too deeply"),
        (b"1" * 5000, "it is not valid JSON: a number is too long"),
    ],
)
def test_unreadable_files_are_refused(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: cannot import {path}: {message}")
    assert result.stderr.count("\n") == 1
    assert not home.exists()


def test_a_huge_file_is_refused_unread(run: Run, mini_catalog: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(import_quick.MAX_IMPORT_BYTES + 1)  # sparse: costs no disk
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: cannot import {path}: it is larger than 200 MB, far more than any export "
        "— is it the right file?\n"
    )


def test_a_huge_stdin_is_refused(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.dumps(export_document()).encode()
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", len(document) - 1)
    stdin_with(monkeypatch, document)
    result = run("import", "-")
    assert result.exit_code == 1
    assert result.stderr.startswith("mlpath: cannot import standard input: it is larger than")


def test_a_missing_file_is_refused(run: Run, mini_catalog: Path, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.json"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: cannot import {tmp_path / 'nope.json'}: No such file or directory\n"
    )


# --- property: nothing malformed gets in ---------------------------------------------

VALID = export_document()
VALID_BYTES = json.dumps(VALID, ensure_ascii=False, indent=2).encode("utf-8")
TOP_KEYS = tuple(VALID)
CHANGE_KEYS = tuple(VALID["changes"][0])
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def _is_stamp(text: str) -> bool:
    if not _STAMP.fullmatch(text):
        return False
    try:
        datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return False
    return True


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
not_text_or_null = (
    st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
)
# Values a field of each kind can never take.
WRONG_TYPES: dict[str, st.SearchStrategy[Any]] = {
    "version": st.none() | st.booleans() | st.floats() | st.text(max_size=5) | st.lists(st.none()),
    "changes": st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.just({}),
}
bad_stamps = st.sampled_from(
    [
        "2026-02-30T00:00:00.000000Z",
        "2026-11-23T14:02:09Z",
        "2026-11-23 14:02:09.123456Z",
        "2026-11-23T14:02:09.123456+00:00",
        "2026-11-23T14:02:09.123456z",
        "２０２６-11-23T14:02:09.123456Z",
        "0000-01-01T00:00:00.000000Z",
        "",
    ]
) | st.text(max_size=30).filter(lambda s: not _is_stamp(s))
huge = st.integers(min_value=10_000, max_value=300_000).map(lambda n: "x" * n)


@st.composite
def mutated_exports(draw: st.DrawFn) -> bytes:
    """A valid export with one thing broken, as a mutation a person or a tool might make."""
    doc = copy.deepcopy(VALID)
    changes: list[Any] = doc["changes"]
    index = draw(st.integers(0, len(changes) - 1))
    entry = changes[index]
    how = draw(
        st.sampled_from(
            [
                "remove top key",
                "remove change key",
                "wrong top type",
                "wrong change type",
                "change not an object",
                "bad timestamp",
                "bad status",
                "misplaced status",
                "bad action",
                "huge value",
                "huge key",
                "duplicate",
                "dangling undo",
                "truncated",
            ]
        )
    )
    if how == "remove top key":
        del doc[draw(st.sampled_from(TOP_KEYS))]
    elif how == "remove change key":
        del entry[draw(st.sampled_from(CHANGE_KEYS))]
    elif how == "wrong top type":
        key = draw(st.sampled_from(TOP_KEYS))
        doc[key] = draw(WRONG_TYPES.get(key, not_text_or_null))
    elif how == "wrong change type":
        entry[draw(st.sampled_from(CHANGE_KEYS))] = draw(not_text_or_null)
    elif how == "change not an object":
        changes[index] = draw(not_text_or_null.filter(lambda v: not isinstance(v, dict)))
    elif how == "bad timestamp":
        stamp = draw(bad_stamps)
        if draw(st.booleans()):
            doc["exported_at"] = stamp
        else:
            entry["at"] = stamp
    elif how == "bad status":
        status_changes = [c for c in changes if c["action"] == "status"]
        target = draw(st.sampled_from(status_changes))
        target["status"] = draw(
            st.text(max_size=12).filter(lambda s: s not in ("todo", "doing", "done", "skipped"))
            | st.none()
        )
    elif how == "misplaced status":
        others = [c for c in changes if c["action"] != "status"]
        draw(st.sampled_from(others))["status"] = draw(st.sampled_from(["done", "todo"]))
    elif how == "bad action":
        entry["action"] = draw(
            st.text(max_size=12).filter(lambda s: s not in ("status", "note", "undo"))
        )
    elif how == "huge value":
        key = draw(st.sampled_from(["uid", "at", "resource", "action", "status", "reverts"]))
        entry[key] = draw(huge)
    elif how == "huge key":
        entry[draw(huge)] = draw(json_values)
    elif how == "duplicate":
        changes.append(copy.deepcopy(entry))
    elif how == "dangling undo":
        undo = next(c for c in changes if c["action"] == "undo")
        undo["reverts"] = draw(
            st.text("0123456789abcdef", min_size=32, max_size=32).filter(
                lambda u: u not in {c["uid"] for c in VALID["changes"]}
            )
        )
    else:
        text = json.dumps(doc)
        return text[: draw(st.integers(0, text.rindex("}") - 1))].encode()
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@st.composite
def not_utf8(draw: st.DrawFn) -> bytes:
    at = draw(st.integers(0, len(VALID_BYTES)))
    bad = draw(st.sampled_from([b"\xff", b"\xfe", b"\x80", b"\xc3\x28", b"\xed\xa0\x80"]))
    return VALID_BYTES[:at] + bad + VALID_BYTES[at:]


malformed = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"format": st.just("mlpath-export")},
        optional={
            "version": st.just(1) | json_values,
            "exported_at": st.text(max_size=30),
            "catalog_title": json_values,
            "changes": st.lists(json_values, max_size=3),
        },
    ).map(lambda v: json.dumps(v).encode()),
    mutated_exports(),
    not_utf8().filter(lambda b: not _is_utf8(b)),
    st.binary(max_size=200),
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seeded(mini_catalog: Path, home: Path) -> tuple[Path, str]:
    """A machine with a known history, and a digest of its store file's bytes."""
    seed(home, KNOWN_HISTORY[:4])
    return home, digest(home / "progress.db")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=malformed)
def test_malformed_files_are_refused_and_change_nothing(
    content: bytes,
    seeded: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home, store_digest = seeded
    rows = snapshot(home)
    path = tmp_path / "malformed.json"
    path.write_bytes(content)
    capsys.readouterr()
    code = cli.run(["import", str(path)])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert out == ""
    assert err.startswith("mlpath: cannot import ")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert snapshot(home) == rows
    assert digest(home / "progress.db") == store_digest
    assert sorted(p.name for p in home.iterdir()) == ["progress.db"]


@settings(max_examples=60, deadline=None)
@given(content=malformed)
def test_parse_export_refuses_malformed_bytes(content: bytes) -> None:
    with pytest.raises(ImportFileError) as refused:
        import_file.parse_export(content, "file.json")
    assert "\n" not in str(refused.value)


def test_the_valid_export_used_by_the_properties_is_valid() -> None:
    export = import_file.parse_export(VALID_BYTES, "file.json")
    assert [c.to_change() for c in export.changes] == list(KNOWN_HISTORY)


# --- export version 2, old files, times and text from outside (issue 9) ---------------

DATA = Path(__file__).parent / "data"


def test_an_export_of_the_first_format_still_imports(
    run: Run, mini_catalog: Path, home: Path
) -> None:
    # Written by mlpath ea534eb: done alpha, start beta, skip --section books, done
    # delta, undo, reset gamma-course, a note.
    result = run("import", str(DATA / "export-v1.json"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("imported 8 changes, 0 already present\n")
    listed = payload(run("list", "--json").stdout)["resources"]
    assert {r["id"]: r["status"] for r in listed} == {
        "alpha": "done",
        "beta": "doing",
        "gamma-book": "skipped",
        "gamma-course": "todo",
        "delta": "todo",
    }
    assert run("import", str(DATA / "export-v1.json")).stdout.endswith(
        "imported 0 changes, 8 already present\n"
    )


def test_a_store_of_the_previous_schema_is_migrated_with_its_commands(
    run: Run, mini_catalog: Path, home: Path
) -> None:
    home.mkdir()
    (home / "progress.db").write_bytes((DATA / "progress-schema2.db").read_bytes())
    result = run("undo")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid: note on alpha")
    result = run("undo")
    assert result.stdout.startswith("undid: todo gamma-course")
    listed = payload(run("list", "--json").stdout)["resources"]
    assert {r["id"]: r["status"] for r in listed if r["status"] != "todo"} == {
        "alpha": "done",
        "beta": "doing",
        "gamma-book": "skipped",
        "gamma-course": "skipped",
    }


def test_every_export_imports_again_with_its_clocks_and_units(
    run: Run, mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (("done", "alpha"), ("skip", "--section", "books"), ("undo",), ("start", "beta")):
        assert run(*args).exit_code == 0
    assert run("import", str(DATA / "export-v1.json")).exit_code == 0
    first = tmp_path / "first.json"
    assert run("export", "-o", str(first)).exit_code == 0
    document = json.loads(first.read_text())
    assert document["version"] == 3
    labels = [u["label"].split()[0] for u in document["units"]]
    assert labels[:2] == ["done", "skip"] and "undo" in labels and labels[-1] == "import"
    listed = run("list", "--json").stdout

    use_home(monkeypatch, tmp_path / "other-machine")
    result = run("import", str(first))
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").stdout == listed
    again = tmp_path / "again.json"
    assert run("export", "-o", str(again)).exit_code == 0
    second = json.loads(again.read_text())
    assert second["changes"] == document["changes"]
    assert second["units"] == document["units"]
    # One undo on the other machine takes back the whole import.
    assert run("undo").exit_code == 0
    assert all(r["status"] == "todo" for r in payload(run("list", "--json").stdout)["resources"])


def test_a_change_from_the_far_future_is_refused_and_nothing_is_written(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    seed(home, KNOWN_HISTORY[:2])
    before = snapshot(home)
    document = export_document()
    document["changes"][4]["at"] = "9999-01-01T00:00:00.000000Z"
    document["changes"][6]["at"] = "9998-01-01T00:00:00.000000Z"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"mlpath: cannot import {path}: changes[4] (status gamma-book, uid {5:032x}) is dated "
        "9999-01-01T00:00:00.000000Z, more than a day after this machine's clock"
    )
    assert result.stderr.count("\n") == 1
    assert snapshot(home) == before


def test_a_clock_from_the_far_future_is_refused(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    assert run("done", "alpha").exit_code == 0
    exported = json.loads(run("export").stdout)
    exported["changes"][0]["clock"] += 2 * 86_400 * 10**6
    path = tmp_path / "ahead.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "changes[0] (status alpha, uid " in result.stderr
    assert "more than a day after this machine's clock" in result.stderr


@pytest.mark.parametrize(
    ("where", "value", "problem"),
    [
        ("at", "1969-12-31T23:59:59.999999Z", "changes[1].at: must be a time from 1970 on"),
        ("at", "0001-01-01T00:00:00.000000Z", "changes[1].at: must be a time from 1970 on"),
        ("at", "2026-02-29T00:00:00.000000Z", "changes[1].at: is not a real date and time"),
        ("status", "finished", "changes[1].status: must be 'todo', 'doing', 'done' or"),
        ("action", "delete", "changes[1].action: must be 'status', 'note' or 'undo'"),
    ],
)
def test_bad_times_statuses_and_actions_are_refused_with_their_place(
    run: Run, mini_catalog: Path, tmp_path: Path, where: str, value: str, problem: str
) -> None:
    document = export_document()
    document["changes"][1][where] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_lone_surrogate_in_a_note_is_refused_with_its_place(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "surrogate.json"
    text = json.dumps(export_document())
    path.write_text(text.replace("loved it", "loved \\ud800 it"), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: cannot import {path}: 1 problem: changes[3].note: holds a character that "
        "is not text (U+D800 at position 6) — nothing was imported\n"
    )
    assert not home.exists()


def test_a_version_2_change_must_name_a_listed_unit(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("done", "alpha").exit_code == 0
    exported = json.loads(run("export").stdout)
    exported["units"] = []
    path = tmp_path / "no-units.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "changes[0].unit: names no unit in this file" in result.stderr


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        ("UPDATE changes SET status = 'finished'", "an unknown status 'finished'"),
        ("UPDATE changes SET at = 'yesterday'", "a time that is not one ('yesterday')"),
        ("UPDATE changes SET action = 'delete'", "an unknown action 'delete'"),
    ],
)
@pytest.mark.parametrize(
    "command", [("history",), ("show", "alpha"), ("export",), ("undo",), ("progress",)]
)
def test_a_hand_edited_store_gives_one_clear_line(
    run: Run, mini_catalog: Path, home: Path, edit: str, needle: str, command: tuple[str, ...]
) -> None:
    assert run("done", "alpha").exit_code == 0
    conn = sqlite3.connect(home / "progress.db")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(edit)
    conn.commit()
    conn.close()
    result = run(*command)
    assert result.exit_code == 1
    if command == ("undo",) and "CHECK constraint failed" in result.stderr:
        # Before a write the store is checked whole, and SQLite names the broken rule.
        needle = "is damaged (SQLite's check says: CHECK constraint failed in changes)"
    assert needle in result.stderr, result.stderr
    assert result.stderr.startswith("mlpath: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_importing_a_markdown_or_csv_export_says_which_export_imports(
    run: Run, mini_catalog: Path, tmp_path: Path, fmt: str
) -> None:
    exported = tmp_path / f"progress.{'md' if fmt == 'markdown' else 'csv'}"
    assert run("export", "--format", fmt, "-o", str(exported)).exit_code == 0
    result = run("import", str(exported))
    assert result.exit_code == 1
    assert "only a JSON export (`mlpath export -o FILE.json`) can be imported" in result.stderr

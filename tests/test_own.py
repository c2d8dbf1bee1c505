"""Resources and parts of the learner's own: `add`, `remove`, `parts`, and how every other
command, export, import, undo and a catalog update treat them."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINI_CATALOG, Run, payload
from mlpath import json_layout, models, own, own_overlay
from mlpath.errors import CatalogError, DefinitionError
from mlpath.validate import validate_catalog_text

# --- ids, limits and places -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Deep Learning with Python (2nd ed.)", "deep-learning-with-python-2nd-ed"),
        ("My notes", "notes"),
        ("Über Café", "uber-cafe"),
        ("深度学习", "resource"),
        ("word " * 20, "word-word-word-word-word-word"),
    ],
)
def test_a_title_gives_a_short_typeable_slug(title: str, expected: str) -> None:
    assert own.slug(title) == expected
    assert len(own.slug(title)) <= own.MAX_SLUG


def test_an_id_taken_gets_the_next_number() -> None:
    assert own.unique_id("my-a", {"my-a", "my-a-2"}) == "my-a-3"
    assert own.unique_id("my-b", {"my-a"}) == "my-b"


def test_own_limits_are_the_catalogs() -> None:
    assert (own.MAX_TEXT, own.MAX_URL, own.MAX_MINUTES, own.MAX_PARTS) == (
        models.MAX_TEXT,
        models.MAX_URL,
        models.MAX_MINUTES,
        models.MAX_PARTS,
    )


def mine(section: str, after: str | None = None, added: str = "1") -> dict[str, Any]:
    return {"title": "t", "section": section, "after": after, "added": added}


def test_own_resources_go_after_what_they_name_or_at_their_sections_end() -> None:
    catalog = {"a": (0, "s1"), "b": (1, "s1"), "c": (2, "s2")}
    ends = {"s1": 1, "s2": 2}
    placed = own_overlay.place(
        {
            "my-x": mine("s1", "a", "1"),
            "my-y": mine("s1", "my-x", "2"),
            "my-z": mine("s1", None, "3"),
            "my-gone": mine("s1", "removed-by-an-update", "4"),
            "my-lost": mine("no-such-section", None, "5"),
            "my-p": mine("s2", "my-q", "6"),
            "my-q": mine("s2", "my-p", "7"),
        },
        ["s1", "s2"],
        catalog,
        ends,
    )
    order = sorted(
        [*placed, *catalog], key=lambda k: placed[k][0] if k in placed else catalog[k][0]
    )
    assert order == ["a", "my-x", "my-y", "b", "my-z", "my-gone", "c", "my-lost", "my-p", "my-q"]
    assert placed["my-lost"][1] == "s2"  # its section is gone: the end of the path


def test_parts_share_what_the_estimate_leaves_and_never_shorten_it() -> None:
    split = own.numbered_parts(3)
    assert own.part_minutes(100, 0, split) == ([34, 33, 33], 100)
    typed = [own.OwnPart("my-a", "A", 30, None), own.OwnPart("my-b", "B", None, None)]
    assert own.part_minutes(100, 0, typed) == ([30, 70], 100)
    assert own.part_minutes(20, 0, typed) == ([30, 0], 30)  # more than the estimate
    # After the catalog's parts (which add up to the estimate): only what is typed counts.
    assert own.part_minutes(100, 100, typed) == ([30, 0], 130)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("my-x", {"section": "s"}, "its title is not text"),
        ("my-x", {"title": "t", "section": "s", "minutes": -1}, "its minutes are not"),
        ("my-x", {"title": "t", "section": "s", "minutes": True}, "its minutes are not"),
        ("my-x", {"title": "t", "section": "s", "url": "ftp://x"}, "http(s) URL"),
        ("my-x", {"title": "a\x1bb", "section": "s"}, "control character"),
        ("my-x", {"title": "t", "section": "s", "cost": "cheap"}, "neither free nor paid"),
        ("d2l", {"title": "t", "section": "s"}, "not an id of your own"),
        ("parts:d2l", {"parts": []}, "from 1 to 500 parts"),
        ("parts:d2l", {"parts": [{"id": "intro", "title": "t"}]}, "not an id of your own"),
        (
            "parts:d2l",
            {"parts": [{"id": "my-a", "title": "t"}, {"id": "my-a", "title": "u"}]},
            "there twice",
        ),
        ("parts:d2l", ["not", "an", "object"], "not an object"),
    ],
)
def test_a_bad_definition_says_what_is_wrong(key: str, value: Any, problem: str) -> None:
    found = own.definition_problem(key, value)
    assert found is not None and problem in found


def test_a_good_definition_and_a_withdrawal_pass() -> None:
    assert own.definition_problem("my-x", {"title": "t", "section": "s", "later": 1}) is None
    assert own.definition_problem("parts:x", {"parts": [{"id": "my-1", "title": "P"}]}) is None
    assert own.definition_problem("my-x", None) is None


def catalog_problems(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogError) as caught:
        validate_catalog_text(json.dumps(data), "cat.json")
    return str(caught.value)


def test_a_catalog_may_not_use_ids_kept_for_the_learners_own() -> None:
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"][4]["id"] = "my-delta"
    assert catalog_problems(data) == (
        "catalog cat.json has 1 problem: resources[4].id: 'my-delta' starts with 'my-', "
        "which is kept for a learner's own resources; give it another id"
    )
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"][0]["parts"] = [{"id": "my-intro", "title": "Intro", "minutes": 30}]
    assert "resources[0].parts[0].id: 'my-intro' starts with 'my-'" in catalog_problems(data)


# --- through the commands ---------------------------------------------------------------


def data_of(run: Run, *args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return payload(result.stdout, args[0])


def ids_listed(run: Run) -> list[str]:
    return [r["id"] for r in data_of(run, "list")["resources"]]


@pytest.mark.usefixtures("mini_catalog")
def test_an_own_resource_is_on_the_path_marked_as_yours(run: Run) -> None:
    result = run("add", "My", "lecture", "notes", "--section", "intro", "--minutes", "45")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "added: my-lecture-notes · My lecture notes (yours)",
        "  intro, at the end of the section · about 45 min",
    ]
    assert ids_listed(run) == [
        "alpha",
        "beta",
        "my-lecture-notes",
        "gamma-book",
        "gamma-course",
        "delta",
    ]
    listed = {r["id"]: r for r in data_of(run, "list")["resources"]}
    assert listed["my-lecture-notes"]["own"] is True and listed["alpha"]["own"] is False
    assert listed["my-lecture-notes"]["kind"] == "own"
    # Nothing it waits for: `next` offers it beside alpha.
    steps = data_of(run, "next", "-n", "2")["next"]
    assert [s["id"] for s in steps] == ["alpha", "my-lecture-notes"]
    assert "▶ my-lecture-notes · My lecture notes (yours)" in run("next", "-n", "2").stdout
    # Counted in the horizon: the four required resources and it (the optional book is not).
    assert data_of(run, "next")["progress"]["total"] == 5
    shown = data_of(run, "show", "my-lec")
    assert shown["resource"]["own"] is True and shown["resource"]["minutes"] == 45
    assert (
        run("done", "my-lecture-notes").stdout
        == "done: my-lecture-notes · My lecture notes (yours)\n"
    )
    progress = data_of(run, "progress")
    intro = next(s for s in progress["sections"] if s["id"] == "intro")
    assert (intro["done"], intro["total"], intro["minutes_done"]) == (1, 3, 45)
    assert progress["not_in_catalog"] == []


@pytest.mark.usefixtures("mini_catalog")
def test_add_after_places_it_and_refuses_another_section(run: Run) -> None:
    assert run("add", "Extra", "--after", "alpha").exit_code == 0
    assert ids_listed(run)[:3] == ["alpha", "my-extra", "beta"]
    assert run("add", "Second", "--after", "my-extra").exit_code == 0
    assert ids_listed(run)[:4] == ["alpha", "my-extra", "my-second", "beta"]
    wrong = run("add", "Third", "--after", "alpha", "--section", "books")
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "mlpath: alpha is in section intro, not books: give --section intro, "
        "or --after a resource of books\n",
    )
    nowhere = run("add", "Fourth")
    assert nowhere.exit_code == 2 and "--section SECTION" in nowhere.stderr
    unknown = run("add", "Fifth", "--section", "nope")
    assert unknown.exit_code == 1 and "unknown section 'nope'" in unknown.stderr
    bad_url = run("add", "Sixth", "--section", "intro", "--url", "javascript:alert(1)")
    assert bad_url.exit_code == 2 and bad_url.stderr.startswith("mlpath: --url javascript:")


@pytest.mark.usefixtures("mini_catalog")
def test_the_same_title_twice_gets_two_ids(run: Run) -> None:
    run("add", "Notes", "--section", "intro")
    run("add", "Notes", "--section", "books")
    assert [i for i in ids_listed(run) if i.startswith("my-")] == ["my-notes", "my-notes-2"]


@pytest.mark.usefixtures("mini_catalog")
def test_an_own_book_goes_chapter_by_chapter(run: Run) -> None:
    added = data_of(
        run, "add", "A", "Book", "--section", "books", "--minutes", "90", "--parts", "3"
    )
    assert [(p["number"], p["id"], p["minutes"]) for p in added["parts"]] == [
        (1, "my-1", 30),
        (2, "my-2", 30),
        (3, "my-3", 30),
    ]
    run("done", "my-a-book/1")
    step = data_of(run, "next", "--section", "books")["next"][0]
    assert step["id"] == "my-a-book" and step["status"] == "doing"
    assert step["next_part"]["number"] == 2 and step["next_part"]["own"] is True
    assert "  my-a-book/2 · 2 of 3 · Part 2 · about 30 min" in run("next", "-s", "books").stdout
    finished = run("done", "my-a-book/2-3")
    assert "done, every part: my-a-book · A Book (yours) (was doing)" in finished.stdout
    assert data_of(run, "show", "my-a-book")["status"] == "done"
    run("undo")
    assert data_of(run, "show", "my-a-book")["parts"]["done"] == 1


@pytest.mark.usefixtures("mini_catalog")
def test_parts_of_your_own_on_a_catalog_resource(run: Run) -> None:
    split = run("parts", "gamma-book", "--split", "4")
    assert split.exit_code == 0, split.stderr
    assert split.stdout.splitlines()[0] == (
        "split gamma-book into 4 parts: 4 parts, gamma-book/1 to gamma-book/4"
    )
    parts = data_of(run, "show", "gamma-book")["parts"]["parts"]
    assert [p["minutes"] for p in parts] == [150, 150, 150, 150]
    run("done", "gamma-book/1")
    added = run("parts", "gamma-book", "--add", "Appendix", "--minutes", "60")
    assert added.stdout.splitlines()[0] == ("added: gamma-book/5 · Appendix (yours) · 1 h")
    shown = data_of(run, "show", "gamma-book")
    assert shown["resource"]["minutes"] == 600  # the parts fit in the book's estimate
    assert [p["id"] for p in shown["parts"]["parts"]][-1] == "my-appendix"
    again = run("parts", "gamma-book", "--split", "2")
    assert again.exit_code == 2 and "--clear` takes them away first" in again.stderr
    removed = run("parts", "gamma-book", "--remove", "2-3")
    assert removed.stdout.splitlines()[:2] == [
        # Each had its share of what the appendix's hour left of the 10 h book.
        "removed: gamma-book/2 · Part 2 (yours) · 2 h 15 min",
        "removed: gamma-book/3 · Part 3 (yours) · 2 h 15 min",
    ]
    # Progress is kept by part id: my-1 is still done, now beside my-4 and the appendix.
    kept = data_of(run, "show", "gamma-book")["parts"]
    assert [(p["id"], p["status"]) for p in kept["parts"]] == [
        ("my-1", "done"),
        ("my-4", "todo"),
        ("my-appendix", "todo"),
    ]
    assert run("parts", "gamma-book", "--clear").stdout.startswith(
        "cleared 3 parts of yours from gamma-book"
    )
    assert data_of(run, "show", "gamma-book")["parts"] is None
    assert run("parts", "gamma-book").exit_code == 2
    assert run("parts", "gamma-book", "--split", "2", "--clear").exit_code == 2


def catalog_with_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **change: Any) -> Path:
    data = copy.deepcopy(MINI_CATALOG)
    delta = data["resources"][4]
    delta["parts"] = [
        {"id": "warm-up", "title": "Warm-up", "minutes": 60},
        {"id": "drills", "title": "Drills", "minutes": 60},
    ]
    for key, value in change.items():
        delta[key] = value
    path = tmp_path / "parts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


def test_a_resource_with_catalog_parts_keeps_them_and_takes_yours_after(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog_with_parts(tmp_path, monkeypatch)
    refused = run("parts", "delta", "--split", "3")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "mlpath: delta has 2 parts from the catalog; "
        'add one of your own after them with --add "TITLE"\n',
    )
    assert run("parts", "delta", "--add", "Project", "--minutes", "30").exit_code == 0
    shown = data_of(run, "show", "delta")
    assert [p["id"] for p in shown["parts"]["parts"]] == ["warm-up", "drills", "my-project"]
    assert shown["resource"]["minutes"] == 150
    # The horizon (core): every required resource, delta with its parts; not the
    # optional book nobody started.
    assert data_of(run, "next", "-n", "9")["progress"]["minutes_left"] == 30 + 90 + 1200 + 150
    theirs = run("parts", "delta", "--remove", "1")
    assert theirs.exit_code == 2 and "delta/1 is the catalog's part" in theirs.stderr


@pytest.mark.usefixtures("mini_catalog")
def test_remove_takes_yours_away_keeps_its_history_and_undo_brings_it_back(run: Run) -> None:
    run("add", "Notes", "--section", "intro", "--parts", "2")
    run("add", "After", "--after", "my-notes")
    run("done", "my-notes/1")
    refused = run("remove", "alpha")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "mlpath: alpha is from the catalog, not one of yours: only resources you added "
        "(my-...) can be removed; `mlpath skip alpha` passes over it\n",
    )
    removed = run("remove", "my-notes")
    assert removed.stdout.splitlines() == [
        "removed: my-notes · Notes (yours), with 2 parts",
        "  its progress (doing) stays in the history; `mlpath undo` brings it back",
    ]
    # What followed it takes its place.
    assert ids_listed(run)[:3] == ["alpha", "beta", "my-after"]
    assert data_of(run, "progress")["not_in_catalog"] == []
    assert "my-notes" not in run("export", "-f", "markdown").stdout
    history = run("history").stdout
    assert "removed (yours)" in history and "parts of yours: none" in history
    assert run("show", "my-notes").stdout.startswith("my-notes — not in this catalog")
    # A new resource of the same title does not inherit the old one's progress.
    assert data_of(run, "add", "Notes", "--section", "books")["id"] == "my-notes-2"
    run("undo")
    undone = run("undo").stdout
    assert "undid: removal of my-notes" in undone
    assert "undid: parts of yours on my-notes" in undone
    assert ids_listed(run)[:4] == ["alpha", "beta", "my-notes", "my-after"]
    assert data_of(run, "show", "my-notes")["parts"]["done"] == 1


@pytest.mark.usefixtures("mini_catalog")
def test_undo_takes_an_add_back_whole(run: Run) -> None:
    run("add", "Book", "--section", "books", "--parts", "3")
    assert "undid: definition of my-book" in run("undo").stdout
    assert not [i for i in ids_listed(run) if i.startswith("my-")]
    assert data_of(run, "next")["progress"]["total"] == 4  # the required ones, as before


@pytest.mark.usefixtures("mini_catalog")
def test_history_reads_what_was_added(run: Run) -> None:
    run("add", "Book", "--section", "books", "--parts", "3")
    lines = run("history").stdout.splitlines()
    assert lines[1].endswith("parts:my-book  parts of yours: 3")
    assert lines[2].endswith("my-book        yours: Book · books")


@pytest.mark.usefixtures("mini_catalog")
def test_export_import_round_trip_is_identical(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("add", "Book", "--section", "books", "--minutes", "300", "--parts", "3")
    run("parts", "alpha", "--add", "Quiz", "--minutes", "10")
    run("done", "my-book/1", "alpha/1")
    exported = tmp_path / "out.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    before = {cmd: data_of(run, *cmd.split()) for cmd in ("list", "show my-book", "show alpha")}
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    imported = run("import", str(exported))
    assert imported.exit_code == 0, imported.stderr
    assert "my-book (yours): todo → doing" in imported.stdout
    again = tmp_path / "again.json"
    run("export", "-o", str(again))

    def without_time(path: Path) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(path.read_text())
        document.pop("exported_at")
        return document

    assert without_time(again) == without_time(exported)
    for cmd, data in before.items():
        after = data_of(run, *cmd.split())
        if cmd.startswith("show"):
            for item in (data, after):
                item.pop("history")  # the uids are the same; the local sequence is not
        assert after == data


@pytest.mark.usefixtures("mini_catalog")
def test_exports_show_own_resources_and_parts(run: Run) -> None:
    run("add", "Book", "--section", "books", "--minutes", "60", "--parts", "2")
    run("start", "my-book/1")
    markdown = run("export", "-f", "markdown").stdout
    assert "- [ ] ▶ Book — own, free, 1 h" in markdown
    assert "  - [ ] my-book/2 · Part 2" in markdown
    csv = run("export", "-f", "csv").stdout
    assert "my-book,Book,books,own,free,60,doing" in csv
    assert "parts:" not in markdown + csv


def test_a_catalog_update_keeps_progress_on_yours(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cat.json"
    data = copy.deepcopy(MINI_CATALOG)
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    run("add", "Extra", "--after", "beta")
    run("parts", "delta", "--split", "2")
    run("parts", "gamma-course", "--split", "2")
    run("done", "delta/1", "my-extra", "gamma-course/2")

    # The update: beta is gone, delta gains two parts of its own, gamma-course is gone.
    del data["resources"][1]
    data["resources"][3]["prerequisites"] = []
    data["resources"][3]["parts"] = [
        {"id": "warm-up", "title": "Warm-up", "minutes": 60},
        {"id": "drills", "title": "Drills", "minutes": 60},
    ]
    del data["resources"][2]
    path.write_text(json.dumps(data), encoding="utf-8")

    assert ids_listed(run) == ["alpha", "my-extra", "gamma-book", "delta"]
    delta = data_of(run, "show", "delta")["parts"]["parts"]
    assert [(p["id"], p["status"]) for p in delta] == [
        ("warm-up", "todo"),
        ("drills", "todo"),
        ("my-1", "done"),
        ("my-2", "todo"),
    ]
    assert data_of(run, "show", "my-extra")["status"] == "done"
    # The catalog's resource taken away is listed as such; the learner's parts on it wait.
    orphans = data_of(run, "progress")["not_in_catalog"]
    assert [o["id"] for o in orphans] == ["gamma-course"]

    # The resource comes back: its parts of yours, and their progress, with it.
    path.write_text(json.dumps(MINI_CATALOG), encoding="utf-8")
    parts = data_of(run, "show", "gamma-course")["parts"]["parts"]
    assert [(p["id"], p["status"]) for p in parts] == [("my-1", "todo"), ("my-2", "done")]


@pytest.mark.usefixtures("mini_catalog")
def test_a_definition_that_cannot_be_read_is_one_line_and_can_be_removed(
    run: Run, home: Path
) -> None:
    run("add", "Book", "--section", "books")
    conn = sqlite3.connect(home / "progress.db")
    conn.execute("""UPDATE defined SET value = '{"title": 5}' WHERE key = 'my-book'""")
    conn.commit()
    conn.close()
    broken = run("next")
    assert (broken.exit_code, broken.stderr) == (
        1,
        "mlpath: the progress store's definition of my-book cannot be read: its title is "
        "not text; `mlpath remove my-book` takes it away, or `mlpath undo` if it just came\n",
    )
    assert run("remove", "my-book").exit_code == 0
    assert run("next").exit_code == 0


@pytest.mark.usefixtures("mini_catalog")
def test_without_definitions_the_catalog_is_read_as_it_is(run: Run) -> None:
    from mlpath.catalog import catalog_path
    from mlpath.workspace import Workspace

    run("done", "alpha")  # a store, with no definitions
    ws = Workspace(catalog_path())
    try:
        temp = ws.db().execute("SELECT name FROM sqlite_temp_master").fetchall()
    finally:
        ws.close()
    assert temp == []


@pytest.mark.usefixtures("mini_catalog")
def test_doctor_does_not_take_yours_for_progress_the_catalog_lacks(run: Run) -> None:
    run("add", "Book", "--section", "books", "--parts", "2")
    run("parts", "alpha", "--split", "2")
    run("done", "my-book/1", "alpha/1")
    run("undo")
    found = data_of(run, "doctor")
    assert not [f for f in found["findings"] if "does not have" in f["message"]]


@pytest.mark.usefixtures("mini_catalog")
def test_start_skip_plan_and_search_know_yours(run: Run) -> None:
    run("add", "Side", "project", "--section", "practice", "--minutes", "120", "--paid")
    assert run("start", "my-side").stdout == "started: my-side-project · Side project (yours)\n"
    assert data_of(run, "next")["next"][0]["id"] == "my-side-project"
    planned = data_of(run, "plan", "-w", "10")
    assert "my-side-project" in json.dumps(planned)
    free_plan = data_of(run, "plan", "-w", "10", "--free")
    assert "my-side-project" in json.dumps(free_plan["left_out"])  # --paid: yours costs money
    assert [h["id"] for h in data_of(run, "search", "side", "project")["hits"]][0] == (
        "my-side-project"
    )
    assert run("skip", "my-side-project").stdout.startswith("skipped: my-side-project")


@pytest.mark.usefixtures("mini_catalog")
def test_list_filters_and_draws_yours_at_a_terminal(run: Run) -> None:
    run("add", "Notes", "--section", "intro")
    assert [r["id"] for r in data_of(run, "list", "--kind", "own")["resources"]] == ["my-notes"]
    drawn = run("list", terminal=True)
    assert drawn.exit_code == 0 and "my-notes" in drawn.stdout and "own" in drawn.stdout


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_sqlite_reads_a_definition_as_python_json_does(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    db = sqlite3.connect(":memory:")
    try:
        read = json_layout.sqlite_json(db, text)
        if "\\u0000" in text:  # SQLite's text would end there: left to Python's reader
            assert read is json_layout.NOT_READ
        else:
            assert read == json.loads(text)
    finally:
        db.close()


def test_text_sqlite_cannot_read_falls_back_to_pythons_reader() -> None:
    db = sqlite3.connect(":memory:")
    assert json_layout.sqlite_json(db, "{not json") is json_layout.NOT_READ
    assert own.decode({"my-x": '{"title": "T", "section": "s"}'}, db) == {
        "my-x": {"title": "T", "section": "s"}
    }
    with pytest.raises(DefinitionError, match="cannot be read: it is not an object"):
        own.decode({"my-x": "{not json"}, db)


@pytest.mark.usefixtures("mini_catalog")
def test_what_the_store_could_not_read_back_is_refused_at_the_command_line(run: Run) -> None:
    bad = run("add", "Bad\x1btitle", "--section", "books")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "mlpath: my-bad-title cannot be defined: its title holds a control character\n",
    )
    part = run("parts", "alpha", "--add", "x\x07y")
    assert part.exit_code == 2 and "its part 1's title holds a control character" in part.stderr
    assert ids_listed(run) == ["alpha", "beta", "gamma-book", "gamma-course", "delta"]


@pytest.mark.usefixtures("mini_catalog")
def test_search_and_sections_count_your_own(run: Run) -> None:
    before = {s["id"]: s for s in data_of(run, "sections")["sections"]}
    run("add", "Zeta", "workbook", "--section", "books", "--minutes", "45")
    hits = data_of(run, "search", "zeta workbook")["hits"]
    assert [h["id"] for h in hits][:1] == ["my-zeta-workbook"]
    after = {s["id"]: s for s in data_of(run, "sections")["sections"]}
    assert after["books"]["resources"] == before["books"]["resources"] + 1
    assert after["books"]["minutes"] == before["books"]["minutes"] + 45
    assert after["intro"] == before["intro"]


@pytest.mark.usefixtures("mini_catalog")
def test_an_import_refuses_an_own_resource_that_would_not_read_back(
    run: Run, tmp_path: Path
) -> None:
    run("add", "Notes", "--section", "intro")
    exported = tmp_path / "out.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    document = json.loads(exported.read_text())
    [define] = [c for c in document["changes"] if c["action"] == "define"]
    value = json.loads(define["note"])
    value["minutes"] = "a lot"
    define["note"] = json.dumps(value)
    exported.write_text(json.dumps(document))
    run("undo")
    result = run("import", str(exported))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: cannot import {exported}: changes[0].note: ")
    assert result.stderr.endswith(" — nothing was imported\n")
    assert run("list").exit_code == 0  # nothing stored that every command would trip on


@pytest.mark.usefixtures("mini_catalog")
def test_a_resource_added_without_an_estimate_says_so_rather_than_0_min(run: Run) -> None:
    assert run("add", "My notebook", "--section", "practice", "--parts", "2").exit_code == 0
    assert run("start", "my-notebook/1").exit_code == 0
    shown = run("show", "my-notebook").stdout
    listed = run("list", "-s", "practice").stdout
    upcoming = run("next", "-s", "practice", "-n", "1").stdout
    for output in (shown, listed, upcoming):
        assert "no estimate" in output
        assert "0 min" not in output
    assert "my-notebook/1 · 1 of 2 · Part 1\n" in upcoming

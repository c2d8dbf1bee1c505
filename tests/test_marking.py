"""Going through a resource part by part: `done ID/N`, ranges, the resource following its
parts, `next` naming the next part, `show` listing them, and undo taking a command back
whole. Through the real CLI (both front ends), on a catalog whose first resource has
three parts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_CATALOG, Run, payload
from mlpath.marking import follows

PARTS: list[dict[str, Any]] = [
    {"id": "welcome", "title": "Welcome", "title_zh": "欢迎", "minutes": 10},
    {"id": "basics", "title": "Basics", "minutes": 15, "url": "https://example.org/alpha/2"},
    {"id": "wrap-up", "title": "Wrap-up", "minutes": 5},
]


@pytest.fixture
def parts_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"][0]["parts"] = copy.deepcopy(PARTS)
    path = tmp_path / "parts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


def status(run: Run, rid: str) -> str:
    return str(payload(run("show", rid, "--json").stdout)["status"])


def test_a_course_lecture_by_lecture(run: Run, parts_catalog: Path) -> None:
    first = run("next")
    assert first.stdout.splitlines()[:2] == [
        "▶ alpha · Alpha Intro",
        "  alpha/1 · 1 of 3 · Welcome · about 10 min",
    ]
    assert run("next", "--short").stdout == "▶ alpha/1 · Welcome (intro)\n"

    done = run("done", "alpha/1")
    assert done.stdout == (
        "done: alpha/1 · Welcome\nnow in progress: alpha · Alpha Intro (was todo)\n"
    )
    after = run("next").stdout.splitlines()
    assert after[1] == "  alpha/2 · 2 of 3 · Basics · about 15 min"
    assert after[2] == "  Intro · video · free · about 20 min left"
    assert after[3] == "  https://example.org/alpha/2"  # the part's own link
    assert "alpha/1" not in run("next", "--short").stdout

    last = run("done", "alpha/2-3")
    assert last.stdout.splitlines() == [
        "done: alpha/2 · Basics",
        "done: alpha/3 · Wrap-up",
        "done, every part: alpha · Alpha Intro (was doing)",
    ]
    assert status(run, "alpha") == "done"
    assert run("next", "--short").stdout == "▶ beta · Beta Article (intro)\n"


def test_the_bar_fills_in_show_and_progress(run: Run, parts_catalog: Path) -> None:
    assert run("done", "alpha/welcome", "alpha/2").exit_code == 0
    shown = run("show", "alpha").stdout
    assert "parts: 2 of 3 done [#############-------]" in shown
    assert "  [x] alpha/1  Welcome · 10 min" in shown
    assert "  [ ] alpha/3  Wrap-up · 5 min" in shown
    parts = payload(run("show", "alpha", "--json").stdout)["parts"]
    assert (parts["done"], parts["total"], parts["next"]) == (2, 3, 3)
    progress = payload(run("progress", "--json").stdout)["overall"]
    assert (progress["minutes_done"], progress["done"], progress["doing"]) == (25, 0, 1)
    nexts = payload(run("next", "--json").stdout)
    assert nexts["progress"]["minutes_left"] == 2040 - 600 - 25  # core: not the optional book
    assert nexts["next"][0]["next_part"]["number"] == 3


def test_done_on_a_resource_with_parts_finishes_them_and_one_undo_takes_it_back(
    run: Run, parts_catalog: Path
) -> None:
    assert run("done", "alpha/1").exit_code == 0
    whole = run("done", "alpha")
    assert whole.stdout == "done: alpha · Alpha Intro (was doing), 2 parts with it\n"
    assert payload(run("show", "alpha", "--json").stdout)["parts"]["done"] == 3
    undone = run("undo")
    assert undone.stdout.splitlines()[0].startswith("undid: done alpha (")
    assert undone.stdout.splitlines()[1].startswith("undid: done 2 parts of alpha (")
    assert status(run, "alpha") == "doing"
    assert payload(run("show", "alpha", "--json").stdout)["parts"]["done"] == 1


def test_reset_a_resource_resets_its_parts(run: Run, parts_catalog: Path) -> None:
    assert run("done", "alpha/1-2").exit_code == 0
    assert (
        run("reset", "alpha").stdout == "reset: alpha · Alpha Intro (was doing), 2 parts with it\n"
    )
    assert payload(run("show", "alpha", "--json").stdout)["parts"]["settled"] == 0


def test_reopening_a_part_of_a_finished_resource(run: Run, parts_catalog: Path) -> None:
    assert run("done", "alpha").exit_code == 0
    assert run("reset", "alpha/2").stdout == (
        "reset: alpha/2 · Basics (was done)\nnow in progress: alpha · Alpha Intro (was done)\n"
    )
    assert run("next", "--short").stdout == "▶ alpha/2 · Basics (intro)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "alpha/4"], "mlpath: alpha has 3 parts; 4 is not one of them\n"),
        (["done", "alpha/0"], "mlpath: parts of alpha are numbered from 1, not 0\n"),
        (["done", "beta/1"], "mlpath: beta has no parts; use `beta` on its own\n"),
        (
            ["start", "alpha/nope"],
            "mlpath: alpha has no part 'nope' — give a number 1-3, a range, or a part id\n",
        ),
    ],
)
def test_a_part_that_is_not_there(
    run: Run, parts_catalog: Path, args: list[str], message: str
) -> None:
    result = run(*args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert payload(run("history", "--json").stdout)["changes"] == []


def test_parts_travel_in_an_export(
    run: Run, parts_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("done", "alpha/2").exit_code == 0
    exported = tmp_path / "mine.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    resources = {c["resource"] for c in json.loads(exported.read_text())["changes"]}
    assert resources == {"alpha/basics", "alpha"}
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other-machine"))
    imported = run("import", str(exported))
    assert imported.exit_code == 0, imported.stderr
    assert "alpha/2 · Basics: todo → done\n" in imported.stdout
    assert payload(run("show", "alpha", "--json").stdout)["parts"]["done"] == 1
    assert run("next", "--short").stdout == "▶ alpha/1 · Welcome (intro)\n"


@pytest.mark.parametrize(
    ("parts", "current", "expected"),
    [
        (["done", "done"], "doing", "done"),
        (["done", "skipped"], "todo", "done"),
        (["skipped", "skipped"], "doing", "skipped"),
        (["done", "todo"], "todo", "doing"),
        (["todo", "todo"], "done", "doing"),
        (["todo", "todo"], "todo", "todo"),
        (["todo", "todo"], "doing", "doing"),
    ],
)
def test_what_a_resource_follows_from_its_parts(
    parts: list[str], current: str, expected: str
) -> None:
    assert follows(parts, current) == expected


def test_progress_names_parts_and_plan_counts_what_is_left(run: Run, parts_catalog: Path) -> None:
    assert run("done", "alpha/2").exit_code == 0
    progress = run("progress").stdout
    assert any(
        line.split()[2:] == ["→", "done", "alpha/2", "·", "Basics"]
        for line in progress.splitlines()
    )
    assert "Not in this catalog" not in progress  # a part is not an unknown resource
    plan = payload(run("plan", "-w", "5", "--start", "2026-01-05", "--json").stdout)
    alpha = next(r for r in plan["resources"] if r["id"] == "alpha")
    assert alpha["minutes"] == 30 - 15
    assert plan["minutes"] == payload(run("next", "--json").stdout)["progress"]["minutes_left"]


def test_doctor_knows_parts_are_not_unknown_resources(run: Run, parts_catalog: Path) -> None:
    assert run("done", "alpha/1").exit_code == 0
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert "does not have" not in result.stdout


def test_exports_show_parts(run: Run, parts_catalog: Path) -> None:
    assert run("export", "--format", "markdown").stdout.count("alpha/") == 0  # not started
    assert run("done", "alpha/1").exit_code == 0
    markdown = run("export", "--format", "markdown").stdout
    assert "- [ ] ▶ [Alpha Intro](https://example.org/alpha) — video, free, 30 min\n" in markdown
    assert (
        "  - [x] alpha/1 · Welcome\n  - [ ] alpha/2 · Basics\n  - [ ] alpha/3 · Wrap-up\n"
        in markdown
    )
    rows = run("export", "--format", "csv").stdout.splitlines()
    assert rows[1].startswith("alpha,Alpha Intro,intro,video,free,30,doing,")
    assert rows[2].startswith("alpha/1,Welcome,intro,part,free,10,done,")
    assert rows[4].startswith("alpha/3,Wrap-up,intro,part,free,5,todo,")


def test_finishing_one_place_settles_the_same_material_elsewhere(run: Run) -> None:
    """The bundled catalog marks the Deep Learning Specialization on YouTube and on
    Coursera as alternatives: finishing one skips the other, in the same command."""
    result = run("done", "deeplearning-ai-youtube")
    assert result.stdout.splitlines() == [
        "done: deeplearning-ai-youtube · Deep Learning Specialization (lecture videos on YouTube)",
        "skipped too: coursera-deep-learning-specialization · Deep Learning Specialization"
        " — the same material as deeplearning-ai-youtube",
    ]
    assert status(run, "coursera-deep-learning-specialization") == "skipped"
    assert run("undo").exit_code == 0
    assert status(run, "coursera-deep-learning-specialization") == "todo"
    assert status(run, "deeplearning-ai-youtube") == "todo"
    assert run("skip", "coursera-deep-learning-specialization").exit_code == 0
    assert "skipped too" not in run("done", "deeplearning-ai-youtube").stdout

"""The horizon (core, free, all), alternatives counted once, and the goal (issue 13)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, payload
from mlpath import goal as goals
from mlpath import progress
from mlpath.next_steps import totals
from mlpath.workspace import Workspace

SECTIONS = [
    {"id": "intro", "title": "Intro", "summary": "Start here."},
    {"id": "extra", "title": "Extra", "summary": "If you like.", "optional": True},
]


def resource(rid: str, section: str, minutes: int, **more: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "title": rid.replace("-", " ").title(),
        "section": section,
        "url": f"https://example.org/{rid}",
        "kind": "course",
        "cost": "free",
        "minutes": minutes,
        "description": "A resource.",
        **more,
    }


HORIZON_CATALOG = {
    "schema_version": 1,
    "source": {"title": "Horizon test", "author": "Tester", "url": "https://example.org/"},
    "sections": SECTIONS,
    "resources": [
        resource("video-free", "intro", 120, alternatives=["course-paid"]),
        resource(
            "lectures",
            "intro",
            240,
            parts=[
                {"id": f"lecture-{n}", "title": f"Lecture {n}", "minutes": 60} for n in range(1, 5)
            ],
        ),
        resource(
            "course-paid",
            "extra",
            600,
            cost="paid",
            free_to_audit=True,
            optional=True,
            alternatives=["video-free"],
        ),
        resource("opt-free", "extra", 300, optional=True),
        resource("opt-paid", "extra", 900, cost="paid", optional=True),
    ],
}


@pytest.fixture
def horizon_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "horizon.json"
    path.write_text(json.dumps(HORIZON_CATALOG), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


def figures(catalog: Path, scope: str) -> tuple[int, int, int, int, int]:
    ws = Workspace(catalog)
    try:
        t = totals(ws.db(), scope)
    finally:
        ws.close()
    return t.total, t.done, t.skipped, t.minutes_done, t.minutes_left


def agree(run: Run) -> dict[str, Any]:
    """next's footer, progress and plan count the same horizon; next's figures."""
    shown = payload(run("next", "--json").stdout)["progress"]
    overall = payload(run("progress", "--json").stdout)["overall"]
    planned = payload(run("plan", "-w", "5", "--json").stdout)
    assert overall == shown
    assert planned["minutes"] == shown["minutes_left"]
    return dict(shown)


# --- the three scopes ----------------------------------------------------------------------


def test_core_is_the_required_resources_free_adds_free_optional_ones_all_is_everything(
    horizon_catalog: Path,
) -> None:
    # core: video-free and lectures. free: and opt-free (not the free-to-audit course).
    # all: every resource, the two alternatives counted once.
    assert figures(horizon_catalog, "core") == (2, 0, 0, 0, 360)
    assert figures(horizon_catalog, "free") == (3, 0, 0, 0, 660)
    assert figures(horizon_catalog, "all") == (4, 0, 0, 0, 1560)


def test_an_optional_resource_counts_once_started(run: Run, horizon_catalog: Path) -> None:
    assert agree(run)["total"] == 2
    assert run("start", "opt-paid").exit_code == 0
    counted = agree(run)
    assert (counted["total"], counted["doing"], counted["minutes_left"]) == (3, 1, 360 + 900)
    # Skipping it again takes it out: the learner no longer chose it.
    assert run("skip", "opt-paid").exit_code == 0
    assert (agree(run)["total"], agree(run)["skipped"]) == (2, 0)


def test_without_a_goal_the_horizon_is_core_and_optional_ones_are_still_offered(
    run: Run, horizon_catalog: Path
) -> None:
    text = run("progress").stdout
    assert "  0 of 2 done (0%)" in text
    assert "    3 more offered, not counted (`mlpath goal --scope all` counts them)" in text
    assert "  Extra (optional)  " in text and "3 offered, not counted" in text
    listed = payload(run("list", "--json").stdout)
    assert len(listed["resources"]) == 5  # list offers every resource
    plan = run("plan", "-w", "5").stdout
    assert "3 more not planned: outside scope core" in plan
    assert "opt-free" not in plan


# --- alternatives --------------------------------------------------------------------------


def test_alternatives_count_once_the_one_in_progress_or_done(
    run: Run, horizon_catalog: Path
) -> None:
    assert run("goal", "-w", "5", "--scope", "all").exit_code == 0
    assert agree(run)["total"] == 4
    # Starting the paid course: it is the one counted now, not the video.
    assert run("start", "course-paid").exit_code == 0
    counted = agree(run)
    assert (counted["total"], counted["doing"], counted["minutes_left"]) == (4, 1, 2040)
    assert run("reset", "course-paid").exit_code == 0
    # Finishing the video skips the course; the total still counts one of them.
    assert run("done", "video-free").exit_code == 0
    assert payload(run("show", "course-paid", "--json").stdout)["status"] == "skipped"
    counted = agree(run)
    assert (counted["total"], counted["done"], counted["skipped"]) == (4, 1, 0)
    assert counted["minutes_left"] == 240 + 300 + 900


def test_in_core_a_started_alternative_replaces_the_required_one(
    run: Run, horizon_catalog: Path
) -> None:
    assert run("start", "course-paid").exit_code == 0
    counted = agree(run)
    assert (counted["total"], counted["doing"], counted["minutes_left"]) == (2, 1, 240 + 600)


def test_alternatives_to_drop_keeps_done_then_doing_then_path_order() -> None:
    links = [("a", "b"), ("b", "c")]
    assert goals.alternatives_to_drop({"a": ("todo", 1), "b": ("todo", 2)}, links) == ["b"]
    chosen = {"a": ("todo", 1), "b": ("doing", 2), "c": ("done", 3)}
    assert sorted(goals.alternatives_to_drop(chosen, links)) == ["a", "b"]
    assert goals.alternatives_to_drop({"a": ("skipped", 1), "b": ("todo", 2)}, links) == ["a"]
    assert goals.alternatives_to_drop({"a": ("todo", 1)}, links) == []


# --- parts in the totals and the plan ------------------------------------------------------


def test_parts_done_count_as_effort_in_every_view(run: Run, horizon_catalog: Path) -> None:
    assert run("done", "lectures/1-2").exit_code == 0
    counted = agree(run)
    assert (counted["doing"], counted["minutes_done"], counted["minutes_left"]) == (1, 120, 240)


def test_plan_lays_a_resource_with_parts_part_by_part(run: Run, horizon_catalog: Path) -> None:
    assert run("done", "lectures/2").exit_code == 0
    planned = payload(run("plan", "-w", "2", "--start", "2026-01-05", "--json").stdout)
    lectures = next(r for r in planned["resources"] if r["id"] == "lectures")
    assert [p["number"] for p in lectures["parts"]] == [1, 3, 4]  # the done one is not again
    # 2 h a week: the video takes week 1, then each hour of lecture 3.5 days.
    assert [(p["start"], p["end"], p["start_week"]) for p in lectures["parts"]] == [
        ("2026-01-12", "2026-01-15", 2),
        ("2026-01-15", "2026-01-18", 2),
        ("2026-01-19", "2026-01-22", 3),
    ]
    assert lectures["minutes"] == 180
    # At 5 h a week lectures 3 and 4 fall in one week: one line names both.
    text = run("plan", "-w", "5", "--start", "2026-01-05").stdout.splitlines()
    assert text[2:6] == [
        "week  start       end         id            title                     time",
        "1     2026-01-05  2026-01-07  video-free    Video Free                2 h",
        "1     2026-01-07  2026-01-09  lectures/1    Lecture 1                 1 h",
        "1     2026-01-09  2026-01-11  lectures/3-4  Lectures, parts 3–4 of 4  2 h",
    ]


# --- the goal ------------------------------------------------------------------------------


def test_goal_alone_shows_there_is_none_and_creates_nothing(
    run: Run, horizon_catalog: Path, home: Path
) -> None:
    result = run("goal")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "No goal yet: counting scope core (the required resources, and optional ones",
        "you start). Set one: mlpath goal --hours-per-week 6 [--scope core|free|all]",
        "0 of 2 done · about 6 h left",
    ]
    assert not home.exists()
    assert payload(run("goal", "--json").stdout, "goal")["goal"] is None


def test_goal_is_kept_shown_changed_and_cleared_with_undo(run: Run, horizon_catalog: Path) -> None:
    set_ = run("goal", "--hours-per-week", "2")
    assert set_.exit_code == 0, set_.stderr
    assert set_.stdout.splitlines()[0] == (
        "goal set: 2 h/week, scope core (required resources, and optional ones you start)"
    )
    assert run("goal").stdout.splitlines()[0].startswith("goal: 2 h/week, scope core")
    # A scope alone keeps the pace; the same goal again records nothing.
    assert run("goal", "--scope", "free").stdout.startswith("goal set: 2 h/week, scope free")
    assert run("goal", "--scope", "free").stdout.startswith("goal unchanged: 2 h/week")
    data = payload(run("goal", "--json").stdout, "goal")
    assert data["goal"] == {"hours_per_week": 2.0, "scope": "free"}
    assert data["progress"]["total"] == 3
    assert run("undo").stdout.startswith("undid: your goal (")
    assert payload(run("goal", "--json").stdout)["goal"]["scope"] == "core"
    cleared = run("goal", "--clear")
    assert cleared.stdout.splitlines()[0] == (
        "goal cleared (`mlpath undo` brings it back); counting scope core"
    )
    assert payload(run("goal", "--json").stdout)["goal"] is None
    assert run("undo").exit_code == 0
    assert payload(run("goal", "--json").stdout)["goal"]["hours_per_week"] == 2.0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("goal", "--scope", "all"), 2, "a goal needs a pace: mlpath goal --hours-per-week H"),
        (("goal", "-w", "5", "--clear"), 2, "--clear forgets the whole goal"),
        (("goal", "-w", "0"), 1, "hours per week must be more than 0 and at most 168 (got 0)"),
        (("goal", "--scope", "most"), 2, "most"),
    ],
)
def test_goal_refuses_what_it_cannot_keep(
    run: Run, horizon_catalog: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""


def test_the_goal_sets_the_horizon_and_the_pace_everywhere(
    run: Run, horizon_catalog: Path
) -> None:
    assert run("goal", "-w", "2", "--scope", "free").exit_code == 0
    counted = agree(run)
    assert (counted["total"], counted["minutes_left"]) == (3, 660)
    # 660 minutes at 2 h a week: 38.5 days, so the last day is day 38 from today.
    last = date.today() + timedelta(days=38)
    footer = run("next").stdout.splitlines()[-1]
    assert footer == f"0 of 3 done · about 11 h left · at 2 h/week: done by {last:%Y-%m}"
    assert payload(run("next", "--json").stdout)["horizon"]["done_by"] == last.isoformat()
    # plan without --hours-per-week keeps the goal's pace, and ends the same day.
    planned = payload(run("plan", "--json").stdout)
    assert (planned["hours_per_week"], planned["finish"]) == (2, last.isoformat())
    assert f"Goal: 2 h/week · done by {last:%Y-%m}" in run("progress").stdout


def test_plan_without_a_pace_or_a_goal_says_how_to_give_one(
    run: Run, horizon_catalog: Path
) -> None:
    result = run("plan")
    assert result.exit_code == 2
    assert "mlpath goal --hours-per-week 5" in result.stderr


def test_the_goal_travels_with_export_and_import(
    run: Run, horizon_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("goal", "-w", "3", "--scope", "all").exit_code == 0
    exported = tmp_path / "progress.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    assert payload(run("goal", "--json").stdout)["goal"] is None
    assert run("import", str(exported)).exit_code == 0
    assert payload(run("goal", "--json").stdout)["goal"] == {"hours_per_week": 3.0, "scope": "all"}


def test_a_stored_goal_that_is_not_one_counts_as_none(horizon_catalog: Path) -> None:
    ws = Workspace(horizon_catalog)
    ws.store().define(goals.GOAL_KEY, {"hours_per_week": "lots", "scope": "all"})
    ws.close()
    ws = Workspace(horizon_catalog)
    try:
        assert goals.read_goal(ws.db()) is None
    finally:
        ws.close()


# --- this week against the goal ------------------------------------------------------------


def test_progress_shows_this_weeks_hours_against_the_goal(run: Run, horizon_catalog: Path) -> None:
    assert run("goal", "-w", "7").exit_code == 0
    assert run("done", "lectures/1-3").exit_code == 0  # 3 h, by the parts' estimates
    assert run("done", "video-free").exit_code == 0  # 2 h
    week = payload(run("progress", "--json").stdout)["week"]
    days = date.today().weekday() + 1
    assert (week["minutes"], week["goal_minutes"], week["days"]) == (300, 420, days)
    assert week["expected_minutes"] == 60 * days  # 7 h a week: an hour a day
    assert week["on_track"] is (300 >= 60 * days)
    line = next(x for x in run("progress").stdout.splitlines() if "This week" in x)
    expected = "on track" if days <= 5 else "behind"
    assert line.startswith(f"  This week: 5 h of 7 h · {expected}")


def test_finishing_a_resource_with_parts_counts_its_parts_once(
    run: Run, horizon_catalog: Path
) -> None:
    assert run("done", "lectures/1").exit_code == 0
    assert run("done", "lectures").exit_code == 0  # the other three parts with it
    assert payload(run("progress", "--json").stdout)["week"]["minutes"] == 240


def test_week_minutes_leave_out_what_was_undone(run: Run, horizon_catalog: Path) -> None:
    assert run("done", "video-free").exit_code == 0
    assert run("undo").exit_code == 0
    assert payload(run("progress", "--json").stdout)["week"]["minutes"] == 0


def test_week_is_on_track_from_the_goal_spread_evenly() -> None:
    week = progress.Week(date(2026, 1, 5), 3, 100, 420)
    assert (week.expected, week.on_track) == (180, False)
    assert progress.Week(date(2026, 1, 5), 3, 180, 420).on_track is True
    assert progress.Week(date(2026, 1, 5), 3, 100, None).on_track is None


# --- the finish day without datetime -------------------------------------------------------


def test_day_after_matches_the_calendar() -> None:
    start = date(1999, 12, 25)
    for offset in [0, 1, 6, 7, 59, 60, 365, 366, 1461, 36524, 146097, 2_000_000]:
        expected = start + timedelta(days=offset)
        assert goals.day_after((1999, 12, 25), offset) == expected.isoformat()
    assert goals.day_after((2026, 1, 1), 3_000_000) is None  # after the year 9999


def test_days_needed_is_the_plans_last_day() -> None:
    assert goals.days_needed(0, goals.Rate(5)) == 0
    assert goals.days_needed(300, goals.Rate(5)) == 6  # a week exactly: days 0..6
    assert goals.days_needed(301, goals.Rate(5)) == 7


def test_at_a_terminal_progress_and_plan_show_the_same_horizon(
    run: Run, horizon_catalog: Path
) -> None:
    assert run("goal", "-w", "5").exit_code == 0
    assert run("done", "lectures/2").exit_code == 0
    shown = run("progress", terminal=True)
    assert shown.exit_code == 0, shown.stderr
    assert "3 more offered, not counted" in shown.stdout
    assert "Goal: 5 h/week · done by " in shown.stdout
    planned = run("plan", "--start", "2026-01-05", terminal=True)
    assert planned.exit_code == 0, planned.stderr
    assert "lectures/3-4 · Lectures, parts 3–4 of 4" in planned.stdout
    assert "lectures/2" not in planned.stdout

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import Run, payload
from mlpath import counts, progress, timefmt
from mlpath import plan as planning
from mlpath.catalog import LIST_SEPARATOR, Catalog, Resource, Section, resource_from_row
from mlpath.errors import PlanError
from mlpath.goal import Goal
from mlpath.output import plan_text, progress_text, words
from mlpath.paths import progress_db
from mlpath.store import Change, Store, open_store
from mlpath.workspace import Workspace

MONDAY = date(2026, 1, 5)

# --- helpers ------------------------------------------------------------------------


def res(
    rid: str,
    minutes: int = 60,
    section: str = "one",
    needs: Sequence[str] = (),
    cost: str = "free",
    optional: bool = False,
) -> Resource:
    row = (
        *(rid, rid.title(), None, section, None, None, None, "article", cost),
        *(False, optional, minutes, None, LIST_SEPARATOR.join(needs), "", "", 0),
        *(None, "", None, None, "", None, None),
    )
    return resource_from_row(row)


def catalog(*resources: Resource, sections: Sequence[str] = ("one",)) -> Catalog:
    """A catalog of these resources in this path order."""
    for position, r in enumerate(resources):
        r.position = position
    return Catalog(
        origin="test",
        source={},
        sections=tuple(Section(s, s.title(), None, "", False) for s in sections),
        resources=resources,
    )


_seq = iter(range(1, 1_000_000))


def change(
    resource: str,
    at: str,
    status: str | None = "done",
    action: str = "status",
    uid: str | None = None,
    reverts: str | None = None,
    note: str | None = None,
) -> Change:
    seq = next(_seq)
    return Change(seq, uid or f"u{seq}", at, resource, action, status, note, reverts)


def stamp(day: date, time: str = "12:00:00") -> str:
    return f"{day.isoformat()}T{time}.000000Z"


def open_test_store() -> Store:
    store = open_store(Path(progress_db()), create=True)
    assert store is not None
    return store


def record(*changes: Change) -> None:
    store = open_test_store()
    try:
        store.merge(changes)
    finally:
        store.close()


# --- progress figures -----------------------------------------------------------------


def test_local_date_uses_the_learners_time_zone() -> None:
    # 02:00 UTC on Tuesday is still Monday evening in New York (UTC-5 in January).
    new_york = timezone(timedelta(hours=-5))
    assert timefmt.local_date("2026-01-06T02:00:00.000000Z", new_york) == MONDAY
    assert timefmt.local_date("2026-01-06T02:00:00.000000Z", UTC) == MONDAY + timedelta(1)
    assert timefmt.utc_stamp(MONDAY, new_york) == "2026-01-05T05:00:00.000000Z"


def test_tally_keeps_done_and_skipped_apart() -> None:
    t = counts.Tally(total=5, done=1, doing=1, skipped=1, minutes_done=30, minutes_left=780)
    figures = t.to_json()
    assert (figures["todo"], figures["done_percent"], figures["done_or_skipped_percent"]) == (
        2,
        20.0,
        40.0,
    )
    assert (figures["hours_done"], figures["hours_left"]) == (0.5, 13.0)
    assert progress_text.overall_lines(t) == [
        "1 of 5 done (20%) · done + skipped 40% · 1 in progress · 1 skipped · 2 to do",
        "Estimated effort: 0.5 h done · 13 h left",
    ]


def test_percent_text_never_rounds_to_all_or_nothing() -> None:
    assert words.percent_text(199, 200) == "99%"
    assert words.percent_text(200, 200) == "100%"
    assert words.percent_text(1, 300) == "1%"
    assert words.percent_text(0, 300) == "0%"
    assert words.percent_text(1, 3) == "33%"
    assert words.percent_text(0, 0) == "0%"


@pytest.mark.parametrize(
    ("done", "skipped", "total", "bar"),
    [
        (0, 0, 4, "[--------------------]"),
        (2, 1, 4, "[##########~~~~~-----]"),
        (1, 0, 100, "[#-------------------]"),
        (99, 0, 100, "[###################-]"),
        (3, 1, 4, "[###############~~~~~]"),
    ],
)
def test_text_bar_shows_any_share_and_fills_only_when_settled(
    done: int, skipped: int, total: int, bar: str
) -> None:
    t = counts.Tally(total, done, 0, skipped, 0, 0)
    assert progress_text.text_bar(t) == bar


def test_hours_are_compact() -> None:
    assert [words.hours(m) for m in (0, 30, 90, 440, 600, 1207 * 60)] == [
        "0 h",
        "0.5 h",
        "1.5 h",
        "7.3 h",
        "10 h",
        "1207 h",
    ]


# --- streak -------------------------------------------------------------------------


def days_before(today: date, *offsets: int) -> list[date]:
    return [today - timedelta(days=n) for n in offsets]


def test_streak_counts_consecutive_days_up_to_today() -> None:
    today = date(2026, 3, 10)
    assert progress.streak_days(days_before(today, 0, 0, 1, 2, 4), today) == 3
    s = progress.Streak(3, today)
    assert progress_text.streak_text(s, today) == "Streak: 3 days (last change today)"


def test_streak_still_counts_when_the_last_change_was_yesterday() -> None:
    today = date(2026, 3, 10)
    assert progress.streak_days(days_before(today, 1, 2), today) == 2
    s = progress.Streak(2, today - timedelta(days=1))
    assert progress_text.streak_text(s, today) == (
        "Streak: 2 days (last change yesterday — a change today keeps it going)"
    )


def test_streak_is_broken_by_a_missed_day() -> None:
    today = date(2026, 3, 10)
    assert progress.streak_days(days_before(today, 2, 3, 4, 5, 9), today) == 0
    s = progress.Streak(0, today - timedelta(days=2))
    assert (
        progress_text.streak_text(s, today)
        == "Streak: 0 days (last change 2026-03-08, 2 days ago)"
    )


def test_no_history_no_streak() -> None:
    assert progress.streak_days([], MONDAY) == 0
    assert progress_text.streak_text(progress.Streak(0, None), MONDAY) == (
        "Streak: none yet — `mlpath done ID` records your first change."
    )


def test_streak_runs_across_a_month_end() -> None:
    today = date(2026, 3, 1)
    assert progress.streak_days([date(2026, 2, 27), date(2026, 2, 28), today], today) == 3


# --- calendar -----------------------------------------------------------------------


def test_calendar_grid_is_weeks_of_monday_to_sunday_shaded_by_count() -> None:
    today = date(2026, 3, 4)  # a Wednesday
    active = [today] * 7 + [today - timedelta(days=1)] * 2 + [date(2026, 2, 2)]
    cal = progress.calendar(active, today, weeks=6)
    assert cal.first == date(2026, 1, 26)  # the Monday five weeks before today's week
    assert progress_text.calendar_lines(cal) == [
        "      Feb     Mar",  # January's label would run into February's
        "Mon · ░ · · · ·",
        "Tue · · · · · ▒",
        "Wed · · · · · █",
        "Thu · · · · ·",
        "Fri · · · · ·",
        "Sat · · · · ·",
        "Sun · · · · ·",
        "    less · ░ ▒ ▓ █ more",
    ]


def test_calendar_ignores_changes_before_its_first_week() -> None:
    cal = progress.calendar([date(2025, 1, 1), MONDAY], MONDAY, weeks=2)
    assert cal.counts == {MONDAY: 1}
    days = cal.to_json()["days"]
    assert (len(days), days[0], days[-1]) == (
        8,
        {"date": "2025-12-29", "changes": 0},
        {"date": "2026-01-05", "changes": 1},
    )


@pytest.mark.parametrize(("count", "char"), [(0, "·"), (1, "░"), (3, "▒"), (4, "▓"), (9, "█")])
def test_shades(count: int, char: str) -> None:
    assert progress_text.shade(count) == char


# --- the progress report, read from a real store --------------------------------------


def workspace_db(catalog_file: Path) -> sqlite3.Connection:
    return Workspace(catalog_file).db()


def test_report_reads_sections_from_current_statuses(mini_catalog: Path) -> None:
    record(
        change("alpha", stamp(MONDAY)),
        change("gamma-book", stamp(MONDAY), status="skipped"),
        change("delta", stamp(MONDAY), status="doing"),
    )
    # Every resource counts in the scope `all`.
    report = progress.read_progress(workspace_db(mini_catalog), MONDAY, goal=Goal(5, "all"))
    o = report.overall
    assert (o.total, o.done, o.doing, o.skipped, o.todo) == (5, 1, 1, 1, 2)
    assert (o.minutes_done, o.minutes_left) == (30, 90 + 1200 + 120)  # skipped is not left
    intro, books, practice = report.sections
    assert (intro.section.id, intro.tally.done, intro.tally.minutes_left) == ("intro", 1, 90)
    assert (books.tally.skipped, books.tally.minutes_left) == (1, 1200)
    assert (practice.tally.doing, practice.tally.minutes_left) == (1, 120)
    lines = progress_text.progress_lines(report, "en")
    assert lines[lines.index("Sections (# done, ~ skipped, - to do)") + 1 :][:3] == [
        "  Intro             [##########----------]  1/2 done                 "
        "0.5 h done · 1.5 h left",
        "  Books (optional)  [~~~~~~~~~~----------]  0/2 done, 1 skipped      "
        "0 h done · 20 h left",
        "  Practice          [--------------------]  0/1 done, 1 in progress  0 h done · 2 h left",
    ]
    # Without a goal the horizon is core: the optional book the learner skipped (they did
    # not choose it) is offered, not counted (issue 13 changes these figures).
    report = progress.read_progress(workspace_db(mini_catalog), MONDAY)
    o = report.overall
    assert (o.total, o.done, o.doing, o.skipped, o.todo) == (4, 1, 1, 0, 2)
    assert (o.minutes_done, o.minutes_left) == (30, 90 + 1200 + 120)
    books = report.sections[1]
    assert (books.tally.total, books.tally.skipped, books.offered) == (1, 0, 1)


def test_report_leaves_out_what_undo_reverted(mini_catalog: Path) -> None:
    record(
        change("alpha", stamp(MONDAY, "09:00:00")),
        change("beta", stamp(MONDAY, "10:00:00"), uid="mistake"),
        change("beta", stamp(MONDAY, "10:01:00"), None, "undo", reverts="mistake"),
        change("retired", stamp(MONDAY, "11:00:00"), uid="gone"),
        change("retired", stamp(MONDAY, "11:01:00"), None, "undo", reverts="gone"),
    )
    report = progress.read_progress(workspace_db(mini_catalog), MONDAY)
    assert [c.resource for c in report.recent] == ["alpha"]
    assert report.calendar.count(MONDAY) == 1
    assert report.overall.done == 1
    assert report.not_in_catalog == ()  # all its history was undone


def test_report_lists_history_outside_the_catalog(mini_catalog: Path) -> None:
    record(
        change("alpha", stamp(MONDAY, "09:00:00")),
        change("retired", stamp(MONDAY, "10:00:00")),
        change("retired", stamp(MONDAY, "11:00:00"), None, "note", note="x"),
        change("old-note", stamp(MONDAY, "08:00:00"), None, "note", note="y"),
    )
    report = progress.read_progress(workspace_db(mini_catalog), MONDAY)
    assert report.overall.total == 4  # the retired id is not part of this path (nor gamma-book)
    assert [o.to_json() for o in report.not_in_catalog] == [
        {
            "id": "old-note",
            "status": "todo",
            "changes": 1,
            "last_change": stamp(MONDAY, "08:00:00"),
        },
        {
            "id": "retired",
            "status": "done",
            "changes": 2,
            "last_change": stamp(MONDAY, "11:00:00"),
        },
    ]
    text = "\n".join(progress_text.progress_lines(report, "en"))
    assert (
        "Not in this catalog (history kept)\n"
        "  old-note  todo  1 change, last 2026-01-05 08:00\n"
        "  retired   done  2 changes, last 2026-01-05 11:00"
    ) in text
    assert "  2026-01-05 10:00  → done   retired (not in this catalog)" in text


def test_report_shows_recent_changes_newest_first(mini_catalog: Path) -> None:
    ids = ["alpha", "beta", "delta", "gamma-book", "gamma-course", "alpha"]
    record(*(change(rid, stamp(MONDAY, f"0{i}:00:00")) for i, rid in enumerate(ids)))
    report = progress.read_progress(workspace_db(mini_catalog), MONDAY, recent=3)
    assert [c.resource for c in report.recent] == ["alpha", "gamma-course", "gamma-book"]


def test_report_streak_and_calendar_follow_local_dates(mini_catalog: Path) -> None:
    new_york = timezone(timedelta(hours=-5))
    record(
        change("alpha", "2026-01-06T01:00:00.000000Z"),  # Monday 20:00 in New York
        change("beta", "2026-01-06T23:00:00.000000Z"),  # Tuesday 18:00 in New York
    )
    tuesday = MONDAY + timedelta(days=1)
    report = progress.read_progress(workspace_db(mini_catalog), tuesday, tz=new_york)
    assert report.streak == progress.Streak(2, tuesday)
    assert (report.calendar.count(MONDAY), report.calendar.count(tuesday)) == (1, 1)
    in_utc = progress.read_progress(workspace_db(mini_catalog), tuesday, tz=UTC)
    assert in_utc.streak == progress.Streak(1, tuesday)
    assert in_utc.calendar.count(tuesday) == 2


def test_a_streak_longer_than_the_calendar_is_counted_whole(mini_catalog: Path) -> None:
    today = date(2026, 6, 30)
    record(*(change("alpha", stamp(today - timedelta(days=n))) for n in range(1, 201)))
    report = progress.read_progress(workspace_db(mini_catalog), today, weeks=4)
    assert report.streak == progress.Streak(200, today - timedelta(days=1))
    assert report.calendar.weeks == 4


def test_an_old_last_change_is_still_reported(mini_catalog: Path) -> None:
    record(change("alpha", stamp(date(2024, 5, 1))))
    report = progress.read_progress(workspace_db(mini_catalog), MONDAY)
    assert report.streak == progress.Streak(0, date(2024, 5, 1))
    assert sum(report.calendar.counts.values()) == 0


# --- plan ---------------------------------------------------------------------------


def test_plan_fills_weeks_continuously() -> None:
    # 10 h at 4 h/week is 2.5 weeks: 17.5 days, so it ends on day 17; the next starts then.
    plan = planning.make_plan(catalog(res("long", 600), res("next", 480)), {}, Fraction(4), MONDAY)
    first, second = plan.steps
    assert (first.start, first.end) == (MONDAY, MONDAY + timedelta(days=17))
    assert (first.start_week, first.end_week) == (1, 3)
    assert second.start == MONDAY + timedelta(days=17)
    assert second.end == MONDAY + timedelta(days=31)  # 8 h more: day 17.5 to day 31.5
    assert plan.finish == date(2026, 2, 5)


def test_plan_ends_on_the_last_day_when_effort_fills_whole_weeks() -> None:
    plan = planning.make_plan(catalog(res("a", 480), res("b", 240)), {}, Fraction(4), MONDAY)
    a, b = plan.steps
    assert (a.end, a.end_week) == (date(2026, 1, 18), 2)  # a Sunday: exactly two weeks
    assert (b.start, b.start_week) == (date(2026, 1, 19), 3)
    assert b.end == date(2026, 1, 25)


def test_plan_leaves_out_done_and_skipped_and_keeps_doing() -> None:
    cat = catalog(res("a"), res("b"), res("c"), res("d"))
    plan = planning.make_plan(
        cat, {"a": "done", "b": "skipped", "c": "doing"}, Fraction(7), MONDAY
    )
    assert [(s.resource.id, s.status) for s in plan.steps] == [("c", "doing"), ("d", "todo")]
    assert plan.steps[0].start == MONDAY


def test_plan_never_starts_a_resource_before_its_prerequisites_end() -> None:
    # Path order puts "applied" first, but it needs "theory", which comes later.
    cat = catalog(
        res("applied", 120, needs=["theory"]),
        res("warmup", 60),
        res("theory", 300, needs=["basics"]),
        res("basics", 60),
    )
    plan = planning.make_plan(cat, {}, Fraction(5), MONDAY)
    order = [s.resource.id for s in plan.steps]
    assert order == ["warmup", "basics", "theory", "applied"]
    ends = {s.resource.id: s.end for s in plan.steps}
    starts = {s.resource.id: s.start for s in plan.steps}
    assert starts["theory"] >= ends["basics"]
    assert starts["applied"] >= ends["theory"]


def test_settled_prerequisites_do_not_hold_anything_back() -> None:
    cat = catalog(res("applied", 60, needs=["theory"]), res("theory", 300))
    plan = planning.make_plan(cat, {"theory": "skipped"}, Fraction(5), MONDAY)
    assert [(s.resource.id, s.start) for s in plan.steps] == [("applied", MONDAY)]


def test_free_plan_leaves_paid_resources_out_and_says_what_waits_on_them() -> None:
    cat = catalog(
        res("book", 600, cost="paid"),
        res("after-book", 60, needs=["book"]),
        res("video", 60),
    )
    plan = planning.make_plan(cat, {}, Fraction(5), MONDAY, free_only=True)
    assert [s.resource.id for s in plan.steps] == ["after-book", "video"]
    assert [r.id for r in plan.left_out] == ["book"]
    assert plan.steps[0].waits_for == ("book",)
    assert plan_text.plan_notes(plan) == [
        "after-book needs book, left out as paid (--free)",
        "1 paid resource left out (--free)",
    ]


def test_section_and_path_finish_dates() -> None:
    cat = catalog(
        res("a", 300, "one"),
        res("b", 300, "two"),
        res("c", 300, "one"),
        res("d", 300, "three"),
        sections=("one", "two", "three"),
    )
    plan = planning.make_plan(cat, {"d": "done"}, Fraction(5), MONDAY)
    finishes = {s.section.id: s.finish for s in plan.sections}
    assert finishes == {
        "one": date(2026, 1, 25),  # c fills the third week
        "two": date(2026, 1, 18),
        "three": None,  # nothing of it is left
    }
    assert plan.finish == date(2026, 1, 25)


def test_plan_refuses_a_pace_of_zero() -> None:
    with pytest.raises(PlanError, match="hours per week must be more than 0"):
        planning.make_plan(catalog(res("a")), {}, Fraction(0), MONDAY)


def test_actual_pace_is_done_effort_over_the_four_weeks_before_start() -> None:
    cat = catalog(res("a", 300), res("b", 180), res("c", 600), res("d", 60))
    changes = [
        change("a", stamp(MONDAY - timedelta(days=28))),  # first day of the window
        change("b", stamp(MONDAY - timedelta(days=1))),  # last day of the window
        change("c", stamp(MONDAY - timedelta(days=29))),  # too early
        change("d", stamp(MONDAY)),  # on the start day: not before it
        change("b", stamp(MONDAY - timedelta(days=3)), status="doing"),  # not done
        change("gone", stamp(MONDAY - timedelta(days=2))),  # effort unknown
    ]
    pace = planning.actual_pace(cat, changes, MONDAY)
    assert pace == Fraction(300 + 180, 60 * 4)  # 2 h a week


def test_actual_pace_without_history_asks_for_hours() -> None:
    with pytest.raises(PlanError) as caught:
        planning.actual_pace(catalog(res("a")), [], MONDAY)
    assert str(caught.value) == (
        "no resource was marked done in the 4 weeks before 2026-01-05, so there is no "
        "actual pace yet — pass --hours-per-week H"
    )


def test_hours_value_is_exact_and_finite() -> None:
    assert planning.hours_value(2.5) == Fraction(5, 2)
    assert planning.hours_value(0.1) == Fraction(1, 10)
    with pytest.raises(PlanError):
        planning.hours_value(float("inf"))


# --- the commands ---------------------------------------------------------------------

# Without a goal the horizon is core: the optional book nobody started is not planned
# (issue 13 changed this plan, which used to hold it: 5 resources, 34 h, week 7).
PLAN_5H = """\
Plan from 2026-01-05 at 5 h/week: 4 resources, about 24 h — finish by 2026-02-07 (week 5)

week  start       end         id            title           time
1     2026-01-05  2026-01-05  alpha         Alpha Intro     30 min
1     2026-01-05  2026-01-07  beta          Beta Article    1 h 30 min
1–5   2026-01-07  2026-02-04  gamma-course  Gamma Course    20 h
5     2026-02-04  2026-02-07  delta         Delta Practice  2 h

section     finish
Intro       2026-01-07
Books       2026-02-04
Practice    2026-02-07
Whole path  2026-02-07

1 more not planned: outside scope core (`mlpath goal --scope all` plans them)
"""


def test_plan_command_prints_the_schedule(run: Run, mini_catalog: Path) -> None:
    result = run("plan", "--hours-per-week", "5", "--start", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == PLAN_5H


def test_plan_command_follows_progress_and_free(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha").exit_code == 0
    assert run("start", "delta").exit_code == 0
    result = run("plan", "-w", "4", "--start", "2026-01-05", "--free")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Plan from 2026-01-05 at 4 h/week: 2 resources, about 3 h 30 min — "
        "finish by 2026-01-11 (week 1)"
    )
    assert lines[3] == "1     2026-01-05  2026-01-07  beta   Beta Article    1 h 30 min"
    assert (
        lines[4] == "1     2026-01-07  2026-01-11  delta  Delta Practice  2 h         in progress"
    )
    # The optional paid book is outside the core horizon, so only the course is left out.
    assert lines[-2:] == [
        "1 paid resource left out (--free)",
        "1 more not planned: outside scope core (`mlpath goal --scope all` plans them)",
    ]


def test_plan_json(run: Run, mini_catalog: Path) -> None:
    assert run("skip", "gamma-book").exit_code == 0
    result = run("plan", "-w", "2.5", "--start", "2026-01-05", "--json")
    assert result.exit_code == 0, result.stderr
    data = payload(result.stdout)
    assert data["hours_per_week"] == 2.5
    assert data["pace"] == "hours"
    assert [r["id"] for r in data["resources"]] == ["alpha", "beta", "gamma-course", "delta"]
    beta = data["resources"][1]
    # 2.5 h a week is 30 min a day: beta runs from day 1.4 to day 5.6.
    assert (beta["start"], beta["end"], beta["start_week"], beta["end_week"]) == (
        "2026-01-06",
        "2026-01-10",
        1,
        1,
    )
    assert data["finish"] == "2026-03-13"
    assert {s["id"]: s["finish"] for s in data["sections"]} == {
        "intro": "2026-01-10",
        "books": "2026-03-07",
        "practice": "2026-03-13",
    }
    assert data["left_out"] == []


def test_plan_in_chinese_uses_chinese_titles(run: Run, mini_catalog: Path) -> None:
    result = run("--lang", "zh", "plan", "-w", "5", "--start", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    assert "1    2026-01-05  2026-01-05  alpha         阿尔法          30 分钟" in result.stdout
    assert "\n入门      2026-01-07\n" in result.stdout
    assert result.stdout.startswith("从 2026 年 1 月 5 日起按每周 5 小时安排：4 个资源，")


def test_plan_with_actual_pace(run: Run, mini_catalog: Path) -> None:
    record(
        change("alpha", stamp(date(2025, 12, 20))),
        change("beta", stamp(date(2026, 1, 2))),
    )
    result = run("plan", "--pace", "actual", "--start", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Plan from 2026-01-05 at 0.5 h/week (your pace over the 4 weeks before 2026-01-05): "
        "2 resources, about 22 h — finish by 2026-11-08 (week 44)"  # core: not gamma-book
    )


def test_actual_pace_ignores_undone_changes(run: Run, mini_catalog: Path) -> None:
    record(
        change("alpha", stamp(date(2026, 1, 2)), uid="mistake"),
        change("alpha", stamp(date(2026, 1, 2)), status=None, action="undo", reverts="mistake"),
    )
    result = run("plan", "--pace", "actual", "--start", "2026-01-05")
    assert result.exit_code == 1
    assert result.stderr == (
        "mlpath: no resource was marked done in the 4 weeks before 2026-01-05, so there is "
        "no actual pace yet — pass --hours-per-week H\n"
    )


@pytest.mark.parametrize("hours", ["0", "-3"])
def test_plan_refuses_hours_that_are_not_positive(
    run: Run, mini_catalog: Path, hours: str
) -> None:
    result = run("plan", f"--hours-per-week={hours}", "--start", "2026-01-05")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: hours per week must be more than 0 (got {hours}) — "
        "for example --hours-per-week 5\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("plan",), "how many hours a week?"),
        (("plan", "-w", "5", "--start", "5/1/2026"), "--start"),
        (("plan", "-w", "five"), "'five' is not a number"),
        (("plan", "--pace", "fast"), "fast"),
        (("plan", "--pace", "actual", "-w", "5"), "leave out --hours-per-week"),
    ],
)
def test_plan_usage_errors(
    run: Run, mini_catalog: Path, args: tuple[str, ...], complaint: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert result.stdout == ""


def test_plan_when_everything_is_settled(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha", "beta", "delta").exit_code == 0
    assert run("skip", "--section", "books").exit_code == 0
    result = run("plan", "-w", "5", "--start", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Nothing left to plan: every resource is done or skipped.\n"


def test_progress_on_a_fresh_machine(run: Run, mini_catalog: Path, home: Path) -> None:
    result = run("progress")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Progress",
        "  0 of 4 done (0%) · done + skipped 0% · 0 in progress · 0 skipped · 4 to do",
        "  Estimated effort: 0 h done · 24 h left",  # core: the optional book not counted
    ]
    assert "Streak: none yet — `mlpath done ID` records your first change." in lines
    assert not home.exists()  # reading progress never creates the store


def test_progress_after_some_work(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha").exit_code == 0
    assert run("skip", "gamma-book").exit_code == 0
    assert run("start", "delta").exit_code == 0
    result = run("progress")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # The skipped optional book is outside the core horizon: offered, not counted.
    assert (
        "  1 of 4 done (25%) · done + skipped 25% · 1 in progress · 0 skipped · 2 to do\n" in out
    )
    assert "  Estimated effort: 0.5 h done · 24 h left\n" in out
    assert "    1 more offered, not counted (`mlpath goal --scope all` counts them)\n" in out
    assert (
        "Sections (# done, ~ skipped, - to do)\n"
        "  Intro             [##########----------]  1/2 done                 "
        "0.5 h done · 1.5 h left\n"
        "  Books (optional)  [--------------------]  0/1 done                 "
        "0 h done · 20 h left\n"
        "  Practice          [--------------------]  0/1 done, 1 in progress  "
        "0 h done · 2 h left\n"
    ) in out
    assert "\nStreak: 1 day (last change today)\n" in out
    recent = out.split("Recent activity\n")[1].split("\n\n")[0].splitlines()
    assert [line.split("  ", 2)[-1].strip() for line in recent] == [
        "→ doing    delta · Delta Practice",
        "→ skipped  gamma-book · Gamma Book",
        "→ done     alpha · Alpha Intro",
    ]
    assert "Activity, last 12 weeks" in out
    assert "not in this catalog" not in out.lower()


def test_progress_forgets_undone_changes(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha").exit_code == 0
    assert run("undo").exit_code == 0
    result = run("progress", "--json")
    assert result.exit_code == 0, result.stderr
    data = payload(result.stdout)
    assert data["overall"]["done"] == 0
    assert data["recent"] == []
    assert data["streak"]["days"] == 0


def test_progress_json(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha", "beta").exit_code == 0
    assert run("skip", "delta").exit_code == 0
    result = run("progress", "--json")
    assert result.exit_code == 0, result.stderr
    data = payload(result.stdout)
    # Core: the optional book is not counted (it was: total 5, 1800 minutes left).
    assert data["overall"] == {
        "total": 4,
        "done": 2,
        "doing": 0,
        "skipped": 1,
        "todo": 1,
        "done_percent": 50.0,
        "done_or_skipped_percent": 75.0,
        "minutes_done": 120,
        "minutes_left": 1200,
        "hours_done": 2.0,
        "hours_left": 20.0,
    }
    intro = data["sections"][0]
    assert (intro["id"], intro["done"], intro["done_percent"]) == ("intro", 2, 100.0)
    assert data["streak"]["days"] == 1
    assert [c["resource"] for c in data["recent"]] == ["delta", "beta", "alpha"]
    assert len(data["calendar"]["days"]) in range(78, 85)  # 11 whole weeks and today's
    assert data["calendar"]["days"][-1]["changes"] == 3
    assert data["not_in_catalog"] == []


def test_progress_reports_history_outside_the_catalog(run: Run, mini_catalog: Path) -> None:
    record(change("old-course", "2026-01-02T09:30:00.000000Z"))
    result = run("progress")
    assert result.exit_code == 0, result.stderr
    assert (
        "Not in this catalog (history kept)\n  old-course  done  1 change, last 2026-01-02 09:30\n"
    ) in result.stdout
    assert "0 of 4 done" in result.stdout
    data = payload(run("progress", "--json").stdout, "progress")
    assert data["not_in_catalog"] == [
        {
            "id": "old-course",
            "status": "done",
            "changes": 1,
            "last_change": "2026-01-02T09:30:00.000000Z",
        }
    ]


def test_progress_in_chinese(run: Run, mini_catalog: Path) -> None:
    result = run("--lang", "zh", "progress")
    assert result.exit_code == 0, result.stderr
    # Wide characters take two columns: the bars still line up.
    assert "  入门          [--------------------]  已完成 0/2" in result.stdout
    assert "  书籍（可选）  [--------------------]" in result.stdout
    assert "  Practice      [--------------------]" in result.stdout


def test_progress_into_a_pipe_does_not_import_rich(mini_catalog: Path) -> None:
    script = (
        "import sys\n"
        "from mlpath.cli import run\n"
        "run(['progress'])\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('rich'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("Progress\n")
    assert done.stderr == ""

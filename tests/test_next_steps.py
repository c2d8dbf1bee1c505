"""What comes next, and the totals under it, computed without the CLI."""

from __future__ import annotations

from pathlib import Path

from mlpath.next_steps import next_steps_for
from mlpath.output.next_text import step_reason
from mlpath.output.words import format_minutes, progress_line
from mlpath.workspace import Workspace


def fresh(catalog: Path) -> Workspace:
    return Workspace(catalog)


def ids_next(catalog: Path, count: int = 5, free: bool = False) -> list[str]:
    ws = fresh(catalog)
    try:
        return [s.resource.id for s in next_steps_for(ws, count, free, (), "en").steps]
    finally:
        ws.close()


def record(catalog: Path, ids: list[str], status: str) -> None:
    ws = fresh(catalog)
    try:
        ws.set_status(ids, status)
    finally:
        ws.close()


def test_path_order_holds_back_resources_until_prerequisites_are_settled(
    mini_catalog: Path,
) -> None:
    # beta needs alpha, delta needs beta: only alpha and the books are open at first.
    assert ids_next(mini_catalog) == ["alpha", "gamma-book", "gamma-course"]
    record(mini_catalog, ["alpha"], "done")
    assert ids_next(mini_catalog) == ["beta", "gamma-book", "gamma-course"]


def test_a_skipped_prerequisite_counts_as_settled(mini_catalog: Path) -> None:
    record(mini_catalog, ["alpha"], "skipped")
    assert ids_next(mini_catalog, 1) == ["beta"]


def test_work_in_progress_comes_first(mini_catalog: Path) -> None:
    record(mini_catalog, ["gamma-course"], "doing")
    ws = fresh(mini_catalog)
    steps = next_steps_for(ws, 2, False, (), "en").steps
    ws.close()
    assert [(s.resource.id, s.status) for s in steps] == [
        ("gamma-course", "doing"),
        ("alpha", "todo"),
    ]
    assert step_reason(steps[0]).startswith("continue (started ")
    assert step_reason(steps[1]) == "next in Intro — 0 of 2 done"


def test_free_passes_over_paid_resources(mini_catalog: Path) -> None:
    assert ids_next(mini_catalog, free=True) == ["alpha"]


def test_totals_count_statuses_and_what_is_left(mini_catalog: Path) -> None:
    record(mini_catalog, ["alpha"], "done")
    record(mini_catalog, ["gamma-book"], "skipped")
    record(mini_catalog, ["gamma-course"], "doing")
    ws = fresh(mini_catalog)
    totals = next_steps_for(ws, 1, False, (), "en").totals
    ws.close()
    # The skipped book is optional, so outside the core horizon (issue 13: it was counted).
    assert (totals.total, totals.done, totals.skipped, totals.doing, totals.todo) == (
        4,
        1,
        0,
        1,
        2,
    )
    # Left: beta 90 + delta 120 + the course in progress 1200 minutes.
    assert totals.minutes_left == 1410
    assert progress_line(totals) == "1 of 4 done · about 24 h left"


def test_the_whole_path_done(mini_catalog: Path) -> None:
    record(mini_catalog, ["alpha", "beta", "gamma-book", "gamma-course", "delta"], "done")
    ws = fresh(mini_catalog)
    result = next_steps_for(ws, 1, False, (), "en")
    ws.close()
    assert result.steps == () and result.path_complete


def test_minutes_read_like_a_person_would_say_them() -> None:
    assert [format_minutes(m) for m in (5, 60, 90, 600, 631)] == [
        "5 min",
        "1 h",
        "1 h 30 min",
        "10 h",
        "11 h",
    ]

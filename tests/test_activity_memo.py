"""`progress` keeps what it found of days that are over (mlpath.activity_memo), and the
sections' counts are kept between runs (mlpath.section_counts): whatever is written to
the history afterwards, at any date, the figures are those a fresh read gives."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpath import activity_memo, history_since, progress, section_counts
from mlpath.errors import NothingToUndo
from mlpath.goal import SCOPES, unchosen
from mlpath.paths import progress_db
from mlpath.store import Change, open_store
from mlpath.workspace import Workspace

TODAY = date(2026, 6, 30)

write = st.tuples(
    st.just("write"),
    st.integers(0, 40),  # days before today
    st.integers(0, 23),  # hour, UTC
    # Two the catalog lacks, and one of the learner's own, defined by "define".
    st.sampled_from(["alpha", "beta", "gamma-book", "delta", "gone", "gone/part", "my-own"]),
    st.sampled_from(["todo", "doing", "done", "skipped", "note", "define"]),
)
operations = st.lists(
    st.one_of(
        write,
        st.tuples(st.just("undo")),
        st.tuples(st.just("next day"), st.integers(0, 10)),
        st.tuples(st.just("zone"), st.sampled_from(["UTC", "America/New_York", "Asia/Kathmandu"])),
    ),
    min_size=1,
    max_size=12,
)


def stamp(day: date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:30:00.000000Z"


def written(uid: str, at: str, resource: str, what: str) -> Change:
    """A change of the kind `what`: a status, a note, or (for the learner's own id)
    the definition of a resource of their own."""
    if what == "note":
        return Change(0, uid, at, resource, "note", None, "a note", None)
    if what == "define":
        own = '{"id": "my-own", "title": "Mine", "section": "intro", "minutes": 30}'
        return Change(0, uid, at, "my-own", "define", None, own, None)
    return Change(0, uid, at, resource, "status", what, None, None)


def report_and_truth(catalog: Path, today: date, weeks: int) -> tuple[object, object]:
    """The figures as `progress` makes them (with what was kept), and as read afresh."""
    db = Workspace(catalog).db()
    try:
        report = progress.read_progress(db, today, weeks=weeks)
        kept_counts = section_counts.section_counts(db)
        counts, streak = progress.read_activity(db, today, None, weeks)
        orphans = progress.read_orphans(db)
        fresh_counts = section_counts.count(db)
        # The optional resources not chosen, as each scope leaves them out.
        outside = [
            sorted(section_counts.unchosen(kept_counts, scope, by_section), key=str)
            for scope in SCOPES
            for by_section in (False, True)
        ]
        truth = [
            sorted(unchosen(db, scope, by_section), key=str)
            for scope in SCOPES
            for by_section in (False, True)
        ]
    finally:
        db.close()
    seen = (report.streak.days, report.calendar.counts, list(report.not_in_catalog), kept_counts)
    return (*seen, outside), (streak, counts, orphans, fresh_counts, truth)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=operations, weeks=st.sampled_from([1, 2]))
def test_the_report_is_the_same_with_the_record_whatever_was_written_since(
    ops: list[tuple[object, ...]],
    weeks: int,
    mini_catalog: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    store = open_store(Path(progress_db()), create=True)
    assert store is not None
    # A streak longer than the calendar, so the record's run is what it stands on.
    store.merge(
        Change(
            0,
            f"seed{n}",
            stamp(TODAY - timedelta(days=n), 12),
            "alpha",
            "status",
            "done",
            None,
            None,
        )
        for n in range(1, 30)
    )
    today = TODAY
    try:
        for number, op in enumerate(ops):
            if op[0] == "write":
                _, back, hour, resource, what = op
                day = today - timedelta(days=int(back))  # type: ignore[call-overload]
                at = stamp(day, int(hour))  # type: ignore[call-overload]
                store.merge([written(f"op{number}", at, str(resource), str(what))])
            elif op[0] == "undo":
                try:
                    store.undo(1)
                except NothingToUndo:
                    pass
            elif op[0] == "next day":
                today += timedelta(days=int(op[1]))  # type: ignore[call-overload]
            else:
                monkeypatch.setenv("TZ", str(op[1]))
                time.tzset()
            seen, truth = report_and_truth(mini_catalog, today, weeks)
            assert seen == truth, (number, op)
    finally:
        store.close()
        time.tzset()


@pytest.mark.parametrize(
    "kept",
    [b"", b"\xff\xfe garbage\n", activity_memo.FORMAT.encode() + b"\n" + b"x\n" * 12],
    ids=["empty", "garbage", "damaged"],
)
def test_a_damaged_record_is_rebuilt_not_believed(mini_catalog: Path, kept: bytes) -> None:
    store = open_store(Path(progress_db()), create=True)
    assert store is not None
    store.merge(
        [
            Change(
                0, f"s{n}", stamp(TODAY - timedelta(days=n), 9), "beta", "note", None, "n", None
            )
            for n in range(1, 9)
        ]
    )
    store.close()
    db = Workspace(mini_catalog).db()
    path = activity_memo.memo_file(history_since.attached_files(db)[1])
    db.close()
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(kept)
    seen, truth = report_and_truth(mini_catalog, TODAY, 1)
    assert seen == truth
    assert seen[0] == 8  # type: ignore[index]


def test_optional_resources_and_parts_are_counted_as_the_catalog_gives_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_scale import big_catalog

    # Optional resources, free and paid, each with three parts.
    ids = big_catalog(tmp_path / "big.json", 200, parts=3)
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "big.json"))
    store = open_store(Path(progress_db()), create=True)
    assert store is not None
    store.set_status(ids[::3], "skipped")
    store.set_status(ids[1::5], "doing")
    store.set_status([f"{rid}/p1" for rid in ids[1::2]], "done")
    db = Workspace(tmp_path / "big.json").db()
    section_counts.section_counts(db)  # kept, then moved by what follows
    store.set_status(ids[::4], "done")
    store.set_status(ids[2::7], "skipped")
    store.set_status([f"{rid}/p2" for rid in ids[::6]], "skipped")
    store.set_status([f"{rid}/p1" for rid in ids[1::4]], "todo")
    store.close()
    kept = section_counts.section_counts(db)
    for scope in SCOPES:
        for by_section in (False, True):
            moved = section_counts.unchosen(kept, scope, by_section)
            assert sorted(moved, key=str) == sorted(unchosen(db, scope, by_section), key=str)
    assert kept == section_counts.count(db)
    db.close()


@pytest.mark.parametrize("catalog", ["bundled", "generated"])
def test_before_any_status_the_counts_are_the_catalogs_own_totals(
    catalog: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath import catalog as catalog_mod
    from test_scale import big_catalog

    if catalog == "generated":  # optional resources, free and paid, in four sections
        big_catalog(tmp_path / "big.json", 400)
        monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "big.json"))
    db = Workspace(catalog_mod.catalog_path()).db()  # no store, and none is made

    def steps(read: Any) -> tuple[Any, int]:
        ticks = [0]

        def tick() -> int:
            ticks[0] += 1
            return 0

        db.set_progress_handler(tick, 1)
        try:
            return read(db), ticks[0]
        finally:
            db.set_progress_handler(None, 1)

    kept, first_run = steps(section_counts.section_counts)
    counted, counting = steps(section_counts.count)
    assert kept == counted
    for scope in SCOPES:
        for by_section in (False, True):
            totals = section_counts.unchosen(kept, scope, by_section)
            assert sorted(totals, key=str) == sorted(unchosen(db, scope, by_section), key=str)
    # A first run reads the catalog's totals, not every resource.
    assert first_run * 3 < counting, (first_run, counting)
    db.close()
    assert not Path(progress_db()).exists()

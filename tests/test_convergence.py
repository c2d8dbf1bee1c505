"""Two machines that hold the same changes agree on every status, whatever the order
or the batches in which they learnt them (the clock and uid order is total)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.store import Change, open_store


@st.composite
def histories(draw: st.DrawFn) -> list[Change]:
    count = draw(st.integers(1, 12))
    changes: list[Change] = []
    for n in range(count):
        # Few distinct times, as from an export of the first format: many ties.
        at = f"2026-09-21T14:13:2{draw(st.integers(0, 5))}.000000Z"
        if len(changes) > 0 and draw(st.booleans()):
            target = draw(st.sampled_from([c for c in changes if c.action == "status"]))
            undo = Change(0, f"{n:032x}", at, target.resource, "undo", None, None, target.uid)
            if all(c.reverts != target.uid for c in changes):
                changes.append(undo)
            continue
        resource = draw(st.sampled_from(["a", "b"]))
        status = draw(st.sampled_from(["todo", "doing", "done", "skipped"]))
        changes.append(Change(0, f"{n:032x}", at, resource, "status", status, None, None))
    return changes


@settings(max_examples=40, deadline=None)
@given(history=histories(), data=st.data())
def test_any_order_and_batching_gives_the_same_statuses(
    history: list[Change], data: st.DataObject
) -> None:
    answers = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("one", "two"):
            order = data.draw(st.permutations(history))
            cut = data.draw(st.integers(0, len(order)))
            store = open_store(Path(tmp) / name / "progress.db", create=True)
            assert store is not None
            # An undo must travel with, or after, the change it reverts (as in an export).
            first = [c for c in order[:cut] if c.action != "undo"]
            store.merge(first)
            store.merge([c for c in order if c not in first])
            answers.append(store.statuses())
            store.close()
    assert answers[0] == answers[1]

"""The plan's text made a column at a time (issue 11): the same days and rows as one made
row by row, with less work."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mlpath.plan_table import iso_days


def test_iso_days_are_isoformat_across_years_leap_days_and_any_order() -> None:
    rng = random.Random(5)
    start = date(1999, 12, 30)
    growing = sorted(rng.randrange(0, 3_000) for _ in range(500))
    jumbled = [rng.randrange(0, 400_000) for _ in range(500)]
    for offsets in (growing, jumbled, [0, 0, 1, 1, 1, 366, 367, 731]):
        assert iso_days(start, offsets) == [
            (start + timedelta(days=o)).isoformat() for o in offsets
        ]
    assert iso_days(date(1, 1, 1), [0, 365, 99 * 365]) == [
        "0001-01-01",
        "0002-01-01",
        "0099-12-08",
    ]

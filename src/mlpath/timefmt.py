"""Stored times are UTC; people read them in their own time zone."""

from __future__ import annotations

from mlpath.dates import UTC, date, datetime, time, tzinfo


def local_time(stamp: str) -> str:
    """'2026-11-23T14:02:09.123456Z' → '2026-11-23 14:02' in the local time zone."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def today() -> date:
    """The learner's calendar day, in the local time zone."""
    return date.today()


def local_date(stamp: str, tz: tzinfo | None = None) -> date:
    """The learner's calendar day of a stored UTC stamp (`tz` None: the system's zone)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone(tz).date()


def utc_stamp(day: date, tz: tzinfo | None = None) -> str:
    """The stored form of the first moment of local `day`, for range queries."""
    moment = datetime.combine(day, time(), tzinfo=tz) if tz else datetime.combine(day, time())
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

"""Stored times are UTC; people read them in their own time zone."""

from __future__ import annotations

from datetime import datetime


def local_time(stamp: str) -> str:
    """'2026-11-23T14:02:09.123456Z' → '2026-11-23 14:02' in the local time zone."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")

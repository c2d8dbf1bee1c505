"""Shared by the tests of `mlpath ui`: a small catalog with parts, a fixed clock."""

from __future__ import annotations

import asyncio
import copy
import functools
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_CATALOG

# 2026-01-15 12:00 UTC: what the store's clock says in these tests, and the view's today.
FIXED_NANOS = 1_768_478_400 * 1_000_000_000
TODAY = (2026, 1, 15)

PARTS = [
    {"id": "welcome", "title": "Welcome", "title_zh": "欢迎", "minutes": 10},
    {"id": "basics", "title": "The basics", "title_zh": "基础", "minutes": 10},
    {"id": "wrap-up", "title": "Wrapping up", "title_zh": "总结", "minutes": 10},
]


def ui_catalog() -> dict[str, Any]:
    """The tests' mini catalog; its first resource (alpha) has three parts."""
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"][0]["parts"] = copy.deepcopy(PARTS)
    return data


def write_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ui.json"
    path.write_text(json.dumps(ui_catalog(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


def fix_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every change recorded from now on carries the same fixed time (a microsecond
    apart, as the store's hybrid clock keeps them ordered)."""
    from mlpath import store

    monkeypatch.setattr(store, "wall_clock", lambda: FIXED_NANOS)


def synchronously(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test (Textual's Pilot) in its own event loop."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run

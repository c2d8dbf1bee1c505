"""What `mlpath ui` looks like, pinned as SVG screenshots (pytest-textual-snapshot).

The references live in tests/__snapshots__/test_ui_snapshots/; after a deliberate change
of the layout, look at the new pictures and accept them with `pytest --snapshot-update`.
The store's clock and the view's today are fixed, so the pictures are the same on every
machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mlpath import cli
from mlpath.i18n import activate
from mlpath.ui.app import MlpathApp
from ui_support import TODAY, fix_clock, write_catalog

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Some progress, a note and a goal, all recorded at the same fixed moment."""
    fix_clock(monkeypatch)
    write_catalog(tmp_path, monkeypatch)
    for args in (
        ["done", "alpha/1"],
        ["start", "beta"],
        ["note", "beta", "read up to the second figure"],
        ["skip", "gamma-book"],
        ["goal", "--hours-per-week", "5"],
    ):
        assert cli.run(args) == 0
    monkeypatch.delenv("NO_COLOR")  # the pictures show the colours
    yield
    activate("en")


def view(lang: str) -> MlpathApp:
    activate(lang)
    app = MlpathApp(None, lang, today=TODAY)
    app.expanded.add("alpha")
    return app


async def on_beta(pilot: Any) -> None:
    await pilot.press("down", "down", "down", "down")  # past alpha's three parts
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_view(snap_compare: SnapCompare, lang: str, size: tuple[int, int]) -> None:
    assert snap_compare(view(lang), terminal_size=size, run_before=on_beta)


def test_without_colour(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(view("en"), terminal_size=(80, 24), run_before=on_beta)


def test_the_help(snap_compare: SnapCompare) -> None:
    assert snap_compare(view("en"), terminal_size=(80, 24), press=["question_mark"])


def test_too_small(snap_compare: SnapCompare) -> None:
    assert snap_compare(view("en"), terminal_size=(50, 12))

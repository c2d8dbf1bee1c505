"""`mlpath ui` driven key by key with Textual's Pilot: what the store records, what the
screen shows. Each key runs the command the CLI would, as one unit of the history."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.strip import Strip

from conftest import Run
from mlpath import cli
from mlpath.i18n import activate
from mlpath.store import Store
from mlpath.ui.app import KeyBar, MlpathApp
from mlpath.ui.path_list import PathList
from ui_support import TODAY, fix_clock, synchronously, write_catalog


@pytest.fixture(autouse=True)
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    fix_clock(monkeypatch)
    yield write_catalog(tmp_path, monkeypatch)
    activate("en")


def make_app(lang: str = "en") -> MlpathApp:
    activate(lang)
    return MlpathApp(None, lang, today=TODAY, poll_seconds=0.05)


def store_now() -> Store:
    from mlpath.paths import progress_db
    from mlpath.store import open_store

    store = open_store(progress_db(), create=False)
    assert store is not None
    return store


def statuses() -> dict[str, str]:
    """Every status in the store (resources and RESOURCE/PART keys), as `list` reads it."""
    store = store_now()
    try:
        return store.statuses()
    finally:
        store.close()


def notes(resource_id: str) -> list[str | None]:
    from mlpath.paths import progress_db

    if not os.path.exists(progress_db()):
        return []
    store = store_now()
    try:
        return [c.note for c in store.live_changes(resource_id) if c.action == "note"]
    finally:
        store.close()


def unit_labels() -> list[str]:
    """The store's units, oldest first: one per command."""
    import sqlite3

    from mlpath.paths import progress_db

    with sqlite3.connect(progress_db()) as conn:
        return [row[0] for row in conn.execute("SELECT label FROM units ORDER BY seq")]


def list_text(app: MlpathApp) -> str:
    """Every line of the list as it is drawn (80 columns wide)."""
    path = app.query_one(PathList)
    return "\n".join(path.line_text(row, 80).plain for row in path.rows)


def screen_text(app: MlpathApp) -> str:
    """The list, and the other text on the view (header, detail, message)."""
    others = [str(w.render()) for w in app.screen_stack[0].query("Static") if w.display]
    return "\n".join([list_text(app), *others])


def cursor_to(app: MlpathApp, key: str) -> None:
    path = app.query_one(PathList)
    path.move_to(next(i for i, row in enumerate(path.rows) if row.key == key))


@synchronously
async def test_space_marks_done_then_back_to_do_each_one_unit() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "beta")
        await pilot.press("space")
        assert statuses()["beta"] == "done"
        assert "[x] Beta Article" in screen_text(app)
        assert "done: beta · Beta Article" in screen_text(app)
        await pilot.press("space")
        assert statuses().get("beta", "todo") == "todo"
        assert "[ ] Beta Article" in screen_text(app)
    assert unit_labels() == ["done beta", "reset beta"]


@synchronously
async def test_start_skip_reset_and_undo() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "delta")
        await pilot.press("s")
        assert statuses()["delta"] == "doing"
        assert "[>] Delta Practice" in screen_text(app)
        await pilot.press("k")
        assert statuses()["delta"] == "skipped"
        await pilot.press("r")
        assert statuses().get("delta", "todo") == "todo"
        await pilot.press("u")  # takes back the reset: skipped again
        assert statuses()["delta"] == "skipped"
        assert "[-] Delta Practice" in screen_text(app)
        await pilot.press("u", "u")
        assert statuses().get("delta", "todo") == "todo"
    assert unit_labels()[:3] == ["start delta", "skip delta", "reset delta"]


@synchronously
async def test_a_part_is_ticked_and_its_resource_follows() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "alpha")
        assert "▸ [ ] Alpha Intro" in screen_text(app)
        await pilot.press("right")
        assert "▾ [ ] Alpha Intro" in screen_text(app)
        assert "[ ] 2. The basics" in screen_text(app)
        cursor_to(app, "alpha/2")
        await pilot.press("space")
        assert "[x] 2. The basics" in screen_text(app)
        assert "▾ [>] Alpha Intro" in screen_text(app)  # in progress: a part is done
        assert "▰▰▱▱▱▱ 1/3" in screen_text(app)
        await pilot.press("left")  # folds the parts, back on the resource
        current = app.query_one(PathList).current
        assert current is not None and current.key == "alpha"
        assert "The basics" not in list_text(app)
    assert statuses()["alpha"] == "doing"
    assert statuses()["alpha/basics"] == "done"
    assert unit_labels() == ["done alpha/2"]


@synchronously
async def test_a_note_is_written_in_the_box_and_shown() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "beta")
        await pilot.press("n")
        await pilot.press(*"stopped at -p 3")
        await pilot.press("enter")
        await pilot.pause()
        assert "stopped at -p 3" in str(app.query_one("#detail").render())
    assert notes("beta") == ["stopped at -p 3"]
    assert unit_labels() == ["note beta stopped at -p 3"]


@synchronously
async def test_escape_drops_the_note() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "beta")
        await pilot.press("n", *"never mind", "escape")
        await pilot.pause()
    assert notes("beta") == []


@synchronously
async def test_search_forgives_typos_and_escape_brings_the_path_back() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"gamm bok", "enter")
        await pilot.pause()
        path = app.query_one(PathList)
        assert [row.key for row in path.rows][0] == "gamma-book"
        assert "search 'gamm bok'" in screen_text(app)
        await pilot.press("space")  # keys work on the hits
        assert path.rows[0].status == "done"
        await pilot.press("escape")
        assert app.found is None
        assert len([r for r in path.rows if r.kind == "resource"]) == 5


@synchronously
async def test_search_finds_chinese_titles() -> None:
    app = make_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"阿尔法", "enter")
        await pilot.pause()
        assert [row.key for row in app.query_one(PathList).rows] == ["alpha"]


@synchronously
async def test_the_filter_narrows_to_free_and_to_a_status() -> None:
    assert cli.run(["done", "delta"]) == 0
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "enter")  # Free only
        await pilot.pause()
        keys = [r.key for r in app.query_one(PathList).rows if r.kind == "resource"]
        assert keys == ["alpha", "beta", "delta"]
        assert "filter: free only · 3 shown" in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # Status: done
        await pilot.pause()
        keys = [r.key for r in app.query_one(PathList).rows if r.kind == "resource"]
        assert keys == ["delta"]
        await pilot.press("escape")
        keys = [r.key for r in app.query_one(PathList).rows if r.kind == "resource"]
        assert len(keys) == 5


BROWSER_SCRIPT = """#!/bin/sh
printf '%s\\n' "$@" >> "$RECORD"
"""


@synchronously
async def test_o_opens_the_link_in_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = tmp_path / "fake-browser"
    browser.write_text(BROWSER_SCRIPT)
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setenv("RECORD", str(tmp_path / "record"))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "delta")
        await pilot.press("o")
        await pilot.pause()
        assert "opened" in str(app.query_one("#message").render())
    assert (tmp_path / "record").read_text() == "https://example.org/delta\n"


@synchronously
async def test_o_without_a_link_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "beta")
        await pilot.press("o")
        message = str(app.query_one("#message").render())
        assert "beta" in message and "link" in message


@synchronously
async def test_a_change_made_from_the_cli_meanwhile_appears() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert "[ ] Gamma Course" in screen_text(app)
        # Another process, as another terminal would be.
        env = {**os.environ, "MLPATH_NO_FAST_PATH": ""}
        subprocess.run(
            [sys.executable, "-m", "mlpath", "start", "gamma-course"], env=env, check=True
        )
        for _ in range(50):
            await pilot.pause(0.05)
            if "[>] Gamma Course" in screen_text(app):
                break
        assert "[>] Gamma Course" in screen_text(app)


@synchronously
async def test_help_lists_the_keys_and_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "undo the last change" in str(app.screen.query_one("#help-text").render())
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_value == 0


@synchronously
async def test_quitting_reports_how_many_commands_ran() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "beta")
        await pilot.press("space", "s", "q")
    assert app.return_value == 2


@synchronously
async def test_a_click_chooses_a_row() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        path = app.query_one(PathList)
        target = next(i for i, row in enumerate(path.rows) if row.key == "delta")
        await pilot.click(PathList, offset=(10, target))
        assert path.current is not None and path.current.key == "delta"
        assert "Delta Practice" in str(app.query_one("#detail").render())


@synchronously
async def test_a_terminal_too_small_gets_a_message() -> None:
    app = make_app()
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        message = app.query_one("#too-small")
        assert message.display and app.screen.has_class("-too-small")
        assert "50×12" in str(message.render()) and "60×15" in str(message.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")


@synchronously
async def test_chinese_titles_and_words() -> None:
    app = make_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "alpha")
        await pilot.pause()
        text = screen_text(app)
        assert "阿尔法" in text and "入门" in text  # the catalog's zh titles
        assert "30 分钟" in text
        await pilot.press("space")
        assert statuses()["alpha"] == "done"


def test_the_command_needs_a_terminal(run: Run) -> None:
    result = run("ui")
    assert result.exit_code == 1
    assert result.stderr == (
        "mlpath: mlpath ui needs a terminal to draw in; `mlpath list` and `mlpath next` "
        "work anywhere\n"
    )


def test_other_commands_never_import_textual(home: Path) -> None:
    probe = (
        "import sys\n"
        "from mlpath import cli\n"
        "cli.run(sys.argv[1:])\n"
        "sys.stderr.write(str('textual' in sys.modules))\n"
    )
    for args in (["next"], ["done", "beta"], ["list"], ["show", "alpha"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        )
        assert done.stderr.endswith("False"), (args, done.stderr)


def test_the_session_line_after_quitting() -> None:
    from mlpath.output.ui_text import session_lines
    from mlpath.ui.session import UiSession

    assert session_lines(UiSession(0), "en") == []
    assert session_lines(UiSession(1), "en") == [
        "1 change recorded — `mlpath history` lists it, `mlpath undo` takes it back"
    ]
    assert json.dumps(UiSession(2).to_json()) == '{"commands": 2}'


@synchronously
async def test_a_click_on_a_key_in_the_bar_presses_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        bar = app.query_one("#keys", KeyBar)
        start = next(start for start, _end, key in bar.spans if key == "question_mark")
        await pilot.click("#keys", offset=(start + 1, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


@synchronously
async def test_ten_thousand_resources_are_one_widget_drawn_by_the_screenful(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_benchmarks import load_harness

    harness = load_harness()
    small = make_app()
    async with small.run_test(size=(100, 30)):
        widgets_small = len(list(small.query("*")))
    big = tmp_path / "big.json"
    harness.generate_catalog(big, 10_000)
    monkeypatch.setenv("MLPATH_CATALOG", str(big))
    app = make_app()
    drawn: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        path = app.query_one(PathList)
        assert len(path.rows) == 10_020  # 20 section headings
        assert len(list(app.query("*"))) == widgets_small  # no widget per row
        original = PathList.render_line

        def counted(self: PathList, y: int) -> Strip:
            drawn.append(y)
            return original(self, y)

        monkeypatch.setattr(PathList, "render_line", counted)
        await pilot.press("end")
        await pilot.pause()
        assert path.current is not None and path.current.key == "res-009999"
        assert "Generated resource number 9999" in str(app.query_one("#detail").render())
    # Only the screenful the list shows was drawn, not ten thousand lines.
    assert 0 < len(drawn) < 200


@synchronously
async def test_keys_in_a_dialog_are_the_dialogs() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "beta")
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("space", "s", "u", "q")  # nothing ticked, started or quit
        await pilot.pause()
        assert type(app.screen).__name__ == "FilterScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.base
    assert not os.path.exists(Path(os.environ["MLPATH_HOME"]) / "progress.db")


@synchronously
async def test_the_detail_pane_in_chinese_names_the_chinese_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLPATH_CATALOG")  # the bundled path: 3b1b has a Bilibili edition
    app = make_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        cursor_to(app, "3b1b-neural-networks")
        await pilot.pause()
        detail = str(app.query_one("#detail").render())
        assert "中文字幕：3Blue1Brown 官方 B 站账号" in detail
        assert "https://space.bilibili.com/88461692" in detail

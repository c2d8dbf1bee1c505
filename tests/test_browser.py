"""`mlpath open` runs the browser BROWSER names itself where Python's webbrowser would
run exactly that command, and leaves every other case to webbrowser."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mlpath.browser import CONSOLE_BROWSERS, chosen_browser

BROWSER_SCRIPT = """#!/bin/sh
printf '%s\\n' "$0" "$@" >> "$RECORD"
grep SigIgn /proc/$$/status >> "$RECORD"
exit "${EXIT_CODE:-0}"
"""


@pytest.fixture
def fake_browser(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "fake-browser"
    path.parent.mkdir()
    path.write_text(BROWSER_SCRIPT)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def opened_by(how: str, env: dict[str, str]) -> str:
    """What `how` (webbrowser.open, or mlpath's system_opener) returned, in a fresh
    process (webbrowser remembers its browsers)."""
    code = (
        f"import sys{', webbrowser' if how.startswith('webbrowser') else ''}\n"
        "from mlpath.browser import system_opener\n"
        f"print({how}('https://example.org/a b'))\n"
        "print('webbrowser' in sys.modules and 'subprocess' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def environment(tmp_path: Path, fake_browser: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM")
    }
    env.update({"RECORD": str(tmp_path / "record"), "BROWSER": str(fake_browser), **extra})
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the quick path is Linux's")
@pytest.mark.parametrize("exit_code", ["0", "3"])
@pytest.mark.parametrize("by_name", [False, True])
def test_the_browser_runs_as_webbrowser_runs_it(
    tmp_path: Path, fake_browser: Path, exit_code: str, by_name: bool
) -> None:
    env = environment(tmp_path, fake_browser, EXIT_CODE=exit_code)
    if by_name:  # found on PATH, as BROWSER=firefox is
        env.update(
            BROWSER=fake_browser.name, PATH=f"{fake_browser.parent}{os.pathsep}{env['PATH']}"
        )
    record = tmp_path / "record"
    expected = opened_by("webbrowser.open", env)
    by_webbrowser = record.read_text()
    record.unlink()
    ours = opened_by("system_opener", env)
    assert ours.splitlines()[0] == expected.splitlines()[0] == str(exit_code == "0")
    assert ours.splitlines()[1] == "False"  # webbrowser (and subprocess) not imported
    # The same program, the same arguments, the same signals ignored, run once.
    assert record.read_text() == by_webbrowser
    assert by_webbrowser.splitlines()[1] == "https://example.org/a b"


def test_a_command_that_cannot_start_is_no_browser(tmp_path: Path, fake_browser: Path) -> None:
    env = environment(tmp_path, fake_browser, BROWSER=str(tmp_path / "missing"))
    assert opened_by("system_opener", env).splitlines() == ["False", "False"]
    env["BROWSER"] = "fake-browser --new-window"  # one program name, spaces and all
    assert opened_by("system_opener", env).splitlines() == ["False", "False"]
    assert opened_by("webbrowser.open", env).splitlines()[0] == "False"


@pytest.mark.parametrize(
    ("env", "platform", "chosen"),
    [
        ({"BROWSER": "firefox"}, "linux", "firefox"),
        ({"BROWSER": "/opt/b/browse"}, "linux", "/opt/b/browse"),
        ({"BROWSER": "firefox", "TERM": "xterm", "PATH": "/nowhere"}, "linux", "firefox"),
        ({}, "linux", None),
        ({"BROWSER": ""}, "linux", None),
        ({"BROWSER": "  "}, "linux", None),
        ({"BROWSER": "firefox"}, "darwin", None),
        ({"BROWSER": "firefox"}, "win32", None),
        ({"BROWSER": "firefox", "DISPLAY": ":0"}, "linux", None),
        ({"BROWSER": "firefox", "WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"BROWSER": "firefox %s"}, "linux", None),
        ({"BROWSER": f"firefox{os.pathsep}chrome"}, "linux", None),
        ({"BROWSER": "/usr/bin/Lynx"}, "linux", None),
        ({"BROWSER": "w3m -dump"}, "linux", None),
    ],
)
def test_which_cases_the_quick_path_takes(
    env: dict[str, str], platform: str, chosen: str | None
) -> None:
    assert chosen_browser(env, platform) == chosen


def test_a_console_browser_on_path_leaves_it_to_webbrowser(tmp_path: Path) -> None:
    # webbrowser would try lynx after a failing BROWSER: only it knows that order.
    lynx = tmp_path / CONSOLE_BROWSERS[3]
    lynx.write_text("#!/bin/sh\n")
    lynx.chmod(0o755)
    env = {"BROWSER": "firefox", "TERM": "xterm", "PATH": str(tmp_path)}
    assert chosen_browser(env, "linux") is None
    assert chosen_browser({**env, "TERM": ""}, "linux") == "firefox"
    lynx.chmod(0o644)  # not executable: not a browser
    assert chosen_browser(env, "linux") == "firefox"

"""Outside text is data: whatever a catalog, a note or an import holds, no output sends
it to the terminal as an instruction, and brackets are shown as typed.

Every command's output is checked, as a pipe and at a (captured) terminal, in every
format, against titles, authors, descriptions, section titles and notes carrying
escape sequences (colour, window title, hyperlink, clipboard), C1 controls,
bidirectional overrides, line breaks and Rich markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_CATALOG, Run
from mlpath.output.literal import json_text, visible

HOSTILE = (
    "\x1b[31mred\x1b[0m"
    "\x1b]0;owned\x07"
    "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\"
    "\x1b]52;c;ZXZpbA==\x07"
    "\x1b[2J\x9b31m\u202etxt.exe\u2066"
    "\nforged: line"
    "[/x][link=file:///etc/passwd]x[/link][bold]b"
)
# What a catalog may hold (validation refuses control characters there): markup.
MARKUP = "[/x][link=file:///etc/passwd]x[/link][bold]b ✓"
# What a terminal could act on: ESC, C1 controls, bidi overrides/isolates, BEL.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@pytest.fixture
def hostile_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    catalog: dict[str, Any] = json.loads(json.dumps(MINI_CATALOG))
    catalog["sections"][0]["title"] = "Intro " + MARKUP
    first = catalog["resources"][0]
    first["title"] = "Alpha " + MARKUP
    first["author"] = "Ann " + MARKUP
    first["description"] = "A video. " + MARKUP
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


COMMANDS = [
    ["next"],
    ["next", "--short"],
    ["next", "-n", "3", "--json"],
    ["show", "alpha"],
    ["show", "alpha", "--json"],
    ["history"],
    ["history", "--json"],
    ["list"],
    ["list", "--json"],
    ["sections"],
    ["progress"],
    ["progress", "--json"],
    ["plan", "-w", "5"],
    ["search", "alpha"],
    ["export", "--format", "markdown"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["done", "alpha"],
    ["undo"],
]


def only_own_styling(text: str) -> str:
    """The output without mlpath's own SGR styling (what Rich or `Bold` lines add)."""
    return re.sub("\x1b\\[[0-9;]*m", "", text)


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_outside_text_reaches_the_terminal_raw(
    run: Run,
    hostile_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    terminal: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR")
    assert run("start", "alpha").exit_code == 0
    assert run("note", "alpha", HOSTILE).exit_code == 0
    result = run(*args, terminal=terminal)
    assert result.exit_code == 0, result.stderr
    shown = only_own_styling(result.stdout)
    assert not FORBIDDEN.findall(shown), shown
    # Every line of the output is one line: the note's line break did not forge one.
    assert "\nforged: line" not in shown


def test_json_keeps_outside_text_equal_in_value(run: Run, hostile_catalog: Path) -> None:
    assert run("note", "alpha", HOSTILE).exit_code == 0
    shown = json.loads(run("show", "alpha", "--json").stdout)["result"]
    assert shown["resource"]["title"] == "Alpha " + MARKUP
    assert shown["notes"][0]["text"] == HOSTILE


def test_a_markup_note_does_not_break_progress_at_a_terminal(run: Run, mini_catalog: Path) -> None:
    assert run("note", "alpha", "[/x] [link=file:///x]y[/link]").exit_code == 0
    result = run("progress", terminal=True)
    assert result.exit_code == 0, result.stderr
    assert "note: [/x] [link=file:///x]y[/link]" in result.stdout
    assert "\x1b]8;" not in result.stdout


def test_an_undecodable_argument_is_shown_as_its_byte(run: Run, mini_catalog: Path) -> None:
    # What Python makes of `mlpath done $'\xff'` on a UTF-8 system.
    for args in (["done", "\udcff"], ["note", "alpha", "caf\udce9"]):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr == (
            f"mlpath: {visible(args[-1])!s} is not UTF-8 text: "
            "mlpath cannot read an undecodable byte\n"
        )
    assert run("history").stdout.startswith("No changes yet")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain 中文 text", "plain 中文 text"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\nb\tc", "a\\x0ab\\x09c"),
        ("\x9b\u202e\u2066", "\\x9b\\u202e\\u2066"),
        ("\udcff", "\\xff"),
        ("emoji 👩\u200d💻 and soft\u00adhyphen", "emoji 👩\u200d💻 and soft\u00adhyphen"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert visible(shown) == shown


def test_json_text_escapes_what_json_leaves_raw() -> None:
    value = {"x": "\x9b\u202e\ud800\U000e0001\x7f"}
    text = json_text(value)
    assert not FORBIDDEN.findall(text)
    assert json.loads(text) == value


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("args", [["list"], ["show", "alpha"], ["sections"], ["plan", "-w", "5"]])
def test_markup_in_a_catalog_is_shown_as_typed(
    run: Run, hostile_catalog: Path, args: list[str], terminal: bool
) -> None:
    result = run(*args, terminal=terminal)
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())  # a terminal table may wrap a long title
    assert "[/x][link=file:///etc/passwd]x[/link]" in flat.replace(" ", "")


def test_a_catalog_with_escape_sequences_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog: dict[str, Any] = json.loads(json.dumps(MINI_CATALOG))
    catalog["resources"][0]["title"] = "Alpha " + HOSTILE
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    result = run("next")
    assert result.exit_code == 1
    assert result.stderr.startswith("mlpath: catalog ")
    assert "resources[0].title" in result.stderr
    assert not FORBIDDEN.findall(result.stderr)

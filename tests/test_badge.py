"""`mlpath badge`: an SVG badge for a README, saying what `mlpath progress` says."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run, payload
from mlpath.counts import Tally
from mlpath.share.badge import badge_value, escape, text_width

SVG = "{http://www.w3.org/2000/svg}"


def words(svg: str) -> tuple[str, list[str]]:
    """The badge's title and the texts it draws, from the parsed SVG."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    return title.text, ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def expected_percent(done: int, total: int) -> str:
    """As `progress` rounds: never 0% for some done, never 100% for not all."""
    value = round(100 * done / total) if total else 0
    if done and value == 0:
        value = 1
    if done < total and value == 100:
        value = 99
    return f"{value}%"


@pytest.fixture
def progressed(run: Run, mini_catalog: Path) -> None:
    for args in (("done", "alpha"), ("start", "beta")):
        assert run(*args).exit_code == 0


def test_the_badge_is_svg_and_says_what_progress_says(run: Run, progressed: None) -> None:
    result = run("badge")
    assert result.exit_code == 0, result.stderr
    title, texts = words(result.stdout)
    progress = payload(run("progress", "--json").stdout, "progress")
    percent = expected_percent(progress["overall"]["done"], progress["overall"]["total"])
    days = progress["streak"]["days"]
    assert days == 1
    assert texts == ["ML path", f"{percent} · {days}-day streak"]
    assert title == f"ML path · {percent} · {days}-day streak"
    assert ET.fromstring(result.stdout).get("aria-label") == title


def test_the_badge_speaks_the_learners_language(run: Run, progressed: None) -> None:
    result = run("badge", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    _title, texts = words(result.stdout)
    assert texts == ["机器学习路线", "25% · 连续 1 天"]
    assert ET.fromstring(result.stdout).get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"


def test_the_badge_to_a_file_and_never_over_one_without_force(
    run: Run, progressed: None, tmp_path: Path
) -> None:
    target = tmp_path / "badge.svg"
    result = run("badge", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {target}: ML path · 25% · 1-day streak\n"
    words(target.read_text(encoding="utf-8"))
    again = run("badge", "-o", str(target))
    assert again.exit_code == 1
    assert "add --force to replace it" in again.stderr
    assert run("badge", "-o", str(target), "--force").exit_code == 0


def test_badge_json(run: Run, progressed: None) -> None:
    found = payload(run("badge", "--json").stdout, "badge")
    assert (found["done"], found["total"], found["percent"], found["streak_days"]) == (
        1,
        4,
        "25%",
        1,
    )
    assert found["text"] == "ML path · 25% · 1-day streak"
    assert words(found["svg"])[0] == found["text"]


def test_no_streak_no_streak_words() -> None:
    assert badge_value(Tally(4, 1), 0) == "25%"
    assert badge_value(Tally(4, 1), 12) == "25% · 12-day streak"
    assert badge_value(Tally(3, 0), 0) == "0%"


def test_wider_text_makes_a_wider_badge() -> None:
    assert text_width("ML path") < text_width("ML path · 25%")
    # A Chinese character is about as wide as it is tall.
    assert text_width("机器学习") == 44


@given(st.text())
def test_text_in_the_badge_is_escaped_as_html_escapes_it(text: str) -> None:
    # The badge's words come from translations: none of them may open or end markup.
    assert escape(text) == html.escape(text)

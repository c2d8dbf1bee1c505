"""The shared page in a real browser: headless Chromium, off the network.

Loaded from its file at a desktop's 1280×800 and a phone's 390×844, light and dark:
the DOM Chromium built, what is on the first screen, that nothing runs wider than
the viewport, that screenshots show a page (not a blank one), that no request leaves
the file, and that printing uses a white page. Without Chromium these tests skip with
the package to install, and fail under CI (tests/chromium.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import chromium
from mlpath import cli
from mlpath.output.env import Environment
from test_share import HOSTILE, HOSTILE_SHOWN

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}

# Elements whose right edge passes the viewport's (none should), and the width the
# document would scroll to.
OVERFLOW = """
(() => {
  const wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.width && box.right > innerWidth + 0.5) wide.push(e.tagName + '.' + e.className);
  }
  return {scroll: document.documentElement.scrollWidth, viewport: innerWidth, wide: wide};
})()
"""
# Where an element is, and whether it is drawn at all.
SEEN = """
(selector => [...document.querySelectorAll(selector)].map(e => {
  const box = e.getBoundingClientRect(), style = getComputedStyle(e);
  return {text: e.textContent.trim(), top: box.top + scrollY, width: box.width,
          height: box.height, shown: style.visibility === 'visible' && style.display !== 'none'
          && Number(style.opacity) > 0};
}))
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[chromium.Browser]:
    with chromium.browser() as opened:
        yield opened


def mlpath(*args: str) -> int:
    """Run mlpath in-process, once (the CLI's two parsers are held equal elsewhere)."""
    out = io.StringIO()
    env = Environment(stdout=out, stderr=out, stdin=io.StringIO(), stdout_is_terminal=False)
    return cli.run(list(args), env)


@pytest.fixture
def page(mini_catalog: Path, tmp_path: Path) -> Path:
    """A page with some of everything: statuses, parts, a long title, a hostile note."""
    for args in (
        ("parts", "alpha", "--split", "3"),
        ("done", "alpha/1"),
        ("start", "beta"),
        ("note", "beta", HOSTILE),
        ("skip", "gamma-course"),
        ("done", "delta"),
        ("add", "A" * 120, "--section", "practice", "--url", "https://example.org/" + "x" * 200),
        ("goal", "-w", "5"),
    ):
        assert mlpath(*args) == 0, args
    assert mlpath("share", "-o", str(tmp_path / "page"), "--with-notes") == 0
    return tmp_path / "page" / "index.html"


def seen(browser: chromium.Browser, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = browser.evaluate(SEEN + f"({selector!r})")
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_page_fits_the_screen_and_shows_its_figures(
    browser: chromium.Browser, page: Path, size: str, dark: bool
) -> None:
    width, height = SIZES[size]
    browser.open(page, width, height, dark=dark)
    layout = browser.evaluate(OVERFLOW)
    assert layout["viewport"] == width
    assert layout["scroll"] <= width, layout
    assert layout["wide"] == []
    # The percentage is on the first screen; every section's name is drawn.
    (percent,) = seen(browser, "#percent")
    assert percent["text"] == "20%" and percent["shown"] and percent["height"] > 0
    assert 0 <= percent["top"] and percent["top"] + percent["height"] <= height
    sections = seen(browser, "section.section h3")
    assert [s["text"] for s in sections] == ["Intro", "Books optional", "Practice"]
    assert all(s["shown"] and s["width"] > 0 and s["height"] > 0 for s in sections)
    assert browser.requests() == [page.resolve().as_uri()]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots_show_a_page(
    browser: chromium.Browser, page: Path, size: str, dark: bool
) -> None:
    width, height = SIZES[size]
    browser.open(page, width, height, dark=dark)
    stats = browser.image_stats(browser.screenshot())
    assert (stats["width"], stats["height"]) == (width, height)
    # Text, bars and the calendar: many colours, and a fair share of the screen drawn.
    assert stats["colours"] > 50
    assert stats["other"] > 0.05
    background = sum(stats["background"]) / 3
    assert background < 40 if dark else background > 240


def test_dark_text_stays_readable(browser: chromium.Browser, page: Path) -> None:
    browser.open(page, 1280, 800, dark=True)
    colours = browser.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(230, 237, 243)", "rgb(13, 17, 23)"]


def test_printing_uses_a_white_page(browser: chromium.Browser, page: Path) -> None:
    browser.open(page, 1280, 800, dark=True, media="print")
    colours = browser.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]


def test_chromium_shows_outside_text_literally(page: Path) -> None:
    dom = chromium.dump_dom(page)
    # The DOM as Chromium built it and serialised it: the note is text, never a script.
    assert "<script" not in dom
    escaped = HOSTILE_SHOWN.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in dom
    assert HOSTILE not in dom

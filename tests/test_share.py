"""`mlpath share`: one self-contained page of the learner's journey, for other people.

What a reader of the page sees (the path by section, parts, finished resources with
their days, hours, streak, calendar, the goal's pace), that outside text is shown
literally, that the HTML is well-formed to a strict parser, that notes stay private
unless asked for, and that the same data gives the same bytes. The page in a real
browser: tests/test_share_browser.py.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import html5lib  # type: ignore[import-untyped]  # no stubs published with it
import pytest

from conftest import MINI_CATALOG, Run, payload
from mlpath.goal import Goal
from mlpath.share.html import render_page, safe_url
from mlpath.share.page import build_page
from mlpath.store import open_store
from mlpath.workspace import Workspace

HOSTILE = 'a <script>alert("x")</script> & \'quoted\' "double" \x1b[31mred\x07 end'
# The same text as the page shows it: the control characters as visible escapes.
HOSTILE_SHOWN = 'a <script>alert("x")</script> & \'quoted\' "double" \\x1b[31mred\\x07 end'
XHTML = "{http://www.w3.org/1999/xhtml}"
# 2026-03-10 12:00 UTC (a Tuesday), in nanoseconds.
NOON = 1_773_144_000 * 10**9


def parse(text: str) -> Any:
    """The document through html5lib's strict parser: any parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    document = parser.parse(text)
    assert parser.errors == []
    return document


def text_of(element: Any) -> str:
    return "".join(element.itertext())


def by_class(document: Any, tag: str, name: str) -> list[Any]:
    return [e for e in document.iter(f"{XHTML}{tag}") if name in (e.get("class") or "").split()]


def share(run: Run, directory: Path, *args: str) -> str:
    result = run("share", "-o", str(directory), *args)
    assert result.exit_code == 0, result.stderr
    return (directory / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def journey(run: Run, mini_catalog: Path) -> None:
    """alpha done, beta in progress with a note, gamma-course skipped; alpha in parts."""
    for args in (
        ("parts", "alpha", "--split", "3"),
        ("done", "alpha/1"),
        ("start", "beta"),
        ("note", "beta", HOSTILE),
        ("skip", "gamma-course"),
        ("done", "delta"),
    ):
        assert run(*args).exit_code == 0, args


def test_the_page_shows_the_path_by_section_with_statuses_and_parts(
    run: Run, journey: None, tmp_path: Path
) -> None:
    document = parse(share(run, tmp_path / "page"))
    headings = [text_of(h) for h in document.iter(f"{XHTML}h3")]
    assert headings == ["Intro", "Books optional", "Practice"]
    entries = {
        text_of(e.find(f".//{XHTML}span[@class='name']")): e.get("class")
        for e in by_class(document, "li", "entry")
    }
    assert entries["Beta Article"] == "entry is-doing"
    assert entries["Gamma Course"] == "entry is-skipped"
    assert entries["Delta Practice"] == "entry is-done"
    assert entries["Alpha Intro"] == "entry is-doing"  # one part of three done
    parts = by_class(document, "details", "parts")
    assert [text_of(p.find(f"{XHTML}summary")) for p in parts] == ["1 of 3 parts done"]
    statuses = [li.get("class") for li in parts[0].iter(f"{XHTML}li")]
    assert statuses == ["is-done", "is-todo", "is-todo"]
    # Optional resources nobody chose are counted, not listed.
    assert "Gamma Book" not in entries
    assert text_of(by_class(document, "p", "offered")[0]) == (
        "1 more optional resource not chosen"
    )


def test_the_glance_gives_the_percentage_hours_streak_and_finished_resources(
    run: Run, journey: None, tmp_path: Path
) -> None:
    document = parse(share(run, tmp_path / "page"))
    progress = payload(run("progress", "--json").stdout, "progress")
    overall = progress["overall"]
    percent = text_of(document.find(f".//{XHTML}strong[@id='percent']"))
    assert percent == f"{round(overall['done_percent'])}%"
    streak = text_of(document.find(f".//{XHTML}dd[@id='streak']"))
    assert streak == f"{progress['streak']['days']} day"
    finished = [text_of(li) for li in by_class(document, "ol", "finished-list")[0]]
    today = date.today().isoformat()
    assert finished == [f"{today} Delta Practice · Practice"]
    assert document.find(f".//{XHTML}a[@href='https://example.org/delta']") is not None


def test_outside_text_is_shown_literally_and_the_html_stays_well_formed(
    run: Run, journey: None, tmp_path: Path
) -> None:
    added = run("add", 'My <b>own</b> & "book"', "--section", "practice")
    assert added.exit_code == 0, added.stderr
    assert run("start", "my-b-own-b-book").exit_code == 0
    text = share(run, tmp_path / "page", "--with-notes")
    document = parse(text)
    notes = [text_of(p) for p in by_class(document, "p", "note")]
    assert notes == [HOSTILE_SHOWN]
    names = [text_of(e) for e in by_class(document, "span", "name")]
    assert 'My <b>own</b> & "book"' in names
    # Neither became markup: the only elements are the page's own.
    assert list(document.iter(f"{XHTML}script")) == []
    assert list(document.iter(f"{XHTML}b")) == []
    assert "\x1b" not in text and "\x07" not in text


def test_notes_stay_off_the_page_unless_asked_for(run: Run, journey: None, tmp_path: Path) -> None:
    private = share(run, tmp_path / "private")
    assert "alert" not in private and "Notes" not in private
    shared = share(run, tmp_path / "shared", "--with-notes")
    assert "alert" in shared


def test_the_page_is_self_contained_and_has_no_script(
    run: Run, journey: None, tmp_path: Path
) -> None:
    text = share(run, tmp_path / "page", "--with-notes")
    document = parse(text)
    assert list(document.iter(f"{XHTML}script")) == []
    for tag in ("link", "img", "iframe", "object", "embed", "video", "audio", "source"):
        assert list(document.iter(f"{XHTML}{tag}")) == [], tag
    # Every address is a link to click, never something the browser fetches.
    addresses = re.findall(r'(?:href|src|xlink:href)="([^"]*)"', text)
    assert addresses and all(a.startswith(("https://", "http://")) for a in addresses)
    assert not re.search(r"\bsrc=|url\(|@import", text)
    assert not re.search(r"\bon[a-z]+=", text)  # no event handler attributes
    # Nor where the learner keeps things: neither the home nor the catalog file's path.
    assert str(tmp_path) not in text


def test_the_page_is_readable_by_others_as_the_umask_allows(
    run: Run, journey: None, tmp_path: Path
) -> None:
    """Unlike an export (the owner's only), a page is written to be published."""
    import os

    old = os.umask(0o022)
    try:
        share(run, tmp_path / "page")
    finally:
        os.umask(old)
    assert (tmp_path / "page" / "index.html").stat().st_mode & 0o777 == 0o644


def test_the_same_data_gives_the_same_bytes(run: Run, journey: None, tmp_path: Path) -> None:
    first = share(run, tmp_path / "one")
    second = share(run, tmp_path / "two")
    assert first == second
    made = f"Made with mlpath {__import__('mlpath').__version__} on {date.today().isoformat()}."
    assert made in first
    assert '<meta name="generator" content="mlpath ' in first


def test_a_page_made_on_a_fixed_day_from_a_fixed_clock(mini_catalog: Path, home: Path) -> None:
    store = open_store(home / "progress.db", create=True, clock=lambda: NOON)
    assert store is not None
    store.set_status(["alpha"], "done")
    store.set_status(["delta"], "doing")
    store.close()
    workspace = Workspace(str(mini_catalog))
    page = build_page(workspace.db(), date(2026, 3, 12), "9.9.9", goal=Goal(6.0))
    text = render_page(page, "en")
    assert text == render_page(
        build_page(workspace.db(), date(2026, 3, 12), "9.9.9", goal=Goal(6.0)), "en"
    )
    document = parse(text)
    assert text_of(document.find(f".//{XHTML}footer")).strip() == (
        "Made with mlpath 9.9.9 on 2026-03-12."
    )
    finished = [text_of(li) for li in by_class(document, "ol", "finished-list")[0]]
    assert finished == ["2026-03-10 Alpha Intro · Intro"]
    # The streak ended the day before yesterday; the calendar shows the two changes.
    assert text_of(document.find(f".//{XHTML}dd[@id='streak']")) == "0 days"
    desc = text_of(document.find(".//{http://www.w3.org/2000/svg}desc"))
    assert desc == "2 changes on 1 day from 2025-03-10 to 2026-03-12"
    glance = text_of(by_class(document, "section", "glance")[0])
    # Left: beta 90 min, delta 120, gamma-course 1200: 23.5 h at 6 h a week, into April.
    assert "6 h/week · done by 2026-04" in glance
    workspace.close()


def test_the_calendar_has_a_text_alternative_and_a_table_of_active_days(
    run: Run, journey: None, tmp_path: Path
) -> None:
    document = parse(share(run, tmp_path / "page"))
    svg = document.find(".//{http://www.w3.org/2000/svg}svg[@class='calendar']")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "calendar-title calendar-desc"
    rows = [
        [text_of(td) for td in tr] for tr in document.iter(f"{XHTML}tr") if tr.find(f"{XHTML}td")
    ]
    # Each status change and note of the journey fixture; splitting into parts is not
    # progress.
    assert rows == [[date.today().isoformat(), "6"]]


def test_chinese_page(run: Run, journey: None, tmp_path: Path) -> None:
    document = parse(share(run, tmp_path / "page", "--lang", "zh"))
    assert document.get("lang") == "zh-Hans"
    assert text_of(document.find(f".//{XHTML}h1")) == "我的机器学习路线"
    assert [text_of(h) for h in document.iter(f"{XHTML}h3")][0] == "入门"


def test_an_index_html_mlpath_did_not_write_is_kept_without_force(
    run: Run, journey: None, tmp_path: Path
) -> None:
    directory = tmp_path / "site"
    directory.mkdir()
    (directory / "index.html").write_text("<p>my own site</p>", encoding="utf-8")
    refused = run("share", "-o", str(directory))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"mlpath: {directory / 'index.html'} already exists — choose another name, "
        "or add --force to replace it\n"
    )
    assert (directory / "index.html").read_text(encoding="utf-8") == "<p>my own site</p>"
    assert run("share", "-o", str(directory), "--force").exit_code == 0
    # A page mlpath wrote is its own to replace.
    assert run("share", "-o", str(directory)).exit_code == 0


def test_a_file_where_the_directory_should_be_is_an_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = run("share", "-o", str(tmp_path / "taken"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"mlpath: {tmp_path / 'taken'} is a file — name a directory for the page\n"
    )


def test_share_json_says_where_the_page_went(run: Run, journey: None, tmp_path: Path) -> None:
    found = payload(run("share", "-o", str(tmp_path / "p"), "--json").stdout, "share")
    assert found["path"] == str(tmp_path / "p" / "index.html")
    assert (found["done"], found["total"], found["with_notes"]) == (1, 4, False)
    assert [f["id"] for f in found["finished"]] == ["delta"]


def test_share_without_any_progress_yet(run: Run, mini_catalog: Path, tmp_path: Path) -> None:
    document = parse(share(run, tmp_path / "page"))
    assert text_of(document.find(f".//{XHTML}strong[@id='percent']")) == "0%"
    assert "Nothing finished yet." in text_of(document)


def test_only_http_links_become_links() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url(None) is None


def test_a_hostile_catalog_title_is_shown_literally(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = json.loads(json.dumps(MINI_CATALOG))
    catalog["sections"][0]["title"] = '</h3><script>x()</script> "S" & co'
    catalog["resources"][0]["title"] = "<img src=x onerror=alert(1)>"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    assert run("done", "alpha").exit_code == 0
    text = share(run, tmp_path / "page")
    document = parse(text)
    assert [text_of(h) for h in document.iter(f"{XHTML}h3")][0] == (
        '</h3><script>x()</script> "S" & co'
    )
    assert list(document.iter(f"{XHTML}img")) == []
    names = [text_of(e) for e in by_class(document, "span", "name")]
    assert "<img src=x onerror=alert(1)>" in names


# --- colours -----------------------------------------------------------------------------


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palettes() -> list[dict[str, str]]:
    css = (Path(__file__).resolve().parents[1] / "src/mlpath/share/templates/page.css").read_text(
        encoding="utf-8"
    )
    blocks = re.findall(r":root\s*\{([^}]*)\}", css)
    return [dict(re.findall(r"--([a-z0-9]+):\s*(#[0-9a-f]{6})", block)) for block in blocks]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_have_enough_contrast(scheme: str) -> None:
    """WCAG AA: 4.5:1 for text on the page and on the summary's card."""
    palette = palettes()[0 if scheme == "light" else 1]
    for text in ("fg", "muted", "link", "done", "doing", "skipped"):
        for ground in ("bg", "card"):
            ratio = contrast(palette[text], palette[ground])
            assert ratio >= 4.5, (scheme, text, ground, round(ratio, 2))


def test_what_is_left_lists_the_next_ten_then_a_count(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big path's page stays readable (and quick to make): not every resource to do."""
    catalog = json.loads(json.dumps(MINI_CATALOG))
    template = catalog["resources"][0]
    catalog["sections"] = catalog["sections"][:1]
    catalog["resources"] = [
        {**template, "id": f"step-{n:02d}", "title": f"Step {n}", "title_zh": None}
        for n in range(1, 14)
    ]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    assert run("done", "step-01").exit_code == 0
    document = parse(share(run, tmp_path / "page"))
    (left,) = by_class(document, "details", "todo")
    assert text_of(left.find(f"{XHTML}summary")) == "12 still to do"
    names = [text_of(e) for e in by_class(left, "span", "name")]
    assert names == [f"Step {n}" for n in range(2, 12)]
    assert text_of(by_class(left, "p", "offered")[0]) == "and 2 more"


def test_the_calendar_summary_in_chinese(run: Run, journey: None, tmp_path: Path) -> None:
    document = parse(share(run, tmp_path / "page", "--lang", "zh"))
    desc = text_of(document.find(".//{http://www.w3.org/2000/svg}desc"))
    today = date.today()
    first = today - timedelta(days=today.weekday(), weeks=52)
    assert desc == f"6 条变更，分布在 1 天（{first.isoformat()} 至 {today.isoformat()}）"


def test_a_note_keeps_its_lines_and_shows_other_separators(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("start", "alpha").exit_code == 0
    assert run("note", "alpha", "first line\r\nsecond\u2028third\x0bfourth").exit_code == 0
    document = parse(share(run, tmp_path / "page", "--with-notes"))
    (note,) = by_class(document, "p", "note")
    assert text_of(note) == "first linesecond\\u2028third\\x0bfourth"
    assert len(list(note.iter(f"{XHTML}br"))) == 1

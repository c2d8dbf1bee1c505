"""Chinese fields of the catalog: what validation accepts and refuses, and that the cache
hands every one of them back to the commands."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_CATALOG, Run, payload
from mlpath.catalog import Catalog, load_catalog
from mlpath.catalog_cache import open_catalog_db
from mlpath.errors import CatalogError
from mlpath.validate import validate_catalog_text

DATA = Path(__file__).parents[1] / "data"
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")

D2L_ZH: dict[str, str] = {
    "lang": "zh",
    "title": "动手学深度学习（第二版）",
    "url": "https://zh.d2l.ai/",
    "kind": "official translation",
    "source": "d2l-ai/d2l-zh README.md",
}


def with_chinese(**alpha: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINI_CATALOG)
    data["sections"][0].update(title_zh_seed="让我们开始吧！", summary_zh="从这里开始。")
    data["resources"][0].update(
        title_zh="阿尔法入门",
        title_zh_seed="阿尔法",
        aliases=["阿尔法书", "AI"],
        author_zh="安",
        description_zh="一段短视频。",
        versions=[D2L_ZH],
    )
    data["resources"][0].update(alpha)
    return data


def problems_of(data: object) -> str:
    with pytest.raises(CatalogError) as caught:
        validate_catalog_text(json.dumps(data, ensure_ascii=False), "cat.json")
    return str(caught.value)


def loaded(tmp_path: Path, data: dict[str, Any]) -> Catalog:
    path = tmp_path / "zh.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    conn = open_catalog_db(str(path))
    try:
        return load_catalog(conn, str(path))
    finally:
        conn.close()


def test_chinese_fields_round_trip_through_the_cache(tmp_path: Path) -> None:
    catalog = loaded(tmp_path, with_chinese())
    alpha = catalog.resources[0]
    assert alpha.title_zh == "阿尔法入门"
    assert alpha.title_zh_seed == "阿尔法"
    assert alpha.aliases == ("阿尔法书", "AI")
    assert alpha.author_zh == "安"
    assert alpha.description_zh == "一段短视频。"
    assert alpha.display_description("zh") == "一段短视频。"
    assert alpha.display_description("en") == "A short video."
    assert [v.to_json() for v in alpha.versions] == [D2L_ZH]
    version = alpha.version("zh")
    assert version is not None and version.url == "https://zh.d2l.ai/"
    assert alpha.version("ja") is None
    beta = catalog.resources[1]
    assert (beta.title_zh_seed, beta.aliases, beta.description_zh, beta.versions) == (
        None,
        (),
        None,
        (),
    )
    intro = catalog.sections[0]
    assert intro.title_zh_seed == "让我们开始吧！"
    assert intro.display_summary("zh") == "从这里开始。"
    assert catalog.sections[2].display_summary("zh") == "Do."


def test_a_regional_version_is_found_for_its_language(tmp_path: Path) -> None:
    hant = {**D2L_ZH, "lang": "zh-Hant", "url": "https://zh.d2l.ai/hant/"}
    alpha = loaded(tmp_path, with_chinese(versions=[hant, D2L_ZH])).resources[0]
    version = alpha.version("zh")
    assert version is not None and version.lang == "zh-Hant"
    assert alpha.version("zh-Hant") is version
    assert alpha.version("z") is None


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ({"kind": "fan dub"}, "resources[0].versions[0].kind: must be 'official translation'"),
        ({"url": "ftp://zh.d2l.ai/"}, "resources[0].versions[0].url: must be an http(s) URL"),
        ({"lang": "Chinese"}, "resources[0].versions[0].lang"),
        ({"title": ""}, "resources[0].versions[0].title"),
        ({"title": "动手\t学"}, "resources[0].versions[0].title: contains the control"),
        ({"note": "x"}, "resources[0].versions[0].note: is not a known field"),
    ],
)
def test_a_bad_version_is_refused_with_its_place(version: dict[str, str], expected: str) -> None:
    assert expected in problems_of(with_chinese(versions=[{**D2L_ZH, **version}]))


def test_a_version_must_say_where_it_was_read() -> None:
    version = {k: v for k, v in D2L_ZH.items() if k != "source"}
    assert "resources[0].versions[0].source" in problems_of(with_chinese(versions=[version]))


def test_show_in_chinese_leads_with_the_description_and_names_the_chinese_version(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "zh.json"
    path.write_text(json.dumps(with_chinese(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    chinese = run("--lang", "zh", "show", "alpha")
    assert chinese.exit_code == 0, chinese.stderr
    lines = chinese.stdout.splitlines()
    assert "  官方中文版：动手学深度学习（第二版）" in lines
    assert "  https://zh.d2l.ai/" in lines
    assert "  一段短视频。" in lines
    assert "  A short video." not in lines
    english = run("show", "alpha")
    assert "  A short video." in english.stdout.splitlines()
    assert "zh.d2l.ai" not in english.stdout
    resource = payload(run("show", "alpha", "--json").stdout)["resource"]
    assert resource["versions"] == [D2L_ZH]
    assert resource["aliases"] == ["阿尔法书", "AI"]
    assert resource["author_zh"] == "安"
    assert resource["title_zh_seed"] == "阿尔法"


@pytest.mark.parametrize("name", ["resources.json", "resources-2025.json"])
def test_every_bundled_part_has_a_chinese_title(name: str) -> None:
    """`next --lang zh` names the part to do next; a reader who knows no English must be
    able to read that name, so no part may fall back to its English title."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    untitled = [
        f"{r['id']}/{p['id']}"
        for r in data["resources"]
        for p in r.get("parts") or ()
        if not CJK.search(p.get("title_zh") or "")
    ]
    assert untitled == []


def test_a_part_has_one_chinese_title_in_both_bundled_catalogs() -> None:
    titles: dict[tuple[str, str], set[str]] = {}
    for name in ("resources.json", "resources-2025.json"):
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        for r in data["resources"]:
            for p in r.get("parts") or ():
                titles.setdefault((r["id"], p["id"]), set()).add(p.get("title_zh"))
    assert {key: t for key, t in titles.items() if len(t) > 1} == {}


def test_chinese_notes_round_trip_and_are_chosen_by_language(tmp_path: Path) -> None:
    notes = {"url_note": "No link.", "url_note_zh": "没有链接。"}
    notes |= {"minutes_note": "Ten videos.", "minutes_note_zh": "十个视频。"}
    catalog = loaded(tmp_path, with_chinese(url=None, **notes))
    alpha, beta = catalog.resources[:2]
    assert (alpha.url_note_zh, alpha.minutes_note_zh) == ("没有链接。", "十个视频。")
    assert alpha.display_url_note("zh") == "没有链接。"
    assert alpha.display_url_note("en") == "No link."
    assert alpha.display_minutes_note("zh") == "十个视频。"
    assert alpha.display_minutes_note("en") == "Ten videos."
    assert (beta.display_url_note("zh"), beta.display_minutes_note("zh")) == (None, None)


@pytest.mark.parametrize("name", ["resources.json", "resources-2025.json"])
def test_every_bundled_note_has_a_chinese_rendering(name: str) -> None:
    """`show --lang zh` prints the notes; a reader who knows no English must read them."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    missing = [
        f"{r['id']}.{field}"
        for r in data["resources"]
        for field in ("minutes_note", "url_note")
        if r.get(field) and not CJK.search(r.get(f"{field}_zh") or "")
    ]
    assert missing == []
    stray = [
        f"{r['id']}.{field}_zh"
        for r in data["resources"]
        for field in ("minutes_note", "url_note")
        if r.get(f"{field}_zh") and not r.get(field)
    ]
    assert stray == []


def test_a_note_has_one_chinese_rendering_in_both_bundled_catalogs() -> None:
    renderings: dict[str, set[str]] = {}
    for name in ("resources.json", "resources-2025.json"):
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        for r in data["resources"]:
            for field in ("minutes_note", "url_note"):
                if r.get(field):
                    renderings.setdefault(r[field], set()).add(r.get(f"{field}_zh") or "")
    assert {note: zh for note, zh in renderings.items() if len(zh) > 1} == {}


def bundled_resource(rid: str) -> dict[str, Any]:
    data = json.loads((DATA / "resources.json").read_text(encoding="utf-8"))
    return next(r for r in data["resources"] if r["id"] == rid)


def test_show_in_chinese_gives_the_notes_in_chinese(run: Run) -> None:
    terms = bundled_resource("whats-ai-terms")
    chinese = run("--lang", "zh", "show", "whats-ai-terms")
    assert chinese.exit_code == 0, chinese.stderr
    assert f"  （预计用时：{terms['minutes_note_zh']}）" in chinese.stdout.splitlines()
    assert terms["minutes_note"] not in chinese.stdout
    english = run("show", "whats-ai-terms")
    assert f"  (estimate: {terms['minutes_note']})" in english.stdout.splitlines()
    assert terms["minutes_note_zh"] not in english.stdout


def test_show_in_chinese_gives_the_missing_link_note_in_chinese(run: Run) -> None:
    unlinked = next(
        r
        for r in json.loads((DATA / "resources.json").read_text(encoding="utf-8"))["resources"]
        if r.get("url_note") and not r.get("url")
    )
    chinese = run("--lang", "zh", "show", unlinked["id"])
    assert chinese.exit_code == 0, chinese.stderr
    assert unlinked["url_note_zh"] in chinese.stdout
    assert unlinked["url_note"] not in chinese.stdout
    english = run("show", unlinked["id"])
    assert f"  no link here: {unlinked['url_note']}" in english.stdout.splitlines()

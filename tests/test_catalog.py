"""The catalog: the shipped one is valid and complete; broken ones fail loudly, all at once."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest

from conftest import MINI_CATALOG
from mlpath import catalog, models
from mlpath.catalog_cache import open_catalog_db
from mlpath.errors import CatalogError
from mlpath.schema import render
from mlpath.validate import validate_catalog_bytes, validate_catalog_text

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "resources.json"
SECTIONS = (
    "start-here",
    "learn-seriously",
    "articles",
    "books",
    "math",
    "coding",
    "courses",
    "practice",
    "community",
    "jobs",
)


def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
    return data


def problems_of(data: object) -> str:
    with pytest.raises(CatalogError) as caught:
        validate_catalog_text(json.dumps(data), "cat.json")
    return str(caught.value)


def test_shipped_catalog_validates() -> None:
    model = validate_catalog_text(BUNDLED.read_text(encoding="utf-8"), str(BUNDLED))
    assert 80 <= len(model.resources) <= 95
    assert model.source.author == "Louis Bouchard"
    assert model.source.is_translation


def test_sections_follow_the_document_and_each_has_resources() -> None:
    data = bundled()
    assert tuple(s["id"] for s in data["sections"]) == SECTIONS
    used = {r["section"] for r in data["resources"]}
    assert used == set(SECTIONS)
    for section in data["sections"]:
        assert section["title_zh"], section["id"]


def test_ids_are_unique_short_and_typeable() -> None:
    ids = [r["id"] for r in bundled()["resources"]]
    assert len(ids) == len(set(ids))
    for rid in ids:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rid) and len(rid) <= 40, rid
        assert not rid.isdigit(), rid


def test_well_known_resources_carry_their_real_names_and_costs() -> None:
    by_id = {r["id"]: r for r in bundled()["resources"]}
    assert by_id["d2l"]["title"] == "Dive into Deep Learning"
    assert by_id["d2l"]["url"] == "http://d2l.ai/"
    assert by_id["fastai"]["title"] == "Practical Deep Learning for Coders"
    assert by_id["fastai"]["cost"] == "free"
    assert by_id["kaggle"]["section"] == "practice"
    assert by_id["prml"]["cost"] == "paid"
    assert by_id["coursera-ml-andrew-ng"]["free_to_audit"] is True


def test_kinds_agree_between_models_and_runtime() -> None:
    assert get_args(models.Kind) == catalog.KINDS


def test_committed_json_schema_is_current() -> None:
    committed = (ROOT / "data" / "resources.schema.json").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m mlpath.schema"
    assert bundled()["$schema"] == "./resources.schema.json"


def broken(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINI_CATALOG)
    for index, fields in changes.items():
        data["resources"][int(index.lstrip("r"))].update(fields)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (broken(r2={"cost": "cheap"}), "resources[2].cost: must be 'free' or 'paid'"),
        (broken(r0={"minutes": 0}), "resources[0].minutes: must be greater than 0"),
        (broken(r1={"url": "ftp://example.org/x"}), "resources[1].url: must be an http(s) URL"),
        (broken(r1={"id": "alpha"}), "resources[1].id: duplicate id 'alpha'"),
        (broken(r3={"section": "nowhere"}), "resources[3].section: unknown section 'nowhere'"),
        (
            broken(r4={"prerequisites": ["ghost"]}),
            "resources[4].prerequisites[0]: unknown resource 'ghost'",
        ),
        (broken(r0={"colour": "red"}), "resources[0].colour: is not a known field"),
        (broken(r0={"kind": "podcast"}), "resources[0].kind: must be 'video', 'lectures'"),
        (broken(r0={"id": "Alpha One"}), "resources[0].id: must be lowercase letters"),
    ],
)
def test_each_kind_of_mistake_is_reported_with_its_location(data: Any, expected: str) -> None:
    assert expected in problems_of(data)


def test_prerequisite_cycles_are_reported() -> None:
    message = problems_of(broken(r0={"prerequisites": ["delta"]}))
    assert message == (
        "catalog cat.json has 1 problem: "
        "resources[0].prerequisites: circular: alpha → delta → beta → alpha"
    )


def test_every_problem_is_reported_at_once() -> None:
    message = problems_of(broken(r0={"cost": "cheap"}, r1={"minutes": -5}, r2={"section": "x"}))
    assert message.startswith("catalog cat.json has 3 problems: ")
    assert "resources[0].cost" in message
    assert "resources[1].minutes" in message
    assert "resources[2].section" in message


def test_not_json_names_the_place() -> None:
    with pytest.raises(CatalogError, match=r"is not valid JSON: .* \(line 1, column 2\)"):
        validate_catalog_text("{oops", "cat.json")


def test_cache_follows_edits_to_the_catalog(mini_catalog: Path) -> None:
    first = open_catalog_db(str(mini_catalog))
    assert first.execute("SELECT title FROM resources WHERE id = 'alpha'").fetchone()[0] == (
        "Alpha Intro"
    )
    first.close()
    data = json.loads(mini_catalog.read_text(encoding="utf-8"))
    data["resources"][0]["title"] = "Alpha, revised"
    mini_catalog.write_text(json.dumps(data), encoding="utf-8")
    second = open_catalog_db(str(mini_catalog))
    assert second.execute("SELECT title FROM resources WHERE id = 'alpha'").fetchone()[0] == (
        "Alpha, revised"
    )
    second.close()


def test_a_broken_edit_is_refused_not_served_from_the_old_cache(mini_catalog: Path) -> None:
    open_catalog_db(str(mini_catalog)).close()
    mini_catalog.write_text(json.dumps(broken(r0={"cost": "cheap"})), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"resources\[0\]\.cost"):
        open_catalog_db(str(mini_catalog))


def test_missing_catalog_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        open_catalog_db(str(tmp_path / "nope.json"))


def test_unwritable_cache_dir_still_works(
    mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(blocker / "cache"))
    conn = open_catalog_db(str(mini_catalog))
    assert conn.execute("SELECT count(*) FROM resources").fetchone()[0] == 5
    conn.close()


def one_line_error(data: object) -> str:
    message = problems_of(data)
    assert "\n" not in message and "\x1b" not in message, message
    return message


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"minutes": True}, "resources[0].minutes: must be an integer"),
        ({"minutes": 1.0}, "resources[0].minutes: must be an integer"),
        ({"minutes": "30"}, "resources[0].minutes: must be an integer"),
        (
            {"minutes": 9223372036854775808},
            "resources[0].minutes: must be at most 1000000 (about 16,666 hours)",
        ),
        ({"minutes": 1_000_001}, "resources[0].minutes: must be at most 1000000"),
        ({"optional": "yes"}, "resources[0].optional: must be true or false"),
        ({"free_to_audit": 1}, "resources[0].free_to_audit: must be true or false"),
        ({"title": 7}, "resources[0].title: must be a string"),
        (
            {"title": "Alpha\x1b[31m red"},
            "resources[0].title: contains the control character U+001B",
        ),
        ({"title": "two\nlines"}, "resources[0].title: contains the control character U+000A"),
        ({"author": "A\u202eB"}, "resources[0].author: contains the control character U+202E"),
        ({"description": "x\x9b2J"}, "resources[0].description: contains the control character"),
        ({"minutes_note": "\x07"}, "resources[0].minutes_note: contains the control character"),
        ({"description": "\ud800"}, "resources[0].description: holds a lone surrogate"),
        ({"title": "x" * 2001}, "resources[0].title: must have at most 2000 characters"),
        ({"id": "alpha\n"}, "resources[0].id: must be lowercase letters"),
        (
            {"url": "http://x\n\n<script>alert(1)</script>"},
            "resources[0].url: must be an http(s) URL without spaces or control characters",
        ),
        ({"url": "http://x]/"}, "resources[0].url: must be an http(s) URL (Invalid IPv6 URL)"),
        ({"url": "http://ex\x00ample.org/"}, "has U+0000"),
        ({"url": "https://example.org/a b"}, "has U+0020"),
        ({"url": "https://example.org/\u00a0"}, "has U+00A0"),
        ({"url": "https://example.org/\x7f"}, "has U+007F"),
        ({"url": "https://example.org:99999/"}, "must be an http(s) URL (Port out of range"),
        ({"url": "https://example.org:http/"}, "must be an http(s) URL (Port could not be cast"),
        ({"url": "https://"}, "resources[0].url: must be an http(s) URL with a host"),
        ({"url": "https://user@/x"}, "resources[0].url: must be an http(s) URL with a host"),
        ({"url": "javascript:alert(1)"}, "resources[0].url: must be an http(s) URL"),
        ({"url": "https://<b>.org/"}, "'<' must be percent-encoded"),
        ({"url": "https://a%00b.org/"}, "host 'a%00b.org' does not parse"),
        ({"url": "https://[v1.x]/"}, "host [v1.x] is not an IP address"),
        ({"url": "https://" + "a" * 2050}, "at most 2048 characters"),
        ({"url": 5}, "resources[0].url: must be a string"),
    ],
)
def test_outside_text_is_refused_with_its_place(fields: dict[str, Any], expected: str) -> None:
    assert expected in one_line_error(broken(r0=fields))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "http://d2l.ai/",
        "https://[::1]:8080/x",
        "https://bücher.example/",
        "https://example.org/a%20b?q=1#frag",
        "https://example.org.:443",
    ],
)
def test_real_urls_are_accepted(url: str) -> None:
    validate_catalog_text(json.dumps(broken(r0={"url": url})), "cat.json")


def test_unknown_field_names_are_shown_with_their_controls_visible() -> None:
    message = one_line_error(broken(r0={"\x1b]0;owned\x07": 1}))
    assert "resources[0].\\u001b]0;owned\\u0007: is not a known field" in message


def test_a_duplicate_id_with_controls_is_shown_escaped() -> None:
    data = broken(r1={"id": "alpha\x1b[2J"})
    data["resources"][2]["id"] = "alpha\x1b[2J"
    assert "duplicate id 'alpha\\u001b[2J'" in one_line_error(data)


def test_a_5000_digit_number_names_its_place() -> None:
    text = json.dumps(broken(r0={"minutes": 123456789})).replace("123456789", "7" * 5000)
    with pytest.raises(CatalogError) as caught:
        validate_catalog_text(text, "cat.json")
    assert str(caught.value) == (
        "catalog cat.json has 1 problem: "
        "resources[0].minutes: a 5000-digit number is far beyond any sane value"
    )


def test_deep_nesting_is_one_clear_error() -> None:
    with pytest.raises(CatalogError, match="nests lists or objects too deeply"):
        validate_catalog_text("[" * 10**7, "cat.json")
    nested = '{"schema_version": 1, "x": ' + "[" * 10**6 + "]" * 10**6 + "}"
    with pytest.raises(CatalogError, match="too deeply"):
        validate_catalog_text(nested, "cat.json")


def test_invalid_utf8_names_the_byte_and_its_place() -> None:
    data = json.dumps(MINI_CATALOG, indent=1).encode()
    broken_at = data.index(b"Alpha Intro")
    data = data[:broken_at] + b"\xff" + data[broken_at + 1 :]
    line = data.count(b"\n", 0, broken_at) + 1
    with pytest.raises(CatalogError) as caught:
        validate_catalog_bytes(data, "cat.json")
    assert str(caught.value).startswith(
        f"catalog cat.json is not UTF-8 text: byte 0xff at line {line}, column "
    )


def test_bytes_with_a_bom_and_oversized_files() -> None:
    validate_catalog_bytes(b"\xef\xbb\xbf" + json.dumps(MINI_CATALOG).encode(), "cat.json")
    with pytest.raises(CatalogError, match="larger than 64 MB"):
        validate_catalog_bytes(b" " * (64 * 1024 * 1024 + 1), "cat.json")


def test_a_list_whose_only_entry_is_broken_reports_the_entry_not_its_length() -> None:
    data = copy.deepcopy(MINI_CATALOG)
    data["sections"] = [{"id": "Bad Id", "title": "T", "summary": "S"}]
    message = one_line_error(data)
    assert "sections[0].id: must be lowercase letters" in message
    assert "sections:" not in message and "at least" not in message


def test_an_empty_list_says_what_it_needs() -> None:
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"] = []
    assert "resources: must have at least 1 entry;" in one_line_error(data)

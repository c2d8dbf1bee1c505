"""Parts inside resources and alternatives: what the catalog accepts, and what the cache
gives back to the commands."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_CATALOG
from mlpath.catalog import (
    Part,
    alternatives_of,
    load_catalog,
    part_counts,
    parts_by_resource,
    parts_of,
    select_parts,
    split_part_ref,
)
from mlpath.catalog_cache import open_catalog_db
from mlpath.errors import CatalogError, UnknownPart
from mlpath.validate import validate_catalog_text

PARTS: list[dict[str, Any]] = [
    {"id": "welcome", "title": "Welcome", "title_zh": "欢迎", "minutes": 10},
    {"id": "basics", "title": "Basics", "minutes": 15, "url": "https://example.org/alpha/2"},
    {"id": "wrap-up", "title": "Wrap-up", "minutes": 5},
]


def with_parts(parts: list[dict[str, Any]] | None = None, **alpha: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"][0]["parts"] = copy.deepcopy(PARTS if parts is None else parts)
    data["resources"][0].update(alpha)
    return data


def problems_of(data: object) -> str:
    with pytest.raises(CatalogError) as caught:
        validate_catalog_text(json.dumps(data), "cat.json")
    return str(caught.value)


def test_parts_whose_minutes_add_up_are_accepted_in_order() -> None:
    model = validate_catalog_text(json.dumps(with_parts()), "cat.json")
    assert [p["id"] for p in model.resources[0].parts] == ["welcome", "basics", "wrap-up"]
    assert model.resources[0].minutes == 30 == sum(p["minutes"] for p in model.resources[0].parts)


def test_the_resource_total_must_equal_the_sum_of_its_parts() -> None:
    assert problems_of(with_parts(minutes=40)) == (
        "catalog cat.json has 1 problem: "
        "resources[0].minutes: is 40 but its parts add up to 30; make them agree"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({1: {"id": "welcome"}}, "resources[0].parts[1].id: duplicate part id 'welcome' "),
        ({1: {"id": "2"}}, "resources[0].parts[1].id: '2' is all digits"),
        ({1: {"id": "Basics"}}, "resources[0].parts[1].id: must be lowercase letters"),
        ({2: {"minutes": 0}}, "resources[0].parts[2].minutes: must be greater than 0"),
        ({2: {"minutes": True}}, "resources[0].parts[2].minutes: must be an integer"),
        ({0: {"title": "A\x1b[2J"}}, "resources[0].parts[0].title: contains the control"),
        ({0: {"url": "http://x]/"}}, "resources[0].parts[0].url: must be an http(s) URL"),
        ({0: {"pages": 3}}, "resources[0].parts[0].pages: is not a known field"),
    ],
)
def test_each_part_problem_is_reported_with_its_place(
    change: dict[int, dict[str, Any]], expected: str
) -> None:
    parts = copy.deepcopy(PARTS)
    for index, fields in change.items():
        parts[index].update(fields)
    message = problems_of(with_parts(parts))
    assert expected in message
    # A broken part estimate is reported once, not again as a wrong total.
    assert "add up to" not in message


def test_a_missing_part_title_is_reported() -> None:
    parts = copy.deepcopy(PARTS)
    del parts[0]["title"]
    assert "resources[0].parts[0].title: is required" in problems_of(with_parts(parts))


def alternatives(a: list[str], b: list[str] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(MINI_CATALOG)
    data["resources"][2]["alternatives"] = a
    if b is not None:
        data["resources"][3]["alternatives"] = b
    return data


def test_alternatives_listed_both_ways_are_accepted() -> None:
    model = validate_catalog_text(
        json.dumps(alternatives(["gamma-course"], ["gamma-book"])), "cat.json"
    )
    assert model.resources[2].alternatives == ("gamma-course",)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            alternatives(["gamma-course"]),
            "resources[2].alternatives[0]: 'gamma-course' does not list 'gamma-book' back",
        ),
        (alternatives(["ghost"]), "resources[2].alternatives[0]: unknown resource 'ghost'"),
        (
            alternatives(["gamma-book"]),
            "resources[2].alternatives[0]: 'gamma-book' cannot be its own alternative",
        ),
    ],
)
def test_alternative_problems_are_reported(data: dict[str, Any], expected: str) -> None:
    assert expected in problems_of(data)


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_cache_gives_parts_back_numbered_from_one(tmp_path: Path) -> None:
    conn = open_catalog_db(str(write(tmp_path / "c.json", with_parts())))
    parts = parts_of(conn, "alpha")
    assert [(p.label, p.id, p.title, p.minutes) for p in parts] == [
        ("alpha/1", "welcome", "Welcome", 10),
        ("alpha/2", "basics", "Basics", 15),
        ("alpha/3", "wrap-up", "Wrap-up", 5),
    ]
    assert parts[0].display_title("zh") == "欢迎"
    assert parts[1].display_title("zh") == "Basics"
    assert parts[1].to_json() == {
        "id": "basics",
        "number": 2,
        "title": "Basics",
        "title_zh": None,
        "minutes": 15,
        "url": "https://example.org/alpha/2",
        "own": False,
    }
    assert parts_of(conn, "beta") == ()
    assert part_counts(conn) == {"alpha": 3}
    assert parts_by_resource(conn) == {"alpha": parts}
    assert parts_by_resource(conn, ["beta", "alpha", "ghost"]) == {"alpha": parts}
    assert parts_by_resource(conn, []) == {}
    conn.close()


def test_one_resource_s_parts_are_read_through_the_key_not_a_scan(tmp_path: Path) -> None:
    conn = open_catalog_db(str(write(tmp_path / "c.json", with_parts())))
    plan = " ".join(
        str(row[-1])
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM parts WHERE resource = ? ORDER BY position",
            ("alpha",),
        )
    )
    assert "USING PRIMARY KEY (resource=?)" in plan and "SCAN" not in plan
    plan = " ".join(
        str(row[-1])
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT position FROM parts WHERE resource = ? AND id = ?",
            ("alpha", "basics"),
        )
    )
    assert "parts_by_id" in plan or "PRIMARY KEY" in plan
    conn.close()


def test_a_reordered_part_keeps_its_id_and_takes_its_new_number(tmp_path: Path) -> None:
    path = write(tmp_path / "c.json", with_parts())
    open_catalog_db(str(path)).close()
    inserted = [PARTS[0], {"id": "setup", "title": "Setup", "minutes": 20}, PARTS[2], PARTS[1]]
    write(path, with_parts(inserted, minutes=50))
    conn = open_catalog_db(str(path))
    assert [(p.position, p.id) for p in parts_of(conn, "alpha")] == [
        (1, "welcome"),
        (2, "setup"),
        (3, "wrap-up"),
        (4, "basics"),
    ]
    conn.close()


def test_the_cache_keeps_alternatives_both_ways(tmp_path: Path) -> None:
    path = write(tmp_path / "c.json", alternatives(["gamma-course"], ["gamma-book"]))
    conn = open_catalog_db(str(path))
    assert alternatives_of(conn, "gamma-book") == ("gamma-course",)
    assert alternatives_of(conn, "gamma-course") == ("gamma-book",)
    assert alternatives_of(conn, "alpha") == ()
    catalog = load_catalog(conn, str(path))
    assert catalog.alternatives == {
        "gamma-book": ("gamma-course",),
        "gamma-course": ("gamma-book",),
    }
    conn.close()


def part_list() -> tuple[Part, ...]:
    return tuple(
        Part("alpha", n, p["id"], p["title"], p.get("title_zh"), p["minutes"], p.get("url"))
        for n, p in enumerate(PARTS, start=1)
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("2", ["basics"]),
        (" 1-2 ", ["welcome", "basics"]),
        ("2-", ["basics", "wrap-up"]),
        ("3-3", ["wrap-up"]),
        ("Wrap-Up", ["wrap-up"]),
    ],
)
def test_a_part_is_named_by_number_range_or_id(spec: str, expected: list[str]) -> None:
    assert [p.id for p in select_parts("alpha", part_list(), spec)] == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("0", "parts of alpha are numbered from 1, not 0"),
        ("4", "alpha has 3 parts; 4 is not one of them"),
        ("2-9", "alpha has 3 parts; 9 is not one of them"),
        ("3-1", "'3-1' runs backwards; write 1-3"),
        ("³", "alpha has no part '³' — give a number 1-3, a range, or a part id"),
        ("99999999999999999999", "alpha has 3 parts; 99999999999999999999 is not one of them"),
        ("intro", "alpha has no part 'intro'"),
        ("", "alpha has no part ''"),
    ],
)
def test_a_part_that_is_not_there_is_one_clear_error(spec: str, message: str) -> None:
    with pytest.raises(UnknownPart) as caught:
        select_parts("alpha", part_list(), spec)
    assert message in str(caught.value)


def test_a_resource_without_parts_says_so() -> None:
    with pytest.raises(UnknownPart, match="beta has no parts; use `beta` on its own"):
        select_parts("beta", (), "1")


def test_a_part_reference_splits_at_the_slash() -> None:
    assert split_part_ref("d2l/3") == ("d2l", "3")
    assert split_part_ref("d2l/ 1-4") == ("d2l", "1-4")
    assert split_part_ref("d2l") == ("d2l", None)
    assert split_part_ref("d2l/") == ("d2l", "")

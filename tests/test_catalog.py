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
from mlpath.validate import validate_catalog_text

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

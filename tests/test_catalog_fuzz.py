"""Generated catalogs, valid and broken in every field: validation either accepts a catalog
the cache can store, or refuses it with one CatalogError line; never anything else."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_CATALOG
from mlpath.catalog_cache import _fill
from mlpath.db import sqlite3
from mlpath.errors import CatalogError
from mlpath.models import MAX_MINUTES, forbidden_character
from mlpath.validate import validate_catalog_bytes, validate_catalog_text

PART = {"id": "one", "title": "Part one", "minutes": 30}

# Text that mixes what a catalog holds with what it must refuse.
NASTY = st.sampled_from(
    [
        "http://x\n\n<script>",
        "http://x]/",
        "http://a\x00b/",
        "\x1b]52;c;aGk=\x07",
        "\u202egnp.exe",
        "\ud800",
        "[/x]",
        "9" * 5000,
        "alpha",
        "https://example.org/",
    ]
)
TEXT = st.one_of(st.text(max_size=30), NASTY)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)

RESOURCE_FIELDS = [
    *MINI_CATALOG["resources"][0].keys(),
    "url_note",
    "free_to_audit",
    "optional",
    "minutes_note",
    "minutes_note_zh",
    "url_note_zh",
    "prerequisites",
    "parts",
    "alternatives",
    "unknown-field",
]
PART_FIELDS = ["id", "title", "title_zh", "minutes", "url", "extra"]


@st.composite
def catalogs(draw: st.DrawFn) -> Any:
    data: dict[str, Any] = copy.deepcopy(MINI_CATALOG)
    data["resources"][0]["parts"] = [dict(PART, minutes=10), dict(PART, id="two", minutes=20)]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        # Edits inside the structure first; one that replaces a whole branch ends the run.
        target = draw(st.sampled_from(["resource", "part", "section", "source", "top", "whole"]))
        value = draw(JSON)
        if target == "resource":
            index = draw(st.integers(min_value=0, max_value=len(data["resources"]) - 1))
            data["resources"][index][draw(st.sampled_from(RESOURCE_FIELDS))] = value
        elif target == "part" and isinstance(data["resources"][0].get("parts"), list):
            parts = data["resources"][0]["parts"]
            if parts and isinstance(parts[0], dict):
                parts[0][draw(st.sampled_from(PART_FIELDS))] = value
        elif target == "section":
            data["sections"][0][draw(st.sampled_from(["id", "title", "summary", "optional"]))] = (
                value
            )
        elif target == "source":
            data["source"][draw(st.sampled_from(["title", "author", "url", "note"]))] = value
        elif target == "top":
            data[draw(st.sampled_from(["schema_version", "sections", "resources", "$schema"]))] = (
                value
            )
            return data
        else:
            return value
    return data


def check_outcome(run: Any) -> None:
    try:
        model = run()
    except CatalogError as exc:
        message = str(exc)
        assert "\n" not in message
        assert forbidden_character(message) is None, repr(message)
        return
    # Accepted: estimates are real integers (never a boolean or a float), and the cache
    # can store every string and number in it.
    for resource in model.resources:
        assert type(resource.minutes) is int and 0 < resource.minutes <= MAX_MINUTES
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _fill(conn, model, {"stamp": "x"})
    finally:
        conn.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_generated_catalogs_raise_only_catalog_error(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False)
    check_outcome(lambda: validate_catalog_text(text, "cat.json"))


@settings(max_examples=200, deadline=None)
@given(catalogs(), st.integers(min_value=0), st.binary(min_size=1, max_size=4))
def test_damaged_bytes_raise_only_catalog_error(data: Any, where: int, junk: bytes) -> None:
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    cut = where % (len(raw) + 1)
    check_outcome(lambda: validate_catalog_bytes(raw[:cut] + junk + raw[cut:], "cat.json"))

"""JSON as mlpath writes it (exports, every --json): json's value and layout, with no
invisible character, laid out by mlpath itself so the json package stays unloaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Run
from mlpath.json_layout import compact, indented
from mlpath.output.literal import json_text

# Text from anywhere: controls, C1, bidirectional marks, lone surrogates, quotes, emoji.
texts = st.text(
    st.characters(codec=None) | st.sampled_from(['"', "\\", "\n", "\x85", "\u202e", "😀"]),
    max_size=8,
)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4) | st.tuples(inner)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, values, max_size=6))
def test_json_text_is_the_same_value_with_nothing_invisible(document: dict[str, Any]) -> None:
    written = json_text(document)
    assert json.loads(written) == json.loads(json.dumps(document))
    # Joiners and the soft hyphen shape text; they are never instructions.
    assert all(ch.isprintable() or ch in "\n\u200c\u200d\u00ad" for ch in written)


def test_a_document_with_other_keys_is_left_to_json() -> None:
    document: dict[Any, Any] = {1: "one", "two": [1.5, float("nan"), float("inf")]}
    assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2)
    assert compact(document) is None


def test_a_real_export_is_written_without_the_json_package(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for step in (["done", "alpha"], ["note", "beta", "ünïcode “quoted” \\ too"], ["undo"]):
        assert run(*step).exit_code == 0
    expected = run("export", "--format", "json").stdout

    def refuse(data: object, **options: object) -> str:
        raise AssertionError("the json package wrote the export")

    monkeypatch.setattr(json, "dumps", refuse)
    written = run("export", "--format", "json")
    assert written.exit_code == 0, written.stderr
    # The same text, apart from the time of the export.
    assert [line for line in written.stdout.splitlines() if "exported_at" not in line] == [
        line for line in expected.splitlines() if "exported_at" not in line
    ]
    assert json.loads(written.stdout)["changes"][1]["note"] == "ünïcode “quoted” \\ too"


printable = st.text(
    st.characters(categories=["L", "N", "P", "S"], include_characters=" "), max_size=8
)
plain_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | printable,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(printable, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(printable, plain_values, max_size=6))
def test_printable_documents_take_the_quick_layout(document: dict[str, Any]) -> None:
    assert indented(document, "\n", json.encoder.encode_basestring) is not None
    assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2)
    compact_text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert compact(document) == compact_text


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(texts, values, max_size=6))
def test_compact_json_is_jsons_own_compact_text(document: dict[str, Any]) -> None:
    # What the store keeps of a definition: the same text whichever writer made it.
    expected = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    written = compact(document)
    assert written is None or written == expected

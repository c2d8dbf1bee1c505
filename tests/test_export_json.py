"""The JSON export is written by mlpath's own layout, byte for byte what json_text writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Run
from mlpath.output import exports
from mlpath.output.exports import export_json
from mlpath.output.literal import json_text

# Text from anywhere: controls, C1, bidirectional marks, lone surrogates, quotes, emoji.
texts = st.text(
    st.characters(codec=None) | st.sampled_from(['"', "\\", "\n", "\x85", "\u202e", "😀"]),
    max_size=8,
)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts | st.floats(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4) | st.tuples(inner)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, values, max_size=6))
def test_the_export_layout_is_json_texts_layout(document: dict[str, Any]) -> None:
    assert export_json(document) == json_text(document)


def test_a_document_with_other_keys_is_left_to_json() -> None:
    document: dict[Any, Any] = {1: "one", "two": [1.5, float("nan")]}
    assert export_json(document) == json_text(document)


def test_a_real_export_is_written_without_json_texts_help(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for step in (["done", "alpha"], ["note", "beta", "ünïcode “quoted” \\ too"], ["undo"]):
        assert run(*step).exit_code == 0
    expected = run("export", "--format", "json").stdout

    def refuse(data: object) -> str:
        raise AssertionError("json_text wrote the export")

    monkeypatch.setattr(exports, "json_text", refuse)
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
    st.none() | st.booleans() | st.integers() | printable,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(printable, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(printable, plain_values, max_size=6))
def test_printable_documents_take_the_quick_layout(document: dict[str, Any]) -> None:
    assert exports._indented(document, "\n", json.encoder.encode_basestring) is not None
    assert export_json(document) == json.dumps(document, ensure_ascii=False, indent=2)

"""The shortcut for plain links in url_problem answers as the full check does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpath import text_rules

PIECES = [
    "http://", "https://", "HTTPS://", "ftp://", "example", "org", ".", "..", "-", "_",
    "a" * 63, "b" * 64, ":", ":80", ":x", "@", "user@", "/", "?", "#", "[", "]", "[::1]",
    "é", "xn--bcher-kva", " ", "\t", "%20", "A", "9", "",
]  # fmt: skip


def full_check(value: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    with monkeypatch.context() as patched:
        patched.setattr(text_rules, "_PLAIN_URL", re.compile(r"(?!)"))
        return text_rules.url_problem(value)


@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_plain_links_pass_the_shortcut_as_they_pass_the_full_check(value: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert text_rules.url_problem(value) == full_check(value, monkeypatch)


def test_the_shortcut_takes_the_common_links() -> None:
    for value in ("https://example.org/res-000001", "http://a.b-c.d/x?y=1#z"):
        assert text_rules._PLAIN_URL.fullmatch(value)
        assert text_rules.url_problem(value) is None

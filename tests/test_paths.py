"""Where files live: MLPATH_HOME and MLPATH_CACHE_DIR, else exactly platformdirs' answer."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from mlpath import paths


def test_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(tmp_path / "cache"))
    assert paths.data_dir() == str(tmp_path / "data")
    assert paths.cache_dir() == str(tmp_path / "cache")
    assert paths.progress_db() == str(tmp_path / "data" / "progress.db")


@pytest.mark.parametrize(
    "xdg",
    [
        {},
        {"XDG_DATA_HOME": "/srv/data", "XDG_CACHE_HOME": "/srv/cache"},
        {"XDG_DATA_HOME": "relative/data", "XDG_CACHE_HOME": ""},
        {"XDG_DATA_HOME": "~/data", "XDG_CACHE_HOME": "  "},
        {"HOME": "relative-home"},
    ],
)
def test_without_overrides_the_answer_is_platformdirs(
    monkeypatch: pytest.MonkeyPatch, xdg: dict[str, str]
) -> None:
    monkeypatch.delenv("MLPATH_HOME")
    monkeypatch.delenv("MLPATH_CACHE_DIR")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    assert paths.data_dir() == platformdirs.user_data_dir("mlpath", appauthor=False)
    assert paths.cache_dir() == platformdirs.user_cache_dir("mlpath", appauthor=False)


def test_the_direct_rule_applies_on_linux_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert paths._plain_linux_dir("data") is None

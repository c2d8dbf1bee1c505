"""A first run of a big catalog: checked in a second process while this one writes the
cache (mlpath.catalog_stream.SideCheck), never trusting what that process has not
found ordinary."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from mlpath import catalog_cache, catalog_quick, catalog_stream
from mlpath.catalog_quick import quick_catalog
from mlpath.errors import CatalogError
from mlpath.validate import validate_catalog_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from harness import generate_catalog  # noqa: E402


@pytest.fixture(autouse=True)
def side_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small catalogs take the side check too, as a big one does."""
    monkeypatch.setattr(catalog_stream, "SIDE_CHECK_FROM", 0)


def contents(conn: sqlite3.Connection) -> list[str]:
    return [line for line in conn.iterdump() if "'stamp'" not in line and "'sha256'" not in line]


def checked_here(data: bytes) -> list[str]:
    """The cache as the whole-catalog check builds it, in this process."""
    catalog = quick_catalog(data.decode("utf-8"))
    assert catalog is not None
    conn = sqlite3.connect(":memory:", isolation_level=None)
    catalog_cache.fill(conn, catalog, catalog_cache.catalog_meta(catalog, "stamp", "sha"))
    return contents(conn)


def streamed(data: bytes, side: bool = True) -> list[str]:
    """The cache the first run writes a piece at a time, checked beside it (or here)."""
    text = data.decode("utf-8")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    check = catalog_stream.SideCheck.start(text) if side else None
    assert (check is not None) == side
    try:
        catalog_stream.stream_catalog(
            conn,
            text,
            lambda totals, head: totals.meta(
                "stamp", "sha", catalog_cache.source_json(head["source"])
            ),
            side=check,
        )
    finally:
        if check is not None:
            check.stop()
    return contents(conn)


def generated(tmp_path: Path, resources: int = 2 * catalog_stream.PIECE + 5) -> Path:
    path = tmp_path / "generated.json"
    generate_catalog(path, resources, parts=2)
    return path


def changed(path: Path, change: Any) -> bytes:
    catalog = json.loads(path.read_text(encoding="utf-8"))
    change(catalog)
    return json.dumps(catalog).encode()


def test_checked_beside_the_writing_the_cache_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process only writes: the checks of every piece run in the other one."""
    data = generated(tmp_path).read_bytes()
    expected = checked_here(data)
    checks: list[int] = []
    real = catalog_quick.Resources.add

    def counted(self: catalog_quick.Resources, resources: list[Any], *args: Any) -> bool:
        checks.append(len(resources))
        return real(self, resources, *args)

    monkeypatch.setattr(catalog_quick.Resources, "add", counted)
    assert streamed(data) == expected
    assert checks == []
    assert streamed(data, side=False) == expected
    assert checks == [catalog_stream.PIECE, catalog_stream.PIECE, 5]


REFUSED, UNUSUAL = catalog_stream.Refused, catalog_stream.Unusual


@pytest.mark.parametrize(
    ("change", "verdict"),
    [
        # Refused by the checks alone: written here without a complaint.
        (lambda d: d["resources"][-1].__setitem__("title", " spaced "), REFUSED),
        (lambda d: d["resources"][7].__setitem__("prerequisites", ["nope"]), REFUSED),
        # What SQLite cannot hold, refused by the writing before the checks say so.
        (lambda d: d["resources"][3].__setitem__("minutes", 10**30), REFUSED),
        (lambda d: d["resources"][3].__setitem__("title", {"a": 1}), REFUSED),
        # Valid, but not in path order: the whole-catalog check sorts it.
        (lambda d: d["resources"].append(d["resources"].pop(0)), UNUSUAL),
    ],
)
def test_what_the_checks_refuse_is_never_committed(
    tmp_path: Path, change: Any, verdict: type[Exception]
) -> None:
    data = changed(generated(tmp_path), change)
    with pytest.raises(verdict) as raised:
        streamed(data)
    assert raised.type is verdict
    assert catalog_stream.check_catalog(data.decode()) == (
        catalog_stream.REFUSED if verdict is REFUSED else catalog_stream.UNUSUAL
    )


def test_a_refused_big_catalog_gets_the_models_one_line_error(tmp_path: Path) -> None:
    path = generated(tmp_path)
    data = changed(path, lambda d: d["resources"][-1].__setitem__("minutes", -1))
    path.write_bytes(data)
    with pytest.raises(CatalogError) as expected:
        validate_catalog_bytes(data, str(path))
    with pytest.raises(CatalogError) as raised:
        catalog_cache.open_catalog_db(str(path))
    assert str(raised.value) == str(expected.value)
    assert "\n" not in str(raised.value)
    assert not any(Path(os.environ["MLPATH_CACHE_DIR"]).iterdir())


def test_a_checking_process_that_dies_leaves_the_check_to_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No word from the other process is no verdict: the whole catalog is checked here,
    into the same cache."""
    path = generated(tmp_path)

    def dies(text: str) -> bytes:
        os._exit(3)

    monkeypatch.setattr(catalog_stream, "check_catalog", dies)
    with pytest.raises(catalog_stream.Unusual):
        streamed(path.read_bytes())
    conn = catalog_cache.open_catalog_db(str(path))
    assert contents(conn) == checked_here(path.read_bytes())


def test_an_interrupted_first_run_leaves_no_cache_and_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = generated(tmp_path)
    children: list[int] = []
    real = catalog_stream.SideCheck.start

    def start(text: str) -> catalog_stream.SideCheck | None:
        side = real(text)
        assert side is not None
        children.append(side._pid)
        return side

    def interrupted(self: catalog_stream.SideCheck) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog_stream.SideCheck, "start", staticmethod(start))
    monkeypatch.setattr(catalog_stream.SideCheck, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        catalog_cache.open_catalog_db(str(path))
    cache_dir = Path(os.environ["MLPATH_CACHE_DIR"])
    assert [p.name for p in cache_dir.iterdir()] == []
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # already reaped
    monkeypatch.undo()
    monkeypatch.setattr(catalog_stream, "SIDE_CHECK_FROM", 0)
    conn = catalog_cache.open_catalog_db(str(path))
    assert contents(conn) == checked_here(path.read_bytes())


def test_only_a_big_catalog_is_checked_beside(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork costs a small catalog (the bundled ones) more than it saves."""
    monkeypatch.setattr(catalog_stream, "SIDE_CHECK_FROM", 1024 * 1024)
    assert catalog_stream.SideCheck.start("{}" * 1000) is None

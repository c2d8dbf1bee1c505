"""Queries that match a great many resources alike: a short prefix beginning several
common words, a word every title holds beside a rarer one, Chinese characters every
title of a topic holds. The index (mlpath.search_index, read by mlpath.search_top) ranks
them as ranking every resource in Python does (mlpath.search.rank), and reads as many
rows and scores as many resources for the page shown however big the catalog is:
counted, not timed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import payload
from mlpath import cli, search_index
from mlpath.search import rank
from mlpath.search_index import search
from mlpath.workspace import Workspace
from test_history_length import counting_vm_steps
from test_search_index import comparable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from harness import generate_catalog  # noqa: E402


def chinese_catalog(path: Path, size: int) -> None:
    """A generated catalog whose resources have Chinese titles and descriptions too."""
    generate_catalog(path, size, chinese=True)


QUERIES = [
    "ne",
    "tr",
    "de",
    "re",
    "ne tr",
    "ne python",
    "part 1",
    "part 12",
    "神",
    "神经网络",
    "卷积神经网络",
    "学习",
    "网络 part",
    "第 12 部分",
    "用于数据",
    "概率与统计 bayesian",
    "神经网络，第 1",
    "神经 python",
    "neural 网络",
    "卷积 神经",
    "机器学习 python",
    "part 神经网络 12",
]


def test_the_lists_rank_as_every_resource_ranked(tmp_path: Path) -> None:
    path = tmp_path / "zh.json"
    chinese_catalog(path, 1500)
    ws = Workspace(path)
    try:
        resources = ws.catalog().resources
        for query in QUERIES:
            everything = comparable(rank(resources, query, limit=None))
            for limit in (10, 1, 3, None):
                wanted = everything if limit is None else everything[:limit]
                assert comparable(search(ws.db(), query, limit)) == wanted, (query, limit)
    finally:
        ws.close()


def counted_search(
    query: str,
    catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[dict[str, int], list[Any]]:
    """The rows a search reads, the resources it scores and its SQLite steps; its hits."""
    from mlpath.search import Query
    from mlpath.search_top import Cursor

    counted = {"rows": 0, "scored": 0}
    real_read, real_score = Cursor.read, Query.score

    def read(self: Cursor, rows: int) -> Any:
        found = real_read(self, rows)
        counted["rows"] += len(found)
        return found

    def score(self: Query, item: Any) -> Any:
        counted["scored"] += 1
        return real_score(self, item)

    monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
    # Builds the catalog cache and its search index first: not what is counted.
    assert cli.run(["search", "warm"]) == 0
    capsys.readouterr()
    with monkeypatch.context() as patched:
        patched.setattr(Cursor, "read", read)
        patched.setattr(Query, "score", score)
        with counting_vm_steps() as steps:
            assert cli.run(["search", *query.split(), "--json"]) == 0
    counted["steps"] = steps[0]
    found = payload(capsys.readouterr().out, "search")["hits"]
    return counted, [(hit["id"], hit["score"], hit["matched"]) for hit in found]


def at_two_sizes(
    query: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[list[dict[str, int]], list[list[Any]]]:
    """counted_search on the Chinese catalog of 10,000 resources, then of 20,000."""
    counts, hits = [], []
    for size in (10000, 20000):
        catalog = tmp_path / f"generated-{size}.json"
        chinese_catalog(catalog, size)
        found = counted_search(query, catalog, monkeypatch, capsys)
        counts.append(found[0])
        hits.append(found[1])
    return counts, hits


@pytest.mark.parametrize(
    ("query", "rows", "scored"),
    [
        # Begins neural and networks, which a fifth of the resources hold, both in the
        # title: as one list, the first rows read settle the page.
        ("ne", 16, 20),
        # Every title holds `part`, and one resource in 37 has the tag tag-1: those of
        # them with the shortest titles are the hits, and the `part` list holds a run
        # of ten thousand rows of one value, so they are found by scoring those met.
        ("part 1", 500, 250),
        # Every Chinese title of two topics holds each character.
        ("神经网络", 64, 20),
        ("卷积神经网络", 96, 20),
        # Words of topics never found together: the characters' bitmaps tell.
        ("神经 python", 64, 20),
        # Both in every resource of a topic, each in its own title.
        ("neural 网络", 64, 20),
    ],
)
def test_work_does_not_grow_with_how_many_resources_match_alike(
    query: str,
    rows: int,
    scored: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Twice the catalog, twice the resources matching: the same hits, rows read,
    resources scored and SQLite steps for the page shown, and few of each."""
    counts, hits = at_two_sizes(query, tmp_path, monkeypatch, capsys)
    assert hits[0] == hits[1]
    assert len(hits[0]) == 10
    assert counts[0]["rows"] <= rows, counts
    assert counts[0]["scored"] <= scored, counts
    assert counts[1] == counts[0], counts


def test_an_index_of_an_older_format_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The prefixes' lists, the Chinese titles' shares and the characters' bitmaps came
    with index format 7: an index sealed by an older mlpath is replaced, not read
    without them."""
    from mlpath import catalog_cache

    catalog = tmp_path / "zh.json"
    chinese_catalog(catalog, 300)
    monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
    with monkeypatch.context() as older:
        older.setattr(search_index, "INDEX_FORMAT", "6")
        assert cli.run(["search", "warm"]) == 0
    index = [p for p in (tmp_path / "cache").iterdir() if p.name.endswith("-search.sqlite3")]
    assert len(index) == 1
    before = os.stat(index[0]).st_ino
    capsys.readouterr()
    assert search_index.INDEX_FORMAT == "7"
    assert cli.run(["search", "神经网络", "--json"]) == 0
    assert os.stat(index[0]).st_ino != before
    seal = Path(f"{index[0]}-seal").read_text(encoding="utf-8")
    assert f"{catalog_cache.CACHE_FORMAT}|7|" in seal
    hits = payload(capsys.readouterr().out, "search")["hits"]
    assert [hit["id"] for hit in hits[:2]] == ["res-000000", "res-000010"]


def test_the_chinese_catalog_is_the_generated_one_with_chinese_titles(tmp_path: Path) -> None:
    """benchmarks/scale.py times Chinese queries on it beside the plain catalog's
    figures: only the Chinese fields differ, and the plain catalog has none."""
    import json

    plain, zh = tmp_path / "plain.json", tmp_path / "zh.json"
    assert generate_catalog(plain, 40) == generate_catalog(zh, 40, chinese=True)
    plain_resources = json.loads(plain.read_text(encoding="utf-8"))["resources"]
    zh_resources = json.loads(zh.read_text(encoding="utf-8"))["resources"]
    assert not any("title_zh" in r or "description_zh" in r for r in plain_resources)
    for before, after in zip(plain_resources, zh_resources, strict=True):
        assert {k: v for k, v in after.items() if not k.endswith("_zh")} == before
    assert zh_resources[6]["title_zh"] == "卷积神经网络，第 6 部分"


@pytest.mark.parametrize(
    ("query", "rows", "scored"),
    [
        # Every title holds `part`, and the list's head is of titles of three words
        # (Transformers), none holding 网络: past them, the first resource holding both
        # ties with the page's last hit, and those before it in the path are met.
        ("网络 part", 64, 32),
        # The characters' heads are the shortest titles of 神经网络, which hold no 卷积.
        ("卷积 神经", 512, 128),
    ],
)
def test_lists_headed_by_resources_holding_one_term_stop_at_the_page(
    query: str,
    rows: int,
    scored: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Thousands of resources match every term alike, and each list begins with
    thousands holding its term and not the others: the rows read and resources scored
    for the page shown are few, and the same at twice the catalog (what is skipped is
    looked at inside SQLite, a span of positions at a time)."""
    counts, hits = at_two_sizes(query, tmp_path, monkeypatch, capsys)
    for found in counts:
        del found["steps"]
    assert hits[0] == hits[1]
    assert len(hits[0]) == 10
    assert counts[0]["rows"] <= rows, counts
    assert counts[0]["scored"] <= scored, counts
    assert counts[1] == counts[0], counts

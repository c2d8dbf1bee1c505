"""Queries whose words are seldom found together, and terms matching many words: the
index (mlpath.search_index with mlpath.search_top and mlpath.search_bits) ranks them as
ranking every resource in Python does (mlpath.search.rank), and stops reading early.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import payload
from mlpath import cli
from mlpath.catalog import Resource
from mlpath.search import rank
from mlpath.search_index import search
from mlpath.workspace import Workspace
from test_search_index import comparable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from harness import TOPICS, generate_catalog  # noqa: E402

# Words of different topics (never in one generated resource but where mixed in below),
# short prefixes matching many numbers or words, and the two together.
QUERIES = [
    "neural python",
    "python neural",
    "transformers bayesian",
    "linear decision trees",
    "gradient inference",
    "neural netwrk python",
    "reinforcement convolutional",
    "statistics networks",
    "pyth neur",
    "neural 12",
    "part 12",
    "part 1",
    "12",
    "1",
    "pa",
    "ne",
    "tag 12",
    "number 4",
    "generated python",
    "about transformers",
    "resource 77",
    "python",
    "bayesian infrence",
    "python mixed",
    "neural mixed python",
]


def mixed_catalog(path: Path, size: int) -> None:
    """A generated catalog where a few resources also mention another topic's words, so
    that some resources do hold words the others never hold together."""
    generate_catalog(path, size)
    catalog = json.loads(path.read_text(encoding="utf-8"))
    for i, entry in enumerate(catalog["resources"]):
        if i % 97 == 5:
            other = TOPICS[(i + 3) % len(TOPICS)]
            entry["description"] += f" Mixed with {other.lower()}."
        if i % 211 == 7:
            entry["title"] += " python"
    path.write_text(json.dumps(catalog), encoding="utf-8")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("mixed") / "mixed.json"
    mixed_catalog(path, 1500)
    ws = Workspace(path)
    yield ws, ws.catalog().resources
    ws.close()


def expect(resources: tuple[Resource, ...], query: str, limit: int | None) -> list[Any]:
    return comparable(rank(resources, query, limit=limit))


@pytest.mark.parametrize("query", QUERIES)
def test_words_seldom_together_rank_as_every_resource_ranked(mixed: Any, query: str) -> None:
    ws, resources = mixed
    everything = expect(resources, query, None)
    for limit in (10, 1, 3, 30, None):
        wanted = everything if limit is None else everything[:limit]
        assert comparable(search(ws.db(), query, limit)) == wanted, (query, limit)


WORDS = sorted(
    {word for topic in TOPICS for word in topic.lower().split()}
    | {"part", "python", "mixed", "generated", "tag"}
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from(WORDS).map(lambda w: w[: max(2, len(w) // 2)]),
            st.integers(0, 1600).map(str),
            st.integers(0, 160).map(lambda n: str(n)[:2]),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([1, 10, 13]),
)
def test_any_mix_of_words_and_prefixes_ranks_as_every_resource_ranked(
    mixed: Any, words: list[str], limit: int
) -> None:
    ws, resources = mixed
    query = " ".join(words)
    assert comparable(search(ws.db(), query, limit)) == expect(resources, query, limit), query


def prefix_catalog(path: Path, numbers: int) -> None:
    """Lessons 12 and a few more, then `numbers` lessons whose number starts with 12,
    each the only resource with its number."""
    resources = [
        {
            "id": f"lesson-{n}",
            "title": f"Lesson {n}",
            "section": "intro",
            "url": "https://example.org/lesson",
            "kind": "article",
            "cost": "free",
            "minutes": 10,
            "description": f"Lesson number {n}.",
        }
        for n in [12, 3, 4, *range(1200, 1300), *range(12000, 12000 + numbers - 100)]
    ]
    catalog = {
        "schema_version": 1,
        "source": {"title": "Lessons", "author": "tests", "url": "https://example.org/"},
        "sections": [{"id": "intro", "title": "Intro", "summary": "Lessons."}],
        "resources": resources,
    }
    path.write_text(json.dumps(catalog), encoding="utf-8")


def test_a_term_matching_many_words_caps_few_kinds_of_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`12` begins a hundred words in one catalog and a thousand in the other, each held
    by one resource: the same hits, and as many resources scored and caps worked out for
    them, in both. (Reading the words themselves is a row each, and not counted.)"""
    from mlpath.search import Query
    from mlpath.search_top import Cap

    counted = {"scored": 0, "capped": 0}
    real_score, real_most = Query.score, Cap.most

    def score(self: Query, item: Any) -> Any:
        counted["scored"] += 1
        return real_score(self, item)

    def most(self: Cap, *args: Any) -> float:
        counted["capped"] += 1
        return real_most(self, *args)

    monkeypatch.setattr(Query, "score", score)
    monkeypatch.setattr(Cap, "most", most)
    counts, hits = [], []
    for numbers in (100, 1000):
        catalog = tmp_path / f"lessons-{numbers}.json"
        prefix_catalog(catalog, numbers)
        monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
        assert cli.run(["search", "warm"]) == 0
        capsys.readouterr()
        counted.update(scored=0, capped=0)
        assert cli.run(["search", "lesson", "12", "--json"]) == 0
        counts.append(dict(counted))
        found = payload(capsys.readouterr().out, "search")["hits"]
        hits.append([(hit["id"], hit["score"]) for hit in found])
    assert hits[0] == hits[1]
    assert hits[0][:2] == [("lesson-12", hits[0][0][1]), ("lesson-1200", hits[0][1][1])]
    assert counts[0]["scored"] < 40
    assert counts[1] == counts[0], counts

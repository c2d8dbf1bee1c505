"""Which bundled resources have parts, where each list was read, and spot checks against
those sources. A resource gains parts only with a source listed here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CATALOG = Path(__file__).parents[1] / "data" / "resources.json"

# Resource id -> (repository and path read, number of parts the source states).
SOURCES: dict[str, tuple[str, int]] = {
    "d2l": ("github.com/d2l-ai/d2l-en index.md", 23),
    "probml-intro": ("github.com/probml/pml-book toc1.pdf", 23),
    "mml-book": ("github.com/mml-book/mml-book.github.io index.md", 12),
    "numpy-100": ("github.com/rougier/numpy-100 source/exercises100.ktx", 100),
    "fastai": ("github.com/fastai/course22-web sidebar.yml", 9),
    "nyu-deep-learning": ("github.com/Atcold/pytorch-Deep-Learning docs/_config.yml", 42),
    "ml-interviews-book": ("github.com/chiphuyen/ml-interviews-book SUMMARY.md", 8),
    "3b1b-neural-networks": ("github.com/3b1b/3Blue1Brown.com app/data/topics.json", 5),
    "learnpython-org": (
        "github.com/ronreiter/interactive-tutorials tutorials/learnpython.org/en/Welcome.md",
        13,
    ),
}

# (resource, 1-based part number) -> title as the source gives it.
SPOT_CHECKS: dict[tuple[str, int], str] = {
    ("d2l", 1): "Introduction",
    ("d2l", 5): "Multilayer Perceptrons",
    ("d2l", 11): "Attention Mechanisms and Transformers",
    ("d2l", 23): "Appendix: Tools for Deep Learning",
    ("probml-intro", 13): "Neural Networks for Structured Data",
    ("probml-intro", 18): "Trees, Forests, Bagging, and Boosting",
    ("probml-intro", 23): "Graph Embeddings",
    ("mml-book", 1): "Introduction and Motivation",
    ("mml-book", 8): "When Models Meet Data",
    ("mml-book", 12): "Classification with Support Vector Machines",
    ("numpy-100", 1): "Import the numpy package under the name `np`",
    ("numpy-100", 3): "Create a null vector of size 10",
    ("fastai", 1): "Getting started",
    ("fastai", 8): "Convolutions (CNNs)",
    ("fastai", 9): "Bonus: Data ethics",
    ("nyu-deep-learning", 1): "Motivation of Deep Learning, and Its History and Inspiration",
    ("nyu-deep-learning", 42): "Training latent variable Energy-Based Models (EBMs)",
    ("ml-interviews-book", 1): "Machine learning jobs",
    ("ml-interviews-book", 8): "Machine learning algorithms",
    ("3b1b-neural-networks", 1): "But what is a Neural Network?",
    ("3b1b-neural-networks", 5): "Backpropagation calculus",
    ("learnpython-org", 1): "Hello, World!",
    ("learnpython-org", 13): "Input and Output",
}

CHINESE_SPOT_CHECKS: dict[tuple[str, int], str] = {
    ("d2l", 1): "引言",
    ("d2l", 5): "多层感知机",
    ("nyu-deep-learning", 1): "深度学习的动机及其历史和启示",
}


def resources() -> dict[str, dict[str, Any]]:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["resources"]}


def test_exactly_the_listed_resources_have_parts_each_naming_its_source() -> None:
    by_id = resources()
    with_parts = {rid for rid, r in by_id.items() if r.get("parts")}
    assert with_parts == set(SOURCES)
    for rid, (source, count) in SOURCES.items():
        resource = by_id[rid]
        assert resource["parts_source"].startswith(source), rid
        assert len(resource["parts"]) == count, rid
    without = [rid for rid, r in by_id.items() if "parts_source" in r and not r.get("parts")]
    assert without == []


@pytest.mark.parametrize(("place", "title"), sorted(SPOT_CHECKS.items()))
def test_part_titles_match_their_source(place: tuple[str, int], title: str) -> None:
    rid, number = place
    assert resources()[rid]["parts"][number - 1]["title"] == title


@pytest.mark.parametrize(("place", "title"), sorted(CHINESE_SPOT_CHECKS.items()))
def test_chinese_part_titles_match_their_source(place: tuple[str, int], title: str) -> None:
    rid, number = place
    assert resources()[rid]["parts"][number - 1]["title_zh"] == title


def test_each_total_is_the_sum_of_its_parts_and_says_how_parts_were_estimated() -> None:
    for rid in SOURCES:
        resource = resources()[rid]
        assert resource["minutes"] == sum(p["minutes"] for p in resource["parts"]), rid
        assert resource["minutes_note"], rid


def test_part_links_stay_on_the_resource_s_own_site() -> None:
    for rid in SOURCES:
        resource = resources()[rid]
        for part in resource["parts"]:
            if "url" in part:
                assert part["url"].startswith(resource["url"]), (rid, part["id"])


# Pairs with the same material in two places. The source document lists the Deep Learning
# Specialization twice: its lecture videos on DeepLearning.AI's YouTube channel (the
# free-courses list) and the Coursera specialization (the guided-courses list). The
# calculus volume and its two halves are not alternatives: neither half settles the whole.
# The two Discord invites are one server: Towards AI's newsletter #9 sends readers to its
# "Learn AI Together community" through https://ws.towardsai.net/discord.
ALTERNATIVES = {
    frozenset({"deeplearning-ai-youtube", "coursera-deep-learning-specialization"}),
    frozenset({"learn-ai-together-discord", "towards-ai-discord"}),
}


def test_alternatives_are_exactly_the_known_pairs() -> None:
    pairs = {
        frozenset({rid, other})
        for rid, r in resources().items()
        for other in r.get("alternatives", [])
    }
    assert pairs == ALTERNATIVES


def test_the_bundled_cache_serves_parts_and_alternatives() -> None:
    from mlpath.catalog import alternatives_of, part_counts, parts_of
    from mlpath.catalog_cache import open_catalog_db

    conn = open_catalog_db(str(CATALOG))
    try:
        d2l = parts_of(conn, "d2l")
        assert (d2l[4].label, d2l[4].title) == ("d2l/5", "Multilayer Perceptrons")
        assert part_counts(conn) == {rid: count for rid, (_, count) in SOURCES.items()}
        assert alternatives_of(conn, "deeplearning-ai-youtube") == (
            "coursera-deep-learning-specialization",
        )
    finally:
        conn.close()

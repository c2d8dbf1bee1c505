"""The search index in the catalog cache (mlpath.search_index), and `search`, `show` and
`sections` doing the same work however big the catalog.

Results are compared with ranking every resource in Python (mlpath.search.rank, which
the index must agree with hit for hit); work is counted in SQLite virtual-machine steps,
as tests/test_history_length.py counts it, not timed.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINI_CATALOG, Run, payload
from mlpath import catalog_cache, cli, search_index
from mlpath.catalog import Resource, bundled_catalog_path, load_catalog
from mlpath.db import sqlite3
from mlpath.search import index_tokens, rank, tokens
from mlpath.search_index import search
from mlpath.validate import validate_catalog_bytes
from mlpath.workspace import Workspace
from test_find import res
from test_history_length import counting_vm_steps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from harness import generate_catalog  # noqa: E402

QUERIES = [
    "neural netwrk",
    "nueral netwrk",
    "neural networks",
    "deep learning",
    "Deep Learning",
    "深度学习",
    "花书",
    "吴恩达",
    "动手学深度学习",
    "学",
    "机器学习 python",
    "the",
    "what is",
    "a",
    "learn",
    "pyth",
    "statistcs",
    "reinforcment lerning",
    "linear algebra",
    "probability and statistics",
    "ml",
    "cs229",
    "3blue1brown",
    "d2l",
    "numpy 100",
    "part 12",
    "generated",
    "tag 7",
    "gradient descnt",
    "zebra",
    "alpah",
    "gamma course",
    "阿尔",
]


def comparable(hits: list[Any]) -> list[tuple[str, float, str, tuple[str, ...]]]:
    return [(h.resource.id, h.score, h.status, h.matched) for h in hits]


@pytest.fixture
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace over the bundled, the mini or a generated 600-resource catalog."""
    if request.param == "bundled":
        path = Path(bundled_catalog_path())
    elif request.param == "mini":
        path = tmp_path / "mini.json"
        path.write_text(json.dumps(MINI_CATALOG, ensure_ascii=False), encoding="utf-8")
    else:
        path = tmp_path / "generated.json"
        generate_catalog(path, 600)
    ws = Workspace(path)
    try:
        yield ws
    finally:
        ws.close()


def random_queries(resources: tuple[Resource, ...], count: int) -> list[str]:
    """Words of the catalog, one to three a query, some with a letter dropped or swapped."""
    rng = random.Random(11)
    words = sorted(
        {w for r in resources for w in f"{r.title} {r.description} {r.title_zh or ''}".split()}
    )
    queries = []
    for _ in range(count):
        query = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        if len(query) > 4 and rng.random() < 0.6:
            i = rng.randrange(len(query) - 1)
            query = (
                query[:i] + query[i + 1] + query[i] + query[i + 2 :]
                if rng.random() < 0.5
                else query[:i] + query[i + 1 :]
            )
        queries.append(query)
    return queries


@pytest.mark.parametrize("workspace", ["bundled", "mini", "generated"], indirect=True)
def test_the_index_finds_what_ranking_every_resource_finds(workspace: Workspace) -> None:
    resources = workspace.catalog().resources
    db = workspace.db()
    for query in QUERIES + random_queries(resources, 60):
        for limit in (10, 1, None):
            expected = comparable(rank(resources, query, limit=limit))
            assert comparable(search(db, query, limit)) == expected, (query, limit)


def test_the_index_without_fts5_scans_the_words(tmp_path: Path) -> None:
    """An SQLite without FTS5 builds no trigram table; words inside words are still found."""
    data = Path(bundled_catalog_path()).read_bytes()
    model = validate_catalog_bytes(data, "bundled")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    meta = {"source": "{}", "resources": "0", "minutes": "0"}
    catalog_cache._fill(conn, model, meta)
    search_index.ensure_index(conn)
    conn.execute("DROP TABLE search_infix")
    conn.execute("ATTACH DATABASE ':memory:' AS progress")
    conn.execute("CREATE TABLE progress.current (resource TEXT PRIMARY KEY, status, since)")
    resources = load_catalog(conn, "bundled").resources
    for query in ("earning", "etwork", "deep learning", "nueral netwrk"):
        expected = comparable(rank(resources, query, limit=None))
        assert comparable(search(conn, query, None)) == expected
    assert "description" in search(conn, "earning", None)[0].matched


def test_resources_outside_the_index_are_searched_too(mini_catalog: Path) -> None:
    ws = Workspace(mini_catalog)
    try:
        own = [res("my-gamma-notes", "Gamma Notes"), res("my-other", "Unrelated")]
        hits = search(ws.db(), "gamma", None, extra=own)
        # Own resources rank by the same score; on a tie, after the catalog's.
        assert [h.resource.id for h in hits] == ["gamma-book", "gamma-course", "my-gamma-notes"]
        assert [h.score for h in hits] == [
            h.score for h in rank([*ws.catalog().resources, *own], "gamma", limit=None)
        ]
        assert [h.resource.id for h in search(ws.db(), "notes", extra=own)] == ["my-gamma-notes"]
    finally:
        ws.close()


def test_hits_carry_the_statuses_asked_for(mini_catalog: Path) -> None:
    ws = Workspace(mini_catalog)
    asked: list[list[str]] = []

    def statuses(ids: Any) -> dict[str, str]:
        asked.append(list(ids))
        return {"gamma-course": "done"}

    try:
        hits = search(ws.db(), "gamma", 10, statuses)
    finally:
        ws.close()
    assert [(h.resource.id, h.status) for h in hits] == [
        ("gamma-book", "todo"),
        ("gamma-course", "done"),
    ]
    assert asked == [["gamma-book", "gamma-course"]]  # only the hits shown


# The regular expression the index is built with and the loop queries use split alike.
def test_tokens_split_every_character_as_the_index_does() -> None:
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert tokens(f"a{char}b") == index_tokens(f"a{char}b"), hex(code)


@given(st.text())
def test_tokens_agree_with_the_index_on_any_text(text: str) -> None:
    assert tokens(text) == index_tokens(text)


def test_a_search_imports_no_regular_expressions(mini_catalog: Path) -> None:
    """`re` costs more to import than answering the query (building the catalog cache
    first, with pydantic, imports it: that is not what is checked)."""
    import subprocess

    code = (
        "import sys; from mlpath import cli; cli.run(['search', 'alpah', '神经']); "
        "print('re' in sys.modules)"
    )
    for expected in ("True", "False"):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert "alpha" in out
        assert out.splitlines()[-1] == expected, out


# --- the same work at any size ------------------------------------------------------


def padded_catalog(path: Path, padding: int) -> None:
    """The mini catalog's sections, a few resources that queries find, and `padding`
    resources that none of them does."""
    catalog = json.loads(json.dumps(MINI_CATALOG))
    found = [
        {
            "id": f"net-{i}",
            "title": f"Neural networks {name}",
            "title_zh": "神经网络",
            "section": "intro",
            "url": "https://example.org/net",
            "kind": "video",
            "cost": "free",
            "minutes": 30,
            "description": "About neural networks.",
            "prerequisites": ["alpha"],
            "tags": ["neural-networks"],
        }
        for i, name in enumerate(["basics", "deeper", "in practice"])
    ]
    filler = [
        {
            "id": f"filler-{i:05d}",
            "title": f"Filler {i}",
            "section": ("intro", "books", "practice")[i % 3],
            "url": "https://example.org/filler",
            "kind": "article",
            "cost": "free",
            "minutes": 10,
            "description": "Padding.",
        }
        for i in range(padding)
    ]
    catalog["resources"] += found + filler
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")


def steps_for(
    command: list[str],
    catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> int:
    monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
    # Builds the catalog cache and its search index first: not what is counted.
    assert cli.run(["next"]) == 0
    assert cli.run(["search", "alpha"]) == 0
    capsys.readouterr()
    with counting_vm_steps() as steps:
        assert cli.run(command) == 0
    return steps[0]


@pytest.mark.parametrize(
    "command",
    [
        ["search", "neural", "netwrk"],
        ["search", "neural", "networks", "--json"],
        ["search", "神经网络"],
        ["search", "alpah"],
        ["show", "net-1"],
        ["show", "alpha", "--json"],
        ["sections"],
        ["sections", "--json"],
    ],
)
@pytest.mark.parametrize("learner", ["with-progress", "no-store"])
def test_work_does_not_grow_with_the_catalog(
    command: list[str],
    learner: str,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "small.json"))
    padded_catalog(tmp_path / "small.json", 30)
    if learner == "with-progress":
        assert run("done", "alpha").exit_code == 0
        assert run("start", "net-1").exit_code == 0
    counts, outputs = [], []
    for padding in (30, 3000):
        catalog = tmp_path / f"padded-{padding}.json"
        padded_catalog(catalog, padding)
        counts.append(steps_for(command, catalog, monkeypatch, capsys))
        outputs.append(capsys.readouterr().out)
    if command[0] != "sections":  # which counts the padding, by design
        assert outputs[0] == outputs[1]
    assert counts[0] > 0
    assert counts[1] == counts[0], counts


@pytest.mark.parametrize(
    "query",
    [
        "neural netwrk",
        "neural networks",
        "tag 7",
        "neural python",
        "transformers bayesian",
        "neural netwrk python",
    ],
)
def test_work_does_not_grow_with_how_much_of_the_catalog_matches(
    query: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A fifth of a generated catalog is about neural networks, and one resource in 37
    has the tag tag-7: ten times the catalog, ten times the matches, and the same hits,
    resources scored and SQLite steps for the page shown. So too for words of topics
    that no resource holds together: the hits match some of the words."""
    from mlpath.search import Query

    real_score = Query.score
    scored = [0]

    def counted(self: Query, item: Any) -> Any:
        scored[0] += 1
        return real_score(self, item)

    monkeypatch.setattr(Query, "score", counted)
    counts, hits = [], []
    for size in (1000, 10000):
        catalog = tmp_path / f"generated-{size}.json"
        generate_catalog(catalog, size)
        monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
        # Builds the catalog cache and its search index first: not what is counted.
        assert cli.run(["search", "warm"]) == 0
        capsys.readouterr()
        scored[0] = 0
        with counting_vm_steps() as steps:
            assert cli.run(["search", *query.split(), "--json"]) == 0
        counts.append((steps[0], scored[0]))
        found = payload(capsys.readouterr().out, "search")["hits"]
        hits.append([(hit["id"], hit["score"], hit["matched"]) for hit in found])
    assert hits[0] == hits[1]
    assert len(hits[0]) == 10
    assert counts[0][1] < 60  # the page, and a few it was weighed against
    assert counts[1] == counts[0], counts


def test_sections_count_what_the_catalog_holds(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha", "gamma-book").exit_code == 0
    result = run("sections", "--json")
    assert result.exit_code == 0, result.stderr
    counted = [
        (s["id"], s["resources"], s["done"], s["minutes"])
        for s in payload(result.stdout, "sections")["sections"]
    ]
    assert counted == [("intro", 2, 1, 120), ("books", 2, 1, 1800), ("practice", 1, 0, 120)]


def test_show_lists_what_a_resource_unlocks_in_path_order(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = tmp_path / "padded.json"
    padded_catalog(catalog, 3)
    monkeypatch.setenv("MLPATH_CATALOG", str(catalog))
    assert run("done", "net-2").exit_code == 0
    shown = payload(run("show", "alpha", "--json").stdout, "show")
    assert shown["unlocks"] == [
        {"id": "beta", "status": "todo"},
        {"id": "net-0", "status": "todo"},
        {"id": "net-1", "status": "todo"},
        {"id": "net-2", "status": "done"},
    ]
    # A unique prefix names a resource; one shared by several says which.
    assert payload(run("show", "delt", "--json").stdout, "show")["id"] == "delta"
    ambiguous = run("show", "NET-")
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr == "mlpath: 'NET-' matches several resources: net-0, net-1, net-2\n"
    unknown = run("show", "alpah")
    assert unknown.stderr == "mlpath: unknown resource 'alpah' — did you mean 'alpha'?\n"


def test_building_the_index_holds_no_more_as_the_catalog_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first search of a big catalog builds its index without holding the index in
    memory: a catalog three times as big costs its words more (each generated resource
    has words of its own), not three times the memory. Python's allocations are traced
    (tracemalloc); SQLite's page cache, which does the sorting, has a size of its own."""
    import tracemalloc

    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(tmp_path / "cache"))
    peaks = []
    for size in (2_000, 6_000):
        generate_catalog(tmp_path / f"catalog-{size}.json", size, chinese=True)
        ws = Workspace(tmp_path / f"catalog-{size}.json")
        db = ws.db()
        cache_file = next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")
        index = sqlite3.connect(tmp_path / f"index-{size}.sqlite3", isolation_level=None)
        tracemalloc.start()
        try:
            search_index._build(index, cache_file, None)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
            index.close()
            ws.close()
        built = sqlite3.connect(tmp_path / f"index-{size}.sqlite3")
        # Every resource is in it, with a Chinese character's list for each of its own.
        assert built.execute("SELECT count(*) FROM search_resources").fetchone() == (size,)
        (listed,) = built.execute("SELECT count(DISTINCT position) FROM search_cjk").fetchone()
        built.close()
        assert listed == size
    assert peaks[1] < 1.5 * peaks[0], [f"{peak / 1e6:.1f} MB" for peak in peaks]

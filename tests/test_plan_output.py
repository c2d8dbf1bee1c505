"""`mlpath plan` prints what it printed before it read only what the plan needs.

The snapshots under tests/data/plan/ were written by the implementation that built the
whole catalog as objects (main before issue 11's plan work), from the catalogs and
stores made here: plain text, --json and Rich at 80 columns, in English and Chinese.
Regenerate them only from an implementation known to be right:
MLPATH_WRITE_PLAN_SNAPSHOTS=1 pytest tests/test_plan_output.py.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath import catalog as catalog_mod
from mlpath.store import open_store
from mlpath.workspace import Workspace

SNAPSHOTS = Path(__file__).parent / "data" / "plan"
START = "2026-01-05"


def plan_catalog(path: Path, resources: int, seed: int) -> list[str]:
    """A catalog with what changes a plan's layout: prerequisites that point forward
    (so the schedule reorders), alternatives, paid and optional resources, parts, a
    Chinese title, a resource without an estimate; its ids."""
    rng = random.Random(seed)
    ids = [f"r{i:04d}" for i in range(resources)]
    entries: list[dict[str, Any]] = []
    for i, rid in enumerate(ids):
        prereqs = []
        if i > 2 and i % 7 in (1, 2, 3) and rng.random() < 0.5:
            prereqs.append(ids[i - rng.randint(1, 3)])
        if i + 1 < resources and i % 7 == 5 and rng.random() < 0.5:
            prereqs.append(ids[i + 1])  # later on the path (and needing nothing): reordered
        entry: dict[str, Any] = {
            "id": rid,
            "title": f"Topic {i}" + (" with a longer title" if i % 13 == 0 else ""),
            "section": f"s{i * 5 // resources}",
            "url": f"https://example.org/{rid}",
            "kind": "video",
            "cost": "paid" if rng.random() < 0.2 else "free",
            "optional": rng.random() < 0.1,
            "minutes": rng.choice((5, 45, 60, 90, 600, 3000)) if i else 30,
            "prerequisites": prereqs,
            "description": f"Resource {i}.",
            "tags": [],
        }
        if i % 17 == 4:
            entry["title_zh"] = f"主题 {i}"
        if i % 19 == 7:
            count = rng.randint(2, 6)
            entry["minutes"] = 20 * count
            entry["parts"] = [
                {"id": f"p{j}", "title": f"Part {j}", "minutes": 20} for j in range(1, count + 1)
            ]
        entries.append(entry)
    for a, b in ((1, 2), (10, 12), (20, 21)):
        if b < resources:
            entries[a]["alternatives"] = [ids[b]]
            entries[b]["alternatives"] = [ids[a]]
    catalog = {
        "schema_version": 1,
        "source": {"title": "Generated", "author": "tests", "url": "https://example.org/"},
        "sections": [
            {"id": f"s{s}", "title": f"Section {s}", "summary": "Generated."} for s in range(5)
        ],
        "resources": entries,
    }
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    return ids


def mark_some(ids: list[str], seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(Workspace(catalog_mod.catalog_path()).store_path, create=True)
    assert store is not None
    for status in ("done", "skipped", "doing"):
        store.set_status([i for i in ids if rng.random() < 0.2], status)
    store.set_status(["r0007/p1", "r0026/p2"], "done")
    store.close()


SCENARIOS = [
    ("small", 40, 1),
    ("medium", 150, 2),
]
VARIANTS = [
    ("plain", ("-w", "6"), False),
    ("free", ("-w", "4.5", "--free"), False),
    ("json", ("-w", "6", "--json"), False),
    ("json-free", ("-w", "6", "--free", "--json"), False),
    ("zh", ("--lang", "zh", "-w", "6"), False),
    ("rich", ("-w", "6"), True),
]


@pytest.mark.parametrize(("name", "resources", "seed"), SCENARIOS)
def test_plan_output_is_unchanged(
    name: str,
    resources: int,
    seed: int,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "catalog.json"
    ids = plan_catalog(path, resources, seed)
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    mark_some(ids, seed)
    # The learner's own resources lie over the catalog's (mlpath.own_overlay).
    assert run("add", "My own notes", "--after", ids[9]).exit_code == 0
    assert run("add", "My paid course", "--minutes", "90", "--paid", "-s", "s3").exit_code == 0
    for scope in ("core", "all"):
        assert run("goal", "--scope", scope, "-w", "5").exit_code == 0
        for variant, args, terminal in VARIANTS:
            if terminal:
                monkeypatch.setenv("COLUMNS", "80")
            global_args = ("--no-pager",) if terminal else ()
            if args[0] == "--lang":
                global_args, args = (*global_args, *args[:2]), args[2:]
            result = run(*global_args, "plan", "--start", START, *args, terminal=terminal)
            monkeypatch.setenv("COLUMNS", "120")
            assert result.exit_code == 0, result.stderr
            snapshot = SNAPSHOTS / f"{name}-{scope}-{variant}.txt"
            if os.environ.get("MLPATH_WRITE_PLAN_SNAPSHOTS"):
                snapshot.parent.mkdir(parents=True, exist_ok=True)
                snapshot.write_text(result.stdout, encoding="utf-8")
            assert result.stdout == snapshot.read_text(encoding="utf-8"), snapshot.name

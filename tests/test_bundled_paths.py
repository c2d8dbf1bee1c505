"""Bundled paths by name: `mlpath paths`, `mlpath paths use NAME`, `--catalog NAME`.

Progress is one store for every path, keyed by resource id: what a learner did on one
path shows on the other wherever the resource is in both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, payload
from mlpath import bundled_paths
from mlpath.catalog import BUNDLED_PATHS, bundled_catalog_path, catalog_path, chosen_path_name
from mlpath.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]


def bundled_ids(name: str) -> list[str]:
    data = json.loads(Path(bundled_catalog_path(name)).read_text(encoding="utf-8"))
    return [r["id"] for r in data["resources"]]


def listing(run: Run, *args: str) -> dict[str, Any]:
    result = run(*args, "paths", "--json")
    assert result.exit_code == 0, result
    found: dict[str, Any] = payload(result.stdout, "paths")
    return found


def test_the_bundled_files_are_in_the_source_tree() -> None:
    assert bundled_catalog_path() == str(ROOT / "data" / "resources.json")
    assert bundled_catalog_path("2025") == str(ROOT / "data" / "resources-2025.json")
    assert set(BUNDLED_PATHS) == {"2022", "2025"}


def test_paths_lists_both_with_size_hours_and_the_one_in_use(run: Run) -> None:
    found = listing(run)
    by_name = {p["name"]: p for p in found["paths"]}
    assert list(by_name) == ["2022", "2025"]
    assert (
        by_name["2022"]["title"] == "How to start machine learning in 2022 for free, 100% online"
    )
    assert (
        by_name["2025"]["title"] == "Start Machine Learning in 2025 - Become an expert for free!"
    )
    for name, path in by_name.items():
        assert path["resources"] == len(bundled_ids(name))
    assert by_name["2022"]["in_use"] and by_name["2022"]["default"]
    assert not by_name["2025"]["in_use"]
    assert found["chosen_by"] == "default"

    text = run("paths").stdout
    marked = [line for line in text.splitlines() if line.startswith("*  ")]
    assert len(marked) == 1 and marked[0].split()[1] == "2022"
    assert "* in use: 2022, your default." in text


def test_use_makes_a_path_the_default_for_later_commands(run: Run, home: Path) -> None:
    result = run("paths", "use", "2025")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("Your default path is now 2025 · Start Machine Learning")
    assert (home / "default-path").read_text() == "2025\n"

    listed = payload(run("list", "--json").stdout, "list")
    assert [r["id"] for r in listed["resources"]] != bundled_ids("2022")
    assert {r["id"] for r in listed["resources"]} == set(bundled_ids("2025"))
    assert listing(run)["in_use"] == "2025"

    # Back to the default: nothing of ours is left in the data directory.
    assert run("paths", "use", "2022").exit_code == 0
    assert not (home / "default-path").exists()
    assert listing(run)["in_use"] == "2022"


def test_progress_carries_over_when_switching(run: Run) -> None:
    both = set(bundled_ids("2022")) & set(bundled_ids("2025"))
    assert "3b1b-neural-networks" in both
    assert run("done", "3b1b-neural-networks").exit_code == 0

    switched = payload(run("paths", "use", "2025", "--json").stdout, "paths")
    assert switched["path"]["done"] == 1 and switched["changed"] is True
    shown = payload(run("show", "3b1b-neural-networks", "--json").stdout, "show")
    assert shown["status"] == "done"
    counts = {p["name"]: p["done"] for p in listing(run)["paths"]}
    assert counts == {"2022": 1, "2025": 1}


def test_what_only_one_path_has_waits_for_it(run: Run) -> None:
    assert run("--catalog", "2025", "done", "karpathy-micrograd").exit_code == 0
    assert "karpathy-micrograd" not in bundled_ids("2022")
    counts = {p["name"]: p["done"] for p in listing(run)["paths"]}
    assert counts == {"2022": 0, "2025": 1}


def test_catalog_name_picks_a_path_for_one_command_only(run: Run, home: Path) -> None:
    result = run("--catalog", "2025", "show", "karpathy-micrograd")
    assert result.exit_code == 0, result
    assert "Andrej Karpathy" in result.stdout
    assert not (home / "default-path").exists()
    assert run("show", "karpathy-micrograd").exit_code == 1

    found = listing(run, "--catalog", "2025")
    assert found["in_use"] == "2025" and found["chosen_by"] == "--catalog"
    assert [p["name"] for p in found["paths"] if p["default"]] == ["2022"]
    assert "chosen by --catalog; your default is 2022" in run("--catalog", "2025", "paths").stdout


def test_mlpath_catalog_takes_a_name_and_wins_over_the_default(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("paths", "use", "2025").exit_code == 0
    monkeypatch.setenv("MLPATH_CATALOG", "2022")
    found = listing(run)
    assert found["in_use"] == "2022" and found["chosen_by"] == "MLPATH_CATALOG"
    assert catalog_path() == bundled_catalog_path("2022")

    said = run("paths", "use", "2025")
    assert "This command used MLPATH_CATALOG, which still wins" in said.stdout


def test_a_catalog_file_still_works_and_is_no_bundled_path(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLPATH_CATALOG")
    assert run("paths", "use", "2025").exit_code == 0
    found = listing(run, "--catalog", str(mini_catalog))
    assert found["in_use"] is None
    assert found["catalog_file"] == str(mini_catalog)
    assert (
        f"none: this command uses {mini_catalog}"
        in run("--catalog", str(mini_catalog), "paths").stdout
    )
    shown = run("--catalog", str(mini_catalog), "show", "alpha")
    assert shown.exit_code == 0 and "Alpha Intro" in shown.stdout


def test_a_name_wins_over_a_file_of_that_name_and_dot_slash_names_the_file(
    mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini_catalog.parent)
    (mini_catalog.parent / "2025").write_bytes(mini_catalog.read_bytes())
    assert catalog_path("2025") == bundled_catalog_path("2025")
    assert catalog_path("./2025") == "./2025"


def test_an_unknown_path_is_refused_with_the_names(run: Run, home: Path) -> None:
    result = run("paths", "use", "2205")
    assert result.exit_code == 1
    assert "unknown path '2205'" in result.stderr
    assert "the bundled paths are 2022, 2025" in result.stderr
    assert not (home / "default-path").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("paths", "show"), "unknown action 'show'"),
        (("paths", "use"), "name the path to follow (2022 or 2025)"),
    ],
)
def test_a_malformed_paths_command_is_a_usage_error(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_default_naming_no_bundled_path_says_how_to_fix_it(run: Run, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "default-path").write_text("2031\n")
    result = run("next")
    assert result.exit_code == 1
    assert "names '2031' as your default path" in result.stderr
    assert "run `mlpath paths use 2022`" in result.stderr
    assert "Traceback" not in result.stderr

    assert run("paths", "use", "2022").exit_code == 0
    assert run("next").exit_code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_the_default_file_is_refused_not_waited_on(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    os.mkfifo(home / "default-path")
    with pytest.raises(CatalogError, match="a FIFO|named pipe|fifo"):
        chosen_path_name()


def test_without_a_default_file_the_choice_costs_no_import() -> None:
    # On the start-up path of every command: reading the choice must stay a stat.
    code = (
        "import sys; before = set(sys.modules);"
        "from mlpath.catalog import catalog_path; catalog_path();"
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('mlpath')))"
    )
    env = {k: v for k, v in os.environ.items() if k != "MLPATH_CATALOG"}
    printed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    new = set(json.loads(printed.replace("'", '"')))
    assert not new & {"json", "pathlib", "re", "typing", "dataclasses", "importlib.resources"}


def test_summaries_count_only_done(home: Path) -> None:
    statuses = {"3b1b-neural-networks": "done", "d2l": "doing", "karpathy-micrograd": "done"}
    found = {s.name: s for s in bundled_paths.summaries(statuses)}
    assert found["2022"].done == 1
    assert found["2025"].done == 2
    assert found["2022"].default and not found["2025"].default


def test_help_says_a_name_or_a_file(run: Run) -> None:
    from typer.testing import CliRunner

    from mlpath.typer_app import app

    page = CliRunner().invoke(app, ["--help"], prog_name="mlpath").output
    assert "2022, 2025" in page and "./2025" in page
    paths_page = CliRunner().invoke(app, ["paths", "--help"], prog_name="mlpath").output
    assert "mlpath paths use 2025" in paths_page


def test_a_name_beside_a_directory_of_that_name_still_names_the_path(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work" / "2025").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    result = run("--catalog", "2025", "show", "karpathy-micrograd")
    assert result.exit_code == 0, result
    refused = run("--catalog", "./2025", "next")
    assert refused.exit_code == 2
    assert "is a directory" in refused.stderr


def test_hours_count_the_same_material_in_two_places_once(home: Path) -> None:
    data = json.loads(Path(bundled_catalog_path("2022")).read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in data["resources"]}
    every = sum(r["minutes"] for r in data["resources"])
    # Each pair of alternatives counts its first resource in path order.
    dropped = by_id["coursera-deep-learning-specialization"]["minutes"]
    dropped += by_id["towards-ai-discord"]["minutes"]
    (summary,) = (s for s in bundled_paths.summaries({}) if s.name == "2022")
    assert summary.minutes == every - dropped


def test_a_chinese_reader_sees_each_path_by_a_chinese_title(run: Run) -> None:
    text = run("paths", "--lang", "zh").stdout
    assert "如何在 2022 年免费开始机器学习，100%在线" in text
    assert "2025 年免费开始机器学习——免费成为专家！（Start Machine Learning in 2025）" in text
    assert "Start Machine Learning in 2025 - Become an expert for free!" not in text

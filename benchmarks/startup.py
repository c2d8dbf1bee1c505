"""Start-up benchmark: how much slower than a bare `python -c pass` each command is.

Run with the project's virtualenv:  python benchmarks/startup.py
By default it builds a wheel of this checkout, installs it (without dependencies)
into a fresh virtualenv that borrows this interpreter's installed packages, and
times that install: an editable install under PYTHONDONTWRITEBYTECODE recompiles
mlpath on every run and would measure the wrong thing. `--mlpath PATH` times an
existing `mlpath` executable instead.

Each command is run alternately with `python -c pass` by the same interpreter, after
warm-up runs; the figures are the median wall time, the median of the paired ratios
(command / bare start, measured back to back, so machine noise mostly cancels), and
the peak resident memory of the command's process (from os.wait4's rusage).
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# command -> ratio targets (bundled, big); None: measured, no target set for it.
TARGETS: dict[str, tuple[float, float] | None] = {
    "next": (2.0, 2.5),
    "next --short": (2.0, 2.5),
    "next --json": None,
    "done ID": (8.0, 9.0),
    "list --free (piped)": (8.0, 15.0),
    "progress": (10.0, 15.0),
    "--help": (10.0, 15.0),
    # Not mlpath: what pip's console-script wrapper costs before mlpath's code runs
    # (it imports `re`), for reading the figures above.
    "(wrapper floor) python -c 'import re'": None,
}
NEXT_MEMORY_MB = 25.0


@dataclass
class Figure:
    label: str
    median_ms: float
    ratio: float
    peak_mb: float


# Runs inside a small separate interpreter: a child's peak RSS counts its parent's at
# the moment it was started (Linux carries the high-water mark across fork and exec),
# so the processes under test must not be started by this script, which grows large
# while it generates the 10,000-resource catalog.
RUNNER = r"""
import json, os, subprocess, sys, time
plan = json.loads(sys.stdin.read())
results = []
for argv, env in plan:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    results.append([elapsed, 0, proc.returncode, err.decode(errors="replace")[-300:]])
print(json.dumps(results))
"""
# communicate() reaps the child itself, so peak memory is taken separately, with
# wait4 on a process that is only read after it exits.
PEAK = r"""
import json, os, subprocess, sys
argv, env = json.loads(sys.stdin.read())
with open(os.devnull, "wb") as sink:
    actions = [(os.POSIX_SPAWN_DUP2, sink.fileno(), 1)]
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
print(json.dumps([usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)]))
"""


def runner(python: str, script: str, payload: object) -> object:
    done = subprocess.run(
        [python, "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def measure(
    label: str,
    argv: list[str],
    baseline: list[str],
    env: dict[str, str],
    runs: int,
    after: list[str] | None = None,
) -> Figure:
    python = baseline[0]
    plan: list[tuple[list[str], dict[str, str]]] = []
    for _ in range(3 + runs):  # three warm-up rounds: file caches, the catalog cache
        plan.append((baseline, env))
        plan.append((argv, env))
        if after:
            plan.append((after, env))
    results = runner(python, RUNNER, plan)
    assert isinstance(results, list)
    for (run_argv, _), (_, _, code, err) in zip(plan, results, strict=True):
        if code != 0:
            raise SystemExit(f"{' '.join(run_argv)} failed ({code}): {err}")
    step = 3 if after else 2
    rounds = [results[i : i + step] for i in range(0, len(results), step)][3:]
    times = [r[1][0] for r in rounds]
    ratios = [r[1][0] / r[0][0] for r in rounds]
    peaks = []
    for _ in range(3):
        measured = runner(python, PEAK, (argv, env))
        assert isinstance(measured, list)
        if after:
            runner(python, RUNNER, [(after, env)])
        peaks.append(float(measured[0]))
    return Figure(label, statistics.median(times) * 1000, statistics.median(ratios), max(peaks))


def build_wheel_install(workdir: Path) -> Path:
    """Build a wheel of this checkout and install it into a fresh venv; its `mlpath`."""
    wheels = workdir / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Borrow typer, rich, pydantic and platformdirs from the interpreter running this.
    Path(site, "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(wheels.glob("mlpath-*.whl"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    return venv / "bin" / "mlpath"


def generate_catalog(path: Path, resources: int, seed: int = 7) -> list[str]:
    """A deterministic catalog of `resources` entries in 20 sections; returns the ids."""
    rng = random.Random(seed)
    kinds = ["video", "lectures", "course", "article", "book", "exercises", "community"]
    sections = [
        {"id": f"section-{s}", "title": f"Section {s}", "summary": f"Generated section {s}."}
        for s in range(20)
    ]
    ids = [f"res-{i:05d}" for i in range(resources)]
    entries = []
    for i, rid in enumerate(ids):
        prereqs = [ids[i - rng.randint(1, 50)]] if i > 50 and rng.random() < 0.2 else []
        entries.append(
            {
                "id": rid,
                "title": f"Generated resource {i}",
                "section": sections[i * 20 // resources]["id"],
                "url": f"https://example.org/{rid}",
                "kind": rng.choice(kinds),
                "cost": "paid" if rng.random() < 0.2 else "free",
                "minutes": rng.randint(10, 3000),
                "prerequisites": prereqs,
                "description": f"Generated resource number {i} for the benchmark.",
                "tags": ["generated", f"tag-{i % 37}"],
            }
        )
    catalog = {
        "schema_version": 1,
        "source": {
            "title": "Generated",
            "author": "benchmarks/startup.py",
            "url": "https://example.org/",
        },
        "sections": sections,
        "resources": entries,
    }
    path.write_text(json.dumps(catalog), encoding="utf-8")
    return ids


def generate_history(mlpath: Path, env: dict[str, str], ids: list[str], changes: int) -> None:
    """Write `changes` changes through mlpath's own store, via the installed package."""
    script = r"""
import random, sys, time
from mlpath.store import Change, open_store
from mlpath.paths import progress_db
ids, count = sys.argv[1].split(","), int(sys.argv[2])
rng = random.Random(11)
store = open_store(progress_db(), create=True)
batch, day = [], 1_700_000_000
statuses = ("doing", "done", "done", "skipped", "todo")
for n in range(count):
    # Learners mostly move forward: pick ids near a front that advances with n.
    front = int(len(ids) * 0.6 * n / count)
    rid = ids[max(0, min(len(ids) - 1, front + rng.randint(-40, 40)))]
    seconds = day + n * 300
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{n % 1000000:06d}Z"
    uid = f"{rng.getrandbits(128):032x}"
    if rng.random() < 0.1:
        batch.append(Change(0, uid, stamp, rid, "note", None, "a note", None))
    else:
        batch.append(Change(0, uid, stamp, rid, "status", rng.choice(statuses), None, None))
store.merge(batch)
store.close()
"""
    python = mlpath.parent / "python"
    subprocess.run([str(python), "-c", script, ",".join(ids), str(changes)], env=env, check=True)


def scenario_figures(
    name: str, mlpath: Path, env: dict[str, str], done_id: str, runs: int
) -> list[Figure]:
    python = str(mlpath.parent / "python")
    baseline = [python, "-c", "pass"]
    exe = [str(mlpath)]
    commands: list[tuple[str, list[str], list[str] | None]] = [
        ("next", [*exe, "next"], None),
        ("next --short", [*exe, "next", "--short"], None),
        ("next --json", [*exe, "next", "--json"], None),
        ("done ID", [*exe, "done", done_id], [*exe, "undo"]),
        ("list --free (piped)", [*exe, "list", "--free"], None),
        ("progress", [*exe, "progress"], None),
        ("--help", [*exe, "--help"], None),
        ("(wrapper floor) python -c 'import re'", [python, "-c", "import re"], None),
    ]
    figures = []
    for label, argv, after in commands:
        figures.append(measure(label, argv, baseline, env, runs, after))
        print(f"  measured {name}: {label}", file=sys.stderr)
    return figures


def report(results: dict[str, list[Figure]]) -> bool:
    names = list(results)
    print()
    print("| command | " + " | ".join(f"{n}: median ms | ratio | peak MB" for n in names) + " |")
    print("|---|" + "---|---|---|" * len(names))
    ok = True
    rows: dict[str, list[Figure]] = {}
    for figures in results.values():
        for figure in figures:
            rows.setdefault(figure.label, []).append(figure)
    for label, figures in rows.items():
        cells = []
        targets = TARGETS[label]
        for index, figure in enumerate(figures):
            target = targets[index] if targets else None
            within = target is None or figure.ratio <= target
            memory_ok = label not in ("next", "next --short") or figure.peak_mb <= NEXT_MEMORY_MB
            ok = ok and within and memory_ok
            goal = f" (≤{target:g})" if target is not None else ""
            mark = "" if within else " ✗"
            mem_mark = "" if memory_ok else " ✗"
            cells.append(
                f"{figure.median_ms:.1f} | {figure.ratio:.2f}×{goal}{mark} | "
                f"{figure.peak_mb:.1f}{mem_mark}"
            )
        name = label if label.startswith("(") else f"`mlpath {label}`"
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print(f"peak memory target for `mlpath next`: ≤ {NEXT_MEMORY_MB:g} MB")
    print("all within target" if ok else "SOME FIGURES MISS THEIR TARGET")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mlpath", type=Path, help="an installed mlpath executable to time")
    parser.add_argument("--runs", type=int, default=21, help="paired runs per command")
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlpath-bench-") as tmp:
        workdir = Path(tmp)
        mlpath = args.mlpath or build_wheel_install(workdir)
        base_env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("MLPATH_") and k not in ("NO_COLOR", "COLUMNS")
        }
        results: dict[str, list[Figure]] = {}

        bundled = {**base_env, "MLPATH_HOME": str(workdir / "home-bundled")}
        bundled["MLPATH_CACHE_DIR"] = str(workdir / "cache")
        catalog_ids = json.loads(
            subprocess.run(
                [str(mlpath), "list", "--json"], env=bundled, check=True, capture_output=True
            ).stdout
        )
        ids = [entry["id"] for entry in catalog_ids]
        generate_history(mlpath, bundled, ids, 50)
        print(f"scenario bundled: {len(ids)} resources, 50 changes", file=sys.stderr)
        results["bundled"] = scenario_figures("bundled", mlpath, bundled, ids[-1], args.runs)

        big_catalog = workdir / "big.json"
        big_ids = generate_catalog(big_catalog, args.resources)
        big = {**bundled, "MLPATH_HOME": str(workdir / "home-big")}
        big["MLPATH_CATALOG"] = str(big_catalog)
        generate_history(mlpath, big, big_ids, args.changes)
        print(f"scenario big: {args.resources} resources, {args.changes} changes", file=sys.stderr)
        results[f"{args.resources // 1000}k/{args.changes // 1000}k"] = scenario_figures(
            "big", mlpath, big, big_ids[-1], args.runs
        )
        ok = report(results)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

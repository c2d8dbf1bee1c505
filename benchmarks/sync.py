"""Sync benchmark: how much slower than a bare `python -c pass` a sync that finds nothing
new is, with five machines' logs of 100,000 changes each in the shared folder.

Run with the project's virtualenv:  python benchmarks/sync.py
As benchmarks/startup.py, it builds a wheel of this checkout and installs it into a
fresh virtualenv (`--mlpath PATH` times an existing `mlpath` instead), on a generated
catalog of 10,000 resources. This machine's store holds a generated history of
`--changes` changes; the other machines' logs are written with mlpath's own log writer
(mlpath.sync_log) from generated histories of as many changes. One untimed
`mlpath sync DIR` then writes this machine's log and merges the others' (a minute or
two); the timed runs are syncs with nothing new, each paired with `python -c pass`
(median of the paired ratios, as startup.py measures). Target (issue 17): ≤ 3×.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from harness import (
    Bench,
    base_env,
    build_wheel_install,
    generate_catalog,
    history_rows,
    make_store,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from mlpath import sync_log  # noqa: E402
from mlpath.store import stamp_micros  # noqa: E402

TARGET = 3.0
RESOURCES = 10_000


def write_peer_log(folder: Path, machine: str, ids: list[str], changes: int, seed: int) -> None:
    """A log as machine `machine` would have written it for a generated history."""
    rng = random.Random(seed)
    rows = []
    end = time.time() - 3600
    for n, (uid, at, resource, action, status, note, reverts) in enumerate(
        history_rows(ids, changes, 200, 0, seed, end)
    ):
        micros = stamp_micros(at)
        assert micros is not None
        unit = f"{rng.getrandbits(128):032x}"
        label = f"{action} {resource}"
        rows.append(
            (n, uid, at, micros, unit, label, at, resource, action, status, note, reverts, 0)
        )
    data = sync_log.header_line(machine) + sync_log.change_lines(rows)
    (folder / sync_log.log_name(machine)).write_bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mlpath", type=Path, help="time this mlpath instead of a fresh wheel")
    parser.add_argument("--machines", type=int, default=5, help="machines, this one included")
    parser.add_argument("--changes", type=int, default=100_000, help="changes per machine")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlpath-sync-bench-") as tmp:
        work = Path(tmp)
        mlpath = args.mlpath or build_wheel_install(work)
        catalog = work / "catalog.json"
        ids = generate_catalog(catalog, RESOURCES)
        home, folder = work / "home", work / "shared"
        folder.mkdir()
        env = base_env() | {
            "MLPATH_HOME": str(home),
            "MLPATH_CACHE_DIR": str(work / "cache"),
            "MLPATH_CATALOG": str(catalog),
        }
        python = str(mlpath.parent / "python")
        print(f"generating {args.machines} histories of {args.changes:,} changes…", flush=True)
        make_store(python, env, home / "progress.db", ids, args.changes, 200)
        for n in range(1, args.machines):
            write_peer_log(folder, f"{n:016x}", ids, args.changes, seed=100 + n)
        bench = Bench(mlpath, {"sync": env})
        started = time.perf_counter()
        first = bench.run([str(mlpath), "sync", str(folder)], "sync", timeout=3600)
        summary = str(first[7]).strip().splitlines()[-1]  # the line of counts
        print(f"first sync (untimed): {time.perf_counter() - started:.1f} s — {summary}")
        figure = bench.measure("sync (nothing new)", [str(mlpath), "sync"], "sync", args.runs)
        if figure.error:
            print(f"sync (nothing new): {figure.error}")
            return 1
        verdict = "within" if figure.ratio <= TARGET else "OVER"
        print(
            f"sync (nothing new), {args.machines} machines × {args.changes:,} changes: "
            f"{figure.median_ms:.1f} ms, {figure.ratio:.2f}× python -c pass "
            f"(target ≤ {TARGET:g}×: {verdict}), peak {figure.peak_mb:.1f} MB"
        )
        print(f"  its output: {figure.output.strip()}")
        return 0 if figure.ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""First-paint benchmark of `mlpath ui`: how long until the whole first screen is drawn.

Run with the project's virtualenv:  python benchmarks/ui_start.py
It times the mlpath installed in this virtualenv (`--mlpath PATH` for another
executable; an editable install is fine here: Textual, not mlpath's own modules,
dominates). Each run starts `mlpath ui` in a pseudo-terminal of 120×40, reads what it
draws until the footer's last key (`q quit`) and the first resource's title have both
arrived, which is the moment a person sees the screen, then presses q. Runs alternate
with `python -c pass` started the same way, so the paired ratio (first paint / bare
interpreter start) cancels most machine noise, as benchmarks/startup.py does.

Two scenarios: the bundled catalog with 50 changes, and a generated catalog of 10,000
resources with 100,000 changes (benchmarks/harness.py builds both). Targets (issue 15):
first screen within 0.5 s on the bundled catalog and 1.5 s on the 10k catalog (median
wall time). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import base_env, generate_catalog, make_store

RUNS = 7
HISTORY_START = 1_700_000_000
TARGETS = {"bundled": 0.5, "10k/100k": 1.5}
DRAWN = b"quit"  # the footer's last word: the screen is complete
TIMEOUT = 60.0


def in_terminal(argv: list[str], env: dict[str, str], wanted: list[bytes]) -> float:
    """Seconds from starting `argv` in a 120×40 pseudo-terminal until every `wanted`
    has been drawn (or, with nothing wanted, until it exits). Then `q`, and a wait."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    seen = b""
    elapsed: float | None = None
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:
                    break
                seen += chunk
                if wanted and all(w in seen for w in wanted):
                    elapsed = time.perf_counter() - start
                    os.write(master, b"q")
                    break
            elif process.poll() is not None:
                break
        if not wanted:
            process.wait(TIMEOUT)
            elapsed = time.perf_counter() - start
        # Drain until it has gone (its last writes must not block it).
        deadline = time.perf_counter() + TIMEOUT
        while process.poll() is None and time.perf_counter() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 1 << 16)
                except OSError:
                    break
        process.wait(TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    if elapsed is None:
        raise RuntimeError(f"{' '.join(argv)}: the first screen never arrived: {seen[-300:]!r}")
    return elapsed


def measure(mlpath: str, env: dict[str, str], title: str, runs: int) -> tuple[float, float]:
    """(median seconds to the first screen, median paired ratio to `python -c pass`)."""
    python = [sys.executable, "-c", "pass"]
    view = [mlpath, "ui"]
    wanted = [DRAWN, title.encode("utf-8")]
    for _ in range(2):  # warm-up: caches, the catalog cache file
        in_terminal(view, env, wanted)
        in_terminal(python, env, [])
    times, ratios = [], []
    for _ in range(runs):
        bare = in_terminal(python, env, [])
        painted = in_terminal(view, env, wanted)
        times.append(painted)
        ratios.append(painted / bare)
    return statistics.median(times), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mlpath", type=Path, help="an installed mlpath executable to time")
    parser.add_argument("--runs", type=int, default=RUNS, help="paired runs per scenario")
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=100_000)
    args = parser.parse_args()
    mlpath = str(args.mlpath or shutil.which("mlpath", path=str(Path(sys.executable).parent)))
    with tempfile.TemporaryDirectory(prefix="mlpath-ui-bench-") as tmp:
        workdir = Path(tmp)
        env = {**base_env(), "MLPATH_CACHE_DIR": str(workdir / "cache"), "TERM": "xterm-256color"}
        bundled = {**env, "MLPATH_HOME": str(workdir / "home-bundled")}
        listing = subprocess.run(
            [mlpath, "list", "--json"], env=bundled, capture_output=True, check=True
        ).stdout
        resources = json.loads(listing)["result"]["resources"]
        big_catalog = workdir / "big.json"
        big_ids = generate_catalog(big_catalog, args.resources)
        big = {
            **env,
            "MLPATH_HOME": str(workdir / "home-big"),
            "MLPATH_CATALOG": str(big_catalog),
        }
        big_name = f"{args.resources // 1000}k/{args.changes // 1000}k"
        scenarios = [
            ("bundled", bundled, [r["id"] for r in resources], 50, resources[0]["title"]),
            (big_name, big, big_ids, args.changes, "Neural networks, part 0"),
        ]
        print(f"mlpath ui, time to the first screen (120×40, median of {args.runs})")
        print(f"{'scenario':<12} {'first paint':>12} {'× python -c pass':>18}  target")
        missed = []
        for name, scenario_env, ids, changes, title in scenarios:
            span = changes * 300
            make_store(
                sys.executable,
                scenario_env,
                Path(scenario_env["MLPATH_HOME"]) / "progress.db",
                ids,
                changes,
                days=span // 86_400 + 1,
                end=HISTORY_START + span,
            )
            seconds, ratio = measure(mlpath, scenario_env, title, args.runs)
            target = TARGETS.get(name)
            verdict = "(no target)" if target is None else f"≤ {target:g} s"
            if target is not None and seconds > target:
                verdict += "  MISSED"
                missed.append(name)
            print(f"{name:<12} {seconds:>10.3f} s {ratio:>17.1f}×  {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

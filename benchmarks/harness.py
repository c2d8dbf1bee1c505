"""Shared parts of the benchmarks: install mlpath, time processes, make catalogs and stores.

Used by benchmarks/startup.py and benchmarks/scale.py; only the standard library.

Run as a script by the interpreter of the mlpath under test (`python harness.py
gen-store ...`), it writes a generated history into a progress store: see
:func:`generate_store`.
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
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

# Runs in a small separate interpreter. A child's peak RSS counts its parent's high-water
# mark at the moment it was spawned (Linux carries it across fork and exec), so the
# processes under test must not be started by the benchmark, which grows large while it
# generates catalogs; and this runner keeps no more than one chunk of output in memory.
# Each step is {"run": argv, "env": name, "timeout": s, "terminal": [columns, rows] or
# None}, {"copy": [src, dst]} or
# {"rmtree": path}; a run gives [seconds, seconds to the first line, peak MB, exit code
# (None on timeout), stderr tail, stdout head, stdout bytes, stdout tail].
RUNNER = r"""
import json, os, select, shutil, signal, sys, tempfile, time
plan = json.loads(sys.stdin.read())
envs, steps = plan["envs"], plan["steps"]
results = []
for step in steps:
    if "copy" in step:
        src, dst = step["copy"]
        for suffix in ("-wal", "-shm"):
            if os.path.exists(dst + suffix):
                os.unlink(dst + suffix)
        shutil.copyfile(src, dst)
        results.append(None)
        continue
    if "rmtree" in step:
        shutil.rmtree(step["rmtree"], ignore_errors=True)
        results.append(None)
        continue
    argv, env, timeout = step["run"], envs[step["env"]], step.get("timeout") or 1e9
    err = tempfile.TemporaryFile()
    terminal = step.get("terminal")
    if terminal:
        # A pseudo-terminal of [columns, rows] for stdin, stdout and stderr, as a
        # person's: the command lays its output out for it.
        import fcntl, pty, struct, termios
        rfd, wfd = pty.openpty()
        fcntl.ioctl(wfd, termios.TIOCSWINSZ, struct.pack("HHHH", terminal[1], terminal[0], 0, 0))
        actions = [(os.POSIX_SPAWN_DUP2, wfd, 0), (os.POSIX_SPAWN_DUP2, wfd, 1),
                   (os.POSIX_SPAWN_DUP2, wfd, 2)]
    else:
        null = os.open(os.devnull, os.O_RDONLY)
        rfd, wfd = os.pipe()
        actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, wfd, 1),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    os.close(wfd)
    if not terminal:
        os.close(null)
    first, head, tail, size, timed_out = None, b"", b"", 0, False
    while True:
        left = start + timeout - time.perf_counter()
        if left <= 0 or not select.select([rfd], [], [], left)[0]:
            os.kill(pid, signal.SIGKILL)
            timed_out = True
            break
        try:
            chunk = os.read(rfd, 65536)
        except OSError:  # a pseudo-terminal whose other end has closed: Linux says EIO
            chunk = b""
        if not chunk:
            break
        if first is None and b"\n" in chunk:
            first = time.perf_counter() - start
        if len(head) < 400:
            head += chunk[: 400 - len(head)]
        tail = (tail + chunk)[-400:]
        size += len(chunk)
    os.close(rfd)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    err.seek(0, 2)
    err.seek(max(0, err.tell() - 400))
    errors = err.read().decode(errors="replace")
    err.close()
    code = None if timed_out else os.waitstatus_to_exitcode(status)
    results.append([elapsed, first if first is not None else elapsed, usage.ru_maxrss / 1024,
                    code, errors, head.decode(errors="replace"), size,
                    tail.decode(errors="replace")])
print(json.dumps(results))
"""


@dataclass
class Figure:
    """What one command measured: medians over the timed runs, or why it failed."""

    label: str
    median_ms: float = 0.0
    ratio: float = 0.0
    first_line_ms: float = 0.0
    first_line_ratio: float = 0.0
    peak_mb: float = 0.0
    runs: int = 0
    output: str = ""
    output_tail: str = ""
    error: str | None = None
    extra: dict[str, float] = field(default_factory=dict)


Step = dict[str, object]


def run_step(
    argv: list[str],
    env: str,
    timeout: float | None = None,
    terminal: tuple[int, int] | None = None,
) -> Step:
    """Run `argv`; `terminal`: in a pseudo-terminal of (columns, rows) instead of into a
    pipe (its first line is then the first the screen shows)."""
    return {"run": argv, "env": env, "timeout": timeout, "terminal": terminal}


def copy_step(src: Path, dst: Path) -> Step:
    """Put a pristine copy of a store in place (its -wal and -shm files removed first)."""
    return {"copy": [str(src), str(dst)]}


def rmtree_step(path: Path) -> Step:
    return {"rmtree": str(path)}


class Bench:
    """Times commands of one installed mlpath, paired with `python -c pass`."""

    def __init__(self, mlpath: Path, envs: dict[str, dict[str, str]]) -> None:
        self.mlpath = mlpath
        self.python = str(mlpath.parent / "python")
        self.baseline = [self.python, "-c", "pass"]
        self.envs = envs

    def run_plan(self, steps: list[Step]) -> list[Any]:
        done = subprocess.run(
            [self.python, "-c", RUNNER],
            input=json.dumps({"envs": self.envs, "steps": steps}),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"the benchmark runner failed: {done.stderr[-2000:]}")
        results: list[Any] = json.loads(done.stdout)
        return results

    def run(self, argv: list[str], env: str, timeout: float | None = None) -> list[Any]:
        """Run one command (untimed setup); SystemExit if it fails."""
        result: list[Any] = self.run_plan([run_step(argv, env, timeout)])[0]
        assert result is not None
        if result[3] != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({result[3]}): {result[4]}")
        return result

    def measure(
        self,
        label: str,
        argv: list[str],
        env: str,
        runs: int,
        warmups: int = 3,
        before: list[Step] | None = None,
        after: list[Step] | None = None,
        timeout: float | None = None,
        paired: bool = True,
        terminal: tuple[int, int] | None = None,
    ) -> Figure:
        """Median time, median paired ratio to `python -c pass`, peak RSS of the timed runs
        (`terminal`: each run in a pseudo-terminal of that size, see run_step).

        Each round runs `before` (untimed), the bare start, the command, then `after`
        (untimed); the first `warmups` rounds are not counted (file caches, the catalog
        cache). A failing or timed-out run ends the measurement with `error` set.
        """
        steps: list[Step] = []
        marks: list[tuple[int, int]] = []  # (index of the baseline run, of the command run)
        for _ in range(warmups + runs):
            steps += before or []
            base = len(steps)
            if paired:
                steps.append(run_step(self.baseline, env))
            steps.append(run_step(argv, env, timeout, terminal))
            marks.append((base, len(steps) - 1))
            steps += after or []
        results = self.run_plan(steps)
        for step, result in zip(steps, results, strict=True):
            if result is None or "run" not in step:
                continue
            code = result[3]
            if code != 0:
                what = f"timed out after {timeout:g} s" if code is None else f"exit {code}"
                command = step["run"]
                assert isinstance(command, list)
                name = "mlpath " + " ".join(command[1:]) if command[0] == str(self.mlpath) else ""
                message = str(result[4]).strip().splitlines()
                return Figure(label, error=f"{name or command} {what}: {' '.join(message[-2:])}")
        ratios, times, firsts, first_ratios, peaks = [], [], [], [], []
        for base, index in marks[warmups:]:
            run = results[index]
            assert run is not None
            elapsed, first, peak = float(run[0]), float(run[1]), float(run[2])
            times.append(elapsed)
            firsts.append(first)
            peaks.append(peak)
            if paired:
                bare = results[base]
                assert bare is not None
                ratios.append(elapsed / float(bare[0]))
                first_ratios.append(first / float(bare[0]))
        last = results[marks[-1][1]]
        assert last is not None
        return Figure(
            label,
            median_ms=statistics.median(times) * 1000,
            ratio=statistics.median(ratios) if ratios else 0.0,
            first_line_ms=statistics.median(firsts) * 1000,
            first_line_ratio=statistics.median(first_ratios) if first_ratios else 0.0,
            peak_mb=max(peaks),
            runs=runs,
            output=str(last[5]),
            output_tail=str(last[7]),
        )


def build_wheel_install(workdir: Path) -> Path:
    """Build a wheel of this checkout and install it into a fresh venv; its `mlpath`.

    An editable install under PYTHONDONTWRITEBYTECODE recompiles mlpath on every run
    and would measure the wrong thing.
    """
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


def base_env() -> dict[str, str]:
    """This environment without mlpath's settings, and with a browser that does nothing.

    BROWSER is honoured everywhere by `mlpath open` (and Python's webbrowser tries it
    first), so `true` stands in for the browser; without a display nothing else is tried.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MLPATH_")
        and k not in ("NO_COLOR", "COLUMNS", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    }
    env["BROWSER"] = shutil.which("true") or "/bin/true"
    return env


TOPICS = (
    "Neural networks",
    "Linear algebra",
    "Probability and statistics",
    "Gradient descent",
    "Transformers",
    "Reinforcement learning",
    "Convolutional networks",
    "Decision trees",
    "Bayesian inference",
    "Python for data",
)
# The same topics as a Chinese title names them (the catalog's `title_zh`).
TOPICS_ZH = (
    "神经网络",
    "线性代数",
    "概率与统计",
    "梯度下降",
    "Transformer 模型",
    "强化学习",
    "卷积神经网络",
    "决策树",
    "贝叶斯推断",
    "用于数据的 Python",
)


def generate_catalog(
    path: Path, resources: int, seed: int = 7, parts: int = 0, chinese: bool = False
) -> list[str]:
    """A deterministic catalog of `resources` entries in 20 sections, each with `parts`
    parts (their minutes adding up to the resource's, as validation wants); the ids.

    With `chinese`, every resource also has a Chinese title and description (as the
    bundled catalog's `title_zh` and `description_zh`), naming its topic in Chinese:
    the same catalog otherwise, so that Chinese queries have something to find.
    """
    rng = random.Random(seed)
    kinds = ["video", "lectures", "course", "article", "book", "exercises", "community"]
    sections = [
        {"id": f"section-{s}", "title": f"Section {s}", "summary": f"Generated section {s}."}
        for s in range(20)
    ]
    ids = [f"res-{i:06d}" for i in range(resources)]
    entries: list[dict[str, object]] = []
    for i, rid in enumerate(ids):
        prereqs = [ids[i - rng.randint(1, 50)]] if i > 50 and rng.random() < 0.2 else []
        topic = TOPICS[i % len(TOPICS)]
        entries.append(
            {
                "id": rid,
                "title": f"{topic}, part {i}",
                "section": sections[i * 20 // resources]["id"],
                "url": f"https://example.org/{rid}",
                "kind": rng.choice(kinds),
                "cost": "paid" if rng.random() < 0.2 else "free",
                "minutes": rng.randint(10, 3000),
                "prerequisites": prereqs,
                "description": f"Generated resource number {i} about {topic.lower()}.",
                "tags": ["generated", f"tag-{i % 37}"],
            }
        )
        if chinese:
            topic_zh = TOPICS_ZH[i % len(TOPICS_ZH)]
            entries[-1]["title_zh"] = f"{topic_zh}，第 {i} 部分"
            entries[-1]["description_zh"] = f"关于{topic_zh}的第 {i} 个生成资源。"
        if parts:
            total = max(rng.randint(10, 3000), parts)
            entries[-1]["minutes"] = total
            share, extra = divmod(total, parts)
            entries[-1]["parts"] = [
                {"id": f"part-{j}", "title": f"Part {j}", "minutes": share + (j <= extra)}
                for j in range(1, parts + 1)
            ]
    catalog = {
        "schema_version": 1,
        "source": {
            "title": "Generated",
            "author": "benchmarks/harness.py",
            "url": "https://example.org/",
        },
        "sections": sections,
        "resources": entries,
    }
    path.write_text(json.dumps(catalog, ensure_ascii=not chinese), encoding="utf-8")
    return ids


def make_store(
    python: str,
    env: dict[str, str],
    db: Path,
    ids: list[str],
    changes: int,
    days: int,
    last_command: int = 0,
    seed: int = 11,
    end: float | None = None,
) -> None:
    """Generate a store with the interpreter of the mlpath under test (see generate_store)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    ids_file = db.with_name(db.name + ".ids")
    ids_file.write_text("\n".join(ids), encoding="utf-8")
    subprocess.run(
        [
            python,
            str(Path(__file__).resolve()),
            "gen-store",
            str(db),
            str(ids_file),
            str(changes),
            str(days),
            str(last_command),
            str(seed),
            str(end if end is not None else time.time() - 60),
        ],
        env=env,
        check=True,
    )


# --- run by the interpreter under test ------------------------------------------------


Row = tuple[str, str, str, str, str | None, str | None, str | None]


def history_rows(
    ids: list[str], changes: int, days: int, last_command: int, seed: int, end: float
) -> Iterator[Row]:
    """Rows (uid, at, resource, action, status, note, reverts), oldest first.

    `changes` changes spread evenly over `days` days ending at `end` (a Unix time), so
    every day has one: ending a minute ago, a streak of `days` days. 10% are notes,
    0.2% undos of the change before.
    The last `last_command` of them share one timestamp: one command (like `skip
    --section`) that marked that many resources done, for `undo` to take back.
    """
    rng = random.Random(seed)
    statuses = ("doing", "done", "done", "skipped", "todo")
    end_us = int(end * 1_000_000)
    day_us = 86_400_000_000
    last_day = end_us - end_us % day_us
    first_day = last_day - (days - 1) * day_us
    ordinary = changes - last_command
    per_day = [0] * days
    for n in range(ordinary):
        per_day[n * days // max(ordinary, 1)] += 1
    previous: tuple[str, str] | None = None
    n = 0
    for day, count in enumerate(per_day):
        start = first_day + day * day_us
        span = (end_us if day == days - 1 else start + day_us) - start
        for j in range(count):
            at_us = start + span * j // count
            front = int(len(ids) * 0.6 * n / max(ordinary, 1))
            rid = ids[max(0, min(len(ids) - 1, front + rng.randint(-40, 40)))]
            uid = f"{rng.getrandbits(128):032x}"
            roll = rng.random()
            if roll < 0.002 and previous is not None:
                yield (uid, stamp(at_us), previous[1], "undo", None, None, previous[0])
                previous = None
            elif roll < 0.1:
                yield (uid, stamp(at_us), rid, "note", None, "a note", None)
            else:
                yield (uid, stamp(at_us), rid, "status", rng.choice(statuses), None, None)
                previous = (uid, rid)
            n += 1
    at = stamp(end_us + 1)
    for rid in ids[:last_command]:
        yield (f"{rng.getrandbits(128):032x}", at, rid, "status", "done", None, None)


def stamp(micros: int) -> str:
    seconds, rest = divmod(micros, 1_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{rest:06d}Z"


def generate_store(db: Path, rows: Iterable[Row]) -> None:
    """Write generated changes into a new progress store, fast enough for 1M changes.

    The rows are the history's oldest form (uid, at, resource, action, status, note,
    reverts): they go into a store at schema 2 with one executemany, and mlpath's own
    code then opens it, which migrates it to the current schema the way a learner's
    store is migrated (units, clocks, the reverted flag). THIS is the one
    schema-specific part of the benchmarks: if the first two migrations ever change,
    change them here.
    """
    import sqlite3

    from mlpath import store as store_mod

    db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for script in store_mod.MIGRATIONS[:2]:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.executemany(
            "INSERT INTO changes (uid, at, resource, action, status, note, reverts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # Schema 2's `current`: each resource's latest live status change.
        conn.execute(
            "INSERT INTO current (resource, status, since) "
            "SELECT resource, status, at FROM ("
            "  SELECT resource, status, at, row_number() OVER ("
            "    PARTITION BY resource ORDER BY at DESC, seq DESC) AS n"
            "  FROM changes WHERE action = 'status' AND uid NOT IN ("
            "    SELECT reverts FROM changes WHERE reverts IS NOT NULL)"
            ") WHERE n = 1 AND status != 'todo'"
        )
        conn.execute("PRAGMA user_version = 2")
        conn.execute("COMMIT")
    finally:
        conn.close()
    store = store_mod.open_store(db, create=True)  # migrates to the current schema
    assert store is not None
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="Generate a progress store (benchmarks).")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("gen-store")
    gen.add_argument("db", type=Path)
    gen.add_argument("ids", type=Path, help="a file of resource ids, one a line")
    gen.add_argument("changes", type=int)
    gen.add_argument("days", type=int)
    gen.add_argument("last_command", type=int)
    gen.add_argument("seed", type=int)
    gen.add_argument("end", type=float, help="the Unix time of the last change")
    args = parser.parse_args()
    ids = args.ids.read_text(encoding="utf-8").split()
    rows = history_rows(ids, args.changes, args.days, args.last_command, args.seed, args.end)
    generate_store(args.db, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

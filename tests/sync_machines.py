"""Several simulated machines in one test: each its own MLPATH_HOME, run in-process."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

from mlpath import cli
from mlpath import store as store_mod
from mlpath.output.env import Environment


class Machine:
    """One machine: its data directory, and mlpath run there (`clock_offset`: seconds its
    wall clock is off by)."""

    def __init__(self, home: Path, clock_offset: float = 0.0) -> None:
        self.home = home
        self.clock_offset = clock_offset

    def run(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdout=out, stderr=err, stdin=io.StringIO())
        saved_home = os.environ.get("MLPATH_HOME")
        saved_clock = store_mod.wall_clock
        os.environ["MLPATH_HOME"] = str(self.home)
        offset = int(self.clock_offset * 1e9)
        if offset:
            store_mod.wall_clock = lambda: saved_clock() + offset
        try:
            code = cli.run(list(args), env)
        finally:
            store_mod.wall_clock = saved_clock
            if saved_home is None:
                del os.environ["MLPATH_HOME"]
            else:
                os.environ["MLPATH_HOME"] = saved_home
        return code, out.getvalue(), err.getvalue()

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, (args, out, err)
        return out

    def json(self, *args: str) -> Any:
        document = json.loads(self.ok(*args, "--json"))
        assert document["ok"] is True
        return document["result"]

    def uids(self) -> set[str]:
        """Every change uid this machine's store holds."""
        store = store_mod.open_store(self.home / "progress.db", create=False)
        if store is None:
            return set()
        try:
            return {change.uid for change in store.changes()}
        finally:
            store.close()

    def history(self) -> list[dict[str, Any]]:
        """The whole history as `history --json` shows it."""
        return list(self.json("history", "--limit", "1000000")["changes"])

    def log(self, folder: Path) -> Path:
        """This machine's own log in `folder`."""
        state = json.loads((self.home / "sync.json").read_text(encoding="utf-8"))
        return folder / f"mlpath-{state['machine']}.jsonl"

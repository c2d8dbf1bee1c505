"""Three machines with clocks that disagree by hours, random commands and syncs, and a
file-sync tool that copies each machine's folder to the others late, in pieces cut
anywhere, and the same piece again: after a last round every machine shows the same
progress and the same history, and no change of a command that said it succeeded is
missing anywhere."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from sync_machines import Machine

IDS = ["alpha", "beta", "gamma-book", "delta", "alpha/1", "alpha/2"]
COMMANDS = st.one_of(
    st.tuples(st.sampled_from(["done", "start", "skip", "reset"]), st.sampled_from(IDS)),
    st.tuples(st.just("note"), st.sampled_from(IDS[:4]), st.sampled_from(["a", "b c", "笔记"])),
    st.just(("undo",)),
    st.tuples(st.just("goal"), st.just("-w"), st.sampled_from(["2", "5", "9.5"])),
    st.just(("add", "Mine", "--section", "intro")),
    st.just(("parts", "alpha", "--split", "3")),
    st.just(("parts", "beta", "--add", "Quiz")),
)


class ThreeMachines(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="mlpath-sync-"))
        # Each machine's own copy of the shared folder, as a file-sync tool keeps it.
        self.folders = [self.root / f"folder{n}" for n in range(3)]
        for folder in self.folders:
            folder.mkdir()
        # One clock right, one an hour fast, one two hours slow.
        self.machines = [
            Machine(self.root / f"home{n}", offset)
            for n, offset in enumerate((0.0, 3600.0, -7200.0))
        ]
        self.succeeded: set[str] = set()  # changes of commands that said they succeeded
        # Per machine, the changes of each of its own commands, oldest first: what its
        # `undo` takes back, and nothing else.
        self.commands: list[list[set[str]]] = [[], [], []]
        self.taken_back: set[str] = set()

    @rule(n=st.integers(0, 2), command=COMMANDS)
    def command(self, n: int, command: tuple[str, ...]) -> None:
        machine = self.machines[n]
        before = machine.uids()
        code, _, err = machine.run(*command)
        assert "Traceback" not in err
        if command == ("undo",) and not self.commands[n]:
            assert code == 1, "undo took back what another machine did"
        if code != 0:
            return
        gained = machine.uids() - before
        self.succeeded |= gained
        if command == ("undo",):
            self.taken_back |= self.commands[n].pop()
        elif gained:
            self.commands[n].append(gained)

    @rule(n=st.integers(0, 2))
    def sync(self, n: int) -> None:
        code, _, err = self.machines[n].run("sync", str(self.folders[n]))
        assert (code, err) == (0, "")

    # Which log and how much of it as plain numbers, drawn before looking at the folders:
    # logs hold times and random ids, so their names and sizes differ from one run to
    # the next, and a draw shaped by them would make Hypothesis's replays inconsistent.
    @rule(
        source=st.integers(0, 2),
        to=st.integers(0, 2),
        pick=st.integers(0, 1000),
        share=st.integers(0, 1000),
    )
    def copy(self, source: int, to: int, pick: int, share: int) -> None:
        """The tool copies one log from one folder to another: whole, or a first piece."""
        logs = sorted(p.name for p in self.folders[source].iterdir())
        if source == to or not logs:
            return
        name = logs[pick % len(logs)]
        content = (self.folders[source] / name).read_bytes()
        there = self.folders[to] / name
        have = there.stat().st_size if there.exists() else 0
        if self._owner(to) == name or len(content) <= have:
            return  # a machine's own log is newest in its own folder
        cut = have + (len(content) - have) * share // 1000
        there.write_bytes(content[:cut])

    def _owner(self, n: int) -> str | None:
        try:
            return self.machines[n].log(self.folders[n]).name
        except FileNotFoundError:
            return None  # it never synced: it has no log yet

    def teardown(self) -> None:
        try:
            for machine, folder in zip(self.machines, self.folders, strict=True):
                machine.ok("sync", str(folder))
            for source in self.folders:
                for target in self.folders:
                    for log in source.iterdir():
                        there = target / log.name
                        if not there.exists() or there.stat().st_size < log.stat().st_size:
                            shutil.copyfile(log, there)
            for machine, folder in zip(self.machines, self.folders, strict=True):
                code, _, err = machine.run("sync", str(folder))
                assert (code, err) == (0, "")
            first = self.machines[0]
            for other in self.machines[1:]:
                assert other.json("progress") == first.json("progress")
                assert other.history() == first.history()
            for machine in self.machines:
                history = machine.history()
                live = {c["uid"] for c in history} - {c["reverts"] for c in history}
                assert self.succeeded - self.taken_back <= live
                assert not self.taken_back & live
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def test_three_machines_end_up_the_same_and_lose_nothing(mini_catalog: Path) -> None:
    run_state_machine_as_test(
        ThreeMachines,
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )

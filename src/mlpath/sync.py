"""`mlpath sync DIR`: the same history on every machine, through a folder another tool
replicates (Syncthing, Dropbox, a git repository, a USB stick).

Each machine appends what was recorded on it to its own log in DIR (mlpath.sync_log)
and merges the other machines' logs through the store's merge by uid, which is
idempotent: whatever order machines sync in, and however often, they end up holding the
same changes, and the store's order of changes (hybrid logical clock, then uid) gives
them the same statuses. Nothing but this machine's own log is ever written into DIR:
what was read of each log, and this machine's id, are kept in MLPATH_HOME (`sync.json`).

That state only ever lags behind what the store holds, never runs ahead of it: a
crash between a merge and saving the state means a log is read again, changing nothing.
"""

from __future__ import annotations

import os

from mlpath import sync_log
from mlpath.errors import SyncError, SyncFileProblem
from mlpath.i18n import _, ngettext
from mlpath.os_errors import os_reason
from mlpath.paths import data_dir
from mlpath.store import SYNC_LABEL
from mlpath.sync_state import LOCK_FILE, STATE_FILE, Lock, copy_state, load_state, save_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlpath.catalog import Catalog, Part
    from mlpath.importing import StatusChange
    from mlpath.workspace import Workspace

SYNC_DIR_ENV = "MLPATH_SYNC_DIR"
_BATCH = 100_000  # changes written to the own log per write


class PeerLog:
    """Another machine's log as this sync found it: new changes read, and how many of
    them this store lacked."""

    __slots__ = ("file", "imported", "machine", "read")

    def __init__(self, file: str, machine: str, read: int, imported: int) -> None:
        self.file = file
        self.machine = machine
        self.read = read
        self.imported = imported


class SyncReport:
    """What one sync did: this machine's changes it wrote to its log, what it merged
    from each other log, the statuses that moved, and the files it skipped (and why)."""

    __slots__ = (
        "catalog",
        "directory",
        "log",
        "machine",
        "parts",
        "peers",
        "problems",
        "status_changes",
        "written",
    )

    def __init__(
        self,
        directory: str,
        machine: str,
        written: int,
        peers: list[PeerLog],
        status_changes: list[StatusChange],
        problems: list[str],
    ) -> None:
        self.directory = directory
        self.machine = machine
        self.log = sync_log.log_name(machine)
        self.written = written
        self.peers = peers
        self.status_changes = status_changes
        self.problems = problems
        # To name what moved, as `mlpath import` does: the catalog, and by store key
        # the parts that moved (set by whoever shows the report).
        self.catalog: Catalog | None = None
        self.parts: dict[str, Part] = {}

    @property
    def imported(self) -> int:
        return sum(peer.imported for peer in self.peers)

    @property
    def exit_code(self) -> int:
        """1 when a file was skipped (or read again), as for any other error."""
        return 1 if self.problems else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "dir": self.directory,
            "machine": self.machine,
            "log": self.log,
            "written": self.written,
            "imported": self.imported,
            "machines": [
                {"log": p.file, "machine": p.machine, "read": p.read, "imported": p.imported}
                for p in self.peers
            ],
            "status_changes": [
                {"id": s.resource, "from": s.before, "to": s.after} for s in self.status_changes
            ],
            "problems": self.problems,
        }


def sync(ws: Workspace, given: str | None, now: int) -> SyncReport:
    """Write this machine's new changes to its log in the folder, merge the others'.

    `given`: the folder named on the command line (then remembered), else
    MLPATH_SYNC_DIR, else the one remembered. `now`: nanoseconds since 1970, for the
    limit on how far ahead a change may claim to be. Every log is merged in a
    transaction of its own, so one bad file costs nothing of the others.
    """
    home = data_dir()
    try:
        from mlpath import files

        files.make_private_dirs(home)
    except OSError as exc:
        raise SyncError(
            _(
                "cannot keep the sync state in {home}: {reason}; set MLPATH_HOME to a "
                "writable directory"
            ).format(home=home, reason=os_reason(exc))
        ) from None
    with Lock(os.path.join(home, LOCK_FILE)):
        state = load_state(os.path.join(home, STATE_FILE))
        before = copy_state(state)
        directory = _folder(given, state)
        if given is not None:
            state["dir"] = directory
        mine = state["dirs"].setdefault(directory, {})
        own = mine.setdefault("own", {"seq": 0, "size": 0, "tail": "", "lines": 0})
        peers_state: dict[str, Any] = mine.setdefault("peers", {})
        machine = state["machine"]
        own_path = os.path.join(directory, sync_log.log_name(machine))
        problems: list[str] = []
        moved: dict[str, list[str]] = {}
        written = _write_own(ws, own_path, own, machine, now, problems, moved)
        peers = []
        for name in sorted(_names(directory)):
            if name.startswith("."):
                continue  # a file-sync tool's file in transit, git's own, and the like
            other = sync_log.machine_of(name)
            if other is None:
                if sync_log.is_stray(name):
                    problems.append(_stray(directory, name))
                continue
            if other == machine:
                continue
            peer = _read_peer(ws, directory, name, other, peers_state, now, problems, moved)
            if peer is not None:
                peers.append(peer)
        if peers and any(peer.imported for peer in peers):
            # Past what the merges added, so the next sync reads none of it again.
            written += _write_own(ws, own_path, own, machine, now, problems, moved)
        if state != before:
            save_state(os.path.join(home, STATE_FILE), state)
    changes = _status_changes(ws, moved) if moved else []
    return SyncReport(directory, machine, written, peers, changes, problems)


def _folder(given: str | None, state: dict[str, Any]) -> str:
    chosen = given or os.environ.get(SYNC_DIR_ENV) or state.get("dir")
    if not chosen:
        raise SyncError(
            _(
                "no folder to sync with — name one (`mlpath sync DIR`, a folder Syncthing, "
                "Dropbox or git shares between your machines), or set {variable}"
            ).format(variable=SYNC_DIR_ENV)
        )
    directory = os.path.abspath(os.path.expanduser(chosen))
    if not os.path.isdir(directory):
        if os.path.exists(directory):
            message = _(
                "sync folder {directory} is not a folder — name the folder your sync tool shares"
            )
        else:
            message = _(
                "sync folder {directory} does not exist — create it (or name the folder "
                "your sync tool shares) first"
            )
        raise SyncError(message.format(directory=directory))
    return directory


def _names(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError as exc:
        raise SyncError(
            _("sync folder {directory} cannot be read: {reason}").format(
                directory=directory, reason=os_reason(exc)
            )
        ) from None


def _stray(directory: str, name: str) -> str:
    path = os.path.join(directory, name)
    if "conflict" in name.lower():
        return _(
            "skipped {path}: a conflict copy a file-sync tool made; mlpath reads only each "
            "machine's own log (mlpath-<machine id>.jsonl), which holds every change — "
            "delete the copy"
        ).format(path=path)
    return _(
        "skipped {path}: not a log mlpath writes (those are named mlpath-<machine "
        "id>.jsonl) — move it out of the sync folder"
    ).format(path=path)


def _read_peer(
    ws: Workspace,
    directory: str,
    name: str,
    machine: str,
    peers_state: dict[str, Any],
    now: int,
    problems: list[str],
    moved: dict[str, list[str]],
) -> PeerLog | None:
    """Merge what is new in another machine's log, all of it or (with a problem) none."""
    path = os.path.join(directory, name)
    seen = peers_state.get(name) or {"offset": 0, "tail": "", "lines": 0}
    try:
        got = sync_log.read_from(path, path, seen["offset"], seen["tail"])
        if got.restarted:
            problems.append(
                _(
                    "{path} no longer holds what was read from it before (replaced or cut "
                    "short?); it was read again from its start"
                ).format(path=path)
            )
            seen = {"offset": 0, "tail": "", "lines": 0}
        complete, end = got.complete()
        if not complete:
            return PeerLog(name, machine, 0, 0)
        batch = sync_log.parse(complete, seen["lines"] + 1, machine, now, path)
        imported = 0
        if batch.changes:
            imported = _merge(ws, batch, path, moved)
    except SyncFileProblem as exc:
        problems.append(str(exc))
        return None
    earlier = bytes.fromhex(seen["tail"]) if seen["offset"] else b""
    peers_state[name] = {
        "offset": end,
        "tail": sync_log.tail_of(earlier + complete),
        "lines": batch.lines,
    }
    return PeerLog(name, machine, len(batch.changes), imported)


def _merge(ws: Workspace, batch: sync_log.Batch, origin: str, moved: dict[str, list[str]]) -> int:
    """Merge a checked batch as one unit `sync` (which `undo` passes over)."""
    from mlpath.import_quick import bad_definitions
    from mlpath.importing import import_export

    bad = bad_definitions(batch.changes)
    if bad:
        # The batch's changes are its last lines, one a line.
        first = batch.lines - len(batch.changes) + 1
        shown = "; ".join(
            _("line {line}: {problem}").format(line=first + index, problem=problem)
            for index, problem in bad[:5]
        )
        if len(bad) > 5:
            shown = _("{shown} … and {count} more").format(shown=shown, count=len(bad) - 5)
        raise sync_log.problem(origin, shown, _("nothing of it was merged"))
    report = import_export(ws, batch, label=SYNC_LABEL)
    for change in report.status_changes:
        moved.setdefault(change.resource, [change.before, change.after])[1] = change.after
    return report.added


def _write_own(
    ws: Workspace,
    path: str,
    own: dict[str, Any],
    machine: str,
    now: int,
    problems: list[str],
    moved: dict[str, list[str]],
) -> int:
    """Append to this machine's log what was recorded here since the last sync.

    A log that is not as this machine left it (deleted, replaced by an older copy, cut
    short by a crash) is read whole first, and only what it lacks is written.
    """
    if ws.existing_store() is None:
        return 0
    present: set[str] | None = None
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise SyncError(
            _("cannot read this machine's sync log {path}: {reason}").format(
                path=path, reason=os_reason(exc)
            )
        ) from None
    if info is None or info.st_size != own["size"] or not _ends_with(path, own):
        present = _recover_own(ws, path, own, machine, now, problems, moved)
    store = ws.existing_store()  # after a merge there, the store opened for writing
    assert store is not None
    written = 0
    while True:
        rows = store.recorded_here(own["seq"], _BATCH)
        if not rows:
            break
        mine = [row for row in rows if not row[12] and (present is None or row[1] not in present)]
        if mine:
            data = sync_log.change_lines(mine)
            if own["size"] == 0:
                data = sync_log.header_line(machine) + data
                own["lines"] = 1
            try:
                sync_log.append(path, data)
            except OSError as exc:
                raise SyncError(
                    _(
                        "cannot write this machine's sync log {path}: {reason} — check "
                        "that the folder is writable and has room"
                    ).format(path=path, reason=os_reason(exc))
                ) from None
            own["tail"] = sync_log.tail_of(bytes.fromhex(own["tail"]) + data)
            own["size"] += len(data)
            own["lines"] += len(mine)
            written += len(mine)
        own["seq"] = rows[-1][0]
    return written


def _ends_with(path: str, own: dict[str, Any]) -> bool:
    """Whether the log still ends with what this machine last wrote to it."""
    tail = bytes.fromhex(own["tail"])
    if not tail:
        return bool(own["size"] == 0)
    try:
        with open(path, "rb") as handle:
            handle.seek(own["size"] - len(tail))
            return handle.read(len(tail)) == tail
    except OSError:
        return False


def _recover_own(
    ws: Workspace,
    path: str,
    own: dict[str, Any],
    machine: str,
    now: int,
    problems: list[str],
    moved: dict[str, list[str]],
) -> set[str]:
    """Read this machine's own log whole: the uids it holds (the rest is written again).

    Changes in it that this store lacks were written by another machine under the same
    id (an MLPATH_HOME copied over): they are merged, and that is reported.
    """
    own.update(seq=0, size=0, tail="", lines=0)
    if not os.path.exists(path):
        return set()
    try:
        got = sync_log.read_from(path, path, 0, "")
        size = sync_log.cut_partial_line(path, got.size, got.data)
    except OSError as exc:
        raise SyncError(
            _("cannot repair this machine's sync log {path}: {reason}").format(
                path=path, reason=os_reason(exc)
            )
        ) from None
    except SyncFileProblem as exc:
        raise SyncError(sync_log.own_log_problem(exc)) from None
    data = got.data[:size]
    if not data:
        return set()
    try:
        batch = sync_log.parse(data, 1, machine, now, path)
    except SyncFileProblem as exc:
        raise SyncError(sync_log.own_log_problem(exc)) from None
    present = {change.uid for change in batch.changes}
    store = ws.existing_store()
    unknown = present - (store.known_uids(sorted(present)) if store else set())
    if unknown:
        problems.append(
            ngettext(
                "{path} holds {count} change this machine did not write: another machine "
                "syncs under the same id (was MLPATH_HOME copied?) — on one of them, move "
                "{state} out of MLPATH_HOME and sync again; it was merged",
                "{path} holds {count} changes this machine did not write: another machine "
                "syncs under the same id (was MLPATH_HOME copied?) — on one of them, move "
                "{state} out of MLPATH_HOME and sync again; they were merged",
                len(unknown),
            ).format(path=path, count=len(unknown), state=STATE_FILE)
        )
        _merge(ws, batch, path, moved)
    own.update(size=size, tail=sync_log.tail_of(data), lines=batch.lines)
    return present


def _status_changes(ws: Workspace, moved: dict[str, list[str]]) -> list[StatusChange]:
    from mlpath.importing import StatusChange, in_path_order

    found = [StatusChange(key, a, b) for key, (a, b) in moved.items() if a != b]
    in_path_order(ws, found)
    return found

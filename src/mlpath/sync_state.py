"""What `mlpath sync` remembers in MLPATH_HOME (`sync.json`): this machine's id, the
folder last named, and per folder how far this machine's own log was written and each
other log read. Never in the shared folder: only the machine's own log goes there.

A mark of how far a log was read is its offset, its line count, and the last bytes
before the offset (hex), so a file replaced or cut short since is noticed.
"""

from __future__ import annotations

import os

from mlpath import sync_log
from mlpath.errors import SyncError
from mlpath.i18n import _
from mlpath.os_errors import os_reason

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STATE_FILE = "sync.json"
LOCK_FILE = "sync.lock"
STATE_VERSION = 1


def load_state(path: str) -> dict[str, Any]:
    """This machine's id, the folder remembered, and per folder how far each log was
    read; a new id when there is no state yet."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return {"version": STATE_VERSION, "machine": sync_log.new_machine_id(), "dirs": {}}
    except OSError as exc:
        raise SyncError(
            _("cannot read the sync state {path}: {reason}").format(
                path=path, reason=os_reason(exc)
            )
        ) from None
    from mlpath.import_quick import quick_object

    try:
        state = quick_object(raw.decode("utf-8"))
    except UnicodeDecodeError:
        state = None
    if state is None or not _state_holds(state):
        raise SyncError(
            _(
                "the sync state {path} is not one this mlpath reads; move it aside and sync "
                "again (this machine then writes a new log, under a new id)"
            ).format(path=path)
        )
    return state


def _state_holds(state: dict[str, Any]) -> bool:
    """Whether a state read back has every field a sync relies on, of its type."""
    dirs = state.get("dirs")
    if not (
        state.get("version") == STATE_VERSION
        and sync_log.machine_of(sync_log.log_name(str(state.get("machine")))) is not None
        and isinstance(state.get("dir", ""), str)
        and isinstance(dirs, dict)
    ):
        return False
    for mine in dirs.values():
        if not isinstance(mine, dict):
            return False
        own, peers = mine.get("own"), mine.get("peers", {})
        if own is not None and not _is_mark(own, ("size", "seq", "lines")):
            return False
        if not isinstance(peers, dict) or not all(
            _is_mark(seen, ("offset", "lines")) for seen in peers.values()
        ):
            return False
    return True


def _is_mark(value: object, counts: tuple[str, ...]) -> bool:
    """How far a log was read or written: counts from 0, and a tail of hex digits."""
    if not isinstance(value, dict) or value.keys() != {*counts, "tail"}:
        return False
    tail = value["tail"]
    return (
        all(type(value[key]) is int and value[key] >= 0 for key in counts)
        and isinstance(tail, str)
        and len(tail) % 2 == 0
        and not tail.strip("0123456789abcdef")
        and len(tail) // 2 <= min(sync_log.TAIL_BYTES, value[counts[0]])
    )


def save_state(path: str, state: dict[str, Any]) -> None:
    """Replace the state file whole (a temporary file renamed over it)."""
    import json

    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise SyncError(
            _("cannot save the sync state {path}: {reason}").format(
                path=path, reason=os_reason(exc)
            )
        ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def copy_state(value: Any) -> Any:
    """A copy to compare with at the end: the state is saved only when it changed."""
    if isinstance(value, dict):
        return {key: copy_state(item) for key, item in value.items()}
    return value


class Lock:
    """One sync at a time on this machine: two would append the same changes twice."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, at worst a change written twice
            return
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise SyncError(
                _("cannot lock {path}: {reason}").format(path=self.path, reason=os_reason(exc))
            ) from None

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

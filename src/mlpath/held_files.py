"""Files a run builds under a temporary name and holds while it builds them: a catalog
cache, a progress store, an import's scratch database. A run killed midway leaves its
file behind; the next run that makes one of the same kind removes it.

A run holds an exclusive flock on such a file from the moment it makes it until it has
removed it (or renamed it into place), so a later run can tell what a dead run left
(nobody holds it) from another's work in progress. SQLite locks its files with fcntl,
which Linux and the BSDs keep apart from flock, so the two never meet; but closing any
descriptor of a file drops the fcntl locks the process holds on it, so the holding
descriptor is closed only after SQLite is done with the file. Where there is no flock
(Windows), nothing is taken for a leftover: it stays rather than risk another's work.
"""

from __future__ import annotations

import os

from mlpath import files

# What SQLite may keep beside a database: they go with it.
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


class HeldFile:
    """A file this run made (:attr:`path`) and holds (:attr:`fd`, open for writing)."""

    def __init__(self, path: str, fd: int) -> None:
        self.path = path
        self.fd = fd

    def remove(self) -> None:
        """Remove the file, if it still has its name, with what SQLite left beside it;
        then let go of it. Call it once SQLite's connections to it are closed."""
        if self.fd < 0:
            return
        try:
            _unlink_with_side_files(self.path)
        finally:
            os.close(self.fd)
            self.fd = -1


def hold_new(directory: str, prefix: str, suffix: str) -> HeldFile:
    """A new empty file (0600) in `directory`, named `prefix`, random hex, `suffix`, and
    held; first, the files of that name nobody holds are removed. Raises OSError."""
    remove_unheld(directory, prefix, suffix)
    while True:
        # What tempfile.mkstemp does, without importing it (a first run's tenth).
        path = os.path.join(directory, f"{prefix}{os.urandom(8).hex()}{suffix}")
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        try:
            # A run removing leftovers may have locked it first, between the two steps:
            # it removes only what it holds, so once this holds it, a name is left only
            # if no one took it for a leftover.
            if not hold(fd, wait=True) or os.fstat(fd).st_nlink > 0:
                return HeldFile(path, fd)
        except BaseException:
            os.close(fd)
            _unlink_with_side_files(path)
            raise
        os.close(fd)


def hold(fd: int, wait: bool) -> bool:
    """Take the exclusive flock on an open file (`wait`: until no one else has it);
    False if another holds it, or where there is no flock."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_unheld(directory: str, prefix: str, suffix: str) -> None:
    """Remove each file of `directory` named `prefix`…`suffix` that no one holds, with
    what SQLite left beside it: what runs killed midway left."""
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix) and n.endswith(suffix)]
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        try:
            fd, _info = files.open_regular(path, follow_links=False)
        except OSError:
            continue  # gone meanwhile, another user's, or not a file mlpath makes
        try:
            if hold(fd, wait=False):
                # Removed while held: see hold_new.
                _unlink_with_side_files(path)
        except OSError:
            pass
        finally:
            os.close(fd)


def _unlink_with_side_files(path: str) -> None:
    for name in (path, *(path + side for side in SQLITE_SIDE_FILES)):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass

"""Small files mlpath keeps for itself in its cache: written whole or not at all, and
read back only when they are ours and nobody else can have written them."""

from __future__ import annotations

import os

# The system's time zone, for dates written in local time.
ZONE_FILE = "/etc/localtime"


def read_kept(path: str, limit: int) -> bytes | None:
    """The file's bytes, or None when it is missing, too big, or not safely ours."""
    # Here, not at the top: `identity` is on the start-up path of every command.
    from mlpath.files import is_trusted_dir, is_trusted_file, open_regular, read_bounded

    try:
        fd, info = open_regular(path, follow_links=False)
    except (OSError, ValueError):
        return None
    try:
        if not is_trusted_file(info) or not is_trusted_dir(os.stat(os.path.dirname(path))):
            return None
        return read_bounded(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def keep(path: str, data: bytes) -> None:
    """Write `data` under a temporary name, then rename it into place, so a reader sees
    the old file or the new one; a cache that cannot be written is simply not kept."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def identity(path: str, changed: bool = True) -> str:
    """What `stat` says of a file: a write, a replacement, chmod or chown changes it.

    With `changed`, the change time too, which no one can set back (`touch -r` keeps
    the size and modification time of an edit). Not for the write-ahead log: SQLite
    running as root chowns it to the store's owner each time it opens it, which moves
    its change time on every read. A directory counts by who may write in it, not by
    the files it holds.
    """
    try:
        s = os.stat(path)
    except OSError:
        return "-"
    if s.st_mode & 0o170000 == 0o040000:  # a directory
        return f"{s.st_dev}:{s.st_ino}:{s.st_mode}:{s.st_uid}"
    ctime = s.st_ctime_ns if changed else 0
    return f"{s.st_dev}:{s.st_ino}:{s.st_size}:{s.st_mtime_ns}:{ctime}:{s.st_mode}:{s.st_uid}"

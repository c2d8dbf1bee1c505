"""Making and opening mlpath's files so that they are private and are what they claim.

The progress store holds private notes, and the catalog cache decides what `next`
shows, so another user must not be able to read the one or forge the other: whatever
the umask, what mlpath creates is its user's alone, and it writes nowhere another user
could swap a file for a link. Reads open without blocking and check the file type on
the open descriptor: a FIFO or a device where a file belongs would otherwise hang a
command or feed it without end.

On the start-up path: `os` and `stat` only, both loaded by the interpreter already.
"""

from __future__ import annotations

import errno
import os
import stat

from mlpath.errors import MlpathError, UnsafeLocation
from mlpath.i18n import _

# Windows has neither: there a link is caught by lstat, and owners and modes are left
# to its ACLs (its st_mode says nothing about who else may write).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_POSIX = hasattr(os, "geteuid")

# A catalog of 10,000 resources is about 5 MB of JSON; this is far past any real one,
# and still a read that fits in memory.
MAX_CATALOG_BYTES = 64 * 1024 * 1024


class NotRegular(OSError):
    """The path names something other than a regular file (a FIFO, a device, a link)."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{path} is {kind}")
        self.path = path
        self.kind = kind


def kind_of(mode: int) -> str:
    """What a file of this mode is, for a message: 'a directory', 'a FIFO (named pipe)'…"""
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    return _("a regular file") if stat.S_ISREG(mode) else _("not a regular file")


def make_private_dirs(path: str) -> None:
    """Create `path` and every missing parent as mode 0700, whatever the umask.

    `os.makedirs` gives the parents it creates the umask's mode (0777 under umask 000),
    and a directory others can write lets them replace what is inside it.
    """
    missing: list[str] = []
    current = os.path.abspath(path)
    while not os.path.isdir(current):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    if not missing:
        return
    previous = os.umask(0o077)
    try:
        for directory in reversed(missing):
            try:
                os.mkdir(directory, 0o700)
            except FileExistsError:
                if not os.path.isdir(directory):
                    raise NotADirectoryError(20, "Not a directory", directory) from None
    finally:
        os.umask(previous)


def check_private_dir(directory: str, what: str, advice: str) -> None:
    """Refuse to write `what` into a directory another user owns or can write.

    Whoever can write the directory can replace a file in it with a link between two
    steps of ours, so checking the file alone is not enough. Root's directories are
    trusted: root can change anything anyway.
    """
    if not _POSIX:
        return
    try:
        info = os.stat(directory)
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise UnsafeLocation(
            _("cannot write {what} in {directory}: {strerror}; {advice}").format(
                what=what, directory=directory, strerror=os_reason(exc), advice=advice
            )
        ) from None
    if info.st_uid not in (os.geteuid(), 0):
        raise UnsafeLocation(
            _(
                "refusing to write {what} in {directory}: the directory belongs to "
                "another user (uid {st_uid}); {advice}"
            ).format(what=what, directory=directory, st_uid=info.st_uid, advice=advice)
        )
    if info.st_mode & 0o022:
        others = _("other users") if info.st_mode & 0o002 else _("its group")
        raise UnsafeLocation(
            _(
                "refusing to write {what} in {directory}: {others} can write to it "
                "(mode {value:04o}); run `chmod go-w {directory}` or {advice}"
            ).format(
                what=what,
                directory=directory,
                others=others,
                value=info.st_mode & 0o7777,
                advice=advice,
            )
        )


def is_trusted_dir(info: os.stat_result) -> bool:
    """A directory of ours (or root's) that nobody else can write."""
    if not _POSIX:
        return True
    return info.st_uid in (os.geteuid(), 0) and not info.st_mode & 0o022


def is_trusted_file(info: os.stat_result) -> bool:
    """A regular file of ours that nobody else can write: safe to take as we left it."""
    if not _POSIX:
        return stat.S_ISREG(info.st_mode)
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def open_regular(path: str, follow_links: bool = True) -> tuple[int, os.stat_result]:
    """A descriptor open for reading on the regular file `path`, and its stat.

    O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    The type is checked on the open descriptor, so the file cannot be swapped between
    the check and the read. Raises NotRegular, or OSError when it cannot be opened.
    """
    flags = os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= _NOFOLLOW
        if not _NOFOLLOW and os.path.islink(path):
            raise NotRegular(path, _("a symbolic link"))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        # O_NOFOLLOW on a link: ELOOP (Linux, macOS), EMLINK (FreeBSD).
        if not follow_links and exc.errno in (errno.ELOOP, errno.EMLINK):
            raise NotRegular(path, _("a symbolic link")) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(path, kind_of(info.st_mode))
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_bounded(fd: int, limit: int) -> bytes | None:
    """All of the open file, or None when it holds more than `limit` bytes.

    As much as the file's size says at once (and a byte more, to see it end): read in
    pieces and joined, a catalog or a kept record was held twice over."""
    chunks: list[bytes] = []
    total = 0
    size = os.fstat(fd).st_size
    while True:
        want = size + 1 - total if total <= size else 1 << 20  # then it grew meanwhile
        chunk = os.read(fd, min(limit + 1 - total, want))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None


def read_regular_file(
    path: str, what: str, error: type[MlpathError], limit: int = MAX_CATALOG_BYTES
) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them, or a clear error."""
    try:
        fd, info = open_regular(path)
    except NotRegular as exc:
        raise error(
            _("{what} {path} is {kind}, not a regular file; give the path of a file").format(
                what=what, path=path, kind=exc.kind
            )
        ) from None
    except FileNotFoundError:
        raise error(_("{what} {path} does not exist").format(what=what, path=path)) from None
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise error(
            _("{what} {path} cannot be read: {strerror}").format(
                what=what, path=path, strerror=os_reason(exc)
            )
        ) from None
    try:
        data = read_bounded(fd, limit) if info.st_size <= limit else None
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise error(
            _("{what} {path} cannot be read: {strerror}").format(
                what=what, path=path, strerror=os_reason(exc)
            )
        ) from None
    finally:
        os.close(fd)
    if data is None:
        raise error(
            _(
                "{what} {path} is larger than {value} MiB, more than any catalog "
                "mlpath reads; check that it is the right file"
            ).format(what=what, path=path, value=limit // (1024 * 1024))
        )
    return data

"""Where mlpath keeps its files, resolved on every call so tests and users can redirect them.

`MLPATH_HOME` moves the user data (the progress store); `MLPATH_CACHE_DIR` moves the
catalog cache. Without them, the platform's usual places as platformdirs defines them.

Paths are plain strings here: this module is on the start-up path of every command,
and pathlib (with the `re` and `enum` it imports) costs more than a whole `mlpath next`.
"""

from __future__ import annotations

import os
import sys

PROGRESS_FILE = "progress.db"
# Names the bundled path `mlpath paths use` made this user's default (one word).
DEFAULT_PATH_FILE = "default-path"
APP = "mlpath"


def data_dir() -> str:
    """Directory holding the learner's own data."""
    home = os.environ.get("MLPATH_HOME")
    if home:
        return os.path.expanduser(home)
    return _user_dir("data")


def cache_dir() -> str:
    """Directory for files mlpath can always rebuild (the validated catalog)."""
    override = os.environ.get("MLPATH_CACHE_DIR")
    if override:
        return os.path.expanduser(override)
    return _user_dir("cache")


def progress_db() -> str:
    """The progress store's file."""
    return os.path.join(data_dir(), PROGRESS_FILE)


def default_path_file() -> str:
    """The small file naming this user's default bundled path; absent means 2022."""
    return os.path.join(data_dir(), DEFAULT_PATH_FILE)


def name_hash(text: str) -> int:
    """32-bit FNV-1a, for naming cache files: stable across runs (unlike hash()), and
    needs no C extension loaded at start-up (zlib or hashlib would cost more than
    answering `next`)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8", "surrogateescape"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _user_dir(kind: str) -> str:
    fast = _plain_linux_dir(kind)
    if fast is not None:
        return fast
    import platformdirs

    if kind == "data":
        return platformdirs.user_data_dir(APP, appauthor=False)
    return platformdirs.user_cache_dir(APP, appauthor=False)


def _plain_linux_dir(kind: str) -> str | None:
    """platformdirs' answer on an ordinary Linux desktop or server, without importing it.

    Importing platformdirs pulls in pathlib, re and tempfile, about as much time as a
    bare interpreter start. On Linux its rule is the XDG base directory spec; anything
    less ordinary (Android, other systems) is left to platformdirs itself.
    tests/test_paths.py checks that both give the same directory.
    """
    if not sys.platform.startswith("linux") or "ANDROID_DATA" in os.environ:
        return None
    variable, default = (
        ("XDG_DATA_HOME", "~/.local/share") if kind == "data" else ("XDG_CACHE_HOME", "~/.cache")
    )
    base = os.environ.get(variable, "")
    if os.path.isabs(base):
        return os.path.join(base, APP)
    home = os.environ.get("HOME")
    if home is not None and not os.path.isabs(home):
        return None  # platformdirs looks the home directory up instead: let it
    return os.path.join(os.path.expanduser(default), APP)

"""Where mlpath keeps its files, resolved on every call so tests and users can redirect them.

`MLPATH_HOME` moves the user data (the progress store); `MLPATH_CACHE_DIR` moves the
catalog cache. Without them, platformdirs gives the platform's usual places.
"""

from __future__ import annotations

import os
from pathlib import Path

PROGRESS_FILE = "progress.db"


def data_dir() -> Path:
    """Directory holding the learner's own data."""
    home = os.environ.get("MLPATH_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs  # deferred: only commands that touch user data pay for it

    return platformdirs.user_data_path("mlpath", appauthor=False)


def cache_dir() -> Path:
    """Directory for files mlpath can always rebuild (the validated catalog)."""
    override = os.environ.get("MLPATH_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("mlpath", appauthor=False)


def progress_db() -> Path:
    """The progress store's file."""
    return data_dir() / PROGRESS_FILE

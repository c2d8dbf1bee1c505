"""Long output at a terminal goes through a pager, as git's and gh's does.

`MLPATH_PAGER`, else `PAGER`, else `less`; with less, LESS=FRX unless LESS is set
(quit at once if it fits, keep colours, leave the text on screen after quitting).
An empty value or `cat` means no pager, as does `--no-pager`. Output that fits the
screen never starts one; a pager that cannot be started means plain writing.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.output.env import Environment


def pager_command() -> list[str] | None:
    """The pager to run, split as a shell would; None for none."""
    import shlex

    chosen = os.environ.get("MLPATH_PAGER")
    if chosen is None:
        chosen = os.environ.get("PAGER")
    if chosen is None:
        chosen = "less"
    try:
        words = shlex.split(chosen)
    except ValueError:
        return None  # unbalanced quotes: not a command anyone meant
    return words if words and words != ["cat"] else None


def write_paged(text: str, env: Environment) -> None:
    """Write `text`, through the pager when it is longer than the screen."""
    command = pager_command() if env.paging and env.height else None
    if command is None or env.height is None or text.count("\n") < env.height:
        env.write(text)
        return
    import signal
    import subprocess

    pager_env = dict(os.environ)
    pager_env.setdefault("LESS", "FRX")
    pager_env.setdefault("LV", "-c")
    encoding = getattr(env.stdout, "encoding", None) or "utf-8"
    env.flush()
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=pager_env)
    except OSError:
        env.write(text)
        return
    # Ctrl-C is the pager's to handle while it runs; mlpath waits for it either way.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(encoding, errors="replace"))
            pager.stdin.close()
        except BrokenPipeError:
            pass  # the reader quit before the end: that is what a pager is for
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)

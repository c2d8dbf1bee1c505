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
    from collections.abc import Iterable

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


def write_paged(chunks: Iterable[str], env: Environment) -> None:
    """Write `chunks` as they are made, through the pager once they run longer than the
    screen: a long listing's first page is read while the rest is laid out, and what a
    reader who quits early never sees is never made."""
    command = pager_command() if env.paging and env.height else None
    if command is None or env.height is None:
        for chunk in chunks:
            env.write(chunk)
        return
    rest = iter(chunks)
    held: list[str] = []
    lines = 0
    for chunk in rest:
        held.append(chunk)
        lines += chunk.count("\n")
        if lines >= env.height:
            break
    else:
        env.write("".join(held))  # it fits the screen: no pager
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
        from itertools import chain

        for chunk in chain(held, rest):  # still as they are made
            env.write(chunk)
        return
    # Ctrl-C is the pager's to handle while it runs; mlpath waits for it either way.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        into = pager.stdin
        assert into is not None
        try:
            into.write("".join(held).encode(encoding, errors="replace"))
            into.flush()  # the first screen, before the rest is made
            del held
            for chunk in rest:
                into.write(chunk.encode(encoding, errors="replace"))
        except BrokenPipeError:
            pass  # the reader quit before the end: that is what a pager is for
        finally:
            try:
                into.close()
            except BrokenPipeError:
                pass
            pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)

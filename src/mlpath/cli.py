"""The `mlpath` entry point.

The everyday commands are answered by :mod:`mlpath.fast` without importing Typer,
Rich or pydantic, which would cost several times more than the answer itself;
anything it does not recognise goes to the Typer app in :mod:`mlpath.app`. Both run
the same functions and print the same text.
"""

from __future__ import annotations

import sys

GLOBAL_OPTIONS = ("--lang", "--catalog")


def hoist_global_options(args: list[str]) -> list[str]:
    """Let `mlpath next --lang zh` mean `mlpath --lang zh next`, as people type it."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(args):
            front += args[i : i + 2]
            i += 2
            continue
        if arg.startswith(tuple(f"{name}=" for name in GLOBAL_OPTIONS)):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: list[str] | None = None) -> None:
    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    from mlpath.fast import try_fast

    code = try_fast(args)
    if code is None:
        from mlpath.app import run_app

        code = run_app(args)
    sys.exit(code)

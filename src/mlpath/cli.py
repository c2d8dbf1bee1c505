"""The `mlpath` entry point.

The everyday commands (`next`, `done`) are answered by :mod:`mlpath.fast` without
importing Typer, Rich or pydantic, which would cost several times more than the
answer itself; anything it does not recognise goes to the Typer app in :mod:`mlpath.app`.
Both run the same functions from :mod:`mlpath.actions` and print the same text.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    from mlpath.fast import try_fast

    code = try_fast(args)
    if code is None:
        from mlpath.app import run_app

        code = run_app(args)
    sys.exit(code)

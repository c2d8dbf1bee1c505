"""Where output goes: plain text and JSON on stdout, Rich only for a terminal.

No Typer here, so the fast path and the Typer commands print through the same code.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import Console


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def echo(text: str) -> None:
    if text:
        sys.stdout.write(text + "\n")


def echo_json(data: object) -> None:
    from mlpath.actions import dumps

    sys.stdout.write(dumps(data) + "\n")

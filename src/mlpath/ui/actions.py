"""Running an mlpath command from a key press, exactly as the command line runs it.

A key press is one command: its arguments are read by the same parser, it runs the
same `mlpath.commands` module in its own context (one store unit, committed when the
context closes), and its result is put into the same plain lines `mlpath` prints.
"""

from __future__ import annotations

import io

from mlpath.db import sqlite3
from mlpath.errors import MlpathError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


class Outcome:
    """What one command did: its result (None when it failed) and the lines it reports."""

    __slots__ = ("failed", "lines", "result")

    def __init__(self, result: object, lines: list[str], failed: bool = False) -> None:
        self.result = result
        self.lines = lines
        self.failed = failed


def run_command(name: str, args: Sequence[str], catalog_option: str | None, lang: str) -> Outcome:
    """Run `mlpath NAME ARGS...`; an mlpath error becomes the line the CLI would print."""
    from mlpath.argv import Values, parse_command
    from mlpath.context import Context
    from mlpath.definition import BY_NAME
    from mlpath.execute import database_failure, unit_label
    from mlpath.output.env import Environment

    command = BY_NAME[name]
    values = parse_command(command, args)
    assert values is not None, (name, args)
    # No terminal for the command itself: the view is on it. A command that would ask
    # (reset --all) refuses instead, and nothing is paged.
    env = Environment(io.StringIO(), io.StringIO())
    global_values = Values({"catalog": catalog_option, "lang": lang, "no_pager": True})
    ctx = Context(env, global_values, unit_label(command, values))
    try:
        try:
            module = __import__(f"mlpath.commands.{command.module}", fromlist=("run",))
            result = module.run(ctx, values)
            lines = plain_lines(result, lang)
        except BaseException:
            ctx.close(failed=True)
            raise
        ctx.close()
    except MlpathError as exc:
        return Outcome(None, [str(exc)], failed=True)
    except sqlite3.DatabaseError as exc:
        return Outcome(None, [str(database_failure(exc, ctx))], failed=True)
    return Outcome(result, lines)


def plain_lines(result: object, lang: str) -> list[str]:
    """The lines `mlpath` prints for this result in a pipe."""
    from mlpath.output.literal import visible
    from mlpath.output.render import PLAIN

    where, function = PLAIN[type(result).__name__]
    module = __import__(f"mlpath.output.{where}", fromlist=(function,))
    return [visible(line) for line in getattr(module, function)(result, lang)]

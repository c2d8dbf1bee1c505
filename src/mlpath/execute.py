"""Running a parsed command: its result rendered, its errors made one line and an exit code.

Both front ends end here: the quick parser (mlpath.cli) and the Typer app.
"""

from __future__ import annotations

from mlpath.db import sqlite3
from mlpath.errors import MlpathError
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.definition import Command
    from mlpath.errors import UnusableValue
    from mlpath.output.env import Environment


def execute(command: Command, global_values: Values, values: Values, env: Environment) -> int:
    """Run a parsed command and render its result; the one place errors become exit codes.

    The result is written and flushed before the workspace closes, and closing is what
    commits a change: output that cannot be written leaves the store as it was.
    """
    from mlpath.context import Context
    from mlpath.i18n import activate
    from mlpath.output.render import render, render_error

    as_json = values.flag("as_json")
    if global_values.flag("no_pager"):
        env.paging = False
    ctx = Context(env, global_values, unit_label(command, values), as_json)
    try:
        try:
            refuse_undecodable(global_values, values)
            activate(ctx.lang)
            module = __import__(f"mlpath.commands.{command.module}", fromlist=("run",))
            result = module.run(ctx, values)
            render(command.name, result, env, ctx.lang, as_json)
        except BaseException:
            ctx.close(failed=True)
            raise
        ctx.close()
    except (MlpathError, sqlite3.DatabaseError) as failure:
        # Damage found by a query in the middle of a command: say which file, and what to do.
        exc = (
            database_failure(failure, ctx)
            if isinstance(failure, sqlite3.DatabaseError)
            else failure
        )
        if as_json:
            render_error(command.name, exc, env)
        report_error(exc, env)
        return getattr(exc, "exit_code", 1)
    # A report that found something wrong (`mlpath doctor`) is shown, then exits 1.
    return int(getattr(result, "exit_code", 0))


def database_failure(exc: sqlite3.DatabaseError, ctx: Context) -> MlpathError:
    import os

    from mlpath.catalog import catalog_path
    from mlpath.catalog_cache import cache_file_for
    from mlpath.failures import explain
    from mlpath.paths import progress_db

    try:
        cache = cache_file_for(os.path.abspath(catalog_path(ctx.catalog_option)))
    except MlpathError:
        cache = None
    return explain(exc, progress_db(), cache)


def refuse_command_line(exc: UnusableValue, args: Sequence[str], env: Environment) -> int:
    """A value the quick parser refused: one line (and the JSON error if asked for)."""
    from mlpath.definition import BY_NAME
    from mlpath.output.render import render_error

    command = BY_NAME.get(exc.command)
    takes_json = command is not None and any(o.dest == "as_json" for o in command.options)
    if takes_json and "--json" in args:
        render_error(exc.command, exc, env)
    report_error(exc, env)
    return exc.exit_code


def report_error(exc: MlpathError, env: Environment) -> None:
    """The one line a user sees for any error mlpath reports."""
    from mlpath.output.literal import visible

    env.error_line(f"mlpath: {visible(str(exc))}")


def refuse_undecodable(*all_values: Values) -> None:
    """A command line with bytes that are not UTF-8 names nothing: say so, change nothing.

    Python hands such bytes over as lone surrogates, which no file or database can hold.
    """
    from mlpath.errors import UsageError
    from mlpath.output.literal import visible

    for values in all_values:
        for value in values.as_dict().values():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and not text.isprintable() and _undecodable(text):
                    raise UsageError(
                        _(
                            "{text} is not UTF-8 text: mlpath cannot read an undecodable byte"
                        ).format(text=visible(text))
                    )


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unit_label(command: Command, values: Values) -> str:
    """The command as the history names it: `done d2l`, `skip --section books`."""
    words = [command.name]
    given = values.as_dict()
    for argument in command.arguments:
        value = given.get(argument.dest)
        words += [str(v) for v in value] if isinstance(value, list) else []
        if isinstance(value, str | int) and not isinstance(value, bool):
            words.append(str(value))
    for option in command.options:
        value = given.get(option.dest)
        if value in (None, [], False, option.default) or option.dest == "as_json":
            continue
        name = option.names[0] if value is not False else option.off[0]
        if value is True or value is False:
            words.append(name)
        else:
            words += [f"{name} {v}" for v in (value if isinstance(value, list) else [value])]
    label = " ".join(words)
    return label if len(label) <= 200 else label[:199] + "…"

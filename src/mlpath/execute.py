"""Running a parsed command: its result rendered, its errors made one line and an exit code.

Both front ends end here: the quick parser (mlpath.cli) and the Typer app.
"""

from __future__ import annotations

from mlpath.errors import MlpathError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.definition import Command
    from mlpath.output.env import Environment


def execute(command: Command, global_values: Values, values: Values, env: Environment) -> int:
    """Run a parsed command and render its result; the one place errors become exit codes.

    The result is written and flushed before the workspace closes, and closing is what
    commits a change: output that cannot be written leaves the store as it was.
    """
    from mlpath.context import Context
    from mlpath.output.render import render, render_error

    as_json = values.flag("as_json")
    ctx = Context(env, global_values)
    try:
        try:
            refuse_undecodable(global_values, values)
            module = __import__(f"mlpath.commands.{command.module}", fromlist=("run",))
            result = module.run(ctx, values)
            render(command.name, result, env, ctx.lang, as_json)
        except BaseException:
            ctx.close(failed=True)
            raise
        ctx.close()
    except MlpathError as exc:
        if as_json:
            render_error(command.name, exc, env)
        report_error(exc, env)
        return getattr(exc, "exit_code", 1)
    # A report that found something wrong (`mlpath doctor`) is shown, then exits 1.
    return int(getattr(result, "exit_code", 0))


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
                        f"{visible(text)} is not UTF-8 text: "
                        "mlpath cannot read an undecodable byte"
                    )


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False

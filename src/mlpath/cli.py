"""The `mlpath` entry point: read the command line, run the command, render its result.

Every command is read by the quick parser (:mod:`mlpath.argv`) from the one
declaration in :mod:`mlpath.definition`, and run without importing Typer, pydantic or
Rich, which cost several times more than most answers; so are the shell's completion
requests that :mod:`mlpath.completion_quick` can answer. Help, the rest of completion
and anything the quick parser does not read go to the Typer app (:mod:`mlpath.typer_app`), built
from the same declaration, which runs the same :func:`mlpath.execute.execute`.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

    from mlpath.output.env import Environment

# Tests set this to send every command through Typer, so both paths stay covered.
DISABLE_ENV = "MLPATH_NO_FAST_PATH"


def main() -> NoReturn:
    """The `mlpath` command (and `python -m mlpath`): run it, then end the process."""
    from mlpath.output.env import Environment, output_closed

    env = Environment.from_process()
    if sys.stdout is None:  # started with its output closed: `mlpath done x >&-`
        # Refuse before doing anything: a change nobody can be told about is a surprise.
        env.error_line(f"mlpath: {output_closed()}")
        end_process(1, env)
    try:
        code = run(sys.argv[1:], env, keep_answers=True)
    except BrokenPipeError:
        code = 1  # see end_process
    end_process(code, env)


def run(argv: Sequence[str], env: Environment | None = None, keep_answers: bool = False) -> int:
    """Run one mlpath command line in this process; returns its exit code.

    With `keep_answers` (a process of its own: mlpath.answer_cache reads the modules it
    loaded), `next` may answer from, and keep, an answer for a pipe.
    """
    if not argv and os.environ.get("_MLPATH_COMPLETE") and not os.environ.get(DISABLE_ENV):
        code = complete_quickly(env)
        if code is not None:
            return code
    if env is None:
        from mlpath.output.env import Environment

        env = Environment.from_process()
    quick = not os.environ.get(DISABLE_ENV)
    keeping = keep_answers and quick and answer_cache_applies(argv, env)
    if keeping:
        from mlpath.answer_cache import print_kept_answer

        code = print_kept_answer(argv, env)
        if code is not None:
            return code
    from mlpath.argv import hoist_global_options, parse
    from mlpath.errors import UnusableValue

    args = hoist_global_options(argv)
    if not args and not os.environ.get("_MLPATH_COMPLETE"):
        return welcome(env)
    try:
        invocation = parse(args) if quick else None
    except UnusableValue as exc:
        from mlpath.execute import refuse_command_line

        return refuse_command_line(exc, args, env)
    if invocation is None:
        from mlpath import help_cache

        if quick and help_cache.print_kept_page(args, env):
            return 0
        return run_typer_keeping_help(args, env)
    if keeping and invocation.command.name in KEPT_COMMANDS:
        from mlpath.answer_cache import answer_and_keep

        return answer_and_keep(argv, invocation, env)
    from mlpath.execute import execute

    return execute(invocation.command, invocation.global_values, invocation.values, env)


# Commands whose answer mlpath.answer_cache keeps, for shell prompts.
KEPT_COMMANDS = ("next",)


def answer_cache_applies(argv: Sequence[str], env: Environment) -> bool:
    """Not at a terminal (its width and colours shape the answer), and only for a command
    line that may name a kept command; mlpath.answer_cache checks the rest."""
    return not env.styled and any(word in KEPT_COMMANDS for word in argv)


def complete_quickly(env: Environment | None) -> int | None:
    """Answer a shell's TAB press without Typer, or None to leave it to Typer."""
    from mlpath.completion_quick import answer

    try:
        answered = answer(os.environ)
    except Exception:
        return None  # a TAB press never shows a traceback: Typer answers it as it did
    if answered is None:
        return None
    if env is None:
        from mlpath.output.env import Environment

        env = Environment.from_process()
    text, code = answered
    encoding = getattr(env.stdout, "encoding", None)  # None: a text buffer, no bytes
    if encoding is not None and encoding.lower().replace("-", "") != "utf8" and not text.isascii():
        return None  # what click.echo makes of such a stream is Typer's to say
    env.write(text)
    env.flush()
    return code


def welcome(env: Environment) -> int:
    """`mlpath` alone: what to type first, and where help is."""
    from mlpath import i18n
    from mlpath.language import spoken_lang
    from mlpath.output.literal import lines_out
    from mlpath.output.plain import welcome_lines

    # Past a MLPATH_LANG mlpath does not know, in the locale's language.
    i18n.activate(spoken_lang())

    env.write(lines_out(welcome_lines(), env.colour))
    env.flush()
    return 0


def run_typer_keeping_help(args: list[str], env: Environment) -> int:
    """Run the Typer app; a help page it prints is kept for the next time."""
    from mlpath import help_cache
    from mlpath.typer_app import run_typer

    if help_cache.help_target(args) is None:
        return run_typer(args, env)
    import io

    captured = io.StringIO()
    real, sys.stdout = sys.stdout, captured
    try:
        code = run_typer(args, env)
    finally:
        sys.stdout = real
    page = captured.getvalue()
    env.write(page)
    if code == 0:
        help_cache.keep_page(args, page)
    return code


def end_process(code: int, env: Environment) -> NoReturn:
    """Exit at once, skipping the interpreter's teardown.

    Tearing down clears every module and collects garbage one last time, for nothing:
    the operating system reclaims it all, and it is a large part of a short run (it
    took `mlpath next` from about 2.05 to 1.8 times a bare `python -c pass` in
    benchmarks/startup.py). Every command has closed what it opened by now (the
    workspace closes its connections, files are written under `with`), so all that
    is left to do is flush the streams.
    """
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader left early (`mlpath list | head -1`): nothing is lost, there is
        # just no one left to tell. Exit 1 quietly, as Click does on the Typer path.
        code = 1
    except OSError as exc:
        if code == 0:  # a failed command has said what went wrong already
            from mlpath.output.env import output_error

            env.error_line(f"mlpath: {output_error(exc)}")
        code = 1
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except OSError:
        pass  # nowhere left to say anything
    if sys.gettrace() is not None or sys.getprofile() is not None:
        # A debugger, profiler or coverage tool is watching; it reports at exit.
        sys.exit(code)
    os._exit(code)

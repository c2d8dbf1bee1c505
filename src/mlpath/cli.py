"""The `mlpath` entry point, and its fast path for the everyday commands.

`next`, `done`, `list` and `progress` are answered here without importing Typer (and,
through it, pydantic), which costs several times more than the answer itself: people
run them many times a day and from shell prompts. This path understands only those
commands' own options; anything else (help, completion, a typo, a value it cannot
read) goes to the Typer app in :mod:`mlpath.app`, which defines every command for
`--help` and reports usage errors. Both call the same functions and print the same
text, and the CLI tests run every command through both.
"""

from __future__ import annotations

import os
import sys

from mlpath.errors import MlpathError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from mlpath.workspace import Workspace

    Runner = Callable[[Workspace, str, dict[str, object], list[str]], None]

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


def main() -> NoReturn:
    """The `mlpath` command (and `python -m mlpath`): run it, then end the process."""
    if sys.stdout is None:  # started with its output closed: `mlpath done x >&-`
        # Refuse before doing anything: a change nobody can be told about is a surprise.
        from mlpath.text import output_closed

        report_error(output_closed())
        end_process(1)
    try:
        code = run(sys.argv[1:])
    except BrokenPipeError:
        code = 1  # see end_process
    end_process(code)


def report_error(exc: MlpathError) -> None:
    """The one line a user sees for any error mlpath reports."""
    if sys.stderr is not None:  # started with stderr closed: nowhere to say it
        sys.stderr.write(f"mlpath: {exc}\n")


def run(argv: list[str]) -> int:
    """Run one mlpath command line in this process; returns its exit code."""
    args = hoist_global_options(list(argv))
    code = try_fast(args)
    if code is None:
        from mlpath.app import run_app

        code = run_app(args)
    return code


def end_process(code: int) -> NoReturn:
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
        from mlpath.text import output_error

        report_error(output_error(exc))
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


# Tests set this to send every command through Typer, so both paths stay covered.
DISABLE_ENV = "MLPATH_NO_FAST_PATH"

# option -> (destination, how to read it): True/False store that value, "int" and
# "text" take the next argument (or `--opt=value`), "many" collects repeated values.
Spec = dict[str, tuple[str, object]]

NEXT: Spec = {
    "-n": ("count", "int"),
    "--count": ("count", "int"),
    "--free": ("free", True),
    "--section": ("section", "many"),
    "-s": ("section", "many"),
    "--short": ("short", True),
    "--json": ("as_json", True),
}
LIST: Spec = {
    "--section": ("section", "many"),
    "-s": ("section", "many"),
    "--free": ("free", True),
    "--paid": ("free", False),
    "--kind": ("kind", "many"),
    "-k": ("kind", "many"),
    "--optional": ("optional", True),
    "--required": ("optional", False),
    "--status": ("status", "many"),
    "--json": ("as_json", True),
}
PROGRESS: Spec = {"--json": ("as_json", True)}
GLOBAL: Spec = {"--catalog": ("catalog", "text"), "--lang": ("lang", "text")}


def parse(args: list[str], spec: Spec) -> tuple[dict[str, object], list[str]] | None:
    """Options by `spec`, and the positional arguments; None if anything is unexpected."""
    options: dict[str, object] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            i += 1
            continue
        name, has_value, inline = arg.partition("=")
        if name not in spec or (has_value and not name.startswith("--")):
            return None  # `-n=3` is not a form Click accepts either
        dest, how = spec[name]
        if how in ("int", "text", "many"):
            if has_value:
                value, i = inline, i + 1
            elif i + 1 < len(args):
                value, i = args[i + 1], i + 2
            else:
                return None
            if how == "int":
                if not value.isdigit() or int(value) < 1:
                    return None
                options[dest] = int(value)
            elif how == "many":
                existing = options.setdefault(dest, [])
                assert isinstance(existing, list)
                existing.append(value)
            else:
                options[dest] = value
        elif has_value:
            return None
        else:
            options[dest] = how
            i += 1
    return options, positional


def try_fast(args: list[str]) -> int | None:
    """Run `args` if this path understands them; None means: let Typer do it."""
    if os.environ.get(DISABLE_ENV):
        return None
    command_at = 0
    while command_at < len(args) and args[command_at].partition("=")[0] in GLOBAL:
        command_at += 1 if "=" in args[command_at] else 2
    if command_at >= len(args):
        return None
    parsed_global = parse(args[:command_at], GLOBAL)
    handler = COMMANDS.get(args[command_at])
    if parsed_global is None or handler is None:
        return None
    spec, wants_ids, run = handler
    parsed = parse(args[command_at + 1 :], spec)
    if parsed is None or bool(parsed[1]) != wants_ids:
        return None
    options, positional = parsed
    global_options = parsed_global[0]
    try:
        from mlpath.catalog import catalog_path
        from mlpath.text import resolve_lang
        from mlpath.workspace import Workspace

        lang = resolve_lang(_text(global_options.get("lang")))
        ws = Workspace(catalog_path(_text(global_options.get("catalog"))))
        try:
            run(ws, lang, options, positional)
        finally:
            ws.close()
    except MlpathError as exc:
        report_error(exc)
        return 1
    return 0


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _next(ws: Workspace, lang: str, options: dict[str, object], positional: list[str]) -> None:
    from mlpath.path import find_next
    from mlpath.text import dumps, echo, next_text

    count = options.get("count", 1)
    result = find_next(
        ws,
        count if isinstance(count, int) else 1,
        options.get("free") is True,
        _texts(options.get("section")),
        lang,
    )
    echo(
        dumps(result.to_json())
        if options.get("as_json")
        else next_text(result, lang, options.get("short") is True)
    )


def _done(ws: Workspace, lang: str, options: dict[str, object], positional: list[str]) -> None:
    from mlpath.text import echo, outcome_lines

    echo(outcome_lines(ws.set_status(positional, "done"), "done", lang))


def _list(ws: Workspace, lang: str, options: dict[str, object], positional: list[str]) -> None:
    from mlpath.catalog import Filters
    from mlpath.views import list_view

    free = options.get("free")
    optional = options.get("optional")
    filters = Filters(
        sections=_texts(options.get("section")),
        cost=None if free is None else ("free" if free else "paid"),
        kinds=_texts(options.get("kind")),
        optional=optional if isinstance(optional, bool) else None,
        statuses=_texts(options.get("status")),
    )
    list_view(ws, filters, lang, options.get("as_json") is True)


def _progress(ws: Workspace, lang: str, options: dict[str, object], positional: list[str]) -> None:
    from mlpath.views import progress_view

    progress_view(ws, lang, options.get("as_json") is True)


# command -> (its options, whether it takes ids, what runs it)
COMMANDS: dict[str, tuple[Spec, bool, Runner]] = {
    "next": (NEXT, False, _next),
    "done": ({}, True, _done),
    "list": (LIST, False, _list),
    "progress": (PROGRESS, False, _progress),
}

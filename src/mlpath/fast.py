"""The fast path for the commands people run many times a day: `next` and `done`.

It understands only the plain forms of those commands and hands anything else
(help, completion, a typo, an option it does not know) back to the Typer app, which
reports usage errors. It calls the same functions as the Typer commands, so the
two print the same text; the CLI tests run against both.
"""

from __future__ import annotations

import os
import sys

from mlpath.errors import MlpathError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mlpath.workspace import Workspace

# Tests set this to send every command through Typer, so both paths stay covered.
DISABLE_ENV = "MLPATH_NO_FAST_PATH"


def _take(args: list[str], i: int, names: tuple[str, ...]) -> tuple[str, int] | None:
    """`--opt VALUE` or `--opt=VALUE` at args[i]; the value and the next index."""
    arg = args[i]
    for name in names:
        if arg == name and i + 1 < len(args):
            return args[i + 1], i + 2
        if name.startswith("--") and arg.startswith(name + "="):
            return arg[len(name) + 1 :], i + 1
    return None


def try_fast(args: list[str]) -> int | None:
    """Run `args` if this path understands them; None means: let Typer do it."""
    if os.environ.get(DISABLE_ENV):
        return None
    catalog_option: str | None = None
    lang_option: str | None = None
    i = 0
    while i < len(args) and args[i].startswith("-"):
        if taken := _take(args, i, ("--catalog",)):
            catalog_option, i = taken
        elif taken := _take(args, i, ("--lang",)):
            lang_option, i = taken
        else:
            return None
    if i >= len(args):
        return None
    command, rest = args[i], args[i + 1 :]
    runner: Callable[[], str] | None
    if command == "next":
        runner = _parse_next(rest, catalog_option, lang_option)
    elif command == "done":
        runner = _parse_done(rest, catalog_option, lang_option)
    else:
        runner = None
    if runner is None:
        return None
    try:
        output = runner()
    except MlpathError as exc:
        sys.stderr.write(f"mlpath: {exc}\n")
        return 1
    if output:
        sys.stdout.write(output + "\n")
    return 0


def _parse_next(
    rest: list[str], catalog_option: str | None, lang_option: str | None
) -> Callable[[], str] | None:
    count, free, short, as_json = 1, False, False, False
    sections: list[str] = []
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--free":
            free, i = True, i + 1
        elif arg == "--short":
            short, i = True, i + 1
        elif arg == "--json":
            as_json, i = True, i + 1
        elif taken := _take(rest, i, ("--section", "-s")):
            sections.append(taken[0])
            i = taken[1]
        elif taken := _take(rest, i, ("--count", "-n")):
            if not taken[0].isdigit() or int(taken[0]) < 1:
                return None
            count, i = int(taken[0]), taken[1]
        else:
            return None

    def run() -> str:
        from mlpath.actions import dumps, find_next
        from mlpath.text import next_text

        ws, lang = _open(catalog_option, lang_option)
        try:
            result = find_next(ws, count, free, tuple(sections), lang)
        finally:
            ws.close()
        return dumps(result.to_json()) if as_json else next_text(result, lang, short)

    return run


def _parse_done(
    rest: list[str], catalog_option: str | None, lang_option: str | None
) -> Callable[[], str] | None:
    if not rest or any(arg.startswith("-") for arg in rest):
        return None

    def run() -> str:
        from mlpath.actions import change_status
        from mlpath.text import outcome_lines

        ws, lang = _open(catalog_option, lang_option)
        try:
            return outcome_lines(change_status(ws, rest, "done"), "done", lang)
        finally:
            ws.close()

    return run


def _open(catalog_option: str | None, lang_option: str | None) -> tuple[Workspace, str]:
    from mlpath.catalog import catalog_path
    from mlpath.lang import resolve_lang
    from mlpath.workspace import Workspace

    lang = resolve_lang(lang_option)
    return Workspace(catalog_path(catalog_option)), lang

"""`--help` pages as Typer writes them, kept so the next `--help` needs no Typer.

Building the Typer app (and, through its parameter handling, pydantic) costs ten times
a bare Python start; the help it prints depends only on the command declarations, the
mlpath version and the width Click lays it out at. So the first `mlpath CMD --help`
asks Typer and keeps the page in the cache directory; later ones print the kept page.
The page is keyed by what it depends on, and anything unusual falls back to Typer.
"""

from __future__ import annotations

import os
import sys

from mlpath import __version__
from mlpath.paths import cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.output.env import Environment

HELP_FLAGS = ("--help", "-h")


def help_target(args: Sequence[str]) -> str | None:
    """The command a plain help request is for ("" for mlpath itself), else None."""
    from mlpath.definition import BY_NAME

    if not args or args[-1] not in HELP_FLAGS:
        return None
    rest = list(args[:-1])
    if rest and rest[-1] in BY_NAME:
        command = rest.pop()
    else:
        command = ""
    # Global options change nothing in the page, but only their plain forms are read here.
    while rest:
        if len(rest) >= 2 and rest[0] in ("--lang", "--catalog") and not rest[1].startswith("-"):
            rest = rest[2:]
        elif rest[0].startswith(("--lang=", "--catalog=")):
            rest = rest[1:]
        else:
            return None
    return command


def layout_width() -> int:
    """The width Click formats help at: the terminal's, at most 80, at least 50."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def page_lang(args: Sequence[str]) -> str | None:
    """The language a help page is written in (`--lang`, MLPATH_LANG, the locale);
    None for one mlpath does not know (Typer answers that)."""
    from mlpath.errors import UnknownChoice
    from mlpath.language import resolve_lang

    chosen = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    try:
        return resolve_lang(chosen)
    except UnknownChoice:
        return None


def page_file(command: str, lang: str = "en") -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    # A page in another language depends on its translations too.
    catalog = () if lang == "en" else (f"locale/{lang}/LC_MESSAGES/mlpath.mo",)
    for name in ("definition.py", "typer_app.py", *catalog):
        try:
            info = os.stat(os.path.join(here, name))
            stamps.append(f"{info.st_size}-{info.st_mtime_ns}")
        except OSError:
            stamps.append("none")
    key = f"{__version__}-{'-'.join(stamps)}-{command or 'mlpath'}-{lang}-{layout_width()}"
    return os.path.join(cache_dir(), "help", f"{key}.txt")


def print_kept_page(args: Sequence[str], env: Environment) -> bool:
    """Print the kept page for this help request; False if there is none."""
    command = help_target(args)
    lang = page_lang(args)
    if command is None or lang is None:
        return False
    try:
        with open(page_file(command, lang), encoding="utf-8") as handle:
            page = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    if not page:
        return False
    env.write(page)
    env.flush()
    return True


def keep_page(args: Sequence[str], page: str) -> None:
    """Keep a page Typer printed; a cache that cannot be written is simply not kept."""
    command = help_target(args)
    lang = page_lang(args)
    if command is None or lang is None or not page:
        return
    path = page_file(command, lang)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.replace(tmp, path)
    except OSError:
        pass

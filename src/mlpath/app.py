"""The Typer application: global options, the command modules, and running them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlpath import __version__
from mlpath.cli import report_error
from mlpath.cliutil import State, echo, state
from mlpath.errors import MlpathError

app = typer.Typer(
    name="mlpath",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    # Plain Click help and errors: Typer's Rich formatting imports rich.markdown and
    # markdown-it, which made `mlpath --help` several times slower than the answer.
    rich_markup_mode=None,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    help="Your path into machine learning, from zero, for free.",
)


def _version(value: bool) -> None:
    if value:
        echo(f"mlpath {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            help="Use this catalog file instead of the bundled one (also MLPATH_CATALOG).",
            dir_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="en|zh",
            help="Titles in English or Chinese (default: MLPATH_LANG, then the locale).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Your path into machine learning, from zero, for free."""
    current = state(ctx)
    current.catalog_option = catalog
    current.lang_option = lang


def _register() -> None:
    from mlpath.commands import browse, daily, find, journey, transfer

    for module in (daily, browse, journey, find, transfer):
        module.register(app)


_register()


def run_app(args: list[str]) -> int:
    """Run the Typer app on `args`; returns the exit code."""
    try:
        app(args=args, prog_name="mlpath")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except MlpathError as exc:
        # The one place the Typer path translates errors: here it also catches those
        # raised while Click reads the options (`--version` into a full disk), which
        # a TyperGroup.invoke override would not see.
        report_error(exc)
        return 1
    return 0


__all__ = ["State", "app", "run_app"]

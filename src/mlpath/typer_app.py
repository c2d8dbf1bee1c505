"""The Typer app, built from :mod:`mlpath.definition`: help, completion, usage errors.

Normal runs never come here (see mlpath.cli). Each command's Typer function is made
from its declaration, and runs the same `mlpath.execute.execute` as the quick path.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

import typer

from mlpath import __version__
from mlpath.argv import Values
from mlpath.definition import (
    CHOICE,
    COMMANDS,
    DATE,
    FLAG,
    FLOAT,
    GLOBAL_OPTIONS,
    INT,
    PATH,
    Argument,
    Command,
    Option,
)
from mlpath.output.env import Environment

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


def _file_name(value: str) -> str:
    if os.path.isdir(value):
        raise typer.BadParameter(f"{value} is a directory — name a file")
    return value


def _complete(what: str | None) -> Callable[..., list[tuple[str, str]]] | None:
    if what is None:
        return None

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from mlpath import completion

        root = ctx.find_root().params
        return completion.candidates(what, incomplete, root.get("catalog"), root.get("lang"))

    return complete


def _parameter_type(kind: str, many: bool, choices: tuple[str, ...], optional: bool) -> Any:
    base: Any = {INT: int, FLOAT: float, DATE: datetime}.get(kind, str)
    if kind == CHOICE:
        base = Literal.__getitem__(choices)
    if many:
        return list[base] | None
    return base | None if optional else base


def _option(spec: Option) -> tuple[Any, Any]:
    settings: dict[str, Any] = {"help": spec.help, "autocompletion": _complete(spec.complete)}
    if spec.metavar:
        settings["metavar"] = spec.metavar
    if spec.kind == FLAG:
        if spec.off:
            names = (f"{spec.names[0]}/{spec.off[0]}",)
            return Annotated[bool | None, typer.Option(*names, **settings)], None
        return Annotated[bool, typer.Option(*spec.names, **settings)], False
    if spec.minimum is not None:
        settings["min"] = spec.minimum
    if spec.maximum is not None:
        settings["max"] = spec.maximum
    if spec.kind == DATE:
        settings["formats"] = ["%Y-%m-%d"]
    if spec.kind == PATH:
        settings["parser"] = _file_name
    optional = spec.default is None
    kind = _parameter_type(spec.kind, spec.many, spec.choices, optional)
    return Annotated[kind, typer.Option(*spec.names, **settings)], spec.default


def _argument(spec: Argument) -> tuple[Any, Any]:
    settings: dict[str, Any] = {
        "metavar": spec.metavar,
        "help": spec.help,
        "autocompletion": _complete(spec.complete),
    }
    if spec.minimum is not None:
        settings["min"] = spec.minimum
    if spec.maximum is not None:
        settings["max"] = spec.maximum
    optional = not spec.required
    kind = _parameter_type(spec.kind, spec.many, (), optional and spec.default is None)
    default = inspect.Parameter.empty if spec.required else spec.default
    return Annotated[kind, typer.Argument(**settings)], default


def canonical(specs: tuple[Option | Argument, ...], params: dict[str, Any]) -> Values:
    """Click's parsed values in the form the quick parser gives them."""
    values: dict[str, object] = {}
    for spec in specs:
        value = params.get(spec.dest)
        if spec.many:
            value = list(value or [])
        elif isinstance(value, datetime):
            value = value.date()
        values[spec.dest] = value
    return Values(values)


def _command_function(command: Command) -> Callable[..., None]:
    specs: tuple[Option | Argument, ...] = (*command.arguments, *command.options)

    def run_command(ctx: typer.Context, **params: Any) -> None:
        from mlpath.execute import execute

        root = ctx.find_root()
        env = root.obj if isinstance(root.obj, Environment) else Environment.from_process()
        global_values = canonical(GLOBAL_OPTIONS, root.params)
        code = execute(command, global_values, canonical(specs, params), env)
        if code:
            raise typer.Exit(code)

    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    annotations: dict[str, Any] = {"ctx": typer.Context, "return": None}
    for spec in specs:
        annotation, default = _argument(spec) if isinstance(spec, Argument) else _option(spec)
        parameters.append(
            inspect.Parameter(
                spec.dest,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation,
                default=default,
            )
        )
        annotations[spec.dest] = annotation
    run_command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run_command.__annotations__ = annotations
    run_command.__doc__ = command.help
    run_command.__name__ = command.name
    return run_command


def _version(value: bool) -> None:
    if value:
        from mlpath.output.env import Environment

        env = Environment.from_process()
        env.write(f"mlpath {__version__}\n")
        env.flush()
        raise typer.Exit()


@app.callback()
def root(
    catalog: Annotated[
        str | None,
        typer.Option("--catalog", help=GLOBAL_OPTIONS[0].help, metavar="FILE", parser=_file_name),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help=GLOBAL_OPTIONS[1].help, metavar="en|zh")
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Your path into machine learning, from zero, for free."""


for _command in COMMANDS:
    app.command(_command.name)(_command_function(_command))


def run_typer(args: list[str], env: Environment) -> int:
    """Run the Typer app on `args`; returns the exit code."""
    from mlpath.errors import MlpathError

    try:
        app(args=args, prog_name="mlpath", obj=env)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except MlpathError as exc:
        # Raised while Click reads the options (`--version` into a full disk).
        from mlpath.execute import report_error

        report_error(exc, env)
        return 1
    return 0

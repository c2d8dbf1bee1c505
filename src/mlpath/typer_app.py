"""The Typer app, built from :mod:`mlpath.definition`: help, completion, usage errors.

Normal runs never come here (see mlpath.cli). Each command's Typer function is made
from its declaration, and runs the same `mlpath.execute.execute` as the quick path.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from mlpath import __version__
from mlpath.argv import BadValue, Values, convert
from mlpath.definition import (
    CHOICE,
    COMMANDS,
    DATE,
    FLAG,
    FLOAT,
    GLOBAL_OPTIONS,
    INT,
    PATH,
    TEXT,
    Argument,
    Command,
    Option,
)
from mlpath.i18n import N_, _
from mlpath.language import LANGS
from mlpath.output.env import Environment
from mlpath.output.words import display_width, is_wide

APP_HELP = N_("Your path into machine learning, from zero, for free.")
VERSION_HELP = N_("Show the version and exit.")
# The help of the options Click and Typer add themselves, as they write it: marked
# here so the page says it in the reader's language.
THEIR_HELP = {
    "Show this message and exit.": N_("Show this message and exit."),
    "Install completion for the current shell.": N_("Install completion for the current shell."),
    "Show completion for the current shell, to copy it or customize the installation.": N_(
        "Show completion for the current shell, to copy it or customize the installation."
    ),
    VERSION_HELP: VERSION_HELP,
}


class DeclaredGroup(TyperGroup):
    """`mlpath --help`: the page laid out as Click does, in the reader's language."""

    def get_params(self, ctx: Any) -> list[Any]:
        # Typer appends its completion options after making the group.
        params: list[Any] = super().get_params(ctx)
        for param in params:
            if param.name == "install_completion":
                param.callback = _install_completion
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        options = _option_rows(self, ctx, GLOBAL_OPTIONS)
        commands = [(c.name, _(c.help).split("\n\n")[0]) for c in COMMANDS]
        _write_help(
            ctx,
            formatter,
            self.collect_usage_pieces(ctx),
            _(APP_HELP),
            ((_("Options:"), options), (_("Commands:"), commands)),
        )

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return _described_names(ctx, incomplete, super().shell_complete)


app = typer.Typer(
    name="mlpath",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    # Plain Click help and errors: Typer's Rich formatting imports rich.markdown and
    # markdown-it, which made `mlpath --help` several times slower than the answer.
    rich_markup_mode=None,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    help=APP_HELP,
    cls=DeclaredGroup,
)


def _file_name(value: str) -> str:
    if os.path.isdir(value):
        raise typer.BadParameter(_("{raw} is a directory — name a file").format(raw=value))
    return value


def _catalog_name(value: str) -> str:
    """A bundled path's name (`2025`), even beside a directory of that name, or a file."""
    from mlpath.catalog import BUNDLED_PATHS

    return value if value in BUNDLED_PATHS else _file_name(value)


def _complete_words(words: tuple[str, ...]) -> Callable[..., list[str]]:
    """Completion from a fixed list (a choice's values, the languages)."""

    def complete(incomplete: str) -> list[str]:
        return [word for word in words if word.startswith(incomplete)]

    return complete


def _complete(
    what: str | None, choices: tuple[str, ...] = ()
) -> Callable[..., list[tuple[str, str]]] | Callable[..., list[str]] | None:
    if what is None:
        return _complete_words(choices) if choices else None

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from mlpath import completion

        root = ctx.find_root().params
        found = completion.candidates(what, incomplete, root.get("catalog"), root.get("lang"))
        return completion.described(what, found, root.get("lang"))

    return complete


# What help calls a value whose declaration names none.
VALUE_NAMES = {INT: "N", FLOAT: "NUMBER", DATE: "DATE", PATH: "FILE", CHOICE: "CHOICE"}


def _parameter_type(kind: str, many: bool, optional: bool) -> Any:
    # Values are read by argv.convert (see _reader), so the types only say "a value".
    base: Any = str if kind == TEXT else Any
    if many:
        return list[base] | None
    return base | None if optional else base


def _reader(spec: Option | Argument) -> dict[str, Any]:
    """Typer settings that read a value as the quick parser does, with its messages."""
    if spec.kind == TEXT:
        return {}

    def read(raw: str) -> object:
        try:
            return convert(spec, raw)
        except BadValue as exc:
            raise typer.BadParameter(str(exc)) from None

    choices = spec.choices if isinstance(spec, Option) else ()
    metavar = spec.metavar or "|".join(choices) or VALUE_NAMES[spec.kind]
    return {"parser": read, "metavar": metavar}


def _option(spec: Option) -> tuple[Any, Any]:
    settings: dict[str, Any] = {
        "help": spec.help,
        "autocompletion": _complete(spec.complete, spec.choices),
    }
    if spec.metavar:
        settings["metavar"] = spec.metavar
    if spec.kind == FLAG:
        if spec.off:
            names = (f"{spec.names[0]}/{spec.off[0]}",)
            return Annotated[bool | None, typer.Option(*names, **settings)], None
        return Annotated[bool, typer.Option(*spec.names, **settings)], False
    settings.update(_reader(spec))
    kind = _parameter_type(spec.kind, spec.many, spec.default is None)
    return Annotated[kind, typer.Option(*spec.names, **settings)], spec.default


def _argument(spec: Argument) -> tuple[Any, Any]:
    settings: dict[str, Any] = {
        "metavar": spec.metavar,
        "help": spec.help,
        "autocompletion": _complete(spec.complete),
    }
    settings.update(_reader(spec))
    settings["metavar"] = spec.metavar
    optional = not spec.required
    kind = _parameter_type(spec.kind, spec.many, optional and spec.default is None)
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


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """Typer's `--install-completion` (typer.completion.install_callback), which says
    what it did in English only: the same installation, told in the reader's language."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._click import echo
    from typer._click.termui import secho
    from typer._completion_shared import _get_shell_name, install

    shell = value if isinstance(value, str) else None
    if shell is None and not os.getenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"):
        shell = _get_shell_name()
    if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        echo(_("Shell {shell} is not supported.").format(shell=shell))
        raise typer.Exit(1)
    shell, path = install(shell=shell)
    secho(_("{shell} completion installed in {path}").format(shell=shell, path=path), fg="green")
    echo(_("Completion will take effect once you restart the terminal"))
    raise typer.Exit()


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
        typer.Option(
            "--catalog",
            help=GLOBAL_OPTIONS[0].help,
            metavar=GLOBAL_OPTIONS[0].metavar,
            parser=_catalog_name,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=GLOBAL_OPTIONS[1].help,
            metavar="en|zh",
            autocompletion=_complete_words(LANGS),
        ),
    ] = None,
    no_pager: Annotated[bool, typer.Option("--no-pager", help=GLOBAL_OPTIONS[2].help)] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help=VERSION_HELP, callback=_version, is_eager=True),
    ] = False,
) -> None:
    """Your path into machine learning, from zero, for free."""


def _command_class(command: Command) -> type[TyperCommand]:
    """Help that names arguments as people type them (`ID...`), without Python types
    (`<list[str]>`), from the declaration; options are Click's own rows."""

    class DeclaredCommand(TyperCommand):
        def collect_usage_pieces(self, ctx: Any) -> list[str]:
            return [self.options_metavar or "[OPTIONS]"] + [
                a.metavar if a.required or a.metavar.startswith("[") else f"[{a.metavar}]"
                for a in command.arguments
            ]

        def format_help(self, ctx: Any, formatter: Any) -> None:
            arguments = [
                (a.metavar, _(a.help) + ("" if a.required else _(" (optional)")))
                for a in command.arguments
            ]
            _write_help(
                ctx,
                formatter,
                self.collect_usage_pieces(ctx),
                _(command.help),
                (
                    (_("Arguments:"), arguments),
                    (_("Options:"), _option_rows(self, ctx, command.options)),
                ),
            )

        def get_short_help_str(self, limit: int = 45) -> str:
            # Beside the command's name when completing (`mlpath s`+TAB), shortened
            # as Click does it, from the help in the reader's language.
            from typer._click.utils import make_default_short_help

            return make_default_short_help(_(command.help), limit).strip()

        def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
            return _described_names(ctx, incomplete, super().shell_complete)

    return DeclaredCommand


def _described_names(ctx: Any, incomplete: str, complete: Callable[..., list[Any]]) -> list[Any]:
    """Click's command and option names for a TAB press, each described in the reader's
    language: `--lang` where it was typed on the line, else MLPATH_LANG or the locale
    (mlpath.completion_quick answers the same)."""
    from mlpath import argv

    argv.speak(ctx.find_root().params.get("lang"))
    items = complete(ctx, incomplete)
    for item in items:
        # Commands' are translated by get_short_help_str; options' are Click's param.help.
        if item.help and item.value.startswith("-"):
            item.help = _(item.help)
    return items


def _option_rows(command: Any, ctx: Any, specs: tuple[Option, ...]) -> list[tuple[str, str]]:
    """Click's option rows (names as it writes them), each help from the declaration or
    from the words Click and Typer use, in the reader's language."""
    import re

    declared = {spec.dest: spec for spec in specs}
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx) if isinstance(param, TyperOption) else None
        if not record:
            continue
        names, text = record
        extra = re.search(r"\s*\[default: (?P<value>[^\]]*)\]$", text)
        if extra:
            text = text[: extra.start()]
        spec = declared.get(param.name or "")
        said = _(spec.help) if spec is not None else _(THEIR_HELP.get(text, text))
        if extra:
            said += "  [" + _("default: {value}").format(value=extra["value"]) + "]"
        rows.append((names, said))
    return rows


def _write_help(
    ctx: Any,
    formatter: Any,
    pieces: list[str],
    text: str,
    sections: tuple[tuple[str, list[tuple[str, str]]], ...],
) -> None:
    """A help page as Click lays it out, from our words: Click writes "Usage:" and the
    section titles itself, without gettext, and folds Chinese as if it were Latin."""
    width = formatter.width
    usage = _("Usage: ")
    lead = " " * display_width(usage)
    lines = _folded(f"{ctx.command_path} {' '.join(pieces)}", width - len(lead))
    formatter.write(usage + lines[0] + "\n")
    formatter.write("".join(f"{lead}{line}\n" for line in lines[1:]))
    for paragraph in text.split("\n\n") if text else ():
        formatter.write("\n")
        formatter.write("".join(f"  {line}\n" for line in _folded(paragraph, width - 2)))
    for title, rows in sections:
        if not rows:
            continue
        formatter.write(f"\n{title}\n")
        first = min(max(display_width(name) for name, _text in rows), 30) + 2
        room = max(width - first - 2, 10)
        for name, said in rows:
            folded = _folded(said, room)
            if display_width(name) <= first - 2:
                pad = " " * (first - display_width(name))
                formatter.write(f"  {name}{pad}{folded[0]}\n")
                folded = folded[1:]
            else:
                formatter.write(f"  {name}\n")
            formatter.write("".join(f"  {' ' * first}{line}\n" for line in folded))


def _folded(text: str, width: int) -> list[str]:
    """`text` folded to `width` columns: Chinese between characters, Latin at spaces,
    never a closing mark at a line's start (see mlpath.output.linebreak)."""
    from mlpath.output.linebreak import fold

    lines: list[str] = []
    for line in text.split("\n"):
        pieces = fold(line.strip(), width, "", display_width, is_wide)
        lines += [pieces[0], *(piece.removeprefix("  ") for piece in pieces[1:])]
    return lines


for _command in COMMANDS:
    app.command(_command.name, cls=_command_class(_command))(_command_function(_command))


def run_typer(args: list[str], env: Environment) -> int:
    """Run the Typer app on `args`; returns the exit code."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
    from typer.exceptions import Abort

    from mlpath.errors import MlpathError

    speak(args)
    try:
        # Not standalone: Click's usage errors come back here to be said in our words.
        code = app(args=args, prog_name="mlpath", obj=env, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except NoArgsIsHelpError as exc:
        exc.show()
        return exc.exit_code
    except UsageError as exc:
        show_usage_error(exc, env)
        return exc.exit_code
    except ClickException as exc:
        exc.show()
        return exc.exit_code
    except Abort:
        env.error_line(_("Aborted!"))
        return 1
    except MlpathError as exc:
        # Raised while Click reads the options (`--version` into a full disk).
        from mlpath.execute import report_error

        report_error(exc, env)
        return 1
    return code if isinstance(code, int) else 0


def speak(args: list[str]) -> None:
    """Help and usage errors in the language the command line asks for (`--lang zh`),
    else MLPATH_LANG or the locale's."""
    from mlpath import argv

    chosen = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    argv.speak(chosen)


def show_usage_error(exc: Any, env: Environment) -> None:
    """Click's usage error (the usage line, where help is, what was wrong), translated."""
    from mlpath.output.usage import usage_error_lines

    ctx = exc.ctx
    usage = hint = None
    if ctx is not None:
        formatter = ctx.make_formatter()
        _write_help(ctx, formatter, ctx.command.collect_usage_pieces(ctx), "", ())
        usage = formatter.getvalue().rstrip("\n")
        if ctx.command.get_help_option(ctx) is not None:
            hint = f"{ctx.command_path} {ctx.help_option_names[0]}"
    for line in usage_error_lines(usage, hint, exc.format_message()):
        env.error_line(line)

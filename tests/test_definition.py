"""Both front ends read the one declaration of each command the same way.

The quick parser (mlpath.argv) answers normal runs; Click, through the Typer app built
from the same declaration, gives help, completion and usage errors. Here: both produce
the same values for every option and argument of every command, Click's parameters
have the declared names, types, multiplicity and flag values, and a normal run of any
command imports neither Typer, Rich, pydantic nor platformdirs.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import typer.main

from mlpath import argv, definition
from mlpath.definition import COMMANDS, Argument, Command, Option
from mlpath.errors import UnusableValue
from mlpath.typer_app import app, canonical

SAMPLE = {
    definition.INT: "3",
    definition.FLOAT: "2.5",
    definition.TEXT: "books",
    definition.DATE: "2026-01-05",
    definition.PATH: "out.json",
}


def click_command(name: str) -> Any:
    group: Any = typer.main.get_command(app)
    return group.commands[name]


def required_arguments(command: Command) -> list[str]:
    return [
        SAMPLE.get(a.kind, "alpha") if a.kind != definition.INT else "2"
        for a in command.arguments
        if a.required
    ]


def option_samples(option: Option) -> list[list[str]]:
    """Command lines that set `option`, in every spelling the quick parser reads."""
    if option.kind == definition.FLAG:
        return [[name] for name in (*option.names, *option.off)]
    value = option.choices[-1] if option.kind == definition.CHOICE else SAMPLE[option.kind]
    samples = [[name, value] for name in option.names]
    samples += [[f"{name}={value}"] for name in option.names if name.startswith("--")]
    if option.many:
        samples.append([option.names[0], value, option.names[-1], value + "2"])
    return samples


def cases() -> list[tuple[str, list[str]]]:
    found = []
    for command in COMMANDS:
        base = required_arguments(command)
        found.append((command.name, base))
        for option in command.options:
            for sample in option_samples(option):
                found.append((command.name, [*sample, *base]))
        for argument in command.arguments:
            if argument.many:
                found.append((command.name, [*base, "more", "words"]))
            elif not argument.required:
                found.append((command.name, [*base, "4"]))
    return found


def click_values(command: Command, args: list[str]) -> argv.Values:
    ctx = click_command(command.name).make_context(command.name, list(args))
    specs: tuple[Option | Argument, ...] = (*command.arguments, *command.options)
    return canonical(specs, ctx.params)


@pytest.mark.parametrize(("name", "args"), cases())
def test_both_parsers_read_the_same_values(name: str, args: list[str]) -> None:
    command = definition.BY_NAME[name]
    quick = argv.parse_command(command, args)
    assert quick is not None, f"the quick parser should read {args}"
    assert quick == click_values(command, args)


def test_every_option_spelling_is_tried() -> None:
    tried = {(name, arg.split("=")[0]) for name, args in cases() for arg in args}
    for command in COMMANDS:
        for option in command.options:
            for spelling in (*option.names, *option.off):
                assert (command.name, spelling) in tried


def samples(spec: Option | Argument, directory: str) -> list[str]:
    """Values of every sort a person may type for `spec`: good ones, bad ones, edges."""
    by_kind = {
        definition.INT: ["3", "0", "-1", "x", "2.5", "99999999999999999999"],
        definition.FLOAT: ["2.5", "0", "-1", "200", "abc", "nan", "1e3"],
        definition.DATE: ["2026-01-31", "2026-13-01", "31/01/2026"],
        definition.PATH: ["out.json", directory],
        definition.TEXT: ["anything", "-"],
    }
    values = list(by_kind.get(spec.kind, []))
    for bound in (spec.minimum, spec.maximum):
        if bound is not None:
            values += [f"{bound:g}", f"{bound - 1:g}", f"{bound + 1:g}"]
    if isinstance(spec, Option) and spec.kind == definition.CHOICE:
        values += [*spec.choices, "bogus", spec.choices[0][:-1]]
    return values


def typer_reads(param: Any, ctx: Any, raw: str) -> tuple[bool, object]:
    try:
        value = param.process_value(ctx, [raw] if param.multiple or param.nargs == -1 else raw)
    except typer.BadParameter as exc:
        return False, exc.message
    return True, value[0] if isinstance(value, list | tuple) else value


def quick_reads(spec: Option | Argument, raw: str) -> tuple[bool, object]:
    try:
        return True, argv.convert(spec, raw)
    except argv.BadValue as exc:
        return False, str(exc)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_click_parameters_are_the_declared_ones(command: Command, tmp_path: Path) -> None:
    click = click_command(command.name)
    params = {p.name: p for p in click.params}
    assert set(params) == {o.dest for o in command.options} | {a.dest for a in command.arguments}
    ctx = click.make_context(command.name, required_arguments(command))
    for option in command.options:
        param = params[option.dest]
        assert list(param.opts) == list(option.names)
        assert list(param.secondary_opts) == list(option.off)
        assert param.multiple is option.many
        assert param.is_flag is (option.kind == definition.FLAG)
    for argument in command.arguments:
        param = params[argument.dest]
        assert param.nargs == (-1 if argument.many else 1)
        assert param.required is argument.required
    # Every value, good or bad, reads the same in both front ends, with the same words.
    specs: list[Option | Argument] = [*command.options, *command.arguments]
    for spec in specs:
        if spec.kind != definition.FLAG:
            for raw in samples(spec, str(tmp_path)):
                assert typer_reads(params[spec.dest], ctx, raw) == quick_reads(spec, raw), raw


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["next", "--help"],
        ["next", "-h"],
        ["next", "--bogus"],
        ["next", "extra"],
        ["done"],
        ["list", "--free=yes"],
        ["--lang"],
        ["next", "-n=3"],
        ["next", "-n3"],
        ["reset", "-yn"],
        ["bogus"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert argv.parse(args) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["next", "-n", "zero"], "-n/--count: 'zero' is not a whole number"),
        (["next", "-n", "³"], "-n/--count: '³' is not a whole number"),
        (["next", "-n", "0"], "-n/--count: 0 is too small: the least it can be is 1"),
        (["undo", "99999999999999999999"], "N: 99999999999999999999 is too large: the most"),
        (["plan", "-w", "abc"], "-w/--hours-per-week: 'abc' is not a number"),
        (["plan", "--pace", "fast"], "--pace: 'fast' is not one of: hours, actual"),
        (["plan", "--pace", "actul"], "not one of: hours, actual — did you mean actual?"),
        (["plan", "--start", "2026-13-01"], "'2026-13-01' is not a date written YYYY-MM-DD"),
    ],
)
def test_a_value_its_option_cannot_take_is_refused_in_our_words(
    args: list[str], message: str
) -> None:
    with pytest.raises(UnusableValue, match=re.escape(message)):
        argv.parse(args)


def test_global_options_before_and_after_the_command() -> None:
    invocation = argv.parse(argv.hoist_global_options(["next", "--lang", "zh", "--catalog=x"]))
    assert invocation is not None
    assert invocation.command.name == "next"
    assert invocation.global_values == argv.Values(
        {"catalog": "x", "lang": "zh", "no_pager": False}
    )
    for line in (["list", "--no-pager", "-s", "books"], ["--no-pager", "list", "-s", "books"]):
        paged = argv.parse(argv.hoist_global_options(line))
        assert paged is not None and paged.command.name == "list"
        assert paged.global_values.flag("no_pager")
        assert paged.values.texts("section") == ["books"]


HEAVY = ("typer", "rich", "pydantic", "platformdirs", "click")
# No json here: it is one of the modules tests/test_startup_imports.py looks for.
PROBE = """
import sys
from mlpath.cli import run
code = run(sys.argv[2:])
found = sorted(m for m in sys.argv[1].split(",") if m in sys.modules)
sys.stderr.write(repr([code, found]) + "\\n")
"""


def imported_modules(
    args: list[str], env_extra: dict[str, str], modules: Sequence[str]
) -> tuple[int, list[str]]:
    """Run `mlpath ARGS` in a fresh interpreter: its exit code, and which of `modules` it
    imported (a package counts when any module of it was)."""
    # Without MLPATH_HOME/MLPATH_CACHE_DIR, as users run it: the XDG directories apply.
    dropped = ("MLPATH_NO_FAST_PATH", "MLPATH_HOME", "MLPATH_CACHE_DIR")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(modules), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    code, found = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    return code, found


def imported_heavy(args: list[str], env_extra: dict[str, str]) -> tuple[int, list[str]]:
    return imported_modules(args, env_extra, HEAVY)


NORMAL_RUNS = [
    ["next"],
    ["next", "--short"],
    ["next", "--json", "-n", "3", "--free", "--section", "intro"],
    ["done", "alpha"],
    ["start", "beta"],
    ["note", "beta", "read", "it", "twice"],
    ["skip", "--section", "books"],
    ["undo"],
    ["reset", "beta"],
    ["history"],
    ["list", "--free"],
    ["list", "--json", "--status", "todo", "--kind", "video"],
    ["sections"],
    ["show", "alpha"],
    ["progress"],
    ["progress", "--json"],
    ["plan", "-w", "5"],
    ["search", "alpha"],
    ["export", "--format", "csv"],
    ["doctor"],
    ["add", "My", "notes", "--section", "intro", "--url", "https://example.org/n", "--parts", "2"],
    ["parts", "alpha", "--add", "Quiz", "--minutes", "10", "--url", "https://example.org/q"],
    ["remove", "my-delta-notes"],
    ["goal", "-w", "5", "--scope", "free"],
    ["goal"],
    ["paths"],
    ["sync"],
    ["share", "-o", "{tmp}/page", "--with-notes"],  # {tmp}: the test's temporary directory
    ["badge"],
]


@pytest.mark.parametrize("args", NORMAL_RUNS, ids=" ".join)
def test_normal_runs_import_no_heavy_library(
    args: list[str], mini_catalog: Path, tmp_path: Path
) -> None:
    env = {
        "MLPATH_CATALOG": str(mini_catalog),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
    }
    # The first run builds the catalog cache (validating with pydantic); later runs do not.
    # It records a change, so that `undo` has one to take back.
    imported_heavy(["done", "delta"], env)
    imported_heavy(["add", "Delta", "notes", "--section", "practice"], env)  # to `remove`
    if args[0] == "sync":
        (tmp_path / "shared").mkdir()
        env["MLPATH_SYNC_DIR"] = str(tmp_path / "shared")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    if args[0] == "paths":
        imported_heavy(args, env)  # it reads every bundled path: their caches, built once
    code, heavy = imported_heavy(args, env)
    assert code == 0
    assert heavy == []


def test_every_command_has_a_normal_run_checked() -> None:
    checked = {args[0] for args in NORMAL_RUNS}
    # `ui` needs a terminal: tests/test_ui.py (Pilot) and test_ui_pty.py (a real one).
    assert checked | {"open", "import", "ui"} == {c.name for c in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_help_names_values_as_people_do(command: Command) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [command.name, "--help"], prog_name="mlpath")
    assert result.exit_code == 0
    page = result.output
    for python_talk in ("<list[", "<int", "<float", "<str", "[x<", "[x>", "{", "Literal", "[["):
        assert python_talk not in page
    for option in command.options:
        if option.kind != definition.FLAG:
            name = max(option.names, key=len)
            rows = (line for line in page.splitlines() if line.lstrip().startswith("-"))
            found = next(m for row in rows if (m := re.search(rf"{name}(?:/\S+)? (\S+)", row)))
            value = found.group(1)
            assert value.isupper() or "|" in value, found.string

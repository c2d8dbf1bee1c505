"""Both front ends read the one declaration of each command the same way.

The quick parser (mlpath.argv) answers normal runs; Click, through the Typer app built
from the same declaration, gives help, completion and usage errors. Here: both produce
the same values for every option and argument of every command, Click's parameters
have the declared names, types, multiplicity and flag values, and a normal run of any
command imports neither Typer, Rich, pydantic nor platformdirs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import typer.main

from mlpath import argv, definition
from mlpath.definition import COMMANDS, Argument, Command, Option
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


KIND_ANNOTATIONS = {
    definition.FLAG: bool,
    definition.INT: int,
    definition.FLOAT: float,
    definition.TEXT: str,
    definition.DATE: datetime,
    definition.PATH: str,
}


def annotation_of(param: Any) -> Any:
    """The Python type Typer reads the value as (str for many-valued ones' items)."""
    annotation = param.type_descriptor.annotation
    return get_args(annotation)[0] if get_origin(annotation) is list else annotation


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_click_parameters_are_the_declared_ones(command: Command) -> None:
    params = {p.name: p for p in click_command(command.name).params}
    assert set(params) == {o.dest for o in command.options} | {a.dest for a in command.arguments}
    for option in command.options:
        param = params[option.dest]
        assert list(param.opts) == list(option.names)
        assert list(param.secondary_opts) == list(option.off)
        assert param.multiple is option.many
        assert param.is_flag is (option.kind == definition.FLAG)
        assert (param.min, param.max) == (option.minimum, option.maximum)
        if option.kind == definition.CHOICE:
            assert get_args(annotation_of(param)) == option.choices
        else:
            assert annotation_of(param) is KIND_ANNOTATIONS[option.kind]
    for argument in command.arguments:
        param = params[argument.dest]
        assert param.nargs == (-1 if argument.many else 1)
        assert param.required is argument.required
        assert (param.min, param.max) == (argument.minimum, argument.maximum)
        assert annotation_of(param) is KIND_ANNOTATIONS[argument.kind]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["next", "--help"],
        ["next", "-h"],
        ["next", "--bogus"],
        ["next", "-n", "zero"],
        ["next", "-n", "0"],
        ["next", "-n", "³"],
        ["next", "extra"],
        ["done"],
        ["list", "--free=yes"],
        ["undo", "99999999999999999999"],
        ["plan", "--pace", "fast"],
        ["plan", "--start", "2026-13-01"],
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


def test_global_options_before_and_after_the_command() -> None:
    invocation = argv.parse(argv.hoist_global_options(["next", "--lang", "zh", "--catalog=x"]))
    assert invocation is not None
    assert invocation.command.name == "next"
    assert invocation.global_values == argv.Values({"catalog": "x", "lang": "zh"})


HEAVY = ("typer", "rich", "pydantic", "platformdirs", "click")
PROBE = """
import json, sys
from mlpath.cli import run
code = run(sys.argv[2:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
sys.stderr.write(json.dumps([code, heavy]) + "\\n")
"""


def imported_heavy(args: list[str], env_extra: dict[str, str]) -> tuple[int, list[str]]:
    # Without MLPATH_HOME/MLPATH_CACHE_DIR, as users run it: the XDG directories apply.
    dropped = ("MLPATH_NO_FAST_PATH", "MLPATH_HOME", "MLPATH_CACHE_DIR")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    code, heavy = json.loads(done.stderr.strip().splitlines()[-1])
    return code, heavy


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
    ["goal", "-w", "5", "--scope", "free"],
    ["goal"],
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
    code, heavy = imported_heavy(args, env)
    assert code == 0
    assert heavy == []


def test_every_command_has_a_normal_run_checked() -> None:
    checked = {args[0] for args in NORMAL_RUNS}
    assert checked | {"open", "import"} == {c.name for c in COMMANDS}

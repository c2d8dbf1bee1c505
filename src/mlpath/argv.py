"""The quick parser: a command line read by :mod:`mlpath.definition`, without Typer.

It accepts a subset of what Click accepts and reads it the same way; anything else (help,
completion, a value it cannot read, a form it does not know) is handed to the Typer app,
which either runs it or explains the mistake. tests/test_definition.py checks both
parsers give the same values for every option of every command.
"""

from __future__ import annotations

import os

from mlpath.definition import (
    BY_NAME,
    CHOICE,
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date


class Values:
    """A command's parsed arguments and options, by destination, with typed access."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, object]) -> None:
        self._values = values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Values) and other._values == self._values

    def __repr__(self) -> str:
        return f"Values({self._values!r})"

    def as_dict(self) -> dict[str, object]:
        return dict(self._values)

    def flag(self, dest: str) -> bool:
        return self._values.get(dest) is True

    def choice(self, dest: str) -> bool | None:
        """A three-way flag (`--free/--paid`): None when neither was given."""
        value = self._values.get(dest)
        return value if isinstance(value, bool) else None

    def int(self, dest: str) -> int:
        value = self._values.get(dest)
        assert isinstance(value, int)
        return value

    def number(self, dest: str) -> float | None:
        value = self._values.get(dest)
        return float(value) if isinstance(value, int | float) else None

    def text(self, dest: str) -> str | None:
        value = self._values.get(dest)
        return value if isinstance(value, str) else None

    def texts(self, dest: str) -> list[str]:
        value = self._values.get(dest)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def date(self, dest: str) -> date | None:
        from datetime import date

        value = self._values.get(dest)
        return value if isinstance(value, date) else None


class Invocation:
    """What a command line asks for: global options, the command, its values."""

    __slots__ = ("command", "global_values", "values")

    def __init__(self, global_values: Values, command: Command, values: Values) -> None:
        self.global_values = global_values
        self.command = command
        self.values = values


GLOBAL_NAMES = tuple(name for option in GLOBAL_OPTIONS for name in option.names)


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Let `mlpath next --lang zh` mean `mlpath --lang zh next`, as people type it."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_NAMES and i + 1 < len(args):
            front += args[i : i + 2]
            i += 2
            continue
        if arg.startswith(tuple(f"{name}=" for name in GLOBAL_NAMES)):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


class _Unreadable(Exception):
    """This parser does not read the line: Typer will."""


def parse(args: Sequence[str]) -> Invocation | None:
    """Read a whole command line (global options hoisted); None hands it to Typer."""
    try:
        at = 0
        global_options = _by_name(GLOBAL_OPTIONS)
        while at < len(args) and args[at].partition("=")[0] in global_options:
            at += 1 if "=" in args[at] else 2
        if at >= len(args):
            return None
        command = BY_NAME.get(args[at])
        if command is None:
            return None
        global_values = _read(args[:at], GLOBAL_OPTIONS, ())
        values = _read(args[at + 1 :], command.options, command.arguments)
    except _Unreadable:
        return None
    return Invocation(global_values, command, values)


def parse_command(command: Command, args: Sequence[str]) -> Values | None:
    """One command's own arguments; None where Typer must read them."""
    try:
        return _read(args, command.options, command.arguments)
    except _Unreadable:
        return None


def _by_name(options: Sequence[Option]) -> dict[str, tuple[Option, bool]]:
    named: dict[str, tuple[Option, bool]] = {}
    for option in options:
        for name in option.names:
            named[name] = (option, True)
        for name in option.off:
            named[name] = (option, False)
    return named


def _read(args: Sequence[str], options: Sequence[Option], arguments: Sequence[Argument]) -> Values:
    named = _by_name(options)
    values: dict[str, object] = {}
    for option in options:
        values[option.dest] = [] if option.many else option.default
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positional += args[i + 1 :]
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            i += 1
            continue
        name, has_value, inline = arg.partition("=")
        if name not in named or (has_value and not name.startswith("--")):
            raise _Unreadable  # `-n=3`, `-n3`, `-yn`: forms left to Click
        option, on = named[name]
        if option.kind == FLAG:
            if has_value:
                raise _Unreadable
            values[option.dest] = on
            i += 1
            continue
        if has_value:
            raw, i = inline, i + 1
        elif i + 1 < len(args) and not args[i + 1].startswith("-"):
            raw, i = args[i + 1], i + 2
        else:
            raise _Unreadable
        value = _convert(option.kind, raw, option.minimum, option.maximum, option.choices)
        if option.many:
            many = values[option.dest]
            assert isinstance(many, list)
            many.append(value)
        else:
            values[option.dest] = value
    _assign(positional, arguments, values)
    return Values(values)


def _assign(
    positional: list[str], arguments: Sequence[Argument], values: dict[str, object]
) -> None:
    for argument in arguments:
        if argument.many:
            taken, positional = positional, []
            if argument.required and not taken:
                raise _Unreadable
            values[argument.dest] = [
                _convert(argument.kind, raw, argument.minimum, argument.maximum, ())
                for raw in taken
            ]
        elif positional:
            raw = positional.pop(0)
            values[argument.dest] = _convert(
                argument.kind, raw, argument.minimum, argument.maximum, ()
            )
        elif argument.required:
            raise _Unreadable
        else:
            values[argument.dest] = argument.default
    if positional:
        raise _Unreadable


def _convert(
    kind: str,
    raw: str,
    minimum: float | None,
    maximum: float | None,
    choices: Sequence[str],
) -> object:
    """A value read exactly as Click reads it, or _Unreadable where Click would object."""
    value: object
    if kind in (INT, FLOAT):
        try:
            number = int(raw) if kind == INT else float(raw)
        except ValueError:
            raise _Unreadable from None
        if (minimum is not None and number < minimum) or (
            maximum is not None and number > maximum
        ):
            raise _Unreadable
        value = number
    elif kind == CHOICE:
        if raw not in choices:
            raise _Unreadable
        value = raw
    elif kind == DATE:
        from datetime import datetime

        try:
            value = datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            raise _Unreadable from None
    elif kind == PATH:
        if os.path.isdir(raw):
            raise _Unreadable  # Click refuses a directory where a file is wanted
        value = raw
    else:
        value = raw
    return value

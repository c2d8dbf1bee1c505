"""The quick parser: a command line read by :mod:`mlpath.definition`, without Typer.

It accepts a subset of what Click accepts and reads it the same way; anything else (help,
completion, a form it does not know) is handed to the Typer app, which either runs it or
explains the mistake. A value that cannot be what its option wants is refused here, in
one line: :func:`convert` says why, for both parsers (Typer's own wording would be
pydantic's). tests/test_definition.py checks both parsers give the same values for
every option of every command.
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
from mlpath.errors import UnusableValue
from mlpath.i18n import _

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
        from mlpath.dates import date

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
GLOBAL_FLAGS = tuple(name for o in GLOBAL_OPTIONS if o.kind == FLAG for name in o.names)


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
        if arg in GLOBAL_FLAGS:
            front.append(arg)
            i += 1
            continue
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


class BadValue(ValueError):
    """A value its option or argument cannot take; the message says why, in our words."""


def parse(args: Sequence[str]) -> Invocation | None:
    """Read a whole command line (global options hoisted); None hands it to Typer."""
    try:
        at = 0
        global_options = _by_name(GLOBAL_OPTIONS)
        while at < len(args) and args[at].partition("=")[0] in global_options:
            at += 1 if "=" in args[at] or args[at] in GLOBAL_FLAGS else 2
        if at >= len(args):
            return None
        command = BY_NAME.get(args[at])
        if command is None:
            return None
        global_values = _read(args[:at], GLOBAL_OPTIONS, ())
        speak(global_values.text("lang"))
        values = _read(args[at + 1 :], command.options, command.arguments)
    except _Unreadable:
        return None
    except UnusableValue as exc:
        exc.command = command.name if command else ""
        raise
    return Invocation(global_values, command, values)


def speak(lang: str | None) -> None:
    """Say what is wrong with a value in the run's language (`--lang`, else MLPATH_LANG or
    the locale); past one mlpath does not know (refused later, by the command), in the
    language the rest of the environment asks for."""
    from mlpath.i18n import activate
    from mlpath.language import spoken_lang

    activate(spoken_lang(lang))


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
        value = _convert_for(option, raw)
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
            values[argument.dest] = [_convert_for(argument, raw) for raw in taken]
        elif positional:
            values[argument.dest] = _convert_for(argument, positional.pop(0))
        elif argument.required:
            raise _Unreadable
        else:
            values[argument.dest] = argument.default
    if positional:
        raise _Unreadable


def _convert_for(spec: Option | Argument, raw: str) -> object:
    try:
        return convert(spec, raw)
    except BadValue as exc:
        raise UnusableValue(
            _("{shown_name}: {exc}").format(shown_name=shown_name(spec), exc=exc), ""
        ) from None


def shown_name(spec: Option | Argument) -> str:
    """How a message names an option (`-w/--hours-per-week`) or argument (`ID`)."""
    if isinstance(spec, Option):
        return "/".join(sorted(spec.names, key=len))
    return spec.metavar.strip("[]")


def convert(spec: Option | Argument, raw: str) -> object:
    """The value `raw` gives `spec`, or BadValue saying why it cannot be one."""
    kind, minimum, maximum = spec.kind, spec.minimum, spec.maximum
    value: object
    if kind in (INT, FLOAT):
        try:
            number = int(raw) if kind == INT else float(raw)
        except ValueError:
            what = _("a whole number") if kind == INT else _("a number")
            raise BadValue(_("{raw!r} is not {what}").format(raw=raw, what=what)) from None
        if number != number:  # NaN compares false with every bound
            raise BadValue(_("{raw!r} is not a number").format(raw=raw))
        if minimum is not None and number < minimum:
            raise BadValue(
                _("{raw} is too small: the least it can be is {number}").format(
                    raw=raw, number=_number(minimum)
                )
            )
        if maximum is not None and number > maximum:
            raise BadValue(
                _("{raw} is too large: the most it can be is {number}").format(
                    raw=raw, number=_number(maximum)
                )
            )
        value = number
    elif kind == CHOICE:
        choices = spec.choices if isinstance(spec, Option) else ()
        if raw not in choices:
            raise BadValue(choice_problem(raw, choices))
        value = raw
    elif kind == DATE:
        # Not strptime: it loads the datetime and _strptime modules (and re, locale,
        # calendar), several times what reading the date is worth.
        from mlpath.dates import date

        try:
            year, month, day = raw.split("-")
            if not (len(year) == 4 and 1 <= len(month) <= 2 and 1 <= len(day) <= 2):
                raise ValueError(raw)
            if not all(p.isdecimal() for p in (year, month, day)):  # as strptime's \d
                raise ValueError(raw)
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise BadValue(
                _("{raw!r} is not a date written YYYY-MM-DD, like 2027-01-31").format(raw=raw)
            ) from None
    elif kind == PATH:
        if os.path.isdir(raw) and not _bundled_name(spec, raw):
            raise BadValue(_("{raw} is a directory — name a file").format(raw=raw))
        value = raw
    else:
        value = raw
    return value


def _bundled_name(spec: Option | Argument, raw: str) -> bool:
    """`--catalog 2025` names a bundled path even beside a directory called 2025."""
    from mlpath.catalog import BUNDLED_PATHS

    return spec.dest == "catalog" and raw in BUNDLED_PATHS


def _number(bound: float) -> str:
    return f"{int(bound):,}" if bound == int(bound) else f"{bound:g}"


def choice_problem(raw: str, choices: Sequence[str]) -> str:
    """`'pdf' is not one of: json, markdown, csv`, with a guess where one is close."""
    from mlpath.suggest import did_you_mean

    return _("{raw!r} is not one of: {choices}{guess}").format(
        raw=raw, choices=", ".join(choices), guess=did_you_mean(raw, choices)
    )

"""Shell completion answered without Typer: the same bytes as Typer's, much sooner.

Every request here goes through the shell-completion protocol (`_MLPATH_COMPLETE`
plus COMP_WORDS/COMP_CWORD for bash, _TYPER_COMPLETE_ARGS for zsh and fish), once as
the `mlpath` command answers it and once with MLPATH_NO_FAST_PATH=1, which sends it to
the Typer app; the two must print the same text with the same exit code.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlpath import cli
from mlpath.completion_quick import answer
from mlpath.definition import COMMANDS, FLAG
from mlpath.output.env import Environment

SHELLS = ("bash", "zsh", "fish")


def request(shell: str, line: str, action: str = "get-args") -> dict[str, str]:
    """The environment a shell's completion script sets for `line` (cursor at its end)."""
    if shell == "bash":
        words = line.split()
        index = len(words) if line.endswith(" ") else len(words) - 1
        return {
            "_MLPATH_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(index),
        }
    return {
        "_MLPATH_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": action,
    }


def complete(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], typer: bool
) -> tuple[str, int]:
    """(stdout, exit code) of one completion request, run in this process."""
    with monkeypatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        if typer:
            patch.setenv(cli.DISABLE_ENV, "1")
        else:
            patch.delenv(cli.DISABLE_ENV, raising=False)
        out = io.StringIO()
        patch.setattr(sys, "stdout", out)
        code = cli.run([], Environment(stdout=out, stderr=sys.stderr))
    return out.getvalue(), code


def quick_answers(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]) -> bool:
    with monkeypatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        return answer(os.environ) is not None


def lines_for_every_command() -> Iterator[str]:
    """Command names, option names, option values and arguments, whole and partial."""
    yield from ("mlpath ", "mlpath s", "mlpath p", "mlpath x", "mlpath -", "mlpath --")
    yield from ("mlpath --l", "mlpath --lang ", "mlpath --lang z", "mlpath --lang zh ")
    yield from ("mlpath --no-pager -", "mlpath --lang en --no-pager -", "mlpath --catalog ")
    for command in COMMANDS:
        name = command.name
        yield from (f"mlpath {name} ", f"mlpath {name} -", f"mlpath {name} --")
        yield from (f"mlpath {name} --j", f"mlpath {name} --json -", f"mlpath {name[:2]}")
        for option in command.options:
            for option_name in option.names:
                yield f"mlpath {name} {option_name[:3]}"
                if option.kind == FLAG:
                    yield f"mlpath {name} {option_name} -"
                    yield f"mlpath {name} {option_name} "
                    continue
                yield f"mlpath {name} {option_name} "
                yield f"mlpath {name} {option_name} g"
                yield f"mlpath {name} {option_name}=b"
                yield f"mlpath {name} {option_name} x -"
                yield f"mlpath {name} {option_name} x "
            for choice in option.choices:
                yield f"mlpath {name} {option.names[0]} {choice[:1]}"
        if command.arguments:
            yield from (f"mlpath {name} a", f"mlpath {name} gam", f"mlpath {name} GAM")
            yield from (f"mlpath {name} alpha ", f"mlpath {name} alpha b", f"mlpath {name} -- ")
            yield from (f"mlpath {name} -- -", f"mlpath {name} alpha --json ")


ODD_LINES = (
    # Options a shell passes on that Typer alone should judge, or quirks of Click's.
    "mlpath list -- --kind ",
    "mlpath list --section --kind ",
    "mlpath list --kind=",
    "mlpath list --kind =",
    "mlpath list --kind= ",
    "mlpath next -n",
    "mlpath next -n ",
    "mlpath next -n3 -",
    "mlpath reset -yk ",
    "mlpath show alpha --bogus ",
    "mlpath show --bogus a",
    "mlpath --bogus show a",
    "mlpath bogus a",
    "mlpath --version ",
    "mlpath --help -",
    "mlpath list --help -",
    "mlpath list -h --",
    "mlpath --lang zh show a",
    "mlpath --lang=zh show ",
    "mlpath --lang xx show a",
    "mlpath --lang zh --lang en show a",
    "mlpath --catalog 2025 show a",
    "mlpath --catalog . show a",
    "mlpath --catalog ./nowhere.json show a",
    "mlpath -- show a",
    "mlpath --lang -- show a",
    "mlpath note alpha some words ",
    "mlpath paths use ",
    "mlpath paths use 2025 -",
    "mlpath undo abc -",
    "mlpath export -o out.csv -",
    "mlpath import ",
    "mlpath 'show' 'al",
    'mlpath show "gam',
    "mlpath\tshow\tgam",
    "mlpath done alpha beta gam",
    "mlpath done --json alpha -",
    "mlpath list --free --paid -",
    "mlpath list --status done --status d",
    "mlpath add --after ",
    "mlpath add My book --section b",
)


@pytest.fixture(params=["mini", "bundled"])
def catalog(request: pytest.FixtureRequest, mini_catalog: Path) -> str:
    if request.param == "bundled":
        os.environ.pop("MLPATH_CATALOG")  # the default path; monkeypatch restores it
    return str(request.param)


@pytest.mark.parametrize("shell", SHELLS)
def test_quick_completion_prints_what_typer_prints(
    monkeypatch: pytest.MonkeyPatch, catalog: str, shell: str
) -> None:
    lines = [*lines_for_every_command(), *ODD_LINES]
    answered = 0
    for line in lines:
        environ = request(shell, line)
        quick = complete(monkeypatch, environ, typer=False)
        assert quick == complete(monkeypatch, environ, typer=True), (shell, line)
        answered += quick_answers(monkeypatch, environ)
    # Most requests are answered quickly (zsh and fish leave help Rich would wrap
    # to Typer: option names with long help).
    assert answered >= len(lines) * (0.8 if shell == "bash" else 0.6), answered


QUICK_LINES = (
    "mlpath ",
    "mlpath s",
    "mlpath show gam",
    "mlpath show ",
    "mlpath done alpha gam",
    "mlpath skip ",
    "mlpath --lang zh show a",
    "mlpath list --kind v",
    "mlpath list --kind=v",
    "mlpath list --status d",
    "mlpath list --section b",
    "mlpath skip -s ",
    "mlpath export --format m",
    "mlpath plan --pace ",
    "mlpath goal --scope ",
    "mlpath --lang ",
    "mlpath add --after g",
    "mlpath list -- --kind ",
    "mlpath done -- a",
    "mlpath show gamma-book ",
)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("line", QUICK_LINES)
def test_ids_choices_and_commands_are_answered_without_typer(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, shell: str, line: str
) -> None:
    environ = request(shell, line)
    assert quick_answers(monkeypatch, environ)
    assert complete(monkeypatch, environ, typer=False) == complete(
        monkeypatch, environ, typer=True
    )


@pytest.mark.parametrize(
    ("shell", "line", "printed"),
    [
        ("bash", "mlpath show gam", "gamma-book\ngamma-course\n"),
        ("bash", "mlpath list --status d", "doing\ndone\n"),
        (
            "zsh",
            "mlpath --lang zh show a",
            """_arguments '*: :(("alpha":"阿尔法"))'\n""",
        ),
        ("zsh", "mlpath show zzz", "_files\n"),
        ("fish", "mlpath skip -s b", "books\tBooks\n"),
        (
            "fish",
            "mlpath se",
            "sections\tList the sections, with their size and...\n"
            "search\tSearch titles, authors, descriptions and...\n",
        ),
    ],
)
def test_what_the_shell_is_given(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, shell: str, line: str, printed: str
) -> None:
    assert complete(monkeypatch, request(shell, line), typer=False) == (printed, 0)


@pytest.mark.parametrize(("line", "code"), [("mlpath show gam", 0), ("mlpath show zzz", 1)])
def test_fish_asks_only_whether_there_are_arguments(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, line: str, code: int
) -> None:
    environ = request("fish", line, action="is-args")
    assert quick_answers(monkeypatch, environ)
    assert complete(monkeypatch, environ, typer=False) == ("", code)
    assert complete(monkeypatch, environ, typer=True) == ("", code)


@pytest.mark.parametrize("columns", ["20", "40", "200"])
@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_help_rich_would_wrap_is_left_to_typer(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, shell: str, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for line in ("mlpath ", "mlpath -", "mlpath list -", "mlpath show gam"):
        environ = request(shell, line)
        assert complete(monkeypatch, environ, typer=False) == complete(
            monkeypatch, environ, typer=True
        ), (columns, line)


def test_the_help_option_is_listed_in_this_process_order(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path
) -> None:
    # Click orders -h and --help by a set, so by string hashes: differently in each
    # process; Python's hash seed is fixed here to see both orders.
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        printed = []
        for fast in (True, False):
            env = {
                **os.environ,
                **request("bash", "mlpath list -"),
                "PYTHONHASHSEED": seed,
            }
            if not fast:
                env[cli.DISABLE_ENV] = "1"
            done = subprocess.run(
                [sys.executable, "-m", "mlpath"], env=env, capture_output=True, check=True
            )
            printed.append(done.stdout)
        assert printed[0] == printed[1]
        outputs.add(printed[0])
    assert len(outputs) == 2  # both orders were seen


def imported_modules(environ: dict[str, str]) -> tuple[set[str], bytes]:
    """Top-level packages a `python -m mlpath` run imports (from -X importtime), and
    its stdout."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlpath"],
        env={**os.environ, **environ},
        capture_output=True,
        check=False,
    )
    names = set()
    for row in done.stderr.decode().splitlines():
        if row.startswith("import time:") and "|" in row:
            names.add(row.rsplit("|", 1)[1].strip().split(".")[0])
    return names, done.stdout


HEAVY = {"typer", "click", "rich", "pydantic", "pydantic_core"}


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    "line", ["mlpath show gam", "mlpath list --kind v", "mlpath ", "mlpath --lang zh done a"]
)
def test_a_completion_request_imports_no_typer_click_rich_or_pydantic(
    mini_catalog: Path, shell: str, line: str
) -> None:
    imported_modules(request(shell, line))  # builds the catalog cache, once, with pydantic
    names, printed = imported_modules(request(shell, line))
    assert "mlpath" in names
    assert not names & HEAVY, sorted(names & HEAVY)
    typer_names, typer_printed = imported_modules({**request(shell, line), cli.DISABLE_ENV: "1"})
    assert "typer" in typer_names  # the check sees Typer where it is imported
    assert printed == typer_printed and printed  # the same bytes, Chinese titles too


def test_requests_it_does_not_understand_still_reach_typer(mini_catalog: Path) -> None:
    names, printed = imported_modules({"_MLPATH_COMPLETE": "source_bash"})
    assert "typer" in names
    assert b"complete -o" in printed or b"_mlpath_completion" in printed

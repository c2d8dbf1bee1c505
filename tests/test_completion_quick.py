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
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath import cli
from mlpath.completion_quick import answer
from mlpath.definition import COMMANDS, FLAG, IDS
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


def lines_for_every_command() -> list[str]:
    """Command names, option names, option values and arguments, whole and partial."""
    lines = ["mlpath ", "mlpath s", "mlpath p", "mlpath x", "mlpath -", "mlpath --"]
    lines += ["mlpath --l", "mlpath --lang ", "mlpath --lang z", "mlpath --lang zh "]
    lines += ["mlpath --no-pager -", "mlpath --lang en --no-pager -", "mlpath --catalog "]
    for command in COMMANDS:
        name = command.name
        lines += [f"mlpath {name} ", f"mlpath {name} -", f"mlpath {name} --"]
        lines += [f"mlpath {name} --j", f"mlpath {name} --json -", f"mlpath {name[:2]}"]
        for option in command.options:
            first, *others = option.names
            lines += [f"mlpath {name} {first[:3]}", f"mlpath {name} {first} -"]
            lines += [f"mlpath {name} {other} " for other in others]
            if option.kind != FLAG:
                lines += [f"mlpath {name} {first} ", f"mlpath {name} {first} g"]
                lines += [f"mlpath {name} {first}=b", f"mlpath {name} {first} x "]
            lines += [f"mlpath {name} {first} {choice[:1]}" for choice in option.choices]
        if command.arguments:
            lines += [f"mlpath {name} a", f"mlpath {name} GAM", f"mlpath {name} alpha "]
            lines += [f"mlpath {name} alpha b", f"mlpath {name} -- -", f"mlpath {name} -- g"]
    return list(dict.fromkeys(lines))


ODD_LINES = (
    # Options a shell passes on that Typer alone should judge, or quirks of Click's.
    "mlpath list -- --kind ",
    "mlpath list --section --kind ",
    "mlpath list --kind=",
    "mlpath list --kind = v",  # bash splits `--kind=v` at the `=` in COMP_WORDS
    "mlpath --catalog=2025 show d",
    "mlpath show '' ",
    "mlpath show 'gam",
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


@pytest.mark.parametrize("shell", SHELLS)
def test_quick_completion_prints_what_typer_prints(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, shell: str
) -> None:
    lines = [*lines_for_every_command(), *ODD_LINES]
    answered = 0
    for line in lines:
        environ = request(shell, line)
        quick = complete(monkeypatch, environ, typer=False)
        assert quick == complete(monkeypatch, environ, typer=True), (shell, line)
        answered += quick_answers(monkeypatch, environ)
    # Nearly all are answered quickly: what is left to Typer are the odd ones.
    assert answered >= len(lines) - len(ODD_LINES), answered


def id_lines() -> list[str]:
    """Every id of the bundled paths, parts, in both languages."""
    lines = []
    for command in COMMANDS:
        if any(argument.complete == IDS for argument in command.arguments):
            lines += [f"mlpath {command.name} ", f"mlpath --lang zh {command.name} "]
            lines += [f"mlpath --catalog 2025 {command.name} d", f"mlpath {command.name} d2l/"]
    return lines


@pytest.mark.parametrize("shell", SHELLS)
def test_the_bundled_paths_ids_and_titles_come_out_as_typer_prints_them(
    monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    for line in id_lines():
        environ = request(shell, line)
        assert complete(monkeypatch, environ, typer=False) == complete(
            monkeypatch, environ, typer=True
        ), (shell, line)
    assert quick_answers(monkeypatch, request(shell, "mlpath --lang zh show "))


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
    assert quick_answers(monkeypatch, request(shell, line))
    assert complete(monkeypatch, request(shell, line), typer=False) == (printed, 0)


@pytest.mark.parametrize(("line", "code"), [("mlpath show gam", 0), ("mlpath show zzz", 1)])
def test_fish_asks_only_whether_there_are_arguments(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, line: str, code: int
) -> None:
    environ = request("fish", line, action="is-args")
    assert quick_answers(monkeypatch, environ)
    assert complete(monkeypatch, environ, typer=False) == ("", code)
    assert complete(monkeypatch, environ, typer=True) == ("", code)


@pytest.mark.parametrize("columns", ["4", "20", "40", "80", "200"])
@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_help_rich_wraps_comes_out_wrapped_as_typer_prints_it(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, shell: str, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for line in (
        "mlpath ",
        "mlpath -",
        "mlpath list -",
        "mlpath show gam",
        "mlpath --lang zh show a",
        "mlpath --lang zh -",
        "mlpath --lang zh export -",
        "mlpath --lang zh s",
    ):
        environ = request(shell, line)
        assert complete(monkeypatch, environ, typer=False) == complete(
            monkeypatch, environ, typer=True
        ), (columns, line)
        # English help and Chinese titles are wrapped here at any of these widths.
        assert quick_answers(monkeypatch, environ), (columns, line)


QUICK_ANSWER = (
    "import os, sys\n"
    "from mlpath.completion_quick import answer\n"
    "sys.stdout.write(answer(os.environ)[0])\n"
)


def test_the_help_option_is_listed_in_this_process_order(mini_catalog: Path) -> None:
    # Click orders -h and --help by a set, so by string hashes: differently in each
    # process; Python's hash seed is fixed here to see both orders.
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, **request("bash", "mlpath list -"), "PYTHONHASHSEED": seed}
        quick = subprocess.run(
            [sys.executable, "-c", QUICK_ANSWER], env=env, capture_output=True, check=True
        ).stdout
        env[cli.DISABLE_ENV] = "1"
        typer = subprocess.run(
            [sys.executable, "-m", "mlpath"], env=env, capture_output=True, check=True
        ).stdout
        assert quick == typer
        outputs.add(quick)
    assert len(outputs) == 2  # both orders were seen


def mlpath(*args: str) -> None:
    out = io.StringIO()
    assert cli.run(list(args), Environment(stdout=out, stderr=sys.stderr)) == 0, out.getvalue()


@pytest.mark.parametrize("shell", SHELLS)
def test_parts_and_own_resources_are_offered_with_their_titles(
    monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    mlpath("add", "Deep Learning", "--section", "books", "--parts", "2")
    mlpath("parts", "d2l", "--add", "My extra chapter")
    offered = {
        "mlpath done my-": [("my-deep-learning", "Deep Learning")],
        "mlpath start my-deep-learning/": [
            ("my-deep-learning/my-1", "Part 1"),
            ("my-deep-learning/my-2", "Part 2"),
        ],
        "mlpath show d2l/lin": [
            ("d2l/linear-regression", "Linear Neural Networks for Regression"),
            ("d2l/linear-classification", "Linear Neural Networks for Classification"),
        ],
        "mlpath done d2l/my": [("d2l/my-extra-chapter", "My extra chapter")],
        "mlpath --lang zh skip d2l/p": [("d2l/preliminaries", "预备知识")],
    }
    for line, items in offered.items():
        environ = request(shell, line)
        printed = complete(monkeypatch, environ, typer=False)
        assert printed == complete(monkeypatch, environ, typer=True)
        if shell == "bash":
            expected = "".join(f"{value}\n" for value, _ in items)
        elif shell == "fish":
            expected = "".join(f"{value}\t{title}\n" for value, title in items)
        else:
            entries = "\n".join(f'"{value}":"{title}"' for value, title in items)
            expected = f"_arguments '*: :(({entries}))'\n"
        assert printed == (expected, 0), line


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
    for instruction in ("source_bash", "complete_powershell", "complete", "bash_complete"):
        assert (
            answer({"_MLPATH_COMPLETE": instruction, "COMP_WORDS": "mlpath ", "COMP_CWORD": "1"})
            is None
        )
    names, printed = imported_modules({"_MLPATH_COMPLETE": "source_bash"})
    assert "typer" in names
    assert b"complete -o" in printed or b"_mlpath_completion" in printed


def test_no_character_takes_more_cells_than_the_quick_path_allows_for() -> None:
    # The quick path answers zsh and fish only with titles Rich would not wrap; it must
    # never count a title narrower than Rich does (Rich's table may be newer than ours).
    from rich.cells import cell_len

    from mlpath.completion_quick import _most_cells

    printable = [chr(c) for c in range(0x20, 0x110000) if chr(c).isprintable()]
    assert [c for c in printable if _most_cells(c) < cell_len(c)] == []
    assert _most_cells("入门 Intro") == 4 + 6


def test_the_widths_the_quick_path_knows_are_richs() -> None:
    from rich.cells import cell_len

    from mlpath.completion_quick import _known_cells

    known = [chr(c) for c in range(0x20, 0x110000) if _known_cells(chr(c))]
    assert [c for c in known if _known_cells(c) != cell_len(c)] == []
    assert "，" in known and "。" in known and "—" in known and "入" in known


@settings(max_examples=600, deadline=None)
@given(
    text=st.text(alphabet=" abc:-.()[]é入门，。（）—《》↑", min_size=1, max_size=90),
    width=st.integers(min_value=1, max_value=70),
)
def test_help_comes_out_as_rich_renders_it_at_any_width(text: str, width: int) -> None:
    # What Typer does to a title or help before zsh and fish see it, at this width.
    from typer.rich_utils import rich_render_text

    from mlpath.completion_quick import _as_rich_renders

    environ = {"COLUMNS": str(width)}
    shown = _as_rich_renders(text, environ)
    if shown is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("COLUMNS", str(width))
            assert shown == rich_render_text(text)
    if "[" not in text and text.count(":") < 2 and (text.isascii() or width > 1):
        # ASCII is answered at every width, Chinese wherever a character fits a line.
        assert shown is not None or "↑" in text


# What zsh and fish show beside command and option names in Chinese (issue 14): the
# reader's language from MLPATH_LANG, the locale, or a `--lang` typed on the line.
CHINESE_NAMES = {
    "mlpath se": [
        ("sections", "列出各章节，以及它们的规模和预计用时。"),
        ("search", "搜索标题、作者、简介和标签。"),
    ],
    "mlpath list --js": [("--json", "输出 JSON，供脚本使用。")],
    "mlpath list --he": [("--help", "显示这条帮助并退出。")],
    "mlpath --no": [
        (
            "--no-pager",
            "长输出直接打印到终端，不经过分页器（MLPATH_PAGER 或 PAGER，否则用 less）。",
        )
    ],
    "mlpath --ins": [("--install-completion", "为当前的 shell 安装命令补全。")],
}


@pytest.mark.parametrize("shell", ["zsh", "fish"])
@pytest.mark.parametrize(
    ("asked", "typed"),
    [
        ({"MLPATH_LANG": "zh"}, ""),
        ({"LANG": "zh_CN.UTF-8"}, ""),
        ({}, "--lang zh "),
        ({"MLPATH_LANG": "en"}, "--lang zh "),
    ],
)
def test_names_are_described_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
    mini_catalog: Path,
    shell: str,
    asked: dict[str, str],
    typed: str,
) -> None:
    for line, items in CHINESE_NAMES.items():
        line = line.replace("mlpath ", f"mlpath {typed}", 1)
        environ = {**request(shell, line), **asked}
        if shell == "fish":
            expected = "".join(f"{value}\t{about}\n" for value, about in items)
        else:
            entries = "\n".join(f'"{value}":"{about}"' for value, about in items)
            expected = f"_arguments '*: :(({entries}))'\n"
        assert quick_answers(monkeypatch, environ), line
        assert complete(monkeypatch, environ, typer=False) == (expected, 0), line
        assert complete(monkeypatch, environ, typer=True) == (expected, 0), line


@pytest.mark.parametrize("shell", SHELLS)
def test_chinese_completion_prints_what_typer_prints(
    monkeypatch: pytest.MonkeyPatch, mini_catalog: Path, shell: str
) -> None:
    monkeypatch.setenv("MLPATH_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "80")
    lines = [*lines_for_every_command(), *ODD_LINES]
    answered = 0
    for line in lines:
        environ = request(shell, line)
        assert complete(monkeypatch, environ, typer=False) == complete(
            monkeypatch, environ, typer=True
        ), (shell, line)
        answered += quick_answers(monkeypatch, environ)
    assert answered >= len(lines) - len(ODD_LINES), answered
    # Chinese help wider than the terminal (--catalog's, export's) is wrapped here too.
    for line in ("mlpath -", "mlpath export -", "mlpath plan --h"):
        assert quick_answers(monkeypatch, request(shell, line)), line


@pytest.mark.parametrize(
    ("lang", "shell", "said", "code"),
    [
        (
            "zh",
            "zsh",
            "zsh 的命令补全已安装到 {home}/.zfunc/_mlpath\n重新打开终端后，命令补全就会生效\n",
            0,
        ),
        (
            "en",
            "zsh",
            "zsh completion installed in {home}/.zfunc/_mlpath\n"
            "Completion will take effect once you restart the terminal\n",
            0,
        ),
        ("zh", "sh", "不支持 sh 这个 shell。\n", 1),
    ],
)
def test_installing_completion_says_so_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    lang: str,
    shell: str,
    said: str,
    code: int,
) -> None:
    import typer._completion_shared

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(typer._completion_shared, "_get_shell_name", lambda: shell)
    capsys.readouterr()
    assert cli.run(["--lang", lang, "--install-completion"]) == code
    assert capsys.readouterr().out == said.format(home=tmp_path)
    script = tmp_path / ".zfunc" / "_mlpath"
    assert script.exists() is (code == 0)
    if code == 0:
        assert "_MLPATH_COMPLETE=complete_zsh" in script.read_text()

"""The commands as a user runs them: exit codes, what is printed, what is recorded.

Every test runs twice through the `run` fixture: as users run mlpath (the fast path
answers next/done) and with the fast path disabled, so both give the same answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, payload
from mlpath import __version__


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mlpath {__version__}\n"


def test_next_on_a_fresh_machine_creates_nothing(run: Run, mini_catalog: Path, home: Path) -> None:
    result = run("next")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "▶ alpha · Alpha Intro\n"
        "  Intro · video · free · about 30 min\n"
        "  https://example.org/alpha\n"
        "  next in Intro — 0 of 2 done\n"
        "\n"
        "0 of 4 done · about 24 h left\n"  # core: not the optional book (issue 13)
    )
    assert not home.exists()


def test_daily_loop_done_next_undo(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha").stdout == "done: alpha · Alpha Intro\n"
    assert run("next", "--short").stdout == "▶ beta · Beta Article (intro)\n"
    again = run("done", "alpha")
    assert again.exit_code == 0
    assert again.stdout == "already done: alpha · Alpha Intro — nothing recorded\n"
    undo = run("undo")
    assert undo.exit_code == 0
    assert undo.stdout.startswith("undid: done alpha (")
    assert run("next", "--short").stdout == "▶ alpha · Alpha Intro (intro)\n"


def test_ids_are_forgiving(run: Run, mini_catalog: Path) -> None:
    assert run("done", "ALP").stdout == "done: alpha · Alpha Intro\n"


def test_unknown_id_suggests(run: Run, mini_catalog: Path) -> None:
    result = run("done", "alpah")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "mlpath: unknown resource 'alpah' — did you mean 'alpha'?\n"


def test_ambiguous_prefix_lists_candidates(run: Run, mini_catalog: Path) -> None:
    result = run("done", "gamma")
    assert result.exit_code == 1
    assert result.stderr == (
        "mlpath: 'gamma' matches several resources: gamma-book, gamma-course\n"
    )


def test_a_bad_id_among_several_records_nothing(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha", "nope").exit_code == 1
    assert payload(run("history", "--json").stdout)["changes"] == []


def test_next_json_is_stable_and_parses(run: Run, mini_catalog: Path) -> None:
    data = payload(run("next", "--json", "-n", "2").stdout, "next")
    assert [step["id"] for step in data["next"]] == ["alpha", "gamma-book"]
    first = data["next"][0]
    assert (first["status"], first["started"], first["section_title"]) == ("todo", None, "Intro")
    assert (first["section_done"], first["section_total"]) == (0, 2)
    # The core horizon: the optional book is offered (it is the second step), not counted.
    assert data["progress"] == {
        "total": 4,
        "done": 0,
        "doing": 0,
        "skipped": 0,
        "todo": 4,
        "done_percent": 0.0,
        "done_or_skipped_percent": 0.0,
        "minutes_done": 0,
        "minutes_left": 1440,
        "hours_done": 0.0,
        "hours_left": 24.0,
    }
    assert data["horizon"] == {"scope": "core", "goal": None, "done_by": None}
    assert data["complete"] is False


def test_next_free_and_section_filters(run: Run, mini_catalog: Path) -> None:
    assert run("next", "--free", "-n", "5", "--short").stdout == "▶ alpha · Alpha Intro (intro)\n"
    books = payload(run("next", "--section", "books", "-n", "5", "--json").stdout)
    assert [s["id"] for s in books["next"]] == ["gamma-book", "gamma-course"]
    paid = run("next", "--section", "books", "-n", "2")
    assert "  Books · course · paid (free to audit) · about 20 h\n" in paid.stdout


def test_next_unknown_section_lists_valid_ones(run: Run, mini_catalog: Path) -> None:
    result = run("next", "--section", "novels")
    assert result.exit_code == 1
    assert result.stderr == (
        "mlpath: unknown section 'novels' — choose from: intro, books, practice\n"
    )


def test_whole_path_done_says_so(run: Run, mini_catalog: Path) -> None:
    run("done", "alpha", "beta", "gamma-book", "gamma-course", "delta")
    result = run("next")
    assert result.exit_code == 0
    assert result.stdout.startswith("The whole path is done")


def test_chinese_titles(run: Run, mini_catalog: Path) -> None:
    result = run("next", "--lang", "zh")
    assert result.stdout.startswith("▶ alpha · 阿尔法\n  入门 · 视频 · 免费")
    assert run("--lang", "zh", "next", "--short").stdout == "▶ alpha · 阿尔法 (intro)\n"


def test_language_from_the_environment(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert run("next", "--short").stdout == "▶ alpha · 阿尔法 (intro)\n"
    monkeypatch.setenv("MLPATH_LANG", "en")
    assert run("next", "--short").stdout == "▶ alpha · Alpha Intro (intro)\n"


def test_start_puts_a_resource_first(run: Run, mini_catalog: Path) -> None:
    assert run("start", "delta").stdout == "started: delta · Delta Practice\n"
    assert run("next", "--short").stdout == "▶ delta · Delta Practice (practice)\n"


def test_skip_a_whole_section(run: Run, mini_catalog: Path) -> None:
    result = run("skip", "--section", "books")
    assert (
        result.stdout == "skipped: gamma-book · Gamma Book\nskipped: gamma-course · Gamma Course\n"
    )
    statuses = {r["id"]: r["status"] for r in payload(run("list", "--json").stdout)["resources"]}
    assert statuses == {
        "alpha": "todo",
        "beta": "todo",
        "gamma-book": "skipped",
        "gamma-course": "skipped",
        "delta": "todo",
    }


def test_skip_needs_something_to_skip(run: Run, mini_catalog: Path) -> None:
    result = run("skip")
    assert result.exit_code == 2
    assert "name at least one ID or --section" in result.stderr


def test_reset_all_asks_first_and_yes_skips_the_question(run: Run, mini_catalog: Path) -> None:
    run("done", "alpha", "beta")
    refused = run("reset", "--all")  # no terminal to answer: nothing is reset
    assert refused.exit_code == 1
    assert refused.stderr == (
        "mlpath: reset --all would reset 2 resources; confirm with --yes (no terminal to ask)\n"
    )
    assert len(payload(run("list", "--json", "--status", "done").stdout)["resources"]) == 2
    confirmed = run("reset", "--all", "--yes")
    assert confirmed.exit_code == 0
    assert "reset: alpha · Alpha Intro (was done)" in confirmed.stdout
    assert payload(run("list", "--json", "--status", "done").stdout)["resources"] == []


def test_undo_several_and_nothing_left(run: Run, mini_catalog: Path) -> None:
    run("done", "alpha")
    run("skip", "beta")
    result = run("undo", "5")
    assert result.exit_code == 0
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        "undid: skipped beta",
        "undid: done alpha",
    ]
    empty = run("undo")
    assert empty.exit_code == 1
    assert empty.stderr == "mlpath: nothing to undo — no change is left to revert\n"


def test_note_and_show(run: Run, mini_catalog: Path) -> None:
    run("start", "beta")
    assert run("note", "beta", "read twice").stdout == "noted: beta\n"
    shown = run("show", "beta")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[0] == "beta · Beta Article"
    assert "status: doing" in lines
    assert "needs: alpha (todo)" in lines
    assert "unlocks: delta (todo)" in lines
    assert lines[-1].endswith("  read twice")
    assert any(line.startswith("started: ") for line in lines)
    assert not any(line.startswith("finished: ") for line in lines)
    details = payload(run("show", "beta", "--json").stdout, "show")
    assert details["status"] == "doing"
    assert details["started"] is not None and details["finished"] is None
    assert [n["text"] for n in details["notes"]] == ["read twice"]


def test_show_an_id_the_catalog_no_longer_has(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run("done", "alpha")
    data = json.loads(mini_catalog.read_text(encoding="utf-8"))
    data["resources"] = [r for r in data["resources"] if r["id"] != "alpha"]
    data["resources"][0]["prerequisites"] = []
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(smaller))
    shown = run("show", "alpha")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("alpha — not in this catalog (its history is kept)\n")


def test_history_newest_first(run: Run, mini_catalog: Path) -> None:
    run("done", "alpha")
    run("note", "alpha", "nice")
    history = payload(run("history", "--json").stdout)["changes"]
    assert [(h["action"], h["resource"]) for h in history] == [
        ("note", "alpha"),
        ("status", "alpha"),
    ]
    assert len(payload(run("history", "--json", "--limit", "1").stdout)["changes"]) == 1


def test_list_filters_select_what_they_say(run: Run, mini_catalog: Path) -> None:
    def listed(*args: str) -> list[str]:
        result = run("list", "--json", *args)
        assert result.exit_code == 0, result.stderr
        return [r["id"] for r in payload(result.stdout)["resources"]]

    assert listed() == ["alpha", "beta", "gamma-book", "gamma-course", "delta"]
    assert listed("--free") == ["alpha", "beta", "delta"]
    assert listed("--paid") == ["gamma-book", "gamma-course"]
    assert listed("--section", "intro", "--section", "practice") == ["alpha", "beta", "delta"]
    assert listed("--kind", "book") == ["gamma-book"]
    assert listed("--optional") == ["gamma-book"]
    assert listed("--required", "--paid") == ["gamma-course"]
    run("done", "beta")
    assert listed("--status", "done") == ["beta"]


def test_list_piped_is_plain_columns(run: Run, mini_catalog: Path) -> None:
    result = run("list", "--free")
    assert result.stdout.splitlines() == [
        "status  id     title           section   kind       cost  time",
        "todo    alpha  Alpha Intro     intro     video      free  30 min",
        "todo    beta   Beta Article    intro     article    free  1 h 30 min",
        "todo    delta  Delta Practice  practice  exercises  free  2 h",
    ]
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "--kind", "podcast"), "mlpath: unknown kind 'podcast' — choose from: video, "),
        (("list", "--section", "x"), "mlpath: unknown section 'x' — choose from: intro, books"),
        (("list", "--status", "finished"), "mlpath: unknown status 'finished' — choose from: "),
        (("next", "--lang", "fr"), "mlpath: unknown language 'fr' — choose from: en, zh"),
    ],
)
def test_unknown_filter_values_list_the_valid_ones(
    run: Run, mini_catalog: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1


def test_sections_with_counts_and_time(run: Run, mini_catalog: Path) -> None:
    data = payload(run("sections", "--json").stdout)["sections"]
    assert [(s["id"], s["resources"], s["minutes"]) for s in data] == [
        ("intro", 2, 120),
        ("books", 2, 1800),
        ("practice", 1, 120),
    ]
    assert run("sections").stdout.splitlines()[2].split() == [
        "books",
        "Books",
        "2",
        "0/2",
        "30",
        "h",
        "optional",
    ]


def test_catalog_option_and_broken_catalog(run: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1}', encoding="utf-8")
    result = run("--catalog", str(broken), "next")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"mlpath: catalog {broken} has 3 problems: source: is required"
    )
    assert "Traceback" not in result.stderr


def test_usage_errors_keep_exit_code_2(run: Run, mini_catalog: Path) -> None:
    assert run("next", "-n", "0").exit_code == 2
    assert run("frobnicate").exit_code == 2
    assert run("done").exit_code == 2


def test_bundled_catalog_next(run: Run) -> None:
    result = run("next", "--short")
    assert result.exit_code == 0
    assert result.stdout == "▶ whats-ai-terms · Learn the basics in a minute (start-here)\n"


def test_global_options_in_every_position(run: Run, mini_catalog: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(mini_catalog.read_text(encoding="utf-8"), encoding="utf-8")
    expected = "▶ alpha · 阿尔法 (intro)\n"
    for args in (
        ("--catalog", str(other), "--lang", "zh", "next", "--short"),
        (f"--catalog={other}", "next", "--short", "--lang=zh"),
        ("next", "--short", "--lang", "zh", "--catalog", str(other)),
    ):
        result = run(*args)
        assert (result.exit_code, result.stdout) == (0, expected), args


def test_piped_columns_stay_aligned_with_chinese_titles(run: Run, mini_catalog: Path) -> None:
    lines = run("list", "--lang", "zh", "--section", "intro").stdout.splitlines()
    assert lines[0].startswith("状态  id     标题          章节   ")
    # 阿尔法 takes six terminal columns: padded to the width of "Beta Article", less six.
    assert lines[1].startswith("待学  alpha  阿尔法        intro")
    assert lines[2].startswith("待学  beta   Beta Article  intro")


def test_shell_completion_offers_resource_ids(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_MLPATH_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "mlpath done gam")
    monkeypatch.setenv("COMP_CWORD", "2")
    result = run()
    assert result.exit_code == 0
    assert result.stdout.split() == ["gamma-book", "gamma-course"]


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("mlpath export --format m", ["markdown"]),
        ("mlpath plan --pace a", ["actual"]),
        ("mlpath --lang z", ["zh"]),
        ("mlpath list --kind vi", ["video"]),
        ("mlpath list --status d", ["doing", "done"]),
        ("mlpath show gam", ["gamma-book", "gamma-course"]),
    ],
)
def test_shell_completion_offers_every_kind_of_value(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch, words: str, offered: list[str]
) -> None:
    monkeypatch.setenv("_MLPATH_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - 1))
    result = run()
    assert (result.exit_code, result.stdout.split()) == (0, offered)


@pytest.mark.parametrize("args", [("list",), ("progress",), ("sections",), ("next",)])
def test_no_color_means_no_escape_codes_even_at_a_terminal(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich would style a captured stream
    run("start", "alpha")
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert "Intro" in result.stdout
    assert "\x1b[" not in result.stdout


def test_mlpath_alone_says_what_to_type_first(run: Run) -> None:
    result = run()
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "mlpath — your path into machine learning, from zero, for free"
    )
    assert "  mlpath next          what to do now (start here)" in result.stdout
    assert "mlpath --help" in result.stdout


def test_list_at_a_terminal_groups_by_section_and_never_breaks_an_id(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("list", "--section", "articles", "--section", "books", terminal=True)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Read articles online (optional)"
    assert "Read important books (optional)" in lines
    assert all(len(line) <= 80 for line in lines)
    listed = payload(run("list", "--section", "articles", "--section", "books", "--json").stdout)[
        "resources"
    ]
    words = result.stdout.split()
    assert all(r["id"] in words for r in listed)  # each id whole, on one line


@pytest.mark.parametrize("args", [("show", "3b1b"), ("next", "-n", "3"), ("show", "d2l")])
def test_plain_text_at_a_terminal_folds_at_words_and_keeps_its_indent(
    run: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert run("start", "d2l").exit_code == 0
    folded = run(*args, terminal=True).stdout.splitlines()
    piped = run(*args).stdout.splitlines()
    assert all(len(line) <= 80 or " " not in line.strip() for line in folded), folded
    assert len(folded) > len(piped)  # something was long enough to fold
    # The same words, in the same order: folding only moved line breaks.
    assert " ".join(" ".join(folded).split()) == " ".join(" ".join(piped).split())
    for before, after in zip(folded, folded[1:], strict=False):
        if after.startswith(" ") and len(before) > 70 and not before.startswith("▶"):
            indent = len(before) - len(before.lstrip(" "))
            assert after.startswith(" " * indent)


def test_search_at_a_terminal_never_breaks_an_id(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("search", "neural", terminal=True)
    hits = payload(run("search", "neural", "--json").stdout)["hits"]
    assert hits
    words = result.stdout.split()
    assert all(hit["id"] in words for hit in hits)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("list", "--kind", "vidoe"), "; did you mean video?\n"),
        (("list", "--section", "book"), "; did you mean books?\n"),
        (("list", "--status", "dne"), "; did you mean done?\n"),
    ],
)
def test_a_mistyped_choice_gets_a_guess(
    run: Run, mini_catalog: Path, args: tuple[str, ...], line: str
) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.endswith(line) and result.stderr.count("\n") == 1


def test_a_bad_value_is_refused_in_our_words_and_changes_nothing(
    run: Run, mini_catalog: Path, home: Path
) -> None:
    result = run("plan", "-w", "abc")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith("-w/--hours-per-week: 'abc' is not a number\n") or (
        "'-w': 'abc' is not a number" in result.stderr  # Click's frame, our words
    )
    assert not home.exists()


def test_a_bad_value_at_the_terminal_is_one_line_and_json_when_asked(
    mini_catalog: Path,
) -> None:
    def mlpath(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mlpath", *args], capture_output=True, text=True, check=False
        )

    result = mlpath("plan", "-w", "abc")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "mlpath: -w/--hours-per-week: 'abc' is not a number\n"
    as_json = mlpath("plan", "--pace", "actul", "--json")
    assert as_json.returncode == 2
    assert json.loads(as_json.stdout) == {
        "command": "plan",
        "ok": False,
        "error": "--pace: 'actul' is not one of: hours, actual — did you mean actual?",
    }


def test_forms_only_click_reads_get_our_words_too(run: Run, mini_catalog: Path) -> None:
    result = run("next", "-n=x")
    assert result.exit_code == 2
    assert "'=x' is not a whole number" in result.stderr
    assert "Input should be" not in result.stderr


def test_force_color_gives_a_pipe_the_terminals_look(mini_catalog: Path) -> None:
    def listing(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "mlpath", "list"],
            capture_output=True,
            text=True,
            check=True,
            env={k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")} | env,
        )
        return result.stdout

    piped = listing()
    forced = listing(FORCE_COLOR="1", COLUMNS="100")
    assert "\x1b[" not in piped
    assert "\x1b[" in forced and forced != piped
    assert max(len(strip_escapes(line)) for line in forced.splitlines()) <= 100
    assert "\x1b[" not in listing(FORCE_COLOR="0")
    assert "\x1b[" not in listing(FORCE_COLOR="1", NO_COLOR="1")


def strip_escapes(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize(
    ("shell", "words", "printed"),
    [
        (
            "zsh",
            "mlpath show gam",
            """_arguments '*: :(("gamma-book":"Gamma Book"\n"gamma-course":"Gamma Course"))'""",
        ),
        ("fish", "mlpath show gam", "gamma-book\tGamma Book\ngamma-course\tGamma Course"),
        ("zsh", "mlpath list --kind vi", """_arguments '*: :(("video"))'"""),
        ("fish", "mlpath export --format m", "markdown"),
    ],
)
def test_zsh_and_fish_completion_show_titles_beside_ids(
    run: Run,
    mini_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    shell: str,
    words: str,
    printed: str,
) -> None:
    monkeypatch.setenv("_MLPATH_COMPLETE", f"complete_{shell}")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", words)
    monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    result = run()
    assert (result.exit_code, result.stdout.strip()) == (0, printed)

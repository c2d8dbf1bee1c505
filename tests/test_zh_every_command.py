"""With --lang zh, no command says an English word of mlpath's own.

Every command that answers or changes something runs on the bundled catalog, for a
learner with progress, a goal, a resource of their own and parts, plus the errors
people meet (an unknown id, a bad value, Click's usage errors) and every `--help`.
What is left of the output once the catalog's own text (its names, notes and
descriptions, which are data), ids, urls, option names and what people type are taken
out must hold no Latin word but the few the allow-list names, each with its reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Result, Run
from mlpath.definition import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
OWN_TITLE = "Deep Learning with Python"  # the learner's own words: data, like a title
OWN = "my-deep-learning-with-python"

# Latin words a Chinese reader meets in mlpath's own text, and why each stays.
ALLOWED = {
    "mlpath": "the program's name",
    "id": "ids are what people type; Chinese software writes id as is",
    "json": "a format's name, typed as --format json",
    "markdown": "a format's name, typed as --format markdown",
    "csv": "a format's name, typed as --format csv",
    "core": "a --scope value, typed as is (范围 core)",
    "free": "a --scope value, typed as is (范围 free)",
    "all": "a --scope value, typed as is (范围 all)",
    "en": "a --lang value",
    "zh": "a --lang value",
    "shell": "what Chinese technical writing calls a shell",
    "my": "the prefix of the learner's own ids (my-…), typed",
    "git": "a tool's name (a folder sync can go through)",
    "syncthing": "a tool's name (a folder sync can go through)",
    "dropbox": "a tool's name (a folder sync can go through)",
    "jsonl": "the ending of a sync log's file name (mlpath-<机器 id>.jsonl)",
    "sqlite": "the database program mlpath keeps progress in (its command: sqlite3)",
    "mv": "the command to type to move a damaged store aside (mv FILE FILE.broken)",
    "recover": "sqlite3's .recover command, typed as is",
}
# Words only the help pages may hold: values people type after an option.
HELP_ALLOWED = {
    "hours": "a --pace value",
    "actual": "a --pace value",
    "todo": "a --status value",
    "doing": "a --status value",
    "done": "a --status value",
    "skipped": "a --status value",
    "use": "the `paths use` word, typed",
    "http": "a link's scheme (--url takes http or https)",
    "https": "a link's scheme",
    "less": "the pager's name",
    "index": "the shared page's file name, index.html",
    "html": "the shared page's file name, index.html",
    "page": "the shared page's default folder, mlpath-page",
    "docs": "the folder typed in share's example (mlpath share -o docs)",
    "svg": "the badge's file name in its example, badge.svg",
}

DATA_FIELDS = (
    "title",
    "title_zh",
    "title_zh_seed",
    "author",
    "author_zh",
    "url_note",
    "url_note_zh",
    "minutes_note",
    "minutes_note_zh",
    "description",
    "description_zh",
    "note",
)


def catalog_text() -> tuple[list[str], list[str]]:
    """The bundled catalogs' displayed text (longest first), and their ids."""
    texts: set[str] = {OWN_TITLE}
    ids: set[str] = set()

    def walk(node: object, resource: str | None = None) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in DATA_FIELDS and isinstance(value, str):
                    texts.add(value)
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
                if resource is not None:
                    ids.add(f"{resource}/{node['id']}")
            child = node["id"] if isinstance(node.get("id"), str) and "section" in node else None
            for value in node.values():
                walk(value, child or resource)
        elif isinstance(node, list):
            for value in node:
                walk(value, resource)

    for name in ("resources.json", "resources-2025.json"):
        walk(json.loads((ROOT / "data" / name).read_text(encoding="utf-8")))
    return sorted(texts, key=len, reverse=True), sorted(ids, key=len, reverse=True)


def english_words(output: str, allowed: set[str], typed: tuple[str, ...] = ()) -> set[str]:
    """The Latin words of `output` that are neither data nor typed nor allowed."""
    texts, ids = catalog_text()
    for text in texts:
        output = output.replace(text, " ")
    output = re.sub(r"https?://\S+", " ", output)
    output = re.sub(r"`[^`]*`", " ", output)  # commands to type, as typed
    output = re.sub(r"\S*/\S*", " ", output)  # files, part ids, ranges
    output = re.sub(r"[\w-]+\.(?:json|md|csv)\b", " ", output)  # file names in examples
    for word in sorted({*ids, OWN, *typed}, key=len, reverse=True):
        output = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", output)
    output = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", output)  # options
    output = re.sub(r"\bmlpath(?: [a-z]+)?", " ", output)  # the command's name, as typed
    output = re.sub(r"\b[A-Z][A-Z0-9_]+\b", " ", output)  # metavars, variables: ID, MLPATH_HOME
    output = re.sub(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", " ", output)  # ids of sections and paths
    return {w for w in re.findall(r"[A-Za-z]{2,}", output) if w.lower() not in allowed}


@pytest.fixture
def zh(run: Run, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """`run` in Chinese, at a terminal wide enough that no catalog text is folded."""
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM"):
        monkeypatch.delenv(name, raising=False)  # `open` prints the link instead
    monkeypatch.setenv("MLPATH_PAGER", "cat")

    def chinese(*args: str, terminal: bool = False) -> object:
        return run("--lang", "zh", *args, terminal=terminal)

    yield chinese  # type: ignore[misc]


CHANGES = [
    ("done", "whats-ai-terms"),
    ("start", "3b1b-neural-networks"),
    ("done", "3b1b-neural-networks/1"),
    ("skip", "numpy-100"),
    ("note", "d2l", "第三章很难，要重做练习"),
    ("goal", "--hours-per-week", "6"),
    ("goal", "--hours-per-week", "6"),
    ("goal",),
    ("add", OWN_TITLE, "--section", "books", "--parts", "3", "--minutes", "600"),
    ("parts", OWN, "--add", "第四章", "--minutes", "60"),
    ("parts", OWN, "--remove", "4"),
    ("parts", OWN, "--split", "2"),
    ("parts", "d2l", "--add", "练习"),
    ("start", OWN),
    ("done", f"{OWN}/1"),
]
READERS = [
    ("next",),
    ("next", "-n", "3"),
    ("next", "--short"),
    ("list",),
    ("list", "--status", "done", "--status", "doing"),
    ("sections",),
    ("show", "d2l"),
    ("show", "3b1b-neural-networks"),
    ("show", OWN),
    ("progress",),
    ("plan",),
    ("plan", "--free", "--hours-per-week", "10"),
    ("search", "神经网络"),
    ("search", "qqqqzzzz"),
    ("history",),
    ("paths",),
    ("doctor",),
    ("open", "d2l"),
    ("export", "--format", "markdown"),
]
LATER = [
    ("reset", "numpy-100"),
    ("undo",),
    ("remove", OWN),
    ("undo",),
    ("parts", "d2l", "--clear"),
    ("undo", "2"),
    ("goal", "--clear"),
    ("paths", "use", "2022"),
    ("reset", "--all", "--yes"),
    ("reset", "--all", "--yes"),
    ("next",),
]
ERRORS = [
    ("show", "d2x"),  # an unknown id: did you mean
    ("done", "no-such-thing"),
    ("next", "-n", "0"),  # a bad value
    ("plan", "--start", "2027-13-45"),
    ("plan", "--hours-per-week", "0"),
    ("list", "--section", "bookz"),
    ("done",),  # Click: a missing argument
    ("next", "--bogus"),  # Click: no such option
    ("bogus",),  # Click: no such command
    ("shw",),  # Click: no such command, did you mean
    ("note", "d2l"),
    ("parts", "d2l"),
    ("goal", "--scope", "bogus"),  # a value that is not one of the choices
    ("export", "--format", "pdf"),
    ("start", "d2l", "d2l"),  # Click: an extra argument
    ("paths", "use"),  # which paths there are
    ("ui",),  # not at a terminal
]
# What an error suggests typing instead: a command's name, typed as is.
SUGGESTED = {"shw": ("show",)}


# Words of mlpath's own that a command line holds: never taken out as "typed".
VOCABULARY = {c.name for c in COMMANDS} | {"todo", "doing", "done", "skipped", "use"}


def echoed(args: tuple[str, ...]) -> tuple[str, ...]:
    """What of a command line an answer may say back (a query, a wrong id)."""
    return tuple(arg for arg in args if arg not in VOCABULARY)


def test_every_command_speaks_chinese(zh: Run, tmp_path: Path) -> None:
    said: dict[str, str] = {}
    typed: dict[str, tuple[str, ...]] = {}  # what the user typed, echoed back

    def record(*args: str, terminal: bool = False) -> None:
        result = zh(*args, terminal=terminal)
        key = " ".join(args) + (" (terminal)" if terminal else "")
        said[key], typed[key] = result.stdout + result.stderr, echoed(args)

    for args in CHANGES:
        record(*args)
    for args in READERS:
        record(*args)
        record(*args, terminal=True)
    exported = tmp_path / "progress.json"
    record("export", "-o", str(exported))
    record("import", str(exported), "--dry-run")
    record("import", str(exported))
    refused = zh("export", "-o", str(exported))  # the file is there already
    assert refused.exit_code == 1
    said["export (exists)"], typed["export (exists)"] = refused.stderr, ()
    for args in LATER:
        record(*args)
    failed = {}
    for args in ERRORS:
        # Each in a process of its own: a refusal can come before the command speaks.
        shown = subprocess.run(
            [sys.executable, "-m", "mlpath", "--lang", "zh", *args],
            capture_output=True,
            text=True,
            env=os.environ,
        )
        assert shown.returncode != 0, args
        failed[" ".join(args)] = shown.stdout + shown.stderr
        typed[" ".join(args)] = echoed(args) + SUGGESTED.get(" ".join(args), ())

    found = {
        command: words
        for command, output in {**said, **failed}.items()
        if (words := english_words(output, set(ALLOWED), typed[command]))
    }
    assert found == {}
    assert all(output.strip() for output in failed.values())


def test_every_help_page_speaks_chinese(zh: Run) -> None:
    names = tuple(command.name for command in COMMANDS)  # typed as they are
    pages = {"mlpath": zh("--help")}
    pages |= {command.name: zh(command.name, "--help") for command in COMMANDS}
    for page in pages.values():
        assert page.exit_code == 0
    found = {
        name: words
        for name, page in pages.items()
        if (words := english_words(page.stdout, set(ALLOWED) | set(HELP_ALLOWED), names))
    }
    assert found == {}
    assert pages["next"].stdout.startswith("用法：mlpath next [OPTIONS]\n")
    assert "\n选项：\n" in pages["next"].stdout
    assert "\n命令：\n" in pages["mlpath"].stdout
    assert "\n参数：\n" in pages["done"].stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("shw",), "错误：没有这个命令：「shw」——你是不是想输入 'show'？"),
        (("list", "--re"), "错误：没有这个选项：--re——你是不是想输入 --free、--help？"),
    ],
)
def test_clicks_guesses_are_said_in_chinese(zh: Run, args: tuple[str, ...], said: str) -> None:
    result = zh(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == said


def test_the_english_words_are_found() -> None:
    """The check itself: mlpath's English is caught, the catalog's and typed words are not."""
    assert english_words("约 30 分钟 · about 30 min", set(ALLOWED)) == {"about", "min"}
    assert english_words("d2l · Dive into Deep Learning · `mlpath done d2l`", set()) == set()
    assert english_words("用法：mlpath next [OPTIONS] --free", set()) == set()


@pytest.mark.parametrize(
    ("words", "printed"),
    [
        ("mlpath --lang zh list --kind vi", "video\t视频"),
        ("mlpath --lang zh list --status do", "doing\t学习中\ndone\t已完成"),
        ("mlpath list --kind vi", "video"),
    ],
)
def test_completion_says_what_a_kind_or_status_is_in_chinese(
    run: Run, monkeypatch: pytest.MonkeyPatch, words: str, printed: str
) -> None:
    monkeypatch.setenv("_MLPATH_COMPLETE", "complete_fish")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", words)
    monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    result = run()
    assert (result.exit_code, result.stdout.strip()) == (0, printed)


def test_a_kept_help_page_is_kept_per_language(run: Run) -> None:
    """The fast path prints help pages kept from Typer: never one of another language."""
    for _round in range(2):  # the second round reads the kept pages
        assert run("next", "--help").stdout.startswith("Usage: mlpath next [OPTIONS]")
        assert run("--lang", "zh", "next", "--help").stdout.startswith("用法：mlpath next")
        assert run("next", "--help", "--lang", "zh").stdout.startswith("用法：mlpath next")


def test_next_in_chinese_loads_no_heavy_module() -> None:
    """No Babel, Typer or Rich on `next --lang zh`, nor gettext (which imports re and
    locale and parses the whole catalog: an English command's whole cost again, paid
    by every command a Chinese reader runs): mlpath.message_catalog reads the catalog."""
    probe = (
        "import sys, mlpath.cli; mlpath.cli.run(['--lang', 'zh', 'next', '--short']); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'babel', 'typer', 'rich', 'click', 'gettext', 'pydantic', 're', 'locale'}))"
    )
    warm = [sys.executable, "-m", "mlpath", "next"]  # the first run builds the catalog cache
    subprocess.run(warm, capture_output=True, check=True, env=os.environ)
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=os.environ
    )
    assert shown.stdout.strip().endswith("[]")


def sqlite_words_out(output: str) -> str:
    """SQLite's own report of what its check found is quoted as SQLite's (it names the
    page, the table or the rule): data, like the catalog's text."""
    return re.sub(r"SQLite 的(?:完整性)?检查报告：[^（）\n]*", " ", output)


def speaks_chinese(said: dict[str, str], files: list[Path]) -> dict[str, set[str]]:
    """The English of mlpath's own in each output, once the files it names are out."""
    found = {}
    for key, output in said.items():
        for path in sorted(map(str, files), key=len, reverse=True):
            output = output.replace(path, " ")
        output = re.sub(r'"[\w-]+"', " ", output)  # JSON a file must hold: "format"
        output = re.sub(r"[a-z_][\w.\[\]]*: ", " ", output)  # where in a file: sections[2].id
        if words := english_words(sqlite_words_out(output), set(ALLOWED)):
            found[key] = words
    return found


def test_sync_speaks_chinese_on_every_path(
    zh: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What sync says, as it goes well and as each file in the folder goes wrong."""
    from mlpath import sync_log

    said: dict[str, str] = {}

    def record(key: str, *args: str) -> Result:
        result = zh(*args)
        said[key] = result.stdout + result.stderr
        return result

    shared, missing, a_file = tmp_path / "shared", tmp_path / "missing", tmp_path / "a-file"
    shared.mkdir()
    a_file.write_text("not a folder", encoding="utf-8")
    record("no folder", "sync")
    record("missing folder", "sync", str(missing))
    record("a file for a folder", "sync", str(a_file))
    zh("done", "d2l")
    record("first sync", "sync", str(shared))
    # Another machine: its change comes back as a status that moved.
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    zh("done", "whats-ai-terms")
    zh("sync", str(shared))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    record("a change merged", "sync")
    machine = json.loads((tmp_path / "home" / "sync.json").read_text(encoding="utf-8"))
    own = shared / sync_log.log_name(machine["machine"])
    garbage = shared / sync_log.log_name("0123456789abcdef")
    garbage.write_text("garbage\n", encoding="utf-8")
    newer = shared / sync_log.log_name("1123456789abcdef")
    newer.write_text(
        '{"format":"mlpath-sync","version":9,"machine":"1123456789abcdef"}\n', encoding="utf-8"
    )
    conflict = shared / "mlpath-0123456789abcdef (conflicted copy).jsonl"
    conflict.write_text("", encoding="utf-8")
    stray = shared / "mlpath-notes.jsonl"
    stray.write_text("", encoding="utf-8")
    assert record("files skipped", "sync").exit_code == 1
    for path in (garbage, newer, conflict, stray):
        path.unlink()
    zh("done", "numpy-100")
    with own.open("a", encoding="utf-8") as handle:
        handle.write("not a change\n")  # this machine's own log, damaged
    assert record("own log damaged", "sync").exit_code == 1
    (tmp_path / "home" / "sync.json").write_text("{bad", encoding="utf-8")
    assert record("state unreadable", "sync").exit_code == 1

    # What moved is named as `import` names it, its statuses in words.
    assert said["a change merged"].splitlines()[0].endswith("：待学 → 已完成")
    files = [shared, missing, a_file, own, garbage, newer, conflict, stray, tmp_path]
    found = speaks_chinese(said, files)
    assert found == {}, {key: said[key] for key in found}


def test_damage_and_sqlite_errors_speak_chinese(zh: Run, tmp_path: Path) -> None:
    """A damaged store, a file that is no database and import files that are no export:
    mlpath's sentences, never SQLite's or Python's English."""
    import sqlite3

    said: dict[str, str] = {}

    def record(key: str, *args: str) -> None:
        result = zh(*args)
        assert result.exit_code == 1, (key, result.stdout)
        said[key] = result.stdout + result.stderr

    bad_json, not_export, empty = (tmp_path / name for name in ("bad.json", "x.json", "e.json"))
    bad_json.write_text('{"format": "mlpath-export",', encoding="utf-8")
    not_export.write_text("[1, 2]", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    for path in (bad_json, not_export, empty, tmp_path / "none.json"):
        record(f"import {path.name}", "import", str(path))
    for name, text in (("cut.json", '{"title": '), ("odd.json", '{"title": 1}')):
        (tmp_path / name).write_text(text, encoding="utf-8")
        record(f"catalog {name}", "--catalog", str(tmp_path / name), "next")
    zh("done", "d2l")
    store = tmp_path / "home" / "progress.db"
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    data = bytearray(store.read_bytes())
    for page in range(1, pages):  # every page after the schema's: the header stays valid
        data[page * page_size + 8 : page * page_size + 64] = b"\xff" * 56
    store.write_bytes(bytes(data))
    out = str(tmp_path / "out.json")
    for args in (
        ("history",),
        ("done", "numpy-100"),
        ("undo",),
        ("export", "-o", out),
        ("doctor",),
    ):
        record(f"damaged: {' '.join(args)}", *args)
    store.write_bytes(b"these are my notes, not a database" * 100)
    for args in (("history",), ("progress",), ("doctor",)):
        record(f"not a database: {' '.join(args)}", *args)

    found = speaks_chinese(said, [bad_json, not_export, empty, tmp_path])
    # The catalog's field names are the file's own words, as it must hold them.
    assert "schema_version: " in said["catalog odd.json"]
    assert found == {}, {key: said[key] for key in found}

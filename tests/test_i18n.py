"""mlpath's own words in Chinese: the message catalogs are complete, current, shipped.

The source is English; every `_("…")` in the code must have a translation in every
.po, none fuzzy, none left over, and the .mo shipped must be that .po compiled.
"""

from __future__ import annotations

import gettext
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import Run

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "mlpath" / "locale"
LANGUAGES = sorted(p.name for p in LOCALE.iterdir() if p.is_dir())
RUSSIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def source_messages() -> set[str | tuple[str, str]]:
    """Every message the code marks for translation (singular, or singular and plural)."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "src" / "mlpath",
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def test_there_is_a_chinese_catalog() -> None:
    assert "zh" in LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_and_none_is_left_over(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "mlpath.po").open("rb") as handle:
        catalog = read_po(handle)
    wanted = {m if isinstance(m, str) else m[0] for m in source_messages()}
    entries = {
        message.id if isinstance(message.id, str) else message.id[0]: message
        for message in catalog
        if message.id
    }
    assert sorted(wanted - entries.keys()) == [], "not in the catalog"
    assert sorted(entries.keys() - wanted) == [], "in the catalog, no longer in the code"
    for key, message in entries.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {key}"
        assert not message.fuzzy, f"fuzzy: {key}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_mo_is_the_po_compiled(lang: str) -> None:
    directory = LOCALE / lang / "LC_MESSAGES"
    with (directory / "mlpath.po").open("rb") as handle:
        catalog = read_po(handle)
    with (directory / "mlpath.mo").open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    hint = "run: pybabel compile -d src/mlpath/locale -D mlpath"
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert shipped.gettext(message.id) == message.string, hint
        else:
            singular, plural = message.id[:2]
            forms = message.string
            assert isinstance(forms, tuple | list)
            assert shipped.ngettext(singular, plural, 1) == forms[0], hint


def test_the_welcome_speaks_chinese_in_a_chinese_locale(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = run()
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "mlpath — 从零开始、免费学习机器学习的路径"
    assert "  mlpath next          现在该做什么（从这里开始）" in result.stdout


def test_an_english_run_never_loads_a_catalog() -> None:
    probe = (
        "import sys, mlpath.cli; mlpath.cli.run(['next', '--short']); "
        "print('gettext' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip().endswith("False")


def test_next_speaks_chinese_in_chinese(run: Run, mini_catalog: Path) -> None:
    run("done", "alpha")
    run("goal", "--hours-per-week", "6")
    shown = run("--lang", "zh", "next").stdout.splitlines()
    assert shown[0] == "▶ beta · Beta Article"
    assert shown[1] == "  入门 · 文章 · 免费 · 约 1 小时 30 分钟"
    assert shown[2].startswith("  下一步在「入门」— 已完成 1/")
    assert shown[-1].startswith("已完成 1/") and "每周 6 小时：预计 " in shown[-1]
    assert shown[-1].endswith(" 月完成")
    # The same run in English keeps its words.
    english = run("next").stdout.splitlines()
    assert english[1] == "  Intro · article · free · about 1 h 30 min"


def test_the_daily_changes_speak_chinese(run: Run, mini_catalog: Path) -> None:
    assert run("--lang", "zh", "done", "alpha").stdout == "完成：alpha · 阿尔法\n"
    assert run("--lang", "zh", "done", "alpha").stdout == (
        "已经完成了：alpha · 阿尔法 — 没有记录新的变更\n"
    )
    assert run("--lang", "zh", "start", "beta").stdout == "开始：beta · Beta Article\n"
    assert run("done", "beta").stdout == "done: beta · Beta Article (was doing)\n"


REFUSED_ZH = "mlpath: 未知的语言「xx」——可选：en, zh\n"
REFUSED_EN = "mlpath: unknown language 'xx' — choose from: en, zh\n"


@pytest.mark.parametrize(
    ("args", "environment", "said"),
    [
        (("--lang", "xx", "next"), {"LANG": "zh_CN.UTF-8"}, REFUSED_ZH),
        (("--lang", "xx", "next"), {"LC_MESSAGES": "zh_TW.UTF-8"}, REFUSED_ZH),
        (("next",), {"MLPATH_LANG": "xx", "LANG": "zh_CN.UTF-8"}, REFUSED_ZH),
        (("--lang", "xx", "next"), {"MLPATH_LANG": "zh"}, REFUSED_ZH),
        (("--lang", "xx", "next"), {"MLPATH_LANG": "yy", "LC_ALL": "zh_CN.UTF-8"}, REFUSED_ZH),
        (("--lang", "xx", "next"), {"MLPATH_LANG": "en", "LANG": "zh_CN.UTF-8"}, REFUSED_EN),
        (("--lang", "xx", "next"), {"LANG": "en_US.UTF-8"}, REFUSED_EN),
        (("next",), {"MLPATH_LANG": "xx"}, REFUSED_EN),
    ],
    ids=[
        "zh locale",
        "zh LC_MESSAGES",
        "MLPATH_LANG unknown, zh locale",
        "MLPATH_LANG=zh",
        "MLPATH_LANG unknown too, zh LC_ALL",
        "MLPATH_LANG=en over a zh locale",
        "en locale",
        "MLPATH_LANG unknown, en locale",
    ],
)
def test_an_unknown_language_is_refused_in_the_one_the_environment_asks_for(
    run: Run,
    mini_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    environment: dict[str, str],
    said: str,
) -> None:
    """`--lang xx` (or MLPATH_LANG=xx) names no language: the refusal is said in the one
    the rest of the environment asks for, MLPATH_LANG, else the locale."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", said)
    shown = run(*args, "--json")
    assert json.loads(shown.stdout)["error"] == said.removeprefix("mlpath: ").rstrip("\n")


@pytest.mark.parametrize("no_fast_path", ["", "1"])
def test_an_unknown_language_in_a_chinese_locale_is_refused_in_chinese(
    mini_catalog: Path, no_fast_path: str
) -> None:
    """As people run it: a process of its own, the quick path and Typer's."""
    environment = {**os.environ, "LANG": "zh_CN.UTF-8", "MLPATH_NO_FAST_PATH": no_fast_path}
    shown = subprocess.run(
        [sys.executable, "-m", "mlpath", "--lang", "xx", "next"],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert (shown.returncode, shown.stdout, shown.stderr) == (1, "", REFUSED_ZH)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mlpaths_reader_finds_every_message_as_gettext_does(lang: str) -> None:
    from mlpath.message_catalog import MessageCatalog

    data = (LOCALE / lang / "LC_MESSAGES" / "mlpath.mo").read_bytes()
    ours = MessageCatalog(data)
    theirs = gettext.GNUTranslations(io.BytesIO(data))
    for message in source_messages():
        if isinstance(message, str):
            assert ours.gettext(message) == theirs.gettext(message), message
        else:
            for count in (0, 1, 2, 5, 21):
                assert ours.ngettext(*message, count) == theirs.ngettext(*message, count)
    assert ours.gettext("not a message of mlpath's") == "not a message of mlpath's"
    assert ours.ngettext("one thing", "{n} things", 3) == "{n} things"


@pytest.mark.parametrize(
    "rule", ["nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);", RUSSIAN_PLURALS]
)
def test_a_third_language_reads_its_plural_forms_as_gettext_does(rule: str) -> None:
    """A new .po is all a language needs: its plural rule, whatever it is, read alike."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from mlpath.message_catalog import MessageCatalog

    catalog = Catalog(locale="ru", header_comment="")
    catalog.plural_forms_header = rule  # type: ignore[attr-defined]
    catalog.add(("{count} day", "{count} days"), ("{count} день", "{count} дня", "{count} дней"))
    catalog.add("done", "готово")
    catalog.add("été", "лето")  # sorted by code point, past every ASCII message
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    data = buffer.getvalue()
    ours, theirs = MessageCatalog(data), gettext.GNUTranslations(io.BytesIO(data))
    for count in range(0, 130):
        expected = theirs.ngettext("{count} day", "{count} days", count)
        assert ours.ngettext("{count} day", "{count} days", count) == expected
    assert ours.gettext("done") == theirs.gettext("done") == "готово"
    assert ours.gettext("été") == "лето"

"""Which language titles are shown in: `--lang`, else MLPATH_LANG, else the locale."""

from __future__ import annotations

import os

from mlpath.errors import UnknownChoice
from mlpath.i18n import _

LANGS = ("en", "zh")


def resolve_lang(option: str | None = None) -> str:
    chosen = option or os.environ.get("MLPATH_LANG")
    if chosen:
        chosen = chosen.strip().lower()
        if chosen not in LANGS:
            raise _unknown(chosen, option)
        return chosen
    return _locale_lang()


def spoken_lang(option: str | None = None) -> str:
    """resolve_lang's answer, without its error: past a `--lang` or MLPATH_LANG that
    mlpath does not know, the language the rest of the environment asks for (MLPATH_LANG,
    then the locale). What a refusal of that language is said in."""
    for chosen in (option, os.environ.get("MLPATH_LANG")):
        if chosen and chosen.strip().lower() in LANGS:
            return chosen.strip().lower()
    return _locale_lang()


def _locale_lang() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _unknown(chosen: str, option: str | None) -> UnknownChoice:
    """The refusal of `chosen`, in the language the reader's environment asks for
    (whatever language is active now: the run has not chosen one yet)."""
    from mlpath.i18n import activate, speaking

    active = speaking()
    activate(spoken_lang(option))
    try:
        return UnknownChoice(
            _("unknown language '{chosen}' — choose from: {join}").format(
                chosen=chosen, join=", ".join(LANGS)
            )
        )
    finally:
        activate(active)

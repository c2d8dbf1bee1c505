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
            raise UnknownChoice(
                _("unknown language '{chosen}' — choose from: {join}").format(
                    chosen=chosen, join=", ".join(LANGS)
                )
            )
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"

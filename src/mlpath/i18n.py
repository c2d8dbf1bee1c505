"""mlpath's own words in the reader's language, from gettext message catalogs.

English is the source language: `_("…")` returns it unchanged until a run activates
another language (`activate("zh")`, done once per run from --lang / MLPATH_LANG / the
locale). Catalogs live in mlpath/locale/LANG/LC_MESSAGES/mlpath.mo, compiled from the
.po beside them with Babel; a third language is one more .po (and its .mo).

No run imports gettext for mlpath's own catalogs: mlpath.message_catalog reads them.
(The Click inside Typer writes its own words, "Usage:", "Options:", without gettext:
the help pages' frame is ours to translate.)
"""

from __future__ import annotations

import os

DOMAIN = "mlpath"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gettext import NullTranslations

    from mlpath.message_catalog import MessageCatalog

    Translations = MessageCatalog | NullTranslations

_active: Translations | None = None
_language = "en"


def locale_dir() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")


def activate(lang: str) -> None:
    """Speak `lang` from now on in this process ("en": the source words)."""
    global _active, _language
    if lang == "en":
        _active = None
        return
    _active = _catalog(lang)
    _language = lang


def _catalog(lang: str) -> Translations:
    """The catalog for `lang` (or its base language: `pt` for `pt_BR`), read without the
    gettext module where mlpath.message_catalog can (see there); gettext's own reading
    otherwise, and its empty catalog where there is none."""
    base = lang.replace("-", "_").split(".")[0]
    for name in dict.fromkeys((lang, base, base.split("_")[0])):
        path = os.path.join(locale_dir(), name, "LC_MESSAGES", DOMAIN + ".mo")
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            continue
        from mlpath.message_catalog import MessageCatalog

        try:
            return MessageCatalog(data)
        except ValueError:
            break
    import gettext

    return gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)


def speaking() -> str:
    """The active language: "en" (the source words) unless one was activated."""
    return "en" if _active is None else _language


def _(message: str) -> str:
    """`message` in the active language (itself when there is no translation)."""
    return message if _active is None else _active.gettext(message)


def N_(message: str) -> str:
    """Mark `message` for translation where it is made (at import time, before any
    language is active); `_()` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` things, in the active language."""
    if _active is None:
        return singular if count == 1 else plural
    return _active.ngettext(singular, plural, count)

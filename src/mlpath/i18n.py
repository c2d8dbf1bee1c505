"""mlpath's own words in the reader's language, from gettext message catalogs.

English is the source language: `_("…")` returns it unchanged until a run activates
another language (`activate("zh")`, done once per run from --lang / MLPATH_LANG / the
locale). Catalogs live in mlpath/locale/LANG/LC_MESSAGES/mlpath.mo, compiled from the
.po beside them with Babel; a third language is one more .po (and its .mo).

Click's own words in `--help` and usage errors ("Usage:", "Options:") are gettext
calls in the global domain: activating binds that domain to the same catalog.
English runs never import gettext.
"""

from __future__ import annotations

import os

DOMAIN = "mlpath"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gettext import NullTranslations

_active: NullTranslations | None = None


def locale_dir() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")


def activate(lang: str) -> None:
    """Speak `lang` from now on in this process ("en": the source words)."""
    global _active
    if lang == "en":
        _active = None
        return
    import gettext

    _active = gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)
    gettext.bindtextdomain(DOMAIN, locale_dir())
    gettext.textdomain(DOMAIN)
    # The global domain picks its language from the environment, LANGUAGE first.
    os.environ["LANGUAGE"] = lang


def _(message: str) -> str:
    """`message` in the active language (itself when there is no translation)."""
    return message if _active is None else _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` things, in the active language."""
    if _active is None:
        return singular if count == 1 else plural
    return _active.ngettext(singular, plural, count)

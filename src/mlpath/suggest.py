"""A guess at what was meant: the known word closest to a mistyped one."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def closest(text: str, choices: Iterable[str]) -> str | None:
    """The choice `text` most likely misspells (`vidoe` → `video`), if one is close."""
    # Only on the way to an error message: difflib is not worth importing before.
    from difflib import get_close_matches

    found = get_close_matches(text.lower(), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(text: str, choices: Iterable[str]) -> str:
    """` — did you mean video?`, or nothing when no choice is close."""
    guess = closest(text, choices)
    from mlpath.i18n import _

    return _(" — did you mean {guess}?").format(guess=guess) if guess else ""

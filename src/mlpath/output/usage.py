"""Click's usage errors in the reader's language.

The Click inside Typer writes its messages with f-strings, not through gettext, so
the words it is known to use are matched here and said again through mlpath's
catalogs; a message this does not know is shown as Click wrote it.
"""

from __future__ import annotations

import re

from mlpath.i18n import N_, _

# (Click's message, as a pattern; ours, with the pattern's named groups.)
CLICK_MESSAGES = (
    (r"No such option: (?P<name>\S+)", N_("no such option: {name}")),
    # Its period goes with a did-you-mean (DID_YOU_MEAN takes both off).
    (r"No such command '(?P<name>.*)'\.?", N_("no such command '{name}'")),
    (r"Missing command\.", N_("missing command")),
    (r"Missing argument '(?P<name>.*)'\.", N_("missing argument {name}")),
    (r"Missing option '(?P<name>.*)'\.", N_("missing option {name}")),
    (r"Option '(?P<name>.*)' requires an argument\.", N_("option {name} needs a value")),
    (r"Option '(?P<name>.*)' does not take a value\.", N_("option {name} takes no value")),
    (
        r"Got unexpected extra arguments?(?:\(s\))? \((?P<name>.*)\)",
        N_("unexpected extra words: {name}"),
    ),
    (r"Invalid value for (?P<name>.*?): (?P<why>.*)", N_("invalid value for {name}: {why}")),
)
DID_YOU_MEAN = re.compile(r"\.? Did you mean (?P<guess>.*)\?$")
POSSIBLE = re.compile(r" \(Possible options: (?P<guess>.*)\)$")


def usage_message(message: str) -> str:
    """Click's message for a usage error, in the active language (as Click wrote it
    in English)."""
    from mlpath.i18n import speaking

    if speaking() == "en":
        return message
    guess = None
    for pattern in (DID_YOU_MEAN, POSSIBLE):
        found = pattern.search(message)
        if found:
            guess = found["guess"]
            message = message[: found.start()]
    for click_words, ours in CLICK_MESSAGES:
        said = re.fullmatch(click_words, message.strip())
        if said:
            message = _(ours).format(**said.groupdict())
            break
    if guess:
        # Click lists several guesses with ", " (names, which hold no comma).
        guess = _(", ").join(guess.split(", "))
        message += _(" — did you mean {guess}?").format(guess=guess)
    return message


def usage_error_lines(usage: str | None, hint: str | None, message: str) -> list[str]:
    """What a usage error shows on stderr: the usage line, where help is, the error."""
    lines = []
    if usage:
        lines += [usage, _("Try '{command}' for help.").format(command=hint), ""]
    lines.append(_("Error: {message}").format(message=usage_message(message)))
    return lines

"""What Python's JSON parser said went wrong, in the reader's language.

json.JSONDecodeError's `msg` is English ("Expecting value"); an import or a catalog
that is not valid JSON is told in the reader's language, the place (line and column)
beside them. Imported only where such an error is being reported.
"""

from __future__ import annotations

from mlpath.i18n import N_, _

# Python's words for what is wrong, marked for translation (the English ones are
# Python's own, so an English run reads as it always did). A message not listed keeps
# Python's text.
WORDS = [
    N_("Expecting value"),
    N_("Expecting ',' delimiter"),
    N_("Expecting ':' delimiter"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
    N_("Invalid \\escape"),
    N_("Invalid \\uXXXX escape"),
    N_("Extra data"),
    N_("Illegal trailing comma before end of object"),
    N_("Illegal trailing comma before end of array"),
]
_KNOWN = frozenset(WORDS)


def json_reason(message: str) -> str:
    """What Python's JSON parser said, in the reader's language."""
    # Python's pure scanner adds what it found: "Invalid \\escape: 'q'".
    head, colon, rest = message.partition(": ")
    if message in _KNOWN:
        return _(message)
    if head in _KNOWN:
        return _(head) + colon + rest
    return message

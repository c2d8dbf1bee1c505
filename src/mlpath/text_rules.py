"""What a line of catalog text and a link may be: the rules mlpath.models applies to a
catalog, for the commands that check what people type (`mlpath add --url`) too.

Standard library only, so such a command never imports pydantic.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from mlpath.i18n import _

MAX_URL = 2048

# Characters that make no sense inside one line of catalog text: C0 and C1 controls
# (newline and tab included: every catalog string is shown on one line), DEL, line and
# paragraph separators, the bidirectional overrides and isolates that reorder what a
# terminal shows, and lone surrogates (JSON can spell them; no encoder can write them).
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def forbidden_character(text: str) -> str | None:
    """The first character of `text` that catalog text may not hold, as U+XXXX."""
    if text.isprintable():
        # Every forbidden character is non-printable; this C-speed check keeps validating
        # a 200,000-part catalog from spending seconds in the regex below.
        return None
    found = _FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


# Characters RFC 3986 never allows unencoded; each has broken a link in some output format.
_URL_UNSAFE = frozenset('<>"{}|\\^`')
_URL_BAD = re.compile(r"[\s<>\"{}|\\^`]|" + _FORBIDDEN.pattern)
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")


# The common shape of a good link: a lowercase scheme and host of plain labels, no
# port, user or brackets, then anything from its path on (_URL_BAD has vetted every
# character). What the checks below accept of it, without urlsplit (a fifth of the time
# a first run spends validating a 100,000-resource catalog); anything else goes the
# long way.
_PLAIN_URL = re.compile(
    rf"https?://{_HOST_LABEL.pattern}(?:\.{_HOST_LABEL.pattern})*(?:[/?#].*)?", re.DOTALL
)


def url_problem(value: str) -> str | None:
    """Why `value` is not an http(s) URL we can show and open, or None when it is one."""
    if len(value) > MAX_URL:
        return _("must be an http(s) URL of at most {limit} characters").format(limit=MAX_URL)
    found = _URL_BAD.search(value)
    if found is not None:
        char = found.group()
        if char in _URL_UNSAFE:
            return _("must be an http(s) URL; {char} must be percent-encoded").format(
                char=repr(char)
            )
        code = f"U+{ord(char):04X}"
        return _(
            "must be an http(s) URL without spaces or control characters (has {code})"
        ).format(code=code)
    if _PLAIN_URL.fullmatch(value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it is the check: it raises for a bad port
    except ValueError as exc:
        return _("must be an http(s) URL ({why})").format(why=exc)
    if parts.scheme not in ("http", "https"):
        return _("must be an http(s) URL")
    host = parts.hostname
    if not host:
        return _("must be an http(s) URL with a host")
    if "[" in parts.netloc:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return _("must be an http(s) URL; host [{host}] is not an IP address").format(
                host=host
            )
        return None
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    for label in labels:
        try:
            ascii_label = label.encode("idna").decode("ascii") if not label.isascii() else label
        except UnicodeError:
            ascii_label = ""
        if not _HOST_LABEL.fullmatch(ascii_label):
            return _("must be an http(s) URL; host {host} does not parse").format(host=repr(host))
    return None

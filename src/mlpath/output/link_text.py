"""Why a link came to its state, in the reader's language.

mlpath.links keeps a reason key and its facts (a host, a status, an errno), never a
sentence; the sentence is made here, when it is shown, so a result cached by a run in
one language reads in the language of the run that shows it.
"""

from __future__ import annotations

from mlpath import links
from mlpath.i18n import N_, _
from mlpath.os_errors import errno_reason, lookup_reason

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.links import LinkResult

# Every status http.HTTPStatus names, with its words there, marked for translation
# (a status not listed is shown as its number alone).
STATUS_WORDS = {
    100: N_("Continue"),
    101: N_("Switching Protocols"),
    102: N_("Processing"),
    103: N_("Early Hints"),
    200: N_("OK"),
    201: N_("Created"),
    202: N_("Accepted"),
    203: N_("Non-Authoritative Information"),
    204: N_("No Content"),
    205: N_("Reset Content"),
    206: N_("Partial Content"),
    207: N_("Multi-Status"),
    208: N_("Already Reported"),
    226: N_("IM Used"),
    300: N_("Multiple Choices"),
    301: N_("Moved Permanently"),
    302: N_("Found"),
    303: N_("See Other"),
    304: N_("Not Modified"),
    305: N_("Use Proxy"),
    307: N_("Temporary Redirect"),
    308: N_("Permanent Redirect"),
    400: N_("Bad Request"),
    401: N_("Unauthorized"),
    402: N_("Payment Required"),
    403: N_("Forbidden"),
    404: N_("Not Found"),
    405: N_("Method Not Allowed"),
    406: N_("Not Acceptable"),
    407: N_("Proxy Authentication Required"),
    408: N_("Request Timeout"),
    409: N_("Conflict"),
    410: N_("Gone"),
    411: N_("Length Required"),
    412: N_("Precondition Failed"),
    413: N_("Request Entity Too Large"),
    414: N_("Request-URI Too Long"),
    415: N_("Unsupported Media Type"),
    416: N_("Requested Range Not Satisfiable"),
    417: N_("Expectation Failed"),
    418: N_("I'm a Teapot"),
    421: N_("Misdirected Request"),
    422: N_("Unprocessable Entity"),
    423: N_("Locked"),
    424: N_("Failed Dependency"),
    425: N_("Too Early"),
    426: N_("Upgrade Required"),
    428: N_("Precondition Required"),
    429: N_("Too Many Requests"),
    431: N_("Request Header Fields Too Large"),
    451: N_("Unavailable For Legal Reasons"),
    500: N_("Internal Server Error"),
    501: N_("Not Implemented"),
    502: N_("Bad Gateway"),
    503: N_("Service Unavailable"),
    504: N_("Gateway Timeout"),
    505: N_("HTTP Version Not Supported"),
    506: N_("Variant Also Negotiates"),
    507: N_("Insufficient Storage"),
    508: N_("Loop Detected"),
    510: N_("Not Extended"),
    511: N_("Network Authentication Required"),
}
# Reasons that are one sentence, with the facts they name.
SENTENCES = {
    links.BOT_CHECK: N_("a bot check answered"),
    links.NO_LOCATION: N_("a redirect with no address"),
    links.TOO_MANY_REDIRECTS: N_("more than {limit} redirects"),
    links.CONNECTION_REFUSED: N_("the connection was refused"),
    links.CONNECTION_RESET: N_("the connection was reset"),
    links.MALFORMED: N_("a malformed answer ({error})"),
    links.NOT_HTTP: N_("not an http or https address"),
    links.CHECK_FAILED: N_("the check failed: {text}"),
}
# OpenSSL's names for TLS problems people meet, in words.
TLS_WORDS = {
    "CERTIFICATE_VERIFY_FAILED": N_("the certificate could not be verified"),
    "WRONG_VERSION_NUMBER": N_("the server does not speak TLS on this port"),
}


def status_text(status: int) -> str:
    """`404 Not Found`, in the reader's language; the number alone for one unnamed."""
    words = STATUS_WORDS.get(status)
    return f"{status} {_(words)}" if words else str(status)


def link_reason(result: LinkResult, timeout: float) -> str:
    """Why `result` came to its state, one phrase (`timeout`: the check's, for a result
    that does not say its own)."""
    facts = result.facts
    reason = result.reason
    text = str(facts.get("text", ""))
    try:
        if reason == links.HTTP:
            return status_text(result.status) if result.status is not None else ""
        if reason == links.SYSTEM:
            return errno_reason(_number(facts, "errno"), text)
        if reason == links.TIMEOUT:
            seconds = _seconds(facts.get("seconds", timeout))
            return _("no answer in {seconds} s").format(seconds=seconds)
        if reason == links.LOOKUP_TIMEOUT:
            return _("looking up {host} took more than {seconds} s").format(
                host=facts["host"], seconds=_seconds(facts["seconds"])
            )
        if reason == links.LOOKUP_FAILED:
            return _("looking up {host} failed: {why}").format(
                host=facts["host"], why=_system_or_lookup(facts)
            )
        if reason == links.NAME_UNKNOWN:
            if "host" in facts:
                return _("the name {host} does not resolve").format(host=facts["host"])
            return _("the name does not resolve ({why})").format(why=_system_or_lookup(facts))
        if reason == links.TLS:
            code = str(facts.get("code", ""))
            what = _(TLS_WORDS[code]) if code in TLS_WORDS else code or text
            return _("a TLS problem: {what}").format(what=what)
        if reason == links.NOT_AN_ADDRESS:
            if text:
                return _("not a valid web address ({text})").format(text=text)
            return _("not a valid web address")
        if reason in SENTENCES:
            return _(SENTENCES[reason]).format(**facts)
    except (KeyError, IndexError, ValueError):
        pass  # a fact the reason needs is missing or is not what it should be
    # A reason this version has no words for: its key, and what the system said.
    return _("the check failed: {text}").format(text=text or reason)


def _system_or_lookup(facts: links.Facts) -> str:
    text = str(facts.get("text", ""))
    if "lookup" in facts:
        return lookup_reason(_number(facts, "lookup"), text)
    return errno_reason(_number(facts, "errno"), text)


def _number(facts: links.Facts, key: str) -> int | None:
    value = facts.get(key)
    return value if isinstance(value, int) else None


def _seconds(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(value)
    return f"{value:g}"

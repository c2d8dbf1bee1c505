"""Opening a resource's link in the browser, where one can be opened from here."""

from __future__ import annotations

import os
import sys

from mlpath.errors import MlpathError
from mlpath.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from mlpath.catalog import Resource


def system_opener(url: str) -> bool:
    """Open `url` in the default browser; False where none can be found or started."""
    import webbrowser  # only where a browser may open: it costs more than the rest

    try:
        return webbrowser.open(url)
    except (webbrowser.Error, OSError, ValueError):
        return False


def link_to_open(resource: Resource) -> str:
    """The resource's link, if it is one a browser should be sent to."""
    if not resource.url:
        where = (
            f": {resource.url_note}"
            if resource.url_note
            else f" — `mlpath show {resource.id}` tells what it is and where to find it"
        )
        raise MlpathError(f"{resource.id} ({resource.title}) has no link to open{where}")
    usable = _web_host(resource.url) is not None
    if not usable or not resource.url.isprintable() or " " in resource.url:
        raise MlpathError(
            f"refusing to open the link of {resource.id}, {resource.url!r}: "
            "only http(s) links are opened"
        )
    return resource.url


_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_~%:[]")


def _web_host(url: str) -> str | None:
    """The host of an http(s) url, or None: read without urllib, which `open` would
    otherwise import (with ipaddress) on every run. The catalog validated its urls with
    a full parser; this only refuses what no browser should be sent to."""
    lowered = url.lower()
    for scheme in ("http://", "https://"):
        if lowered.startswith(scheme):
            rest = lowered[len(scheme) :]
            break
    else:
        return None
    for end in "/?#":
        rest = rest.split(end, 1)[0]
    host = rest.rsplit("@", 1)[-1]
    bracketed = host.startswith("[") == ("]" in host) and host.count("[") <= 1
    if not host or not bracketed or not set(host) <= _HOST_CHARS:
        return None
    return host


def browser_available(env: Mapping[str, str], platform: str) -> bool:
    """Whether a graphical browser can plausibly be opened from here.

    Without a display (an SSH session, CI) Python's webbrowser falls back to text
    browsers such as lynx, which would take over the terminal; BROWSER is the user's
    explicit choice, so it is honoured everywhere.
    """
    if env.get("BROWSER"):
        return True
    if platform == "darwin" or platform.startswith(("win", "cygwin")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


class OpenOutcome(Record):
    """What `mlpath open` did: opened the link, or could only show it."""

    __slots__ = ("opened", "resource", "url")

    def __init__(self, resource: Resource, url: str, opened: bool) -> None:
        self.resource = resource
        self.url = url
        self.opened = opened


def open_link(
    resource: Resource,
    opener: Callable[[str], bool] = system_opener,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> OpenOutcome:
    """Open the resource's link with `opener` where a browser is available.

    Raises MlpathError for a resource without a link or with a non-http(s) one.
    """
    url = link_to_open(resource)
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not browser_available(env, platform):
        return OpenOutcome(resource, url, opened=False)
    try:
        opened = bool(opener(url))
    except Exception:  # a browser that fails to start is no browser (webbrowser.Error…)
        opened = False
    return OpenOutcome(resource, url, opened)

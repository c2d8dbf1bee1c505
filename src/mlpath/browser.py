"""Opening a resource's link in the browser, where one can be opened from here."""

from __future__ import annotations

import os
import sys

from mlpath.errors import MlpathError
from mlpath.i18n import _, speaking
from mlpath.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from mlpath.catalog import Resource


def system_opener(url: str) -> bool:
    """Open `url` in the default browser; False where none can be found or started."""
    command = chosen_browser(os.environ, sys.platform)
    if command is not None:
        return run_browser(command, url)
    import webbrowser  # only where a browser may open: it costs more than the rest

    try:
        return webbrowser.open(url)
    except (webbrowser.Error, OSError, ValueError):
        return False


# The console browsers Python's webbrowser registers on its own (with TERM set, where
# they are on PATH), tried after BROWSER's.
CONSOLE_BROWSERS = ("www-browser", "links", "elinks", "lynx", "w3m")


def chosen_browser(env: Mapping[str, str], platform: str) -> str | None:
    """The command Python's webbrowser would run, and run alone, for a link; None where
    that is not certain here (then webbrowser decides).

    Importing webbrowser (with subprocess, shutil and shlex) costs more than the rest of
    `mlpath open`. Where BROWSER names one command (no `%s`, no list) on Linux without a
    display, webbrowser runs that command with the link and waits for it; it would try
    another only after a failure, and none is registered where no console browser is on
    PATH under TERM (nor a graphical one without a display).
    """
    command = env.get("BROWSER", "")
    if not platform.startswith("linux") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    if not command.split() or os.pathsep in command or "%s" in command:
        return None
    if os.path.basename(command.split()[0]).lower() in CONSOLE_BROWSERS:
        return None  # webbrowser drives these itself
    if env.get("TERM") and any(_on_path(name, env) for name in CONSOLE_BROWSERS):
        return None
    return command


def _on_path(name: str, env: Mapping[str, str]) -> bool:
    """Whether `name` is an executable on PATH (shutil.which's test, without shutil)."""
    for directory in env.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(directory or os.curdir, name)
        if os.access(path, os.X_OK) and not os.path.isdir(path):
            return True
    return False


def run_browser(command: str, url: str) -> bool:
    """Run `command URL` and wait for it, as webbrowser's GenericBrowser does (with
    subprocess.Popen): True when it exits with 0; False when it fails or cannot start."""
    sys.audit("webbrowser.open", url)
    # _signal rather than signal, which imports enum (no stubs: untyped).
    import _signal  # type: ignore[import-not-found]

    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:
        # The child, as Popen's: the default SIGPIPE and SIGXFSZ (Python ignores them,
        # and an ignored signal stays ignored across exec), no other descriptor open.
        # Not os.posix_spawn: glibc's leaves its own two internal signals ignored.
        try:
            _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
            _signal.signal(_signal.SIGXFSZ, _signal.SIG_DFL)
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            os.execvp(command, [command, url])
        finally:
            os._exit(127)  # it could not start: what the parent sees as a failure
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def link_to_open(resource: Resource) -> str:
    """The resource's link, if it is one a browser should be sent to."""
    if not resource.url:
        if resource.url_note:
            said = _("{id} ({title}) has no link to open: {note}")
        else:
            said = _(
                "{id} ({title}) has no link to open — `mlpath show {id}` tells what it is "
                "and where to find it"
            )
        lang = speaking()
        title, note = resource.display_title(lang), resource.display_url_note(lang)
        raise MlpathError(said.format(id=resource.id, title=title, note=note))
    usable = _web_host(resource.url) is not None
    if not usable or not resource.url.isprintable() or " " in resource.url:
        raise MlpathError(
            _("refusing to open the link of {id}, {url!r}: only http(s) links are opened").format(
                id=resource.id, url=resource.url
            )
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

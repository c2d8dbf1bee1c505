"""Whether links still lead somewhere: ok, moved, dead, blocked, timed out, or failing.

Standard library only (urllib.request on a pool of threads): a few hundred HEAD requests
need no HTTP client as a dependency, and the checks spend their time waiting on the
network, which threads do as well as an event loop at this scale.

Each link is asked for with HEAD, and with GET where HEAD is refused (405, 501, 400) or
fails (a reset, a malformed answer); redirects are followed one hop at a time so each is
reported. A permanent redirect (301, 308) means the catalog should use the new address:
the link is *moved*. A temporary one (302, 303, 307) says to keep using the old address
(RFC 9110, 15.4), so a link that gets there is *ok*.

Why a link came to its state is kept as a reason (a key such as `name_unknown`) and the
facts it needs (the host, a status, an errno), never as a sentence: the output layer
says it in the reader's language, so results cached by an English run read in Chinese
in a Chinese run, and the other way round.

Only `mlpath doctor --links` imports this module.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

from mlpath import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from email.message import Message
    from typing import Any

    Resolver = Callable[..., object]
    Facts = dict[str, str | int | float]

OK = "ok"
MOVED = "moved"
DEAD = "dead"
BLOCKED = "blocked"
TIMEOUT = "timeout"
ERROR = "error"
STATES = (OK, MOVED, DEAD, BLOCKED, TIMEOUT, ERROR)
# Outcomes a second look a day later would give again; the others are checked every time.
LASTING = frozenset({OK, MOVED, DEAD, BLOCKED})

DEFAULT_TIMEOUT = 10.0
# Two or three connections at once is what browsers and crawlers consider polite;
# more invites a 429 from the very sites a catalog links to most.
PER_HOST = 4
WORKERS = 32
MAX_REDIRECTS = 10
ARCHIVE = "https://web.archive.org/web/"
CACHE_FILE = "links.json"
# 2: a reason and its facts in place of format 1's English `detail`. A format 1 cache is
# read as none (its links are checked again once), as is any format but this one.
CACHE_FORMAT = 2
CACHE_SECONDS = 24 * 60 * 60

PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
GONE = frozenset({404, 410})
# The site answered, but not to a program: a login, a rate limit, a bot wall.
REFUSED = frozenset({401, 403, 429, 451, 999})
HEAD_REFUSED = frozenset({400, 405, 501})
USER_AGENT = f"mlpath/{__version__} (link check)"

# Why a link came to its state: LinkResult.reason. The facts each reason comes with
# (LinkResult.facts) are named beside it; mlpath.output.link_text says them.
HTTP = "http"  # the last answer's status says it (LinkResult.status)
BOT_CHECK = "bot_check"  # a challenge page answered instead of the content
NO_LOCATION = "redirect_without_address"
TOO_MANY_REDIRECTS = "too_many_redirects"  # limit
NAME_UNKNOWN = "name_unknown"  # host, or lookup and text (a getaddrinfo error)
LOOKUP_TIMEOUT = "lookup_timeout"  # host, seconds
LOOKUP_FAILED = "lookup_failed"  # host; lookup (a getaddrinfo error) or errno, and text
TIMEOUT = "timeout"  # seconds
TLS = "tls"  # code (OpenSSL's name for the problem), or text
CONNECTION_REFUSED = "connection_refused"
CONNECTION_RESET = "connection_reset"
MALFORMED = "malformed_answer"  # error (the class of http.client's exception)
NOT_AN_ADDRESS = "not_an_address"  # text, when Python said more
NOT_HTTP = "not_http"
SYSTEM = "os_error"  # errno, text: mlpath.os_errors says it
CHECK_FAILED = "check_failed"  # text: what went wrong, in the words it came in


class LinkResult:
    """What became of one link: its state, the last status, where redirects led."""

    __slots__ = (
        "checked_at",
        "connected",
        "facts",
        "final_url",
        "from_cache",
        "reason",
        "redirects",
        "state",
        "status",
        "url",
    )

    def __init__(
        self,
        url: str,
        state: str,
        status: int | None = None,
        reason: str = HTTP,
        facts: Facts | None = None,
        final_url: str | None = None,
        redirects: Sequence[tuple[int, str]] = (),
        connected: bool = True,
        checked_at: float = 0.0,
        from_cache: bool = False,
    ) -> None:
        self.url = url
        self.state = state
        self.status = status
        self.reason = reason
        self.facts: Facts = dict(facts or {})
        self.final_url = final_url
        self.redirects = tuple(redirects)
        # Whether a server was reached at all: no link reaching one means no network.
        self.connected = connected
        self.checked_at = checked_at
        self.from_cache = from_cache

    def __repr__(self) -> str:
        return (
            f"LinkResult({self.url!r}, {self.state!r}, {self.status!r}, {self.reason!r}, "
            f"{self.facts!r})"
        )

    @property
    def archive_url(self) -> str | None:
        """Where the web archive may still hold a dead link's page."""
        return ARCHIVE + self.url if self.state == DEAD else None

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "state": self.state,
            "status": self.status,
            "reason": self.reason,
            "facts": self.facts,
            "final_url": self.final_url,
            "redirects": [{"status": s, "location": u} for s, u in self.redirects],
            "archive_url": self.archive_url,
            "checked_at": self.checked_at,
            "from_cache": self.from_cache,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkResult:
        """The result `to_json` gave; KeyError, ValueError or TypeError for anything else."""
        reason, facts = data["reason"], data["facts"]
        if not isinstance(reason, str) or not isinstance(facts, dict):
            raise TypeError("a reason is a key, its facts an object")
        for value in facts.values():
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise TypeError("a fact is text or a number")
        return cls(
            str(data["url"]),
            str(data["state"]),
            data.get("status"),
            reason,
            {str(key): value for key, value in facts.items()},
            data.get("final_url"),
            [(int(r["status"]), str(r["location"])) for r in data.get("redirects") or ()],
            True,
            float(data["checked_at"]),
            from_cache=True,
        )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to the checker, which follows it and notes the hop."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _ConnectHere:
    """Makes urllib's connections use the checker's own lookups (see Checker._connect)."""

    connect: Callable[..., socket.socket]

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        connect = self.connect

        def connection(host: str, **options: Any) -> Any:
            made = http_class(host, **options)
            made._create_connection = connect
            return made

        return super().do_open(connection, req, **kwargs)  # type: ignore[misc]


class _HTTPHandler(_ConnectHere, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_ConnectHere, urllib.request.HTTPSHandler):
    pass


class _Failure(Exception):
    """A hop that got no HTTP answer: `kind` is name, connect, timeout, reset or other;
    `reason` and `facts` say why, as LinkResult's do."""

    def __init__(
        self, kind: str, reason: str, connected: bool, facts: Facts | None = None
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.facts: Facts = dict(facts or {})
        self.connected = connected


class Checker:
    """Checks links, at most `per_host` at a time on any one host.

    `resolve` is `socket.getaddrinfo` unless a test gives another. Each host's name is
    looked up once, within the timeout (the system's lookup has no timeout of its own),
    and connections go to the addresses found: a host that does not resolve costs one
    lookup, not one per link, and a lookup that hangs costs the timeout, not minutes.
    """

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        per_host: int = PER_HOST,
        resolve: Resolver | None = None,
    ) -> None:
        self.timeout = timeout
        self.per_host = per_host
        self.resolve: Resolver = resolve or socket.getaddrinfo
        handlers: list[Any] = [_NoRedirects(), _HTTPHandler(), _HTTPSHandler()]
        for handler in handlers[1:]:
            handler.connect = self._connect
        self._opener = urllib.request.build_opener(*handlers)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._names: dict[str, tuple[threading.Lock, list[_Failure | None]]] = {}
        self._addresses: dict[str, list[Any]] = {}
        self._proxies = urllib.request.getproxies()

    def check(self, url: str) -> LinkResult:
        """Follow `url` to its end (at most MAX_REDIRECTS hops) and say what it came to."""
        hops: list[tuple[int, str]] = []
        current = url
        connected = False
        try:
            while True:
                status, headers, connected = self._hop(current)
                location = headers.get("Location") if status in REDIRECTS else None
                if location is None:
                    break
                if len(hops) >= MAX_REDIRECTS:
                    return self._result(
                        url, ERROR, status, hops, TOO_MANY_REDIRECTS, {"limit": MAX_REDIRECTS}
                    )
                current = urljoin(current, location.strip())
                hops.append((status, current))
        except _Failure as failure:
            return self._failed(url, failure, hops)
        return self._judge(url, status, headers, hops)

    def _judge(
        self, url: str, status: int, headers: Message, hops: list[tuple[int, str]]
    ) -> LinkResult:
        final = hops[-1][1] if hops else None
        if 200 <= status < 300:
            if _bot_wall(headers):
                return self._result(url, BLOCKED, status, hops, BOT_CHECK)
            if final and final != url and any(s in PERMANENT for s, _ in hops):
                return self._result(url, MOVED, status, hops, final=final)
            return self._result(url, OK, status, hops, final=final)
        if status in GONE:
            return self._result(url, DEAD, status, hops, final=final)
        if status in REFUSED or _bot_wall(headers):
            return self._result(url, BLOCKED, status, hops, final=final)
        if status in REDIRECTS:
            return self._result(url, ERROR, status, hops, NO_LOCATION, final=final)
        return self._result(url, ERROR, status, hops, final=final)

    def _result(
        self,
        url: str,
        state: str,
        status: int | None,
        hops: list[tuple[int, str]],
        reason: str = HTTP,
        facts: Facts | None = None,
        final: str | None = None,
        connected: bool = True,
    ) -> LinkResult:
        return LinkResult(url, state, status, reason, facts, final, hops, connected, time.time())

    def _failed(self, url: str, failure: _Failure, hops: list[tuple[int, str]]) -> LinkResult:
        # A name that does not resolve is as dead as a 404 (the domain has lapsed).
        state = {"name": DEAD, "timeout": TIMEOUT}.get(failure.kind, ERROR)
        connected = failure.connected or bool(hops)
        return self._result(
            url, state, None, hops, failure.reason, failure.facts, connected=connected
        )

    def _hop(self, url: str) -> tuple[int, Message, bool]:
        """One request to `url`: HEAD, then GET if HEAD is refused or fails."""
        parts = _split(url)
        host = parts.netloc.lower()
        self._check_name(parts)
        with self._slot(host):
            try:
                status, headers = self._request(url, "HEAD")
            except _Failure as failure:
                if failure.kind not in ("reset", "other"):
                    raise
            else:
                if status not in HEAD_REFUSED:
                    return status, headers, True
            status, headers = self._request(url, "GET")
            return status, headers, True

    def _request(self, url: str, method: str) -> tuple[int, Message]:
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        try:
            # Headers are all the check needs: the body is never read.
            with self._opener.open(request, timeout=self.timeout) as response:
                return int(response.status), response.headers
        except urllib.error.HTTPError as answer:
            answer.close()
            return int(answer.code), answer.headers
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, BaseException):
                raise _classify(reason, False, self.timeout) from None
            raise _Failure("other", CHECK_FAILED, False, {"text": str(reason)}) from None
        except (OSError, ValueError) as exc:
            # After the request went out: the server took the connection, then failed.
            raise _classify(exc, True, self.timeout) from None
        except Exception as exc:  # http.client.HTTPException: a malformed answer
            raise _Failure("other", MALFORMED, True, {"error": type(exc).__name__}) from None

    def _slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = self._slots[host] = threading.Semaphore(self.per_host)
            return slot

    def _check_name(self, parts: Any) -> None:
        """Look the host's name up once per host; raise its failure for every link on it."""
        name = parts.hostname or ""
        if self._proxied(parts.scheme, name):
            return  # the proxy looks the name up, not this machine
        with self._lock:
            entry = self._names.get(name)
            if entry is None:
                entry = self._names[name] = (threading.Lock(), [])
        lock, outcome = entry
        with lock:
            if not outcome:
                outcome.append(self._lookup(name))
        failure = outcome[0]
        if failure is not None:
            # A new exception each time: threads raising one object would share its traceback.
            raise _Failure(failure.kind, failure.reason, failure.connected, failure.facts)

    def _lookup(self, name: str) -> _Failure | None:
        # RFC 6761 (6.4): resolvers should answer no at once for .invalid names.
        if name.rstrip(".").lower().rsplit(".", 1)[-1] == "invalid":
            return _Failure("name", NAME_UNKNOWN, False, {"host": name})
        answer: list[Any] = []

        def look_up() -> None:
            try:
                answer.append(self.resolve(name, None, 0, socket.SOCK_STREAM))
            except BaseException as exc:  # handed to the waiting thread
                answer.append(exc)

        # A daemon thread: one left hanging in the system's lookup does not hold up exit.
        worker = threading.Thread(target=look_up, daemon=True)
        worker.start()
        worker.join(self.timeout)
        if not answer:
            facts: Facts = {"host": name, "seconds": self.timeout}
            return _Failure("timeout", LOOKUP_TIMEOUT, False, facts)
        found = answer[0]
        if isinstance(found, socket.gaierror):
            if found.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
                return _Failure("name", NAME_UNKNOWN, False, {"host": name})
            return _Failure(
                "connect", LOOKUP_FAILED, False, {"host": name, **_lookup_facts(found)}
            )
        if isinstance(found, BaseException):
            return _Failure(
                "connect", LOOKUP_FAILED, False, {"host": name, **_system_facts(found)}
            )
        with self._lock:
            self._addresses[name.lower()] = list(found)
        return None

    def _connect(
        self, address: tuple[str, int], timeout: Any = None, source: Any = None
    ) -> socket.socket:
        """socket.create_connection, to the addresses this checker looked up for the host
        (a host it did not look up, such as a proxy, is left to the system)."""
        host, port = address
        with self._lock:
            found = self._addresses.get(host.lower())
        if not found:
            return socket.create_connection(address, timeout, source)
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in found:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not getattr(socket, "_GLOBAL_DEFAULT_TIMEOUT", None):
                    sock.settimeout(timeout)
                if source:
                    sock.bind(source)
                sock.connect((sockaddr[0], port, *sockaddr[2:]))
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"no address to connect to for {host}")

    def _proxied(self, scheme: str, name: str) -> bool:
        return scheme in self._proxies and not urllib.request.proxy_bypass(name)


def _split(url: str) -> Any:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise _Failure("other", NOT_AN_ADDRESS, False) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Failure("other", NOT_HTTP, False)
    return parts


def _classify(exc: BaseException, connected: bool, timeout: float) -> _Failure:
    import ssl

    if isinstance(exc, socket.gaierror):
        return _Failure("name", NAME_UNKNOWN, False, _lookup_facts(exc))
    if isinstance(exc, TimeoutError):
        # Before the request went out the connection never opened; after, the answer
        # did not come in time.
        return _Failure("timeout", TIMEOUT, connected, {"seconds": timeout})
    if isinstance(exc, ssl.SSLError):
        facts: Facts = {"code": exc.reason} if exc.reason else {"text": str(exc)}
        return _Failure("other", TLS, True, facts)
    if isinstance(exc, ConnectionRefusedError):
        return _Failure("connect", CONNECTION_REFUSED, False)
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return _Failure("reset", CONNECTION_RESET, True)
    import http.client

    if isinstance(exc, http.client.HTTPException):
        return _Failure("reset", MALFORMED, True, {"error": type(exc).__name__})
    if isinstance(exc, ValueError):
        return _Failure("other", NOT_AN_ADDRESS, False, {"text": str(exc)})
    if isinstance(exc, OSError):
        return _Failure("connect", SYSTEM, connected, _system_facts(exc))
    return _Failure("other", CHECK_FAILED, connected, {"text": str(exc)})


def _lookup_facts(exc: socket.gaierror) -> Facts:
    """A getaddrinfo error as facts: its EAI code (not an errno) and the system's text."""
    facts: Facts = {"text": exc.strerror or str(exc)}
    if isinstance(exc.errno, int):
        facts["lookup"] = exc.errno
    return facts


def _system_facts(exc: BaseException) -> Facts:
    """An OSError as facts: its errno and the system's text (mlpath.os_errors says it)."""
    if not isinstance(exc, OSError):
        return {"text": str(exc)}
    facts: Facts = {"text": exc.strerror or str(exc)}
    if isinstance(exc.errno, int):
        facts["errno"] = exc.errno
    return facts


def _bot_wall(headers: Message) -> bool:
    """A challenge page instead of the content: Cloudflare and AWS WAF name it in a header."""
    return bool(headers.get("cf-mitigated") or headers.get("x-amzn-waf-action"))


def check_links(
    urls: Iterable[str],
    timeout: float = DEFAULT_TIMEOUT,
    per_host: int = PER_HOST,
    workers: int = WORKERS,
    on_checked: Callable[[int, int], None] | None = None,
    resolve: Resolver | None = None,
) -> list[LinkResult]:
    """Check each distinct url once, concurrently; results in the order given.

    `on_checked(done, total)` is called (from the worker threads) after each link.
    """
    from concurrent.futures import ThreadPoolExecutor

    unique = list(dict.fromkeys(urls))
    checker = Checker(timeout, per_host, resolve)
    total = len(unique)
    done = 0
    count_lock = threading.Lock()

    def one(url: str) -> LinkResult:
        nonlocal done
        try:
            result = checker.check(url)
        except Exception as exc:  # a check must never take the others down with it
            result = LinkResult(
                url, ERROR, None, CHECK_FAILED, {"text": str(exc)}, connected=False
            )
        if on_checked is not None:
            with count_lock:
                done += 1
                count = done
            on_checked(count, total)
        return result

    if not unique:
        return []
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, total)))
    try:
        # Hosts taken in turn, so the workers are not all waiting on one host's slots.
        futures = {url: pool.submit(one, url) for url in _interleaved(unique)}
        return [futures[url].result() for url in unique]
    except BaseException:
        # Interrupted (Ctrl-C): drop the links not yet started instead of checking them.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def _interleaved(urls: Sequence[str]) -> list[str]:
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    queues = list(by_host.values())
    out: list[str] = []
    for index in range(max(len(q) for q in queues)):
        out.extend(q[index] for q in queues if index < len(q))
    return out


def offline(results: Sequence[LinkResult]) -> bool:
    """No link reached any server, across at least two hosts: the network is missing,
    not every site at once. (One host alone that cannot be reached is just that host.)"""
    hosts = {urlsplit(r.url).netloc.lower() for r in results}
    return len(hosts) >= 2 and not any(r.connected for r in results)


# --- the cache of results ----------------------------------------------------------


def cache_path(directory: str) -> str:
    return os.path.join(directory, CACHE_FILE)


def load_cache(path: str, now: float, max_age: float = CACHE_SECONDS) -> dict[str, LinkResult]:
    """Results checked less than `max_age` seconds ago, by url; a damaged cache is none."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != CACHE_FORMAT:
            return {}
        kept: dict[str, LinkResult] = {}
        for entry in data["results"]:
            result = LinkResult.from_json(entry)
            if result.state in LASTING and 0 <= now - result.checked_at < max_age:
                kept[result.url] = result
        return kept
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_cache(path: str, results: Iterable[LinkResult], now: float) -> bool:
    """Keep the lasting results younger than a day (older entries are dropped), written
    whole under a temporary name and renamed into place. False if it cannot be written:
    the check still stands, it is only not remembered."""
    import json
    import tempfile

    entries = {
        r.url: r.to_json()
        for r in results
        if r.state in LASTING and 0 <= now - r.checked_at < CACHE_SECONDS
    }
    document = {"format": CACHE_FORMAT, "results": list(entries.values())}
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".links-", suffix=".tmp", dir=directory)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

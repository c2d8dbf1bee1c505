"""Link checking against servers these tests start on 127.0.0.1; never the internet.

One server answers every case by path: 200, 301 and 308 chains, a temporary redirect,
404, 410, 403, 429, a bot wall, a slow answer, a reset connection, HEAD refused or
failing. It counts requests and the most it served at once, so the per-host cap and
the cache can be seen from outside.
"""

from __future__ import annotations

import errno
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mlpath import i18n, links
from mlpath.links import Checker, LinkResult, check_links


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.active = 0
        self.most_active = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a reset connection is the point of some paths

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


REDIRECTS = {
    "/r301": (301, "/r308"),
    "/r308": (308, "/ok"),
    "/r302": (302, "/ok"),
    "/to-gone": (301, "/gone"),
    "/loop": (301, "/loop"),
    "/relative/a": (301, "b"),
    "/relative/b": (301, "/ok"),
}
STATUSES = {"/ok": 200, "/gone": 404, "/removed": 410, "/forbidden": 403, "/limited": 429}


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.requests.append((self.command, path))
        self.respond(path)

    def respond(self, path: str) -> None:
        if path in REDIRECTS:
            status, location = REDIRECTS[path]
            self.send(status, Location=location)
        elif path in STATUSES:
            self.send(STATUSES[path])
        elif path == "/wall":
            self.send(403, **{"cf-mitigated": "challenge"})
        elif path == "/busy":
            # Counted while the client waits: it holds its slot until the answer comes.
            with self.server.lock:
                self.server.active += 1
                self.server.most_active = max(self.server.most_active, self.server.active)
            time.sleep(0.05)
            with self.server.lock:
                self.server.active -= 1
            self.send(200)
        elif path == "/slow":
            time.sleep(3)
            self.send(200)
        elif path == "/reset" or (path == "/head-resets" and self.command == "HEAD"):
            self.reset()
        elif path in ("/no-head", "/head-resets"):
            self.send(405 if self.command == "HEAD" else 200)
        else:
            self.send(404)

    def send(self, status: int, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def reset(self) -> None:
        # SO_LINGER 0: closing sends a RST instead of an orderly end.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would take the requests elsewhere."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def check(server: Server, path: str, timeout: float = 2.0) -> LinkResult:
    return Checker(timeout).check(server.base + path)


def test_a_page_that_answers_is_ok(server: Server) -> None:
    result = check(server, "/ok")
    assert (result.state, result.status, result.redirects) == ("ok", 200, ())
    assert server.requests == [("HEAD", "/ok")]  # HEAD only: no body fetched


def test_a_301_then_308_chain_is_moved_to_its_end(server: Server) -> None:
    result = check(server, "/r301")
    assert result.state == "moved"
    assert result.final_url == server.base + "/ok"
    assert result.redirects == ((301, server.base + "/r308"), (308, server.base + "/ok"))
    assert result.archive_url is None


def test_relative_redirects_are_followed_from_where_they_were_given(server: Server) -> None:
    result = check(server, "/relative/a")
    assert result.state == "moved"
    assert [url for _, url in result.redirects] == [
        server.base + "/relative/b",
        server.base + "/ok",
    ]


def test_a_temporary_redirect_keeps_the_link_ok_but_is_reported(server: Server) -> None:
    result = check(server, "/r302")
    assert result.state == "ok"
    assert result.redirects == ((302, server.base + "/ok"),)


@pytest.mark.parametrize(("path", "status"), [("/gone", 404), ("/removed", 410)])
def test_404_and_410_are_dead_with_an_archive_address(
    server: Server, path: str, status: int
) -> None:
    result = check(server, path)
    assert (result.state, result.status) == ("dead", status)
    assert result.archive_url == f"https://web.archive.org/web/{server.base}{path}"


def test_a_redirect_to_a_missing_page_is_dead(server: Server) -> None:
    result = check(server, "/to-gone")
    assert (result.state, result.status) == ("dead", 404)
    assert result.redirects == ((301, server.base + "/gone"),)


@pytest.mark.parametrize("path", ["/forbidden", "/limited", "/wall"])
def test_403_429_and_bot_walls_are_blocked_not_dead(server: Server, path: str) -> None:
    assert check(server, path).state == "blocked"


def test_a_slow_answer_times_out(server: Server) -> None:
    started = time.monotonic()
    result = check(server, "/slow", timeout=0.5)
    assert result.state == "timeout"
    assert result.connected  # the server took the connection: this is not "offline"
    assert time.monotonic() - started < 2.5  # the 3 s answer was not waited for


def test_a_reset_connection_is_an_error(server: Server) -> None:
    result = check(server, "/reset")
    assert result.state == "error"
    assert result.reason in (links.CONNECTION_RESET, links.MALFORMED)
    # HEAD failed, so GET was tried too before giving up.
    assert server.requests == [("HEAD", "/reset"), ("GET", "/reset")]


@pytest.mark.parametrize("path", ["/no-head", "/head-resets"])
def test_a_refused_or_failing_head_falls_back_to_get(server: Server, path: str) -> None:
    result = check(server, path)
    assert (result.state, result.status) == ("ok", 200)
    assert server.requests == [("HEAD", path), ("GET", path)]


def test_redirects_are_bounded(server: Server) -> None:
    result = check(server, "/loop")
    assert result.state == "error"
    assert (result.reason, result.facts) == (links.TOO_MANY_REDIRECTS, {"limit": 10})
    assert len(server.requests) == links.MAX_REDIRECTS + 1


def test_a_name_that_does_not_resolve_is_dead_without_asking_the_network() -> None:
    asked: list[str] = []

    def resolver(name: str, *args: Any) -> Any:
        asked.append(name)
        return socket.getaddrinfo(name, *args)

    result = Checker(1.0, resolve=resolver).check("https://no-such-host.invalid/page")
    assert result.state == "dead"
    assert (result.reason, result.facts) == (links.NAME_UNKNOWN, {"host": "no-such-host.invalid"})
    assert not result.connected
    assert asked == []  # RFC 6761: .invalid never resolves, so nothing is looked up


def test_a_failed_lookup_is_dead_only_when_the_name_does_not_exist() -> None:
    def no_such_name(*args: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def temporary(*args: Any) -> Any:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    gone = Checker(1.0, resolve=no_such_name).check("https://example.org/")
    assert gone.state == "dead"
    flaky = Checker(1.0, resolve=temporary).check("https://example.org/")
    assert flaky.state == "error"
    assert (flaky.reason, flaky.facts) == (
        links.LOOKUP_FAILED,
        {
            "host": "example.org",
            "lookup": socket.EAI_AGAIN,
            "text": "Temporary failure in name resolution",
        },
    )


def test_each_host_is_looked_up_once(server: Server) -> None:
    asked: list[str] = []

    def resolver(name: str, *args: Any) -> Any:
        asked.append(name)
        return socket.getaddrinfo(name, *args)

    urls = [f"{server.base}/ok?{i}" for i in range(20)]
    results = check_links(urls, 2.0, resolve=resolver)
    assert {r.state for r in results} == {"ok"}
    assert asked == ["127.0.0.1"]


def test_connections_go_to_the_addresses_the_checker_looked_up(server: Server) -> None:
    # No system lookup could find docs.example: the check reaches the local server only
    # if it connects to what its own lookup found.
    def resolver(name: str, *args: Any) -> Any:
        assert name == "docs.example"
        return socket.getaddrinfo("127.0.0.1", *args)

    port = server.server_address[1]
    result = Checker(2.0, resolve=resolver).check(f"http://docs.example:{port}/r302")
    assert (result.state, result.status) == ("ok", 200)
    assert result.redirects == ((302, f"http://docs.example:{port}/ok"),)
    assert server.requests == [("HEAD", "/r302"), ("HEAD", "/ok")]


def test_a_lookup_that_hangs_costs_the_timeout_not_more() -> None:
    def hangs(*args: Any) -> Any:
        time.sleep(3)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    started = time.monotonic()
    result = Checker(0.3, resolve=hangs).check("https://slow-dns.example/")
    assert time.monotonic() - started < 2
    assert result.state == "timeout"
    assert (result.reason, result.facts) == (
        links.LOOKUP_TIMEOUT,
        {"host": "slow-dns.example", "seconds": 0.3},
    )
    assert not result.connected


def test_a_port_nobody_listens_on_is_an_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = Checker(1.0).check(f"http://127.0.0.1:{port}/")
    assert (result.state, result.connected) == ("error", False)
    assert result.reason == links.CONNECTION_REFUSED


def test_requests_per_host_are_capped_and_concurrent(server: Server) -> None:
    urls = [f"{server.base}/busy?{i}" for i in range(40)]
    results = check_links(urls, 5.0, per_host=3, workers=20)
    assert [r.url for r in results] == urls  # in the order given
    assert {r.state for r in results} == {"ok"}
    assert 2 <= server.most_active <= 3


def test_each_address_is_checked_once_and_progress_is_reported(server: Server) -> None:
    seen: list[tuple[int, int]] = []
    lock = threading.Lock()

    def on_checked(done: int, total: int) -> None:
        with lock:
            seen.append((done, total))

    urls = [server.base + "/ok", server.base + "/gone", server.base + "/ok"]
    results = check_links(urls, 2.0, on_checked=on_checked)
    assert [r.state for r in results] == ["ok", "dead"]
    assert sorted(seen) == [(1, 2), (2, 2)]
    assert len(server.requests) == 2


def test_offline_means_no_server_was_reached_on_any_of_several_hosts(server: Server) -> None:
    def nothing_resolves(*args: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    names = [f"https://site{i}.example/" for i in range(5)]
    results = check_links(names, 1.0, resolve=nothing_resolves)
    assert links.offline(results)
    # One host that cannot be reached is that host's trouble, not the network's.
    assert not links.offline(results[:1])
    # Any server answering (even with an error) shows the network is there.
    answered = check_links([*names, server.base + "/gone"], 1.0)
    assert not links.offline(answered)


def test_the_cache_keeps_lasting_results_for_a_day(tmp_path: Any) -> None:
    path = str(tmp_path / "links.json")
    now = 1_000_000.0
    results = [
        LinkResult("https://a.example/", "ok", 200, checked_at=now - 10),
        LinkResult("https://b.example/", "dead", 404, checked_at=now - 10),
        LinkResult("https://c.example/", "timeout", checked_at=now - 10),
        LinkResult("https://d.example/", "ok", 200, checked_at=now - 2 * 86400),
    ]
    assert links.save_cache(path, results, now)
    kept = links.load_cache(path, now)
    assert sorted(kept) == ["https://a.example/", "https://b.example/"]
    assert (
        kept["https://b.example/"].archive_url == "https://web.archive.org/web/https://b.example/"
    )
    assert all(r.from_cache for r in kept.values())
    assert links.load_cache(path, now + 86400) == {}


def test_a_damaged_cache_is_no_cache(tmp_path: Any) -> None:
    path = tmp_path / "links.json"
    for text in ("{not json", '{"format": 1, "results": [{"url": 3}]}', "[]", ""):
        path.write_text(text, encoding="utf-8")
        assert links.load_cache(str(path), 0.0) == {}


def test_the_cache_keeps_why_as_a_reason_and_its_facts(tmp_path: Any) -> None:
    path = str(tmp_path / "links.json")
    now = 1_000_000.0
    gone = LinkResult(
        "https://gone.invalid/", "dead", None, links.NAME_UNKNOWN, {"host": "gone.invalid"}
    )
    gone.checked_at = now
    assert links.save_cache(path, [gone], now)
    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    assert saved["format"] == 2
    assert "detail" not in saved["results"][0]  # no sentence, in any language
    (kept,) = links.load_cache(path, now).values()
    assert (kept.reason, kept.facts) == (links.NAME_UNKNOWN, {"host": "gone.invalid"})


@pytest.mark.parametrize(
    "entry",
    [
        {"reason": 3, "facts": {}},
        {"reason": "http", "facts": []},
        {"reason": "http", "facts": {"host": ["a"]}},
        {"reason": "http", "facts": {"limit": True}},
        {"facts": {}},
        {"reason": "http"},
    ],
)
def test_a_cache_entry_without_a_usable_reason_is_no_cache(tmp_path: Any, entry: Any) -> None:
    path = tmp_path / "links.json"
    result = {"url": "https://a.example/", "state": "ok", "status": 200, "checked_at": 0.0}
    document = {"format": links.CACHE_FORMAT, "results": [{**result, **entry}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert links.load_cache(str(path), 10.0) == {}


def test_every_status_python_names_is_said_in_words() -> None:
    from http import HTTPStatus

    from mlpath.output.link_text import STATUS_WORDS, status_text

    assert {int(s) for s in HTTPStatus} <= STATUS_WORDS.keys()
    assert (status_text(404), status_text(999)) == ("404 Not Found", "999")
    i18n.activate("zh")
    assert (status_text(404), status_text(999)) == ("404 未找到", "999")


# Each reason a check can give, with the facts it comes with, and what it reads as.
REASONS = [
    (links.HTTP, {}, "404 Not Found", "404 未找到"),
    (links.BOT_CHECK, {}, "a bot check answered", "回应的是一个人机验证页面"),
    (links.NO_LOCATION, {}, "a redirect with no address", "重定向没有给出新地址"),
    (links.TOO_MANY_REDIRECTS, {"limit": 10}, "more than 10 redirects", "重定向超过 10 次"),
    (
        links.NAME_UNKNOWN,
        {"host": "gone.invalid"},
        "the name gone.invalid does not resolve",
        "域名 gone.invalid 无法解析",
    ),
    (
        links.NAME_UNKNOWN,
        {"lookup": socket.EAI_NONAME, "text": "Name or service not known"},
        "the name does not resolve (Name or service not known)",
        "域名无法解析（未知的域名或服务）",
    ),
    (
        links.LOOKUP_TIMEOUT,
        {"host": "slow.example", "seconds": 0.3},
        "looking up slow.example took more than 0.3 s",
        "查询 slow.example 的地址超过了 0.3 秒",
    ),
    (
        links.LOOKUP_FAILED,
        {"host": "a.example", "lookup": socket.EAI_AGAIN, "text": "whatever"},
        "looking up a.example failed: Temporary failure in name resolution",
        "查询 a.example 的地址失败：域名解析暂时失败",
    ),
    (links.TIMEOUT, {"seconds": 10.0}, "no answer in 10 s", "10 秒内没有回应"),
    (
        links.TLS,
        {"code": "CERTIFICATE_VERIFY_FAILED"},
        "a TLS problem: the certificate could not be verified",
        "TLS 出错：无法验证证书",
    ),
    (links.CONNECTION_REFUSED, {}, "the connection was refused", "连接被拒绝"),
    (links.CONNECTION_RESET, {}, "the connection was reset", "连接被重置"),
    (
        links.MALFORMED,
        {"error": "RemoteDisconnected"},
        "a malformed answer (RemoteDisconnected)",
        "回应格式有误（RemoteDisconnected）",
    ),
    (links.NOT_AN_ADDRESS, {}, "not a valid web address", "不是有效的网址"),
    (
        links.SYSTEM,
        {"errno": errno.EHOSTUNREACH, "text": "No route to host"},
        "No route to host",
        "无法到达主机",
    ),
    # Facts that are not what the reason needs (a damaged or hand-made cache).
    (links.LOOKUP_TIMEOUT, {"host": "x.example"}, "the check failed: lookup_timeout", None),
]


@pytest.mark.parametrize(("reason", "facts", "english", "chinese"), REASONS)
def test_each_reason_is_said_in_the_language_of_the_run(
    reason: str, facts: Any, english: str, chinese: str | None
) -> None:
    from mlpath.output.link_text import link_reason

    result = LinkResult("https://a.example/", "error", 404, reason, facts)
    assert link_reason(result, 10.0) == english
    i18n.activate("zh")
    assert link_reason(result, 10.0) == (chinese or "检查失败：lookup_timeout")

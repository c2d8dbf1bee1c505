"""Headless Chromium for the shared page's tests: found once, run off the network.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
commands on its fd 3, answers on its fd 4), not with `--screenshot`/`--dump-dom`
alone: a headless window is never narrower than 500 px, so a 390 px phone is only
honest as an emulated viewport (Emulation.setDeviceMetricsOverride), and the checks
on the layout (horizontal overflow, what is on the first screen) are measured in the
page with Runtime.evaluate, while the page itself keeps no script of its own.

Where Chromium is missing, `require_chromium()` skips with a reason naming the
package to install, and fails instead when CI is set: CI installs it (.ci/run), so it
can never pass without these tests.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MISSING = (
    "headless Chromium is needed to check the shared page in a browser: "
    "install Debian's `chromium` package (apt-get install -y chromium)"
)
# No request leaves the machine: no proxy answers, no name resolves.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
TIMEOUT = 60.0


def find_chromium() -> str | None:
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return found


class Browser:
    """One Chromium process and one page (tab), spoken to over the DevTools pipe."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="mlpath-chromium-")
        ours_in, theirs_out = os.pipe()  # Chromium writes answers, we read them
        theirs_in, ours_out = os.pipe()  # we write commands, Chromium reads them

        def pipes_on_3_and_4() -> None:
            # Copies first: the pipe ends may themselves be fds 3 or 4.
            commands, answers = os.dup(theirs_in), os.dup(theirs_out)
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        self.process = subprocess.Popen(
            [
                executable,
                *FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=pipes_on_3_and_4,
        )
        os.close(theirs_in)
        os.close(theirs_out)
        self._in, self._out = ours_in, ours_out
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session: str | None = attached["sessionId"]
        self.send("Page.enable")
        self.send("Network.enable")

    def _message(self) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._in], [], [], TIMEOUT)
            if not ready:
                raise TimeoutError("Chromium did not answer within a minute")
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(line)
        return message

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if getattr(self, "session", None) and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._message()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, event: str) -> dict[str, Any]:
        for i, seen in enumerate(self.events):
            if seen.get("method") == event:
                del self.events[: i + 1]
                return seen
        while True:
            message = self._message()
            if message.get("method") == event:
                return message
            self.events.append(message)

    def open(
        self, path: Path, width: int, height: int, dark: bool = False, media: str = ""
    ) -> None:
        """Load a file in a `width`×`height` viewport (a phone's below 500 px wide)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
        )
        scheme = "dark" if dark else "light"
        self.send(
            "Emulation.setEmulatedMedia",
            {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )
        self.events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        found = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in found:
            raise RuntimeError(f"script failed: {found['exceptionDetails']}")
        return found["result"].get("value")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def image_stats(self, png: bytes) -> dict[str, Any]:
        """Width, height, distinct colours, and the share of pixels unlike the top-left
        one (the background) of a PNG, decoded by the browser on a blank page."""
        self.send("Page.navigate", {"url": "about:blank"})
        self.wait_for("Page.loadEventFired")
        source = "data:image/png;base64," + base64.b64encode(png).decode()
        script = (
            "new Promise(done => { const img = new Image(); img.onload = () => {"
            " const c = document.createElement('canvas'); c.width = img.width;"
            " c.height = img.height; const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
            " const d = g.getImageData(0, 0, c.width, c.height).data; const seen = new Set();"
            " let other = 0; for (let i = 0; i < d.length; i += 4) {"
            " seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);"
            " if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) other++; }"
            " done({width: c.width, height: c.height, colours: seen.size,"
            " background: [d[0], d[1], d[2]], other: other / (d.length / 4)}); };"
            f" img.src = {json.dumps(source)}; }})"
        )
        found = self.send(
            "Runtime.evaluate",
            {"expression": script, "returnByValue": True, "awaitPromise": True},
        )
        stats: dict[str, Any] = found["result"]["value"]
        return stats

    def requests(self) -> list[str]:
        """Addresses of every request the page made since it was opened."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._in)
        os.close(self._out)
        shutil.rmtree(self.profile, ignore_errors=True)


@contextmanager
def browser() -> Iterator[Browser]:
    opened = Browser(require_chromium())
    try:
        yield opened
    finally:
        opened.close()


def dump_dom(path: Path) -> str:
    """The DOM after loading `path`, as `chromium --headless --dump-dom` prints it."""
    done = subprocess.run(
        [
            require_chromium(),
            *FLAGS,
            f"--user-data-dir={tempfile.mkdtemp(prefix='mlpath-chromium-')}",
            "--dump-dom",
            path.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout

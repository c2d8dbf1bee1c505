"""`mlpath doctor` for people: each finding with what to do, then what the links came to.

The plain and the Rich form are the same lines; Rich only colours the marks. The
progress bar of `--links` lives here too: it is output, shown on stderr at a terminal.
"""

from __future__ import annotations

from mlpath.output.literal import Bold
from mlpath.output.words import plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from rich.console import RenderableType

    from mlpath.doctor import Diagnosis, LinkReport
    from mlpath.links import LinkResult
    from mlpath.output.env import Environment

    Tick = Callable[[int, int], None]

MARKS = {"ok": "✔", "warning": "!", "problem": "✘"}
STYLES = {"ok": "green", "warning": "yellow", "problem": "red"}
# How each state is listed: its heading, and what to do about the links in it.
SECTIONS = (
    ("dead", "Dead", "gone: find a new address, or try the web archive"),
    ("moved", "Moved", "moved for good: use the new address"),
    ("blocked", "Blocked", "the site refuses automatic checks: check by hand"),
    ("timeout", "Timed out", "no answer in time: checked again next time"),
    ("error", "Failed", "checked again next time"),
)
STATE_STYLES = {
    "dead": "red",
    "moved": "yellow",
    "blocked": "yellow",
    "timeout": "yellow",
    "error": "red",
}
SHOWN_PLACES = 3


def _styled_lines(diagnosis: Diagnosis) -> list[tuple[str, str]]:
    """(style, line) pairs: the one rendering both forms are made from."""
    out: list[tuple[str, str]] = []
    for finding in diagnosis.findings:
        out.append((STYLES[finding.level], f"{MARKS[finding.level]} {finding.message}"))
        if finding.advice:
            out.append(("", f"  → {finding.advice}"))
    if diagnosis.links is not None:
        out.append(("", ""))
        if diagnosis.catalog_readable:
            out.extend(_link_lines(diagnosis.links))
        else:
            out.append(("", "Links not checked: the catalog cannot be read (see above)."))
    out.append(("", ""))
    out.append(("bold", _verdict(diagnosis)))
    return out


def _verdict(diagnosis: Diagnosis) -> str:
    problems = len(diagnosis.problems)
    dead = 0
    offline = False
    if diagnosis.links is not None:
        dead = diagnosis.links.counts()["dead"]
        offline = diagnosis.links.offline
    if diagnosis.healthy:
        return "All is well."
    wrong = []
    if problems:
        wrong.append(plural(problems, "problem"))
    if dead:
        wrong.append(plural(dead, "dead link"))
    if offline:
        wrong.append("links not checked")
    return "Something is wrong: " + ", ".join(wrong) + "."


def _link_lines(report: LinkReport) -> list[tuple[str, str]]:
    if report.offline:
        hosts = len({_host(link.url) for link in report.links})
        return [
            (
                "red",
                f"✘ Links not checked: none of {hosts} hosts could be reached (no name "
                "resolved, no connection was made). This machine seems to be offline; "
                "try again when it is connected.",
            )
        ]
    counts = report.counts()
    total = len(report.results)
    if not total:
        return [("", "The catalog has no links to check.")]
    summary = " · ".join(
        f"{counts[state]} {word}"
        for state, word in (
            ("ok", "ok"),
            ("moved", "moved"),
            ("dead", "dead"),
            ("blocked", "blocked"),
            ("timeout", "timed out"),
            ("error", "failed"),
        )
        if counts[state] or state == "ok"
    )
    addresses = f"{total} address{'' if total == 1 else 'es'}"
    head = f"Links: {addresses} checked in {report.seconds:.1f} s — {summary}"
    out = [("bold", head)]
    if report.cached:
        out.append(
            (
                "",
                f"  ({report.cached} of them as found within the last day; "
                "--fresh checks them all again)",
            )
        )
    places = report.places()
    for state, title, advice in SECTIONS:
        shown = [r for r in report.results if r.state == state]
        if not shown:
            continue
        out.append(("", ""))
        out.append((f"bold {STATE_STYLES[state]}", f"{title} ({len(shown)}) — {advice}:"))
        for result in shown:
            out.extend(_result_lines(result, places.get(result.url, ()), report.timeout))
    return out


def _result_lines(
    result: LinkResult, places: tuple[str, ...], timeout: float
) -> list[tuple[str, str]]:
    where = ", ".join(places[:SHOWN_PLACES])
    if len(places) > SHOWN_PLACES:
        where += f" and {len(places) - SHOWN_PLACES} more"
    from mlpath.links import PERMANENT

    lines = [("", f"  {where}: {result.url}")]
    if result.state == "moved" and result.final_url:
        first = next(status for status, _ in result.redirects if status in PERMANENT)
        lines.append(("", f"    now at {result.final_url} ({_reason(first)})"))
    else:
        detail = f"no answer in {timeout:g} s" if result.state == "timeout" else result.detail
        if result.redirects:
            detail += f", after {plural(len(result.redirects), 'redirect')}"
        lines.append(("", f"    {detail}"))
    if result.archive_url:
        lines.append(("", f"    try the web archive: {result.archive_url}"))
    return lines


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc.lower()


def diagnosis_lines(diagnosis: Diagnosis, lang: str) -> list[str]:
    return [
        Bold(text) if style.startswith("bold") else text
        for style, text in _styled_lines(diagnosis)
    ]


def diagnosis(result: Diagnosis, lang: str) -> list[RenderableType]:
    from mlpath.output.styled import cell

    return [cell(text, style) for style, text in _styled_lines(result)]


def link_progress(
    env: Environment, as_json: bool
) -> AbstractContextManager[Callable[[int, int], None]]:
    """A progress bar of links checked, on stderr, while the block runs; only when both
    stdout and stderr are a terminal (never in a pipe, never with --json). The callable
    it gives (done, total) is safe to call from any thread."""
    from contextlib import contextmanager

    from mlpath.output.env import _isatty

    @contextmanager
    def quiet() -> Iterator[Callable[[int, int], None]]:
        yield lambda done, total: None

    if as_json or not env.stdout_is_terminal or not _isatty(env.stderr):
        return quiet()

    @contextmanager
    def bar() -> Iterator[Callable[[int, int], None]]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from mlpath.output.env import no_styling_wanted

        console = Console(file=env.stderr, color_system=None if no_styling_wanted() else "auto")
        progress = Progress(
            TextColumn("Checking links"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        )
        task = progress.add_task("links", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        with progress:
            yield tick

    return bar()

"""`mlpath doctor` for people: each finding with what to do, then what the links came to.

The plain and the Rich form are the same lines; Rich only colours the marks. The
progress bar of `--links` lives here too: it is output, shown on stderr at a terminal.
"""

from __future__ import annotations

from mlpath.i18n import N_, _, ngettext
from mlpath.output.literal import Bold

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
# Marked here, translated where shown.
SECTIONS = (
    ("dead", N_("Dead"), N_("gone: find a new address, or try the web archive")),
    ("moved", N_("Moved"), N_("moved for good: use the new address")),
    ("blocked", N_("Blocked"), N_("the site refuses automatic checks: check by hand")),
    ("timeout", N_("Timed out"), N_("no answer in time: checked again next time")),
    ("error", N_("Failed"), N_("checked again next time")),
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
            out.append(("", _("Links not checked: the catalog cannot be read (see above).")))
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
        return _("All is well.")
    wrong = []
    if problems:
        wrong.append(
            ngettext("{count} problem", "{count} problems", problems).format(count=problems)
        )
    if dead:
        wrong.append(ngettext("{count} dead link", "{count} dead links", dead).format(count=dead))
    if offline:
        wrong.append(_("links not checked"))
    return _("Something is wrong: {what}.").format(what=_(", ").join(wrong))


def _link_lines(report: LinkReport) -> list[tuple[str, str]]:
    if report.offline:
        hosts = len({_host(link.url) for link in report.links})
        return [
            (
                "red",
                "✘ "
                + _(
                    "Links not checked: none of {hosts} hosts could be reached (no name "
                    "resolved, no connection was made). This machine seems to be offline; "
                    "try again when it is connected."
                ).format(hosts=hosts),
            )
        ]
    counts = report.counts()
    total = len(report.results)
    if not total:
        return [("", _("The catalog has no links to check."))]
    summary = " · ".join(
        word.format(count=counts[state])
        for state, word in (
            ("ok", _("{count} ok")),
            ("moved", _("{count} moved")),
            ("dead", _("{count} dead")),
            ("blocked", _("{count} blocked")),
            ("timeout", _("{count} timed out")),
            ("error", _("{count} failed")),
        )
        if counts[state] or state == "ok"
    )
    head = ngettext(
        "Links: {count} address checked in {seconds} s — {summary}",
        "Links: {count} addresses checked in {seconds} s — {summary}",
        total,
    ).format(count=total, seconds=f"{report.seconds:.1f}", summary=summary)
    out = [("bold", head)]
    if report.cached:
        out.append(
            (
                "",
                "  "
                + _(
                    "({count} of them as found within the last day; --fresh checks them all again)"
                ).format(count=report.cached),
            )
        )
    places = report.places()
    for state, title, advice in SECTIONS:
        shown = [r for r in report.results if r.state == state]
        if not shown:
            continue
        out.append(("", ""))
        out.append(
            (
                f"bold {STATE_STYLES[state]}",
                _("{title} ({count}) — {advice}:").format(
                    title=_(title), count=len(shown), advice=_(advice)
                ),
            )
        )
        for result in shown:
            out.extend(_result_lines(result, places.get(result.url, ()), report.timeout))
    return out


def _result_lines(
    result: LinkResult, places: tuple[str, ...], timeout: float
) -> list[tuple[str, str]]:
    where = _(", ").join(places[:SHOWN_PLACES])
    if len(places) > SHOWN_PLACES:
        where += _(" and {count} more").format(count=len(places) - SHOWN_PLACES)
    from mlpath.links import PERMANENT
    from mlpath.output.link_text import link_reason, status_text

    lines = [("", f"  {where}: {result.url}")]
    if result.state == "moved" and result.final_url:
        first = next(status for status, _location in result.redirects if status in PERMANENT)
        lines.append(
            (
                "",
                "    "
                + _("now at {url} ({reason})").format(
                    url=result.final_url, reason=status_text(first)
                ),
            )
        )
    else:
        detail = link_reason(result, timeout)
        if result.redirects:
            count = len(result.redirects)
            detail += ngettext(
                ", after {count} redirect", ", after {count} redirects", count
            ).format(count=count)
        lines.append(("", f"    {detail}"))
    if result.archive_url:
        lines.append(("", "    " + _("try the web archive: {url}").format(url=result.archive_url)))
    return lines


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
            TextColumn(_("Checking links")),
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

"""Output: the language titles are shown in, plain text and JSON, and where they go.

No Rich here: importing it costs more than answering `mlpath next` does.
"""

from __future__ import annotations

import os
import sys

from mlpath.errors import OutputError, UnknownChoice
from mlpath.path import format_minutes, progress_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from rich.console import Console

    from mlpath.catalog import Resource
    from mlpath.path import NextResult


LANGS = ("en", "zh")


def resolve_lang(option: str | None = None) -> str:
    """`--lang`, else MLPATH_LANG, else the locale."""
    chosen = option or os.environ.get("MLPATH_LANG")
    if chosen:
        chosen = chosen.strip().lower()
        if chosen not in LANGS:
            raise UnknownChoice(f"unknown language '{chosen}' — choose from: {', '.join(LANGS)}")
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def console() -> Console:
    """Rich, for a terminal only: importing it costs more than answering `next`."""
    from rich.console import Console

    # Rich's own NO_COLOR handling drops colours but keeps bold and dim; people who
    # set it (or a dumb terminal) want no escape codes at all.
    if no_styling_wanted():
        return Console(highlight=False, soft_wrap=False, color_system=None)
    return Console(highlight=False, soft_wrap=False)


def echo(text: str) -> None:
    if text:
        write_out(text + "\n")


def write_out(text: str) -> None:
    """Plain output to stdout; a stream that cannot take it is a one-line error."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise  # the reader has gone: mlpath.cli.main ends quietly
    except OSError as exc:
        raise output_error(exc) from None


def output_error(exc: OSError) -> OutputError:
    return OutputError(f"cannot write the output: {exc.strerror or exc}")


def output_closed() -> OutputError:
    return OutputError("cannot write the output: standard output is closed")


def dumps(data: Any) -> str:
    """Machine output: stable keys, real characters, no colour."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


def echo_json(data: object) -> None:
    write_out(dumps(data) + "\n")


def no_styling_wanted() -> bool:
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def use_colour() -> bool:
    return sys.stdout.isatty() and not no_styling_wanted()


def bold(text: str) -> str:
    return f"\x1b[1m{text}\x1b[0m" if use_colour() else text


def cost_label(resource: Resource) -> str:
    if resource.cost == "free":
        return "free"
    return "paid (free to audit)" if resource.free_to_audit else "paid"


def next_text(result: NextResult, lang: str, short: bool) -> str:
    if not result.steps:
        if result.path_complete:
            message = "The whole path is done — well done! `mlpath progress` shows the journey."
        else:
            message = "Nothing to do next with these filters — try without them."
        return message if not short else ""
    if short:
        first = result.steps[0].resource
        return f"▶ {first.id} · {first.display_title(lang)} ({first.section})"
    blocks = []
    for step in result.steps:
        r = step.resource
        details = [step.section_title, r.kind, cost_label(r), f"about {format_minutes(r.minutes)}"]
        lines = [
            bold(f"▶ {r.id} · {r.display_title(lang)}"),
            "  " + " · ".join(details),
        ]
        if r.url:
            lines.append(f"  {r.url}")
        lines.append(f"  {step.reason}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n\n" + progress_line(result.totals)


def outcome_lines(outcomes: Sequence[tuple[Resource, str, bool]], status: str, lang: str) -> str:
    verb = {"done": "done", "doing": "started", "skipped": "skipped", "todo": "reset"}[status]
    already = {
        "done": "already done",
        "doing": "already started",
        "skipped": "already skipped",
        "todo": "already to do",
    }[status]
    lines = []
    for resource, previous, changed in outcomes:
        label = f"{resource.id} · {resource.display_title(lang)}"
        if changed:
            was = f" (was {previous})" if previous != "todo" else ""
            lines.append(f"{verb}: {label}{was}")
        else:
            lines.append(f"{already}: {label} — nothing recorded")
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Terminal columns a string takes: CJK characters take two."""
    if text.isascii():
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Rows in columns two spaces apart, padded by display width; no colour, no wrapping."""
    if not rows:
        return []
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent
            + "  ".join(
                cell + " " * (width - display_width(cell))
                for cell, width in zip(row, widths, strict=True)
            )
        ).rstrip()
        for row in rows
    ]


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table for pipes: a header line, then the rows, aligned."""
    return "\n".join(aligned([header, *rows]))

"""Plain text of `mlpath next`: the next steps, or one line for a shell prompt.

Apart from the other commands' renderings (mlpath.output.plain), as `next` runs far
more often than any of them and this is all of it that it loads.
"""

from __future__ import annotations

from mlpath.i18n import _
from mlpath.output.literal import Bold
from mlpath.output.words import (
    about_estimate,
    cost_label,
    format_minutes,
    kind_label,
    named,
    progress_line,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.next_steps import NextLine, NextResult, Step


def step_reason(step: Step) -> str:
    progress = _("{done} of {total} done").format(done=step.section_done, total=step.section_total)
    if step.status == "doing":
        if step.started_on:
            return _("continue (started {day}) — {section}, {progress}").format(
                day=step.started_on, section=step.section_title, progress=progress
            )
        return _("continue — {section}, {progress}").format(
            section=step.section_title, progress=progress
        )
    return _("next in {section} — {progress}").format(
        section=step.section_title, progress=progress
    )


def next_short_lines(line: NextLine, lang: str) -> list[str]:
    if not line.next.steps:
        return []
    step = line.next.steps[0]
    first = step.resource
    part = step.parts.next if step.parts else None
    if part is not None:
        return [f"▶ {named(part, lang)} ({first.section})"]
    return [f"▶ {named(first, lang)} ({first.section})"]


def next_lines(result: NextResult, lang: str) -> list[str]:
    if not result.steps:
        if result.path_complete:
            return [_("The whole path is done — well done! `mlpath progress` shows the journey.")]
        return [_("Nothing to do next with these filters — try without them.")]
    lines: list[str] = []
    for step in result.steps:
        r = step.resource
        part = step.parts.next if step.parts else None
        about = about_estimate(r.minutes)
        details = [step.section_title, kind_label(r.kind), cost_label(r), about]
        lines.append(Bold(f"▶ {named(r, lang)}"))
        if step.parts is not None and part is not None:
            where = {
                "part": part.label,
                "position": part.position,
                "total": step.parts.total,
                "title": part.display_title(lang),
            }
            if part.minutes:
                line = _("{part} · {position} of {total} · {title} · about {duration}").format(
                    **where, duration=format_minutes(part.minutes)
                )
            else:  # a part of the learner's own, with no estimate
                line = _("{part} · {position} of {total} · {title}").format(**where)
            lines.append("  " + line)
            if step.parts.minutes_settled:
                left = r.minutes - step.parts.minutes_settled
                details[-1] = _("about {duration} left").format(duration=format_minutes(left))
        lines.append("  " + " · ".join(details))
        url = (part.url if part else None) or r.url
        if url:
            lines.append(f"  {url}")
        elif r.url_note:
            lines.append("  " + _("no link here: {note}").format(note=r.display_url_note(lang)))
        lines += [f"  {step_reason(step)}", ""]
    return [*lines, progress_line(result.totals, result.horizon)]

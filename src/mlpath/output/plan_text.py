"""`mlpath plan` as plain text: the summary, the weeks, finish dates and notes."""

from __future__ import annotations

from mlpath.i18n import _, ngettext
from mlpath.output.words import aligned, day_text, estimate, format_minutes
from mlpath.plan import PACE_WEEKS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.plan import Plan, PlannedPart, PlannedStep


def pace_text(plan: Plan) -> str:
    pace = f"{plan.hours_per_week.numerator / plan.hours_per_week.denominator:.3g}"
    hours = _("{hours} h/week").format(hours=pace)
    if plan.pace == "actual":
        return hours + _(" (your pace over the {weeks} weeks before {day})").format(
            weeks=PACE_WEEKS, day=day_text(plan.start.isoformat())
        )
    return hours


def weeks_text(step: PlannedStep) -> str:
    if step.start_week == step.end_week:
        return str(step.start_week)
    return f"{step.start_week}–{step.end_week}"


def step_rows(step: PlannedStep, lang: str) -> list[tuple[str, ...]]:
    """A resource's rows: one, or for one with parts one a week it starts parts in
    (`cs229/3-7 · Stanford CS229, parts 3–7 of 20`): (weeks, start, end, id as typed,
    title, time, "in progress" or "")."""
    r = step.resource
    if not step.parts:
        return [
            (
                weeks_text(step),
                step.start.isoformat(),
                step.end.isoformat(),
                r.id,
                r.display_title(lang),
                estimate(step.minutes),
                _("in progress") if step.status == "doing" else "",
            )
        ]
    groups: list[list[PlannedPart]] = []
    for piece in step.parts:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.start_week == piece.start_week
            and last.part.position + 1 == piece.part.position
        ):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    of = step.part_count or step.parts[-1].part.position
    rows: list[tuple[str, ...]] = []
    for group in groups:
        first, last = group[0], group[-1]
        if len(group) == 1:
            typed, title = first.part.label, first.part.display_title(lang)
        else:
            typed = f"{r.id}/{first.part.position}-{last.part.position}"  # as people type it
            numbers = f"{first.part.position}–{last.part.position}"
            title = _("{title}, parts {numbers} of {total}").format(
                title=r.display_title(lang), numbers=numbers, total=of
            )
        weeks = (
            str(first.start_week)
            if first.start_week == last.end_week
            else f"{first.start_week}–{last.end_week}"
        )
        rows.append(
            (
                weeks,
                first.start.isoformat(),
                last.end.isoformat(),
                typed,
                title,
                format_minutes(sum(p.part.minutes for p in group)),
                _("in progress") if any(p.status == "doing" for p in group) else "",
            )
        )
    return rows


def plan_summary(plan: Plan) -> str:
    if not plan.steps:
        if plan.left_out:
            return _("Nothing free is left to plan: only paid resources remain (drop --free).")
        return _("Nothing left to plan: every resource is done or skipped.")
    assert plan.finish is not None
    count = len(plan.steps)
    return ngettext(
        "Plan from {start} at {pace}: {count} resource, about {duration} — "
        "finish by {finish} (week {week})",
        "Plan from {start} at {pace}: {count} resources, about {duration} — "
        "finish by {finish} (week {week})",
        count,
    ).format(
        start=day_text(plan.start.isoformat()),
        pace=pace_text(plan),
        count=count,
        duration=format_minutes(plan.minutes),
        finish=day_text(plan.finish.isoformat()),
        week=plan.steps[-1].end_week,
    )


def plan_notes(plan: Plan) -> list[str]:
    notes = []
    waiting = [s for s in plan.steps if s.waits_for]
    for s in waiting:
        notes.append(
            _("{id} needs {ids}, left out as paid (--free)").format(
                id=s.resource.id, ids=_(", ").join(s.waits_for)
            )
        )
    if plan.left_out:
        count = len(plan.left_out)
        notes.append(
            ngettext(
                "{count} paid resource left out (--free)",
                "{count} paid resources left out (--free)",
                count,
            ).format(count=count)
        )
    optional = [s for s in plan.steps if s.resource.optional]
    if optional:
        minutes = sum(s.minutes for s in optional)
        notes.append(
            ngettext(
                "Includes {count} optional resource ({duration}); "
                "`mlpath skip ID` takes one out of the plan",
                "Includes {count} optional resources ({duration}); "
                "`mlpath skip ID` takes one out of the plan",
                len(optional),
            ).format(count=len(optional), duration=format_minutes(minutes))
        )
    if plan.offered:
        if plan.scope == "all":
            more = _("{count} more not planned: outside scope {scope}")
        else:
            more = _(
                "{count} more not planned: outside scope {scope} "
                "(`mlpath goal --scope all` plans them)"
            )
        notes.append(more.format(count=plan.offered, scope=plan.scope))
    return notes


def table_header() -> tuple[str, str, str, str, str]:
    """Week, start, end, resource, time: the plan table's columns."""
    return (_("week"), _("start"), _("end"), _("resource"), _("time"))


def plan_lines(plan: Plan, lang: str) -> list[str]:
    lines = [plan_summary(plan)]
    if not plan.steps:
        return lines + plan_notes(plan)
    rows = [row for s in plan.steps for row in step_rows(s, lang)]
    week, start, end, _resource, time = table_header()
    header = (week, start, end, _("id"), _("title"), time, "")
    lines += ["", *aligned([header, *rows]), ""]
    finish_rows = [
        (s.section.display_title(lang), s.finish.isoformat())
        for s in plan.sections
        if s.finish is not None
    ]
    assert plan.finish is not None
    finish_rows.append((_("Whole path"), plan.finish.isoformat()))
    lines += aligned([(_("section"), _("finish")), *finish_rows])
    notes = plan_notes(plan)
    if notes:
        lines += ["", *notes]
    return lines

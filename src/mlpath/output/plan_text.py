"""`mlpath plan` as plain text: the summary, the weeks, finish dates and notes."""

from __future__ import annotations

from mlpath.output.words import aligned, format_minutes
from mlpath.plan import PACE_WEEKS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.plan import Plan, PlannedPart, PlannedStep


def pace_text(plan: Plan) -> str:
    hours = f"{plan.hours_per_week.numerator / plan.hours_per_week.denominator:.3g} h/week"
    if plan.pace == "actual":
        return f"{hours} (your pace over the {PACE_WEEKS} weeks before {plan.start.isoformat()})"
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
                format_minutes(step.minutes),
                "in progress" if step.status == "doing" else "",
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
            title = f"{r.display_title(lang)}, parts {numbers} of {of}"
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
                "in progress" if any(p.status == "doing" for p in group) else "",
            )
        )
    return rows


def plan_summary(plan: Plan) -> str:
    if not plan.steps:
        if plan.left_out:
            return "Nothing free is left to plan: only paid resources remain (drop --free)."
        return "Nothing left to plan: every resource is done or skipped."
    assert plan.finish is not None
    count = len(plan.steps)
    return (
        f"Plan from {plan.start.isoformat()} at {pace_text(plan)}: "
        f"{count} resource{'s' if count != 1 else ''}, about {format_minutes(plan.minutes)} — "
        f"finish by {plan.finish.isoformat()} (week {plan.steps[-1].end_week})"
    )


def plan_notes(plan: Plan) -> list[str]:
    notes = []
    waiting = [s for s in plan.steps if s.waits_for]
    for s in waiting:
        notes.append(f"{s.resource.id} needs {', '.join(s.waits_for)}, left out as paid (--free)")
    if plan.left_out:
        count = len(plan.left_out)
        notes.append(f"{count} paid resource{'s' if count != 1 else ''} left out (--free)")
    optional = [s for s in plan.steps if s.resource.optional]
    if optional:
        minutes = sum(s.minutes for s in optional)
        notes.append(
            f"Includes {len(optional)} optional resource{'s' if len(optional) != 1 else ''} "
            f"({format_minutes(minutes)}); `mlpath skip ID` takes one out of the plan"
        )
    if plan.offered:
        wider = "" if plan.scope == "all" else " (`mlpath goal --scope all` plans them)"
        notes.append(f"{plan.offered} more not planned: outside scope {plan.scope}{wider}")
    return notes


def plan_lines(plan: Plan, lang: str) -> list[str]:
    lines = [plan_summary(plan)]
    if not plan.steps:
        return lines + plan_notes(plan)
    rows = [row for s in plan.steps for row in step_rows(s, lang)]
    lines += ["", *aligned([("week", "start", "end", "id", "title", "time", ""), *rows]), ""]
    finish_rows = [
        (s.section.display_title(lang), s.finish.isoformat())
        for s in plan.sections
        if s.finish is not None
    ]
    assert plan.finish is not None
    finish_rows.append(("Whole path", plan.finish.isoformat()))
    lines += aligned([("section", "finish"), *finish_rows])
    notes = plan_notes(plan)
    if notes:
        lines += ["", *notes]
    return lines

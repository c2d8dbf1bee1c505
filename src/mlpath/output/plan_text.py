"""`mlpath plan` as plain text: the summary, the weeks, finish dates and notes."""

from __future__ import annotations

from mlpath.output.words import aligned, format_minutes
from mlpath.plan import PACE_WEEKS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.plan import Plan, PlannedStep


def pace_text(plan: Plan) -> str:
    hours = f"{plan.hours_per_week.numerator / plan.hours_per_week.denominator:.3g} h/week"
    if plan.pace == "actual":
        return f"{hours} (your pace over the {PACE_WEEKS} weeks before {plan.start.isoformat()})"
    return hours


def weeks_text(step: PlannedStep) -> str:
    if step.start_week == step.end_week:
        return str(step.start_week)
    return f"{step.start_week}–{step.end_week}"


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
    return notes


def plan_lines(plan: Plan, lang: str) -> list[str]:
    lines = [plan_summary(plan)]
    if not plan.steps:
        return lines + plan_notes(plan)
    rows = [
        (
            weeks_text(s),
            s.start.isoformat(),
            s.end.isoformat(),
            s.resource.id,
            s.resource.display_title(lang),
            format_minutes(s.minutes),
            "in progress" if s.status == "doing" else "",
        )
        for s in plan.steps
    ]
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

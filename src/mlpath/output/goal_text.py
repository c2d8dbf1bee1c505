"""`mlpath goal` as plain text: the goal, and the horizon's totals under it."""

from __future__ import annotations

from mlpath.i18n import _
from mlpath.output.words import progress_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.results import GoalResult


def scope_words(scope: str) -> str:
    return {
        "core": _("required resources, and optional ones you start"),
        "free": _("core, and every free optional resource"),
        "all": _("every resource"),
    }.get(scope, scope)


def goal_text(hours_per_week: float, scope: str) -> str:
    return _("{hours} h/week, scope {scope} ({what})").format(
        hours=f"{hours_per_week:g}", scope=scope, what=scope_words(scope)
    )


def goal_lines(result: GoalResult, lang: str) -> list[str]:
    goal = result.goal
    footer = progress_line(result.totals, result.horizon)
    if result.action == "cleared":
        return [_("goal cleared (`mlpath undo` brings it back); counting scope core"), footer]
    if goal is None:
        return [
            _("No goal yet: counting scope core (the required resources, and optional ones"),
            _("you start). Set one: mlpath goal --hours-per-week 6 [--scope core|free|all]"),
            footer,
        ]
    said = {"set": _("goal set: {goal}"), "unchanged": _("goal unchanged: {goal}")}
    line = said.get(result.action, _("goal: {goal}"))
    return [line.format(goal=goal_text(goal.hours_per_week, goal.scope)), footer]

"""`mlpath plan`: the rest of the path laid onto weeks."""

from __future__ import annotations

from mlpath.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.plan import Plan


def run(ctx: Context, values: Values) -> Plan:
    from mlpath import plan
    from mlpath.timefmt import today

    pace = values.text("pace") or "hours"
    hours_per_week = values.number("hours_per_week")
    if pace == "hours" and hours_per_week is None:
        raise UsageError("how many hours a week? e.g. --hours-per-week 5 (or --pace actual)")
    if pace == "actual" and hours_per_week is not None:
        raise UsageError("--pace actual measures your pace; leave out --hours-per-week")
    ws = ctx.workspace()
    catalog = ws.catalog()
    first = values.date("start") or today()
    if hours_per_week is not None:
        rate = plan.hours_value(hours_per_week)
    else:
        rate = plan.actual_pace(catalog, plan.read_pace_changes(ws.db(), first), first)
    from mlpath.part_status import settled_part_minutes

    settled = {rid: minutes for rid, (_, minutes) in settled_part_minutes(ws.db()).items()}
    return plan.make_plan(catalog, ws.statuses(), rate, first, values.flag("free"), pace, settled)

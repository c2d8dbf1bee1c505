"""`mlpath open`: a resource's link in the browser (or printed, where none opens)."""

from __future__ import annotations

from mlpath.results import Opened, StatusChanges

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Opened:
    from mlpath.browser import open_link

    ws = ctx.workspace()
    (resource,) = ws.resolve([values.text("resource_id") or ""])
    outcome = open_link(resource)
    started = (
        StatusChanges.of("doing", ws.set_status([resource.id], "doing"))
        if values.flag("start")
        else None
    )
    return Opened(outcome, started)

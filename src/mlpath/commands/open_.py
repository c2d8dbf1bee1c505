"""`mlpath open`: a resource's link in the browser (or printed, where none opens)."""

from __future__ import annotations

from mlpath.marking import mark
from mlpath.results import Opened

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Opened:
    from mlpath.browser import open_link

    ws = ctx.workspace()
    (resource,) = ws.resolve([values.text("resource_id") or ""])
    outcome = open_link(resource)
    started = mark(ws, [resource.id], "doing") if values.flag("start") else None
    return Opened(outcome, started)

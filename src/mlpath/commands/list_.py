"""`mlpath list`: the path in order, with filters."""

from __future__ import annotations

from mlpath.catalog import Filters
from mlpath.results import Listing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Listing:
    free = values.choice("free")
    filters = Filters(
        sections=values.texts("section"),
        cost=None if free is None else ("free" if free else "paid"),
        kinds=values.texts("kind"),
        optional=values.choice("optional"),
        statuses=values.texts("status"),
    )
    ws = ctx.workspace()
    catalog = ws.catalog()
    statuses = ws.statuses()
    return Listing(catalog, filters.select(catalog, statuses), statuses)

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
    from mlpath.catalog import load_sections
    from mlpath.listing import check_statuses

    ws = ctx.workspace()
    db = ws.db()
    sections = load_sections(db)
    filters.check_sections([s.id for s in sections])
    check_statuses(db, ws.store_path)
    return Listing(db, filters, sections)

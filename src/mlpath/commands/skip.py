"""`mlpath skip`: skip resources, one by one or a whole section."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.i18n import _
from mlpath.marking import mark
from mlpath.results import StatusChanges

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> StatusChanges:
    ws = ctx.workspace()
    chosen = values.texts("ids")
    sections = values.texts("section")
    if sections:
        chosen += ws.section_resource_ids(sections)
    if not chosen:
        raise UsageError(_("name at least one ID or --section"))
    return mark(ws, chosen, "skipped")

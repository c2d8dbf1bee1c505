"""`mlpath show`: everything about one resource."""

from __future__ import annotations

from mlpath.details import ResourceDetails, resource_details

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> ResourceDetails:
    return resource_details(ctx.workspace(), values.text("resource_id") or "", ctx.lang)

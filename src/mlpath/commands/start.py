"""`mlpath start`: mark a resource (or one of its parts, `ID/N`) as in progress."""

from __future__ import annotations

from mlpath.marking import mark
from mlpath.results import StatusChanges

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> StatusChanges:
    return mark(ctx.workspace(), [values.text("resource_id") or ""], "doing")

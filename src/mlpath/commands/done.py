"""`mlpath done`: mark resources as done."""

from __future__ import annotations

from mlpath.marking import mark
from mlpath.results import StatusChanges

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> StatusChanges:
    return mark(ctx.workspace(), values.texts("ids"), "done")

"""`mlpath done`: mark resources as done."""

from __future__ import annotations

from mlpath.results import StatusChanges

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> StatusChanges:
    return StatusChanges.of("done", ctx.workspace().set_status(values.texts("ids"), "done"))

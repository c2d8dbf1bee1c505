"""`mlpath undo`: take back what the last command (or the last N) changed."""

from __future__ import annotations

from mlpath.results import Undone

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Undone:
    return Undone(ctx.workspace().store().undo(values.int("count")))

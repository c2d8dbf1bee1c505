"""`mlpath undo`: take back what the last command (or the last N) changed."""

from __future__ import annotations

from mlpath.results import UNDONE_READ, Undone

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Undone:
    shown = None if values.flag("as_json") else UNDONE_READ
    changes, count = ctx.workspace().store().take_back(values.int("count"), shown)
    return Undone(changes, count)

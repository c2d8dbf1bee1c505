"""`mlpath history`: the log of changes, newest first."""

from __future__ import annotations

from mlpath.results import History

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> History:
    store = ctx.workspace().existing_store()
    limit = values.int("limit")
    # One more than asked tells whether there is more, without counting the history.
    changes = store.changes(limit=limit + 1) if store else []
    return History(changes[:limit], len(changes) > limit)

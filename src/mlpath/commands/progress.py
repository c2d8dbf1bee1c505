"""`mlpath progress`: how far along the path the learner is."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.progress import ProgressReport


def run(ctx: Context, values: Values) -> ProgressReport:
    from mlpath.goal import read_goal
    from mlpath.progress import read_progress
    from mlpath.timefmt import today

    db = ctx.workspace().db()
    return read_progress(db, today(), goal=read_goal(db))

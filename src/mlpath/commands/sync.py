"""`mlpath sync [DIR]`: share progress with other machines through a replicated folder."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.sync import SyncReport


def run(ctx: Context, values: Values) -> SyncReport:
    from mlpath.output.literal import visible
    from mlpath.store import wall_clock
    from mlpath.sync import sync

    ws = ctx.workspace()
    # Each log merges in a transaction of its own, committed before the state that says
    # it was read is saved: not one unit for the whole run, committed after the output.
    ws.unit_label = None
    report = sync(ws, values.text("dir"), wall_clock())
    for problem in report.problems:
        # A file skipped is told on stderr, as an error is; the rest was synced.
        ctx.env.error_line(f"mlpath: {visible(problem)}")
    if report.status_changes:
        from mlpath.part_status import is_part_key

        report.catalog = ws.catalog()
        keys = [moved.resource for moved in report.status_changes if is_part_key(moved.resource)]
        if keys:
            from mlpath.part_status import read_parts

            report.parts = read_parts(ws.db(), keys)
    return report

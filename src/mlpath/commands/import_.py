"""`mlpath import`: merge a JSON export from another machine."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.results import Imported


def run(ctx: Context, values: Values) -> Imported:
    from mlpath import importing
    from mlpath.import_file import read_import_file
    from mlpath.results import Imported

    name = values.text("file") or ""
    # The run's own standard input (tests and other callers pass theirs), as bytes.
    stdin = getattr(ctx.env.stdin, "buffer", None) if name == "-" else None
    export_file = read_import_file(name, stdin)
    ws = ctx.workspace()
    report = importing.import_export(ws, export_file, dry_run=values.flag("dry_run"))
    from mlpath.part_status import is_part_key
    from mlpath.progress import read_parts

    keys = [moved.resource for moved in report.status_changes if is_part_key(moved.resource)]
    return Imported(report, ws.catalog(), read_parts(ws.db(), keys))

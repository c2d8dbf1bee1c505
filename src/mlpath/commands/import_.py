"""`mlpath import`: merge a JSON export from another machine."""

from __future__ import annotations

import time

from mlpath.i18n import N_

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.import_file import ExportFile, ExportFileV2
    from mlpath.import_quick import QuickExport
    from mlpath.results import Imported


def run(ctx: Context, values: Values) -> Imported:
    from mlpath import importing
    from mlpath.import_quick import (
        load_export_json,
        origin_of,
        quick_read,
        read_import_bytes,
        refuse_bad_definitions,
    )
    from mlpath.results import Imported
    from mlpath.store import wall_clock

    # An import of a big file shows a bar once it has taken half a second in all.
    started = time.monotonic()
    name = values.text("file") or ""
    # The run's own standard input (tests and other callers pass theirs), as bytes.
    stdin = getattr(ctx.env.stdin, "buffer", None) if name == "-" else None
    now = wall_clock()
    watch = ctx.progress(N_("Importing changes"), started)
    dry_run = values.flag("dry_run")
    data = read_import_bytes(name, stdin) if name == "-" else None
    ws = ctx.workspace()
    # A big export streams (memory stays flat); a small one is read whole.
    report = importing.import_streamed(ws, name, data, now, dry_run, watch)
    if report is None:
        data = read_import_bytes(name, stdin) if data is None else data
        export_file: ExportFile | ExportFileV2 | QuickExport | None = quick_read(data, now)
        if export_file is None:
            # Not an export as mlpath writes them: the models decide, and say what is wrong.
            from mlpath.import_file import validate_export

            origin = origin_of(name)
            export_file = validate_export(load_export_json(data, origin), origin, now)
        refuse_bad_definitions(export_file.changes, origin_of(name))
        report = importing.import_export(ws, export_file, dry_run, watch=watch)
    named = report.named
    if not report.status_changes or named is None:
        return Imported(report, None)  # nothing to name: the catalog is not read
    # Named from what ordering them read: the moved resources are not read again.
    return Imported(report, named.resources, named.parts or None)

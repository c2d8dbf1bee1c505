"""`mlpath export`: progress as JSON (for import), a Markdown checklist or CSV."""

from __future__ import annotations

from mlpath.results import Exported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.exporting import Watch
    from mlpath.store import Change

SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".csv": "csv"}


def format_for(output: str | None) -> str:
    """The format an output file's name asks for; JSON (the full history) otherwise."""
    if output is None:
        return "json"
    import os

    return SUFFIX_FORMATS.get(os.path.splitext(output)[1].lower(), "json")


def run(ctx: Context, values: Values) -> Exported:
    output = values.text("output")
    chosen = values.text("format") or format_for(output)
    force = values.flag("force")
    if chosen == "json":
        return _json(ctx, output, force)
    from mlpath import exporting
    from mlpath.output.exports import export_chunks

    # The history streams as the JSON export's does, through the same bar at a terminal.
    data = exporting.gather(ctx.workspace(), _watch(ctx, output))
    chunks = export_chunks(data, chosen, ctx.lang)
    if output is None:
        return Exported(chosen, "", None, data.changes, chunks)
    exporting.write_chunks(output, chunks, force=force)
    return Exported(chosen, "", output, data.changes)


def _watch(ctx: Context, output: str | None) -> Watch | None:
    """A long export to a file shows a bar on stderr at a terminal (stdout has the data
    when there is no file, so no bar then)."""
    from mlpath.i18n import N_

    return None if output is None else ctx.progress(N_("Exporting changes"))


def _json(ctx: Context, output: str | None, force: bool) -> Exported:
    """The full history, streamed from the store to the file or stdout."""
    from mlpath import exporting
    from mlpath.output.exports import export_json_chunks

    ws = ctx.workspace()
    head = exporting.json_head(ws)
    if output is None:
        chunks = export_json_chunks(head, exporting.iter_units(ws), exporting.iter_changes(ws))
        return Exported("json", "", None, exporting.change_count(ws), chunks)
    written = [0]
    watch = _watch(ctx, output)
    assert watch is not None
    changes = watch(exporting.iter_changes(ws), exporting.change_count(ws))

    def counted() -> Iterator[Change]:
        for change in changes:
            written[0] += 1
            yield change

    chunks = export_json_chunks(head, exporting.iter_units(ws), counted())
    exporting.write_chunks(output, chunks, force=force)
    return Exported("json", "", output, written[0])

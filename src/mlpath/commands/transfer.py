"""Moving progress between machines and tools: export, import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from mlpath.cliutil import echo, echo_json, state, write_out

# mlpath.transfer (csv, tempfile, dataclasses…) is imported by these commands only:
# every other command, and `--help`, builds this module's Typer commands too.


def export(
    ctx: typer.Context,
    fmt: Annotated[
        Literal["json", "markdown", "csv"] | None,
        typer.Option(
            "--format",
            "-f",
            help="json (the full history, for `mlpath import`), markdown (a checklist) or "
            "csv (a spreadsheet). Default: from the -o file's suffix, else json.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the -o file if it already exists.")
    ] = False,
) -> None:
    """Export your progress as JSON, a Markdown checklist or CSV.

    Example: mlpath export -o progress.json
    """
    from mlpath import transfer

    st = state(ctx)
    chosen = transfer.ExportFormat(fmt) if fmt else transfer.format_for(output)
    data = transfer.gather(st.workspace())
    text = transfer.render(data, chosen, st.lang)
    if output is None:
        write_out(text)
        return
    transfer.write_file(output, text, force=force)
    json_export = chosen is transfer.ExportFormat.json
    what = f"{len(data.changes)} changes" if json_export else "your progress"
    echo(f"exported {what} to {output} ({chosen.value})")


def import_history(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A JSON export, or - for standard input.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Merge a JSON export from another machine.

    The union of both histories: importing the same file twice changes nothing.

    Example: mlpath import progress.json --dry-run
    """
    from mlpath import transfer
    from mlpath.export_file import read_import_file

    st = state(ctx)
    stdin = getattr(sys.stdin, "buffer", None) if file == "-" else None
    export_file = read_import_file(file, stdin)
    ws = st.workspace()
    report = transfer.import_export(ws, export_file, dry_run=dry_run)
    if as_json:
        echo_json(report.to_json())
    else:
        echo(transfer.report_text(report, ws.catalog(), st.lang))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_history)

"""`mlpath export`: progress as JSON (for import), a Markdown checklist or CSV."""

from __future__ import annotations

from mlpath.results import Exported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context

SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".csv": "csv"}


def format_for(output: str | None) -> str:
    """The format an output file's name asks for; JSON (the full history) otherwise."""
    if output is None:
        return "json"
    import os

    return SUFFIX_FORMATS.get(os.path.splitext(output)[1].lower(), "json")


def run(ctx: Context, values: Values) -> Exported:
    from mlpath import exporting
    from mlpath.output.exports import render_export

    output = values.text("output")
    chosen = values.text("format") or format_for(output)
    data = exporting.gather(ctx.workspace())
    text = render_export(data, chosen, ctx.lang)
    if output is not None:
        exporting.write_file(output, text, force=values.flag("force"))
    return Exported(chosen, text, output, len(data.changes))

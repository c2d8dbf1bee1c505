"""`mlpath next`: what to do next on the path."""

from __future__ import annotations

from mlpath.next_steps import NextLine, NextResult, next_steps_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> NextResult | NextLine:
    result = next_steps_for(
        ctx.workspace(),
        values.int("count"),
        values.flag("free"),
        values.texts("section"),
        ctx.lang,
    )
    return NextLine(result) if values.flag("short") else result

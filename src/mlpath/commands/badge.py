"""`mlpath badge`: an SVG badge of the learner's progress, for a README."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.share.page import BadgeResult


def run(ctx: Context, values: Values) -> BadgeResult:
    from mlpath.exporting import write_file
    from mlpath.goal import read_goal
    from mlpath.output.words import percent_text
    from mlpath.progress import read_progress
    from mlpath.share.badge import render_badge
    from mlpath.share.page import BadgeResult
    from mlpath.timefmt import today

    db = ctx.workspace().db()
    report = read_progress(db, today(), goal=read_goal(db))
    overall, streak = report.overall, report.streak.days
    svg, text = render_badge(overall, streak, ctx.lang)
    output = values.text("output")
    if output is not None:
        from mlpath.commands.share import readable

        write_file(output, svg, force=values.flag("force"))
        readable(output)
    return BadgeResult(
        svg,
        text,
        output,
        overall.done,
        overall.total,
        percent_text(overall.done, overall.total),
        streak,
    )

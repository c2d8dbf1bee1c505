"""`mlpath sections`: each section's size, progress and estimated time."""

from __future__ import annotations

from mlpath.results import Sections, SectionSummary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Sections:
    ws = ctx.workspace()
    catalog = ws.catalog()
    statuses = ws.statuses()
    summaries = []
    for section in catalog.sections:
        members = [r for r in catalog.resources if r.section == section.id]
        done = sum(statuses.get(r.id) == "done" for r in members)
        summaries.append(
            SectionSummary(section, len(members), done, sum(r.minutes for r in members))
        )
    return Sections(summaries)

"""`mlpath sections`: each section's size, progress and estimated time."""

from __future__ import annotations

from mlpath.results import Sections, SectionSummary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Sections:
    from mlpath.catalog import load_sections, own_resources
    from mlpath.history_since import has_history
    from mlpath.section_counts import section_counts

    db = ctx.workspace().db()
    # Sizes were counted when the cache was built; what is done, from the sections'
    # counts kept between runs: neither reads every resource.
    totals = {
        row[0]: (row[1], row[2])
        for row in db.execute("SELECT section, resources, minutes FROM section_totals")
    }
    for own in own_resources(db):  # the learner's own, which the cache knows nothing of
        resources, minutes = totals.get(own.section, (0, 0))
        totals[own.section] = (resources + 1, minutes + own.minutes)
    # Without a history nothing is done: the catalog's resources are not counted.
    counts = section_counts(db).sections if has_history(db) else {}
    done = {section: c.tally.done for section, c in counts.items()}
    summaries = []
    for section in load_sections(db):
        resources, minutes = totals[section.id]
        summaries.append(SectionSummary(section, resources, done.get(section.id, 0), minutes))
    return Sections(summaries)

"""Rich renderings for people at a terminal; plain text for pipes lives in mlpath.text."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from mlpath.catalog import Catalog, Resource
from mlpath.path import format_minutes
from mlpath.text import cost_label

STATUS_MARK = {"todo": "·", "doing": "▶", "done": "✔", "skipped": "⏭"}


def resources_table(
    resources: Sequence[Resource], catalog: Catalog, statuses: dict[str, str], lang: str
) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("", "id", "title", "section", "kind", "cost", "time"):
        table.add_column(name, overflow="fold")
    for r in resources:
        status = statuses.get(r.id, "todo")
        table.add_row(
            STATUS_MARK[status],
            r.id,
            r.display_title(lang),
            catalog.section(r.section).display_title(lang),
            r.kind,
            cost_label(r),
            format_minutes(r.minutes),
        )
    return table

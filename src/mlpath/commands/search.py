"""`mlpath search`: titles, authors, descriptions and tags, best matches first."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.results import SearchResults

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> SearchResults:
    from mlpath.search import query_terms, rank

    text = " ".join(values.texts("query")).strip()
    if not query_terms(text):
        raise UsageError("give at least one word to search for")
    ws = ctx.workspace()
    return SearchResults(
        text, rank(ws.catalog().resources, text, ws.statuses(), values.int("limit"))
    )

"""`mlpath search`: titles, authors, descriptions and tags, best matches first."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.i18n import _
from mlpath.results import SearchResults

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> SearchResults:
    from mlpath.catalog import own_resources
    from mlpath.search import query_terms
    from mlpath.search_index import ensure_index, search
    from mlpath.workspace import statuses_of

    text = " ".join(values.texts("query")).strip()
    if not query_terms(text):
        raise UsageError(_("give at least one word to search for"))
    ws = ctx.workspace()
    db = ws.db()
    ensure_index(db, ws.watch)  # the first search builds it: with a bar, when it is long
    # The index holds the catalog; the learner's own resources (a few) are scored
    # beside it by the same rules.
    hits = search(
        db, text, values.int("limit"), lambda ids: statuses_of(ws, ids), extra=own_resources(db)
    )
    return SearchResults(text, hits)

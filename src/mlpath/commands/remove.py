"""`mlpath remove`: take a resource of your own off the path."""

from __future__ import annotations

from mlpath.catalog import OWN_PREFIX, resolve_id
from mlpath.errors import AmbiguousResource, DefinitionError, UnknownResource, UsageError
from mlpath.i18n import _
from mlpath.own import PARTS_PREFIX, own_resource, parts_key
from mlpath.results import OwnRemoved

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.workspace import Workspace


def run(ctx: Context, values: Values) -> OwnRemoved:
    text = values.text("resource_id") or ""
    ws = ctx.workspace()
    store = ws.store()
    # Read from the store itself, not the path laid out from it: a definition that
    # cannot be read (a hand-edited store) can still be taken away.
    own = store.defined(OWN_PREFIX)
    try:
        key = resolve_id(text, own)
    except UnknownResource:
        _refuse_catalog(ws, text)
        raise
    value = own[key]
    parts = store.defined(PARTS_PREFIX).get(parts_key(key))
    store.define(key, None)
    if parts is not None:
        store.define(parts_key(key), None)
    # What followed it on the path takes its place, rather than going to the section's end.
    for other, definition in own.items():
        if other != key and definition.get("after") == key:
            store.define(other, {**definition, "after": value.get("after")})
    listed = parts.get("parts") if isinstance(parts, dict) else None
    try:
        resource = own_resource(key, value, str(value.get("section")))
    except (KeyError, AttributeError, TypeError, ValueError):
        resource = own_resource(key, {"title": key}, "")  # what was there was unreadable
    return OwnRemoved(
        resource, len(listed) if isinstance(listed, list) else 0, ws.statuses().get(key, "todo")
    )


def _refuse_catalog(ws: Workspace, text: str) -> None:
    """A catalog id is not one to remove: say what to do with it instead."""
    try:
        (resource,) = ws.resolve([text])
    except (UnknownResource, AmbiguousResource, DefinitionError):
        return
    raise UsageError(
        _(
            "{id} is from the catalog, not one of yours: only resources you "
            "added (my-...) can be removed; `mlpath skip {id}` passes over it"
        ).format(id=resource.id)
    )

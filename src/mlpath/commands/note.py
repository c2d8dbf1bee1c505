"""`mlpath note`: add a note to a resource."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.i18n import _
from mlpath.results import Noted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> Noted:
    text = " ".join(values.texts("text")).strip()
    if not text:
        raise UsageError(_("the note is empty"))
    ws = ctx.workspace()
    (resource,) = ws.resolve([values.text("resource_id") or ""])
    return Noted(resource, ws.store().add_note(resource.id, text))

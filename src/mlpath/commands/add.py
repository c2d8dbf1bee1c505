"""`mlpath add`: put a resource of your own on the path."""

from __future__ import annotations

from mlpath.catalog import OWN_KIND, check_choices
from mlpath.errors import UsageError
from mlpath.i18n import _
from mlpath.own import (
    check_new,
    numbered_parts,
    own_resource,
    parts_key,
    slug,
    unique_id,
    url_checked,
    with_parts,
)
from mlpath.results import OwnAdded
from mlpath.store import now

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlpath.argv import Values
    from mlpath.catalog import Part
    from mlpath.context import Context


def run(ctx: Context, values: Values) -> OwnAdded:
    title = " ".join(values.texts("title")).strip()
    if not title:
        raise UsageError(_("the title is empty: `mlpath add TITLE --section SECTION`"))
    ws = ctx.workspace()
    section = values.text("section")
    after = None
    if values.text("after"):
        (anchor,) = ws.resolve([values.text("after") or ""])
        if section is not None and anchor.section != section:
            raise UsageError(
                _(
                    "{id} is in section {section}, not {section2}: give --section "
                    "{section}, or --after a resource of {section2}"
                ).format(id=anchor.id, section=anchor.section, section2=section)
            )
        section, after = anchor.section, anchor.id
    if section is None:
        raise UsageError(
            _("say where it goes: --section SECTION (`mlpath sections` lists them) or --after ID")
        )
    check_choices("section", [section], ws.section_ids())
    minutes = values.number("minutes")
    count = values.number("parts")
    value: dict[str, Any] = {
        "title": title,
        "section": section,
        "url": url_checked(values.text("url")),
        "minutes": int(minutes or 0),
        "after": after,
        "kind": OWN_KIND,
        "cost": "paid" if values.flag("paid") else "free",
        "added": now(),
    }
    key = unique_id(f"my-{slug(title)}", ws.taken_ids())
    check_new(key, value)
    store = ws.store()
    store.define(key, value)
    resource = own_resource(key, value, section)
    parts: list[Part] = []
    if count:
        numbered = numbered_parts(int(count))
        store.define(parts_key(key), {"parts": [p.to_value() for p in numbered]})
        resource.minutes, parts = with_parts(key, value["minutes"], (), numbered)
    return OwnAdded(resource, parts, after)

"""`mlpath parts`: parts of your own on any resource: split it, or type in its chapters."""

from __future__ import annotations

from mlpath.catalog import Part, select_parts
from mlpath.errors import UsageError
from mlpath.i18n import _
from mlpath.own import (
    OwnPart,
    check_new,
    checked,
    numbered_parts,
    own_parts,
    parts_key,
    slug,
    unique_id,
    url_checked,
    with_parts,
)
from mlpath.results import OwnParts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.catalog import Resource
    from mlpath.context import Context
    from mlpath.workspace import Workspace

ACTIONS = ("split", "add", "remove", "clear")


def run(ctx: Context, values: Values) -> OwnParts:
    chosen = [a for a in ACTIONS if values.as_dict().get(a) not in (None, False)]
    if len(chosen) != 1:
        raise UsageError(
            _("say what to do: --split N, --add TITLE, --remove PART or --clear (one of them)")
        )
    (action,) = chosen
    if action != "add" and (values.number("minutes") is not None or values.text("url")):
        raise UsageError(_("--minutes and --url describe a part you --add"))
    ws = ctx.workspace()
    (resource,) = ws.resolve([values.text("resource_id") or ""])
    catalog_parts, mine = _parts_of(ws, resource)
    if action == "split":
        count = int(values.number("split") or 0)
        if catalog_parts:
            raise UsageError(
                _(
                    "{id} has {count} parts from the catalog; add one of your own "
                    'after them with --add "TITLE"'
                ).format(id=resource.id, count=len(catalog_parts))
            )
        if mine:
            raise UsageError(
                _(
                    "{id} already has {count} parts of yours; `mlpath parts {id} "
                    "--clear` takes them away first"
                ).format(id=resource.id, count=len(mine))
            )
        changed = numbered_parts(count)
        after = changed
    elif action == "add":
        title = (values.text("add") or "").strip()
        if not title:
            raise UsageError(_("the part's title is empty"))
        taken = {p.id for p in catalog_parts} | {p.id for p in mine}
        taken |= {k.partition("/")[2] for k in ws.taken_part_keys(resource.id)}
        minutes = values.number("minutes")
        part = OwnPart(
            unique_id(f"my-{slug(title)}", taken),
            title,
            None if minutes is None else int(minutes),
            url_checked(values.text("url")),
        )
        changed, after = [part], [*mine, part]
    elif action == "remove":
        changed = _named_own(resource, catalog_parts, mine, values.text("remove") or "")
        gone = {p.id for p in changed}
        after = [p for p in mine if p.id not in gone]
    else:
        if not mine:
            raise UsageError(_("{id} has no parts of yours to clear").format(id=resource.id))
        changed, after = mine, []

    key = parts_key(resource.id)
    value = {"parts": [p.to_value() for p in after]} if after else None
    if value is not None:
        check_new(key, value)
    ws.store().define(key, value)
    estimate = _estimate(ws, resource)
    resource.minutes, parts = with_parts(resource.id, estimate, catalog_parts, after)
    ids = {p.id for p in changed}
    if action not in ("split", "add"):
        # Taken away: numbered as they were, with the minutes they had.
        _minutes, parts_before = with_parts(resource.id, estimate, catalog_parts, mine)
        return OwnParts(resource, action, [p for p in parts_before if p.id in ids], parts)
    return OwnParts(resource, action, [p for p in parts if p.id in ids], parts)


def _parts_of(ws: Workspace, resource: Resource) -> tuple[tuple[Part, ...], list[OwnPart]]:
    """The catalog's parts of a resource, and the learner's own as defined."""
    db = ws.db()
    catalog_parts = tuple(
        Part(*row)
        for row in db.execute(
            "SELECT resource, position, id, title, title_zh, minutes, url FROM main.parts "
            "WHERE resource = ? ORDER BY position",
            (resource.id,),
        )
    )
    value = ws.store().defined(parts_key(resource.id)).get(parts_key(resource.id))
    mine = own_parts(checked(parts_key(resource.id), value)) if value else []
    return catalog_parts, mine


def _estimate(ws: Workspace, resource: Resource) -> int:
    """The resource's own estimate, before parts of the learner's change its minutes."""
    row = (
        ws.db()
        .execute("SELECT minutes FROM main.resources WHERE id = ?", (resource.id,))
        .fetchone()
    )
    if row is not None:
        return int(row[0])
    value = ws.store().defined(resource.id).get(resource.id) or {}
    return int(value.get("minutes", 0))


def _named_own(
    resource: Resource, catalog_parts: tuple[Part, ...], mine: list[OwnPart], spec: str
) -> list[OwnPart]:
    if not mine:
        raise UsageError(_("{id} has no parts of yours to remove").format(id=resource.id))
    _minutes, every = with_parts(resource.id, 0, catalog_parts, mine)
    named = select_parts(resource.id, every, spec)
    theirs = [p for p in named if not p.own]
    if theirs:
        raise UsageError(
            _(
                "{value} is the catalog's part, not one of yours; `mlpath skip "
                "{value}` passes over it"
            ).format(value=theirs[0].label)
        )
    wanted = {p.id for p in named}
    return [p for p in mine if p.id in wanted]

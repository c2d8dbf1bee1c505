"""Setting statuses on what people name: resources, and parts as `ID/N`, `ID/1-4`.

A resource with parts follows them: it is in progress once one of them is, done when
every part is done or skipped. Finishing a resource with parts finishes its parts;
resetting it resets them. All of one command's writes land in the workspace's one unit,
so `undo` takes the whole command back.
"""

from __future__ import annotations

from mlpath.catalog import alternatives_of, select_parts, split_part_ref
from mlpath.counts import SETTLED
from mlpath.part_status import part_key, parts_progress
from mlpath.results import StatusChanges, StatusOutcome
from mlpath.workspace import statuses_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from mlpath.catalog import Part, Resource
    from mlpath.part_status import PartsProgress
    from mlpath.workspace import Workspace


class Target:
    """A resource a command names, and which of its parts (None: the resource itself)."""

    __slots__ = ("parts", "progress", "resource")

    def __init__(
        self, resource: Resource, progress: PartsProgress | None, parts: list[Part] | None
    ) -> None:
        self.resource = resource
        self.progress = progress
        self.parts = parts


def resolve_targets(ws: Workspace, texts: Sequence[str]) -> list[Target]:
    """What each text names, in order, one target per resource (its parts merged)."""
    targets: dict[str, Target] = {}
    for text in texts:
        name, spec = split_part_ref(text)
        (resource,) = ws.resolve([name])
        target = targets.get(resource.id)
        if target is None:
            target = Target(resource, parts_progress(ws.db(), resource.id), None)
            targets[resource.id] = target
        if spec is None:
            continue  # the resource itself (or, with parts named too, those parts)
        chosen = select_parts(resource.id, target.progress.parts if target.progress else (), spec)
        named = target.parts or []
        target.parts = named + [p for p in chosen if p not in named]
    return list(targets.values())


def mark(ws: Workspace, texts: Sequence[str], status: str) -> StatusChanges:
    """Record `status` on everything `texts` name, and what follows from it."""
    targets = resolve_targets(ws, texts)
    # Only what this command names and what may follow from it: reading every status
    # would make one `start` cost more the longer the path (tests/test_history_length.py).
    named = [t.resource.id for t in targets]
    alternatives = {rid: alternatives_of(ws.db(), rid) for rid in named}
    statuses = statuses_of(ws, named + [o for others in alternatives.values() for o in others])
    outcomes: list[StatusOutcome] = []
    for target in targets:
        resource, progress = target.resource, target.progress
        before = statuses.get(resource.id, "todo")
        if target.parts is not None and progress is not None:
            parts = target.parts
            outcomes += _record_parts(ws, resource, parts, status)
            after = dict(zip((p.id for p in progress.parts), progress.statuses, strict=True))
            after.update((p.id, status) for p in parts)
            whole = follows(after.values(), before)
            if whole != before:
                _, was, _ = ws.store().set_status([resource.id], whole)[0]
                outcomes.append(StatusOutcome(resource, was, True, follows=whole))
            continue
        if progress is not None and status in ("done", "todo"):
            # The whole resource: its open parts (done) or every part (reset) go with it.
            parts = [
                p
                for p, s in zip(progress.parts, progress.statuses, strict=True)
                if (s not in SETTLED if status == "done" else s != "todo")
            ]
            moved = [o for o in _record_parts(ws, resource, parts, status) if o.changed]
            ((_, was, changed),) = ws.store().set_status([resource.id], status)
            outcomes.append(StatusOutcome(resource, was, changed, parts_moved=len(moved)))
            continue
        ((_, was, changed),) = ws.store().set_status([resource.id], status)
        outcomes.append(StatusOutcome(resource, was, changed))
    outcomes += _settle_alternatives(ws, status, outcomes, statuses, alternatives)
    return StatusChanges(status, outcomes)


def _settle_alternatives(
    ws: Workspace,
    status: str,
    outcomes: Sequence[StatusOutcome],
    statuses: dict[str, str],
    alternatives: Mapping[str, Sequence[str]],
) -> list[StatusOutcome]:
    """Finishing the same material in one place settles it elsewhere: skip what is open.

    `alternatives`: each named resource's, as mark() read them for `statuses`."""
    finished = [
        o.resource
        for o in outcomes
        if o.part is None
        and o.changed
        and (o.follows == "done" or (o.follows is None and status == "done"))
    ]
    named = {o.resource.id for o in outcomes}
    settled: list[StatusOutcome] = []
    for resource in finished:
        for other_id in alternatives[resource.id]:
            if other_id in named or statuses.get(other_id, "todo") in SETTLED:
                continue
            (other,) = ws.resolve([other_id])
            ((_, was, changed),) = ws.store().set_status([other_id], "skipped")
            if changed:
                settled.append(StatusOutcome(other, was, True, alternative_of=resource.id))
                named.add(other_id)
    return settled


def _record_parts(
    ws: Workspace, resource: Resource, parts: Iterable[Part], status: str
) -> list[StatusOutcome]:
    chosen = list(parts)
    if not chosen:
        return []
    recorded = ws.store().set_status([part_key(resource.id, p.id) for p in chosen], status)
    return [
        StatusOutcome(resource, was, changed, part=part)
        for part, (_, was, changed) in zip(chosen, recorded, strict=True)
    ]


def follows(part_statuses: Iterable[str], current: str) -> str:
    """The status a resource takes from its parts' statuses."""
    statuses = list(part_statuses)
    if statuses and all(s in SETTLED for s in statuses):
        return "done" if "done" in statuses else "skipped"
    if current in SETTLED:
        return "doing"  # a part was opened again
    if current == "todo" and any(s != "todo" for s in statuses):
        return "doing"
    return current

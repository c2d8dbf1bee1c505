"""How `mlpath sync` reads: each status that moved, then one line of counts."""

from __future__ import annotations

from mlpath.i18n import _, ngettext
from mlpath.output.plain import NOT_IN_CATALOG
from mlpath.output.words import named

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.sync import SyncReport


def sync_lines(report: SyncReport, lang: str) -> list[str]:
    lines = [
        f"{_name(report, moved.resource, lang)}: {moved.before} → {moved.after}"
        for moved in report.status_changes
    ]
    machines = len(report.peers)
    wrote = ngettext(
        "wrote {count} change of this machine's",
        "wrote {count} changes of this machine's",
        report.written,
    ).format(count=report.written)
    merged = ngettext(
        "merged {count} change from {machines}",
        "merged {count} changes from {machines}",
        report.imported,
    ).format(
        count=report.imported,
        machines=ngettext("{count} other machine", "{count} other machines", machines).format(
            count=machines
        ),
    )
    lines.append(
        _("synced with {dir}: {wrote}, {merged}").format(
            dir=report.directory, wrote=wrote, merged=merged
        )
    )
    return lines


def _name(report: SyncReport, key: str, lang: str) -> str:
    """A resource or part as `mlpath import` names what it moved."""
    part = report.parts.get(key)
    if part is not None:
        return named(part, lang)
    resource = report.catalog.get(key) if report.catalog is not None else None
    if resource is not None:
        return named(resource, lang)
    # Own resources a sync brings are laid out from the next command on.
    return f"{key} ({'yours' if key.startswith('my-') else NOT_IN_CATALOG})"

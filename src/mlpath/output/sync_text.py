"""How `mlpath sync` reads: each status that moved, then one line of counts."""

from __future__ import annotations

from mlpath.i18n import _, ngettext
from mlpath.output.plain import moved_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.sync import SyncReport


def sync_lines(report: SyncReport, lang: str) -> list[str]:
    lines = [
        moved_line(moved, report.catalog, report.parts, lang) for moved in report.status_changes
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

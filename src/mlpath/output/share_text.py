"""`mlpath share` and `mlpath badge` as plain text: where the page or badge went."""

from __future__ import annotations

from mlpath.i18n import _
from mlpath.output.words import percent_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.share.page import BadgeResult, Shared


def shared_lines(result: Shared, lang: str) -> list[str]:
    overall = result.page.report.overall
    notes = _(" (notes included)") if result.page.with_notes else ""
    return [
        _("wrote {path}: {percent} done, {finished} finished{notes}").format(
            path=result.path,
            percent=percent_text(overall.done, overall.total),
            finished=len(result.page.finished),
            notes=notes,
        )
    ]


def badge_lines(result: BadgeResult, lang: str) -> list[str]:
    if result.path is None:
        return result.svg.splitlines()
    return [_("wrote {path}: {text}").format(path=result.path, text=result.text)]

"""The line `mlpath ui` leaves in the terminal when it closes."""

from __future__ import annotations

from mlpath.i18n import ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Session(Protocol):
        commands: int


def session_lines(session: Session, lang: str) -> list[str]:
    if not session.commands:
        return []
    return [
        ngettext(
            "{count} change recorded — `mlpath history` lists it, `mlpath undo` takes it back",
            "{count} changes recorded — `mlpath history` lists them, `mlpath undo` takes "
            "back the last",
            session.commands,
        ).format(count=session.commands)
    ]

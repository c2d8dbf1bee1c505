"""What `mlpath ui` reports once its screen is gone (no Textual here)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class UiSession:
    """How many commands the full-screen view ran (each one unit of the history)."""

    __slots__ = ("commands",)

    def __init__(self, commands: int) -> None:
        self.commands = commands

    def to_json(self) -> dict[str, Any]:
        return {"commands": self.commands}

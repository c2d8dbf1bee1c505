"""How many resources are done, in progress, skipped and to do, and the effort in each.

One counts type for the whole path (`next`'s footer), a section, or any set
(`progress`). A plain slotted class: it is on the start-up path of `mlpath next`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A skipped prerequisite counts as settled: people skip what they already know.
SETTLED = ("done", "skipped")


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


class Tally:
    """Counts and estimated minutes; `minutes_left` is what is to do or in progress."""

    __slots__ = ("doing", "done", "minutes_done", "minutes_left", "skipped", "total")

    def __init__(
        self,
        total: int = 0,
        done: int = 0,
        doing: int = 0,
        skipped: int = 0,
        minutes_done: int = 0,
        minutes_left: int = 0,
    ) -> None:
        self.total = total
        self.done = done
        self.doing = doing
        self.skipped = skipped
        self.minutes_done = minutes_done
        self.minutes_left = minutes_left

    def __repr__(self) -> str:
        return f"Tally({self.total}, {self.done}, {self.doing}, {self.skipped})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[int, ...]:
        return (
            self.total,
            self.done,
            self.doing,
            self.skipped,
            self.minutes_done,
            self.minutes_left,
        )

    @property
    def todo(self) -> int:
        return self.total - self.done - self.doing - self.skipped

    @property
    def settled(self) -> int:
        return self.done + self.skipped

    @property
    def complete(self) -> bool:
        return self.todo == 0 and self.doing == 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self._key(), other._key(), strict=True)))

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done": self.done,
            "doing": self.doing,
            "skipped": self.skipped,
            "todo": self.todo,
            "done_percent": percent(self.done, self.total),
            "done_or_skipped_percent": percent(self.settled, self.total),
            "minutes_done": self.minutes_done,
            "minutes_left": self.minutes_left,
            "hours_done": round(self.minutes_done / 60, 1),
            "hours_left": round(self.minutes_left / 60, 1),
        }

"""A slotted value object: equality, hash and repr from its fields.

What `dataclasses` would give, without importing it (and `inspect` with it), which costs
more than answering most commands: each subclass lists its fields in `__slots__` and
writes its own typed `__init__`.
"""

from __future__ import annotations


class Record:
    __slots__ = ()

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = type(self).__slots__
        return names

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._names())

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and type(other) is type(self)
            and (other._fields() == self._fields())
        )

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names())
        return f"{type(self).__name__}({fields})"

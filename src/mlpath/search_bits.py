"""Which resources hold a word of every term of a query, from the search index's bitmaps
(search_index.SCHEMA: search_bits) and the short lists read whole.

A query whose words are seldom found together ranks its hits as partial matches; the
lists alone cannot tell that no resource unread holds them all until one is read to its
end. The bitmaps tell in a few machine operations per hundred resources.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.db import sqlite3

    # (word id, the positions of its whole list if read, else None) of each word a term
    # matches.
    TermWords = Sequence[tuple[int, Sequence[int] | None]]


def together(db: sqlite3.Connection, terms: Sequence[TermWords], most: int) -> set[int] | None:
    """The positions of the resources holding a word of each of `terms`: None if more
    than `most`, or if a word not read whole has no bitmap."""
    import zlib

    unread = sorted({word for term in terms for word, seen in term if seen is None})
    bitmaps: dict[int, int] = {}
    for start in range(0, len(unread), 500):
        batch = unread[start : start + 500]
        marks = ", ".join("?" * len(batch))
        for word, bits in db.execute(
            f"SELECT word, bits FROM search_bits WHERE word IN ({marks})", batch
        ):
            bitmaps[word] = int.from_bytes(zlib.decompress(bits), "little")
    if len(bitmaps) < len(unread):
        return None
    unions: list[int] = []
    read: list[set[int]] = []
    for term in terms:
        bits = 0
        positions: set[int] = set()
        for word, seen in term:
            if seen is None:
                bits |= bitmaps[word]
            else:
                positions.update(seen)
        unions.append(bits)
        read.append(positions)
    every = unions[0]
    for bits in unions[1:]:
        every &= bits
    if every.bit_count() > most:
        return None
    found = set()
    while every:
        lowest = every & -every
        found.add(lowest.bit_length() - 1)
        every ^= lowest
    # A resource of a list read whole holds every term if each other term has it in a
    # list read whole or in a bitmap.
    width = max((bits.bit_length() for bits in unions), default=0) // 8 + 1
    as_bytes = [bits.to_bytes(width, "little") for bits in unions]
    for position in set().union(*read) - found:
        byte, bit = position >> 3, 1 << (position & 7)
        if all(
            position in positions or (byte < width and mask[byte] & bit)
            for positions, mask in zip(read, as_bytes, strict=True)
        ):
            found.add(position)
            if len(found) > most:
                return None
    return found

"""Which resources hold a word, from the search index's bitmaps (search_index.SCHEMA:
search_bits), and which hold a word of every term of a query.

A query whose words are seldom found together ranks its hits as partial matches; the
lists alone cannot tell that no resource unread holds them all until one is read to its
end. The bitmaps tell in a few machine operations per hundred resources.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.db import sqlite3

    # Per word a term matches: the positions read of its list, and its bitmap if the
    # index has one (if not, the positions are the whole list).
    TermWords = Sequence[tuple[Sequence[int], bytes | None]]


def bitmaps(db: sqlite3.Connection, words: Sequence[int]) -> dict[int, bytes]:
    """The bitmaps of those of `words` (ids) that have one."""
    import zlib

    found = {}
    for start in range(0, len(words), 500):
        batch = words[start : start + 500]
        marks = ", ".join("?" * len(batch))
        for word, bits in db.execute(
            f"SELECT word, bits FROM search_bits WHERE word IN ({marks})", batch
        ):
            found[word] = zlib.decompress(bits)
    return found


def together(terms: Sequence[TermWords], most: int) -> set[int] | None:
    """The positions of the resources holding a word of each of `terms`: None if more
    than `most`."""
    unions: list[int] = []
    read: list[set[int]] = []
    for term in terms:
        union = 0
        positions: set[int] = set()
        for seen, bits in term:
            if bits is None:
                positions.update(seen)
            else:
                union |= int.from_bytes(bits, "little")
        unions.append(union)
        read.append(positions)
    every = unions[0]
    for union in unions[1:]:
        every &= union
    if every.bit_count() > most:
        return None
    found = set()
    while every:
        lowest = every & -every
        found.add(lowest.bit_length() - 1)
        every ^= lowest
    # A resource of a list read whole holds every term if each other term has it in a
    # list read whole or in a bitmap.
    width = max((union.bit_length() for union in unions), default=0) // 8 + 1
    as_bytes = [union.to_bytes(width, "little") for union in unions]
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

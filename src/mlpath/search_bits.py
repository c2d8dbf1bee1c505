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


def cjk_bitmaps(db: sqlite3.Connection, characters: Sequence[str]) -> dict[str, bytes]:
    """The bitmaps of those of the CJK `characters` that have one (search_cjk_bits)."""
    import zlib

    if not characters:
        return {}
    marks = ", ".join("?" * len(characters))
    return {
        char: zlib.decompress(bits)
        for char, bits in db.execute(
            f"SELECT character, bits FROM search_cjk_bits WHERE character IN ({marks})",
            characters,
        )
    }


def _held(seen: Sequence[int], bits: bytes | None) -> int:
    if bits is not None:
        return int.from_bytes(bits, "little")
    read = bytearray(max(seen, default=0) // 8 + 1)
    for position in seen:
        read[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(read, "little")


def every(lists: TermWords) -> int:
    """Which resources hold each of `lists` (a CJK term's characters): bit p for path
    position p."""
    found = -1
    for seen, bits in lists:
        found &= _held(seen, bits)
    return found


def unions(terms: Sequence[TermWords]) -> list[int]:
    """Per term, which resources hold one of its words: bit p for path position p."""
    width = max(
        [len(bits) for term in terms for _, bits in term if bits is not None]
        + [max(seen) // 8 + 1 for term in terms for seen, bits in term if bits is None and seen]
        + [1]
    )
    found = []
    for term in terms:
        union = 0
        read = bytearray(width)
        for seen, bits in term:
            if bits is None:
                for position in seen:
                    read[position >> 3] |= 1 << (position & 7)
            else:
                union |= int.from_bytes(bits, "little")
        found.append(union | int.from_bytes(read, "little"))
    return found


def together(held: Sequence[int], most: int) -> set[int] | None:
    """The positions of the resources in every one of `held` (unions): None if more
    than `most`."""
    every = -1
    for union in held:
        every &= union
    if every.bit_count() > most:
        return None
    found = set()
    while every:
        lowest = every & -every
        found.add(lowest.bit_length() - 1)
        every ^= lowest
    return found


def possible(held: Sequence[int]) -> list[tuple[int, ...]]:
    """The sets of terms, short of all of them, that some resource matches together (as
    term numbers, in order), given `held` (unions)."""
    terms = len(held)
    found = []
    for chosen in range(1, (1 << terms) - 1):
        every = -1
        for term in range(terms):
            if chosen >> term & 1:
                every &= held[term]
        if every:
            found.append(tuple(term for term in range(terms) if chosen >> term & 1))
    return found

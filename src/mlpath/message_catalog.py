"""A compiled gettext catalog (.mo) read as Python's gettext reads it, without gettext.

The gettext module imports `re` and `locale` and parses every message of a catalog on
load: together about as much as a whole mlpath command costs in English. Here the file
is kept as bytes and a message is found by binary search in its table of original
strings, which the format keeps sorted (Babel writes it so; tests/test_i18n.py checks
the shipped catalogs, and that every message reads as gettext reads it). A catalog
whose plural rule is not one of the common ones below has it compiled by gettext.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Literal

LITTLE_MAGIC = 0x950412DE
# Plural rules as .po headers write them, by what they compute.
PLURAL_RULES: dict[str, Callable[[int], int]] = {
    "0": lambda n: 0,
    "n != 1": lambda n: int(n != 1),
    "(n != 1)": lambda n: int(n != 1),
    "n > 1": lambda n: int(n > 1),
    "(n > 1)": lambda n: int(n > 1),
}


class MessageCatalog:
    """The translations of one .mo file; `gettext` and `ngettext` as gettext's have them."""

    __slots__ = (
        "_count",
        "_data",
        "_order",
        "_originals",
        "_plural",
        "_plurals",
        "_translated",
        "_translations",
    )

    def __init__(self, data: bytes) -> None:
        """Raises ValueError for anything but a UTF-8 catalog of this format."""
        if len(data) < 20:
            raise ValueError("not a message catalog")
        little = int.from_bytes(data[:4], "little")
        self._order: Literal["little", "big"] = "little" if little == LITTLE_MAGIC else "big"
        if int.from_bytes(data[:4], self._order) != LITTLE_MAGIC:
            raise ValueError("not a message catalog")
        self._data = data
        # Messages looked up before: a table's rows ask for the same words again and again.
        self._translated: dict[str, str] = {}
        self._plurals: dict[str, list[str] | None] = {}
        if self._int(4) >> 16 not in (0, 1):
            raise ValueError("a message catalog of an unknown version")
        self._count = self._int(8)
        self._originals = self._int(12)
        self._translations = self._int(16)
        self._plural: Callable[[int], int] = PLURAL_RULES["(n != 1)"]
        header = self._translation(0) if self._count and not self._original(0) else b""
        self._read_header(header.decode("utf-8"))

    def _int(self, at: int) -> int:
        if at + 4 > len(self._data):
            raise ValueError("a message catalog cut short")
        return int.from_bytes(self._data[at : at + 4], self._order)

    def _string(self, table: int, index: int) -> bytes:
        length, offset = self._int(table + 8 * index), self._int(table + 8 * index + 4)
        if offset + length > len(self._data):
            raise ValueError("a message catalog cut short")
        return self._data[offset : offset + length]

    def _original(self, index: int) -> bytes:
        return self._string(self._originals, index)

    def _translation(self, index: int) -> bytes:
        return self._string(self._translations, index)

    def _read_header(self, header: str) -> None:
        for line in header.splitlines():
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-type" and "charset=" in value:
                charset = value.split("charset=")[1].strip().lower()
                if charset not in ("utf-8", "utf8"):
                    raise ValueError("a message catalog not in UTF-8")
            elif name == "plural-forms":
                rule = value.split("plural=")[1].strip().rstrip(";").strip()
                known = PLURAL_RULES.get(rule)
                if known is None:
                    from gettext import c2py

                    known = c2py(rule)
                self._plural = known

    def _find(self, singular: bytes, plural: bool) -> bytes | None:
        """The translation of the entry whose original is `singular` (plural: one with
        plural forms, keyed by its singular as gettext keys it)."""
        low, high = 0, self._count
        while low < high:
            middle = (low + high) // 2
            if self._original(middle).split(b"\0", 1)[0] < singular:
                low = middle + 1
            else:
                high = middle
        # Entries sort by their singular: a plain one and a plural one may share it.
        while low < self._count:
            original = self._original(low)
            if original.split(b"\0", 1)[0] != singular:
                return None
            if (b"\0" in original) == plural:
                return self._translation(low)
            low += 1
        return None

    def gettext(self, message: str) -> str:
        shown = self._translated.get(message)
        if shown is None:
            found = self._find(message.encode("utf-8"), False)
            shown = self._translated[message] = message if found is None else found.decode()
        return shown

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if singular in self._plurals:
            forms = self._plurals[singular]
        else:
            found = self._find(singular.encode("utf-8"), True)
            forms = self._plurals[singular] = None if found is None else found.decode().split("\0")
        index = self._plural(count)
        if forms is not None and 0 <= index < len(forms):
            return forms[index]
        return singular if count == 1 else plural  # as gettext does for a form it lacks

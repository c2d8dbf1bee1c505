"""Where a line of mixed Chinese and Latin text may break, for folding it to a width.

Latin text breaks at spaces, never inside a word (an id, a url, "3Blue1Brown");
Chinese breaks between any two characters, no space needed; a closing mark (，。！）》…)
stays with what it closes and an opening mark (（《「…) with what it opens, so neither is
ever alone at the start or end of a line.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

# Full-width and CJK punctuation that must not begin a line (it closes something or
# ends a clause), and the marks that must not end one.
CLOSING = frozenset("，。、；：！？）》」』】〉〕〗〙〛’”…～‰℃")
OPENING = frozenset("（《「『【〈〔〖〘〚‘“")
# Below this character there is no closing or opening mark and no wide character
# (the first wide ones are Hangul Jamo, at U+1100).
NO_MARK_BELOW = "\u1100"


def break_units(text: str, wide: Callable[[str], bool]) -> list[tuple[str, str]]:
    """`text` as the pieces a line may break between: (piece, the spaces before it).

    `wide(ch)`: whether a character is a wide (CJK) one, which may break on either side.
    The spaces are kept as they were (aligned columns pad with runs of them), and
    dropped where the line breaks.
    """
    if not text or max(text) < NO_MARK_BELOW:
        # No mark kept with a neighbour and nothing wide: the pieces are the words
        # between spaces (a long plan folds tens of thousands of titles).
        ascii_units: list[tuple[str, str]] = []
        spaces = ""
        for word in text.split(" "):
            if word:
                ascii_units.append((word, spaces))
                spaces = " "
            else:
                spaces += " "
        return ascii_units
    units: list[list[object]] = []  # [text, spaces before, ends in a Latin character]
    space = ""
    for ch in text:
        if ch == " ":
            space += " "
            continue
        last = units[-1] if units else None
        if last is not None and ch in CLOSING:
            last[0] = f"{last[0]}{space}{ch}"
            last[2] = False
        elif last is not None and str(last[0])[-1] in OPENING:
            last[0] = f"{last[0]}{space}{ch}"
            last[2] = not wide(ch) and ch not in OPENING
        elif not wide(ch) and ch not in OPENING:
            if last is not None and not space and last[2]:
                last[0] = f"{last[0]}{ch}"
            else:
                units.append([ch, space, True])
        else:
            units.append([ch, space, False])
        space = ""
    return [(str(u[0]), str(u[1])) for u in units]


def fold(
    text: str, width: int, lead: str, measure: Callable[[str], int], wide: Callable[[str], bool]
) -> list[str]:
    """`text` (after its indent `lead`) folded into lines of at most `width` columns, the
    continuations indented two more; a piece wider than a line is kept whole.

    A line of figures joined by " · " ("1189 skipped · 95171 to do") breaks after a dot
    rather than between a figure and its word, where that leaves the line at least half
    full: the dot ends the line, and nothing of a figure goes to the next."""
    units = break_units(text, wide)
    if not units:
        return [lead]
    lines: list[str] = []
    indent = lead
    row = [units[0]]
    current = lead + units[0][0]  # the line being filled: _line(indent, row)
    for unit in units[1:]:
        candidate = f"{current}{unit[1]}{unit[0]}"
        if measure(candidate) <= width:
            row.append(unit)
            current = candidate
            continue
        after = _after_last_dot(indent, row, width, measure)
        if after == len(row) > 1 and unit[0] == SEPARATOR:
            after -= 1  # a dot never starts a line: the piece before it goes along
        lines.append(current if after == len(row) else _line(indent, row[:after]))
        indent = f"{lead}  "
        row = [*row[after:], unit]
        current = _line(indent, row)
        if len(row) > 1 and measure(current) > width:
            # What followed the dot does not fit beside this piece either.
            lines.append(_line(indent, row[:-1]))
            row = [unit]
            current = indent + unit[0]
    lines.append(current)
    return lines


# The dot between the figures of a line, which a line may end with.
SEPARATOR = "·"


def _line(indent: str, row: list[tuple[str, str]]) -> str:
    """A line of break units, the spaces before its first dropped."""
    return indent + row[0][0] + "".join(spaces + piece for piece, spaces in row[1:])


def _after_last_dot(
    indent: str, row: list[tuple[str, str]], width: int, measure: Callable[[str], int]
) -> int:
    """How many of `row`'s units the line keeps: up to its last dot (which it ends
    with) where that fills at least half of `width`; else every one."""
    for at in range(len(row) - 1, 0, -1):
        if row[at][0] == SEPARATOR:
            if at < len(row) - 1 and measure(_line(indent, row[: at + 1])) * 2 >= width:
                return at + 1
            break
    return len(row)

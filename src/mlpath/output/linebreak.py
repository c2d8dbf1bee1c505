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


def break_units(text: str, wide: Callable[[str], bool]) -> list[tuple[str, str]]:
    """`text` as the pieces a line may break between: (piece, the spaces before it).

    `wide(ch)`: whether a character is a wide (CJK) one, which may break on either side.
    The spaces are kept as they were (aligned columns pad with runs of them), and
    dropped where the line breaks.
    """
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
    continuations indented two more; a piece wider than a line is kept whole."""
    units = break_units(text, wide)
    if not units:
        return [lead]
    current = lead + units[0][0]
    lines: list[str] = []
    for piece, spaces in units[1:]:
        candidate = f"{current}{spaces}{piece}"
        if measure(candidate) > width:
            lines.append(current)
            current = f"{lead}  {piece}"
        else:
            current = candidate
    lines.append(current)
    return lines

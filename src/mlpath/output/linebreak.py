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


def break_units(text: str, wide: Callable[[str], bool]) -> list[tuple[str, bool]]:
    """`text` as the pieces a line may break between: (piece, a space came before it).

    `wide(ch)`: whether a character is a wide (CJK) one, which may break on either side.
    Spaces are dropped: the caller joins pieces with one where one was.
    """
    units: list[list[object]] = []  # [text, space before, ends in a Latin character]
    space = False
    for ch in text:
        if ch == " ":
            space = True
            continue
        last = units[-1] if units else None
        if last is not None and ch in CLOSING:
            last[0] = f"{last[0]}{' ' if space else ''}{ch}"
            last[2] = False
        elif last is not None and str(last[0])[-1] in OPENING:
            last[0] = f"{last[0]}{' ' if space else ''}{ch}"
            last[2] = not wide(ch) and ch not in OPENING
        elif not wide(ch) and ch not in OPENING:
            if last is not None and not space and last[2]:
                last[0] = f"{last[0]}{ch}"
            else:
                units.append([ch, space, True])
        else:
            units.append([ch, space, False])
        space = False
    return [(str(u[0]), bool(u[1])) for u in units]


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
    for piece, spaced in units[1:]:
        candidate = f"{current}{' ' if spaced else ''}{piece}"
        if measure(candidate) > width:
            lines.append(current)
            current = f"{lead}  {piece}"
        else:
            current = candidate
    lines.append(current)
    return lines

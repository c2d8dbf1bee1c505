"""The SVG badge for a README: "ML path · 34% · 12-day streak", in the reader's language.

Drawn as code hosts' badges are (a grey label, a coloured value). Its only text is
mlpath's own words and numbers, escaped all the same; it is written here rather than
from a Jinja2 template because importing Jinja2 would cost more than the rest of the
command together. SVG text has no layout engine: each half's width is estimated from
its characters, and `textLength` holds the text to that width in whatever font the
viewer has.
"""

from __future__ import annotations

from mlpath.i18n import _, ngettext
from mlpath.output.words import percent_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.counts import Tally

# Approximate advance widths at 11 px (Verdana-like), in SVG user units.
NARROW = frozenset("ijlI.,:;!|'· ()[]-")
PADDING = 6
HEIGHT = 20


def text_width(text: str) -> int:
    """Estimated width of `text` at 11 px: CJK characters are square, digits and most
    Latin letters about 7 units."""
    from mlpath.output.words import is_wide

    width = 0.0
    for ch in text:
        if is_wide(ch):
            width += 11
        elif ch in NARROW:
            width += 3.6
        elif ch.isupper() or ch in "%mw":
            width += 8.4
        else:
            width += 6.8
    return round(width)


def badge_label() -> str:
    return _("ML path")


def badge_value(overall: Tally, streak_days: int) -> str:
    """`34% · 12-day streak`; the streak only while there is one."""
    value = percent_text(overall.done, overall.total)
    if streak_days:
        value += " · " + ngettext("{days}-day streak", "{days}-day streak", streak_days).format(
            days=streak_days
        )
    return value


def badge_colour(overall: Tally) -> str:
    """Green once the path is done, blue on the way, grey before the first step; each
    dark enough for white text (contrast at least 4.5:1)."""
    if overall.total and overall.done == overall.total:
        return "#1a7f37"
    return "#0969da" if overall.done else "#59636e"


def escape(text: str) -> str:
    """html.escape's five replacements: the html package imports `re` for its unescaping,
    which would cost the badge more than all its other work."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def render_badge(overall: Tally, streak_days: int, lang: str) -> tuple[str, str]:
    """(SVG text, the badge's words as one line)."""
    label, value = badge_label(), badge_value(overall, streak_days)
    left = text_width(label) + 2 * PADDING
    right = text_width(value) + 2 * PADDING
    width = left + right
    text = escape(f"{label} · {value}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label="{text}" '
        f'xml:lang="{escape(lang)}">\n'
        f"<title>{text}</title>\n"
        f'<clipPath id="r"><rect width="{width}" height="{HEIGHT}" rx="3"/></clipPath>\n'
        '<g clip-path="url(#r)">\n'
        f'<rect width="{left}" height="{HEIGHT}" fill="#555"/>\n'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{badge_colour(overall)}"/>\n'
        "</g>\n"
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,Noto Sans CJK SC,sans-serif" '
        'font-size="11">\n'
        f'<text x="{PADDING}" y="14" textLength="{left - 2 * PADDING}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(label)}</text>\n'
        f'<text x="{left + PADDING}" y="14" textLength="{right - 2 * PADDING}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(value)}</text>\n'
        "</g>\n"
        "</svg>\n"
    )
    return svg, f"{label} · {value}"

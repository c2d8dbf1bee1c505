"""`mlpath list` into a pipe and with --json, written as the rows are read.

The same text as the whole-table renderers give (plain.listing_lines through
lines_out, json_text of the envelope), but a row at a time: the first line of a
100,000-resource listing is out before the rest is read, and memory stays flat.
"""

from __future__ import annotations

from mlpath.json_layout import indented, string_quoter
from mlpath.output.literal import json_text, visible
from mlpath.output.words import cost_text, display_width, estimate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from mlpath.results import Listing

HEADER = ("status", "id", "title", "section", "kind", "cost", "time")
# Lines written at once: big enough to cost little, small enough to start at once.
BATCH = 512


def listing_chunks(result: Listing, lang: str) -> Iterator[str]:
    """plain.listing_lines(result) as lines_out writes it, in chunks (English only:
    render.render lays other languages out whole)."""
    from mlpath.listing import Extent

    extent = Extent(result.db, result.filters, lang)
    if not extent.count:
        yield "No resource matches these filters.\n"
        return

    def widest(*cells: str) -> int:
        return max(display_width(visible(cell)) for cell in cells)

    widths = [
        max(len(HEADER[0]), len("skipped") if extent.skipped else 0),
        max(len(HEADER[1]), extent.id_width),
        max(len(HEADER[2]), extent.title_width, *map(widest, extent.other_titles)),
        max(len(HEADER[3]), extent.section_width),
        widest(HEADER[4], *extent.kinds),
        widest(HEADER[5], *(cost_text(*c) for c in extent.costs)),
        widest(HEADER[6], *map(estimate, extent.minutes)),
    ]

    def line(cells: tuple[str, ...]) -> str:
        shown = [visible(cell) for cell in cells]
        return (
            "  ".join(
                cell.ljust(width)
                if cell.isascii()
                else cell.ljust(width + len(cell) - display_width(cell))
                for cell, width in zip(shown, widths, strict=True)
            ).rstrip()
            + "\n"
        )

    batch = [line(HEADER)]
    for r, status in result.rows():
        batch.append(
            line(
                (
                    status,
                    r.id,
                    r.display_title(lang),
                    r.section,
                    r.kind,
                    cost_text(r.cost, r.free_to_audit),
                    estimate(r.minutes),
                )
            )
        )
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def listing_json_chunks(command: str, result: Listing) -> Iterator[str]:
    """json_text of the --json envelope of `result`, in chunks, and a newline."""
    encode_basestring = string_quoter()

    empty = json_text({"command": command, "ok": True, "result": {"resources": []}})
    head, _, tail = empty.partition('"resources": []')
    depth = "\n      "
    batch = [head, '"resources": [']
    first = True
    for r, status in result.rows():
        item = {**r.to_json(), "status": status}
        text = indented(item, depth, encode_basestring)
        if text is None or not "".join(text.split("\n")).isprintable():
            text = json_text(item).replace("\n", depth)
        batch.append(("" if first else ",") + depth + text)
        first = False
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    batch.append("]" if first else "\n    ]")
    batch.append(tail + "\n")
    yield "".join(batch)

"""What `mlpath export` writes: JSON (for import), a Markdown task list, or CSV.

Every piece of outside text is made visible (titles, urls, notes), escaped for the
format (Markdown specials, CSV formulas), and can never end a line or a link early.
"""

from __future__ import annotations

from itertools import islice

from mlpath.i18n import N_, _
from mlpath.json_layout import indented, string_quoter
from mlpath.output.literal import json_text, lines_out, visible
from mlpath.output.words import cost_label, estimate, kind_label
from mlpath.part_status import part_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from mlpath.catalog import Resource
    from mlpath.exporting import ExportData
    from mlpath.store import Change

NOT_IN_CATALOG = N_("not in this catalog")  # translated in Markdown; CSV keeps the English
# A GitHub task list: done is checked; in progress and skipped are marked beside the box.
MARKS = {"done": "[x]", "skipped": "[ ] ⏭", "doing": "[ ] ▶", "todo": "[ ]"}
CSV_HEADER = (
    "id",
    "title",
    "section",
    "kind",
    "cost",
    "minutes",
    "status",
    "started",
    "finished",
    "url",
    "optional",
    "notes",
)


def export_chunks(data: ExportData, fmt: str, lang: str = "en") -> Iterator[str]:
    """The Markdown or CSV export as text ending with a newline, a batch of lines at a
    time, as the JSON export is written (export_json_chunks): memory stays flat."""
    if fmt == "markdown":
        lines = markdown_lines(data, lang)
        while batch := list(islice(lines, BATCH)):
            yield lines_out(batch)
    else:
        yield from csv_chunks(data, lang)


# Lines or rows written at a time.
BATCH = 1024


def export_json_chunks(
    head: dict[str, Any], units: Iterable[dict[str, str]], changes: Iterable[Change]
) -> Iterator[str]:
    """json_text of `head` with `units` and `changes` as its two last lists (empty in
    `head`), and a newline, written a batch at a time: memory stays flat."""
    encode_basestring = string_quoter()

    text = json_text(head)
    before, _, rest = text.rpartition('"units": []')
    between, _, after = rest.rpartition('"changes": []')
    depth = "\n    "

    def items(key: str, values: Iterable[dict[str, Any]]) -> Iterator[str]:
        batch = [f'"{key}": [']
        first = True
        for item in values:
            shown = indented(item, depth, encode_basestring)
            if shown is None or not "".join(shown.split("\n")).isprintable():
                shown = json_text(item).replace("\n", depth)
            batch.append(("" if first else ",") + depth + shown)
            first = False
            if len(batch) >= BATCH:
                yield "".join(batch)
                batch = []
        batch.append("]" if first else "\n  ]")
        yield "".join(batch)

    yield before
    yield from items("units", units)
    yield between
    yield from items("changes", (c.to_export() for c in changes))
    yield after + "\n"


def markdown_lines(data: ExportData, lang: str = "en") -> Iterator[str]:
    """A checklist by section, with links: for notes apps, gists and READMEs."""
    from mlpath.timefmt import local_time  # with datetime: not for a JSON export

    catalog = data.catalog
    source = catalog.source
    title = (source.get("title_zh") if lang == "zh" else None) or source.get("title") or "mlpath"
    counts = dict.fromkeys(MARKS, 0)
    for resource in catalog.resources:
        counts[data.status(resource.id)] += 1
    yield f"# {md_escape(str(title))}"
    yield ""
    yield _(
        "Exported by mlpath on {when} · {done} of {total} done, {doing} doing, {skipped} skipped"
    ).format(
        when=local_time(data.exported_at),
        done=counts["done"],
        total=len(catalog.resources),
        doing=counts["doing"],
        skipped=counts["skipped"],
    )
    yield ""
    yield _("[x] done · ▶ in progress · ⏭ skipped · [ ] to do")
    notes = data.notes
    members: dict[str, list[Resource]] = {}
    for r in catalog.resources:
        members.setdefault(r.section, []).append(r)
    for section in catalog.sections:
        if section.id not in members:
            continue
        optional = _(" (optional)") if section.optional else ""
        yield ""
        yield f"## {md_escape(section.display_title(lang))}{optional}"
        yield ""
        for r in members[section.id]:
            yield _md_item(r, data.status(r.id), lang)
            for note in notes.get(r.id, ()):
                yield f"  > {md_escape(note)}"
            # The parts of what you are working through: where you are in it.
            shown = data.parts.get(r.id, ()) if data.status(r.id) == "doing" else ()
            for part in shown:
                status = data.status(part_key(r.id, part.id))
                title = md_escape(part.display_title(lang))
                yield f"  - {MARKS[status]} {md_escape(part.label)} · {title}"
    unknown = data.unknown_ids()
    if unknown:
        yield ""
        yield "## " + _("Not in this catalog")
        yield ""
        for rid in unknown:
            yield f"- {MARKS[data.status(rid)]} {md_escape(rid)} — {_(NOT_IN_CATALOG)}"


def _md_item(resource: Resource, status: str, lang: str) -> str:
    name = md_escape(resource.display_title(lang))
    if resource.url:
        name = f"[{name}]({md_url(resource.url)})"
    details = [kind_label(resource.kind), cost_label(resource), estimate(resource.minutes)]
    if resource.optional:
        details.append(_("optional"))
    return f"- {MARKS[status]} {name} — {_(', ').join(details)}"


_MD_SPECIAL = frozenset("\\`*_[]<>")


def md_escape(text: str) -> str:
    """Titles are text, not markup: a `*` or `[` in one must not change the document."""
    flat = " ".join(visible(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


_URL_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/?#[]@!$&'*+,;=%-._~"
)


def md_url(url: str) -> str:
    """The url percent-encoded wherever Markdown could read it as the link's end.

    Whitespace, parentheses, angle brackets and anything outside URL syntax are encoded
    as UTF-8 bytes (what urllib.parse.quote does, without importing it).
    """
    return "".join(
        ch if ch in _URL_SAFE else "".join(f"%{byte:02X}" for byte in ch.encode("utf-8"))
        for ch in visible(url)
    )


def csv_chunks(data: ExportData, lang: str = "en") -> Iterator[str]:
    """One row per resource with its status and dates, then one per part, for
    spreadsheets; a batch of rows at a time."""
    import io

    try:
        # The C writer itself: the csv module around it imports `re` (for its Sniffer),
        # which costs more than the rest of an export of the bundled path.
        from _csv import writer as csv_writer
    except ImportError:
        from csv import writer as csv_writer

    from mlpath.timefmt import local_time

    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    dates, notes = data.dates, data.notes

    def row(key: str, described: tuple[str, ...], url: str, optional: str) -> None:
        """`described`: id as typed, title, section, kind, cost, minutes."""
        started, finished = dates.get(key, (None, None))
        when = [local_time(stamp) if stamp else "" for stamp in (started, finished)]
        noted = " | ".join(notes.get(key, ()))
        values = (*described, data.status(key), *when, url, optional, noted)
        writer.writerow([csv_cell(value) for value in values])

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    for count, r in enumerate(data.catalog.resources, start=1):
        optional = "yes" if r.optional else "no"
        described = (r.id, r.display_title(lang), r.section, r.kind, r.cost, str(r.minutes))
        row(r.id, described, r.url or "", optional)
        # A row for each part after its resource: `d2l/3`, as people type it.
        for part in data.parts.get(r.id, ()):
            title, minutes = part.display_title(lang), str(part.minutes)
            described = (part.label, title, r.section, "part", r.cost, minutes)
            row(part_key(r.id, part.id), described, part.url or "", optional)
        if count % BATCH == 0:
            yield taken()
    for rid in data.unknown_ids():
        row(rid, (rid, "", NOT_IN_CATALOG, "", "", ""), "", "")
    yield taken()


def csv_cell(text: str) -> str:
    # Spreadsheets run a cell that starts like a formula; outside text must stay text.
    shown = visible(text)
    return "'" + shown if shown[:1] in ("=", "+", "-", "@") else shown

"""`mlpath plan` as plain text: the summary, the weeks, finish dates and notes."""

from __future__ import annotations

from itertools import compress, repeat
from operator import and_, eq, ne

from mlpath.i18n import _, ngettext
from mlpath.output.literal import lines_out
from mlpath.output.words import aligned, day_text, display_width, estimate, format_minutes
from mlpath.plan import PACE_WEEKS
from mlpath.plan_table import OPTIONAL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from mlpath.plan import Plan, PlannedPart, PlannedStep
    from mlpath.plan_table import PlanTable


def pace_text(plan: Plan) -> str:
    pace = f"{plan.hours_per_week.numerator / plan.hours_per_week.denominator:.3g}"
    hours = _("{hours} h/week").format(hours=pace)
    if plan.pace == "actual":
        return hours + _(" (your pace over the {weeks} weeks before {day})").format(
            weeks=PACE_WEEKS, day=day_text(plan.start.isoformat())
        )
    return hours


def weeks_text(step: PlannedStep) -> str:
    if step.start_week == step.end_week:
        return str(step.start_week)
    return f"{step.start_week}–{step.end_week}"


def step_rows(step: PlannedStep, lang: str) -> list[tuple[str, ...]]:
    """A resource's rows: one, or for one with parts one a week it starts parts in
    (`cs229/3-7 · Stanford CS229, parts 3–7 of 20`): (weeks, start, end, id as typed,
    title, time, "in progress" or "")."""
    r = step.resource
    if not step.parts:
        return [
            (
                weeks_text(step),
                step.start.isoformat(),
                step.end.isoformat(),
                r.id,
                r.display_title(lang),
                estimate(step.minutes),
                _("in progress") if step.status == "doing" else "",
            )
        ]
    return part_rows(r.id, r.display_title(lang), step.parts, step.part_count, lang)


def part_rows(
    rid: str, title: str, parts: Sequence[PlannedPart], part_count: int, lang: str
) -> list[tuple[str, ...]]:
    """The rows of a resource's laid parts (see step_rows); `title`: the resource's."""
    groups: list[list[PlannedPart]] = []
    for piece in parts:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.start_week == piece.start_week
            and last.part.position + 1 == piece.part.position
        ):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    of = part_count or parts[-1].part.position
    rows: list[tuple[str, ...]] = []
    for group in groups:
        first, last = group[0], group[-1]
        if len(group) == 1:
            typed, named = first.part.label, first.part.display_title(lang)
        else:
            typed = f"{rid}/{first.part.position}-{last.part.position}"  # as people type it
            numbers = f"{first.part.position}–{last.part.position}"
            named = _("{title}, parts {numbers} of {total}").format(
                title=title, numbers=numbers, total=of
            )
        weeks = (
            str(first.start_week)
            if first.start_week == last.end_week
            else f"{first.start_week}–{last.end_week}"
        )
        rows.append(
            (
                weeks,
                first.start.isoformat(),
                last.end.isoformat(),
                typed,
                named,
                format_minutes(sum(p.part.minutes for p in group)),
                _("in progress") if any(p.status == "doing" for p in group) else "",
            )
        )
    return rows


def plan_summary(plan: Plan) -> str:
    if not plan.count:
        if plan.left_out:
            return _("Nothing free is left to plan: only paid resources remain (drop --free).")
        return _("Nothing left to plan: every resource is done or skipped.")
    finish = plan.finish
    assert finish is not None
    count = plan.count
    return ngettext(
        "Plan from {start} at {pace}: {count} resource, about {duration} — "
        "finish by {finish} (week {week})",
        "Plan from {start} at {pace}: {count} resources, about {duration} — "
        "finish by {finish} (week {week})",
        count,
    ).format(
        start=day_text(plan.start.isoformat()),
        pace=pace_text(plan),
        count=count,
        duration=format_minutes(plan.minutes),
        finish=day_text(finish.isoformat()),
        week=plan.last_week,
    )


def plan_notes(plan: Plan) -> list[str]:
    notes = []
    table = plan.table
    if table is not None:
        waiting = [(table.ids[i], table.waits_for[i]) for i in sorted(table.waits_for)]
        # A column at a time: a long plan has tens of thousands of rows.
        optional = list(compress(table.minutes, map(and_, table.flags, repeat(OPTIONAL))))
    else:
        waiting = [(s.resource.id, s.waits_for) for s in plan.steps if s.waits_for]
        optional = [s.minutes for s in plan.steps if s.resource.optional]
    for rid, needs in waiting:
        notes.append(
            _("{id} needs {ids}, left out as paid (--free)").format(
                id=rid, ids=_(", ").join(needs)
            )
        )
    if plan.left_out:
        count = len(plan.left_out)
        notes.append(
            ngettext(
                "{count} paid resource left out (--free)",
                "{count} paid resources left out (--free)",
                count,
            ).format(count=count)
        )
    if optional:
        minutes = sum(optional)
        notes.append(
            ngettext(
                "Includes {count} optional resource ({duration}); "
                "`mlpath skip ID` takes one out of the plan",
                "Includes {count} optional resources ({duration}); "
                "`mlpath skip ID` takes one out of the plan",
                len(optional),
            ).format(count=len(optional), duration=format_minutes(minutes))
        )
    if plan.offered:
        if plan.scope == "all":
            more = _("{count} more not planned: outside scope {scope}")
        else:
            more = _(
                "{count} more not planned: outside scope {scope} "
                "(`mlpath goal --scope all` plans them)"
            )
        notes.append(more.format(count=plan.offered, scope=plan.scope))
    return notes


def table_header() -> tuple[str, str, str, str, str]:
    """Week, start, end, resource, time: the plan table's columns."""
    return (_("week"), _("start"), _("end"), _("resource"), _("time"))


def plan_lines(plan: Plan, lang: str) -> list[str]:
    lines = [plan_summary(plan)]
    if not plan.count:
        return lines + plan_notes(plan)
    header = _row_header()
    if plan.table is not None:
        table_lines = aligned_columns(header, table_columns(plan.table, lang))
    else:
        table_lines = aligned([header, *(row for s in plan.steps for row in step_rows(s, lang))])
    return [*lines, "", *table_lines, *_after_table(plan, lang)]


def plan_chunks(plan: Plan, lang: str) -> Iterator[str | bytes]:
    """What lines_out makes of plan_lines(plan, lang), in pieces: the table's rows, each
    of its columns checked printable and narrow at once, are joined without a look at
    each line (a long path prints tens of thousands); as UTF-8 bytes where it can be
    (see table_bytes)."""
    table = plan.table
    text: str | Iterator[bytes] | None = None
    if table is not None and plan.count:
        text = table_bytes(_row_header(), table, lang)
        if text is None:
            text = aligned_text(_row_header(), table_columns(table, lang))
    if text is None:
        yield lines_out(plan_lines(plan, lang))
        return
    yield lines_out([plan_summary(plan), ""])
    if isinstance(text, str):
        yield text
    else:
        yield from text
    yield lines_out(_after_table(plan, lang))


def _row_header() -> tuple[str, ...]:
    week, start, end, _resource, time = table_header()
    return (week, start, end, _("id"), _("title"), time, "")


def _after_table(plan: Plan, lang: str) -> list[str]:
    """The plan's lines after its table: the blank line, the finishes, the notes."""
    lines = [""]
    finish_rows = [
        (s.section.display_title(lang), s.finish.isoformat())
        for s in plan.sections
        if s.finish is not None
    ]
    finish = plan.finish
    assert finish is not None
    finish_rows.append((_("Whole path"), finish.isoformat()))
    lines += aligned([(_("section"), _("finish")), *finish_rows])
    notes = plan_notes(plan)
    if notes:
        lines += ["", *notes]
    return lines


def table_columns(table: PlanTable, lang: str) -> list[list[str]]:
    """The plan table's columns (see step_rows), made a column at a time: a long plan
    has tens of thousands of rows."""
    weeks = [
        str(a) if a == b else f"{a}–{b}"
        for a, b in zip(table.start_weeks, table.end_weeks, strict=True)
    ]
    titles = table.titles
    if lang == "zh":
        titles = [zh or title for title, zh in zip(titles, table.titles_zh, strict=True)]
    times = {m: estimate(m) for m in set(table.minutes)}
    doing = {"doing": _("in progress")}
    columns = [
        weeks,
        list(table.starts),
        list(table.ends),
        list(table.ids),
        list(titles),
        list(map(times.__getitem__, table.minutes)),
        list(map(doing.get, table.statuses, [""] * len(table.statuses))),
    ]
    # Rows of laid parts in place of their resource's, from the last so places hold.
    for i in sorted((i for i, laid in table.parts.items() if laid), reverse=True):
        rows = part_rows(table.ids[i], titles[i], table.parts[i], table.part_counts[i], lang)
        for column, cells in zip(columns, zip(*rows, strict=True), strict=True):
            column[i : i + 1] = cells
    return columns


def table_bytes(header: tuple[str, ...], table: PlanTable, lang: str) -> Iterator[bytes] | None:
    """aligned_text(header, table_columns(table, lang)) as UTF-8, in pieces of
    CHUNK_ROWS rows; None unless the ids, titles, times, statuses and header are
    printable ASCII and no resource is laid part by part.

    The weeks' en dash is the one character past ASCII: in a text it makes every line
    two bytes a character, and encoding the whole table cost as much as laying it out.
    Here a control character stands in for it, one column as the dash is, so the rows
    are one-byte text, each one format, and the dash is put back in the bytes at once.
    """
    if any(table.parts.values()):
        return None
    titles = table.titles
    if lang == "zh":
        titles = [zh or title for title, zh in zip(titles, table.titles_zh, strict=True)]
    time_of = {m: estimate(m) for m in set(table.minutes)}
    doing = _("in progress")
    tails = {*time_of.values(), doing, header[5]}
    if (
        not _printable_ascii("".join(table.ids))
        or not _printable_ascii("".join(titles))
        or not _printable_ascii("".join([*header, *tails]))
        or "" in tails
        or any(cell[-1].isspace() for cell in tails)
    ):
        return None
    times = list(map(time_of.__getitem__, table.minutes))
    # A resource in progress shows its status after its time, padded to that column.
    width = max(len(header[5]), max(map(len, time_of.values())))
    for i in _each("doing", table.statuses):
        times[i] = f"{times[i].ljust(width)}  {doing}"
    # Days are ISO days, ten characters each.
    widths = [
        max(len(header[0]), _widest_weeks(table.start_weeks, table.end_weeks)),
        max(len(header[1]), 10),
        max(len(header[2]), 10),
        max(len(header[3]), max(map(len, table.ids))),
        max(len(header[4]), max(map(len, titles))),
    ]
    head = "  ".join([*(h.ljust(w) for h, w in zip(header, widths, strict=False)), header[5]])
    return _table_rows(head, table, titles, times, widths)


# Rows made into text at a time: the pieces are freed and their memory taken again for
# the next, where the whole table made at once (72,000 rows) cost a third of the plan's
# run in memory first touched.
CHUNK_ROWS = 4096


def _table_rows(
    head: str, table: PlanTable, titles: list[str], times: list[str], widths: list[int]
) -> Iterator[bytes]:
    """The rows of table_bytes, CHUNK_ROWS at a time, after the header."""
    dash = "–".encode()
    week_width, starts_width, ends_width, id_width, title_width = widths
    text = head + "\n"
    for start in range(0, len(table.ids), CHUNK_ROWS):
        stop = start + CHUNK_ROWS
        weeks = _weeks(table.start_weeks[start:stop], table.end_weeks[start:stop])
        columns = [
            list(map(str.ljust, weeks, repeat(week_width))),
            _days_padded(table.starts[start:stop], starts_width),
            _days_padded(table.ends[start:stop], ends_width),
            list(map(str.ljust, table.ids[start:stop], repeat(id_width))),
            list(map(str.ljust, titles[start:stop], repeat(title_width))),
            times[start:stop],
        ]
        text += "\n".join(map("  ".join, zip(*columns, strict=True))) + "\n"
        yield text.encode("ascii").replace(_DASH_HERE.encode("ascii"), dash)
        text = ""


def _widest_weeks(starts: list[int], ends: list[int]) -> int:
    """The width of the widest of _weeks(starts, ends), without making them: weeks only
    grow down a plain table, so the widest is the last row's or the last range's."""
    widest = len(str(ends[-1]))
    for start, end in zip(reversed(starts), reversed(ends), strict=True):
        if start != end:
            return max(widest, len(str(start)) + 1 + len(str(end)))
    return widest


def _days_padded(days: list[str], width: int) -> list[str]:
    return days if width == 10 else list(map(str.ljust, days, repeat(width)))


def _each(value: str, column: list[str]) -> Iterator[int]:
    """Where `value` stands in `column`: found by list.index, for a value few rows hold."""
    at = -1
    try:
        while True:
            at = column.index(value, at + 1)
            yield at
    except ValueError:
        return


def _weeks(starts: list[int], ends: list[int]) -> list[str]:
    """Each row's weeks, "3" or "3\x014" (see table_bytes), a column at a time: mostly
    a row ends in the week the next one starts, whose number is made once."""
    numbers = list(map(str, starts))
    last = numbers[1:] + list(map(str, ends[-1:]))
    for i in compress(range(len(last) - 1), map(ne, ends, starts[1:])):
        last[i] = str(ends[i])
    weeks = list(map(_DASH_HERE.join, zip(numbers, last, strict=True)))
    for i in compress(range(len(weeks)), map(eq, starts, ends)):
        weeks[i] = numbers[i]
    return weeks


# Stands in for the weeks' dash (see table_bytes): a control character, which the check
# keeps out of every id, title and word of the table.
_DASH_HERE = "\x01"


def _printable_ascii(text: str) -> bool:
    if not text.isascii():
        return False
    data = text.encode("ascii")
    return len(data.translate(None, _ASCII_CONTROLS)) == len(data)


def aligned_text(header: tuple[str, ...], columns: list[list[str]]) -> str | None:
    """ "\n".join(aligned_columns(header, columns)) + "\n", each row one join; None
    unless every cell is printable and one column a character, and every time (the
    next to last column) ends in something else than a space: then a row without a
    status ends at its time, and one with ends at its status, as rstrip would leave it.
    """
    cells = [[title, *column] for title, column in zip(header, columns, strict=True)]
    times, statuses = cells[-2], cells[-1]
    # Weeks and days are mlpath's digits and dashes: only the header's words, the ids,
    # the titles and the few different times and statuses can hold anything else.
    checked = [*header, *cells[3], *cells[4], *{*times, *statuses}]
    if (
        "" in times
        or any(cell[-1].isspace() for cell in {*times, *statuses} - {""})
        or not _narrow("".join(checked))
    ):
        return None
    width = [max(map(len, column)) for column in cells]
    padded = [
        column if min(map(len, column)) == w else list(map(str.ljust, column, repeat(w)))
        for column, w in zip(cells[:-2], width[:-2], strict=True)
    ]
    tails = times
    with_status = list(compress(range(len(statuses)), statuses))
    if with_status:
        tails = list(times)
        for i in with_status:
            tails[i] = f"{times[i].ljust(width[-2])}  {statuses[i]}"
    return "\n".join(map("  ".join, zip(*padded, tails, strict=True))) + "\n"


def aligned_columns(header: tuple[str, ...], columns: list[list[str]]) -> list[str]:
    """What words.aligned makes of the header and these columns' rows."""
    cells = [[title, *column] for title, column in zip(header, columns, strict=True)]
    if not all(_narrow("".join(column)) for column in cells):
        return aligned(list(zip(*cells, strict=True)))
    # A character is a column, and nothing needs to be made visible.
    padded = [
        list(map(str.ljust, column, [max(map(len, column))] * len(column))) for column in cells
    ]
    return list(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))


def _narrow(text: str) -> bool:
    """Printable, and one column a character."""
    plain = text.replace("–", "")  # the weeks' own dash takes one column
    if plain.isascii():
        # What isprintable says of ASCII, a byte at a time in C rather than a look-up
        # per character.
        data = plain.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) == len(data)
    return text.isprintable() and display_width(plain) == len(plain)


_ASCII_CONTROLS = bytes([*range(32), 127])

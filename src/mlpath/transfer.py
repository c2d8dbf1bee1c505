"""Progress in and out of mlpath: `export` (JSON, Markdown, CSV) and `import`.

JSON carries the whole history and is the only format `import` reads back; Markdown
(a checklist) and CSV (a spreadsheet) are one-way views of the current statuses. An
import file is read and validated completely before the store is opened, and its new
changes land in one transaction, so a bad file or a failed import changes nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from mlpath import store as store_mod
from mlpath.catalog import Catalog, Resource
from mlpath.db import sqlite3
from mlpath.errors import ExportError, StoreError
from mlpath.path import format_minutes
from mlpath.store import Change, Store, milestones
from mlpath.text import cost_label, dumps
from mlpath.timefmt import local_time
from mlpath.workspace import Workspace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.export_file import ExportFile, ExportFileV2

FORMAT_MARKER = "mlpath-export"
# 2 adds each change's clock and unit, and the units; 1 is still read.
EXPORT_VERSION = 2
READABLE_VERSIONS = (1, 2)
NOT_IN_CATALOG = "not in this catalog"
MARKS = {"done": "✅", "skipped": "⏭", "doing": "▶", "todo": "[ ]"}
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
)


class ExportFormat(StrEnum):
    """What `mlpath export` writes."""

    json = "json"
    markdown = "markdown"
    csv = "csv"


SUFFIX_FORMATS = {
    ".json": ExportFormat.json,
    ".md": ExportFormat.markdown,
    ".markdown": ExportFormat.markdown,
    ".csv": ExportFormat.csv,
}


def format_for(output: Path | None) -> ExportFormat:
    """The format an output file's name asks for; JSON (the full history) otherwise."""
    if output is None:
        return ExportFormat.json
    return SUFFIX_FORMATS.get(output.suffix.lower(), ExportFormat.json)


# --- export --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportData:
    """Everything an export shows: the catalog, the whole history, the current statuses."""

    catalog: Catalog
    changes: tuple[Change, ...]  # oldest first
    statuses: Mapping[str, str]
    exported_at: str
    units: tuple[tuple[str, str, str], ...] = ()  # (uid, label, time) of the changes' units

    def status(self, resource_id: str) -> str:
        return self.statuses.get(resource_id, "todo")

    def unknown_ids(self) -> list[str]:
        """Resources with history that this catalog does not have (any more)."""
        return sorted({c.resource for c in self.changes if self.catalog.get(c.resource) is None})

    def dates(self) -> dict[str, tuple[str | None, str | None]]:
        """Per resource: when it was first started and last finished (as `mlpath show`)."""
        return milestones(self.changes)


def gather(ws: Workspace) -> ExportData:
    """Read what an export needs; a fresh machine exports an empty history, creating nothing."""
    catalog = ws.catalog()
    store = ws.existing_store()
    changes = tuple(store.changes(newest_first=False)) if store else ()
    statuses = store.statuses() if store else {}
    units = tuple(store.units()) if store else ()
    return ExportData(catalog, changes, statuses, store_mod.now(), units)


def render(data: ExportData, fmt: ExportFormat, lang: str = "en") -> str:
    """The export as text, ending with a newline."""
    if fmt is ExportFormat.json:
        return render_json(data)
    if fmt is ExportFormat.markdown:
        return render_markdown(data, lang)
    return render_csv(data, lang)


def render_json(data: ExportData) -> str:
    """The whole history, every change with every field: what `mlpath import` reads."""
    document = {
        "format": FORMAT_MARKER,
        "version": EXPORT_VERSION,
        "exported_at": data.exported_at,
        "catalog_title": data.catalog.source.get("title"),
        "units": [{"uid": uid, "label": label, "at": at} for uid, label, at in data.units],
        "changes": [c.to_export() for c in data.changes],
    }
    return dumps(document) + "\n"


def render_markdown(data: ExportData, lang: str = "en") -> str:
    """A checklist by section, with links: for notes apps, gists and READMEs."""
    catalog = data.catalog
    source = catalog.source
    title = (source.get("title_zh") if lang == "zh" else None) or source.get("title") or "mlpath"
    counts = dict.fromkeys(MARKS, 0)
    for resource in catalog.resources:
        counts[data.status(resource.id)] += 1
    lines = [
        f"# {_md_escape(str(title))}",
        "",
        f"Exported by mlpath on {local_time(data.exported_at)} · "
        f"{counts['done']} of {len(catalog.resources)} done, {counts['doing']} doing, "
        f"{counts['skipped']} skipped",
        "",
        "✅ done · ▶ doing · ⏭ skipped · [ ] to do",
    ]
    for section in catalog.sections:
        members = [r for r in catalog.resources if r.section == section.id]
        if not members:
            continue
        optional = " (optional)" if section.optional else ""
        lines += ["", f"## {_md_escape(section.display_title(lang))}{optional}", ""]
        lines += [_md_item(r, data.status(r.id), lang) for r in members]
    unknown = data.unknown_ids()
    if unknown:
        lines += ["", "## Not in this catalog", ""]
        lines += [f"- {MARKS[data.status(rid)]} {rid} — {NOT_IN_CATALOG}" for rid in unknown]
    return "\n".join(lines) + "\n"


def _md_item(resource: Resource, status: str, lang: str) -> str:
    name = _md_escape(resource.display_title(lang))
    if resource.url:
        name = f"[{name}]({_md_url(resource.url)})"
    details = [resource.kind, cost_label(resource), format_minutes(resource.minutes)]
    if resource.optional:
        details.append("optional")
    return f"- {MARKS[status]} {name} — {', '.join(details)}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md_escape(text: str) -> str:
    """Titles are text, not markup: a `*` or `[` in one must not change the document."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_url(url: str) -> str:
    # A space or parenthesis would end the link early.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def render_csv(data: ExportData, lang: str = "en") -> str:
    """One row per resource with its status and dates, for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    dates = data.dates()
    for r in data.catalog.resources:
        started, finished = dates.get(r.id, (None, None))
        writer.writerow(
            (
                r.id,
                _csv_text(r.display_title(lang)),
                r.section,
                r.kind,
                r.cost,
                r.minutes,
                data.status(r.id),
                local_time(started) if started else "",
                local_time(finished) if finished else "",
                r.url or "",
            )
        )
    for rid in data.unknown_ids():
        started, finished = dates.get(rid, (None, None))
        writer.writerow(
            (
                rid,
                "",
                NOT_IN_CATALOG,
                "",
                "",
                "",
                data.status(rid),
                local_time(started) if started else "",
                local_time(finished) if finished else "",
                "",
            )
        )
    return buffer.getvalue()


def _csv_text(text: str) -> str:
    # Spreadsheets run a cell that starts like a formula; a title must stay text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_file(path: Path, text: str, force: bool = False) -> None:
    """Write `text` to `path` whole or not at all; an existing file needs `force`.

    The text goes to a temporary file in the same directory first, so a crash or a
    full disk never leaves a half-written export, and without `force` it is linked
    into place, which fails rather than replace a file that appeared meanwhile.
    """
    if path.is_dir():
        raise ExportError(f"{path} is a directory — name a file to write")
    if not force and (path.exists() or path.is_symlink()):
        raise _exists(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise _exists(path) from None
            except OSError:
                # Some filesystems (FAT, a few network mounts) have no hard links.
                if path.exists():
                    raise _exists(path) from None
                os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _exists(path: Path) -> ExportError:
    return ExportError(
        f"{path} already exists — choose another name, or add --force to replace it"
    )


# --- the export file, validated ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A resource whose status an import changes."""

    resource: str
    before: str
    after: str


@dataclass(frozen=True)
class ImportReport:
    """What an import added (or, for a dry run, would add)."""

    in_file: int
    added: int
    dry_run: bool
    status_changes: tuple[StatusChange, ...]

    @property
    def already_present(self) -> int:
        return self.in_file - self.added

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "changes_in_file": self.in_file,
            "imported": self.added,
            "already_present": self.already_present,
            "status_changes": [
                {"id": s.resource, "from": s.before, "to": s.after} for s in self.status_changes
            ],
        }


def import_export(
    ws: Workspace,
    export: ExportFile | ExportFileV2,
    dry_run: bool = False,
    label: str = "import",
) -> ImportReport:
    """Merge an export's history into this machine's: the union, matched by uid.

    The import is one unit (`label`, say `import FILE`): one `mlpath undo` takes it
    back. Inside an enclosing `ws.unit(...)` block it joins that block's unit and
    transaction instead, so the caller can report before anything is committed. A dry
    run merges into an in-memory copy of the store, so it reports exactly what the real
    import would, and never creates or touches the store.
    """
    order = {r.id: r.position for r in ws.catalog().resources}
    units = [(u.uid, u.label, u.at) for u in getattr(export, "units", ())]
    store = ws.store() if not dry_run else ws.existing_store()
    # Only what the store lacks is converted and merged: a re-import is cheap.
    known = store.known_uids([c.uid for c in export.changes]) if store else set()
    changes = [c.to_change() for c in export.changes if c.uid not in known]
    if not changes:
        added: list[Change] = []
        moved: list[StatusChange] = []
    elif dry_run:
        with _scratch_copy(store) as scratch:
            added, moved = _merge(scratch, changes, units, label)
    else:
        assert store is not None
        added, moved = _merge(store, changes, units, label)
    moved.sort(key=lambda s: (s.resource not in order, order.get(s.resource, 0), s.resource))
    return ImportReport(len(export.changes), len(added), dry_run, tuple(moved))


def _merge(
    store: Store,
    changes: Sequence[Change],
    units: Sequence[tuple[str, str, str]],
    label: str,
) -> tuple[list[Change], list[StatusChange]]:
    with store.unit(label):
        before = store.statuses()
        added = store.merge(changes, units, label)
        after = store.statuses() if added else before
    # Compare every resource: an imported undo can revert a change filed under another id.
    moved = [
        StatusChange(rid, before.get(rid, "todo"), after.get(rid, "todo"))
        for rid in before.keys() | after.keys()
        if before.get(rid, "todo") != after.get(rid, "todo")
    ]
    return added, moved


@contextlib.contextmanager
def _scratch_copy(store: Store | None) -> Iterator[Store]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        if store is not None:
            store.conn.backup(conn)
        else:
            for script in store_mod.MIGRATIONS:
                store_mod.run_script(conn, script)
        yield Store(conn, ":memory:", store.clock if store is not None else None)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot preview the import: {exc}") from None
    finally:
        conn.close()


def report_text(report: ImportReport, catalog: Catalog, lang: str = "en") -> str:
    """Per resource `before → after`, then the counts."""
    lines = []
    for moved in report.status_changes:
        resource = catalog.get(moved.resource)
        label = (
            f"{resource.id} · {resource.display_title(lang)}"
            if resource
            else f"{moved.resource} ({NOT_IN_CATALOG})"
        )
        lines.append(f"{label}: {moved.before} → {moved.after}")
    noun = "change" if report.added == 1 else "changes"
    verb = "would import" if report.dry_run else "imported"
    summary = f"{verb} {report.added} {noun}, {report.already_present} already present"
    if report.dry_run:
        summary += " (dry run: nothing was written)"
    lines.append(summary)
    return "\n".join(lines)

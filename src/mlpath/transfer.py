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
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from mlpath import store as store_mod
from mlpath.actions import dumps
from mlpath.catalog import Catalog, Resource
from mlpath.errors import ImportFileError, MlpathError, StoreError
from mlpath.path import format_minutes
from mlpath.store import Change, Store
from mlpath.text import cost_label
from mlpath.timefmt import local_time
from mlpath.validate import MAX_LISTED_PROBLEMS, location
from mlpath.workspace import Workspace

FORMAT_MARKER = "mlpath-export"
EXPORT_VERSION = 1
# Even a lifetime of history is a few MB; anything far bigger is the wrong file, and
# reading it whole could exhaust memory before validation had a chance to refuse it.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
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


class ExportError(MlpathError):
    """`mlpath export` cannot write its output file."""


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

    def status(self, resource_id: str) -> str:
        return self.statuses.get(resource_id, "todo")

    def unknown_ids(self) -> list[str]:
        """Resources with history that this catalog does not have (any more)."""
        return sorted({c.resource for c in self.changes if self.catalog.get(c.resource) is None})

    def dates(self) -> dict[str, tuple[str | None, str | None]]:
        """Per resource: when it was first started and last finished, ignoring undone changes.

        The same rule as `mlpath show`, computed over the history in one pass.
        """
        reverted = {c.reverts for c in self.changes if c.action == "undo"}
        out: dict[str, tuple[str | None, str | None]] = {}
        for change in self.changes:
            if change.action != "status" or change.uid in reverted:
                continue
            started, finished = out.get(change.resource, (None, None))
            if change.status == "doing" and started is None:
                started = change.at
            if change.status == "done":
                finished = change.at
            out[change.resource] = (started, finished)
        return out


def gather(ws: Workspace) -> ExportData:
    """Read what an export needs; a fresh machine exports an empty history, creating nothing."""
    catalog = ws.catalog()
    store = ws.existing_store()
    changes = tuple(store.changes(newest_first=False)) if store else ()
    statuses = store.statuses() if store else {}
    return ExportData(catalog, changes, statuses, store_mod.now())


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
        "changes": [c.to_json() for c in data.changes],
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

_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_UID = re.compile(r"[0-9a-f]{32}")
_RESOURCE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_RESOURCE_ID = 100


def _check_stamp(value: str) -> str:
    if not _STAMP.fullmatch(value):
        raise ValueError("must be a UTC time like 2026-11-23T14:02:09.123456Z")
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        raise ValueError("is not a real date and time") from None
    return value


def _check_uid(value: str) -> str:
    if not _UID.fullmatch(value):
        raise ValueError("must be 32 lowercase hexadecimal digits")
    return value


def _check_resource(value: str) -> str:
    if len(value) > MAX_RESOURCE_ID or not _RESOURCE_ID.fullmatch(value):
        raise ValueError("must be a resource id: lowercase letters, digits and single hyphens")
    return value


def _check_version(value: int) -> int:
    if value != EXPORT_VERSION:
        raise ValueError(f"must be {EXPORT_VERSION}")
    return value


Stamp = Annotated[str, AfterValidator(_check_stamp)]
Uid = Annotated[str, AfterValidator(_check_uid)]
ResourceId = Annotated[str, AfterValidator(_check_resource)]


class _Strict(BaseModel):
    # strict: a JSON file says what it means; "1" is not 1 and true is not a status.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ExportedChange(_Strict):
    """One change of the history, exactly as the store keeps it (every field present)."""

    uid: Uid
    at: Stamp
    resource: ResourceId
    action: Literal["status", "note", "undo"]
    status: Literal["todo", "doing", "done", "skipped"] | None
    note: str | None
    reverts: Uid | None

    # Fields validate in order, so `action` is known (when valid) for the ones after it.
    @field_validator("status")
    @classmethod
    def _status_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action == "status" and value is None:
            raise ValueError("is required for a status change")
        if action in ("note", "undo") and value is not None:
            raise ValueError(f"must be null for a{'n' if action == 'undo' else ''} {action}")
        return value

    @field_validator("note")
    @classmethod
    def _note_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action == "note" and not (value and value.strip()):
            raise ValueError("is required for a note")
        if action == "undo" and value is not None:
            raise ValueError("must be null for an undo")
        return value

    @field_validator("reverts")
    @classmethod
    def _reverts_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action == "undo" and value is None:
            raise ValueError("is required for an undo: the uid of the change it reverts")
        if action in ("status", "note") and value is not None:
            raise ValueError("must be null unless the action is 'undo'")
        return value

    def to_change(self) -> Change:
        return Change(
            seq=0,
            uid=self.uid,
            at=self.at,
            resource=self.resource,
            action=self.action,
            status=self.status,
            note=self.note,
            reverts=self.reverts,
        )


class ExportFile(_Strict):
    """A JSON export (`mlpath export --format json`), the only file `mlpath import` reads."""

    format: Literal["mlpath-export"]
    version: Annotated[int, AfterValidator(_check_version)]
    exported_at: Stamp
    catalog_title: str | None
    changes: list[ExportedChange]


def read_import_file(name: str, stdin: BinaryIO | None = None) -> ExportFile:
    """Read and validate an export file (`-` is standard input), refusing it with every problem."""
    origin = "standard input" if name == "-" else name
    if name == "-":
        if stdin is None:
            raise ImportFileError("cannot import from standard input: it is not open")
        data = stdin.read(MAX_IMPORT_BYTES + 1)
    else:
        data = _read_bytes(Path(name))
    return parse_export(data, origin)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise _too_large(str(path))
        with path.open("rb") as handle:
            return handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"cannot import {path}: {exc.strerror or exc}") from None


def _too_large(origin: str) -> ImportFileError:
    return ImportFileError(
        f"cannot import {origin}: it is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, "
        "far more than any export — is it the right file?"
    )


def parse_export(data: bytes, origin: str) -> ExportFile:
    """Validate the bytes of an export file; ImportFileError lists every problem found."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"cannot import {origin}: it is not UTF-8 text (byte 0x{data[exc.start]:02x} "
            f"at offset {exc.start}) — is it a JSON export from `mlpath export`?"
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"cannot import {origin}: it is not valid JSON: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        # An integer beyond Python's digit limit, or nesting deeper than the parser goes.
        why = (
            "it is nested too deeply"
            if isinstance(exc, RecursionError)
            else "a number is too long"
        )
        raise ImportFileError(f"cannot import {origin}: it is not valid JSON: {why}") from None
    if not isinstance(raw, dict):
        raise ImportFileError(
            f"cannot import {origin}: it is not an mlpath export (expected a JSON object with "
            f'"format": "{FORMAT_MARKER}", found {_json_kind(raw)}) — '
            "create one with `mlpath export --format json`"
        )
    version = raw.get("version")
    if raw.get("format") == FORMAT_MARKER and type(version) is int and version > EXPORT_VERSION:
        raise ImportFileError(
            f"cannot import {origin}: it was written by a newer mlpath (export version "
            f"{version}; this one reads version {EXPORT_VERSION}) — upgrade mlpath to import it"
        )
    problems: list[str] = []
    export: ExportFile | None = None
    try:
        export = ExportFile.model_validate(raw)
    except ValidationError as exc:
        problems += [_describe(error) for error in exc.errors(include_url=False)]
    problems += history_problems(raw.get("changes"))
    if problems:
        raise ImportFileError(_summarise(origin, problems))
    assert export is not None
    return export


def history_problems(changes: object) -> list[str]:
    """Problems between changes: repeated uids, and undos of changes the file does not hold."""
    if not isinstance(changes, list):
        return []
    problems: list[str] = []
    first_at: dict[str, int] = {}
    entries = [(i, c) for i, c in enumerate(changes) if isinstance(c, dict)]
    for index, change in entries:
        uid = change.get("uid")
        if isinstance(uid, str) and _UID.fullmatch(uid):
            if uid in first_at:
                problems.append(
                    f"changes[{index}].uid: repeats the uid of changes[{first_at[uid]}]"
                )
            else:
                first_at[uid] = index
    for index, change in entries:
        reverts = change.get("reverts")
        if change.get("action") != "undo" or not (
            isinstance(reverts, str) and _UID.fullmatch(reverts)
        ):
            continue
        target_index = first_at.get(reverts)
        if target_index is None:
            problems.append(f"changes[{index}].reverts: names no change in this file")
        elif changes[target_index].get("action") == "undo":
            problems.append(f"changes[{index}].reverts: an undo cannot revert another undo")
    return problems


def _describe(error: Mapping[str, Any]) -> str:
    where = location(_safe_loc(error["loc"]))
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        message = f"must be {ctx.get('expected', 'one of the allowed values')}"
    elif kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "is not a known field"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in _TYPE_MESSAGES:
        message = _TYPE_MESSAGES[kind]
    else:
        message = str(error["msg"]).lower().replace("input should be", "must be")
    return f"{where}: {_one_line(message)}"


_TYPE_MESSAGES = {
    "model_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "int_type": "must be an integer",
}


def _safe_loc(loc: Iterable[int | str]) -> list[int | str]:
    """Keys come from the file: show a strange one quoted and cut short, never raw."""
    safe: list[int | str] = []
    for part in loc:
        if isinstance(part, str) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", part):
            shown = repr(part)
            part = shown if len(shown) <= 42 else shown[:40] + "…'"
        safe.append(part)
    return safe


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "a number"


def _summarise(origin: str, problems: Sequence[str]) -> str:
    shown = list(dict.fromkeys(problems))
    count = len(shown)
    if count > MAX_LISTED_PROBLEMS:
        shown = [*shown[:MAX_LISTED_PROBLEMS], f"… and {count - MAX_LISTED_PROBLEMS} more"]
    return (
        f"cannot import {origin}: {count} problem{'s' if count != 1 else ''}: "
        + "; ".join(shown)
        + " — nothing was imported"
    )


# --- import --------------------------------------------------------------------------


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


def import_export(ws: Workspace, export: ExportFile, dry_run: bool = False) -> ImportReport:
    """Merge an export's history into this machine's: the union, matched by uid.

    A dry run merges into an in-memory copy of the store, so it reports exactly what the
    real import would, and never creates or touches the store.
    """
    order = {r.id: r.position for r in ws.catalog().resources}
    changes = sorted((c.to_change() for c in export.changes), key=lambda c: c.at)
    if dry_run:
        with _scratch_copy(ws.existing_store()) as scratch:
            added, moved = _merge(scratch, changes)
    else:
        added, moved = _merge(ws.store(), changes)
    moved.sort(key=lambda s: (s.resource not in order, order.get(s.resource, 0), s.resource))
    return ImportReport(len(changes), len(added), dry_run, tuple(moved))


def _merge(store: Store, changes: Sequence[Change]) -> tuple[list[Change], list[StatusChange]]:
    before = store.statuses()
    added = store.merge(changes)
    after = store.statuses()
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
                conn.executescript(script)
        yield Store(conn, ":memory:")
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

"""The import file: what `mlpath import` accepts (an export), checked with pydantic.

Separate from :mod:`mlpath.exporting` so that exporting, and every other command,
does not pay for importing pydantic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, BinaryIO, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mlpath.errors import ImportFileError
from mlpath.export_format import READABLE_VERSIONS
from mlpath.i18n import _, ngettext
from mlpath.import_quick import (
    MAX_LABEL,
    MAX_RESOURCE_ID,
    QuickExport,
    load_export_json,
    origin_of,
    quick_read,
    read_import_bytes,
    refuse_bad_definitions,
)
from mlpath.store import (
    GOAL_KEY,
    MAX_AHEAD_MICROS,
    OWN_PARTS_PREFIX,
    OWN_RESOURCE_PREFIX,
    Change,
    stamp,
    stamp_micros,
    wall_clock,
)
from mlpath.validate import MAX_LISTED_PROBLEMS, describe_error, location

_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_UID = re.compile(r"[0-9a-f]{32}")
_RESOURCE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _check_stamp(value: str) -> str:
    if not _STAMP.fullmatch(value):
        raise ValueError(_("must be a UTC time like 2026-11-23T14:02:09.123456Z"))
    if value[:4] < "1970":
        # No clock of ours recorded it, and some time zones cannot show it.
        raise ValueError(_("must be a time from 1970 on"))
    if stamp_micros(value) is None:
        raise ValueError(_("is not a real date and time"))
    return value


def _check_clock(value: int) -> int:
    if not 0 <= value < 2**62:
        raise ValueError(_("must be the microseconds since 1970 of a time from 1970 on"))
    return value


def _check_text(value: str) -> str:
    """Text that cannot be written as UTF-8 (a lone surrogate such as \\ud800) is refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            _("holds a character that is not text (U+{ord:04X} at position {start})").format(
                ord=ord(value[exc.start]), start=exc.start
            )
        ) from None
    return value


def _check_label(value: str) -> str:
    if not value.strip() or len(value) > MAX_LABEL:
        raise ValueError(
            _("must be the command's name, 1 to {MAX_LABEL} characters").format(
                MAX_LABEL=MAX_LABEL
            )
        )
    return _check_text(value)


def _check_uid(value: str) -> str:
    if not _UID.fullmatch(value):
        raise ValueError(_("must be 32 lowercase hexadecimal digits"))
    return value


def _check_resource(value: str) -> str:
    # A resource id, or RESOURCE/PART-ID for the progress of one of its parts.
    ids = value.split("/", 1)
    if any(len(i) > MAX_RESOURCE_ID or not _RESOURCE_ID.fullmatch(i) for i in ids):
        raise ValueError(
            _(
                "must be a resource id (lowercase letters, digits and single "
                "hyphens), or RESOURCE/PART for a part"
            )
        )
    return value


def _check_key(value: str) -> str:
    """What a change of export version 2 or later is about: a resource or part, or the key
    of a definition (`my-ID`, `parts:ID`, `goal:`); whether it fits the action is checked
    with the whole change."""
    if value == GOAL_KEY:
        return value
    if value.startswith(OWN_PARTS_PREFIX):
        _check_resource(value.removeprefix(OWN_PARTS_PREFIX))
        if "/" in value:
            raise ValueError(_("must name a resource, not a part, after 'parts:'"))
        return value
    return _check_resource(value)


def _is_definition_key(key: str) -> bool:
    return key == GOAL_KEY or key.startswith((OWN_PARTS_PREFIX, OWN_RESOURCE_PREFIX))


def _check_definition(value: str) -> None:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):  # nested deeper than json goes: not one either
        parsed = None
    if not isinstance(parsed, dict):
        raise ValueError(_("note: must be null or the JSON text of an object for a definition"))


def _check_version(value: int) -> int:
    if value not in READABLE_VERSIONS:
        raise ValueError(
            _("must be one of {join}").format(join=", ".join(map(str, READABLE_VERSIONS)))
        )
    return value


Stamp = Annotated[str, AfterValidator(_check_stamp)]
Uid = Annotated[str, AfterValidator(_check_uid)]
ResourceId = Annotated[str, AfterValidator(_check_resource)]
Clock = Annotated[int, AfterValidator(_check_clock)]
Text = Annotated[str, AfterValidator(_check_text)]
Label = Annotated[str, AfterValidator(_check_label)]
Key = Annotated[str, AfterValidator(_check_key)]


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
    note: Text | None
    reverts: Uid | None

    # Fields validate in order, so `action` is known (when valid) for the ones after it.
    @field_validator("status")
    @classmethod
    def _status_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action == "status" and value is None:
            raise ValueError(_("is required for a status change"))
        if action in ("note", "undo") and value is not None:
            raise ValueError(
                _("must be null for a{value} {action}").format(
                    value="n" if action == "undo" else "", action=action
                )
            )
        return value

    @field_validator("note")
    @classmethod
    def _note_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action == "note" and not (value and value.strip()):
            raise ValueError(_("is required for a note"))
        if action == "undo" and value is not None:
            raise ValueError(_("must be null for an undo"))
        return value

    @field_validator("reverts")
    @classmethod
    def _reverts_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action == "undo" and value is None:
            raise ValueError(_("is required for an undo: the uid of the change it reverts"))
        if action in ("status", "note") and value is not None:
            raise ValueError(_("must be null unless the action is 'undo'"))
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


class ExportedChangeV2(ExportedChange):
    """A change of export version 2 or 3: also its clock and the uid of its unit; from
    version 3 also a definition ('define': `note` holds it as JSON text, or is null)."""

    resource: Key  # wider: a definition's key too
    action: Literal["status", "note", "undo", "define"]  # type: ignore[assignment]
    clock: Clock
    unit: Uid

    @model_validator(mode="after")
    def _fits_its_action(self) -> ExportedChangeV2:
        defining = self.action == "define"
        if defining and not _is_definition_key(self.resource):
            raise ValueError(
                _(
                    "resource: must be a definition's key (my-ID, parts:ID or goal:) "
                    "for a 'define' change"
                )
            )
        # An undo carries the key of the change it reverts, whichever that was.
        if self.action in ("status", "note") and ":" in self.resource:
            raise ValueError(
                _("resource: must be a resource id for a '{action}' change").format(
                    action=self.action
                )
            )
        if defining and self.note is not None:
            _check_definition(self.note)
        return self

    def to_change(self) -> Change:
        change = super().to_change()
        change.clock = self.clock
        change.unit = self.unit
        return change


class ExportedUnit(_Strict):
    """One command as the exporting machine recorded it."""

    uid: Uid
    label: Label
    at: Stamp


class ExportFile(_Strict):
    """A JSON export of version 1 (`mlpath export` before units and clocks)."""

    format: Literal["mlpath-export"]
    version: Annotated[int, AfterValidator(_check_version)]
    exported_at: Stamp
    catalog_title: Text | None
    changes: list[ExportedChange]


class ExportFileV2(_Strict):
    """A JSON export of version 2 or 3 (`mlpath export --format json`): 3 is 2 with
    definitions, which an mlpath that reads only up to 2 would refuse."""

    format: Literal["mlpath-export"]
    version: Literal[2, 3]
    exported_at: Stamp
    catalog_title: Text | None
    units: list[ExportedUnit]
    changes: list[ExportedChangeV2]

    @model_validator(mode="after")
    def _definitions_need_version_3(self) -> ExportFileV2:
        if self.version == 2 and any(c.action == "define" for c in self.changes):
            raise ValueError(_("version: must be 3 for a file holding 'define' changes"))
        return self


def read_import_file(
    name: str, stdin: BinaryIO | None = None, now: int | None = None
) -> ExportFile | ExportFileV2 | QuickExport:
    """Read and validate an export file (`-` is standard input), refusing it with every problem."""
    return parse_export(read_import_bytes(name, stdin), origin_of(name), now)


def parse_export(
    data: bytes, origin: str, now: int | None = None
) -> ExportFile | ExportFileV2 | QuickExport:
    """Validate the bytes of an export file; ImportFileError lists every problem found.

    `now` (nanoseconds since 1970, the wall clock by default): a change claiming a time
    more than a day after it is refused, and with it the whole file. The quick check
    answers first, for the exports mlpath writes; the models decide the rest.
    """
    now = wall_clock() if now is None else now
    export = quick_read(data, now) or validate_export(load_export_json(data, origin), origin, now)
    refuse_bad_definitions(export.changes, origin)
    return export


def validate_export(raw: dict[str, Any], origin: str, now: int) -> ExportFile | ExportFileV2:
    """The models' verdict on an export's JSON object (see parse_export)."""
    version = raw.get("version")
    problems: list[str] = []
    export: ExportFile | ExportFileV2 | None = None
    model = ExportFileV2 if version in (2, 3) else ExportFile
    try:
        export = model.model_validate(raw)
    except ValidationError as exc:
        problems += [_describe(error) for error in exc.errors(include_url=False)]
    problems += history_problems(raw.get("changes"))
    if version in (2, 3):
        problems += unit_problems(raw.get("units"), raw.get("changes"))
    if problems:
        raise ImportFileError(_summarise(origin, problems))
    assert export is not None
    _refuse_the_future(export, origin, now)
    return export


def _refuse_the_future(export: ExportFile | ExportFileV2, origin: str, now: int) -> None:
    """One line naming the first change dated more than a day after `now`."""
    limit = now // 1000 + MAX_AHEAD_MICROS
    # Stored stamps have a fixed width: as text they sort as the times they name.
    limit_stamp = stamp(limit * 1000)
    for index, change in enumerate(export.changes):
        clock = getattr(change, "clock", None)
        if change.at > limit_stamp or (clock is not None and clock > limit):
            claimed = change.at if change.at > limit_stamp else _when(clock or 0)
            raise ImportFileError(
                _(
                    "cannot import {origin}: changes[{index}] ({action} {resource}, "
                    "uid {uid}) is dated {claimed}, more than a day after this "
                    "machine's clock ({stamp}) — nothing was imported; check the clock "
                    "of the machine that exported it"
                ).format(
                    origin=origin,
                    index=index,
                    action=change.action,
                    resource=change.resource,
                    uid=change.uid,
                    claimed=claimed,
                    stamp=stamp(now),
                )
            )


def _when(micros: int) -> str:
    try:
        return stamp(micros * 1000)
    except (OverflowError, OSError, ValueError):
        return f"{micros} µs after 1970"


def unit_problems(units: object, changes: object) -> list[str]:
    """Repeated unit uids, and changes naming a unit the file does not list."""
    if not isinstance(units, list) or not isinstance(changes, list):
        return []
    problems: list[str] = []
    first_at: dict[str, int] = {}
    for index, unit in enumerate(units):
        uid = unit.get("uid") if isinstance(unit, dict) else None
        if isinstance(uid, str) and _UID.fullmatch(uid):
            if uid in first_at:
                problems.append(
                    _("units[{index}].uid: repeats the uid of units[{first}]").format(
                        index=index, first=first_at[uid]
                    )
                )
            else:
                first_at[uid] = index
    for index, change in enumerate(changes):
        uid = change.get("unit") if isinstance(change, dict) else None
        if isinstance(uid, str) and _UID.fullmatch(uid) and uid not in first_at:
            problems.append(
                _("changes[{index}].unit: names no unit in this file").format(index=index)
            )
    return problems


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
                    _("changes[{index}].uid: repeats the uid of changes[{first}]").format(
                        index=index, first=first_at[uid]
                    )
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
            problems.append(
                _("changes[{index}].reverts: names no change in this file").format(index=index)
            )
        elif changes[target_index].get("action") == "undo":
            problems.append(
                _("changes[{index}].reverts: an undo cannot revert another undo").format(
                    index=index
                )
            )
    return problems


def _describe(error: Mapping[str, Any]) -> str:
    return describe_error(error, location(_safe_loc(error["loc"])))


def _safe_loc(loc: Iterable[int | str]) -> list[int | str]:
    """Keys come from the file: show a strange one quoted and cut short, never raw."""
    safe: list[int | str] = []
    for part in loc:
        if isinstance(part, str) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", part):
            shown = repr(part)
            part = shown if len(shown) <= 42 else shown[:40] + "…'"
        safe.append(part)
    return safe


def _summarise(origin: str, problems: Sequence[str]) -> str:
    shown = list(dict.fromkeys(problems))
    count = len(shown)
    if count > MAX_LISTED_PROBLEMS:
        more = _("… and {count} more").format(count=count - MAX_LISTED_PROBLEMS)
        shown = [*shown[:MAX_LISTED_PROBLEMS], more]
    return ngettext(
        "cannot import {origin}: {count} problem: {problems} — nothing was imported",
        "cannot import {origin}: {count} problems: {problems} — nothing was imported",
        count,
    ).format(origin=origin, count=count, problems=_("; ").join(shown))


# --- import --------------------------------------------------------------------------

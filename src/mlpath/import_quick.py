"""The import file without pydantic: its bytes, its JSON, and a quick check of it.

`mlpath import` of a file mlpath wrote should cost what its other commands cost, and
importing pydantic and building the models of :mod:`mlpath.import_file` costs several
times that. So the file is read and decoded here, and :func:`quick_export` accepts an
export only where it is sure the models would accept it, giving the same result; for
anything else it answers None and the models decide, with their exact messages.
tests/test_import_quick.py pins that it never accepts what the models refuse.
"""

from __future__ import annotations

from mlpath.errors import ImportFileError
from mlpath.export_format import EXPORT_VERSION, FORMAT_MARKER
from mlpath.i18n import _
from mlpath.store import (
    GOAL_KEY,
    MAX_AHEAD_MICROS,
    OWN_PARTS_PREFIX,
    OWN_RESOURCE_PREFIX,
    Change,
    clock_of,
    stamp,
    stamp_micros,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, BinaryIO

# The most a file read whole may hold: reading more could exhaust memory before
# validation had a chance to refuse it. An export as mlpath writes it streams instead
# (mlpath.import_stream), at any size; what is read whole is standard input, a small
# file, or one not laid out as mlpath writes it: 200 MB is some 450,000 changes.
MAX_IMPORT_BYTES = 200 * 1024 * 1024
# A file no bigger than this is read whole, here: a bigger one is read as it streams
# (mlpath.import_stream), which is worth loading only then.
WHOLE_MAX = 1 << 20


def origin_of(name: str) -> str:
    """How messages name the file: `-` is standard input."""
    return _("standard input") if name == "-" else name


def read_import_bytes(name: str, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of the file `name` (`-`: `stdin`), refusing one too large to be an export."""
    if name == "-":
        if stdin is None:
            raise ImportFileError(_("cannot import from standard input: it is not open"))
        try:
            return stdin.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            from mlpath.os_errors import os_reason

            raise ImportFileError(
                _("cannot import from standard input: {value}").format(value=os_reason(exc))
            ) from None
    import os

    try:
        if os.stat(name).st_size > MAX_IMPORT_BYTES:
            raise _too_large(name)
        with open(name, "rb") as handle:
            return handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise ImportFileError(
            _("cannot import {name}: {value}").format(name=name, value=os_reason(exc))
        ) from None


def _too_large(origin: str) -> ImportFileError:
    return ImportFileError(
        _(
            "cannot import {origin}: it is larger than {size} MB, far more than any export "
            "— is it the right file?"
        ).format(origin=origin, size=MAX_IMPORT_BYTES // (1024 * 1024))
    )


def load_export_json(data: bytes, origin: str) -> dict[str, Any]:
    """The JSON object of an export file, refusing what is not one (or is from a newer
    mlpath) with one line; what the object holds is checked afterwards."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "cannot import {origin}: it is not UTF-8 text (byte 0x{value:02x} "
                "at offset {start}) — is it a JSON export from `mlpath export`?"
            ).format(origin=origin, value=data[exc.start], start=exc.start)
        ) from None
    import json

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        from mlpath.json_errors import json_reason

        raise ImportFileError(
            _(
                "cannot import {origin}: it is not valid JSON: {msg} (line "
                "{lineno}, column {colno}) — only a JSON export (`mlpath export -o "
                "FILE.json`) can be imported; Markdown and CSV exports are for "
                "reading"
            ).format(origin=origin, msg=json_reason(exc.msg), lineno=exc.lineno, colno=exc.colno)
        ) from None
    except (ValueError, RecursionError) as exc:
        # An integer beyond Python's digit limit, or nesting deeper than the parser goes.
        why = (
            _("it is nested too deeply")
            if isinstance(exc, RecursionError)
            else _("a number is too long")
        )
        raise ImportFileError(
            _("cannot import {origin}: it is not valid JSON: {why}").format(origin=origin, why=why)
        ) from None
    if not isinstance(raw, dict):
        raise ImportFileError(
            _(
                "cannot import {origin}: it is not an mlpath export (expected a "
                'JSON object with "format": "{FORMAT_MARKER}", found {json_kind}) '
                "— create one with `mlpath export --format json`"
            ).format(origin=origin, FORMAT_MARKER=FORMAT_MARKER, json_kind=_json_kind(raw))
        )
    version = raw.get("version")
    if raw.get("format") == FORMAT_MARKER and type(version) is int and version > EXPORT_VERSION:
        raise ImportFileError(
            _(
                "cannot import {origin}: it was written by a newer mlpath (export "
                "version {version}; this one reads version {EXPORT_VERSION}) — "
                "upgrade mlpath to import it"
            ).format(origin=origin, version=version, EXPORT_VERSION=EXPORT_VERSION)
        )
    return raw


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("a string")
    if value is None:
        return "null"  # JSON's own words, as the file holds them
    if isinstance(value, bool):
        return "true" if value else "false"
    return _("a number")


def quick_read(data: bytes, now: int) -> QuickExport | None:
    """The export in `data` where the quick check is sure of it (see quick_export);
    None: ask :func:`load_export_json` and the models, which say what is wrong."""
    if len(data) > MAX_IMPORT_BYTES:
        return None
    # utf-8-sig without its codec module: the BOM, if any, then UTF-8.
    try:
        text = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8")
    except UnicodeDecodeError:
        return None
    raw = quick_object(text)
    return None if raw is None else quick_export(raw, now)


class _Decoding:
    """What json.loads gives its scanner, except that NaN and Infinity are not sure."""

    __slots__ = ()
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> object:
        raise ValueError(name)


_WHITESPACE = " \t\n\r"  # what json.decoder's WHITESPACE matches


def quick_object(text: str) -> dict[str, Any] | None:
    """The JSON object `text` holds, exactly as json.loads reads it; None where it holds
    anything else, or where this is not sure (any error, NaN or Infinity).

    It runs the C scanner json.loads runs (json's own accelerator, `_json`), without
    importing json, which brings re and enum and costs a third of a small import.
    """
    try:
        from _json import make_scanner

        # Any object with these attributes serves (json.decoder passes its JSONDecoder);
        # typeshed names the scanner's own type.
        scan = make_scanner(_Decoding)  # type: ignore[arg-type]
        start = len(text) - len(text.lstrip(_WHITESPACE))
        value, end = scan(text, start)
    except (ImportError, TypeError, AttributeError, StopIteration, ValueError, RecursionError):
        return None
    except SystemError:
        # Python 3.11's scanner reports an error inside an object through json.decoder,
        # and fails this way when json was never imported: `{not json`.
        return None
    if end != len(text) and text[end:].strip(_WHITESPACE):
        return None
    return value if type(value) is dict else None


class QuickUnit:
    """A unit of an export, as :class:`mlpath.import_file.ExportedUnit` holds it."""

    __slots__ = ("at", "label", "uid")

    def __init__(self, uid: str, label: str, at: str) -> None:
        self.uid = uid
        self.label = label
        self.at = at

    def as_dict(self) -> dict[str, Any]:
        """What the model's `model_dump()` gives."""
        return {"uid": self.uid, "label": self.label, "at": self.at}


class QuickChange:
    """A change of an export, as :class:`mlpath.import_file.ExportedChange` (version 1) or
    ExportedChangeV2 holds it; `clock` and `unit` are None in version 1."""

    __slots__ = ("action", "at", "clock", "note", "resource", "reverts", "status", "uid", "unit")

    def __init__(
        self,
        raw: dict[str, Any],
        clock: int | None,
        unit: str | None,
    ) -> None:
        self.uid: str = raw["uid"]
        self.at: str = raw["at"]
        self.resource: str = raw["resource"]
        self.action: str = raw["action"]
        self.status: str | None = raw["status"]
        self.note: str | None = raw["note"]
        self.reverts: str | None = raw["reverts"]
        self.clock = clock
        self.unit = unit

    @property
    def when(self) -> int:
        """The clock that orders this change, as :attr:`mlpath.store.Change.when`."""
        return clock_of(self.clock, self.at)

    def to_change(self) -> Change:
        return Change(
            0,
            self.uid,
            self.at,
            self.resource,
            self.action,
            self.status,
            self.note,
            self.reverts,
            self.clock,
            self.unit,
        )

    def as_dict(self) -> dict[str, Any]:
        """What the model's `model_dump()` gives."""
        fields = self.to_change().to_json()  # the fields of version 1
        if self.unit is not None:
            fields.update(clock=self.clock, unit=self.unit)
        return fields


class QuickExport:
    """An export the quick check accepted: what ExportFile (version 1) or ExportFileV2
    would hold. Version 1 has no units; `units` is then empty and not in `as_dict()`."""

    __slots__ = ("catalog_title", "changes", "exported_at", "format", "units", "version")

    def __init__(
        self,
        raw: dict[str, Any],
        units: list[QuickUnit],
        changes: list[QuickChange],
    ) -> None:
        self.format: str = raw["format"]
        self.version: int = raw["version"]
        self.exported_at: str = raw["exported_at"]
        self.catalog_title: str | None = raw["catalog_title"]
        self.units = units
        self.changes = changes

    def as_dict(self) -> dict[str, Any]:
        """What the model's `model_dump()` gives."""
        fields: dict[str, Any] = {
            "format": self.format,
            "version": self.version,
            "exported_at": self.exported_at,
            "catalog_title": self.catalog_title,
        }
        if self.version != 1:
            fields["units"] = [unit.as_dict() for unit in self.units]
        fields["changes"] = [change.as_dict() for change in self.changes]
        return fields


_V2_FILE_KEYS = frozenset(
    ("format", "version", "exported_at", "catalog_title", "units", "changes")
)
_FILE_KEYS = {
    1: frozenset(("format", "version", "exported_at", "catalog_title", "changes")),
    2: _V2_FILE_KEYS,
    3: _V2_FILE_KEYS,  # 3 is 2 with definitions
}
_V1_CHANGE_KEYS = frozenset(("uid", "at", "resource", "action", "status", "note", "reverts"))
_V2_CHANGE_KEYS = _V1_CHANGE_KEYS | {"clock", "unit"}
_CHANGE_KEYS = {1: _V1_CHANGE_KEYS, 2: _V2_CHANGE_KEYS, 3: _V2_CHANGE_KEYS}
_UNIT_KEYS = frozenset(("uid", "label", "at"))
_HEX = "0123456789abcdef"
_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"
_STATUSES = frozenset(("todo", "doing", "done", "skipped"))
# The bounds the models check (mlpath.import_file), restated: a test compares them.
MAX_RESOURCE_ID = 100
MAX_LABEL = 200
MAX_CLOCK = 2**62


def quick_export(raw: dict[str, Any], now: int) -> QuickExport | None:
    """The export the models would make of `raw`, or None where this is not sure.

    `now`: nanoseconds since 1970, as for :func:`mlpath.import_file.validate_export`; a
    change dated more than a day after it is left to the models to refuse. Exact types
    only (JSON's): a bool is not an int here, as in the models' strict mode.
    """
    version = raw.get("version")
    if type(version) is not int or version not in _FILE_KEYS or raw.keys() != _FILE_KEYS[version]:
        return None
    changes_raw, units_raw = raw["changes"], raw.get("units", [])
    if not (
        raw["format"] == FORMAT_MARKER
        and type(raw["format"]) is str
        and _is_stamp(raw["exported_at"])
        and (raw["catalog_title"] is None or _is_text(raw["catalog_title"]))
        and type(changes_raw) is list
        and type(units_raw) is list
    ):
        return None
    units: list[QuickUnit] = []
    labels: set[str] = set()  # a few labels name many units: each is checked once
    for entry in units_raw:
        if not (
            type(entry) is dict
            and entry.keys() == _UNIT_KEYS
            and _is_uid(entry["uid"])
            and type(entry["label"]) is str
            and (entry["label"] in labels or _is_label(entry["label"]))
            and _is_stamp(entry["at"])
        ):
            return None
        labels.add(entry["label"])
        units.append(QuickUnit(entry["uid"], entry["label"], entry["at"]))
    unit_uids = {unit.uid for unit in units}
    if len(unit_uids) != len(units):
        return None  # a repeated unit: the models name it
    limit = now // 1000 + MAX_AHEAD_MICROS
    limit_stamp = stamp(limit * 1000)
    keys = _CHANGE_KEYS[version]
    changes: list[QuickChange] = []
    for entry in changes_raw:
        if not (type(entry) is dict and entry.keys() == keys and _change_fits(entry, version)):
            return None
        if entry["at"] > limit_stamp:
            return None  # from the future: the models say so
        clock = unit = None
        if version >= 2:
            clock, unit = entry["clock"], entry["unit"]
            # The units' uids were checked: a string among them is one.
            if not (type(clock) is int and 0 <= clock < MAX_CLOCK and clock <= limit) or not (
                type(unit) is str and unit in unit_uids
            ):
                return None
        changes.append(QuickChange(entry, clock, unit))
    return QuickExport(raw, units, changes) if _history_holds(changes) else None


def _change_fits(entry: dict[str, Any], version: int) -> bool:
    """The fields every version has, each valid and fitting the change's action."""
    if not (_is_uid(entry["uid"]) and _is_stamp(entry["at"])):
        return False
    action, key, status = entry["action"], entry["resource"], entry["status"]
    note, reverts = entry["note"], entry["reverts"]
    if action == "status":
        return (
            _is_resource(key)
            and type(status) is str
            and status in _STATUSES
            and (note is None or _is_text(note))
            and reverts is None
        )
    if action == "note":
        return (
            _is_resource(key)
            and status is None
            and _is_text(note)
            and bool(note.strip())
            and reverts is None
        )
    if action == "undo":
        # From version 2 an undo carries the key of what it reverts, a definition's too.
        fits = _is_resource(key) or (version >= 2 and _is_definition_key(key))
        return fits and status is None and note is None and _is_uid(reverts)
    if action == "define":
        # Version 3 on; the models leave status and reverts free, mlpath writes them null.
        return (
            version >= 3
            and _is_definition_key(key)
            and status is None
            and reverts is None
            and (note is None or (_is_text(note) and quick_object(note) is not None))
        )
    return False  # an action this check does not know: the models decide


def _is_definition_key(key: object) -> bool:
    """`goal:`, `parts:RESOURCE` or `my-ID` (an own resource, or one of its parts)."""
    if type(key) is not str:
        return False
    if key.startswith(OWN_PARTS_PREFIX):
        rest = key.removeprefix(OWN_PARTS_PREFIX)
        return "/" not in rest and _is_resource(rest)
    return key == GOAL_KEY or (key.startswith(OWN_RESOURCE_PREFIX) and _is_resource(key))


def _history_holds(changes: list[QuickChange]) -> bool:
    """No repeated uid, and every undo reverts a change of the file that is not an undo."""
    actions = {change.uid: change.action for change in changes}
    if len(actions) != len(changes):
        return False
    return all(
        actions.get(change.reverts or "") not in (None, "undo")
        for change in changes
        if change.action == "undo"
    )


def _is_uid(value: object) -> bool:
    return type(value) is str and len(value) == 32 and not value.strip(_HEX)


_SHAPE = str.maketrans("123456789", "000000000")
_STAMP_SHAPE = "0000-00-00T00:00:00.000000Z"
# Whether each date seen is a real one from 1970 on: a big export has a few thousand
# days and a hundred thousand times, so the calendar is asked once a day.
_real_days: dict[str, bool] = {}


def _is_stamp(value: object) -> bool:
    """`stamp_micros(value) is not None`, at a fraction of its cost per time."""
    if type(value) is not str or value.translate(_SHAPE) != _STAMP_SHAPE:
        return False
    day = value[:10]
    real = _real_days.get(day)
    if real is None:
        real = stamp_micros(day + "T00:00:00.000000Z") is not None
        if len(_real_days) < 100_000:  # three centuries of days; a strange file no more
            _real_days[day] = real
    # The shape holds digits where these are: two-digit text compares as the number.
    return real and value[11:13] < "24" and value[14:16] < "60" and value[17:19] < "60"


def _is_text(value: object) -> bool:
    if type(value) is not str:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_label(value: object) -> bool:
    return (
        type(value) is str
        and 0 < len(value) <= MAX_LABEL
        and bool(value.strip())
        and (_is_text(value))
    )


def _is_resource(value: object) -> bool:
    """A resource id, or RESOURCE/PART-ID, as mlpath.import_file's pattern reads them."""
    if type(value) is not str:
        return False
    if value in _good_keys:
        return True  # an export names each resource many times
    if not all(_is_id(part) for part in value.split("/", 1)):
        return False
    if len(_good_keys) < 100_000:
        _good_keys.add(value)
    return True


_good_keys: set[str] = set()


def _is_id(part: str) -> bool:
    return (
        0 < len(part) <= MAX_RESOURCE_ID
        and not part.strip(_ID_CHARS)
        and part[0] != "-"
        and part[-1] != "-"
        and "--" not in part
    )


def refuse_bad_definitions(changes: Sequence[Any], origin: str) -> None:
    """Refuse an export whose own resources or parts would not read back: stored, such a
    definition would stop every command until it was taken away. Both the quick check
    and the models only know a definition is a JSON object; mlpath.own knows the rest."""
    defined = [
        (index, change.resource, change.note)
        for index, change in enumerate(changes)
        if change.action == "define"
    ]
    message = definition_problems_message(defined, origin)
    if message:
        raise ImportFileError(message)


def definition_problems_message(
    defined: Sequence[tuple[int, str, str | None]], origin: str
) -> str | None:
    """The line refusing the definitions among `defined` ((index in the file, key, JSON
    text) of each 'define' change) that would not read back; None: they all would."""
    problems = [f"changes[{index}].note: {problem}" for index, problem in _problems(defined)]
    if not problems:
        return None
    shown = "; ".join(problems[:5])
    if len(problems) > 5:
        shown = _("{shown} … and {count} more").format(shown=shown, count=len(problems) - 5)
    return _("cannot import {origin}: {problems} — nothing was imported").format(
        origin=origin, problems=shown
    )


def bad_definitions(changes: Sequence[Any]) -> list[tuple[int, str]]:
    """The definitions among `changes` that would not read back: (index, why) each."""
    return _problems(
        [
            (index, change.resource, change.note)
            for index, change in enumerate(changes)
            if change.action == "define"
        ]
    )


def _problems(defined: Sequence[tuple[int, str, str | None]]) -> list[tuple[int, str]]:
    from mlpath.own import definition_problem

    found = []
    for index, key, note in defined:
        if note is None or key == GOAL_KEY:
            continue
        value = quick_object(note)
        if value is None:
            import json

            value = json.loads(note)  # both checks made sure it is an object
        problem = definition_problem(key, value)
        if problem:
            found.append((index, problem))
    return found

"""The quick check of an import file never accepts what the models refuse, and accepts
every export mlpath writes, with the same result; `mlpath import` of such a file then
never imports pydantic.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_CATALOG, Run
from mlpath import cli, import_file, import_quick
from mlpath.errors import ImportFileError
from mlpath.import_quick import quick_export, quick_object, quick_read
from mlpath.store import open_store, wall_clock

# 2026-12-01T00:00:00Z: "now" for every check here, so the future is fixed.
NOW = 1_796_083_200 * 10**9
NOW_MICROS = NOW // 1000
DAY = 86_400 * 10**6


def pydantic_verdict(raw: dict[str, Any], now: int = NOW) -> Any:
    """The models' result for `raw`, or None where they refuse it."""
    try:
        return import_file.validate_export(copy.deepcopy(raw), "file.json", now)
    except ImportFileError:
        return None


def assert_agrees(raw: dict[str, Any], now: int = NOW) -> bool:
    """quick_export gives None or exactly the models' result; whether it accepted."""
    quick = quick_export(copy.deepcopy(raw), now)
    model = pydantic_verdict(raw, now)
    if quick is None:
        return False
    assert model is not None, f"quick accepted what the models refuse: {raw!r}"
    assert quick.as_dict() == model.model_dump()
    assert type(quick.version) is type(model.version) is int
    assert hasattr(model, "units") == (quick.version >= 2)
    quick_changes = [c.to_change() for c in quick.changes]
    model_changes = [c.to_change() for c in model.changes]
    assert quick_changes == model_changes
    # Change equality leaves the unit out: compare it, and the clock, too.
    assert [(c.unit, c.clock) for c in quick_changes] == [(c.unit, c.clock) for c in model_changes]
    return True


# --- documents as mlpath writes them ------------------------------------------------

HEX = "0123456789abcdef"
uids = st.text(HEX, min_size=32, max_size=32)
words = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
resource_ids = st.lists(words, min_size=1, max_size=3).map("-".join)
keys = st.one_of(resource_ids, st.tuples(resource_ids, resource_ids).map("/".join))
definition_keys = st.one_of(
    st.just("goal:"),
    resource_ids.map(lambda rid: f"parts:{rid}"),
    resource_ids.map(lambda rid: f"my-{rid}"),
)
definitions = st.dictionaries(
    st.text(max_size=5),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=5,
    ),
    max_size=3,
)
# Text as notes and labels hold it: any character that can be written as UTF-8.
texts = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)


@st.composite
def stamps(draw: st.DrawFn, before: int = NOW_MICROS + DAY) -> tuple[str, int]:
    micros = draw(st.integers(0, before))
    from mlpath.store import stamp

    return stamp(micros * 1000), micros


@st.composite
def exports(draw: st.DrawFn, least: int = 0) -> dict[str, Any]:
    """A valid export of version 1 or 2: units, and changes fitting their actions."""
    version = draw(st.sampled_from([1, 2, 3]))
    unit_uids = draw(st.lists(uids, min_size=1, max_size=3, unique=True))
    units = [
        {"uid": uid, "label": draw(texts.filter(str.strip)), "at": draw(stamps())[0]}
        for uid in unit_uids
    ]
    count = draw(st.integers(least, 6))
    change_uids = draw(st.lists(uids, min_size=count, max_size=count, unique=True))
    changes: list[dict[str, Any]] = []
    for uid in change_uids:
        at, micros = draw(stamps())
        undoable = [c for c in changes if c["action"] != "undo"]
        actions = ["status", "note", *(["define"] if version == 3 else [])]
        action = draw(st.sampled_from([*actions, "undo"] if undoable else actions))
        change: dict[str, Any] = {
            "uid": uid,
            "at": at,
            "resource": draw(keys),
            "action": action,
            "status": None,
            "note": None,
            "reverts": None,
        }
        if action == "status":
            change["status"] = draw(st.sampled_from(["todo", "doing", "done", "skipped"]))
            change["note"] = draw(st.none() | texts)
        elif action == "note":
            change["note"] = draw(texts.filter(str.strip))
        elif action == "define":
            change["resource"] = draw(definition_keys)
            change["note"] = draw(st.none() | definitions.map(json.dumps))
        else:
            reverted = draw(st.sampled_from(undoable))
            change["reverts"] = reverted["uid"]
            change["resource"] = reverted["resource"]  # as the store writes an undo
        if version >= 2:
            change["clock"] = draw(st.integers(0, micros) | st.just(micros))
            change["unit"] = draw(st.sampled_from(unit_uids))
        changes.append(change)
    document: dict[str, Any] = {
        "format": "mlpath-export",
        "version": version,
        "exported_at": draw(stamps())[0],
        "catalog_title": draw(st.none() | st.text(max_size=8).filter(_utf8)),
        "changes": changes,
    }
    if version >= 2:
        document["units"] = units
    return document


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(exports())
def test_the_quick_check_accepts_valid_exports_as_the_models_read_them(
    raw: dict[str, Any],
) -> None:
    assert assert_agrees(raw)


# --- mutations: whatever they break, quick never accepts what the models refuse -------

ODD_VALUES: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        1,
        2,
        3,
        -1,
        1.0,
        2.0,
        2**62 - 1,
        2**62,
        2**64,
        "",
        " ",
        "\ud800",
        "x\udcff",
        "a" * 32,
        "A" * 32,
        "0" * 31,
        "0" * 33,
        "status",
        "note",
        "undo",
        "define",
        "done",
        "todo",
        "Done",
        "mlpath-export",
        "alpha",
        "alpha/beta",
        "alpha/beta/gamma",
        "alpha--beta",
        "-alpha",
        "alpha-",
        "Alpha",
        "a" * 100,
        "a" * 101,
        "a/" + "b" * 101,
        "l" * 200,
        "l" * 201,
        "2026-11-23T14:02:09.123456Z",
        "2026-02-29T00:00:00.000000Z",
        "2024-02-29T00:00:00.000000Z",
        "1969-12-31T23:59:59.999999Z",
        "1970-01-01T00:00:00.000000Z",
        "2026-11-23T24:00:00.000000Z",
        "2026-11-23T14:02:09.123456",
        "2026-11-23 14:02:09.123456Z",
        "２026-11-23T14:02:09.123456Z",
        "2026-12-03T00:00:00.000000Z",
        "9999-12-31T23:59:59.999999Z",
        [],
        {},
        [{}],
    ]
)


def paths_of(value: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a document: dict keys and list indexes, leading there."""
    found = [trail]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths_of(inner, (*trail, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths_of(inner, (*trail, index))
    return found


def at_path(document: Any, trail: tuple[Any, ...]) -> Any:
    for step in trail:
        document = document[step]
    return document


# Near misses for one field, beside ODD_VALUES: what a rule exists to refuse.
NEAR: dict[str, list[Any]] = {
    "resource": ["alpha-", "-alpha", "a--b", "a/b/c", "alpha/", "/alpha", "a" * 101, "Alpha"],
    "label": ["l" * 201, " ", "\u3000", "\t\n", "ok\ud800"],
    "note": ["", " ", "\u2003", "ok\udfff"],
    "at": ["2026-12-02T00:00:00.000001Z", "2100-01-01T00:00:00.000000Z"],
    "clock": [NOW_MICROS + DAY, NOW_MICROS + DAY + 1, -1, 2**62 - 1],
}


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(exports(least=1))
    known = [c["uid"] for c in document["changes"]]
    known += [u["uid"] for u in document.get("units", [])]
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        places = paths_of(document)[1:]
        how = draw(st.sampled_from(["replace", "near", "near", "delete", "add", "copy", "twin"]))
        if how == "near":
            # The field first, so that each is as likely as any other.
            field = draw(st.sampled_from([*NEAR, "reverts", "unit", "uid"]))
            places = [p for p in places if p[-1] == field]
        if not places:
            break
        trail = draw(st.sampled_from(places))
        parent = at_path(document, trail[:-1])
        key = trail[-1]
        if how == "near" and key in NEAR:
            parent[key] = draw(st.sampled_from(NEAR[key]))
        elif how == "near" and known:
            # Another uid of the file: an undo of an undo, a change's uid as a unit...
            parent[key] = draw(st.sampled_from(known))
        elif how == "replace":
            parent[key] = draw(ODD_VALUES)
        elif how == "delete":
            del parent[key]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "clock", "unit", "units", "uid"]))] = draw(
                ODD_VALUES
            )
        elif how == "copy":
            # Another value of the document in this place (a uid where a label was...).
            other = at_path(document, draw(st.sampled_from(places)))
            parent[key] = copy.deepcopy(other)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))  # a repeated change or unit
    return document


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_quick_check_never_accepts_what_the_models_refuse(raw: dict[str, Any]) -> None:
    assert_agrees(raw)


def spot_document(change: dict[str, Any], version: int = 2) -> dict[str, Any]:
    return {
        "format": "mlpath-export",
        "version": version,
        "exported_at": "2026-11-30T10:00:00.000000Z",
        "catalog_title": None,
        "units": [{"uid": "a" * 32, "label": "done alpha", "at": "2026-11-30T10:00:00.000000Z"}],
        "changes": [
            {
                "uid": "f" * 32,
                "at": "2026-11-30T10:00:00.000000Z",
                "clock": 1_796_032_800_000_000,
                "unit": "a" * 32,
                "resource": "alpha",
                "action": "status",
                "status": "done",
                "note": None,
                "reverts": None,
            }
            | change
        ],
    }


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        ({}, True),
        ({"status": None}, False),
        ({"status": "done", "note": "also a note"}, True),
        ({"status": "done", "note": "not text \udfff"}, False),
        ({"reverts": "b" * 32}, False),
        ({"action": "note", "status": None, "note": "  "}, False),
        ({"action": "note", "status": None, "note": "read it"}, True),
        ({"action": "note", "status": None, "note": "\ud800"}, False),
        ({"clock": True}, False),
        ({"clock": 2**62}, False),
        ({"clock": NOW_MICROS + DAY + 1}, False),
        ({"at": "2026-12-02T00:00:00.000001Z"}, False),
        ({"unit": "c" * 32}, False),
        ({"resource": "alpha/basics"}, True),
        ({"resource": "alpha/basics/more"}, False),
        ({"action": "define", "status": None}, False),
        ({"resource": "alpha-"}, False),
        ({"resource": "a" * 101}, False),
        ({"action": "undo", "status": None, "reverts": "f" * 32}, False),
    ],
)
def test_each_rule_is_the_models_rule(change: dict[str, Any], accepted: bool) -> None:
    """Spot checks at the edges, each decided by the models as well."""
    raw = spot_document(change)
    assert assert_agrees(raw) is accepted
    assert (pydantic_verdict(raw) is not None) is accepted


@pytest.mark.parametrize(
    ("place", "value", "accepted"),
    [
        (("catalog_title",), "A path", True),
        (("catalog_title",), "A path \ud800", False),
        (("units", 0, "label"), "l" * 200, True),
        (("units", 0, "label"), "l" * 201, False),
        (("units", 0, "label"), "\u3000", False),
        (("units", 0, "label"), "done \udc80", False),
        (("exported_at",), "2026-02-29T00:00:00.000000Z", False),
    ],
)
def test_each_rule_outside_the_changes_is_the_models_rule(
    place: tuple[Any, ...], value: Any, accepted: bool
) -> None:
    raw = spot_document({})
    at_path(raw, place[:-1])[place[-1]] = value
    assert assert_agrees(raw) is accepted
    assert (pydantic_verdict(raw) is not None) is accepted


DEFINE = {"action": "define", "resource": "my-book", "status": None, "note": '{"title": "B"}'}
UNDO = {"uid": "e" * 32, "action": "undo", "status": None, "note": None, "reverts": "f" * 32}


@pytest.mark.parametrize(
    ("version", "change", "quick", "model"),
    [
        (3, {}, True, True),
        (3, {"note": None}, True, True),
        (3, {"resource": "goal:", "note": None}, True, True),
        (3, {"resource": "parts:alpha"}, True, True),
        (3, {"resource": "my-book/one"}, True, True),
        (3, {"note": "[1]"}, False, False),
        (3, {"note": "not json"}, False, False),
        (3, {"note": '{"a": 1} {}'}, False, False),
        (3, {"note": "{}\ud800"}, False, False),
        (3, {"note": '{"a": NaN}'}, False, True),  # json reads NaN; quick leaves it
        (3, {"resource": "alpha"}, False, False),
        (3, {"resource": "parts:alpha/1"}, False, False),
        (3, {"resource": "goal:x"}, False, False),
        (3, {"status": "done"}, False, True),  # the models leave it free
        (2, {}, False, False),
        (1, {}, False, False),
        (
            3,
            {"action": "status", "status": "done", "note": None, "resource": "goal:"},
            False,
            False,
        ),
    ],
)
def test_each_rule_of_a_definition_is_the_models_rule(
    version: int, change: dict[str, Any], quick: bool, model: bool
) -> None:
    raw = spot_document(DEFINE | change, version)
    if version == 1:
        del raw["units"]
        for entry in raw["changes"]:
            del entry["clock"], entry["unit"]
    assert assert_agrees(raw) is quick
    assert (pydantic_verdict(raw) is not None) is model


def test_an_undo_of_a_definition_carries_its_key() -> None:
    raw = spot_document(DEFINE | {"resource": "goal:"}, 3)
    raw["changes"].append(raw["changes"][0] | UNDO)
    assert assert_agrees(raw)
    raw["version"] = 2  # no definitions in version 2, but an undo may carry a key
    raw["changes"][0] = spot_document({})["changes"][0]
    assert assert_agrees(raw)


def test_an_old_export_is_accepted_as_the_models_read_it() -> None:
    raw = json.loads((Path(__file__).parent / "data" / "export-v1.json").read_text())
    assert assert_agrees(raw)


# --- what mlpath itself writes --------------------------------------------------------

PARTED = copy.deepcopy(MINI_CATALOG)
PARTED["resources"][0]["parts"] = [
    {"id": "welcome", "title": "Welcome", "minutes": 10},
    {"id": "basics", "title": "Basics", "minutes": 15},
    {"id": "wrap-up", "title": "Wrap-up", "minutes": 5},
]


@pytest.fixture
def parted_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "parted.json"
    path.write_text(json.dumps(PARTED), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


def test_every_export_mlpath_writes_passes_the_quick_check(
    run: Run, parted_catalog: Path, home: Path
) -> None:
    steps = [
        ["done", "alpha/1"],
        ["start", "alpha/2"],
        ["note", "alpha", "a note with ünïcode, \u202e and a tab\tin it"],
        ["skip", "--section", "books"],
        ["done", "beta"],
        ["undo"],
        ["reset", "alpha/1"],
        ["start", "delta"],
        ["add", "My", "lecture", "notes", "--section", "intro", "--minutes", "45"],
        ["parts", "gamma-book", "--split", "4"],
        ["done", "my-lecture-notes"],
        ["define", "goal:", '{"hours_per_week": 6}'],
        ["undo"],
        ["remove", "my-lecture-notes"],
    ]
    for step in steps:
        if step[0] == "define":
            store = open_store(home / "progress.db", create=True)
            assert store is not None
            store.define(step[1], json.loads(step[2]) if step[2] else None)
            store.close()
        else:
            assert run(*step).exit_code == 0, step
        exported = run("export", "--format", "json")
        assert exported.exit_code == 0, exported.stderr
        raw = json.loads(exported.stdout)
        assert assert_agrees(raw, wall_clock()), step
    kinds = {(c["action"], "/" in c["resource"]) for c in raw["changes"]}
    assert kinds == {
        ("status", True),
        ("status", False),
        ("note", False),
        ("undo", False),
        ("define", False),
    }
    assert len(raw["units"]) == len(steps)


PROBE = """
import sys
from mlpath.cli import run
code = run(sys.argv[1:])
heavy = sorted(m for m in ("pydantic", "mlpath.import_file", "json") if m in sys.modules)
sys.stderr.write(f"{code} {heavy}\\n")
"""


def test_importing_an_export_of_mlpath_imports_neither_pydantic_nor_json(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    assert run("done", "alpha").exit_code == 0
    assert run("note", "beta", "soon").exit_code == 0
    assert run("undo").exit_code == 0
    export = tmp_path / "export.json"
    assert run("export", "-o", str(export)).exit_code == 0
    # As users run it: the quick argv path (the Typer path pulls pydantic in itself).
    env = {k: v for k, v in os.environ.items() if k != cli.DISABLE_ENV}
    env["MLPATH_HOME"] = str(tmp_path / "elsewhere")

    def probe(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True
        )
        return done.stderr.strip().splitlines()[-1]

    probe("next")  # builds the catalog cache, which validates with pydantic
    assert probe("import", str(export)) == "0 []"
    # A file the quick check is not sure of goes to the models, which explain.
    raw = json.loads(export.read_text())
    raw["changes"][0]["status"] = "finished"
    export.write_text(json.dumps(raw))
    assert probe("import", str(export)) == "1 ['json', 'mlpath.import_file', 'pydantic']"


def test_the_clock_bound_is_the_models_bound() -> None:
    with pytest.raises(ValueError):
        import_file._check_clock(import_quick.MAX_CLOCK)
    assert import_file._check_clock(import_quick.MAX_CLOCK - 1) == import_quick.MAX_CLOCK - 1


# --- the JSON reader ----------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    value = draw(st.dictionaries(st.text(max_size=4), json_values, max_size=4) | json_values)
    text = json.dumps(
        value,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 0, 2, "\t"])),
    )
    text = (
        draw(st.sampled_from(["", " ", "\n", "\ufeff"]))
        + text
        + draw(st.sampled_from(["", " \r\n", "x", "}", " {}"]))
    )
    if draw(st.booleans()) and text:
        # One character changed: a broken escape, a stray control character, NaN...
        at = draw(st.integers(0, len(text) - 1))
        new = draw(
            st.sampled_from(["\\", '"', "\x01", "NaN", "-Infinity", "\ud800", ",", "1" * 5000])
        )
        text = text[:at] + new + text[at + 1 :]
    return text


@settings(max_examples=400, deadline=None)
@given(json_texts())
def test_the_json_reader_reads_an_object_as_json_does_or_not_at_all(text: str) -> None:
    try:
        expected = json.loads(text)
    except (ValueError, RecursionError):
        expected = None
    got = quick_object(text)
    if got is not None:
        assert type(expected) is dict and got == expected
    elif type(expected) is dict:
        # Only NaN and Infinity (which it leaves to json) may make it unsure of an object.
        assert "NaN" in text or "Infinity" in text


def test_a_byte_order_mark_is_read_as_utf_8_sig_reads_it() -> None:
    data = json.dumps(spot_document({})).encode()
    plain = quick_read(data, NOW)
    marked = quick_read(b"\xef\xbb\xbf" + data, NOW)
    assert plain is not None and marked is not None
    assert marked.as_dict() == plain.as_dict()
    # Two marks: json refuses the second, so quick is not sure either.
    assert quick_read(b"\xef\xbb\xbf\xef\xbb\xbf" + data, NOW) is None
    assert quick_read(b"\xff" + data, NOW) is None  # not UTF-8: the models' message


def test_a_definition_nested_too_deeply_is_refused_in_one_line(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    raw = spot_document(DEFINE | {"resource": "goal:", "note": "[" * 100_000}, 3)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(raw))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: cannot import {path}: 1 problem: changes[0]: note: must be null or the JSON "
        "text of an object for a definition — nothing was imported\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-23T14:02:09.123456Z",
        "2024-02-29T00:00:00.000000Z",
        "2026-02-29T00:00:00.000000Z",
        "1970-01-01T00:00:00.000000Z",
        "1969-12-31T23:59:59.999999Z",
        "2026-13-01T00:00:00.000000Z",
        "2026-00-10T00:00:00.000000Z",
        "2026-04-31T00:00:00.000000Z",
        "2026-04-00T00:00:00.000000Z",
        "2026-04-10T24:00:00.000000Z",
        "2026-04-10T23:60:00.000000Z",
        "2026-04-10T23:59:60.000000Z",
        "2026-04-10T23:59:59.000000",
        "2026-04-10 23:59:59.000000Z",
        "\uff12026-04-10T23:59:59.000000Z",
        "1900-02-29T00:00:00.000000Z",
        "2000-02-29T00:00:00.000000Z",
    ],
)
def test_the_quick_time_check_is_the_stores(text: str) -> None:
    from mlpath.store import stamp_micros

    # Twice: the second answer comes from what the first one learnt about the day.
    for _ in range(2):
        assert import_quick._is_stamp(text) == (stamp_micros(text) is not None)

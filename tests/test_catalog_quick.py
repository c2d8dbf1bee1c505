"""The first run's check without pydantic (mlpath.catalog_quick): it builds the cache the
models would, and leaves every catalog it does not plainly recognise to them."""

from __future__ import annotations

import copy
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_CATALOG
from mlpath import catalog_cache, catalog_quick, catalog_stream, catalog_tables, models, text_rules
from mlpath.catalog import BUNDLED_PATHS, KINDS, RESOURCE_WIDTH, bundled_catalog_path
from mlpath.catalog_quick import Plain, plain_from_model, quick_catalog
from mlpath.errors import CatalogError
from mlpath.validate import validate_catalog_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from harness import generate_catalog  # noqa: E402


def cache_contents(catalog: Plain, data: bytes) -> list[str]:
    """Every table of the cache built from `catalog`, as SQL text."""
    meta = catalog_cache.catalog_meta(catalog, "stamp", catalog_cache.sha256_hex(data))
    conn = sqlite3.connect(":memory:", isolation_level=None)
    catalog_cache.fill(conn, catalog, meta)
    return list(conn.iterdump())


def model_contents(data: bytes) -> list[str]:
    return cache_contents(plain_from_model(validate_catalog_bytes(data, "cat.json")), data)


def quick_contents(data: bytes) -> list[str]:
    catalog = quick_catalog(data.decode("utf-8-sig"))
    assert catalog is not None, "the quick check refused a plainly valid catalog"
    return cache_contents(catalog, data)


def stream(data: bytes) -> list[str]:
    """Every table of the cache the first run writes a piece at a time (or Unusual)."""
    sha256 = catalog_cache.sha256_hex(data)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    catalog_stream.stream_catalog(
        conn,
        data.decode("utf-8-sig"),
        lambda totals, head: totals.meta(
            "stamp", sha256, catalog_cache.source_json(head["source"])
        ),
    )
    return list(conn.iterdump())


@pytest.mark.parametrize("name", sorted(BUNDLED_PATHS))
def test_the_bundled_catalogs_take_the_quick_path_to_the_same_cache(name: str) -> None:
    data = Path(bundled_catalog_path(name)).read_bytes()
    assert quick_contents(data) == model_contents(data)
    assert stream(data) == model_contents(data)


@pytest.mark.parametrize(("resources", "parts"), [(300, 0), (120, 4)])
def test_generated_catalogs_take_the_quick_path_to_the_same_cache(
    tmp_path: Path, resources: int, parts: int
) -> None:
    path = tmp_path / "generated.json"
    generate_catalog(path, resources, parts=parts)
    data = path.read_bytes()
    assert quick_contents(data) == model_contents(data)
    assert stream(data) == model_contents(data)


def test_a_catalog_of_many_pieces_is_written_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run never holds more than a piece of the resources as objects: it
    writes each before it parses the next, into the cache the whole catalog makes."""
    path = tmp_path / "generated.json"
    generate_catalog(path, 2 * catalog_stream.PIECE + 5, parts=2)
    data = path.read_bytes()
    written: list[int] = []
    real = catalog_tables.write_resources

    def counted(conn: sqlite3.Connection, piece: Any, *args: Any) -> None:
        written.append(len(piece))
        real(conn, piece, *args)

    monkeypatch.setattr(catalog_tables, "write_resources", counted)
    streamed = stream(data)
    assert written == [catalog_stream.PIECE, catalog_stream.PIECE, 5]
    assert streamed == quick_contents(data)


def test_a_first_run_reads_an_ordinary_catalog_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole(text: str) -> None:
        raise AssertionError("the whole catalog was parsed at once")

    monkeypatch.setattr(catalog_quick, "quick_catalog", whole)
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "generated.json"
    generate_catalog(path, 300)
    conn = catalog_cache.open_catalog_db(str(path))
    assert conn.execute("SELECT count(*) FROM resources").fetchone() == (300,)
    conn.close()


def reordered(change: Any) -> bytes:
    data = copy.deepcopy(RICHER)
    change(data)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "layout",
    [
        # The sections after the resources: their order is not known in time.
        lambda d: d.update(sections=d.pop("sections")),
        # The resources not in path order.
        lambda d: d["resources"].append(d["resources"].pop(0)),
    ],
)
def test_an_unusual_layout_is_left_to_the_whole_catalog_check(
    layout: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = reordered(layout)
    with pytest.raises(catalog_stream.Unusual) as raised:
        stream(data)
    assert raised.type is catalog_stream.Unusual
    assert quick_contents(data) == model_contents(data)
    # And a first run gets there.
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cat.json").write_bytes(data)
    conn = catalog_cache.open_catalog_db(str(tmp_path / "cat.json"))
    dump = [line for line in conn.iterdump() if "'stamp'" not in line and "'sha256'" not in line]
    assert dump == [
        line for line in model_contents(data) if "'stamp'" not in line and "'sha256'" not in line
    ]


def test_a_field_given_twice_is_left_to_the_whole_catalog_check() -> None:
    """json.loads keeps the last of the two: so does the catalog."""
    text = json.dumps(RICHER)
    twice = '{"schema_version": 7, ' + text[1:]
    with pytest.raises(catalog_stream.Unusual):
        stream(twice.encode())
    assert quick_contents(twice.encode()) == model_contents(twice.encode())


def test_a_cold_first_run_never_imports_pydantic() -> None:
    """What makes a first run fast: pydantic and the models stay unloaded."""
    import subprocess

    script = (
        "import sys; from mlpath import catalog_cache; from mlpath.catalog import "
        "bundled_catalog_path; catalog_cache.open_catalog_db(bundled_catalog_path()); "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'mlpath.models',"
        " 'mlpath.validate', 'tempfile'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_the_hand_written_rules_know_the_models_fields() -> None:
    assert set(models.Catalog.model_fields) - {"schema_"} | {"$schema"} == (
        catalog_quick.CATALOG_KEYS
    )
    assert set(models.Source.model_fields) == catalog_quick.SOURCE_KEYS
    assert list(models.Source.model_fields) == list(
        catalog_quick.source_record(MINI_CATALOG["source"])
    )
    assert set(models.Section.model_fields) == catalog_quick.SECTION_KEYS
    assert set(models.Resource.model_fields) == catalog_quick.RESOURCE_KEYS
    assert set(models.Part.__annotations__) == catalog_quick.PART_KEYS
    assert set(models.Version.__annotations__) == catalog_quick.VERSION_KEYS
    assert catalog_quick.PLAIN_URL == text_rules._PLAIN_URL.pattern
    assert len(catalog_tables.RESOURCE_FIELDS) + 1 == RESOURCE_WIDTH
    assert get_args(models.Kind) == KINDS
    assert get_args(models.Cost) == catalog_quick.COSTS
    assert get_args(models.VersionKind) == catalog_quick.VERSION_KINDS
    assert (models.MAX_MINUTES, models.MAX_PARTS, models.MAX_TEXT, models.MAX_URL) == (
        catalog_quick.MAX_MINUTES,
        catalog_quick.MAX_PARTS,
        catalog_quick.MAX_TEXT,
        catalog_quick.MAX_URL,
    )


def with_change(change: Any) -> bytes:
    data = copy.deepcopy(MINI_CATALOG)
    change(data)
    # ASCII, as JSON spells a lone surrogate: \ud800.
    return json.dumps(data).encode()


def set_title(value: str) -> Any:
    return lambda d: d["resources"][0].__setitem__("title", value)


@pytest.mark.parametrize(
    "change",
    [
        # Valid, yet not kept as written: the models strip the spaces.
        set_title(" Alpha Intro "),
        # Valid shapes the hand-written rules leave to the models.
        lambda d: d.__setitem__("schema_", "x"),
        lambda d: d.__setitem__("$schema", "\udc00"),
    ],
)
def test_the_unusual_but_valid_is_left_to_the_models(change: Any) -> None:
    data = with_change(change)
    assert quick_catalog(data.decode()) is None
    model_contents(data)  # and they accept it


def test_a_link_of_an_unusual_shape_is_checked_as_the_models_check_it() -> None:
    """Not the common shape (an upper-case host, a port): mlpath.text_rules decides."""
    data = with_change(lambda d: d["resources"][0].__setitem__("url", "https://EX.org:8080/a"))
    assert quick_contents(data) == model_contents(data)
    data = with_change(lambda d: d["resources"][0].__setitem__("url", "https://ex.org:99999/"))
    assert quick_catalog(data.decode()) is None
    with pytest.raises(CatalogError):
        validate_catalog_bytes(data, "cat.json")


@pytest.mark.parametrize(
    "change",
    [
        set_title(""),
        set_title("tab\there"),
        set_title("x" * 2001),
        set_title("\ud800"),
        lambda d: d["resources"][0].__setitem__("minutes", 30.0),
        lambda d: d["resources"][0].__setitem__("minutes", True),
        lambda d: d["resources"][0].__setitem__("id", "Alpha"),
        lambda d: d["resources"][0].__setitem__("id", "a--b"),
        lambda d: d["resources"][0].__setitem__("url", "ftp://example.org/"),
        lambda d: d["resources"][0].__setitem__("url", "https://example.org/a b"),
        lambda d: d["resources"][0].pop("url"),
        lambda d: d["resources"][0].__setitem__("extra", 1),
        lambda d: d["resources"][1].__setitem__("prerequisites", ["nope"]),
        lambda d: d["resources"][0].__setitem__("prerequisites", ["delta"]),  # circular
        lambda d: d["resources"][0].__setitem__("alternatives", ["beta"]),  # not both ways
        lambda d: d["resources"][0].__setitem__("id", "my-alpha"),
        lambda d: d["resources"][1].__setitem__("id", "alpha"),
        lambda d: d["resources"][4].__setitem__("section", "books"),  # practice left empty
        lambda d: d["resources"][0].__setitem__(
            "parts", [{"id": "one", "title": "One", "minutes": 10}]
        ),  # minutes disagree
        lambda d: d["resources"][0].__setitem__(
            "versions",
            [
                {
                    "lang": "zh-",
                    "title": "T",
                    "url": "https://x.org/",
                    "kind": "subtitles",
                    "source": "",
                }
            ],
        ),
        lambda d: d.__setitem__("schema_version", 2),
    ],
)
def test_whatever_the_models_refuse_the_quick_check_leaves_to_them(change: Any) -> None:
    """The models word the error (the same one-line message as before); the quick check
    must not have let the catalog through, nor the first run's reading in pieces."""
    data = with_change(change)
    assert quick_catalog(data.decode()) is None
    with pytest.raises(catalog_stream.Refused):
        stream(data)
    with pytest.raises(CatalogError):
        validate_catalog_bytes(data, "cat.json")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["resources"][0].__setitem__("tags", ["basics\nmore"]),
        lambda d: d["resources"][4].__setitem__("id", "epsilon\nx"),
    ],
)
def test_an_id_or_tag_holding_a_newline_is_left_to_the_models(change: Any) -> None:
    """A newline separates the stored lists of ids and tags: none may hold one."""
    data = with_change(change)
    assert quick_catalog(data.decode()) is None
    with pytest.raises(CatalogError):
        validate_catalog_bytes(data, "cat.json")


def test_a_field_no_object_has_passes_its_rule() -> None:
    """What _objects relies on to skip the fields a piece of resources does not have."""
    for rules in (
        catalog_quick.SOURCE_RULES,
        catalog_quick.SECTION_RULES,
        catalog_quick.RESOURCE_RULES,
        catalog_quick.PART_RULES,
        catalog_quick.VERSION_RULES,
    ):
        for name, required, check in rules[1]:
            assert required or check([]), name


def test_text_that_is_not_a_catalog_is_left_to_the_models() -> None:
    for text in ("{", "[1]", '{"minutes": ' + "9" * 5000 + "}", "[" * 100000):
        assert quick_catalog(text) is None


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 2_000_000)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", " ", "alpha", "a-b", "Alpha", "https://example.org/x", "free", "video"])
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
# MINI_CATALOG with a resource in parts and in another language, so that every kind of
# object the catalog holds is there to be changed.
RICHER = copy.deepcopy(MINI_CATALOG)
RICHER["resources"][2].update(
    parts=[
        {"id": "one", "title": "One", "minutes": 400, "url": "https://example.org/1"},
        {"id": "two", "title": "Two", "title_zh": "二", "minutes": 200},
    ],
    versions=[
        {
            "lang": "zh-Hans",
            "title": "伽马",
            "url": "https://example.cn/g",
            "kind": "official translation",
            "source": "its site",
        }
    ],
    aliases=["GB"],
)
# Where a change goes, and the fields it may change there.
PLACES: list[tuple[tuple[Any, ...], frozenset[str]]] = [
    (("source",), catalog_quick.SOURCE_KEYS),
    (("sections", 1), catalog_quick.SECTION_KEYS),
    *((("resources", i), catalog_quick.RESOURCE_KEYS) for i in range(5)),
    (("resources", 2, "parts", 0), catalog_quick.PART_KEYS),
    (("resources", 2, "versions", 0), catalog_quick.VERSION_KEYS),
    ((), catalog_quick.CATALOG_KEYS),
]


@st.composite
def changes(draw: st.DrawFn) -> tuple[tuple[Any, ...], str, Any]:
    place, keys = draw(st.sampled_from(PLACES))
    field = draw(st.sampled_from(sorted(keys | {"bogus"})))
    return place, field, draw(JSON_VALUES | st.just(KeyError))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(change=changes())
def test_the_quick_check_never_accepts_what_the_models_refuse(
    change: tuple[tuple[Any, ...], str, Any],
) -> None:
    """One field of any object set to anything (or removed): whenever the quick check
    accepts the catalog, the models accept it too and the caches are the same."""
    place, field, value = change
    data = copy.deepcopy(RICHER)
    target = data
    for step in place:
        target = target[step]
    if value is KeyError:
        target.pop(field, None)
    else:
        target[field] = value
    text = json.dumps(data).encode()
    quick = quick_catalog(text.decode())
    try:
        streamed = stream(text)
    except catalog_stream.Unusual:
        streamed = None
    if quick is None:
        assert streamed is None
        return
    assert cache_contents(quick, text) == model_contents(text)
    assert streamed in (None, cache_contents(quick, text))


def test_the_richer_catalog_takes_the_quick_path() -> None:
    """The unchanged base of the property test is ordinary (else it would test nothing)."""
    data = json.dumps(RICHER).encode()
    assert quick_contents(data) == model_contents(data)


def test_a_rebuild_leaves_garbage_collection_as_it_found_it(mini_catalog: Path) -> None:
    """Collection is paused while the cache is built, and only then."""
    import gc

    assert gc.isenabled()
    catalog_cache.open_catalog_db(str(mini_catalog)).close()
    assert gc.isenabled()
    gc.disable()
    try:
        Path(catalog_cache.cache_file_for(str(mini_catalog))).unlink()
        catalog_cache.open_catalog_db(str(mini_catalog)).close()
        assert not gc.isenabled()
    finally:
        gc.enable()


LINK_PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "/",
        "?",
        "#",
        ".",
        "-",
        "_",
        ":",
        "a",
        "Z",
        "0",
        "ü",
        "org",
        "x" * 62,
        "",
    ]
)


@settings(max_examples=400, deadline=None)
@given(link=st.lists(LINK_PIECES, max_size=8).map("".join) | st.text(max_size=12))
def test_links_are_split_as_the_plain_pattern_reads_them(link: str) -> None:
    """The first run checks each host once (_plain_hosts) rather than matching PLAIN_URL
    against every link: both take the same links."""
    import re

    expected = re.fullmatch(catalog_quick.PLAIN_URL, link, re.DOTALL) is not None
    assert catalog_quick._plain_hosts([link]) == expected
    host = link.split("/", 3)[2] if link.count("/") >= 2 else link
    assert catalog_quick._plain_host(host) == (
        re.fullmatch(catalog_quick.PLAIN_HOST, host, re.DOTALL) is not None
    )


@settings(max_examples=300, deadline=None)
@given(
    tag=st.lists(
        st.sampled_from(["zh", "Hans", "-", "a", "Z", "1", "ü", "abcdefgh", "x"]), max_size=5
    ).map("".join)
)
def test_language_tags_are_checked_as_the_pattern_reads_them(tag: str) -> None:
    import re

    expected = re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", tag) is not None
    assert catalog_quick._language([tag]) == expected

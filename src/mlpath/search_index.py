"""Search over the catalog cache: an index built from the cache, read only where it matches.

The index (a file beside the catalog cache, built by the first search) holds every
word of the resources' searchable fields (`search_words`) and, for each word and each
CJK character, the list of the resources holding it, by the most it adds to their
score (`search_ranked`, `search_cjk`); the texts a whole query earns a bonus for
matching (`search_exact`); and two ways into the words for a query word that is not
spelt as in the catalog: SQLite's FTS5 with its trigram tokenizer for words that
contain it, and the letters of each word by its length for words a typo or two away.
A query reads the words that can match it and, through :mod:`mlpath.search_top`, the
best part of their lists and the few resources it shows, so its cost follows how many
hits it shows and not how big the catalog is or how much of it matches.

The ranking is :mod:`mlpath.search`'s: every hit is scored by
:class:`mlpath.search.Query`, so hits, scores and their order are what ranking the
whole catalog in Python gives.
"""

from __future__ import annotations

from mlpath import __version__, catalog_cache
from mlpath.catalog import RESOURCE_COLUMNS, resource_from_row
from mlpath.db import sqlite3
from mlpath.search import (
    ALSO_MATCHED,
    FIELD_WEIGHTS,
    PREFIX,
    TAG_IS_QUERY,
    TITLE_COVERAGE,
    TITLE_IS_QUERY,
    Query,
    SearchHit,
    index_cjk,
    index_resource,
    index_words,
    searched_texts,
    typos_allowed,
    word_quality,
)
from mlpath.search_top import SHORT_LIST, TAG, TITLE, TITLE_ZH, best_hits

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from typing import Any, TypeVar

    from mlpath.catalog import Resource
    from mlpath.catalog_cache import Watch
    from mlpath.search_top import Hit

    Key = TypeVar("Key", int, str)

SCHEMA = """
-- `count`: how many resources hold the word (its rows in search_ranked).
CREATE TABLE search_words (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    count INTEGER NOT NULL
);
-- Each distinct letter of each word, by the word's length: the words a typo away from a
-- query word hold most of its letters and are about as long.
CREATE TABLE search_letters (
    letter TEXT NOT NULL,
    length INTEGER NOT NULL,
    word INTEGER NOT NULL,
    PRIMARY KEY (letter, length, word)
) WITHOUT ROWID;
-- Each word's list of the resources holding it (mlpath.search_top reads it best first):
-- `rank` is minus the most the word adds to a resource's score (see fill_index), `title`
-- its share of the title's words, `rest` the most that share is in this row and the
-- rows after it.
CREATE TABLE search_ranked (
    word INTEGER NOT NULL,
    rank REAL NOT NULL,
    position INTEGER NOT NULL,
    title REAL NOT NULL,
    rest REAL NOT NULL,
    PRIMARY KEY (word, rank, position)
) WITHOUT ROWID;
-- Each short prefix that begins several words (not counting itself) each held by more
-- than SHORT_LIST resources, and its list in search_ranked (`list`,
-- an id after every word's): per resource, the most those words add to its score for a
-- whole-word match, as one word's row holds (see _prefix_rows). A query word that
-- short is a prefix of all of them alike, so its matches are read as one list.
CREATE TABLE search_prefixes (
    prefix TEXT PRIMARY KEY,
    list INTEGER NOT NULL,
    count INTEGER NOT NULL
) WITHOUT ROWID;
-- The resources holding each word of more than SHORT_LIST of them, as a bitmap by
-- path position (bit p of byte p // 8), compressed: which resources hold two words is
-- then a few machine words a hundred resources rather than a row read for each.
CREATE TABLE search_bits (
    word INTEGER PRIMARY KEY,
    bits BLOB NOT NULL
);
-- The same for each CJK character held by more than SHORT_LIST resources.
CREATE TABLE search_cjk_bits (
    character TEXT PRIMARY KEY,
    bits BLOB NOT NULL
) WITHOUT ROWID;
-- The same for each CJK character: `rank` is minus what the fields holding it add up to
-- and its `title` share, one over the Chinese title's length where the title holds it
-- (a query run that long covers that much of the title for each of its characters).
CREATE TABLE search_cjk (
    character TEXT NOT NULL,
    rank REAL NOT NULL,
    position INTEGER NOT NULL,
    title REAL NOT NULL,
    rest REAL NOT NULL,
    -- The most the fields add up to in this row and the rows after it.
    fields REAL NOT NULL,
    PRIMARY KEY (character, rank, position)
) WITHOUT ROWID;
-- The texts a whole query earns a bonus for matching, by kind (mlpath.search_top):
-- title words, the words of a tag of several, the casefolded Chinese title.
CREATE TABLE search_exact (
    kind INTEGER NOT NULL,
    text TEXT NOT NULL,
    rank REAL NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (kind, text, rank, position)
) WITHOUT ROWID;
-- Per resource (by path position): each field's words, a space between them, and the
-- tags' words, one tag a line: what a hit is scored from.
CREATE TABLE search_resources (
    position INTEGER PRIMARY KEY,
    tag_phrases TEXT NOT NULL,
    words_title TEXT NOT NULL,
    words_title_zh TEXT NOT NULL,
    words_aliases TEXT NOT NULL,
    words_tags TEXT NOT NULL,
    words_title_zh_seed TEXT NOT NULL,
    words_id TEXT NOT NULL,
    words_author TEXT NOT NULL,
    words_author_zh TEXT NOT NULL,
    words_description TEXT NOT NULL,
    words_description_zh TEXT NOT NULL
);
"""

# Words that contain a query word: trigrams find them without reading every word. An
# SQLite built without FTS5 has no such table, and the words are scanned instead.
INFIX_SCHEMA = (
    "CREATE VIRTUAL TABLE search_infix USING fts5("
    "word, content='search_words', content_rowid='id', tokenize='trigram')"
)

# Bump when the index's tables change, so an older index is rebuilt rather than misread.
INDEX_FORMAT = "7"

# Prefixes of two letters up to this many have lists of their own (search_prefixes): the
# shorter a query word, the more words it begins. (Each resource's word adds a row to at
# most the lists of its prefixes this short.)
PREFIX_LISTS = 4


# Resources read at a time before their rows are written.
BATCH = 2_000
# Threads SQLite may add to sort the lists' rows (PRAGMA threads).
SORT_THREADS = 2

# The lists' rows as they are made, in no order: SQLite sorts them into the index.
_STAGING = (
    ("staged_ranked", "word INTEGER, rank REAL, position INTEGER, title REAL"),
    ("staged_cjk", "character TEXT, rank REAL, position INTEGER, title REAL"),
    ("staged_exact", "kind INTEGER, text TEXT, rank REAL, position INTEGER"),
)
_STAGE_RANKED = "INSERT INTO temp.staged_ranked VALUES (?, ?, ?, ?)"
# A row and the rows after it in its list (key order), counted from the list's end. In
# each OVER clause itself: a WINDOW clause to name it needs SQLite 3.28, this 3.25.
_LATER = "OVER (PARTITION BY {key} ORDER BY rank DESC, position DESC ROWS UNBOUNDED PRECEDING)"
# `rest`: the largest title share among them. Written in key order, so that each row
# goes at the end of its table's b-tree; a range of word ids at a time (?1 to ?2).
_RANKED = (
    "INSERT INTO search_ranked SELECT word, rank, position, title, max(title) "
    f"{_LATER.format(key='word')} FROM temp.staged_ranked WHERE word >= ?1 AND word < ?2 "
    "ORDER BY word, rank, position"
)
# And `fields`: the most their fields add up to, the rank but the title's share (?1 is
# TITLE_COVERAGE), as a word's row would be scored without it.
_CJK = (
    "INSERT INTO search_cjk SELECT character, rank, position, title, "
    f"max(title) {_LATER.format(key='character')}, "
    f"max(-rank - ?1 * title) {_LATER.format(key='character')} "
    "FROM temp.staged_cjk ORDER BY character, rank, position"
)


def ensure_index(db: sqlite3.Connection, watch: Watch | None = None) -> None:
    """Make the search tables readable on `db`, a connection to the catalog cache.

    Built by the first search (reporting its steps through `watch`) into a file of its
    own beside the cache, sealed as the cache is, with the catalog's content hash: later
    runs attach it read-only. A cache kept in memory (no writable cache directory) gets
    its index in memory too.
    """
    try:
        db.execute("SELECT 1 FROM search_words LIMIT 0")
        return  # attached already, or built into this connection
    except sqlite3.OperationalError:
        pass
    cache_file = next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")
    row = db.execute("SELECT value FROM meta WHERE key = 'sha256'").fetchone()
    stamp = f"{catalog_cache.CACHE_FORMAT}|{INDEX_FORMAT}|{__version__}|{row[0] if row else ''}"
    if cache_file:
        index_file = catalog_cache.index_file_for(cache_file)
        if catalog_cache.is_current(index_file, stamp) or catalog_cache.write_sealed(
            index_file, lambda conn: _build(conn, cache_file, watch), stamp
        ):
            db.execute("ATTACH DATABASE ? AS search", (f"file:{index_file}?mode=ro",))
            return
        db.execute("ATTACH DATABASE 'file::memory:' AS search")
        into = "search."
    else:
        into = ""  # the cache itself is in memory, and can take the index
    schema = SCHEMA.replace("CREATE TABLE ", f"CREATE TABLE {into}")
    db.executescript(schema)
    db.execute("BEGIN")
    fill_index(db, catalog_cache.Ticker(watch, 2 * _count(db)).tick, into)
    db.execute("COMMIT")


def _count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM resources").fetchone()[0])


def _build(conn: sqlite3.Connection, cache_file: str, watch: Watch | None) -> None:
    """The index file, from the cache's resources (attached read-only)."""
    conn.execute("ATTACH DATABASE ? AS catalog", (f"file:{cache_file}?mode=ro",))
    conn.executescript(SCHEMA)
    # Half the steps for reading each resource's words, half for writing the index.
    ticker = catalog_cache.Ticker(watch, 2 * _count(conn))
    conn.execute("BEGIN")
    fill_index(conn, ticker.tick)
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE catalog")
    ticker.finish()


def _no_ticks(steps: int) -> None:
    pass


def fill_index(
    conn: sqlite3.Connection, tick: Callable[[int], None] = _no_ticks, into: str = ""
) -> None:
    """Fill the search tables (SCHEMA) from the cache's resources table.

    From the rows queries read back, so the index holds what a search shows. `tick(n)`
    is told of the work as it goes: one step a resource read, then as many again
    written (a progress bar's, for a big catalog). `into` names the database the tables
    are in (`search.`) when they are not in the connection's own.

    A word's row for a resource holds the most the word adds to its score, the cap
    mlpath.search_top reads by: its fields' weights added up as Query.score adds them
    for a whole-word match, and its share of the title as title coverage counts it.

    The lists' rows go to TEMP tables as the resources are read, a batch at a time, and
    SQLite sorts them into the index and works out each row's `rest`. Held in Python
    until the end, the lists of 100,000 resources with Chinese titles took more than a
    gigabyte, and walking them in key order, scattered over it, most of the build's time.
    """
    # The sorts into the lists' order may use a helper thread: a quarter off the longest.
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")
    for table, columns in _STAGING:
        # What a build that failed on this connection left (one kept in memory).
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        conn.execute(f"CREATE TEMP TABLE {table} ({columns})")
    weights = tuple(FIELD_WEIGHTS.values())
    vocabulary: dict[str, int] = {}
    counts = [0]  # rows per word id (none has id 0)
    held: dict[str, int] = {}  # rows per CJK character
    ranked: list[tuple[int, float, int, float]] = []
    cjk: list[tuple[str, float, int, float]] = []
    exact: list[tuple[int, str, float, int]] = []
    rows: list[tuple[Any, ...]] = []
    read = conn.execute(f"SELECT {RESOURCE_COLUMNS} FROM resources ORDER BY position")
    resources = 0
    for resource in map(resource_from_row, read):
        resources += 1
        position = int(resource.position)  # catalog positions are whole numbers
        texts = searched_texts(resource)
        words = [index_words(text) for text in texts.values()]
        title = words[0]
        for word, weight in _weigh(zip(weights, map(set, words), strict=True)).items():
            word_id = vocabulary.get(word)
            if word_id is None:
                word_id = vocabulary[word] = len(counts)
                counts.append(0)
            counts[word_id] += 1
            share = title.count(word) / len(title) if word in title else 0.0
            ranked.append((word_id, -(weight + TITLE_COVERAGE * share), position, share))
        # An ASCII text holds no CJK character: most fields of most catalogs.
        characters = (
            set("".join(index_cjk(text))) if not text.isascii() else () for text in texts.values()
        )
        title_zh = texts["title_zh"]
        for char, weight in _weigh(zip(weights, characters, strict=True)).items():
            held[char] = held.get(char, 0) + 1
            share = 1 / len(title_zh) if char in title_zh else 0.0
            cjk.append((char, -(weight + TITLE_COVERAGE * share), position, share))
        tag_phrases = [" ".join(index_words(tag)) for tag in resource.tags]
        if title:
            exact.append((TITLE, " ".join(title), -TITLE_IS_QUERY, position))
        exact.extend(
            (TAG, phrase, -TAG_IS_QUERY, position)
            for phrase in dict.fromkeys(tag_phrases)
            if " " in phrase
        )
        if texts["title_zh"]:
            exact.append((TITLE_ZH, texts["title_zh"], -TITLE_IS_QUERY, position))
        rows.append((position, "\n".join(tag_phrases), *(" ".join(w) for w in words)))
        if len(rows) == BATCH:
            _write_batch(conn, ranked, cjk, exact, rows)
        tick(1)
    _write_batch(conn, ranked, cjk, exact, rows)
    eighth = resources // 8
    prefixes = _prefix_lists(vocabulary, counts)
    if prefixes:
        counts += [0] * len(prefixes)
        stored = conn.execute("SELECT * FROM search_resources ORDER BY position")
        merged = _prefix_rows(stored, weights, prefixes, vocabulary)
        conn.executemany(_STAGE_RANKED, _counted(merged, counts))
        conn.executemany(
            "INSERT INTO search_prefixes VALUES (?, ?, ?)",
            sorted((prefix, list_id, counts[list_id]) for prefix, list_id in prefixes.items()),
        )
    conn.executemany(
        "INSERT INTO search_words VALUES (?, ?, ?, ?)",
        ((word_id, word, len(word), counts[word_id]) for word, word_id in vocabulary.items()),
    )
    conn.executemany("INSERT INTO search_letters VALUES (?, ?, ?)", _letters(vocabulary))
    tick(eighth)
    for low, high in _quarters(counts):
        conn.execute(_RANKED, (low, high))
        tick(eighth)
    long = [word_id for word_id, count in enumerate(counts) if count > SHORT_LIST]
    conn.executemany(
        "INSERT INTO search_bits VALUES (?, ?)",
        _bitmaps(conn, "search_ranked", "word", long),
    )
    conn.execute(_CJK, (TITLE_COVERAGE,))
    long_zh = sorted(char for char, count in held.items() if count > SHORT_LIST)
    conn.executemany(
        "INSERT INTO search_cjk_bits VALUES (?, ?)",
        _bitmaps(conn, "search_cjk", "character", long_zh),
    )
    conn.execute("INSERT INTO search_exact SELECT * FROM temp.staged_exact ORDER BY 1, 2, 3, 4")
    tick(eighth)
    for table, _columns in _STAGING:
        conn.execute(f"DROP TABLE temp.{table}")
    tick(eighth)
    try:
        conn.execute(INFIX_SCHEMA.replace("TABLE ", f"TABLE {into}"))
    except sqlite3.OperationalError:  # no FTS5, or no trigram tokenizer: words are scanned
        return
    conn.execute("INSERT INTO search_infix (rowid, word) SELECT id, word FROM search_words")
    # One segment: a lookup then reads one b-tree, however many words were added.
    conn.execute("INSERT INTO search_infix (search_infix) VALUES ('optimize')")


def _write_batch(
    conn: sqlite3.Connection,
    ranked: list[Any],
    cjk: list[Any],
    exact: list[Any],
    rows: list[Any],
) -> None:
    """Stage the lists' rows made so far, write the resources' rows, and empty each."""
    conn.executemany(_STAGE_RANKED, ranked)
    conn.executemany("INSERT INTO temp.staged_cjk VALUES (?, ?, ?, ?)", cjk)
    conn.executemany("INSERT INTO temp.staged_exact VALUES (?, ?, ?, ?)", exact)
    conn.executemany(f"INSERT INTO search_resources VALUES ({', '.join('?' * 12)})", rows)
    for made in (ranked, cjk, exact, rows):
        made.clear()


def _counted(
    rows: Iterable[tuple[int, float, int, float]], counts: list[int]
) -> Iterator[tuple[int, float, int, float]]:
    """`rows`, each counted in `counts` (by its list id) as it passes."""
    for row in rows:
        counts[row[0]] += 1
        yield row


def _quarters(counts: Sequence[int]) -> list[tuple[int, int]]:
    """Four ranges of word ids (low, high: high left out) that cover every id, each
    holding about a quarter of the rows (`counts`, by id)."""
    from bisect import bisect_left
    from itertools import accumulate

    running = list(accumulate(counts))
    cuts = [bisect_left(running, running[-1] * quarter / 4) + 1 for quarter in (1, 2, 3)]
    bounds = [0, *cuts, len(counts)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _prefix_lists(vocabulary: Mapping[str, int], counts: Sequence[int]) -> dict[str, int]:
    """The list id of each prefix of 2 to PREFIX_LISTS letters that gets a list: one
    beginning several words longer than itself that are each held by more than
    SHORT_LIST resources. (The lists of words held by fewer are read whole at once, in
    one statement for them all, so what a resource holds of them is known exactly.)"""
    long: dict[str, int] = {}
    for word, word_id in vocabulary.items():
        if counts[word_id] > SHORT_LIST:
            for length in range(2, min(len(word) - 1, PREFIX_LISTS) + 1):
                long[word[:length]] = long.get(word[:length], 0) + 1
    chosen = sorted(prefix for prefix, words in long.items() if words > 1)
    return {prefix: len(vocabulary) + 1 + i for i, prefix in enumerate(chosen)}


def _prefix_rows(
    rows: Iterable[tuple[Any, ...]],
    weights: Sequence[float],
    prefixes: Mapping[str, int],
    vocabulary: Iterable[str],
) -> Iterator[tuple[int, float, int, float]]:
    """The rows of the prefixes' lists, from the resources' stored words (`rows`, as
    search_resources holds them): per resource holding a word that a prefix begins (and
    is not), what its fields add up to as _weigh adds them, and the share of the title's
    words such a word is, as a word's row holds its own. A query word that is the prefix
    matches each such word as well as the others (search.PREFIX), so one list read in
    its place caps it as closely as one word's list caps that word."""
    # The prefixes each word begins, for the words that begin any: a field's words are
    # then looked up once each rather than cut at every length.
    begins: dict[str, list[str]] = {}
    for word in vocabulary:
        lengths = range(2, min(len(word) - 1, PREFIX_LISTS) + 1)
        begun = [word[:length] for length in lengths if word[:length] in prefixes]
        if begun:
            begins[word] = begun
    for row in rows:
        fields = [text.split() for text in row[2:]]
        per_field = [
            {p for word in begins.keys() & words for p in begins[word]} for words in fields
        ]
        if not any(per_field):
            continue
        position, title = row[0], fields[0]
        for prefix, weight in _weigh(zip(weights, per_field, strict=True)).items():
            begins_it = sum(1 for w in title if len(w) > len(prefix) and w.startswith(prefix))
            share = begins_it / len(title) if begins_it else 0.0
            yield (prefixes[prefix], -(weight + TITLE_COVERAGE * share), position, share)


def _letters(vocabulary: Mapping[str, int]) -> Iterator[tuple[str, int, int]]:
    """search_letters' rows in key order (letter, length, word id), so that each goes at
    the end of its b-tree. The vocabulary is in id order: each key's ids come sorted."""
    by_key: dict[tuple[str, int], list[int]] = {}
    for word, word_id in vocabulary.items():
        length = len(word)
        for letter in set(word):
            ids = by_key.get((letter, length))
            if ids is None:
                by_key[letter, length] = [word_id]
            else:
                ids.append(word_id)
    for key in sorted(by_key):
        letter, length = key
        for word_id in by_key[key]:
            yield letter, length, word_id


def _bitmaps(
    conn: sqlite3.Connection, table: str, key: str, keys: Sequence[Key]
) -> list[tuple[Key, bytes]]:
    """(key, compressed bitmap of its positions) of each of `keys`' lists in `table`
    (its `key` column), all as long as the table's last position needs."""
    import zlib

    if not keys:
        return []
    (last,) = conn.execute(f"SELECT max(position) FROM {table}").fetchone()
    size = int(last) // 8 + 1
    # Per bit of a byte: the table that turns a flag (0 or 1) into that bit.
    bits = [bytes.maketrans(b"\x00\x01", bytes((0, 1 << bit))) for bit in range(8)]
    found = []
    for value in keys:
        (listed,) = conn.execute(
            f"SELECT group_concat(position) FROM {table} WHERE {key} = ?", (value,)
        ).fetchone()
        # A byte a position, then every eighth of them moved to its bit and all OR-ed:
        # bit p of byte p // 8, made in C rather than a Python step for each bit.
        flags = bytearray(size * 8)
        for position in map(int, listed.split(",")):
            flags[position] = 1
        packed = 0
        for bit, to_bit in enumerate(bits):
            packed |= int.from_bytes(flags[bit::8].translate(to_bit), "little")
        found.append((value, zlib.compress(packed.to_bytes(size, "little"))))
    return found


def _weigh(fields: Iterable[tuple[float, Iterable[str]]]) -> dict[str, float]:
    """Per word (or CJK character) of (weight, what the field holds) pairs, what the
    weights of its fields add up to as Query.score adds them for a whole-word match."""
    found: dict[str, list[float]] = {}
    for weight, items in fields:
        for item in items:
            known = found.get(item)
            if known is None:
                found[item] = [weight, weight]
            else:
                known[0] = max(known[0], weight)
                known[1] += weight
    return {item: best + ALSO_MATCHED * (total - best) for item, (best, total) in found.items()}


def search(
    db: sqlite3.Connection,
    query: str,
    limit: int | None = 10,
    statuses: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
    extra: Iterable[Resource] = (),
) -> list[SearchHit]:
    """The resources of the cached catalog (and `extra` ones) matching `query`, best
    first, at most `limit`: what :func:`mlpath.search.rank` gives over all of them.

    `extra` are resources the index does not hold (a learner's own, say): they are
    scored one by one and rank after catalog resources of the same score.
    `statuses(ids)` gives the status of the hits shown ("todo" when absent).
    """
    prepared = Query(query)
    if not prepared.terms:
        return []
    ensure_index(db)
    scored = [
        (score, 0, position, r, matched)
        for score, position, r, matched in _catalog_hits(db, Query(query), limit)
    ]
    for order, resource in enumerate(extra):
        score, matched = prepared.score(index_resource(resource))
        if score > 0:
            scored.append((score, 1, order, resource, matched))
    # Best first; equal scores in path order, own resources after the catalog's.
    scored.sort(key=lambda hit: (-hit[0], hit[1], hit[2]))
    if limit is not None:
        scored = scored[:limit]
    found = statuses([hit[3].id for hit in scored]) if statuses and scored else {}
    return [
        SearchHit(resource, score, found.get(resource.id, "todo"), matched)
        for score, _, _, resource, matched in scored
    ]


def _catalog_hits(db: sqlite3.Connection, prepared: Query, limit: int | None) -> list[Hit]:
    """(score, position, resource, matched) of the catalog's best hits."""
    words = [_matching_words(db, term.text) for term in prepared.terms if not term.cjk]
    # The words found are all the words any term matches: scoring the hits needs no
    # edit distances.
    prepared.know_all(
        {
            (term, word): quality
            for term, matching in zip(prepared.words, words, strict=True)
            for _, word, quality, _ in matching
        }
    )
    lists = [
        _merged(db, term, matching) for term, matching in zip(prepared.words, words, strict=True)
    ]
    return best_hits(db, prepared, lists, limit)


def _merged(
    db: sqlite3.Connection, term: str, matching: list[tuple[int, str, float, int]]
) -> list[tuple[int, str, float, int]]:
    """`matching` with the words `term` begins in place of one list of them all, where
    the index has one (search_prefixes): a short prefix can begin thousands of words,
    each a list to read, and their lists added up cap a resource holding two of them
    (neural, networks) at twice what it scores."""
    if not 2 <= len(term) <= PREFIX_LISTS:
        return matching
    row = db.execute(
        "SELECT list, count FROM search_prefixes WHERE prefix = ?", (term,)
    ).fetchone()
    if row is None:
        return matching
    # Its words all match as prefixes (word_quality): no other quality is PREFIX. The
    # list is no word: "" is never the term, so it never counts as the word a term is.
    kept = [found for found in matching if found[2] != PREFIX]
    return [*kept, (int(row[0]), "", PREFIX, int(row[1]))]


def _matching_words(db: sqlite3.Connection, term: str) -> list[tuple[int, str, float, int]]:
    """(word id, word, quality, resources holding it) of every indexed word that `term`
    matches (word_quality > 0).

    Only words that could match are read: the word itself and those it begins (one
    range of the word index), those containing it (trigrams), and those of about its
    length holding most of its letters (a typo changes a letter or two).
    """
    candidates: dict[int, tuple[str, int]] = {}

    def add(rows: Iterable[tuple[int, str, int]]) -> None:
        candidates.update((word_id, (word, count)) for word_id, word, count in rows)

    add(db.execute("SELECT id, word, count FROM search_words WHERE word = ?", (term,)))
    if len(term) >= 2:
        upper = _after_prefix(term)
        where, params = (
            ("word >= ? AND word < ?", (term, upper)) if upper else ("word >= ?", (term,))
        )
        add(db.execute(f"SELECT id, word, count FROM search_words WHERE {where}", params))
    if len(term) >= 4:
        add(_containing(db, term))
    allowed = typos_allowed(term)
    if allowed:
        letters = sorted(set(term))
        # Each edit takes at most one of the term's letters away.
        need = len(letters) - allowed
        low, high = len(term) - allowed, len(term) + allowed
        if need > 0:
            marks = ", ".join("?" * len(letters))
            add(
                db.execute(
                    "SELECT w.id, w.word, w.count FROM search_words w WHERE w.id IN ("
                    f"  SELECT word FROM search_letters WHERE letter IN ({marks})"
                    "   AND length BETWEEN ? AND ? GROUP BY word HAVING count(*) >= ?)",
                    (*letters, low, high, need),
                )
            )
        else:
            add(
                db.execute(
                    "SELECT id, word, count FROM search_words WHERE length BETWEEN ? AND ?",
                    (low, high),
                )
            )
    found = []
    for word_id, (word, count) in candidates.items():
        quality = word_quality(term, word)
        if quality:
            found.append((word_id, word, quality, count))
    return found


def _after_prefix(prefix: str) -> str | None:
    """A text that sorts after every word starting with `prefix` and before the next
    word that does not (SQLite compares UTF-8 bytes, which keeps code point order)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates cannot be stored: the next is U+E000
        last = 0xE000
    if last > 0x10FFFF:
        return None  # nothing sorts after the last code point: no upper bound
    return prefix[:-1] + chr(last)


def _containing(db: sqlite3.Connection, term: str) -> Iterable[tuple[int, str, int]]:
    try:
        return db.execute(
            "SELECT id, word, count FROM search_words WHERE id IN ("
            " SELECT rowid FROM search_infix WHERE search_infix MATCH ?)",
            ('"' + term.replace('"', '""') + '"',),
        ).fetchall()
    except sqlite3.OperationalError:  # no such table: built where FTS5 was missing
        return db.execute(
            "SELECT id, word, count FROM search_words WHERE instr(word, ?) > 0", (term,)
        ).fetchall()

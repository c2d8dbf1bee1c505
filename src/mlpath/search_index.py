"""Search over the catalog cache: an index built with the cache, read only where it matches.

The catalog cache holds, beside the resources, every word of their searchable fields
(`search_words`), which resource has which word in which field (`search_postings`),
which CJK characters each resource holds (`search_cjk`), and two ways into the words
for a query word that is not spelt as in the catalog: SQLite's FTS5 with its trigram
tokenizer for words that contain it, and the letters of each word by its length for
words a typo or two away. A query reads the words that can match it, their postings,
and the few resources it shows, so its cost follows how much of the catalog it matches
and not how big the catalog is.

The ranking is :mod:`mlpath.search`'s: SQL adds up the same score to choose the best
few, and those are scored again by :class:`mlpath.search.Query`, so hits, scores and
their order are what ranking the whole catalog in Python gives.
"""

from __future__ import annotations

from mlpath import __version__, catalog_cache
from mlpath.catalog import RESOURCE_COLUMNS, RESOURCE_WIDTH, resource_from_row
from mlpath.db import sqlite3
from mlpath.search import (
    ALSO_MATCHED,
    EXACT,
    FIELD_WEIGHTS,
    TAG_IS_QUERY,
    TITLE_COVERAGE,
    TITLE_HAS_PHRASE,
    TITLE_IS_QUERY,
    Indexed,
    Query,
    SearchHit,
    index_cjk,
    index_resource,
    index_words,
    searched_texts,
    typos_allowed,
    word_quality,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from mlpath.catalog import Resource
    from mlpath.catalog_cache import Watch

FIELDS = tuple(FIELD_WEIGHTS)
# The resources columns that hold each field's text, for CJK substring checks.
_FIELD_COLUMNS = (
    "title",
    "title_zh",
    "aliases",
    "tags",
    "title_zh_seed",
    "id",
    "author",
    "author_zh",
    "description",
    "description_zh",
)

SCHEMA = """
CREATE TABLE search_words (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL
);
-- Each distinct letter of each word, by the word's length: the words a typo away from a
-- query word hold most of its letters and are about as long.
CREATE TABLE search_letters (
    letter TEXT NOT NULL,
    length INTEGER NOT NULL,
    word INTEGER NOT NULL,
    PRIMARY KEY (letter, length, word)
) WITHOUT ROWID;
-- `field` numbers FIELD_WEIGHTS in order; `count` is how often the word is in it.
CREATE TABLE search_postings (
    word INTEGER NOT NULL,
    position INTEGER NOT NULL,
    field INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (word, position, field)
) WITHOUT ROWID;
CREATE TABLE search_cjk (
    character TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (character, position)
) WITHOUT ROWID;
-- Per resource (by path position): each field's words, a space between them, and the
-- tags' words, one tag a line; the casefolded Chinese title.
CREATE TABLE search_resources (
    position INTEGER PRIMARY KEY,
    title_words INTEGER NOT NULL,
    title_zh TEXT NOT NULL,
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

_QUERY_SCHEMA = """
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE IF NOT EXISTS search_query_words (
    term INTEGER NOT NULL, word INTEGER NOT NULL, quality REAL NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS search_query_cjk (
    term INTEGER NOT NULL, text TEXT NOT NULL, characters INTEGER NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS search_query_characters (
    term INTEGER NOT NULL, character TEXT NOT NULL
);
DELETE FROM search_query_words;
DELETE FROM search_query_cjk;
DELETE FROM search_query_characters;
"""

# Hits scored again in Python beyond the limit: SQL and Python add the same numbers in
# different orders, so two scores a rounding error apart could swap at the edge.
MARGIN = 3


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
    stamp = f"{catalog_cache.CACHE_FORMAT}|{__version__}|{row[0] if row else ''}"
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
    """
    resources = [
        resource_from_row(row)
        for row in conn.execute(f"SELECT {RESOURCE_COLUMNS} FROM resources ORDER BY position")
    ]
    vocabulary: dict[str, int] = {}
    postings: list[tuple[int, int, int, int]] = []
    cjk: list[tuple[str, int]] = []
    rows: list[tuple[Any, ...]] = []
    for resource in resources:
        position = int(resource.position)  # catalog positions are whole numbers
        texts = searched_texts(resource)
        words = [index_words(text) for text in texts.values()]
        for field, field_words in enumerate(words):
            # Counted in a plain dict (first occurrence first, as Counter would): building
            # a Counter for each of 10 fields of 100,000 resources costs seconds.
            counts: dict[str, int] = {}
            for word in field_words:
                counts[word] = counts.get(word, 0) + 1
            for word, count in counts.items():
                word_id = vocabulary.get(word)
                if word_id is None:
                    word_id = vocabulary[word] = len(vocabulary) + 1
                postings.append((word_id, position, field, count))
        characters = {char for text in texts.values() for run in index_cjk(text) for char in run}
        cjk.extend((char, position) for char in characters)
        tag_phrases = "\n".join(" ".join(index_words(tag)) for tag in resource.tags)
        rows.append(
            (position, len(words[0]), texts["title_zh"], tag_phrases)
            + tuple(" ".join(field_words) for field_words in words)
        )
        tick(1)
    eighth = len(resources) // 8
    conn.executemany(
        "INSERT INTO search_words VALUES (?, ?, ?)",
        [(word_id, word, len(word)) for word, word_id in vocabulary.items()],
    )
    tick(eighth)
    conn.executemany(
        "INSERT INTO search_letters VALUES (?, ?, ?)",
        sorted(
            (letter, len(word), word_id)
            for word, word_id in vocabulary.items()
            for letter in set(word)
        ),
    )
    tick(eighth)
    # In key order: each row goes at the end of its table's b-tree.
    postings.sort()
    cjk.sort()
    quarter = len(postings) // 4 + 1
    for start in range(0, len(postings), quarter):
        insert = "INSERT INTO search_postings VALUES (?, ?, ?, ?)"
        conn.executemany(insert, postings[start : start + quarter])
        tick(eighth)
    conn.executemany("INSERT INTO search_cjk VALUES (?, ?)", cjk)
    conn.executemany(f"INSERT INTO search_resources VALUES ({', '.join('?' * 14)})", rows)
    tick(eighth)
    try:
        conn.execute(INFIX_SCHEMA.replace("TABLE ", f"TABLE {into}"))
    except sqlite3.OperationalError:  # no FTS5, or no trigram tokenizer: words are scanned
        return
    conn.execute("INSERT INTO search_infix (rowid, word) SELECT id, word FROM search_words")
    # One segment: a lookup then reads one b-tree, however many words were added.
    conn.execute("INSERT INTO search_infix (search_infix) VALUES ('optimize')")


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


def _catalog_hits(
    db: sqlite3.Connection, prepared: Query, limit: int | None
) -> list[tuple[float, float, Resource, tuple[str, ...]]]:
    """(score, position, resource, matched) of the catalog's best hits, best first."""
    db.executescript(_QUERY_SCHEMA)
    known: dict[tuple[str, str], float] = {}
    cjk_params: dict[str, Any] = {}
    for index, term in enumerate(prepared.terms):
        if term.cjk:
            characters = set(term.text)
            db.execute(
                "INSERT INTO search_query_cjk VALUES (?, ?, ?)",
                (index, term.text, len(characters)),
            )
            db.executemany(
                "INSERT INTO search_query_characters VALUES (?, ?)",
                [(index, char) for char in characters],
            )
        else:
            matching = _matching_words(db, term.text)
            db.executemany(
                "INSERT INTO search_query_words VALUES (?, ?, ?)",
                [(index, word_id, quality) for word_id, _, quality in matching],
            )
            known.update(((term.text, word), quality) for _, word, quality in matching)
    # The words found are all the words any term matches: scoring the hits again
    # needs no edit distances.
    prepared.know_all(known)
    # The Chinese title's share covered by the CJK terms, as title_coverage counts it.
    covered = " + ".join(
        f"(CASE WHEN instr(s.title_zh, :cjk{i}) > 0 THEN {len(text)} ELSE 0 END)"
        for i, text in enumerate(prepared.cjk)
    )
    cjk_params.update({f"cjk{i}": text for i, text in enumerate(prepared.cjk)})
    chinese = (
        "CASE WHEN s.title_zh = '' THEN 0.0 "
        f"ELSE min(1.0, ({covered}) * 1.0 / length(s.title_zh)) END"
        if covered
        else "0.0"
    )
    fields = ", ".join(f"({i})" for i in range(len(FIELDS)))
    # Each field's weight by its number, in the row: a join would build an index.
    weight = " ".join(f"WHEN {i} THEN {FIELD_WEIGHTS[f]!r}" for i, f in enumerate(FIELDS))
    # CROSS JOIN fixes the order of the loops: what the query matched outside, the
    # catalog's tables looked up by key, never read whole (the temporary tables have no
    # statistics for SQLite to choose by).
    column = " ".join(f"WHEN {i} THEN r.{c}" for i, c in enumerate(_FIELD_COLUMNS))
    sql = f"""
    WITH fields(field) AS (VALUES {fields}),
    cjk_candidates(term, position) AS (
        SELECT c.term, s.position FROM search_query_characters c
        CROSS JOIN search_cjk s ON s.character = c.character
        GROUP BY c.term, s.position
        HAVING count(*) = (SELECT q.characters FROM search_query_cjk q WHERE q.term = c.term)
    ),
    field_scores(position, term, score) AS (
        SELECT p.position, w.term, (CASE p.field {weight} END) * max(w.quality)
        FROM search_query_words w CROSS JOIN search_postings p ON p.word = w.word
        GROUP BY p.position, w.term, p.field
        UNION ALL
        SELECT c.position, c.term, (CASE f.field {weight} END) * {EXACT!r}
        FROM cjk_candidates c CROSS JOIN search_query_cjk q ON q.term = c.term
        CROSS JOIN resources r ON r.position = c.position CROSS JOIN fields f
        WHERE instr(CASE f.field {column} END, q.text) > 0
    ),
    term_scores(position, best, total) AS (
        SELECT position, max(score), sum(score) FROM field_scores GROUP BY position, term
    ),
    matches(position, score, found) AS (
        SELECT position, sum(best + {ALSO_MATCHED!r} * (total - best)), count(*)
        FROM term_scores GROUP BY position
    ),
    english(position, covered) AS (
        SELECT p.position, sum(p.count * w.quality)
        FROM (SELECT word, max(quality) AS quality FROM search_query_words GROUP BY word) w
        CROSS JOIN search_postings p ON p.word = w.word AND p.field = 0
        GROUP BY p.position
    )
    SELECT m.position,
        m.score * (m.found * 1.0 / :terms) * (m.found * 1.0 / :terms)
        + CASE WHEN :phrase = '' THEN 0.0
            WHEN s.words_title = :phrase THEN {TITLE_IS_QUERY!r}
            WHEN :spaced AND instr(' ' || s.words_title || ' ', ' ' || :phrase || ' ') > 0
            THEN {TITLE_HAS_PHRASE!r} ELSE 0.0 END
        + CASE WHEN :spaced AND instr(
            char(10) || s.tag_phrases || char(10), char(10) || :phrase || char(10)) > 0
            THEN {TAG_IS_QUERY!r} ELSE 0.0 END
        + CASE WHEN :joined <> '' AND s.title_zh = :joined THEN {TITLE_IS_QUERY!r} ELSE 0.0 END
        + {TITLE_COVERAGE!r} * max(
            CASE WHEN s.title_words > 0 AND e.covered IS NOT NULL
            THEN e.covered * 1.0 / s.title_words ELSE 0.0 END,
            {chinese}) AS hit_score
    FROM matches m CROSS JOIN search_resources s ON s.position = m.position
    LEFT JOIN english e ON e.position = m.position
    ORDER BY round(hit_score, 9) DESC, m.position
    """
    params: dict[str, Any] = {
        "terms": len(prepared.terms),
        "phrase": prepared.phrase,
        "spaced": " " in prepared.phrase,
        "joined": "".join(prepared.cjk),
        **cjk_params,
    }
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit + MARGIN
    positions = [row[0] for row in db.execute(sql, params)]
    hits = []
    for item in _indexed(db, positions):
        score, matched = prepared.score(item)
        if score > 0:
            hits.append((score, item.resource.position, item.resource, matched))
    return hits


def _matching_words(db: sqlite3.Connection, term: str) -> list[tuple[int, str, float]]:
    """(word id, word, quality) of every indexed word that `term` matches (word_quality > 0).

    Only words that could match are read: the word itself and those it begins (one
    range of the word index), those containing it (trigrams), and those of about its
    length holding most of its letters (a typo changes a letter or two).
    """
    candidates: dict[int, str] = {}

    def add(rows: Iterable[tuple[int, str]]) -> None:
        candidates.update(rows)

    add(db.execute("SELECT id, word FROM search_words WHERE word = ?", (term,)))
    if len(term) >= 2:
        upper = _after_prefix(term)
        where, params = (
            ("word >= ? AND word < ?", (term, upper)) if upper else ("word >= ?", (term,))
        )
        add(db.execute(f"SELECT id, word FROM search_words WHERE {where}", params))
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
                    "SELECT w.id, w.word FROM search_words w WHERE w.id IN ("
                    f"  SELECT word FROM search_letters WHERE letter IN ({marks})"
                    "   AND length BETWEEN ? AND ? GROUP BY word HAVING count(*) >= ?)",
                    (*letters, low, high, need),
                )
            )
        else:
            add(
                db.execute(
                    "SELECT id, word FROM search_words WHERE length BETWEEN ? AND ?",
                    (low, high),
                )
            )
    found = []
    for word_id, word in candidates.items():
        quality = word_quality(term, word)
        if quality:
            found.append((word_id, word, quality))
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


def _containing(db: sqlite3.Connection, term: str) -> Iterable[tuple[int, str]]:
    try:
        return db.execute(
            "SELECT rowid, word FROM search_infix WHERE search_infix MATCH ?",
            ('"' + term.replace('"', '""') + '"',),
        ).fetchall()
    except sqlite3.OperationalError:  # no such table: built where FTS5 was missing
        return db.execute(
            "SELECT id, word FROM search_words WHERE instr(word, ?) > 0", (term,)
        ).fetchall()


_WORD_COLUMNS = ", ".join(f"s.words_{field}" for field in FIELDS)


def _indexed(db: sqlite3.Connection, positions: Sequence[int]) -> list[Indexed]:
    """The resources at these positions, in that order, with their stored words."""
    if not positions:
        return []
    columns = ", ".join(f"r.{c.strip()}" for c in RESOURCE_COLUMNS.split(","))
    rows = {}
    for start in range(0, len(positions), 500):
        batch = positions[start : start + 500]
        for row in db.execute(
            f"SELECT {columns}, s.tag_phrases, {_WORD_COLUMNS} FROM resources r "
            "JOIN search_resources s ON s.position = r.position "
            f"WHERE r.position IN ({', '.join('?' * len(batch))})",
            batch,
        ):
            rows[row[16]] = row
    items = []
    for position in positions:
        row = rows[position]
        resource = resource_from_row(row)
        tag_phrases, words = row[RESOURCE_WIDTH], row[RESOURCE_WIDTH + 1 :]
        items.append(
            Indexed(
                resource=resource,
                texts=searched_texts(resource),
                words={field: text.split() for field, text in zip(FIELDS, words, strict=True)},
                title_phrase=words[0],
                tag_phrases=tuple(tag_phrases.split("\n")) if resource.tags else (),
            )
        )
    return items

"""A query's best hits, read from the search index best first until no resource left
unread could still be one of them.

Every word and CJK character a query matches has a list in the index (built by
:mod:`mlpath.search_index`): the resources holding it, by the most it can add to their
score (`search_ranked`, `search_cjk`), then in path order; so has every exact phrase the
score gives a bonus for (`search_exact`). The lists a query needs are read side by side,
a few rows at a time, and each resource met is scored in full by
:class:`mlpath.search.Query`. How far each list has been read caps what a resource not
met yet could score (Fagin's threshold algorithm): reading stops once that cap is below
the last hit to show, or equal to it where every such resource would come later in the
path. The rows read follow the hits shown, not how many resources match.
"""

from __future__ import annotations

import bisect

from mlpath.catalog import RESOURCE_COLUMNS, RESOURCE_WIDTH, resource_from_row
from mlpath.search import (
    FIELD_WEIGHTS,
    TAG_IS_QUERY,
    TITLE_COVERAGE,
    TITLE_HAS_PHRASE,
    TITLE_IS_QUERY,
    Indexed,
    Query,
    searched_texts,
)
from mlpath.search_bits import bitmaps, cjk_bitmaps, every, possible, together, unions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from mlpath.catalog import Resource
    from mlpath.db import sqlite3

    # (score, position, resource, matched fields) of one hit.
    Hit = tuple[float, int, Resource, tuple[str, ...]]

FIELDS = tuple(FIELD_WEIGHTS)
# What `search_exact` holds by `kind`: each resource's title words, the words of each of
# its tags that has several, its casefolded Chinese title.
TITLE, TAG, TITLE_ZH = 0, 1, 2

# Hits scored beyond the limit: the cap on unread resources and the scores are added up
# in different orders, so two scores a rounding error apart could swap at the edge.
MARGIN = 3
# Rows read from each list at first; each further round reads twice as many.
FIRST_ROWS = 16
# Lists this short are read whole in the first round; the index keeps a bitmap of the
# resources in each longer one (search_index.SCHEMA: search_bits).
SHORT_LIST = FIRST_ROWS
# At most this many resources matching every term are looked for by bitmap: when there
# are more, the lists find the best of them soon enough.
TOGETHER = 256
# Up to this many terms, which sets of them some resource matches are looked up (one
# for each set).
MOST_TERMS = 6
# At most this many rows of a list are read past to find the first one of a resource
# that could match every term (Reading.full_frontier).
FULL_SCAN = 65536
# Scores this close (relative) are taken as equal when comparing them with the cap.
SLACK = 1e-9


class Cursor:
    """One list of the index, read in its order: `value` is the most any row not read
    yet holds (0 once all are read), `position` the last row's, `title_cap` the most of
    a row not read yet that is the title's share, `seen` the positions read."""

    __slots__ = (
        "_below",
        "_pending",
        "_db",
        "_first",
        "_key",
        "_table",
        "_lower",
        "_next",
        "_rest",
        "_fields",
        "_value",
        "bits",
        "done",
        "position",
        "seen",
    )

    def __init__(
        self,
        db: sqlite3.Connection,
        table: str,
        where: str,
        key: tuple[Any, ...],
        title: str,
        rest: str,
        fields: str = "0",
    ) -> None:
        self._db = db
        self._key = key
        self._first, self._next, self._lower = _statements(table, where, title, rest, fields)
        self._table = (table, where)
        self._value = 0.0
        self._below: float | None = None  # lower(), since the last read
        self._pending: list[tuple[float, int, float, float, float]] | None = None
        self._rest = 1.0
        self._fields = float("inf")
        self.done = False
        self.position = -1
        self.seen: list[int] = []
        # Which resources hold the word (bit p of byte p // 8), where the index has it.
        self.bits: bytes | None = None

    @property
    def value(self) -> float:
        return 0.0 if self.done else self._value

    @property
    def title_cap(self) -> float:
        # The rows not read yet come after the last one read: its `rest` covers them.
        return 0.0 if self.done else TITLE_COVERAGE * self._rest

    @property
    def fields_cap(self) -> float:
        """The most a row not read yet holds besides the title's share, where the list
        keeps it (a CJK character's: see search_index.SCHEMA, search_cjk)."""
        return 0.0 if self.done else self._fields

    def take(self, found: list[tuple[float, int, float, float, float]]) -> None:
        """All the list's rows, read with others': the next read gives them."""
        self._pending = found

    def read(self, rows: int) -> list[tuple[float, int, float]]:
        """The next `rows` rows (all that are left when -1): (value, position, the
        part of the value that is the title's share)."""
        if self._pending is not None:
            found, self._pending = self._pending, None
            self.done = True
        elif self.position < 0:
            found = self._db.execute(self._first, (*self._key, rows)).fetchall()
        else:
            after = (-self._value, self.position, rows)
            found = self._db.execute(self._next, (*self._key, *after)).fetchall()
        if found:
            rank, self.position, _, self._rest, fields = found[-1]
            if fields:
                self._fields = fields
            self._value = -rank
        if rows < 0 or len(found) < rows:
            self.done = True
        else:
            # Asked for at once rather than when a cap needs it: which caps need it
            # depends on which resources hold the word, and the statements a search
            # runs should not.
            row = self._db.execute(self._lower, (*self._key, -self._value)).fetchone()
            self._below = 0.0 if row is None else -float(row[0])
        self.seen += [row[1] for row in found]
        return [(-rank, position, TITLE_COVERAGE * title) for rank, position, title, *_ in found]

    def lower(self) -> float:
        """The most a row holds that holds less than the last one read (0 if none)."""
        return 0.0 if self.done or self._below is None else self._below


_STATEMENTS: dict[tuple[str, ...], tuple[str, str, str]] = {}


def _statements(
    table: str, where: str, title: str, rest: str, fields: str
) -> tuple[str, str, str]:
    """A list's first read, next reads and lower(): the same for every word's list, and
    a query can match hundreds of words."""
    found = _STATEMENTS.get((table, where, title, rest, fields))
    if found is None:
        base = f"SELECT rank, position, {title}, {rest}, {fields} FROM {table} WHERE {where}"
        found = _STATEMENTS[(table, where, title, rest, fields)] = (
            f"{base} ORDER BY rank, position LIMIT ?",
            f"{base} AND (rank, position) > (?, ?) ORDER BY rank, position LIMIT ?",
            f"SELECT rank FROM {table} WHERE {where} AND rank > ? ORDER BY rank LIMIT 1",
        )
    return found


# What a resource was read with: per list, its row's value and the title's share in it.
Known = dict[Cursor, tuple[float, float]]
# The same as (list number, value, title's share), in list order.
Rows = tuple[tuple[int, float, float], ...]
# Resources alike: read with the same rows, holding the words of the same lists with a
# bitmap (bit i for Reading.mapped[i]), and matching every term or not (if that is known).
Kind = tuple[Rows, int, bool]


class Cap:
    """What a resource could score at most, given what it holds in each list: its rows
    where they were read, at most the list's `frontier` value where not.

    The score (mlpath.search.Query.score) is bounded term by term: a word's row holds
    what the word's fields add up to for a whole-word match plus its share of the title
    (see search_index.fill_index), and a term matching several words scores at most the
    sum over them times their qualities; a CJK term at most what its rarest character's
    fields add up to. The bonuses count only where a list could still hold them.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        prepared: Query,
        words: Sequence[Sequence[tuple[int, str, float, int]]],
    ) -> None:
        lists: dict[tuple[Any, ...], Cursor] = {}

        def cursor(table: str, where: str, key: tuple[Any, ...], ranked: bool = False) -> Cursor:
            found = lists.get((table, *key))
            if found is None:
                title, rest = ("title", "rest") if ranked else ("0", "0")
                fields = "fields" if table == "search_cjk" else "0"
                found = lists[(table, *key)] = Cursor(db, table, where, key, title, rest, fields)
            return found

        english = iter(words)
        short: dict[int, Cursor] = {}
        # The lists of words held by more than SHORT_LIST resources, by word id.
        self.long: dict[int, Cursor] = {}
        self.english: list[list[tuple[Cursor, float]]] = []
        # Per English term, the list of the word it is (None if no resource has it).
        self.exact: list[Cursor | None] = []
        self.cjk: list[list[Cursor]] = []
        self.cjk_lengths: list[int] = []  # of each CJK term
        # Per English term, (word id, list) of each word it matches.
        self.word_ids: list[list[tuple[int, Cursor]]] = []
        for term in prepared.terms:
            if term.cjk:
                characters = sorted(set(term.text))
                self.cjk.append(
                    [cursor("search_cjk", "character = ?", (c,), ranked=True) for c in characters]
                )
                self.cjk_lengths.append(len(term.text))
                continue
            matching = next(english)
            lists_of = {
                w: cursor("search_ranked", "word = ?", (w,), ranked=True)
                for w, _, _, _ in matching
            }
            self.english.append([(lists_of[w], q) for w, _, q, _ in matching])
            for w, _, _, count in matching:
                (short if count <= SHORT_LIST else self.long)[w] = lists_of[w]
            self.word_ids.append([(w, lists_of[w]) for w in lists_of])
            same = [lists_of[w] for w, word, _, _ in matching if word == term.text]
            self.exact.append(same[0] if same else None)
        self.terms = len(prepared.terms)
        self.spaced = " " in prepared.phrase
        exact = "kind = ? AND text = ?"
        phrase = prepared.phrase
        self.title = cursor("search_exact", exact, (TITLE, phrase)) if phrase else None
        self.tag = cursor("search_exact", exact, (TAG, phrase)) if self.spaced else None
        joined = "".join(prepared.cjk)
        self.title_zh = cursor("search_exact", exact, (TITLE_ZH, joined)) if joined else None
        self.cursors = list(lists.values())
        # Each word's list, with the terms it counts for and how well it matches them.
        self._terms_of: dict[Cursor, list[tuple[int, float]]] = {}
        for number, term_words in enumerate(self.english):
            for c, quality in term_words:
                self._terms_of.setdefault(c, []).append((number, quality))
        self.live = self.english
        self.unfinished = self.cursors
        # The sets of terms, short of all, that some resource matches (term numbers),
        # once known: a resource not matching all is capped as matching one of them.
        self.possible: list[tuple[int, ...]] | None = None
        _read_short(db, short)

    def terms_of(self, c: Cursor) -> list[tuple[int, float]]:
        """The (term number, quality) pairs list `c` counts for (none if not a word's)."""
        return self._terms_of.get(c, [])

    def refresh(self) -> None:
        """Take note of the lists read to the end."""
        self.live = [[(c, q) for c, q in term if not c.done] for term in self.live]
        self.unfinished = [c for c in self.unfinished if not c.done]

    def most(
        self, known: Known, frontier: Callable[[Cursor], float], apart: bool = False
    ) -> float:
        """The most a resource scores that holds `known` rows, and at most
        `frontier(list)` in each other list; if `apart`, one that does not match every
        term (there are English terms only)."""

        def value(c: Cursor) -> float:
            row = known.get(c)
            return row[0] if row is not None else frontier(c)

        terms = len(self.english)
        totals = [0.0] * terms
        # Per term: what its rows known hold besides the title's share, and that share;
        # what its other lists could hold, and how much of that could be the title's.
        fixed, covered, free, titled = ([0.0] * terms for _ in range(4))
        for c, (v, t) in known.items():
            for term, quality in self._terms_of.get(c, ()):
                fixed[term] += quality * (v - t)
                covered[term] += quality * t
                totals[term] += quality * v
        # Terms a resource is known to match: only the others can be the one it lacks.
        held = [total > 0 for total in totals]
        for term, term_words in enumerate(self.live):
            for c, quality in term_words:
                if c not in known:
                    most = frontier(c)
                    free[term] += quality * most
                    titled[term] += quality * min(most, c.title_cap)
                    totals[term] += quality * most
        # Per CJK term found: the most its rarest character's row holds, its length, and
        # the most of that row that is the title's share. A term in the Chinese title
        # covers its length over the title's, and each of its characters' rows holds one
        # over the title's length: a term of several characters can cover more of the
        # title than its rows' share, and what a row holds besides that share is what its
        # fields add up to. Where the shares add up to more than the coverage can be,
        # it is taken whole and the rows' values as they are.
        # Per CJK term a resource can hold: what its fields add up to at most, and how
        # much of the Chinese title it covers, in the two cases where the bound is
        # highest (the same where what the resource holds of it is known); and the
        # most its fields could add up to in any case. A term in the Chinese title
        # covers its length over the title's, and each of its characters' rows holds
        # one over the title's length (the share) besides what its fields add up to.
        zh_parts: list[tuple[float, float, float, float, float] | None] = []
        for length, characters in zip(self.cjk_lengths, self.cjk, strict=True):
            if min(value(c) for c in characters) <= 0:
                zh_parts.append(None)
                continue
            rows = [known.get(c) for c in characters]
            read = [row for row in rows if row is not None]
            if read:
                share = min(t for _, t in read)
                fields = max(
                    0.0,
                    min(
                        row[0] - row[1] if row is not None else frontier(c) - share
                        for c, row in zip(characters, rows, strict=True)
                    ),
                )
                covers = length * share
                zh_parts.append((fields, covers, fields, covers, fields))
                continue
            # Rows not read: a row holds at most `rarest`, of which at most `share` is
            # the share, and at most what the lists keep besides (`most`). Taking the
            # share as x, the bound rises with x up to rarest - most, then is convex:
            # it is highest there or at the most x can be.
            rarest = min(frontier(c) for c in characters)
            share = min(rarest, *(_title_part(c, known, frontier) for c in characters))
            most = min(c.fields_cap for c in characters)
            low = min(share, max(0.0, rarest - most))
            zh_parts.append(
                (
                    min(rarest - low, most),
                    length * low,
                    min(rarest - share, most),
                    length * share,
                    min(rarest, most),
                )
            )
        english_bonus = 0.0
        if self.title is not None:
            title = TITLE_IS_QUERY if value(self.title) > 0 else 0.0
            # A title holding the phrase holds each of its words.
            if self.spaced and all(
                c is not None and _in_title(c, known, frontier) for c in self.exact
            ):
                title = max(title, TITLE_HAS_PHRASE)
            english_bonus += title
        if self.tag is not None and value(self.tag) > 0:
            english_bonus += TAG_IS_QUERY
        zh_title = 0.0
        if self.title_zh is not None and value(self.title_zh) > 0:
            zh_title = TITLE_IS_QUERY

        def terms_but(lacking: int) -> list[int]:
            return [term for term in range(terms) if term != lacking]

        def chinese_but(lacking: int | None) -> tuple[int, float, float, float, float, float]:
            """The CJK terms found but `lacking`: how many; in the two cases, what their
            fields add up to and the Chinese title they cover; what their fields add
            up to at most."""
            parts = [p for k, p in enumerate(zh_parts) if p is not None and k != lacking]
            sums = [sum(p[i] for p in parts) for i in range(5)]
            return len(parts), sums[0], sums[1], sums[2], sums[3], sums[4]

        def most_with(kept: Sequence[int], bonus: float, zh_lacking: int | None = None) -> float:
            found_zh, low, low_covers, high, high_covers, most = chinese_but(zh_lacking)
            found = found_zh + sum(totals[term] > 0 for term in kept)
            if not found:
                return 0.0
            # The title's share (all of it at most) is not scaled down for a partial
            # match: what is not known of it is taken to be as much of the unread values
            # as can be the title's.
            share = (found / self.terms) ** 2
            title = sum(covered[term] for term in kept)
            room = max(0.0, min(TITLE_COVERAGE - title, sum(titled[term] for term in kept)))
            rest = share * (sum(fixed[term] + free[term] for term in kept) - room)
            english = min(TITLE_COVERAGE, title + room)
            # Title coverage is the English or the Chinese, whichever is more. Over the
            # shares of the terms' rows not read, the bound is highest where each is
            # in one of its two cases; the one case for all or the other for all bounds
            # the mixes (a term's fields lose less than its coverage gains).
            if high_covers > TITLE_COVERAGE:
                return rest + share * most + TITLE_COVERAGE + bonus
            return (
                rest
                + max(
                    share * low + max(english, low_covers),
                    share * high + max(english, high_covers),
                )
                + bonus
            )

        if not apart:
            return most_with(range(terms), english_bonus + zh_title)
        # The bonuses are the whole query's: the title or a tag holding every word of the
        # phrase holds each English term, a Chinese title that is the query's Chinese
        # each CJK term.
        if self.possible is not None:  # English terms only
            need = [term for term in range(terms) if held[term]]
            return max(
                (
                    most_with(kept, 0.0)
                    for kept in self.possible
                    if all(term in kept for term in need)
                ),
                default=0.0,
            )
        options = [most_with(terms_but(term), zh_title) for term in range(terms) if not held[term]]
        # Holding all of a CJK term's characters is not holding the term.
        options += [
            most_with(range(terms), english_bonus, k)
            for k, part in enumerate(zh_parts)
            if part is not None
        ]
        if None in zh_parts:
            options.append(most_with(range(terms), english_bonus))
        if not options:
            return most_with(range(terms), english_bonus + zh_title)
        return max(options)

    def shuts_out(self, score: float, position: int, apart: bool = False) -> bool:
        """Whether no resource left unread can rank before a hit of `score` at
        `position` (if `apart`, none of them matches every term)."""
        most = self.most({}, lambda c: c.value, apart)
        if below(most, score):
            return True
        if not at_most(most, score):
            return False
        # Unread resources can at most tie, and rank after the hit if later in the path.
        # One earlier in the path is, in each list read past `position`, below the row
        # read last (lists are in path order among equal values).
        return below(
            self.most({}, lambda c: c.value if c.position < position else c.lower(), apart),
            score,
        )


def _read_short(db: sqlite3.Connection, lists: dict[int, Cursor]) -> None:
    """Read whole, a statement for many, the lists of words held by few resources: a
    query word can match hundreds (a prefix of numbers), each a list of a row or two."""
    short = list(lists)
    if len(short) < 2:
        return  # as cheap read on its own
    rows: dict[int, list[tuple[float, int, float, float, float]]] = {word: [] for word in short}
    for start in range(0, len(short), 500):
        batch = short[start : start + 500]
        marks = ", ".join("?" * len(batch))
        for word, rank, position, title, rest in db.execute(
            "SELECT word, rank, position, title, rest FROM search_ranked "
            f"WHERE word IN ({marks}) ORDER BY word, rank, position",
            batch,
        ):
            rows[word].append((rank, position, title, rest, 0.0))
    for word, found in rows.items():
        lists[word].take(found)


def _frontier(here: int, absent: set[Cursor]) -> Callable[[Cursor], float]:
    """The most a resource at path position `here` holds in each list it was not met in:
    nothing in those `absent` (their bitmaps say so); below the row read last in a list
    read past it (lists are in path order among equal values)."""

    def frontier(c: Cursor) -> float:
        if c in absent:
            return 0.0
        return c.value if c.position < here else c.lower()

    return frontier


def _title_part(c: Cursor, known: Known, frontier: Callable[[Cursor], float]) -> float:
    """The most of a resource's row in list `c` that is the title's share."""
    row = known.get(c)
    if row is not None:
        return row[1]
    return c.title_cap if frontier(c) > 0 else 0.0


def _in_title(c: Cursor, known: Known, frontier: Callable[[Cursor], float]) -> bool:
    """Whether a resource could hold the word of list `c` in its title."""
    row = known.get(c)
    if row is not None:
        return row[1] > 0
    return c.title_cap > 0 and frontier(c) >= FIELD_WEIGHTS["title"]


def _holds(bits: bytes, position: int) -> bool:
    byte = position >> 3
    return byte < len(bits) and bool(bits[byte] >> (position & 7) & 1)


def below(most: float, score: float) -> bool:
    """Whether `most` is less than `score`, more than rounding errors apart."""
    return most + SLACK * max(1.0, abs(score)) < score


def at_most(most: float, score: float) -> bool:
    """Whether `most` is no more than `score`, give or take rounding errors."""
    return most <= score + SLACK * max(1.0, abs(score))


class Reading:
    """The lists of one query read round by round, and the resources met in them: scored
    when they could be hits, dropped when they cannot."""

    def __init__(self, db: sqlite3.Connection, prepared: Query, cap: Cap, wanted: int | None):
        self.db = db
        self.prepared = prepared
        self.cap = cap
        self.wanted = wanted
        self._number = {c: i for i, c in enumerate(cap.cursors)}
        # The list each number in `met` stands for. A list read whole at once, of a word
        # that only counts for its terms (not the word a term is), stands for every such
        # list of the same terms and qualities: a term matching hundreds of words (a
        # prefix of numbers) then leaves resources read with few kinds of rows, each
        # kind capped once.
        self._lists = list(cap.cursors)
        self._alike: dict[tuple[tuple[int, float], ...], int] = {}
        self._merged: set[Cursor] = {c for c in cap.exact if c is not None}
        # Resources met, not yet scored, by the rows read of them: (list number, value,
        # title's share) in list order. Those read with the same rows have the same cap,
        # worked out once for them all.
        self.met: dict[int, Kind] = {}
        # Each kind's resources as the keys of a dict: in the order met, which is mostly
        # path order, so putting them in path order is quick however many there are.
        self.groups: dict[Kind, dict[int, None]] = {}
        self.settled: set[int] = set()  # scored or dropped
        self.hits: list[Hit] = []
        # The resources matching every term, once known (see look_up_bits): all met, so
        # that no other one matches every term.
        self.together: set[int] | None = None
        # Which resources could match every term (bit p of byte p // 8), when there are
        # too many to meet (see find_together); every one of them earlier in the path
        # than `met_before` has been met.
        self.every: bytes | None = None
        self.met_before = -1
        # Per list, what full_frontier() found, and the read it holds for.
        self._full: dict[Cursor, tuple[tuple[int, float], float]] = {}
        self._every_text = ""
        # The lists whose bitmap says which resources hold their word, and the bitmaps.
        self.mapped: list[Cursor] = []
        self._maps: list[bytes] = []

    def read(self, rows: int) -> None:
        for cursor in self.cap.cursors:
            if cursor.done:
                continue
            number = self._number[cursor]
            whole = cursor.position < 0
            found = cursor.read(rows)
            terms = self.cap.terms_of(cursor)
            if whole and cursor.done and terms and cursor not in self._merged:
                number = self._alike.setdefault(tuple(terms), len(self._lists))
                if number == len(self._lists):
                    self._lists.append(cursor)
            for value, position, title in found:
                if position in self.settled:
                    continue
                kind = self.met.get(position)
                if kind is None:
                    kind = ((), *self._alike_in(position))
                else:
                    del self.groups[kind][position]
                before = kind[0]
                row = (number, value, title)
                after = (tuple(sorted((*before, row))) if before else (row,), kind[1], kind[2])
                self.met[position] = after
                self.groups.setdefault(after, {})[position] = None
        self.cap.refresh()

    def _alike_in(self, position: int) -> tuple[int, bool]:
        """Which lists of `mapped` hold a resource, and whether it is known not to match
        every term."""
        if self.together is not None:
            apart = position not in self.together
        else:
            apart = self.every is not None and not _holds(self.every, position)
        if not self._maps:
            return 0, apart
        byte, bit = position >> 3, 1 << (position & 7)
        holds = 0
        for i, bits in enumerate(self._maps):
            if byte < len(bits) and bits[byte] & bit:
                holds |= 1 << i
        return holds, apart

    def look_up_bits(self) -> None:
        """Take the bitmaps of the long lists (before they are read): a resource met is
        then known to hold nothing in those lists without its word."""
        found = bitmaps(self.db, list(self.cap.long))
        characters = {c._key[0]: c for term in self.cap.cjk for c in term}
        zh = cjk_bitmaps(self.db, list(characters))
        for c, bits in [
            *((self.cap.long[word], bits) for word, bits in found.items()),
            *((characters[char], bits) for char, bits in zh.items()),
        ]:
            c.bits = bits
            # A word most resources hold seldom lowers a cap: not worth a look at each
            # resource's bit.
            if int.from_bytes(bits, "little").bit_count() * 2 <= len(bits) * 8:
                self.mapped.append(c)
                self._maps.append(bits)

    def find_together(self) -> None:
        """Meet the resources that match every term, when there are few (once the short
        lists are read). The rest can be capped as partial matches, which score far
        less: without that, a query whose words are never found together reads a list to
        its end before it is sure of it."""
        if len(self.cap.english) + len(self.cap.cjk) < 2:
            return
        lists = [[c for _, c in term] for term in self.cap.word_ids]
        if any(c.bits is None and not c.done for term in lists + self.cap.cjk for c in term):
            return  # a list neither in the index's bitmaps nor read whole
        held = unions([[(c.seen, c.bits) for c in term] for term in lists])
        # A CJK term is found where all its characters are.
        held += [every([(c.seen, c.bits) for c in term]) for term in self.cap.cjk]
        found = together(held, TOGETHER)
        if found is None:
            candidates = -1
            for union in held:
                candidates &= union
            self.every = candidates.to_bytes(candidates.bit_length() // 8 + 1, "little")
            # "1" at each of them, "0" elsewhere: character p for position p.
            self._every_text = bin(candidates)[:1:-1]
            self._sort_again()
            return
        self.together = found
        if len(held) <= MOST_TERMS and not self.cap.cjk:
            self.cap.possible = possible(held)
        for position in found - self.settled - self.met.keys():
            self.met[position] = ((), 0, False)
        self._sort_again()

    def full_frontier(self, c: Cursor) -> float:
        """The most a row of list `c` not read yet holds for a resource that could match
        every term (`every`): the lists' heads are often of resources holding one word
        of the query and not the others (a word every title of a topic holds)."""
        if c.done or c.bits is None or self.every is None:
            return c.value
        state = (c.position, c.value)
        known = self._full.get(c)
        if known is not None and known[0] == state:
            return known[1]
        found = self._first_held(c)
        self._full[c] = (state, found)
        return found

    def _first_held(self, c: Cursor) -> float:
        """The value of the first row of `c` after those read that `every` holds (0 if
        none); past FULL_SCAN rows, of the rows looked at last (they bound those after).

        A list holds its rows of one value in path order: they are looked at a span of
        positions at a time, each span's positions as one text (a row at a time through
        Python costs several times what SQLite takes to find it)."""
        table, where = c._table
        last = f"SELECT max(position) FROM {table} WHERE {where} AND rank = ?"
        span = (
            f"SELECT group_concat(position), count(*) FROM {table} "
            f"WHERE {where} AND rank = ? AND position > ? AND position <= ?"
        )
        after = f"SELECT rank FROM {table} WHERE {where} AND rank > ? ORDER BY rank LIMIT 1"
        rank, position = -c.value, c.position
        looked = 0
        while True:
            end = self.db.execute(last, (*c._key, rank)).fetchone()[0]
            width = 256
            while end is not None and position < end:
                upper = min(position + width, end)
                text, count = self.db.execute(span, (*c._key, rank, position, upper)).fetchone()
                if count and self._any_held(text):
                    return -rank
                looked += count
                if looked >= FULL_SCAN:
                    return -rank
                position, width = upper, width * 4
            row = self.db.execute(after, (*c._key, rank)).fetchone()
            if row is None:
                return 0.0
            rank, position = float(row[0]), -1

    def _any_held(self, text: str) -> bool:
        """Whether `every` holds one of the positions of `text` (separated by commas)."""
        from operator import itemgetter  # only here: its import costs most searches more

        positions = list(map(int, text.split(",")))
        if max(positions) >= len(self._every_text):
            self._every_text = self._every_text.ljust(max(positions) + 1, "0")
        # One character a position, picked out in C rather than tested one by one.
        return "1" in itemgetter(*positions, -1)(self._every_text)[:-1]

    def meet_before(self, position: int) -> None:
        """Meet every resource earlier in the path than `position` that could match
        every term, when they are few: resources scoring as much as the last hit rank
        after it if later in the path, so none unread then can come before it."""
        if self.every is None or position <= self.met_before:
            return
        head = self.every[: position // 8 + 1]
        below = int.from_bytes(head, "little") & ((1 << position) - 1)
        if below.bit_count() > TOGETHER:
            return
        while below:
            lowest = below & -below
            found = lowest.bit_length() - 1
            below ^= lowest
            if found not in self.settled and found not in self.met:
                kind = self.met[found] = ((), *self._alike_in(found))
                self.groups.setdefault(kind, {})[found] = None
        self.met_before = position

    def shuts_out(self, score: float, position: int, apart: bool) -> bool:
        """Whether no resource left unread can rank before a hit of `score` at
        `position` (Cap.shuts_out), bounding apart those that could match every term
        (`every`), where that is known: in each list, by the first row of one of them
        not read yet, and none if met (meet_before)."""
        cap = self.cap
        if cap.shuts_out(score, position, apart):
            return True
        if apart or self.every is None:
            return False

        def value(c: Cursor) -> float:
            return c.value

        most = max(cap.most({}, value, True), cap.most({}, self.full_frontier))
        if below(most, score):
            return True
        if not at_most(most, score):
            return False

        def earlier(c: Cursor) -> float:
            return c.value if c.position < position else c.lower()

        def earlier_full(c: Cursor) -> float:
            return min(earlier(c), self.full_frontier(c))

        most = cap.most({}, earlier, True)
        if position > self.met_before:
            most = max(most, cap.most({}, earlier_full))
        return below(most, score)

    def _sort_again(self) -> None:
        """The resources met so far, each with its kind now that `together` is known."""
        self.groups = {}
        for position, (rows, _, _) in self.met.items():
            kind = self.met[position] = (rows, *self._alike_in(position))
            self.groups.setdefault(kind, {})[position] = None

    def last(self) -> tuple[float, int] | None:
        """The score and position of the last hit wanted, once there are that many."""
        if self.wanted is None or len(self.hits) < self.wanted:
            return None
        hit = self.hits[self.wanted - 1]
        return hit[0], hit[1]

    def score(self, batch: int, floor: float | None = None, most: int = 0) -> list[int]:
        """Score up to `batch` of the resources met that could score best, and then up to
        `most` in all of those that could score `floor` or more; drop those that cannot
        be hits. The positions scored."""
        last = self.last()
        best: list[tuple[float, int, list[int]]] = []
        for kind, group in list(self.groups.items()):
            for cap, positions in self._caps(kind, group):
                if last is not None:
                    if below(cap, last[0]):
                        self._drop(group, positions)
                        continue
                    if at_most(cap, last[0]):
                        # At most a tie: only those earlier in the path rank before it.
                        later = [p for p in positions if p > last[1]]
                        self._drop(group, later)
                        positions = positions[: len(positions) - len(later)]
                if positions:
                    best.append((-cap, positions[0], positions))
            if not group:
                del self.groups[kind]
        best.sort()
        chosen: list[int] = []
        for minus, _, positions in best:
            if len(chosen) >= batch and (
                floor is None or len(chosen) >= most or below(-minus, floor)
            ):
                break
            chosen += positions[: max(batch, most) - len(chosen)]
        self._score(chosen)
        return chosen

    def _caps(self, kind: Kind, group: dict[int, None]) -> list[tuple[float, list[int]]]:
        """The caps of the resources of a `kind`, each with those it holds for (in path
        order).

        In a list that was read past a resource without meeting it, the resource holds
        less than the last row read (lists are in path order among equal values), so
        the cap depends on where in the path it is, between the lists' last positions.
        """
        rows, holds, apart = kind
        known: Known = {}
        for number, v, t in rows:
            c = self._lists[number]
            # A resource holding two words of lists merged: each adds to the term, as
            # two lists of its own would.
            before = known.get(c)
            known[c] = (v, t) if before is None else (before[0] + v, before[1] + t)
        unread = [c for c in self.cap.unfinished if c not in known]
        cuts = sorted({c.position for c in unread})
        absent = {c for i, c in enumerate(self.mapped) if not holds >> i & 1 and not c.done}
        positions = sorted(group)
        found = []
        start = 0
        for cut in [*cuts, None]:
            end = len(positions) if cut is None else bisect.bisect_left(positions, cut, start)
            if end > start:
                frontier = _frontier(positions[start], absent)
                found.append((self.cap.most(known, frontier, apart), positions[start:end]))
            start = end
        return found

    def settle(self, batch: int) -> None:
        """Score every resource met that could still be a hit, best first."""
        while self.score(batch):
            batch *= 2

    def _drop(self, group: dict[int, None], positions: list[int]) -> None:
        for position in positions:
            del group[position]
        for position in positions:
            del self.met[position]
        self.settled.update(positions)

    def _score(self, positions: list[int]) -> None:
        for position in positions:
            del self.groups[self.met.pop(position)][position]
            self.settled.add(position)
        for item in indexed(self.db, positions):
            score, matched = self.prepared.score(item)
            if score > 0:
                self.hits.append((score, int(item.resource.position), item.resource, matched))
        self.hits.sort(key=lambda hit: (-hit[0], hit[1]))
        if self.wanted is not None:
            del self.hits[self.wanted :]  # a resource scored later can push these out only


def best_hits(
    db: sqlite3.Connection,
    prepared: Query,
    words: Sequence[Sequence[tuple[int, str, float, int]]],
    limit: int | None,
) -> list[Hit]:
    """The best `limit` (and MARGIN more) catalog hits of `prepared`, every hit if None.

    `words` are (word id, word, quality) of what each English term matches, in term order.
    """
    cap = Cap(db, prepared, words)
    wanted = None if limit is None else limit + MARGIN
    reading = Reading(db, prepared, cap, wanted)
    if wanted is None:
        reading.read(-1)
        reading.settle(FIRST_ROWS)
        return reading.hits
    rows = max(FIRST_ROWS, wanted)
    reading.look_up_bits()
    reading.read(rows)
    reading.find_together()
    apart = reading.together is not None
    while True:
        # The best of those met first: the last hit's score rises, and more can be dropped.
        # Those that could score as much as any resource not read yet are scored as well
        # (as many as a list's rows this round): reading on cannot tell more of them, when
        # the lists they are not met in hold a run of rows of one value (a word in every
        # title) that the round does not get past.
        reading.score(wanted, cap.most({}, lambda c: c.value, apart), rows)
        last = reading.last()
        if last is not None:
            reading.meet_before(last[1])
        if all(c.done for c in cap.cursors) or (
            last is not None and reading.shuts_out(*last, apart)
        ):
            reading.settle(wanted)
            return reading.hits
        rows *= 2
        reading.read(rows)


_WORD_COLUMNS = ", ".join(f"s.words_{field}" for field in FIELDS)


def indexed(db: sqlite3.Connection, positions: Sequence[int]) -> list[Indexed]:
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

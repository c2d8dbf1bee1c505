"""Finding resources: ranked, typo-tolerant search over the catalog.

Pure functions over :class:`~mlpath.catalog.Resource` records: no typer, no rich, no I/O.
"""

from __future__ import annotations

import re

from mlpath.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from mlpath.catalog import Resource

# The fields a query is matched against, in the order `matched` lists them, with how
# much a whole-word match in each is worth. A title word says the most about what a
# resource is, and an alias is another name for it (花书 for the Deep Learning book);
# tags are curated keywords, so they count nearly as much; the translation's own wording
# of a title is often a phrase around the name; a description mentions many things in
# passing.
FIELD_WEIGHTS: dict[str, float] = {
    "title": 10.0,
    "title_zh": 10.0,
    "aliases": 10.0,
    "tags": 9.0,
    "title_zh_seed": 7.0,
    "id": 6.0,
    "author": 6.0,
    "author_zh": 6.0,
    "description": 3.0,
    "description_zh": 3.0,
}

# How much of a field's weight each kind of word match earns.
EXACT = 1.0
PREFIX = 0.7
INFIX = 0.5
TYPO_1 = 0.6
TYPO_2 = 0.4

# Each further field a term matches adds this share of its score: a word in the
# title *and* the tags marks a resource as more about it than the title alone.
ALSO_MATCHED = 0.25

# Bonuses for the query as a whole: the title is the query, contains it as a phrase,
# or a tag is the phrase ("neural networks" and the tag neural-networks).
TITLE_IS_QUERY = 10.0
TITLE_HAS_PHRASE = 5.0
TAG_IS_QUERY = 5.0
# Up to this much for how much of the title the query covers: "Learn Python" is more
# about python than a fourteen-word title that mentions it.
TITLE_COVERAGE = 4.0

# Words too common to rank by; ignored unless the query has nothing else.
STOPWORDS = frozenset(
    "a an and are as at by for from how in into is of on or the to what with".split()
)

_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
# Runs of CJK characters (matched by substring: Chinese has no spaces between words)
# or runs of other letters and digits (matched word by word).
_TOKEN = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>[^\\W_{_CJK}]+)")


class Term(Record):
    __slots__ = ("cjk", "text")

    def __init__(self, text: str, cjk: bool) -> None:
        self.text = text
        self.cjk = cjk


def query_terms(query: str) -> list[Term]:
    """The terms a query is searched by: lower-cased words and CJK runs, stopwords dropped."""
    terms = [Term(m.group(), cjk=m.lastgroup == "cjk") for m in _TOKEN.finditer(query.casefold())]
    meaningful = [t for t in terms if t.cjk or t.text not in STOPWORDS]
    return meaningful or terms


def _words(text: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(text.casefold()) if m.lastgroup == "word"]


def typo_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b; limit+1 if more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _typos_allowed(term: str) -> int:
    # Short words have too many near neighbours to guess at ("mit", "ml", "r").
    if len(term) <= 3:
        return 0
    return 1 if len(term) <= 5 else 2


def word_quality(term: str, word: str) -> float:
    """How well one query word matches one word of a field (0 to 1)."""
    if word == term:
        return EXACT
    if len(term) >= 2 and word.startswith(term):
        return PREFIX
    if len(term) >= 4 and term in word:
        return INFIX
    allowed = _typos_allowed(term)
    # Each edit brings in (or removes) at most one letter: a cheap test that rules out
    # most words before the edit distance is counted.
    if allowed and len(set(term) ^ set(word)) <= 2 * allowed:
        distance = typo_distance(term, word, allowed)
        if distance <= allowed:
            return TYPO_1 if distance == 1 else TYPO_2
    return 0.0


class _Indexed:
    """A resource's searchable text, normalised once per search: per field, casefolded
    text (for CJK substring matches) and words (for word matches)."""

    __slots__ = ("resource", "tag_phrases", "texts", "title_phrase", "words")

    def __init__(
        self,
        resource: Resource,
        texts: dict[str, str],
        words: dict[str, list[str]],
        title_phrase: str,
        tag_phrases: tuple[str, ...],
    ) -> None:
        self.resource = resource
        self.texts = texts
        self.words = words
        self.title_phrase = title_phrase
        self.tag_phrases = tag_phrases


def _index(resource: Resource) -> _Indexed:
    texts = {
        "title": resource.title,
        "title_zh": resource.title_zh or "",
        # One alias a line: a phrase match never runs from one alias into the next.
        "aliases": "\n".join(resource.aliases),
        "tags": " ".join(resource.tags),
        "title_zh_seed": resource.title_zh_seed or "",
        "id": resource.id,
        "author": resource.author or "",
        "author_zh": resource.author_zh or "",
        "description": resource.description,
        "description_zh": resource.description_zh or "",
    }
    folded = {field: text.casefold() for field, text in texts.items()}
    return _Indexed(
        resource=resource,
        texts=folded,
        words={field: _words(text) for field, text in folded.items()},
        title_phrase=" ".join(_words(resource.title)),
        tag_phrases=tuple(" ".join(_words(tag)) for tag in resource.tags),
    )


class SearchHit(Record):
    """One resource that matches a query, with why (`matched`: field names, in
    FIELD_WEIGHTS order) and how well."""

    __slots__ = ("matched", "resource", "score", "status")

    def __init__(
        self, resource: Resource, score: float, status: str, matched: tuple[str, ...]
    ) -> None:
        self.resource = resource
        self.score = score
        self.status = status
        self.matched = matched

    def to_json(self) -> dict[str, Any]:
        r = self.resource
        return {
            "id": r.id,
            "title": r.title,
            "title_zh": r.title_zh,
            "section": r.section,
            "url": r.url,
            "score": round(self.score, 2),
            "status": self.status,
            "matched": list(self.matched),
        }


class _Query:
    """One query, with word matches remembered: catalogs repeat their words a lot."""

    def __init__(self, text: str) -> None:
        self.terms = query_terms(text)
        self.words = [t.text for t in self.terms if not t.cjk]
        self.cjk = [t.text for t in self.terms if t.cjk]
        self.phrase = " ".join(_words(text))
        self._seen: dict[tuple[str, str], float] = {}

    def quality(self, term: str, word: str) -> float:
        key = (term, word)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = word_quality(term, word)
        return found

    def field_quality(self, term: Term, item: _Indexed, field: str) -> float:
        if term.cjk:
            return EXACT if term.text in item.texts[field] else 0.0
        return max((self.quality(term.text, w) for w in item.words[field]), default=0.0)

    def score(self, item: _Indexed) -> tuple[float, tuple[str, ...]]:
        total = 0.0
        found_terms = 0
        matched: set[str] = set()
        for term in self.terms:
            field_scores: list[float] = []
            for field, weight in FIELD_WEIGHTS.items():
                quality = self.field_quality(term, item, field)
                if quality:
                    field_scores.append(weight * quality)
                    matched.add(field)
            if field_scores:
                field_scores.sort(reverse=True)
                total += field_scores[0] + ALSO_MATCHED * sum(field_scores[1:])
                found_terms += 1
        if not found_terms:
            return 0.0, ()
        # Resources that match every word come first: a partial match is scaled down
        # by the square of the share of words it matched.
        total *= (found_terms / len(self.terms)) ** 2
        if self.phrase:
            if item.title_phrase == self.phrase:
                total += TITLE_IS_QUERY
            elif " " in self.phrase and f" {self.phrase} " in f" {item.title_phrase} ":
                total += TITLE_HAS_PHRASE
            if " " in self.phrase and self.phrase in item.tag_phrases:
                total += TAG_IS_QUERY
        if self.cjk and "".join(self.cjk) == item.texts["title_zh"]:
            total += TITLE_IS_QUERY
        total += TITLE_COVERAGE * self.title_coverage(item)
        return total, tuple(field for field in FIELD_WEIGHTS if field in matched)

    def title_coverage(self, item: _Indexed) -> float:
        """The share of the title (or of the Chinese title) that the query covers."""
        title_words = item.words["title"]
        english = (
            sum(max(self.quality(t, w) for t in self.words) for w in title_words)
            / len(title_words)
            if self.words and title_words
            else 0.0
        )
        title_zh = item.texts["title_zh"]
        chinese = (
            min(1.0, sum(len(t) for t in self.cjk if t in title_zh) / len(title_zh))
            if self.cjk and title_zh
            else 0.0
        )
        return max(english, chinese)


def rank(
    resources: Iterable[Resource],
    query: str,
    statuses: Mapping[str, str] | None = None,
    limit: int | None = 10,
) -> list[SearchHit]:
    """The resources matching `query`, best first (ties keep path order), at most `limit`.

    Case-insensitive; words match whole words, prefixes, and (for words of four
    letters or more) with a typo or two; Chinese matches by substring.
    """
    prepared = _Query(query)
    if not prepared.terms:
        return []
    statuses = statuses or {}
    hits: list[SearchHit] = []
    for resource in resources:
        score, matched = prepared.score(_index(resource))
        if score > 0:
            hits.append(SearchHit(resource, score, statuses.get(resource.id, "todo"), matched))
    # sorted() is stable, so equal scores stay in the catalog's (path) order.
    hits = sorted(hits, key=lambda hit: -hit.score)
    return hits if limit is None else hits[:limit]

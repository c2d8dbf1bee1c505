"""Finding resources: ranked, typo-tolerant search over the catalog.

Pure functions over :class:`~mlpath.catalog.Resource` records: no typer, no rich, no I/O.
:mod:`mlpath.search_index` finds the few resources worth scoring in the catalog cache;
the scores themselves are always the ones computed here.
"""

from __future__ import annotations

from mlpath.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterable, Mapping
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

# Code point ranges of CJK scripts. A query is split into runs of CJK characters
# (matched by substring: Chinese has no spaces between words) and runs of other letters
# and digits (matched word by word).
CJK_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3040, 0x30FF),
    (0x3100, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
)
_CJK = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in CJK_RANGES)


def is_cjk(char: str) -> bool:
    code = ord(char)
    # Most text is Latin: one comparison settles it.
    return code >= 0x2E80 and any(low <= code <= high for low, high in CJK_RANGES)


def tokens(text: str) -> list[tuple[str, bool]]:
    """Runs of CJK characters and runs of other letters and digits, as (text, is CJK).

    A loop over characters rather than a regular expression: importing `re` costs a
    search more than scoring its hits. :func:`index_tokens` is the same split, quicker
    on the long texts the catalog cache is built from.
    """
    found: list[tuple[str, bool]] = []
    start = 0
    kind = 0  # 0: neither, 1: CJK, 2: other letters and digits
    for index, char in enumerate(text):
        now = 1 if is_cjk(char) else 2 if char.isalnum() else 0
        if now != kind:
            if kind:
                found.append((text[start:index], kind == 1))
            start, kind = index, now
    if kind:
        found.append((text[start:], kind == 1))
    return found


_PATTERNS: list[re.Pattern[str]] = []


def _patterns() -> list[re.Pattern[str]]:
    if not _PATTERNS:
        import re

        # [^\\W_] is what str.isalnum() accepts. The two classes share no character, so
        # each finds the same runs as the split into both kinds at once.
        _PATTERNS.append(re.compile(f"[^\\W_{_CJK}]+"))
        _PATTERNS.append(re.compile(f"[{_CJK}]+"))
    return _PATTERNS


def index_tokens(text: str) -> list[tuple[str, bool]]:
    """What :func:`tokens` gives, by regular expressions (for building the index)."""
    words, cjk = _patterns()
    found = [(m.start(), m.group(), False) for m in words.finditer(text)]
    found += [(m.start(), m.group(), True) for m in cjk.finditer(text)]
    return [(token, is_cjk) for _, token, is_cjk in sorted(found)]


def index_words(text: str) -> list[str]:
    """The words of `text` as a query matches them: :func:`tokens`' non-CJK runs."""
    return _patterns()[0].findall(text.casefold())


def index_cjk(text: str) -> list[str]:
    """The CJK runs of `text`, as :func:`tokens` splits them."""
    return _patterns()[1].findall(text)


class Term(Record):
    __slots__ = ("cjk", "text")

    def __init__(self, text: str, cjk: bool) -> None:
        self.text = text
        self.cjk = cjk


def query_terms(query: str) -> list[Term]:
    """The terms a query is searched by: lower-cased words and CJK runs, stopwords dropped."""
    terms = [Term(text, cjk) for text, cjk in tokens(query.casefold())]
    meaningful = [t for t in terms if t.cjk or t.text not in STOPWORDS]
    return meaningful or terms


def _words(text: str) -> list[str]:
    return [token for token, cjk in tokens(text.casefold()) if not cjk]


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


def typos_allowed(term: str) -> int:
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
    allowed = typos_allowed(term)
    # Each edit brings in (or removes) at most one letter: a cheap test that rules out
    # most words before the edit distance is counted.
    if allowed and len(set(term) ^ set(word)) <= 2 * allowed:
        distance = typo_distance(term, word, allowed)
        if distance <= allowed:
            return TYPO_1 if distance == 1 else TYPO_2
    return 0.0


class Indexed:
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


def searched_texts(resource: Resource) -> dict[str, str]:
    """The casefolded text of each field a query is matched against, in FIELD_WEIGHTS order."""
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
    return {field: text.casefold() for field, text in texts.items()}


def index_resource(resource: Resource, split: Callable[[str], list[str]] = _words) -> Indexed:
    folded = searched_texts(resource)
    return Indexed(
        resource=resource,
        texts=folded,
        words={field: split(text) for field, text in folded.items()},
        title_phrase=" ".join(split(resource.title)),
        tag_phrases=tuple(" ".join(split(tag)) for tag in resource.tags),
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


class Query:
    """One query, with word matches remembered: catalogs repeat their words a lot."""

    def __init__(self, text: str) -> None:
        self.terms = query_terms(text)
        self.words = [t.text for t in self.terms if not t.cjk]
        self.cjk = [t.text for t in self.terms if t.cjk]
        self.phrase = " ".join(_words(text))
        self._seen: dict[tuple[str, str], float] = {}
        # Set by know_all(): every word any term matches is in _seen, so others match not.
        self._complete = False

    def know_all(self, qualities: dict[tuple[str, str], float]) -> None:
        """Take (term, word) -> quality for every word of the texts to be scored that
        some term matches (an index found them): the rest then score 0 uncounted."""
        self._seen.update(qualities)
        self._complete = True

    def quality(self, term: str, word: str) -> float:
        key = (term, word)
        found = self._seen.get(key)
        if found is None:
            if self._complete:
                return 0.0
            found = self._seen[key] = word_quality(term, word)
        return found

    def field_quality(self, term: Term, item: Indexed, field: str) -> float:
        if term.cjk:
            return EXACT if term.text in item.texts[field] else 0.0
        return max((self.quality(term.text, w) for w in item.words[field]), default=0.0)

    def score(self, item: Indexed) -> tuple[float, tuple[str, ...]]:
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

    def title_coverage(self, item: Indexed) -> float:
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
    prepared = Query(query)
    if not prepared.terms:
        return []
    statuses = statuses or {}
    hits: list[SearchHit] = []
    for resource in resources:
        score, matched = prepared.score(index_resource(resource))
        if score > 0:
            hits.append(SearchHit(resource, score, statuses.get(resource.id, "todo"), matched))
    # sorted() is stable, so equal scores stay in the catalog's (path) order.
    hits = sorted(hits, key=lambda hit: -hit.score)
    return hits if limit is None else hits[:limit]

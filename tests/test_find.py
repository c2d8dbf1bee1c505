"""`mlpath search` and `mlpath open`: the ranking in mlpath.search, and the commands.

No test may start a real browser: an autouse fixture removes every display and
makes `webbrowser.open` fail the test unless a test replaces it with a recorder.
"""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from conftest import Run, payload
from mlpath.browser import OpenOutcome, link_to_open, open_link, system_opener
from mlpath.catalog import LIST_SEPARATOR, Resource, bundled_catalog_path, resource_from_row
from mlpath.errors import MlpathError
from mlpath.output.plain import opened_lines
from mlpath.results import Opened
from mlpath.search import SearchHit, query_terms, rank, typo_distance, word_quality
from mlpath.workspace import Workspace


def res(
    rid: str,
    title: str,
    *,
    title_zh: str | None = None,
    author: str | None = None,
    description: str = "Something to learn.",
    tags: Sequence[str] = (),
    url: str | None = "https://example.org/",
    position: int = 0,
    title_zh_seed: str | None = None,
    aliases: Sequence[str] = (),
    author_zh: str | None = None,
    description_zh: str | None = None,
) -> Resource:
    row = (
        rid,
        title,
        title_zh,
        "intro",
        url,
        None,
        author,
        "article",
        "free",
        0,
        0,
        30,
        None,
        "",
        description,
        LIST_SEPARATOR.join(tags),
        position,
        title_zh_seed,
        LIST_SEPARATOR.join(aliases),
        author_zh,
        description_zh,
        "",
        None,
        None,
    )
    return resource_from_row(row)


def ids(hits: Sequence[SearchHit]) -> list[str]:
    return [hit.resource.id for hit in hits]


@pytest.fixture
def mini(mini_catalog: Path) -> Iterator[tuple[Resource, ...]]:
    ws = Workspace(mini_catalog)
    try:
        yield ws.catalog().resources
    finally:
        ws.close()


@pytest.fixture
def bundled() -> Iterator[tuple[Resource, ...]]:
    ws = Workspace(bundled_catalog_path())
    try:
        yield ws.catalog().resources
    finally:
        ws.close()


@pytest.fixture(autouse=True)
def no_real_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)

    def refuse(url: str, new: int = 0, autoraise: bool = True) -> bool:
        raise AssertionError(f"a test tried to open a real browser on {url}")

    monkeypatch.setattr(webbrowser, "open", refuse)


# --- query parsing and word matching -----------------------------------------------


def test_query_terms_are_lowercased_words_without_punctuation() -> None:
    assert [t.text for t in query_terms("Neural-Networks, 101!")] == ["neural", "networks", "101"]


def test_query_terms_split_chinese_from_latin_and_drop_stopwords() -> None:
    terms = query_terms("the 深度学习 with PyTorch")
    assert [(t.text, t.cjk) for t in terms] == [("深度学习", True), ("pytorch", False)]


def test_a_query_of_only_stopwords_keeps_them() -> None:
    assert [t.text for t in query_terms("what is")] == ["what", "is"]


def test_an_empty_query_has_no_terms() -> None:
    assert query_terms("  -- ") == []


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("neural", "neural", 0),
        ("nueral", "neural", 1),  # two neighbours swapped count as one typo
        ("netwrk", "network", 1),
        ("netwrk", "networks", 2),
        ("python", "pytorch", 3),  # more than the limit: limit + 1
    ],
)
def test_typo_distance(a: str, b: str, distance: int) -> None:
    assert typo_distance(a, b, limit=2) == distance


@pytest.mark.parametrize(
    ("term", "word", "quality"),
    [
        ("python", "python", 1.0),
        ("pyth", "python", 0.7),
        ("learn", "machinelearning", 0.5),
        ("nueral", "neural", 0.6),
        ("netwrk", "networks", 0.4),
        ("mit", "mat", 0.0),  # words of three letters or fewer must be spelt right
        ("p", "python", 0.0),  # one letter is no prefix worth ranking
    ],
)
def test_word_quality(term: str, word: str, quality: float) -> None:
    assert word_quality(term, word) == quality


# --- ranking -----------------------------------------------------------------------


def test_title_word_beats_tag_beats_title_prefix_beats_description() -> None:
    resources = [
        res("in-description", "Something Else", description="Uses python a lot."),
        res("prefix", "Pythonic Patterns"),
        res("tagged", "Snakes", tags=["python"]),
        res("exact", "Python Crash Course"),
    ]
    hits = rank(resources, "python")
    assert ids(hits) == ["exact", "tagged", "prefix", "in-description"]
    assert [hit.matched for hit in hits] == [
        ("title",),
        ("tags",),
        ("title",),
        ("description",),
    ]


def test_small_typos_are_forgiven() -> None:
    resources = [
        res("vision", "Computer vision"),
        res("nlp", "Natural language processing"),
        res("nn", "Neural networks"),
    ]
    assert ids(rank(resources, "nueral netwrk")) == ["nn"]


def test_resources_matching_every_word_come_before_partial_matches() -> None:
    resources = [
        res("ml", "Machine Learning"),
        res("deep", "Deep Dives"),
        res("dl", "Learning Deep Models", position=2),
    ]
    assert ids(rank(resources, "deep learning"))[0] == "dl"


def test_the_title_being_the_query_wins() -> None:
    resources = [
        res("long", "Deep Learning for Coders"),
        res("book", "Deep Learning"),
    ]
    assert ids(rank(resources, "deep learning")) == ["book", "long"]


def test_search_is_case_insensitive() -> None:
    resources = [res("nn", "Neural Networks"), res("other", "Other")]
    upper = rank(resources, "NEURAL")
    assert ids(upper) == ["nn"]
    assert upper[0].score == rank(resources, "neural")[0].score


def test_author_matches() -> None:
    resources = [res("a", "A"), res("b", "B", author="Grant Sanderson")]
    hits = rank(resources, "sanderson")
    assert ids(hits) == ["b"]
    assert hits[0].matched == ("author",)


def test_chinese_query_matches_title_zh_by_substring() -> None:
    resources = [
        res("nn", "Neural networks", title_zh="神经网络入门"),
        res("dl", "Deep learning", title_zh="深度学习"),
    ]
    hits = rank(resources, "神经网络")
    assert ids(hits) == ["nn"]
    assert hits[0].matched == ("title_zh",)


def test_chinese_query_matches_the_other_chinese_fields() -> None:
    resources = [
        res("book", "Deep Learning", title_zh="《深度学习》", aliases=["花书"]),
        res("course", "Machine Learning", author="Andrew Ng", author_zh="吴恩达"),
        res("video", "Neural networks", description_zh="讲解神经网络是什么。"),
        res("seed", "Numpy 100", title_zh="100 道 NumPy 练习", title_zh_seed="100 个数字练习"),
        res("other", "Other", title_zh="别的"),
    ]
    assert [(h.resource.id, h.matched) for h in rank(resources, "花书")] == [
        ("book", ("aliases",))
    ]
    assert [(h.resource.id, h.matched) for h in rank(resources, "吴恩达")] == [
        ("course", ("author_zh",))
    ]
    assert [(h.resource.id, h.matched) for h in rank(resources, "神经网络")] == [
        ("video", ("description_zh",))
    ]
    # The translation's wording still finds what it named.
    assert [(h.resource.id, h.matched) for h in rank(resources, "数字练习")] == [
        ("seed", ("title_zh_seed",))
    ]


def test_a_name_outranks_a_mention_in_the_chinese_description() -> None:
    resources = [
        res("mention", "Deep Learning Course", description_zh="一门介绍深度学习的课程。"),
        res("named", "Deep Learning", title_zh="《深度学习》"),
        res("alias", "Goodfellow", aliases=["深度学习"]),
    ]
    assert ids(rank(resources, "深度学习")) == ["named", "alias", "mention"]


def test_an_alias_phrase_does_not_run_into_the_next_alias() -> None:
    resources = [res("a", "A", aliases=["人工", "智能"]), res("b", "B", aliases=["人工智能"])]
    assert ids(rank(resources, "人工智能")) == ["b"]


def test_stopwords_do_not_match_every_description() -> None:
    resources = [
        res("a", "Alpha", description="A thing to read."),
        res("b", "Beta", description="A thing to read."),
    ]
    assert ids(rank(resources, "the alpha")) == ["a"]


def test_equal_scores_keep_path_order() -> None:
    resources = [res(f"r{i}", "Same Title") for i in range(5)]
    assert ids(rank(resources, "same")) == ["r0", "r1", "r2", "r3", "r4"]


def test_limit() -> None:
    resources = [res(f"r{i}", "Same Title") for i in range(5)]
    assert ids(rank(resources, "same", limit=2)) == ["r0", "r1"]
    assert len(rank(resources, "same", limit=None)) == 5


def test_no_match_is_an_empty_list() -> None:
    assert rank([res("a", "Alpha")], "zebra") == []
    assert rank([res("a", "Alpha")], "   ") == []


def test_hits_carry_their_status() -> None:
    resources = [res("a", "Same"), res("b", "Same")]
    hits = rank(resources, "same", {"b": "done"})
    assert [hit.status for hit in hits] == ["todo", "done"]


def test_hit_json_has_stable_keys() -> None:
    (hit,) = rank([res("nn", "Neural networks", tags=["neural-networks"])], "neural")
    data = hit.to_json()
    assert list(data) == [
        "id",
        "title",
        "title_zh",
        "section",
        "url",
        "score",
        "status",
        "matched",
    ]
    assert data["matched"] == ["title", "tags"]
    assert isinstance(data["score"], float)


# --- ranking the mini catalog --------------------------------------------------------


def test_mini_title_word(mini: tuple[Resource, ...]) -> None:
    assert ids(rank(mini, "gamma")) == ["gamma-book", "gamma-course"]


def test_mini_several_words(mini: tuple[Resource, ...]) -> None:
    assert ids(rank(mini, "gamma course")) == ["gamma-course", "gamma-book"]


def test_mini_tag_author_and_chinese(mini: tuple[Resource, ...]) -> None:
    (tagged,) = rank(mini, "basics")
    assert (tagged.resource.id, tagged.matched) == ("alpha", ("tags",))
    (by_author,) = rank(mini, "Ann")
    assert (by_author.resource.id, by_author.matched) == ("alpha", ("author",))
    assert ids(rank(mini, "阿尔")) == ["alpha"]


def test_mini_typo(mini: tuple[Resource, ...]) -> None:
    assert ids(rank(mini, "alpah"))[0] == "alpha"


def test_mini_description(mini: tuple[Resource, ...]) -> None:
    hits = rank(mini, "exercises")
    assert ids(hits) == ["delta"]
    assert hits[0].matched == ("description",)


# --- the bundled catalog (assert only on what is sure to stay) ---------------------


def test_bundled_deep_learning(bundled: tuple[Resource, ...]) -> None:
    hits = rank(bundled, "deep learning")
    assert len(hits) == 10
    assert all("deep learning" in hit.resource.title.lower() for hit in hits[:3])


def test_bundled_typos(bundled: tuple[Resource, ...]) -> None:
    hits = rank(bundled, "nueral netwrk")
    assert hits
    assert "neural network" in hits[0].resource.title.lower()


def test_bundled_chinese(bundled: tuple[Resource, ...]) -> None:
    hits = rank(bundled, "深度学习", limit=None)
    named = {r.id for r in bundled if "深度学习" in (r.title_zh or "")}
    assert named
    # Every resource with the words in its Chinese name is found, ahead of those that
    # only mention them in the Chinese description.
    assert {hit.resource.id for hit in hits[: len(named)]} == named
    assert len(hits) > len(named)
    assert all("深度学习" in (hit.resource.description_zh or "") for hit in hits[len(named) :])


# --- opening links -----------------------------------------------------------------

DESKTOP = {"DISPLAY": ":0"}


class Recorder:
    def __init__(self, result: bool = True) -> None:
        self.urls: list[str] = []
        self.result = result

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        return self.result


def test_open_link_uses_the_opener() -> None:
    opener = Recorder()
    resource = res("nn", "Neural networks", url="https://example.org/nn")
    outcome = open_link(resource, opener, env=DESKTOP, platform="linux")
    assert outcome == OpenOutcome(resource, "https://example.org/nn", opened=True)
    assert opener.urls == ["https://example.org/nn"]
    assert opened_lines(Opened(outcome, None), "en") == [
        "opened: nn · Neural networks",
        "https://example.org/nn",
    ]


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({"BROWSER": "firefox"}, "linux"),
        ({}, "darwin"),
        ({}, "win32"),
    ],
)
def test_open_link_where_a_browser_can_open(env: dict[str, str], platform: str) -> None:
    opener = Recorder()
    assert open_link(res("a", "A"), opener, env=env, platform=platform).opened
    assert opener.urls == ["https://example.org/"]


def test_open_link_without_a_display_prints_instead() -> None:
    opener = Recorder()
    outcome = open_link(res("nn", "Neural networks"), opener, env={}, platform="linux")
    assert not outcome.opened
    assert opener.urls == []
    assert opened_lines(Opened(outcome, None), "en") == [
        "no browser can be opened here; the link for nn · Neural networks:",
        "https://example.org/",
    ]


def test_open_link_when_the_opener_fails() -> None:
    assert not open_link(
        res("a", "A"), Recorder(result=False), env=DESKTOP, platform="linux"
    ).opened

    def broken(url: str) -> bool:
        raise webbrowser.Error("could not locate runnable browser")

    assert not open_link(res("a", "A"), broken, env=DESKTOP, platform="linux").opened


def test_system_opener_reports_a_missing_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(url: str, new: int = 0, autoraise: bool = True) -> bool:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "open", no_browser)
    assert system_opener("https://example.org/") is False


def test_a_resource_without_a_link() -> None:
    with pytest.raises(MlpathError) as caught:
        link_to_open(res("beta", "Beta Article", url=None))
    assert str(caught.value) == (
        "beta (Beta Article) has no link to open — "
        "`mlpath show beta` tells what it is and where to find it"
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://example.org/x",
        "https:///x",
        "http://x]/",
        "http://exa mple.org/",
    ],
)
def test_only_http_links_are_opened(url: str) -> None:
    opener = Recorder()
    with pytest.raises(MlpathError, match="only http"):
        open_link(res("bad", "Bad", url=url), opener, env=DESKTOP, platform="linux")
    assert opener.urls == []


def test_http_in_capitals_is_a_web_link() -> None:
    assert link_to_open(res("a", "A", url="HTTPS://example.org/")) == "HTTPS://example.org/"


# --- the commands ------------------------------------------------------------------


def test_search_plain_output(run: Run, mini_catalog: Path, home: Path) -> None:
    result = run("search", "gamma")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "status  id            title         section  matched\n"
        "todo    gamma-book    Gamma Book    books    title, id\n"
        "todo    gamma-course  Gamma Course  books    title, id\n"
    )
    assert not home.exists()  # searching never creates the progress store


def test_search_shows_status(run: Run, mini_catalog: Path) -> None:
    assert run("done", "gamma-course").exit_code == 0
    assert run("start", "gamma-book").exit_code == 0
    result = run("search", "gamma")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("doing   gamma-book ")
    assert lines[2].startswith("done    gamma-course ")


def test_search_at_a_terminal_uses_a_table(run: Run, mini_catalog: Path) -> None:
    assert run("done", "gamma-course").exit_code == 0
    result = run("search", "gamma", terminal=True)
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["status", "id", "title", "section", "matched"]
    assert rows[1][:4] == ["todo", "gamma-book", "Gamma", "Book"]
    assert rows[2][:4] == ["done", "gamma-course", "Gamma", "Course"]


def test_search_takes_several_words_and_a_limit(run: Run, mini_catalog: Path) -> None:
    result = run("search", "gamma", "course", "-n", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "todo    gamma-course  Gamma Course  books    title, id, description"
    ]


def test_search_json(run: Run, mini_catalog: Path) -> None:
    assert run("done", "alpha").exit_code == 0
    result = run("search", "alpah", "--json")
    assert result.exit_code == 0, result.stderr
    hits = payload(result.stdout, "search")["hits"]
    assert hits[0]["id"] == "alpha"
    assert hits[0]["status"] == "done"
    assert hits[0]["section"] == "intro"
    assert hits[0]["title"] == "Alpha Intro"
    assert "title" in hits[0]["matched"]
    assert hits[0]["score"] > 0


def test_search_in_chinese(run: Run, mini_catalog: Path) -> None:
    result = run("--lang", "zh", "search", "alpha")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "状态  id     标题    章节   匹配于"
    assert result.stdout.splitlines()[1] == "待学  alpha  阿尔法  intro  标题、id"


ANDREW_NG_COURSES = {
    "stanford-cs229",
    "deeplearning-ai-youtube",
    "ai-for-everyone",
    "coursera-ml-andrew-ng",
    "coursera-deep-learning-specialization",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundled_search_finds_chinese_words(run: Run, lang: str) -> None:
    """The issue's three queries, through the CLI on the bundled catalog."""

    def found(word: str) -> list[str]:
        result = run("--lang", lang, "search", word, "--json")
        assert result.exit_code == 0, result.stderr
        return [hit["id"] for hit in payload(result.stdout, "search")["hits"]]

    assert "3b1b-neural-networks" in found("神经网络")
    assert found("花书")[0] == "deep-learning-book"
    andrew_ng = found("吴恩达")
    assert set(andrew_ng[: len(ANDREW_NG_COURSES)]) == ANDREW_NG_COURSES
    assert found("动手学深度学习")[0] == "d2l"


def test_bundled_search_in_chinese_shows_the_chinese_name(run: Run) -> None:
    result = run("--lang", "zh", "search", "花书")
    assert result.exit_code == 0, result.stderr
    assert "《深度学习》（花书）" in result.stdout.splitlines()[1]


def test_search_without_a_match(run: Run, mini_catalog: Path) -> None:
    result = run("search", "zebra", "crossing")
    assert result.exit_code == 0
    assert result.stdout == (
        "Nothing matches 'zebra crossing' — try other words, or `mlpath list` for everything.\n"
    )
    assert payload(run("search", "zebra", "--json").stdout)["hits"] == []


def test_search_needs_a_word(run: Run, mini_catalog: Path) -> None:
    result = run("search", " ... ")
    assert result.exit_code == 2
    assert "give at least one word to search for" in result.stderr
    assert run("search").exit_code == 2


def test_open_prints_the_link_without_a_display(
    run: Run, mini_catalog: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    result = run("open", "alpha")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "no browser can be opened here; the link for alpha · Alpha Intro:\n"
        "https://example.org/alpha\n"
    )
    assert not home.exists()


def test_open_prints_the_link_when_the_browser_fails(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER", "no-such-browser")
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0, autoraise=True: False)
    result = run("open", "gamma-c")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("\nhttps://example.org/course\n")
    assert result.stdout.startswith("no browser can be opened here;")


def test_open_opens_the_browser(
    run: Run, mini_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def record(url: str, new: int = 0, autoraise: bool = True) -> bool:
        opened.append(url)
        return True

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(webbrowser, "open", record)
    result = run("open", "alpha")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "opened: alpha · Alpha Intro\nhttps://example.org/alpha\n"
    assert opened == ["https://example.org/alpha"]


def test_open_start_marks_it_started(run: Run, mini_catalog: Path) -> None:
    result = run("open", "delta", "--start")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("https://example.org/delta\nstarted: delta · Delta Practice\n")
    shown = payload(run("show", "delta", "--json").stdout)
    assert shown["status"] == "doing"


def test_open_a_resource_without_a_link(run: Run, mini_catalog: Path, home: Path) -> None:
    result = run("open", "beta", "--start")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "mlpath: beta (Beta Article) has no link to open — "
        "`mlpath show beta` tells what it is and where to find it\n"
    )
    assert not home.exists()  # nothing was marked started


def test_open_an_unknown_resource(run: Run, mini_catalog: Path) -> None:
    result = run("open", "alpah")
    assert result.exit_code == 1
    assert result.stderr == "mlpath: unknown resource 'alpah' — did you mean 'alpha'?\n"


def test_a_resource_without_a_link_says_where_to_find_it(run: Run) -> None:
    """The bundled catalog's note on a missing link, in next, show and open."""
    shown = run("show", "mathematicalmonk").stdout
    assert "  no link here: The Chinese translation names this without a link; " in shown
    assert "https://www.youtube.com/channel/UCcAtD_VYwcYwVbTdvArsm7w" in shown
    opened = run("open", "mathematicalmonk")
    assert opened.exit_code == 1
    assert "has no link to open: The Chinese translation names this" in opened.stderr
    assert run("skip", "--section", "start-here", "--section", "learn-seriously").exit_code == 0
    assert run("skip", "what-is-ml", "understanding-neural-networks").exit_code == 0
    steps = run("next", "-n", "3", "--section", "articles").stdout
    assert "  no link here: The Chinese translation names this without a link; " in steps


def test_search_says_where_it_matched_in_words_not_field_names(run: Run) -> None:
    shown = run("search", "deep learning python").stdout
    assert "the guide's Chinese wording" in shown
    for field in ("title_zh", "aliases", "author_zh", "description_zh"):
        assert field not in shown

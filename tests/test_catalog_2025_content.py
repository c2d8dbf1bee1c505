"""The 2025 path accounts for every link of its source document, and keeps the 2022 facts.

The source is the README of louisfb01/start-machine-learning at commit 0405def
(2025-06-02), kept in ../shared/sources/start-machine-learning-2025.md; its links were
extracted once with a script (markdown links, image sources and bare addresses) and
pasted here, in document order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOG_2022 = Path(__file__).parents[1] / "data" / "resources.json"
CATALOG_2025 = Path(__file__).parents[1] / "data" / "resources-2025.json"

DOCUMENT_LINKS: tuple[str, ...] = (
    "https://github.com/louisfb01",
    "https://www.youtube.com/@whatsai",
    "https://open.spotify.com/show/4rKRJXaXlClkDyInjHkxq3",
    "https://louisbouchard.substack.com/",
    "https://img.shields.io/twitter/url/https/twitter.com/cloudposse.svg?style=social&label=Follow%20%40whats_ai",  # noqa: E501
    "https://twitter.com/Whats_AI",
    "https://www.linkedin.com/in/whats-ai/",
    "https://imgur.com/JFRt2Jb.png",
    "https://youtu.be/RirEw-uaS_8",
    "https://github.com/sponsors/louisfb01",
    "https://imgur.com/hLr2aQF.png",
    "https://academy.towardsai.net/courses/beginner-to-advanced-llm-dev?ref=1f9b29",
    "https://www.youtube.com/playlist?list=PLO4GrDnQanVe6F6MRJg_KO7JEoH-ukFzY",
    "https://youtu.be/R5_udqy1L4s",
    "https://www.youtube.com/playlist?list=PLiaHhY2iBX9hdHaRr6b7XevZtgZRa1PoU",
    "https://www.youtube.com/playlist?list=PLZHQObOWTQDNU6R1_67000Dx_ZCJB-3pi",
    "https://www.youtube.com/playlist?list=PLD80i8An1OEGZ2tYimemzwC3xqkU0jKUg",
    "https://youtu.be/VMj-3S1tku0",
    "https://www.youtube.com/playlist?list=PLs8w1Cdi-zvYskDS2icIItfZgxclApVLv",
    "https://youtube.com/playlist?list=PLO4GrDnQanVcPlQUBuMd_pwRkILfc463G&si=QbXeHeDs5RSKH3nY",
    "https://open.spotify.com/show/2MAi0BvDc6GTFvKFPXnkCL",
    "https://open.spotify.com/show/02e6PZeIOdpmBGT9THuzwR",
    "https://www.latent.space/podcast",
    "https://www.youtube.com/playlist?list=PLoROMvodv4rMiGQp3WXShtMGgzqpfVfbU",
    "https://www.youtube.com/playlist?list=PLtBw6njQRU-rwp5__7C0oIVt26ZgjG9NI",
    "https://www.youtube.com/channel/UCcIXc5mJsHVYTZR1maL5l9w/playlists",
    "https://atcold.github.io/NYU-DLSP21/",
    "https://deeplearning.mit.edu/",
    "https://whats-ai.medium.com/membership",
    "https://pub.towardsai.net/",
    "https://towardsdatascience.com/",
    "https://www.louisbouchard.ai/learnai/",
    "https://towardsdatascience.com/5-beginner-friendly-steps-to-learn-machine-learning-and-data-science-with-python-bf69e211ade5",  # noqa: E501
    "https://medium.com/towards-artificial-intelligence/what-is-machine-learning-ml-b58162f97ec7",
    "https://towardsdatascience.com/machine-learning-for-beginners-an-introduction-to-neural-networks-d49f22d238f9",  # noqa: E501
    "https://towardsdatascience.com/a-beginners-guide-to-neural-networks-d5cf7e369a13#:~:text=Neural%20networks%20are%20powered%20by,then%20recognize%2C%20interpret%20and%20classify.",  # noqa: E501
    "https://towardsdatascience.com/understanding-neural-networks-22b29755abd9",
    "https://docs.google.com/document/d/1IXF3h0RU5zz4ukmTrVKVotPQypChscNGf5k6E25HGvA/edit#",
    "https://medium.com/machine-learning-for-humans/ai-reading-list-c4753afd97a",
    "https://amzn.to/4bqYU9b",
    "https://academy.towardsai.net/courses/buildingllmsforproduction?ref=1f9b29",
    "https://www.deeplearningbook.org/",
    "http://d2l.ai/",
    "https://probml.github.io/pml-book/book1.html",
    "https://amzn.to/3mSqhk2",
    "https://amzn.to/3mPUGPF",
    "https://amzn.to/32iR3sm",
    "https://www.packtpub.com/en-us/product/llm-engineers-handbook-9781836200079?utm_medium=affiliate&utm_campaign=51b66f4e-29b2-68d8-f16e-67e2f9dfe6d0&utm_term=c35fe2b3-a89c-3ed8-1def-67c6a827b8eb&utm_content=B31105",  # noqa: E501
    "https://www.cs.huji.ac.il/~shais/UnderstandingMachineLearning/index.html",
    "https://mml-book.com/",
    "https://amzn.to/3mMn5Gy",
    "https://amzn.to/3wRqIzD",
    "https://amzn.to/2OT4NXC",
    "https://amzn.to/3wXtzHf",
    "https://amzn.to/32jIRYC",
    "https://www.khanacademy.org/math/linear-algebra",
    "https://www.khanacademy.org/math/statistics-probability",
    "https://www.khanacademy.org/math/multivariable-calculus",
    "https://www.youtube.com/channel/UCcAtD_VYwcYwVbTdvArsm7w",
    "https://gwthomas.github.io/docs/math4ml.pdf",
    "http://fs2.american.edu/alberto/www/analytics/ISLRLectures.html",
    "https://academy.towardsai.net/courses/python-for-genai/?ref=1f9b29",
    "https://www.youtube.com/playlist?list=PLQVvvaa0QuDfKTOs3Keq_kaG2P55YRn5v",
    "https://www.learnpython.org/",
    "https://openclassrooms.com/en/courses/2304731-learn-python-basics-for-data-analysis/6009031-get-started-with-python-and-anaconda",  # noqa: E501
    "https://youtu.be/6LWnvC2_DZI?list=PL8eNk_zTBST8kAYLTxYRnsOfznYMRhgZG",
    "https://coursera.pxf.io/P0vOZe",
    "https://datasciencedojo.com/python-for-data-science/ref/whatsai/",
    "https://github.com/rougier/numpy-100/blob/master/100_Numpy_exercises.ipynb",
    "https://swcarpentry.github.io/shell-novice/",
    "https://atcold.github.io/pytorch-Deep-Learning/?fbclid=IwAR0HQC0NZannqXaaHEj3sJCgLjRxkyDXC-gAoCTN4077wFA33R_udrJfHw4",  # noqa: E501
    "https://www.kaggle.com/learn/intro-to-machine-learning",
    "https://coursera.pxf.io/gbeOKA",
    "https://coursera.pxf.io/oeg43O",
    "https://imp.i115008.net/GjGzek",
    "https://coursera.pxf.io/WDvyaA",
    "https://coursera.pxf.io/6bQy9q",
    "https://coursera.pxf.io/RyNGjN",
    "https://click.linksynergy.com/deeplink?id=8jtkHPNI0iU&mid=39197&murl=https%3A%2F%2Fwww.udemy.com%2Fcourse%2Fthe-data-science-course-complete-data-science-bootcamp%2F",  # noqa: E501
    "https://click.linksynergy.com/link?id=8jtkHPNI0iU&offerid=507388.1292838&type=2&murl=https%3A%2F%2Fwww.udemy.com%2Fcourse%2Fhands-on-machine-learning-without-writing-code%2F",  # noqa: E501
    "https://datasciencedojo.com/data-science-training-and-internship/ref/whatsai/",
    "https://datasciencedojo.com/data-science-bootcamp/ref/whatsai/",
    "https://www.fast.ai/",
    "https://cs50.harvard.edu/ai/2020/",
    "https://fleuret.org/dlc/",
    "https://fleuret.org/dlc/#information",
    "https://coursera.pxf.io/P0vO9e",
    "https://youtu.be/RiCQzBluTxU",
    "https://youtu.be/fw6NMQrYc6w",
    "https://www.kaggle.com/",
    "https://www.analyticsvidhya.com/blog/2022/01/roadmap-to-master-nlp-in-2022/",
    "https://imp.i115008.net/jW4K60",
    "https://www.nltk.org/book/",
    "https://fasttext.cc/docs/en/supervised-tutorial.html",
    "https://huggingface.co/course/chapter1/1",
    "https://course.spacy.io/en/",
    "https://learnprompting.org/",
    "https://learn.activeloop.ai/courses/langchain/",
    "https://learn.activeloop.ai/courses/llms/",
    "https://discord.gg/learnaitogether",
    "https://ws.towardsai.net/discord",
    "https://www.reddit.com/r/artificial/",
    "https://www.reddit.com/r/MachineLearning/",
    "https://www.reddit.com/r/DeepLearningPapers/",
    "https://www.reddit.com/r/computervision/",
    "https://www.reddit.com/r/learnmachinelearning/",
    "https://www.reddit.com/r/ArtificialInteligence/",
    "https://www.reddit.com/r/LatestInML/",
    "https://becominghuman.ai/cheat-sheets-for-ai-neural-networks-machine-learning-deep-learning-big-data-678c51b4b463",  # noqa: E501
    "https://github.com/afshinea/stanford-cs-229-machine-learning",
    "https://medium.com/machine-learning-in-practice/cheat-sheet-of-machine-learning-and-python-and-math-cheat-sheets-a4afe4e791b6",  # noqa: E501
    "https://i.am.ai/roadmap/#fundamentals",
    "https://www.youtube.com/channel/UCUzGQrN-lyyc0BWTYoJM_Sg",
    "https://www.youtube.com/user/keeroyz",
    "https://www.youtube.com/channel/UCgfe2ooZD3VJPB6aJAnuQng",
    "https://www.linkedin.com/groups/8942343/",
    "https://www.linkedin.com/groups/45655/",
    "https://www.linkedin.com/groups/127447/",
    "https://www.facebook.com/groups/DeepNetGroup",
    "https://www.facebook.com/groups/DeepLearnng/",
    "https://alphasignal.ai/",
    "https://buttondown.email/ainews/archive/",
    "https://inside.com/ai",
    "http://aiweekly.co/",
    "https://lighthouse3.com/newsletter/",
    "https://towardsai.net/ai/newsletter",
    "https://medium.com/towards-artificial-intelligence",
    "https://onezero.medium.com/",
    "https://whats-ai.medium.com/",
    "https://github.com/louisfb01/DoYouEvenLearn",
    "https://www.louisbouchard.ai/learnai/#how-to-find-a-job",
    "https://youtube.com/playlist?list=PLO4GrDnQanVfrRIuIT_1rlLLTgQJdfXmS",
    "https://www.youtube.com/watch?v=F0cxzESR7ec&list=PLtmWHNX-gukIU6V33Bc8eP8OD41I4GywR&ab_channel=RachelThomas",  # noqa: E501
    "https://link.springer.com/content/pdf/10.1007/s11023-018-9482-5.pdf",
    "https://wayback.archive-it.org/12090/20210728013426/https://digital-strategy.ec.europa.eu/en/library/ethics-guidelines-trustworthy-ai",  # noqa: E501
    "https://link.springer.com/book/10.1007/978-3-030-51110-4",
)

EXCLUDED: dict[str, str] = {
    "https://github.com/louisfb01": "the maintainer's GitHub profile",
    "https://img.shields.io/twitter/url/https/twitter.com/cloudposse.svg?style=social&label=Follow%20%40whats_ai": "badge image",  # noqa: E501
    "https://twitter.com/Whats_AI": "author's social profile",
    "https://www.linkedin.com/in/whats-ai/": "author's social profile",
    "https://imgur.com/JFRt2Jb.png": "image (the guide's video thumbnail)",
    "https://youtu.be/RirEw-uaS_8": "a video about the guide itself",
    "https://github.com/sponsors/louisfb01": "author's donation page",
    "https://imgur.com/hLr2aQF.png": "image (a course banner)",
    "https://whats-ai.medium.com/membership": "Medium membership sign-up (affiliate)",
    "https://www.louisbouchard.ai/learnai/": "the 2022 path's own source article",
}

# Ids of the 2022 path that the 2025 list no longer has.
REMOVED = {"synced-review": "removed from the list in 2024"}

# Resources in both paths whose 2025 entry differs, and the fields that do: everything
# else is the 2022 entry as it is (title_zh, parts, estimates, …).
CHANGED: dict[str, set[str]] = {
    "whats-ai-terms": {"author", "title_zh"},  # "What's AI" became "Louis Bouchard"
    "nyu-deep-learning": {"url", "url_note", "minutes_note", "parts", "parts_source", "versions"},
    "five-steps-python-ml": {"url", "url_note"},  # the list links what 2022 named bare
    "beginners-guide-neural-networks": {"url", "url_note"},
    "understanding-ml": {"url", "url_note"},
    "mathematicalmonk": {"url", "url_note"},
    "kaggle": {"url_note"},
    "cs229-cheatsheets": {"url", "url_note"},
    "ai-expert-roadmap": {"url", "url_note"},
    "whats-ai-channel": {"title", "title_zh", "url_note"},
    "two-minute-papers": {"url", "url_note"},
    "inside-ai": {"url", "url_note"},
    "ai-weekly": {"url", "url_note"},
    "whats-ai-weekly": {"title", "title_zh", "title_zh_seed", "url", "url_note"},
    "towards-data-science": {"url_note"},
    "towards-ai": {"url", "url_note"},
    "doyouevenlearn": {"url", "url_note"},
    # The list points to the 2022 article's job section, which names these.
    "ml-interviews-book": {"url_note"},
    "towards-ai-contribute": {"url_note"},
    "leetcode": {"url_note"},
    "never-split-the-difference": {"url_note"},
}


# A note's Chinese rendering changes with its note (test_catalog_zh pins one rendering
# per note), so it is counted as the note.
NOTE_RENDERINGS = {"url_note_zh": "url_note", "minutes_note_zh": "minutes_note"}


def _resources(path: Path) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["resources"]
    return resources


def test_every_document_link_is_a_resource_a_note_or_excluded() -> None:
    resources = _resources(CATALOG_2025)
    urls = {r["url"] for r in resources if r["url"] is not None}
    notes = "\n".join(r.get("url_note") or "" for r in resources)
    unaccounted = [
        link
        for link in DOCUMENT_LINKS
        if link not in urls and link not in notes and link not in EXCLUDED
    ]
    assert unaccounted == []
    assert set(EXCLUDED) <= set(DOCUMENT_LINKS)
    assert set(EXCLUDED).isdisjoint(urls)


def test_every_resource_link_is_in_the_document_or_explained() -> None:
    for r in _resources(CATALOG_2025):
        if r["url"] not in DOCUMENT_LINKS:
            assert r.get("url_note"), r["id"]


def test_the_2025_list_names_every_resource_with_a_link() -> None:
    assert [r["id"] for r in _resources(CATALOG_2025) if r["url"] is None] == []


def test_shared_resources_keep_their_id_and_their_2022_facts() -> None:
    old = {r["id"]: r for r in _resources(CATALOG_2022)}
    new = {r["id"]: r for r in _resources(CATALOG_2025)}
    assert set(old) - set(new) == set(REMOVED)
    for rid in set(old) & set(new):
        differing = {
            NOTE_RENDERINGS.get(k, k)
            for k in old[rid].keys() | new[rid].keys()
            if old[rid].get(k) != new[rid].get(k)
        }
        assert differing == CHANGED.get(rid, set()), rid


def test_the_renamed_and_moved_entries_say_what_the_2025_list_says() -> None:
    new = {r["id"]: r for r in _resources(CATALOG_2025)}
    assert new["nyu-deep-learning"]["url"] == "https://atcold.github.io/NYU-DLSP21/"
    assert new["whats-ai-weekly"]["url"] == "https://louisbouchard.substack.com/"
    assert new["whats-ai-weekly"]["title"] == "Louis Bouchard Weekly"
    assert new["whats-ai-channel"]["title"] == "Louis Bouchard"
    assert new["whats-ai-terms"]["author"] == "Louis Bouchard"
    assert "synced-review" not in new


def test_new_resources_say_where_their_estimate_comes_from() -> None:
    old = {r["id"] for r in _resources(CATALOG_2022)}
    added = [r for r in _resources(CATALOG_2025) if r["id"] not in old]
    assert len(added) == 40
    for r in added:
        assert r.get("minutes_note"), r["id"]
        assert not r["id"].startswith("my-"), r["id"]


def test_sections_follow_the_2025_list() -> None:
    data = json.loads(CATALOG_2025.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["sections"]] == [
        "start-here",
        "learn-seriously",
        "articles",
        "books",
        "math",
        "coding",
        "courses",
        "practice",
        "language-models",
        "community",
        "jobs",
        "ethics",
    ]
    assert data["source"]["title"] == "Start Machine Learning in 2025 - Become an expert for free!"


def test_every_resource_and_section_has_a_chinese_name_and_description() -> None:
    data = json.loads(CATALOG_2025.read_text(encoding="utf-8"))
    for r in data["resources"]:
        assert r.get("title_zh") and r.get("description_zh"), r["id"]
    for s in data["sections"]:
        assert s.get("title_zh") and s.get("summary_zh"), s["id"]

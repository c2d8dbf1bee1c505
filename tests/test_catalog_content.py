"""The catalog accounts for every resource the source document names.

The source is the Chinese translation in /work/shared/seed/000_750df57404acabb5.txt;
its links were extracted once with a script and pasted here, in document order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOG = Path(__file__).parents[1] / "data" / "resources.json"

DOCUMENT_LINKS: tuple[str, ...] = (
    "https://pub.towardsai.net/start-machine-learning-in-2020-become-an-expert-from-nothing-for-free-f31587630cf7?source=collection_archive---------0-----------------------",  # noqa: E501
    "https://towardsai.net/p/category/education",
    "https://towardsai.net/p/category/machine-learning",
    "https://www.louisbouchard.ai/learnai/",
    "https://www.louisbouchard.ai/newsletter/",
    "https://unsplash.com/@emmamatthews?utm_source=medium&utm_medium=referral",
    "https://unsplash.com?utm_source=medium&utm_medium=referral",
    "https://github.com/louisfb01/start-machine-learning",
    "http://eepurl.com/huGLT5",
    "https://twitter.com/Whats_AI",
    "https://www.linkedin.com/in/whats-ai/",
    "https://github.com/louisfb01/start-machine-learning-in-2020",
    "https://www.youtube.com/WhatsAI",
    "https://www.youtube.com/playlist?list=PLO4GrDnQanVe6F6MRJg_KO7JEoH-ukFzY",
    "https://www.youtube.com/channel/UCUzGQrN-lyyc0BWTYoJM_Sg",
    "https://www.youtube.com/c/3blue1brown",
    "https://www.youtube.com/playlist?list=PLZHQObOWTQDNU6R1_67000Dx_ZCJB-3pi",
    "https://www.youtube.com/playlist?list=PLoROMvodv4rMiGQp3WXShtMGgzqpfVfbU",
    "https://www.youtube.com/playlist?list=PLtBw6njQRU-rwp5__7C0oIVt26ZgjG9NI",
    "https://www.youtube.com/channel/UCcIXc5mJsHVYTZR1maL5l9w/playlists",
    "https://deeplearning.mit.edu/",
    "https://atcold.github.io/pytorch-Deep-Learning/",
    "https://whats-ai.medium.com/membership",
    "https://pub.towardsai.net/",
    "https://medium.com/towards-artificial-intelligence/what-is-machine-learning-ml-b58162f97ec7",
    "https://towardsdatascience.com/machine-learning-for-beginners-an-introduction-to-neural-networks-d49f22d238f9",  # noqa: E501
    "https://towardsdatascience.com/understanding-neural-networks-22b29755abd9",
    "https://docs.google.com/document/d/1IXF3h0RU5zz4ukmTrVKVotPQypChscNGf5k6E25HGvA/edit#",
    "https://medium.com/machine-learning-for-humans/ai-reading-list-c4753afd97a",
    "https://www.deeplearningbook.org/",
    "http://d2l.ai/",
    "https://probml.github.io/pml-book/book1.html",
    "https://amzn.to/3mSqhk2",
    "https://amzn.to/3mPUGPF",
    "https://amzn.to/32iR3sm",
    "http://www.cs.huji.ac.il/~shais/UnderstandingMachineLearning/",
    "https://mml-book.com/",
    "https://amzn.to/3mMn5Gy",
    "https://amzn.to/3aawToM",
    "https://amzn.to/2OT4NXC",
    "https://amzn.to/3wXtzHf",
    "https://amzn.to/32jIRYC",
    "https://www.khanacademy.org/math/linear-algebra",
    "https://www.khanacademy.org/math/statistics-probability",
    "https://www.khanacademy.org/math/multivariable-calculus",
    "https://gwthomas.github.io/docs/math4ml.pdf",
    "http://fs2.american.edu/alberto/www/analytics/ISLRLectures.html",
    "https://unsplash.com/@codestorm?utm_source=medium&utm_medium=referral",
    "https://www.learnpython.org/",
    "https://www.youtube.com/playlist?list=PLQVvvaa0QuDfKTOs3Keq_kaG2P55YRn5v",
    "https://openclassrooms.com/en/courses/2304731-learn-python-basics-for-data-analysis/6009031-get-started-with-python-and-anaconda",  # noqa: E501
    "https://coursera.pxf.io/P0vOZe",
    "https://datasciencedojo.com/python-for-data-science/ref/whatsai/",
    "http://www.kaggle.com",
    "https://github.com/rougier/numpy-100/blob/master/100_Numpy_exercises.ipynb",
    "https://www.kaggle.com/learn/intro-to-machine-learning",
    "https://coursera.pxf.io/gbeOKA",
    "https://coursera.pxf.io/oeg43O",
    "https://coursera.pxf.io/WDvyaA",
    "https://coursera.pxf.io/6bQy9q",
    "https://coursera.pxf.io/RyNGjN",
    "https://click.linksynergy.com/deeplink?id=8jtkHPNI0iU&mid=39197&murl=https%3A%2F%2Fwww.udemy.com%2Fcourse%2Fthe-data-science-course-complete-data-science-bootcamp%2F",  # noqa: E501
    "https://datasciencedojo.com/data-science-bootcamp/ref/whatsai/",
    "https://datasciencedojo.com/data-science-training-and-internship/ref/whatsai/",
    "https://www.fast.ai/",
    "https://www.kaggle.com/",
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
    "https://medium.com/machine-learning-in-practice/cheat-sheet-of-machine-learning-and-python-and-math-cheat-sheets-a4afe4e791b6",  # noqa: E501
    "https://www.youtube.com/channel/UCgfe2ooZD3VJPB6aJAnuQng",
    "https://www.linkedin.com/groups/8942343/",
    "https://www.linkedin.com/groups/45655/",
    "https://www.linkedin.com/groups/127447/",
    "https://www.facebook.com/groups/DeepNetGroup",
    "https://www.facebook.com/groups/DeepLearnng/",
    "https://syncedreview.com/",
    "https://lighthouse3.com/newsletter/",
    "http://Towards Data Science",
    "https://towardsai.net",
    "https://onezero.medium.com/",
    "https://whats-ai.medium.com/",
    "https://github.com/BAILOOL/DoYouEvenLearn",
    "https://huyenchip.com/ml-interviews-book/contents/chapter-1.-ml-jobs.html",
    "https://unsplash.com/@helloimnik?utm_source=medium&utm_medium=referral",
    "https://huyenchip.com/ml-interviews-book/",
    "https://unsplash.com/@jasmin_sessler?utm_source=medium&utm_medium=referral",
    "https://huyenchip.com/ml-interviews-book/contents/2.3-types-of-questions.html",
    "http://leetcode.com",
    "https://info.blackswanltd.com/never-split-the-difference",
    "https://medium.com/@whats-ai",
    "https://www.patreon.com/whatsai",
)

EXCLUDED: dict[str, str] = {
    "https://pub.towardsai.net/start-machine-learning-in-2020-become-an-expert-from-nothing-for-free-f31587630cf7?source=collection_archive---------0-----------------------": "the source article itself (English Medium copy)",  # noqa: E501
    "https://www.louisbouchard.ai/learnai/": "the source article itself (original)",
    "https://github.com/louisfb01/start-machine-learning": "the source's own GitHub mirror",
    "https://github.com/louisfb01/start-machine-learning-in-2020": "the mirror's old name",
    "https://towardsai.net/p/category/education": "category tag of the article",
    "https://towardsai.net/p/category/machine-learning": "category tag of the article",
    "https://unsplash.com/@emmamatthews?utm_source=medium&utm_medium=referral": "photo credit",
    "https://unsplash.com?utm_source=medium&utm_medium=referral": "photo credit",
    "https://unsplash.com/@codestorm?utm_source=medium&utm_medium=referral": "photo credit",
    "https://unsplash.com/@helloimnik?utm_source=medium&utm_medium=referral": "photo credit",
    "https://unsplash.com/@jasmin_sessler?utm_source=medium&utm_medium=referral": "photo credit",
    "https://twitter.com/Whats_AI": "author's social profile",
    "https://www.linkedin.com/in/whats-ai/": "author's social profile",
    "https://www.patreon.com/whatsai": "author's donation page",
    "https://whats-ai.medium.com/membership": "Medium membership sign-up (affiliate)",
}

# Resources the document names without giving a link: present, with url null.
NAMED_WITHOUT_LINK: tuple[str, ...] = (
    "five-steps-python-ml",
    "beginners-guide-neural-networks",
    "mathematicalmonk",
    "cs229-cheatsheets",
    "ai-expert-roadmap",
    "two-minute-papers",
    "inside-ai",
    "ai-weekly",
)


def _resources() -> list[dict[str, Any]]:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    resources: list[dict[str, Any]] = data["resources"]
    return resources


def test_every_document_link_is_a_resource_a_note_or_excluded() -> None:
    resources = _resources()
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


def test_resources_named_without_a_link_are_present_with_null_url() -> None:
    by_id = {r["id"]: r for r in _resources()}
    for rid in NAMED_WITHOUT_LINK:
        assert rid in by_id, rid
        assert by_id[rid]["url"] is None, rid

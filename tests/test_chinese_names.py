"""The bundled catalog's Chinese: names a Chinese reader recognises, Chinese descriptions,
and only the Chinese versions a source shows to exist.

Each official title, nickname, Chinese author name and Chinese version below was read in
the source named beside it (repositories as the look-up tools hold them; pages by
address). A catalog edit that changes one of them, or adds a version not listed here,
fails until this list is updated with the source it was read in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

CATALOG = Path(__file__).parents[1] / "data" / "resources.json"

D2L_ZH = "d2l-ai/d2l-zh README.md (commit e6b18cc)"
DLBOOK_ZH = "exacity/deeplearningbook-chinese README.md (commit a03e98d)"
NYU_ZH = "Atcold/pytorch-Deep-Learning docs/zh/README-ZH.md and docs/zh/index.md (commit bc404ef)"
CS229_ZH = "afshinea/stanford-cs-229-machine-learning README.md and zh/README.md (commit d96dd19)"

# Resource id -> (the Chinese title as published or as Chinese sources name it, where read).
OFFICIAL_TITLES: dict[str, tuple[str, str]] = {
    "d2l": (
        "《动手学深度学习》",
        f"{D2L_ZH}: heading 动手学深度学习（Dive into Deep Learning，D2L.ai）",
    ),
    "deep-learning-book": (
        "《深度学习》",
        f"{DLBOOK_ZH}: the Chinese edition, published by 人民邮电出版社; "
        "http://www.frnht.com/e2269161.html: 伊恩·古德费洛…所著…《深度学习》",
    ),
    "aima": (
        "《人工智能：一种现代方法》",
        "https://www.tup.tsinghua.edu.cn/bookscenter/bookpreface?id=01987301 "
        "(清华大学出版社 preface: 《人工智能：一种现代方法》)",
    ),
    "prml": (
        "《模式识别与机器学习》",
        "wyc2015fq/cstd www/blob.csdn.net/知乎/量子位/"
        "机器学习经典教材PRML模式识别与机器学习官方开放免费下载丨资源.md: "
        "Bishop的经典著作《模式识别与机器学习》，"
        "Pattern Recognition and Machine Learning，简称PRML",
    ),
    "deep-learning-with-python": (
        "《Python深度学习》",
        "public text found with find_string 'Python深度学习》' (index id 67558938473): "
        "François Chollet。《Python深度学习》（Deep Learning with Python）",
    ),
    "never-split-the-difference": (
        "《掌控谈话》",
        "public text found with find_string '掌控谈话' (index ids 66784449913: "
        "掌控谈话 (Never Split the Difference), Chris Voss; "
        "4264741349: 掌控谈话, 克里斯·沃斯 塔尔·拉兹)",
    ),
    "nyu-deep-learning": ("深度学习（使用 PyTorch）", f"{NYU_ZH}: heading 深度学习 (使用PyTorch)"),
    "understanding-ml": (
        "《深入理解机器学习：从原理到算法》",
        "public text found with find_string '深入理解机器学习：从原理到算法'"
        " (index id 22240204261): Shai Shalev Shwartz,Shai Ben David."
        " 深入理解机器学习：从原理到算法[M]. 机械工业出版社，2016",
    ),
    "islr": (
        "《统计学习导论》",
        "public texts found with find_string '《统计学习导论》' (index ids 45789863981:"
        " An Introduction to Statistical Learning 《统计学习导论》; 17274846023:"
        " 加雷斯·詹姆斯、丹妮拉·威滕、特雷弗·哈斯蒂、罗伯特·蒂布拉尼的《统计学习导论》)",
    ),
    "mml-book": (
        "机器学习中的数学",
        "dxxzst/mml-book-chinese README.md (commit 020cfdf): heading 机器学习中的数学 中文版",
    ),
    "synced-review": (
        "机器之心",
        "public texts found with find_string '机器之心（Synced' (index ids 52707749900: "
        "机器之心（Synced）… https://www.jiqizhixin.com) and 'Synced（机器之心' "
        "(57667935155: Synced（机器之心英文）)",
    ),
    "leetcode": (
        "力扣",
        "public code found with find_string '力扣（LeetCode）': problem statements credit "
        "来源：力扣（LeetCode） with links under https://leetcode.cn/problems/",
    ),
}

BILIBILI_3B1B = (
    "3Blue1Brown's official bilingual videos on Bilibili (space.bilibili.com/88461692), as"
    " public texts found with find_string '深度学习之梯度下降法' name them (index ids"
    " 44368398028: 深度学习之神经网络的结构 Part 1 ver 2.0 / But what is a Neural Network?,"
    " 深度学习之梯度下降法 Part 2 / Gradient descent, how neural networks learn,"
    " 深度学习之反向传播算法 上 / 下 Part 3 / What is backpropagation really doing? and"
    " Backpropagation calculus; 15805865734: 深度学习之反向传播算法 上, 深度学习之反向传播算法 下)"
)
LEARNPYTHON_ZH = (
    "ronreiter/interactive-tutorials tutorials/learnpython.org/zh/index.json"
    ' (commit 674b777), "basics"'
)

# (resource id, part id) -> (the Chinese title as published, where it was read). Every
# other part's Chinese title is mlpath's own translation of the English one.
PART_OFFICIAL_TITLES: dict[tuple[str, str], tuple[str, str]] = {
    ("3b1b-neural-networks", "neural-networks"): ("深度学习之神经网络的结构", BILIBILI_3B1B),
    ("3b1b-neural-networks", "gradient-descent"): ("深度学习之梯度下降法", BILIBILI_3B1B),
    ("3b1b-neural-networks", "backpropagation"): ("深度学习之反向传播算法（上）", BILIBILI_3B1B),
    ("3b1b-neural-networks", "backpropagation-calculus"): (
        "深度学习之反向传播算法（下）",
        BILIBILI_3B1B,
    ),
    **{
        ("d2l", part_id): (title, f"d2l-ai/d2l-zh {where}: heading {heading}")
        for part_id, title, where, heading in (
            (
                "builders-guide",
                "深度学习计算",
                "chapter_deep-learning-computation/index.md (commit 10b71cd)",
                "深度学习计算, label chap_computation, which d2l-en"
                " chapter_builders-guide/index.md (commit 54f449b) has too",
            ),
            (
                "generative-adversarial-networks",
                "生成对抗网络",
                "chapter_generative-adversarial-networks/index.md (commit e6f0338)",
                "生成对抗网络",
            ),
            (
                "appendix-mathematics-for-deep-learning",
                "附录：深度学习中的数学",
                "chapter_appendix-mathematics-for-deep-learning/index.md (commit 5137ec5)",
                "附录: 深度学习中的数学",
            ),
        )
    },
    **{
        ("learnpython-org", part_id): (title, LEARNPYTHON_ZH)
        for part_id, title in (
            ("hello-world", "你好，世界！"),
            ("variables-and-types", "变量和类型"),
            ("lists", "列表"),
            ("basic-operators", "基本运算符"),
            ("string-formatting", "字符串格式化"),
            ("basic-string-operations", "基本字符串操作"),
            ("conditions", "条件"),
            ("loops", "循环"),
            ("functions", "函数"),
            ("classes-and-objects", "类和对象"),
            ("dictionaries", "字典"),
            ("modules-and-packages", "模块和包"),
            ("input-and-output", "输入和输出"),
        )
    },
}

# Resource id -> (another name readers use, where it was read).
ALIASES: dict[tuple[str, str], str] = {
    ("deep-learning-book", "花书"): (
        "public texts found with find_string '花书' (index ids 60542951820: "
        "深度学习（花书），ISBN-13 9787115461476; 9576884940: 《深度学习》（花书）; "
        "55934959290: 《深度学习》- 花书)"
    ),
    ("d2l", "D2L"): f"{D2L_ZH}: Dive into Deep Learning，D2L.ai",
    ("aima", "人工智能：一种现代的方法"): (
        "public text found with find_string '花书' (index id 60542951820): "
        "人工智能：一种现代的方法（第4版），ISBN-13 9787111547044"
    ),
    ("prml", "PRML"): "the 量子位 article cited for its title: 简称PRML",
    ("esl", "ESL"): "szcf-weiya/ESL-CN README.md: The Elements of Statistical Learning (ESL)",
    ("islr", "ISLR"): "https://readit.vip/a/GpQfK/pdf (ISLP preface): 基于 ISLR 的替代方案",
    ("coursera-deep-learning-specialization", "深度学习专项课程"): (
        "public text found with find_string 'Python深度学习》' (index id 9494402978): "
        "Coursera的“深度学习专项课程”：由斯坦福大学的Andrew Ng教授主讲"
    ),
}

# Resource id -> (author_zh, where the Chinese name was read).
ANDREW_NG = (
    "the source translation (/work/shared/seed/000_750df57404acabb5.txt) names Andrew Ng's"
    " courses 深度学习专业化——吴恩达, 机器学习——吴恩达——斯坦福; fengdu78/deeplearning_ai_books"
    " README.md: 课程导师就是吴恩达本人"
)
KHAN = (
    "public text found with find_string '可汗学院（Khan Academy' (index id 13960620518, the"
    " Chinese 面向 Python 开发者的 Kotlin 教程): [可汗学院（Khan Academy）](https://www.khanacademy.org/)"
)
AUTHORS_ZH: dict[str, tuple[str, str]] = {
    "khan-linear-algebra": ("可汗学院", KHAN),
    "khan-statistics-probability": ("可汗学院", KHAN),
    "khan-multivariable-calculus": ("可汗学院", KHAN),
    "stanford-cs229": ("吴恩达（斯坦福大学）", ANDREW_NG),
    "coursera-ml-andrew-ng": ("吴恩达（斯坦福大学）", ANDREW_NG),
    "deeplearning-ai-youtube": ("吴恩达（DeepLearning.AI）", ANDREW_NG),
    "coursera-deep-learning-specialization": ("吴恩达（DeepLearning.AI）", ANDREW_NG),
    "ai-for-everyone": ("吴恩达（DeepLearning.AI）", ANDREW_NG),
    "deep-learning-book": (
        "伊恩·古德费洛、约书亚·本吉奥、亚伦·库维尔",
        "http://www.frnht.com/e2269161.html: "
        "由美国伊恩·古德费洛、加拿大约书亚·本吉奥和加拿大亚伦·库维尔所著",
    ),
    "d2l": (
        "阿斯顿·张、扎卡里·C. 立顿、李沐等",
        "http://product.m.dangdang.com/detail29511471-0-1.html: 李沐、阿斯顿·张等; "
        "阿斯顿·张(Aston Zhang), 扎卡里·C. 立顿(Zachary C. Lipton)",
    ),
    "aima": (
        "罗素、诺维格",
        "https://dushu.com/book/11309837: (美)罗素(Russell, S.), (美)诺维格(Norvig, P.)著",
    ),
    "never-split-the-difference": (
        "克里斯·沃斯",
        OFFICIAL_TITLES["never-split-the-difference"][1],
    ),
}

# (resource id, url) -> kind of every version in the catalog; each entry's `source`
# field in the catalog says where it was read.
VERSIONS: dict[tuple[str, str], str] = {
    ("3b1b-neural-networks", "https://space.bilibili.com/88461692"): "subtitles",
    ("d2l", "https://zh.d2l.ai/"): "official translation",
    (
        "deep-learning-book",
        "https://github.com/exacity/deeplearningbook-chinese",
    ): "community translation",
    ("nyu-deep-learning", "https://atcold.github.io/pytorch-Deep-Learning/zh/"): (
        "community translation"
    ),
    ("mml-book", "https://github.com/dxxzst/mml-book-chinese"): "community translation",
    ("esl", "https://github.com/szcf-weiya/ESL-CN"): "community translation",
    (
        "cs229-cheatsheets",
        "https://github.com/afshinea/stanford-cs-229-machine-learning/tree/master/zh",
    ): "community translation",
    (
        "coursera-ml-andrew-ng",
        "https://github.com/fengdu78/Coursera-ML-AndrewNg-Notes",
    ): "community translation",
    (
        "coursera-deep-learning-specialization",
        "https://github.com/fengdu78/deeplearning_ai_books",
    ): "community translation",
    (
        "deeplearning-ai-youtube",
        "https://github.com/fengdu78/deeplearning_ai_books",
    ): "community translation",
    ("leetcode", "https://leetcode.cn/"): "official translation",
}

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.]+")


def _catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOG.read_text(encoding="utf-8"))
    return data


def _resources() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _catalog()["resources"]}


def _normal(text: str) -> str:
    """Spacing and the width of brackets differ between sources; the words do not."""
    return text.replace(" ", "").replace("(", "（").replace(")", "）").replace(":", "：")


@pytest.mark.parametrize("rid", sorted(OFFICIAL_TITLES))
def test_official_titles(rid: str) -> None:
    title, source = OFFICIAL_TITLES[rid]
    assert source
    assert _normal(title) in _normal(_resources()[rid]["title_zh"])


def test_descriptive_names_keep_the_original_name() -> None:
    """A resource without an official Chinese title keeps a word of its own name (or its
    author's, or the site's) in the Chinese one, so a reader can match it to the page."""
    missing = []
    for rid, r in _resources().items():
        if rid in OFFICIAL_TITLES:
            continue
        original = f"{r['title']} {r.get('author') or ''} {r.get('url') or ''}".casefold()
        words = {w.casefold().rstrip(".") for w in _LATIN_WORD.findall(r["title_zh"])}
        if not any(w and w in original for w in words):
            missing.append((rid, r["title_zh"]))
    assert missing == []


def test_every_resource_has_a_chinese_name_and_description() -> None:
    for rid, r in _resources().items():
        assert _CJK.search(r["title_zh"]) or r["title_zh"] == r["title"], rid
        assert _CJK.search(r["description_zh"]), rid
        assert r["description_zh"] != r["description"], rid


def test_chinese_names_tell_resources_apart() -> None:
    """The translation gave mml-book and math4ml-thomas the same name; no two may share one."""
    titles = [r["title_zh"] for r in _resources().values()]
    assert len(set(titles)) == len(titles)
    sections = [s["title_zh"] for s in _catalog()["sections"]]
    assert len(set(sections)) == len(sections)


def test_the_translations_wording_is_kept_where_it_differs() -> None:
    resources = _resources()
    for rid, r in resources.items():
        if "title_zh_seed" in r:
            assert r["title_zh_seed"] != r["title_zh"], rid
    # The examples: fragments and slips of the translation, kept as the seed's.
    assert resources["3b1b-neural-networks"]["title_zh"] == "3Blue1Brown 神经网络系列视频"
    assert resources["3b1b-neural-networks"]["title_zh_seed"] == (
        "系列视频，非常清晰地涵盖了这些确切的概念（3Blue1Brown）"
    )
    assert resources["d2l"]["title_zh_seed"] == "深入学习"
    assert resources["numpy-100"]["title_zh_seed"] == "100 个数字练习"
    assert "NumPy" in resources["numpy-100"]["title_zh"]
    assert resources["doyouevenlearn"]["title_zh_seed"] == "bailoul/doyouevenleed"


def test_sections_have_chinese_names_and_summaries() -> None:
    sections = {s["id"]: s for s in _catalog()["sections"]}
    for sid, s in sections.items():
        assert _CJK.search(s["title_zh"]), sid
        assert _CJK.search(s["summary_zh"]), sid
    assert sections["community"]["title_zh_seed"] == "更多资源"
    assert "社区" in sections["community"]["title_zh"]
    # The jobs heading was a whole sentence in the translation.
    assert sections["jobs"]["title_zh"] == "如何找到机器学习工作"


def test_aliases_are_the_listed_ones() -> None:
    found = {(rid, a) for rid, r in _resources().items() for a in r.get("aliases", ())}
    assert found == set(ALIASES)
    assert all(ALIASES.values())


def test_chinese_author_names_are_the_listed_ones() -> None:
    found = {rid: r["author_zh"] for rid, r in _resources().items() if "author_zh" in r}
    assert found == {rid: name for rid, (name, _) in AUTHORS_ZH.items()}


def test_versions_are_the_verified_ones() -> None:
    found = {}
    for rid, r in _resources().items():
        for v in r.get("versions", ()):
            found[(rid, v["url"])] = v["kind"]
            assert v["lang"] == "zh"
            assert _CJK.search(v["title"]), (rid, v)
            assert v["source"], (rid, v)
    assert found == VERSIONS


def test_mml_chapters_carry_the_chinese_translation_s_titles() -> None:
    """Chapters 1-8 as dxxzst/mml-book-chinese README.md (commit 020cfdf) names them;
    the later ones are not translated there yet, so their Chinese titles are ours and
    are not listed as official."""
    parts = _resources()["mml-book"]["parts"]
    assert [p["title_zh"] for p in parts] == [
        *("介绍和动机", "线性代数", "解析几何", "矩阵分解", "向量微积分", "概率与分布"),
        *("连续优化", "当模型遇到数据", "线性回归", "用主成分分析降维"),
        *("用高斯混合模型做密度估计", "用支持向量机分类"),
    ]
    assert not [key for key in PART_OFFICIAL_TITLES if key[0] == "mml-book"]


@pytest.mark.parametrize("key", sorted(PART_OFFICIAL_TITLES), ids="/".join)
def test_official_part_titles(key: tuple[str, str]) -> None:
    rid, part_id = key
    title, source = PART_OFFICIAL_TITLES[key]
    assert source
    parts = {p["id"]: p for p in _resources()[rid]["parts"]}
    assert parts[part_id]["title_zh"] == title

"""Facts of the 2022 path fixed after an audit (issue 18, section 3), each against the source
named in the entry's own note; an edit that loses one of them fails here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOG = Path(__file__).parents[1] / "data" / "resources.json"


def resource(rid: str) -> dict[str, Any]:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = [r for r in data["resources"] if r["id"] == rid]
    assert len(found) == 1, rid
    return found[0]


def test_nyu_is_its_class_time_thirteen_lectures_and_fifteen_practica() -> None:
    nyu = resource("nyu-deep-learning")
    minutes = {p["id"]: p["minutes"] for p in nyu["parts"]}
    assert nyu["minutes"] == sum(minutes.values()) == 13 * 100 + 15 * 50
    assert minutes["week-4-1"] == 50  # a practicum-only week
    assert minutes["week-15-1"] + minutes["week-15-2"] == 50
    assert "docs/index.md @ bc404ef" in nyu["minutes_note"]


def test_statistical_inference_uses_the_lists_link_and_says_why() -> None:
    si = resource("statistical-inference")
    assert si["url"] == "https://amzn.to/3wRqIzD"
    assert "https://amzn.to/3aawToM" in si["url_note"]
    assert "785bf55" in si["url_note"]


def test_prml_says_the_author_offers_it_free_and_the_guide_the_paid_edition() -> None:
    prml = resource("prml")
    assert prml["cost"] == "paid" and prml["url"] == "https://amzn.to/3mPUGPF"
    assert "free PDF" in prml["description"]
    assert "Microsoft Research" in prml["url_note"]


def test_islr_says_its_link_is_the_lectures_not_the_book() -> None:
    islr = resource("islr")
    assert islr["kind"] == "book"
    assert "not the book" in islr["url_note"]


def test_the_two_discord_invites_are_one_server() -> None:
    tai = resource("towards-ai-discord")
    lat = resource("learn-ai-together-discord")
    assert tai["alternatives"] == ["learn-ai-together-discord"]
    assert lat["alternatives"] == ["towards-ai-discord"]
    assert "this-ai-newsletter-is-all-you-need-9" in tai["url_note"]


def test_fastai_says_which_course_the_home_page_stands_for() -> None:
    assert "Practical Deep Learning for Coders" in resource("fastai")["url_note"]


def test_esl_says_the_authors_offer_the_pdf() -> None:
    esl = resource("esl")
    assert esl["cost"] == "paid" and esl["url"] == "https://amzn.to/3mMn5Gy"
    assert "hastie.su.domains/ElemStatLearn/printings/ESLII_print12.pdf" in esl["url_note"]
    assert "free PDF" in esl["description"]

"""Folding mixed Chinese and Latin text: what a reader at a narrow terminal depends on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mlpath.output.linebreak import CLOSING, OPENING, break_units
from mlpath.output.words import display_width, is_wide, wrapped

LATIN_WORDS = st.sampled_from(["3Blue1Brown", "d2l", "https://zh.d2l.ai/", "PyTorch", "ML", "a"])
CHINESE = st.sampled_from(list("让我们开始吧这是一个非常清晰的系列视频神经网络深度学习"))
MARKS = st.sampled_from(sorted(CLOSING | OPENING))
PIECES = st.lists(
    st.one_of(LATIN_WORDS.map(lambda w: f" {w} "), LATIN_WORDS, CHINESE, MARKS), max_size=40
)


def test_a_closing_mark_never_starts_a_line_and_a_latin_word_is_never_cut() -> None:
    text = "让我们开始吧！这是一个非常清晰的系列视频（3Blue1Brown）涵盖了这些确切的概念。"
    for width in range(8, 40):
        lines = wrapped([text], width)
        assert "".join(line.strip() for line in lines) == text
        for line in lines:
            body = line.lstrip(" ")
            assert body[0] not in CLOSING, (width, lines)
            assert body[-1] not in OPENING, (width, lines)
            assert display_width(line) <= width or "3Blue1Brown" in line
        assert any("（3Blue1Brown）" in line for line in lines)


def test_chinese_folds_between_characters_without_spaces() -> None:
    lines = wrapped(["深度学习" * 10], 20)
    assert len(lines) > 1
    assert all(display_width(line) <= 20 for line in lines)


@given(PIECES, st.integers(min_value=6, max_value=60))
def test_any_mix_folds_to_the_width_keeping_every_character(pieces: list[str], width: int) -> None:
    text = " ".join("".join(pieces).split())
    if not text:
        return
    lines = wrapped([text], width)
    # Only the breaks differ: every character is kept, in order.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines[1:]:
        assert line.startswith("  ") and line[2] != " "
        assert line[2] not in CLOSING
    for line in lines[:-1]:
        assert line[-1] not in OPENING
    for line in lines:
        # Wider than the screen only when it holds one piece that cannot break.
        assert display_width(line) <= width or len(break_units(line.strip(), is_wide)) == 1
    # A Latin word is never cut across lines.
    for word in ("3Blue1Brown", "https://zh.d2l.ai/", "PyTorch"):
        if text.count(word) == 1:
            assert sum(word in line for line in lines) == 1


def test_aligned_columns_keep_their_padding_when_a_line_folds() -> None:
    header = "   path  title" + " " * 60 + "resources  hours"
    assert wrapped([header], 80) == ["   path  title", "     resources  hours"]


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_a_lines_width_is_its_characters_widths(text: str) -> None:
    # display_width looks the common CJK ideographs up by range: the same answer.
    assert display_width(text) == len(text) + sum(1 for ch in text if is_wide(ch))


def test_a_chinese_line_is_two_columns_a_character() -> None:
    assert display_width("深度学习（Deep Learning）") == 4 * 2 + 2 * 2 + 13


FIGURES = (
    "  2441 of 100000 done (2%) · done + skipped 4% · 1199 in progress · 1189 skipped "
    "· 95171 to do",
    "  已完成 2441/100000（2%）· 完成加跳过 4% · 学习中 1199 · 已跳过 1189 · 待学 95171",
)


def test_a_line_of_figures_folds_after_a_dot_never_inside_a_figure() -> None:
    for line in FIGURES:
        figures = [f.strip() for f in line.split("·")]
        for width in range(34, 80):
            lines = wrapped([line], width)
            assert len(lines) > 1
            assert all(display_width(folded) <= width for folded in lines)
            # Each line but the last ends at a dot; none starts with one; and every
            # figure with its word ("1189 skipped", "待学 95171") is on one line.
            assert all(folded.endswith("·") for folded in lines[:-1]), (width, lines)
            assert not any(folded.lstrip().startswith("·") for folded in lines)
            assert all(any(f in folded for folded in lines) for f in figures), (width, lines)


def test_a_line_of_figures_folds_alike_in_plain_text_and_styled() -> None:
    from rich.text import Text

    from mlpath.output.styled import folded_text

    for line in FIGURES:
        for width in (40, 60, 80):
            styled = folded_text(Text(line), width, hang=True).plain.split("\n")
            assert styled == wrapped([line], width)


def test_a_short_head_before_a_dot_does_not_take_the_line_alone() -> None:
    # "▶ id · title": the title folds where it must, the id stays beside its start.
    line = "▶ res-000000 · Neural networks, part 0, a long title that goes on past the edge"
    assert wrapped([line], 60) == [
        "▶ res-000000 · Neural networks, part 0, a long title that",
        "  goes on past the edge",
    ]

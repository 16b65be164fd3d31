"""The sentence splitter: cuts at 。！？ and ……, keeps closing quotes, loses nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.sentences import CLOSERS, ENDERS, ends_sentence, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“好。”他说。", ["“好。”", "他说。"]),
        # seed line 49: an ellipsis inside a quotation ends the sentence with its closing quote
        ("这力量是铁，这力量是钢……”2022年6月29日，委员唱响。", ["这力量是铁，这力量是钢……”", "2022年6月29日，委员唱响。"]),
        ("为何？答案就在这里。", ["为何？", "答案就在这里。"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        # a decimal point is not an end mark
        ("授信17.6亿元，放贷14.7亿元。", ["授信17.6亿元，放贷14.7亿元。"]),
        # text after the last mark is a sentence of its own
        ("第一句。没有句号的尾巴", ["第一句。", "没有句号的尾巴"]),
        ("（据新华社电。）下一句。", ["（据新华社电。）", "下一句。"]),
        ("他说：“我们履职更有底气，也更添信心了。”", ["他说：“我们履职更有底气，也更添信心了。”"]),
        ("Wait... what? Yes!", ["Wait... ", "what? ", "Yes!"]),
        ("", []),
        ("没有标点", ["没有标点"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("好。", True), ("好。”", True), ("这力量是钢……”", True), ("委员", False), ("", False), ("，", False)],
)
def test_ends_sentence(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected


PUNCTUATED = st.text(alphabet=st.sampled_from("政协委员建言献策12.5 ，、：“”‘’（）《》" + ENDERS + "…" + CLOSERS))


@given(st.text())
def test_joining_the_sentences_gives_the_text_back(text: str) -> None:
    assert "".join(split_sentences(text)) == text


@given(PUNCTUATED)
def test_joining_gives_back_punctuated_text(text: str) -> None:
    assert "".join(split_sentences(text)) == text


@given(PUNCTUATED)
def test_every_sentence_but_the_last_ends_a_sentence(text: str) -> None:
    sentences = split_sentences(text)
    assert all(sentences)
    for sentence in sentences[:-1]:
        assert ends_sentence(sentence), sentences


@given(PUNCTUATED)
def test_no_sentence_starts_with_a_space_or_the_closing_mark_of_the_last(text: str) -> None:
    """A closing quote stays with the sentence it closes (sumy moves it to the next one)."""
    sentences = split_sentences(text)
    for before, sentence in zip(sentences, sentences[1:]):
        assert sentence[0] != " ", sentences
        assert not (sentence[0] in CLOSERS and before[-1] in ENDERS + "…"), sentences

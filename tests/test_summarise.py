"""Key sentences: verbatim, in source order, informative, deterministic."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.model import Paragraph, Section
from briefing.sentences import split_sentences


@pytest.fixture(scope="module")
def summarised(seed_articles, summariser):
    return [summariser.summarise_article(a, per_section=2, overview=2) for a in seed_articles]


def _section(*paragraphs: str) -> Section:
    return Section(
        "小标题",
        1,
        tuple(Paragraph(p, tuple(split_sentences(p)), (i + 2,)) for i, p in enumerate(paragraphs)),
    )


def test_every_section_of_the_seed_has_two_key_sentences_from_its_own_text(summarised):
    for article in summarised:
        for section in article.sections:
            assert len(section.key_sentences) == 2
            for key in section.key_sentences:
                assert section.paragraphs[key.paragraph].sentences[key.sentence] == key.text
            places = [(k.paragraph, k.sentence) for k in section.key_sentences]
            assert places == sorted(places)


def test_slogans_lyrics_quotations_and_fragments_are_not_picked(summarised):
    picked = {k.text for a in summarised for s in a.sections for k in s.key_sentences}
    picked |= {o.text for a in summarised for o in a.overview}
    for text in picked:
        assert not text.startswith("只有思想上同心同德")  # a slogan
        assert "团结就是力量" not in text  # a song
        assert not text.startswith("各方面")  # the fragment after the lost heading
        assert not text.startswith("“州委将一如既往")  # a quoted speech
        assert not text.endswith("？")  # a rhetorical question


def test_sentences_with_figures_win_in_the_figure_rich_sections(summarised):
    honghe = summarised[1]
    texts = [k.text for k in honghe.sections[2].key_sentences]
    assert any("1.3万余户" in t for t in texts)
    chuxiong = summarised[0]
    assert any("委员工作室218个" in k.text for k in chuxiong.sections[2].key_sentences)


def test_overview_has_one_or_two_sentences_from_different_sections(summarised):
    for article in summarised:
        assert 1 <= len(article.overview) <= 2
        assert len({o.section for o in article.overview}) == len(article.overview)
        for o in article.overview:
            section = article.sections[o.section]
            assert section.paragraphs[o.paragraph].sentences[o.sentence] == o.text


def test_a_concrete_action_beats_a_slogan(summariser):
    section = _section(
        "只有思想上同心同德，才有行动上同向同行。",
        "全年开展协商议事活动124场，解决民生实事141件，出台《协商议事规则》。",
        "团结奋进，共创未来。",
    )
    from briefing.model import Article

    article = Article(source="x", title="t", sections=(section,))
    result = summariser.summarise_article(article, per_section=1, overview=1)
    assert [k.text for k in result.sections[0].key_sentences] == [
        "全年开展协商议事活动124场，解决民生实事141件，出台《协商议事规则》。"
    ]


def test_near_duplicates_are_not_both_picked(summariser):
    section = _section(
        "州政协全年开展协商议事活动124场，解决民生实事141件。",
        "州政协全年开展协商议事活动124场，解决了民生实事141件。",
        "州委出台《关于加强新时代政协工作的实施意见》，建立8个委员履职党支部。",
    )
    from briefing.model import Article

    result = summariser.summarise_article(Article(source="x", title="t", sections=(section,)), 2, 1)
    texts = [k.text for k in result.sections[0].key_sentences]
    assert len(texts) == 2
    assert "《关于加强新时代政协工作的实施意见》" in texts[1]


def test_a_short_section_gives_all_it_has(summariser):
    section = _section("州政协召开常委会会议。")
    from briefing.model import Article

    result = summariser.summarise_article(Article(source="x", title="t", sections=(section,)), 3, 2)
    assert [k.text for k in result.sections[0].key_sentences] == ["州政协召开常委会会议。"]


def test_the_same_input_gives_the_same_picks(seed_articles, summariser, summarised):
    again = [summariser.summarise_article(a, 2, 2) for a in seed_articles]
    assert again == summarised


_CJK_SENTENCE = st.text(alphabet="政协委员会议召开建立开展工作群众发展１２３4567890万亿个项次，、", min_size=1, max_size=30).map(
    lambda s: s + "。"
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CJK_SENTENCE, min_size=1, max_size=12), st.integers(1, 4))
def test_summaries_are_verbatim_in_order_and_at_most_n(summariser, sentences, count):
    text = "".join(sentences)
    picked = summariser.summarise_text(text, count)
    assert 1 <= len(picked) <= count
    position = 0
    for sentence in picked:
        found = text.find(sentence, position)
        assert found >= 0
        position = found + len(sentence)


def test_summarise_command_reads_stdin_and_prints_sentences_in_source_order(seed_path):
    text = seed_path.read_text("utf-8")
    result = CliRunner().invoke(main, ["summarise", "-", "--sentences", "3"], input=text)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    positions = [text.find(line) for line in lines]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_summarise_jsonl_answers_each_line_in_input_order():
    texts = [("a", "今天天气很好。州政协召开会议，审议通过3项议案。"), (7, "委员提出建议12件。"),
             ("c", "州政协建成委员工作室56个。全年开展协商活动124场。会议审议通过《协商议事规则》。")]
    feed = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in texts)
    feed += "\n" + json.dumps({"text": "委员提出建议12件。"}, ensure_ascii=False)  # no id: its line number
    result = CliRunner().invoke(main, ["summarise", "--jsonl", "-", "--sentences", "1"], input=feed)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "c", 4]
    for row, (_id, text) in zip(rows, [*texts, (4, "委员提出建议12件。")], strict=True):
        sentences = split_sentences(text)
        assert len(row["summary"]) == 1 and row["summary"][0] in sentences, row  # one whole sentence of its own text
    assert rows[1]["summary"] == ["委员提出建议12件。"]


def test_summarise_jsonl_reports_a_bad_line_by_number():
    result = CliRunner().invoke(main, ["summarise", "--jsonl", "-"], input='{"id": 1, "text": "好。"}\nnot json\n')
    assert result.exit_code == 1
    assert "briefing: error: <stdin>:2: not a JSON object" in result.output


def test_jieba_prints_nothing_on_stderr(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("州政协召开常委会会议，审议通过3项议案。委员提出建议12件。", "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "summarise", str(article), "--sentences", "1"],
        capture_output=True, text=True, encoding="utf-8", check=True,
    )
    assert run.stderr == ""
    assert run.stdout.strip() in article.read_text("utf-8")


def test_scene_setting_speech_introductions_and_leaning_sentences_lose_to_reports(summariser):
    from briefing.model import Article

    section = _section(
        "冬日的赣南，漫山遍野的脐橙树挂满金黄的果实。",
        "在院坝协商会上，居民代表王大爷高兴地说。",
        "这些与群众生活息息相关的小事，成为协商议事的重要内容。",
        "市政协建成协商议事室186个，开展协商活动700余场次。",
    )
    result = summariser.summarise_article(Article(source="x", title="t", sections=(section,)), 1, 1)
    assert [k.text for k in result.sections[0].key_sentences] == ["市政协建成协商议事室186个，开展协商活动700余场次。"]


def test_a_paragraph_that_starts_mid_sentence_does_not_give_its_fragment(summariser):
    from briefing.model import Article

    section = _section(
        "的重要使命，百色市政协坚持把铸牢中华民族共同体意识作为工作主线。",
        "百色市政协在全市建成委员工作室56个。",
    )
    result = summariser.summarise_article(Article(source="x", title="t", sections=(section,)), 2, 1)
    assert [k.text for k in result.sections[0].key_sentences] == ["百色市政协在全市建成委员工作室56个。"]


def test_a_sentence_printed_twice_is_picked_once(summariser):
    text = "全年开展协商议事活动124场，解决民生实事141件。" * 3 + "州政协成立8个委员履职党支部。"
    picked = summariser.summarise_text(text, 2)
    assert len(picked) == 2 and len(set(picked)) == 2

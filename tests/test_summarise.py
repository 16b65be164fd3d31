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
    return [summariser.summarise_article(a) for a in seed_articles]


def _section(*paragraphs: str) -> Section:
    return Section(
        "小标题",
        1,
        tuple(Paragraph(p, tuple(split_sentences(p)), (i + 2,)) for i, p in enumerate(paragraphs)),
    )


def _picks(summariser, *paragraphs: str, per_section: int = 4) -> list[str]:
    from briefing.model import Article

    article = Article(source="x", title="t", sections=(_section(*paragraphs),))
    result = summariser.summarise_article(article, per_section, overview=0)
    return [k.text for k in result.sections[0].key_sentences]


@pytest.mark.parametrize(
    ("body", "headed", "maximum", "expected"),
    [(0, True, 4, 0), (1, True, 4, 1), (3, True, 4, 1), (4, True, 4, 2), (30, True, 4, 2),
     (12, False, 4, 4), (12, False, 2, 2), (2, False, 4, 4), (9, True, 1, 1)],
)
def test_a_section_gets_the_editors_count_never_more_than_the_maximum(body, headed, maximum, expected):
    from briefing.summarise import pick_count

    assert pick_count(body, headed, maximum) == expected


def test_seed_sections_get_counts_by_their_size_from_their_own_text(summarised, summariser):
    from briefing.summarise import pick_count

    for article in summarised:
        for section, scored in zip(article.sections, summariser.score_article(article)):
            assert len(section.key_sentences) <= pick_count(len(scored.rows), True, 4)
            assert len(section.key_sentences) >= (1 if scored.rows else 0)
            for key in section.key_sentences:
                assert section.paragraphs[key.paragraph].sentences[key.sentence] == key.text
            places = [(k.paragraph, k.sentence) for k in section.key_sentences]
            assert places == sorted(places)


def test_nothing_in_the_seeds_briefing_is_picked_twice(summarised):
    texts = [k.text for a in summarised for s in a.sections for k in s.key_sentences]
    assert len(texts) == len(set(texts))


def test_slogans_lyrics_quotations_and_fragments_are_not_picked(summarised):
    picked = {k.text for a in summarised for s in a.sections for k in s.key_sentences}
    picked |= {o.text for a in summarised for o in a.overview}
    for text in picked:
        assert not text.startswith("只有思想上同心同德")  # a slogan
        assert "团结就是力量" not in text  # a song
        assert not text.startswith("各方面")  # the fragment after the lost heading
        assert not text.startswith("“州委将一如既往")  # a quoted speech
        assert not text.startswith(("这", "此外", "对此", "而这"))  # leans on the sentence before
        assert not text.endswith("？")  # a rhetorical question


def test_a_figure_rich_section_gives_a_sentence_with_figures(summarised, summariser):
    from briefing.figures import find_figures

    cut = summariser.tokenizer
    for article in summarised:
        for section in article.sections:
            with_figures = [k for k in section.key_sentences if find_figures(k.text, cut)]
            candidates = [s for p in section.paragraphs for s in p.sentences if len(find_figures(s, cut)) >= 2]
            if len(candidates) >= 2:
                assert with_figures, section.heading


def test_the_overview_is_one_sentence_of_the_article_that_sums_it_up(summarised):
    from briefing.signals import leans_on_previous

    for article in summarised:
        assert len(article.overview) == 1
        (o,) = article.overview
        section = article.sections[o.section]
        assert section.paragraphs[o.paragraph].sentences[o.sentence] == o.text
        assert not leans_on_previous(o.text) and not o.text.endswith("？")
        assert o.section == 0  # the seed's leads carry what each article is about


def test_the_overview_prefers_the_leads_thesis_sentence(summariser):
    from briefing.model import Article

    lead = Section(None, None, tuple(
        Paragraph(p, tuple(split_sentences(p)), (i + 2,)) for i, p in enumerate((
            "清晨，街巷里已是一派忙碌景象。",
            "近年来，临沧市政协聚焦边境民生开展协商议政，推动解决群众急难愁盼问题120余个。",
        ))
    ))
    body = _section("市政协建成委员工作室56个，联系群众2万余人。", "委员提出提案230件，立案205件。")
    article = Article(source="x", title="t", region="临沧市", sections=(lead, body))
    (overview,) = summariser.summarise_article(article).overview
    assert overview.text.startswith("近年来，临沧市政协")


def test_each_key_sentence_says_why_it_was_chosen(summarised):
    from briefing.summarise import FEATURES

    for article in summarised:
        for section in article.sections:
            for key in section.key_sentences:
                assert 0 < key.score < 1
                assert key.reasons and all(name in FEATURES for name, _ in key.reasons)
                weights = [abs(w) for _, w in key.reasons]
                assert weights == sorted(weights, reverse=True)


def test_a_concrete_action_beats_a_slogan(summariser):
    assert _picks(
        summariser,
        "只有思想上同心同德，才有行动上同向同行。",
        "全年开展协商议事活动124场，解决民生实事141件，出台《协商议事规则》。",
        "团结奋进，共创未来。",
    ) == ["全年开展协商议事活动124场，解决民生实事141件，出台《协商议事规则》。"]


def test_near_duplicates_are_not_both_picked(summariser):
    texts = _picks(
        summariser,
        "州政协全年开展协商议事活动124场，解决民生实事141件。",
        "州政协全年开展协商议事活动124场，解决了民生实事141件。",
        "州委出台《关于加强新时代政协工作的实施意见》，建立8个委员履职党支部。",
        "会议强调，要牢记初心使命，奋力谱写新篇章。",
    )
    assert len(texts) == 2
    assert "《关于加强新时代政协工作的实施意见》" in texts[1]
    assert "124场" in texts[0]


def test_a_one_sentence_section_gives_that_sentence(summariser):
    assert _picks(summariser, "州政协召开常委会会议，审议通过3项议案。") == ["州政协召开常委会会议，审议通过3项议案。"]


def test_a_sentence_leaning_on_the_one_before_loses_to_one_that_stands_alone(summariser):
    for opener in ("这些举措", "此外，该系统", "对此，他们", "该中心成立以来"):
        picked = _picks(
            summariser,
            "市政协组织委员开展专题调研，提出建议18条。",
            f"{opener}累计帮助企业解决融资难题46个，落实资金3.2亿元。",
            "县政协建成委员工作室32个，联系界别群众5000余人。",
            "市政协聚焦营商环境开展民主监督，推动出台《优化营商环境十条措施》。",
        )
        assert len(picked) == 2
        assert not any(p.startswith(opener[:2]) for p in picked), picked


def test_the_same_input_gives_the_same_picks(seed_articles, summariser, summarised):
    again = [summariser.summarise_article(a) for a in seed_articles]
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
    result = summariser.summarise_article(Article(source="x", title="t", sections=(section,)), 1, 0)
    assert [k.text for k in result.sections[0].key_sentences] == ["市政协建成协商议事室186个，开展协商活动700余场次。"]


def test_a_paragraph_that_starts_mid_sentence_does_not_give_its_fragment(summariser):
    from briefing.model import Article

    section = _section(
        "的重要使命，百色市政协坚持把铸牢中华民族共同体意识作为工作主线。",
        "百色市政协在全市建成委员工作室56个。",
    )
    result = summariser.summarise_article(Article(source="x", title="t", sections=(section,)), 2, 0)
    assert [k.text for k in result.sections[0].key_sentences] == ["百色市政协在全市建成委员工作室56个。"]


def test_a_sentence_printed_twice_is_picked_once(summariser):
    text = "全年开展协商议事活动124场，解决民生实事141件。" * 3 + "州政协成立8个委员履职党支部。"
    picked = summariser.summarise_text(text, 2)
    assert len(picked) == 2 and len(set(picked)) == 2

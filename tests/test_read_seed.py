"""The reader on the real seed: two articles, their headers, sections, repairs and captions."""

from __future__ import annotations

import re

from briefing.decode import clean_text, decode_bytes
from briefing.sentences import ends_sentence


def test_seed_has_two_articles_with_their_headers(seed_articles):
    chuxiong, honghe = seed_articles
    assert chuxiong.title == "用“创新之笔”书写精彩答卷"
    assert chuxiong.subtitle == "——云南省楚雄州政协打造“同心政协有为政协开放政协活力政协”纪实"
    assert chuxiong.byline == "本报记者 吕金平 通讯员 李茜茜 杨光周 赵学志"
    assert chuxiong.region == "楚雄州"
    assert honghe.title == "奏响助力高质量发展的协商民主“交响乐”"
    assert honghe.subtitle == "——云南省红河州政协以协商民主建设助推高质量发展工作记事"
    assert honghe.byline == "本报记者 吕金平 通讯员 刘光亮 张燕函 李茜茜"
    assert honghe.region == "红河州"


def test_seed_sections_are_a_lead_and_three_headings(seed_articles):
    chuxiong, honghe = seed_articles
    assert [s.heading for s in chuxiong.sections] == [
        None,
        "打造有为政协 以提质增效书写“发展答卷”",
        "打造开放政协 以凝心聚力书写“共识答卷”",
        "打造活力政协 以实干实效书写“作风答卷”",
    ]
    assert [s.heading for s in honghe.sections] == [
        None,
        "完善协商格局 唱响凝心聚力“主旋律”",
        "打造协商品牌 唱响服务大局“协奏曲”",
        "坚持协商为民 唱好服务民生“进行曲”",
    ]


def test_all_nine_page_break_cuts_are_joined(seed_articles):
    paragraphs = [p for a in seed_articles for s in a.sections for p in s.paragraphs]
    joined = [p for p in paragraphs if len(p.lines) > 1]
    assert [p.lines for p in joined] == [
        (21, 23), (33, 35), (47, 49), (63, 65), (99, 101), (117, 119), (135, 137), (151, 157), (167, 169)
    ]
    texts = "\n".join(p.text for p in paragraphs)
    for seam in ("中心组学习研讨、委员讲堂专家辅导", "职能部门负责人围桌而坐", "团结就是力量，这力量是铁",
                 "进行平等的司法保护。”", "定期听取政协工作汇报。", "当地有什么优势条件",
                 "助力滇南中心城市建设”", "将协商触角向基层延伸，让群众", "“协商在基层”、委员联系"):
        assert seam in texts


def test_caption_inside_a_broken_paragraph_is_lifted_out(seed_articles):
    honghe = seed_articles[1]
    caption = "红河州政协调研组深入一线开展“大抓市场主体培育——政协委员在行动”专题考察"
    assert [c.text for c in honghe.captions] == [caption]
    body = "".join(p.text for s in honghe.sections for p in s.paragraphs)
    assert caption not in body
    assert "将协商触角向基层延伸，让群众在家门口实现“有事好商量”。" in body


def test_lost_heading_is_kept_and_noted(seed_articles):
    chuxiong = seed_articles[0]
    assert [c.text for c in chuxiong.captions] == ["2022年11月1日，楚雄州各级政协集中传达学习党的二十大精神。"]
    lead = chuxiong.sections[0]
    assert lead.paragraphs[0].text.startswith("各方面，忠诚拥护“两个确立”")
    assert len(chuxiong.notes) == 1 and "各方面" in chuxiong.notes[0]
    assert seed_articles[1].notes == ()


def test_no_paragraph_ends_without_final_punctuation_unless_the_source_does(seed_articles):
    for article in seed_articles:
        for section in article.sections:
            for paragraph in section.paragraphs:
                assert ends_sentence(paragraph.text) or paragraph.text.endswith("——"), paragraph.text


def test_sentences_give_back_each_paragraph(seed_articles):
    for article in seed_articles:
        for section in article.sections:
            for paragraph in section.paragraphs:
                assert "".join(paragraph.sentences) == paragraph.text


def test_nothing_is_lost_from_the_seed(seed_path, seed_articles):
    """Every non-whitespace character of the seed, in order, is in the model.

    Caption lines are checked one by one (a caption can sit between the halves of a
    paragraph it does not belong to); everything else is concatenated in source order.
    """
    text, _ = clean_text(decode_bytes(seed_path.read_bytes(), seed_path)[0])
    lines = text.split("\n")
    caption_lines = {c.line: c.text for a in seed_articles for c in a.captions}
    for number, caption in caption_lines.items():
        assert re.sub(r"\s", "", lines[number - 1]) == re.sub(r"\s", "", caption)
    source = "".join(
        re.sub(r"\s", "", line) for n, line in enumerate(lines, start=1) if n not in caption_lines
    )
    model = "".join(re.sub(r"\s", "", t) for a in seed_articles for _line, t in a.source_pieces())
    assert model == source

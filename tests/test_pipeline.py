"""The spine end to end on arbitrary text, the summarising progress, and the two-process overlap."""

from __future__ import annotations

import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.config import Settings
from briefing.errors import InputError
from briefing.pipeline import build_briefing, overlapped, summarised_articles
from briefing.read import read_articles
from briefing.render.html import render_html
from briefing.render.json import render_json

LINES = st.sampled_from([
    "用“创新之笔”书写精彩答卷", "——云南省楚雄州政协打造纪实", "本报记者 吕金平 通讯员 李茜茜",
    "打造有为政协 以提质增效书写“发展答卷”", "全年开展协商议事活动124场，解决民生实事141件。",
    "州政协通过集中传达学习、中心组学习研讨、委员", "讲堂专家辅导等，迅速兴起学习热潮。",
    "新华社记者 袁宏彦摄", "<script>alert(1)</script>{{ 7*7 }}", "", "　　", "数据来源：州统计局",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES | st.text(max_size=30), max_size=25))
def test_any_text_reads_summarises_and_renders_or_is_an_input_error(summariser, lines):
    text = "\n".join(lines)
    try:
        articles = read_articles(text, "x.txt")
    except InputError:
        return
    summarised = [summariser.summarise_article(a) for a in articles]
    briefing = build_briefing(summarised, None, "2023-01-05")
    html = render_html(briefing, Settings()).data.decode("utf-8")
    assert "<script>alert" not in html
    render_json(briefing, Settings())
    for article in summarised:
        for section in article.sections:
            for key in section.key_sentences:
                assert section.paragraphs[key.paragraph].sentences[key.sentence] == key.text


def test_summarising_reports_progress_per_article(seed_path):
    calls = []
    articles, _, _ = summarised_articles([seed_path, seed_path], Settings(), lambda d, t: calls.append((d, t)))
    assert len(articles) == 4
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_overlapped_work_returns_its_result_and_raises_its_input_errors(seed_path, tmp_path):
    ran = []
    articles, warnings, _sources = overlapped(
        functools.partial(summarised_articles, [seed_path], Settings()), lambda: ran.append(True)
    )
    assert ran == [True] and [a.region for a in articles] == ["楚雄州", "红河州"] and warnings == []
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    try:
        overlapped(functools.partial(summarised_articles, [empty], Settings()), lambda: None)
    except InputError as error:
        assert str(error) == f"{empty}: the file is empty"
    else:
        raise AssertionError("the worker's InputError did not reach the caller")

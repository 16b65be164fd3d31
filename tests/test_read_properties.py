"""The reader on any input: never raises anything but InputError, never loses a character.

Hypothesis feeds arbitrary Unicode text, and text built from the genre's own line shapes
(headings, captions, cut paragraphs, bylines), to the reader; large and degenerate inputs
(a 20 MB file, a 1 MB line, 5,000 short lines) must read, in linear time. Times are not
asserted; ``pytest --durations=5`` shows them.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_read_cases import assert_lossless, assert_paragraphs_whole

from briefing.decode import clean_text, decode_bytes
from briefing.errors import InputError
from briefing.pipeline import read_seed_file
from briefing.read import read_articles

SEED = Path(__file__).resolve().parent.parent / "seeds" / "2022-chuxiong-honghe-zhengxie.txt"

# Lines of the shapes the reader tells apart, to be shuffled into arbitrary articles.
LINE_SHAPES = [
    "用“创新之笔”书写精彩答卷",
    "——云南省楚雄州政协打造“同心政协”纪实",
    "本报记者 吕金平 通讯员 李茜茜",
    "推动高质量发展·一线见闻——",
    "《人民日报》（2025年01月09日第 18 版）",
    "编者按：本版今起推出系列报道，敬请关注。",
    "——编  者",
    "打造有为政协 以提质增效书写“发展答卷”",
    "一、延链补链，从“卖果子”到“卖产品”",
    "完善配套政策",
    "2022年11月1日，楚雄州各级政协集中传达学习党的二十大精神。",
    "果农在采摘脐橙。新华社记者 袁宏彦摄",
    "（沈 涛 摄）",
    "图为委员在社区开展协商活动。",
    "党的二十大胜利召开后，州政协通过集中传达学习、委员",
    "讲堂专家辅导等，迅速兴起学习热潮。",
    "伸，让群众在家门口实现“有事好商量”。",
    "的重要使命，百色市政协坚持把铸牢中华民族共同体意识作为工作主线。",
    "回眸2022年，一幅幅生动的履职图景清晰浮现——",
    "7月，促成5家银行向15户企业授信17.6亿元。",
    "“团结就是力量，",
    "这力量是铁，这力量是钢……”委员唱响。",
    "数据来源：赣州市农业农村局",
    "（责任编辑：陈 静）",
    "<script>alert(1)</script>",
    "",
    "",
    "\u3000\u3000",
]
SHAPED = st.lists(
    st.one_of(st.sampled_from(LINE_SHAPES), st.text(max_size=60)), max_size=40
).map("\n".join)


def _read_and_check(raw: str) -> None:
    text, _bad = clean_text(raw)
    articles = read_articles(text, "x.txt")
    assert_lossless(text, articles)
    assert_paragraphs_whole(articles)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_unicode_text_reads_without_loss(raw: str) -> None:
    _read_and_check(raw)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(SHAPED)
def test_any_arrangement_of_real_line_shapes_reads_without_loss(raw: str) -> None:
    _read_and_check(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_either_read_or_raise_input_error(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "x.txt"
    path.write_bytes(data)
    try:
        read_seed_file(path)
    except InputError as error:
        assert "\n" not in str(error)


def test_text_without_headings_title_or_punctuation_reads(tmp_path: Path) -> None:
    _read_and_check("\n".join("委员深入基层开展调研协商活动" for _ in range(50)))
    _read_and_check("委员深入基层开展调研协商活动" * 2000)


def test_one_megabyte_line_reads(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_text("委员们围绕产业发展建言献策，" * 25_000 + "。", encoding="utf-8")
    (article,), _ = read_seed_file(path)
    (paragraph,) = article.sections[0].paragraphs
    assert len(paragraph.text) == 350_001


def test_five_thousand_short_lines_read(tmp_path: Path) -> None:
    raw = "\n".join(f"第{i}条" if i % 3 else f"委员建议{i}条。" for i in range(5000))
    text, _ = clean_text(raw)
    articles = read_articles(text, "x.txt")
    assert_lossless(text, articles)
    assert sum(len(s.paragraphs) for a in articles for s in a.sections) > 1000


def _read_big(path: Path) -> list:
    """Decode, clean and read a file the way `read_seed_file` does, past its size limit
    (the limit is the pipeline's policy; the reader itself must cope with more)."""
    text, _bad = clean_text(decode_bytes(path.read_bytes(), path)[0])
    return read_articles(text, path.name)


def test_twenty_megabyte_file_reads(tmp_path: Path) -> None:
    """The seed repeated to 20 MB: every copy read as the seed is (the reader is linear)."""
    seed = SEED.read_text(encoding="utf-8")
    copies = 20_000_000 // len(seed.encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    path.write_text((seed + "\n\n") * copies, encoding="utf-8")
    articles = _read_big(path)
    assert len(articles) == 2 * copies
    assert [a.title for a in articles[-2:]] == [a.title for a in articles[:2]]
    def texts(article):
        return [p.text for s in article.sections for p in s.paragraphs]

    assert texts(articles[-1]) == texts(articles[1])
    assert texts(articles[-2]) == texts(articles[0])


def test_hard_wrapped_twenty_megabyte_file_reads(tmp_path: Path) -> None:
    """One long hard-wrapped paragraph must not be re-joined piece by piece (quadratic)."""
    body = "委员们围绕产业发展建言献策，提出建议12件。" * 450_000
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(body[i : i + 40] for i in range(0, len(body), 40)), encoding="utf-8")
    (article,) = _read_big(path)
    (paragraph,) = article.sections[0].paragraphs
    assert paragraph.text == body

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
from briefing.read import read_articles, wrap_width

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
    # The shapes of issue 11: credits, two-line headings, datelines on the byline, panels.
    "本报记者  张三  李四《人民日报》（2025年01月09日第 18 版）",
    "人民政协报 2023-01-05",
    "本报讯（记者 段晓瑞 李 娅）12月的普洱，咖啡庄园里红果累累。",
    "张三摄（人民视觉）",
    "新华社记者  张三摄",
    "张三  李四摄",
    "图①：宜宾三江口夜景。",
    "（资料图片）",
    "托起“夕阳红”：",
    "养老服务从“兜底保障”到“品质升级”",
    "推进职普融通",
    "对话嘉宾：",
    "刘文涛  全国政协委员、全国工商联常委",
    "【现象】",
    "韩 静：我们去年调研了120多家县域中小民营企业。",
    "李国华：",
    "县域企业如何破解“招工难”？",
    "■ 观点",
    "本版责编：刘 军  陈 琳",
    "【现象】近年来，县域民营经济发展迅速。",
    "□本报记者 张 三",
    "坚持党的领导，",
    "从“一根筷子”到“一条链”——",
    "全国政协委员、郑州大学商学院院长  韩 静",
    "（作者系某某大学教授）",
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


# --- photo credits and captions in any place of an article ------------------------------

_NAMES = st.sampled_from(["张三", "李 四", "王小明", "欧阳明华", "朱 磊", "阿依古丽·艾买提", "胡晨欢"])
_CREDIT_BY = st.sampled_from(["", "新华社记者 ", "本报记者  ", "本报通讯员 ", "通讯员 ", "人民日报记者 "])
_AGENCY = st.sampled_from(["", "（人民视觉）", "（新华社发）", "（视觉中国）"])


@st.composite
def photo_credits(draw) -> str:
    """``新华社记者  张三摄``, ``张三  李四摄（人民视觉）``, ``（朱 磊 摄）``, ``（资料图片）``…"""
    form = draw(st.integers(0, 3))
    if form == 3:
        return draw(st.sampled_from(["（资料图片）", "赣州市委宣传部供图", "本版图片由汝城县政协提供", "受访者供图"]))
    names = "  ".join(draw(st.lists(_NAMES, min_size=1, max_size=3)))
    credit = f"{draw(_CREDIT_BY)}{names}{draw(st.sampled_from(['摄', ' 摄', '/摄']))}"
    if form == 1:
        return f"（{credit}）"
    return credit + draw(_AGENCY)


_SCENE = st.text(alphabet="委员群众在县乡村社区企业园区车间开展调研协商视察参观采摘茶叶果农", min_size=6, max_size=30)


@st.composite
def labelled_captions(draw) -> str:
    """``图①：…。``, ``图为…。``, ``▲…``: a caption that says it is one."""
    label = draw(st.sampled_from(["图①：", "图②③：", "图为", "图1：", "▲", "上图："]))
    return f"{label}{draw(_SCENE)}{draw(st.sampled_from(['。', '']))}"


_BODY = st.sampled_from([
    "2022年，全市规模以上白酒企业实现营业收入1820亿元，同比增长11.6%。",
    "“过去靠经验，现在靠数据。”一位有着30年酿龄的老师傅感慨道。",
    "州政协组织委员深入一线走访，发现问题线索136条，推动解决具体问题98个。",
    "在政策和市场的双重推动下，宜宾市规模以上白酒企业",
])
_HEADINGS = st.sampled_from([
    "完善协商格局 唱响凝心聚力“主旋律”", "一、坚持党的领导，筑牢团结奋斗思想根基", "红色资源活起来",
    "【现象】", "托起“夕阳红”：\n养老服务从“兜底保障”到“品质升级”", "推进职普融通\n为学生成长成才提供多样化路径",
])


@st.composite
def articles_with_pictures(draw) -> tuple[str, list[str]]:
    """An article whose body mixes headings, paragraphs, captions and credits; returns the text
    and the caption and credit lines in it."""
    lines = ["长江首城的“新”与“进”", "——四川宜宾以产业链群聚力推动高质量发展见闻", "本报记者  周洪双  李晓东"]
    pictures: list[str] = []
    for kind in draw(st.lists(st.sampled_from("hpcCk"), min_size=1, max_size=14)):
        if kind == "h":
            lines.append(draw(_HEADINGS))
        elif kind == "p":
            lines.append(draw(_BODY))
        elif kind == "c":
            pictures.append(draw(labelled_captions()))
            lines.append(pictures[-1])
        elif kind == "C":
            pictures.append(draw(photo_credits()))
            lines.append(pictures[-1])
        else:  # a caption sentence and its credit under it
            pictures += [draw(labelled_captions()), draw(photo_credits())]
            lines += pictures[-2:]
    lines.append(draw(_BODY))
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    return separator.join(lines), pictures


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(articles_with_pictures())
def test_credits_and_captions_never_become_headings_bylines_or_titles(drawn: tuple[str, list[str]]) -> None:
    raw, pictures = drawn
    text, _bad = clean_text(raw)
    articles = read_articles(text, "x.txt")
    assert_lossless(text, articles)
    assert len(articles) == 1
    (article,) = articles
    assert article.title == "长江首城的“新”与“进”"
    assert article.byline == "本报记者 周洪双 李晓东"
    headings = [s.heading for s in article.sections if s.heading]
    captions = {c.text for c in article.captions}
    # A short file can look hard-wrapped by chance; then a caption may be wrapped into a
    # paragraph (kept, not lost), but still never into a heading.
    wrapped = wrap_width(text.split("\n")) is not None
    for picture in pictures:
        folded = " ".join(picture.split())
        assert wrapped or folded in captions, folded
        assert not any(folded in heading for heading in headings), (folded, headings)

"""The HTML page (the source of the PDF): content, escaping, and a golden file.

The golden is made from a small hand-built briefing, not from the seed, so that work on the
reader or the summariser does not churn it. Regenerate deliberately (``make golden``) and review
the diff.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.model import Article, Briefing, Figure, KeySentence, OverviewSentence, Paragraph, Section
from briefing.render.html import breakable, render_html
from briefing.render.view import build_view, chinese_date, figure_label, plain

GOLDEN = Path(__file__).parent / "golden" / "briefing.html"
SETTINGS = Settings(name="政协工作简报", unit="某州政协办公室", issue=3,
                    distribution={"报": "省政协办公厅", "送": "州委办公室", "发": "各县市政协"})


def _article(region: str, title: str, activity: str = "协商", index: int = 0, **source: str) -> Article:
    """A two-section article: a lead (with a relative time and a figure in an unprinted
    sentence) and one headed section whose figures are compared, highlighted or (not comparable,
    in an unprinted sentence) listed in its own table.

    Each region's figures differ (6个 / 7个 …, by `index`), so a figure shown under the wrong
    region is a visible mistake, not an invisible one."""
    count, events, policies, firms = f"{6 + index}个", f"{13 + 10 * index}场", f"{50 + index}条", f"{1.3 + index:.1f}万余户"
    lead = (f"{region}政协成立{count}委员界别活动组党支部。", f"2022年，{region}各级政协开展{activity}活动{events}。",
            f"4月，{region}召开界别协商会。")
    reports = f"{20 + index}篇"
    body = (f"{region}聚焦“扎实稳住经济一揽子政策措施（{policies}）”开展监督。", f"{region}助推新增市场主体{firms}。",
            f"全年形成{activity}报告{reports}。")
    paragraphs = (Paragraph("".join(lead), lead, (10,)), Paragraph("".join(body), body, (12,)))
    lead_section = Section(
        None, None, paragraphs[:1],
        key_sentences=(KeySentence(lead[0], 0, 0, 0.9), KeySentence(lead[2], 0, 2, 0.5)),
        figures=(Figure(count, 6 + index, False, "个", "委员界别活动组党支部", 0, 0, lead[0].index(count)),
                 Figure(events, 13 + 10 * index, False, "场", f"{activity}活动", 0, 1, lead[1].index(events))),
    )
    headed = Section(
        "打造协商品牌 唱响“协奏曲”", 11, paragraphs[1:],
        key_sentences=(KeySentence(body[0], 0, 0, 0.7), KeySentence(body[1], 0, 1, 0.8)),
        figures=(Figure(firms, (1.3 + index) * 10000, True, "户", "新增市场主体", 0, 1, body[1].index(firms)),
                 Figure(policies, 50 + index, False, "条", "", 0, 0, body[0].index(policies)),
                 Figure(reports, 20 + index, False, "篇", f"{activity}报告", 0, 2, body[2].index(reports))),
    )
    return Article(
        source=f"seeds/{region}.txt", title=title, subtitle=f"——{region}政协工作纪实",
        byline="本报记者 某某", region=region, notes=("原文此处似有文字缺失，照录原文。",),
        sections=(lead_section, headed),
        overview=(OverviewSentence(lead[0], 0, 0, 0),),
        **source,
    )


def sample_briefing(regions: tuple[str, ...] = ("甲州", "乙州")) -> Briefing:
    """A small briefing exercising every block: lead, notes, figures, distribution; the first
    article with its paper, date and page, the others without."""
    sources = [{"paper": "人民政协报", "date": "2023-01-05", "page": "5"}] + [{}] * (len(regions) - 1)
    # Activities that are not comparable (协商 and 学习 are different things), so their figures stay
    # in the articles' own tables.
    activities = ("协商", "学习", "调研", "视察")
    articles = tuple(
        _article(r, f"{r}用“创新之笔”书写答卷", a, i, **s)
        for i, (r, a, s) in enumerate(zip(regions, activities, sources))
    )
    return Briefing(title=f"{' '.join(regions)}政协履职工作要点", date="2023-01-05", articles=articles)


class _Blocks(HTMLParser):
    """Text of every block element (p, h1–h3, th, td) in document order."""

    BLOCKS = {"p", "h1", "h2", "h3", "th", "td", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.blocks.append((tag, ""))
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and tag == self._stack[-1]:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack:
            tag, text = self.blocks[-1]
            self.blocks[-1] = (tag, text + data)


def html_blocks(html: str) -> list[tuple[str, str]]:
    """(tag, text) per block, whitespace removed: what a reader reads."""
    parser = _Blocks()
    parser.feed(html)
    return [(tag, re.sub(r"\s", "", text)) for tag, text in parser.blocks]


@pytest.fixture(scope="module")
def sample_html() -> str:
    # The title weight depends on whether 方正小标宋 is installed; pin "not installed" so the
    # golden is the same on every machine.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("briefing.render.fonts.installed_families", lambda: frozenset())
        return render_html(sample_briefing(), SETTINGS).data.decode("utf-8")


def test_html_matches_golden(sample_html: str, golden) -> None:
    golden.check(GOLDEN, sample_html)


def test_masthead_shows_name_issue_unit_and_date(sample_html: str) -> None:
    blocks = html_blocks(sample_html)
    texts = [text for _tag, text in blocks]
    assert texts[1:4] == ["政协工作简报", "第3期", "某州政协办公室2023年1月5日"]
    assert ("h1", "甲州乙州政协履职工作要点") in blocks


def test_every_article_block_appears_in_page_order(sample_html: str) -> None:
    blocks = [text for _tag, text in html_blocks(sample_html)]
    expected = [
        "导读", "甲州《甲州用“创新之笔”书写答卷》：甲州政协成立6个委员界别活动组党支部。", "主要数据对照",
        "一、甲州用“创新之笔”书写答卷", "——甲州政协工作纪实", "据《人民政协报》2023年1月5日第5版记者某某",
        "【说明】原文此处似有文字缺失，照录原文。", "4月〔2022年〕，甲州召开界别协商会。", "协商活动", "13场",
        "（一）打造协商品牌唱响“协奏曲”", "甲州聚焦“扎实稳住经济一揽子政策措施（50条）”开展监督。",
        "二、乙州用“创新之笔”书写答卷", "刊发报纸及日期不详本报记者某某",
        "本简报摘编自上列报道，所录语句均照录原文；〔〕内文字为摘编时所加。",
        "报：省政协办公厅", "送：州委办公室", "发：各县市政协",
    ]
    positions = [blocks.index(e) for e in expected]
    assert positions == sorted(positions)


def test_nothing_is_printed_twice(sample_html: str) -> None:
    """The 导读 sentence is not repeated in the body; a compared figure's sentence is not printed;
    a printed sentence's figures are highlighted in it and listed nowhere else."""
    blocks = [text for _tag, text in html_blocks(sample_html)]
    text = "".join(blocks)
    assert text.count("甲州政协成立6个委员界别活动组党支部。") == 1
    assert "助推新增市场主体1.3万余户" not in text
    start = blocks.index("主要数据对照")
    assert blocks[start + 1 : start + 7] == ["指标", "甲州", "乙州", "新增市场主体", "1.3万余户", "2.3万余户"]
    assert "50条" not in blocks and "6个" not in blocks
    assert '<strong class="figure">50条</strong>' in sample_html
    # one per article, in the table of figures whose sentence is not printed
    assert blocks.count("13场") == blocks.count("23场") == 1
    assert "学习活动" in blocks


def test_a_lead_has_no_heading_and_headed_sections_are_numbered() -> None:
    view = build_view(sample_briefing(), SETTINGS)
    sections = view.articles[0].sections
    assert [(s.number, s.heading, s.is_lead) for s in sections] == [
        ("", "", True), ("（一）", "打造协商品牌 唱响“协奏曲”", False)
    ]
    assert [plain(p) for p in sections[0].paragraphs] == ["4月〔2022年〕，甲州召开界别协商会。"]
    assert [(r.label, r.value) for r in sections[0].figures] == [("协商活动", "13场")]


def test_figure_without_label_gets_the_words_around_it() -> None:
    section = sample_briefing().articles[0].sections[1]
    # “…政策措施（50条）”: the clause before it is empty, so the nearest words stand in.
    assert figure_label(section, section.figures[1]) == "实稳住经济一揽子政策措施"
    assert figure_label(section, section.figures[0]) == "新增市场主体"


def test_comparison_has_the_label_once_and_one_column_per_region_split_after_three() -> None:
    two = build_view(sample_briefing(), SETTINGS).compare
    assert [t.regions for t in two] == [("甲州", "乙州")]
    assert [(r.label, r.values) for r in two[0].rows] == [("新增市场主体", ("1.3万余户", "2.3万余户"))]
    four = build_view(sample_briefing(("甲州", "乙州", "丙州", "丁州")), SETTINGS).compare
    assert [t.regions for t in four] == [("甲州", "乙州", "丙州"), ("丁州",)]
    assert four[1].rows[0].values == ("4.3万余户",)


def test_article_text_is_data_never_markup() -> None:
    hostile = '<script>alert(1)</script>{{ 7*7 }}{% raw %}<img src="file:///etc/passwd">'
    base = sample_briefing()
    article = base.articles[0]
    section = article.sections[0]
    text = section.paragraphs[0].sentences[0]
    evil = Section(None, None, section.paragraphs, (KeySentence(hostile + text, 0, 0),), section.figures)
    briefing = Briefing(base.title, base.date, (Article(**{**_fields(article), "sections": (evil,), "overview": ()}),))
    html = render_html(briefing, SETTINGS).data.decode("utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}{% raw %}&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def _fields(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}


def test_page_loads_nothing_external(sample_html: str) -> None:
    assert not re.search(r"<(link|img|script|iframe|object)\b|src=|@import|url\(", sample_html)
    assert '<html lang="zh-CN">' in sample_html
    assert '<meta name="dcterms.created" content="2023-01-05">' in sample_html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("聚焦“扎实”落实", "聚焦<wbr>“扎实”<wbr>落实"),
        ("聚焦“扎实”，落实", "聚焦<wbr>“扎实”，落实"),  # never a comma at a line start
        ("（“四个一批”）", "（“四个一批”）"),  # never an opening bracket at a line end
        ("“第一议题”“第一专题”", "“第一议题”<wbr>“第一专题”"),
        ("<b>", "&lt;b&gt;"),
        # A number stays with its magnitude and unit; a lone digit needs no span.
        ("授信17.6亿元，2100余名委员", '授信<span class="nobr">17.6亿元</span>，<span class="nobr">2100余名</span>委员'),
        ("第5批", '第<span class="nobr">5批</span>'),
        ("达100%，10600人", '达100%，<span class="nobr">10600人</span>'),  # Pango keeps 100% whole itself
        ('"7"号', "&#34;7&#34;号"),  # escaped markup is never taken for a number
    ],
)
def test_breakable_adds_break_chances_only_where_allowed(text: str, expected: str) -> None:
    assert str(breakable(text)) == expected


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date("2023-01-05") == "2023年1月5日"


def test_articles_are_numbered_in_chinese_past_one_hundred():
    from briefing.render.view import chinese_number

    assert [chinese_number(n) for n in (1, 10, 12, 20, 99, 100, 101, 110, 115, 1000, 1010)] == [
        "一", "十", "十二", "二十", "九十九", "一百", "一百零一", "一百一十", "一百一十五", "一千", "一千零一十"
    ]


def test_html_text_has_no_invisible_characters(sample_html: str) -> None:
    """Text copied from the page matches a search: no zero-width or joiner characters."""
    assert not re.search("[\u200b-\u200d\u2060\ufeff]", sample_html)


def test_no_table_cell_is_empty(sample_html: str) -> None:
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", sample_html, re.S)
    assert cells and all(re.sub(r"<[^>]+>|\s", "", cell) for cell in cells)

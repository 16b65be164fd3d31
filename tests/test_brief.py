"""A briefing that is brief: the page budget, nothing printed twice, figures compared by meaning,
years anchored, sources named, lost headings shown as an editor would.

The seed's default briefing is checked as a reader gets it: the PDF's extracted text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.config import Settings
from briefing.model import Article, Figure, KeySentence, OverviewSentence, Paragraph, Section
from briefing.pipeline import build_briefing
from briefing.render.anchor import year_of
from briefing.render.compare import compare_rows, likeness
from briefing.render.html import render_html
from briefing.render.view import LOST_HEADING, build_view, plain, source_line

NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def figure(label: str, text: str, unit: str) -> Figure:
    value = float(re.match(r"[\d.]+", text).group(0)) if re.match(r"\d", text) else 3.0
    return Figure(text, value, False, unit, label)


# --- 主要数据对照 by meaning ------------------------------------------------------------------

ALIGN = [
    # same head noun (党支部), the qualifiers differ
    (figure("委员界别活动组党支部", "6个", "个"), figure("委员履职党支部", "8个", "个")),
    # a general head (活动) with a shared qualifier (协商), 场 and 场次 both count events
    (figure("协商议事活动", "124场", "场"), figure("协商活动", "30场次", "场次")),
    # 户 and 家 both count businesses
    (figure("新增市场主体", "1.3万余户", "户"), figure("新增市场主体", "2万家", "家")),
    (figure("委员工作室", "218个", "个"), figure("委员工作室", "150个", "个")),
    (figure("“协商在基层”议事室", "141个", "个"), figure("基层协商议事室", "90个", "个")),
    (figure("提案", "300件", "件"), figure("提案", "280件", "件")),
    (figure("委员参与率", "100%", "%"), figure("委员参与率", "95%", "%")),
]

APART = [
    # the unrelated pairs
    (figure("委员界别活动组党支部", "6个", "个"), figure("新增市场主体", "1.3万余户", "户")),
    (figure("到楚雄州调研", "三次", "次"), figure("授信", "17.6亿元", "元")),
    # events held are not rooms built
    (figure("协商议事活动", "124场", "场"), figure("“协商在基层”议事室", "141个", "个")),
    (figure("委员工作室", "218个", "个"), figure("“协商在基层”议事室", "141个", "个")),
    # a general head alone says nothing of what was counted
    (figure("学习活动", "50余次", "次"), figure("协商议事活动", "124场", "场")),
    (figure("各类协商活动", "13场次", "场次"), figure("各类学习活动", "50余次", "次")),
    (figure("企业", "15户", "户"), figure("企业", "33家", "家")),
    (figure("措施", "30条", "条"), figure("措施", "6条", "条")),
    (figure("授信", "17.6亿元", "元"), figure("实际放贷", "14.7亿元", "元")),
    (figure("面积", "60万亩", "亩"), figure("面积", "7万亩", "亩")),
    # the same words, counted in different units
    (figure("委员", "2100余名", "名"), figure("委员", "8个", "个")),
    (figure("", "45.3%", "%"), figure("", "47%", "%")),
]


@pytest.mark.parametrize(("a", "b"), ALIGN, ids=[f"{a.label}~{b.label}" for a, b in ALIGN])
def test_figures_that_count_the_same_thing_line_up(a: Figure, b: Figure) -> None:
    assert likeness(a, b) > 0 and likeness(b, a) > 0
    rows = compare_rows([[a], [b]])
    assert [(r.figures) for r in rows] == [(a, b)]


@pytest.mark.parametrize(("a", "b"), APART, ids=[f"{a.label}/{b.label}" for a, b in APART])
def test_figures_that_count_different_things_stay_apart(a: Figure, b: Figure) -> None:
    assert likeness(a, b) == 0
    assert compare_rows([[a], [b]]) == []


def test_each_figure_is_used_once_and_the_surest_pair_wins() -> None:
    a = [figure("协商活动", "13场次", "场次"), figure("协商议事活动", "124场", "场")]
    b = [figure("协商议事活动", "98场", "场")]
    rows = compare_rows([a, b])
    assert [(r.label, [f.text if f else None for f in r.figures]) for r in rows] == [
        ("协商议事活动", ["124场", "98场"])
    ]


def test_the_seed_lines_up_only_its_party_branches(seed_briefing) -> None:
    """楚雄's 6 party branches of 委员界别活动组 and 红河's 8 of 委员履职 are the same kind of thing;
    楚雄's 124 协商议事活动 (events held) and 红河's 141 议事室 (rooms set up) are not, nor are
    各类协商活动 and 各类学习活动, and no other figure of one region counts what one of the other does."""
    regions = [[f for s in a.sections for f in s.figures] for a in seed_briefing.articles]
    rows = compare_rows(regions)
    assert [(r.label, [f.text for f in r.figures]) for r in rows] == [("委员党支部", ["6个", "8个"])]
    # The table shows what the 导读 and the body do not: a row whose figure is printed elsewhere goes.
    compare = build_view(seed_briefing, Settings()).compare
    assert all((r.label, r.values) == ("委员党支部", ("6个", "8个")) for t in compare for r in t.rows)


def test_no_comparison_table_when_nothing_compares(seed_briefing) -> None:
    one = build_briefing(seed_briefing.articles[:1], None, "2023-01-05")
    assert build_view(one, Settings()).compare == ()
    html = render_html(one, Settings()).data.decode("utf-8")
    assert "<section class=\"compare\">" not in html


# --- time and source --------------------------------------------------------------------------


def _section(*paragraphs: str) -> Section:
    from briefing.sentences import split_sentences

    return Section("小标题", 1, tuple(Paragraph(p, tuple(split_sentences(p)), (i,)) for i, p in enumerate(paragraphs)))


@pytest.mark.parametrize(
    ("paragraphs", "where", "published", "year"),
    [
        (("回眸2022年，一幅幅履职图景清晰浮现——", "4月，创新启动实施行动。"), (1, 0), None, 2022),
        (("2022年，州委出台意见。年内，召开会议2次。",), (0, 1), None, 2022),
        (("2021年协商成果落实。2022年，全国政协调研三次。", "这一年，州政协履职尽责。"), (1, 0), None, 2022),
        # no year in the section before it: left bare, whatever the publication date
        (("4月，创新启动实施行动。",), (0, 0), "2023-01-05", None),
        (("州委出台意见。", "年内，召开会议2次。"), (1, 0), "2023-01-05", None),
        # a year in a document's name or a span is not the narrative's year
        (("出台《三年行动计划（2022—2024年）》。", "4月，召开会议。"), (1, 0), None, None),
        # 今年 and 去年 count from the publication date only
        (("今年，召开会议2次。",), (0, 0), "2025-01-09", 2025),
        (("去年，召开会议2次。",), (0, 0), "2025-01-09", 2024),
        (("2022年，出台意见。", "今年，召开会议2次。"), (1, 0), None, None),
        (("2022年，出台意见。", "同时，召开会议。"), (1, 0), None, None),
    ],
)
def test_relative_time_gets_its_year_only_when_the_article_makes_it_certain(paragraphs, where, published, year):
    section = _section(*paragraphs)
    p, s = where
    assert year_of(section.paragraphs[p].sentences[s], section, p, s, published) == year


def _picking(briefing, *openings: str):
    """The briefing with, as each section's key sentences, its sentences opening with `openings`."""
    articles = []
    for article in briefing.articles:
        sections = []
        for section in article.sections:
            keys = tuple(
                KeySentence(sentence, p, k)
                for p, paragraph in enumerate(section.paragraphs)
                for k, sentence in enumerate(paragraph.sentences)
                if sentence.startswith(openings)
            )
            sections.append(replace(section, key_sentences=keys))
        articles.append(replace(article, sections=tuple(sections), overview=()))
    return replace(briefing, articles=tuple(articles))


def test_the_seed_shows_the_year_of_its_relative_times(seed_briefing) -> None:
    view = build_view(_picking(seed_briefing, "4月", "年内", "这一年", "全年", "7月"), Settings())
    texts = [plain(p) for a in view.articles for s in a.sections for p in s.paragraphs]
    joined = "".join(texts)
    assert "年内〔2022年〕，召开2次专题议政性常委会会议" in joined
    assert "这一年〔2022年〕，开局起步的十三届红河州政协" in joined
    assert "4月〔2022年〕，创新启动实施助推市场主体倍增" in joined
    assert "7月〔2022年〕，搭建银企恳谈会平台" in joined
    assert not re.search(r"(?:^|[。！？])(?:\d{1,2}月|年内|这一年|全年)[，,]", joined)


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"paper": "人民日报", "date": "2025-01-09", "page": "18", "byline": "本报记者 某某"},
         "据《人民日报》2025年1月9日第18版　记者 某某"),
        ({"paper": "人民政协报", "byline": "本报记者 某某"}, "据《人民政协报》，刊发日期不详　记者 某某"),
        ({"date": "2025-01-09"}, "刊发于2025年1月9日，报纸不详"),
        ({"byline": "本报记者 某某"}, "刊发报纸及日期不详　本报记者 某某"),
        ({"paper": "人民日报", "date": "2025-13-40"}, "据《人民日报》，刊发日期不详"),
        # a dateline not yet read into paper and date is shown as printed, never called unknown
        ({"dateline": "《人民政协报》（2024年05月16日第 06 版）", "byline": "本报记者 某某"},
         "《人民政协报》（2024年05月16日第 06 版）　本报记者 某某"),
        ({"byline": "本报记者 某某《人民日报》（2023年08月02日第 10 版）"},
         "本报记者 某某《人民日报》（2023年08月02日第 10 版）"),
    ],
)
def test_source_line_names_paper_date_and_page_or_says_they_are_unknown(fields, line) -> None:
    assert source_line(Article(source="/home/someone/seeds/x.txt", title="题", **fields)) == line


def test_no_file_path_in_the_documents(seed_briefing) -> None:
    html = render_html(seed_briefing, Settings()).data.decode("utf-8")
    assert "seeds/" not in html and ".txt" not in html and "/home" not in html


# --- lost heading, placeholder unit -------------------------------------------------------------


def test_a_lost_heading_is_shown_neutrally_and_numbered_like_the_others(seed_briefing) -> None:
    chuxiong = build_view(seed_briefing, Settings()).articles[0]
    assert [(s.number, s.heading) for s in chuxiong.sections] == [
        ("（一）", LOST_HEADING),
        ("（二）", "打造有为政协 以提质增效书写“发展答卷”"),
        ("（三）", "打造开放政协 以凝心聚力书写“共识答卷”"),
        ("（四）", "打造活力政协 以实干实效书写“作风答卷”"),
    ]
    assert chuxiong.notes == ("原报道在“各方面，忠诚拥护…”之前有文字缺失，当为原版面排版时丢失。",)
    honghe = build_view(seed_briefing, Settings()).articles[1]
    assert (honghe.sections[0].number, honghe.sections[0].heading) == ("", "")  # a real lead


@pytest.mark.parametrize("unit", ["", "编印单位", "  "])
def test_an_unset_unit_is_left_blank_never_a_placeholder(seed_briefing, unit) -> None:
    settings = Settings(unit=unit)
    assert build_view(seed_briefing, settings).unit == ""
    html = render_html(seed_briefing, settings).data.decode("utf-8")
    assert "编印单位" not in html and 'name="author"' not in html


# --- the seed's default briefing as a reader gets it ---------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory, seed_path):
    """`briefing make` on the seed with default settings: (stderr, out folder)."""
    work = tmp_path_factory.mktemp("made")
    (work / "seeds").mkdir()
    shutil.copy(seed_path, work / "seeds")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = CliRunner().invoke(main, ["make", "--date", "2023-01-05", "--format", "pdf,docx,json"])
    assert result.exit_code == 0, result.output
    return result.output, work / "out"


def _pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"—\d+—", "", re.sub(r"[\s\u200b]", "", text))


@pytest.mark.slow
def test_make_warns_once_about_the_unit_and_says_what_the_budget_left_out(made) -> None:
    output, _out = made
    assert output.count("no issuing unit set") == 1
    assert re.search(r"fitted to the page budget: [1-4] page\(s\), limit 4: left out \d+ key sentence", output)


@pytest.mark.slow
@NEEDS_POPPLER
def test_the_seeds_default_briefing_is_at_most_four_pages_and_30_percent(made, seed_path) -> None:
    from pypdf import PdfReader

    _output, out = made
    assert len(PdfReader(out / "briefing.pdf").pages) <= 4
    source = re.sub(r"\s", "", seed_path.read_text("utf-8"))
    printed = _pdf_text(out / "briefing.pdf")
    assert len(printed) <= 0.30 * len(source), (len(printed), len(source))
    assert PdfReader(out / "briefing.pdf").metadata.get("/Author", "") == ""
    import docx

    assert docx.Document(str(out / "briefing.docx")).core_properties.author == ""


@pytest.mark.slow
@NEEDS_POPPLER
def test_no_sentence_and_no_figure_is_printed_twice(made, seed_articles) -> None:
    import json

    _output, out = made
    printed = _pdf_text(out / "briefing.pdf")
    printed_plain = re.sub(r"〔\d{4}年〕", "", printed)
    model = json.loads((out / "briefing.json").read_text("utf-8"))
    sentences = [s for a in seed_articles for sec in a.sections for p in sec.paragraphs for s in p.sentences]
    shown = [s for s in sentences if len(s) >= 12 and s in printed_plain]
    assert len(shown) >= 8
    for sentence in shown:
        assert printed_plain.count(sentence) == 1, sentence
    # A figure in a table is a figure whose sentence is not printed.
    figures = [f for a in model["articles"] for sec in a["sections"] for f in sec["figures"]]
    for article in seed_articles:
        for section in article.sections:
            for p, paragraph in enumerate(section.paragraphs):
                for s, sentence in enumerate(paragraph.sentences):
                    if sentence in printed_plain:
                        continue
                    for f in figures:
                        if (f["paragraph"], f["sentence"]) == (p, s) and f["text"] in sentence:
                            # its value appears in a table at most once
                            assert printed.count(f["label"] + f["text"]) <= 1


@pytest.mark.slow
@NEEDS_POPPLER
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_the_docx_fits_the_same_budget_in_libreoffice(made, tmp_path) -> None:
    _output, out = made
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out / "briefing.docx")],
        check=True, capture_output=True, timeout=120,
    )
    from pypdf import PdfReader

    assert len(PdfReader(tmp_path / "briefing.pdf").pages) <= 4


@pytest.mark.slow
def test_pages_zero_means_no_limit(tmp_path, seed_path, monkeypatch) -> None:
    (tmp_path / "seeds").mkdir()
    shutil.copy(seed_path, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["make", "--date", "2023-01-05", "--format", "json", "--pages", "0"])
    assert result.exit_code == 0 and "page budget" not in result.output
    result = CliRunner().invoke(main, ["make", "--date", "2023-01-05", "--format", "html", "--pages", "2"])
    assert result.exit_code == 0
    assert re.search(r"fitted to the page budget: 2 page\(s\), limit 2: left out", result.output)
    # Mastheads, the 导读 and the headings never go: a budget below them is said, not hidden.
    result = CliRunner().invoke(main, ["make", "--date", "2023-01-05", "--format", "html", "--pages", "1", "-q"])
    assert result.exit_code == 0
    assert re.search(r"warning: --pages: 2 page\(s\), limit 1: over the limit with .* left out", result.output)


@pytest.fixture(scope="module")
def seed_briefing(seed_articles, summariser):
    articles = [summariser.summarise_article(a) for a in seed_articles]
    return build_briefing(articles, None, "2023-01-05")


# --- properties: whatever the summariser picks, nothing twice and no cut sentence ----------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402



def _all_sentences(article: Article):
    for s, section in enumerate(article.sections):
        for p, paragraph in enumerate(section.paragraphs):
            for k, sentence in enumerate(paragraph.sentences):
                yield s, p, k, sentence


@st.composite
def picked(draw, base):
    """The seed with any key sentences (repeats across articles included) and any overview."""
    articles = []
    for article in base.articles:
        every = list(_all_sentences(article))
        keys = draw(st.sets(st.sampled_from(range(len(every))), max_size=12))
        overview = draw(st.lists(st.sampled_from(range(len(every))), max_size=3))
        sections = []
        for s, section in enumerate(article.sections):
            chosen = tuple(
                KeySentence(text, p, k, draw(st.floats(0, 2))) for i, (s2, p, k, text) in enumerate(every)
                if s2 == s and i in keys
            )
            sections.append(replace(section, key_sentences=chosen))
        articles.append(replace(article, sections=tuple(sections), overview=tuple(
            OverviewSentence(every[i][3], every[i][0], every[i][1], every[i][2]) for i in overview
        )))
    if draw(st.booleans()):
        articles.append(articles[0])  # the same article twice: its sentences print once
    return replace(base, articles=tuple(articles))


def _printed(view) -> list[str]:
    texts = [re.sub(r"〔\d{4}年〕", "", plain(o.text)) for o in view.overview if o.text]
    for article in view.articles:
        for section in article.sections:
            texts.extend(re.sub(r"〔\d{4}年〕", "", plain(p)) for p in section.paragraphs)
    return texts


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_is_picked_nothing_prints_twice_and_no_sentence_is_cut(seed_briefing, data) -> None:
    briefing = data.draw(picked(seed_briefing))
    view = build_view(briefing, Settings())
    printed = _printed(view)
    document = "".join(printed)
    sources = {text for a in briefing.articles for _s, _p, _k, text in _all_sentences(a)}
    for sentence in sources:
        if len(sentence) >= 8:
            assert document.count(sentence) <= 1, sentence
    # Every printed paragraph is whole sentences of one source paragraph.
    paragraphs = {p.text: p.sentences for a in briefing.articles for s in a.sections for p in s.paragraphs}
    for text in printed:
        assert any(_whole(text, sentences) for sentences in paragraphs.values()), text
    # A figure in a table is one whose sentence is not printed.
    for article, shown in zip(briefing.articles, view.articles):
        for section_view in shown.sections:
            for row in section_view.figures:
                sentences = [
                    sec.paragraphs[f.paragraph].sentences[f.sentence]
                    for sec in article.sections for f in sec.figures if f.text == row.value
                ]
                assert any(s not in document for s in sentences), row
    for table in view.compare:
        for row in table.rows:
            for value in row.values:
                if value:
                    owners = [
                        sec.paragraphs[f.paragraph].sentences[f.sentence]
                        for a in briefing.articles for sec in a.sections for f in sec.figures if f.text == value
                    ]
                    assert any(s not in document for s in owners), (row, value)


def _whole(text: str, sentences: tuple[str, ...]) -> bool:
    """`text` is some of `sentences`, in order, each whole."""
    rest = text
    for sentence in sentences:
        if rest.startswith(sentence):
            rest = rest[len(sentence):]
    return rest == "" and text != ""


def test_a_row_is_labelled_by_what_its_figures_share() -> None:
    from briefing.render.compare import row_label

    assert row_label([figure("委员界别活动组党支部", "6个", "个"), figure("委员履职党支部", "8个", "个")]) == "委员党支部"
    assert row_label([figure("立案提案", "573件", "件"), figure("提案", "412件", "件")]) == "提案"
    # only the general head 活动 is shared: the commonest label says what was counted
    three = [figure("议事协商活动", "600余场次", "场次"), figure("协商议事活动", "1260余场次", "场次"),
             figure("协商议事活动", "540余场次", "场次")]
    assert row_label(three) == "协商议事活动"

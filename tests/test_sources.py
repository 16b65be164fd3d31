"""Seeds as Word files and saved web pages read to the same articles as the plain-text seed;
front matter and page/document metadata say where each came from; bad files fail in one line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from seed_forms import LAYOUTS, chrome_texts, fill_page, seed_headings, seed_lines, seed_page, write_docx

from briefing.errors import InputError
from briefing.pipeline import find_seed_files, read_seed_file, read_seed_files


def shape(articles):  # type: ignore[no-untyped-def]
    return [
        (a.title, a.subtitle, a.byline, a.region,
         [(s.heading, [p.text for p in s.paragraphs]) for s in a.sections])
        for a in articles
    ]


def key_sentences(articles, summariser):  # type: ignore[no-untyped-def]
    return [
        [[k.text for k in s.key_sentences] for s in summariser.summarise_article(a, 4, 1).sections]
        for a in articles
    ]


def everything(articles) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(
        [text for a in articles for _, text in a.source_pieces()]
        + [c.text for a in articles for c in a.captions]
    )


# --- the seed in three forms -----------------------------------------------------------------


def test_docx_seed_reads_as_the_txt_seed(tmp_path, seed_path, seed_articles, summariser):
    path = write_docx(tmp_path / "seed.docx", seed_lines(seed_path), seed_headings(seed_articles),
                      subject="人民政协报", identifier="https://www.rmzxb.com.cn/c/2022-12-30/1.shtml")
    articles, warnings = read_seed_file(path)
    assert warnings == []
    assert shape(articles) == shape(seed_articles)
    assert key_sentences(articles, summariser) == key_sentences(seed_articles, summariser)
    assert {(a.paper, a.url) for a in articles} == {("人民政协报", "https://www.rmzxb.com.cn/c/2022-12-30/1.shtml")}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_saved_page_reads_as_the_txt_seed(tmp_path, layout, seed_path, seed_articles, summariser):
    path = tmp_path / "seed.html"
    path.write_text(seed_page(layout, seed_path, seed_articles), "utf-8")
    articles, warnings = read_seed_file(path)
    assert warnings == []
    assert shape(articles) == shape(seed_articles)
    assert key_sentences(articles, summariser) == key_sentences(seed_articles, summariser)
    assert (articles[0].paper, articles[0].date) == ("人民政协报", "2022-12-30")
    saved_from = "http://cppcc.people.com.cn/n1/2022/1230/c34948-32596870.html"  # the page's "saved from" line
    assert articles[0].url == (saved_from if layout == "renminwang" else None)


ARTICLE = [
    "本报记者 张 华",
    "今年以来，某州政协聚焦乡村振兴，组织委员深入12个乡镇开展专题调研，形成调研报告5篇。",
    "搭建协商平台",
    "州政协围绕产业发展召开专题协商会，提出意见建议36条，其中28条被州政府采纳。",
    "委员们表示，要把协商成果转化为推动发展的实际成效。",
    "助力民生改善",
    "州政协开展“委员进社区”活动，累计服务群众1.2万余人次，解决实际问题340余个。",
]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_only_the_article_of_a_site_layout_reaches_the_model(tmp_path, layout):
    path = tmp_path / "page.html"
    path.write_text(fill_page(layout, "协商议政助发展", "——某州政协履职纪实", ARTICLE,
                              {"搭建协商平台", "助力民生改善"}, kicker="聚焦基层协商"), "utf-8")
    articles, _ = read_seed_file(path)
    (article,) = articles
    assert (article.title, article.subtitle, article.byline) == ("协商议政助发展", "——某州政协履职纪实", "本报记者 张 华")
    assert [s.heading for s in article.sections] == [None, "搭建协商平台", "助力民生改善"]
    text = everything(articles)
    leaked = [chrome for chrome in chrome_texts(layout) if chrome in text]
    assert leaked == []
    assert "下一篇" not in text and "网友" not in text and "ICP" not in text


def test_a_folder_holds_seeds_of_every_kind_but_not_a_list_of_addresses(tmp_path, seed_path):
    (tmp_path / "a.txt").write_text("标题\n\n正文第一段。\n", "utf-8")
    (tmp_path / "b.docx").write_bytes(b"")
    (tmp_path / "c.html").write_text("<p>x</p>", "utf-8")
    (tmp_path / "d.doc").write_bytes(b"")
    (tmp_path / "urls.txt").write_text("# weekly\nhttp://127.0.0.1/a.html\n", "utf-8")
    (tmp_path / "e.pdf").write_bytes(b"%PDF")
    assert [p.name for p in find_seed_files([tmp_path])] == ["a.txt", "b.docx", "c.html", "d.doc"]
    for path in tmp_path.iterdir():
        if path.name != "urls.txt":
            path.unlink()
    assert find_seed_files([tmp_path]) == []


# --- where each article came from ------------------------------------------------------------


def test_front_matter_says_where_a_txt_seed_came_from_and_keeps_line_numbers(tmp_path, seed_path, seed_articles):
    text = seed_path.read_text("utf-8")
    path = tmp_path / "seed.txt"
    path.write_text(
        "---\npaper: 《人民政协报》\ndate: 2022年12月30日\npage: 第5版\nurl: https://www.rmzxb.com.cn/1.shtml\n---\n"
        + text, "utf-8")
    articles, _ = read_seed_file(path)
    assert {(a.paper, a.date, a.page, a.url) for a in articles} == {
        ("人民政协报", "2022-12-30", "5", "https://www.rmzxb.com.cn/1.shtml")}
    assert shape(articles) == shape(seed_articles)
    first = articles[0].sections[0].paragraphs[0]
    assert first.lines[0] == seed_articles[0].sections[0].paragraphs[0].lines[0] + 6
    assert path.read_text("utf-8").split("\n")[first.lines[0] - 1].strip() == first.text


@pytest.mark.parametrize(("block", "message"), [
    ("---\npaper: 人民日报\nauthor: 张华\n---\n", "seed.txt:3: front matter: unknown key 'author'"),
    ("---\ndate: 2023-02-30\n---\n", "seed.txt:2: date: '2023-02-30' is not a date"),
    ("---\nurl: ftp://x/y\n---\n", "seed.txt:2: url: 'ftp://x/y' is not an http(s) address"),
    ("---\npaper 人民日报\n---\n", "seed.txt:2: front matter: expected 'key: value', got 'paper 人民日报'"),
])
def test_bad_front_matter_is_one_line_naming_the_key(tmp_path, block, message):
    path = tmp_path / "seed.txt"
    path.write_text(block + "标题\n\n正文第一段写了一些内容。\n", "utf-8")
    with pytest.raises(InputError) as raised:
        read_seed_file(path)
    assert str(raised.value).startswith(f"{tmp_path}/{message}")


# --- Word files ------------------------------------------------------------------------------


def _docx_with_body(tmp_path: Path, body_xml: str) -> Path:
    """A python-docx document whose body is replaced by `body_xml` (revisions, tables…)."""
    import docx

    path = tmp_path / "edited.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr")
    parts["word/document.xml"] = (xml[:start] + body_xml + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_tracked_deletions_and_comments_never_leak_in(tmp_path):
    path = _docx_with_body(tmp_path, "".join([
        _p(_r("协商议政助发展")),
        _p(_r("本报记者 张 华")),
        _p(_r("州政协"), '<w:del w:id="1" w:author="审稿"><w:r><w:delText>删去的旧说法，</w:delText></w:r></w:del>',
           '<w:ins w:id="2" w:author="审稿">' + _r("聚焦乡村振兴，") + "</w:ins>",
           '<w:commentRangeStart w:id="3"/>', _r("组织委员开展调研12次。"), '<w:commentRangeEnd w:id="3"/>',
           '<w:r><w:commentReference w:id="3"/></w:r>'),
        "<w:tbl><w:tr><w:tc>" + _p(_r("表格里的数字100万元")) + "</w:tc></w:tr></w:tbl>",
        _p(_r("委员们表示，要把协商成果转化为实际成效。"), "<w:r><w:br/></w:r>", _r("第二行成了一段。")),
    ]))
    articles, warnings = read_seed_file(path)
    paragraphs = [p.text for s in articles[0].sections for p in s.paragraphs]
    assert paragraphs == ["州政协聚焦乡村振兴，组织委员开展调研12次。", "委员们表示，要把协商成果转化为实际成效。", "第二行成了一段。"]
    # Warnings are published (briefing.json): a seed outside the working folder by its name only.
    assert warnings == [f"{path.name}: left out 1 table(s); only paragraphs are read"]
    assert "删去" not in everything(articles) and "表格" not in everything(articles)


def test_docx_front_matter_paragraphs_win_over_core_properties(tmp_path):
    lines = ["---", "paper: 人民日报", "date: 2025-01-09", "---", "协商议政助发展", "本报记者 张 华", *ARTICLE[1:]]
    path = write_docx(tmp_path / "a.docx", lines, set(), subject="人民政协报")
    (article,) = read_seed_file(path)[0]
    assert (article.paper, article.date, article.title) == ("人民日报", "2025-01-09", "协商议政助发展")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/huge.bin", b"\0" * (210 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("a.docx", "这不是压缩包".encode(), "not a Word .docx file (not a zip archive)"),
    ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "an old Word .doc"),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "an old Word .doc file; open it in Word or WPS"),
    ("a.docx", b"bomb", "would unpack to 210 MB (limit 200 MB): a zip bomb?"),
    ("a.html", "<html><body><ul><li><a href='/'>首页</a></li></ul></body></html>".encode(),
     "no article text found on the page"),
    ("a.html", b"<p>" + "内".encode() * (2 * 1024 * 1024) + b"</p>",
     "the page is 6.0 MB; the limit is 5 MB"),
])
def test_bad_seed_files_are_one_line_naming_the_file(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(_zip_bomb() if data == b"bomb" else data)
    with pytest.raises(InputError) as raised:
        read_seed_file(path)
    assert str(raised.value).startswith(f"{path}: {problem}")
    assert "\n" not in str(raised.value)


def test_a_docx_with_an_entity_bomb_is_refused_in_one_line(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    path = _docx_with_body(tmp_path, _p(_r("&l9;")))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start = xml.index("<w:document")
    parts["word/document.xml"] = (f'<!DOCTYPE w:document [<!ENTITY l0 "哈哈哈哈哈">{laughs}]>' + xml[start:]).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(InputError) as raised:
        read_seed_file(path)
    assert str(raised.value) == f"{path}: the Word document is damaged (XMLSyntaxError)"


def test_summarise_reads_a_word_file_too(tmp_path, seed_path, seed_articles):
    from click.testing import CliRunner

    from briefing.cli import main

    path = write_docx(tmp_path / "seed.docx", seed_lines(seed_path), seed_headings(seed_articles))
    from_docx = CliRunner().invoke(main, ["summarise", str(path), "--sentences", "3"])
    from_txt = CliRunner().invoke(main, ["summarise", str(seed_path), "--sentences", "3"])
    assert from_docx.exit_code == 0 and from_docx.output == from_txt.output != ""


def test_keep_going_skips_a_bad_seed_with_a_warning(tmp_path, seed_path):
    bad = tmp_path / "old.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    articles, warnings = read_seed_files([bad, seed_path], keep_going=True)
    assert len(articles) == 2
    assert warnings[0].startswith(f"skipped {bad}: an old Word .doc file")
    with pytest.raises(InputError):
        read_seed_files([bad, seed_path])


# --- encodings of saved pages ----------------------------------------------------------------


@pytest.mark.parametrize("declared", ['<meta charset="utf-8">', '<meta charset="gb2312">', ""])
def test_a_gbk_page_reads_right_whatever_it_declares(tmp_path, declared):
    page = fill_page("prefecture", "协商议政助发展", "——某州政协履职纪实", ARTICLE, {"搭建协商平台", "助力民生改善"})
    page = page.replace('<meta charset="utf-8">', declared)
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    (article,), warnings = read_seed_file(path)
    assert article.title == "协商议政助发展"
    assert article.sections[1].paragraphs[0].text == ARTICLE[3]
    expected = [f"{path.name}: the page says it is utf-8 but is GB18030; read as GB18030"] if "utf-8" in declared else []
    assert warnings == expected


def test_make_names_a_bad_word_file_in_one_line_and_writes_nothing(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefing.cli import main

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.docx").write_bytes("这不是压缩包".encode())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["make", "--format", "json"])
    assert result.exit_code == 1
    assert result.output == "briefing: error: seeds/a.docx: not a Word .docx file (not a zip archive)\n"
    assert list((tmp_path / "out").iterdir()) == []


def test_a_page_with_paragraphs_broken_by_br_and_a_photo_reads_the_same(tmp_path):
    """Older government sites print the body as one <div> of lines broken by <br>, photos centred
    with their caption under them."""
    page = fill_page("prefecture", "协商议政助发展", "——某州政协履职纪实", [])
    body = ("<div>" + "<br>\n".join(ARTICLE[:2]) + '<br><p align="center"><img src="/images/1.jpg"></p>'
            '<p align="center">委员们在田间调研（张华 摄）</p>' + "<br>\n".join(ARTICLE[2:]) + "</div>")
    path = tmp_path / "br.html"
    path.write_text(page.replace('<div class="TRS_Editor" id="zoom">', '<div class="TRS_Editor" id="zoom">' + body))
    (article,), _ = read_seed_file(path)
    assert (article.title, article.byline) == ("协商议政助发展", "本报记者 张 华")
    assert [(s.heading, [p.text for p in s.paragraphs]) for s in article.sections] == [
        (None, [ARTICLE[1]]), ("搭建协商平台", ARTICLE[3:5]), ("助力民生改善", [ARTICLE[6]])]
    assert [c.text for c in article.captions] == ["委员们在田间调研（张华 摄）"]


def test_docx_headings_come_from_the_documents_own_marks(tmp_path):
    # Each of these the text alone would leave in the body: a heading ending with 。, a bold
    # one over two paragraphs, a centred one. A bold sentence stays a paragraph.
    path = _docx_with_body(tmp_path, "".join([
        _p(_r("协商议政助发展")),
        _p(_r("本报记者 张 华")),
        _p(_r("州政协组织委员开展调研12次，形成报告5篇。")),
        _p('<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>', _r("一、聚焦发展建良策。")),
        _p(_r("州政协围绕乡村振兴召开专题协商会，提出建议30条。")),
        _p('<w:r><w:rPr><w:b/></w:rPr><w:t>二、织密“服务网”：</w:t></w:r>'),
        _p('<w:r><w:rPr><w:b/></w:rPr><w:t>养老服务从“兜底保障”到“品质升级”</w:t></w:r>'),
        _p(_r("全州建成养老服务中心42个，覆盖老人3万余人。")),
        _p('<w:pPr><w:jc w:val="center"/></w:pPr>', _r("三、民生实事见实效")),
        _p('<w:r><w:rPr><w:b/></w:rPr><w:t>全年办理提案236件，办复率100%。</w:t></w:r>'),
    ]))
    (article,) = read_seed_file(path)[0]
    assert [s.heading for s in article.sections] == [
        None, "一、聚焦发展建良策。", "二、织密“服务网”： 养老服务从“兜底保障”到“品质升级”", "三、民生实事见实效",
    ]
    assert article.sections[3].paragraphs[0].text == "全年办理提案236件，办复率100%。"

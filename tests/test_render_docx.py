"""The DOCX as Word, WPS and LibreOffice users get it: read back with python-docx and soffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from briefing.config import Fonts, Settings
from briefing.pipeline import build_briefing
from briefing.render.docx import render_docx
from briefing.render.html import render_html
from briefing.render.budget import fit
from briefing.render.view import build_view, plain

pytestmark = pytest.mark.slow

SETTINGS = Settings(unit="楚雄州政协办公室", issue=7, distribution={"报": "省政协办公厅", "送": "州委办公室"})
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def seed_briefing(seed_articles, summariser):
    """The seed's briefing as `briefing make` writes it by default: fitted to 4 pages."""
    articles = [summariser.summarise_article(a) for a in seed_articles]
    return fit(build_briefing(articles, None, "2023-01-05"), SETTINGS, 4).briefing


@pytest.fixture(scope="module")
def data(seed_briefing) -> bytes:
    return render_docx(seed_briefing, SETTINGS).data


@pytest.fixture(scope="module")
def document(data: bytes):
    return docx.Document(io.BytesIO(data))


def _squash(text: str) -> str:
    return re.sub(r"\s|\u200b", "", text)


def test_headings_are_in_heading_styles(document, seed_briefing) -> None:
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    view = build_view(seed_briefing, SETTINGS)
    assert ("Title", seed_briefing.title) in styled
    for article in view.articles:
        assert ("Heading 1", article.number + article.title) in styled
        for section in article.sections:
            if not section.is_lead:
                assert ("Heading 2", section.number + section.heading) in styled


def test_key_sentences_are_body_paragraphs_in_order_figures_in_their_style(document, seed_briefing) -> None:
    body = [p for p in document.paragraphs if p.style.name in ("Body Text", "Body Text Keep")]
    text = "".join(p.text for p in body)
    position = 0
    for article in build_view(seed_briefing, SETTINGS).articles:
        for section in article.sections:
            for paragraph in section.paragraphs:
                found = text.find(plain(paragraph), position)
                assert found >= 0, plain(paragraph)
                position = found + len(plain(paragraph))
    figures = [r.text for p in body for r in p.runs if r.style.name == "Figure Value"]
    known = {f.text for a in seed_briefing.articles for s in a.sections for f in s.figures}
    assert figures and set(figures) <= known


def test_same_words_as_the_html_page(document, seed_briefing) -> None:
    """Outside the tables, the DOCX paragraphs are the HTML blocks, one for one."""
    from test_render_html import html_blocks

    html = render_html(seed_briefing, SETTINGS).data.decode("utf-8")
    in_tables = {"th", "td", "title"}
    from_html = [text for tag, text in html_blocks(html) if tag not in in_tables and text]
    from_docx = [_squash(p.text) for p in document.paragraphs if _squash(p.text)]
    assert from_docx == from_html


def test_styles_name_east_asian_fonts_without_theme_fonts(data: bytes, document) -> None:
    fonts = Fonts()
    expected = {"Normal": fonts.body, "Body Text": fonts.body, "Title": fonts.title,
                "Heading 1": fonts.heading, "Heading 2": fonts.kai, "Masthead": fonts.title}
    for name, face in expected.items():
        rfonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == face, name
        assert rfonts.get(qn("w:ascii")) == face, name
    styles_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")
    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", styles_xml)
    assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', styles_xml)
    settings_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode("utf-8")
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings_xml)
    assert "<w:evenAndOddHeaders/>" in settings_xml and "<w:mirrorMargins/>" in settings_xml


def test_fonts_come_from_settings(seed_briefing) -> None:
    settings = Settings(fonts=Fonts(body="仿宋_GB2312", heading="方正黑体_GBK"))
    document = docx.Document(io.BytesIO(render_docx(seed_briefing, settings).data))
    assert document.styles["Body Text"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正黑体_GBK"


def test_body_indent_is_two_characters_and_page_is_gbt9704(document) -> None:
    ind = document.styles["Body Text"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    section = document.sections[0]
    mm = 36000
    assert (round(section.page_width / mm), round(section.page_height / mm)) == (210, 297)
    assert (round(section.top_margin / mm), round(section.left_margin / mm)) == (37, 28)
    assert round((section.page_width - section.left_margin - section.right_margin) / mm) == 156


def test_footers_have_page_fields_right_on_odd_left_on_even(document) -> None:
    section = document.sections[0]
    for footer, style in ((section.footer, "Page Number Odd"), (section.even_page_footer, "Page Number Even")):
        paragraph = footer.paragraphs[0]
        assert paragraph.style.name == style
        assert paragraph.text == "— 1 —"
        assert " PAGE " in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
    assert document.styles["Page Number Odd"].paragraph_format.alignment == 2  # right
    assert document.styles["Page Number Even"].paragraph_format.alignment == 0  # left


def test_figures_are_real_tables_with_grid_widths(document, seed_briefing) -> None:
    tables = document.tables
    view = build_view(seed_briefing, SETTINGS)
    sections_with_figures = sum(1 for a in view.articles for s in a.sections if s.figures)
    assert len(tables) == len(view.compare) + sections_with_figures
    for table in tables:
        assert table.style.name == "Briefing Table"
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert all(w > 500 for w in widths) and abs(sum(widths) - 8844) < 10  # 156 mm in twips
    if view.compare:  # the seed's comparable figures may all be printed in the 导读 or the body
        compare = tables[0]
        assert [c.text for c in compare.rows[0].cells] == ["指标", *view.compare[0].regions]
        assert [[c.text for c in row.cells] for row in compare.rows[1:]] == [
            [row.label, *row.values] for row in view.compare[0].rows
        ]


def test_the_comparison_table_has_the_label_once_and_a_column_per_region() -> None:
    from test_render_html import SETTINGS as HTML_SETTINGS
    from test_render_html import sample_briefing

    document = docx.Document(io.BytesIO(render_docx(sample_briefing(), HTML_SETTINGS).data))
    compare = document.tables[0]
    assert [[c.text for c in row.cells] for row in compare.rows] == [
        ["指标", "甲州", "乙州"], ["新增市场主体", "1.3万余户", "2.3万余户"]
    ]


def test_two_builds_are_byte_identical_with_pinned_dates(seed_briefing, data: bytes) -> None:
    assert render_docx(seed_briefing, SETTINGS).data == data
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(2023, 1, 5, 0, 0, 0)}
    assert archive.namelist()[0] == "[Content_Types].xml"
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.created.date().isoformat() == core.modified.date().isoformat() == "2023-01-05"
    assert core.author == "楚雄州政协办公室" and core.language == "zh-CN"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_it_with_the_text_intact(data: bytes, seed_briefing, tmp_path) -> None:
    source = tmp_path / "briefing.docx"
    source.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = tmp_path / "briefing.pdf"
    assert pdf.exists()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, encoding="utf-8", check=True).stdout)
    assert "—1—" in text and "—2—" in text  # the PAGE field, evaluated by LibreOffice
    # The same content budget as the PDF: the seed's default briefing fits 4 pages here too.
    assert "—4—" in text and "—5—" not in text
    text = re.sub(r"—\d+—", "", text)  # page numbers sit between two pages' lines
    view = build_view(seed_briefing, SETTINGS)
    for piece in [view.name, view.title, *(a.title for a in view.articles)]:
        assert _squash(piece) in text
    for article in view.articles:
        for section in article.sections:
            assert _squash(section.heading) in text
            for paragraph in section.paragraphs:
                assert text.count(_squash(plain(paragraph))) == 1

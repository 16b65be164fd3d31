"""What a reader sees is right, in every format: each figure under the right region and section.

Every cell of the comparison table is a (label, value) figure of the article of its column; every
row pair of a figure table is a figure of the section it is printed in; region columns are in
article order. Checked in the HTML, in the DOCX (cells read back with python-docx) and in the PDF
(words read back with their positions), on a sample whose regions all have different figures
(so a figure under the wrong region shows) and on the seed as ``--format all`` writes it.
The checks state what is right, not how many figures a design shows (see readback.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil

import docx
import pytest
from test_render_html import SETTINGS, html_blocks, sample_briefing

from briefing.config import Settings
from briefing.model import Briefing
from briefing.render.docx import render_docx
from briefing.render.html import render_html
from briefing.render.json import briefing_dict
from readback import (
    check_body_sentences,
    check_compare_table,
    check_figure_table,
    check_overview_lines,
    check_pdf_figure_tables,
    docx_tables,
    html_body_paragraphs,
    html_tables,
    pdf_compare_columns,
    pdf_words,
    split_tables,
    squash,
)

REGIONS = ("甲州", "乙州", "丙州", "丁州")
NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def sample() -> Briefing:
    briefing = sample_briefing(REGIONS)
    values = [{f.text for s in a.sections for f in s.figures} for a in briefing.articles]
    assert all(a.isdisjoint(b) for i, a in enumerate(values) for b in values[i + 1:])  # distinct figures
    return briefing


def _values(article) -> set[str]:
    return {squash(f.text) for s in article.sections for f in s.figures}


def assert_tables_right(tables, briefing: Briefing, every_region: bool = True) -> None:
    """The comparison and figure tables of one document, against the model.

    `every_region`: the briefing's regions share comparable figures (the sample), so each must
    have a filled column and figure-table rows. On the seed, the design decides which figures
    go into tables (it may print them all in their sentences); what it shows must be right."""
    compare, figure_tables = split_tables(tables, briefing)
    filled: dict[int, int] = {}
    for table in compare:
        for index, count in check_compare_table(table, briefing).items():
            filled[index] = filled.get(index, 0) + count
    shown = [check_figure_table(t, briefing) for t in figure_tables]
    if every_region:
        assert sum(shown) and sum(filled.values()), "no figure is shown in tables"
        with_figures = [i for i, a in enumerate(briefing.articles) if _values(a)]
        assert sorted(filled) == with_figures, "every article with figures has its own column"
        assert all(filled[i] >= 1 for i in with_figures), f"an empty region column: {filled}"
        articles_with_rows = {t.article for t, n in zip(figure_tables, shown, strict=True) if n}
        assert articles_with_rows == set(with_figures), "every article with figures shows some in its sections"


# --- the sample: four regions, each with figures of its own -------------------------------------


def test_html_tables_show_each_figure_under_its_own_region_and_section(sample) -> None:
    html = render_html(sample, SETTINGS).data.decode("utf-8")
    assert_tables_right(html_tables(html, sample), sample)


def test_each_overview_line_shows_its_own_articles_sentences(sample) -> None:
    html = render_html(sample, SETTINGS).data.decode("utf-8")
    assert check_overview_lines([text for tag, text in html_blocks(html) if tag == "p"], sample) == len(REGIONS)
    document = docx.Document(io.BytesIO(render_docx(sample, SETTINGS).data))
    assert check_overview_lines([p.text for p in document.paragraphs], sample) == len(REGIONS)


@pytest.mark.slow
def test_docx_tables_show_each_figure_under_its_own_region_and_section(sample) -> None:
    document = docx.Document(io.BytesIO(render_docx(sample, SETTINGS).data))
    assert_tables_right(docx_tables(document, sample), sample)


@pytest.fixture(scope="module")
def sample_pdf(sample, tmp_path_factory):
    from briefing.render.pdf import render_pdf

    path = tmp_path_factory.mktemp("sample") / "briefing.pdf"
    path.write_bytes(render_pdf(sample, SETTINGS).data)
    return path


def assert_pdf_right(path, html: str, briefing: Briefing, every_region: bool = True) -> None:
    """Under each region's header in the PDF, its own article's figures and no other's; the
    figure tables' pairs as the (checked) HTML has them, each value right of its label."""
    words = pdf_words(path)
    columns = pdf_compare_columns(words, briefing)
    html_compare, html_figures = split_tables(html_tables(html, briefing), briefing)
    assert bool(columns) == bool(html_compare), "the PDF and the HTML disagree on the comparison table"
    for index, printed in columns:
        own = _values(briefing.articles[index])
        others = set().union(*(_values(a) for i, a in enumerate(briefing.articles) if i != index)) - own
        strays = [w for w in printed if w in others]
        assert strays == [], f"{briefing.articles[index].region}'s column shows other regions' figures: {strays}"
    for index, article in enumerate(briefing.articles):
        printed = "".join(w for i, cell in columns if i == index for w in cell)
        cursor = 0
        for table in html_compare:
            header = [squash(c) for c in table.rows[0]]
            if article.region not in header:
                continue
            j = header.index(article.region)
            for row in table.rows[1:]:
                cell = squash(row[j]) if j < len(row) else ""
                if not cell:
                    continue
                found = printed.find(cell, cursor)
                assert found >= 0, f"the cell {cell!r} is not printed, whole and in order, under {article.region}"
                cursor = found + len(cell)
    pairs = check_pdf_figure_tables(words, html_figures)
    assert pairs >= (len(briefing.articles) if every_region else 0)


@pytest.mark.slow
@NEEDS_POPPLER
def test_pdf_tables_show_each_figure_under_its_own_region_and_section(sample, sample_pdf) -> None:
    html = render_html(sample, SETTINGS).data.decode("utf-8")
    assert_pdf_right(sample_pdf, html, sample)


@pytest.mark.slow
def test_pdf_keywords_name_zhengxie_only_for_a_zhengxie_briefing(sample, sample_pdf) -> None:
    from dataclasses import replace

    from pypdf import PdfReader

    from briefing.render.pdf import render_pdf

    keywords = PdfReader(sample_pdf).metadata["/Keywords"]
    assert "政协" in sample.title and "政协" in keywords and all(r in keywords for r in REGIONS)
    plain = replace(sample, title="甲州 乙州 丙州 丁州工作要点")
    keywords = PdfReader(io.BytesIO(render_pdf(plain, Settings()).data)).metadata["/Keywords"]
    assert "政协" not in keywords and all(r in keywords for r in REGIONS)


# --- the seed, as the workflow makes it ------------------------------------------------------------


@pytest.mark.slow
def test_format_all_writes_every_format_its_dated_copy_and_the_manifest(seed_run) -> None:
    assert seed_run.result.exit_code == 0, seed_run.result.output
    out = seed_run.out
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    names = {f"briefing.{s}" for s in ("pdf", "docx", "html", "json")}
    assert names <= set(manifest["documents"]) <= names | {f"2023-01-05-{n}" for n in names}
    for name in names:
        assert (out / f"2023-01-05-{name}").read_bytes() == (out / name).read_bytes()
        assert f"wrote out/{name}" in seed_run.result.output
    for name, entry in manifest["documents"].items():
        data = (out / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
    assert (out / "briefing.pdf").read_bytes().startswith(b"%PDF-")
    assert manifest["documents"]["briefing.pdf"]["pages"] >= 3
    assert manifest["documents"]["briefing.json"]["pages"] is None
    assert docx.Document(str(out / "briefing.docx")).core_properties.title
    assert (out / "briefing.html").read_text("utf-8").rstrip().endswith("</html>")


@pytest.mark.slow
def test_seed_json_is_the_briefing_the_documents_are_made_from(seed_run) -> None:
    def picks(data: dict) -> dict:
        """The model without the page budget's ``printed`` marks (the command fits the pages)."""
        for article in data["articles"]:
            for section in article["sections"]:
                for item in (*section["key_sentences"], *section["figures"]):
                    item.pop("printed", None)
        return data

    written = json.loads((seed_run.out / "briefing.json").read_text("utf-8"))
    assert picks(written) == picks(json.loads(json.dumps(briefing_dict(seed_run.briefing, Settings(issue=7)))))


@pytest.mark.slow
def test_seed_html_tables_are_right(seed_run) -> None:
    html = (seed_run.out / "briefing.html").read_text("utf-8")
    assert_tables_right(html_tables(html, seed_run.briefing), seed_run.briefing, every_region=False)


@pytest.mark.slow
def test_seed_docx_tables_are_right(seed_run) -> None:
    document = docx.Document(str(seed_run.out / "briefing.docx"))
    assert_tables_right(docx_tables(document, seed_run.briefing), seed_run.briefing, every_region=False)


def test_each_printed_sentence_is_one_of_its_own_sections(sample) -> None:
    html = render_html(sample, SETTINGS).data.decode("utf-8")
    assert check_body_sentences(html_body_paragraphs(html, sample), sample) >= len(REGIONS)


@pytest.mark.slow
def test_seed_printed_sentences_are_their_own_sections(seed_run) -> None:
    html = (seed_run.out / "briefing.html").read_text("utf-8")
    assert check_body_sentences(html_body_paragraphs(html, seed_run.briefing), seed_run.briefing) >= 2


@pytest.mark.slow
def test_seed_overview_lines_show_their_own_articles_sentences(seed_run) -> None:
    html = (seed_run.out / "briefing.html").read_text("utf-8")
    assert check_overview_lines([text for tag, text in html_blocks(html) if tag == "p"], seed_run.briefing) == 2
    document = docx.Document(str(seed_run.out / "briefing.docx"))
    assert check_overview_lines([p.text for p in document.paragraphs], seed_run.briefing) == 2


@pytest.mark.slow
@NEEDS_POPPLER
def test_seed_pdf_tables_are_right(seed_run) -> None:
    html = (seed_run.out / "briefing.html").read_text("utf-8")
    assert_pdf_right(seed_run.out / "briefing.pdf", html, seed_run.briefing, every_region=False)

"""Typography a 简报 reader trusts (issue 14), measured on the seed's PDF and DOCX.

The measuring code is bench/typography.py's (the benchmark prints the same numbers for a
10-article briefing); here the exact parts are asserted: each role's face, flush lines,
kinsoku, unbroken numbers, tables without holes or orphan rows, a clean text layer.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from briefing.pipeline import build_briefing
from briefing.render import fonts, pdf
from briefing.render.docx import render_docx
from briefing.render.grid import Cell, figure_rows
from briefing.render.html import briefing_html
from briefing.render.view import build_view, plain

pytestmark = pytest.mark.slow
NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

_spec = importlib.util.spec_from_file_location(
    "typography", Path(__file__).resolve().parent.parent / "bench" / "typography.py"
)
typography = importlib.util.module_from_spec(_spec)
sys.modules["typography"] = typography
_spec.loader.exec_module(typography)
SETTINGS = typography.SETTINGS


@pytest.fixture(scope="module")
def seed_briefing(seed_articles, summariser):
    return build_briefing([summariser.summarise_article(a) for a in seed_articles], None, "2023-01-05")


@pytest.fixture(scope="module")
def seed_pdf(seed_briefing, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("typography") / "seed.pdf"
    path.write_bytes(pdf.render_pdf(seed_briefing, SETTINGS).data)
    return path


@pytest.fixture(scope="module")
def lines(seed_pdf):
    return typography.pdf_lines(seed_pdf)


# --- faces by role -----------------------------------------------------------------------------


def test_stacks_run_official_names_then_free_faces_then_noto() -> None:
    stack = fonts.stack("body", SETTINGS.fonts)
    assert stack[0] == "仿宋"
    assert stack.index("FandolFang") > stack.index("仿宋_GB2312")
    assert stack[-2:] == (fonts.SERIF, fonts.SANS)
    assert fonts.stack("heading", SETTINGS.fonts)[-2:] == (fonts.SANS, fonts.SERIF)


def test_stand_in_line_names_each_official_face_once(monkeypatch) -> None:
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"FandolFang", fonts.SERIF, fonts.SANS}))
    line = fonts.stand_in_line(SETTINGS.fonts)
    assert line.count("仿宋 → FandolFang") == 1  # body and figures share the face
    assert "方正小标宋简体 → Noto Serif CJK SC Bold" in line
    assert "楷体 → Noto Serif CJK SC" in line  # no 楷体 face installed: the last resort
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"仿宋", "黑体", "楷体", "方正小标宋简体"}))
    assert fonts.stand_in_line(SETTINGS.fonts) is None


@NEEDS_POPPLER
def test_each_role_is_set_in_its_own_face(seed_pdf, seed_briefing) -> None:
    found = typography.faces_by_role(seed_pdf, typography.samples(seed_briefing))
    expected = {role: fonts.face_used(key, SETTINGS.fonts) for role, key in
                (("title", "title"), ("heading 1", "heading"), ("heading 2", "kai"), ("body", "body"),
                 ("figures", "figures"))}
    for role, face in expected.items():
        assert face is not None and found[role].startswith(face.replace(" ", "-")), (role, found)
    if fonts.fallback_only("title", SETTINGS.fonts):
        assert found["title"].endswith("Bold")
    assert len({found["title"], found["heading 1"], found["heading 2"], found["body"]}) == 4, found


def test_docx_names_the_official_faces_with_the_free_ones_as_alt_names(seed_briefing) -> None:
    import zipfile

    data = render_docx(seed_briefing, SETTINGS).data
    table = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    for role in fonts.ROLES:
        face = getattr(SETTINGS.fonts, role)
        assert re.search(rf'<w:font w:name="{face}"><w:altName w:val="{fonts.FREE[role][0]}"/>', table), face


# --- lines ---------------------------------------------------------------------------------------


@NEEDS_POPPLER
def test_full_lines_end_at_the_right_margin(lines) -> None:
    flush, full, ragged = typography.flush_share(*lines)
    assert full >= 25  # the measure found the seed's paragraphs (4 pages)
    assert flush / full >= 0.95, ragged
    # A full line stops short only where the next starts with a number too wide to pull up
    # (stretching further would open gaps that read back as spaces), and by under a character.
    pages, width = lines
    body = typography.body_lines(pages)
    for line, right in typography.full_lines(*lines):
        if abs(right - line.x1) > 1:
            after = body[body.index(line) + 1]
            assert after.text[:1].isdigit(), (line.text, after.text)
            assert right - line.x1 < 16, (line.text, right - line.x1)
    assert typography.spaced_lines(*lines) == []


@NEEDS_POPPLER
def test_no_kinsoku_breaks_and_no_split_numbers(lines) -> None:
    assert typography.kinsoku(*lines) == []
    assert typography.split_numbers(*lines) == []


@NEEDS_POPPLER
def test_text_layer_has_no_added_spaces_or_invisible_characters(seed_pdf, seed_briefing) -> None:
    text = subprocess.run(["pdftotext", str(seed_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert not re.search("[\u200b-\u200d\u2060\ufeff]", text)
    # Every printed paragraph reads back exactly, lines joined: stretching added no spaces.
    view = build_view(seed_briefing, SETTINGS)
    keys = [plain(p) for a in view.articles for s in a.sections for p in s.paragraphs if " " not in plain(p)]
    joined = "".join(line for line in text.splitlines() if not re.fullmatch(r"—\s*\d+\s*—|\f?", line))
    assert len(keys) > 5 and all(key in joined for key in keys)


def test_split_numbers_are_found_when_there_are_some() -> None:
    line = typography.Line
    split = [[line(1, 80, 500, 100, 116, "余名委员与1"), line(1, 80, 500, 129, 145, "0600多名")]]
    assert typography.split_numbers(split, typography.PAGE_W) == ["余名委员与1|0600多名"]
    # A table cell's value above the next cell's label is no split: not the same block.
    cells = [[line(1, 300, 340, 100, 112, "82万"), line(1, 350, 420, 100, 112, "户均年增收")]]
    assert typography.split_numbers(cells, typography.PAGE_W) == []


# --- tables --------------------------------------------------------------------------------------


def test_few_figures_make_a_list_many_a_grid_without_holes() -> None:
    assert figure_rows("a") == [[Cell("a")]]
    assert figure_rows("ab") == [[Cell("a")], [Cell("b")]]
    assert figure_rows("abc") == [[Cell("a"), Cell("b")], [Cell("c", span=3)]]
    assert figure_rows("abcd") == [[Cell("a"), Cell("b")], [Cell("c"), Cell("d")]]


def test_no_empty_cells_in_html_and_docx(seed_briefing) -> None:
    assert typography.empty_cells(briefing_html(seed_briefing, SETTINGS)) == 0
    assert typography.docx_table_cells(render_docx(seed_briefing, SETTINGS).data) == 0


def test_docx_tables_keep_two_rows_on_each_side_of_a_break(seed_briefing) -> None:
    document = docx.Document(io.BytesIO(render_docx(seed_briefing, SETTINGS).data))
    for table in document.tables:
        keeps = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
                 for row in table.rows]
        assert keeps[0] and not keeps[-1]
        if len(keeps) > 5:
            assert keeps[1] and keeps[-2]
        else:
            assert all(keeps[:-1])


def test_a_region_without_the_figure_shows_a_dash_not_a_hole(seed_articles, summariser) -> None:
    from briefing.pipeline import read_seed_file

    cases = Path(__file__).resolve().parent / "cases" / "articles"
    other = read_seed_file(cases / "no-headings-benbaoxun.txt")[0]
    briefing = build_briefing([summariser.summarise_article(a) for a in (*seed_articles, *other)], None, "2023-01-05")
    html = briefing_html(briefing, SETTINGS)
    assert typography.empty_cells(html) == 0
    assert typography.docx_table_cells(render_docx(briefing, SETTINGS).data) == 0


def test_pdf_tables_never_leave_one_row_alone(seed_briefing) -> None:
    weasyprint = pdf._weasyprint()
    html = briefing_html(seed_briefing, SETTINGS)
    document = weasyprint.HTML(string=html, base_url=str(pdf.TEMPLATES) + "/").render()
    assert typography.orphan_rows(document) == []

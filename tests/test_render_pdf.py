"""The PDF as a reader gets it: read back with pdftotext, pdffonts and pypdf.

The seed is rendered once per module; WeasyPrint's log warnings (a missing font, an unknown
CSS property, a refused URL, the slow fontTools fallback) are collected and fail the test.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.errors import OutputError
from briefing.model import Article, Briefing, KeySentence, Section
from briefing.pipeline import build_briefing
from briefing.render import pdf
from briefing.render.fonts import FREE_FACES
from briefing.render.view import build_view, plain

pytestmark = pytest.mark.slow

SETTINGS = Settings(unit="楚雄州政协办公室", issue=7, distribution={"报": "省政协办公厅", "发": "各县市政协"})
NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@contextlib.contextmanager
def weasyprint_warnings() -> Iterator[list[logging.LogRecord]]:
    """Every WARNING or worse that WeasyPrint logs inside the block."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.WARNING)
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("weasyprint.progress")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture(scope="module")
def seed_briefing(seed_articles, summariser) -> Briefing:
    articles = [summariser.summarise_article(a) for a in seed_articles]
    return build_briefing(articles, None, "2023-01-05")


@pytest.fixture(scope="module")
def rendered(seed_briefing, tmp_path_factory):
    with weasyprint_warnings() as records:
        document = pdf.render_pdf(seed_briefing, SETTINGS)
    assert [r.getMessage() for r in records] == []
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    path.write_bytes(document.data)
    return document, path


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200b]", "", text)


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


@NEEDS_POPPLER
def test_text_has_every_heading_and_key_sentence_in_order(rendered, seed_briefing) -> None:
    # Page numbers (— 7 —) sit between the last line of one page and the first of the next.
    text = re.sub(r"—\d+—", "", _squash(_pdftotext(rendered[1])))
    view = build_view(seed_briefing, SETTINGS)
    expected = [view.name, view.issue, view.title]
    for article in view.articles:
        expected.append(article.number + article.title)
        for section in article.sections:
            expected.append(section.number + section.heading)
            expected.extend(plain(p) for p in section.paragraphs)
    expected += [view.auto_line, "报：省政协办公厅", "发：各县市政协"]
    position = 0
    for piece in expected:
        found = text.find(_squash(piece), position)
        assert found >= 0, f"missing or out of order: {piece}"
        position = found + len(_squash(piece))
    for article in view.articles:
        for section in article.sections:
            for paragraph in section.paragraphs:
                assert text.count(_squash(plain(paragraph))) == 1, plain(paragraph)


@NEEDS_POPPLER
def test_fonts_are_embedded_cjk_subsets_and_never_type3(rendered) -> None:
    out = subprocess.run(["pdffonts", str(rendered[1])], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name = row[0]
        assert "Type 3" not in " ".join(row)
        assert re.match(r"[A-Z]{6}\+", name), name  # a subset
        free = [face.replace(" ", "-") for face in FREE_FACES]
        assert any(face in name for face in ("CJK", "FangSong", "SimHei", "KaiTi", "FZ", *free)), name
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb sub uni


@NEEDS_POPPLER
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(rendered) -> None:
    lines = [line.strip() for line in _pdftotext(rendered[1], "-layout").replace("\u200b", "").splitlines()]
    lines = [line for line in lines if line]
    bad_start = [line for line in lines if line[0] in "，。、；：？！”）"]
    bad_end = [line for line in lines if line[-1] in "“（"]
    assert bad_start == [] and bad_end == []
    assert len(lines) > 60


def test_metadata_bookmarks_tags_and_page_count(rendered, seed_briefing) -> None:
    from pypdf import PdfReader

    document, path = rendered
    reader = PdfReader(path)
    assert document.pages == len(reader.pages) >= 3
    meta = reader.metadata
    assert meta.title == f"政协工作简报 第7期：{seed_briefing.title}"
    assert meta.author == "楚雄州政协办公室"
    assert seed_briefing.title in meta.subject
    assert "楚雄州" in meta["/Keywords"] and "红河州" in meta["/Keywords"]
    assert meta.creation_date.date().isoformat() == "2023-01-05"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root

    def titles(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title

    outline = list(titles(reader.outline))
    view = build_view(seed_briefing, SETTINGS)
    for article in view.articles:
        assert (0, article.number + article.title) in outline
        for section in article.sections:
            if not section.is_lead:
                assert (1, section.number + section.heading) in outline


def test_two_renders_are_byte_identical(rendered, seed_briefing) -> None:
    assert pdf.render_pdf(seed_briefing, SETTINGS).data == rendered[0].data


def test_environment_check_passes_here_and_names_the_apt_line(monkeypatch) -> None:
    pdf.check_pdf_environment()
    monkeypatch.setattr(pdf, "chinese_families", lambda: frozenset())
    with pytest.raises(OutputError, match=r"no Chinese font.*apt-get install -y fonts-noto-cjk .*libharfbuzz-subset0"):
        pdf.check_pdf_environment()
    monkeypatch.setattr(pdf, "harfbuzz_subset_available", lambda: False)
    with pytest.raises(OutputError) as error:
        pdf.check_pdf_environment()
    assert "libharfbuzz-subset0" in str(error.value) and "\n" not in str(error.value)


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    """A TCP socket on 127.0.0.1 that records whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def test_hostile_article_text_renders_literally_and_fetches_nothing(listener, seed_briefing) -> None:
    port = listener.getsockname()[1]
    hostile = f'<img src="file:///etc/passwd"><link rel=stylesheet href="http://127.0.0.1:{port}/x.css">'
    first = seed_briefing.articles[0]
    lead = first.sections[0]
    text = lead.paragraphs[0].sentences[0]
    section = Section(None, None, lead.paragraphs, (KeySentence(hostile + text, 0, 0),))
    article = Article(**{**{n: getattr(first, n) for n in Article.__dataclass_fields__}, "sections": (section,)})
    briefing = Briefing("安全测试", "2023-01-05", (article,))
    with weasyprint_warnings() as records:
        document = pdf.render_pdf(briefing, SETTINGS)
    assert records == []
    assert not _connected(listener)
    if shutil.which("pdftotext"):
        reader_text = subprocess.run(["pdftotext", "-", "-"], input=document.data, capture_output=True,
                                     check=True).stdout.decode("utf-8")
        squashed = _squash(reader_text)
        assert _squash('<img src="file:///etc/passwd">') in squashed
        assert f"127.0.0.1:{port}/x.css" in squashed


def test_fetcher_refuses_network_and_files_outside_templates(listener) -> None:
    """Even markup that slipped through escaping could not reach the network or the disk."""
    port = listener.getsockname()[1]
    html = (f'<html lang="zh-CN"><head><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>'
            f'<body><img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/i.png">'
            '<img src="../pyproject.toml"><p>中文</p></body></html>')
    fetcher = pdf.local_only_fetcher()
    with weasyprint_warnings() as records:
        data, pages = pdf.html_to_pdf(html, fetcher)
    assert data.startswith(b"%PDF") and pages == 1
    assert not _connected(listener)
    assert sorted(fetcher.refused) == sorted([
        f"http://127.0.0.1:{port}/x.css", "file:///etc/passwd", f"http://127.0.0.1:{port}/i.png",
        (pdf.TEMPLATES.parent / "pyproject.toml").as_uri(),
    ])
    assert len(records) == 4  # one "failed to load" warning per refused URL


def test_fetcher_serves_files_inside_templates() -> None:
    fetcher = pdf.local_only_fetcher()
    response = fetcher.fetch((pdf.TEMPLATES / "briefing.css").as_uri())
    assert b"@page" in response.read()
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"

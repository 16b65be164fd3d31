"""The reader on case files: many small cases of real line shapes, and whole articles.

``tests/cases/read.txt`` holds small cases in markdown-it-py style, one after another::

    # what the case shows (a seed line, an article shape)
    .
    input lines, as printed
    .
    the expected model, as `dump` writes it
    .

A bug found in a real article becomes one pasted case. ``tests/cases/articles/*.txt`` are whole
articles in different shapes (hard-wrapped, indented, CRLF, GBK, three in one file); each has a
``.expected`` dump beside it, paragraphs abbreviated. After a deliberate change to the reader,
rewrite the expected files with ``make golden`` and review the diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.decode import clean_text, decode_bytes
from briefing.model import Article
from briefing.pipeline import read_seed_file
from briefing.read import read_articles

CASES = Path(__file__).parent / "cases"
ARTICLES = CASES / "articles"


# --- the dump: a model as plain lines to compare ------------------------------------------


def _short(text: str, abbreviate: bool) -> str:
    if not abbreviate or len(text) <= 26:
        return text
    return f"{text[:14]}…{text[-10:]}"


def dump(articles: list[Article], abbreviate: bool = False) -> str:
    """The reader's model as indented lines, with the source line of every piece.

    ``p 21+23 [2]: …`` is a paragraph assembled from blocks starting at lines 21 and 23, cut
    into 2 sentences; with `abbreviate` long texts keep only their head and tail. ``published:``
    is what the dateline says (paper, date, page); ``panel``/``guest`` a panel's guest list.
    """
    out: list[str] = []
    for number, article in enumerate(articles, start=1):
        lines = article.header_lines
        out.append(f"article {number}")
        if article.kicker is not None:
            out.append(f"  kicker {lines['kicker']}: {article.kicker}")
        title_line = article.title_lines[0] if article.title_lines else "-"
        out.append(f"  title {title_line}: {article.title}")
        for name in ("subtitle", "dateline", "byline"):
            value = getattr(article, name)
            if value is not None:
                out.append(f"  {name} {lines[name]}: {value}")
        if article.paper or article.date or article.page:
            out.append(f"  published: paper={article.paper} date={article.date} page={article.page}")
        if article.region:
            out.append(f"  region: {article.region}")
        if article.editor_note is not None:
            out.append(f"  editor_note {lines['editor_note']}: {_short(article.editor_note, abbreviate)}")
        if article.panel_label is not None:
            out.append(f"  panel {lines['panel_label']}: {article.panel_label}")
        out.extend(f"  guest {lines[f'guest{i}']}: {g}" for i, g in enumerate(article.guests))
        out.extend(f"  caption {c.line}: {c.text}" for c in article.captions)
        out.extend(f"  trailer {lines[f'trailer{i}']}: {t}" for i, t in enumerate(article.trailers))
        out.extend(f"  note: {note}" for note in article.notes)
        for section in article.sections:
            if section.heading is None:
                out.append("  section (lead)")
            else:
                out.append(f"  section {section.heading_line}: {section.heading}")
            for p in section.paragraphs:
                where = "+".join(str(n) for n in p.lines)
                out.append(f"    p {where} [{len(p.sentences)}]: {_short(p.text, abbreviate)}")
    return "\n".join(out)


def assert_lossless(text: str, articles: list[Article]) -> None:
    """Every non-whitespace character of `text` (cleaned) is in the model, once, in order.

    Each caption is cut out of the source where its line starts (a caption can sit between
    the halves of a paragraph, or wrap over lines); the rest must equal the model's source
    pieces concatenated in source order.
    """
    lines = text.split("\n")
    squeezed = ["".join(line.split()) for line in lines]
    offsets = [0]
    for line in squeezed:
        offsets.append(offsets[-1] + len(line))
    source = "".join(squeezed)
    removed = [False] * len(source)
    for article in articles:
        for caption in article.captions:
            start = offsets[caption.line - 1]
            piece = "".join(caption.text.split())
            assert source[start : start + len(piece)] == piece, caption
            removed[start : start + len(piece)] = [True] * len(piece)
    rest = "".join(char for char, gone in zip(source, removed) if not gone)
    model = "".join("".join(t.split()) for a in articles for _line, t in a.source_pieces())
    assert model == rest


def assert_paragraphs_whole(articles: list[Article]) -> None:
    """Joining a paragraph's sentences gives it back."""
    for article in articles:
        for section in article.sections:
            for paragraph in section.paragraphs:
                assert "".join(paragraph.sentences) == paragraph.text


def assert_captions_out_of_the_body(articles: list[Article]) -> None:
    """No caption's text sits inside a paragraph (true of real articles, not of random ones)."""
    for article in articles:
        for caption in article.captions:
            for section in article.sections:
                for paragraph in section.paragraphs:
                    assert caption.text not in paragraph.text


# --- small cases --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    title: str
    line: int
    """Line of the case's title in its file, so a failure points at the case."""
    input: str
    expected: str


def read_case_file(path: Path) -> list[Case]:
    """Parse ``# title`` / ``.`` / input / ``.`` / expected / ``.`` cases; text between is comment."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("# "):
            i += 1
            continue
        title, start = lines[i][2:].strip(), i + 1
        assert lines[i + 1] == ".", f"{path.name}:{i + 2}: expected '.' after the title"
        parts: list[list[str]] = [[], []]
        j = i + 2
        for part in parts:
            while lines[j] != ".":
                part.append(lines[j])
                j += 1
            j += 1
        cases.append(Case(title, start, "\n".join(parts[0]), "\n".join(parts[1])))
        i = j
    return cases


READ_CASES = read_case_file(CASES / "read.txt")


@pytest.mark.parametrize("case", READ_CASES, ids=[f"L{c.line}-{c.title}" for c in READ_CASES])
def test_read_case(case: Case) -> None:
    text, _bad = clean_text(case.input)
    articles = read_articles(text, "case.txt")
    assert dump(articles) == case.expected, f"read.txt:{case.line} {case.title}"
    assert_lossless(text, articles)
    assert_paragraphs_whole(articles)
    assert_captions_out_of_the_body(articles)


def test_case_file_titles_are_unique() -> None:
    titles = [c.title for c in READ_CASES]
    assert len(titles) == len(set(titles))


# --- whole articles -----------------------------------------------------------------------

ARTICLE_FILES = sorted(ARTICLES.glob("*.txt"))


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.stem for p in ARTICLE_FILES])
def test_article_reads_as_expected(path: Path, golden) -> None:
    articles, warnings = read_seed_file(path)
    assert warnings == []
    golden.check(path.with_suffix(".expected"), dump(articles, abbreviate=True) + "\n")


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.stem for p in ARTICLE_FILES])
def test_article_loses_nothing(path: Path) -> None:
    text, _ = clean_text(decode_bytes(path.read_bytes(), path)[0])
    articles = read_articles(text, path.name)
    assert_lossless(text, articles)
    assert_paragraphs_whole(articles)
    assert_captions_out_of_the_body(articles)


def test_every_article_file_has_its_expected_dump() -> None:
    assert ARTICLE_FILES
    for path in ARTICLE_FILES:
        assert path.with_suffix(".expected").exists(), path.name

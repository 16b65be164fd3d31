"""Briefing + Settings → `View`: everything the page shows, as plain strings, in page order.

Both the HTML template (→ PDF) and the DOCX writer read only this view, so the two formats
carry the same words in the same order. Decisions about *what* to show (which figures are
compared, how a lead section is labelled, how the date is written) live here; decisions about
*how it looks* live in ``templates/`` and `docx.py`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import TypeVar

from ..config import Settings
from ..model import Article, Briefing, Figure, Section

T = TypeVar("T")
LEAD_LABEL = "导语"
COMPARE_PER_REGION = 8
"""Figures per region in the comparison table: enough to compare, few enough to read."""
COMPARE_COLUMNS = 3
"""Regions per comparison table; more articles get further tables of the same shape."""
UNTITLED = "（无标题）"
AUTO_LINE = "本简报由程序根据上列报道自动摘编，所录语句均照录原文，未作改写。"
DISTRIBUTION_KEYS = ("报", "送", "发")

_CN_NUMBERS = "一二三四五六七八九十"
_CLAUSE_STOP = re.compile(r"[，。；：、！？,;:（）“”\s]")


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure as shown: what is counted, the quantity as printed, and where it was found."""

    label: str
    value: str
    section: str


@dataclass(frozen=True, slots=True)
class SectionView:
    heading: str
    """The 小标题, or `LEAD_LABEL` for the lead."""
    number: str
    """``（一）`` for headed sections, empty for the lead."""
    is_lead: bool
    paragraphs: tuple[str, ...]
    """Key sentences, those from one source paragraph joined, in source order."""
    figures: tuple[FigureRow, ...]


@dataclass(frozen=True, slots=True)
class ArticleView:
    number: str
    """``一、``"""
    title: str
    region: str
    source_lines: tuple[str, ...]
    """Subtitle and byline as printed, one per line: ``——云南省…纪实``, ``本报记者 …``."""
    notes: tuple[str, ...]
    sections: tuple[SectionView, ...]


@dataclass(frozen=True, slots=True)
class OverviewView:
    region: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompareTable:
    """Regions side by side: ``rows[i][j]`` is region j's i-th figure, or None."""

    regions: tuple[str, ...]
    rows: tuple[tuple[FigureRow | None, ...], ...]


@dataclass(frozen=True, slots=True)
class SourceView:
    title: str
    byline: str
    file: str


@dataclass(frozen=True, slots=True)
class View:
    name: str
    issue: str
    unit: str
    date: str
    """``2023年1月5日``"""
    date_iso: str
    title: str
    overview: tuple[OverviewView, ...]
    compare: tuple[CompareTable, ...]
    articles: tuple[ArticleView, ...]
    sources: tuple[SourceView, ...]
    auto_line: str
    distribution: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    subject: str


def build_view(briefing: Briefing, settings: Settings) -> View:
    """The page's content, from the model and the office's settings."""
    articles = tuple(_article(i, a) for i, a in enumerate(briefing.articles))
    regions = tuple(a.region for a in articles)
    return View(
        name=settings.name,
        issue=f"第{settings.issue}期",
        unit=settings.unit,
        date=chinese_date(briefing.date),
        date_iso=briefing.date,
        title=briefing.title,
        overview=tuple(
            OverviewView(r, tuple(o.text for o in a.overview))
            for r, a in zip(regions, briefing.articles, strict=True)
            if a.overview
        ),
        compare=_compare_tables(briefing.articles, regions),
        articles=articles,
        sources=tuple(SourceView(a.title or UNTITLED, a.byline or "", a.source) for a in briefing.articles),
        auto_line=AUTO_LINE,
        distribution=tuple(
            (k, settings.distribution[k]) for k in DISTRIBUTION_KEYS if settings.distribution.get(k)
        ),
        keywords=_keywords(regions, briefing.title),
        subject=f"{settings.name} 第{settings.issue}期：{briefing.title}",
    )


def _keywords(regions: tuple[str, ...], title: str) -> tuple[str, ...]:
    """The regions, 政协 when the briefing is about a 政协's work, and 简报."""
    words = [r for r in regions if r] + (["政协"] if "政协" in title else []) + ["简报"]
    return tuple(dict.fromkeys(words))


def chinese_date(iso: str) -> str:
    """``2023-01-05`` → ``2023年1月5日`` (no leading zeros, as official documents write it)."""
    day = _dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一, 105 → 一百零五, 1000 → 一千: numbering as printed in 公文."""
    if n < 1:
        raise ValueError(f"no Chinese numeral for {n}")
    if n >= 10000:
        return str(n)
    digits = [(n // 1000) % 10, (n // 100) % 10, (n // 10) % 10, n % 10]
    units = ["千", "百", "十", ""]
    text = ""
    zero = False
    for digit, unit in zip(digits, units):
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _CN_NUMBERS[digit - 1] + unit
    # 十二, not 一十二, when the number starts at the tens.
    return text[1:] if text.startswith("一十") else text


def _article(index: int, article: Article) -> ArticleView:
    sections = []
    headed = 0
    for section in article.sections:
        if section.heading is None:
            sections.append(_section(section, LEAD_LABEL, "", True))
        else:
            headed += 1
            sections.append(_section(section, section.heading, f"（{chinese_number(headed)}）", False))
    return ArticleView(
        number=f"{chinese_number(index + 1)}、",
        title=article.title or UNTITLED,
        region=article.region or article.title or f"第{chinese_number(index + 1)}篇",
        source_lines=tuple(line for line in (article.subtitle, article.byline) if line),
        notes=article.notes,
        sections=tuple(sections),
    )


def _section(section: Section, heading: str, number: str, is_lead: bool) -> SectionView:
    paragraphs: list[str] = []
    last = None
    for key in sorted(section.key_sentences, key=lambda k: (k.paragraph, k.sentence)):
        if key.paragraph == last:
            paragraphs[-1] += key.text
        else:
            paragraphs.append(key.text)
        last = key.paragraph
    figures = tuple(FigureRow(figure_label(section, f), f.text, heading) for f in section.figures)
    return SectionView(heading, number, is_lead, tuple(paragraphs), figures)


def figure_label(section: Section, figure: Figure) -> str:
    """The figure's label, or, when the summariser found none, the words before it in its clause."""
    label = figure.label.strip()
    if len(label) >= 2:
        return label
    try:
        sentence = section.paragraphs[figure.paragraph].sentences[figure.sentence]
    except IndexError:
        return label or "—"
    start = figure.start if 0 <= figure.start <= len(sentence) else 0
    before = _CLAUSE_STOP.split(sentence[:start])
    after = _CLAUSE_STOP.split(sentence[start + len(figure.text) :])[0]
    # Its own clause before it (…授信|17.6亿元), else the words after it (2100余名|委员), else
    # the nearest words before it (“…政策措施（|50条|）”).
    after = re.split(r"\d", after)[0]
    nearest = next((w for w in reversed(before) if w), "")
    for words in (before[-1][-12:], after[:8], nearest[-12:]):
        if len(words) >= 2:
            return words
    return label or "—"


def _telling(figure: Figure, label: str) -> float:
    """How much a figure says on its own: a real label, a large or monetary/percentage quantity."""
    score = 0.0
    if len(label) >= 3 and not label.startswith(("的", "与", "和")):
        score += 2
    if figure.unit in ("元", "%", "个百分点"):
        score += 2
    score += min(math.log10(max(figure.value, 1)), 6) / 2
    return score


def _pick_figures(article: Article) -> list[FigureRow]:
    """Up to `COMPARE_PER_REGION` of the article's most telling figures, in source order."""
    scored = []
    pinned = set()
    order = 0
    for section in article.sections:
        name = section.heading or LEAD_LABEL
        for figure in section.figures:
            label = figure_label(section, figure)
            scored.append((_telling(figure, label), order, FigureRow(label, figure.text, name)))
            if figure.pinned:
                pinned.add(order)
            order += 1
    return [row for _score, _order, row in pinned_first(scored, pinned, COMPARE_PER_REGION)]


def pinned_first(scored: list[tuple[float, int, T]], pinned: set[int], room: int) -> list[tuple[float, int, T]]:
    """The `room` best of `scored` ``(score, order, item)``, an editor's pinned orders first (all of
    them, even past `room`), returned in source order."""
    ranked = sorted(scored, key=lambda item: (item[1] not in pinned, -item[0], item[1]))
    best = ranked[: max(room, len(pinned))]
    return sorted(best, key=lambda item: item[1])


def _compare_tables(articles: tuple[Article, ...], regions: tuple[str, ...]) -> tuple[CompareTable, ...]:
    picked = [(r, _pick_figures(a)) for r, a in zip(regions, articles, strict=True)]
    picked = [(r, rows) for r, rows in picked if rows]
    tables = []
    for start in range(0, len(picked), COMPARE_COLUMNS):
        group = picked[start : start + COMPARE_COLUMNS]
        height = max(len(rows) for _r, rows in group)
        tables.append(
            CompareTable(
                regions=tuple(r for r, _rows in group),
                rows=tuple(
                    tuple(rows[i] if i < len(rows) else None for _r, rows in group) for i in range(height)
                ),
            )
        )
    return tuple(tables)

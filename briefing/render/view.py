"""Briefing + Settings → `View`: everything the page shows, as plain strings, in page order.

Both the HTML template (→ PDF) and the DOCX writer read only this view, so the two formats
carry the same words in the same order. Decisions about *what* to show live here; decisions
about *how it looks* live in ``templates/`` and `docx.py`:

* Nothing is printed twice. The 导读 claims one overview sentence per article first; the
  主要数据对照 claims the figures it lines up (`compare`); the body then shows the key
  sentences not yet shown and not carrying a compared figure, their figures highlighted in
  place; a section's table lists only figures of sentences the briefing does not print.
* A relative time opening a sentence gets its year in 〔〕 when the article makes it certain
  (`anchor`); a section whose heading was lost on the page gets a neutral one, numbered
  like the others; each article names its paper, date and page, or says they are unknown.

`select` also returns what could be left out, ranked, for the page budget (`budget`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..config import Settings, unit_is_set
from ..model import Article, Briefing, Figure, KeySentence, Section
from ..read import starts_mid_sentence
from .anchor import anchored, year_of
from .compare import compare_rows

LOST_HEADING = "〔原文小标题缺失〕"
COMPARE_COLUMNS = 3
"""Regions per comparison table; more articles get further tables of the same shape."""
UNTITLED = "（无标题）"
AUTO_LINE = "本简报摘编自上列报道，所录语句均照录原文；〔〕内文字为摘编时所加。"
DISTRIBUTION_KEYS = ("报", "送", "发")

_CN_NUMBERS = "一二三四五六七八九十"
_CLAUSE_STOP = re.compile(r"[，。；：、！？,;:（）“”\s]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of a printed sentence: plain text, a highlighted figure, or an editor's gloss."""

    text: str
    kind: str = ""
    """``""``, ``"figure"`` (the quantity as printed) or ``"gloss"`` (``〔2022年〕``, not in the source)."""


Text = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure as shown in a section's table: what is counted and the quantity as printed."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class SectionView:
    heading: str
    """The 小标题, `LOST_HEADING` where the page lost it, empty for an article's lead."""
    number: str
    """``（一）`` for headed sections, empty for the lead."""
    is_lead: bool
    paragraphs: tuple[Text, ...]
    """Key sentences, those from one source paragraph joined, in source order."""
    figures: tuple[FigureRow, ...]
    """Figures of sentences not printed: nothing here repeats the paragraphs."""


@dataclass(frozen=True, slots=True)
class ArticleView:
    number: str
    """``一、``"""
    title: str
    region: str
    subtitle: str
    """``——云南省…纪实`` as printed, or empty."""
    source: str
    """Where and when it appeared, then the byline: ``据《人民日报》2025年1月9日第18版　记者 …``."""
    notes: tuple[str, ...]
    sections: tuple[SectionView, ...]


@dataclass(frozen=True, slots=True)
class OverviewView:
    """One line of the 导读: an article's region, title and overview sentence."""

    region: str
    """Empty when the article names none."""
    title: str
    text: Text


@dataclass(frozen=True, slots=True)
class CompareRow:
    label: str
    values: tuple[str, ...]
    """The quantity as printed per region; empty where a region has none."""


@dataclass(frozen=True, slots=True)
class CompareTable:
    """Regions side by side, one row per measure they all count the same way."""

    regions: tuple[str, ...]
    rows: tuple[CompareRow, ...]


@dataclass(frozen=True, slots=True)
class View:
    name: str
    issue: str
    unit: str
    """The issuing unit; empty when it was never set (no placeholder is ever printed)."""
    date: str
    """``2023年1月5日``"""
    date_iso: str
    title: str
    overview: tuple[OverviewView, ...]
    compare: tuple[CompareTable, ...]
    articles: tuple[ArticleView, ...]
    auto_line: str
    distribution: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    subject: str


# --- what may be left out, for the page budget ------------------------------------------------

FIGURE, SENTENCE, ROW = "figure", "sentence", "row"


@dataclass(frozen=True, slots=True)
class Item:
    """Something shown that the page budget may leave out, lowest `rank` first."""

    rank: tuple[int, float, int]
    """(tier, score, -order): section-table figures, then second sentences, then a section's
    last sentence, then comparison rows; within a tier the lowest score, later ones first."""
    kind: str
    key: tuple[int, ...]
    """Model address: (article, section, index into figures or key_sentences) or, for a row,
    the (article, section, figure) of each of its figures flattened."""
    chars: int
    """Characters it prints, for the first estimate of its space."""
    last: bool = False
    """The last thing its block (section or table) shows: leaving it out removes the block."""


# --- building the view -------------------------------------------------------------------------


@dataclass
class _Shown:
    """What is already on the page: sentence texts and figure addresses, so nothing repeats."""

    sentences: set[str] = field(default_factory=set)
    figures: set[tuple[int, int, int]] = field(default_factory=set)
    compared: set[str] = field(default_factory=set)
    """Sentences whose figure the comparison table shows: not printed (wherever they recur)."""
    items: list[Item] = field(default_factory=list)
    order: int = 0

    def claim(self, text: str) -> bool:
        """True the first time a sentence is shown; False for a repeat."""
        key = _SPACE.sub("", text)
        if key in self.sentences:
            return False
        self.sentences.add(key)
        return True

    def item(self, tier: int, score: float, kind: str, key: tuple[int, ...], chars: int) -> Item:
        self.order += 1
        item = Item((tier, score, -self.order), kind, key, chars)
        self.items.append(item)
        return item


def build_view(briefing: Briefing, settings: Settings) -> View:
    """The page's content, from the model and the office's settings (as the page budget left it)."""
    return select(briefing.as_printed(), settings)[0]


def select(briefing: Briefing, settings: Settings) -> tuple[View, list[Item]]:
    """The view, and what in it the page budget may leave out (see `Item`)."""
    shown = _Shown()
    regions = tuple(_region(i, a) for i, a in enumerate(briefing.articles))
    overview = tuple(_overview(i, a, r, shown) for i, (a, r) in enumerate(zip(briefing.articles, regions)))
    compare = _compare(briefing.articles, regions, shown)
    # Every printed sentence is claimed before any table of figures is filled, so a figure is
    # never listed when its sentence is printed, even in another article.
    texts = [_texts(i, a, shown) for i, a in enumerate(briefing.articles)]
    articles = tuple(
        _article(i, a, r, t, shown) for i, (a, r, t) in enumerate(zip(briefing.articles, regions, texts))
    )
    view = View(
        name=settings.name,
        issue=f"第{settings.issue}期",
        unit=settings.unit if unit_is_set(settings) else "",
        date=chinese_date(briefing.date),
        date_iso=briefing.date,
        title=briefing.title,
        overview=overview,
        compare=compare,
        articles=articles,
        auto_line=AUTO_LINE,
        distribution=tuple(
            (k, settings.distribution[k]) for k in DISTRIBUTION_KEYS if settings.distribution.get(k)
        ),
        keywords=_keywords(regions, briefing.title),
        subject=f"{settings.name} 第{settings.issue}期：{briefing.title}",
    )
    return view, _mark_last(shown.items)


def _region(index: int, article: Article) -> str:
    """The region, else the article's title, else 第N篇: the article's name in the comparison."""
    return article.region or article.title or f"第{chinese_number(index + 1)}篇"


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


# --- 导读 -----------------------------------------------------------------------------------


def _overview(index: int, article: Article, region: str, shown: _Shown) -> OverviewView:
    """One line per article: its region and title, then its shortest overview sentence not yet
    shown (none when the summariser gave none)."""
    candidates = sorted(
        (o for o in article.overview if 0 <= o.section < len(article.sections)),
        key=lambda o: len(o.text),
    )
    text: Text = ()
    for o in candidates:
        if shown.claim(o.text):
            section = article.sections[o.section]
            text = _sentence_runs(article, index, o.section, section, o.paragraph, o.sentence, o.text, shown)
            break
    return OverviewView(article.region or "", article.title or UNTITLED, text)


# --- 主要数据对照 ---------------------------------------------------------------------------


def _compare(articles: tuple[Article, ...], regions: tuple[str, ...], shown: _Shown) -> tuple[CompareTable, ...]:
    """Figures the regions count the same way, one row per measure; none when nothing compares."""
    columns = list(dict.fromkeys(regions))
    if len(columns) < 2:
        return ()
    figures: list[list[Figure]] = [[] for _ in columns]
    address: dict[int, tuple[int, int, int]] = {}
    for a, (article, region) in enumerate(zip(articles, regions)):
        for s, section in enumerate(article.sections):
            held = _held(section)
            for f, figure in enumerate(section.figures):
                sentence = _sentence_text(section, figure.paragraph, figure.sentence) or ""
                if (a, s, f) not in shown.figures and _SPACE.sub("", sentence) not in shown.sentences \
                        and not figure.pinned and (figure.paragraph, figure.sentence) not in held:
                    figures[columns.index(region)].append(figure)
                    address[id(figure)] = (a, s, f)
    rows = compare_rows(figures)
    for row in rows:
        keys = [address[id(f)] for f in row.figures if f is not None]
        shown.figures.update(keys)
        for a, s, f in keys:
            figure = articles[a].sections[s].figures[f]
            shown.compared.add(_SPACE.sub("", _sentence_text(articles[a].sections[s], figure.paragraph,
                                                                figure.sentence) or ""))
        chars = len(row.label) + sum(len(f.text) for f in row.figures if f is not None)
        shown.item(3, 0.0, ROW, tuple(k for key in keys for k in key), chars)
    tables = []
    for start in range(0, len(columns), COMPARE_COLUMNS):
        group = range(start, min(start + COMPARE_COLUMNS, len(columns)))
        table_rows = tuple(
            CompareRow(row.label, tuple(row.figures[g].text if row.figures[g] else "" for g in group))
            for row in rows
            if any(row.figures[g] for g in group)
        )
        if table_rows:
            tables.append(CompareTable(tuple(columns[g] for g in group), table_rows))
    return tuple(tables)


def _held(section: Section) -> set[tuple[int, int]]:
    """(paragraph, sentence) of the section's pinned key sentences: an editor's pin is printed
    whole, its figures in place, so the comparison table does not take them."""
    return {(k.paragraph, k.sentence) for k in section.key_sentences if k.pinned}


# --- articles --------------------------------------------------------------------------------


def _texts(a: int, article: Article, shown: _Shown) -> list[tuple[Text, ...]]:
    """Per section, the paragraphs it prints (claiming their sentences and figures)."""
    return [_paragraphs(article, a, s, section, shown) for s, section in enumerate(article.sections)]


def _article(index: int, article: Article, region: str, texts: list[tuple[Text, ...]], shown: _Shown) -> ArticleView:
    sections = []
    numbered = 0
    for s, (section, paragraphs) in enumerate(zip(article.sections, texts)):
        lead = section.heading is None and not _lost_heading(article, s)
        figures = _extra_figures(index, s, section, shown)
        if not (paragraphs or figures):
            continue
        number = ""
        if not lead:
            numbered += 1
            number = f"（{chinese_number(numbered)}）"
        heading = "" if lead else section.heading or LOST_HEADING
        sections.append(SectionView(heading, number, lead, paragraphs, figures))
    return ArticleView(
        number=f"{chinese_number(index + 1)}、",
        title=article.title or UNTITLED,
        region=region,
        subtitle=article.subtitle or "",
        source=source_line(article),
        notes=article.notes,
        sections=tuple(sections),
    )


def _lost_heading(article: Article, index: int) -> bool:
    """A headless first section whose text starts mid-sentence, in an article with headings:
    the page lost its 小标题 with its first lines; it is a part like the others, not a lead."""
    section = article.sections[index]
    return (
        index == 0
        and any(s.heading for s in article.sections)
        and any(starts_mid_sentence(p.text) for p in section.paragraphs[:2])
    )


def source_line(article: Article) -> str:
    """``据《人民日报》2025年1月9日第18版　记者 …``; unknown paper or date said plainly.

    Before the paper and date are read out of a dateline, the dateline is shown as printed;
    a byline that carries the paper itself (``…记者 某某《人民日报》（…）``) is left to say it.
    """
    date = _date_text(article.date)
    page = f"第{article.page}版" if article.page and date else ""
    byline = article.byline or ""
    if article.paper:
        where = f"据《{article.paper}》{date}{page}" if date else f"据《{article.paper}》，刊发日期不详"
        if byline.startswith("本报"):
            byline = byline[2:]
    elif date:
        where = f"刊发于{date}{page}，报纸不详"
    elif article.dateline:
        where = article.dateline
    elif "《" in byline:
        where = ""
    else:
        where = "刊发报纸及日期不详"
    return "　".join(part for part in (where, byline) if part)


def _date_text(iso: str | None) -> str:
    try:
        return chinese_date(iso) if iso else ""
    except ValueError:
        return ""


def _paragraphs(article: Article, a: int, s: int, section: Section, shown: _Shown) -> tuple[Text, ...]:
    """The section's key sentences not yet shown nor carrying a compared figure, those from one
    source paragraph joined, in source order."""
    keys = sorted(enumerate(section.key_sentences), key=lambda item: (item[1].paragraph, item[1].sentence))
    printed: list[tuple[int, Text]] = []
    candidates: list[tuple[int, KeySentence]] = []
    for k, key in keys:
        if _SPACE.sub("", key.text) in shown.compared or not shown.claim(key.text):
            continue
        candidates.append((k, key))
        printed.append((key.paragraph, _sentence_runs(article, a, s, section, key.paragraph, key.sentence,
                                                      key.text, shown)))
    candidates = [(k, key) for k, key in candidates if not key.pinned]  # an editor's pin is never left out
    best = max(candidates, key=lambda item: item[1].score, default=None)
    for k, key in candidates:
        shown.item(2 if (k, key) == best else 1, key.score, SENTENCE, (a, s, k), len(key.text))
    paragraphs: list[Text] = []
    last = None
    for paragraph, runs in printed:
        if paragraph == last:
            paragraphs[-1] = paragraphs[-1] + runs
        else:
            paragraphs.append(runs)
        last = paragraph
    return tuple(paragraphs)


def _extra_figures(a: int, s: int, section: Section, shown: _Shown) -> tuple[FigureRow, ...]:
    """Figures of sentences the briefing does not print, each once."""
    in_key = {(k.paragraph, k.sentence) for k in section.key_sentences}
    rows = []
    seen = set()
    for f, figure in enumerate(section.figures):
        if (a, s, f) in shown.figures or (figure.paragraph, figure.sentence) in in_key:
            continue
        sentence = _sentence_text(section, figure.paragraph, figure.sentence)
        if sentence is not None and _SPACE.sub("", sentence) in shown.sentences:
            continue
        row = FigureRow(figure_label(section, figure), figure.text)
        if row in seen:
            continue
        seen.add(row)
        shown.figures.add((a, s, f))
        if not figure.pinned:  # an editor's pin is never left out
            shown.item(0, _telling(figure, row.label), FIGURE, (a, s, f), len(row.label) + len(row.value))
        rows.append(row)
    return tuple(rows)


def _sentence_text(section: Section, paragraph: int, sentence: int) -> str | None:
    try:
        return section.paragraphs[paragraph].sentences[sentence]
    except IndexError:
        return None


def _sentence_runs(
    article: Article, a: int, s: int, section: Section, paragraph: int, index: int, text: str, shown: _Shown
) -> Text:
    """The sentence as runs: its figures highlighted (and claimed), a year gloss after an
    opening relative time."""
    word, gloss, _rest = anchored(text, year_of(text, section, paragraph, index, article.date))
    marks: list[tuple[int, int, str]] = []
    if gloss:
        marks.append((len(word), len(word), gloss))
    for f, figure in enumerate(section.figures):
        if (figure.paragraph, figure.sentence) != (paragraph, index):
            continue
        start = figure.start if text[figure.start : figure.start + len(figure.text)] == figure.text else text.find(figure.text)
        if start >= len(word) and not any(m[0] < start + len(figure.text) and start < m[1] for m in marks):
            marks.append((start, start + len(figure.text), ""))
            shown.figures.add((a, s, f))
    runs: list[Run] = []
    at = 0
    for start, end, insert in sorted(marks):
        if start > at:
            runs.append(Run(text[at:start]))
        if insert:
            runs.append(Run(insert, "gloss"))
        else:
            runs.append(Run(text[start:end], "figure"))
        at = end
    if at < len(text):
        runs.append(Run(text[at:]))
    return tuple(runs)


def plain(text: Iterable[Run]) -> str:
    """The runs as one string, glosses included: what a reader reads."""
    return "".join(run.text for run in text)


def _mark_last(items: list[Item]) -> list[Item]:
    """Flag the item whose leaving out empties its block; ranked lowest first."""
    by_block: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    for i, item in enumerate(items):
        block = (ROW, ()) if item.kind == ROW else ("section", item.key[:2])
        by_block.setdefault(block, []).append(i)
    marked = list(items)
    for members in by_block.values():
        top = max(members, key=lambda i: items[i].rank)
        marked[top] = replace(items[top], last=True)
    return sorted(marked, key=lambda item: item.rank)


# --- leaving out --------------------------------------------------------------------------------


def without(briefing: Briefing, items: Iterable[Item]) -> Briefing:
    """The briefing less these items: a left-out sentence takes its figures with it, a left-out
    comparison row takes its figures and the sentences that carried them."""
    drop_keys: set[tuple[int, int, int]] = set()
    drop_figures: set[tuple[int, int, int]] = set()
    for item in items:
        if item.kind == FIGURE:
            drop_figures.add(item.key[:3])
        elif item.kind == SENTENCE:
            drop_keys.add(item.key[:3])
        else:
            drop_figures.update(tuple(item.key[i : i + 3]) for i in range(0, len(item.key), 3))
    articles = []
    for a, article in enumerate(briefing.articles):
        sections = []
        for s, section in enumerate(article.sections):
            gone = {
                (section.figures[f].paragraph, section.figures[f].sentence)
                for f in range(len(section.figures))
                if (a, s, f) in drop_figures
            }
            keys = []
            for k, key in enumerate(section.key_sentences):
                if (a, s, k) in drop_keys or (key.paragraph, key.sentence) in gone:
                    gone.add((key.paragraph, key.sentence))
                else:
                    keys.append(key)
            figures = tuple(
                figure
                for f, figure in enumerate(section.figures)
                if (a, s, f) not in drop_figures
                and (figure.pinned or not ((figure.paragraph, figure.sentence) in gone
                                           and _in_dropped_key(section, figure, keys)))
            )
            sections.append(replace(section, key_sentences=tuple(keys), figures=figures))
        articles.append(replace(article, sections=tuple(sections)))
    return replace(briefing, articles=tuple(articles))


def _in_dropped_key(section: Section, figure: Figure, kept: list[KeySentence]) -> bool:
    """The figure sat in a key sentence that is no longer kept."""
    was_key = any((k.paragraph, k.sentence) == (figure.paragraph, figure.sentence) for k in section.key_sentences)
    still = any((k.paragraph, k.sentence) == (figure.paragraph, figure.sentence) for k in kept)
    return was_key and not still


# --- figure labels -----------------------------------------------------------------------------


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

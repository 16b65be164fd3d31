"""The review page: what the summariser saw and picked, for an editor to pin and drop.

In: the seed articles as read, the settings (with their ``[picks]``). Out: ``review.html``,
one self-contained page (styles and script inline, no network, works from ``file://``): per
article and section every sentence in source order with its id, its rank and score among the
section's candidates, whether it was picked, pinned or dropped; the figures with their labels;
buttons to copy an id and to pin or drop; a box that collects the decisions as the ``[picks]``
TOML to paste into briefing.toml. `serve` hands the same page out with a form that writes the
decisions itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .config import Settings
from .ids import figure_ids, sentence_ids
from .model import Article
from .picks import Picks, picks_toml
from .render.html import environment
from .render.view import figure_label
from .summarise import ScoredSection, Summariser

TEMPLATE = "review.html.j2"


@dataclass(frozen=True, slots=True)
class SentenceRow:
    id: str
    text: str
    rank: int | None
    """1 for the section's best candidate by score; None for no candidate (a page fragment)."""
    score: float | None
    """The model's probability that an editor picks it, 0–1."""
    picked: bool
    overview: bool
    state: str
    """``pin``, ``drop`` or empty: the decision in the settings."""
    new_paragraph: bool


@dataclass(frozen=True, slots=True)
class FigureItem:
    id: str
    text: str
    label: str
    state: str


@dataclass(frozen=True, slots=True)
class SectionReview:
    heading: str
    picked: int
    sentences: tuple[SentenceRow, ...]
    figures: tuple[FigureItem, ...]


@dataclass(frozen=True, slots=True)
class ArticleReview:
    title: str
    source: str
    sections: tuple[SectionReview, ...]


def review_articles(articles: Sequence[Article], settings: Settings, summariser: Summariser) -> list[ArticleReview]:
    """Score and summarise every article as ``briefing make`` does, keeping every candidate."""
    return [_article(a, settings, summariser) for a in articles]


def _state(identifier: str, picks: Picks) -> str:
    return "pin" if identifier in picks.pin else "drop" if identifier in picks.drop else ""


def _article(article: Article, settings: Settings, summariser: Summariser) -> ArticleReview:
    scored = summariser.score_article(article)
    done = summariser.summarise_article(article, settings.sentences, settings.overview, settings.picks, scored)
    ids = sentence_ids(article)
    overview = {o.id for o in done.overview}
    sections = []
    for index, (section, scores) in enumerate(zip(done.sections, scored)):
        ranked = sorted(scores.rows, key=lambda r: (-r.logit, r.candidate.order))
        rank = {(r.candidate.paragraph, r.candidate.sentence): (n, r.probability) for n, r in enumerate(ranked, 1)}
        picked = {(k.paragraph, k.sentence) for k in section.key_sentences}
        rows = []
        for p, paragraph in enumerate(section.paragraphs):
            for s, text in enumerate(paragraph.sentences):
                if not text.strip():
                    continue
                number, score = rank.get((p, s), (None, None))
                identifier = ids[index][p][s]
                rows.append(SentenceRow(identifier, text, number, score, (p, s) in picked, identifier in overview,
                                        _state(identifier, settings.picks), s == 0))
        figures = tuple(
            FigureItem(f.id, f.text, figure_label(section, f), _state(f.id, settings.picks)) for f in section.figures
        )
        dropped = _dropped_figures(article, index, scored, settings.picks)
        sections.append(SectionReview(section.heading or "导语", len(picked), tuple(rows), figures + dropped))
    return ArticleReview(article.title or "（无标题）", article.source, tuple(sections))


def _dropped_figures(
    article: Article, index: int, scored: Sequence[ScoredSection], picks: Picks
) -> tuple[FigureItem, ...]:
    """Figures an editor dropped (gone from the summarised model), so they can be taken back."""
    if not picks.drop:
        return ()
    full = replace(article, sections=tuple(replace(s, figures=c.figures) for s, c in zip(article.sections, scored)))
    section = full.sections[index]
    return tuple(
        FigureItem(i, f.text, figure_label(section, f), "drop")
        for f, i in zip(section.figures, figure_ids(full)[index])
        if i in picks.drop
    )


def render_review(reviews: Sequence[ArticleReview], settings: Settings, serve_token: str | None = None,
                  message: str = "") -> str:
    """The page as one HTML string; with `serve_token`, a form that posts the decisions back."""
    return environment().get_template(TEMPLATE).render(
        articles=reviews,
        picks={"pin": list(settings.picks.pin), "drop": list(settings.picks.drop)},
        picks_toml=picks_toml(settings.picks),
        token=serve_token,
        message=message,
    )

"""Briefing → ``briefing.json``: the contract other tools and the tests read.

Field names are fixed (see README, "out/briefing.json"); new fields may be added, none renamed.
"""

from __future__ import annotations

import json

from ..config import Settings
from ..ids import sentence_ids
from ..model import Article, Briefing, Section
from . import Document


def briefing_dict(briefing: Briefing, settings: Settings | None = None) -> dict[str, object]:
    """The JSON-ready form of the model (and the masthead settings, when given)."""
    masthead = {} if settings is None else {"name": settings.name, "unit": settings.unit, "issue": settings.issue}
    return {
        "title": briefing.title,
        "date": briefing.date,
        **masthead,
        "warnings": list(briefing.warnings),
        "articles": [_article(a, p) for a, p in zip(briefing.articles, briefing.as_printed().articles, strict=True)],
    }


def _article(article: Article, printed: Article) -> dict[str, object]:
    return {
        "source": article.source,
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "dateline": article.dateline,
        "paper": article.paper,
        "date": article.date,
        "page": article.page,
        "url": article.url,
        "byline": article.byline,
        "region": article.region,
        "editor_note": article.editor_note,
        "panel_label": article.panel_label,
        "guests": list(article.guests),
        "captions": [c.text for c in article.captions],
        "caption_lines": [c.line for c in article.captions],
        "trailers": list(article.trailers),
        "notes": list(article.notes),
        "overview": [
            {"id": o.id, "text": o.text, "section": o.section, "paragraph": o.paragraph, "sentence": o.sentence}
            for o in article.overview
        ],
        "sections": [
            _section(s, p, i)
            for s, p, i in zip(article.sections, printed.sections, sentence_ids(article), strict=True)
        ],
    }


def _section(section: Section, printed: Section, ids: list[list[str]]) -> dict[str, object]:
    """A section with every pick; ``printed`` says whether the page budget kept it in the PDF/DOCX."""
    kept = {(k.paragraph, k.sentence) for k in printed.key_sentences}
    return {
        "heading": section.heading,
        "heading_line": section.heading_line,
        "paragraphs": [p.text for p in section.paragraphs],
        "paragraph_lines": [list(p.lines) for p in section.paragraphs],
        "sentences": [list(p.sentences) for p in section.paragraphs],
        "sentence_ids": ids,
        "key_sentences": [
            {"id": k.id, "text": k.text, "paragraph": k.paragraph, "sentence": k.sentence, "score": k.score,
             "why": dict(k.reasons), "pinned": k.pinned, "printed": (k.paragraph, k.sentence) in kept}
            for k in section.key_sentences
        ],
        "figures": [
            {
                "id": f.id,
                "text": f.text,
                "value": int(f.value) if float(f.value).is_integer() else f.value,
                "approx": f.approx,
                "unit": f.unit,
                "label": f.label,
                "paragraph": f.paragraph,
                "sentence": f.sentence,
                "pinned": f.pinned,
            }
            for f in section.figures
        ],
    }


def render_json(briefing: Briefing, settings: Settings) -> Document:
    """Pretty, UTF-8 (not \\u-escaped), newline-terminated, stable key order."""
    text = json.dumps(briefing_dict(briefing, settings), ensure_ascii=False, indent=2) + "\n"
    return Document(text.encode("utf-8"))

"""Fit a briefing into N pages of the real layout, leaving out the lowest-ranked picks first.

In: a summarised `Briefing`, the settings and a page limit. Out: a `Fitted` briefing with
fewer key sentences and figures (never a cut sentence) and what was left out.

Laying the page out costs about 0.15 s, so the fit is estimated first and measured after:

1. every block of the view is sized in lines of body text (22 to a page, 28 characters to
   a line); the lowest-ranked items (`view.Item`: section-table figures, then second key
   sentences, then a section's last sentence, then comparison rows) are left out until the
   estimate fits;
2. the page is laid out with WeasyPrint and the lines really used are measured; the estimate
   is scaled by what was measured, and items are left out (or taken back) to match;
3. laid out again, and again while it still overflows (a few times at most).

The last layout is kept by `pdf.layout`, so writing the PDF does not lay it out once more. The
DOCX carries the same content; LibreOffice's page count is checked in the tests and `bench/`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Settings
from ..model import Briefing
from .view import FIGURE, ROW, SENTENCE, Item, View, plain, select, without

LINES_PER_PAGE = 22
SLACK_PER_PAGE = 1.5
"""Lines per page the PDF leaves unused so that the DOCX, laid out by Word or LibreOffice with
the same content, fits the same pages: LibreOffice breaks before a table or heading that
WeasyPrint keeps or splits (seed with a 报送 block, devset 13+20: 5 pages without it, 4 with it)."""
CHARS_PER_LINE = 28
LINE_PX = 28.95 * 96 / 72
"""One body line (28.95 pt) in CSS pixels, WeasyPrint's unit."""
MAX_LAYOUTS = 6
FIGURES_PER_SECTION = 4
"""Under a page budget, a section's table lists at most this many figures of sentences it does
not print (the most telling); with no limit (``--pages 0``) it lists them all."""


@dataclass(frozen=True, slots=True)
class Fitted:
    """The briefing as it will be printed, with what the page budget left out."""

    briefing: Briefing
    pages: int
    """Pages of the last layout."""
    left_out: tuple[Item, ...]
    limit: int

    def summary(self) -> str:
        """One line for stderr: the pages, and what was left out to get there."""
        counts = Counter(item.kind for item in self.left_out)
        parts = [
            f"{counts[kind]} {name}"
            for kind, name in ((SENTENCE, "key sentence(s)"), (FIGURE, "figure(s)"), (ROW, "comparison row(s)"))
            if counts[kind]
        ]
        head = f"{self.pages} page(s), limit {self.limit}"
        left = f"left out {', '.join(parts)}" if parts else "nothing left out"
        if self.over:
            return f"{head}: over the limit with {left.removeprefix('left out ') or 'nothing'} left out"
        return f"{head}: {left}"

    @property
    def over(self) -> bool:
        """The briefing takes more pages than the limit (mastheads, 导读 and headings alone do)."""
        return self.pages > self.limit


def fit(briefing: Briefing, settings: Settings, limit: int) -> Fitted:
    """The briefing in at most `limit` pages (see the module docstring)."""
    view, items = select(briefing, settings)
    capped = _beyond_cap(items)
    if capped:
        briefing = without(briefing, capped)
        view, items = select(briefing, settings)
    capacity = limit * (LINES_PER_PAGE - SLACK_PER_PAGE) - 0.5
    dropped = _shed(items, estimate(view) - capacity, 1.0)
    pages, used, scale = _measure(briefing, dropped, settings)
    best = (dropped, pages) if pages <= limit else None
    share = 1.0  # of the room left that taking back may fill; halved each time it overflows
    for _ in range(MAX_LAYOUTS - 1):
        if pages <= limit:
            # Room left on the last page: take back the best of what was left out.
            back = set(_take_back(dropped, (capacity - used) * share, scale))
            if not back:
                break
            trial = [item for item in dropped if item not in back]
        else:
            gone = set(dropped)
            kept = [item for item in items if item not in gone]
            if not kept:
                break
            trial = dropped + (_shed(kept, used - capacity, scale) or kept[:1])
        trial_pages, trial_used, trial_scale = _measure(briefing, trial, settings)
        if trial_pages <= limit:
            best = (trial, trial_pages)
        elif pages <= limit:
            if len(back) == 1:
                break  # even the smallest taking back overflows: the last fit stands
            share /= 2
            continue
        dropped, pages, used, scale = trial, trial_pages, trial_used, trial_scale
    final, pages = best if best is not None else (dropped, pages)
    left_out = tuple(sorted([*capped, *final], key=lambda item: item.rank))
    return Fitted(without(briefing, final), pages, left_out, limit)


def _beyond_cap(items: Sequence[Item]) -> list[Item]:
    """Section-table figures past the `FIGURES_PER_SECTION` most telling of their section."""
    figures: dict[tuple[int, ...], list[Item]] = {}
    for item in items:
        if item.kind == FIGURE:
            figures.setdefault(item.key[:2], []).append(item)
    return [item for group in figures.values() for item in sorted(group, key=lambda i: i.rank)[:-FIGURES_PER_SECTION]]


def _saving(item: Item) -> float:
    """Lines an item's leaving out frees: its text, and its block's heading or table frame."""
    if item.kind == SENTENCE:
        lines = item.chars / CHARS_PER_LINE + 0.5
        return lines + (1.3 if item.last else 0)
    if item.kind == FIGURE:
        return 0.45 + (1.6 if item.last else 0)
    return 0.8 + (2.5 if item.last else 0)


def _shed(ranked: Sequence[Item], excess: float, scale: float) -> list[Item]:
    """The lowest-ranked items whose leaving out frees `excess` lines (scaled)."""
    chosen: list[Item] = []
    freed = 0.0
    for item in ranked:
        if freed >= excess:
            break
        chosen.append(item)
        freed += _saving(item) * scale
    return chosen


def _take_back(dropped: Sequence[Item], room: float, scale: float) -> list[Item]:
    """The best-ranked left-out items that fit in `room` lines, the best first, in rank order."""
    back: list[Item] = []
    for item in sorted(dropped, key=lambda item: item.rank, reverse=True):
        need = _saving(item) * scale
        if need > room:
            break
        back.append(item)
        room -= need
    return back


def _measure(briefing: Briefing, dropped: Sequence[Item], settings: Settings) -> tuple[int, float, float]:
    """(pages, lines used, measured ÷ estimated) of the real layout without `dropped`: whole
    pages before the last, and the last one's filled height."""
    from .html import render_view_html
    from .pdf import layout

    view = select(without(briefing, dropped), settings)[0]
    document = layout(render_view_html(view, settings))
    pages = len(document.pages)
    used = (pages - 1) * LINES_PER_PAGE + _filled(document.pages[-1]) / LINE_PX
    return pages, used, used / max(estimate(view), 1.0)


def _filled(page) -> float:  # type: ignore[no-untyped-def]
    """Height used on a page's text block, in CSS pixels (margin boxes, the page number, skipped)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    box = page._page_box
    top = box.content_box_y()
    bottom = top
    stack = [child for child in box.children if not isinstance(child, MarginBox)]
    while stack:
        child = stack.pop()
        bottom = max(bottom, child.position_y + child.margin_height())
        stack.extend(getattr(child, "children", ()))
    return bottom - top


def estimate(view: View) -> float:
    """The view's height in body lines, from its characters (the first guess, before layout)."""
    lines = 7.0  # masthead and title
    if view.overview:
        lines += 1.3 + sum(_body(len(o.region) + len(o.title) + 5 + len(plain(o.text))) for o in view.overview)
    if view.compare:
        lines += 1.3 + sum(0.6 + 0.8 * (len(t.rows) + 1) for t in view.compare)
    for article in view.articles:
        lines += 0.8 + _lines(len(article.title) + 2, 26)
        lines += sum(0.66 * _lines(len(text), 38) for text in (article.subtitle, article.source) if text)
        lines += sum(0.1 + 0.77 * _lines(len(note) + 6, 30) for note in article.notes)
        for section in article.sections:
            if not section.is_lead:
                lines += 0.25 + _lines(len(section.number) + len(section.heading) + 2, 28)
            lines += sum(_body(len(plain(p))) for p in section.paragraphs)
            if section.figures:
                lines += 0.6 + 0.8 * (math.ceil(len(section.figures) / 2) + 1)
    lines += 1.1 + 0.77 * _lines(len(view.auto_line), 30)
    if view.distribution:
        lines += 1.0 + 0.93 * len(view.distribution)
    return lines


def _body(chars: int) -> int:
    return _lines(chars + 2, CHARS_PER_LINE)


def _lines(chars: int, per_line: int) -> int:
    return max(1, math.ceil(chars / per_line))

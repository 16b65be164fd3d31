"""View → HTML through the Jinja2 template in ``templates/``; also the ``html`` format.

The HTML is self-contained: the static stylesheet and the font declarations are inlined in a
``<style>`` element and fonts are referenced by family name only, so the same string feeds
WeasyPrint (PDF) and a browser. Autoescaping stays on: article text is data, never markup.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..config import Settings
from ..model import Briefing
from . import Document
from ..figures import _ARABIC, _PER, _UNIT
from .fonts import font_css
from .grid import figure_rows, figures_per_row
from .view import View, build_view

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
TEMPLATE = "briefing.html.j2"
STYLESHEET = "briefing.css"

_OPENING = "“‘（《〈【〔「『"
_CLOSING = "，。、；：？！”’）》〉】〕」』…%"
# Pango never breaks next to curly quotes (line-break class QU), which leaves long ragged
# lines; a <wbr> before “ and after ” gives it the opportunity — except where that would put
# closing punctuation at a line start or opening punctuation at a line end. <wbr> is markup,
# not text: text copied from the page has no invisible characters.
_QUOTE_BREAK = re.compile(f"(?<=[^{_OPENING}])(?=[“‘])|(?<=[”’])(?=[^{_CLOSING}])")
# A number with its magnitude, approximation and unit is one word on the page: Pango would
# break 17.6|亿元 or 20|多个 (a number may break from a following ideograph). Units as in
# briefing.figures, plus the calendar ones (2022年, 4月).
_NUMBER = re.compile(
    rf"(?<![0-9０-９.．])(?:{_ARABIC})(?:余|多)?(?:万亿|千万|百万|亿|万)?(?:余|多)?"
    rf"(?:(?:{_UNIT}|年|月|日|号)(?:{_PER})?)?"
)

_UNBROKEN = re.compile(r"[0-9０-９.．,%％‰]+")


def breakable(text: object) -> Markup:
    """Escape `text`; keep numbers with their units on one line; let lines break at curly quotes."""
    text = str(text)
    pieces: list[str] = []
    last = 0
    for match in _NUMBER.finditer(text):
        if _UNBROKEN.fullmatch(match.group()):  # Pango never splits 10600, 1.5 or 5%: no span needed
            continue
        pieces.append(_quote_breaks(text[last : match.start()]))
        pieces.append(f'<span class="nobr">{escape(match.group())}</span>')
        last = match.end()
    pieces.append(_quote_breaks(text[last:]))
    return Markup("".join(pieces))


def _quote_breaks(text: str) -> str:
    return "<wbr>".join(str(escape(part)) for part in _QUOTE_BREAK.split(text))


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment; autoescape is forced on for every template name."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["breakable"] = breakable
    env.filters["figure_rows"] = figure_rows
    env.filters["figures_per_row"] = figures_per_row
    return env


def render_view_html(view: View, settings: Settings) -> str:
    """The page as one HTML string."""
    stylesheet = (TEMPLATES / STYLESHEET).read_text("utf-8")
    # Marked safe deliberately: the stylesheet is our own file and font_css quotes every name.
    css = Markup(font_css(settings.fonts) + stylesheet)
    return environment().get_template(TEMPLATE).render(v=view, css=css)


def briefing_html(briefing: Briefing, settings: Settings) -> str:
    return render_view_html(build_view(briefing, settings), settings)


def render_html(briefing: Briefing, settings: Settings) -> Document:
    """The ``html`` format: the same page the PDF is made from, for a browser or a golden test."""
    return Document(briefing_html(briefing, settings).encode("utf-8"))

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
from .fonts import font_css
from .view import View, build_view

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
TEMPLATE = "briefing.html.j2"
STYLESHEET = "briefing.css"

ZWSP = "\u200b"
_OPENING = "“‘（《〈【〔「『"
_CLOSING = "，。、；：？！”’）》〉】〕」』…%"
# Pango never breaks next to curly quotes (line-break class QU), which leaves long ragged
# lines; a zero-width space before “ and after ” gives it the opportunity — except where
# that would put closing punctuation at a line start or opening punctuation at a line end.
_BEFORE_OPEN = re.compile(f"(?<=[^{_OPENING}{ZWSP}])(?=[“‘])")
_AFTER_CLOSE = re.compile(f"(?<=[”’])(?=[^{_CLOSING}{ZWSP}])")


def breakable(text: object) -> Markup:
    """Escape `text`, then add U+200B break opportunities around curly quotes."""
    escaped = str(escape(str(text)))
    escaped = _AFTER_CLOSE.sub(ZWSP, _BEFORE_OPEN.sub(ZWSP, escaped))
    return Markup(escaped)


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

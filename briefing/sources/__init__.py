"""Source formats → the plain text the reader understands, plus where the article came from.

Readers mirror writers: one small module per format, looked up by the file's suffix in
`READERS` (as `render.WRITERS` looks writers up by format name). Each turns a seed's bytes
into a `Source`: text in the shape of a plain-text seed (one paragraph a line), and metadata
(`paper`, `date`, `page`, `url`) for the `Article`. `read.py` stays the one place that knows
the genre.

    .txt          text.py   strict decoding, optional front-matter block
    .docx         docx.py   paragraphs from the document body; tracked deletions and comments left out
    .html .htm    html.py   the article's main text, title and metadata (trafilatura)
    http(s)://    web.py    fetched once into the out folder's cache, then read as .html
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Article


@dataclass(frozen=True)
class Source:
    """One seed, read: text for `read.read_articles` and what is known of where it came from."""

    text: str
    """One paragraph (or header line) a line; blank lines between are allowed."""
    meta: dict[str, str] = field(default_factory=dict)
    """``paper``, ``date`` (YYYY-MM-DD), ``page``, ``url``: the keys `Article` has."""
    meta_wins: bool = False
    """True when the metadata is the user's own statement (front matter): it replaces what the
    reader found in the text. Otherwise (page or document metadata) it only fills gaps."""
    warnings: tuple[str, ...] = ()
    """What was left out or repaired on the way (a table, a mislabelled encoding)."""
    headings: frozenset[int] = frozenset()
    """1-based lines of `text` the document itself marks as headings (a Word Heading style, a
    bold or centred short paragraph); the reader takes them as 小标题 whatever their shape."""


Reader = Callable[[bytes, str], Source]


def _read_txt(data: bytes, name: str) -> Source:
    from .text import read_text

    return read_text(data, name)


def _read_docx(data: bytes, name: str) -> Source:
    from .docx import read_docx

    return read_docx(data, name)


def _read_html(data: bytes, name: str) -> Source:
    from .html import read_html

    return read_html(data, name)


def _refuse_doc(data: bytes, name: str) -> Source:
    raise InputError(name, "an old Word .doc file; open it in Word or WPS and save it as .docx")


READERS: dict[str, Reader] = {
    ".txt": _read_txt,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".doc": _refuse_doc,
}
"""Suffix → reader. A folder of seeds is searched for these suffixes (``.doc`` too, so that it
is refused in words rather than skipped in silence)."""


def read_source(data: bytes, name: str, suffix: str, charset: str | None = None) -> Source:
    """Read one seed's bytes with the reader for its suffix; an unknown suffix is read as text.

    `charset` is what a web server declared for a fetched page."""
    if charset and suffix.lower() in (".html", ".htm"):
        from .html import read_html

        return read_html(data, name, charset)
    return READERS.get(suffix.lower(), _read_txt)(data, name)


def with_meta(articles: Sequence[Article], source: Source) -> list[Article]:
    """The articles with the source's paper/date/page/url filled in (or, for front matter, set)."""
    result = []
    for article in articles:
        given = {
            key: value
            for key, value in source.meta.items()
            if value and (source.meta_wins or getattr(article, key) is None)
        }
        result.append(dataclasses.replace(article, **given) if given else article)
    return result

"""Stable ids for every sentence and figure: what an editor's pins and drops refer to.

An id is a short hash of the article's title and the sentence's own text (for a figure, also
the quantity as printed), so it survives a rerun, a re-encoding of the seed file and edits
anywhere else in the article. Whitespace is left out of the hash and the text is NFC-normalised:
a file saved as GBK, UTF-8 or UTF-16, with full-width or no-break spaces, gives the same ids.
A text that occurs twice in one article gets a counter: ``s-3fa9c21b0e``, ``s-3fa9c21b0e-2``.

Ids are unique within an article; two articles with the same title holding the same sentence
share its id, and a decision about it applies to both.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

from .model import Article

SENTENCE, FIGURE = "s", "f"
SHAPE = re.compile(r"^[sf]-[0-9a-f]{10}(-[1-9][0-9]{0,5})?$")
"""What an id looks like; anything else in ``[picks]`` is a typo or a paste gone wrong."""
_SPACE = re.compile(r"\s+")


def _digest(*parts: str) -> str:
    text = "\x1f".join(_SPACE.sub("", unicodedata.normalize("NFC", p)) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


class _Counter:
    """Hands out ids, numbering the second and later occurrences of one digest."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def __call__(self, kind: str, digest: str) -> str:
        base = f"{kind}-{digest}"
        self.seen[base] += 1
        count = self.seen[base]
        return base if count == 1 else f"{base}-{count}"


def sentence_ids(article: Article) -> list[list[list[str]]]:
    """``ids[section][paragraph][sentence]`` for every sentence of the article, in source order."""
    title = article.title or ""
    number = _Counter()
    return [
        [[number(SENTENCE, _digest(title, s)) for s in paragraph.sentences] for paragraph in section.paragraphs]
        for section in article.sections
    ]


def figure_ids(article: Article) -> list[list[str]]:
    """``ids[section][figure]`` for every figure of the article (its sections' `figures`)."""
    title = article.title or ""
    number = _Counter()
    ids = []
    for section in article.sections:
        row = []
        for figure in section.figures:
            try:
                sentence = section.paragraphs[figure.paragraph].sentences[figure.sentence]
            except IndexError:
                sentence = ""
            row.append(number(FIGURE, _digest(title, sentence, figure.text)))
        ids.append(row)
    return ids

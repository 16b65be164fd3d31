"""Paragraph → sentences, losslessly: ``"".join(split_sentences(t)) == t`` for every `t`.

A sentence ends at 。！？ (and their ASCII forms ! ?) or at an ellipsis …… , together with
whatever closing quotes and brackets follow (``……”``), so a quotation stays whole:
``split_sentences('“好。”他说。') == ['“好。”', '他说。']``. Text after the last end mark is a
sentence of its own. Unlike TextRank4ZH's splitter no character is dropped, and unlike sumy's a
closing ``”`` stays with the sentence it closes.
"""

from __future__ import annotations

import re
import unicodedata

ENDERS = "。！？!?"
ELLIPSIS = "…"
CLOSERS = "”’」』）)》〉】〕]\"'"
# One end mark or ellipsis run (several marks together, e.g. ？！ or ……), then closers.
# A lone "." is not an end mark: it is a decimal point or an abbreviation in this genre.
_SENTENCE_END = re.compile(f"(?:[{ENDERS}…]+|\\.{{3,}})[{re.escape(CLOSERS)}]*")


MAX_SENTENCE = 500
"""A run longer than this without an end mark (a 1 MB line) is cut into pieces of at most this
length, at a clause mark where there is one: a key sentence must stay something a page can
lay out in reasonable time, and a reader can take in."""
_CLAUSE_END = re.compile("[；;，,：:、 ]")


def split_sentences(text: str) -> list[str]:
    """Cut `text` into sentences, keeping every character (spaces included)."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        # Spaces after an end mark belong to the sentence they follow, so no sentence
        # starts with a space.
        while end < len(text) and text[end] == " ":
            end += 1
        sentences.extend(_bounded(text[start:end]))
        start = end
    if start < len(text):
        sentences.extend(_bounded(text[start:]))
    return sentences


def _bounded(sentence: str) -> list[str]:
    """`sentence` as pieces of at most MAX_SENTENCE characters, cut after the last clause mark
    of each window (else at the window's end, never before a combining mark)."""
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    pieces = []
    start = 0
    while len(sentence) - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        marks = [m.end() for m in _CLAUSE_END.finditer(sentence, start + MAX_SENTENCE // 2, limit)]
        cut = marks[-1] if marks else limit
        back = cut
        while back > cut - 16 and unicodedata.combining(sentence[back]):
            back -= 1
        cut = back if not unicodedata.combining(sentence[back]) else cut
        pieces.append(sentence[start:cut])
        start = cut
    pieces.append(sentence[start:])
    return pieces


def ends_sentence(text: str) -> bool:
    """True when `text` ends with a sentence end mark (closers after it allowed)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and (stripped[-1] in ENDERS or stripped[-1] == ELLIPSIS or stripped.endswith("..."))

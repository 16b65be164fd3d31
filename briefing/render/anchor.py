"""The year a sentence's opening relative time refers to, when the article makes it certain.

A key sentence copied out of its article loses what came before it: ``4月，…`` under a masthead
dated today reads as this April. When the sentence opens with a relative time, the briefing
adds the year in 〔〕 after it (``4月〔2022年〕，…``), but only when the article says which year:

* ``今年`` and ``去年`` count from the publication date (`Article.date`), and from nothing else;
* a month, ``年内``, ``全年``, ``这一年``, ``当年``… belong to the narrative's year: the nearest
  explicit year printed before the sentence in its own section (``回眸2022年，…``). A year in
  a title mark (``《…（2022—2024年）》``) or a span is a name, not the narrative's year.

Otherwise nothing is added: a guess would be worse than the bare ``4月``.
"""

from __future__ import annotations

import re

from ..model import Section

_RELATIVE = re.compile(
    r"^(?P<word>(?:[1-9]|1[0-2]|[一二三四五六七八九十]|十[一二])月(?:份|初|中旬|下旬|上旬|底|末|中)?"
    r"|年内|全年|这一年|当年|同年|年初|年底|年末|上半年|下半年|今年|去年)"
)
_YEAR = re.compile(r"(?<![0-9—\-－~～至到])((?:19|20)\d{2})年(?![0-9]*[—\-－~～至到])")
_TITLE = re.compile(r"《[^》]*》")


def relative_opening(sentence: str) -> str | None:
    """The relative time a sentence opens with (``4月``, ``年内``), or None."""
    match = _RELATIVE.match(sentence)
    return match.group("word") if match else None


def year_of(sentence: str, section: Section, paragraph: int, index: int, published: str | None) -> int | None:
    """The year `sentence`'s opening relative time refers to, or None when the article does not say."""
    word = relative_opening(sentence)
    if word is None:
        return None
    if word in ("今年", "去年"):
        if not published or not re.match(r"\d{4}-", published):
            return None
        return int(published[:4]) - (word == "去年")
    return _year_before(section, paragraph, index)


def _year_before(section: Section, paragraph: int, index: int) -> int | None:
    """The last explicit year printed in the section before sentence `index` of `paragraph`."""
    texts: list[str] = []
    for p, para in enumerate(section.paragraphs[: paragraph + 1]):
        texts.append("".join(para.sentences[:index]) if p == paragraph else para.text)
    before = _TITLE.sub("", "".join(texts))
    years = _YEAR.findall(before)
    return int(years[-1]) if years else None


def anchored(sentence: str, year: int | None) -> tuple[str, str, str]:
    """(opening, gloss, rest): ``("4月", "〔2022年〕", "，…")``; the gloss is empty without a year."""
    word = relative_opening(sentence)
    if word is None or year is None:
        return "", "", sentence
    return word, f"〔{year}年〕", sentence[len(word) :]

"""Sentences → key figures: quantities with their unit and what they count.

First version; see tests/test_figures.py for the behaviour it must keep.
"""

from __future__ import annotations

import re

from .model import Figure, Section

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = "个百分点|亿元|万元|万人|万户|元|个|项|次|场|件|家|户|人|名|座|条|所|支|批|场次|余次|%"
_FIGURE = re.compile(
    rf"(?P<label>[\u4e00-\u9fff]{{0,8}}?)(?P<approx1>近|超|约|超过)?(?P<num>{_NUMBER})(?P<mag>万|亿)?"
    rf"(?P<approx2>余|多)?(?P<unit>{_UNITS})"
)


def find_figures(sentence: str) -> list[Figure]:
    """Every quantity in `sentence`, in order."""
    figures = []
    for match in _FIGURE.finditer(sentence):
        value = float(match["num"]) * {"万": 1e4, "亿": 1e8, None: 1}[match["mag"]]
        text = sentence[match.start("num") if not match["approx1"] else match.start("approx1"):match.end()]
        figures.append(
            Figure(
                text=text,
                value=value,
                approx=bool(match["approx1"] or match["approx2"]),
                unit=match["unit"],
                label=match["label"],
                start=match.start(),
            )
        )
    return figures


def section_figures(section: Section) -> list[Figure]:
    """All figures in a section, in source order, with paragraph and sentence indices."""
    found = []
    for p, paragraph in enumerate(section.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            for figure in find_figures(sentence):
                found.append(Figure(**{**_fields(figure), "paragraph": p, "sentence": s}))
    return found


def _fields(figure: Figure) -> dict[str, object]:
    return {name: getattr(figure, name) for name in Figure.__slots__}

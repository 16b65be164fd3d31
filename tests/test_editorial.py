"""The seed's 导读 and key sentences meet the editors' brief.

A briefing reports what was done. It does not show a quotation, a sentence that introduces
someone's words, a slogan, a question, or a sentence that leans on the one before it (这些…,
此外…, 对此…, 他说…) when its section has a sentence free of all of these that was not picked.
These are properties of the picks, not the picks themselves: any summariser that meets the brief
passes. The detectors are written here, independently of the summariser's own.
"""

from __future__ import annotations

import re

import pytest

CLOSERS = "”’」』）)"
_OPENER = re.compile(r"^(?:这些|这个|这种|这是|这也|这让|这就|这里|此外|另外|对此|为此|与此同时|"
                     r"他说|她说|他们|她们|其中)")
_SLOGAN = re.compile(r"^(?:只有|唯有|没有|要想).{1,14}[，,].{0,4}(?:才|就|方)")
_INTRODUCES = re.compile(r"(?:说|表示|介绍|感叹|感慨|坦言|告诉记者|指出|强调|评价|如是说)[：:]?$|[：:]$")
_ACTOR = re.compile(r"政协|委员|党委|政府|人大|部门|机关|[州市县区乡镇村]")
_FRAGMENT = 12
"""Fewer characters than this is a fragment (成绩很快凸显。), not a report."""


def _quoted_share(text: str) -> float:
    depth = inside = 0
    for char in text:
        if char in "“「『":
            depth += 1
        elif char in "”」』":
            depth = max(0, depth - 1)
        elif depth and not char.isspace():
            inside += 1
    return inside / max(1, len(text.strip()))


def _parallel_phrases(text: str) -> bool:
    """奋楫扬帆新征程 style: short comma-separated phrases, no one acting, nothing counted."""
    clauses = [c for c in re.split(r"[，,；;]", text) if c]
    return (len(clauses) >= 2 and all(len(c) <= 8 for c in clauses)
            and not _ACTOR.search(text) and not re.search(r"\d", text))


def faults(sentence: str) -> list[str]:
    """What the brief finds wrong with a sentence as a briefing line; [] when nothing."""
    text = sentence.strip()
    bare = text.rstrip(CLOSERS).rstrip("。！!")
    found = []
    if text.startswith(("“", "「")) and _quoted_share(text) > 0.5:
        found.append("quotation")
    if _INTRODUCES.search(bare):
        found.append("introduces speech")
    if _SLOGAN.search(text) or _parallel_phrases(bare):
        found.append("slogan")
    if text.rstrip(CLOSERS).endswith(("？", "?")):
        found.append("question")
    if _OPENER.match(text):
        found.append("leans on the sentence before")
    if len(text) < _FRAGMENT:
        found.append("fragment")
    return found


@pytest.mark.parametrize(
    ("sentence", "fault"),
    [
        ("“建议全面实施农业现代化三年行动计划，推动产业发展。”", "quotation"),
        ("在院坝协商会上，居民代表王大爷高兴地说：", "introduces speech"),
        ("元阳县政协主席沐文忠如是评价。", "introduces speech"),
        ("波澜壮阔回首，奋楫扬帆新征程。", "slogan"),
        ("只有思想上同心同德，才有行动上同向同行。", "slogan"),
        ("楚雄为何成为全国政协的热点调研目的地？", "question"),
        ("这些与群众生活息息相关的小事，成为协商议事的重要内容。", "leans on the sentence before"),
        ("此外，围绕绿色硅光伏产业开展专题调研。", "leans on the sentence before"),
        ("对此，州政协自觉扛起专门协商机构的政治担当。", "leans on the sentence before"),
        ("他说，委员工作室让群众有了说话的地方。", "leans on the sentence before"),
        ("成绩很快凸显。", "fragment"),
    ],
)
def test_the_detectors_see_each_fault(sentence: str, fault: str) -> None:
    assert fault in faults(sentence)
    assert faults("全年开展协商议事活动124场，解决民生实事141件，建成委员工作室218个。") == []


@pytest.fixture(scope="module")
def summarised(seed_articles, summariser):
    return [summariser.summarise_article(a) for a in seed_articles]


def _sentences(section):
    return [s for p in section.paragraphs for s in p.sentences if s.strip()]


def test_key_sentences_meet_the_brief_when_the_section_allows(summarised) -> None:
    broken = []
    for article in summarised:
        for section in article.sections:
            picked = {k.text for k in section.key_sentences}
            clean_left = [s for s in _sentences(section) if not faults(s) and s not in picked]
            for text in sorted(picked):
                if faults(text) and clean_left:
                    broken.append((article.region, text[:30], faults(text), clean_left[0][:20]))
    assert broken == []


def test_the_overview_meets_the_brief_when_the_article_allows(summarised) -> None:
    broken = []
    for article in summarised:
        assert article.overview, f"{article.region}: no 导读 line"
        picked = {o.text for o in article.overview}
        clean_left = [s for sec in article.sections for s in _sentences(sec) if not faults(s) and s not in picked]
        for item in article.overview:
            if faults(item.text) and clean_left:
                broken.append((article.region, item.text[:30], faults(item.text)))
    assert broken == []


def test_overview_sentences_are_the_articles_own_sentences_in_source_order(summarised) -> None:
    for article in summarised:
        places = [(o.section, o.paragraph, o.sentence) for o in article.overview]
        assert places == sorted(places)
        for o in article.overview:
            assert article.sections[o.section].paragraphs[o.paragraph].sentences[o.sentence] == o.text

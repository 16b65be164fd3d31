"""Articles → key sentences and key figures: the summarising stage.

In: `Article` records from `read`. Out: the same articles with `Section.key_sentences`,
`Section.figures` and `Article.overview` filled in. Extractive only: every chosen sentence is a
sentence of the source, verbatim, with its paragraph and sentence index.

How a sentence is scored (see `score_sentences`): centrality (LexRank over TF-IDF cosine
similarity within the section, plus similarity to the whole article) tells what the section is
about; informativeness rewards what a briefing reader needs, concrete actions, named documents
and programmes, figures; slogans, rhetorical questions, quoted speech and song lyrics are held
back; position gives the opening sentences a small lead. Sentences are then picked greedily
with a redundancy penalty (MMR), and returned in source order.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

import jieba

from .model import Article, KeySentence, OverviewSentence, Section
from .read import read_articles

_PUNCT = re.compile(r"^[\W_]+$")
_ACTION = re.compile(
    "出台|建立|成立|开展|召开|举办|组织|推动|助推|促成|实现|完成|新增|创建|实施|启动|搭建|制定|印发|"
    "发布|签订|投入|建成|新建|解决|办理|提出|形成|评选|命名|授信|放贷|帮助|资助|引进|培育|打造|"
    "部署|审议|通过|落实|整合|设立|聘请|编入|开通|上线"
)
_DOCUMENT = re.compile(r"《[^》]{2,}》")
_NAMED = re.compile(r"“[^”]{2,20}”")
_FIGURE_HINT = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿|%|％|个|项|次|场|件|家|户|人|名|元|座|条|所|支|批)")
_SLOGAN_MARKERS = re.compile(r"^(?:只有|唯有|没有|要想).{1,14}[，,].{0,4}(?:才|就|方)")
_MIN_LENGTH = 12


@dataclass(frozen=True, slots=True)
class _Candidate:
    paragraph: int
    sentence: int
    text: str
    order: int


class Summariser:
    """Owns the jieba tokenizer and the stop words; build one, use it for every article."""

    def __init__(self) -> None:
        # jieba logs its dictionary load at DEBUG to stderr through its module logger;
        # the command line prints its own stage lines instead.
        jieba.default_logger.setLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        text = resources.files("briefing").joinpath("data/stopwords.txt").read_text("utf-8")
        self.stopwords = frozenset(w for w in text.split() if not w.startswith("#"))

    # --- tokens ------------------------------------------------------------------------

    def terms(self, sentence: str) -> list[str]:
        """Content words of a sentence: jieba tokens less stop words, punctuation, single CJK chars."""
        words = []
        for token in self.tokenizer.lcut(sentence):
            token = token.strip()
            if not token or token in self.stopwords or _PUNCT.match(token):
                continue
            if len(token) == 1 and not token.isdigit():
                continue
            words.append(token)
        return words

    # --- articles ----------------------------------------------------------------------

    def summarise_article(self, article: Article, per_section: int = 2, overview: int = 2) -> Article:
        """Fill key sentences and figures for every section, and the article's overview."""
        from .figures import section_figures

        candidates = [_candidates(section) for section in article.sections]
        vectors = [[Counter(self.terms(c.text)) for c in cands] for cands in candidates]
        all_vectors = [v for section in vectors for v in section]
        idf = _idf(all_vectors)
        article_centroid = _centroid(all_vectors, idf)

        sections = []
        scored_all: list[tuple[float, int, _Candidate]] = []
        for index, (section, cands, vecs) in enumerate(zip(article.sections, candidates, vectors)):
            scores = score_sentences(cands, vecs, idf, article_centroid)
            chosen = _pick(cands, vecs, idf, scores, per_section)
            keys = tuple(
                KeySentence(c.text, c.paragraph, c.sentence, round(scores[c.order], 4)) for c in chosen
            )
            sections.append(replace(section, key_sentences=keys, figures=tuple(section_figures(section))))
            scored_all.extend((scores[c.order], index, c) for c in cands)
        picked = _pick_overview(scored_all, overview)
        overview_sentences = tuple(OverviewSentence(c.text, s, c.paragraph, c.sentence) for s, c in picked)
        return replace(article, sections=tuple(sections), overview=overview_sentences)

    def summarise_text(self, text: str, count: int = 2) -> list[str]:
        """Key sentences of one plain-text article, in source order (``briefing summarise``).

        The text is read like a seed file; headings, if any, are ignored here: the text is
        treated as one section, so `count` sentences come from the whole article.
        """
        articles = read_articles(text, "<text>")
        paragraphs = tuple(p for a in articles for s in a.sections for p in s.paragraphs)
        if not paragraphs:
            return []
        section = Section(None, None, paragraphs)
        cands = _candidates(section)
        vecs = [Counter(self.terms(c.text)) for c in cands]
        idf = _idf(vecs)
        scores = score_sentences(cands, vecs, idf, _centroid(vecs, idf))
        return [c.text for c in _pick(cands, vecs, idf, scores, count)]


def _candidates(section: Section) -> list[_Candidate]:
    found = []
    for p, paragraph in enumerate(section.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            if sentence.strip():
                found.append(_Candidate(p, s, sentence, len(found)))
    return found


def _idf(vectors: Sequence[Counter[str]]) -> dict[str, float]:
    documents = Counter(term for vector in vectors for term in vector)
    total = len(vectors) or 1
    return {term: math.log(1 + total / count) for term, count in documents.items()}


def _weighted(vector: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    return {term: (1 + math.log(count)) * idf.get(term, 1.0) for term, count in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _centroid(vectors: Sequence[Counter[str]], idf: dict[str, float]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    return _weighted(total, idf)


def _lexrank(weighted: Sequence[dict[str, float]], damping: float = 0.85) -> list[float]:
    """Continuous LexRank: stationary distribution of the cosine-similarity graph."""
    n = len(weighted)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    sims = [[_cosine(weighted[i], weighted[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    row_sums = [sum(row) or 1.0 for row in sims]
    rank = [1.0 / n] * n
    for _ in range(30):
        rank = [
            (1 - damping) / n + damping * sum(sims[j][i] / row_sums[j] * rank[j] for j in range(n))
            for i in range(n)
        ]
    top = max(rank) or 1.0
    return [r / top for r in rank]


def informativeness(text: str) -> float:
    """What a briefing reader needs: actions, named documents and programmes, figures.

    Negative for what they do not: slogans, rhetorical questions, quotations and lyrics.
    """
    score = 0.0
    body = text.strip()
    if _FIGURE_HINT.search(body):
        score += 0.5
    if _DOCUMENT.search(body):
        score += 0.3
    score += 0.15 * min(len(_ACTION.findall(body)), 3)
    if _NAMED.search(body):
        score += 0.1
    length = len(body)
    if length < _MIN_LENGTH:
        score -= 0.8
    elif length < 22:
        score -= 0.3
    if _SLOGAN_MARKERS.search(body):
        score -= 0.6
    if body.rstrip("”’」』").endswith(("？", "?")):
        score -= 0.6
    if body.startswith(("“", "「")) and body.rstrip().endswith(("”", "」", "”。")):
        score -= 0.5  # a quotation: someone's words, not what was done
    if body.endswith(("……", "……”")) and not _ACTION.search(body):
        score -= 0.4  # lyrics, a trailing list
    return score


def score_sentences(
    cands: Sequence[_Candidate],
    vectors: Sequence[Counter[str]],
    idf: dict[str, float],
    article_centroid: dict[str, float],
) -> list[float]:
    """One score per candidate; higher is more worth reading."""
    weighted = [_weighted(v, idf) for v in vectors]
    central = _lexrank(weighted)
    scores = []
    for cand, vector, rank in zip(cands, weighted, central):
        position = 0.25 if cand.order == 0 else (0.1 if cand.paragraph == 0 else 0.0)
        score = (
            1.0 * rank
            + 0.6 * _cosine(vector, article_centroid)
            + informativeness(cand.text)
            + position
        )
        scores.append(score)
    return scores


def _pick(
    cands: Sequence[_Candidate],
    vectors: Sequence[Counter[str]],
    idf: dict[str, float],
    scores: Sequence[float],
    count: int,
    redundancy: float = 0.7,
) -> list[_Candidate]:
    """Greedy MMR: best score less a penalty for similarity to what is already picked."""
    weighted = [_weighted(v, idf) for v in vectors]
    chosen: list[int] = []
    remaining = list(range(len(cands)))
    while remaining and len(chosen) < count:
        def value(i: int) -> tuple[float, int]:
            overlap = max((_cosine(weighted[i], weighted[j]) for j in chosen), default=0.0)
            return (scores[i] - redundancy * overlap, -i)

        best = max(remaining, key=value)
        chosen.append(best)
        remaining.remove(best)
    return [cands[i] for i in sorted(chosen)]


def _pick_overview(
    scored: Sequence[tuple[float, int, _Candidate]], count: int
) -> list[tuple[int, _Candidate]]:
    """The article's best sentences across sections, one per section at most, in source order."""
    ranked = sorted(scored, key=lambda item: (-item[0], item[1], item[2].order))
    chosen: list[tuple[int, _Candidate]] = []
    used_sections: set[int] = set()
    for _score, section, cand in ranked:
        if len(chosen) >= count:
            break
        if section in used_sections:
            continue
        chosen.append((section, cand))
        used_sections.add(section)
    return sorted(chosen, key=lambda item: (item[0], item[1].order))

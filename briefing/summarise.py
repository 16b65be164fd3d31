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

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

from .figures import section_figures
from .model import Article, KeySentence, OverviewSentence, Section
from .read import read_articles, starts_mid_sentence
from .sentences import CLOSERS
from .tokenizer import new_tokenizer

_PUNCT = re.compile(r"^[\W_]+$")
_ACTION = re.compile(
    "出台|建立|成立|开展|召开|举办|组织|推动|助推|促成|实现|完成|新增|创建|实施|启动|搭建|制定|印发|"
    "发布|签订|投入|建成|新建|解决|办理|提出|形成|评选|命名|授信|放贷|帮助|资助|引进|培育|打造|"
    "部署|审议|通过|落实|整合|设立|聘请|编入|开通|上线"
)
_DOCUMENT = re.compile(r"《[^》]{2,}》")
_NAMED = re.compile(r"“[^”]{2,20}”")
_SLOGAN_MARKERS = re.compile(r"^(?:只有|唯有|没有|要想).{1,14}[，,].{0,4}(?:才|就|方)")
_SPEECH_INTRO = re.compile(r"(?:说|表示|介绍|感叹|坦言|告诉记者|如是说|如是评价)[：:。]?$")
_ACTOR = re.compile(r"政协|委员|党委|政府|人大|州委|市委|县委|区委|部门|党组|机关|组织")
_ANAPHORA = re.compile(r"^(?:而|但|可)?(?:这|那|此|其|他|她|它|该)")
_MIN_LENGTH = 12


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts in a sentence's score (see `score_sentences`)."""

    centrality: float
    """LexRank within the section."""
    article: float
    """Cosine similarity to the whole article."""
    informativeness: float
    """Figures, actions, named documents; penalties for slogans, quotations, fragments."""
    first: float
    """Bonus for the section's first sentence, in full for up to `short` sentences."""
    short: int
    lead_paragraph: float
    """Bonus for other sentences of the section's first paragraph."""
    length: float
    """Times the sentence length (capped at 120 characters, as a share of it)."""
    question: float
    """For a sentence that ends with a question mark."""
    redundancy: float = 0.7
    """MMR penalty times the similarity to a sentence already picked."""


FEATURE = Weights(
    centrality=0.5, article=0.6, informativeness=0.5, first=0.25, short=6, lead_paragraph=0.1,
    length=0.0, question=0.0,
)
"""Sections of long features: what was done, with figures and named documents. The opening
bonus shrinks as a section grows, since a feature section often opens with an anecdote."""

NEWS = Weights(
    centrality=0.5, article=0.5, informativeness=0.0, first=0.4, short=6, lead_paragraph=0.0,
    length=-1.5, question=-0.5,
)
"""Short news items (a feed post, ≤ `NEWS_SENTENCES` sentences): the central, concise statement
of the news. Chosen on one half of the LCSTS set and checked on the other (bench/quality.py)."""

NEWS_SENTENCES = 8


@dataclass(frozen=True, slots=True)
class _Candidate:
    paragraph: int
    sentence: int
    text: str
    order: int
    quoted: float = 0.0
    """Share of the sentence's characters inside “…” (speech, lyrics, slogans)."""


class Summariser:
    """Owns the jieba tokenizer and the stop words; build one, use it for every article."""

    def __init__(self) -> None:
        self.tokenizer = new_tokenizer()
        text = resources.files("briefing").joinpath("data/stopwords.txt").read_text("utf-8")
        self.stopwords = frozenset(w for w in text.split() if not w.startswith("#"))

    # --- tokens ------------------------------------------------------------------------

    def terms(self, sentence: str) -> Counter[str]:
        """Content words of a sentence: jieba tokens less stop words, punctuation, single CJK chars."""
        words: Counter[str] = Counter()
        stopwords = self.stopwords
        for token in self.tokenizer.cut(sentence):
            if len(token) == 1 and not token.isdigit():
                continue
            token = token.strip()
            if token and token not in stopwords and not _PUNCT.match(token):
                words[token] += 1
        return words

    # --- articles ----------------------------------------------------------------------

    def summarise_article(self, article: Article, per_section: int = 2, overview: int = 2) -> Article:
        """Fill key sentences and figures for every section, and the article's overview."""
        candidates = [_candidates(section) for section in article.sections]
        vectors = [[self.terms(c.text) for c in cands] for cands in candidates]
        idf = _idf([v for section in vectors for v in section])
        units = [[_unit(v, idf) for v in section] for section in vectors]
        article_centroid = _centroid([u for section in units for u in section])

        sections = []
        scored_all: list[tuple[float, int, _Candidate]] = []
        for index, (section, cands, unit) in enumerate(zip(article.sections, candidates, units)):
            figures = tuple(section_figures(section, self.tokenizer))
            counts = Counter((f.paragraph, f.sentence) for f in figures)
            scores = score_sentences(cands, unit, article_centroid, FEATURE, counts)
            chosen = _pick(cands, unit, scores, per_section, FEATURE.redundancy)
            keys = tuple(
                KeySentence(c.text, c.paragraph, c.sentence, round(scores[c.order], 4)) for c in chosen
            )
            sections.append(replace(section, key_sentences=keys, figures=figures))
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
        vectors = [self.terms(c.text) for c in cands]
        idf = _idf(vectors)
        units = [_unit(v, idf) for v in vectors]
        weights = NEWS if len(cands) <= NEWS_SENTENCES else FEATURE
        counts: Counter[tuple[int, int]] = Counter()
        if weights.informativeness:
            counts.update((f.paragraph, f.sentence) for f in section_figures(section, self.tokenizer))
        scores = score_sentences(cands, units, _centroid(units), weights, counts)
        return [c.text for c in _pick(cands, units, scores, count, weights.redundancy)]


def _candidates(section: Section) -> list[_Candidate]:
    """The section's sentences, less fragments that start mid-sentence (text lost on the page)
    unless the section has nothing else."""
    found = []
    for p, paragraph in enumerate(section.paragraphs):
        depth = 0  # quotation depth carries over sentence ends: “州委将…保障。全州…监督。”
        for s, sentence in enumerate(paragraph.sentences):
            inside = 0
            for char in sentence:
                if char in "“「『":
                    depth += 1
                elif char in "”」』":
                    depth = max(0, depth - 1)
                elif depth and not char.isspace():
                    inside += 1
            if sentence.strip():
                quoted = inside / max(1, len(sentence.strip()))
                found.append(_Candidate(p, s, sentence, len(found), quoted))
    # Only a paragraph's first sentence can be a page fragment; later ones follow an end mark.
    whole = [c for c in found if c.sentence > 0 or not starts_mid_sentence(c.text.strip())]
    if whole and len(whole) < len(found):
        found = [replace(c, order=i) for i, c in enumerate(whole)]
    return found


# --- vectors: TF-IDF, each normalised to length 1 once, so a cosine is a dot product ------

Vector = dict[str, float]


def _idf(vectors: Sequence[Counter[str]]) -> dict[str, float]:
    documents = Counter(term for vector in vectors for term in vector)
    total = len(vectors) or 1
    return {term: math.log(1 + total / count) for term, count in documents.items()}


def _unit(vector: Counter[str], idf: dict[str, float]) -> Vector:
    weighted = {term: (1 + math.log(count)) * idf.get(term, 1.0) for term, count in vector.items()}
    norm = math.sqrt(sum(w * w for w in weighted.values()))
    return {term: w / norm for term, w in weighted.items()} if norm else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(w * get(term, 0.0) for term, w in a.items())


def _centroid(units: Sequence[Vector]) -> Vector:
    """The normalised sum: what the text as a whole is about."""
    total: dict[str, float] = {}
    for unit in units:
        for term, weight in unit.items():
            total[term] = total.get(term, 0.0) + weight
    norm = math.sqrt(sum(w * w for w in total.values()))
    return {term: w / norm for term, w in total.items()} if norm else {}


def _lexrank(units: Sequence[Vector], damping: float = 0.85, rounds: int = 30) -> list[float]:
    """Continuous LexRank: stationary distribution of the cosine-similarity graph, max = 1."""
    n = len(units)
    if n <= 1:
        return [1.0] * n
    # The graph is symmetric and sparse (most sentence pairs share no content word): keep
    # each node's neighbours with their weights, computing each pair once.
    neighbours: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            similarity = _dot(units[i], units[j])
            if similarity > 0.0:
                neighbours[i].append((j, similarity))
                neighbours[j].append((i, similarity))
    degree = [sum(w for _, w in row) or 1.0 for row in neighbours]
    rank = [1.0 / n] * n
    base = (1 - damping) / n
    for _ in range(rounds):
        share = [rank[j] / degree[j] for j in range(n)]
        rank = [base + damping * sum(w * share[j] for j, w in neighbours[i]) for i in range(n)]
    top = max(rank) or 1.0
    return [r / top for r in rank]


LEXRANK_LIMIT = 120


def _centrality(units: Sequence[Vector]) -> list[float]:
    """LexRank, kept from growing quadratically on walls of text.

    LexRank compares every pair of sentences; past `LEXRANK_LIMIT` sentences in one section
    (a 1 MB paragraph, not a feature section) only those nearest the section's centroid take
    part, and the rest score 0 on this signal.
    """
    if len(units) <= LEXRANK_LIMIT:
        return _lexrank(units)
    centroid = _centroid(units)
    nearest = sorted(range(len(units)), key=lambda i: (-_dot(units[i], centroid), i))[:LEXRANK_LIMIT]
    ranks = [0.0] * len(units)
    for index, rank in zip(nearest, _lexrank([units[i] for i in nearest])):
        ranks[index] = rank
    return ranks


def informativeness(text: str, quoted: float = 0.0, figures: int = 0) -> float:
    """What a briefing reader needs: actions, named documents and programmes, figures.

    Negative for what they do not: slogans, rhetorical questions, quotations and lyrics
    (`quoted` is the share of the sentence inside quotation marks), speech introductions and
    sentences that lean on the one before. `figures` is how many figures the sentence holds.
    """
    body = text.strip()
    score = 0.25 * min(figures, 3)
    if _DOCUMENT.search(body):
        score += 0.3
    actions = len(_ACTION.findall(body))
    score += 0.15 * min(actions, 3)
    if _NAMED.search(body):
        score += 0.1
    if _ACTOR.search(body):
        score += 0.2  # names who acted; a scene ("冬日的赣南…") or a remark does not
    length = len(body)
    if length < _MIN_LENGTH:
        score -= 0.8
    elif length < 22:
        score -= 0.3
    if _SLOGAN_MARKERS.search(body):
        score -= 0.6
    if body.rstrip(CLOSERS).endswith(("？", "?")):
        score -= 1.2  # a (rhetorical) question answers nothing
    if quoted > 0.6:
        score -= 1.5  # a quotation: someone's words, not what was done
    if _SPEECH_INTRO.search(body.rstrip(CLOSERS)):
        score -= 0.6  # "…高兴地说。": it introduces someone's words, it reports nothing
    if _ANAPHORA.match(body):
        score -= 0.4  # "这些…" / "他们…": means little without the sentence before it
    if body.endswith(("……", "……”")) and not actions:
        score -= 0.4  # lyrics, a trailing list
    return score


def score_sentences(
    cands: Sequence[_Candidate],
    units: Sequence[Vector],
    article_centroid: Vector,
    weights: Weights = FEATURE,
    figure_counts: Counter[tuple[int, int]] | None = None,
) -> list[float]:
    """One score per candidate; higher is more worth reading."""
    central = _centrality(units)
    counts = figure_counts or Counter()
    first = weights.first * min(1.0, weights.short / max(1, len(cands)))
    scores = []
    for cand, unit, rank in zip(cands, units, central):
        position = first if cand.order == 0 else (weights.lead_paragraph if cand.paragraph == 0 else 0.0)
        text = cand.text.strip()
        score = weights.centrality * rank + weights.article * _dot(unit, article_centroid) + position
        if weights.informativeness:
            figures = counts[(cand.paragraph, cand.sentence)]
            score += weights.informativeness * informativeness(text, cand.quoted, figures)
        score += weights.length * min(len(text), 120) / 120
        score += weights.question * text.rstrip(CLOSERS).endswith(("？", "?"))
        scores.append(score)
    return scores


def _pick(
    cands: Sequence[_Candidate],
    units: Sequence[Vector],
    scores: Sequence[float],
    count: int,
    redundancy: float,
) -> list[_Candidate]:
    """Greedy MMR: best score less a penalty for similarity to what is already picked."""
    chosen: list[int] = []
    overlap = [0.0] * len(cands)
    remaining = set(range(len(cands)))
    while remaining and len(chosen) < count:
        best = max(remaining, key=lambda i: (scores[i] - redundancy * overlap[i], -i))
        chosen.append(best)
        # The same sentence printed twice is never picked twice.
        text = cands[best].text.strip()
        remaining = {i for i in remaining if i != best and cands[i].text.strip() != text}
        for i in remaining:
            overlap[i] = max(overlap[i], _dot(units[i], units[best]))
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

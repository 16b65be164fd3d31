"""Articles → key sentences and key figures: the summarising stage.

In: `Article` records from `read`. Out: the same articles with `Section.key_sentences`,
`Section.figures` and `Article.overview` filled in. Extractive only: every chosen sentence is a
sentence of the source, verbatim, with its paragraph and sentence index.

How a section's sentences are chosen, as an editor would (the brief is in bench/devset/README.md):

- each sentence gets the signals of `signals.text_signals` (figures, named documents, actions,
  results; slogans, questions, quoted speech, scene-setting, sentences leaning on the one
  before…) and of its place: LexRank centrality in the section, similarity to the heading and to
  the whole article, position;
- a logistic model weighs them into the probability that an editor picks the sentence; its
  weights were fitted on two editors' picks (bench/fit_summariser.py) and ship in
  ``briefing/data/summariser.json``;
- a section gets as many picks as its size deserves (`pick_count`): two from four body
  sentences on, one from fewer, four from an article without headings, never more than the
  caller's maximum, and none that an editor would not take (below the model's floor);
- picks are made greedily with a redundancy penalty (MMR) and returned in source order.

The overview (导读) is the article's one sentence that best sums it up, as editors choose it (most
often the lead's thesis sentence, ``近年来，X…``); when it is also a key sentence, the briefing
prints it once, in the overview.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

from .figures import section_figures
from .ids import figure_ids, sentence_ids
from .model import Article, Figure, KeySentence, OverviewSentence, Section
from .picks import Picks
from .read import read_articles, region_stem, starts_mid_sentence
from .sentences import CLOSERS
from .signals import SIGNALS, leans_on_previous, text_signals
from .tokenizer import new_tokenizer

_PUNCT = re.compile(r"^[\W_]+$")

PLACE_SIGNALS = (
    "centrality", "section", "heading", "article", "first", "position", "paragraph_start", "lead",
    "lead_thesis", "region",
)
"""Signals of a sentence's place, in the order `_place_signals` returns them."""
FEATURES = PLACE_SIGNALS + SIGNALS
_THESIS = SIGNALS.index("thesis")


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic model over `FEATURES`: ``P(editor picks) = σ(bias + Σ weight·signal)``."""

    weights: tuple[float, ...]
    bias: float
    floor: float
    """A sentence scoring below this probability is never a key sentence."""
    overview: dict[str, float]
    """Extra weights for the overview choice: ``lead`` (in the lead section), ``opening``
    (among the article's first three sentences), ``thesis`` (opens with ``近年来``…), ``article``
    (similarity to the whole article)."""

    @classmethod
    def load(cls) -> Model:
        data = json.loads(resources.files("briefing").joinpath("data/summariser.json").read_text("utf-8"))
        weights = data["weights"]
        unknown = set(weights) ^ set(FEATURES)
        if unknown:
            raise ValueError(f"briefing/data/summariser.json does not match the signals: {sorted(unknown)}")
        return cls(tuple(float(weights[name]) for name in FEATURES), float(data["bias"]),
                   float(data["floor"]), {k: float(v) for k, v in data["overview"].items()})

    def logit(self, features: Sequence[float]) -> float:
        return self.bias + sum(w * x for w, x in zip(self.weights, features))

    def reasons(self, features: Sequence[float], top: int = 5) -> tuple[tuple[str, float], ...]:
        """The signals that moved this sentence most, with their share of the logit."""
        parts = [(name, round(w * x, 3)) for name, w, x in zip(FEATURES, self.weights, features) if w * x]
        parts.sort(key=lambda item: (-abs(item[1]), item[0]))
        return tuple(parts[:top])


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))


def pick_count(body_sentences: int, headed: bool, maximum: int) -> int:
    """How many key sentences a section deserves, as the editors' brief counts them.

    An article without headings is one section: four picks. Otherwise two from a section of
    four or more body sentences, one from a shorter one. Never more than `maximum`.
    """
    if body_sentences == 0:
        return 0
    wanted = 4 if not headed else (2 if body_sentences >= 4 else 1)
    return min(wanted, maximum)


NO_PICKS = Picks()

NEWS_SENTENCES = 8
"""Texts of at most this many sentences are news items (a feed post), scored by `_news_scores`."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    paragraph: int
    sentence: int
    text: str
    order: int
    quoted: float = 0.0
    """Share of the sentence's characters inside “…” (speech, lyrics, slogans)."""


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate sentence with its features and the model's verdict on it."""

    section: int
    candidate: _Candidate
    features: tuple[float, ...]
    logit: float

    @property
    def probability(self) -> float:
        return probability(self.logit)


@dataclass(frozen=True, slots=True)
class ScoredSection:
    """A section's candidates, scored, with their TF-IDF vectors (for the redundancy penalty)."""

    rows: tuple[Scored, ...]
    units: tuple[dict[str, float], ...]
    figures: tuple[Figure, ...] = ()
    """The section's figures (found once, for the `figures` signal and for the briefing)."""


class Summariser:
    """Owns the jieba tokenizer, the stop words and the model; build one, use it for every article."""

    def __init__(self, model: Model | None = None) -> None:
        self.tokenizer = new_tokenizer()
        text = resources.files("briefing").joinpath("data/stopwords.txt").read_text("utf-8")
        self.stopwords = frozenset(w for w in text.split() if not w.startswith("#"))
        self.model = model or Model.load()

    def with_model(self, model: Model) -> Summariser:
        """The same tokenizer and stop words with other weights (for fitting: one jieba load)."""
        other = object.__new__(Summariser)
        other.tokenizer, other.stopwords, other.model = self.tokenizer, self.stopwords, model
        return other

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

    def score_article(self, article: Article) -> list[ScoredSection]:
        """Every candidate sentence of every section with its features and logit, in source order."""
        candidates = [_candidates(section) for section in article.sections]
        vectors = [[self.terms(c.text) for c in cands] for cands in candidates]
        idf = _idf([v for section in vectors for v in section])
        units = [[_unit(v, idf) for v in section] for section in vectors]
        article_centroid = _centroid([u for section in units for u in section])
        stem = region_stem(article.region)
        scored: list[ScoredSection] = []
        for index, (section, cands, unit) in enumerate(zip(article.sections, candidates, units)):
            figures = tuple(section_figures(section, self.tokenizer))
            counts = Counter((f.paragraph, f.sentence) for f in figures)
            heading = _unit(self.terms(section.heading), idf) if section.heading else {}
            lead = index == 0 and not section.heading
            places = _place_signals(cands, unit, article_centroid, heading, lead)
            rows = []
            for cand, place in zip(cands, places):
                signals = text_signals(cand.text, cand.quoted, counts[(cand.paragraph, cand.sentence)])
                context = (
                    float(lead and signals[_THESIS] > 0),
                    float(bool(stem) and stem in cand.text),
                )
                features = place + context + signals
                rows.append(Scored(index, cand, features, self.model.logit(features)))
            scored.append(ScoredSection(tuple(rows), tuple(unit), figures))
        return scored

    def summarise_article(
        self, article: Article, per_section: int = 4, overview: int = 1, picks: Picks = NO_PICKS,
        scored: list[ScoredSection] | None = None,
    ) -> Article:
        """Fill key sentences and figures for every section, and the article's overview.

        `per_section` is a maximum: each section gets what `pick_count` says it deserves. An
        editor's `picks` come first: pinned sentences are always in (counting against the
        section's count first, even past it), dropped sentences and figures never; every key
        sentence, figure and overview sentence carries its stable id (`ids`).
        """
        scored = scored if scored is not None else self.score_article(article)
        headed = any(s.heading for s in article.sections) or len(article.sections) > 1
        ids = sentence_ids(article)
        pinned, dropped = set(picks.pin), set(picks.drop)
        sections = []
        kept_scored = []
        for index, (section, scores) in enumerate(zip(article.sections, scored)):
            row_id = {id(r): ids[index][r.candidate.paragraph][r.candidate.sentence] for r in scores.rows}
            rows = [r for r in scores.rows if row_id[id(r)] not in dropped]
            kept_scored.append(replace(scores, rows=tuple(rows)))
            pins = [r for r in rows if row_id[id(r)] in pinned]
            chosen = _pick(rows, scores.units, pick_count(len(scores.rows), headed, per_section),
                           self.model.floor, pins)
            keys = [
                KeySentence(r.candidate.text, r.candidate.paragraph, r.candidate.sentence,
                            round(r.probability, 4), self.model.reasons(r.features), row_id[id(r)],
                            row_id[id(r)] in pinned)
                for r in chosen
            ]
            keys += _pinned_fragments(section, ids[index], pinned, {(k.paragraph, k.sentence) for k in keys})
            keys.sort(key=lambda k: (k.paragraph, k.sentence))
            sections.append(replace(section, key_sentences=tuple(keys), figures=scores.figures))
        article = _decide_figures(replace(article, sections=tuple(sections)), picks)
        overview_sentences = tuple(
            OverviewSentence(o.candidate.text, o.section, o.candidate.paragraph, o.candidate.sentence,
                             ids[o.section][o.candidate.paragraph][o.candidate.sentence])
            for o in self._overview(kept_scored, overview)
        )
        return replace(article, overview=overview_sentences)

    def _overview(self, scored: list[ScoredSection], count: int) -> list[Scored]:
        """The sentences that best sum up the article: the model's score, plus what editors
        look for in an overview (fitted on DEV): the lead section, the article's opening
        sentences, a thesis opener (``近年来，…``), closeness to the whole article.

        It may also be a key sentence of its section: the briefing then prints it once, in
        the overview (see `render.view`)."""
        if count <= 0:
            return []
        extra = self.model.overview
        ranked = []
        for section in scored:
            for row in section.rows:
                features = dict(zip(FEATURES, row.features))
                bonus = extra.get("lead", 0.0) * features["lead"]
                if row.section == 0 and row.candidate.order < 3:
                    bonus += extra.get("opening", 0.0)
                bonus += extra.get("thesis", 0.0) * features["thesis"]
                bonus += extra.get("article", 0.0) * features["article"]
                ranked.append((row.logit + bonus, row))
        ranked.sort(key=lambda item: (-item[0], item[1].section, item[1].candidate.order))
        chosen: list[Scored] = []
        for _score, row in ranked:
            if len(chosen) >= count:
                break
            if all(c.section != row.section for c in chosen):
                chosen.append(row)
        return sorted(chosen, key=lambda r: (r.section, r.candidate.order))

    def summarise_text(self, text: str, count: int = 2) -> list[str]:
        """Key sentences of one plain-text article, in source order (``briefing summarise``)."""
        return [k.text for k in self.key_sentences_of_text(text, count)]

    def key_sentences_of_text(self, text: str, count: int = 2) -> list[KeySentence]:
        """Up to `count` key sentences of one plain-text article, with the reasons they won.

        The text is read like a seed file; headings, if any, are ignored here: the text is
        treated as one section, so the sentences come from the whole article. A short news
        item (up to `NEWS_SENTENCES` sentences) is scored as news: its lead and its central,
        concise statement.
        """
        articles = read_articles(text, "<text>")
        paragraphs = tuple(p for a in articles for s in a.sections for p in s.paragraphs)
        if not paragraphs:
            return []
        section = Section(None, None, paragraphs)
        cands = _candidates(section)
        if len(cands) <= NEWS_SENTENCES:
            vectors = [self.terms(c.text) for c in cands]
            idf = _idf(vectors)
            units = [_unit(v, idf) for v in vectors]
            rows = [Scored(0, c, (), score) for c, score in zip(cands, _news_scores(cands, units))]
            picks = _pick(rows, units, count, 0.0)
            return [KeySentence(r.candidate.text, r.candidate.paragraph, r.candidate.sentence,
                                round(r.logit, 4), (("news", round(r.logit, 3)),)) for r in picks]
        only = self.score_article(Article(source="<text>", title="", sections=(section,)))[0]
        picks = _pick(only.rows, only.units, count, 0.0)  # asked for `count`: no floor
        return [KeySentence(r.candidate.text, r.candidate.paragraph, r.candidate.sentence,
                            round(r.probability, 4), self.model.reasons(r.features)) for r in picks]


def _pinned_fragments(
    section: Section, ids: list[list[str]], pinned: set[str], taken: set[tuple[int, int]]
) -> list[KeySentence]:
    """Pinned sentences that are no candidates (a page fragment): an editor's pin still counts."""
    return [
        KeySentence(text, p, s, 0.0, (), ids[p][s], True)
        for p, paragraph in enumerate(section.paragraphs)
        for s, text in enumerate(paragraph.sentences)
        if ids[p][s] in pinned and (p, s) not in taken and text.strip()
    ]


def _decide_figures(article: Article, picks: Picks) -> Article:
    """Give every figure its id; leave out dropped figures, mark pinned ones (the view shows
    them); record which of the editor's decisions name something in this article."""
    pinned, dropped = set(picks.pin), set(picks.drop)
    sections = []
    known = {i for section in sentence_ids(article) for paragraph in section for i in paragraph}
    known.update(i for section in figure_ids(article) for i in section)
    for section, ids in zip(article.sections, figure_ids(article)):
        figures = tuple(
            replace(f, id=i, pinned=i in pinned) for f, i in zip(section.figures, ids) if i not in dropped
        )
        sections.append(replace(section, figures=figures))
    decided = tuple(i for i in (*picks.pin, *picks.drop) if i in known)
    return replace(article, sections=tuple(sections), decided=decided)


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


def _place_signals(
    cands: Sequence[_Candidate], units: Sequence[Vector], article_centroid: Vector, heading: Vector, lead: bool
) -> list[tuple[float, ...]]:
    """The first `PLACE_SIGNALS` of each candidate: how central it is to its section, how close to
    the heading and to the whole article, and where it stands (the last two, a lead's thesis
    sentence and a mention of the article's region, are added by `score_article`)."""
    central = _centrality(units)
    section_centroid = _centroid(units)
    n = len(cands)
    return [
        (
            rank,
            _dot(unit, section_centroid),
            _dot(unit, heading),
            _dot(unit, article_centroid),
            float(cand.order == 0),
            cand.order / max(1, n - 1),
            float(cand.sentence == 0),
            float(lead),
        )
        for cand, unit, rank in zip(cands, units, central)
    ]


def _news_scores(cands: Sequence[_Candidate], units: Sequence[Vector]) -> list[float]:
    """A short news item: its central statement, the lead first, concise, no question, and
    readable alone (no ``但是…``/``他们…`` opener, no tail of a quotation).

    Weights chosen on one half of the LCSTS dev set and checked on the other (bench/quality.py).
    """
    central = _centrality(units)
    centroid = _centroid(units)
    leaning = (SIGNALS.index("pronoun"), SIGNALS.index("connective"))
    scores = []
    for cand, unit, rank in zip(cands, units, central):
        text = cand.text.strip()
        score = 0.5 * rank + 0.5 * _dot(unit, centroid) + (0.4 if cand.order == 0 else 0.0)
        score += -1.5 * min(len(text), 120) / 120
        score += -0.5 * text.rstrip(CLOSERS).endswith(("？", "?"))
        signals = text_signals(text)
        dangling = text.endswith("”") and "“" not in text
        score += -0.5 * (signals[leaning[0]] + signals[leaning[1]] + dangling)
        scores.append(score)
    return scores


REDUNDANCY = 0.3
"""MMR: a candidate's logit is lowered by this times its similarity to a sentence already picked."""
NEAR_DUPLICATE = 0.75
"""A candidate this similar (cosine) to a sentence already picked says the same thing: never picked."""


def _pick(
    rows: Sequence[Scored], units: Sequence[Vector], count: int, floor: float, pinned: Sequence[Scored] = ()
) -> list[Scored]:
    """Greedy MMR over `rows` (their `candidate.order` indexes `units`): the best logit less a
    penalty for similarity to what is already picked; nothing under the `floor` probability,
    nothing that repeats a pick, and a sentence that leans on the one before only when no
    other candidate is left (the editors' brief). `pinned` rows (an editor's) are taken
    first, whatever their score, and count against `count`."""
    chosen: list[Scored] = []
    overlap = {id(r): 0.0 for r in rows}
    fixed = {id(r) for r in pinned}
    remaining = [r for r in rows if id(r) not in fixed and (floor <= 0 or r.probability >= floor)]
    queue = list(pinned)
    while queue or (remaining and len(chosen) < count):
        if queue:
            best = queue.pop(0)
        else:
            standalone = [r for r in remaining if not leans_on_previous(r.candidate.text)]
            best = max(standalone or remaining,
                       key=lambda r: (r.logit - REDUNDANCY * overlap[id(r)], -r.candidate.order))
        chosen.append(best)
        text = best.candidate.text.strip()
        picked_unit = units[best.candidate.order]
        kept = []
        for r in remaining:
            if r is best or r.candidate.text.strip() == text:
                continue
            overlap[id(r)] = max(overlap[id(r)], _dot(units[r.candidate.order], picked_unit))
            if overlap[id(r)] < NEAR_DUPLICATE:
                kept.append(r)
        remaining = kept
    return sorted(chosen, key=lambda r: r.candidate.order)

"""Fit the summariser's weights on the DEV split of bench/devset; write briefing/data/summariser.json.

Every candidate sentence of every DEV article is one example: its signals (`summarise.FEATURES`,
exactly as `Summariser.score_article` computes them) and, as target, the share of the two editors
who picked it (0, 0.5 or 1). A logistic model with an L2 penalty is fitted by Newton's method in
plain Python (a few hundred sentences and thirty signals: no library needed, and the result is
the same on every machine). Then, on DEV only, the floor (the probability under which a sentence
is never picked) and the overview's extra weights are chosen by grid search for F1 against the
editors. The TEST split is never read here.

    .venv/bin/python bench/fit_summariser.py            # fit and write the weights
    .venv/bin/python bench/fit_summariser.py --check    # exit 1 if the shipped weights differ
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _devset import DEVSET, EDITORS, agreement, load  # noqa: E402

WEIGHTS = Path(__file__).resolve().parent.parent / "briefing" / "data" / "summariser.json"
import os
L2 = float(os.environ.get('FIT_L2', '1.0'))
"""Penalty on the squared weights (not the bias): the data are small, the signals correlated."""
PRIOR = {
    # Where the weights start from: the editors' brief (ANNOTATE.md) read as signs and rough
    # sizes. Place: central and on-topic sentences; an opening anecdote is not the news.
    "centrality": 0.5, "section": 0.5, "heading": 0.3, "article": 0.5, "first": -0.3, "position": 0.0,
    "paragraph_start": 0.0, "lead": 0.0, "lead_thesis": 0.5, "region": 0.2,
    # Concrete measures and results, best with figures, who did what.
    "figures": 1.5, "document": 0.5, "actions": 0.8, "results": 0.5, "named": 0.2, "actor": 0.3,
    "time": 0.3, "thesis": 0.3, "proposal": 0.3, "subject": 0.3, "turn": 0.0, "long": 0.0,
    # Not: slogans, rhetoric, scene-setting, praise, questions, quoted speech, leaning sentences.
    "short": -0.8, "very_short": -1.5, "question": -2.0, "quotation": -1.5, "speech": -1.0,
    "pronoun": -1.0, "connective": -0.5, "slogan": -1.5, "rhetoric": -1.0, "scene": -1.0,
    "future": -0.5, "praise": -0.8, "trailing": -0.8,
}
FLOOR = 0.05
"""A sentence an editor would pick with less than this probability is never a key sentence
(a section of captions or boilerplate gives none). Leave-one-file-out F1 on DEV is flat from 0 to
0.1 and falls above it."""
OVERVIEW_GRID = {"lead": (0.0, 1.0, 2.0, 4.0), "opening": (0.0, 1.0, 2.0), "thesis": (0.0, 1.0, 2.0, 4.0),
                 "article": (0.0, 2.0, 4.0)}


def examples(items, summariser):  # type: ignore[no-untyped-def]
    """(features, target) for every candidate sentence of the items."""
    rows = []
    for item in items:
        picked = {e: set().union(*(u.picks.get(e, set()) for u in item.units)) for e in EDITORS}
        for a, article in enumerate(item.articles):
            for section in summariser.score_article(article):
                for row in section.rows:
                    key = (a, row.section, row.candidate.paragraph, row.candidate.sentence)
                    target = sum(key in picked[e] for e in EDITORS) / len(EDITORS)
                    rows.append((row.features, target))
    return rows


def fit(
    rows: list[tuple[tuple[float, ...], float]], l2: float = L2, rounds: int = 25, prior: list[float] | None = None
) -> tuple[list[float], float]:
    """L2-penalised logistic regression by Newton's method; returns (weights, bias).

    The penalty pulls the weights towards `prior` (default 0): with a few hundred sentences
    written for this set, the editors' brief (`PRIOR`) is a better place to start than nothing."""
    d = len(rows[0][0]) + 1  # the bias is the last coordinate, unpenalised
    prior = list(prior) if prior is not None else [0.0] * (d - 1)
    beta = [0.0] * d
    for _ in range(rounds):
        gradient = [0.0] * d
        hessian = [[0.0] * d for _ in range(d)]
        for features, target in rows:
            x = (*features, 1.0)
            z = sum(b * v for b, v in zip(beta, x))
            p = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
            w = p * (1 - p)
            for i in range(d):
                if x[i]:
                    gradient[i] += (p - target) * x[i]
                    wx = w * x[i]
                    row = hessian[i]
                    for j in range(i, d):
                        if x[j]:
                            row[j] += wx * x[j]
        for i in range(d):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
            if i < d - 1:
                gradient[i] += l2 * (beta[i] - prior[i])
                hessian[i][i] += l2
            hessian[i][i] += 1e-9
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return beta[:-1], beta[-1]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and well conditioned)."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fitted(data: Path = DEVSET) -> dict[str, object]:
    """The whole fit on DEV: weights, bias, floor and overview weights, as written to the JSON."""
    from agreement import overview_accuracy

    from briefing.summarise import FEATURES, Model, Summariser

    items = load(data, split="DEV")
    if not items:
        raise SystemExit(f"no annotated DEV files under {data}")
    base = Summariser(neutral())
    weights, bias = fit(examples(items, base), prior=prior_vector())
    floor = FLOOR
    best_overview = None
    scored = [(item, [base.with_model(Model(tuple(weights), bias, floor, {})).score_article(a)
                      for a in item.articles]) for item in items]
    for values in itertools.product(*OVERVIEW_GRID.values()):
        extra = dict(zip(OVERVIEW_GRID, values))
        chooser = base.with_model(Model(tuple(weights), bias, floor, extra))
        overviews = {item.name: [(a, o.section, o.candidate.paragraph, o.candidate.sentence)
                                 for a, article in enumerate(articles) for o in chooser._overview(article, 1)]
                     for item, articles in scored}
        score = overview_accuracy(items, overviews)
        if best_overview is None or score > best_overview[0] + 1e-9:
            best_overview = (score, extra)
    return {
        "about": "Fitted by bench/fit_summariser.py on the DEV split of bench/devset (two editors' picks).",
        "examples": len(examples(items, base)),
        "weights": {name: round(w, 6) for name, w in zip(FEATURES, weights)},
        "bias": round(bias, 6),
        "floor": floor,
        "overview": best_overview[1],
    }


def prior_vector() -> list[float]:
    from briefing.summarise import FEATURES

    return [PRIOR[name] for name in FEATURES]


def neutral():  # type: ignore[no-untyped-def]
    """A model that weighs nothing: features are computed without reading the shipped weights."""
    from briefing.summarise import FEATURES, Model

    return Model(tuple(0.0 for _ in FEATURES), 0.0, 0.0, {})


def cross_validated(data: Path = DEVSET) -> float:
    """Leave-one-file-out F1 on DEV: each file scored by weights fitted on the others (the
    floor and overview weights as shipped). The honest number to tune the signals by."""
    from agreement import briefing_picks

    from briefing.summarise import Model, Summariser

    items = load(data, split="DEV")
    base = Summariser(neutral())
    shipped = Model.load()
    rows = {item.name: examples([item], base) for item in items}
    scores = []
    for item in items:
        train = [row for name, part in rows.items() if name != item.name for row in part]
        weights, bias = fit(train, prior=prior_vector() if os.environ.get("FIT_PRIOR", "1") == "1" else None)
        model = Model(tuple(weights), bias, shipped.floor, shipped.overview)
        picks, _ = briefing_picks([item], base.with_model(model))
        scores.append((item, picks))
    merged = {item.name: picks[item.name] for item, picks in scores}
    return agreement([item for item, _ in scores], merged)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEVSET)
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights, write nothing")
    parser.add_argument("--cv", action="store_true", help="print leave-one-file-out F1 on DEV, write nothing")
    args = parser.parse_args(argv)
    if args.cv:
        print(f"DEV leave-one-file-out F1 against the editors: {cross_validated(args.data):.3f}")
        return 0
    result = fitted(args.data)
    text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if args.check:
        same = WEIGHTS.read_text("utf-8") == text
        print("the shipped weights are what this script fits" if same else "the shipped weights differ from a fresh fit")
        return 0 if same else 1
    WEIGHTS.write_text(text, "utf-8")
    print(f"wrote {WEIGHTS.relative_to(Path.cwd()) if WEIGHTS.is_relative_to(Path.cwd()) else WEIGHTS}")
    for name, weight in sorted(result["weights"].items(), key=lambda kv: -abs(kv[1])):  # type: ignore[union-attr]
        print(f"  {name:16} {weight:+.3f}")
    print(f"  bias {result['bias']:+.3f}  floor {result['floor']}  overview {result['overview']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Per-stage times on the seed, and summarising throughput against jieba alone and the peers.

Stages (in process, time.perf_counter, median of --runs after one warm-up; the first call of each
renderer, which pays its imports and font set-up, is shown apart):
  read       seed files → Article records
  tokenise   jieba.Tokenizer.lcut alone on every sentence of every section
  summarise  Summariser.summarise_article on every article; split into its parts by wrapping the
             module's functions (tokenising inside `terms` is timed on the tokenizer itself)
  render     html, pdf, docx writers (whichever exist in briefing.render.WRITERS)

Throughput (characters of body text per second) on a synthetic long article, the seed repeated
10 times: (a) sectioned, the seed's sections ×10 in one Article, as `briefing make` sees a long
feature; (b) one plain text, as `briefing summarise` and the peers see it (one section: all
sentence pairs are compared, so the cost grows with the square of the length).

    .venv/bin/python bench/speed.py [--runs N] [--repeat 10] [--quick]
"""

from __future__ import annotations

import argparse
import functools
import logging
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SEEDS, Peers, briefing_formats_available, print_machine, table  # noqa: E402

TIMES: dict[str, list[float]] = defaultdict(list)


def _timed(label: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[label].append(time.perf_counter() - start)

    return wrapper


# Parts of the summarise stage, by module attribute (those that exist are wrapped; the package
# changes under us); nested ones are indented in the table.
PARTS = [
    ("summarise", "_candidates", "candidates (sentence list)"),
    ("summarise", "_idf", "idf"),
    ("summarise", "_unit", "unit vectors"),
    ("summarise", "_weighted", "weighted vectors"),
    ("summarise", "_centroid", "centroid"),
    ("summarise", "score_sentences", "score_sentences"),
    ("summarise", "_centrality", "  of which _centrality"),
    ("summarise", "_lexrank", "  of which _lexrank"),
    ("summarise", "informativeness", "  of which informativeness"),
    ("summarise", "_pick", "_pick (MMR)"),
    ("summarise", "_pick_overview", "_pick_overview"),
    ("figures", "section_figures", "section_figures"),
    ("figures", "find_figures", "find_figures"),
]


def instrument(summariser) -> list[str]:
    """Wrap the summariser's parts, and its tokenizer's `cut` (materialised, so the time is the
    tokenising itself; `lcut` goes through `cut`). Returns the labels wrapped, in table order."""
    import importlib

    labels = []
    for module_name, attr, label in PARTS:
        module = importlib.import_module(f"briefing.{module_name}")
        if callable(getattr(module, attr, None)):
            setattr(module, attr, _timed(label, getattr(module, attr)))
            labels.append(label)
    cut = summariser.tokenizer.cut
    summariser.tokenizer.cut = _timed("jieba cut inside terms", lambda *a, **k: list(cut(*a, **k)))
    if hasattr(summariser, "terms"):
        summariser.terms = _timed("terms (cut + filtering)", summariser.terms)
        labels[0:0] = ["terms (cut + filtering)", "  of which jieba cut"]
    return labels


def body_chars(articles) -> int:
    return sum(len(p.text) for a in articles for s in a.sections for p in s.paragraphs)


def all_sentences(articles) -> list[str]:
    return [t for a in articles for s in a.sections for p in s.paragraphs for t in p.sentences if t.strip()]


def plain_text(article) -> str:
    return "\n\n".join(p.text for s in article.sections for p in s.paragraphs)


def med(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10, help="seed repetitions for the long article")
    parser.add_argument("--quick", action="store_true", help="runs = 2, skip the one-text 10× peers")
    parser.add_argument("--peer-budget", type=float, default=120.0,
                        help="skip a peer on the long one-text article if its seed run predicts more seconds")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    print_machine()
    logging.getLogger("jieba").setLevel(logging.WARNING)

    import jieba

    jieba.setLogLevel(logging.WARNING)
    from briefing.config import Settings
    from briefing.pipeline import build_briefing, find_seed_files, read_seed_files
    from briefing.summarise import Summariser

    files = find_seed_files([SEEDS])
    read_s = med(lambda: read_seed_files(files), runs)
    articles, _ = read_seed_files(files)
    chars = body_chars(articles)
    sentences = all_sentences(articles)

    start = time.perf_counter()
    plain_jieba = jieba.Tokenizer()
    plain_jieba.initialize()
    jieba_init = time.perf_counter() - start
    start = time.perf_counter()
    summariser = Summariser()
    summariser_init = time.perf_counter() - start

    tokenise_s = med(lambda: [plain_jieba.lcut(t) for t in sentences], runs)

    def summarise_all(arts):
        return [summariser.summarise_article(a) for a in arts]

    summarise_s = med(lambda: summarise_all(articles), runs)
    labels = instrument(summariser)
    TIMES.clear()
    for _ in range(runs):
        summarised = summarise_all(articles)
    parts = {label: sum(v) / runs for label, v in TIMES.items()}

    # --- render --------------------------------------------------------------------------
    briefing = build_briefing(summarised, None, "2023-01-05")
    settings = Settings()
    available = briefing_formats_available()
    render_rows = []
    for name in ("html", "pdf", "docx"):
        label = {"html": "render HTML", "pdf": "write PDF", "docx": "write DOCX"}[name]
        if name not in available:
            render_rows.append([label, "not available yet", "", ""])
            continue
        try:
            from briefing.render import writer_for

            start = time.perf_counter()
            writer = writer_for(name)
            document = writer(briefing, settings)
            first = time.perf_counter() - start
            warm = med(lambda: writer(briefing, settings), max(2, runs - 2) if name == "pdf" else runs)
            size = f"{len(document.data) / 1024:.0f} KB" + (f", {document.pages} p." if document.pages else "")
            render_rows.append([label, f"{warm * 1000:.0f}", f"{first * 1000:.0f}", size])
        except ModuleNotFoundError as error:
            render_rows.append([label, f"not available yet ({error})", "", ""])
        except Exception as error:  # noqa: BLE001
            render_rows.append([label, f"failed: {type(error).__name__}: {error}"[:90], "", ""])

    rows = [
        ["read (seed file → articles)", f"{read_s * 1000:.1f}", "", f"{len(articles)} articles, {chars} chars"],
        ["tokenise (jieba lcut alone, all sentences)", f"{tokenise_s * 1000:.1f}", f"{jieba_init * 1000:.0f} (Tokenizer init)",
         f"{len(sentences)} sentences"],
        ["summarise (summarise_article, all)", f"{summarise_s * 1000:.1f}", f"{summariser_init * 1000:.0f} (Summariser())", ""],
        ["  summarise minus tokenise", f"{(summarise_s - tokenise_s) * 1000:.1f}", "", ""],
    ]
    for label in labels:
        key = "jieba cut inside terms" if label.strip() == "of which jieba cut" else label
        if key in parts:
            rows.append([f"  · {label}", f"{parts[key] * 1000:.1f}", "", "(instrumented run)"])
    rows.extend(render_rows)
    print(table(["stage (seed)", "ms, median", "ms, first call / set-up", "note"], rows,
                f"Per-stage times on {', '.join(f.name for f in files)} (median of {runs})"))

    # --- throughput on the long synthetic article ---------------------------------------------
    from briefing.model import Article

    long_sections = tuple(s for _ in range(args.repeat) for a in articles for s in a.sections)
    long_article = replace(articles[0], sections=long_sections, overview=())
    long_chars = body_chars([long_article])
    long_sentences = all_sentences([long_article])
    long_text = "\n\n".join(plain_text(a) for _ in range(args.repeat) for a in articles)
    assert isinstance(long_article, Article)

    fresh = Summariser()  # not instrumented
    long_runs = max(2, runs // 2)
    t_tok = med(lambda: [plain_jieba.lcut(t) for t in long_sentences], long_runs)
    t_art = med(lambda: fresh.summarise_article(long_article), long_runs)
    rows = [
        [f"jieba lcut alone, all {len(long_sentences)} sentences", f"{t_tok:.3f}", f"{long_chars / t_tok:,.0f}", "100%"],
        [f"briefing summarise_article, sectioned ({len(long_sections)} sections)", f"{t_art:.3f}",
         f"{long_chars / t_art:,.0f}", f"{t_tok / t_art:.0%}"],
    ]
    seed_rows = []
    peers = Peers()
    methods = {"briefing summarise_text (one section)": lambda t: fresh.summarise_text(t, 2)}
    for name, fn in peers.fns.items():
        if "LexRank" in name or "TextRank4ZH" in name:
            methods[name] = functools.partial(fn, k=2)
    seed_texts = [plain_text(a) for a in articles]
    for name, fn in methods.items():
        t_seed = med(lambda: [fn(t) for t in seed_texts], runs)  # noqa: B023
        seed_rows.append([name, f"{t_seed * 1000:.0f}", f"{chars / t_seed:,.0f}"])
        predicted = t_seed / len(articles) * (args.repeat * len(articles)) ** 2  # quadratic in length
        if args.quick or predicted > args.peer_budget:
            rows.append([f"{name}, one text", "skipped", "", f"predicted ≈{predicted:.0f} s"])
            continue
        start = time.perf_counter()
        fn(long_text)
        t_long = time.perf_counter() - start
        rows.append([f"{name}, one text", f"{t_long:.3f}", f"{long_chars / t_long:,.0f}", f"{t_tok / t_long:.0%}"])
    seed_rows.insert(0, ["briefing summarise_article (sectioned, as `make`)", f"{summarise_s * 1000:.0f}",
                         f"{chars / summarise_s:,.0f}"])
    seed_rows.insert(0, ["jieba lcut alone", f"{tokenise_s * 1000:.0f}", f"{chars / tokenise_s:,.0f}"])
    print(table(["method, the seed's 2 articles (k = 2)", "ms, median", "chars/s"], seed_rows,
                f"Throughput on the seed, {chars} chars"))
    print(table(["method", "seconds", "chars/s", "vs jieba alone"], rows,
                f"Throughput on the seed ×{args.repeat} ({long_chars} chars, one run each for one-text peers)"))
    for note in peers.notes:
        print("note:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())

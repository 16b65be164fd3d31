"""How well the reader finds an article's structure: headings, title, dateline, and what it loses.

    .venv/bin/python bench/headings.py [--data DIR] [--files]

Two kinds of ground truth:

(a) every case under ``tests/cases`` (the small cases of ``read.txt`` and the whole articles of
    ``articles/*.txt``): the truth is the case's expected model, so this shows the tests' cases
    as numbers;
(b) a development set: ``DIR/articles/NN-slug.txt`` with ``DIR/truth/NN-slug.json`` (title,
    kicker, subtitle, byline, dateline {text, paper, date, page}, headings, captions, trailers,
    panel_guests per article), ``bench/devset`` by default. It is split by file number: DEV
    (not divisible by 3) may be studied, TEST (03, 06, 09, …) is only ever measured.

Per file and per set it prints heading precision, recall and F1 (headings compared with all
whitespace removed, each once), title accuracy, dateline accuracy (text, paper, date and page all
right, page without leading zeros), byline accuracy, caption recall and the characters lost: source
characters (whitespace aside) that are in no field of the model, counted as a multiset.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from _common import print_machine, table  # noqa: E402
from _devset import split_of  # noqa: E402
from test_read_cases import ARTICLES, CASES, dump, read_case_file  # noqa: E402

from briefing.decode import clean_text, decode_bytes  # noqa: E402
from briefing.model import Article  # noqa: E402
from briefing.read import read_articles  # noqa: E402

DEVSET = ROOT / "bench" / "devset"


@dataclass
class Truth:
    """The parts of one article the bench compares, all as printed."""

    title: str = ""
    headings: list[str] = field(default_factory=list)
    dateline: tuple[str, str, str, str] | None = None
    """(text, paper, date, page) when the article has a dateline."""
    byline: str | None = None
    captions: list[str] = field(default_factory=list)
    guests: list[str] = field(default_factory=list)


@dataclass
class Score:
    """Counts for one file or one set; the rates are computed from them."""

    files: int = 0
    headings_true: int = 0
    headings_found: int = 0
    headings_right: int = 0
    titles: int = 0
    titles_right: int = 0
    datelines: int = 0
    datelines_right: int = 0
    bylines: int = 0
    bylines_right: int = 0
    captions: int = 0
    captions_found: int = 0
    guests: int = 0
    guests_found: int = 0
    lost: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name != "misses":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    def row(self, name: str) -> list[object]:
        p = _rate(self.headings_right, self.headings_found)
        r = _rate(self.headings_right, self.headings_true)
        nothing = not self.headings_true and not self.headings_found
        f1 = 2 * p * r / (p + r) if p + r else (1.0 if nothing else 0.0)
        return [
            name, self.files, self.headings_true, self.headings_found, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}",
            f"{self.titles_right}/{self.titles}", f"{self.datelines_right}/{self.datelines}",
            f"{self.bylines_right}/{self.bylines}", f"{self.captions_found}/{self.captions}",
            f"{self.guests_found}/{self.guests}", self.lost,
        ]


HEADERS = ["set / file", "files", "headings", "found", "P", "R", "F1", "titles", "datelines", "bylines",
           "captions", "guests", "chars lost"]


def _rate(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s", "", text or "")


def _page(page: str | None) -> str:
    return (page or "").lstrip("0")


# --- what the reader says ----------------------------------------------------------------


def model_truth(article: Article) -> Truth:
    dateline = None
    if article.dateline is not None:
        dateline = (article.dateline, article.paper or "", article.date or "", article.page or "")
    return Truth(
        title=article.title,
        headings=[s.heading for s in article.sections if s.heading is not None],
        dateline=dateline,
        byline=article.byline,
        captions=[c.text for c in article.captions],
        guests=list(article.guests),
    )


def characters_lost(text: str, articles: list[Article]) -> int:
    """Source characters (whitespace aside) that no field of the model holds."""
    held = Counter()
    for article in articles:
        for _line, piece in article.source_pieces():
            held.update(_squeeze(piece))
        for caption in article.captions:
            held.update(_squeeze(caption.text))
    return sum((Counter(_squeeze(text)) - held).values())


# --- what the truth says ---------------------------------------------------------------------


def dump_truth(expected: str) -> list[Truth]:
    """Truth from an expected dump (tests/test_read_cases.py: dump)."""
    articles: list[Truth] = []
    for line in expected.split("\n"):
        if line.startswith("article "):
            articles.append(Truth())
            continue
        published = re.match(r"  published: paper=(\S*) date=(\S*) page=(\S*)$", line)
        if published and articles and articles[-1].dateline is not None:
            parts = ["" if part == "None" else part for part in published.groups()]
            articles[-1].dateline = (articles[-1].dateline[0], *parts)  # type: ignore[assignment]
            continue
        match = re.match(r"  (title|section|dateline|byline|caption|guest) [-\d]+: ?(.*)$", line)
        if not match or not articles:
            continue
        kind, value = match.groups()
        current = articles[-1]
        if kind == "title":
            current.title = value
        elif kind == "section":
            current.headings.append(value)
        elif kind == "dateline":
            current.dateline = (value, "", "", "")
        elif kind == "byline":
            current.byline = value
        elif kind == "caption":
            current.captions.append(value)
        elif kind == "guest":
            current.guests.append(value)
    return articles


def json_truth(path: Path) -> list[Truth]:
    """Truth from a devset JSON file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    articles = []
    for item in data["articles"]:
        dateline = item.get("dateline")
        articles.append(
            Truth(
                title=item.get("title") or "",
                headings=list(item.get("headings") or []),
                dateline=None if not dateline else (
                    dateline.get("text") or "", dateline.get("paper") or "", dateline.get("date") or "",
                    str(dateline.get("page") or ""),
                ),
                byline=item.get("byline"),
                captions=list(item.get("captions") or []),
                guests=list(item.get("panel_guests") or []),
            )
        )
    return articles


# --- comparing ----------------------------------------------------------------------------


def score(name: str, text: str, articles: list[Article], truth: list[Truth]) -> Score:
    """Compare the reader's articles with the truth of one file."""
    got = [model_truth(a) for a in articles]
    result = Score(files=1, lost=characters_lost(text, articles))
    true_headings = Counter(_squeeze(h) for t in truth for h in t.headings)
    found_headings = Counter(_squeeze(h) for g in got for h in g.headings)
    result.headings_true = sum(true_headings.values())
    result.headings_found = sum(found_headings.values())
    result.headings_right = sum((true_headings & found_headings).values())
    result.misses += [f"{name}: missed heading {h}" for h in (true_headings - found_headings).elements()]
    result.misses += [f"{name}: invented heading {h}" for h in (found_headings - true_headings).elements()]
    # Articles are compared in order; an extra or a missing article counts as a wrong title.
    result.titles = max(len(truth), len(got))
    for i in range(result.titles):
        want = truth[i] if i < len(truth) else Truth(title="(no such article)")
        have = got[i] if i < len(got) else Truth(title="(not found)")
        if _squeeze(want.title) == _squeeze(have.title):
            result.titles_right += 1
        else:
            result.misses.append(f"{name}: title {have.title!r}, expected {want.title!r}")
        if want.dateline is not None or have.dateline is not None:
            result.datelines += 1
            if _same_dateline(want.dateline, have.dateline):
                result.datelines_right += 1
            else:
                result.misses.append(f"{name}: dateline {have.dateline}, expected {want.dateline}")
        if want.byline is not None or have.byline is not None:
            result.bylines += 1
            if _squeeze(want.byline) == _squeeze(have.byline):
                result.bylines_right += 1
            else:
                result.misses.append(f"{name}: byline {have.byline!r}, expected {want.byline!r}")
        true_captions = Counter(_squeeze(c) for c in want.captions)
        result.captions += sum(true_captions.values())
        found_captions = true_captions & Counter(_squeeze(c) for c in have.captions)
        result.captions_found += sum(found_captions.values())
        result.misses += [f"{name}: missed caption {c}" for c in (true_captions - found_captions).elements()]
        true_guests = Counter(_squeeze(g) for g in want.guests)
        found_guests = true_guests & Counter(_squeeze(g) for g in have.guests)
        result.guests += sum(true_guests.values())
        result.guests_found += sum(found_guests.values())
        result.misses += [f"{name}: missed guest {g}" for g in (true_guests - found_guests).elements()]
    if result.lost:
        result.misses.append(f"{name}: {result.lost} characters lost")
    return result


def _same_dateline(want: tuple[str, str, str, str] | None, have: tuple[str, str, str, str] | None) -> bool:
    if want is None or have is None:
        return want is have
    text, paper, date, page = want
    # A dump's truth names the text always, the parts only when the case says them.
    return (
        _squeeze(text) == _squeeze(have[0])
        and (not paper or paper == have[1])
        and (not date or date == have[2])
        and (not page or _page(page) == _page(have[3]))
    )


# --- the sets ----------------------------------------------------------------------------------


def case_scores() -> list[tuple[str, Score]]:
    """Every case under tests/cases against its expected model."""
    scores = []
    for path in sorted(CASES.glob("*.txt")):
        for case in read_case_file(path):
            text, _bad = clean_text(case.input)
            articles = read_articles(text, "case.txt")
            scores.append((f"{path.name}:{case.line}", score(f"{path.name}:{case.line}", text, articles,
                                                              dump_truth(case.expected))))
    for path in sorted(ARTICLES.glob("*.txt")):
        text = _read_text(path)
        articles = read_articles(text, path.name)
        expected = path.with_suffix(".expected").read_text(encoding="utf-8")
        scores.append((path.name, score(path.name, text, articles, dump_truth(expected))))
    return scores


def _read_text(path: Path) -> str:
    text, _bad = clean_text(decode_bytes(path.read_bytes(), path)[0])
    return text


def devset_scores(data: Path) -> dict[str, list[tuple[str, Score]]]:
    """The devset's files, DEV and TEST apart. TEST texts are read by the reader only."""
    sets: dict[str, list[tuple[str, Score]]] = {"DEV": [], "TEST": []}
    for truth_path in sorted((data / "truth").glob("*.json")):
        number = re.match(r"\d+", truth_path.stem)
        path = data / "articles" / f"{truth_path.stem}.txt"
        if not number or not path.exists():
            continue
        text = _read_text(path)
        articles = read_articles(text, path.name)
        name = split_of(path.name)
        sets[name].append((path.name, score(path.name, text, articles, json_truth(truth_path))))
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVSET, help="devset folder with articles/ and truth/")
    parser.add_argument("--files", action="store_true", help="a row per file, not only per set")
    parser.add_argument("--misses", action="store_true", help="list what differs (cases and DEV only)")
    args = parser.parse_args(argv)

    print_machine()
    groups = {"cases": case_scores()}
    if (args.data / "truth").is_dir():
        groups.update(devset_scores(args.data))
    else:
        print(f"no devset at {args.data} (give --data DIR)")
    totals = []
    for name, scores in groups.items():
        total = Score()
        for _file, one in scores:
            total.add(one)
        totals.append(total.row(name))
        if args.files and scores:
            print(table(HEADERS, [one.row(file) for file, one in scores] + [total.row(f"**{name}**")],
                        title=f"{name}:"))
        if args.misses and name != "TEST":
            for miss in total.misses:
                print(f"  {miss}")
    print(table(HEADERS, totals, title="Totals by set:"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

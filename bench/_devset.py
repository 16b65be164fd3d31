"""The development set of features with two editors' picks: loading, aligning, scoring.

Layout (bench/devset/README.md): ``articles/NN-slug.txt`` (the text), ``truth/NN-slug.json`` (its
true structure: titles, headings…), ``annotations/A|B/NN-slug.json`` (each editor's picks per
section, and one overview sentence per article), ``figures/NN-slug.tsv`` (hand labels).

Files whose number is divisible by 3 (03, 06, 09…) are the TEST split: never tuned on, reported
only. The rest are DEV.

Evaluation units are the editors' sections: the true headings cut each article into sections
(the lead before the first heading is one), whatever sections the reader found. A sentence of the
model belongs to the unit its paragraph's first source line falls in; an editor's pick is matched
to the model's sentence it is (or overlaps most with), so picks of every system and editor live
in one space: the model's sentences.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEVSET = ROOT / "bench" / "devset"
EDITORS = ("A", "B")


def split_of(name: str) -> str:
    """``03-…`` → TEST (numbers divisible by 3, never tuned on); any other name → DEV."""
    number = re.match(r"\d+", name)
    return "TEST" if number and int(number.group()) % 3 == 0 else "DEV"


def norm(text: str) -> str:
    return "".join(text.split())


@dataclass
class Unit:
    """One editor's section: the model's sentences in it and each editor's picks among them."""

    file: str
    article: int
    heading: str | None
    sentences: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(model article, section, paragraph, sentence) in source order."""
    picks: dict[str, set[tuple[int, int, int, int]]] = field(default_factory=dict)


@dataclass
class Item:
    """One file: its model articles, its units, and each editor's overview per true article."""

    name: str
    split: str
    articles: list  # briefing.model.Article
    units: list[Unit]
    overview: dict[str, list[tuple[int, int, int, int] | None]]
    text_of: dict[tuple[int, int, int, int], str]


def read_file(path: Path):  # type: ignore[no-untyped-def]
    from briefing.pipeline import read_seed_file

    articles, _warnings = read_seed_file(path)
    return articles


def _heading_lines(lines: list[str], headings: list[str], start: int) -> list[int]:
    """1-based line numbers of the true headings, searched in order from line `start`."""
    found = []
    position = start
    folded = [norm(line) for line in lines]
    for heading in headings:
        parts = heading.split(" ")
        target = norm(heading)
        first = norm(parts[0])
        for number in range(position, len(lines) + 1):
            line = folded[number - 1]
            if line and (line == target or (line == first and target.startswith(line)) or
                         (len(line) >= 4 and target.startswith(line))):
                found.append(number)
                position = number + 1
                break
        else:
            found.append(None)
    return found


def load(root: Path = DEVSET, editors: tuple[str, ...] = EDITORS, split: str | None = None) -> list[Item]:
    items = []
    for path in sorted((root / "articles").glob("*.txt")):
        if split and split_of(path.name) != split:
            continue
        annotations = {}
        for editor in editors:
            file = root / "annotations" / editor / (path.stem + ".json")
            if file.exists():
                annotations[editor] = json.loads(file.read_text("utf-8"))
        if len(annotations) < len(editors):
            continue
        truth = json.loads((root / "truth" / (path.stem + ".json")).read_text("utf-8"))
        items.append(_item(path, truth, annotations))
    return items


def _item(path: Path, truth: dict, annotations: dict[str, dict]) -> Item:
    articles = read_file(path)
    lines = path.read_text("utf-8").split("\n")
    # Every model sentence with its first source line.
    sentences: list[tuple[int, tuple[int, int, int, int], str]] = []
    for a, article in enumerate(articles):
        for s, section in enumerate(article.sections):
            for p, paragraph in enumerate(section.paragraphs):
                for k, sentence in enumerate(paragraph.sentences):
                    if sentence.strip():
                        sentences.append((paragraph.lines[0], (a, s, p, k), sentence))
    text_of = {key: text for _line, key, text in sentences}
    # Units: each true article's title line starts it; its headings cut it.
    units: list[Unit] = []
    bounds: list[tuple[int, Unit]] = []
    position = 1
    for t, art in enumerate(truth["articles"]):
        title_line = _heading_lines(lines, [art["title"]], position)[0] or position
        start_unit = Unit(path.name, t, None)
        units.append(start_unit)
        bounds.append((title_line, start_unit))
        for heading, line in zip(art["headings"], _heading_lines(lines, art["headings"], title_line + 1)):
            if line is None:
                raise SystemExit(f"{path.name}: heading {heading!r} not found in the text")
            unit = Unit(path.name, t, heading)
            units.append(unit)
            bounds.append((line, unit))
            position = line + 1
        position = max(position, title_line + 1)
    bounds.sort(key=lambda b: b[0])
    for line, key, _text in sentences:
        owner = bounds[0][1]
        for start, unit in bounds:
            if start <= line:
                owner = unit
        owner.sentences.append(key)

    def match(pick: str) -> tuple[int, int, int, int] | None:
        target = norm(pick)
        best, best_score = None, 0.0
        for _line, key, text in sentences:
            mine = norm(text)
            if mine == target:
                return key
            if mine and (mine in target or target in mine):
                score = min(len(mine), len(target)) / max(len(mine), len(target))
                if score > best_score:
                    best, best_score = key, score
        return best if best_score >= 0.3 else None

    overview: dict[str, list] = {}
    for editor, data in annotations.items():
        overview[editor] = []
        for t, art in enumerate(data["articles"]):
            overview[editor].append(match(art.get("overview") or ""))
            mine = [u for u in units if u.article == t]
            for u in mine:
                u.picks.setdefault(editor, set())
            for section in art["sections"]:
                for pick in section.get("picks", []):
                    key = match(pick)
                    if key is None:
                        # Not a sentence of the body as read (an editor's-note sentence): it
                        # still counts against every system, in the article's lead.
                        key = (-1, t, 0, zlib.crc32(norm(pick).encode()))
                        lead = next((u for u in mine if u.heading is None), mine[0])
                        lead.picks.setdefault(editor, set()).add(key)
                        continue
                    owner = next((u for u in mine if key in u.sentences), None)
                    if owner is None:
                        owner = next(u for u in units if key in u.sentences)
                    owner.picks.setdefault(editor, set()).add(key)
    return Item(path.name, split_of(path.name), articles, units, overview, text_of)


def f1(a: set, b: set) -> float | None:
    if not a and not b:
        return None
    return 2 * len(a & b) / (len(a) + len(b))


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def agreement(items: list[Item], system: dict[str, list[set]], editors: tuple[str, ...] = EDITORS) -> float:
    """Mean over editors of the mean per-unit F1 of `system` (picks per unit, per file) against them."""
    per_editor = []
    for editor in editors:
        scores = []
        for item in items:
            for unit, picked in zip(item.units, system[item.name]):
                score = f1(picked, unit.picks.get(editor, set()))
                if score is not None:
                    scores.append(score)
        per_editor.append(mean(scores))
    return mean(per_editor)

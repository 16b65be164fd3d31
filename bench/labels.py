"""Figure labels against hand labels: value/unit accuracy and label character-F1, DEV and TEST.

    .venv/bin/python bench/labels.py [--data bench/devset/figures] [--show]

Each ``NN-slug.tsv`` of the data folder holds hand-labelled figures (header ``sentence figure
value unit label``, see bench/devset/FIGURES.md). Files whose number is divisible by 3 (03, 06,
09, …) are TEST, the others DEV: tune on DEV only. The parser runs on each annotated sentence; a
hand-labelled figure is matched to the parser's figure of the same sentence and printed text
(each once, in order), or failing that to one that overlaps it (``2500亿元`` in ``超过2500亿元``).
Label character-F1 compares the multisets of characters of the two labels (spaces ignored), so a
label missing its qualifier loses recall and one with extra words loses precision. ``--show``
lists the DEV figures whose label is not exact; TEST is only counted.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.figures import find_figures  # noqa: E402
from briefing.tokenizer import new_tokenizer  # noqa: E402
from _devset import split_of  # noqa: E402

_SPACE = re.compile(r"\s+")


@dataclass
class Tally:
    """Counts of one split."""

    files: int = 0
    gold: int = 0
    matched: int = 0
    value_unit: int = 0
    f1: list[float] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)


def char_f1(got: str, want: str) -> float:
    """F1 of the character multisets of two labels (1.0 when both are empty)."""
    got, want = _SPACE.sub("", got), _SPACE.sub("", want)
    if not got and not want:
        return 1.0
    common = sum((Counter(got) & Counter(want)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(got), common / len(want)
    return 2 * precision * recall / (precision + recall)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of one annotation file, whitespace removed from sentence and figure."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["sentence"] = _SPACE.sub("", row.get("sentence") or "")
        row["figure"] = _SPACE.sub("", row.get("figure") or "")
    return [row for row in rows if row["sentence"] and row["figure"]]


def _match(sentence: str, text: str, figures: list):  # type: ignore[no-untyped-def]
    """The parser's figure printed as `text`, else one overlapping where `text` stands in the
    sentence (an annotator may leave out 超过 or 以上: ``2500亿元`` for ``超过2500亿元``)."""
    same = next((f for f in figures if f.text == text), None)
    if same is not None:
        return same
    at = sentence.find(text)
    while at != -1:
        for f in figures:
            if f.start < at + len(text) and at < f.start + len(f.text):
                return f
        at = sentence.find(text, at + 1)
    return None


def score_file(path: Path, tokenizer, tally: Tally, show: bool) -> None:  # type: ignore[no-untyped-def]
    """Add one file's figures to `tally`."""
    rows = read_rows(path)
    tally.files += 1
    tally.gold += len(rows)
    found: dict[str, list] = {}
    for row in rows:
        sentence = row["sentence"]
        if sentence not in found:
            found[sentence] = find_figures(sentence, tokenizer)
        figure = _match(sentence, row["figure"], found[sentence])
        if figure is None:
            if show:
                tally.shown.append(f"MISS  {path.name} {row['figure']} ({row['label']})")
            continue
        found[sentence].remove(figure)
        tally.matched += 1
        try:
            value = float(row["value"])
        except ValueError:
            value = float("nan")
        if abs(figure.value - value) <= 1e-6 * max(1.0, abs(value)) and figure.unit == row["unit"]:
            tally.value_unit += 1
        elif show:
            tally.shown.append(f"VALUE {path.name} {row['figure']}: got {figure.value:g} {figure.unit}")
        f1 = char_f1(figure.label, row["label"])
        tally.f1.append(f1)
        if show and f1 < 1.0:
            tally.shown.append(f"{f1:.2f}  {row['figure']:>10}  got {figure.label!r}  want {row['label']!r}")


def report(name: str, tally: Tally) -> None:
    """One line per measure of a split."""
    f1 = sum(tally.f1) / len(tally.f1) if tally.f1 else 0.0
    low = sum(score < 0.5 for score in tally.f1)
    print(
        f"{name:4}  files {tally.files:2}  figures {tally.gold:3}  matched {tally.matched:3}  "
        f"value/unit {tally.value_unit}/{tally.matched}  label F1 {f1:.3f}  under 0.5: {low}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "devset" / "figures")
    parser.add_argument("--show", action="store_true", help="list DEV figures whose label is not exact")
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("*.tsv"))
    if not files:
        print(f"labels: error: {args.data}: no .tsv files", file=sys.stderr)
        return 1
    tokenizer = new_tokenizer()
    dev, test = Tally(), Tally()
    for path in files:
        is_test = split_of(path.name) == "TEST"
        score_file(path, tokenizer, test if is_test else dev, show=args.show and not is_test)
    for line in dev.shown:
        print(line)
    report("DEV", dev)
    report("TEST", test)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

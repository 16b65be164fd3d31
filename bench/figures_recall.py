"""Recall, precision and label accuracy of `briefing.figures` on the hand-checked seed golden.

    .venv/bin/python bench/figures_recall.py [--golden tests/data/seed_figures.tsv] [SEED]

A figure found counts as a hit when its region, text and value match a golden row (each row
once); a hit's label is right when it equals the row's label or one of its ``also_ok`` labels.
Prints the three numbers, then every miss, extra and wrong label, so that a change to the
parser can be judged by the diff of this output.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.figures import section_figures  # noqa: E402
from briefing.pipeline import read_seed_file  # noqa: E402
from briefing.tokenizer import new_tokenizer  # noqa: E402


def read_golden(path: Path) -> list[dict[str, str]]:
    """Rows of the golden TSV, comment lines (``#``) skipped."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def found_figures(seed: Path) -> Iterator[tuple[str, str, float, str]]:
    """(region, text, value, label) of every figure the parser reports on the seed."""
    articles, _warnings = read_seed_file(seed)
    tokenizer = new_tokenizer()
    for article in articles:
        for section in article.sections:
            for figure in section_figures(section, tokenizer):
                yield article.region or "", figure.text, figure.value, figure.label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seed = ROOT / "seeds" / "2022-chuxiong-honghe-zhengxie.txt"
    parser.add_argument("seed", nargs="?", type=Path, default=seed)
    parser.add_argument("--golden", type=Path, default=ROOT / "tests/data/seed_figures.tsv")
    args = parser.parse_args(argv)

    golden = read_golden(args.golden)
    unmatched = list(range(len(golden)))
    extras: list[tuple[str, str, float, str]] = []
    wrong_labels: list[str] = []
    hits = 0
    for region, text, value, label in found_figures(args.seed):
        index = next(
            (
                i
                for i in unmatched
                if golden[i]["region"] == region
                and golden[i]["text"] == text
                and abs(float(golden[i]["value"]) - value) < 1e-6 * max(1.0, value)
            ),
            None,
        )
        if index is None:
            extras.append((region, text, value, label))
            continue
        unmatched.remove(index)
        hits += 1
        row = golden[index]
        accepted = [row["label"], *filter(None, (row.get("also_ok") or "").split("|"))]
        if label not in accepted:
            wrong_labels.append(f"{region} {text}: got {label!r}, expected {row['label']!r}")

    reported = hits + len(extras)
    print(f"golden {len(golden)}  reported {reported}  hits {hits}")
    print(f"recall    {hits / len(golden):.3f}")
    print(f"precision {hits / reported if reported else 0.0:.3f}")
    print(f"labels    {(hits - len(wrong_labels)) / hits if hits else 0.0:.3f} right among hits")
    for i in unmatched:
        print(f"MISS   {golden[i]['region']} {golden[i]['text']} ({golden[i]['label']})")
    for region, text, value, label in extras:
        print(f"EXTRA  {region} {text} = {value:g} ({label})")
    for line in wrong_labels:
        print(f"LABEL  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

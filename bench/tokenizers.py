"""Faster tokenizers that claim jieba's dictionary and segmentation, against `jieba.lcut`.

Each candidate that is installed (none is a dependency: ``pip install rjieba`` to try one) cuts
every sentence of a large corpus (the LCSTS sample, the seeds and the DEV articles); the table
gives the share of sentences with exactly jieba's tokens and the speed-up. briefing would switch
only to a well-kept package with the same tokens on at least 99.9 % of sentences.

    .venv/bin/python bench/tokenizers.py [--show 5]
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, print_machine, table, version  # noqa: E402

EVAL = Path("/work/shared/eval/lcsts_dev.jsonl")
CANDIDATES = {
    "rjieba": ("rjieba", lambda module: module.cut),  # jieba-rs, Rust
    "jieba_fast": ("jieba-fast", lambda module: module.lcut),  # C (SWIG), 2018
}


def corpus() -> list[str]:
    texts = []
    if EVAL.exists():
        texts += [json.loads(line)["text"] for line in EVAL.read_text("utf-8").splitlines() if line.strip()]
    for path in sorted(ROOT.glob("seeds/*.txt")) + sorted(ROOT.glob("bench/devset/articles/*.txt")):
        texts.append(path.read_text("utf-8", errors="replace"))
    return [s for t in texts for s in re.split(r"(?<=[。！？\n])", t) if s.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=3, help="print this many differing sentences per candidate")
    args = parser.parse_args(argv)
    print_machine()
    import jieba

    jieba.setLogLevel(logging.WARNING)
    sentences = corpus()
    reference = jieba.Tokenizer()
    reference.initialize()
    start = time.process_time()
    expected = [reference.lcut(s) for s in sentences]
    seconds = time.process_time() - start
    rows = [[f"jieba {version('jieba')} lcut", f"{1:.2%}", f"{seconds:.2f}", "1.0×"]]
    shown = []
    for name, (dist, get_cut) in CANDIDATES.items():
        try:
            cut = get_cut(importlib.import_module(name))
        except ImportError:
            rows.append([name, "not installed", "", ""])
            continue
        cut(sentences[0])  # load its dictionary before timing
        start = time.process_time()
        got = [list(cut(s)) for s in sentences]
        took = time.process_time() - start
        same = sum(a == b for a, b in zip(expected, got))
        rows.append([f"{name} {version(dist)}", f"{same / len(sentences):.2%}", f"{took:.2f}", f"{seconds / took:.1f}×"])
        shown += [(name, a, b) for a, b in zip(expected, got) if a != b][: args.show]
    print(table(["tokenizer", "same tokens as jieba (sentences)", "CPU s", "speed-up"], rows,
                f"{len(sentences):,} sentences, {sum(map(len, sentences)):,} characters"))
    for name, a, b in shown:
        print(f"\njieba:  {' | '.join(a)}\n{name}: {' | '.join(b)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

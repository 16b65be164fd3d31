"""Bounded work: hostile inputs under the size limit, each at three sizes, timed end to end.

Every case runs `briefing make` in a fresh process on an input of size n, 2n and 4n and prints
the wall time, the peak RSS and the ratio to the smallest size: near-linear work doubles the
time with the size (ratios about 1, 2, 4 once start-up, about 1 s, is taken off).

    .venv/bin/python bench/bounded.py [--case NAME ...] [--scale 0.25]

Cases (at --scale 1, the largest size is the size named in issue 18):
  nested     1.2 MB of nested （“《【 runs around figures, through `briefing make`
  mask       the same as one sentence straight into figures.find_figures (_mask, _name_spans)
  line       one 1 MB line without punctuation, as PDF (cut into sentences of ≤ 500 characters)
  combining  200,000 combining marks in 400 KB, as PDF
  tiny       1,000 tiny files as PDF (the most accepted: MAX_ARTICLES)
  tiny10k    10,000 tiny files: refused in one line before anything is read
  figures    1 MB of figures in one unpunctuated line, as JSON
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BRIEFING, print_machine  # noqa: E402

WORDS = "政协委员工作室建立联系群众开展协商议事活动推动解决民生实事"


def nested(size: int, folder: Path) -> str:
    unit = "（“《【委员工作室218个" + "】》”）"
    depth = size // (len(unit) * 3)
    (folder / "a.txt").write_text("标题\n\n" + "（“《【" * depth + "委员工作室218个" + "】》”）" * depth + "。\n", "utf-8")
    return "json"


def line(size: int, folder: Path) -> str:
    rng = random.Random(0)
    (folder / "a.txt").write_text("标题\n\n" + "".join(rng.choice(WORDS) for _ in range(size // 3)) + "\n", "utf-8")
    return "pdf"


def combining(size: int, folder: Path) -> str:
    marks = size // 2  # 200,000 marks in 400 KB at the largest size
    text = "".join(("政" if i % 2 else "a") + "\u0301" for i in range(marks))
    (folder / "a.txt").write_text("标题\n\n" + text + "。\n", "utf-8")
    return "pdf"


def tiny(size: int, folder: Path) -> str:
    for i in range(size // 1000):  # 1,000 files, the most accepted, at the largest size
        (folder / f"{i:05d}.txt").write_text(f"标题{i}\n\n委员提出建议{i}件。\n", "utf-8")
    return "pdf"


def tiny10k(size: int, folder: Path) -> str:
    for i in range(size // 100):  # 10,000 files at the largest size: refused in one line
        (folder / f"{i:05d}.txt").write_text(f"标题{i}\n\n委员提出建议{i}件。\n", "utf-8")
    return "pdf"


def figures(size: int, folder: Path) -> str:
    rng = random.Random(1)
    parts = [f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.randint(1, 999)}个" for _ in range(size // 16)]
    (folder / "a.txt").write_text("标题\n\n" + "".join(parts) + "\n", "utf-8")
    return "json"


CASES = {"nested": (nested, 1_200_000), "line": (line, 1_000_000), "combining": (combining, 400_000),
         "tiny": (tiny, 1_000_000), "tiny10k": (tiny10k, 1_000_000), "figures": (figures, 1_000_000),
         "mask": (None, 1_200_000)}


def mask_in_process(scale: float) -> None:
    """`figures.find_figures` on one nested sentence, in process: the reader cuts sentences at 500
    characters, so this is the parser's own bound, without that cut."""
    from briefing.figures import find_figures
    from briefing.tokenizer import new_tokenizer

    tokenizer = new_tokenizer()
    first = None
    for share in (0.25, 0.5, 1.0):
        depth = int(1_200_000 * share * scale) // 24
        sentence = "（“《【" * depth + "委员工作室218个" + "】》”）" * depth
        started = time.perf_counter()
        find_figures(sentence, tokenizer)
        seconds = time.perf_counter() - started
        first = first or seconds
        print(f"{'mask':10} {len(sentence.encode()):>9,} B  find_figures  {seconds:7.2f} s  x{seconds / first:4.1f}",
              flush=True)


def run_case(name: str, scale: float) -> None:
    if name == "mask":
        mask_in_process(scale)
        return
    make, largest = CASES[name]
    first = None
    for share in (0.25, 0.5, 1.0):
        size = int(largest * share * scale)
        with tempfile.TemporaryDirectory() as tmp:
            seeds = Path(tmp) / "seeds"
            seeds.mkdir()
            fmt = make(size, seeds)
            started = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            run = subprocess.run([*BRIEFING, "make", "--format", fmt, "-q", "--date", "2023-01-05"],
                                 cwd=tmp, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        first = first or seconds
        outcome = "ok" if run.returncode == 0 else run.stderr.strip().splitlines()[-1][:90]
        print(f"{name:10} {size:>9,} B  {fmt:4}  {seconds:7.2f} s  x{seconds / first:4.1f}  "
              f"peak RSS ≤ {rss:5.0f} MB  {outcome}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.25 for a quick look)")
    args = parser.parse_args()
    print_machine()
    for name in args.case or list(CASES):
        run_case(name, args.scale)


if __name__ == "__main__":
    main()

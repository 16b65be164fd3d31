"""Run every benchmark in order: agreement, headings, labels, quality, speed, floor, scale, brevity
(`make bench`).

    .venv/bin/python bench/run_all.py [--quick]

--quick: quality on 100 texts, speed with 2 runs, floor with 3 runs and no breakdown, scale 1 and 10
articles once. A full run takes about 5 minutes on 2 CPUs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    steps = [
        ("agreement.py", ["--no-peers"] if args.quick else []),
        ("headings.py", []),
        ("labels.py", []),
        ("quality.py", ["--limit", "100"] if args.quick else []),
        ("speed.py", ["--quick"] if args.quick else []),
        ("floor.py", ["--quick"] if args.quick else []),
        ("scale.py", ["--quick"] if args.quick else []),
        ("brevity.py", []),
    ]
    failed = []
    for script, extra in steps:
        print(f"\n## bench/{script} {' '.join(extra)}\n", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / script), *extra])
        print(f"\n(bench/{script}: exit {code}, {time.perf_counter() - start:.0f} s)", flush=True)
        if code:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Scale: `briefing make --format pdf,docx` on 1, 10 and 100 articles, each in a fresh process.

The seed file's articles are cut apart (at each article's first header line, as the reader finds
it) and written one per file, cycling through them, with ``（第N篇）`` appended to every title line
so that no two articles are alike; 100 articles is about 1 MB of text. Reports wall time and
peak RSS (median of --runs), and the ratio to the 1-article run.

    .venv/bin/python bench/scale.py [--sizes 1,10,100] [--runs N] [--formats pdf,docx] [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BRIEFING, ROOT, SEEDS, fresh_runs, print_machine, table  # noqa: E402


def seed_articles() -> list[tuple[list[str], list[int]]]:
    """(lines, title line indices within them) for every article of every seed file."""
    from briefing.read import read_articles

    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8-sig")
        lines = text.splitlines()
        articles = read_articles(text, path.name)
        starts = []
        for article in articles:
            numbers = list(article.title_lines) + list(article.header_lines.values())
            starts.append(min(numbers) - 1 if numbers else 0)  # line numbers are 1-based
        starts[0] = 0
        for i, article in enumerate(articles):
            begin, end = starts[i], starts[i + 1] if i + 1 < len(articles) else len(lines)
            titles = [n - 1 - begin for n in article.title_lines]
            found.append((lines[begin:end], titles))
    return found


def make_folder(folder: Path, count: int, pieces) -> int:
    folder.mkdir(parents=True)
    size = 0
    for n in range(1, count + 1):
        lines, titles = pieces[(n - 1) % len(pieces)]
        lines = list(lines)
        for t in titles:
            lines[t] = f"{lines[t]}（第{n}篇）"
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / f"article-{n:03d}.txt").write_bytes(data)
        size += len(data)
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("--quick", action="store_true", help="sizes 1,10 and one run each")
    args = parser.parse_args(argv)
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    print_machine()

    pieces = seed_articles()
    work = Path(tempfile.mkdtemp(prefix="briefing-scale-"))
    try:
        rows = []
        base = None
        for count in sizes:
            folder = work / f"seeds-{count}"
            size = make_folder(folder, count, pieces)
            from briefing.pipeline import find_seed_files, read_seed_files

            articles, _ = read_seed_files(find_seed_files([folder]))
            titles = {a.title for a in articles}
            out = work / f"out-{count}"
            cmd = [*BRIEFING, "make", "--format", args.formats, "--seeds", str(folder), "--out", str(out),
                   "--date", "2023-01-05", "-q"]
            r = fresh_runs(cmd, runs, cwd=ROOT)
            if r["rc"]:
                why = (r["stderr"].strip().splitlines() or ["?"])[-1]
                rows.append([count, f"{size / 1024:.0f}", len(articles), f"failed (exit {r['rc']})", why[:80], "", ""])
                continue
            if base is None:
                base = r
            pages = ""
            manifest = out / "manifest.json"
            if manifest.exists():
                import json

                docs = json.loads(manifest.read_text("utf-8")).get("documents", {})
                pages = ", ".join(f"{k.split('.')[-1]} {v.get('pages')}" for k, v in docs.items() if v.get("pages"))
            rows.append([
                count, f"{size / 1024:.0f}", f"{len(articles)} ({len(titles)} titles)",
                f"{r['wall']:.2f}", f"{r['rss_mib']:.0f}",
                f"{r['wall'] / base['wall']:.2f}", f"{r['rss_mib'] / base['rss_mib']:.2f}", pages,
            ])
        print(table(["articles", "KiB of text", "articles read", "wall s", "peak RSS MiB",
                     "wall ÷ 1-article", "RSS ÷ 1-article", "pages"], rows,
                    f"`briefing make --format {args.formats}` by size (median of {runs} fresh processes)"))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Scale: `briefing make --format pdf,docx` on 1, 10 and 100 articles, each in a fresh process;
and `briefing summarise --jsonl` on a feed against `jieba.lcut` alone.

The seed file's articles are cut apart (at each article's first header line, as the reader finds
it) and written one per file, cycling through them, with ``（第N篇）`` appended to every title line
so that no two articles are alike; 100 articles is about 1 MB of text. Reports wall time and
peak RSS (median of --runs), and the ratio to the 1-article run.

The feed is the LCSTS sample (``/work/shared/eval/lcsts_dev.jsonl``, else the seed's paragraphs)
repeated to --feed-mb and to three times that, with new ids. Rates are "after start-up": the extra
characters of the big feed over the extra seconds it took, for the command and for a fresh Python
that reads the same feed line by line and only runs ``jieba.lcut`` on each text. Both are run with
every usable core and pinned to one core (``taskset -c 0``), taken in turn. Peak RSS is that of the
largest process (the command line or one worker); the same at 1× and 3× means constant memory.

    .venv/bin/python bench/scale.py [--sizes 1,10,100] [--runs N] [--formats pdf,docx] [--feed-mb 2] [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    BRIEFING, PYTHON, ROOT, SEEDS, fresh_runs, interleaved_runs, one_core, print_machine, table,
)

EVAL = ROOT.parent.parent / "shared" / "eval" / "lcsts_dev.jsonl"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval/lcsts_dev.jsonl")

JIEBA_ALONE = r"""
import json, sys
from briefing.tokenizer import jieba
tokenizer = jieba.Tokenizer()
tokenizer.initialize()
with open(sys.argv[1], "rb") as feed:
    for line in feed:
        tokenizer.lcut(json.loads(line)["text"])
"""


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
    parser.add_argument("--feed-mb", type=float, default=2.0, help="the small feed; the big one is 3×")
    parser.add_argument("--no-make", action="store_true", help="only the summarise --jsonl rows")
    parser.add_argument("--pages", default=None, help="pass --pages N to make (0: no page budget, every pick printed)")
    parser.add_argument("--no-jsonl", action="store_true", help="only the make rows")
    parser.add_argument("--quick", action="store_true", help="sizes 1,10, one run each, a 1 MB feed")
    args = parser.parse_args(argv)
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    print_machine()

    pieces = seed_articles()
    work = Path(tempfile.mkdtemp(prefix="briefing-scale-"))
    try:
        if not args.no_make:
            make_rows(work, sizes, runs, args.formats, pieces, [] if args.pages is None else ["--pages", args.pages])
        if not args.no_jsonl:
            jsonl_rows(work, 1.0 if args.quick else args.feed_mb, runs)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def make_rows(work: Path, sizes: list[int], runs: int, formats: str, pieces, extra: list[str]) -> None:  # type: ignore[no-untyped-def]
    """`briefing make` on `sizes` articles each: wall, peak RSS, and their ratio to the first size."""
    rows = []
    base = None
    for count in sizes:
        folder = work / f"seeds-{count}"
        size = make_folder(folder, count, pieces)
        from briefing.pipeline import find_seed_files, read_seed_files

        articles, _ = read_seed_files(find_seed_files([folder]))
        titles = {a.title for a in articles}
        out = work / f"out-{count}"
        cmd = [*BRIEFING, "make", "--format", formats, "--seeds", str(folder), "--out", str(out),
               "--date", "2023-01-05", "-q", *extra]
        r = fresh_runs(cmd, runs, cwd=ROOT)
        if r["rc"]:
            why = (r["stderr"].strip().splitlines() or ["?"])[-1]
            rows.append([count, f"{size / 1024:.0f}", len(articles), f"failed (exit {r['rc']})", why[:80], "", "", "", ""])
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
            f"{r['wall'] / base['wall']:.2f}", f"{r['rss_mib'] / base['rss_mib']:.2f}",
            f"{r['cpu']:.2f} ({r['cpu'] / base['cpu']:.2f}×)", pages,
        ])
    print(table(["articles", "KiB of text", "articles read", "wall s", "peak RSS MiB",
                 "wall ÷ 1-article (target ≤ 10)", "RSS ÷ 1-article", "CPU s (÷ 1-article)", "pages"], rows,
                f"`briefing make --format {formats}{' ' + ' '.join(extra) if extra else ''}` by size "
                f"(median of {runs} fresh processes)"))


def feed_texts() -> list[str]:
    import json

    if EVAL.exists():
        return [json.loads(line)["text"] for line in EVAL.read_text("utf-8").splitlines() if line.strip()]
    return ["\n".join(lines) for lines, _ in seed_articles()]


def write_feed(path: Path, texts: list[str], megabytes: float) -> int:
    """A JSON-lines feed of about `megabytes`, cycling through `texts`; returns its characters."""
    import json

    size = chars = 0
    with path.open("w", encoding="utf-8") as out:
        n = 0
        while size < megabytes * 2**20:
            text = texts[n % len(texts)]
            line = json.dumps({"id": n, "text": text}, ensure_ascii=False) + "\n"
            out.write(line)
            size += len(line.encode("utf-8"))
            chars += len(text)
            n += 1
    return chars


def jsonl_rows(work: Path, megabytes: float, runs: int) -> None:
    texts = feed_texts()
    small, big = work / "feed-1x.jsonl", work / "feed-3x.jsonl"
    chars = {small: write_feed(small, texts, megabytes), big: write_feed(big, texts, 3 * megabytes)}
    pin = one_core()
    cmds = {}
    for label, prefix in (("", []), (", 1 core", pin)):
        if prefix is None:
            continue
        for feed in (small, big):
            cmds[f"jieba{label}", feed] = [*prefix, PYTHON, "-c", JIEBA_ALONE, str(feed)]
            cmds[f"summarise{label}", feed] = [*prefix, *BRIEFING, "summarise", "--jsonl", str(feed)]
    results = interleaved_runs(cmds, runs, cwd=ROOT)
    failed = [(k, r) for k, r in results.items() if r["rc"]]
    if failed:
        print(f"failed: {failed[0][0]}: {failed[0][1]['stderr'][-300:]}")
        return
    extra = chars[big] - chars[small]

    def rate(name: str) -> float:
        return extra / (results[name, big]["wall"] - results[name, small]["wall"])

    rows = []
    for label, cores in (("", "all usable"), (", 1 core", "1 (taskset -c 0)")):
        if ("jieba" + label, small) not in results:
            rows.append([cores, "taskset missing or one core only", "", "", "", "", ""])
            continue
        jieba_rate, ours = rate("jieba" + label), rate("summarise" + label)
        rows.append([cores, f"{jieba_rate:,.0f}", f"{ours:,.0f}", f"{ours / jieba_rate:.2f}",
                     f"{results['summarise' + label, small]['rss_mib']:.0f} / "
                     f"{results['summarise' + label, big]['rss_mib']:.0f}",
                     f"{results['summarise' + label, small]['wall']:.1f} / {results['summarise' + label, big]['wall']:.1f}",
                     f"{extra / (results['jieba' + label, big]['cpu'] - results['jieba' + label, small]['cpu']):,.0f} / "
                     f"{extra / (results['summarise' + label, big]['cpu'] - results['summarise' + label, small]['cpu']):,.0f}"])
    print(table(["cores", "jieba.lcut alone, chars/s", "summarise --jsonl, chars/s",
                 "÷ jieba (target ≥ 1.0)", "peak RSS MiB, 1× / 3× feed", "wall s, 1× / 3× feed",
                 "chars per CPU s: jieba / summarise (all processes)"], rows,
                f"`briefing summarise --jsonl FEED` (default --jobs: usable cores) after start-up; feeds "
                f"{megabytes:g} MB and {3 * megabytes:g} MB ({chars[small]:,} / {chars[big]:,} chars; median of {runs})"))


if __name__ == "__main__":
    sys.exit(main())

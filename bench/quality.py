"""Summary quality on ../shared/eval/lcsts_dev.jsonl: ours (k = 1) beside LEAD-1 and the peers.

Metric (see ../shared/eval/README.md): character-level ROUGE-1/2/L F1 × 100 with rouge-chinese,
on space-separated characters, after removing whitespace and punctuation (Unicode category P*) from
both sides, averaged over the texts (an empty hypothesis scores 0).

The README's table reproduces digit for digit only with ``Rouge(exclusive=False)`` (n-grams counted
with multiplicity, as classic ROUGE does) and with LEAD-1 cut at TextRank4ZH's delimiters
(。！？!?；;… and newline). rouge-chinese's default ``Rouge()`` is ``exclusive=True`` (n-gram *sets*):
same R-L, about 1.3 points higher R-1. The main table uses exclusive=False so it compares with the
README; the second table is the literal ``Rouge()`` default.

    .venv/bin/python bench/quality.py [--limit N] [--eval PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BRIEFING, ROOT, TR4ZH_DELIMS, Peers, print_machine, table  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "lcsts_dev.jsonl"  # ../shared beside the checkout
KEYS = ("rouge-1", "rouge-2", "rouge-l")


def clean(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))


def rouge_scores(hyps: list[str], refs: list[str], exclusive: bool) -> list[float]:
    from rouge_chinese import Rouge

    rouge = Rouge(exclusive=exclusive)
    total = [0.0, 0.0, 0.0]
    for hyp, ref in zip(hyps, refs):
        h, r = " ".join(clean(hyp)), " ".join(clean(ref))
        if not h or not r:
            continue  # scores 0
        got = rouge.get_scores(h, r)[0]
        for i, key in enumerate(KEYS):
            total[i] += got[key]["f"]
    return [100 * t / max(len(refs), 1) for t in total]


def lead1_tr4zh(text: str, _k: int = 1) -> list[str]:
    return [next(s for s in TR4ZH_DELIMS.split(text) if s.strip())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument("--check-cli", type=int, default=20, help="texts to compare with the CLI --jsonl path")
    args = parser.parse_args(argv)
    print_machine()

    rows = [json.loads(line) for line in args.eval.read_text("utf-8").splitlines() if line.strip()]
    if args.limit:
        rows = rows[: args.limit]
    texts = [r["text"] for r in rows]
    refs = [r["summary"] for r in rows]

    from briefing.decode import clean_text
    from briefing.sentences import split_sentences
    from briefing.summarise import Summariser

    start = time.perf_counter()
    ours = Summariser()
    init = {"briefing summarise": time.perf_counter() - start}

    def briefing_k1(text: str, k: int) -> list[str]:
        return ours.summarise_text(clean_text(text)[0], k)  # exactly what `summarise --jsonl` does

    methods: dict[str, object] = {
        "briefing summarise --sentences 1": briefing_k1,
        "first sentence (LEAD-1), TextRank4ZH delimiters": lead1_tr4zh,
        "LEAD-1, briefing.sentences splitter": lambda t, k: [split_sentences(t)[0]],
    }
    start = time.perf_counter()
    peers = Peers()
    init["peers"] = time.perf_counter() - start
    methods.update(peers.fns)

    outputs: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    errors: dict[str, int] = {}
    for name, fn in methods.items():
        hyps = []
        bad = 0
        start = time.perf_counter()
        for text in texts:
            try:
                got = fn(text, 1)
            except Exception:  # noqa: BLE001 - a peer failing on one text scores 0 there
                got, bad = [], bad + 1
            hyps.append("".join(got))
        seconds[name] = time.perf_counter() - start
        outputs[name] = hyps
        errors[name] = bad

    # The CLI --jsonl path must give what the in-process call gave.
    check = rows[: args.check_cli]
    feed = "".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in check)
    proc = subprocess.run(
        [*BRIEFING, "summarise", "--jsonl", "-", "--sentences", "1"],
        input=feed.encode("utf-8"), capture_output=True, cwd=ROOT,
    )
    cli_lines = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    cli_out = {line["id"]: "".join(line["summary"]) for line in cli_lines}
    same = sum(cli_out.get(r["id"]) == h for r, h in zip(check, outputs["briefing summarise --sentences 1"]))
    cli_note = (f"CLI `briefing summarise --jsonl - --sentences 1` on the first {len(check)} texts: "
                f"{same}/{len(check)} identical to the in-process Summariser (exit {proc.returncode})")

    n = len(rows)
    for exclusive, title in ((False, f"ROUGE F1×100, k = 1, {n} texts, Rouge(exclusive=False) "
                                     "(reproduces the eval README)"),
                             (True, f"Same, literal rouge-chinese default Rouge() (exclusive=True), {n} texts")):
        body = []
        for name in methods:
            r1, r2, rl = rouge_scores(outputs[name], refs, exclusive)
            extra = f" ({errors[name]} errors)" if errors[name] else ""
            body.append([name + extra, f"{r1:.2f}", f"{r2:.2f}", f"{rl:.2f}", f"{seconds[name]:.2f}"])
        print(table(["method, k = 1", "R-1", "R-2", "R-L", f"seconds for {n}"], body, title))
    print()
    print(f"set-up (not in the seconds): Summariser() {init['briefing summarise']:.2f} s, "
          f"all peers {init['peers']:.2f} s")
    print(cli_note)
    for note in peers.notes:
        print("note:", note)
    return 0 if same == len(check) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The naive floor, and the whole job against it (fresh processes, wall time and peak RSS).

Floor (the fair one of issue 15): a fresh Python that only imports jieba, WeasyPrint and
python-docx, initialises one ``jieba.Tokenizer()`` and frees it (a real job needs the dictionary
only while it summarises), and writes a one-paragraph Chinese PDF in one face (regular weight
only: no bold heading, so one font file is loaded and subset) and a one-paragraph DOCX.
Job: ``briefing make --format pdf,docx`` on seeds/ in a fresh process. Both are measured on
every usable core and pinned to one (``taskset -c 0``), side by side in the same run, so the
ratios hold even when the machine is busy. Also, for the profile, the job with each format
alone, and the bare start-up costs of the floor's parts.

Peak RSS is RUSAGE_CHILDREN ru_maxrss of a watcher whose only child is the measured command (the
largest of its processes). CPU seconds (user + system, every process) are shown too: on a busy
machine they move much less than wall time.
jieba's dictionary cache (/tmp/jieba.cache) is warmed first, so no run pays the one-off build.

    .venv/bin/python bench/floor.py [--runs N] [--quick]
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

PARAGRAPH = (
    "2022年以来，楚雄州政协坚持把协商民主贯穿履职全过程，围绕全州中心工作开展专题协商12次，"
    "提出意见建议300余条，推动出台《关于进一步优化营商环境的实施意见》等文件，助推新增市场主体1.3万余户。"
)

FLOOR = r"""
import gc, logging, sys
from pathlib import Path
import jieba
import weasyprint
import docx
from docx.oxml.ns import qn
jieba.setLogLevel(logging.WARNING)
tokenizer = jieba.Tokenizer()
tokenizer.initialize()
del tokenizer
gc.collect()
out = Path(sys.argv[1]); text = sys.argv[2]
html = ('<html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A4; margin: 2.5cm }'
        'body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt }'
        '</style></head><body><p>' + text + '</p></body></html>')
weasyprint.HTML(string=html).write_pdf(out / "floor.pdf")
document = docx.Document()
run = document.add_paragraph().add_run(text)
run.font.name = "Noto Serif CJK SC"
run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
document.save(out / "floor.docx")
"""

PARTS = {
    "python -c pass": "pass",
    "import jieba": "import jieba",
    "import jieba + Tokenizer().initialize()": (
        "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.Tokenizer().initialize()"),
    "import weasyprint": "import weasyprint",
    "import docx": "import docx",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 runs, no per-part or per-format rows")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs
    print_machine()

    work = Path(tempfile.mkdtemp(prefix="briefing-floor-"))
    try:
        fresh_runs([PYTHON, "-c", PARTS["import jieba + Tokenizer().initialize()"]], 1)  # warm the cache

        def job(formats: str, name: str) -> list[str]:
            return [*BRIEFING, "make", "--format", formats, "--seeds", str(SEEDS), "--out",
                    str(work / name), "--date", "2023-01-05", "-q"]

        pin = one_core()
        cmds = {"floor": [PYTHON, "-c", FLOOR, str(work), PARAGRAPH], "job": job("pdf,docx", "two")}
        if pin:
            cmds["floor, 1 core"] = [*pin, *cmds["floor"]]
            cmds["job, 1 core"] = [*pin, *job("pdf,docx", "one")]
        fresh_runs(cmds["job"], 1, cwd=ROOT)  # the job's own cache and fontconfig, warm
        results = interleaved_runs(cmds, runs, cwd=ROOT)
        for name, r in results.items():
            if r["rc"]:
                print(f"{name} failed (exit {r['rc']}): {r['stderr']}")
                return 1
        rows = []
        for cores, suffix in (("all usable", ""), ("1 (taskset -c 0)", ", 1 core")):
            floor, made = results.get("floor" + suffix), results.get("job" + suffix)
            if floor is None:
                rows.append([cores, "taskset missing or one core only", "", "", "", "", ""])
                continue
            rows.append([cores, f"{floor['wall']:.2f}", f"{made['wall']:.2f}", f"{made['wall'] / floor['wall']:.2f}",
                         f"{floor['rss_mib']:.0f}", f"{made['rss_mib']:.0f}", f"{made['rss_mib'] / floor['rss_mib']:.2f}",
                         f"{floor['cpu']:.2f} / {made['cpu']:.2f} = {made['cpu'] / floor['cpu']:.2f}"])
        print(table(["cores", "floor wall s", "job wall s", "job ÷ floor (target ≤ 0.7 on 2, ≤ 1.0 on 1)",
                     "floor peak RSS MiB", "job peak RSS MiB", "RSS ÷ floor (target ≤ 1.0)",
                     "CPU s (user+sys, all processes): floor / job"], rows,
                    f"`briefing make --format pdf,docx` on seeds/ against the fair floor "
                    f"(median of {runs} fresh processes, taken in turn)"))
        for name, r in results.items():
            print(f"{name} runs (s): {', '.join(f'{w:.2f}' for w in r['walls'])}")

        if not args.quick:
            floor = results["floor"]
            rows = []
            for formats, label in (("json", "briefing make --format json"), ("pdf", "briefing make --format pdf"),
                                   ("docx", "briefing make --format docx"),
                                   ("pdf,docx,html,json", "briefing make --format all")):
                r = fresh_runs(job(formats, formats.replace(",", "-")), runs, cwd=ROOT)
                if r["rc"]:
                    rows.append([label, f"failed (exit {r['rc']})", "", "", r["stderr"].strip()[-80:]])
                    continue
                rows.append([label, f"{r['wall']:.2f}", f"{r['rss_mib']:.0f}", f"{r['wall'] / floor['wall']:.2f}",
                             f"{r['rss_mib'] / floor['rss_mib']:.2f}"])
            print(table(["fresh process, seed, all usable cores", "wall s (median)", "peak RSS MiB",
                         "wall ÷ floor", "RSS ÷ floor"], rows, "Each format alone"))
            part_rows = []
            for label, code in PARTS.items():
                r = fresh_runs([PYTHON, "-c", code], runs)
                part_rows.append([label, f"{r['wall']:.3f}", f"{r['rss_mib']:.0f}"])
            print(table(["start-up part, fresh process", "wall s (median)", "peak RSS MiB"], part_rows,
                        "What the floor is made of"))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

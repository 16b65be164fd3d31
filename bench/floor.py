"""The naive floor, and the whole job against it (fresh processes, wall time and peak RSS).

Floor: a fresh Python that only imports jieba, WeasyPrint and python-docx, initialises one
``jieba.Tokenizer()``, and writes a one-paragraph Chinese PDF (WeasyPrint, Noto CJK) and DOCX.
Job: ``briefing make --format pdf,docx`` on seeds/ in a fresh process. Also, for the profile,
the job with each format alone, and the bare start-up costs of the floor's parts.

Peak RSS is RUSAGE_CHILDREN ru_maxrss of a watcher whose only child is the measured command.
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
    BRIEFING, PYTHON, ROOT, SEEDS, briefing_formats_available, fresh_runs, print_machine, table,
)

PARAGRAPH = (
    "2022年以来，楚雄州政协坚持把协商民主贯穿履职全过程，围绕全州中心工作开展专题协商12次，"
    "提出意见建议300余条，推动出台《关于进一步优化营商环境的实施意见》等文件，助推新增市场主体1.3万余户。"
)

FLOOR = r"""
import logging, sys
from pathlib import Path
import jieba
import weasyprint
import docx
from docx.oxml.ns import qn
jieba.setLogLevel(logging.WARNING)
tokenizer = jieba.Tokenizer()
tokenizer.initialize()
out = Path(sys.argv[1]); text = sys.argv[2]
html = ('<html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A4; margin: 2.5cm }'
        'body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt }'
        '</style></head><body><h1>简报</h1><p>' + text + '</p></body></html>')
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
        floor = fresh_runs([PYTHON, "-c", FLOOR, str(work), PARAGRAPH], runs)
        if floor["rc"]:
            print(f"floor failed (exit {floor['rc']}): {floor['stderr']}")
            return 1
        rows = [["naive floor (jieba + WeasyPrint PDF + python-docx DOCX)", f"{floor['wall']:.2f}",
                 f"{floor['rss_mib']:.0f}", "1.00", "1.00"]]

        available = briefing_formats_available()
        jobs = [("pdf,docx", "briefing make --format pdf,docx")]
        if not args.quick:
            jobs += [("json", "briefing make --format json"), ("pdf", "briefing make --format pdf"),
                     ("docx", "briefing make --format docx"), ("pdf,docx,html,json", "briefing make --format all")]
        results = {}
        for formats, label in jobs:
            missing = [f for f in formats.split(",") if f not in available]
            out = work / f"out-{formats.replace(',', '-')}"
            cmd = [*BRIEFING, "make", "--format", formats, "--seeds", str(SEEDS), "--out", str(out),
                   "--date", "2023-01-05", "-q"]
            result = fresh_runs(cmd, runs, cwd=ROOT)
            results[formats] = result
            if result["rc"]:
                why = result["stderr"].strip().splitlines()[-1:] or ["?"]
                rows.append([label, f"failed (exit {result['rc']})", "", "", why[0][:80]])
                continue
            note = f" (writer missing: {', '.join(missing)})" if missing else ""
            rows.append([label + note, f"{result['wall']:.2f}", f"{result['rss_mib']:.0f}",
                         f"{result['wall'] / floor['wall']:.2f}", f"{result['rss_mib'] / floor['rss_mib']:.2f}"])
        print(table(["fresh process, seed", "wall s (median)", "peak RSS MiB", "wall ÷ floor", "RSS ÷ floor"],
                    rows, f"Floor vs whole job (median of {runs} fresh processes)"))

        if not args.quick:
            part_rows = []
            for label, code in PARTS.items():
                r = fresh_runs([PYTHON, "-c", code], runs)
                part_rows.append([label, f"{r['wall']:.3f}", f"{r['rss_mib']:.0f}"])
            print(table(["start-up part, fresh process", "wall s (median)", "peak RSS MiB"], part_rows,
                        "What the floor is made of"))
        print()
        print(f"floor runs (s): {', '.join(f'{w:.2f}' for w in floor['walls'])}")
        job = results.get("pdf,docx")
        if job and not job["rc"]:
            print(f"job runs (s):   {', '.join(f'{w:.2f}' for w in job['walls'])}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Do the tests catch a wrong briefing? Plant one small bug at a time and see.

Each bug below is a small edit a careless change could make: a swapped column, a wrong sentence,
a dropped JSON field, a stale manifest entry, a lost paragraph… For each, a fresh copy of the
project is made in a temporary folder (never the working tree), the edit is applied there, the
tests that should notice run against that copy (``PYTHONPATH`` points at it, also for the
``python -m briefing`` subprocesses the tests start), and the result is printed: caught (a test
failed) or NOT CAUGHT. A bug whose text no longer appears in the code is reported as stale: update
its edit. The unmodified copy is run first; if it fails, nothing is measured.

    .venv/bin/python bench/plant_bugs.py            # every bug
    .venv/bin/python bench/plant_bugs.py -k docx    # bugs whose name contains "docx"

Exit status: 0 when every bug is caught, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".git", ".venv", ".tools", "out", "__pycache__", ".pytest_cache", ".hypothesis",
                              "*.egg-info", "build", "dist")


@dataclass(frozen=True)
class Bug:
    name: str
    file: str
    edits: tuple[tuple[str, str], ...]
    """(text as it is, text with the bug); each text must occur exactly once in `file`."""
    tests: tuple[str, ...]
    origin: str = "issue 19"


BUGS = (
    # --- the review's table (issue 19) --------------------------------------------------------
    Bug("compare: first two regions' columns swapped", "briefing/render/view.py",
        (('tuple(row.figures[g].text if row.figures[g] else "" for g in group)',
          'tuple(row.figures[g].text if row.figures[g] else "" for g in sorted(group, key=lambda g: {0: 1, 1: 0}.get(g, g)))'),),
        ("tests/test_content.py",)),
    Bug("导读 takes the worst-scored sentences", "briefing/summarise.py",
        (("ranked.sort(key=lambda item: (-item[0], item[1].section, item[1].candidate.order))",
          "ranked.sort(key=lambda item: (item[0], item[1].section, item[1].candidate.order))"),),
        ("tests/test_editorial.py",)),
    Bug("DOCX figure tables: label and value columns swapped", "briefing/render/docx.py",
        (('_set(target, c.item.label, "Table Text", styles)', '_set(target, c.item.value, "Table Text", styles)'),
         ('_set(row.cells[column + c.span], c.item.value, "Table Value", styles)',
          '_set(row.cells[column + c.span], c.item.label, "Table Value", styles)')),
        ("tests/test_content.py", "tests/test_render_docx.py")),
    Bug("JSON: approx dropped", "briefing/render/json.py",
        (('                "approx": f.approx,\n', ""),),
        ("tests/test_json_contract.py", "tests/test_cli.py")),
    Bug("manifest keeps entries whose file changed", "briefing/output.py",
        (('        if same and _sha256_of(state / "current" / name) == entry.get("sha256"):',
          "        if same:"),),
        ("tests/test_cli.py",)),
    Bug("PDF keywords always include 政协", "briefing/render/view.py",
        (('(["政协"] if "政协" in title else [])', '["政协"]'),),
        ("tests/test_content.py", "tests/test_render_pdf.py")),
    Bug("reader drops a paragraph", "briefing/read.py",
        (("            paragraphs.append(\n                Paragraph(text, tuple(split_sentences(text)), "
          "tuple(b.line for b in open_para.pieces))\n            )\n",
          "            if len(paragraphs) != 2:\n                paragraphs.append(\n                    "
          "Paragraph(text, tuple(split_sentences(text)), tuple(b.line for b in open_para.pieces))\n"
          "                )\n"),),
        ("tests/test_read_seed.py", "tests/test_read_cases.py")),
    Bug("万 read as 10⁵", "briefing/figures.py",
        (('"万": 10**4, None: 1}', '"万": 10**5, None: 1}'),),
        ("tests/test_figures.py",)),
    Bug("key sentences: the worst sentence picked", "briefing/summarise.py",
        (("best = max(standalone or remaining,", "best = min(standalone or remaining,"),),
        ("tests/test_summarise.py", "tests/test_editorial.py")),
    Bug("PDF without bookmarks", "templates/briefing.css",
        (("h2.article-title { margin-top: 8mm; bookmark-level: 1; }",
          "h2.article-title { margin-top: 8mm; bookmark-level: none; }"),
         ("margin-top: 2mm; bookmark-level: 2; }", "margin-top: 2mm; bookmark-level: none; }")),
        ("tests/test_render_pdf.py",)),
    Bug("DOCX styles without an eastAsia font", "briefing/render/docx.py",
        (('    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):\n        rfonts.set(qn(slot), face)',
          '    for slot in ("w:ascii", "w:hAnsi", "w:cs"):\n        rfonts.set(qn(slot), face)'),),
        ("tests/test_render_docx.py",)),
    Bug("documents published before they are written (not atomic)", "briefing/output.py",
        (("    name = \"\"\n    try:\n        for name, data in files.items():",
          "    name = \"\"\n    _link(state / \"current\", version.name)\n    try:\n        for name, data in files.items():"),),
        ("tests/test_reliability.py",)),
    Bug("invalid UTF-8 accepted as U+FFFD", "briefing/decode.py",
        (('return data.decode("utf-8"), "utf-8"', 'return data.decode("utf-8", errors="replace"), "utf-8"'),),
        ("tests/test_decode.py", "tests/test_robustness.py")),
    Bug("exit code 0 on an error", "briefing/cli.py",
        (('        click.echo(f"briefing: error: {error}", err=True)\n        sys.exit(1)',
          '        click.echo(f"briefing: error: {error}", err=True)\n        sys.exit(0)'),),
        ("tests/test_cli.py", "tests/test_robustness.py")),
    # --- more of the same kinds --------------------------------------------------------------------
    Bug("DOCX comparison table: cells under the wrong region", "briefing/render/docx.py",
        (("for cell, value in zip(cells[1:], item.values, strict=True):",
          "for cell, value in zip(cells[1:], tuple(reversed(item.values)), strict=True):"),),
        ("tests/test_content.py",), "own: a wrong column"),
    Bug("HTML/PDF comparison table: region headers reversed", "templates/briefing.html.j2",
        (("{% for r in t.regions %}<th", "{% for r in t.regions|reverse %}<th"),),
        ("tests/test_content.py",), "own: a wrong column"),
    Bug("PDF only: tables laid out right to left", "templates/briefing.css",
        (("[data-bookmark] { bookmark-label: attr(data-bookmark); }",
          "[data-bookmark] { bookmark-label: attr(data-bookmark); }\ntable { direction: rtl; }"),),
        ("tests/test_content.py::test_pdf_tables_show_each_figure_under_its_own_region_and_section",
         "tests/test_content.py::test_seed_pdf_tables_are_right"), "own: a wrong column"),
    Bug("figure tables show the lead's figures in every section", "templates/briefing.html.j2",
        (("{%- for row in s.figures|figure_rows %}", "{%- for row in a.sections[0].figures|figure_rows %}"),),
        ("tests/test_content.py",), "own: a wrong column"),
    Bug("figure tables: each value shown with the next figure's label", "briefing/render/view.py",
        (("row = FigureRow(figure_label(section, figure), figure.text)",
          "row = FigureRow(figure_label(section, section.figures[(f + 1) % len(section.figures)]), figure.text)"),),
        ("tests/test_content.py",), "own: a wrong column"),
    Bug("导读: each region's line shows the next article's sentences", "briefing/render/view.py",
        (("    overview = tuple(_overview(i, a, r, shown) for i, (a, r) in enumerate(zip(briefing.articles, regions)))\n",
          "    overview = tuple(_overview(i, a, r, shown) for i, (a, r) in enumerate(zip(briefing.articles, regions)))\n"
          "    overview = tuple(replace(o, text=n.text) for o, n in zip(overview, overview[1:] + overview[:1]))\n"),),
        ("tests/test_content.py",), "own: a wrong sentence"),
    Bug("key sentences printed under the next section's heading", "briefing/render/view.py",
        (("    return [_paragraphs(article, a, s, section, shown) for s, section in enumerate(article.sections)]",
          "    texts = [_paragraphs(article, a, s, section, shown) for s, section in enumerate(article.sections)]\n"
          "    return texts[1:] + texts[:1]"),),
        ("tests/test_content.py",), "own: a wrong sentence"),
    Bug("key sentences traced to the next sentence", "briefing/summarise.py",
        (("KeySentence(r.candidate.text, r.candidate.paragraph, r.candidate.sentence,\n"
          "                            round(r.probability, 4), self.model.reasons(r.features), row_id[id(r)],",
          "KeySentence(r.candidate.text, r.candidate.paragraph, r.candidate.sentence + 1,\n"
          "                            round(r.probability, 4), self.model.reasons(r.features), row_id[id(r)],"),),
        ("tests/test_json_contract.py", "tests/test_summarise.py"), "own: a wrong sentence"),
    Bug("quotations scored up instead of down", "briefing/signals.py",
        (("        float(quoted > 0.6) + quoted / 2,\n", "        -10 * (float(quoted > 0.6) + quoted / 2),\n"),),
        ("tests/test_editorial.py",), "own: a wrong sentence"),
    Bug("sentences leaning on the one before picked first", "briefing/summarise.py",
        (("standalone = [r for r in remaining if not leans_on_previous(r.candidate.text)]",
          "standalone = [r for r in remaining if leans_on_previous(r.candidate.text)]"),),
        ("tests/test_editorial.py",), "own: a wrong sentence"),
    Bug("JSON: paper dropped", "briefing/render/json.py",
        (('        "paper": article.paper,\n', ""),),
        ("tests/test_json_contract.py",), "own: a dropped field"),
    Bug("JSON: heading_line dropped", "briefing/render/json.py",
        (('        "heading_line": section.heading_line,\n', ""),),
        ("tests/test_json_contract.py",), "own: a dropped field"),
    Bug("manifest keeps other formats made from different sources", "briefing/output.py",
        (('same = previous.get("key") == key or entry.get("archive") is True', "same = True"),),
        ("tests/test_cli.py",), "own: a stale manifest entry"),
    Bug("manifest keeps entries whose file is gone", "briefing/output.py",
        (('        if same and _sha256_of(state / "current" / name) == entry.get("sha256"):',
          '        if same and _sha256_of(state / "current" / name) in (None, entry.get("sha256")):'),),
        ("tests/test_cli.py",), "own: a stale manifest entry"),
)


def copy_project(source: Path, into: Path) -> Path:
    target = into / "project"
    shutil.copytree(source, target, ignore=SKIP, symlinks=True)
    return target


def plant(project: Path, bug: Bug) -> str | None:
    """Apply the bug's edits; the reason it cannot be applied, or None."""
    path = project / bug.file
    text = path.read_text("utf-8")
    for old, new in bug.edits:
        count = text.count(old)
        if count != 1:
            return f"stale: {bug.file} has {count} copies of {old.strip()[:50]!r}"
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return None


def run_tests(project: Path, tests: tuple[str, ...]) -> tuple[int, str, float]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("BRIEFING_UPDATE_GOLDEN", "BRIEFING_ACCEPT", "PYTEST_ADDOPTS")}
    environ.update(PYTHONPATH=str(project), CI="true")  # the copy's package; the CI Hypothesis profile
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-rf", *tests],
        cwd=project, capture_output=True, text=True, encoding="utf-8", env=environ,
    )
    return run.returncode, run.stdout + run.stderr, time.perf_counter() - started


def first_failure(output: str) -> str:
    match = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    return match.group(1) if match else output.strip().splitlines()[-1] if output.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only bugs whose name contains this")
    args = parser.parse_args()
    bugs = [b for b in BUGS if args.k.lower() in b.name.lower()]
    with tempfile.TemporaryDirectory(prefix="plant-bugs-") as temporary:
        # One snapshot of the working tree: every bug is planted in a copy of it, so edits made
        # while this runs change nothing.
        clean = copy_project(ROOT, Path(temporary) / "clean")
        tests = tuple(dict.fromkeys(t for b in bugs for t in b.tests))
        code, output, seconds = run_tests(clean, tests)
        print(f"baseline (no bug): {len(tests)} test files, exit {code}, {seconds:.0f} s")
        if code != 0:
            print(output[-3000:])
            print("the unmodified copy fails its tests: nothing measured")
            return 1
        missed = 0
        print(f"{'result':<12} {'bug':<62} {'kind':<28} first failing test")
        for bug in bugs:
            project = copy_project(clean, Path(temporary) / re.sub(r"\W+", "-", bug.name)[:40])
            problem = plant(project, bug)
            if problem:
                result, detail = "STALE", problem
            else:
                code, output, seconds = run_tests(project, bug.tests)
                if code == 1:
                    result, detail = "caught", f"{first_failure(output)}  ({seconds:.0f} s)"
                elif code == 0:
                    result, detail = "NOT CAUGHT", f"{', '.join(bug.tests)} all pass"
                else:
                    result, detail = f"ERROR {code}", first_failure(output)
            missed += result != "caught"
            print(f"{result:<12} {bug.name:<62} {bug.origin:<28} {detail}", flush=True)
            shutil.rmtree(project, ignore_errors=True)
        print(f"{len(bugs) - missed} of {len(bugs)} planted bugs caught")
        return 0 if missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

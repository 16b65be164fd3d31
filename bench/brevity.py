"""How brief the seed's briefing is: pages (PDF, and the DOCX through LibreOffice), the share of the
source's characters it carries, repeated sentences, and the time the page budget costs.

    .venv/bin/python bench/brevity.py [--pages N ...]

Characters are non-whitespace characters: the PDF's extracted text (page numbers and break hints
removed) against the seed files'. A sentence counts as repeated when it is printed more than once.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _common import BRIEFING, SEEDS, print_machine, table


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def printed_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"—\d+—", "", re.sub(r"[\s\u200b]", "", text))


def docx_pages(path: Path, work: Path) -> int | str:
    if shutil.which("soffice") is None:
        return "no soffice"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work / "lo-out"), str(path)],
        capture_output=True, check=True, timeout=180,
    )
    return pdf_pages(work / "lo-out" / path.with_suffix(".pdf").name)


def repeats(text: str, sources: list[Path]) -> int:
    """Source sentences (12 characters or more, ending 。！？…) printed more than once. Titles are not
    sentences: the 导读 names each article's title on purpose."""
    from briefing.sentences import split_sentences

    plain = re.sub(r"〔\d{4}年〕", "", text)
    sentences = {s for p in sources for line in p.read_text("utf-8").splitlines() for s in split_sentences(line.strip())}
    final = re.compile(r"[。！？…][”’」』]?$")
    return sum(1 for s in sentences if len(s) >= 12 and final.search(s) and plain.count(s) > 1)


def run(pages: str | None, work: Path) -> list[object]:
    out = work / f"out-{pages}"
    args = [*BRIEFING, "make", "--date", "2023-01-05", "--out", str(out), "--seeds", str(SEEDS)]
    if pages is not None:
        args += ["--pages", pages]
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    sources = sorted(SEEDS.glob("*.txt"))
    source_chars = sum(len(re.sub(r"\s", "", p.read_text("utf-8"))) for p in sources)
    text = printed_text(out / "briefing.pdf")
    budget = next((line.split(": ", 2)[2] for line in result.stderr.splitlines() if "page budget" in line), "—")
    return [
        pages if pages is not None else "default", pdf_pages(out / "briefing.pdf"),
        docx_pages(out / "briefing.docx", work), f"{len(text)} / {source_chars} = {len(text) / source_chars:.0%}",
        repeats(text, sources), f"{seconds:.2f}", budget,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", action="append", help="page budgets to try besides the default")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run(p, Path(tmp)) for p in [None, *(args.pages or ["0"])]]
    headers = ["--pages", "PDF pages", "DOCX pages (LibreOffice)", "characters printed / source", "repeated sentences",
               "make pdf,docx (s)", "page budget said"]
    print(table(headers, rows, "Brevity of the seed's briefing"))


if __name__ == "__main__":
    main()

"""Compare trafilatura and readability-lxml on the saved-page layouts in tests/data/pages.

For each layout, the seed is put into the page (as tests/seed_forms.py does) and each library
extracts the main text. Printed per layout and library: body lines of the seed missing from the
extraction, lines of page chrome (menus, share bar, related links, comments, footer) that got
in (trafilatura* is without favor_precision), whether the title block (title, ——subtitle) came through, the date found, and the time.

    .venv/bin/python bench/extractors.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from seed_forms import LAYOUTS, chrome_texts, seed_lines, seed_page  # noqa: E402

from briefing.pipeline import read_seed_file  # noqa: E402


def trafilatura_lines(page: str, precision: bool = True) -> tuple[list[str], str | None]:
    import trafilatura

    document = trafilatura.bare_extraction(page, favor_precision=precision, include_comments=False,
                                           include_tables=False, include_images=False, with_metadata=True)
    return [line.strip() for line in document.text.split("\n") if line.strip()], document.date


def trafilatura_default_lines(page: str) -> tuple[list[str], str | None]:
    return trafilatura_lines(page, precision=False)


def readability_lines(page: str) -> tuple[list[str], str | None]:
    from lxml import html
    from readability import Document

    summary = Document(page).summary(html_partial=True)
    tree = html.fromstring(summary)
    lines = [" ".join(e.text_content().split()) for e in tree.iter("p", "h1", "h2", "h3", "h4", "li")]
    return [line for line in lines if line], None


def main() -> None:
    seed = ROOT / "seeds" / "2022-chuxiong-honghe-zhengxie.txt"
    articles, _ = read_seed_file(seed)
    lines = seed_lines(seed)
    import readability  # noqa: F401 - imports are not what is timed
    import trafilatura  # noqa: F401

    print(f"{'layout':12} {'library':12} {'missing':>7} {'chrome':>6} {'title':>5} {'subtitle':>8}  date        ms")
    for layout in LAYOUTS:
        page = seed_page(layout, seed, articles)
        chrome = chrome_texts(layout)
        for name, extract in (("trafilatura", trafilatura_lines), ("trafilatura*", trafilatura_default_lines),
                              ("readability", readability_lines)):
            started = time.perf_counter()
            got, date = extract(page)
            elapsed = (time.perf_counter() - started) * 1000
            text = "\n".join(got)
            missing = sum(1 for line in lines[2:] if line not in got)
            leaked = sum(1 for c in chrome if c in text)
            print(f"{layout:12} {name:12} {missing:7} {leaked:6} {lines[0] in got!s:>5} {lines[1] in got!s:>8}  "
                  f"{date or '-':10} {elapsed:5.0f}")


if __name__ == "__main__":
    main()

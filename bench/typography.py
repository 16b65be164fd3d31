"""Typography of the made briefing, measured on the documents themselves (issue 14).

For the seed and for a 10-article briefing (the seed's articles, then the hand-made case
articles in tests/cases/articles, in file order), prints:

  faces      the font each role is set in, read from the PDF's text (pypdf): title, heading 1,
             heading 2, body, figures
  flush      full 16 pt lines (every line of a paragraph or heading but its last; found by the
             line pitch 28.95 pt and the left margin) whose right edge is within 1 pt of the
             right margin, from ``pdftotext -bbox-layout``
  spaced     full lines whose text pdftotext reads with a space between Chinese characters
  kinsoku    lines starting with closing or ending with opening punctuation
  split      numbers with their unit broken across lines (``10600``, ``17.6亿元``)
  cells      empty table cells (HTML); orphan rows: a table split with fewer than two body rows
             on one side (PDF layout)
  blank      pages (not the last) whose text ends more than 3 lines above the text block's foot
  PDF time   median wall and CPU time of render_pdf (in process, after one warm-up; CPU
             time is steadier on a shared machine)

The DOCX is converted with LibreOffice (when ``soffice`` is installed) and measured for split
numbers, kinsoku and blank page bottoms the same way.

    .venv/bin/python bench/typography.py [--runs 3] [--no-docx]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.config import Settings  # noqa: E402
from briefing.render.html import _NUMBER  # noqa: E402

PT_PER_MM = 72 / 25.4
PAGE_W = 210 * PT_PER_MM
TEXT_TOP = 37 * PT_PER_MM
TEXT_BOTTOM = (297 - 35) * PT_PER_MM
LINE = 28.95
OPENING = "“‘（《〈【〔「『"
CLOSING = "，。、；：？！”’）》〉】〕」』"
REGION_HEADER = r"\S+?[州市县区盟旗]"
"""A comparison table's header starts with a region's name."""
SETTINGS = Settings(unit="楚雄州政协办公室", issue=7, distribution={"报": "省政协办公厅", "发": "各县市政协"})


# --- reading a PDF back ------------------------------------------------------------------------


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    text: str


def pdf_lines(pdf: Path) -> tuple[list[list[Line]], float]:
    """Text lines per page from ``pdftotext -bbox-layout``, and the page width."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages: list[list[Line]] = []
    width = PAGE_W
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xml, re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        lines = []
        for attrs, body in re.findall(r"<line (.*?)>(.*?)</line>", page, re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', body)
            text = " ".join(w for _y0, _y1, w in words).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            lines.append(Line(number, float(box["xMin"]), float(box["xMax"]), float(box["yMin"]),
                              float(box["yMax"]), text))
        lines.sort(key=lambda l: (round(l.y0, 1), l.x0))
        pages.append(lines)
    return pages, width


def margins(page: int, width: float, odd_left_mm: float = 28, even_left_mm: float = 26) -> tuple[float, float]:
    """Left and right edge of the text block (the binding side is on the left of odd pages)."""
    left = (odd_left_mm if page % 2 else even_left_mm) * PT_PER_MM
    return left, left + 156 * PT_PER_MM


def body_lines(pages: list[list[Line]]) -> list[Line]:
    """Lines of running text, in reading order (not the page number below the text block)."""
    return [l for lines in pages for l in lines if l.y1 <= TEXT_BOTTOM + 2]


def continuations(pages: list[list[Line]], width: float) -> list[tuple[Line, Line]]:
    """(line, next line of the same block) pairs, for text of any size.

    The next line has the same height, starts no further right than the line (a new paragraph
    is indented 2 characters) and is the next line down: within one line height below on the
    same page, or the first line of the next page when the line ends the text block.
    """
    pairs = []
    lines = body_lines(pages)
    for line, after in zip(lines, lines[1:]):
        height = line.y1 - line.y0
        if abs(height - (after.y1 - after.y0)) > 0.5:
            continue
        if after.page == line.page:
            if not (0 < after.y0 - line.y1 < height) or after.x0 > line.x0 + 1:
                continue
        else:
            next_left, _ = margins(after.page, width)
            if after.y0 > TEXT_TOP + 2 * height or line.y1 < TEXT_BOTTOM - 2 * height or after.x0 > next_left + 1:
                continue
        pairs.append((line, after))
    return pairs


def full_lines(pages: list[list[Line]], width: float) -> list[tuple[Line, float]]:
    """(line, right margin) for every line of running text followed by a line of its block.

    Running text is set at the 28.95 pt line pitch; a following line starting at the left margin
    continues the paragraph or heading (a new one is indented 2 characters), on the same page
    or at the top of the next.
    """
    lines = body_lines(pages)
    # The running text's height: the commonest among lines followed at exactly its pitch. A line
    # with a figure in a taller face (黑体) is taller and its box sits higher: it counts when its
    # foot keeps the pitch within 4 pt and it is at most 8 pt taller.
    heights = [round(l.y1 - l.y0, 1) for l, a in zip(lines, lines[1:])
               if a.page == l.page and abs(a.y0 - l.y0 - LINE) < 0.5]
    body = max(set(heights), key=heights.count) if heights else 0

    def running(line: Line) -> bool:
        return body - 0.5 <= line.y1 - line.y0 <= body + 8

    found = []
    for line, after in zip(lines, lines[1:]):
        left, right = margins(line.page, width)
        next_left, _ = margins(after.page, width)
        if not (running(line) and running(after)) or abs(after.x0 - next_left) > 1 or line.x0 < left - 1:
            continue
        if after.page == line.page:
            if abs(after.y1 - line.y1 - LINE) > 4:
                continue
        elif after.y0 > TEXT_TOP + 2 * LINE or line.y1 < TEXT_BOTTOM - 2 * LINE:
            continue
        found.append((line, right))
    return found


def flush_share(pages: list[list[Line]], width: float) -> tuple[int, int, list[str]]:
    """(flush lines, full lines, the ragged ones) with flush meaning within 1 pt of the margin."""
    full = full_lines(pages, width)
    ragged = [f"p{l.page} {right - l.x1:+.1f}pt {l.text[-12:]}" for l, right in full if abs(right - l.x1) > 1]
    return len(full) - len(ragged), len(full), ragged


def spaced_lines(pages: list[list[Line]], width: float) -> list[str]:
    """Full lines whose extracted text has a space between two Chinese characters (a stretched
    line read back as words), from pdftotext's word boxes."""
    return [f"p{l.page} {l.text[:16]}" for l, _right in full_lines(pages, width)
            if re.search(r"[\u4e00-\u9fff“”，、] [\u4e00-\u9fff“”，、]", l.text)]


def kinsoku(pages: list[list[Line]], width: float) -> list[str]:
    """Line breaks that put closing punctuation at a line start or opening punctuation at an end."""
    bad = []
    for line, after in continuations(pages, width):
        first, second = line.text.replace(" ", ""), after.text.replace(" ", "")
        if first and second and (second[0] in CLOSING or first[-1] in OPENING):
            bad.append(f"p{line.page} …{first[-6:]}|{second[:6]}…")
    return bad


def split_numbers(pages: list[list[Line]], width: float) -> list[str]:
    """Numbers with their unit (the template's no-break words) broken across two lines."""
    bad = []
    for line, after in continuations(pages, width):
        first, second = line.text.replace(" ", ""), after.text.replace(" ", "")
        for match in _NUMBER.finditer(first + second):
            if match.start() < len(first) < match.end():
                bad.append(f"{first[-6:]}|{second[:6]}")
    return bad


def blank_bottoms(pages: list[list[Line]]) -> list[str]:
    """Pages (not the last) whose lowest text line ends more than 3 body lines above the foot,
    each with the start of the next page (what did not fit)."""
    bad = []
    for lines, following in zip(pages, pages[1:]):
        text = [l for l in lines if l.y1 <= TEXT_BOTTOM + 2]
        if not text:
            continue
        empty = (TEXT_BOTTOM - max(l.y1 for l in text)) / LINE
        if empty > 3:
            after = next((l.text for l in following if l.y1 <= TEXT_BOTTOM + 2), "")
            bad.append(f"p{text[0].page}: {empty:.1f} lines, next {after[:10]}")
    return bad


def unsplittable(blank: list[str]) -> list[str]:
    """The blank page feet explained by what follows: a heading (kept with the title, source lines
    and first two lines after it) or a table's header (kept with two rows)."""
    heading = r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|导语|主要数据对照|资料来源"
    return [b for b in blank if re.search(rf"next ({heading}|指标|{REGION_HEADER})", b)]


def faces_by_role(pdf: Path, samples: dict[str, tuple[str, bool]]) -> dict[str, str]:
    """The font of the text runs showing each role's sample (subset prefix dropped).

    A sample is (text, exact): an exact one must be the whole run (a table cell); otherwise the
    longest piece of it that some run shows (a line break may cut the text anywhere), and the
    commonest font among the runs showing it.
    """
    from pypdf import PdfReader

    runs: list[tuple[str, str]] = []

    def visit(text, _cm, _tm, font, _size):  # type: ignore[no-untyped-def]
        if text.strip() and font:
            runs.append((text.strip(), str(font.get("/BaseFont", "?")).split("+")[-1]))

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    faces = {}
    for role, (sample, exact) in samples.items():
        faces[role] = "not found"
        sizes = [len(sample)] if exact else [n for n in (len(sample), 8, 6, 4) if n <= len(sample)]
        for size in sizes:  # the longest piece found anywhere decides; the commonest font among its runs
            windows = {sample[i : i + size] for i in range(len(sample) - size + 1)}
            fonts = [font for text, font in runs if (text == sample if exact else any(w in text for w in windows))]
            if fonts:
                faces[role] = max(set(fonts), key=fonts.count)
                break
    return faces


def _chinese(text: str) -> str:
    """The longest run of Chinese characters in `text` (no digits or punctuation to split it)."""
    return max(re.findall(r"[\u4e00-\u9fff]+", text) or [text], key=len)


# --- tables --------------------------------------------------------------------------------------


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("td", "th"):
            self.cells.append("")
            self.depth += 1

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("td", "th"):
            self.depth -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.depth:
            self.cells[-1] += data.strip()


def empty_cells(html: str) -> int:
    parser = _Cells()
    parser.feed(html)
    return sum(1 for cell in parser.cells if not cell)


def orphan_rows(document) -> list[str]:  # type: ignore[no-untyped-def]
    """Tables split across pages with fewer than two body rows on one side (WeasyPrint layout)."""
    from weasyprint.formatting_structure import boxes

    rows_of: dict[int, list[int]] = {}

    def walk(box, page):  # type: ignore[no-untyped-def]
        if isinstance(box, boxes.TableBox):
            body = sum(len(g.children) for g in box.children if not g.is_header and not g.is_footer)
            rows_of.setdefault(id(box.element), []).append(body)
            return
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages, start=1):
        walk(page._page_box, number)
    return [str(parts) for parts in rows_of.values() if len(parts) > 1 and min(parts) < 2]


def docx_table_cells(data: bytes) -> int:
    """Empty cells in the DOCX's tables."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    return sum(1 for t in document.tables for row in t.rows for cell in row.cells if not cell.text.strip())


# --- the two briefings ---------------------------------------------------------------------------


def briefings():  # type: ignore[no-untyped-def]
    from briefing.pipeline import build_briefing, read_seed_file
    from briefing.summarise import Summariser

    summariser = Summariser()
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/cases/articles").glob("*.txt"))
    articles = []
    for path in files:
        articles.extend(read_seed_file(path)[0])
    summarised = [summariser.summarise_article(a, SETTINGS.sentences) for a in articles]
    seed_count = len(read_seed_file(files[0])[0])
    yield "seed", build_briefing(summarised[:seed_count], None, "2023-01-05", [])
    yield "10 articles", build_briefing(summarised[:10], None, "2023-01-05", [])


def samples(briefing) -> dict[str, tuple[str, bool]]:  # type: ignore[no-untyped-def]
    from briefing.render.view import build_view, plain

    view = build_view(briefing, SETTINGS)
    sections = [s for a in view.articles for s in a.sections]
    headed = next((s for s in sections if not s.is_lead), sections[0])
    body = next(s for s in sections if s.paragraphs)
    labels = [f.label for s in sections for f in s.figures if 2 <= len(f.label) <= 8]
    return {
        "title": (_chinese(view.title), False),
        "heading 1": ("导读" if view.overview else _chinese(view.articles[0].title), bool(view.overview)),
        "heading 2": (_chinese(headed.heading), False),
        "body": (_chinese(plain(body.paragraphs[0])), False),
        "figures": (labels[0] if labels else "—", True),
    }


def measure(name: str, briefing, out: Path, runs: int, with_docx: bool) -> None:  # type: ignore[no-untyped-def]
    from briefing.render import pdf as pdf_writer
    from briefing.render.docx import render_docx
    from briefing.render.html import briefing_html

    html = briefing_html(briefing, SETTINGS)
    times, cpu = [], []
    for _ in range(runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        document = pdf_writer.render_pdf(briefing, SETTINGS)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    path = out / f"{name.replace(' ', '-')}.pdf"
    path.write_bytes(document.data)
    layout = pdf_writer._weasyprint().HTML(string=html, base_url=str(ROOT / "templates") + "/").render()
    pdf_writer.justify_document(layout)
    pages, width = pdf_lines(path)
    flush, full, ragged = flush_share(pages, width)
    print(f"\n== {name}: {document.pages} PDF pages; render_pdf median {statistics.median(times[1:]):.3f} s wall, "
          f"{statistics.median(cpu[1:]):.3f} s CPU (first {times[0]:.3f} s)")
    for role, face in faces_by_role(path, samples(briefing)).items():
        print(f"  face  {role:10} {face}")
    print(f"  flush within 1 pt: {flush}/{full} full lines = {100 * flush / max(full, 1):.1f} %")
    for line in ragged[:8]:
        print(f"    ragged {line}")
    report = {
        "full lines read back with a space between Chinese characters": spaced_lines(pages, width),
        "line starts with closing / ends with opening punctuation": kinsoku(pages, width),
        "split numbers": split_numbers(pages, width),
        "pages with > 3 blank lines at the bottom": blank_bottoms(pages),
        "orphan table rows (split tables)": orphan_rows(layout),
    }
    for label, found in report.items():
        print(f"  {label}: {len(found)}" + (f"  {found[:6]}" if found else ""))
    blank = report["pages with > 3 blank lines at the bottom"]
    print(f"    of which before a block that cannot split (an article's head, a part with its table): "
          f"{len(unsplittable(blank))}")
    print(f"  empty table cells: {empty_cells(html)} (HTML/PDF)")
    if with_docx:
        data = render_docx(briefing, SETTINGS).data
        print(f"  empty table cells: {docx_table_cells(data)} (DOCX)")
        docx_path = out / f"{name.replace(' ', '-')}.docx"
        docx_path.write_bytes(data)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out / "lo"),
                        str(docx_path)], capture_output=True, check=True, timeout=180)
        lo_pages, lo_width = pdf_lines(out / "lo" / (docx_path.stem + ".pdf"))
        print(f"  DOCX via LibreOffice: {len(lo_pages)} pages; split numbers {len(split_numbers(lo_pages, lo_width))}"
              f"{split_numbers(lo_pages, lo_width)[:4] or ''}; kinsoku {len(kinsoku(lo_pages, lo_width))}; "
              f"blank bottoms {len(blank_bottoms(lo_pages))} {blank_bottoms(lo_pages)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed PDF renders after the warm-up (at least 1)")
    parser.add_argument("--no-docx", action="store_true", help="skip the LibreOffice conversion")
    parser.add_argument("--out", type=Path, help="keep the documents here (default: a temporary folder)")
    args = parser.parse_args()
    args.runs = max(args.runs, 1)
    with_docx = not args.no_docx and shutil.which("soffice") is not None
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for name, briefing in briefings():
            measure(name, briefing, out, args.runs, with_docx)


if __name__ == "__main__":
    main()

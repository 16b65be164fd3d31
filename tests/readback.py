"""Reading the documents back as a reader sees them, and checking their tables against the model.

A figure shown in the briefing is a (label, value) pair. It is *right* when the value is, as
printed, a figure of the article of its column (comparison table) or of its own section (figure
tables), and the label is words of that figure's own sentence. These checks state the meaning, not
the layout: they hold whichever figures a design chooses to show and however many.

Readers: `html_tables` (HTML tables placed under their headings), `docx_tables` (the same with
python-docx, in body order), `pdf_words` (pdftotext words with positions, in the order the page
draws them).
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from briefing.model import Article, Briefing, Figure, Section

EMPTY_CELLS = {"", "—", "－", "-", "–"}
LABEL_HEADERS = {"指标", "项目"}
"""Header cells of a table's label column (not a region)."""
LEAD_NAMES = ("导语", "")
COMPARE_HEADING = "主要数据对照"


def squash(text: str) -> str:
    """What a reader reads: no whitespace, no zero-width break chances."""
    return re.sub(r"[\s\u200b]", "", text)


# --- the model side ------------------------------------------------------------------------


def figures_with_sentences(section: Section) -> Iterator[tuple[Figure, str]]:
    for figure in section.figures:
        try:
            sentence = section.paragraphs[figure.paragraph].sentences[figure.sentence]
        except IndexError:
            sentence = ""
        yield figure, squash(sentence)


def _label_fits(label: str, figure: Figure, sentence: str, section: Section) -> bool:
    """The label is the figure's own label, or words of its own sentence, but never the label
    of another figure of the section (27项 shown as 重点调研、视察、考察, its neighbour's)."""
    label = squash(label)
    own = squash(figure.label)
    if label and label == own:
        return True
    if label in EMPTY_CELLS and not own:
        return True
    rivals = {squash(f.label) for f in section.figures if f.text != figure.text} - {own}
    return len(label) >= 2 and label in sentence and label not in rivals


def pair_in_section(label: str, value: str, section: Section) -> bool:
    """(label, value) is one of this section's figures."""
    value = squash(value)
    return any(squash(f.text) == value and _label_fits(label, f, s, section)
               for f, s in figures_with_sentences(section))


def section_name(section: Section) -> str:
    return squash(section.heading) if section.heading is not None else LEAD_NAMES[0]


def cell_in_article(cell: str, article: Article) -> bool:
    """A comparison cell (label, value and perhaps the section's name, in any layout) shows one
    of this article's figures: its value as printed, and nothing but its label and section."""
    text = squash(cell)
    for section in article.sections:
        where = section_name(section)
        for figure, sentence in figures_with_sentences(section):
            value = squash(figure.text)
            if value not in text:
                continue
            rest = text.replace(value, "", 1)
            if where and rest.endswith(where):
                rest = rest[: -len(where)]
            elif where and rest.startswith(where):
                rest = rest[len(where):]
            if rest == "" or _label_fits(rest, figure, sentence, section):
                return True
    return False


# --- tables and where they sit --------------------------------------------------------------


@dataclass
class Table:
    rows: list[list[str]]
    """Cell texts, the header row first."""
    article: int | None = None
    """Index of the article the table sits in (after its title), None before the first one."""
    section: int | None = None
    """Index of the section within that article (after its heading), None before the first."""
    heading: str = ""
    """The last heading before the table, as printed."""


def _is_compare(table: Table, briefing: Briefing) -> bool:
    regions = {a.region for a in briefing.articles if a.region}
    return bool(table.rows) and any(squash(c) in regions for c in table.rows[0])


def split_tables(tables: Iterable[Table], briefing: Briefing) -> tuple[list[Table], list[Table]]:
    """(comparison tables, figure tables): a comparison table's header names regions."""
    tables = list(tables)
    return ([t for t in tables if _is_compare(t, briefing)], [t for t in tables if not _is_compare(t, briefing)])


class _Placer:
    """Follows article titles and section headings in page order, to place each table."""

    def __init__(self, briefing: Briefing) -> None:
        self.articles = briefing.articles
        self.article: int | None = None
        self.section: int | None = None
        self.last = ""

    def heading(self, text: str) -> None:
        """An article's title starts its lead (a lead may print no heading); a section heading
        starts its section; a heading matching no 小标题 (one the page lost) starts the next
        section without one."""
        text = squash(text)
        self.last = text
        following = self.articles[(self.article + 1 if self.article is not None else 0):]
        for offset, article in enumerate(following):
            title = squash(article.title)
            if title and text.endswith(title) and len(text) - len(title) <= 6:  # 一、 … 一百零一、
                self.article = (self.article + 1 if self.article is not None else 0) + offset
                sections = article.sections
                self.section = 0 if sections and sections[0].heading is None else None
                return
        if self.article is None:
            return
        sections = self.articles[self.article].sections
        for index, section in enumerate(sections):
            if section.heading is not None and text.endswith(squash(section.heading)):
                self.section = index
                return
        after = self.section + 1 if self.section is not None else 0
        unheaded = [i for i, s in enumerate(sections) if s.heading is None and i >= after]
        if text in LEAD_NAMES and sections and sections[0].heading is None:
            self.section = 0
        elif unheaded:
            self.section = unheaded[0]
        else:
            self.article = self.section = None  # a part of the briefing after the articles

    def table(self, rows: list[list[str]]) -> Table:
        return Table(rows, self.article, self.section, self.last)


class _HTMLTables(HTMLParser):
    def __init__(self, placer: _Placer) -> None:
        super().__init__()
        self.placer = placer
        self.tables: list[Table] = []
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.heading: list[str] | None = None
        self.body: list[str] | None = None
        self.paragraphs: list[tuple[int | None, int | None, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "p" and "body" in (dict(attrs).get("class") or "").split():
            self.body = []
        elif tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = []
        elif tag in ("h2", "h3"):
            self.heading = []

    def handle_endtag(self, tag):
        if tag == "p" and self.body is not None:
            self.paragraphs.append((self.placer.article, self.placer.section, "".join(self.body)))
            self.body = None
        elif tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.tables.append(self.placer.table(self.rows))
            self.rows = None
        elif tag in ("h2", "h3") and self.heading is not None:
            self.placer.heading("".join(self.heading))
            self.heading = None

    def handle_data(self, data):
        if self.body is not None:
            self.body.append(data)
        if self.cell is not None:
            self.cell.append(data)
        elif self.heading is not None:
            self.heading.append(data)


def html_tables(html: str, briefing: Briefing) -> list[Table]:
    parser = _HTMLTables(_Placer(briefing))
    parser.feed(html)
    return parser.tables


def html_body_paragraphs(html: str, briefing: Briefing) -> list[tuple[int | None, int | None, str]]:
    """(article index, section index, text) of every body paragraph, placed like the tables."""
    parser = _HTMLTables(_Placer(briefing))
    parser.feed(html)
    return parser.paragraphs


def check_body_sentences(paragraphs: list[tuple[int | None, int | None, str]], briefing: Briefing) -> int:
    """Every sentence printed in an article's section is a sentence of that section, verbatim
    but for the editor's 〔…〕 glosses. Returns the sentences checked."""
    from briefing.sentences import split_sentences

    count = 0
    for article, section, text in paragraphs:
        if article is None:
            continue
        assert section is not None, f"a body paragraph before any section: {text[:30]}"
        own = {squash(s) for p in briefing.articles[article].sections[section].paragraphs for s in p.sentences}
        for sentence in split_sentences(re.sub(r"〔[^〕]*〕", "", squash(text))):
            assert sentence in own, (f"{briefing.articles[article].region}, section {section}: "
                                     f"{sentence[:40]!r} is not one of its sentences")
            count += 1
    return count


def docx_tables(document, briefing: Briefing) -> list[Table]:  # type: ignore[no-untyped-def]
    """Tables of a python-docx Document, placed after the Heading 1/2 paragraphs before them."""
    placer = _Placer(briefing)
    tables = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            rows = [["\n".join(p.text for p in cell.paragraphs) for cell in row.cells] for row in block.rows]
            tables.append(placer.table(rows))
        elif block.style is not None and block.style.name.startswith("Heading"):
            placer.heading(block.text)
    return tables


# --- the checks ------------------------------------------------------------------------------


def check_compare_table(table: Table, briefing: Briefing) -> dict[int, int]:
    """Each region column: in article order, every filled cell one of its own article's figures.

    Returns the number of filled cells per article index (for non-vacuity checks)."""
    by_region = {a.region: i for i, a in enumerate(briefing.articles) if a.region}
    header = [squash(c) for c in table.rows[0]]
    columns = [(j, by_region[h]) for j, h in enumerate(header) if h in by_region]
    indices = [i for _j, i in columns]
    assert indices == sorted(set(indices)), f"region columns out of article order: {header}"
    filled = dict.fromkeys(indices, 0)
    for row in table.rows[1:]:
        for j, index in columns:
            cell = row[j] if j < len(row) else ""
            if squash(cell) in EMPTY_CELLS:
                continue
            article = briefing.articles[index]
            assert cell_in_article(cell, article), (
                f"the {header[j]} column shows {squash(cell)!r}: not one of {article.region}'s figures")
            filled[index] += 1
    return filled


def figure_pairs(table: Table) -> Iterator[tuple[str, str]]:
    """(label, value) per figure of a figure table: columns headed 指标 then 数据, else in twos."""
    header = [squash(c) for c in table.rows[0]]
    labels = [j for j, h in enumerate(header) if h == "指标" and j + 1 < len(header) and header[j + 1] == "数据"]
    if not labels:
        labels = list(range(0, len(header) - 1, 2))
    for row in table.rows[1:]:
        for j in labels:
            label, value = (row[j] if j < len(row) else ""), (row[j + 1] if j + 1 < len(row) else "")
            if squash(label) in EMPTY_CELLS and squash(value) in EMPTY_CELLS:
                continue
            yield label, value


def check_figure_table(table: Table, briefing: Briefing) -> int:
    """Every row pair is a figure of the section the table sits in. Returns the pairs checked."""
    assert table.article is not None and table.section is not None, f"a figure table outside any section: {table.rows}"
    article = briefing.articles[table.article]
    section = article.sections[table.section]
    count = 0
    for label, value in figure_pairs(table):
        assert pair_in_section(label, value, section), (
            f"{article.region or article.title} / {section_name(section)}: ({squash(label)}, {squash(value)}) "
            "is not one of this section's figures")
        count += 1
    return count


# --- PDF -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float


def pdf_words(path: Path) -> list[Word]:
    """Every word with its position, in the order the PDF draws them (``pdftotext -raw -bbox``)."""
    xhtml = subprocess.run(["pdftotext", "-raw", "-bbox", str(path), "-"], check=True, capture_output=True,
                           text=True, encoding="utf-8").stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml))
    words = []
    for number, page in enumerate(root.iter(f"{{{ns['x']}}}page"), start=1):
        for word in page.iter(f"{{{ns['x']}}}word"):
            words.append(Word(number, squash(word.text or ""), float(word.get("xMin")), float(word.get("yMin")),
                              float(word.get("xMax"))))
    return [w for w in words if w.text]


def pdf_compare_columns(words: list[Word], briefing: Briefing) -> list[tuple[int, list[str]]]:
    """The comparison tables' columns as printed: (article index, the words under its header).

    Read from the 主要数据对照 heading to the first article's title.
    A header line is a line of region names only; until the next one, each word belongs to the
    column whose header's centre is nearest (the columns have equal widths). It stops at the first
    article's title."""
    by_region = {a.region: i for i, a in enumerate(briefing.articles) if a.region}
    first_title = squash(briefing.articles[0].title)
    lines: dict[tuple[int, float], list[Word]] = {}
    order: list[tuple[int, float]] = []
    starts = [i for i, w in enumerate(words) if w.text == COMPARE_HEADING]
    for word in words[starts[0] + 1:] if starts else ():
        if first_title and word.text.endswith(first_title):
            break
        key = (word.page, round(word.y0))
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append(word)
    columns: list[tuple[int, list[str]]] = []
    current: list[tuple[float, list[str]]] = []
    started = False
    for key in order:
        line = lines[key]
        names = [w.text for w in line]
        if (any(n in by_region for n in names) and all(n in by_region or n in LABEL_HEADERS for n in names)
                and len(set(names)) == len(names)):
            started = True
            current = []
            for w in sorted(line, key=lambda w: w.x0):
                cells: list[str] = []
                if w.text in by_region:
                    columns.append((by_region[w.text], cells))
                current.append(((w.x0 + w.x1) / 2, cells))  # a label column's words go nowhere
            continue
        if not started:
            continue
        # Equal-width columns: a column runs halfway to its neighbours' centres. A cell's words
        # start at its left edge, so a word is placed by where it starts.
        bounds = [(a[0] + b[0]) / 2 for a, b in zip(current, current[1:])]
        for w in line:
            column = sum(w.x0 >= bound for bound in bounds)
            current[column][1].append(w.text)
    return columns


def check_pdf_figure_tables(words: list[Word], tables: list[Table]) -> int:
    """The PDF draws each figure table's pairs under its heading and header row, in order, each label
    immediately followed by its value, the value to the right of its label on the page."""
    text = ""
    owner: list[int] = []
    for index, word in enumerate(words):
        text += word.text
        owner.extend([index] * len(word.text))
    cursor = 0
    count = 0
    for table in tables:
        found = text.find(squash(table.heading), cursor)
        assert found >= 0, f"heading {table.heading!r} not found in the PDF after offset {cursor}"
        header = "".join(squash(c) for c in table.rows[0])
        found = text.find(header, found)
        assert found >= 0, f"{table.heading}: the figure table's header is not in the PDF"
        cursor = found + len(header)
        for label, value in figure_pairs(table):
            label, value = squash(label), squash(value)
            found = text.find(label + value, cursor)
            assert found >= 0, f"{table.heading}: ({label}, {value}) not printed as a pair in the PDF"
            label_word, value_word = words[owner[found]], words[owner[found + len(label)]]
            assert not label or label_word is value_word or value_word.page != label_word.page \
                or value_word.x0 > label_word.x0, (
                f"{table.heading}: {value} is printed left of its label {label}")
            cursor = found + len(label) + len(value)
            count += 1
    return count


def check_overview_lines(lines: list[str], briefing: Briefing) -> int:
    """Each 导读 line ``region：…`` holds only sentences of that region's own article, and every
    article with an overview has its line. Returns the lines checked."""
    from briefing.sentences import split_sentences

    by_region = {a.region: a for a in briefing.articles if a.region}
    seen = set()
    for line in lines:
        # 楚雄州：… or 楚雄州《title》：…; 〔…〕 is an editor's gloss, not source text.
        match = re.match(r"^(?P<region>[^《：]+)(?:《.*?》)?：(?P<rest>.+)$", squash(line))
        if not match or match["region"] not in by_region:
            continue
        region, rest = match["region"], re.sub(r"〔[^〕]*〕", "", match["rest"])
        article = by_region[region]
        own = {squash(s) for sec in article.sections for p in sec.paragraphs for s in p.sentences}
        for sentence in split_sentences(rest):
            assert squash(sentence) in own, f"the 导读 line of {region} shows {sentence!r}, not from its article"
        seen.add(region)
    expected = {a.region for a in briefing.articles if a.region and a.overview}
    assert seen == expected, f"导读 lines for {sorted(seen)}, articles with an overview: {sorted(expected)}"
    return len(seen)

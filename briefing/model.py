"""The one document model that flows through read → summarise → render.

Every piece of text carries the source line it came from, so that any sentence or figure in the
briefing can be traced back to its place in the seed file, and so that a test can prove that
nothing was lost (see `Article.source_pieces`).

All records are frozen: a stage returns a new model (``dataclasses.replace``) instead of
mutating the one it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One body paragraph, after page/column-break repair."""

    text: str
    """The repaired text: the pieces of a broken paragraph joined, inner whitespace folded."""
    sentences: tuple[str, ...]
    """`text` cut at 。！？…… with closing quotes kept; ``"".join(sentences) == text``."""
    lines: tuple[int, ...]
    """1-based source lines the paragraph was assembled from (more than one when it was repaired)."""


@dataclass(frozen=True, slots=True)
class Caption:
    """A photo caption or credit that sat in the text flow; kept, but out of the body."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class KeySentence:
    """A sentence chosen by the summariser, verbatim, with its place in the section."""

    text: str
    paragraph: int
    """0-based paragraph index within the section."""
    sentence: int
    """0-based sentence index within that paragraph."""
    score: float = 0.0
    """The model's probability that an editor picks this sentence."""
    reasons: tuple[tuple[str, float], ...] = ()
    """The signals that chose it, with their weight in the score, strongest first."""
    id: str = ""
    """Stable id (`ids.sentence_ids`), what ``[picks]`` in briefing.toml names."""
    pinned: bool = False
    """An editor pinned it (``[picks] pin``): in whatever its score."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity with its unit and what it counts, e.g. ``授信17.6亿元``."""

    text: str
    """The quantity as printed, e.g. ``17.6亿元`` or ``1.3万余户``."""
    value: float
    """Numeric value with 万/亿 applied: ``1.3万余户`` → 13000."""
    approx: bool
    """True for 余/多/近/超/约/左右 and the like."""
    unit: str
    """Unit or measure word: ``元``, ``户``, ``个``, ``%``, ``个百分点``."""
    label: str
    """Short label of what is counted, taken from the sentence: ``新增市场主体``."""
    paragraph: int = 0
    sentence: int = 0
    start: int = 0
    """Character offset of `text` within its sentence."""
    id: str = ""
    """Stable id (`ids.figure_ids`), what ``[picks]`` in briefing.toml names."""
    pinned: bool = False
    """An editor pinned it (``[picks] pin``): shown whatever its rank."""


@dataclass(frozen=True, slots=True)
class Section:
    """A run of paragraphs under one 小标题 (or the lead, with no heading)."""

    heading: str | None
    heading_line: int | None
    paragraphs: tuple[Paragraph, ...]
    key_sentences: tuple[KeySentence, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True, slots=True)
class OverviewSentence:
    """A sentence picked for the briefing's 导读, with its section index."""

    text: str
    section: int
    paragraph: int
    sentence: int
    id: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """One newspaper article as printed, with its header lines and sections."""

    source: str
    """Path of the seed file, as given (e.g. ``seeds/x.txt``)."""
    title: str
    title_lines: tuple[int, ...] = ()
    kicker: str | None = None
    """引题: a line printed above the title by some papers."""
    subtitle: str | None = None
    """副题: the line starting with ``——`` under the title, as printed."""
    dateline: str | None = None
    """A source/dateline line such as ``《人民日报》（2025年01月09日第 18 版）``, as printed."""
    paper: str | None = None
    """The newspaper the article appeared in, without 《》: ``人民日报`` (from the dateline,
    a front-matter block or the page's metadata)."""
    date: str | None = None
    """Publication date as YYYY-MM-DD, when the source says it."""
    page: str | None = None
    """The printed page (版次), e.g. ``18`` for 第18版."""
    url: str | None = None
    """Where the article was read from, when it came from (or names) a web address."""
    byline: str | None = None
    region: str | None = None
    """The prefecture/city the article is about, found in the subtitle or title (``楚雄州``)."""
    editor_note: str | None = None
    """An 编者按 printed with the article, signature included."""
    panel_label: str | None = None
    """A panel piece's guest-list label as printed: ``对话嘉宾：``."""
    guests: tuple[str, ...] = ()
    """The guests listed under `panel_label`, one per line as printed: ``刘文涛 全国政协委员、…``."""
    captions: tuple[Caption, ...] = ()
    trailers: tuple[str, ...] = ()
    """Closing credit lines: ``数据来源：…``, ``（责任编辑：…）``."""
    notes: tuple[str, ...] = ()
    """What the reader could not repair, in plain words for the briefing (a truncated passage)."""
    sections: tuple[Section, ...] = ()
    overview: tuple[OverviewSentence, ...] = ()
    decided: tuple[str, ...] = ()
    """The ids of an editor's decisions (``[picks]``) that name a sentence or figure of this
    article: applied to it (the summariser fills this in)."""
    header_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """Source line of each header field (``subtitle``, ``byline``…), for traceability."""

    def source_pieces(self) -> list[tuple[int, str]]:
        """Every piece of text the article holds outside its captions, as (first line, text).

        In source order. With the caption lines taken out of the file, concatenating these
        texts gives back every non-whitespace character of the article's part of the file, in
        order: the reader's losslessness promise. (A caption can sit between the two halves
        of a repaired paragraph, so captions are checked line by line instead.)
        """
        pieces: list[tuple[int, str]] = []
        # A byline comes before a dateline glued to its line (``本报记者 张三《人民日报》（…）``).
        for name in ("kicker", "subtitle", "byline", "dateline", "editor_note", "panel_label"):
            value = getattr(self, name)
            if value is not None:
                pieces.append((self.header_lines[name], value))
        if self.title:
            pieces.append((self.title_lines[0], self.title))
        for i, text in enumerate(self.guests):
            pieces.append((self.header_lines[f"guest{i}"], text))
        for i, text in enumerate(self.trailers):
            pieces.append((self.header_lines[f"trailer{i}"], text))
        for section in self.sections:
            if section.heading is not None and section.heading_line is not None:
                pieces.append((section.heading_line, section.heading))
            pieces.extend((p.lines[0], p.text) for p in section.paragraphs)
        return sorted(pieces, key=lambda piece: piece[0])


@dataclass(frozen=True, slots=True)
class Briefing:
    """The whole briefing: its settings and the articles it is made from."""

    title: str
    date: str
    """YYYY-MM-DD."""
    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    printed: Briefing | None = None
    """What the paged documents print, when a page budget left picks out (`render.budget`):
    the same briefing with fewer key sentences and figures. The JSON keeps every pick and
    marks those not printed; the PDF, DOCX and HTML print this one."""

    def as_printed(self) -> Briefing:
        return self.printed or self

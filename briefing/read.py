"""Plain text → articles: the reading stage.

In: the text of one seed file (already decoded and cleaned, see `decode`).
Out: `Article` records with header fields, sections, paragraphs and sentences.

The text comes from printed pages, so the reader repairs what the page layout broke:

- a paragraph cut by a page or column break continues in the next block
  (``…中心组学习研讨、委员`` + ``讲堂专家辅导…``), and is joined back;
- a photo caption dropped between the two halves of such a paragraph is lifted out
  into `Article.captions` and the halves are joined around it;
- text that starts mid-sentence after a caption (a lost heading and lead) is kept as it is,
  with a note on the article so the briefing can say so.

Every non-whitespace character of the input ends up in exactly one field (see
`Article.source_pieces`); nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Article, Caption, Paragraph, Section
from .sentences import ends_sentence, split_sentences

# --- line shapes -------------------------------------------------------------------------

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_NAME = f"[{_CJK}·•]{{2,5}}"
_BYLINE = re.compile(
    r"^(?:[（(])?(?:本报|新华社|人民日报|中新社|本刊|本台|光明日报|经济日报)?"
    r"(?:特约|见习|实习|摄影)?(?:记者|通讯员|评论员|实习生|特约撰稿人|撰稿)"
    rf"[\s:：]*{_NAME}"
    r"|^(?:文|图|文/图|文／图|图/文|图／文|作者|撰文|摄影)[\s:：／/]+" + _NAME
)
_SIGNATURE = re.compile(r"^[—－\-]{1,2}\s*(?:编\s*者|本报编辑部|编辑部|本刊编辑部)$")
_DATELINE = re.compile(
    r"^(?:《[^》]{2,20}》|[^\s，。]{2,10}报)\s*[（(]?\s*\d{4}\s*(?:年|[-./])\s*\d{1,2}\s*(?:月|[-./])"
    r"\s*\d{1,2}\s*日?[^。！？]{0,20}[)）]?$"
)
_TRAILER = re.compile(
    r"^[（(【]?\s*(?:数据来源|资料来源|图片来源|信息来源|来源|责任编辑|责编|编辑|校对|审核|"
    r"审校|统筹|策划|本版编辑|版式设计|制图|美编|供图|本版图片)\s*[:：]"
)
_EDITOR_NOTE = re.compile(r"^[【\[（(]?\s*编者按\s*[】\]）)]?\s*[:：]?")
_CREDIT = re.compile(
    rf"(?:记者|通讯员|摄影|图)?\s*{_NAME}\s*摄\s*[)）]?$"
    r"|^[（(]?(?:图为|上图|下图|左图|右图|图一|图二|图\d|图[:：]|▲|△|■)"
    r"|(?:供图|图片由.{1,20}提供|资料图片|摄影[:：])[)）]?$"
)
_DATE_LEAD = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日[，,]")
_NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[、.．])")

_SENTENCE_MARKS = "。！？；;!?"
_CLAUSE_MARKS = "，,、；;：:。！？!?”」』）)"
_OPEN_ENDINGS = ("，", ",", "、", "“", "（", "(", "《", "「", "『", "——", "—")
# A paragraph that ends like this means to: it introduces a list or a quotation.
_INTRO_ENDINGS = ("：", ":", "——")
# Clause openers that stand alone before a comma at the start of a real sentence.
_OPENERS = frozenset(
    "同时 此外 对此 其中 为此 因此 然而 但是 另外 首先 其次 再次 最后 目前 如今 当前 近日 日前 今年"
    " 去年 此前 随后 据悉 可见 总之 同样 当然 不过 于是 例如 比如 另一方面 一方面 与此同时 会上 会后"
    " 当天 次日 近年 近期 今后 以往 过去 现在 从此 届时 由此 综上 据了解 据介绍 据统计 记者了解到".split()
)
_OPENER_ENDS = tuple("来中后前时里间年月日天期上下外此然且而以")

# A heading is a short line; two-line headings are two even shorter lines.
MAX_HEADING = 32
MAX_HEADING_PART = 18
MAX_TITLE = 48
MAX_CAPTION = 90


def _length(text: str) -> int:
    return len(text.replace(" ", ""))


def _has_sentence_mark(text: str) -> bool:
    return any(mark in text for mark in _SENTENCE_MARKS)


def is_byline(text: str) -> bool:
    """``本报记者 吕金平 通讯员 李茜茜``, ``记者 张三``, ``文/图 李四``, ``——编  者``."""
    if _SIGNATURE.match(text):
        return True
    return (
        _length(text) <= 60
        and not _has_sentence_mark(text)
        and "，" not in text
        and bool(_BYLINE.match(text))
    )


def is_subtitle(text: str) -> bool:
    """``——云南省楚雄州政协打造…纪实``: a dash line that is not an editor's signature."""
    return (
        text.startswith(("——", "──", "--", "—"))
        and not _SIGNATURE.match(text)
        and _length(text.lstrip("—─- ")) >= 4
        and _length(text) <= 80
        and not text.rstrip().endswith("。")
    )


def is_dateline(text: str) -> bool:
    """``《人民日报》（2025年01月09日第 18 版）`` or ``人民政协报 2023-01-05``."""
    return bool(_DATELINE.match(text))


def is_trailer(text: str) -> bool:
    """``数据来源：…``, ``（责任编辑：…）``: credits printed after the article."""
    return _length(text) <= 120 and bool(_TRAILER.match(text))


def is_credit_caption(text: str) -> bool:
    """A caption that says it is one: a photographer credit, ``图为…``, ``…供图``."""
    return _length(text) <= MAX_CAPTION and bool(_CREDIT.search(text)) and not is_byline(text)


def is_heading_like(text: str) -> bool:
    """Short, no sentence punctuation, not ending open: could be a 小标题 (or a title)."""
    limit = MAX_HEADING + 8 if _NUMBERED_HEADING.match(text) else MAX_HEADING
    return (
        2 <= _length(text) <= limit
        and not _has_sentence_mark(text)
        and not text.endswith(_OPEN_ENDINGS + _INTRO_ENDINGS)
        and text.count("，") <= 1
        and not is_byline(text)
        and not is_trailer(text)
        and not is_credit_caption(text)
    )


def is_title_like(text: str) -> bool:
    """A title may be longer than a heading and may end with ！ or ？."""
    body = text.rstrip("！？!?")
    return (
        2 <= _length(text) <= MAX_TITLE
        and not _has_sentence_mark(body)
        and not body.endswith(("，", "、", "："))
        and not is_byline(text)
        and not is_subtitle(text)
        and not is_dateline(text)
    )


def starts_mid_sentence(text: str) -> bool:
    """True when `text` opens with a fragment: ``伸，让群众…``, ``层”、委员…``, ``各方面，忠诚…``.

    Signals: a leading clause mark, or a first clause of at most three characters that is
    not one of the adverbials a sentence really opens with (``同时，`` ``一年来，`` ``4月，``).
    """
    if not text or text[0] in _CLAUSE_MARKS or text[0] in "…—":
        return True
    match = re.match(f"[^{re.escape(_CLAUSE_MARKS)}]*", text)
    clause = match.group(0) if match else text
    if len(clause) == len(text) or len(clause) > 3:
        return False
    if clause in _OPENERS or clause.endswith(_OPENER_ENDS) or any(c.isdigit() for c in clause):
        return False
    return not clause.startswith(("在", "据", "对", "从", "为", "随", "自", "经", "截"))


# --- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """One non-empty source line, whitespace folded."""

    line: int
    text: str


def to_blocks(text: str) -> list[Block]:
    """Split cleaned text into non-empty lines, numbered from 1, inner spaces folded."""
    blocks = []
    for number, raw in enumerate(text.split("\n"), start=1):
        folded = " ".join(raw.split())
        if folded:
            blocks.append(Block(number, folded))
    return blocks


# --- articles ----------------------------------------------------------------------------


def read_articles(text: str, source: str) -> list[Article]:
    """Read the cleaned text of one file into articles, in file order."""
    blocks = to_blocks(text)
    if not blocks:
        return []
    starts = _article_starts(blocks)
    articles = []
    for begin, end in zip(starts, starts[1:] + [len(blocks)]):
        articles.append(_read_article(blocks[begin:end], source))
    return articles


def _is_anchor(text: str) -> bool:
    return is_subtitle(text) or is_dateline(text) or (is_byline(text) and not _SIGNATURE.match(text))


def _article_starts(blocks: list[Block]) -> list[int]:
    """Indices of the blocks that open an article: its kicker or title, else the file start.

    An article is recognised by its header: one or two title-like lines followed, within a
    few lines, by a subtitle (``——…``), a dateline or a byline.
    """
    starts = [0]
    i = 1
    while i < len(blocks):
        if _is_anchor(blocks[i].text) and not _is_anchor(blocks[i - 1].text):
            begin = i
            # Walk back over at most two title-like lines (kicker and title); a line that
            # ends a sentence belongs to the previous article.
            while begin > 0 and i - begin < 2 and is_title_like(blocks[begin - 1].text):
                begin -= 1
            if begin < i and begin > starts[-1] + 1:
                starts.append(begin)
        i += 1
    return starts


def _read_article(blocks: list[Block], source: str) -> Article:
    header, body_start = _read_header(blocks)
    body = blocks[body_start:]
    sections, captions, trailers, notes, editor = _read_body(body, header)
    fields = dict(header)
    lines: dict[str, int] = fields.pop("_lines")  # type: ignore[assignment]
    if editor is not None:
        fields["editor_note"] = editor[1]
        lines["editor_note"] = editor[0]
    for i, trailer in enumerate(trailers):
        lines[f"trailer{i}"] = trailer.line
    title = fields.pop("title", None)
    title_line = lines.get("title")
    if not title:
        notes = ["未识别到文章标题。", *notes]
    region = find_region(fields.get("subtitle"), title, sections)
    return Article(
        source=source,
        title=title or "",
        title_lines=(title_line,) if title_line else (),
        kicker=fields.get("kicker"),
        subtitle=fields.get("subtitle"),
        dateline=fields.get("dateline"),
        byline=fields.get("byline"),
        region=region,
        editor_note=fields.get("editor_note"),
        captions=tuple(captions),
        trailers=tuple(t.text for t in trailers),
        notes=tuple(notes),
        sections=tuple(sections),
        header_lines=lines,
    )


def _read_header(blocks: list[Block]) -> tuple[dict[str, object], int]:
    """Take kicker, title, subtitle, dateline and byline from the top of an article.

    Returns the fields found (with their lines under ``_lines``) and where the body starts.
    """
    found: dict[str, object] = {}
    lines: dict[str, int] = {}
    found["_lines"] = lines
    i = 0

    def take(name: str, block: Block) -> None:
        found[name] = block.text
        lines[name] = block.line

    # Leading datelines (some sites print the paper and date above the title).
    while i < len(blocks) and is_dateline(blocks[i].text) and "dateline" not in found:
        take("dateline", blocks[i])
        i += 1
    titles: list[Block] = []
    while (
        i < len(blocks)
        and len(titles) < 2
        and is_title_like(blocks[i].text)
        and not _is_anchor(blocks[i].text)
    ):
        titles.append(blocks[i])
        i += 1
    anchor_follows = i < len(blocks) and _is_anchor(blocks[i].text)
    if len(titles) == 2 and not anchor_follows:
        # Title followed by a heading-like first line of the body: keep the first only.
        i -= 1
        titles.pop()
    if len(titles) == 2:
        take("kicker", titles[0])
        take("title", titles[1])
    elif titles:
        take("title", titles[0])
    # The header's tail: subtitle, dateline, byline, in any order, at most once each.
    while i < len(blocks):
        text = blocks[i].text
        if is_subtitle(text) and "subtitle" not in found and "byline" not in found:
            take("subtitle", blocks[i])
        elif is_dateline(text) and "dateline" not in found:
            take("dateline", blocks[i])
        elif is_byline(text) and not _SIGNATURE.match(text) and "byline" not in found:
            take("byline", blocks[i])
        else:
            break
        i += 1
    return found, i


# --- body --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """A paragraph being assembled from the pieces of a broken block."""

    pieces: list[Block]

    @property
    def text(self) -> str:
        return _join([b.text for b in self.pieces])


def _join(parts: list[str]) -> str:
    """Join the halves of a broken paragraph: no space between CJK, one between Latin words."""
    text = parts[0]
    for part in parts[1:]:
        if text and part and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            text += " " + part
        else:
            text += part
    return text


def _is_cut(text: str) -> bool:
    """A block that stops mid-sentence: no end mark and not a deliberate intro (``：``/``——``)."""
    return not ends_sentence(text) and not text.endswith(_INTRO_ENDINGS)


def _read_body(
    body: list[Block], header: dict[str, object]
) -> tuple[list[Section], list[Caption], list[Block], list[str], tuple[int, str] | None]:
    """Blocks after the header → sections, captions, trailers, notes and an editor's note."""
    # Join broken paragraphs only where the text uses sentence punctuation at all: in a text
    # without it every line would look "cut" and the whole file would become one paragraph.
    punctuated = sum(1 for b in body if ends_sentence(b.text)) >= max(1, len(body) // 5)
    trailers: list[Block] = []
    # Trailers stand at the very end.
    while body and is_trailer(body[-1].text):
        trailers.insert(0, body.pop())

    captions: list[Caption] = []
    notes: list[str] = []
    sections: list[Section] = []
    heading: Block | None = None
    paragraphs: list[Paragraph] = []
    editor: tuple[int, str] | None = None
    open_para: _Open | None = None

    def close_paragraph() -> None:
        nonlocal open_para
        if open_para is not None:
            text = open_para.text
            paragraphs.append(
                Paragraph(text, tuple(split_sentences(text)), tuple(b.line for b in open_para.pieces))
            )
            open_para = None

    def close_section() -> None:
        nonlocal paragraphs
        close_paragraph()
        if heading is not None or paragraphs:
            sections.append(
                Section(
                    heading.text if heading else None,
                    heading.line if heading else None,
                    tuple(paragraphs),
                )
            )
        paragraphs = []

    def text_at(j: int) -> str:
        return body[j].text if 0 <= j < len(body) else ""

    i = 0
    while i < len(body):
        block = body[i]
        text = block.text
        nxt, after = text_at(i + 1), text_at(i + 2)

        # An editor's signature closes an editor's note made of the lead paragraphs so far.
        if _SIGNATURE.match(text):
            close_paragraph()
            if heading is None and paragraphs and "byline" in header:
                first_line = paragraphs[0].lines[0]
                note = "".join(p.text for p in paragraphs) + text
                editor = (first_line, note)
                paragraphs = []
            elif "byline" not in header:
                header["byline"] = text
                header["_lines"]["byline"] = block.line  # type: ignore[index]
            else:
                paragraphs.append(Paragraph(text, (text,), (block.line,)))
            i += 1
            continue

        if open_para is not None:
            # Inside a broken paragraph: lift out a caption dropped between its halves, then
            # join the continuation.
            if is_credit_caption(text) or (
                nxt
                and not _has_sentence_mark(text)
                and _length(text) <= MAX_CAPTION
                and not text.endswith(_OPEN_ENDINGS)
                and (starts_mid_sentence(nxt) or _length(text) > MAX_HEADING)
            ):
                captions.append(Caption(text, block.line))
                i += 1
                continue
            if is_heading_like(text) and nxt and not starts_mid_sentence(text) and not _is_cut(nxt):
                # A real heading after a paragraph that simply lacks its end mark.
                close_paragraph()
            else:
                open_para.pieces.append(block)
                if not _is_cut(text):
                    close_paragraph()
                i += 1
                continue

        if is_credit_caption(text):
            captions.append(Caption(text, block.line))
            i += 1
            continue

        # A dated one-sentence line followed by a fragment: a photo caption over torn text.
        if (
            _DATE_LEAD.match(text)
            and len(split_sentences(text)) == 1
            and _length(text) <= 60
            and nxt
            and starts_mid_sentence(nxt)
        ):
            captions.append(Caption(text, block.line))
            i += 1
            continue

        if _is_heading_here(text, nxt, after):
            if _is_two_line_heading(text, nxt, after):
                close_section()
                heading = Block(block.line, f"{text} {nxt}")
                i += 2
                continue
            close_section()
            heading = block
            i += 1
            continue

        if starts_mid_sentence(text) and (not paragraphs and heading is None or _follows_caption(body, i, captions)):
            snippet = re.split("[“”「」《》]", text[:10])[0]
            notes.append(f"原文在“{snippet}…”之前似有文字缺失（排版时丢失），此处照录原文，未作补写。")

        close_paragraph()
        open_para = _Open([block])
        if not (punctuated and _is_cut(text) and nxt):
            close_paragraph()
        i += 1

    close_section()
    return sections, captions, trailers, notes, editor


def _follows_caption(body: list[Block], i: int, captions: list[Caption]) -> bool:
    return i > 0 and bool(captions) and captions[-1].line == body[i - 1].line


def _is_heading_here(text: str, nxt: str, after: str) -> bool:
    """A heading-like line that opens a section: body text (or a second heading line) follows."""
    if not is_heading_like(text) or not nxt:
        return False
    if _is_two_line_heading(text, nxt, after):
        return True
    return not is_heading_like(nxt) or _length(nxt) > MAX_HEADING


def _is_two_line_heading(text: str, nxt: str, after: str) -> bool:
    """``完善配套政策`` / ``提供可持续发展模式``: two short heading lines, then body text."""
    return (
        _length(text) <= MAX_HEADING_PART
        and _length(nxt) <= MAX_HEADING_PART
        and " " not in text
        and " " not in nxt
        and is_heading_like(nxt)
        and bool(after)
        and not is_heading_like(after)
    )


# --- region ------------------------------------------------------------------------------

_PLACE = re.compile(
    rf"((?:[{_CJK}]{{2,3}}省|[{_CJK}]{{2,6}}自治区)?"
    rf"[{_CJK}]{{2,12}}?(?:自治州|自治县|自治旗|地区|州|市|县|区|盟|旗))"
    r"(?=政协|委员会|党委|人民政府|政府|人大|纪委|委|人民)"
)
_PROVINCE_PREFIX = re.compile(rf"^(?:[{_CJK}]{{2,3}}省|[{_CJK}]{{2,6}}自治区)")


def find_region(subtitle: str | None, title: str | None, sections: list[Section]) -> str | None:
    """The prefecture or city an article is about: ``云南省楚雄州政协`` → ``楚雄州``.

    Looked for in the subtitle, then the title, then the lead paragraph: the first place name
    followed by an institution (政协, 党委, 政府…), with its province prefix removed.
    """
    candidates = [subtitle or "", title or ""]
    if sections and sections[0].paragraphs:
        candidates.append(sections[0].paragraphs[0].text)
    for text in candidates:
        text = text.lstrip("—─- ")
        if text.startswith("记"):
            text = text[1:]
        match = _PLACE.search(text)
        if match:
            name = _PROVINCE_PREFIX.sub("", match.group(1)) or match.group(1)
            if len(name) >= 2:
                return name
    return None

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

It also tells apart the lines a page prints around the text: photo captions and their credits
(``图①：…`` / ``新华社记者 张三摄``), headings printed over two lines (joined), a dateline on its own
line or glued to the byline (read into paper, date and page), ``本报讯（记者 …）`` bylines, and a
panel piece's guest list (``对话嘉宾：`` + ``姓名 职务`` lines), ``【现象】`` blocks and speaker turns.

Every non-whitespace character of the input ends up in exactly one field (see
`Article.source_pieces`); nothing is dropped.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass

from .model import Article, Caption, Paragraph, Section
from .sentences import ends_sentence, split_sentences

# --- line shapes -------------------------------------------------------------------------

_CJK = "\u3400-\u9fff\uf900-\ufaff"
# A personal name: 2–5 characters; two-character names are often printed with a space
# between them (``本报记者 朱 磊``, ``（沈 涛 摄）``).
_NAME = f"(?:[{_CJK}]{{1,6}}[·•][{_CJK}]{{1,8}}|[{_CJK}·•](?: ?[{_CJK}·•]){{1,4}})"
# Who wrote it: 本报记者, 新华社记者, 湖南日报全媒体记者, 本报通讯员, 特约撰稿人…
_REPORTER = (
    r"(?:本报|本報|新华社|新華社|中新社|本刊|本台|[\u3400-\u9fff]{2,8}?(?:日报|日報|报社|报|報|台|网|新闻|传媒|融媒体中心)"
    r"(?:·[\u3400-\u9fff]{2,8}?(?:网|报|台|客户端))?)?"
    r"(?:全媒体|融媒体|首席|驻[\u3400-\u9fff]{1,4})?"
    r"(?:特约|特約|见习|見習|实习|實習|摄影|攝影)?"
    r"(?:记者|記者|通讯员|通訊員|评论员|評論員|实习生|實習生|特约撰稿人|撰稿)"
)
_BYLINE = re.compile(
    # Traditional-script forms too (本報記者, 通訊員): such files are read as they are.
    # Some papers set a mark before it: ``□本报记者 张三``.
    # ``记者手记`` and the like are section headings, not a reporter called 手记.
    rf"^[□■◎●○◆]?\s*(?:[（(])?{_REPORTER}(?!手记|观察|调查|感言|札记|随笔|探访|走访|追踪|体验|笔记|感悟)[\s:：]*{_NAME}"
    r"|^[□■◎●○◆]?\s*(?:文|图|文/图|文／图|图/文|图／文|作者|撰文|摄影)[\s:：／/|｜]+" + _NAME
)
# ``本报讯（记者 张三 通讯员 李四）12月18日，…``: a byline glued to the lead paragraph.
_NEWS_BYLINE = re.compile(
    rf"^(?:本报|本報|新华社|新華社|中新社|[\u3400-\u9fff]{{2,8}}?(?:日报|报|网))[\u3400-\u9fff\d]{{0,12}}?[讯訊电電]\s*"
    rf"[（(]\s*{_REPORTER}[^（()）]{{2,40}}[)）]"
)
_SIGNATURE = re.compile(r"^[—－\-]{1,2}\s*(?:编\s*者|本报编辑部|编辑部|本刊编辑部)$")
# ``《人民日报》（2025年01月09日第 18 版）``, ``人民政协报 2023-01-05``, ``农民日报·中国农网 2024-07-05``,
# ``来源：人民日报 2025-01-09``, ``2024年03月21日 人民政协报``.
_SOURCE_PREFIX = r"(?:(?:来源|稿源|出处)\s*[:：]\s*)?"
_PAPER = (
    r"(?:《(?P<quoted>[^》]{2,20})》"
    r"|(?P<paper>[^\s，。《》·•]{2,10}(?:报|報|报海外版|网))(?:[·•][^\s，。《》]{2,10})?)"
)
_DATE = r"(?P<year>\d{4})\s*(?:年|[-./])\s*(?P<month>\d{1,2})\s*(?:月|[-./])\s*(?P<day>\d{1,2})\s*日?"
_DATELINES = (
    re.compile(rf"{_SOURCE_PREFIX}{_PAPER}\s*[（(]?\s*{_DATE}(?P<rest>[^。！？]{{0,20}}?)[)）]?$"),
    re.compile(rf"{_SOURCE_PREFIX}{_DATE}\s*{_PAPER}(?P<rest>[^。！？]{{0,20}}?)$"),
)
_YEAR = re.compile(r"\d{4}")
_PAGE = re.compile(r"第?\s*0*(\d{1,3})\s*版")
_TRAILER = re.compile(
    r"^[（(【]?\s*(?:数据来源|资料来源|图片来源|信息来源|来源|责任编辑|责编|编辑|校对|审核|"
    r"审校|统筹|策划|本版编辑|本版责编|本版主编|本版统筹|本版策划|版式设计|制图|美编|供图|本版图片)\s*[:：]"
    # ``（作者系某某大学教授）``: who the author is, under a commentary.
    r"|^[（(]\s*作者(?:系|为|单位)"
)
# A panel piece's guest list: ``对话嘉宾：`` then ``刘文涛  全国政协委员、…`` lines (or the first
# guest on the label's line).
_PANEL_LABEL = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}嘉宾|对话人|对话委员|参与讨论的委员)\s*[:：]")
# A panel's block label glued to its first paragraph: ``【现象】近年来，…``.
_BLOCK_LABEL = re.compile(r"^【(?!编者按|编者)[\u4e00-\u9fff]{2,6}】(?=.*[。！？])")
# What a guest or a speaker is: ``全国政协委员``, ``…学院院长``, ``…企业董事长``.
_ROLE = (
    "委员|常委|主席|教授|院长|会长|局长|书记|主任|董事长|总经理|研究员|经理|校长|专家|代表|负责人|理事长"
    "|秘书长|所长|部长|市长|县长|区长|镇长|工程师|医生|医师|律师|处长|总裁|创始人|馆长|社长|总编|学者|教师"
    "|博士|主委|厂长|站长|队长|老师|总监|院士|讲师|企业家|科学家|作家|艺术家|志愿者"
)
# A speaker's turn in a panel or interview: ``刘文涛：…``, ``全国政协委员、某某大学校长张三：…``,
# ``记者：…``; alone on its line, the label goes with the turn that follows.
_SPEAKER = re.compile(
    rf"^(?:(?:[^，。！？:：\s]{{0,24}}?(?:{_ROLE})[、，]?)?{_NAME}(?:[（(][^（()）]{{1,40}}[)）])?"
    r"|记者|本报记者|主持人|问|答)\s*[:：]"
)
# A guest line: the name, then who the guest is, or the other way round. Titles end in a few
# characters: 院长 导师 委员 负责人 专家 学者 代表 主席 院士 书记 总监 总裁 主编 经理 主任 教授 博导…
_TITLE_END = "[长师员人家者表席士记委监裁编理官匠手任授导]"
_GUEST = re.compile(rf"^{_NAME}\s*(?:\s|[（(:：]).*{_TITLE_END}[)）]?$|{_TITLE_END}\s+{_NAME}$")
_EDITOR_NOTE = re.compile(r"^[【\[（(]?\s*编者按\s*[】\]）)]?\s*[:：]?")
# Picture numbers as papers print them: 图① 图②③ 图1 图一.
_PICTURE = r"图(?:[\u2460-\u2473\u2776-\u277f\u24f5-\u24fe]+|\d{1,2}|[一二三四五六七八九十]{1,2})"
_AGENCY = r"(?:[（(][^（()）]{2,14}[)）])"
# Who took or gave the picture, at the end of a line: ``新华社记者 张三摄``, ``张三 李四摄（人民视觉）``,
# ``…参观。本报记者 张三摄``, ``…供图``, ``图片由…提供``, ``（资料图片）``, ``（新华社发）``, ``本版图片…``.
_PHOTO_CREDIT = re.compile(
    rf"(?:^|[\s（(。！？，])(?:[{_CJK}]{{0,10}}?(?:记者|通讯员|摄影|图))?\s*{_NAME}(?:[\s、]{_NAME})*"
    rf"\s*[/／]?\s*摄(?:影)?\s*[)）]?\s*{_AGENCY}?$"
    r"|(?:供图|图片由.{1,20}提供|资料图片|照片由.{1,20}提供|摄影[:：].{1,12}|新华社发|人民视觉|视觉中国)[)）]?$"
    r"|^[（(]?(?:本版图片|本版照片|本版摄影)"
)
# Every credit holds one of these; most lines hold none, and the search above is slow on prose.
_CREDIT_KEYS = ("摄", "图", "供", "视觉", "新华社发", "照片")


def _is_photo_credit(text: str) -> bool:
    return any(key in text for key in _CREDIT_KEYS) and bool(_PHOTO_CREDIT.search(text))


# A caption that says it is one: ``图为…`` ``图①：…`` ``▲…``; ``■`` opens a caption sentence, but
# also a panel's short subheads (``■ 现象``).
_CAPTION_LABEL = re.compile(rf"^[（(]?(?:图为|上图|下图|左图|右图|{_PICTURE}|图[:：]|▲|△|■(?=.*[。！？]))")
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
# …and times of day and seasons: ``盛夏，`` ``清晨，`` ``隆冬，``.
_OPENER_ENDS = tuple("来中后前时里间年月日天期上下外此然且而以春夏秋冬晨晚夜午")

# A heading is a short line; two-line headings are two even shorter lines.
MAX_HEADING = 32
MAX_HEADING_PART = 18
MAX_HEADING_FIRST = 24
MAX_TITLE = 48
MAX_MARKED_HEADING = 60
"""A line the document styles as a heading is one up to this long (a longer one is a paragraph
someone styled by mistake)."""
MAX_CAPTION = 90
MAX_LABELLED_CAPTION = 160
MAX_CAPTION_SENTENCE = 70
MAX_GUEST = 80
MAX_BYLINE_DATELINE = 100


def _length(text: str) -> int:
    return len(text.replace(" ", ""))


def _has_sentence_mark(text: str) -> bool:
    return any(mark in text for mark in _SENTENCE_MARKS)


def is_byline(text: str) -> bool:
    """``本报记者 吕金平 通讯员 李茜茜``, ``记者 张三``, ``文/图 李四``, ``——编  者``; also with a
    dateline glued on (see `split_byline_dateline`)."""
    if _SIGNATURE.match(text):
        return True
    return _is_plain_byline(text) or split_byline_dateline(text) is not None


def _is_plain_byline(text: str) -> bool:
    return (
        _length(text) <= 60
        and not _has_sentence_mark(text)
        and "，" not in text
        and bool(_BYLINE.match(text))
        # ``新华社记者 张三摄`` credits a photo, not the article
        and not (_is_photo_credit(text) or _CAPTION_LABEL.match(text))
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
    return _match_dateline(text) is not None


def _match_dateline(text: str) -> re.Match[str] | None:
    return next((match for form in _DATELINES if (match := form.match(text))), None)


@dataclass(frozen=True, slots=True)
class Dateline:
    """What a dateline says: ``《人民日报》（2025年01月09日第 18 版）`` → 人民日报, 2025-01-09, 18."""

    paper: str
    date: str | None
    """YYYY-MM-DD; None when the printed date is not a real day."""
    page: str | None
    """The page number without leading zeros (第 05 版 → ``5``)."""


def parse_dateline(text: str) -> Dateline | None:
    """The paper, date and page of a dateline, or None when `text` is not one."""
    match = _match_dateline(text)
    if not match:
        return None
    year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
    try:
        date: str | None = _dt.date(year, month, day).isoformat()
    except ValueError:
        date = None
    page = _PAGE.search(match.group("rest"))
    paper = (match.group("quoted") or match.group("paper")).strip()  # ``《 人民日报 》`` as people.cn sets it
    return Dateline(paper, date, page.group(1) if page else None)


def split_byline_dateline(text: str) -> tuple[str, str] | None:
    """``本报记者  张三  李四《人民日报》（2025年01月09日第 18 版）`` → byline and dateline.

    People.cn prints the dateline on the byline's line; None when `text` is not that shape.
    """
    if len(text) > MAX_BYLINE_DATELINE or not _YEAR.search(text):
        return None
    for cut in range(1, len(text)):
        if text[cut] == "《" or (text[cut - 1] == " " and text[cut] != " "):
            byline, dateline = text[:cut].rstrip(), text[cut:]
            if is_dateline(dateline) and _is_plain_byline(byline):
                return byline, dateline
    return None


def split_news_byline(text: str) -> tuple[str, str] | None:
    """``本报讯（记者 张晓云）12月18日，…`` → ``本报讯（记者 张晓云）`` and the paragraph."""
    match = _NEWS_BYLINE.match(text)
    if not match or not text[match.end() :].strip():
        return None
    return match.group(0), text[match.end() :].lstrip()


def is_trailer(text: str) -> bool:
    """``数据来源：…``, ``（责任编辑：…）``: credits printed after the article."""
    return _length(text) <= 120 and bool(_TRAILER.match(text))


def is_credit_caption(text: str) -> bool:
    """A caption that says it is one: a photographer credit, ``图为…``, ``…供图``."""
    if _CAPTION_LABEL.match(text):
        return _length(text) <= MAX_LABELLED_CAPTION and not is_byline(text)
    return _length(text) <= MAX_CAPTION and _is_photo_credit(text) and not is_byline(text)


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
        and not is_trailer(text)
        and not is_credit_caption(text)
    )


# Characters that cannot open a sentence: structural particles and sentence-final particles.
_NEVER_FIRST = frozenset("的们吗呢吧啊么呀嘛")


def starts_mid_sentence(text: str) -> bool:
    """True when `text` opens with a fragment: ``伸，让群众…``, ``层”、委员…``, ``各方面，忠诚…``.

    Signals: a leading clause mark; a particle that never opens a sentence (``的重要使命，…``);
    a first clause of at most three characters that ends a sentence (``42个。``); or one that
    is not one of the adverbials a sentence really opens with (``同时，`` ``一年来，`` ``4月，``).
    A short label before a colon (``编者按：``, ``问：``) is a real start.
    """
    if not text or text[0] in _CLAUSE_MARKS or text[0] in "…—":
        return True
    if text[0] in _NEVER_FIRST and not text.startswith("的确"):
        return True
    match = re.match(f"[^{re.escape(_CLAUSE_MARKS)}]*", text)
    clause = match.group(0) if match else text
    if len(clause) == len(text) or len(clause) > 3:
        return False
    mark = text[len(clause)]
    if mark in "。！？!?":
        return True
    if mark in "：:":
        return False
    if clause in _OPENERS or clause.endswith(_OPENER_ENDS) or any(c.isdigit() for c in clause):
        return False
    return not clause.startswith(("在", "据", "对", "从", "为", "随", "自", "经", "截"))


# --- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """One source line, or several when the file is hard-wrapped; whitespace folded."""

    line: int
    """1-based number of the block's first source line."""
    text: str
    indented: bool = False
    """The first line started with a space or U+3000: a paragraph start in indented layouts."""


def to_blocks(text: str) -> list[Block]:
    """Split cleaned text into blocks: non-empty lines, numbered from 1, inner spaces folded.

    In a hard-wrapped file (a newline every ~40 characters) the lines of one paragraph are
    joined back into one block first; see `wrap_width` for when a file counts as wrapped.
    """
    lines = text.split("\n")
    width = wrap_width(lines)
    blocks: list[Block] = []
    run: list[str] = []  # folded lines of the block being assembled
    first = 0
    previous_raw = ""
    for number, raw in enumerate(lines, start=1):
        folded = " ".join(raw.split())
        if not folded:
            previous_raw = ""
            continue
        indented = raw[0].isspace()
        if run and previous_raw and width and _continues_wrapped(previous_raw, folded, indented, width):
            run.append(folded)
        else:
            if run:
                blocks.append(Block(first, _join(run), _is_indented(lines[first - 1])))
            run, first = [folded], number
        previous_raw = raw
    if run:
        blocks.append(Block(first, _join(run), _is_indented(lines[first - 1])))
    return blocks


def _is_indented(raw: str) -> bool:
    return raw[:1].isspace()


# A hard wrap narrower than this is not a wrap but a column of short lines (a list, a poem).
MIN_WRAP = 16


def wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped file was wrapped at, or None when its lines are not wrapped.

    A wrapped file has many lines of (nearly) the same length W — the last line of each
    paragraph is shorter — and almost none longer than W. A file with one paragraph per
    line (the seed) has lengths all over the place. Length is counted in characters, with
    the indentation; wrapping tools move a closing mark or two, hence the slack.
    """
    lengths = [len(raw.rstrip()) for raw in lines if raw.strip()]
    # Prose wrapped at a width still ends its sentences somewhere; a list of unpunctuated
    # lines of similar length (第1行…, 第2行…) is a list, not a wrapped paragraph.
    ended = sum(1 for raw in lines if any(mark in raw for mark in "。！？!?"))
    if ended * 20 < len(lengths):
        return None
    long_ = [n for n in lengths if n >= MIN_WRAP]
    if len(long_) < 3:
        return None
    counts: dict[int, int] = {}
    for n in long_:
        counts[n] = counts.get(n, 0) + 1
    # The most common length, then the window of lengths a wrap at that width produces.
    mode = max(counts, key=lambda n: (counts[n], n))
    near = sum(c for n, c in counts.items() if mode - _WRAP_SLACK <= n <= mode + 2)
    longer = sum(c for n, c in counts.items() if n > mode + 2)
    # A wrap falls anywhere, so most full-width lines are prose stopped mid-sentence; lines of
    # one length that end a sentence, or have no clause mark at all (headings, credits), are
    # whole lines of the same length by chance.
    cut = sum(
        1
        for raw in lines
        if mode - _WRAP_SLACK <= len(raw.rstrip()) <= mode + 2
        and not ends_sentence(raw)
        and any(mark in raw for mark in "，；。,")
    )
    if near >= 3 and near >= 0.3 * len(lengths) and longer <= 0.1 * len(lengths) and cut * 2 >= near:
        return mode
    return None


_WRAP_SLACK = 3


def _continues_wrapped(previous_raw: str, folded: str, indented: bool, width: int) -> bool:
    """True when `folded` continues the paragraph of the full-width line before it.

    Not when it is indented (a new paragraph in indented layouts), and not when the line
    before ends a sentence and this one looks like a heading or caption (a full line that
    happens to end with 。 followed by a 小标题; wrapped-indented case, line 16/17). Header
    lines and photo credits are whole lines of their own: a short file can have a few lines
    of one length by chance.
    """
    if indented or len(previous_raw.rstrip()) < width - _WRAP_SLACK:
        return False
    if ends_sentence(previous_raw) and (is_heading_like(folded) or is_credit_caption(folded)):
        return False
    previous = " ".join(previous_raw.split())
    return not (
        _is_photo_credit(previous)
        or (_CAPTION_LABEL.match(previous) and ends_sentence(previous))
        or (is_credit_caption(folded) and not _has_sentence_mark(folded))
        or _CAPTION_LABEL.match(folded)
        or _is_header_line(previous)
        or _is_header_line(folded)
    )


@functools.lru_cache(maxsize=4)
def _is_header_line(text: str) -> bool:
    """A byline, dateline or subtitle. (Cached: each line is asked about twice, as the line and
    as the line before the next.)"""
    return is_subtitle(text) or is_dateline(text) or is_byline(text)


# --- articles ----------------------------------------------------------------------------


def read_articles(text: str, source: str, marked: frozenset[int] = frozenset()) -> list[Article]:
    """Read the cleaned text of one file into articles, in file order."""
    blocks = to_blocks(text)
    if not blocks:
        return []
    starts = _article_starts(blocks)
    articles = []
    for begin, end in zip(starts, starts[1:] + [len(blocks)]):
        articles.append(_read_article(blocks[begin:end], source, marked))
    return articles


def _is_anchor(text: str) -> bool:
    """A header line that follows a title: subtitle or byline (an editor's signature is not)."""
    return (
        is_subtitle(text)
        or (is_byline(text) and not _SIGNATURE.match(text))
        or split_news_byline(text) is not None
    )


def _article_starts(blocks: list[Block]) -> list[int]:
    """Indices of the blocks that open an article: its dateline, kicker or title, else the file start.

    An article is recognised by its header: one or two title-like lines followed by a
    subtitle (``——…``) or a byline. Datelines are printed either above every article or
    below it (people.cn puts ``《人民日报》（…）`` last); the file's first line tells which, so
    a dateline between two articles goes with the right one.
    """
    datelines_on_top = is_dateline(blocks[0].text)
    starts = [0]
    for i in range(1, len(blocks)):
        text = blocks[i].text
        if datelines_on_top and is_dateline(text):
            if i > starts[-1] + 1:
                starts.append(i)
            continue
        if not _is_anchor(text) or _is_anchor(blocks[i - 1].text):
            continue
        # Walk back over a dateline printed between title and byline, then over at most two
        # title-like lines (kicker and title); a line that ends a sentence belongs to the
        # previous article.
        top = i - 1 if i - 1 > starts[-1] and is_dateline(blocks[i - 1].text) else i
        begin = top
        while begin > 0 and top - begin < 2 and is_title_like(blocks[begin - 1].text):
            begin -= 1
        if begin == top:
            continue
        if begin - 1 > starts[-1] and datelines_on_top and is_dateline(blocks[begin - 1].text):
            begin -= 1
        if begin > starts[-1] + 1:
            starts.append(begin)
    return starts


def _read_article(blocks: list[Block], source: str, marked: frozenset[int] = frozenset()) -> Article:
    header, body = _read_header(blocks)
    sections, captions, trailers, notes, editor = _read_body(body, header, marked)
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
    region = find_region(fields.get("subtitle"), title, sections, fields.get("kicker"))
    dateline = fields.get("dateline")
    parsed = parse_dateline(dateline) if dateline else None
    return Article(
        source=source,
        title=title or "",
        title_lines=(title_line,) if title_line else (),
        kicker=fields.get("kicker"),
        subtitle=fields.get("subtitle"),
        dateline=dateline,
        paper=parsed.paper if parsed else None,
        date=parsed.date if parsed else None,
        page=parsed.page if parsed else None,
        byline=fields.get("byline"),
        region=region,
        editor_note=fields.get("editor_note"),
        panel_label=fields.get("panel_label"),
        guests=tuple(fields.get("guests", ())),
        captions=tuple(captions),
        trailers=tuple(t.text for t in trailers),
        notes=tuple(notes),
        sections=tuple(sections),
        header_lines=lines,
    )


def _read_header(blocks: list[Block]) -> tuple[dict[str, object], list[Block]]:
    """Take kicker, title, subtitle, dateline and byline from the top of an article.

    Returns the fields found (with their lines under ``_lines``) and the body's blocks: a
    ``本报讯（记者 …）`` byline is cut off the first paragraph it opens.
    """
    found: dict[str, object] = {}
    lines: dict[str, int] = {}
    found["_lines"] = lines
    i = 0

    def take(name: str, block: Block, text: str | None = None) -> None:
        found[name] = block.text if text is None else text
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
    anchor_follows = i < len(blocks) and (_is_anchor(blocks[i].text) or is_dateline(blocks[i].text))
    if len(titles) == 2 and not anchor_follows and not titles[0].text.endswith("——"):
        # Title followed by a heading-like first line of the body: keep the first only.
        i -= 1
        titles.pop()
    if len(titles) == 1 and not anchor_follows and any(mark in titles[0].text for mark in "，、,"):
        # With nothing to confirm it, a first line with clause marks is body text, not a title
        # (a file that starts mid-article: ``据统计，…产值突破12`` / ``00亿元…``).
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
            glued = split_byline_dateline(text)
            if glued and "dateline" not in found:
                take("byline", blocks[i], glued[0])
                take("dateline", blocks[i], glued[1])
            elif not glued:
                take("byline", blocks[i])
            else:
                break
        elif "byline" not in found and (news := split_news_byline(text)):
            take("byline", blocks[i], news[0])
            return found, [Block(blocks[i].line, news[1], blocks[i].indented), *blocks[i + 1 :]]
        else:
            break
        i += 1
    return found, blocks[i:]


# --- body --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """A paragraph being assembled from the pieces of a broken block."""

    pieces: list[Block]

    @property
    def text(self) -> str:
        return _join([b.text for b in self.pieces])


def _join(parts: list[str]) -> str:
    """Join the pieces of a broken paragraph: no space between CJK, one between Latin words.

    Digits join directly: a wrap or page break inside ``1200亿元`` (``12`` / ``00亿元``) must
    not become ``12 00``.
    """
    out = [parts[0]]
    for before, part in zip(parts, parts[1:]):
        if before and part and _is_latin_letter(before[-1]) and _is_latin_letter(part[0]):
            out.append(" ")
        out.append(part)
    return "".join(out)


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _is_cut(text: str) -> bool:
    """A block that stops mid-sentence: no end mark and not a deliberate intro (``：``/``——``)."""
    return not ends_sentence(text) and not text.endswith(_INTRO_ENDINGS)


def _read_body(
    body: list[Block], header: dict[str, object], marked: frozenset[int] = frozenset()
) -> tuple[list[Section], list[Caption], list[Block], list[str], tuple[int, str] | None]:
    """Blocks after the header → sections, captions, trailers, notes and an editor's note.

    `marked` are lines the document itself marks as headings (see `sources.Source.headings`)."""
    # Join broken paragraphs only where the text uses sentence punctuation at all: in a text
    # without it every line would look "cut" and the whole file would become one paragraph.
    punctuated = sum(1 for b in body if ends_sentence(b.text)) >= max(1, len(body) // 5)
    trailers: list[Block] = []
    # Trailers stand at the very end, and so does a people.cn dateline (``《人民日报》（…）``),
    # perhaps with a photo credit among them (``本版图片由…提供``), which stays a caption.
    tail = len(body)
    ending_shapes = (is_trailer, is_dateline, is_credit_caption)
    while tail > 0 and any(shape(body[tail - 1].text) for shape in ending_shapes):
        tail -= 1
    body, ending = list(body[:tail]), body[tail:]
    # A news item may end with its byline in brackets: ``（记者 张晓云 通讯员 李四）``.
    closing = body[-1].text if body else ""
    if "byline" not in header and closing.startswith(("（", "(")) and _is_plain_byline(closing):
        header["byline"] = closing
        header["_lines"]["byline"] = body.pop().line  # type: ignore[index]
    for block in ending:
        if is_dateline(block.text) and "dateline" not in header:
            header["dateline"] = block.text
            header["_lines"]["dateline"] = block.line  # type: ignore[index]
        elif is_trailer(block.text) or is_dateline(block.text):
            trailers.append(block)
        else:
            body.append(block)

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

        # ``编者按：…`` before the body: the note, up to its ``——编  者`` signature if one follows.
        if heading is None and not paragraphs and open_para is None and editor is None and _EDITOR_NOTE.match(text):
            end = _editor_note_end(body, i)
            editor = (block.line, "".join(b.text for b in body[i : end + 1]))
            i = end + 1
            continue

        # ``对话嘉宾：`` and its guest lines (a sentence after the label is body text).
        panel_open = open_para is None and "panel_label" not in header
        if panel_open and _PANEL_LABEL.match(text) and not _has_sentence_mark(text):
            i = _read_panel(body, i, header)
            continue

        # An editor's signature closes an editor's note made of the lead paragraphs so far.
        if _SIGNATURE.match(text):
            close_paragraph()
            # Only the paragraphs after the byline: the note must not enclose a header line.
            after = _paragraphs_after(paragraphs, header["_lines"].get("byline", 0))  # type: ignore[attr-defined]
            if heading is None and editor is None and after and "byline" in header:
                editor = (after[0].lines[0], "".join(p.text for p in after) + text)
                paragraphs = paragraphs[: len(paragraphs) - len(after)]
            elif "byline" not in header:
                header["byline"] = text
                header["_lines"]["byline"] = block.line  # type: ignore[index]
            else:
                paragraphs.append(Paragraph(text, (text,), (block.line,)))
            i += 1
            continue

        # A heading the document marks as one (a Word Heading style), whatever its shape; two
        # marked lines in a row are one heading printed over two lines.
        if block.line in marked and _length(text) <= MAX_MARKED_HEADING and not is_credit_caption(text):
            close_section()
            if i + 1 < len(body) and body[i + 1].line in marked and _length(text + nxt) <= MAX_MARKED_HEADING:
                heading = Block(block.line, f"{text} {nxt}")
                i += 2
            else:
                heading = block
                i += 1
            continue

        # ``【现象】近年来，…``: a panel's block label glued to its first paragraph.
        label = _BLOCK_LABEL.match(text)
        if label and text[label.end() :].strip():
            close_section()
            heading = Block(block.line, label.group(0))
            open_para = _Open([Block(block.line, text[label.end() :].lstrip(), block.indented)])
            if not (punctuated and _is_cut(text) and nxt):
                close_paragraph()
            i += 1
            continue

        if open_para is not None:
            # Inside a broken paragraph: lift out a caption dropped between its halves, then
            # join the continuation.
            if is_credit_caption(text) or _credited(text, nxt) or (
                nxt
                and not _has_sentence_mark(text)
                and _length(text) <= MAX_CAPTION
                and not text.endswith(_OPEN_ENDINGS)
                and (starts_mid_sentence(nxt) or _length(text) > MAX_HEADING)
            ):
                captions.append(Caption(text, block.line))
                i += 1
                continue
            if (
                (is_heading_like(text) and nxt and not starts_mid_sentence(text) and not _is_cut(nxt))
                or _is_two_line_heading(text, nxt, after)
            ):
                # A real heading after a paragraph that simply lacks its end mark.
                close_paragraph()
            else:
                open_para.pieces.append(block)
                if not _is_cut(text):
                    close_paragraph()
                i += 1
                continue

        if is_credit_caption(text) or _credited(text, nxt):
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
            notes.append(f"原报道在“{snippet}…”之前有文字缺失，当为原版面排版时丢失。")

        close_paragraph()
        open_para = _Open([block])
        speaker_alone = bool(_SPEAKER.match(text)) and text.endswith(("：", ":")) and bool(nxt)
        if not (punctuated and _is_cut(text) and nxt) and not speaker_alone:
            close_paragraph()
        i += 1

    close_section()
    return sections, captions, trailers, notes, editor


def _read_panel(body: list[Block], i: int, header: dict[str, object]) -> int:
    """Take the guest list that opens at `i` into the header; returns the index after it."""
    lines: dict[str, int] = header["_lines"]  # type: ignore[assignment]
    label = _PANEL_LABEL.match(body[i].text)
    assert label is not None
    header["panel_label"] = label.group(0)
    lines["panel_label"] = body[i].line
    guests: list[str] = []
    rest = body[i].text[label.end() :].strip()
    if rest:
        lines["guest0"] = body[i].line
        guests.append(rest)
    i += 1
    while i < len(body) and is_guest(body[i].text):
        lines[f"guest{len(guests)}"] = body[i].line
        guests.append(body[i].text)
        i += 1
    header["guests"] = guests
    return i


def is_guest(text: str) -> bool:
    """``刘文涛  全国政协委员、全国工商联常委`` or ``全国政协委员、郑州大学教授 韩静``: a name and
    who the guest is; no sentence."""
    return (
        _length(text) <= MAX_GUEST
        and bool(_GUEST.search(text))
        and not text.startswith(("【", "[", "■", "●", "◆"))
        and not _has_sentence_mark(text)
        and not is_byline(text)
        and not is_credit_caption(text)
    )


def _paragraphs_after(paragraphs: list[Paragraph], line: int) -> list[Paragraph]:
    """The trailing run of `paragraphs` that starts after source line `line`."""
    start = len(paragraphs)
    while start > 0 and paragraphs[start - 1].lines[0] > line:
        start -= 1
    return paragraphs[start:]


def _editor_note_end(body: list[Block], i: int) -> int:
    """Index of the last block of the editor's note opening at `i`: its signature, if one
    comes within a few paragraphs (before any heading-like line), else `i` itself."""
    for j in range(i + 1, min(i + 5, len(body))):
        if _SIGNATURE.match(body[j].text):
            return j
        if is_heading_like(body[j].text):
            break
    return i


def _credited(text: str, nxt: str) -> bool:
    """A short line whose next line is a photo credit is that photo's caption:
    ``大理州政协委员在洱源县开展协商议事活动`` / ``新华社记者 张三摄``, or one short sentence
    ``一位老人在家中使用智能呼叫设备。`` / ``（资料图片）``. A sentence with a count in it
    (``全市2300余名委员…。``) reports, it does not show: that is body text before a lone credit."""
    if not nxt or not is_credit_caption(nxt) or is_credit_caption(text):
        return False
    if _has_sentence_mark(text):
        return (
            _is_photo_credit(nxt)
            and _length(text) <= MAX_CAPTION_SENTENCE
            and len(split_sentences(text)) == 1
            and (not any(char.isdigit() for char in text) or bool(_DATE_LEAD.match(text)))
            and not starts_mid_sentence(text)
        )
    return _length(text) <= MAX_CAPTION


def _follows_caption(body: list[Block], i: int, captions: list[Caption]) -> bool:
    return i > 0 and bool(captions) and captions[-1].line == body[i - 1].line


def _is_heading_here(text: str, nxt: str, after: str) -> bool:
    """A heading-like line that opens a section: body text (or a second heading line) follows."""
    if not nxt:
        return False
    if _credited(nxt, after):
        # A photo under the heading: its caption and credit come before the body text.
        return is_heading_like(text)
    if _is_two_line_heading(text, nxt, after) or _is_question_heading(text, nxt):
        return True
    return is_heading_like(text) and (not is_heading_like(nxt) or _length(nxt) > MAX_HEADING)


def _is_question_heading(text: str, nxt: str) -> bool:
    """A panel's subhead is often a question over the speakers' turns:
    ``县域企业如何破解“招工难”？`` / ``刘文涛：…``."""
    return (
        text.endswith(("？", "?"))
        and 4 <= _length(text) <= MAX_HEADING
        and len(split_sentences(text)) == 1
        and not re.search("[:：，,]", text)
        and not starts_mid_sentence(text)
        and bool(_SPEAKER.match(nxt))
    )


# The first line of a two-line heading may end with ``：``, ``——`` or ``，`` (``托起“夕阳红”：``).
_HEADING_HEAD_ENDINGS = ("：", ":", "——", "，")
# Labels that end with a colon but head no heading: a speaker, a panel's guest list, a Q&A turn.
_LABEL = re.compile(r"^(?:对话嘉宾|访谈嘉宾|嘉宾|主持人|主持|记者|本报记者|问|答|编者按|编者|提问|回答)$")


def _is_two_line_heading(text: str, nxt: str, after: str) -> bool:
    """A heading printed over two lines, then body text: ``完善配套政策`` / ``提供可持续发展模式``
    (two short lines), or ``托起“夕阳红”：`` / ``养老服务从“兜底保障”到“品质升级”`` (the first
    ends with a colon)."""
    if not after or is_heading_like(after) or not is_heading_like(nxt) or _credited(nxt, after):
        return False
    if text.endswith(("？", "！", "?", "!")):
        # ``“一老一小”怎么托？`` / ``社区嵌入式服务来破题``: a question and its answer.
        return (
            4 <= _length(text) <= MAX_HEADING_PART
            and len(split_sentences(text)) == 1
            and not re.search("[:：，,]", text)
            and not _NUMBERED_HEADING.match(nxt)
            and " " not in nxt
            and _length(nxt) <= MAX_HEADING_FIRST
        )
    if text.endswith(_HEADING_HEAD_ENDINGS):
        head = text.rstrip("：:—，").rstrip()
        return (
            2 <= _length(head) <= MAX_HEADING_PART  # ``治水：`` / ``从“末端治理”到“源头管控”``
            and "，" not in head
            and not starts_mid_sentence(nxt)
            and _length(nxt) <= MAX_HEADING
            and is_heading_like(head)
            and not _LABEL.match(head)
            and not is_trailer(text)
            and not _EDITOR_NOTE.match(text)
        )
    return (
        _length(text) <= MAX_HEADING_FIRST
        and _length(nxt) <= MAX_HEADING_FIRST
        and " " not in text
        and " " not in nxt
        and is_heading_like(text)
    )


# --- region ------------------------------------------------------------------------------

_PLACE = re.compile(
    rf"((?:[{_CJK}]{{2,3}}省|[{_CJK}]{{2,6}}自治区)?"
    rf"[{_CJK}]{{2,12}}?(?:自治州|自治县|自治旗|地区|州|市|县|区|盟|旗))"
    r"(?=政协|政協|委员会|委員會|党委|黨委|人民政府|政府|人大|纪委|委|人民)"
)
_PROVINCE_PREFIX = re.compile(rf"^(?:[{_CJK}]{{2,3}}省|[{_CJK}]{{2,6}}自治区)")


def find_region(
    subtitle: str | None, title: str | None, sections: list[Section], kicker: str | None = None
) -> str | None:
    """The prefecture or city an article is about: ``云南省楚雄州政协`` → ``楚雄州``.

    A place is a name followed by an institution (政协, 党委, 政府…), with its province prefix
    removed. Looked for in the subtitle, then the title; then in the lead section, where a
    place whose name the headline already bears wins (``江西赣州做强…`` + ``赣州市委…`` →
    ``赣州市``); else the first place of the lead paragraph.
    """
    for text in (subtitle or "", title or ""):
        places = _places(text)
        if places:
            return places[0]
    lead = sections[0].paragraphs if sections and sections[0].heading is None else ()
    headline = "".join(filter(None, (kicker, title, subtitle)))
    for paragraph in lead:
        for place in _places(paragraph.text):
            if _stem(place) in headline:
                return place
    if sections and sections[0].paragraphs:
        places = _places(sections[0].paragraphs[0].text)
        if places:
            return places[0]
    return None


def _places(text: str) -> list[str]:
    """Place names before an institution in `text`, province prefix removed, in order."""
    text = text.lstrip("—─- ")
    if text.startswith("记"):
        text = text[1:]
    found = []
    for match in _PLACE.finditer(text[:2000]):
        name = _PROVINCE_PREFIX.sub("", match.group(1)) or match.group(1)
        if len(name) >= 2:
            found.append(name)
    return found


def _stem(place: str) -> str:
    """``赣州市`` → ``赣州``; ``红河哈尼族彝族自治州`` → ``红河哈尼族彝族``."""
    return re.sub("(?:自治州|自治县|自治旗|地区|州|市|县|区|盟|旗)$", "", place) or place


def region_stem(region: str | None) -> str:
    """The short name a text calls a region by: ``楚雄州`` → ``楚雄``; ``红河哈尼族彝族自治州`` → ``红河``.

    Ethnic names inside an autonomous prefecture's name (哈尼族彝族…) are dropped: the text says
    ``红河州`` or ``红河``. Empty when there is no region.
    """
    if not region:
        return ""
    stem = _stem(region)
    cut = _ETHNIC_TAIL.search(stem)
    if cut and cut.start() >= 2:
        stem = stem[: cut.start()]
    return stem


_ETHNIC_TAIL = re.compile(
    "(?:(?:蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|"
    "纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|"
    "鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺)族)+$"
)

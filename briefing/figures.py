"""Sentences → key figures: quantities with their unit and what they count.

In: one sentence (`find_figures`) or a `Section` (`section_figures`). Out: `Figure` records, in
source order, whose `text` is always ``sentence[start:start + len(text)]``.

A figure is a number (Arabic, with decimals, thousands commas and 万/亿; or a Chinese numeral
such as 三、两、十二 when it clearly counts something) followed by a unit or measure word, with
approximation words around it: ``委员工作室218个``, ``2100余名委员``, ``授信17.6亿元``,
``新增市场主体1.3万余户``, ``委员参与率达100%``.

Rule-based on purpose: the parser runs on every sentence of every article, so it is a handful
of precompiled regular expressions and one pass over the sentence, no word segmentation. What
is *not* a figure matters as much as what is: dates and years (``2022年``, ``4月``), ordinals
(``第四批``, ``十三届``), names in quotation marks or book-title marks (``“1235”履职蓝图``,
``“三大履职品牌”``, ``《…（2022—2024年）》``), telephone and document numbers. A number
followed by 年 is never a figure here: 年 is a year far more often than a duration in this genre.

The label, what the figure counts, is the part a reader sees in the comparison table, so it is
chosen with care (see `_label`): ``218个委员工作室`` counts the noun after the measure word,
``委员工作室218个`` the noun before the number, with leading verbs (开展、建立…) cut away, and
the qualifier kept (高中教育提质增效30条措施 → 高中教育提质增效措施). A label starts and ends on
word boundaries (jieba's words between figures, each figure a word, hence the tokenizer
argument), is one stretch of the sentence or two in reading order, and is never empty.
Measured against hand labels by ``bench/labels.py``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from .model import Figure, Section

if TYPE_CHECKING:
    from jieba import Tokenizer

# --- numbers and units -------------------------------------------------------------------

_ARABIC = r"[0-9０-９]{1,3}(?:,[0-9]{3})+(?:[.．][0-9０-９]+)?|[0-9０-９]+(?:[.．][0-9０-９]+)?"
_CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CHINESE = rf"[{_CHINESE_DIGITS}]+"

# Units after which a figure may stand. Magnitudes (万, 亿) are parsed apart, so 万吨 and 亿元
# come out as unit 吨 and 元 with the value multiplied.
_UNITS = (
    "个百分点 百分点 % ％ ‰ "
    "美元 元 "
    "人次 户次 件次 场次 班次 架次 车次 人 名 位 户 家 个月 个工作日 工作日 个小时 分钟 个 项 次 场 件 座 所 条 支 批 篇 份 "
    "平方公里 平方千米 平方米 立方米 公顷 亩 公里 千米 米 吨 千克 公斤 "
    "千瓦时 千瓦 兆瓦 kWh kW MW GW km "
    "辆 台 套 间 张 本 册 部门 部 处 种 类 栋 幢 棵 株 头 只 轮 期 门 首 幅 "
    "课时 学时 小时 天 岁 倍"
).split()
_UNITS.sort(key=len, reverse=True)
_UNIT = "|".join(re.escape(u) for u in _UNITS)
# 元/人, 元/吨: a rate keeps its denominator in the unit.
_PER = r"/(?:人次|人|户|吨|亩|平方米|千瓦时|月|年|天|次|件|个)"

# Measure words that stand before the noun they count (218个委员工作室, 5家银行). After other
# units (元, 人, 吨, %) the words that follow are rarely what is counted (4万余人，…).
_CLASSIFIERS = frozenset(
    "个 家 户 名 位 项 件 座 所 条 支 批 篇 份 场 次 场次 种 类 间 套 台 辆 张 本 部 册 处 栋 幢 "
    "棵 株 头 只 轮 期 门 首 幅 岁".split()
)
# Units a Chinese numeral may count with: conservative, so that 三年, 两岸, 十分 stay words.
_CHINESE_UNITS = frozenset(
    "个 次 场 场次 项 件 家 户 名 位 批 条 座 所 支 篇 份 轮 个百分点 百分点 倍 人次 个月 个小时".split()
)
# Verbal measure words: 三次到楚雄州调研 counts trips, the words after say where to.
_VERBAL = frozenset("次 场 场次 轮 人次".split())

_FIGURE = re.compile(
    rf"(?P<pre>将近|接近|超过|大约|约为|约有|约|近|超|逾|不少于|不低于|不足|不到)?"
    rf"(?<![0-9０-９.．,A-Za-z+\-−/#第])"
    rf"(?:(?P<num>{_ARABIC})|(?<![{_CHINESE_DIGITS}第届初之周])(?P<cn>{_CHINESE}))"
    rf"(?P<a1>余|多)?(?P<mag>万亿|千万|百万|亿|万)?(?P<a2>余|多)?"
    rf"(?:(?P<unit>{_UNIT})(?P<per>{_PER})?(?P<post>左右|以上|有余)?)?"
)
# Magnitudes of Arabic numbers.
_MAGNITUDE = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, None: 1}
_CN_DIGIT = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
# Fixed political phrases counted with 个: 两个确立, 四个意识 — names, not counts, even unquoted.
_CN_FIXED_AFTER = re.compile(
    "确立|维护|意识|自信|全面|代表|务必|一百年|百年|结合|没有变|坚持|必须|薄弱|文明|大局|基本点|"
    "中心|分配|产业|层次|方面|平台|体系|机制|环节|阶段"
)
_SESSION = re.compile("会议|全会|代表大会|常委会")
_MAX_DIGITS = 15  # beyond this a "number" is an identifier, and float would overflow to inf

# --- quotation and titles ----------------------------------------------------------------

_OPEN_CLOSE = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
_SPEECH_MARK = re.compile("[。！？!?]")
_NAME_QUOTE_MAX = 40

# --- labels ------------------------------------------------------------------------------

_PUNCT = set("，。；：！？,;:!?（）()【】[]…—－～~·\n\t 　")
# Where a label before the number starts: verbs whose object is what is counted
# (开展协商议事活动124场 → 协商议事活动). The last one in the stretch wins.
_CUT_VERBS = re.compile(
    "建立了?|建成|成立|开展|组织|召开|举办|提供|资助|帮助|帮扶|助推|助力|推动|促成|促进|解决|完成|"
    "办理|提交|提出|收到|受理|接待|走访|慰问|捐赠|捐助|捐款|筹集|募集|发放|投入|争取|落实|打造|创建|"
    "培育|培训|覆盖|惠及|带动|吸纳|安置|签约|签订|引进|招引|培养|选派|聘请|编入|开通|出台|制定|印发|"
    "发布|评选|表彰|搭建|设立|建起|撰写|报送|形成|征集|审议|参加|涉及|整治|改造|修建|建设|销售|实施|"
    "启动|推出|通过|审查|拥有|共有|现有|已有|共收到|新开|达成|获得|获|交出|推荐|转化|办结|化解|调解|吸引|"
    "召集|邀请|列席|汇聚|动员|发动|走进|深入|收集|录入|力争|察看|查看|组建|降低|节约|节省|给予|收购|输送|推广应用|推广|开办"
)
# Words that begin a label and are kept (新增市场主体, 实际放贷).
_ANCHORS = re.compile("新增|新建|新开工|新认定|新培育|新引进|新签约|新招引|实际|净增")
# Adverbs and particles that may open the stretch before a number (其中规模以上企业 → 规模以上企业).
_LEAD = re.compile(
    "全年|年内|今年|当年|去年|其中|共计|累计|总计|合计|先后|分别|已经|全部|发展|经审查|经审核|"
    "共|已|还|又|并|均|都|仅|和|与|及|、|等|为|对|向|在|把|将|了|的|达|后"
)
# Time phrases before a label (比2012年提高了, 前三季度全市GDP, 到“十四五”末): the label starts after them.
_DATE_TEXT = r"[0-9０-９]+(?:年|月|日)(?:底|初|末|以来|前)?|(?:前|上|下)?(?:[一二三四]季度|半年)|“＿+”(?:末|期间|时期)"
_DATE = re.compile(_DATE_TEXT)
# Linking words, times and rates between a label and its number (委员参与率达100%, 在校大学生由
# 2018年的不足2万人, 最高价达每公斤1000元): dropped from the label.
_TRAIL = re.compile(
    rf"(?:{_DATE_TEXT}|(?:恢复|扩大|发展|增长|延长|缩短|减少|增加|压减|压缩|精简|缩减)(?:至|到)|"
    "目前|现在|过去|此前|当前|最初|起初|原来|每(?:公斤|千克|斤|吨|亩|人|户|平方米)|每年|每月|每天|"
    "平均(?:精简|压缩|压减|缩短|减少|降低|提升|提高)|最高|最多|最低|比[^，。；]{1,6}?(?<![提降增减])(?:高出|高|低|多|少)了?|"
    "能|就|可达|可|将|预计|达到|达|为|是|拥有|现有|共有|已有|还有|只有|有|共计|共|计|累计|合计|总计|约|"
    "分别|均|各|先后|已经|已|都|增至|增加到|增长到|增长至|提高到|提高至|提升到|提升至|上升到|上升至|下降到|下降至|"
    "降至|降到|稳定在|保持在|控制在|维持在|超过|突破|超|至|到|由|从|占|了|的|和|与|"
    "、|等)+$"
)
# Words that end a label after the measure word (15户企业授信… → 企业): verbs and adverbs, then
# prepositions and conjunctions, which alone end it when the number opens its clause
# (33家企业获评江苏省省级智能工厂: the firms are counted by what they did).
_STOP_VERBS = (
    "得到|获得|建立|实现|参加|参与|开展|进行|落实|落地|完成|授信|放贷|受益|通过|入驻|签约|纳入|"
    "达到|成为|用于|涉及|覆盖|带动|提供|实施|已经|正在|先后|累计|开工|投产|建成|整改|办结|结案|上线|"
    "分别|全部|共同|相继|陆续|积极|主动|纷纷|增收|脱贫|致富|稳定|持续|逐步|组成|共|都|均|已|获|达|先|后"
)
_STOP_LINKS = "向|在|到|于|从|对|给|把|让|使|由|被|将|和|与|同|并|等|为|经|按|中有|中"
_STOPS = re.compile(f"{_STOP_VERBS}|{_STOP_LINKS}")
# After a number that opens its clause, what the counted did runs on through 被 and 为
# (其中12件被列为重点提案, 6条建议转化为具体政策措施).
_ACT_STOPS = re.compile(_STOP_LINKS.replace("|被", "").replace("|为", ""))
# What may stand before a number that opens its clause: the whole area, time, 有 (全市共有33家企业…).
_SUBJECT = re.compile(
    "(?:全市|全州|全县|全省|全区|全镇|全乡|全国|全年|今年|去年|目前|其中|共有|已有|现有|还有|有|共|已|累计|"
    "共计|先后)*(?:[^，。；]*等)?"  # “关于…的提案”等12件被列为重点提案: examples of the counted
)
# A share or change that opens its clause is of the figure before it (…218亿元，占全省的12.4%).
_RELATION = re.compile("占|比|同比|较|环比|年均|增长|提高|下降|增加|减少")
# Adverbs that end the noun phrase opening a clause (地区生产总值连续迈上新台阶).
_ADVERB = re.compile("连续|持续|不断|稳步|逐步|进一步|首次|再次|大幅|明显|显著|快速|稳定|保持|位居|居|是|迈上|实现")
# Adverbs after which the label starts (楚雄州政协全年开展…, 赣州累计投入资金).
_ADVERB_CUT = re.compile("累计|共计|先后|全年|年内|已经|将")
# Verbs that take an object only where they open the clause (建设充电桩200台, but 新农村建设村点).
_OPENING_ONLY = frozenset({"建设"})
# Verbs that say what was counted, kept with their object (接待游客5000万人次, 解决民生实事141件).
_COUNTED_VERBS = re.compile(
    "接待|培训|服务|救助|慰问|帮扶|走访|诊疗|接诊|签约|提出|收集|报送|征集|解决|办结|化解|调解|改造|整治|"
    "捐款|捐赠|引进|招引|办理|受理|发放|转化"
)
# Shares named after 的 that need what they are a share of (…营业收入占规模以上工业的比重).
_SHARE = re.compile("比重|比例|占比|份额")
# Verbs that end the noun after a number that is an object (15件重点提案实行…); not 组织, 服务,
# 培训 and the like, which are nouns as often (37个村集体经济组织).
_AFTER_VERBS = re.compile(
    "开设|实行|开展|建立|成立|举办|召开|组建|引导|推动|带动|印发|出台|签订|推进|整合|聘请|担任|开办|"
    "收购|输送|完成|实现|发现|采纳|审议|通过"
)
# The whole area right before a number, kept with the noun after it (全市9个县（市、区）).
_AREA = re.compile("(?:全市|全州|全县|全省|全区|全盟|全镇|全乡)$")
# What the counted did, after a number that is an object, that names them (聘请56名政协委员担任
# “营商环境监督员”, 120多家企业从事沙产业).
_ROLE = re.compile("担任|成为|组成|从事|获评|入选|进驻|入驻|深入|走访")
# One-character adverbs that never name what a number counts.
_ADVERB_CHARS = frozenset("不便就才都也还又再即则却而")
# What opens an adjectival phrase, whose 的 does not end the noun (10600多名有代表性的界别群众).
_ADJECTIVE = re.compile("有|具有|来自")
# Words that join a list of nouns, kept inside a label only between two of them.
_LIST = re.compile("、|和|及|以及")
_LIST_END = re.compile("(?:、|和|及|以及)$")
_CLAUSE_END = ("", "，", "。", "；", "！", "？", ",", ";", "!", "?")
# Words holding a stop character that do not end a noun phrase (为民服务中心, 从业人员).
_NOT_STOPS = re.compile(
    "作为|行为|为民|所在|存在|现在|实在|到位|对口|对象|从业|从事|自由|理由|和谐|平等|发达|达标|获奖|"
    "大使|将军|供给|同志|同学|同事|合同|相同|协同|同比|及时|普及|涉及|危及|有限|有关|有效|有机|"
    "有色|所有|特有|拥有|民有|先进|先行|后备|落后|前后|经济|经营|经理|按摩|由来|使用|共享|公共|"
    "共建|共识|共产|共青|被告|在建|在校|在岗|在职|在读|在线|在外|向日葵|和平|产后|后勤|于是|给水|把关|让利"
)
# What is left when no label was found: only particles, or 其中.
_FUNCTION_ONLY = re.compile("(?:[和与及、的了等为是在向对把将并或有共约占]|其中)*")
# A verb followed by one of these is a noun (覆盖率, 投入资金, 签约金额), not a verb and its object.
_COMPOUND = re.compile(
    "率|量|额|金额|资金|面积|人数|总额|规模|数|总量|总数|容量|人次|投资|产值|增加值|收入|营收|利润|税收|"
    "就业|增收|脱贫|致富|创业|时限|时间|周期|成本|环节|流程|手续"  # 带动就业23万人: the verb with these is what is counted
)
# 三次到楚雄州调研: after a verbal measure word these open the label instead of ending it.
_ONWARD = re.compile("到|赴|前往|深入|走进")
_LABEL_MAX = 20
# A list of items closed by 等 is kept whole up to this length (完善上下游配套、强化要素保障、
# 加快人才引育等12条具体建议).
_LIST_MAX = 40
_LISTING = re.compile("(?:、|”“)[^、，]*等[^、，等]{0,8}$")
_LOOKBACK = 44


def find_figures(sentence: str, tokenizer: Tokenizer) -> list[Figure]:
    """Every quantity in `sentence`, in order, with its label; names and dates left out.

    >>> from briefing.tokenizer import new_tokenizer
    >>> [(f.text, f.value, f.label) for f in find_figures("促成5家银行向15户企业授信17.6亿元", new_tokenizer())]
    [('5家', 5.0, '银行'), ('15户', 15.0, '企业'), ('17.6亿元', 1760000000.0, '授信')]
    """
    names = _name_spans(sentence)
    masked = _mask(sentence, names)
    figures: list[Figure] = []
    found = []
    for match in _FIGURE.finditer(sentence):
        parsed = _parse(match, sentence)
        if parsed is None:
            continue
        start = match.start("pre") if match["pre"] else match.start("num" if match["num"] else "cn")
        end = match.end()
        if any(a <= start < b for a, b in names) or _in_named_parenthesis(sentence, start, end):
            continue
        found.append((match, start, end, *parsed))
    if not found:
        return []
    words = _Words(sentence, tokenizer, [(start, end) for _m, start, end, _v, _u in found])
    figures: list[Figure] = []
    consumed = 0  # end of the previous figure and of the label it took after it
    previous: tuple[Span, ...] = ()  # the label of the previous figure
    for match, start, end, value, unit in found:
        previous, label_end = _label(sentence, masked, words, start, end, unit, consumed, previous)
        consumed = max(end, label_end)
        figures.append(
            Figure(
                text=sentence[start:end],
                value=value,
                approx=bool(match["pre"] or match["a1"] or match["a2"] or match["post"]),
                unit=unit,
                label="".join(sentence[a:b] for a, b in previous),
                start=start,
            )
        )
    return figures


def section_figures(section: Section, tokenizer: Tokenizer) -> list[Figure]:
    """All figures in a section, in source order, each once, with paragraph and sentence indices.

    A figure repeated with the same text and label (an article restating its headline number) is
    reported at its first place only.
    """
    found: list[Figure] = []
    seen: set[tuple[str, str]] = set()
    for p, paragraph in enumerate(section.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            for figure in find_figures(sentence, tokenizer):
                key = (figure.text, figure.label)
                if key in seen:
                    continue
                seen.add(key)
                found.append(replace(figure, paragraph=p, sentence=s))
    return found


# --- parsing -----------------------------------------------------------------------------


def _parse(match: re.Match[str], sentence: str) -> tuple[float, str] | None:
    """(value, unit) of a candidate match, or None when it is not a figure."""
    unit = match["unit"]
    if match["num"]:
        digits = match["num"].replace(",", "").translate(_FULLWIDTH)
        if sum(c.isdigit() for c in digits) > _MAX_DIGITS:
            return None
        if unit is None:
            # 300万 alone is a quantity; 2022 alone is not.
            if match["mag"] is None:
                return None
            unit = ""
        # Decimal, so that 17.6亿 is 1760000000 and not 1760000000.0000002.
        value = float(Decimal(digits) * _MAGNITUDE[match["mag"]])
    else:
        if unit is None:
            return None
        if match["mag"] is not None:
            return None  # 三万 is read by the numeral parser; 三万亿 and the like are too rare
        chinese = match["cn"]
        number = _chinese_value(chinese)
        if number is None or chinese in ("一", "二"):
            return None  # 一批、一年、二次: fixed phrases and ordinals, not counts
        if unit not in _CHINESE_UNITS and not any(c in chinese for c in "百千万亿"):
            return None
        after = sentence[match.end():]
        if _CN_FIXED_AFTER.match(after):
            return None
        if unit == "次" and _SESSION.match(after) and sentence[: match.start()].endswith("届"):
            return None  # 十三届三次会议: the third session
        value = float(number)
    if unit == "％":
        unit = "%"
    if match["per"]:
        unit += match["per"]
    if not math.isfinite(value) or value < 0:
        return None
    return value, unit


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _chinese_value(text: str) -> int | None:
    """Value of a Chinese numeral (十二 → 12, 两千三百 → 2300, 三万 → 30000), None if malformed."""
    total = 0
    section = 0
    digit: int | None = None
    last_small = 10_000
    last_big = 10**12
    for char in text:
        if char in _CN_DIGIT:
            if digit is not None and digit != 0:
                return None  # 二三: a list of digits, not a number
            digit = _CN_DIGIT[char]
        elif char in _CN_SMALL:
            size = _CN_SMALL[char]
            if size >= last_small:
                return None
            if digit is None:
                if char != "十" or section or total:
                    return None
                digit = 1
            section += digit * size
            digit = None
            last_small = size
        else:
            size = _CN_BIG[char]
            if size >= last_big:
                return None
            section += digit or 0
            digit = None
            if section == 0:
                return None
            total += section * size
            section = 0
            last_small = 10_000
            last_big = size
    return total + section + (digit or 0)


# --- quotes ------------------------------------------------------------------------------


def _name_spans(sentence: str) -> list[tuple[int, int]]:
    """The quotation and title spans of `sentence` that are names, as (start, end) offsets.

    A span is a name when it is a book title 《…》, or a quotation closed within the sentence
    that holds no sentence mark and is short: ``“1235”``, ``“扎实稳住经济一揽子政策措施（50条）”``.
    Quoted speech (``“全州新增就业岗位3万个。”``) keeps its figures.
    """
    names: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(sentence):
        if char in _OPEN_CLOSE:
            stack.append((char, i))
        elif stack and char == _OPEN_CLOSE[stack[-1][0]]:
            opener, begin = stack.pop()
            # The length first: slicing every inside would be quadratic in the nesting.
            if opener in "《〈" or (
                i - begin - 1 <= _NAME_QUOTE_MAX and not _SPEECH_MARK.search(sentence, begin + 1, i)
            ):
                names.append((begin, i + 1))
    return names


def _mask(sentence: str, spans: list[tuple[int, int]]) -> str:
    """`sentence` with the inside of every name replaced, so word searches skip names.

    Spans nest (《…“…”…》), and an outer span's inside covers its inner spans whole, so only
    the outermost ones are masked: linear in the sentence however deep the nesting."""
    parts = []
    done = 0
    for begin, end in sorted(spans):
        if begin < done:
            continue  # inside a span already masked
        parts.append(sentence[done : begin + 1])
        parts.append("＿" * max(0, end - begin - 2))
        done = max(begin + 1, end - 1)
    parts.append(sentence[done:])
    return "".join(parts)


def _in_named_parenthesis(sentence: str, start: int, end: int) -> bool:
    """``《…措施》（50条）``: a parenthesis right after a name belongs to the name."""
    left = sentence.rfind("（", 0, start)
    if left <= 0 or sentence[left - 1] not in "”》":
        return False
    right = sentence.find("）", end)
    return right != -1 and "）" not in sentence[left:start]


# --- labels ------------------------------------------------------------------------------

Span = tuple[int, int]


class _Words:
    """The word boundaries of one sentence: a label starts and ends only on them.

    Each figure is a word, and the text between figures is cut by jieba, so that the words
    after a figure are whole even where jieba alone would join them to its measure word
    (``83户农变花商`` cut as 户农变/花商, ``37个村`` as 个村). Dictionary words only (no HMM):
    jieba's guesses at unknown words join a label's last character to the verb after it
    (``办结率达80.6%`` cut as 办结/率达).
    """

    def __init__(self, sentence: str, tokenizer: Tokenizer, figures: list[Span]) -> None:
        bounds = {0, len(sentence)}
        pieces = [0, *(i for span in figures for i in span), len(sentence)]
        for begin, end in zip(pieces[::2], pieces[1::2]):
            cut = tokenizer.tokenize(sentence[begin:end], HMM=False)
            bounds.update(begin + stop for _word, _start, stop in cut)
        bounds.update(pieces)
        self.bounds = sorted(bounds)
        self.set = frozenset(bounds)

    def right(self, i: int) -> int:
        """The first boundary at or after `i`."""
        return self.bounds[bisect_left(self.bounds, i)]

    def left(self, i: int) -> int:
        """The last boundary at or before `i`."""
        return self.bounds[bisect_right(self.bounds, i) - 1]

    def inner(self, begin: int, end: int) -> Span | None:
        """The whole words inside [begin, end), or None when there are none."""
        begin, end = self.right(begin), self.left(end)
        return (begin, end) if begin < end else None

    def aligned(self, begin: int, end: int) -> bool:
        return begin in self.set and end in self.set


def _label(
    sentence: str, masked: str, words: _Words, start: int, end: int, unit: str, consumed: int,
    previous: tuple[Span, ...],
) -> tuple[tuple[Span, ...], int]:
    """(the label's spans in reading order, end of the words it took after the figure).

    After a measure word that stands before its noun (``5家银行``) the noun after wins, with the
    qualifier before the number when a verb introduces both (``推动了高中教育提质增效30条措施`` →
    高中教育提质增效措施), and with what the counted did when the number opens the clause
    (``33家企业获评江苏省省级智能工厂``). After other units (``授信17.6亿元``) the words before.
    `previous` is the label of the figure just before, reused when only a linking verb stands
    between the two (``参加人数由500人增加到2000人``) or put in front of a share or a change
    that opens its clause (``完成投资218亿元，占全省的12.4%``).
    """
    if sentence[end : end + 1] == "的":
        # 贡献了50%以上的税收, 一支300人的志愿服务队: what is counted follows 的.
        of = _label_after(sentence, masked, words, end + 1, unit)
        if of:
            return (of,), of[1]
    after = _label_after(sentence, masked, words, end, unit)
    before, verb, clause = _label_before(sentence, masked, words, start, consumed)
    if unit in _CLASSIFIERS or unit == "":
        link = masked[before[1] : start] if before else ""
        if after and before and (verb and link in ("", "的") or link in ("的", "等")):
            # 推动了高中教育提质增效30条措施, 出台支持民营经济发展的15条措施, 中部地区的12个县,
            # 深入雷山、黎平、从江、榕江等8个县
            return ((before[0], start), after), after[1]
        subject = _SUBJECT.fullmatch(masked[clause:start])
        area = _AREA.search(masked, clause, start)
        whole = ((area.start(), start),) if area and words.aligned(area.start(), start) else ()
        if subject or after and _ROLE.match(masked, after[1]):
            # 33家企业获评江苏省省级智能工厂, 聘请56名政协委员担任“营商环境监督员”: the counted
            # are named by what they did, up to the end of the clause.
            acted = _label_after(sentence, masked, words, end, unit, _ACT_STOPS, lists=True, most=_LIST_MAX)
            if acted and sentence[acted[1] : acted[1] + 1] in _CLAUSE_END:
                if subject and previous and sentence[acted[0]] == "被":
                    return (*previous, acted), acted[1]  # 建议46条，其中23条被采纳: of those 建议
                return (*whole, acted), acted[1]
        if subject:
            listed = _label_after(sentence, masked, words, end, unit, lists=True)
            if listed:
                return (*whole, listed), listed[1]
        if after:
            return (*whole, after), after[1]  # 在全市182个乡镇（街道）: 全市乡镇（街道）
    if before and before[1] - before[0] == 1 and after:
        return (after,), after[1]  # 修了15公里路: 路, not 修
    if before:
        if previous and _RELATION.match(masked, clause):
            return (*previous, before), end  # 较2019年底增长31.2%: of the figure before
        return (before,), end
    if after:
        return (after,), after[1]
    if previous and _TRAIL.fullmatch(masked[consumed:start]):
        return previous, end
    # 近3万人参加了培训: nothing names the people but what they did.
    did = _label_after(sentence, masked, words, end, unit, stops=None)
    if previous and masked[consumed:start].strip("，,；; ") == "其中" and (
        did is None or sentence[did[1] : did[1] + 1] == "、"
    ):
        # 建议46条，其中23条被州委、州政府采纳: "被州委" would be half a phrase; of those 建议.
        return previous, end
    if did:
        return (did,), did[1]
    topic = _topic(sentence, masked, words, clause)
    if topic and _TRAIL.fullmatch(masked[clause:start]):
        return (topic,), end  # 地区生产总值连续迈上新台阶，2022年达到3427.8亿元
    # Nothing reads as a label: the words around the figure, so that a label is never empty.
    return (words.inner(clause, start) or (words.left(start), words.right(end)),), end


def _topic(sentence: str, masked: str, words: _Words, clause: int) -> Span | None:
    """The noun phrase that opens the clause before `clause`, up to its first verb or adverb."""
    if clause < 2 or sentence[clause - 1] not in "，,；;":
        return None
    begin = clause - 1
    while begin > 0 and sentence[begin - 1] not in _PUNCT and clause - begin <= _LOOKBACK:
        begin -= 1
    mask = masked[begin : clause - 1]
    cut = 0
    for date in _DATE.finditer(mask):
        cut = date.end()
    cut += _lead(mask, cut, words, begin)
    end = cut
    while end < len(mask) and not (
        begin + end in words.set
        and (_STOPS.match(mask, end) or _CUT_VERBS.match(mask, end) or _ADVERB.match(mask, end))
    ):
        end += 1
    span = words.inner(begin + cut, begin + end)
    return span if span and span[1] - span[0] <= _LABEL_MAX else None


def _label_after(
    sentence: str, masked: str, words: _Words, end: int, unit: str,
    stops: re.Pattern[str] | None = _STOPS, lists: bool = False, most: int = _LABEL_MAX,
) -> Span | None:
    """The noun phrase after the measure word, up to punctuation, a number or a stop word.

    With `lists`, a list of nouns is kept whole (十多名居民代表、政协委员和社区干部).
    """
    i = end
    limit = min(len(sentence), end + most + 8)
    onward = unit in _VERBAL and _ONWARD.match(masked, i)
    if onward:
        i = onward.end()  # 三次到楚雄州调研: the trip is the label, keep its verb
        stops = None
    not_stop = -1
    while i < limit:
        char = sentence[i]
        if char in _OPEN_CLOSE or (char in "（(" and i > end):
            # “协商在基层”议事室, 9个县（市、区）: a name or an aside belongs to the noun
            close = sentence.find(_OPEN_CLOSE.get(char, "）" if char == "（" else ")"), i + 1)
            if close == -1 or close - end > most + 8 or (char in "（(" and close - i > 8):
                break
            i = close + 1
            if char in "（(":
                break  # the aside ends the noun
            continue
        if char == "的" and i - end > 1 and i in words.set and not _ADJECTIVE.match(masked, end):
            break  # 43家银行机构的金融产品: the banks are counted
        if char in _PUNCT or char.isspace() or char.isdigit() or (char == "、" and not lists):
            break
        exempt = _NOT_STOPS.match(masked, i)
        if exempt and words.aligned(i, exempt.end()):
            not_stop = exempt.end()
        if stops is not None and i >= not_stop and i in words.set:
            stop = stops.match(masked, i)
            if stop and stop.end() in words.set and not (lists and _LIST.fullmatch(stop.group())):
                break
            verb = _AFTER_VERBS.match(masked, i) if stops is _STOPS and i > end else None
            if verb and verb.end() in words.set:
                break  # 15件重点提案实行…: a verb ends the noun
        i += 1
    span = words.inner(end, i)
    while span and lists and (tail := _LIST_END.search(sentence, span[0], span[1])):
        span = words.inner(span[0], tail.start())  # 委员与10600多名…: the list ends before 与
    if span is None or sentence[span[0]] == "的" or span[1] - span[0] > most:
        return None
    if span[1] - span[0] == 1 and sentence[span[0]] in _ADVERB_CHARS:
        return None  # 仅用3个月便完成, 5元不等: an adverb, not a noun
    return span


def _label_before(
    sentence: str, masked: str, words: _Words, start: int, consumed: int
) -> tuple[Span | None, bool, int]:
    """(the words before the number, whether an object-taking verb opens them, clause start).

    The label runs from the last verb that takes it as object, or from the clause start, to the
    number, less linking words (达、为…), on whole words.
    """
    text_end = start
    if sentence[start - 1 : start] in ("）", ")"):
        # 委员工作室（站）56个: a parenthesis before the number belongs to the label.
        opening = max(sentence.rfind("（", consumed, start), sentence.rfind("(", consumed, start))
        if opening > consumed and start - opening <= 8:
            text_end = opening
    begin = max(consumed, start - _LOOKBACK, 0)
    i = text_end - 1
    while i >= begin:
        if sentence[i] in "）)" and (opening := _aside_start(sentence, i, begin)) is not None:
            i = opening - 1  # 乡镇（街道）协商议事室: an aside does not end the label
            continue
        if sentence[i] in _PUNCT or sentence[i].isspace():
            begin = i + 1
            break
        i -= 1
    clause = words.right(begin)
    mask = masked[clause:text_end]
    limit = _LIST_MAX if _LISTING.search(mask) else _LABEL_MAX
    trail = _TRAIL.search(mask)
    if trail and text_end == start:  # 委员参与率达100%: 达 links, it does not name
        link = words.right(clause + trail.start())  # 产能达: 能 is not a link here
        if link < start:
            mask, start = mask[: link - clause], link
    cut = 0
    for date in _DATE.finditer(mask):  # 比2012年提高了5个百分点
        cut = date.end()
    verb = False
    first = cut
    for at in range(cut, len(mask)):
        adverb = _ADVERB_CUT.match(mask, at)
        if adverb and words.aligned(clause + at, clause + adverb.end()) and len(mask) - adverb.end() > 1:
            cut = adverb.end()  # 赣州累计投入资金: the place and the adverb are not what is counted
            continue
        found = _CUT_VERBS.match(mask, at)
        if found is None or not words.aligned(clause + at, clause + found.end()):
            continue  # 新开工: not the verb the pattern names
        opening = at == first or mask.startswith("在", first)  # 在主要产花镇建设冷链集配中心
        listed = "、" in (mask[at - 1 : at], mask[found.end() : found.end() + 1])
        if found.group() in _OPENING_ONLY and not opening or listed:
            continue  # 新农村建设村点: a noun here; 增加…、推动…等建议, 老旧小区改造、…: one item of a list
        rest = mask[found.end() :]
        # 各级政协组织300个, 森林覆盖率, 投入资金: the verb is part of the noun.
        if len(rest) > 1 and not _COMPOUND.fullmatch(rest) and not rest.endswith("率"):
            cut, verb = (at if _COUNTED_VERBS.fullmatch(found.group()) else found.end()), True
    of = max(mask.rfind("的"), mask.rfind("了"))
    if cut <= of < len(mask) - 1 and not _SHARE.fullmatch(mask, of + 1):
        cut = of + 1
    for anchor in _ANCHORS.finditer(mask, max(cut - 1, 0)):
        cut = anchor.start()  # 助推新增市场主体: 新增 belongs to the label
        break
    cut += _lead(mask, cut, words, clause)
    if len(mask) - cut > limit:
        # 出台《关于…的意见》等制度文件12个: after a long title, the noun that follows it.
        # 增加城区学位供给、推动县域医共体建设等建议28条: after a long list, its last item.
        # “我要开餐馆”“我要办超市”等高频“一件事”主题套餐218项: after 等, what they are.
        close = max(mask.rfind("”"), mask.rfind("》"))
        etc, item = mask.rfind("等"), mask.rfind("、")
        if close < etc < len(mask) - 3 and words.aligned(clause + etc, clause + etc + 1):
            close = etc
        elif close < cut and len(mask) - max(etc, item) > 2:
            close = max(etc, item)
        if cut <= close < len(mask) - 1:
            cut = close + 1 + _lead(mask, close + 1, words, clause)
    if _FUNCTION_ONLY.fullmatch(mask, cut):
        return None, verb, clause  # 2100余名委员与10600多名…: only a conjunction is left, no label
    cut = max(cut, len(mask) - limit)
    while cut < len(mask) and (mask[cut] == "＿" or mask[cut] in "”’」』》、"):
        cut += 1  # not from inside a name: “关于…的提案”等12件
    while sentence[clause + cut : clause + cut + 1] in "“‘「『" and cut < len(mask):
        if _OPEN_CLOSE[sentence[clause + cut]] in sentence[clause + cut : start]:
            break
        cut += 1  # ``“今年全州新增…``: an opening mark left over from speech
    return words.inner(clause + cut, start), verb, clause


def _aside_start(sentence: str, close: int, begin: int) -> int | None:
    """Where the short parenthesis closed at `close` opens (县（市、区）), or None."""
    opening = max(sentence.rfind("（", begin, close), sentence.rfind("(", begin, close))
    return opening if opening != -1 and close - opening <= 8 else None


def _lead(mask: str, pos: int, words: _Words, offset: int) -> int:
    """How many characters of adverbs and particles open the label at `pos` (其中, 年内, 已…)."""
    begin = pos
    while (lead := _LEAD.match(mask, pos)) and lead.end() < len(mask) and not _NOT_STOPS.match(mask, pos):
        if not words.aligned(offset + pos, offset + lead.end()):
            break
        pos = lead.end()
    return pos - begin

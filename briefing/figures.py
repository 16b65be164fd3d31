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
``委员工作室218个`` the noun before the number, with leading verbs (开展、建立…) cut away.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from decimal import Decimal

from .model import Figure, Section

# --- numbers and units -------------------------------------------------------------------

_ARABIC = r"[0-9０-９]{1,3}(?:,[0-9]{3})+(?:[.．][0-9０-９]+)?|[0-9０-９]+(?:[.．][0-9０-９]+)?"
_CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CHINESE = rf"[{_CHINESE_DIGITS}]+"

# Units after which a figure may stand. Magnitudes (万, 亿) are parsed apart, so 万吨 and 亿元
# come out as unit 吨 and 元 with the value multiplied.
_UNITS = (
    "个百分点 百分点 % ％ ‰ "
    "美元 元 "
    "人次 户次 件次 场次 班次 架次 车次 人 名 位 户 家 个月 个 项 次 场 件 座 所 条 支 批 篇 份 "
    "平方公里 平方千米 平方米 立方米 公顷 亩 公里 千米 米 吨 千克 公斤 "
    "千瓦时 千瓦 兆瓦 kWh kW MW GW km "
    "辆 台 套 间 张 本 册 部 处 种 类 栋 幢 棵 株 头 只 轮 期 门 首 幅 "
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
    "个 次 场 场次 项 件 家 户 名 位 批 条 座 所 支 篇 份 轮 个百分点 百分点 倍 人次 个月".split()
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
    "建立了?|建成|成立|开展|组织|召开|举办|提供|资助|帮助|帮扶|助推|助力|推动|促成|促进|解决|实现|完成|"
    "办理|提交|提出|收到|受理|接待|走访|慰问|捐赠|捐助|捐款|筹集|募集|发放|投入|争取|落实|打造|创建|"
    "培育|培训|覆盖|惠及|带动|吸纳|安置|签约|签订|引进|招引|培养|选派|聘请|编入|开通|出台|制定|印发|"
    "发布|评选|表彰|搭建|设立|建起|撰写|报送|形成|征集|审议|参加|涉及|整治|改造|修建|种植|销售|实施|"
    "启动|推出|通过|审查|拥有|共有|现有|已有|共收到|新开|达成|获得|获|交出|推荐|转化|办结|化解|调解|吸引|"
    "召集|邀请|列席|汇聚|动员|发动|走进|深入"
)
# Words that begin a label and are kept (新增市场主体, 实际放贷).
_ANCHORS = re.compile("新增|新建|新开工|新认定|新培育|实际|净增")
# Adverbs and particles that may open the stretch before a number (各类协商活动 → 协商活动).
_LEAD = re.compile(
    "各类|各项|各种|全年|年内|今年|当年|去年|其中|共计|累计|总计|合计|先后|分别|已经|全部|发展|"
    "共|已|还|又|并|均|都|仅|和|与|及|、|等|为|对|向|在|把|将|了|的|达|后"
)
# Linking words between a label and its number (委员参与率达100%): dropped from the label.
_TRAIL = re.compile(
    "(?:可达|可|将|预计|达到|达|为|是|拥有|现有|共有|已有|还有|只有|有|共计|共|计|累计|合计|总计|约|"
    "分别|均|各|先后|已经|已|都|增至|增加到|提高到|提升到|降至|超过|突破|超|至|到|由|从|占|了|的|和|与|"
    "、|等)+$"
)
# Words that end a label after the measure word (15户企业授信… → 企业).
_STOPS = re.compile(
    "以及|得到|获得|建立|实现|参加|参与|开展|进行|落实|落地|完成|授信|放贷|受益|通过|入驻|签约|纳入|"
    "达到|成为|用于|涉及|覆盖|带动|提供|实施|已经|正在|先后|累计|开工|投产|建成|整改|办结|结案|上线|"
    "分别|全部|共同|相继|陆续|积极|主动|纷纷|共|都|均|已|"
    "向|在|到|于|从|对|给|把|让|使|由|被|将|和|与|同|及|并|等|为|达|获|经|按|"
    "先|后"
)
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
_COMPOUND = re.compile("率|量|额|金额|资金|面积|人数|总额|规模|数|总量|总数|容量|人次")
# Time phrases before a label (比2012年提高了, 前三季度全市GDP): the label starts after them.
_DATE = re.compile(r"[0-9０-９]+(?:年|月|日)(?:底|初|末|以来|前)?|(?:前|上|下)?(?:[一二三四]季度|半年)")
# 三次到楚雄州调研: after a verbal measure word these open the label instead of ending it.
_ONWARD = re.compile("到|赴|前往|深入|走进")
_LABEL_MAX = 16
_LOOKBACK = 24


def find_figures(sentence: str) -> list[Figure]:
    """Every quantity in `sentence`, in order, with its label; names and dates left out.

    >>> [(f.text, f.value, f.label) for f in find_figures("促成5家银行向15户企业授信17.6亿元")]
    [('5家', 5.0, '银行'), ('15户', 15.0, '企业'), ('17.6亿元', 1760000000.0, '授信')]
    """
    names = _name_spans(sentence)
    masked = _mask(sentence, names)
    figures: list[Figure] = []
    consumed = 0  # end of the previous figure and of the label it took after it
    previous = ""  # the label of the previous figure
    for match in _FIGURE.finditer(sentence):
        parsed = _parse(match, sentence)
        if parsed is None:
            continue
        value, unit = parsed
        start = match.start("pre") if match["pre"] else match.start("num" if match["num"] else "cn")
        end = match.end()
        if any(a <= start < b for a, b in names) or _in_named_parenthesis(sentence, start, end):
            continue
        label, label_end = _label(sentence, masked, start, end, unit, consumed, previous)
        previous = label
        consumed = max(end, label_end)
        figures.append(
            Figure(
                text=sentence[start:end],
                value=value,
                approx=bool(match["pre"] or match["a1"] or match["a2"] or match["post"]),
                unit=unit,
                label=label,
                start=start,
            )
        )
    return figures


def section_figures(section: Section) -> list[Figure]:
    """All figures in a section, in source order, each once, with paragraph and sentence indices.

    A figure repeated with the same text and label (an article restating its headline number) is
    reported at its first place only.
    """
    found: list[Figure] = []
    seen: set[tuple[str, str]] = set()
    for p, paragraph in enumerate(section.paragraphs):
        for s, sentence in enumerate(paragraph.sentences):
            for figure in find_figures(sentence):
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


def _label(
    sentence: str, masked: str, start: int, end: int, unit: str, consumed: int, previous: str
) -> tuple[str, int]:
    """(label, end of the words it took after the figure).

    After a measure word that stands before its noun (``5家银行``) the noun after wins; after
    other units (``授信17.6亿元``) the words before. Each side is the fallback of the other.
    `previous` is the label of the figure just before, reused when only a linking verb stands
    between the two (``60岁以上老年人口达到70万``, ``参加人数由500人增加到2000人``).
    """
    if unit in ("%", "‰") and sentence[end : end + 1] == "的":
        # 贡献了50%以上的税收: the share is of the noun after 的.
        of, of_end = _label_after(sentence, masked, end + 1, unit)
        if of:
            return of, of_end
    after, after_end = _label_after(sentence, masked, end, unit)
    if unit in _CLASSIFIERS and after:
        return after, after_end
    before = _label_before(sentence, masked, start, consumed)
    if len(before) == 1 and after:
        return after, after_end  # 修了15公里路: 路, not 修
    if before:
        return before, end
    if after:
        return after, after_end
    if previous and _TRAIL.fullmatch(masked[consumed:start]):
        return previous, end
    # 近3万人参加了培训: nothing names the people but what they did.
    label, label_end = _label_after(sentence, masked, end, unit, stops=False)
    if previous and masked[consumed:start].strip("，,；; ") == "其中" and sentence[label_end : label_end + 1] == "、":
        # 建议46条，其中23条被州委、州政府采纳: "被州委" would be half a phrase; of those 建议.
        return previous, end
    return label, label_end


def _label_after(sentence: str, masked: str, end: int, unit: str, stops: bool = True) -> tuple[str, int]:
    """The noun phrase after the measure word, up to punctuation, a number or a verb."""
    i = end
    limit = min(len(sentence), end + _LABEL_MAX + 8)
    onward = unit in _VERBAL and _ONWARD.match(masked, i)
    if onward:
        i = onward.end()  # 三次到楚雄州调研: the trip is the label, keep its verb
    stops = stops and not onward
    not_stop = -1
    while i < limit:
        char = sentence[i]
        if char in _OPEN_CLOSE:
            close = sentence.find(_OPEN_CLOSE[char], i + 1)
            if close == -1 or close - end > _LABEL_MAX + 8:
                break
            i = close + 1
            continue
        if char in _PUNCT or char.isdigit() or char in "、":
            break
        exempt = _NOT_STOPS.match(masked, i)
        if exempt:
            not_stop = exempt.end()
        if stops and i >= not_stop and _STOPS.match(masked, i):
            break
        i += 1
    label = sentence[end:i]
    if label.startswith("的") or len(label) > _LABEL_MAX:
        return "", end
    return label, i


def _label_before(sentence: str, masked: str, start: int, consumed: int) -> str:
    """The words before the number: from the last verb that takes them as object, or a boundary."""
    aside = ""
    if sentence[start - 1 : start] in ("）", ")"):
        # 委员工作室（站）56个: a parenthesis before the number belongs to the label.
        opening = max(sentence.rfind("（", consumed, start), sentence.rfind("(", consumed, start))
        if opening > consumed and start - opening <= 8:
            aside, start = sentence[opening:start], opening
    begin = max(consumed, start - _LOOKBACK, 0)
    for i in range(start - 1, begin - 1, -1):
        if sentence[i] in _PUNCT:
            begin = i + 1
            break
    text = sentence[begin:start]
    mask = masked[begin:start]
    trail = _TRAIL.search(mask)
    if trail:  # 委员参与率达100%: 达 links, it does not name
        text, mask = text[: trail.start()], mask[: trail.start()]
    cut = 0
    for date in _DATE.finditer(mask):  # 比2012年提高了5个百分点
        cut = date.end()
    for found in _CUT_VERBS.finditer(mask, cut):
        rest = mask[found.end() :]
        # 各级政协组织300个, 森林覆盖率, 投入资金: the verb is part of the noun.
        if len(rest) > 1 and not _COMPOUND.fullmatch(rest):
            cut = found.end()
    of = max(mask.rfind("的"), mask.rfind("了"))
    if cut <= of < len(mask) - 1:
        cut = of + 1
    for anchor in _ANCHORS.finditer(mask, cut):
        cut = anchor.start()  # 助推新增市场主体: 新增 belongs to the label
        break
    text, mask = _strip_lead(text[cut:], mask[cut:])
    if len(text) > _LABEL_MAX:
        # 出台《关于…的意见》等制度文件12个: after a long title, the noun that follows it.
        close = max(mask.rfind("”"), mask.rfind("》"))
        if 0 <= close < len(mask) - 1:
            text, mask = _strip_lead(text[close + 1 :], mask[close + 1 :])
    if _FUNCTION_ONLY.fullmatch(mask):
        return ""  # 2100余名委员与10600多名…: only a conjunction is left, no label
    return _balance(text[-_LABEL_MAX:]) + aside


def _balance(label: str) -> str:
    """Drop an opening quotation mark left over from speech: ``“今年全州新增…`` → ``今年全州新增…``."""
    while label and label[0] in "“‘「『" and _OPEN_CLOSE[label[0]] not in label:
        label = label[1:]
    return label


def _strip_lead(text: str, mask: str) -> tuple[str, str]:
    """Drop adverbs and particles in front of a label (各类协商活动 → 协商活动), not all of it."""
    pos = 0
    while (lead := _LEAD.match(mask, pos)) and lead.end() < len(mask) and not _NOT_STOPS.match(mask, pos):
        pos = lead.end()
    return text[pos:], mask[pos:]

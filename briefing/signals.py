"""What an editor looks at in one sentence: the signals the summariser weighs.

In: a sentence's text (and, from `summarise`, its place in the section and its similarity to
the section, the heading and the article). Out: named numbers, each a reason an editor would
give for picking the sentence or passing it over, following the editors' brief (bench/devset):
concrete measures and results, best with figures, who did what, readable on its own; not
slogans, rhetorical openers and closers, scene-setting, praise, questions, quoted speech, or
sentences that lean on the one before.

Each signal is a small number (a count capped at 3, or 0/1), so that a linear model fitted on
the editors' picks (bench/fit_summariser.py) can weigh them and `--explain` can show them.
"""

from __future__ import annotations

import re

from .sentences import CLOSERS

_ACTION = re.compile(
    "出台|建立|成立|开展|召开|举办|组织|推动|助推|促成|实现|完成|新增|创建|实施|启动|搭建|制定|印发|"
    "发布|签订|投入|建成|新建|解决|办理|提出|形成|评选|命名|授信|放贷|帮助|资助|引进|培育|打造|"
    "部署|审议|通过|落实|整合|设立|聘请|编入|开通|上线|推广|改造|修订|提交|立案|督办|建设|探索|"
    "组建|选派|联系|走访|调研|视察|协商|监督|征集|采纳|转化|批示|吸纳|带动|安置|培训|覆盖"
)
_RESULT = re.compile("累计|同比|增长|提高|提升|下降|降至|达到|达|突破|超过|增至|翻番|实现了|位居|排名|获评|入选|列入")
_DOCUMENT = re.compile(r"《[^》]{2,}》")
_NAMED = re.compile(r"“[^”]{2,20}”")
_ACTOR = re.compile(r"政协|委员|党委|政府|人大|州委|市委|县委|区委|部门|党组|机关|组织|企业|学校|医院|专委会|常委会")
_SLOGAN = re.compile(r"^(?:只有|唯有|没有|要想).{1,14}[，,].{0,4}(?:才|就|方)")
_RHETORIC = re.compile(
    "谱写|新篇章|新征程|踔厉奋发|笃行不怠|砥砺前行|答卷|生动写照|缩影|浪花|注脚|彰显|画卷|蓝图|号角|"
    "奋楫|扬帆|底色|成色|初心|使命|担当|凝心聚力|同心同向|与生俱来|光荣|伟大|波澜壮阔|奋进|蓄势|"
    "一幅|一道|一曲|见证|生动实践|真实写照|最好的|关键在于|归根结底|说到底|意义重大|至关重要"
)
_SCENE = re.compile(
    "走进|漫步|清晨|傍晚|冬日|夏日|春日|秋日|初冬|深秋|盛夏|来到|眼前|映入眼帘|只见|笑着|忙着|"
    "记者看到|记者在|记者来到|记者了解到|一派|热闹|忙碌|欢声笑语|格外|熠熠"
)
_FUTURE = re.compile("将继续|将进一步|将持续|将着力|将聚焦|将全力|将以|下一步|今后|未来|力争|计划到|预计|将努力|将不断|将坚持")
_PRAISE = re.compile("充分肯定|高度评价|好评|点赞|称赞|赞誉|肯定和|给予了|一致认为")
_SPEECH_INTRO = re.compile(r"(?:说|表示|介绍|感叹|坦言|告诉记者|如是说|如是评价|指出|认为|强调)[：:。]?$")
_SPEAKER_TURN = re.compile(r"^[\u3400-\u9fff·]{2,5}[：:]")
_PRONOUN = re.compile(r"^(?:而|但|可|也)?(?:这|那|此|其|他|她|它|该|上述|以上)")
_CONNECTIVE = re.compile(
    r"^(?:此外|同时|另外|为此|因此|对此|由此|与此同时|在此基础上|此后|随后|然而|但是|不过|而且|并且|"
    r"所以|于是|接着|其中|当然|可见|总之|综上|首先|其次|再次|最后|一方面|另一方面)"
)
_THESIS = re.compile(r"^(?:近年来|近些年来|近年|一年来|多年来|今年以来|去年以来|年初以来|\d{4}年以来|党的十[八九]大以来|"
                     r"新时代以来|“十[三四]五”以来|自[^，。]{2,12}以来)")
_PROPOSAL = re.compile(r"^(?:[\u3400-\u9fff·]{2,5}[：:])?(?:我)?(?:建议|呼吁|提议|应当|应该|要)|建议")
_SUBJECT = re.compile(r"^(?:[\u3400-\u9fff]{1,8}?(?:市|州|县|区|省|盟|旗))?(?:政协|委员|党委|政府|人大|市委|州委|县委|各级)")
_TIME = re.compile(r"\d{4}年|今年|去年|年内|一年来|近年来|近年|以来|截至|目前|全年|当年")

MIN_LENGTH = 12

_LEANS = re.compile(
    r"^(?:而|但|可|也)?(?:这|那|此|该|上述|以上|他|她|它|其)"
    r"|^(?:此外|对此|为此|由此|另外|在此基础上|此后|随后|然而|但是|不过|而且|并且|所以|于是|因此)"
)


def leans_on_previous(text: str) -> bool:
    """True for a sentence that means little without the one before it: ``这些举措…``,
    ``此外，…``, ``对此，…``, ``该系统…``, ``他说…``, ``其中，…``. The editors' brief passes these over
    whenever the section has another candidate."""
    return bool(_LEANS.match(text.strip().lstrip("“「『")))

SIGNALS = (
    "figures", "document", "actions", "results", "named", "actor", "time",
    "short", "very_short", "long", "question", "quotation", "speech", "turn",
    "pronoun", "connective", "slogan", "rhetoric", "scene", "future", "praise", "trailing",
    "thesis", "proposal", "subject",
)
"""The text signals, in the order `text_signals` returns them."""


def text_signals(text: str, quoted: float = 0.0, figures: int = 0) -> tuple[float, ...]:
    """The signals of `SIGNALS` for one sentence.

    `quoted` is the share of its characters inside quotation marks (speech, lyrics, slogans);
    `figures` how many figures (quantities with units) it holds.
    """
    body = text.strip()
    core = body.rstrip(CLOSERS)
    length = len(body)
    opening = body.lstrip("“「『")
    return (
        min(figures, 3) / 3,
        float(bool(_DOCUMENT.search(body))),
        min(len(_ACTION.findall(body)), 3) / 3,
        min(len(_RESULT.findall(body)), 2) / 2,
        float(bool(_NAMED.search(body))),
        float(bool(_ACTOR.search(body))),
        float(bool(_TIME.search(body))),
        float(MIN_LENGTH <= length < 22),
        float(length < MIN_LENGTH),
        float(length > 120),
        float(core.endswith(("？", "?"))),
        float(quoted > 0.6) + quoted / 2,
        float(bool(_SPEECH_INTRO.search(core))),
        float(bool(_SPEAKER_TURN.match(body))),
        float(bool(_PRONOUN.match(opening))),
        float(bool(_CONNECTIVE.match(opening))),
        float(bool(_SLOGAN.search(body))),
        min(len(_RHETORIC.findall(body)), 3) / 3,
        float(bool(_SCENE.search(body))),
        float(bool(_FUTURE.search(body))),
        float(bool(_PRAISE.search(body))),
        float(body.endswith(("……", "……”"))),
        float(bool(_THESIS.match(opening))),
        float(bool(_PROPOSAL.search(body))),
        float(bool(_SUBJECT.match(opening))),
    )

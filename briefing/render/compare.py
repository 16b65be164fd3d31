"""Figures of different regions that count the same kind of thing, lined up for 主要数据对照.

In: each region's figures. Out: rows, one per comparable measure, with one figure per region.
Two figures are comparable when their units belong to one family (场 and 场次 count events,
户 and 家 count businesses, 元 counts money) and their labels name the same thing: the same
label, or the same head noun (labels end in what they count, ``委员履职党支部`` and
``委员界别活动组党支部`` both end in 党支部). A head noun too general to say what was counted
(活动, 企业, 措施) needs a shared qualifier as well: ``协商议事活动`` lines up with
``协商活动``, never with ``学习活动``. What is not comparable is left out; no row pairs
unrelated figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Figure

_FAMILIES = {
    "events": "次 场 场次 轮 期 批 批次 届",
    "people": "人 名 位 人次",
    "papers": "件 条 项 篇 份 件次",
    "things": "个 家 户 座 所 处 间 支 栋 幢 套 台 辆 张 本 部 册 种 类 门 首 幅",
    "percent": "% ％",
}
UNIT_FAMILY = {unit: family for family, units in _FAMILIES.items() for unit in units.split()}

GENERIC_HEADS = frozenset(
    "活动 工作 项目 企业 措施 举措 政策 问题 意见 建议 成果 制度 机制 单位 部门 人员 群众 资金 "
    "资源 任务 事项 文件 会议 场次 人次 次数 数量 总数 规模 投资 金额 主体 平台 阵地 载体 组织 "
    "委员会 工作组 示范区 课题 报告 信息 面积 人数 总量 收入 产值 比例 比重 增速 增长 同比增长 率".split()
)
"""Head nouns that do not say on their own what was counted."""

_TRIM = "的之“”‘’\"'（）()《》、 "
_QUANTIFIERS = ("各类", "各项", "各种", "各级", "全年", "累计", "共计", "其中", "全部", "所有")
"""Words before a label that count nothing: 各类协商活动 and 各类学习活动 share no qualifier."""
MIN_HEAD = 2


def unit_family(unit: str) -> str:
    """``场次`` → ``events``; a unit outside the families is its own family (亩, 吨, 元)."""
    return UNIT_FAMILY.get(unit, unit)


def core(label: str) -> str:
    """The label without quotation marks, brackets and leading or trailing particles."""
    text = "".join(ch for ch in label if ch not in "“”‘’\"'《》").strip(_TRIM)
    for word in _QUANTIFIERS:
        text = text.removeprefix(word)
    return text.strip(_TRIM)


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n :]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _generic(head: str) -> bool:
    return head in GENERIC_HEADS or any(head.endswith(g) and len(head) - len(g) < 2 for g in GENERIC_HEADS)


def likeness(a: Figure, b: Figure) -> int:
    """How surely `a` and `b` count the same kind of thing: 0 when they do not."""
    if unit_family(a.unit) != unit_family(b.unit):
        return 0
    la, lb = core(a.label), core(b.label)
    if len(la) < MIN_HEAD or len(lb) < MIN_HEAD:
        return 0
    head = la if la == lb else _common_suffix(la, lb)
    if len(head) < MIN_HEAD:
        return 0
    shared = _bigrams(la[: len(la) - len(head)]) & _bigrams(lb[: len(lb) - len(head)])
    if _generic(head) and not shared:
        return 0
    return len(head) + 2 * len(shared) + (4 if la == lb else 0)


def row_label(figures: Sequence[Figure]) -> str:
    """The label once for a row: shared opening words and shared head (``委员`` + ``党支部``);
    where only a general head is shared (活动), the commonest label, the shortest of those."""
    labels = [core(f.label) for f in figures]
    if len(set(labels)) == 1:
        return labels[0]
    head = labels[0]
    start = labels[0]
    for label in labels[1:]:
        head = _common_suffix(head, label)
        start = _common_prefix(start, label)
    shortest = min(labels, key=len)
    if len(start) >= MIN_HEAD and len(start) + len(head) <= len(shortest):
        return start + head
    if _generic(head):
        return min(labels, key=lambda label: (-labels.count(label), len(label), label))
    return head


@dataclass(frozen=True, slots=True)
class Row:
    """One comparable measure: its label, and per region the figure (or None)."""

    label: str
    figures: tuple[Figure | None, ...]


def compare_rows(regions: Sequence[Sequence[Figure]]) -> list[Row]:
    """Rows of figures that count the same thing, one figure per region, in the first region's order.

    Greedy on likeness: the surest pair first; a figure joins a row only when it is comparable
    with every figure already in it, and is used once.
    """
    # Comparable labels end in the same two characters (at least a two-character head) and
    # share a unit family: only figures in one such bucket are compared, not every pair.
    buckets: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for r, figures in enumerate(regions):
        for i, f in enumerate(figures):
            label = core(f.label)
            if len(label) >= MIN_HEAD:
                buckets.setdefault((unit_family(f.unit), label[-MIN_HEAD:]), []).append((r, i))
    pairs = []
    for members in buckets.values():
        for x, (r, i) in enumerate(members):
            for s, j in members[x + 1 :]:
                if s != r:
                    score = likeness(regions[r][i], regions[s][j])
                    if score:
                        pairs.append((-score, r, i, s, j))
    pairs.sort()
    rows: list[dict[int, int]] = []
    where: dict[tuple[int, int], int] = {}
    for _score, r, i, s, j in pairs:
        a, b = where.get((r, i)), where.get((s, j))
        if a is None and b is None:
            where[(r, i)] = where[(s, j)] = len(rows)
            rows.append({r: i, s: j})
        elif (a is None) != (b is None):
            row_index = a if a is not None else b
            region, index = (s, j) if a is not None else (r, i)
            row = rows[row_index]
            joining = regions[region][index]
            if region not in row and all(likeness(joining, regions[k][v]) for k, v in row.items()):
                row[region] = index
                where[(region, index)] = row_index
    ordered = sorted(rows, key=lambda row: min(row.items()))
    result = []
    for row in ordered:
        figures = tuple(regions[k][row[k]] if k in row else None for k in range(len(regions)))
        result.append(Row(row_label([f for f in figures if f is not None]), figures))
    return result

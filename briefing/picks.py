"""An editor's decisions: ``[picks]`` in briefing.toml, checked, applied, reported, rewritten.

    [picks]
    pin = ["s-3fa9c21b0e", "f-0c1d2e3f4a"]   # always in (sentences in source order)
    drop = ["s-77aa01bc9d"]                  # never in

Ids are those of `ids` (``s-`` a sentence, ``f-`` a figure), as the review page and
briefing.json show them. The summariser applies sentence decisions, the view figure pins;
an id that matches nothing (the source changed) is a warning naming it, never silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .ids import SHAPE

KEYS = ("pin", "drop")
MAX_IDS = 10000


@dataclass(frozen=True, slots=True)
class Picks:
    pin: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.pin or self.drop)


def parse_picks(value: object) -> Picks:
    """The ``[picks]`` table, strictly; ValueError naming the problem (the caller names the file)."""
    if not isinstance(value, dict):
        raise ValueError("'picks' must be a table: [picks] with pin = [ids] and drop = [ids]")
    unknown = sorted(set(value) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown setting 'picks.{unknown[0]}' (known: {', '.join(KEYS)})")
    lists = {key: _ids(value.get(key, []), key) for key in KEYS}
    both = [i for i in lists["pin"] if i in set(lists["drop"])]
    if both:
        raise ValueError(f"'picks': {both[0]} is both pinned and dropped; keep it in one list")
    return Picks(lists["pin"], lists["drop"])


def _ids(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"'picks.{key}' must be a list of ids like [\"s-3fa9c21b0e\"]")
    if len(value) > MAX_IDS:
        raise ValueError(f"'picks.{key}' has {len(value)} ids; the limit is {MAX_IDS}")
    for item in value:
        if not isinstance(item, str) or not SHAPE.match(item):
            raise ValueError(f"'picks.{key}': {item!r} is not an id (ids look like s-3fa9c21b0e or f-0c1d2e3f4a)")
    return tuple(dict.fromkeys(value))


def unmatched(picks: Picks, known: Iterable[str]) -> list[str]:
    """The decisions' ids that name no sentence or figure of this briefing, in file order."""
    present = set(known)
    return [i for i in (*picks.pin, *picks.drop) if i not in present]


def unmatched_warning(source: object, ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    which = f"id {shown} no longer matches" if len(ids) == 1 else f"ids {shown} no longer match"
    return f"{source} {which} any sentence or figure (the source changed?); ignored"


def applied(picks: Picks, known: Iterable[str]) -> dict[str, list[str]]:
    """What the manifest records: the pins and drops applied, and those that matched nothing."""
    present = set(known)
    return {
        "pinned": [i for i in picks.pin if i in present],
        "dropped": [i for i in picks.drop if i in present],
        "unmatched": unmatched(picks, present),
    }


# --- writing the decisions back (briefing review --serve) ------------------------------------

_TABLE = re.compile(r"^\s*\[\s*(\[\s*)?(?P<name>[^\]]+?)\s*\]")


def picks_toml(picks: Picks) -> str:
    """The ``[picks]`` table as TOML text (ids are checked: nothing needs escaping)."""
    def line(key: str, ids: Sequence[str]) -> str:
        if not ids:
            return f"{key} = []\n"
        return f"{key} = [\n" + "".join(f'  "{i}",\n' for i in ids) + "]\n"

    return "[picks]\n" + line("pin", picks.pin) + line("drop", picks.drop)


def replace_picks(text: str, picks: Picks) -> str:
    """`text` (a settings file) with its ``[picks]`` table replaced by `picks`, all else kept.

    The old table runs from its header to the next table header; the new one goes at the end.
    A ``picks = …`` written inline, or ``[picks.x]`` sub-tables, are not rewritten: ValueError.
    """
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    inside = False
    for line in lines:
        header = _TABLE.match(line)
        if header:
            name = header["name"].strip().strip('"')
            if name.startswith("picks."):
                raise ValueError("[picks] has sub-tables; edit it by hand")
            inside = name == "picks" and not header.group(1)
            if inside:
                continue
        elif not inside and re.match(r"^\s*\"?picks\"?\s*=", line):
            raise ValueError("'picks' is written inline; make it a [picks] table to let the review page write it")
        if not inside:
            kept.append(line)
    body = "".join(kept).rstrip("\n")
    return (body + "\n\n" if body else "") + picks_toml(picks)

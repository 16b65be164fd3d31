"""Key sentences against two editors, on our own development set (bench/devset).

For each split (DEV: tuned on; TEST: never tuned on) prints the mean per-section F1 of each
system's picks against each editor, averaged over the two editors:

- editor A against editor B (the ceiling),
- `briefing` as it runs (its own section counts, its reader's sections mapped to the editors'),
- LEAD and the peers, given the editors' section count (the mean of the two editors' counts),
- the overview (导读) sentence: how often it is the one an editor chose to sum up the article.

    .venv/bin/python bench/agreement.py [--data bench/devset] [--no-peers]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_machine, table  # noqa: E402
from _devset import DEVSET, EDITORS, Item, agreement, load, mean  # noqa: E402

_PUNCT = re.compile(r"[\W_]+")


def briefing_picks(items: list[Item], summariser, per_section: int = 4) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """Each unit's picks and each file's overview keys from the summariser as `make` runs it."""
    picks, overviews = {}, {}
    for item in items:
        chosen, overview = set(), []
        for a, article in enumerate(item.articles):
            done = summariser.summarise_article(article, per_section, 1)
            for s, section in enumerate(done.sections):
                chosen.update((a, s, k.paragraph, k.sentence) for k in section.key_sentences)
            overview.extend((a, o.section, o.paragraph, o.sentence) for o in done.overview)
        picks[item.name] = [{key for key in unit.sentences if key in chosen} for unit in item.units]
        overviews[item.name] = overview
    return picks, overviews


def editor_count(unit, editors=EDITORS) -> int:  # type: ignore[no-untyped-def]
    return round(mean([len(unit.picks.get(e, ())) for e in editors]))


def lead_picks(items: list[Item]) -> dict:
    return {item.name: [set(unit.sentences[: editor_count(unit)]) for unit in item.units] for item in items}


def _closest(found: str, unit_keys, text_of) -> tuple | None:  # type: ignore[no-untyped-def]
    target = _PUNCT.sub("", found)
    best, best_score = None, 0.0
    for key in unit_keys:
        mine = _PUNCT.sub("", text_of[key])
        if not mine or not target:
            continue
        common = sum(1 for c in set(target) if c in mine) / len(set(target))
        if mine in target or target in mine:
            common += 1
        if common > best_score:
            best, best_score = key, common
    return best


def peer_picks(items: list[Item], fn) -> dict:  # type: ignore[no-untyped-def]
    """A peer run on each editor's section alone, asked for the editors' count."""
    out = {}
    for item in items:
        rows = []
        for unit in item.units:
            k = editor_count(unit)
            if not k or not unit.sentences:
                rows.append(set())
                continue
            text = "".join(item.text_of[key] for key in unit.sentences)
            try:
                found = fn(text, k)
            except Exception:  # noqa: BLE001 - a peer failing on a section picks nothing there
                found = []
            rows.append({key for f in found if (key := _closest(str(f), unit.sentences, item.text_of))})
        out[item.name] = rows
    return out


def editor_vs_editor(items: list[Item]) -> float:
    a_picks = {i.name: [u.picks.get("A", set()) for u in i.units] for i in items}
    b_picks = {i.name: [u.picks.get("B", set()) for u in i.units] for i in items}
    return mean([agreement(items, a_picks, ("B",)), agreement(items, b_picks, ("A",))])


def overview_accuracy(items: list[Item], overviews: dict) -> float:
    hits = []
    for item in items:
        mine = set(overviews[item.name])
        for editor in EDITORS:
            for chosen in item.overview.get(editor, []):
                if chosen is not None:
                    hits.append(float(chosen in mine))
    return mean(hits)


def overview_in_editor_picks(items: list[Item], overviews: dict) -> float:
    """How often the overview is a sentence some editor picked at all (overview or body)."""
    hits = []
    for item in items:
        picked = set().union(*(u.picks.get(e, set()) for u in item.units for e in EDITORS))
        picked |= {c for e in EDITORS for c in item.overview.get(e, []) if c}
        hits.extend(float(key in picked) for key in overviews[item.name])
    return mean(hits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEVSET)
    parser.add_argument("--no-peers", action="store_true", help="only briefing, LEAD and the editors")
    args = parser.parse_args(argv)
    print_machine()
    from briefing.summarise import Summariser

    summariser = Summariser()
    peers = {}
    if not args.no_peers:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _common import Peers

        found = Peers()
        peers = found.fns
        for note in found.notes:
            print(f"note: {note}")
    for split in ("DEV", "TEST"):
        items = load(args.data, split=split)
        if not items:
            continue
        units = sum(len(i.units) for i in items)
        ours, overviews = briefing_picks(items, summariser)
        rows = [
            ["editor A vs editor B (the ceiling)", f"{editor_vs_editor(items):.2f}"],
            ["briefing (its own counts)", f"{agreement(items, ours):.2f}"],
            ["LEAD, editors' count", f"{agreement(items, lead_picks(items)):.2f}"],
        ]
        for name, fn in peers.items():
            rows.append([f"{name}, editors' count", f"{agreement(items, peer_picks(items, fn)):.2f}"])
        rows.append(["overview = an editor's overview choice", f"{overview_accuracy(items, overviews):.2f}"])
        rows.append(["overview is a sentence an editor picked", f"{overview_in_editor_picks(items, overviews):.2f}"])
        title = f"{split}: {len(items)} files, {sum(len(i.articles) for i in items)} articles, {units} sections"
        print(table(["system", "F1 vs editors"], rows, title=title))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

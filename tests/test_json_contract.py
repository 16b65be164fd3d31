"""``out/briefing.json`` keeps the README's promise: every documented field, with its type, and
indices that point at the text they claim. The field list below is checked against the README, so
neither can change without the other."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.render.json import render_json

ROOT = Path(__file__).resolve().parent.parent
STR, INT, BOOL, LIST = (str,), (int,), (bool,), (list,)
OPT_STR = (str, type(None))
OPT_INT = (int, type(None))
NUMBER = (int, float)

# level → field → accepted JSON types; the README's contract block, then its "Added fields".
CONTRACT: dict[str, dict[str, tuple[type, ...]]] = {
    "briefing": {"title": STR, "date": STR, "articles": LIST,
                 "name": STR, "unit": STR, "issue": INT, "warnings": LIST},
    "article": {"source": STR, "title": STR, "subtitle": OPT_STR, "byline": OPT_STR, "region": OPT_STR,
                "captions": LIST, "notes": LIST, "sections": LIST, "overview": LIST,
                "kicker": OPT_STR, "dateline": OPT_STR, "paper": OPT_STR, "date": OPT_STR, "page": OPT_STR,
                "url": OPT_STR, "editor_note": OPT_STR, "trailers": LIST, "caption_lines": LIST,
                "panel_label": OPT_STR, "guests": LIST},
    "section": {"heading": OPT_STR, "paragraphs": LIST, "key_sentences": LIST, "figures": LIST,
                "sentence_ids": LIST, "heading_line": OPT_INT, "paragraph_lines": LIST, "sentences": LIST},
    "key_sentence": {"id": STR, "text": STR, "paragraph": INT, "sentence": INT, "score": NUMBER, "why": (dict,),
                     "pinned": BOOL, "printed": BOOL},
    "figure": {"id": STR, "text": STR, "value": NUMBER, "approx": BOOL, "unit": STR, "label": STR,
               "paragraph": INT, "sentence": INT, "pinned": BOOL},
    "overview": {"id": STR, "text": STR, "section": INT, "paragraph": INT, "sentence": INT},
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _readme_fields() -> set[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    part = readme.split("## Output contract", 1)[1].split("\n## ", 1)[0]
    block = part.split("```", 2)[1]
    added = part.split("Added fields:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r'"(\w+)":', block)) | set(re.findall(r"`(\w+)`", added))


def test_the_contract_here_is_the_readme_contract() -> None:
    documented = _readme_fields()
    here = {name for fields in CONTRACT.values() for name in fields}
    assert documented == here


def _typed(record: dict, level: str, where: str) -> None:
    for name, types in CONTRACT[level].items():
        assert name in record, f"{where}: the documented field {name!r} is missing"
        value = record[name]
        assert isinstance(value, types) and not (isinstance(value, bool) and bool not in types), (
            f"{where}.{name} = {value!r}: not {'/'.join(t.__name__ for t in types)}")


def assert_contract(data: dict) -> None:
    """Every documented field with its type, and every index pointing at what it claims."""
    _typed(data, "briefing", "briefing")
    assert DATE.match(data["date"])
    assert all(isinstance(w, str) for w in data["warnings"])
    assert data["articles"]
    for a, article in enumerate(data["articles"]):
        where = f"articles[{a}]"
        _typed(article, "article", where)
        assert article["date"] is None or DATE.match(article["date"])
        texts = article["captions"] + article["notes"] + article["trailers"] + article["guests"]
        assert all(isinstance(t, str) for t in texts)
        assert len(article["caption_lines"]) == len(article["captions"])
        assert all(isinstance(n, int) and n >= 1 for n in article["caption_lines"])
        for s, section in enumerate(article["sections"]):
            place = f"{where}.sections[{s}]"
            _typed(section, "section", place)
            paragraphs, sentences = section["paragraphs"], section["sentences"]
            assert all(isinstance(p, str) for p in paragraphs)
            assert len(sentences) == len(section["paragraph_lines"]) == len(paragraphs)
            for text, parts, lines in zip(paragraphs, sentences, section["paragraph_lines"], strict=True):
                assert "".join(parts) == text and lines and all(isinstance(n, int) for n in lines)
            ids = section["sentence_ids"]
            assert [len(row) for row in ids] == [len(parts) for parts in sentences]
            assert all(isinstance(i, str) for row in ids for i in row)
            for k, key in enumerate(section["key_sentences"]):
                _typed(key, "key_sentence", f"{place}.key_sentences[{k}]")
                assert sentences[key["paragraph"]][key["sentence"]] == key["text"]
                assert not key["id"] or ids[key["paragraph"]][key["sentence"]] == key["id"]  # hand-built: no ids
                assert all(isinstance(k, str) and isinstance(v, NUMBER) for k, v in key["why"].items())
            for f, figure in enumerate(section["figures"]):
                _typed(figure, "figure", f"{place}.figures[{f}]")
                assert figure["text"] in sentences[figure["paragraph"]][figure["sentence"]]
                assert figure["value"] >= 0 and figure["unit"]
        for o, item in enumerate(article["overview"]):
            _typed(item, "overview", f"{where}.overview[{o}]")
            section = article["sections"][item["section"]]
            assert section["sentences"][item["paragraph"]][item["sentence"]] == item["text"]


@pytest.mark.slow
def test_the_seed_json_keeps_the_contract(seed_run) -> None:
    data = json.loads((seed_run.out / "briefing.json").read_text("utf-8"))
    assert_contract(data)
    figures = [f for a in data["articles"] for s in a["sections"] for f in s["figures"]]
    assert {f["approx"] for f in figures} == {True, False}  # both kinds are on the seed
    assert any(s["heading"] is None for a in data["articles"] for s in a["sections"])
    sections = [s for a in data["articles"] for s in a["sections"]]
    assert all(k["id"] for s in sections for k in s["key_sentences"])  # the pipeline names every pick
    assert all(i for s in sections for row in s["sentence_ids"] for i in row)


def test_publication_fields_and_header_lines_reach_the_json() -> None:
    from test_render_html import sample_briefing

    base = sample_briefing()
    first = replace(base.articles[0], paper="人民日报", date="2025-01-09", page="18",
                    url="http://paper.people.com.cn/rmrb/html/2025-01/09/nw.D110000renmrb_20250109_1-18.htm",
                    kicker="政协委员履职风采", dateline="《人民日报》（2025年01月09日第 18 版）",
                    editor_note="编者按：……", trailers=("（责任编辑：某某）",))
    briefing = replace(base, articles=(first, *base.articles[1:]), warnings=("seeds/x.txt: removed 1 …",))
    data = json.loads(render_json(briefing, Settings(issue=4)).data)
    assert_contract(data)
    article = data["articles"][0]
    assert (article["paper"], article["date"], article["page"]) == ("人民日报", "2025-01-09", "18")
    assert article["url"].startswith("http://paper.people.com.cn/") and article["trailers"] == ["（责任编辑：某某）"]
    assert data["issue"] == 4 and data["warnings"] == ["seeds/x.txt: removed 1 …"]
    approx = [f["approx"] for s in article["sections"] for f in s["figures"]]
    assert approx == [f.approx for s in first.sections for f in s.figures] and True in approx and False in approx

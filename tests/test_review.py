"""The editor stays in charge: stable ids, [picks] decisions, the review page and its server."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import sys
import threading
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.config import settings_from_table
from briefing.errors import ConfigError, InputError
from briefing.ids import SHAPE, figure_ids, sentence_ids
from briefing.model import Article, Paragraph, Section
from briefing.picks import Picks, parse_picks, replace_picks
from briefing.read import read_articles
from briefing.sentences import split_sentences


@pytest.fixture()
def workdir(tmp_path, seed_path, monkeypatch):
    (tmp_path / "seeds").mkdir()
    shutil.copy(seed_path, tmp_path / "seeds" / seed_path.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _flat(ids: list[list[list[str]]]) -> list[str]:
    return [i for section in ids for paragraph in section for i in paragraph]


def _texts(article: Article) -> list[str]:
    return [s for section in article.sections for p in section.paragraphs for s in p.sentences]


# --- ids -----------------------------------------------------------------------------------------


def test_every_sentence_has_a_unique_well_formed_id(seed_articles):
    for article in seed_articles:
        ids = _flat(sentence_ids(article))
        assert len(ids) == len(_texts(article))
        assert len(set(ids)) == len(ids)
        assert all(SHAPE.match(i) and i.startswith("s-") for i in ids)


def test_ids_survive_re_encoding_and_spacing(seed_path):
    from briefing.decode import decode_bytes

    text, _ = decode_bytes(seed_path.read_bytes(), seed_path)
    for encoding in ("gb18030", "utf-16"):
        again, _ = decode_bytes(text.encode(encoding), seed_path)
        assert [_flat(sentence_ids(a)) for a in read_articles(again, "x")] == \
            [_flat(sentence_ids(a)) for a in read_articles(text, "x")]
    spaced = text.replace("，", "， ", 3)
    assert [_flat(sentence_ids(a)) for a in read_articles(spaced, "x")] == \
        [_flat(sentence_ids(a)) for a in read_articles(text, "x")]


def test_ids_survive_edits_elsewhere_and_repeats_get_a_counter(seed_articles):
    article = seed_articles[0]
    before = dict(zip(_texts(article), _flat(sentence_ids(article))))
    # Edit one paragraph of the second section, drop the first section's first paragraph.
    sections = list(article.sections)
    edited = sections[1].paragraphs[0]
    new_text = "这是改写过的一句话。" + edited.text
    sections[1] = replace(sections[1], paragraphs=(
        Paragraph(new_text, tuple(split_sentences(new_text)), edited.lines), *sections[1].paragraphs[1:]))
    sections[0] = replace(sections[0], paragraphs=sections[0].paragraphs[1:])
    after = dict(zip(_texts(replace(article, sections=tuple(sections))),
                     _flat(sentence_ids(replace(article, sections=tuple(sections))))))
    for text, identifier in after.items():
        if text in before:
            assert before[text] == identifier
    # Another title is another article: other ids.
    assert set(after.values()).isdisjoint(_flat(sentence_ids(replace(article, title="另一个标题"))))
    twice = Article("x", "t", sections=(Section(None, None, (
        Paragraph("同一句话。同一句话。", ("同一句话。", "同一句话。"), (1,)),)),))
    first, second = _flat(sentence_ids(twice))
    assert second == first + "-2" and SHAPE.match(second)


def test_figures_have_ids_in_the_json(workdir):
    assert run("make", "--format", "json").exit_code == 0
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    figures = [f["id"] for a in data["articles"] for s in a["sections"] for f in s["figures"]]
    keys = [k for a in data["articles"] for s in a["sections"] for k in s["key_sentences"]]
    assert figures and all(SHAPE.match(i) and i.startswith("f-") for i in figures)
    assert len(set(figures)) == len(figures)
    for article in data["articles"]:
        every = {i for s in article["sections"] for p in s["sentence_ids"] for i in p}
        assert all(k["id"] in every for s in article["sections"] for k in s["key_sentences"])
        assert all(o["id"] in every for o in article["overview"])
    assert keys and not any(k["pinned"] for k in keys)


# --- [picks] in the settings ---------------------------------------------------------------------


@pytest.mark.parametrize(("table", "message"), [
    ({"pins": []}, "unknown setting 'picks.pins'"),
    ({"pin": "s-0123456789"}, "'picks.pin' must be a list"),
    ({"drop": ["s-0123"]}, "'s-0123' is not an id"),
    ({"drop": [3]}, "3 is not an id"),
    ({"pin": ["s-0123456789"], "drop": ["s-0123456789"]}, "both pinned and dropped"),
])
def test_bad_picks_are_one_line_naming_the_problem(table, message):
    with pytest.raises(ValueError, match=message):
        parse_picks(table)
    with pytest.raises(ConfigError, match=message):
        settings_from_table({"picks": table}, Path("briefing.toml"))


def test_bad_picks_stop_make_before_anything_is_written(workdir):
    (workdir / "briefing.toml").write_text('[picks]\npin = ["s-0123456789"]\ndrop = ["s-0123456789"]\n', "utf-8")
    result = run("make", "--format", "json")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "briefing: error: briefing.toml: 'picks': s-0123456789 is both pinned and dropped; keep it in one list"]
    assert not (workdir / "out" / "briefing.json").exists()


def _section_article(*paragraphs: str) -> Article:
    section = Section("小标题", 1, tuple(Paragraph(p, tuple(split_sentences(p)), (i + 2,))
                                      for i, p in enumerate(paragraphs)))
    return Article(source="x", title="t", sections=(section,))


PARAGRAPHS = (
    "州政协围绕全州中心工作，组织委员开展专题调研，形成调研报告12篇，提出意见建议86条。",
    "今年以来，州政协共收到提案356件，立案312件，办复率达100%。",
    "委员们走进田间地头，倾听群众心声。",
    "州政协建成委员工作室218个，2100余名委员进驻开展活动。",
    "大家表示，要以更加饱满的热情投入工作。",
)


def test_pins_come_first_in_source_order_and_drops_never(summariser):
    article = _section_article(*PARAGRAPHS)
    ids = _flat(sentence_ids(article))
    plain = summariser.summarise_article(article, 2, 1)
    chosen = [k.id for k in plain.sections[0].key_sentences]
    assert len(chosen) == 2
    left_out = [i for i in ids if i not in chosen]
    # Pin two sentences the model left out, in reverse order: both in, in source order, and
    # nothing else (they take the section's count); drop the model's favourite.
    picks = Picks(pin=(left_out[-1], left_out[0]), drop=(chosen[0],))
    done = summariser.summarise_article(article, 2, 1, picks)
    keys = done.sections[0].key_sentences
    assert [k.id for k in keys] == [left_out[0], left_out[-1]]
    assert all(k.pinned for k in keys)
    assert chosen[0] not in {o.id for o in done.overview}
    assert set(done.decided) == {left_out[0], left_out[-1], chosen[0]}
    # One pin: the rest of the count goes to the best of what is left, never the dropped one.
    one = summariser.summarise_article(article, 2, 1, Picks(pin=(left_out[0],), drop=(chosen[0],)))
    ids_one = [k.id for k in one.sections[0].key_sentences]
    assert left_out[0] in ids_one and chosen[0] not in ids_one and len(ids_one) == 2


def test_figure_drops_leave_the_model_and_pins_are_shown(summariser):
    from briefing.render.view import build_view

    article = summariser.summarise_article(_section_article(*PARAGRAPHS), 2, 1)
    figures = article.sections[0].figures
    assert len(figures) >= 5
    assert [f.id for f in figures] == figure_ids(article)[0]
    dropped, pinned = figures[0].id, figures[-1].id
    done = summariser.summarise_article(_section_article(*PARAGRAPHS), 2, 1, Picks(pin=(pinned,), drop=(dropped,)))
    kept = done.sections[0].figures
    assert dropped not in {f.id for f in kept}
    assert [f.id for f in kept if f.pinned] == [pinned]


def test_pins_survive_the_page_budget_and_the_comparison(workdir):
    """The tightest page budget leaves out everything it may; pinned sentences and figures stay,
    and a pinned sentence is printed whole even when its figure could be compared."""
    assert run("make", "--format", "json").exit_code == 0
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    pins, texts, figures = [], [], []
    for article in data["articles"]:
        for section in article["sections"]:
            keys = {k["id"] for k in section["key_sentences"]}
            with_figure = {(f["paragraph"], f["sentence"]) for f in section["figures"]}
            for (p, paragraph) in enumerate(section["sentence_ids"]):
                for n, identifier in enumerate(paragraph):
                    if identifier not in keys and (p, n) in with_figure and len(pins) < 2:
                        pins.append(identifier)
                        texts.append(section["sentences"][p][n])
            if section["figures"] and len(figures) < 2:
                figures.append((section["figures"][-1]["id"], section["figures"][-1]["text"]))
    assert len(pins) == 2 and len(figures) == 2
    (workdir / "briefing.toml").write_text(
        f"pages = 1\n[picks]\npin = {json.dumps(pins + [f for f, _ in figures])}\n", "utf-8")
    result = run("make", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "over the limit" in result.output and "[picks] pins are never left out" in result.output
    page = re.sub(r"<[^>]+>|\s|\u200b", "", (workdir / "out" / "briefing.html").read_text("utf-8"))
    for text in texts:
        assert re.sub(r"\s", "", text) in page
    for _id, value in figures:
        assert value in page


def test_stale_ids_and_too_many_pins_are_warnings_and_the_manifest_records_decisions(workdir):
    assert run("make", "--format", "json").exit_code == 0
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    section = next(s for a in data["articles"] for s in a["sections"] if len(s["sentence_ids"]) >= 3)
    pins = [p[0] for p in section["sentence_ids"][:3]]
    figure = next(f["id"] for a in data["articles"] for s in a["sections"] for f in s["figures"])
    settings = {"sentences": 2, "picks": {"pin": pins, "drop": [figure, "s-00000000aa"]}}
    (workdir / "briefing.toml").write_text(
        f'sentences = 2\n[picks]\npin = {json.dumps(pins)}\ndrop = {json.dumps(settings["picks"]["drop"])}\n',
        "utf-8")
    result = run("make", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "briefing: warning: [picks] id s-00000000aa no longer matches any sentence or figure" in result.output
    assert "has 3 pinned sentences, more than sentences = 2" in result.output
    manifest = json.loads((workdir / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["picks"] == {"pinned": pins, "dropped": [figure], "unmatched": ["s-00000000aa"]}
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    keys = [k["id"] for a in data["articles"] for s in a["sections"] for k in s["key_sentences"]]
    assert all(p in keys for p in pins)
    assert figure not in {f["id"] for a in data["articles"] for s in a["sections"] for f in s["figures"]}


# --- writing decisions back ----------------------------------------------------------------------


def test_replace_picks_keeps_the_rest_of_the_file():
    text = 'name = "简报"\n[picks]\npin = ["s-0123456789"]\n\n[fonts]\nbody = "仿宋"\n'
    new = replace_picks(text, Picks(pin=("s-aaaaaaaaaa",), drop=("f-bbbbbbbbbb-2",)))
    data = tomllib.loads(new)
    assert data == {"name": "简报", "fonts": {"body": "仿宋"},
                    "picks": {"pin": ["s-aaaaaaaaaa"], "drop": ["f-bbbbbbbbbb-2"]}}
    assert tomllib.loads(replace_picks("", Picks()))["picks"] == {"pin": [], "drop": []}
    with pytest.raises(ValueError, match="inline"):
        replace_picks('picks = {pin = []}\n', Picks())


def test_review_writes_a_self_contained_page(workdir):
    result = run("review")
    assert result.exit_code == 0, result.output
    page = (workdir / "out" / "review.html").read_text("utf-8")
    assert run("make", "--format", "json").exit_code == 0
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    for article in data["articles"]:
        for section in article["sections"]:
            for paragraph_ids in section["sentence_ids"]:
                for identifier in paragraph_ids:
                    assert f'data-id="{identifier}"' in page
            for key in section["key_sentences"]:
                assert re.search(f'<tr class="sentence picked[^"]*" data-id="{key["id"]}"', page)
    for banned in ("http://", "https://", "<link", "src=", "@import", "url("):
        assert banned not in page
    assert page.count('data-action="pin"') == page.count('data-action="drop"')


# --- the server ----------------------------------------------------------------------------------


def test_serve_refuses_non_loopback_addresses_without_the_flag(workdir):
    from briefing.serve import check_host

    check_host("127.0.0.1", False)
    check_host("localhost", False)
    for host in ("0.0.0.0", "192.168.1.5", "example.org", "::"):
        with pytest.raises(InputError, match="--allow-remote"):
            check_host(host, False)
    check_host("0.0.0.0", True)
    result = run("review", "--serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert result.output.startswith("briefing: error: --host: 0.0.0.0 is not a loopback address")
    assert not (workdir / "out").exists()


def test_serve_writes_briefing_toml_or_the_config_never_pyproject(workdir):
    from briefing.serve import settings_target

    assert settings_target(None, None, workdir) == workdir / "briefing.toml"
    assert settings_target(Path("office.toml"), Path("office.toml"), workdir) == Path("office.toml")
    with pytest.raises(ConfigError, match="would hide these settings"):
        settings_target(None, Path("pyproject.toml [tool.briefing]"), workdir)


@pytest.fixture()
def server(workdir):
    from briefing.serve import App, make_server

    (workdir / "briefing.toml").write_text('name = "测试简报"  # kept\n', "utf-8")
    pages: list[str] = []

    def page(token: str, message: str) -> str:
        pages.append(message)
        return f"<form><input name=token value={token}></form>{message}"

    command = [sys.executable, "-m", "briefing", "make", "--format", "json", "--config", "briefing.toml"]
    app = App(page, workdir / "briefing.toml", command, "secret-token")
    httpd = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, app, workdir
    httpd.shutdown()
    httpd.server_close()


def _request(httpd, method: str, path: str, body: str = "", headers: dict | None = None):
    port = httpd.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}
    sent.update(headers or {})
    connection.request(method, path, body=body.encode(), headers=sent)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())


def test_the_server_answers_only_its_page_and_its_form(server):
    httpd, _app, workdir = server
    status, body, headers = _request(httpd, "GET", "/")
    assert status == 200 and "secret-token" in body and headers["Cache-Control"] == "no-store"
    for path in ("/briefing.toml", "/../briefing.toml", "/seeds/", "//etc/passwd", "/%2e%2e/briefing.toml",
                 "/out/briefing.json"):
        status, body, _ = _request(httpd, "GET", path)
        assert status == 404 and "测试简报" not in body
    assert _request(httpd, "GET", "/", headers={"Host": "attacker.example:80"})[0] == 404
    good = "token=secret-token&pin=&drop="
    assert _request(httpd, "POST", "/", good)[0] == 404
    assert _request(httpd, "POST", "/decisions", good, {"Content-Type": "text/plain"})[0] == 415
    assert _request(httpd, "POST", "/decisions", "token=wrong&pin=&drop=")[0] == 400
    assert _request(httpd, "POST", "/decisions", good + "&path=/etc/passwd")[0] == 400
    assert _request(httpd, "POST", "/decisions", "token=secret-token&pin=../x&drop=")[0] == 400
    assert _request(httpd, "POST", "/decisions", good, {"Host": "attacker.example"})[0] == 404
    assert (workdir / "briefing.toml").read_text("utf-8") == 'name = "测试简报"  # kept\n'
    assert _request(httpd, "PUT", "/decisions", good)[0] == 501


def test_a_posted_decision_is_written_and_the_briefing_remade(server):
    httpd, app, workdir = server
    assert CliRunner().invoke(main, ["make", "--format", "json"]).exit_code == 0
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    section = data["articles"][0]["sections"][1]
    picked = section["key_sentences"][0]["id"]
    other = next(i for p in section["sentence_ids"] for i in p if i not in {k["id"] for k in section["key_sentences"]})
    status, _body, headers = _request(httpd, "POST", "/decisions", f"token=secret-token&pin={other}&drop={picked}")
    assert status == 303 and headers["Location"] == "/"
    text = (workdir / "briefing.toml").read_text("utf-8")
    assert text.startswith('name = "测试简报"  # kept\n')
    assert tomllib.loads(text)["picks"] == {"pin": [other], "drop": [picked]}
    assert "简报已重新生成" in app.message
    data = json.loads((workdir / "out" / "briefing.json").read_text("utf-8"))
    keys = {k["id"] for k in data["articles"][0]["sections"][1]["key_sentences"]}
    assert other in keys and picked not in keys
    assert "简报已重新生成" in _request(httpd, "GET", "/")[1]

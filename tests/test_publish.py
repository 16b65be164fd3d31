"""``briefing publish``: three weekly briefings made with --archive become an archive site.

The site is checked as a reader meets it: the index lists the issues newest first, every link
resolves, the feed parses as Atom (feedparser), and — in Debian's Chromium driven by Playwright,
never a downloaded browser — the pages read at 360 px without horizontal scrolling. Bad input
(damaged manifest, a file that no longer matches its SHA-256, two briefings claiming one
issue) is one warning naming it, and the rest of the site is still right.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from briefing import publish as site_builder
from briefing.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WEEKS = (("2023-01-05", 1), ("2023-01-12", 2), ("2023-01-19", 3))
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def run(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def make(out: Path, config: Path, date: str, issue: int, *extra: str) -> None:
    run("make", "--seeds", str(SEEDS), "--out", str(out), "--config", str(config), "--archive",
        "--date", date, "--issue", str(issue), "-q", *extra)


@pytest.fixture(scope="module")
def weeks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One out folder holding three weekly briefings; a site published after the first two."""
    root = tmp_path_factory.mktemp("weeks")
    config = root / "briefing.toml"
    config.write_text('unit = "测试州政协办公室"\n', "utf-8")
    out = root / "out"
    for date, issue in WEEKS[:2]:
        make(out, config, date, issue, "--format", "all")
    run("publish", "--site", str(root / "site-two"), "--archive", str(out), "-q")
    make(out, config, *WEEKS[2], "--format", "all")
    run("publish", "--site", str(root / "site"), "--archive", str(out), "-q")
    return {"root": root, "out": out, "site": root / "site", "site_two": root / "site-two", "config": config}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_three_weeks_give_an_index_newest_first_with_every_document(weeks):
    site = weeks["site"]
    index = (site / "index.html").read_text("utf-8")
    assert re.findall(r'class="number">(第\d+期)', index) == ["第3期", "第2期", "第1期"]
    for date, issue in WEEKS:
        for name in (f"{date}/index.html", f"{date}/{date}-briefing.pdf", f"{date}/{date}-briefing.docx"):
            assert (site / name).is_file() and f'href="{name}"' in index
        page = (site / date / "index.html").read_text("utf-8")
        assert f"第{issue}期" in page and 'href="../index.html"' in page
    # the documents are the very bytes `make` archived
    assert (site / "2023-01-12" / "2023-01-12-briefing.pdf").read_bytes() == (
        weeks["out"] / "2023-01-12-briefing.pdf").read_bytes()
    assert "楚雄州" in index and "导读：" in index and "<script" not in index


def test_the_next_issue_number_counts_on_from_the_site(weeks):
    assert run("publish", "--site", str(weeks["site"]), "--next-issue").output.strip() == "4"
    assert run("publish", "--site", str(weeks["site_two"]), "--next-issue").output.strip() == "3"
    assert run("publish", "--site", str(weeks["root"] / "nothing-yet"), "--next-issue").output.strip() == "1"


def test_the_site_only_grows_and_the_same_briefings_give_the_same_bytes(weeks, tmp_path):
    grown = tmp_path / "site"
    shutil.copytree(weeks["site_two"], grown)
    before = tree(grown)
    run("publish", "--site", str(grown), "--archive", str(weeks["out"]), "-q")
    after = tree(grown)
    assert all(after[name] == data for name, data in before.items() if name.startswith("2023-"))
    assert after == tree(weeks["site"])  # grown week by week == built at once
    run("publish", "--site", str(grown), "--archive", str(weeks["out"]), "-q")
    assert tree(grown) == after
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_the_feed_is_valid_atom_with_stable_ids(weeks, tmp_path):
    feed = feedparser.parse((weeks["site"] / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "政协工作简报" and feed.feed.id.startswith("urn:uuid:") and feed.feed.updated
    assert feed.feed.author == "测试州政协办公室"
    assert [e.title.split("：")[0] for e in feed.entries] == ["第3期", "第2期", "第1期"]
    for entry, (date, _issue) in zip(feed.entries, reversed(WEEKS), strict=True):
        assert entry.id.startswith("urn:uuid:") and entry.updated.startswith(date)
        assert "楚雄州" in entry.summary
        for link in entry.links:
            assert (weeks["site"] / link.href).is_file(), link.href
    assert len({e.id for e in feed.entries}) == 3
    # served elsewhere, the links are absolute and the ids the same
    moved = tmp_path / "moved"
    run("publish", "--site", str(moved), "--archive", str(weeks["out"]), "--base-url", "https://x.example/b", "-q")
    again = feedparser.parse((moved / "feed.xml").read_bytes())
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]
    assert again.entries[0].link == "https://x.example/b/2023-01-19/index.html"


def test_a_damaged_manifest_is_one_warning_and_the_other_archive_still_publishes(weeks, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"documents": ', "utf-8")
    missing = tmp_path / "empty"
    missing.mkdir()
    result = run("publish", "--site", str(tmp_path / "site"), "--archive", str(broken),
                 "--archive", str(missing), "--archive", str(weeks["out"]))
    warnings = [line for line in result.output.splitlines() if "warning" in line]
    assert len(warnings) == 2
    assert f"{broken / 'manifest.json'}: damaged manifest" in warnings[0]
    assert f"{missing / 'manifest.json'}: no manifest" in warnings[1]
    assert tree(tmp_path / "site") == tree(weeks["site"])


def test_a_file_that_no_longer_matches_its_sha256_is_left_out_by_name(weeks, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(weeks["out"], out, symlinks=True)
    pdf = out / "2023-01-12-briefing.json"
    data = pdf.read_bytes().replace("楚雄州".encode(), "某某州".encode(), 1)
    pdf.unlink()  # a link into the set: replace it, the set's own copy stays as it was
    pdf.write_bytes(data)
    result = run("publish", "--site", str(tmp_path / "site"), "--archive", str(out))
    assert f"briefing: warning: {pdf}: does not match its SHA-256 in the manifest; left out" in result.output
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert re.findall(r'class="number">(第\d+期)', index) == ["第3期", "第1期"]


def test_two_briefings_with_the_same_date_and_issue_keep_the_published_one(weeks, tmp_path):
    other = tmp_path / "other"
    make(other, weeks["config"], *WEEKS[1], "--format", "json", "--title", "另一份简报")
    site = tmp_path / "site"
    shutil.copytree(weeks["site"], site)
    before = tree(site)
    result = run("publish", "--site", str(site), "--archive", str(other))
    assert f"briefing: warning: {other / '2023-01-12-briefing.json'}: 第2期 of 2023-01-12 clashes with " \
           "the published 第2期 of 2023-01-12; the published one is kept" in result.output
    assert tree(site) == before


def test_a_failure_leaves_the_previous_site_intact(weeks, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(weeks["site_two"], site)
    before = tree(site)

    def full_disk(path: Path, data: bytes) -> None:
        if path.name == "feed.xml":
            raise OSError(28, "No space left on device")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)

    monkeypatch.setattr(site_builder, "_write", full_disk)
    result = run("publish", "--site", str(site), "--archive", str(weeks["out"]), code=1)
    assert result.output == f"briefing: error: {site}: No space left on device; the previous site is unchanged\n"
    assert tree(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_changed_file_on_the_site_is_an_error_naming_it(weeks, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(weeks["site_two"], site)
    (site / "2023-01-05" / "2023-01-05-briefing.docx").write_bytes(b"not the briefing")
    result = run("publish", "--site", str(site), "--archive", str(weeks["out"]), code=1)
    assert "2023-01-05-briefing.docx: missing or changed since it was published" in result.output
    assert result.output.count("\n") == 1


def test_a_missing_archive_folder_is_one_line(tmp_path):
    result = run("publish", "--site", str(tmp_path / "site"), "--archive", str(tmp_path / "nope"), code=1)
    assert result.output == f"briefing: error: {tmp_path / 'nope'}: no such folder (make the briefings with --archive first)\n"
    assert not (tmp_path / "site").exists()


def test_the_page_on_the_site_prints_what_make_printed(weeks):
    """The issue page is rebuilt from the archived briefing.json with the briefing's own template
    and view: its body is the very HTML that `make` wrote from the summariser's model."""
    for date, _issue in WEEKS:
        made = (weeks["out"] / f"{date}-briefing.html").read_text("utf-8")
        site_page = (weeks["site"] / date / "index.html").read_text("utf-8")
        body = made.split("<main>")[1].split("</main>")[0]
        assert "楚雄州" in body and body in site_page
        masthead = made.split("<header")[1].split("</header>")[0]
        assert masthead in site_page


# --- in the browser ------------------------------------------------------------------------------


@pytest.fixture()
def served(weeks):
    """The site over HTTP on 127.0.0.1, so a broken link is a real 404."""
    handler = functools.partial(_Quiet, directory=str(weeks["site"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is installed by scripts/setup.sh --test")
def test_a_newcomer_can_follow_the_site_in_chromium(weeks, served, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")
    requests: list[str] = []
    shots = Path(os.environ.get("BRIEFING_SCREENSHOTS") or tmp_path)
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
        )
        try:
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(served + "index.html")
                numbers = page.locator("li.issue .number").all_inner_texts()
                assert numbers == ["第3期", "第2期", "第1期"]
                assert _fits(page), f"index scrolls sideways at {width} px"
                page.screenshot(path=str(shots / f"site-index-{width}.png"), full_page=True)
                links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
                assert len(links) == 1 + 3 * 4  # the feed; per issue the title, 在线阅读, PDF, DOCX
                for link in links:
                    response = page.request.get(link)
                    assert response.status == 200, link
                page.locator("li.issue").nth(1).locator("h2 a").click()  # 第2期, as a reader would
                assert page.url == served + "2023-01-12/index.html"
                assert "第2期" in page.locator(".masthead .issue").inner_text()
                assert _fits(page), f"the issue page scrolls sideways at {width} px"
                page.screenshot(path=str(shots / f"site-issue-{width}.png"))
                for link in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
                    assert page.request.get(link).status == 200, link
                page.get_by_text("全部简报").first.click()
                assert page.url == served + "index.html"
        finally:
            context.close()
    assert requests and all(url.startswith(served) for url in requests), requests


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")



def test_a_folder_that_is_not_a_site_is_never_replaced(weeks, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", "utf-8")
    result = run("publish", "--site", str(folder), "--archive", str(weeks["out"]), code=1)
    assert result.output == (f"briefing: error: {folder}: holds files but no issues.json: "
                             "not a site of briefing publish; give a new folder\n")
    assert tree(folder) == {"notes.txt": b"mine"}


def test_a_site_record_naming_other_files_is_refused(weeks, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(weeks["site_two"], site)
    record = json.loads((site / "issues.json").read_text("utf-8"))
    record[0]["files"]["../../outside.txt"] = "0" * 64
    (site / "issues.json").write_text(json.dumps(record), "utf-8")
    result = run("publish", "--site", str(site), "--archive", str(weeks["out"]), code=1)
    assert "issues.json: not a site record this version can read (第2期 names files publish does not write)" in result.output
    assert not (tmp_path.parent / "outside.txt").exists()


def test_the_workflow_counts_issues_from_the_last_site_and_deploys_it_with_least_permissions():
    text = (Path(__file__).resolve().parent.parent / ".github" / "workflows" / "briefing.yml").read_text("utf-8")
    build, _, rest = text.partition("\n  release:")
    release, _, pages = rest.partition("\n  pages:")
    assert "gh release download --pattern site.tar" in build and "publish --site site --next-issue" in build
    assert "--issue \"$BRIEFING_ISSUE\" --archive" in build and "publish --site site --archive out" in build
    assert "actions/upload-pages-artifact@" in build and "contents: read" in build
    assert "site.tar" in release and "name: github-pages" in release
    assert "actions/deploy-pages@" in pages and "pages: write" in pages and "id-token: write" in pages
    assert "contents:" not in pages and "if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'" in pages

"""The review page in a real browser: Debian's Chromium, driven by Playwright.

An editor's round trip, as the README tells it: ``briefing review`` writes out/review.html,
the page is opened from file://, one sentence the summariser left out is pinned and one it
picked is dropped, the [picks] TOML the page shows goes into briefing.toml, ``briefing make``
writes the PDF, and the PDF's text has the pinned sentence and not the dropped one.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium (installed by
``scripts/setup.sh --test``). A screenshot is saved beside the documents (and copied to
$BRIEFING_SCREENSHOTS when set) to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import main

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is installed by scripts/setup.sh --test")


def _plain(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _pdf_text(folder: Path) -> str:
    """``briefing make`` in `folder`, then the PDF's text without spaces."""
    _run(["make", "--format", "pdf"])
    pdf = folder / "out" / "briefing.pdf"
    return _plain(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                 capture_output=True, text=True, check=True).stdout)


def test_pin_and_drop_in_the_browser_reach_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    stale = "s-00000000aa"  # a pin from an older version of the source
    (tmp_path / "briefing.toml").write_text(f'[picks]\npin = ["{stale}"]\n', "utf-8")
    _run(["review"])
    page_path = tmp_path / "out" / "review.html"
    assert page_path.is_file()

    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_path.as_uri())
            rows = page.eval_on_selector_all("tr.sentence", """rows => rows.map(r => ({
                id: r.dataset.id, picked: r.classList.contains("picked"),
                rank: r.querySelector("td.num").textContent.trim(),
                text: r.querySelector("td.text").firstChild.textContent}))""")
            # A candidate the summariser left out, with no figure in it (the comparison table may
            # show a figure's sentence elsewhere), and a sentence it picked.
            pin = next(r for r in rows if not r["picked"] and r["rank"].startswith("#")
                       and not re.search(r"\d", r["text"]) and len(r["text"]) > 15)
            drop = [r for r in rows if r["picked"]][1]
            pin_id, pin_text, drop_id, drop_text = pin["id"], pin["text"], drop["id"], drop["text"]
            left_out, picked = page.locator(f'tr[data-id="{pin_id}"]'), page.locator(f'tr[data-id="{drop_id}"]')
            left_out.locator("button[data-action=pin]").click()
            picked.locator("button[data-action=drop]").click()
            left_out.locator("button[data-action=copy]").click()
            assert pin_id in page.locator("#copied").inner_text()
            assert "pin" in (left_out.get_attribute("class") or "")
            assert "drop" in (picked.get_attribute("class") or "")
            toml_text = page.locator("#picks").input_value()
            assert stale in page.locator("#stale").inner_text()
            page.screenshot(path=str(tmp_path / "out" / "review.png"))
        finally:
            context.close()
    assert all(url.startswith("file://") for url in requests), requests

    if os.environ.get("BRIEFING_SCREENSHOTS"):
        shutil.copy(tmp_path / "out" / "review.png", Path(os.environ["BRIEFING_SCREENSHOTS"]) / "review.png")
    assert tomllib.loads(toml_text) == {"picks": {"pin": [stale, pin_id], "drop": [drop_id]}}

    before = _pdf_text(tmp_path)
    assert _plain(pin_text) not in before and _plain(drop_text) in before
    (tmp_path / "briefing.toml").write_text('unit = "测试州政协办公室"\n\n' + toml_text, "utf-8")
    for _run_again in range(2):  # a rerun keeps the decisions
        text = _pdf_text(tmp_path)
        assert _plain(pin_text) in text
        assert _plain(drop_text) not in text
    manifest = (tmp_path / "out" / "manifest.json").read_text("utf-8")
    assert pin_id in manifest and drop_id in manifest

"""Seeds from web addresses, against a local HTTP server on 127.0.0.1 only: fetched once into
the out folder's cache, read like a saved page, recorded in the manifest; a rerun without the
server uses the cache; failures are one line naming the address."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from seed_forms import seed_page

from briefing.cli import main
from briefing.errors import InputError
from briefing.sources.web import USER_AGENT, fetch_page

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {}
SEEN_AGENTS: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow.html":
            time.sleep(1.5)
        if self.path == "/huge-unannounced.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            for _ in range(7 * 16):
                self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            return
        status, headers, body = ROUTES.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", headers.get("Content-Length", str(len(body))))
        self.end_headers()
        if status != 404 and "Content-Length" not in headers:
            self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _html(page: str, charset: str = "utf-8") -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": f"text/html; charset={charset}"}, page.encode(charset)


def test_make_from_an_address_then_again_from_the_cache_without_the_server(
    tmp_path, monkeypatch, server, seed_path, seed_articles
):
    httpd, base = server
    ROUTES["/a.html"] = _html(seed_page("renminwang", seed_path, seed_articles))
    monkeypatch.chdir(tmp_path)
    url = f"{base}/a.html"
    first = CliRunner().invoke(main, ["make", "--seeds", url, "--format", "json", "--date", "2023-01-05"])
    assert first.exit_code == 0, first.output
    briefing = json.loads((tmp_path / "out" / "briefing.json").read_text("utf-8"))
    assert [a["title"] for a in briefing["articles"]] == [a.title for a in seed_articles]
    assert {(a["source"], a["url"], a["paper"], a["date"]) for a in briefing["articles"]} == {
        (url, url, "人民政协报", "2022-12-30")}
    (source,) = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))["sources"]
    cached = tmp_path / source["path"]
    assert source["url"] == url and cached.parent == tmp_path / "out" / "pages"
    import hashlib

    assert source["sha256"] == hashlib.sha256(cached.read_bytes()).hexdigest()
    assert source["fetched"][:4].isdigit() and source["fetched"].endswith("+00:00")
    assert SEEN_AGENTS[-1] == USER_AGENT

    httpd.shutdown()
    httpd.server_close()
    second = CliRunner().invoke(main, ["make", "--seeds", url, "--format", "json", "--date", "2023-01-05"])
    assert second.exit_code == 0, second.output
    assert f"briefing: warning: {url}: cannot fetch" in second.output
    assert f"using the copy fetched {source['fetched']}" in second.output
    again = json.loads((tmp_path / "out" / "briefing.json").read_text("utf-8"))
    assert again["articles"] == briefing["articles"]


def test_seeds_from_a_list_with_keep_going_skips_what_fails(tmp_path, monkeypatch, server, seed_path, seed_articles):
    _, base = server
    ROUTES["/b.html"] = _html(seed_page("prefecture", seed_path, seed_articles), "gbk")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "urls.txt").write_text(
        f"# this week's articles\n{base}/b.html\n{base}/gone.html  # removed by the site\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["make", "--seeds-from", "seeds/urls.txt", "--format", "json", "--date", "2023-01-05"]
    failed = CliRunner().invoke(main, args)
    assert failed.exit_code == 1
    assert failed.output.strip().splitlines()[-1] == f"briefing: error: {base}/gone.html: HTTP 404 Not Found"
    assert not (tmp_path / "out" / "briefing.json").exists()
    kept = CliRunner().invoke(main, [*args, "--keep-going"])
    assert kept.exit_code == 0, kept.output
    assert f"briefing: warning: skipped {base}/gone.html: HTTP 404 Not Found" in kept.output
    titles = [a["title"] for a in json.loads((tmp_path / "out" / "briefing.json").read_text("utf-8"))["articles"]]
    assert titles == [a.title for a in seed_articles]


@pytest.mark.parametrize(("path", "route", "problem"), [
    ("/gone.html", None, "HTTP 404 Not Found"),
    ("/report.pdf", (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n"),
     "the address gives a PDF, not a web page; save its text as .txt"),
    ("/disguised.html", (200, {"Content-Type": "text/html"}, b"%PDF-1.7\n"),
     "the address gives a PDF, not a web page; save its text as .txt"),
    ("/image.png", (200, {"Content-Type": "image/png"}, b"\x89PNG"), "the address gives image/png, not a web page"),
    ("/huge.html", (200, {"Content-Type": "text/html", "Content-Length": str(50 * 2**20)}, b""),
     "the page is 50.0 MB; the limit is 5 MB"),
    ("/huge-unannounced.html", None, "the page is over the limit of 5 MB"),
    ("/to-file.html", (302, {"Location": "file:///etc/passwd"}, b""),
     "HTTP 302 Found - Redirection to url 'file:///etc/passwd' is not allowed"),
    ("/to-ftp.html", (302, {"Location": "ftp://127.0.0.1/a.html"}, b""),
     "redirected to 'ftp://127.0.0.1/a.html', which is not an http(s) address"),
    ("/slow.html", None, "timed out after 1 s"),
])
def test_a_failed_fetch_is_one_line_naming_the_address(tmp_path, server, path, route, problem):
    _, base = server
    if route is not None:
        ROUTES[path] = route
    with pytest.raises(InputError) as raised:
        fetch_page(f"{base}{path}", tmp_path, timeout=1.0)
    assert str(raised.value) == f"{base}{path}: {problem}"
    assert not (tmp_path / "pages").exists()


def test_a_redirect_to_another_page_is_followed(tmp_path, server):
    _, base = server
    ROUTES["/old.html"] = (301, {"Location": f"{base}/new.html"}, b"")
    ROUTES["/new.html"] = _html("<html><body><p>正文。</p></body></html>")
    page, warning = fetch_page(f"{base}/old.html", tmp_path)
    assert (page.url, warning) == (f"{base}/old.html", None)
    assert page.path.read_bytes() == ROUTES["/new.html"][2]


@pytest.mark.parametrize("address", ["ftp://127.0.0.1/a.html", "file:///etc/passwd", "http:///nohost"])
def test_only_http_addresses_are_fetched(tmp_path, address):
    with pytest.raises(InputError, match="only http:// and https:// addresses are fetched"):
        fetch_page(address, tmp_path)

"""Web addresses → saved pages in the out folder's cache, read like any saved ``.html``.

Fetching is deliberately plain: http(s) only (redirects too), a timeout for the whole
download, a size limit, a User-Agent that says what is asking. Each page is written to
``<out>/pages/`` with an index (address, time, SHA-256, charset), so the manifest can say
what was read, and a rerun without network reads the same page from there, with a warning.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import InputError
from .html import MAX_PAGE_BYTES

TIMEOUT = 20.0
"""Seconds for one page, connection and download together."""
USER_AGENT = f"briefing/{__version__} (a newspaper-briefing tool; fetches each listed article once)"
CACHE_FOLDER = "pages"
_INDEX = "index.json"
_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


@dataclass(frozen=True)
class Fetched:
    """A page read from an address (now, or earlier from the cache)."""

    url: str
    path: Path
    """The cached copy in ``<out>/pages/``."""
    fetched: str
    """When it was downloaded, UTC, ISO 8601."""
    sha256: str
    charset: str | None = None
    """The charset the server declared, if any."""

    def record(self) -> dict[str, str]:
        """The manifest's entry for this source."""
        return {"url": self.url, "path": self.path.as_posix(), "fetched": self.fetched, "sha256": self.sha256}


def is_address(text: str) -> bool:
    """``scheme://…``: an address, not a path (``http://`` and ``ftp://`` alike; only http(s) is fetched)."""
    return bool(_ADDRESS.match(text))


def fetch_page(url: str, out_dir: Path, timeout: float = TIMEOUT) -> tuple[Fetched, str | None]:
    """Download `url` into the cache; (page, warning). A failed download uses the cached copy
    with a warning, and without one is an InputError naming the address."""
    if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
        raise InputError(url, "only http:// and https:// addresses are fetched")
    cache = out_dir / CACHE_FOLDER
    try:
        data, charset, suffix = _download(url, timeout)
    except InputError as error:
        cached = _cached(cache, url)
        if cached is None:
            raise
        return cached, f"{url}: {error.problem}; using the copy fetched {cached.fetched}"
    return _store(cache, url, data, charset, suffix), None


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not re.match(r"^https?://", newurl, re.IGNORECASE):
            fp.close()
            raise InputError(req.full_url, f"redirected to {newurl[:80]!r}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str, timeout: float) -> tuple[bytes, str | None, str]:
    """The page's bytes, declared charset and the suffix of its kind (``.html`` or ``.txt``)."""
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            kind = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
            if kind == "application/pdf":
                raise InputError(url, "the address gives a PDF, not a web page; save its text as .txt")
            if kind not in _PAGE_TYPES:
                raise InputError(url, f"the address gives {kind}, not a web page")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_PAGE_BYTES:
                raise InputError(url, f"the page is {int(length) / 2**20:.1f} MB; the limit is "
                                      f"{MAX_PAGE_BYTES // 2**20} MB")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > MAX_PAGE_BYTES:
                    raise InputError(url, f"the page is over the limit of {MAX_PAGE_BYTES // 2**20} MB")
                if time.monotonic() > deadline:
                    raise InputError(url, f"timed out after {timeout:.0f} s")
                chunks.append(chunk)
            data = b"".join(chunks)
            if data.startswith(b"%PDF"):
                raise InputError(url, "the address gives a PDF, not a web page; save its text as .txt")
            return data, response.headers.get_content_charset(), ".txt" if kind == "text/plain" else ".html"
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection open otherwise
        raise InputError(url, f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise InputError(url, f"timed out after {timeout:.0f} s") from None
        raise InputError(url, f"cannot fetch: {getattr(reason, 'strerror', None) or reason}") from None
    except (TimeoutError, socket.timeout):
        raise InputError(url, f"timed out after {timeout:.0f} s") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise InputError(url, f"cannot fetch: {type(error).__name__}: {error}") from None


def _cache_name(url: str, suffix: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:20] + suffix


def _read_index(cache: Path) -> dict[str, dict[str, str]]:
    try:
        index = json.loads((cache / _INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def _store(cache: Path, url: str, data: bytes, charset: str | None, suffix: str) -> Fetched:
    from ..output import write_atomic

    fetched = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    page = Fetched(url, cache / _cache_name(url, suffix), fetched, hashlib.sha256(data).hexdigest(), charset)
    write_atomic(page.path, data)
    index = _read_index(cache)
    index[url] = {"file": page.path.name, "fetched": fetched, "sha256": page.sha256, "charset": charset or ""}
    write_atomic(cache / _INDEX, (json.dumps(index, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    return page


def _cached(cache: Path, url: str) -> Fetched | None:
    """The cached copy of `url`, if the index has it and the file is still the one recorded."""
    entry = _read_index(cache).get(url)
    if not isinstance(entry, dict) or entry.get("file") not in (_cache_name(url, ".html"), _cache_name(url, ".txt")):
        return None
    path = cache / str(entry["file"])
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return None
    return Fetched(url, path, str(entry.get("fetched", "")), str(entry["sha256"]), entry.get("charset") or None)

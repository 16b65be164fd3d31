"""View → HTML → PDF with WeasyPrint: tagged (PDF/UA-1), bookmarked, fonts embedded as subsets.

Two guards live here:

* `check_pdf_environment` fails in one line, before any work, when the PDF would print tofu
  (no Chinese font) or take many seconds (no HarfBuzz subsetter; fontTools is ~50× slower).
* `LocalOnlyFetcher` lets WeasyPrint read nothing but ``data:`` URIs and files inside
  ``templates/``: article text can never make the renderer open a network connection or read
  another file, even if escaping failed somewhere.
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Settings
from ..errors import OutputError
from ..model import Briefing
from . import Document
from .fonts import APT_LINE, chinese_families
from .html import TEMPLATES, briefing_html
from .justify import justify_document

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF with a structure tree, for screen readers; costs ~0.03 s."""


def check_pdf_environment() -> None:
    """Raise OutputError (one line, with the apt command) if a CJK font or HarfBuzz subsetting is missing.

    Fast (no WeasyPrint import): fontconfig and the dynamic loader are asked directly.
    """
    missing = []
    if not chinese_families():
        missing.append("no Chinese font found by fontconfig")
    if not harfbuzz_subset_available():
        missing.append("HarfBuzz font subsetting (libharfbuzz-subset0) is not installed")
    if missing:
        raise OutputError("pdf", f"{'; '.join(missing)}; install them with: {APT_LINE}")


@functools.cache
def harfbuzz_subset_available() -> bool:
    """What WeasyPrint itself loads (``harfbuzz-subset``) before falling back to fontTools."""
    for name in ("harfbuzz-subset", "harfbuzz-subset-0"):
        if ctypes.util.find_library(name):
            return True
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        return False
    return True


def _fetcher_class():  # type: ignore[no-untyped-def]
    """Built lazily so importing this module (for the environment check) skips WeasyPrint."""
    _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """Serve ``data:`` URIs and files under ``templates/``; refuse every other URL."""

        def __init__(self, root: Path = TEMPLATES) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.root = root.resolve()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes(), {})
            self.refused.append(url)
            raise ValueError(f"briefing refuses to fetch {url!r}: only its own templates may be read")

    return LocalOnlyFetcher


def local_only_fetcher():  # type: ignore[no-untyped-def]
    return _fetcher_class()()


@contextmanager
def _one_ldconfig_read() -> Iterator[None]:
    """Answer ``ctypes.util.find_library`` from one ``ldconfig -p`` read while WeasyPrint loads.

    cffi falls back to find_library for each library name WeasyPrint tries (about 20 names),
    and each call runs ``ldconfig -p`` in a subprocess: 0.3–0.45 s of a 0.5 s import here.
    The lookup below is CPython's own (the same regular expression over the same listing).
    """
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        yield  # no ldconfig: let ctypes search the slow way
        return
    machine = f"{os.uname().machine}-{struct.calcsize('P') * 8}"
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        match = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}", listing)
        return match.group(1) if match else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _weasyprint():  # type: ignore[no-untyped-def]
    if "weasyprint" not in sys.modules:
        with _one_ldconfig_read():
            import weasyprint  # noqa: F401
    return sys.modules["weasyprint"]


_LAYOUTS: dict[str, object] = {}
"""The last two layouts by their HTML: the page budget lays a page out, the writer reuses it."""


def layout(html: str, fetcher=None):  # type: ignore[no-untyped-def]
    """HTML string → WeasyPrint's laid-out document, fetching only through `LocalOnlyFetcher`."""
    if fetcher is None and html in _LAYOUTS:
        return _LAYOUTS[html]
    document = _weasyprint().HTML(
        string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher or local_only_fetcher(),
        media_type="print",
    ).render()
    if fetcher is None:
        while len(_LAYOUTS) >= 2:
            del _LAYOUTS[next(iter(_LAYOUTS))]
        _LAYOUTS[html] = document
    return document


def html_to_pdf(html: str, fetcher=None):  # type: ignore[no-untyped-def]
    """HTML string → (PDF bytes, page count), fetching only through `LocalOnlyFetcher`."""
    document = layout(html, fetcher)
    justify_document(document)
    data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, uncompressed_pdf=False)
    return data, len(document.pages)


def render_pdf(briefing: Briefing, settings: Settings) -> Document:
    """The ``pdf`` format."""
    data, pages = html_to_pdf(briefing_html(briefing, settings))
    return Document(data, pages)

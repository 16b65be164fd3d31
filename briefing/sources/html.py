"""Saved web pages (``.html``) → text: the article only, with its title, date and paper.

trafilatura finds the main text and drops menus, share bars, related links, comments and
footers (see the README for why it was chosen over readability-lxml). Its text is one
paragraph a line, which is what the reader takes. Nothing on the page is fetched or run:
the page is parsed as data (scripts, styles, iframes and images are never loaded).

Two things news pages do that the extractor does not cover are put back from the page itself:
the title block (引题, title, ——副题) often sits outside the body's container, and the paper is
named in a ``来源：`` line or a ``source`` meta tag rather than in the text.
"""

from __future__ import annotations

import re

from ..decode import decode_bytes
from ..errors import InputError
from . import Source
from .text import check_meta, parse_date

MAX_PAGE_BYTES = 5 * 1024 * 1024
"""A saved news page is 50–500 KB; one of 5 MB is not an article."""

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels pages put on the same encodings; GB18030 decodes all of GB2312 and GBK.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950", "utf8": "utf-8"}
_PAPER = re.compile(r"《([^》]{2,12})》|([\u3400-\u9fff]{2,10}(?:日报|报|晚报|时报|周刊))")
# What a browser's "Save as" writes at the top of the page: where it was saved from.
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE)
_SOURCE_META = ("source", "contentsource", "publisher", "og:site_name", "sitename", "citation_publisher")


def read_html(data: bytes, name: str, declared: str | None = None) -> Source:
    """A saved page: its article text (title block first) and metadata.

    `declared` is the charset an HTTP server sent, if the page was fetched.
    """
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(name, f"the page is {len(data) / 2**20:.1f} MB; the limit is {MAX_PAGE_BYTES // 2**20} MB")
    page, warnings = decode_page(data, name, declared)
    import trafilatura
    from lxml import html as lxml_html

    document = trafilatura.bare_extraction(
        page, favor_precision=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, with_metadata=True,
    )
    body = [line.strip() for line in (getattr(document, "text", None) or "").split("\n") if line.strip()]
    if not body:
        raise InputError(name, "no article text found on the page (a list, a video or a login page?)")
    try:
        tree = lxml_html.document_fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        tree = None
    title = _clean_title(getattr(document, "title", None) or "")
    header = _title_block(tree, title, body) if tree is not None else []
    if not header and title and title not in body[:3]:
        header = [title]
    meta = _page_meta(tree, document, name)
    saved_from = _SAVED_FROM.search(page[:2048])
    if "url" not in meta and saved_from:
        meta["url"] = saved_from.group(1)
    return Source("\n".join(header + body), meta, meta_wins=False, warnings=tuple(warnings))


def decode_page(data: bytes, name: str, declared: str | None = None) -> tuple[str, list[str]]:
    """The page's text: its declared charset when the bytes are valid in it; else what
    `decode.decode_bytes` finds (UTF-8, GB18030, Big5), with a warning when a label was wrong."""
    label = declared
    if not label:
        match = _DECLARED.search(data[:4096])
        label = match.group(1).decode("ascii") if match else None
    encoding = _ALIASES.get(label.lower(), label.lower()) if label else None
    if encoding and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(encoding), []
        except (UnicodeDecodeError, LookupError):
            pass
    text, found = decode_bytes(data, name)
    if encoding and found.replace("-sig", "") != encoding:
        return text, [f"{name}: the page says it is {label} but is {found.upper()}; read as {found.upper()}"]
    return text, []


def _clean_title(title: str) -> str:
    """``标题--政协频道--人民网`` or ``标题_州内要闻_楚雄州人民政府`` → ``标题``."""
    return re.split(r"\s*(?:--|——|_|\s\|\s|\s-\s)\s*", title.strip(), maxsplit=1)[0].strip()


def _title_block(tree, title: str, body: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The 引题 / title / ——副题 lines around the page's title element, unless the body has them.

    The title element is the first h1–h3 whose text is the title; its neighbours in the same
    container that are short headings (or ``——`` lines) are the kicker above and subtitle below.
    """
    for element in tree.iter("h1", "h2", "h3"):
        if " ".join(element.text_content().split()) == title:
            break
    else:
        return []
    if title in body[:3]:
        return []
    lines = [title]
    siblings = [s for s in element.itersiblings(preceding=True) if isinstance(s.tag, str)]
    before = siblings[0] if siblings else None
    if before is not None and before.tag in ("h2", "h3", "h4", "h5"):
        kicker = " ".join(before.text_content().split())
        if kicker and len(kicker) <= 40:
            lines.insert(0, kicker)
    for after in element.itersiblings():
        if not isinstance(after.tag, str):
            continue
        text = " ".join(after.text_content().split())
        if text and len(text) <= 60 and (after.tag in ("h2", "h3", "h4", "h5") or text.startswith(("——", "—"))):
            lines.append(text)
        break
    return [line for line in lines if line not in body[:4]]


def _page_meta(tree, document, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """paper (from a source/publisher tag or the page's ``来源：`` line), date, url (canonical)."""
    meta: dict[str, str] = {}
    candidates: list[str] = []
    if tree is not None:
        for tag in tree.iter("meta"):
            key = (tag.get("name") or tag.get("property") or "").lower()
            if key in _SOURCE_META and tag.get("content"):
                candidates.append(tag.get("content"))
        found = re.search(r"来源[:：]\s*([^\s|｜]{2,30})", " ".join(tree.text_content().split()))
        if found:
            candidates.append(found.group(1))
    candidates.append(getattr(document, "sitename", None) or "")
    for candidate in candidates:
        match = _PAPER.search(candidate)
        if match:
            meta["paper"] = check_meta("paper", match.group(1) or match.group(2), name)
            break
    date = parse_date(getattr(document, "date", None) or "")
    if date:
        meta["date"] = date
    url = getattr(document, "url", None) or ""
    if re.match(r"^https?://\S+$", url):
        meta["url"] = url
    return meta

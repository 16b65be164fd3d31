"""The seed in the forms offices receive it: a Word file and saved pages of two site layouts.

Built from the seed's own lines, so each must read back to the same articles as the .txt.
"""

from __future__ import annotations

import html
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "pages"
LAYOUTS = ("renminwang", "prefecture")


def seed_lines(seed: Path) -> list[str]:
    return [line.strip() for line in seed.read_text("utf-8").split("\n") if line.strip()]


def seed_headings(articles) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.heading for a in articles for s in a.sections if s.heading}


def write_docx(path: Path, lines: list[str], headings: set[str], **core: str) -> Path:
    """One Word paragraph per line; the 小标题 in the Heading 2 style."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line, style="Heading 2" if line in headings else None)
    for key, value in core.items():
        setattr(document.core_properties, key, value)
    document.save(str(path))
    return path


def fill_page(layout: str, title: str, subtitle: str, body: list[str], headings: set[str] = frozenset(),
              kicker: str = "", date: str = "2022-12-30") -> str:
    """A saved page of `layout` holding one article: title block in the site's header, the body
    as <p> (headings bold, as news sites print them)."""
    paragraphs = "\n".join(
        f"<p><strong>{html.escape(line)}</strong></p>" if line in headings else f"<p>{html.escape(line)}</p>"
        for line in body
    )
    year, month, day = date.split("-")
    page = (PAGES / f"{layout}.html").read_text("utf-8")
    for key, value in {
        "TITLE": html.escape(title), "SUBTITLE": html.escape(subtitle), "KICKER": html.escape(kicker),
        "LEAD": "", "DATE": date, "DATE_CN": f"{year}年{month}月{day}日", "BODY": paragraphs,
    }.items():
        page = page.replace("{{%s}}" % key, value)
    return page


def seed_page(layout: str, seed: Path, articles) -> str:  # type: ignore[no-untyped-def]
    lines = seed_lines(seed)
    return fill_page(layout, lines[0], lines[1], lines[2:], seed_headings(articles))


def chrome_texts(layout: str) -> list[str]:
    """Every piece of text the layout prints around an article: menus, share bar, related links,
    comments, footer. None of it may reach the model."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(fill_page(layout, "", "", []))
    for element in tree.iter("script", "style", "title"):
        element.drop_tree()
    texts = [" ".join(t.split()) for t in tree.itertext()]
    return [t for t in texts if len(t) >= 2 and not t.startswith("(责编")]

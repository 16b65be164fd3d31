"""View → DOCX with python-docx: real Word styles, Chinese fonts, GB/T 9704 page, same words as the PDF.

Every paragraph gets a named style (Title, Heading 1/2, Body Text, and a few 简报 styles such as
``Masthead``); nothing is formatted run by run, so an office can restyle the document in Word
or WPS. The fonts are the names Chinese Windows/WPS users have (`Settings.fonts`), written into
``w:eastAsia`` of each style, with the default template's theme fonts and ``ja-JP`` removed
(RENDERING.md: otherwise Word shows MS Mincho). The result is byte-reproducible: core
properties carry the briefing date, and the ZIP is rewritten with fixed times and order.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from collections.abc import Sequence

import docx
from lxml import etree
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..config import Fonts, Settings
from ..model import Briefing
from . import Document
from .fonts import FREE, ROLES
from .grid import figure_rows, figures_per_row
from .html import _NUMBER
from .view import CompareTable, FigureRow, Text, View, build_view

RED = RGBColor(0xE6, 0x00, 0x12)
GREY = RGBColor(0x44, 0x44, 0x44)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LINE = Pt(28.95)  # 22 lines in the 225 mm text block
TEXT_WIDTH = Mm(156)


def render_docx(briefing: Briefing, settings: Settings) -> Document:
    """The ``docx`` format (no page count: pages are the reader's layout, not ours)."""
    view = build_view(briefing, settings)
    document = docx.Document()
    _drop_thumbnail(document)
    _language(document)
    _styles(document, settings.fonts)
    _font_table(document, settings.fonts)
    _page(document)
    _write(document, view)
    _properties(document, view)
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(_normalise_zip(buffer.getvalue(), view.date_iso))


# --- styles --------------------------------------------------------------------------------


def _styles(document, fonts: Fonts) -> None:  # type: ignore[no-untyped-def]
    """Define every style the briefing uses; strip theme fonts and colours from all styles."""
    styles = document.styles
    for element in styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            element.attrib.pop(qn(attribute), None)
    for element in list(styles.element.iter(qn("w:color"))):
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            element.attrib.pop(qn(attribute), None)

    normal = styles["Normal"]
    _font(normal, fonts.body, 16)
    _para(normal, space=0, line=LINE, align=WD_ALIGN_PARAGRAPH.LEFT)
    # Left-aligned, no hanging punctuation: with justified CJK text LibreOffice 7.4 drops a ，or 、
    # at the end of a line (seen on the seed: "整体设计、" printed as "整体设计"); left-aligned it
    # keeps them. WeasyPrint cannot justify Chinese either, so both formats look the same.
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "0")
    _insert_ppr(normal.element.get_or_add_pPr(), overflow)
    # The docDefaults carry the template's theme fonts too; give them the body face.
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                rfonts.set(qn(slot), fonts.body)

    body = styles["Body Text"]
    body.base_style = normal
    _font(body, fonts.body, 16)
    _para(body, space=0, line=LINE, align=WD_ALIGN_PARAGRAPH.LEFT)
    _first_line_chars(body, 200, 16)

    title = styles["Title"]
    title.base_style = normal
    _reset(title)
    _font(title, fonts.title, 22)
    _para(title, before=0, after=18, line=Pt(33), align=WD_ALIGN_PARAGRAPH.CENTER)
    _no_grid(title)

    for name, face, before in (("Heading 1", fonts.heading, 12), ("Heading 2", fonts.kai, 4)):
        heading = styles[name]
        heading.base_style = normal
        _reset(heading)
        _font(heading, face, 16)
        _para(heading, before=before, after=0, line=LINE, align=WD_ALIGN_PARAGRAPH.LEFT, keep=True)
        _first_line_chars(heading, 200, 16)

    _new(styles, "Masthead", fonts.title, 42, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(60),
         spacing=4)
    _new(styles, "Issue", fonts.kai, 16, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    meta = _new(styles, "Masthead Meta", fonts.body, 16, align=WD_ALIGN_PARAGRAPH.LEFT, after=24)
    meta.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _borders(meta, bottom=("single", 20, "E60012", 6))
    _new(styles, "Source Line", fonts.kai, 12, align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(20), keep=True)
    _new(styles, "Note", fonts.kai, 14, color=GREY, line=Pt(22), before=2, after=2, indent=200)  # may end a page: the head stays together above it
    _new(styles, "Table Text", fonts.figures, 12, line=Pt(17), before=2, after=2)
    _new(styles, "Table Value", fonts.figures, 12, line=Pt(17), align=WD_ALIGN_PARAGRAPH.RIGHT,
         before=2, after=2)
    _new(styles, "Table Heading", fonts.heading, 12, line=Pt(17), align=WD_ALIGN_PARAGRAPH.CENTER, keep=True,
         before=2, after=2)
    # Figure-table headers align with their column: 指标 left over the labels, 数据 right over the values.
    for name, align in (("Table Heading Label", WD_ALIGN_PARAGRAPH.LEFT), ("Table Heading Value", WD_ALIGN_PARAGRAPH.RIGHT)):
        _new(styles, name, fonts.heading, 12, line=Pt(17), align=align, keep=True, before=2, after=2)
    _new(styles, "Table Note", fonts.kai, 10.5, color=GREY, line=Pt(14), after=2)
    source = _new(styles, "Source", fonts.body, 14, line=Pt(22), before=0)
    source.paragraph_format.left_indent = Pt(17)
    source.paragraph_format.first_line_indent = Pt(-17)
    _new(styles, "Auto Line", fonts.kai, 14, line=Pt(22), before=6)
    distribution = _new(styles, "Distribution", fonts.body, 14, line=Pt(25), before=0)
    distribution.paragraph_format.left_indent = Pt(42)
    distribution.paragraph_format.first_line_indent = Pt(-42)
    _borders(distribution, top=("single", 6, "000000", 1), bottom=("single", 6, "000000", 1),
             between=("single", 3, "000000", 1))
    _new(styles, "Distribution Gap", fonts.body, 14, line=Pt(30))

    strong = styles.add_style("Figure Value", WD_STYLE_TYPE.CHARACTER)
    _font(strong, fonts.heading, None)
    region = styles.add_style("Region", WD_STYLE_TYPE.CHARACTER)
    _font(region, fonts.heading, None)
    _western_digits(styles.add_style("Number", WD_STYLE_TYPE.CHARACTER).element)

    footer = styles["Footer"]
    footer.base_style = normal
    _font(footer, fonts.body, 14)
    _para(footer, space=0, line=Pt(20))
    _no_grid(footer)
    odd = _new(styles, "Page Number Odd", fonts.body, 14, align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(20),
               base=footer)
    odd.paragraph_format.right_indent = Pt(14)
    even = _new(styles, "Page Number Even", fonts.body, 14, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(20),
                base=footer)
    even.paragraph_format.left_indent = Pt(14)

    _table_style(styles, fonts)


def _new(  # type: ignore[no-untyped-def]
    styles, name, face, size, *, color=None, align=WD_ALIGN_PARAGRAPH.LEFT, line=None,
    before=0, after=0, keep=False, indent=0, spacing=None, base=None,
):
    """A new paragraph style based on Normal (or `base`), off the line grid."""
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base or styles["Normal"]
    style.quick_style = True
    _font(style, face, size, color=color, spacing=spacing)
    _para(style, before=before, after=after, line=line, align=align, keep=keep)
    if indent:
        _first_line_chars(style, indent, size)
    _no_grid(style)
    return style


def _font(  # type: ignore[no-untyped-def]
    style, face: str, size: float | None, *, color=None, spacing=None
) -> None:
    """Name `face` in every font slot, East-Asian included; black unless `color`."""
    font = style.font
    font.name = face
    if size is not None:
        font.size = Pt(size)
    font.bold = False
    font.italic = False
    font.color.rgb = color or RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), face)
    if spacing is not None:
        node = rpr.find(qn("w:spacing"))
        if node is None:
            node = OxmlElement("w:spacing")
            rpr.append(node)
        node.set(qn("w:val"), str(int(spacing * 20)))


def _para(  # type: ignore[no-untyped-def]
    style, *, before=None, after=None, space=None, line=None, align=None, keep=False
) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(space if space is not None else before or 0)
    fmt.space_after = Pt(space if space is not None else after or 0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = keep or None
    fmt.widow_control = True


def _western_digits(element) -> None:  # type: ignore[no-untyped-def]
    """Language en-US (East-Asian slot too) on a run or style holding a number: see `_add_text`."""
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "en-US")
    element.get_or_add_rPr().append(lang)


def _first_line_chars(style, chars: int, size: float) -> None:  # type: ignore[no-untyped-def]
    """First-line indent in characters (w:firstLineChars="200" = 2 characters), as Word does it."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars))
    ind.set(qn("w:firstLine"), str(int(size * 20 * chars / 100)))


def _reset(style) -> None:  # type: ignore[no-untyped-def]
    """Drop the template's borders, colours, sizes and bold from a built-in style (keep outline level)."""
    removable = {
        "pPr": ("w:pBdr", "w:contextualSpacing"),
        "rPr": ("w:color", "w:kern", "w:spacing", "w:sz", "w:szCs", "w:b", "w:bCs", "w:i", "w:iCs"),
    }
    for parent, tags in ((style.element.pPr, removable["pPr"]), (style.element.rPr, removable["rPr"])):
        if parent is None:
            continue
        for tag in tags:
            for node in parent.findall(qn(tag)):
                parent.remove(node)


def _borders(style, **sides) -> None:  # type: ignore[no-untyped-def]
    """Paragraph borders in the style: side=(kind, eighths of a point, colour, space pt)."""
    ppr = style.element.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right", "between"):
        if side in sides:
            kind, size, color, space = sides[side]
            node = OxmlElement(f"w:{side}")
            node.set(qn("w:val"), kind)
            node.set(qn("w:sz"), str(size))
            node.set(qn("w:space"), str(space))
            node.set(qn("w:color"), color)
            pbdr.append(node)
    _insert_ppr(ppr, pbdr)


_PPR_AFTER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _insert_ppr(ppr, node) -> None:  # type: ignore[no-untyped-def]
    """Insert `node` (pBdr or snapToGrid) where the schema wants it: before the later siblings."""
    tag = node.tag.split("}")[1]
    # pBdr precedes everything listed; anything else goes before the entries that follow it.
    later = _PPR_AFTER[_PPR_AFTER.index(f"w:{tag}") + 1 :] if f"w:{tag}" in _PPR_AFTER else _PPR_AFTER
    for child in ppr:
        if any(child.tag == qn(t) for t in later):
            child.addprevious(node)
            return
    ppr.append(node)


def _no_grid(style) -> None:  # type: ignore[no-untyped-def]
    """Small or display text keeps its own line height instead of snapping to the 22-line grid."""
    node = OxmlElement("w:snapToGrid")
    node.set(qn("w:val"), "0")
    _insert_ppr(style.element.get_or_add_pPr(), node)


def _table_style(styles, fonts: Fonts) -> None:  # type: ignore[no-untyped-def]
    """``Briefing Table``: rules above and below, thin inner lines, no shading."""
    style = styles.add_style("Briefing Table", WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    _font(style, fonts.figures, 12)
    tblpr = style.element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.element.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for side, size, color in (("top", 8, "000000"), ("bottom", 8, "000000"),
                              ("insideH", 3, "999999"), ("insideV", 3, "999999")):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:val"), "single")
        node.set(qn("w:sz"), str(size))
        node.set(qn("w:space"), "0")
        node.set(qn("w:color"), color)
        borders.append(node)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("left", 85), ("right", 85)):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(width))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    tblpr.append(margins)


def _font_table(document, fonts: Fonts) -> None:  # type: ignore[no-untyped-def]
    """Declare each role's official face in word/fontTable.xml with the free face as ``altName``.

    Word and WPS use the declared face where it is installed; the altName, GB2312 charset and
    family tell a reader without it (and LibreOffice) what to substitute, instead of any sans.
    """
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    declared = {font.get(f"{{{W_NS}}}name") for font in root}
    for role in ROLES:
        face = getattr(fonts, role)
        free = FREE[role][0]
        if face in declared:
            continue
        declared.add(face)
        font = etree.SubElement(root, f"{{{W_NS}}}font", {f"{{{W_NS}}}name": face})
        for tag, value in (("altName", free), ("charset", "86"),
                           ("family", "modern" if role == "heading" else "roman"), ("pitch", "variable")):
            etree.SubElement(font, f"{{{W_NS}}}{tag}", {f"{{{W_NS}}}val": value})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- document-wide settings ---------------------------------------------------------------


def _language(document) -> None:  # type: ignore[no-untyped-def]
    """zh-CN for East-Asian text, in the style defaults and the theme-font language."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    node = rpr.find(qn("w:lang"))
    if node is None:
        node = OxmlElement("w:lang")
        rpr.append(node)
    node.set(qn("w:val"), "zh-CN")
    node.set(qn("w:eastAsia"), "zh-CN")
    node.set(qn("w:bidi"), "ar-SA")


def _drop_thumbnail(document) -> None:  # type: ignore[no-untyped-def]
    """The default template ships an English thumbnail; file browsers would show it."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def _page(document) -> None:  # type: ignore[no-untyped-def]
    """A4, 37 mm top, 28 mm binding side (mirrored on even pages), 22-line grid, page numbers."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    settings = document.settings.element
    mirror = OxmlElement("w:mirrorMargins")
    settings.find(qn("w:zoom")).addnext(mirror)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], "Page Number Odd", document)
    _page_number(section.even_page_footer.paragraphs[0], "Page Number Even", document)


def _page_number(paragraph, style: str, document) -> None:  # type: ignore[no-untyped-def]
    """``— PAGE —`` with a real PAGE field, so every reader numbers its own pages."""
    paragraph.style = document.styles[style]
    paragraph.add_run("— ")
    field = (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None))
    for kind, text in field:
        run = paragraph.add_run()
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        elif kind == "text":
            node = OxmlElement("w:t")
            node.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run._r.append(node)
    paragraph.add_run(" —")


_MAX_PROPERTY = 255  # python-docx refuses longer core properties (many regions, a long title)


def _fit(text: str) -> str:
    return text if len(text) <= _MAX_PROPERTY else text[: _MAX_PROPERTY - 1] + "…"


def _properties(document, view: View) -> None:  # type: ignore[no-untyped-def]
    """Core properties pinned to the briefing date: the same inputs give the same bytes."""
    when = _dt.datetime.fromisoformat(view.date_iso).replace(tzinfo=_dt.timezone.utc)
    core = document.core_properties
    core.title = _fit(f"{view.name} {view.issue}：{view.title}")
    core.subject = _fit(view.subject)
    core.author = _fit(view.unit)
    core.last_modified_by = _fit(view.unit)
    core.keywords = _fit(", ".join(view.keywords))
    core.language = "zh-CN"
    core.comments = _fit(view.auto_line)
    core.created = when
    core.modified = when
    core.last_printed = when
    core.revision = 1


# --- content ---------------------------------------------------------------------------------


class _Styles:
    """Style names → style IDs, looked up once.

    python-docx finds a style by name by scanning every style in the document (about 2.5 ms
    a paragraph here, 10 s for a 100-article briefing); setting the ID directly is the same
    XML for a hundredth of the cost.
    """

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        self.ids = {style.name: style.style_id for style in document.styles}

    def paragraph(self, paragraph, name: str):  # type: ignore[no-untyped-def]
        paragraph._p.style = self.ids[name]
        return paragraph

    def run(self, run, name: str):  # type: ignore[no-untyped-def]
        run._r.style = self.ids[name]
        return run


def _write(document, view: View) -> None:  # type: ignore[no-untyped-def]
    """The same blocks, in the same order, as templates/briefing.html.j2."""
    styles = _Styles(document)

    def add(text: str = "", style: str = "Body Text"):  # type: ignore[no-untyped-def]
        return styles.paragraph(document.add_paragraph(text), style)

    def add_run(paragraph, text: str, style: str | None = None):  # type: ignore[no-untyped-def]
        run = paragraph.add_run(text)
        return styles.run(run, style) if style else run

    def add_text(paragraph, text: Text) -> None:  # type: ignore[no-untyped-def]
        for run in text:
            if run.kind == "figure":
                _western_digits(add_run(paragraph, run.text, "Figure Value")._r)
            else:
                _add_text(paragraph, run.text, styles)

    add(view.name, "Masthead")
    add(view.issue, "Issue")
    add(f"{view.unit}\t{view.date}", "Masthead Meta")
    add(view.title, "Title")
    if view.overview:
        add("导读", "Heading 1")
        for item in view.overview:
            paragraph = add(style="Body Text")
            if item.region:
                add_run(paragraph, item.region, "Region")
                add_run(paragraph, "　")
            add_run(paragraph, f"《{item.title}》" + ("：" if item.text else ""))
            add_text(paragraph, item.text)
    if view.compare:
        add("主要数据对照", "Heading 1")
        for table in view.compare:
            _compare_table(document, styles, table)
    for article in view.articles:
        add(f"{article.number}{article.title}", "Heading 1")
        if article.subtitle:
            add(article.subtitle, "Source Line")
        add(article.source, "Source Line")
        for note in article.notes:
            add(f"【说明】{note}", "Note")
        for section in article.sections:
            if not section.is_lead:
                add(f"{section.number}{section.heading}", "Heading 2")
            for text in section.paragraphs:
                add_text(add(style="Body Text"), text)
            if section.figures:
                _figure_table(document, styles, section.figures)
    add(view.auto_line, "Auto Line")
    if view.distribution:
        add("", "Distribution Gap")
        for key, value in view.distribution:
            add(f"{key}：{value}", "Distribution")


def _add_text(paragraph, text: str, styles: _Styles) -> None:  # type: ignore[no-untyped-def]
    """Body text with each number in a ``Number`` run (digits in a Western language).

    LibreOffice takes digits amid Chinese for East-Asian characters and breaks between any two
    of them (``1`` / ``0600``); tagged en-US they stay whole, as in Word. LibreOffice reads the
    language from the run itself, not from a character style, so the run carries it too.
    """
    last = 0
    for match in _NUMBER.finditer(text):
        if len(match.group()) < 2:
            continue
        if match.start() > last:
            paragraph.add_run(text[last : match.start()])
        _western_digits(styles.run(paragraph.add_run(match.group()), "Number")._r)
        last = match.end()
    if last < len(text):
        paragraph.add_run(text[last:])


def _table(document, rows: int, widths: Sequence[int]):  # type: ignore[no-untyped-def]
    """A fixed-layout table in `Briefing Table` style; widths go to w:gridCol and every cell."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = document.styles["Briefing Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width / 635)))  # EMU → twentieths of a point
    for row in table.rows:
        _cant_split(row)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _cant_split(row, header: bool = False) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _set(cell, text: str, style: str, styles: _Styles) -> None:  # type: ignore[no-untyped-def]
    paragraph = styles.paragraph(cell.paragraphs[0], style)
    if text:
        run = paragraph.add_run(text)
        if style == "Table Value":
            _western_digits(run._r)


def _figure_table(document, styles: _Styles, figures: Sequence[FigureRow]) -> None:  # type: ignore[no-untyped-def]
    """指标 数据 (one or two figures a row, as `grid` lays them out for the HTML too)."""
    per_row = figures_per_row(len(figures))
    rows = figure_rows(figures)
    label, value = (Mm(106), Mm(50)) if per_row == 1 else (Mm(48.5), Mm(29.5))
    table = _table(document, len(rows) + 1, [label, value] * per_row)
    _cant_split(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, ("指标", "数据") * per_row, strict=True):
        _set(cell, text, "Table Heading Label" if text == "指标" else "Table Heading Value", styles)
    for row, cells in zip(table.rows[1:], rows, strict=True):
        column = 0
        for c in cells:
            target = row.cells[column]
            if c.span > 1:
                target = target.merge(row.cells[column + c.span - 1])
            _set(target, c.item.label, "Table Text", styles)
            _set(row.cells[column + c.span], c.item.value, "Table Value", styles)
            column += c.span + 1
    _keep_rows_together(table)
    styles.paragraph(document.add_paragraph(), "Table Note")


def _compare_table(document, styles: _Styles, compare: CompareTable) -> None:  # type: ignore[no-untyped-def]
    """The label once, then one column per region, as in the HTML; — where a region has none."""
    label = int(TEXT_WIDTH * 0.4)
    width = int((TEXT_WIDTH - label) / len(compare.regions))
    table = _table(document, len(compare.rows) + 1, [label] + [width] * len(compare.regions))
    _cant_split(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, ("指标", *compare.regions), strict=True):
        _set(cell, text, "Table Heading Label" if text == "指标" else "Table Heading Value", styles)
    for row, item in zip(table.rows[1:], compare.rows, strict=True):
        cells = row.cells
        _set(cells[0], item.label, "Table Text", styles)
        for cell, value in zip(cells[1:], item.values, strict=True):
            _set(cell, value or "—", "Table Value", styles)
    _keep_rows_together(table)
    styles.paragraph(document.add_paragraph(), "Table Note")


def _keep_rows_together(table) -> None:  # type: ignore[no-untyped-def]
    """Keep-with-next on the header, the first body row and the last-but-one row.

    Word and LibreOffice keep a row with the next when its paragraphs keep with next, so a
    table breaks only with two body rows on each side and its repeated header never stands
    over a single row; a table of up to four body rows never breaks at all.
    """
    rows = table.rows
    keep = {0, 1, len(rows) - 2} if len(rows) > 5 else set(range(len(rows) - 1))
    for index in keep:
        for cell in rows[index].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


# --- reproducible ZIP -----------------------------------------------------------------------


def _normalise_zip(data: bytes, date_iso: str) -> bytes:
    """Rewrite the package with fixed member times and a fixed member order."""
    day = _dt.date.fromisoformat(date_iso)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    ordered = first + sorted(n for n in names if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()

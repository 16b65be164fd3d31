"""Flush right margins for Chinese text in the PDF: a pass over WeasyPrint's laid-out lines.

WeasyPrint justifies only at spaces, so a Chinese line ends wherever Pango's last break
opportunity fell: up to two characters short when a number, a closing mark or a quotation
could not be split. After `render()` and before `write_pdf()`, every line of a justified block
but the block's last gets the missing width spread evenly between its characters, as extra
letter spacing on its text boxes (the same attribute CSS ``letter-spacing`` sets), so:

* the PDF's text layer stays exactly the text: spacing is glyph positioning, not characters;
* where the lines break is Pango's (and the template's no-break spans) choice, untouched;
* a line is never stretched by more than `MAX_EXTRA` of its font size per character, so its
  text extracts without spaces: a line shorter than that allows (a long number moved down)
  is stretched to the limit and stays a little short.

It uses WeasyPrint's box tree and its text ``Layout`` (documented as internal), so the pinned
WeasyPrint version matters; tests measure the result on the PDF itself.
"""

from __future__ import annotations

from collections.abc import Iterator

ZWSP = "\u200b"
MAX_EXTRA = 0.09
"""Largest extra space between two characters, in ems; beyond it a line is left as it is.

Text extractors take a gap of a tenth of an em between glyphs for a word space (poppler's
``pdftotext`` does): a looser line would read back as ``个 人 “ 四 种 类 型 ”``."""
EPSILON = 0.05
"""Slack below this (pt) is not worth a new layout."""


def justify_document(document) -> int:  # type: ignore[no-untyped-def]
    """Stretch every non-final line of every ``text-align: justify`` block; return how many.

    Done once per document: `pdf.layout` may hand the same laid-out document out again.
    """
    from weasyprint.formatting_structure import boxes

    if getattr(document, "_briefing_justified", False):
        return 0
    document._briefing_justified = True

    lines_of: dict[int, list[tuple[object, float]]] = {}
    for page in document.pages:
        for block in _justified_blocks(page._page_box, boxes):
            right = block.content_box_x() + block.width
            key = id(block.element) if block.element is not None else id(block)
            lines_of.setdefault(key, []).extend((line, right) for line in block.children)
    stretched = 0
    for lines in lines_of.values():
        for line, right in lines[:-1]:  # the paragraph's last line stays ragged
            stretched += _stretch(line, right, boxes)
    return stretched


def _justified_blocks(box, boxes) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Blocks of lines whose text-align is justify, in document order."""
    children = getattr(box, "children", ())
    if children and isinstance(children[0], boxes.LineBox):
        if box.style["text_align_all"] == "justify":
            yield box
        return
    for child in children:
        yield from _justified_blocks(child, boxes)


def _text_boxes(box, boxes) -> Iterator[object]:  # type: ignore[no-untyped-def]
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_boxes(child, boxes)


def _stretch(line, right: float, boxes) -> int:  # type: ignore[no-untyped-def]
    """Spread the line's slack over its character gaps; 1 if the line was stretched."""
    texts = [t for t in _text_boxes(line, boxes) if t.text.strip(ZWSP + " ")]
    if not texts:
        return 0
    end = max(t.position_x + t.width for t in texts)
    slack = right - end
    if slack <= EPSILON:
        return 0
    limit = MAX_EXTRA * texts[0].style["font_size"]
    # Numbers keep their own spacing where the line allows (``2 1 0 0`` reads badly), else
    # their digits take a share too; a line still too short is stretched as far as the limit.
    for tight in (_tight, _never):
        gaps = sum(1 if tight(t) else len(_visible(t.text)) for t in texts) - 1
        if gaps >= 1 and (slack / gaps <= limit or tight is _never):
            _move_inline_parents(line, _respace(texts, min(slack / gaps, limit), tight), boxes)
            return 1
    return 0


def _never(text) -> bool:  # type: ignore[no-untyped-def]
    return False


def _tight(text) -> bool:  # type: ignore[no-untyped-def]
    """A no-break run: a number with its unit, a highlighted figure."""
    return text.style["white_space"] in ("nowrap", "pre")


def _visible(text: str) -> str:
    return text.replace(ZWSP, "").rstrip(" ")


def _respace(texts, extra: float, tight) -> dict[int, tuple[float, float]]:  # type: ignore[no-untyped-def]
    """New letter spacing and width for each text box; boxes after it move right.

    Returns, per text box id, (shift of its left edge, growth of its width), for the parents.
    """
    from weasyprint.text.line_break import Layout, line_size

    moves: dict[int, tuple[float, float]] = {}
    shift = 0.0
    for text in texts:
        if tight(text):
            text.position_x += shift
            moves[id(text)] = (shift, 0.0)
            shift += extra  # the gap after the run
            continue
        style = text.style.copy()
        spacing = style["letter_spacing"]
        style["letter_spacing"] = (0 if spacing == "normal" else spacing) + extra
        layout = Layout(style)
        layout.set_text(text.text)
        width, _height = line_size(layout.get_first_line()[0], style)
        layout.deactivate()
        growth = width - text.width
        text.style = style
        text.position_x += shift
        text.width = width
        moves[id(text)] = (shift, growth)
        shift += growth
    return moves


def _move_inline_parents(box, moves: dict[int, tuple[float, float]], boxes) -> tuple[float, float] | None:  # type: ignore[no-untyped-def]
    """Inline boxes (no-break spans) follow their text: same shift, width grown by their texts'."""
    first: float | None = None
    grown = 0.0
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            move = moves.get(id(child))
        elif isinstance(child, boxes.InlineBox):
            move = _move_inline_parents(child, moves, boxes)
            if move is not None:
                child.position_x += move[0]
                child.width += move[1]
        else:
            move = None
        if move is not None:
            first = move[0] if first is None else first
            grown += move[1]
    return None if first is None else (first, grown)

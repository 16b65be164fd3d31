"""Word ``.docx`` seeds → text: the body's paragraphs in order, one a line.

What a reader of the document sees is what is read: tracked insertions count, tracked
deletions and moved-away text do not; comments, footnotes, text boxes and field codes are
left out. Tables and images are left out with a warning (a table's cells are not prose the
reader could cut into sentences). Headings the document marks — a Heading (标题) style, or a
short paragraph set bold or centred — are passed to the reader as such (`Source.headings`);
others it finds from the text, as in a ``.txt``.

The zip is checked before python-docx opens it: not a zip, too many parts, or parts that
would unpack to more than `MAX_UNPACKED` (a zip bomb) are refused in one line.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import InputError
from . import Source
from .text import check_meta, split_front_matter

MAX_UNPACKED = 200 * 1024 * 1024
"""A long feature with photos is a few MB; 200 MB unpacked is far beyond any real one."""
MAX_PARTS = 5000
MAX_DOCUMENT_XML = 50 * 1024 * 1024
"""The body's XML: about five times its text, and a seed's text is at most 10 MB."""
_OLE = b"\xd0\xcf\x11\xe0"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not the body's: deleted or moved-away runs, drawings and their text
# boxes (mc:AlternateContent holds a second copy of the same box), footnote marks.
_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}drawing", f"{_W}pict", f"{_W}object", f"{_MC}AlternateContent",
         f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}pPr", f"{_W}rPr"}


def read_docx(data: bytes, name: str) -> Source:
    """A ``.docx`` seed: its paragraphs, core-property metadata and a front-matter block if any."""
    _check_zip(data, name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(name, f"not a readable Word document ({type(error).__name__}: {error})") from None
    except Exception as error:  # noqa: BLE001 - lxml and python-docx raise many kinds on broken XML
        raise InputError(name, f"the Word document is damaged ({type(error).__name__})") from None
    names = {style.style_id: (style.name or "") for style in document.styles}
    lines, tables, images, marked = _body_lines(document.element.body, names)
    warnings = []
    if tables:
        warnings.append(f"{name}: left out {tables} table(s); only paragraphs are read")
    if images:
        warnings.append(f"{name}: left out {images} image(s)")
    text, front = split_front_matter("\n".join(lines), name)
    meta = _core_meta(document.core_properties, name)
    meta.update(front)
    return Source(text, meta, meta_wins=bool(front), warnings=tuple(warnings), headings=frozenset(marked))


def _check_zip(data: bytes, name: str) -> None:
    if data.startswith(_OLE):
        raise InputError(
            name, "an old Word .doc (or a password-protected document); save it as .docx without a password"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(name, "not a Word .docx file (not a zip archive)") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise InputError(name, f"{len(parts)} parts in the zip; a Word document has a few dozen")
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED:
            raise InputError(
                name, f"would unpack to {unpacked / 2**20:.0f} MB (limit {MAX_UNPACKED // 2**20} MB): a zip bomb?"
            )
        try:
            body = archive.getinfo("word/document.xml")
        except KeyError:
            raise InputError(name, "a zip archive without word/document.xml: not a Word .docx file") from None
        if body.file_size > MAX_DOCUMENT_XML:
            raise InputError(name, f"the document's text is {body.file_size / 2**20:.0f} MB of XML "
                                   f"(limit {MAX_DOCUMENT_XML // 2**20} MB)")


def _body_lines(body, names: dict[str, str]) -> tuple[list[str], int, int, set[int]]:  # type: ignore[no-untyped-def]
    """The text of the body's paragraphs (content controls opened), tables and images counted,
    and the 1-based lines of the paragraphs marked as headings (`_marked_heading`)."""
    lines: list[str] = []
    marked: set[int] = set()
    tables = images = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            images += sum(1 for _ in element.iter(f"{_W}drawing", f"{_W}pict"))
            text = _paragraph_text(element)
            if "\n" not in text and _marked_heading(element, text, names):
                marked.add(len(lines) + 1)
            lines.extend(text.split("\n"))
        elif element.tag == f"{_W}tbl":
            tables += 1
        elif element.tag == f"{_W}sdt":
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                more, more_tables, more_images, more_marked = _body_lines(content, names)
                marked.update(len(lines) + line for line in more_marked)
                lines.extend(more)
                tables += more_tables
                images += more_images
    return lines, tables, images, marked


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*[1-9]$", re.IGNORECASE)
_SENTENCE_END = re.compile("[。！？!?；;]$")


def _marked_heading(element, text: str, names: dict[str, str]) -> bool:  # type: ignore[no-untyped-def]
    """A paragraph in a Heading style, or a short one without an end mark set bold or centred."""
    text = text.strip()
    if not text or len(text) > 40:
        return False
    style = element.find(f"{_W}pPr/{_W}pStyle")
    if style is not None and _HEADING_STYLE.match(names.get(style.get(f"{_W}val") or "", "")):
        return True
    if _SENTENCE_END.search(text):
        return False
    centred = element.find(f"{_W}pPr/{_W}jc")
    if centred is not None and centred.get(f"{_W}val") == "center":
        return True
    runs = [r for r in element.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    return bool(runs) and all(_bold(run) for run in runs)


def _bold(run) -> bool:  # type: ignore[no-untyped-def]
    flag = run.find(f"{_W}rPr/{_W}b")
    return flag is not None and flag.get(f"{_W}val") not in ("0", "false")


def _paragraph_text(element) -> str:  # type: ignore[no-untyped-def]
    """Visible text of one ``w:p``: tabs as spaces, line breaks as new lines, page breaks as nothing."""
    parts: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for child in node.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append(" ")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") not in ("page", "column"):
                    parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}sym":
                continue
            else:
                walk(child)

    walk(element)
    return "".join(parts)


_PAPER = re.compile(r"^《?[\u3400-\u9fff]{2,12}(?:报|刊|杂志)》?$")


def _core_meta(core, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Core properties that say where the article came from: a paper's name as the subject or
    category, a web address as the identifier. (Created/modified dates are the file's, not the
    article's, and are not used.)"""
    meta: dict[str, str] = {}
    for value in (core.subject, core.category):
        if value and _PAPER.match(value.strip()):
            meta["paper"] = check_meta("paper", value, name)
            break
    identifier = (core.identifier or "").strip()
    if re.match(r"^https?://\S+$", identifier):
        meta["url"] = identifier
    return meta

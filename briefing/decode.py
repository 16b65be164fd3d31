"""Bytes → text: strict decoding with the encodings Chinese offices produce.

UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030 (a superset of GBK and GB2312) are
tried in that order, each strictly; a file that none decodes is an error, never mojibake.
Binary files (images, PDFs renamed ``.txt``) are refused by their NUL bytes and magic numbers.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .errors import InputError

_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (a .docx?)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc?)",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
}

# Characters that break XML/Word or are invisible noise: C0/C1 controls except tab and
# newline, lone surrogates, U+FFFE/U+FFFF, and other noncharacters.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ufdd0-\ufdef]"
)
# Spaces that look like spaces but are not U+0020: full-width (U+3000, used for paragraph
# indentation), no-break, thin and other typographic spaces; zero-width characters and BOMs.
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def decode_bytes(data: bytes, path: object) -> tuple[str, str]:
    """Decode a seed file. Returns (text, encoding name); raises InputError naming `path`."""
    if not data.strip():
        raise InputError(path, "the file is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"this is {what}, not plain text")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if b"\x00" in data:
        raise InputError(path, "binary data (NUL bytes); expected plain text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            path, "not valid UTF-8, UTF-16 (with BOM) or GB18030/GBK text"
        ) from None
    # GB18030 maps almost any byte string to *something*; accept it only when the result
    # reads like Chinese text rather than a scatter of rare characters.
    if not _looks_like_chinese(text):
        raise InputError(path, "not valid UTF-8, and as GB18030/GBK it decodes to gibberish")
    return text, "gb18030"


def _strict(data: bytes, encoding: str, path: object) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"invalid {encoding.upper()} at byte {error.start}") from None


def _looks_like_chinese(text: str) -> bool:
    """True when the ideographs are mostly common ones (GB2312), as in real Chinese prose.

    Text in another encoding (Big5, Shift-JIS, Latin-1) read as GB18030 either fails outright
    or turns into a scatter of rare characters; real simplified text is >95 % GB2312, and
    even traditional-script text keeps well over half of its characters there.
    """
    ideographs = [c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
    others = [c for c in text if not c.isspace() and c not in ideographs]
    strange = sum(1 for c in others if not (c.isascii() or _is_cjk_symbol(c)))
    if others and strange / len(others) > 0.2:
        return False
    if not ideographs:
        return not strange
    common = 0
    for char in ideographs:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(ideographs) >= 0.6


def _is_cjk_symbol(char: str) -> bool:
    """Full-width punctuation and forms, CJK symbols, general punctuation."""
    return (
        "\u3000" <= char <= "\u303f"
        or "\uff00" <= char <= "\uffef"
        or "\u2000" <= char <= "\u206f"
        or unicodedata.category(char)[0] in "PSN"
    )


def clean_text(text: str) -> tuple[str, int]:
    """Normalise line ends and odd spaces; drop characters that break XML and Word.

    Returns (clean text, number of bad characters removed) so the caller can warn once.
    CRLF and CR become LF; full-width and no-break spaces become ordinary spaces (they only
    ever separate words or indent paragraphs in this genre); zero-width characters go.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    text = text.replace("\t", " ").replace("\x0c", "\n")
    bad = len(_BAD_CHARS.findall(text))
    text = _BAD_CHARS.sub("", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    return text, bad

"""Bytes → text: strict decoding with the encodings Chinese offices produce.

UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (a superset of GBK and GB2312) and Big5
are tried in that order, each strictly; a file that none decodes into readable Chinese is an
error, never mojibake. Binary files (images, PDFs renamed ``.txt``) are refused by their magic
numbers and NUL bytes.
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
# newline, lone surrogates, U+FFFE/U+FFFF, and other noncharacters. Also the bidirectional
# controls (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F, U+061C): an override
# makes the PDF print 218亿元 reversed while the figure table says 218.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BAD_CHARS = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ufdd0-\ufdef{_BIDI}]"
)
# In a single-line value (a title, a name, a file name) line breaks and tabs are bad as well.
_BAD_IN_LINE = re.compile(f"[\t\n\r\x85\u2028\u2029]|{_BAD_CHARS.pattern}")
# Spaces that look like spaces but are not U+0020: full-width (U+3000, used for paragraph
# indentation), no-break, thin and other typographic spaces; zero-width characters and BOMs.
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


# More NUL bytes than this share means binary data; a stray NUL in text is only removed
# (and counted) by `clean_text`.
_MAX_NUL_SHARE = 0.01
# Bytes that are not control characters in any supported single-byte-compatible encoding;
# a text file has almost no others (a few stray ones are removed by `clean_text`).
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\x0c")
_MAX_CONTROL_SHARE = 0.02


def decode_bytes(data: bytes, path: object) -> tuple[str, str]:
    """Decode a seed file. Returns (text, encoding name); raises InputError naming `path`.

    Order: a BOM decides (UTF-8, UTF-16); else UTF-8; else GB18030 (GBK, GB2312) and then
    Big5 (traditional script from Taiwan and Hong Kong), each accepted only when the result
    reads like Chinese: GB18030 and Big5 decode most byte strings to *something*.
    """
    if not data.strip():
        raise InputError(path, "the file is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"this is {what}, not plain text")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if data.count(0) > _MAX_NUL_SHARE * len(data):
        if _looks_like_bomless_utf16(data):
            raise InputError(path, "UTF-16 text without a byte-order mark; save it as UTF-8")
        raise InputError(path, "binary data (NUL bytes); expected plain text")
    if len(data[:65536].translate(None, _TEXT_BYTES)) > _MAX_CONTROL_SHARE * len(data[:65536]):
        raise InputError(path, "binary data (control bytes); expected plain text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("gb18030", "cp950"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_chinese(text):
            return text, encoding
    raise InputError(path, "not valid UTF-8, UTF-16 (with BOM), GB18030/GBK or Big5 text")


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """NUL bytes on one side of every pair, as ASCII text in UTF-16 has."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) > 0.3 * len(sample) / 2 and min(even, odd) < 0.05 * len(sample) / 2


def _strict(data: bytes, encoding: str, path: object) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"invalid {encoding.upper()} at byte {error.start}") from None


def _looks_like_chinese(text: str) -> bool:
    """True when `text` reads like Chinese prose rather than bytes decoded with the wrong table.

    Text in another encoding read as GB18030 (Big5, Shift-JIS, EUC-KR) turns into a scatter
    of kana, Cyrillic, private-use characters and rare ideographs. Real text, simplified or
    traditional, has its ideographs almost all in GB2312 or Big5, the common sets, and its
    other characters are ASCII, punctuation and symbols.
    """
    ideographs = [c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
    others = [c for c in text if not c.isspace() and not ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")]
    private = sum(1 for c in others if unicodedata.category(c) == "Co")
    if private > 0.005 * (len(others) + len(ideographs)):
        return False
    strange = sum(1 for c in others if not (c.isascii() or _is_cjk_symbol(c)))
    if others and strange / len(others) > 0.2:
        return False
    if not ideographs:
        return not strange
    common = sum(1 for c in ideographs if _is_common_ideograph(c))
    return common / len(ideographs) >= 0.9


def _is_common_ideograph(char: str) -> bool:
    """In GB2312 (common simplified) or Big5 (common traditional)."""
    for table in ("gb2312", "big5"):
        try:
            char.encode(table)
            return True
        except UnicodeEncodeError:
            pass
    return False


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


def bad_in_line(text: str) -> str | None:
    """The first character of `text` that a one-line value must not hold, as ``U+001F``; or None."""
    found = _BAD_IN_LINE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def readable_name(name: str) -> str:
    """A file name as text every format can hold.

    Names that are not UTF-8 (GBK bytes, from unzipping a Windows archive of Chinese files)
    reach Python as lone surrogates; they are decoded as GB18030 where they read so, and
    any control, bidi or undecodable character becomes U+FFFD.
    """
    raw = name.encode("utf-8", "surrogateescape")
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            name = raw.decode("gb18030")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", "replace")
    return _BAD_IN_LINE.sub("\ufffd", name)

"""Bytes → text: every encoding Chinese offices produce gives the same model; the rest is an error.

The same article saved as GBK, GB18030, UTF-8 with BOM, UTF-16 with BOM, with CRLF or CR line
ends, with full-width or no-break spaces, must read into the same articles as the clean UTF-8
file. A file that is not text in a supported encoding is an `InputError` whose one-line message
names the file, never mojibake.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from briefing.decode import clean_text, decode_bytes
from briefing.errors import InputError
from briefing.pipeline import read_seed_file

ARTICLES = Path(__file__).parent / "cases" / "articles"
CLEAN = "三峡库区生态屏障更牢固\n\n——湖北省宜昌市政协助推长江大保护纪实\n\n本报记者 刘 洋\n\n" + (
    "入冬时节，宜昌长江岸线绿意盎然。市政协连续五年把长江大保护作为重点协商议题。\n\n"
    "紧盯化工围江 推动产业转型\n\n"
    "市政协先后提交相关提案60余件，推动沿江化工企业“关改搬转”全部完成，"
    "\n\n这力量来自委员们的坚持。\n"
)


def _read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    articles, warnings = read_seed_file(path)
    return [dataclasses.replace(a, source="") for a in articles], warnings


def _variants(text: str) -> dict[str, bytes]:
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gbk": text.encode("gbk"),
        "gb18030": text.encode("gb18030"),
        "utf-16-bom": text.encode("utf-16"),
        "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
        "full-width-spaces": text.replace(" ", "\u3000").replace("\n入冬", "\n\u3000\u3000入冬").encode("utf-8"),
        "no-break-spaces": text.replace(" ", "\u00a0").encode("utf-8"),
        "trailing-spaces-and-tabs": text.replace("\n", " \t\n").encode("utf-8"),
    }


@pytest.mark.parametrize("variant", list(_variants(CLEAN)))
def test_every_encoding_and_line_end_gives_the_same_model(tmp_path: Path, variant: str) -> None:
    expected, _ = _read(tmp_path, "clean.txt", CLEAN.encode("utf-8"))
    got, warnings = _read(tmp_path, f"{variant}.txt", _variants(CLEAN)[variant])
    assert got == expected
    assert warnings == []


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
@pytest.mark.parametrize("variant", ["utf-8-bom", "gbk", "utf-16-bom", "crlf", "cr"])
def test_every_article_reads_the_same_in_every_encoding(tmp_path: Path, path: Path, variant: str) -> None:
    text, _encoding = decode_bytes(path.read_bytes(), path)
    expected, _ = _read(tmp_path, "clean.txt", text.replace("\r\n", "\n").encode("utf-8"))
    got, _ = _read(tmp_path, "variant.txt", _variants(text.replace("\r\n", "\n"))[variant])
    assert got == expected


def test_the_gbk_case_file_is_really_gbk() -> None:
    data = (ARTICLES / "gbk-lost-heading-caption-in-cut.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data, "x")[1] == "gb18030"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b" \n\r\n\t \n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (bytes(range(256)) * 8, "binary data"),
        ("政协 2024 report: 委员".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"\x80\x81\xff caf\xe9 na\xefve", "not valid UTF-8"),
        ("吾輩は猫である。名前はまだ無い。".encode("shift_jis"), "not valid UTF-8"),
        (b"\xef\xbb\xbf\xff\xfe\xfd", "invalid UTF-8"),
        (b"\xff\xfe\x00\xd8", "invalid UTF-16"),
    ],
    ids=["empty", "whitespace", "png", "pdf", "zip", "random-binary", "utf16-no-bom", "latin1",
         "shift-jis", "bad-utf8-after-bom", "lone-surrogate-utf16"],
)
def test_unreadable_files_are_one_line_errors_naming_the_file(tmp_path: Path, data: bytes, problem: str) -> None:
    # A Chinese file name where the file system can hold one (not under an ASCII-only locale).
    name = "稿件.txt" if _encodable("稿件", sys.getfilesystemencoding()) else "draft.txt"
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_seed_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert problem in message


def test_a_file_of_only_captions_or_headers_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("本报记者 张三\n", encoding="utf-8")
    with pytest.raises(InputError, match="no body text"):
        read_seed_file(path)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5", "utf-16"])
def test_traditional_script_is_read_correctly_in_its_encodings(tmp_path: Path, encoding: str) -> None:
    text = "臺灣政協舉辦座談會\n\n本報記者 陳志明\n\n兩岸政協委員圍繞經濟合作開展協商。會議取得積極成果。\n"
    (article,), _ = _read(tmp_path, "trad.txt", text.encode(encoding))
    assert article.title == "臺灣政協舉辦座談會"
    assert article.byline == "本報記者 陳志明"
    assert article.sections[0].paragraphs[0].sentences == ("兩岸政協委員圍繞經濟合作開展協商。", "會議取得積極成果。")


def test_decoding_reports_the_encoding_it_used() -> None:
    assert decode_bytes("政协".encode("gbk"), "x") == ("政协", "gb18030")
    assert decode_bytes(b"\xef\xbb\xbf" + "政协".encode(), "x") == ("政协", "utf-8-sig")
    assert decode_bytes("政協".encode("big5"), "x") == ("政協", "cp950")


def test_clean_text_counts_and_removes_what_breaks_xml_and_word() -> None:
    text, bad = clean_text("各级\x00政\x0b协\x1f答\ufffe卷\ud800\x7f。")
    assert text == "各级政协答卷。"
    assert bad == 6


def test_clean_text_normalises_line_ends_and_odd_spaces() -> None:
    text, bad = clean_text("标题\r\n\u3000\u3000正文\u00a0一\r二\u2028三\u200b。")
    assert text == "标题\n  正文 一\n二\n三。"
    assert bad == 0


def test_a_stray_nul_in_text_is_removed_with_one_warning(tmp_path: Path) -> None:
    text = CLEAN.replace("入冬", "入\x00冬", 1).replace("提案", "提\x0b案", 1)
    got, warnings = _read(tmp_path, "ctl.txt", text.encode("utf-8"))
    expected, _ = _read(tmp_path, "clean.txt", CLEAN.encode("utf-8"))
    assert got == expected
    assert len(warnings) == 1 and "removed 2 control" in warnings[0]

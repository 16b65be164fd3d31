"""The two small patches under WeasyPrint (`render.pydyf_cache`, `render.lazy_fonts`) change
nothing in the PDF: the seed briefing rendered with them is byte for byte the one rendered
without them (in a fresh process that never installs them)."""

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
import sys

import pydyf
from pathlib import Path
import pytest

from briefing.pipeline import build_briefing
from briefing.render import lazy_fonts, pdf, pydyf_cache
from briefing.render.html import briefing_html
from briefing.config import Settings

WITHOUT_PATCHES = r"""
import sys
from briefing.render import lazy_fonts, pdf, pydyf_cache
lazy_fonts.install = pydyf_cache.install = lambda: False
import pydyf
from pathlib import Path
from weasyprint.pdf import fonts
data, pages = pdf.html_to_pdf(open(sys.argv[1], encoding="utf-8").read())
assert not hasattr(pydyf.PDF, "_briefing_uncached_page_references")
assert not getattr(fonts.Font, "_briefing_lazy", False)
open(sys.argv[2], "wb").write(data)
"""


def test_pages_are_cached_until_a_page_is_added() -> None:
    assert pydyf_cache.install(), f"pydyf {pydyf.__version__} is not a version the cache was checked on"
    uncached = pydyf.PDF._briefing_uncached_page_references.fget
    document = pydyf.PDF()
    assert document.page_references == () == uncached(document)
    for n in range(1, 4):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        first = document.page_references
        assert first == uncached(document) and len(first) == n
        assert document.page_references is first  # the same tuple, not rebuilt
    assert first == (b"3 0 R", b"4 0 R", b"5 0 R")  # objects 0-2: free, page tree, catalogue
    document.pages["Kids"] = pydyf.Array([9, 0, "R"])  # a new Kids array is noticed
    assert document.page_references == (b"9 0 R",)


@pytest.mark.slow
def test_the_seed_pdf_is_byte_identical_without_the_patches(seed_articles, summariser, tmp_path) -> None:
    assert lazy_fonts.install(), "this WeasyPrint is not a version lazy_fonts was checked on"
    briefing = build_briefing([summariser.summarise_article(a) for a in seed_articles], None, "2023-01-05")
    html = briefing_html(briefing, Settings())
    (tmp_path / "seed.html").write_text(html, encoding="utf-8")
    subprocess.run([sys.executable, "-c", WITHOUT_PATCHES, str(tmp_path / "seed.html"), str(tmp_path / "plain.pdf")],
                   check=True)
    patched, pages = pdf.html_to_pdf(html)
    assert pages > 1
    assert patched == (tmp_path / "plain.pdf").read_bytes()


@pytest.mark.slow
def test_a_font_file_is_copied_only_when_read() -> None:
    """fontTools subsetting, variable and colour fonts read ``file_content``: they get the file."""
    pdf._weasyprint()
    assert lazy_fonts.install()
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi

    from briefing.render.fonts import chinese_families

    path = subprocess.run(["fc-match", "-f", "%{file}", sorted(chinese_families())[0]], capture_output=True,
                          text=True, check=True).stdout
    hb = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
    hb.hb_blob_create_from_file.restype = hb.hb_face_create.restype = ctypes.c_void_p
    hb.hb_face_create.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    face = hb.hb_face_create(hb.hb_blob_create_from_file(path.encode()), 0)
    font = fonts.Font.__new__(fonts.Font)
    font.hb_face = ffi.cast("hb_face_t *", face)
    font.__dict__["_file_content"] = lazy_fonts._NOT_READ
    assert font.file_content == Path(path).read_bytes()
    font.file_content = b"subset"
    assert font.file_content == b"subset"

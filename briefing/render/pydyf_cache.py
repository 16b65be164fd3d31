"""A cache for pydyf's `PDF.page_references`, which WeasyPrint's PDF/UA tagging reads per tag.

pydyf 0.13 builds ``page_references`` afresh on every read: a tuple of ``b"N 0 R"`` for every
page, made from the page tree's ``Kids`` array. WeasyPrint's tagging (``weasyprint/pdf/tags.py``)
reads it for each structure element, so a 350-page briefing builds it ~30,000 times: 5 s of a
40 s render. Here each PDF keeps the last tuple with the ``Kids`` length it was made from; pages
are only ever appended (`PDF.add_page`), so an unchanged length means an unchanged tuple, and a
new page makes a new one. The PDF bytes are identical (tests/test_pdf_patches.py).

Targets pydyf 0.13 (and any version whose ``page_references`` is the same property); on another
it changes nothing. Upstream, the same idea fits in ``add_page``.
"""

from __future__ import annotations

TESTED = ("0.13.",)


def install() -> bool:
    """Replace `pydyf.PDF.page_references` by the cached one; True if installed (now or before)."""
    import pydyf

    current = pydyf.PDF.__dict__.get("page_references")
    if getattr(current, "fget", None) is _page_references:
        return True
    if not pydyf.__version__.startswith(TESTED) or not isinstance(current, property):
        return False
    pydyf.PDF._briefing_uncached_page_references = current
    pydyf.PDF.page_references = property(_page_references, doc=current.__doc__)
    return True


def _page_references(pdf) -> tuple[bytes, ...]:  # type: ignore[no-untyped-def]
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_briefing_page_references")
    if cached is not None and cached[0] is kids and cached[1] == len(kids):
        return cached[2]
    references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
    pdf.__dict__["_briefing_page_references"] = (kids, len(kids), references)
    return references

"""WeasyPrint keeps a whole copy of every font file it uses, once per face and size.

`weasyprint.pdf.fonts.Font.__init__` copies the face's whole file into ``file_content`` (26 MB
for a Noto CJK collection), and a briefing uses a face at several sizes: three or four copies
alive at once, +70–100 MiB of peak memory, all of it thrown away when the font is subset,
because HarfBuzz subsets from the face itself and never reads the copy. Here the copy is only
made if something reads it before the subset replaces it (fontTools subsetting, variable or
colour fonts). The PDF bytes are the same (tests/test_pdf_patches.py).

Targets WeasyPrint 68–70 (checked: `Font` reads the face's data in ``__init__`` through the
module's `get_hb_object_data`); on any other version nothing is changed.
"""

from __future__ import annotations

import threading

TESTED = ("68.", "69.", "70.")

_building = threading.local()


class _NotRead:
    """Stands for the file copy a `Font` has not needed yet."""


_NOT_READ = _NotRead()


def install() -> bool:
    """Make `Font.file_content` lazy; True if installed (now or before)."""
    import weasyprint
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, "_briefing_lazy", False):
        return True
    if not weasyprint.__version__.startswith(TESTED) or not callable(getattr(fonts, "get_hb_object_data", None)):
        return False
    original_get = fonts.get_hb_object_data
    original_init = fonts.Font.__init__

    def get_hb_object_data(hb_object, ot_color=None, glyph=None):  # type: ignore[no-untyped-def]
        if getattr(_building, "font", False) and ot_color is None and glyph is None:
            return _NOT_READ
        return original_get(hb_object, ot_color, glyph)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _building.font = True
        try:
            original_init(self, *args, **kwargs)
        finally:
            _building.font = False

    def read(self):  # type: ignore[no-untyped-def]
        data = self.__dict__.get("_file_content")
        if data is _NOT_READ:
            data = self.__dict__["_file_content"] = original_get(self.hb_face)
        return data

    def write(self, value) -> None:  # type: ignore[no-untyped-def]
        self.__dict__["_file_content"] = value

    fonts.get_hb_object_data = get_hb_object_data
    fonts.Font.__init__ = __init__
    fonts.Font.file_content = property(read, write)
    fonts.Font._briefing_lazy = True
    return True

"""Writers: one function per format, looked up by name.

Each writer takes the Briefing and the Settings and returns a `Document` (bytes, pages); the command
line writes them atomically. Writers are imported only when their format is asked for, so a
JSON run never pays for importing WeasyPrint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..config import Settings
from ..model import Briefing


@dataclass(frozen=True, slots=True)
class Document:
    """A rendered document: its bytes, and its page count where the format has pages."""

    data: bytes
    pages: int | None = None


Writer = Callable[[Briefing, Settings], Document]

# format name → (module, function, file suffix)
WRITERS: dict[str, tuple[str, str, str]] = {
    "json": ("briefing.render.json", "render_json", ".json"),
    "pdf": ("briefing.render.pdf", "render_pdf", ".pdf"),
    "docx": ("briefing.render.docx", "render_docx", ".docx"),
    "html": ("briefing.render.html", "render_html", ".html"),
}


def writer_for(name: str) -> Writer:
    """The render function for a format name (a key of WRITERS)."""
    module, function, _suffix = WRITERS[name]
    return getattr(importlib.import_module(module), function)


def load_writers(names: Sequence[str], settings: Settings) -> None:
    """Import the writers for these formats now, and warm WeasyPrint up, before they are needed.

    Called while the summarising worker loads jieba (see `pipeline.overlapped`): a first PDF
    costs about 0.4 s more than later ones (fontconfig, font files, the user-agent stylesheet),
    so an empty briefing is laid out and thrown away here, off the critical path.
    """
    for name in names:
        writer_for(name)
    if "pdf" in names:
        from .pdf import render_pdf

        try:
            render_pdf(Briefing(title="简报", date="2000-01-01", articles=()), settings)
        except Exception:  # noqa: BLE001 - only a warm-up: the real render reports any error
            pass

"""Writers: one function per format, looked up by name.

Each writer takes the Briefing and the Settings and returns a `Document` (bytes, pages); the command
line writes them atomically. Writers are imported only when their format is asked for, so a
JSON run never pays for importing WeasyPrint.
"""

from __future__ import annotations

import functools
import gc
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import BriefingError, OutputError
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


def render_one(name: str, briefing: Briefing, settings: Settings, path: Path) -> Document | OutputError:
    """Render one format; a renderer's failure comes back as an OutputError naming `path`."""
    try:
        return writer_for(name)(briefing, settings)
    except BriefingError as error:
        return OutputError(error.path, error.problem)
    except Exception as error:  # noqa: BLE001 - a renderer bug must not leave a half document
        return OutputError(path, f"rendering {name} failed: {type(error).__name__}: {error}")


def _render_each(
    names: Sequence[str], briefing: Briefing, settings: Settings, paths: Sequence[Path]
) -> list[Document | OutputError]:
    return [render_one(n, briefing, settings, p) for n, p in zip(names, paths, strict=True)]


def render_all(
    names: Sequence[str], briefing: Briefing, settings: Settings, paths: Sequence[Path]
) -> list[Document | OutputError]:
    """Every format, in order. The PDF (the slow one) is laid out in this process while the
    others are rendered beside it in a forked worker (see `pipeline.overlapped`)."""
    from ..pipeline import overlapped

    if "pdf" not in names or len(names) == 1:
        return _render_each(names, briefing, settings, paths)
    others = [i for i, name in enumerate(names) if name != "pdf"]
    pdf = names.index("pdf")
    work = functools.partial(
        _render_each, [names[i] for i in others], briefing, settings, [paths[i] for i in others]
    )
    results: dict[int, Document | OutputError] = {}
    rendered = overlapped(work, lambda: results.update({pdf: render_one("pdf", briefing, settings, paths[pdf])}))
    results.update(zip(others, rendered, strict=True))
    return [results[i] for i in range(len(names))]


def load_writers(names: Sequence[str], settings: Settings) -> None:
    """Import the writers for these formats now, and warm WeasyPrint up, before they are needed.

    Called while the summarising worker loads jieba (see `pipeline.overlapped`; on one core it is
    not called: warming up would only add its own cost): a first PDF
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
        gc.collect()  # WeasyPrint's document lives in reference cycles: free it before the real one

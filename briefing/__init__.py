"""briefing: Chinese newspaper features → a short, well-made 简报 (PDF, DOCX, HTML, JSON).

Stages, one module each: `decode` (bytes → text) → `read` (text → articles) → `summarise`
(key sentences and `figures`) → `render` (HTML/PDF/DOCX/JSON). `pipeline` is the spine,
`cli` the command line. `summarise_text` is the one function to map over a corpus.
"""

__version__ = "0.1.0"

from .corpus import summarise_text  # noqa: E402 - light: jieba loads on the first call

__all__ = ["summarise_text", "__version__"]

"""briefing: Chinese newspaper features → a short, well-made 简报 (PDF, DOCX, HTML, JSON).

Stages, one module each: `decode` (bytes → text) → `read` (text → articles) → `summarise`
(key sentences and `figures`) → `render` (HTML/PDF/DOCX/JSON). `pipeline` is the spine,
`cli` the command line.
"""

__version__ = "0.1.0"

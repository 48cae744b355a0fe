"""Renderers: an assembled edition tree → HTML, EPUB3, PDF.

pandoc writes the body HTML and the EPUB; WeasyPrint renders the PDF from our
own print HTML.  Nothing here decides *what* is in an edition (that is
``assemble``); only how it looks.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

STYLES = Path(str(resources.files(__package__) / "styles"))
TEMPLATES = Path(str(resources.files(__package__) / "templates"))

FORMATS = ("html", "epub", "pdf")

# Files made whenever a format is, which no one asks for by name: the web
# page's social-card picture (its <meta property="og:image">) lies beside it.
COMPANIONS = {"html": ("cover",)}


def output_name(project, doc, lang: str, fmt: str) -> str:
    """The file name of one output of ``doc`` in an edition whose language is
    ``lang``: report.html, report.epub, report.pdf, report.cover.png."""
    if fmt == "cover":
        from .cover import filename
        return filename(project, doc, lang)
    return f"{doc.name}.{fmt}"

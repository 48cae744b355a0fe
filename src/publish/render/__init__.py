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

"""HTML → pandoc structure, so that no word of an HTML page or of the HTML
inside a Markdown file is lost or shown to translators as markup.

(Stub.)
"""
from __future__ import annotations

import json


def read_html(text: str, display: str, intake) -> dict:
    from .importer import _run
    return json.loads(_run(["-f", "html", "-t", "json"], text.encode("utf-8"), display))


def resolve(doc: dict, text: str, display: str, intake) -> None:
    """Replace the raw HTML of a Markdown tree by pandoc structure, in place."""

"""Metadata at the top of a Markdown file (YAML front matter, Pelican or Hugo
header lines) → the document's title, author, date …, and the body without it.

(Stub.)
"""
from __future__ import annotations


def split(text: str) -> tuple[dict[str, str], str, int]:
    """(metadata, body, lines removed from the top)."""
    return {}, text, 0

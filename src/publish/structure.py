"""Structural surprises in a Markdown text: an unclosed code fence, an
unclosed HTML block, a wall of text without a heading — each a warning with
its line, since pandoc reads them all without complaint.

(Stub.)
"""
from __future__ import annotations

from .errors import PublishWarning


def surprises(text: str, display: str, offset: int = 0) -> list[PublishWarning]:
    return []

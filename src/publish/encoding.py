"""Bytes of a document → text, as a browser or a careful editor would read them.

(Stub: the detection lives in ``source.decode`` for now.)
"""
from __future__ import annotations


def decode(data: bytes, display: str, html: bool = False) -> tuple[str, str | None]:
    """``data`` as text, and a notice when it was not plain UTF-8."""
    from .source import decode as _decode
    return _decode(data, display)

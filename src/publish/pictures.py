"""Pictures that travel with the text: at import, the local pictures a
document refers to are copied into ``source/<lang>/media/<doc>/``; at update
and build, a picture that cannot be found is named with its line.

(Stub.)
"""
from __future__ import annotations

from pathlib import Path

from .errors import PublishWarning


def carry(doc: dict, base: Path, dest: Path, rel: str, display: str) -> tuple[list[Path], list[PublishWarning]]:
    """Copy the local pictures ``doc`` (a pandoc tree) refers to, relative to
    ``base``, into ``dest`` and point the tree at ``rel/<name>``."""
    return [], []

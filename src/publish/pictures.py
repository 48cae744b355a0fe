"""Pictures that travel with the text: at import, the local pictures a
document refers to are copied into ``source/<lang>/media/<doc>/``; at update
and build, a picture that cannot be found is named with its line.

(Stub.)
"""
from __future__ import annotations

from pathlib import Path

from .errors import PublishWarning


def carry(doc: dict, base: Path, dest: Path, rel: str, display: str,
          extracted: Path | None = None) -> tuple[list[Path], list[PublishWarning]]:
    """Copy the pictures ``doc`` (a pandoc tree) refers to into ``dest`` and
    point the tree at ``rel/<name>``: local files relative to ``base`` (a
    Markdown or HTML import), or what pandoc extracted from a Word or ODT
    file into ``extracted``.  Returns the files written into ``dest``."""
    import shutil
    if extracted is not None and extracted.is_dir():
        shutil.copytree(extracted, dest)
        return sorted(p for p in dest.rglob("*") if p.is_file()), []
    return [], []

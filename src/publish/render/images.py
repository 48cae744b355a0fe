"""Pictures of the source, carried inside the edition.

An image in ``source/fa/report.md`` names a file relative to that Markdown
file (``media/report/rId9.png``).  The editions are written elsewhere
(``build/fa/report.html``) and rendered by tools that must not read the disk
on their own (WeasyPrint's fetcher, pandoc's EPUB writer: see
docs/security.md), so every picture is read here, once, and travels in the
tree as a ``data:`` URL: the HTML page stays one self-contained file, the
PDF and the EPUB embed it, and nothing else is ever fetched.

Only files under the project's ``source/`` folder are read, and only the
picture types browsers, WeasyPrint and EPUB readers all show, by their bytes.
A picture on the web is printed as its description; a file that cannot be
shown (the build was told to go on: ``--keep-going``) as its description and
its name in a marked box.
"""
from __future__ import annotations

import base64
import functools
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..pictures import local, sniff

TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".webp": "image/webp", ".svg": "image/svg+xml"}
MAX_BYTES = 20 * 1024 * 1024


def inline(blocks: list, base: Path, allowed: Path) -> list:
    """A copy of ``blocks`` whose local images are ``data:`` URLs; ``base`` is
    the folder of the source file, ``allowed`` the folder images may come from."""
    base, allowed = base.resolve(), allowed.resolve()

    def copy(node):
        if isinstance(node, list):
            out = []
            for x in node:
                if isinstance(x, dict) and x.get("t") == "Image":
                    attr, alt, (url, title) = x["c"]
                    data = url if url.startswith("data:") else _data_url(url, base, allowed)
                    if data is None and local(url):
                        # a file of the source that cannot be shown: the build went on
                        # (--keep-going) and said so; the page says so too
                        out.append(missing_mark(copy(alt), url))
                    elif data is None:  # on the web, never fetched: its description stands in for it
                        out.extend(copy(alt))
                    else:
                        out.append({"t": "Image", "c": [attr, copy(alt), [data, title]]})
                else:
                    out.append(copy(x))
            return out
        if isinstance(node, dict):
            return {k: copy(v) for k, v in node.items()}
        return node
    return copy(blocks)


@functools.lru_cache(maxsize=256)
def _data_url(url: str, base: Path, allowed: Path) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = (base / unquote(parts.path)).resolve()
    if TYPES.get(path.suffix.lower()) is None or allowed not in path.parents or not path.is_file() \
            or path.stat().st_size > MAX_BYTES:
        return None
    data = path.read_bytes()
    kind = sniff(data[:4096])   # what the bytes are, not what the name says: a text file called .jpg is no picture
    if kind is None:
        return None
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


def missing_mark(alt: list, url: str) -> dict:
    """A picture that could not be found, as the page shows it: its
    description and its file name in a box (class ``missing-picture``)."""
    name = {"t": "Span", "c": [["", ["missing-picture-file"], [["dir", "ltr"]]], [{"t": "Str", "c": unquote(url)}]]}
    inner = (alt + [{"t": "Space"}] if alt else []) + [name]
    return {"t": "Span", "c": [["", ["missing-picture"], [["title", "missing picture"]]], inner]}

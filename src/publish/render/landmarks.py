"""The EPUB's landmarks in the edition's language, with the start of the text.

pandoc writes the landmarks of the navigation document (title page, cover,
contents) in English whatever the book's language, inside a document whose
language is the book's, and no ``bodymatter``, the landmark a reading system
opens a book at ("go to start").  Both are mended in the zip pandoc wrote:
every entry is copied with its name, order, date and compression, and only
``nav.xhtml`` changes, so the same book still gives the same bytes.
"""
from __future__ import annotations

import html
import io
import re
import zipfile

from .labels import label

# pandoc's English words for each landmark → the label that says it
_PANDOC = {"titlepage": ("Title Page", "landmark_titlepage"), "cover": ("Cover", "landmark_cover"),
           "toc": ("Table of Contents", "contents")}
_LANDMARKS = re.compile(r'(<nav epub:type="landmarks"[^>]*>.*?)(\s*</ol>\s*</nav>)', re.S)
CHAPTER = re.compile(r"(?:.*/)?text/ch(\d+)\.xhtml")


def mend(epub: bytes, lang: str) -> bytes:
    """``epub`` with its landmarks in ``lang`` and a ``bodymatter`` landmark
    at the first chapter; as it is when it has no landmarks."""
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        names = book.namelist()
        nav_name = next((n for n in names if n.endswith("/nav.xhtml") or n == "nav.xhtml"), None)
        if nav_name is None:
            return epub
        nav = book.read(nav_name).decode("utf-8")
        new = landmarks(nav, lang, _first_chapter(names, nav_name))
        if new == nav:
            return epub
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as mended:
            for info in book.infolist():
                data = new.encode("utf-8") if info.filename == nav_name else book.read(info)
                mended.writestr(info, data, compress_type=info.compress_type)
        return out.getvalue()


def landmarks(nav: str, lang: str, body: str | None) -> str:
    """The navigation document's landmarks in ``lang``, and ``body`` (a
    path relative to the navigation document) as ``bodymatter``."""
    found = _LANDMARKS.search(nav)
    if found is None:
        return nav
    entries, end = found.groups()
    for kind, (english, key) in _PANDOC.items():
        entries = entries.replace(f'epub:type="{kind}">{english}</a>',
                                  f'epub:type="{kind}">{html.escape(label(lang, key))}</a>')
    if body and 'epub:type="bodymatter"' not in entries:
        entries += (f'\n    <li>\n      <a href="{html.escape(body)}" epub:type="bodymatter">'
                    f'{html.escape(label(lang, "landmark_bodymatter"))}</a>\n    </li>')
    return nav[:found.start()] + entries + end + nav[found.end():]


def _first_chapter(names: list[str], nav_name: str) -> str | None:
    """The first of pandoc's chapter files (text/ch001.xhtml), relative to
    the navigation document."""
    chapters = sorted((int(m.group(1)), n) for n in names if (m := CHAPTER.fullmatch(n)))
    if not chapters:
        return None
    folder = nav_name.rpartition("/")[0]
    path = chapters[0][1]
    return path[len(folder) + 1:] if folder and path.startswith(folder + "/") else path

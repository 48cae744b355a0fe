"""Renderers: an assembled edition tree → HTML, EPUB3, PDF (and what is made
from those files, such as the booklet).

pandoc writes the body HTML and the EPUB; WeasyPrint renders the PDF from our
own print HTML.  Nothing here decides *what* is in an edition (that is
``assemble``); only how it looks.

``FORMATS`` is the registry ``publish build`` is driven by: an entry says
what a format's file is called, which module renders it, what it is made
from, and what its cache key holds besides the text.  It is plain data, so
that planning a build (and a build with nothing to do) imports no renderer.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module, resources
from pathlib import Path
from typing import Any, Callable

STYLES = Path(str(resources.files(__package__) / "styles"))
TEMPLATES = Path(str(resources.files(__package__) / "templates"))


def _never(project) -> bool:
    return False


@dataclass(frozen=True)
class Format:
    name: str
    module: str                   # render/<module>.py, whose render(made_from, project) gives the bytes
    suffix: str = ""              # the file is <document><suffix>; "" means .<name>
    made_from: str | None = None  # None: the assembled edition; else the format whose file it is made from
    settings: Callable[[Any], list] | None = None   # what it reads of publish.yml: part of its cache key
    libraries: tuple[str, ...] = ()   # the Python libraries that make it: part of its cache key
    fonts: bool = False           # set in font files, which are part of its key
    needs_fonts: bool = False     # cannot render without its languages' fonts: checked before anything is written
    cover: Callable[[Any], bool] = _never   # whether it shows the cover (the picture is part of its key)
    links: bool = False           # links the edition's siblings and files (render/siblings.key)
    processes: bool = False       # CPU-bound Python: rendered in worker processes, not threads
    named: bool = True            # False: made only as another format's companion, never asked for by name
    by_default: bool = True       # made by a build that names no format

    def renderer(self) -> Callable:
        return import_module(f"{__package__}.{self.module}").render


def _pdf_settings(project) -> list:
    return [project.paper, project.pdf_ua, project.pdf_cover,
            project.pdf_footnotes, project.pdf_link_addresses, project.pdf_persian_emphasis,
            project.pdf_bleed, project.pdf_marks, project.pdf_variant]


def _booklet_settings(project) -> list:
    return [project.paper]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", "html", links=True),
    Format("epub", "epub", fonts=True, cover=lambda p: True),
    Format("pdf", "pdf", settings=_pdf_settings, fonts=True, needs_fonts=True, cover=lambda p: p.pdf_cover, processes=True,
           libraries=("weasyprint", "pydyf", "fontTools", "tinycss2", "cssselect2")),
    # the PDF imposed two-up for an office printer: made from the PDF's file, only when asked for;
    # pypdf parses every page's content in Python (a tenth of a second a page): in processes too
    Format("booklet", "booklet", suffix=".booklet.pdf", made_from="pdf", settings=_booklet_settings,
           libraries=("pypdf",), processes=True, by_default=False),
    # the social-card picture (the page's <meta property="og:image">) lies beside the page
    Format("cover", "cover", fonts=True, cover=lambda p: True, named=False),
)}

# Files made whenever a format is, which no one asks for by name.
COMPANIONS = {"html": ("cover",)}

NAMED = tuple(n for n, f in FORMATS.items() if f.named)              # what -f accepts
DEFAULT = tuple(n for n in NAMED if FORMATS[n].by_default)          # what a build without -f makes


def output_name(project, doc, lang: str, fmt: str) -> str:
    """The file name of one output of ``doc`` in an edition whose language is
    ``lang``: report.html, report.epub, report.pdf, report.booklet.pdf, report.cover.png."""
    if fmt == "cover":
        from .cover import filename
        return filename(project, doc, lang)
    return f"{doc.name}{FORMATS[fmt].suffix or '.' + fmt}"

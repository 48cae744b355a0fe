"""The editions of a document link each other.

Each web page names its siblings — the other editions of the same document
— in its head (``<link rel="alternate" hreflang>``, which search engines and
browsers read) and in a small visible switcher at its top, with the edition
names in their own languages, and links to the same edition's EPUB and PDF.

A page links every edition the project defines, whichever ``-e`` built it:
a press uploads the whole of build/, and a page built alone must not lose
its links to the others.  The EPUB and the PDF are linked when they exist,
or are being made by this build (``downloads``): a preview that builds only
pages does not offer files it never made.  Both decide the page's bytes, so
both are in its cache key (``key``).

Every address is relative (``../en/report.html``), so build/ works as it is
on any web server, from a disk, and in ``publish serve``.
"""
from __future__ import annotations

import html

from .. import languages
from ..config import Document, Project
from .labels import label

_e = html.escape

DOWNLOADS = ("epub", "pdf")
MEDIA_TYPES = {"html": "text/html", "epub": "application/epub+zip", "pdf": "application/pdf"}


def editions(project: Project) -> dict[str, tuple[str, ...]]:
    from ..build import edition_languages   # the one list of editions planning also uses
    return edition_languages(project)


def name(langs: tuple[str, ...], in_lang: str | None = None) -> str:
    """An edition's name for a reader: its languages, each in itself
    (``فارسی · English``), or all in ``in_lang``."""
    return " · ".join(language_name(l, in_lang) for l in langs)


def language_name(lang: str, in_lang: str | None = None) -> str:
    """A language's name in ``in_lang`` (default: in itself), from CLDR,
    with a capital where the script has one (CLDR writes ``português``; a
    menu of languages writes ``Português``)."""
    text = languages.parse(lang).display_name(in_lang)
    return text[:1].upper() + text[1:]


def name_html(langs: tuple[str, ...]) -> str:
    """The same, each part marked with its language and direction."""
    return " · ".join(f'<span lang="{languages.tag(l)}" dir="{languages.parse(l).direction}">{_e(language_name(l))}</span>'
                      for l in langs)


def downloads(project: Project, doc_name: str, edition: str, making) -> list[str]:
    """The edition's EPUB and PDF that build/ has, or will have when this
    build is done: made now (``making``) or there already."""
    folder = project.build_dir / edition
    return [f for f in DOWNLOADS if f in making or (folder / f"{doc_name}.{f}").is_file()]


def key(project: Project, doc: Document, edition: str, making) -> str:
    """What the links of a page depend on, for the cache."""
    from .. import cache
    from . import output_name
    langs = editions(project)[edition]
    return cache.of_value([sorted(editions(project).items()), downloads(project, doc.name, edition, making),
                           output_name(project, doc, langs[-1], "cover")])


def page_parts(a, project: Project) -> dict[str, str]:
    """What the web page of an assembled edition adds for its siblings:
    ``head`` (alternate links and the social card) and ``editions`` (the
    switcher)."""
    from . import output_name
    doc, this = a.document.name, a.edition.name
    lang = a.edition.lang
    making = a.meta.get("making", "").split()
    files = downloads(project, doc, this, making)
    head, items = [], []
    for edition, langs in editions(project).items():
        href = f"../{_e(edition)}/{_e(doc)}.html"
        # one language: its hreflang; the parallel text is in two, which hreflang cannot say
        hreflang = f' hreflang="{languages.tag(langs[0])}"' if len(langs) == 1 else ""
        head.append(f'<link rel="alternate"{hreflang} href="{href}" title="{_e(name(langs))}">')
        current = ' aria-current="page"' if edition == this else ""
        items.append(f'<li><a href="{href}"{hreflang}{current}>{name_html(langs)}</a></li>')
    for fmt in files:
        head.append(f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" href="{_e(doc)}.{fmt}" '
                    f'title="{_e(label(lang, "format_" + fmt))}">')
    cover = output_name(project, a.document, lang, "cover")
    title = a.meta.get("title", "")
    head += [f'<meta property="og:type" content="book">',
             f'<meta property="og:title" content="{_e(title)}">',
             f'<meta property="og:image" content="{_e(cover)}">',
             f'<meta property="og:image:alt" content="{_e(title)}">',
             '<meta name="twitter:card" content="summary_large_image">']
    nav = [f'<nav class="editions" aria-label="{_e(label(lang, "editions"))}">',
           f'<ul class="edition-list">{"".join(items)}</ul>']
    if files:
        links = "".join(f'<li><a href="{_e(doc)}.{fmt}" type="{MEDIA_TYPES[fmt]}">'
                        f'{_e(label(lang, "format_" + fmt))}</a></li>' for fmt in files)
        nav.append(f'<ul class="downloads">{links}</ul>')
    nav.append("</nav>")
    return {"head": "\n".join(head) + "\n", "editions": "\n".join(nav)}

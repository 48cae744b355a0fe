"""build/index.html: every document in every edition and format, to put on
a press's web site with the rest of build/.

The same table is given once in each language of the project — the source
language first — with its headings and labels from ``labels``, each
document under its title in that language (``titles``: publish.yml, else
the catalog, else the source's, marked as such), and each file with its
size and a relative link.  A file that is not there (a build of only some
formats) is named, not linked.  No script: a static page any server shows.
"""
from __future__ import annotations

import html
from pathlib import Path

from .. import languages
from ..config import Document, Project, text_for
from ..files import write_atomic
from . import DEFAULT, NAMED, output_name
from .labels import digits, label
from .siblings import editions, language_name, name

_e = html.escape

CSS = """
body { font-family: "Noto Serif", "Noto Naskh Arabic", serif; color: #1b1b1b; max-width: 56em;
       margin: 0 auto; padding: 1.5em; line-height: 1.5; }
:lang(fa) { font-family: "Noto Naskh Arabic", "Noto Serif", serif; }
header { border-bottom: 1px solid #c9c3b8; margin-bottom: 1.5em; }
header nav ul { display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; list-style: none; padding: 0; }
section { margin-bottom: 3em; }
h3 { margin-bottom: 0.2em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
th, td { text-align: start; vertical-align: middle; padding: 0.45em 0.6em; border-bottom: 1px solid #e4dfd6; }
thead th { font-weight: normal; color: #5c5c5c; font-size: 0.9em; }
tbody th { font-weight: normal; }
th img { width: 3em; height: auto; vertical-align: middle; margin-inline-end: 0.6em; border: 1px solid #e4dfd6; }
.size, .missing { color: #5c5c5c; font-size: 0.85em; white-space: nowrap; }
.stale { color: #8f1d1d; font-size: 0.85em; white-space: nowrap; }
"""


def size_text(size: int, lang: str) -> str:
    """A file size as the language writes it: 43 kB, 1.2 MB (CLDR's units)."""
    from babel.units import format_unit
    locale = languages.parse(lang).locale
    if size >= 1_000_000:
        value, unit = size / 1_000_000, "digital-megabyte"
    else:
        value, unit = max(size / 1000, 0.1), "digital-kilobyte"
    pattern = "#,##0.#" if value < 10 else "#,##0"
    return digits(format_unit(value, unit, length="short", format=pattern, locale=locale), lang)


def document_titles(project: Project, doc: Document) -> dict[str, tuple[str, str]]:
    """The title of ``doc`` in each language of the project, and the
    language it is in (the source's where it is not translated)."""
    from .. import catalog, titles
    out = {}
    src = project.source_language
    for lang in [src, *project.target_languages]:
        found = None
        po = project.po_path(doc, lang)
        if lang != src and po.is_file():
            found = titles.catalog_entries(catalog.read(po, po.relative_to(project.root).as_posix()))
        r = titles.resolve(project, doc, lang, found)["title"]
        out[lang] = (r.text or doc.name, r.lang)
    return out


def _in(text: str, lang: str, section_lang: str, tag: str = "span") -> str:
    """``text``, marked with its language where it is not the section's."""
    if lang == section_lang:
        return _e(text)
    return f'<{tag} lang="{languages.tag(lang)}" dir="{languages.parse(lang).direction}">{_e(text)}</{tag}>'


def listed(project: Project) -> list[str]:
    """The formats the table has a column for: those every build makes, and
    one made only on request (the booklet) once build/ has such a file."""
    def made(fmt):
        return any((project.build_dir / edition / output_name(project, doc, langs[-1], fmt)).is_file()
                   for doc in project.documents for edition, langs in editions(project).items())
    return [f for f in NAMED if f in DEFAULT or made(f)]


def _newest_input(project: Project, doc: Document, langs) -> float:
    """When the text of an edition last changed: its source, its catalogs."""
    paths = [doc.source] + [project.po_path(doc, l) for l in langs if l != project.source_language]
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def section(project: Project, lang: str, doc_titles: dict[str, dict[str, tuple[str, str]]]) -> str:
    """The table of every document, edition and format, in ``lang``."""
    tag = languages.tag(lang)
    out = [f'<section id="{tag}" lang="{tag}" dir="{languages.parse(lang).direction}" aria-labelledby="h-{tag}">',
           f'<h2 id="h-{tag}">{_e(label(lang, "downloads"))}</h2>']
    formats = listed(project)
    head = "".join(f'<th scope="col">{_e(label(lang, "format_" + f))}</th>' for f in formats)
    for doc in project.documents:
        text, in_lang = doc_titles[doc.name][lang]
        out.append(f'<h3>{_in(text, in_lang, lang)}</h3>')
        out.append(f'<table>\n<thead><tr><th scope="col">{_e(label(lang, "edition_name"))}</th>{head}</tr></thead>\n<tbody>')
        for edition, langs in editions(project).items():
            folder = project.build_dir / edition
            newest = _newest_input(project, doc, langs)
            cover = output_name(project, doc, langs[-1], "cover")
            thumb = f'<img src="{_e(edition)}/{_e(cover)}" alt="">' if (folder / cover).is_file() else ""
            cells = []
            for fmt in formats:
                file = output_name(project, doc, langs[-1], fmt)
                path = folder / file
                if path.is_file():
                    # the preview rebuilds only the web pages: a PDF or EPUB made
                    # before the last edit says so rather than pass for current
                    stale = (f' <span class="stale">{_e(label(lang, "stale"))}</span>'
                             if fmt != "html" and path.stat().st_mtime < newest else "")
                    cells.append(f'<td><a href="{_e(edition)}/{_e(file)}" hreflang="{languages.tag(langs[-1])}"'
                                 f'>{_e(label(lang, "format_" + fmt))}</a> '
                                 f'<span class="size">{_e(size_text(path.stat().st_size, lang))}</span>{stale}</td>')
                else:
                    cells.append(f'<td class="missing">{_e(label(lang, "not_built"))}</td>')
            out.append(f'<tr><th scope="row">{thumb}{_e(name(langs, lang))}</th>{"".join(cells)}</tr>')
        out.append("</tbody>\n</table>")
    out.append("</section>")
    return "\n".join(out)


def page(project: Project) -> str:
    src = project.source_language
    langs = [src, *project.target_languages]
    doc_titles = {doc.name: document_titles(project, doc) for doc in project.documents}
    title = text_for(project.title, src) or (doc_titles[project.documents[0].name][src][0] if project.documents else "")
    nav = "".join(f'<li><a href="#{languages.tag(l)}" lang="{languages.tag(l)}" dir="{languages.parse(l).direction}">'
                  f'{_e(language_name(l))}</a></li>' for l in langs)
    sections = "\n".join(section(project, l, doc_titles) for l in langs)
    return f"""<!DOCTYPE html>
<html lang="{languages.tag(src)}" dir="{languages.parse(src).direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} — {_e(label(src, "downloads"))}</title>
<meta name="generator" content="publish">
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<nav aria-label="{_e(label(src, "editions"))}"><ul>{nav}</ul></nav>
</header>
<main>
{sections}
</main>
</body>
</html>
"""


def write(project: Project) -> Path:
    """Write build/index.html (untouched when nothing changed); its path."""
    target = project.build_dir / "index.html"
    write_atomic(target, page(project))
    return target

"""What an edition says about itself beyond its title: publisher,
description, keywords, translators, rights, licence and ISBNs, and what each
format writes of them.

``fields`` reads them once from publish.yml for one edition of one document
(the document's own value wins over the project's, a language's own value
over the source language's) into plain values that ``assemble`` adds to
``Assembled.meta``.  Every renderer then takes what it writes from here:
``html_tags`` (the page's ``<meta>``, which WeasyPrint also copies into the
PDF), ``epub_meta`` (pandoc's metadata, which becomes the OPF),
``credit`` (the title page) and ``colophon`` (the colophon's lines).

A value left blank is absent from ``fields``' result, so no format can
write an element empty: epubcheck refuses an empty ``dc:*``, and an empty
``<meta>`` says nothing.
"""
from __future__ import annotations

import html
import re

from .config import ISBN_FORMATS, Document, Project, text_for

# What separates keywords written as one text: commas and semicolons, Latin and Arabic.
_KEYWORD_SEPARATORS = re.compile(r"\s*[,،;؛]\s*")


def fields(project: Project, doc: Document, edition) -> dict:
    """The edition's metadata beyond the title, as plain values; ``edition``
    is an ``assemble.Edition``."""
    lang, src = edition.lang, project.source_language

    out: dict = {}

    def text(key: str, own: dict, projects: dict) -> str:
        # the document's value for the language, else the project's; else
        # the source language's, as for the title, and then "<key>-lang"
        # says so, for the colophon to mark the line with its language
        for texts, fallback in ((own, None), (projects, None), (own, src), (projects, src)):
            found = text_for(texts, lang, fallback).strip()
            if found:
                if fallback and lang not in texts and "*" not in texts and lang != src:
                    out[f"{key}-lang"] = src
                return found
        return ""

    for key, value in (
            ("publisher", text("publisher", project.publisher, {})),   # else the organisation, as assemble sets it
            ("description", text("description", doc.description, project.description)),
            ("keywords", ", ".join(keywords(text("keywords", doc.keywords, project.keywords)))),
            ("rights", text("rights", doc.rights, project.rights)),
            ("translators", translators(project, doc, edition)),
    ):
        if value:
            out[key] = value
    licence = doc.licence or project.licence
    if licence:
        out["licence"] = licence.name
        if licence.url:
            out["licence-url"] = licence.url
    isbn = doc.isbn.get(edition.name, {})
    if isbn:
        out["isbn"] = tuple((fmt, isbn[fmt]) for fmt in ISBN_FORMATS if fmt in isbn)
    return out


def keywords(text: str) -> tuple[str, ...]:
    """"a, b; c" → (a, b, c): each keyword once, in order."""
    return tuple(dict.fromkeys(k for k in _KEYWORD_SEPARATORS.split(text.strip()) if k))


def translators(project: Project, doc: Document, edition) -> tuple[str, ...]:
    """Who translated the edition's translated text: the document's
    translators of that language, else the project's; none for the source
    edition."""
    names: list[str] = []
    for lang in edition.languages:
        if lang == project.source_language:
            continue
        for given in (doc.translators, project.translators):
            found = given.get(lang) or given.get("*")
            if found:
                names.extend(n for n in found if n not in names)
                break
    return tuple(names)


def names(people: tuple[str, ...], lang: str) -> str:
    """A, B and C, as the language writes a list (Babel)."""
    from babel.lists import format_list

    from .errors import PublishError
    from .languages import parse
    try:
        return format_list(list(people), locale=parse(lang).locale)
    except (ValueError, LookupError, PublishError):   # a language Babel has no list pattern for
        return ", ".join(people)


def isbn_text(number: str) -> str:
    """978-0-306-40615-7: hyphenated where the ISBN agency's ranges say."""
    from stdnum import isbn
    return isbn.format(number)


# --- what each format writes ---------------------------------------------------

def html_tags(m: dict, medium: str = "screen") -> str:
    """The page's ``<meta>`` and ``<link rel=license>``.  WeasyPrint copies
    author, description and keywords into the PDF's document information,
    and (``custom_metadata``) each other ``<meta>`` as a key of its own, so
    the print page also names the PDF's ISBN.  The description is the
    document's own, else its subtitle."""
    e = html.escape
    values = [("author", m.get("author")), ("description", m.get("description") or m.get("subtitle")),
              ("keywords", m.get("keywords")), ("dcterms.publisher", m.get("publisher")),
              ("dcterms.contributor", ", ".join(m.get("translators", ()))), ("dcterms.rights", m.get("rights")),
              ("dcterms.license", " ".join(x for x in (m.get("licence"), m.get("licence-url")) if x))]
    if medium == "print":
        values += [("dcterms.identifier", f"urn:isbn:{n}") for fmt, n in m.get("isbn", ()) if fmt == "pdf"]
    out = "".join(f'<meta name="{name}" content="{e(value)}">\n' for name, value in values if value)
    if m.get("licence-url"):
        out += f'<link rel="license" href="{e(m["licence-url"])}">\n'
    return out


def epub_meta(m: dict) -> dict:
    """pandoc's metadata for what ``fields`` found (pandoc writes the OPF):
    each translator a ``dc:contributor`` refined with the MARC role ``trl``,
    each keyword a ``dc:subject``, rights and licence ``dc:rights``, and
    the EPUB's ISBN a second ``dc:identifier`` (urn:isbn, ONIX type 15).

    The unique identifier stays the edition's UUID (``identifier`` in
    publish.yml): it must not change when an ISBN is assigned later, or a
    reading system would take the book for another and lose its notes."""
    def s(text: str) -> dict:
        return {"t": "MetaString", "c": text}

    meta: dict = {}
    if m.get("translators"):
        meta["contributor"] = {"t": "MetaList", "c": [
            {"t": "MetaMap", "c": {"role": s("trl"), "text": s(name)}} for name in m["translators"]]}
    if m.get("keywords"):
        meta["subject"] = {"t": "MetaList", "c": [s(k) for k in keywords(m["keywords"])]}
    rights = rights_text(m)
    if rights:
        meta["rights"] = s(rights)
    isbn = dict(m.get("isbn", ()))
    if "epub" in isbn:
        meta["identifier"] = {"t": "MetaList", "c": [
            s(m["identifier"]),
            {"t": "MetaMap", "c": {"text": s(f"urn:isbn:{isbn['epub']}"), "scheme": s("ISBN-13")}}]}
    return meta


def rights_text(m: dict) -> str:
    """Rights and licence in one line: "© 2026 Press. CC BY-SA 4.0 (https://…)"."""
    licence = m.get("licence", "")
    if licence and m.get("licence-url"):
        licence = f'{licence} ({m["licence-url"]})'
    return " ".join(x for x in (_sentence(m.get("rights", "")), licence) if x)


def _sentence(text: str) -> str:
    return text if not text or text[-1] in ".!?…۔" else text + "."


def credit(m: dict, lang: str) -> str:
    """The title page's credit of the translators, in the edition's language;
    empty when there are none."""
    from .render.labels import label
    people = m.get("translators")
    return label(lang, "translated_by", names=names(people, lang)) if people else ""


def colophon(m: dict, lang: str) -> list[tuple[str, ...]]:
    """(class, text) of the colophon's lines about translators, rights,
    licence and ISBNs, in the edition's language; (class, text, language)
    for rights given only in the source language."""
    from .render.labels import digits, label
    lines = []
    if m.get("translators"):
        lines.append(("translators", f'{label(lang, "translation")}: {names(m["translators"], lang)}'))
    if m.get("rights"):   # the source's, marked so, when the edition's language has none
        lines.append(("rights", m["rights"], m["rights-lang"]) if m.get("rights-lang") else ("rights", m["rights"]))
    if m.get("licence"):
        licence = m["licence"] + (f' — {m["licence-url"]}' if m.get("licence-url") else "")
        lines.append(("licence", f'{label(lang, "licence")}: {licence}'))
    for fmt, number in m.get("isbn", ()):
        lines.append(("isbn", f'{label(lang, "isbn")} {digits(isbn_text(number), lang)} ({fmt.upper()})'))
    return lines


# --- EPUB accessibility (EPUB Accessibility 1.1, schema.org) -------------------

def accessibility(lang: str, shown: int, described: int) -> dict:
    """pandoc's metadata for the OPF's ``schema:access*`` and
    ``schema:accessibility*``, from what the edition holds: pandoc's own
    defaults claim alternative text even for a book with no picture, and
    never name the visual mode of one with pictures.

    No ``dcterms:conformsTo`` is written: a conformance claim says that
    someone evaluated the book against WCAG (contrast of its pictures,
    meaning of their descriptions), which no build can decide, and it needs
    that evaluator (``a11y:certifiedBy``)."""
    from .render.labels import label

    def strings(*values: str) -> dict:
        return {"t": "MetaList", "c": [{"t": "MetaString", "c": v} for v in values]}

    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if shown and described == shown:
        features.append("alternativeText")
    sufficient = ["textual"] if described == shown else []
    if shown:
        sufficient.append("textual,visual")
    summary = label(lang, "a11y_summary")
    if shown:
        summary += " " + label(lang, "a11y_pictures" if described == shown else "a11y_pictures_undescribed")
    return {
        "accessModes": strings("textual", *(["visual"] if shown else [])),
        "accessModeSufficient": strings(*sufficient),
        "accessibilityFeatures": strings(*features),
        "accessibilityHazards": strings("none"),
        "accessibilitySummary": {"t": "MetaString", "c": summary},
    }


def pictures(blocks: list, texts: list[str]) -> tuple[int, int]:
    """(pictures, pictures with a description) in an edition's blocks;
    ``texts`` is each block's JSON, so that only the blocks that hold a
    picture are walked (a large book has a million elements and no picture)."""
    shown = described = 0
    stack = [b for b, text in zip(blocks, texts) if '"t": "Image"' in text]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("t") == "Image":
                shown += 1
                described += bool(_plain(node["c"][1]).strip())
            elif "c" in node:
                stack.append(node["c"])
    return shown, described


def _plain(inlines: list) -> str:
    from .tree import stringify
    return stringify(inlines)

"""The document's title, subtitle, author and organisation, translated like the text.

In the source language they come from publish.yml (the document's own, else
the project's: ``Project.titles/subtitles/authors``).  Every document's
catalog carries them at its top as entries of their own, each with a
``msgctxt`` saying what it is (``document title`` …), so translators
translate them in the same PO, with the same tools, and ``status`` counts
them with the rest.  The context keeps an entry apart from a unit with the
same text (a title is often also the first heading).

A value publish.yml gives for a language wins over the catalog.  The entry
is still offered in that language's catalog, as in every other (a catalog
holds its template's entries, as msgmerge makes it), but its comment says
the translation is not used, and while it has none it is filled with
publish.yml's value: it then counts as translated, which the edition is, so
``status``, msgfmt and the colophon agree and ``--strict`` passes.  A
translation a translator made is never replaced.

An edition whose title is not translated falls back to the source's,
marked with the source language (its font, its direction), and ``build``
and ``check`` say so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import Document, Project
from .errors import PublishWarning

if TYPE_CHECKING:  # polib is imported where catalogs are made: a build with nothing to do needs none
    import polib


@dataclass(frozen=True)
class Field:
    key: str       # the key of an edition's metadata (assemble.metadata)
    context: str   # the msgctxt: short, stable, for translators to read
    name: str      # as warnings and findings name it
    comment: str   # the extracted comment: where the editions print it


FIELDS = (
    Field("title", "document title", "title",
          "the document's title: on the title page, at the head of every printed page, in the colophon, "
          "and in the metadata of the web page, EPUB and PDF"),
    Field("subtitle", "document subtitle", "subtitle",
          "the document's subtitle: on the title page under the title, and as the description in the metadata"),
    Field("author", "author", "author",
          "the author: on the title page and in the metadata of the web page, EPUB and PDF"),
    Field("publisher", "organisation", "organisation",
          "the organisation publishing the document: in the colophon and as the publisher in the metadata"),
)
CONTEXTS = {f.context: f for f in FIELDS}
_PLAIN = "plain text, no Markdown"
_WINS = "from publish.yml, where a value for a language ({key}: {{en: …}}) wins over this translation"
_NOT_USED = "publish.yml sets {lang}; this translation is not used"


def texts(project: Project, doc: Document, field: Field) -> dict[str, str]:
    """The per-language values publish.yml gives ``field`` for ``doc``."""
    if field.key == "title":
        return project.titles(doc)
    if field.key == "subtitle":
        return project.subtitles(doc)
    if field.key == "author":
        return project.authors(doc)
    return project.organisation


def configured(values: dict[str, str], lang: str) -> str:
    """The value publish.yml sets for ``lang``: its own, or one for every
    language (a plain string); empty when none."""
    return (values.get(lang) or values.get("*") or "").strip()


def source_text(project: Project, doc: Document, field: Field) -> str:
    """What there is to translate: the source language's value.  A plain
    string in publish.yml is every language's already, and offers nothing."""
    values = texts(project, doc, field)
    if "*" in values:
        return ""
    return values.get(project.source_language, "").strip()


def entries(project: Project, doc: Document) -> list[polib.POEntry]:
    """The template's entries for ``doc``'s title, subtitle, author and
    organisation, in that order, those that have a source text."""
    import polib
    out = []
    for f in FIELDS:
        msgid = source_text(project, doc, f)
        if msgid:
            # the reference names the document (without a line: the text is publish.yml's,
            # as the comment says), so tools that list a catalog by file find these entries with it
            out.append(polib.POEntry(msgctxt=f.context, msgid=msgid, msgstr="", occurrences=[(doc.relsource, "")],
                                     comment="\n".join([f"{f.comment}; {_PLAIN}",
                                                        _WINS.format(key=_config_key(f))])))
    return out


def _config_key(field: Field) -> str:
    return "organisation" if field.key == "publisher" else field.key


def for_language(pot: polib.POFile, project: Project, doc: Document, lang: str) -> polib.POFile:
    """The template as ``lang``'s catalog is merged from it: an entry
    publish.yml gives a value for in ``lang`` says so, and carries that
    value as the translation to fill in where there is none
    (``catalog.merge`` takes a template's msgstr as the default)."""
    import polib
    own = {f.context: configured(texts(project, doc, f), lang) for f in FIELDS}
    if not any(own.values()):
        return pot
    out = polib.POFile(wrapwidth=pot.wrapwidth)
    out.header, out.metadata = pot.header, pot.metadata
    for e in pot:
        if own.get(e.msgctxt) and e.msgctxt is not None:
            e = polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=own[e.msgctxt],
                              occurrences=list(e.occurrences),
                              comment="\n".join([e.comment, _NOT_USED.format(lang=lang)]))
        out.append(e)
    return out


# --- in the editions ------------------------------------------------------------------------

# (msgctxt, msgid) → (msgstr, state): a catalog's entries for these fields,
# state "translated", "fuzzy" or "untranslated" as msgfmt counts them
Entries = dict[tuple[str, str], tuple[str, str]]


def catalog_entries(po: polib.POFile) -> Entries:
    out: Entries = {}
    for e in po:
        if e.obsolete or e.msgctxt not in CONTEXTS or not e.msgid:
            continue
        state = ("fuzzy" if "fuzzy" in e.flags else "translated") if e.msgstr else "untranslated"
        out[(e.msgctxt, e.msgid)] = (e.msgstr, state)
    return out


@dataclass(frozen=True)
class Resolved:
    text: str      # what the edition prints ("" for nothing)
    lang: str      # the language it is in: the edition's, or the source's when it fell back
    state: str     # "source", "configured", "translated", or "fuzzy"/"untranslated" (fell back)


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")   # as assemble.BIDI_CONTROLS: never printed


def clean(msgstr: str) -> str:
    """A translation as an edition prints it: one line of plain text."""
    return " ".join(_BIDI.sub("", msgstr).split())


def resolve(project: Project, doc: Document, lang: str, found: Entries | None) -> dict[str, Resolved]:
    """Each field's text in ``lang``: publish.yml's value for ``lang``, else
    the catalog's translation of the source text (``found``), else the
    source text itself, which the edition marks as the source language's."""
    src = project.source_language
    out = {}
    for f in FIELDS:
        values = texts(project, doc, f)
        source = configured(values, src)
        if lang == src:
            out[f.key] = Resolved(source, src, "source")
            continue
        own = configured(values, lang)
        if own:
            out[f.key] = Resolved(own, lang, "configured")
            continue
        msgid = source_text(project, doc, f)
        msgstr, state = (found or {}).get((f.context, msgid), ("", "untranslated"))
        if not msgid:
            out[f.key] = Resolved("", lang, "source")
        elif state == "translated" and clean(msgstr):
            out[f.key] = Resolved(clean(msgstr), lang, "translated")
        else:
            out[f.key] = Resolved(source, src, "fuzzy" if state == "fuzzy" else "untranslated")
    return out


def fell_back(meta: dict) -> list[str]:
    """The keys of the fields an edition prints in the source's language
    because their translation is missing or under review (``meta`` is an
    edition's metadata, see ``assemble.metadata``)."""
    return [f.key for f in FIELDS if meta.get(f"{f.key}-lang")]


def warnings(keys: list[str], project: Project, lang: str, display: str) -> list[PublishWarning]:
    """What ``build`` says about an edition whose title (or subtitle,
    author, organisation) is printed untranslated."""
    if not keys:
        return []
    source = language_name(project.source_language)
    out = []
    names = [f.name for f in FIELDS if f.key in keys]
    if "title" in keys:
        out.append(PublishWarning(f"the title is not translated; the {lang} edition shows the {source} title",
                                  path=display))
        names.remove("title")
    if names:
        what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        verb = "is" if len(names) == 1 else "are"
        out.append(PublishWarning(f"the {what} {verb} not translated; the {lang} edition shows "
                                  f"{'it' if len(names) == 1 else 'them'} in {source}", path=display))
    return out


def language_name(lang: str) -> str:
    """"Persian" for fa: a language named in English, as publish's messages are."""
    from .errors import PublishError
    from .languages import parse
    try:
        return parse(lang).display_name("en")
    except PublishError:  # a message can name the tag
        return lang


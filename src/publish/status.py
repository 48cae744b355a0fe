"""Translation progress, per document and language: what a unit is and how
it is counted, in one place.

Every number publish shows about progress — ``publish status`` and its
``--json``, ``build/status.html``, the colophon of an edition, the summary
``publish build`` prints and ``build --min-translated`` — is a ``count``
of ``units`` (or, while the edition is assembled, of the same units found on
the same walk), so they cannot disagree:

- **A unit is an entry of the catalog as ``publish update`` makes it from the
  current source and publish.yml**: each translatable passage of the text
  (a sentence, heading, list item, table cell, footnote) once, however often
  the text repeats it, then the title, subtitle, author and organisation.
  The PO header and obsolete entries are not units.  Counting from the
  source, not from the PO, keeps the numbers those of what the edition
  prints when the catalog is behind the source (``stale`` then says to run
  ``publish update``).
- **Its state is what the edition prints**: *translated* (a translation with
  something printable in it, not fuzzy; a translation failing a check is
  printed, so it is translated — ``status.html`` marks it and ``check``
  lists it), *fuzzy* (printed in the original, marked) or *untranslated*
  (no translation, or only spaces or invisible characters: printed in the
  original, marked).  A title publish.yml gives for the language is
  translated: the edition prints it.
- ``percent`` is translated units over units; a document without units is
  100% translated.
"""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Iterable

from . import catalog, titles
from .config import Document, Project

if TYPE_CHECKING:
    import polib

    from .units import Unit

STATES = ("translated", "fuzzy", "untranslated")


def state(msgstr: str, flags: Iterable[str] = ()) -> str:
    """The state of one catalog entry, as the edition prints it."""
    if not printable(msgstr):
        return "untranslated"
    return "fuzzy" if "fuzzy" in flags else "translated"


def printable(text: str) -> bool:
    """Whether a translation holds anything a reader would see: a letter,
    digit, punctuation mark or symbol (not only spaces, bidi controls, ZWNJ
    or control characters, which the edition drops)."""
    return any(unicodedata.category(ch)[0] in "LNPS" and unicodedata.category(ch) != "Co" for ch in text)


def percent(stats: catalog.Stats) -> str:
    """The percentage as every place prints it: one decimal, none on a whole
    number ("62.1", "100"), and never rounded up to 100 or down to 0, so a
    text with one unit left says 99.9, not 100."""
    value = stats.percent
    if 99.9 < value < 100:
        value = 99.9
    elif 0 < value < 0.1:
        value = 0.1
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Counted:
    """One unit as it is counted: ``context`` is None for the text's units,
    the msgctxt (``document title`` …) for the title and the rest."""
    context: str | None
    msgid: str
    state: str


def count(found: Iterable[Counted], into: catalog.Stats | None = None) -> catalog.Stats:
    """The one count: units, their states and their words.  A unit met twice
    (a sentence the text repeats) is counted once, in the state of its first
    meeting (they share one entry, so one state)."""
    s = into if into is not None else catalog.Stats()
    seen: set[tuple[str | None, str]] = set()
    for u in found:
        if (u.context, u.msgid) in seen:
            continue
        seen.add((u.context, u.msgid))
        n = catalog.words(u.msgid)
        s.units += 1
        s.words += n
        if u.state == "translated":
            s.translated += 1
            s.words_translated += n
        elif u.state == "fuzzy":
            s.fuzzy += 1
            s.words_fuzzy += n
        else:
            s.untranslated += 1
    return s


def heads(project: Project, doc: Document, lang: str, found: titles.Entries | None) -> list[Counted]:
    """The title, subtitle, author and organisation as units: those with a
    source text, in the state the edition prints them in (``titles.resolve``)."""
    resolved = titles.resolve(project, doc, lang, found)
    out = []
    for f in titles.FIELDS:
        msgid = titles.source_text(project, doc, f)
        if msgid:
            st = resolved[f.key].state
            out.append(Counted(f.context, msgid,
                               "translated" if st in ("translated", "configured") else
                               "fuzzy" if st == "fuzzy" else "untranslated"))
    return out


@dataclass
class UnitState:
    """A unit of the text or a title field, with the catalog entry that
    translates it (None when the catalog has none)."""
    counted: Counted
    unit: "Unit | None"          # None for the title and the rest
    entry: "polib.POEntry | None"


def units(project: Project, doc: Document, lang: str, found: list["Unit"],
          po: "polib.POFile | None") -> list[UnitState]:
    """Every unit of ``doc`` in ``lang`` once, in reading order, then the
    title and the rest: ``found`` is the source's units (``update.extract``),
    ``po`` the language's catalog (None before the first ``publish update``)."""
    entries = {} if po is None else {e.msgid: e for e in po if not e.obsolete and e.msgid and e.msgctxt is None}
    out, seen = [], set()
    for u in found:
        if u.translatable and u.msgid not in seen:
            seen.add(u.msgid)
            e = entries.get(u.msgid)
            out.append(UnitState(Counted(None, u.msgid, state(e.msgstr, e.flags) if e else "untranslated"), u, e))
    by_context = {} if po is None else {(e.msgctxt, e.msgid): e for e in po
                                        if not e.obsolete and e.msgid and e.msgctxt in titles.CONTEXTS}
    for c in heads(project, doc, lang, None if po is None else titles.catalog_entries(po)):
        out.append(UnitState(c, None, by_context.get((c.context, c.msgid))))
    return out


def stale(states: list[UnitState], po: "polib.POFile | None") -> bool:
    """Whether the catalog is not what ``publish update`` would make of the
    source now: missing, or its entries not the source's units."""
    if po is None:
        return True
    have = {(e.msgctxt, e.msgid) for e in po if not e.obsolete and e.msgid}
    return have != {(s.counted.context, s.counted.msgid) for s in states}


@dataclass
class Row:
    document: str
    language: str
    path: str
    stats: catalog.Stats
    exists: bool = True      # the catalog has been made (publish update)
    stale: bool = False      # the catalog is behind the source or publish.yml

    def as_dict(self) -> dict:
        d = {"document": self.document, "language": self.language, "catalog": self.path, **asdict(self.stats)}
        d["percent"] = round(self.stats.percent, 2)
        d["catalog_exists"] = self.exists
        d["needs_update"] = self.stale
        return d

    def note(self) -> str:
        """What ``publish status`` says of the row under its table."""
        if not self.exists:
            return f"{self.document} {self.language}: no catalog yet ({self.path}); run publish update"
        line = f"{self.document} {self.language}: {percent(self.stats)}% translated"
        if self.stale:
            line += "; the catalog is behind the source (run publish update)"
        return line


def read_catalog(project: Project, doc: Document, lang: str) -> "polib.POFile | None":
    path = project.po_path(doc, lang)
    return catalog.read(path, path.relative_to(project.root).as_posix()) if path.exists() else None


def collect(project: Project, documents: list[str] | None = None) -> list[Row]:
    from .update import extract
    docs = [project.document(n) for n in documents] if documents else project.documents
    rows = []
    for doc in docs:
        _, found = extract(project, doc)
        for lang in project.target_languages:
            po = read_catalog(project, doc, lang)
            states = units(project, doc, lang, found, po)
            stats = count(s.counted for s in states)
            stats.obsolete = 0 if po is None else len(po.obsolete_entries())   # translations kept as #~, no units
            rows.append(Row(doc.name, lang, project.po_path(doc, lang).relative_to(project.root).as_posix(),
                            stats, po is not None, stale(states, po)))
    return rows


def held_back(project: Project, threshold: float, documents: list[str] | None = None) -> dict[tuple[str, str], catalog.Stats]:
    """(document, language) → its counts, for each translation under
    ``threshold`` percent: ``build --min-translated`` builds none of its
    editions.  The same counts as ``publish status`` and the colophon, from
    the same function; the source's own edition is never held back."""
    return {(r.document, r.language): r.stats for r in collect(project, documents)
            if r.stats.percent < threshold}

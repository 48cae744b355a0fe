"""``publish update``: source → units → template → merged translations."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polib

from . import catalog, glossary, links, normalize, pictures, source, structure, titles, units
from .config import Document, Project
from .errors import PublishError, PublishWarning
from .files import project_lock, remove_stale_temporaries, write_atomic


@dataclass
class DocumentUpdate:
    document: str
    units: int
    entries: int
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    normalized: list[normalize.Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)   # e.g. the source was read as Windows-1256
    warnings: list[PublishWarning] = field(default_factory=list)  # e.g. a code fence never closed
    # per catalog, translations carried over unchanged (not made fuzzy) because their
    # source changed only by normalisation or only in link and picture targets
    carried: dict[str, dict[str, int]] = field(default_factory=dict)


def extract(project: Project, doc: Document) -> tuple[source.Source, list[units.Unit]]:
    src = source.load(doc.source, project.normalize, doc.relsource, project.trees_dir)
    found = units.extract(src.blocks, project.segmentation == "sentence", project.abbreviations)
    return src, found


def _read_existing(path: Path, project: Project) -> tuple[polib.POFile | None, str | None]:
    if not path.exists():
        return None, None
    return catalog.read_text(path, str(path.relative_to(project.root)))


check_language = catalog.check_language  # kept here too: tests and callers know it by this name


def _template_text(path: Path) -> str | None:
    """The text of the template as it is, to tell whether it changes.  The
    template is made anew from the source on every update, so it is only
    compared, not parsed (lint and polib took 0.2 s over it at 100x); one
    that is damaged is simply made anew."""
    try:
        return path.read_bytes().decode("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def update_document(project: Project, doc: Document, terms: list[glossary.Term],
                    keep_going: bool = False) -> DocumentUpdate:
    src, found = extract(project, doc)
    # a picture the editions could not show stops the update before anything is written
    # (--keep-going: a warning, and the editions show its description, marked)
    lost = pictures.missing(src.blocks, src.text, doc.source.parent, project.root / "source",
                            doc.relsource, src.blocks_json)
    if not keep_going:
        pictures.refuse(lost)
    pot = catalog.template(project, doc, found)
    pot_path = project.pot_path(doc)
    # Read and check every catalog before writing anything: bad input leaves all files as they were.
    old_pot_text = _template_text(pot_path)
    olds = {}
    for lang in project.target_languages:
        path = project.po_path(doc, lang)
        old, text = _read_existing(path, project)
        if old is not None:
            rel = str(path.relative_to(project.root))
            catalog.check_language(old, lang, rel)
            catalog.check_document(old, doc.name, [d.name for d in project.documents if d is not doc], rel, pot)
        olds[lang] = (path, old, text)
    pot_text = catalog.render(pot, project.wrap)
    pot_unchanged = old_pot_text is not None and catalog.same_content(pot_text, old_pot_text)
    dates = CreationDates(project, doc)
    date = catalog.creation_date(old_pot_text) if pot_unchanged else dates.known(pot_text, old_pot_text)
    if date is not None:  # the translations' headers keep the date of the text they were made from
        # the one line changed in the text (rendering again took a tenth of a second at 100x)
        line = f'"POT-Creation-Date: {pot.metadata["POT-Creation-Date"]}\\n"'
        pot.metadata["POT-Creation-Date"] = date
        pot_text = (pot_text.replace(line, f'"POT-Creation-Date: {date}\\n"', 1) if line in pot_text
                    else catalog.render(pot, project.wrap))

    found_terms = {e.msgid: glossary.terms_in(e.msgid, terms) for e in pot} if terms else {}

    def hints_for(lang):
        return lambda msgid: [f"glossary: {t.term} = {t.targets[lang]}"
                              for t in found_terms.get(msgid, ()) if lang in t.targets]

    # each catalog rendered once; the template's text is None when only its date would change
    carried: dict[str, dict[str, int]] = {str(path.relative_to(project.root)): {}
                                          for path, _, _ in olds.values()}
    outputs = [(pot_path, None if pot_unchanged else pot_text, None)] + [
        (path, catalog.render(catalog.merge(titles.for_language(pot, project, doc, lang), old, lang,
                                            hints_for(lang), carried[str(path.relative_to(project.root))],
                                            edition=lang), project.wrap),
         text)
        for lang, (path, old, text) in olds.items()]
    result = DocumentUpdate(doc.name, len(found), len(pot),
                            normalized=normalize.report(src.text, project.normalize),
                            notices=[src.notice] if src.notice else [],
                            warnings=sorted(source_warnings(src, doc.relsource) + lost,
                                            key=lambda w: w.line or 0),
                            carried={p: c for p, c in carried.items() if c})
    for path, text, previous in outputs:
        written = text is not None and catalog.write(path, text, previous)
        (result.written if written else result.unchanged).append(str(path.relative_to(project.root)))
    if not pot_unchanged:
        dates.remember(pot_text)
    return result


class CreationDates:
    """The POT-Creation-Date each recent text of a template had, kept in
    ``build/.publish/dates.json`` by a digest of the text without its date.

    The date changes only when the entries do; and when a source is edited
    and the edit undone, the template (and the catalogs, which repeat its
    date) come back to the date they had, byte for byte, instead of
    showing a third date for the first text.  Losing the file (a clean
    build folder) costs only that: a new date."""

    KEEP = 32   # texts remembered per document

    def __init__(self, project: Project, doc: Document):
        self.path = project.build_dir / ".publish" / "dates.json"
        self.doc = doc.name
        self._all: dict | None = None

    def _load(self) -> dict:
        if self._all is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._all = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._all = {}
        return self._all

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(catalog.without_dates(text).encode("utf-8")).hexdigest()

    def known(self, text: str, previous: str | None) -> str | None:
        """The date ``text`` had when it was last written, if remembered;
        the ``previous`` text's own date is remembered first (a template
        written before this file existed)."""
        mine = self._load().get(self.doc)
        mine = mine if isinstance(mine, dict) else {}
        if previous is not None and catalog.creation_date(previous):
            mine.setdefault(self._digest(previous), catalog.creation_date(previous))
        self._all[self.doc] = mine
        date = mine.get(self._digest(text))
        return date if isinstance(date, str) else None

    def remember(self, text: str) -> None:
        mine = self._load().setdefault(self.doc, {})
        date = catalog.creation_date(text)
        if not date:
            return
        key = self._digest(text)
        mine.pop(key, None)
        mine[key] = date                      # the newest last, the oldest forgotten first
        for old in list(mine)[:-self.KEEP]:
            del mine[old]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(self._all, indent=0, sort_keys=False) + "\n")
        except (OSError, PublishError):
            pass   # a cache: a read-only build folder only means a new date next time


def source_warnings(src: source.Source, display: str) -> list[PublishWarning]:
    """What in a source will surprise its editors: structural slips (see
    ``structure``) and raw HTML, which no translator is offered and which
    every edition prints as it is."""
    found = structure.surprises(src.text, display)
    raw: dict[int | None, tuple[str, str]] = {}
    for line, el in _raw_html(src.blocks):
        html = el["c"][1].strip()
        if not html.startswith("<!--"):
            raw.setdefault(line, (el["t"], html.split("\n")[0][:40]))
    for line, scheme in links.unsafe_in_markdown(src.text):
        found.append(PublishWarning(f"a {scheme}: link target can run code in a reader's browser or "
                                    "e-reader; it is removed and the link's words kept", path=display, line=line))
    for line, (kind, html) in raw.items():
        what = ("is not offered for translation" if kind == "RawBlock"
                else "reaches translators as markup")
        found.append(PublishWarning(f"raw HTML ({html}) {what} and is printed as it is in every edition; "
                                    f"`publish import` converts HTML to Markdown", path=display, line=line))
    return sorted(found, key=lambda w: w.line or 0)


def _raw_html(node, line: int | None = None):
    """(line, element) for each raw HTML element, the line that of the
    nearest element above it that knows its own."""
    if isinstance(node, list):
        for x in node:
            yield from _raw_html(x, line)
    elif isinstance(node, dict) and "t" in node:
        line = node.get("_line", line)
        if node["t"] in ("RawBlock", "RawInline"):
            if node["c"][0] in ("html", "html5", "html4"):
                yield line, node
        elif "c" in node:
            yield from _raw_html(node["c"], line)


def update(project: Project, documents: list[str] | None = None,
           on_wait: Callable[[], None] | None = None, keep_going: bool = False) -> list[DocumentUpdate]:
    docs = [project.document(n) for n in documents] if documents else project.documents
    with project_lock(project.root, "update", on_wait=on_wait):
        for doc in docs:  # what a killed run left behind; nobody else writes catalogs while we hold the lock
            for path in [project.pot_path(doc)] + [project.po_path(doc, l) for l in project.target_languages]:
                remove_stale_temporaries(path)
        terms = glossary.load(project.glossary_path, project.source_language, project.normalize)
        # Units, templates and catalogs are tens of thousands of objects without cycles: the collector
        # walking them over and over took a tenth of a second of an update at 100x.
        with source.no_gc():
            return [update_document(project, doc, terms, keep_going) for doc in docs]

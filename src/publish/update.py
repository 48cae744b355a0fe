"""``publish update``: source → units → template → merged translations."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polib

from . import catalog, glossary, normalize, source, units
from .config import Document, Project
from .files import project_lock, remove_stale_temporaries


@dataclass
class DocumentUpdate:
    document: str
    units: int
    entries: int
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    normalized: list[normalize.Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)   # e.g. the source was read as Windows-1256


def extract(project: Project, doc: Document) -> tuple[source.Source, list[units.Unit]]:
    src = source.load(doc.source, project.normalize, doc.relsource, project.trees_dir)
    found = units.extract(src.blocks, project.segmentation == "sentence", project.abbreviations)
    return src, found


def _read_existing(path: Path, project: Project) -> tuple[polib.POFile | None, str | None]:
    if not path.exists():
        return None, None
    return catalog.read_text(path, str(path.relative_to(project.root)))


check_language = catalog.check_language  # kept here too: tests and callers know it by this name


def update_document(project: Project, doc: Document, terms: list[glossary.Term]) -> DocumentUpdate:
    src, found = extract(project, doc)
    pot = catalog.template(project, doc, found)
    pot_path = project.pot_path(doc)
    # Read and check every catalog before writing anything: bad input leaves all files as they were.
    old_pot, old_pot_text = _read_existing(pot_path, project)
    olds = {}
    for lang in project.target_languages:
        path = project.po_path(doc, lang)
        old, text = _read_existing(path, project)
        if old is not None:
            rel = str(path.relative_to(project.root))
            catalog.check_language(old, lang, rel)
            catalog.check_document(old, doc.name, [d.name for d in project.documents if d is not doc], rel, pot)
        olds[lang] = (path, old, text)
    if old_pot is not None and catalog.same_content(catalog.render(pot), old_pot_text):
        pot.metadata["POT-Creation-Date"] = old_pot.metadata.get("POT-Creation-Date", pot.metadata["POT-Creation-Date"])

    found_terms = {e.msgid: glossary.terms_in(e.msgid, terms) for e in pot} if terms else {}

    def hints_for(lang):
        return lambda msgid: [f"glossary: {t.term} = {t.targets[lang]}"
                              for t in found_terms.get(msgid, ()) if lang in t.targets]

    outputs = [(pot_path, pot, old_pot_text)] + [
        (path, catalog.merge(pot, old, lang, hints_for(lang)), text)
        for lang, (path, old, text) in olds.items()]
    result = DocumentUpdate(doc.name, len(found), len(pot),
                            normalized=normalize.report(src.text, project.normalize),
                            notices=[src.notice] if src.notice else [])
    for path, po, previous in outputs:
        rel = str(path.relative_to(project.root))
        (result.written if catalog.save(path, po, previous) else result.unchanged).append(rel)
    return result


def update(project: Project, documents: list[str] | None = None,
           on_wait: Callable[[], None] | None = None) -> list[DocumentUpdate]:
    docs = [project.document(n) for n in documents] if documents else project.documents
    with project_lock(project.root, "update", on_wait=on_wait):
        for doc in docs:  # what a killed run left behind; nobody else writes catalogs while we hold the lock
            for path in [project.pot_path(doc)] + [project.po_path(doc, l) for l in project.target_languages]:
                remove_stale_temporaries(path)
        terms = glossary.load(project.glossary_path, project.source_language, project.normalize)
        return [update_document(project, doc, terms) for doc in docs]

"""``publish update``: source → units → template → merged translations."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import catalog, glossary, normalize, source, units
from .config import Document, Project
from .errors import PublishError
from .files import project_lock


@dataclass
class DocumentUpdate:
    document: str
    units: int
    entries: int
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    normalized: list[normalize.Change] = field(default_factory=list)


def extract(project: Project, doc: Document) -> tuple[source.Source, list[units.Unit]]:
    src = source.load(doc.source, project.normalize, doc.relsource)
    found = units.extract(src.blocks, project.segmentation == "sentence", project.abbreviations)
    return src, found


def _read_existing(path: Path, project: Project) -> tuple[polib.POFile | None, str | None]:
    if not path.exists():
        return None, None
    display = str(path.relative_to(project.root))
    po = catalog.read(path, display)
    return po, path.read_text(encoding="utf-8")


def check_language(po: polib.POFile, lang: str, display: str) -> None:
    declared = po.metadata.get("Language", "").strip()
    if declared and declared.replace("-", "_").split("_")[0] != lang.replace("-", "_").split("_")[0]:
        raise PublishError(f"Language header says {declared!r} but the file is in translations/{lang}/",
                           path=display)


def update_document(project: Project, doc: Document) -> DocumentUpdate:
    src, found = extract(project, doc)
    pot = catalog.template(project, doc, found)
    pot_path = project.pot_path(doc)
    old_pot, old_pot_text = _read_existing(pot_path, project)
    # Read and check every PO before writing anything: bad input leaves all files as they were.
    olds = {}
    for lang in project.target_languages:
        path = project.po_path(doc, lang)
        display = str(path.relative_to(project.root))
        old, text = _read_existing(path, project)
        if old is not None:
            check_language(old, lang, display)
        olds[lang] = (path, display, old, text)
    if old_pot is not None and catalog.same_content(catalog.render(pot), old_pot_text):
        pot.metadata["POT-Creation-Date"] = old_pot.metadata.get("POT-Creation-Date", pot.metadata["POT-Creation-Date"])
    terms = glossary.load(project.glossary_path, project.source_language, project.normalize)

    def hints_for(lang):
        def hints(msgid: str) -> list[str]:
            return [f"glossary: {t.term} = {t.targets[lang]}" for t in glossary.terms_in(msgid, terms) if lang in t.targets]
        return hints

    result = DocumentUpdate(doc.name, len(found), len(pot),
                            normalized=normalize.report(src.text, project.normalize))
    for path, po in [(pot_path, pot)] + [
            (olds[lang][0], catalog.merge(pot, olds[lang][2], lang, hints_for(lang))) for lang in project.target_languages]:
        previous = old_pot_text if path == pot_path else olds[po.metadata["Language"]][3]
        rel = str(path.relative_to(project.root))
        if catalog.save(path, po, previous):
            result.written.append(rel)
        else:
            result.unchanged.append(rel)
    return result


def update(project: Project, documents: list[str] | None = None) -> list[DocumentUpdate]:
    docs = [project.document(n) for n in documents] if documents else project.documents
    with project_lock(project.root, "update"):
        return [update_document(project, doc) for doc in docs]

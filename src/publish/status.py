"""Translation progress, per document and language."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from . import catalog
from .config import Project


@dataclass
class Row:
    document: str
    language: str
    path: str
    stats: catalog.Stats

    def as_dict(self) -> dict:
        d = {"document": self.document, "language": self.language, "catalog": self.path, **asdict(self.stats)}
        d["percent"] = round(self.stats.percent, 2)
        return d


def collect(project: Project, documents: list[str] | None = None) -> list[Row]:
    docs = [project.document(n) for n in documents] if documents else project.documents
    rows = []
    for doc in docs:
        for lang in project.target_languages:
            path = project.po_path(doc, lang)
            rel = str(path.relative_to(project.root))
            if path.exists():
                s = catalog.stats(catalog.read(path, rel))
            else:
                pot = project.pot_path(doc)
                s = catalog.stats(catalog.read(pot, str(pot.relative_to(project.root)))) if pot.exists() else catalog.Stats()
            rows.append(Row(doc.name, lang, rel, s))
    return rows

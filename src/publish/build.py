"""``publish build``: every edition of every document, in every format."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import assemble as asm
from . import source
from .config import Project
from .errors import PublishError
from .files import write_atomic
from .render import FORMATS


@dataclass
class Output:
    path: str
    edition: str
    format: str
    written: bool


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    progress: dict[tuple[str, str], asm.Progress] = field(default_factory=dict)  # (doc, lang)


def select_editions(project: Project, names: list[str] | None) -> list[asm.Edition]:
    all_editions = asm.editions(project)
    if not names:
        return all_editions
    known = {e.name: e for e in all_editions}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise PublishError(f"unknown edition {unknown[0]!r} (this project has: {', '.join(known)})")
    return [known[n] for n in names]


def render(a: asm.Assembled, fmt: str, project: Project) -> bytes:
    if fmt == "html":
        from .render.html import page
        return page(a, "screen", project.paper).encode("utf-8")
    if fmt == "epub":
        from .render.epub import write
        return write(a, project.build_dir / a.edition.name / f"{a.document.name}.epub")
    if fmt == "pdf":
        from .render.pdf import write
        return write(a, project.root, project.paper, project.pdf_ua)
    raise PublishError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")


def build(project: Project, editions: list[str] | None = None, formats: list[str] | None = None,
          documents: list[str] | None = None, strict: bool = False,
          on_output: Callable[[Output], None] | None = None) -> BuildResult:
    chosen = select_editions(project, editions)
    fmts = formats or list(FORMATS)
    for f in fmts:
        if f not in FORMATS:
            raise PublishError(f"unknown format {f!r} (formats: {', '.join(FORMATS)})")
    docs = [project.document(n) for n in documents] if documents else project.documents
    result = BuildResult()
    for doc in docs:
        src = source.load(doc.source, project.normalize, doc.relsource)
        langs = {l for e in chosen for l in e.languages if l != project.source_language}
        translations = {l: asm.Translations.load(project, doc, l) for l in sorted(langs)}
        assembled = [asm.assemble(project, doc, e, src, translations) for e in chosen]
        for a in assembled:
            for lang, p in a.progress.items():
                result.progress[(doc.name, lang)] = p
        if strict:
            for (dname, lang), p in result.progress.items():
                if dname == doc.name and p.translated < p.units:
                    raise PublishError(f"{doc.name} ({lang}): {p.untranslated} untranslated and {p.fuzzy} fuzzy "
                                       f"units; --strict builds only complete translations",
                                       path=str(project.po_path(doc, lang).relative_to(project.root)))
        for a in assembled:
            for fmt in fmts:
                target = project.build_dir / a.edition.name / f"{doc.name}.{fmt}"
                data = render(a, fmt, project)
                out = Output(str(target.relative_to(project.root)), a.edition.name, fmt, write_atomic(target, data))
                result.outputs.append(out)
                if on_output:
                    on_output(out)
    return result

"""``publish build``: every edition of every document, in every format.

Only what changed is rendered: each output is keyed by digests of what it is
made from (see ``cache``), and an output whose key and bytes are as recorded
is skipped without parsing anything.  The outputs that must be rendered are
rendered side by side in worker processes — WeasyPrint is CPU-bound Python,
so threads would only take turns on one core — while this process parses and
assembles, writes every file, calls back, and keeps the results in plan
order, so a parallel build gives the same results as a serial one.
"""
from __future__ import annotations

import functools
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import cache, pictures, titles
from .config import Document, Project
from .errors import PublishError, PublishWarning
from .files import write_atomic
from .render import images
from .render import COMPANIONS, FORMATS, output_name

if TYPE_CHECKING:  # assemble pulls in polib, Babel and the catalog code: not needed to find nothing changed
    from . import assemble as asm


@dataclass
class Output:
    path: str
    edition: str
    format: str
    written: bool             # False: rendered to the bytes already there, or not rendered
    rendered: bool = True     # False: up to date, skipped
    reason: str = ""          # why it was rendered ("translations/en/report.po changed"), or "up to date"


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    progress: dict[tuple[str, str], "asm.Progress"] = field(default_factory=dict)  # (doc, lang)
    notices: list[str] = field(default_factory=list)   # e.g. a source read as Windows-1256
    warnings: list[PublishWarning] = field(default_factory=list)   # e.g. a missing picture (--keep-going)


@dataclass
class Planned:
    """One output: where it goes, what it is made from, and why it must be
    rendered (``reason`` is None when it is up to date)."""
    document: Document
    edition: str
    languages: tuple[str, ...]
    format: str
    target: Path
    path: str                 # relative to the project, as printed
    parts: dict[str, str]
    reason: str | None


# --- what to build ------------------------------------------------------------------

def edition_languages(project: Project) -> dict[str, tuple[str, ...]]:
    """Edition name → its languages, as ``assemble.editions`` makes them
    (kept here so that planning does not import the assembler).  A name is
    made of BCP 47 tags: ``pt-BR``, and ``fa-pt-BR`` for the parallel text;
    build/<edition>/ is named the same."""
    src = project.source_language
    out = {src: (src,)}
    for lang in project.target_languages:
        out[lang] = (lang,)
        out[f"{src}-{lang}"] = (src, lang)
    return out


def select_editions(project: Project, names: list[str] | None) -> list["asm.Edition"]:
    from . import assemble as asm
    chosen = _chosen(project, names)
    return [e for e in asm.editions(project) if e.name in chosen]


def _chosen(project: Project, names: list[str] | None) -> dict[str, tuple[str, ...]]:
    known = edition_languages(project)
    if not names:
        return known
    chosen = {edition_name(project, n, known) for n in names}
    return {n: known[n] for n in known if n in chosen}


def edition_name(project: Project, name: str, known: dict | None = None) -> str:
    """An edition as the user names it (``pt-BR``, ``pt_BR``, ``fa-pt_br``)
    → its name; an error listing the project's editions."""
    known = known if known is not None else edition_languages(project)
    if name in known:
        return name
    loose = {n.lower(): n for n in known}
    found = loose.get(name.replace("_", "-").lower())
    if found is None:
        raise PublishError(f"unknown edition {name!r} (this project has: {', '.join(known)})")
    return found


_DESCRIBE = {"publish": "publish's own code", "pandoc": "pandoc", "reading": "normalisation or segmentation settings",
             "metadata": "the project metadata in publish.yml", "pdf": "the PDF settings",
             "weasyprint": "WeasyPrint", "fonts": "the fonts", "images": "a picture under source/",
             "missing": "the pictures missing from the last build", "cover": "the cover",
             "links": "the other editions or this edition's files"}
IMAGE_SUFFIXES = set(images.TYPES)  # the pictures an edition embeds: no other file under source/ is read
_PDF_LIBRARIES = ("weasyprint", "pydyf", "fontTools", "tinycss2", "cssselect2")
_SET_IN_FONTS = ("pdf", "epub", "cover")   # outputs whose font files are part of their key


def _licence(licence) -> list | None:
    return [licence.name, licence.url] if licence else None


class _Inputs:
    """Digests of the inputs, each computed once per build."""

    def __init__(self, project: Project):
        self.project = project
        self._files: dict[Path, str] = {}
        p = project
        self.common = {
            "publish": cache.package_digest(),
            "pandoc": cache.pandoc_identity(),
            "reading": cache.of_value([p.source_language, p.normalize, p.segmentation, p.abbreviations]),
            "metadata": cache.of_value([p.title, p.subtitle, p.author, p.organisation, p.edition, p.identifier,
                                        p.build_date(), p.source_language, p.publisher, p.translators, p.rights,
                                        _licence(p.licence), p.description, p.keywords]),
        }
        self._pdf: dict[str, str] | None = None
        self._images: str | None = None
        self._drawn: str | None = None

    @property
    def images(self) -> str:
        """Pictures under source/ (which the PDF may embed), by ``stat``:
        listed once per build, without knowing which document shows which."""
        if self._images is None:
            found = [(p.relative_to(self.project.root).as_posix(), cache.stat_sig(p))
                     for p in sorted((self.project.root / "source").rglob("*"))
                     if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
            self._images = cache.of_value(found)
        return self._images

    def file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = cache.file_digest(path)
        return self._files[path]

    def parts(self, doc: Document, languages: tuple[str, ...], fmt: str, fonts: list[str]) -> dict[str, str]:
        p = self.project
        parts = dict(self.common)
        parts["source"] = self.file(doc.source)
        parts["metadata"] = cache.of_value([self.common["metadata"], p.titles(doc), p.subtitles(doc), doc.author,
                                            doc.date, doc.description, doc.keywords, doc.translators, doc.rights,
                                            _licence(doc.licence), doc.isbn])
        parts["images"] = self.images
        for lang in languages:
            if lang != p.source_language:
                parts[f"po:{lang}"] = self.file(p.po_path(doc, lang))
        if fmt == "pdf":
            if self._pdf is None:
                self._pdf = {"pdf": cache.of_value([p.paper, p.pdf_ua, p.pdf_cover]),
                             "weasyprint": cache.library_identity(*_PDF_LIBRARIES)}
            parts.update(self._pdf)
        if fmt in _SET_IN_FONTS:
            parts["fonts"] = cache.of_value([(f, cache.stat_sig(f)) for f in fonts])
        if fmt in ("epub", "cover") or (fmt == "pdf" and p.pdf_cover):
            parts["cover"] = self.cover(doc, languages[-1])
        return parts

    def cover(self, doc: Document, lang: str) -> str:
        """The cover's picture, or (a cover set here) what draws it."""
        from .render import cover
        path = cover.configured(self.project, doc, lang)
        if path is not None:
            return cache.of_value([path.relative_to(self.project.root).as_posix(), self.file(path)])
        if self._drawn is None:
            self._drawn = cache.of_value(["drawn", cache.library_identity("PIL", "fontTools")])
        return self._drawn

    def progress_key(self, doc: Document, lang: str) -> str:
        # with the title, subtitle, author and organisation publish.yml gives: whether the
        # edition prints them untranslated, remembered with the progress, depends on them too
        p = self.project
        return cache.of_value([self.common["publish"], self.common["reading"], self.file(doc.source),
                               self.file(p.po_path(doc, lang)),
                               [p.titles(doc), p.subtitles(doc), p.authors(doc), p.organisation]])

    def describe(self, part: str, doc: Document) -> str:
        if part == "source":
            return doc.relsource
        if part.startswith("po:"):
            return str(self.project.po_path(doc, part[3:]).relative_to(self.project.root))
        return _DESCRIBE.get(part, part)


def plan(project: Project, editions: list[str] | None, formats: list[str] | None,
         documents: list[str] | None, manifest: cache.Manifest, force: bool = False,
         inputs: _Inputs | None = None) -> list[Planned]:
    chosen = _chosen(project, editions)
    fmts = formats or list(FORMATS)
    for f in fmts:
        if f not in FORMATS:
            raise PublishError(f"unknown format {f!r} (formats: {', '.join(FORMATS)})")
    docs = [project.document(n) for n in documents] if documents else project.documents
    inputs = inputs or _Inputs(project)
    fmts = list(dict.fromkeys([*fmts, *(c for f in fmts for c in COMPANIONS.get(f, ()))]))
    out = []
    for doc in docs:
        for name, langs in chosen.items():
            for fmt in fmts:
                target = project.build_dir / name / output_name(project, doc, langs[-1], fmt)
                rel = target.relative_to(project.root).as_posix()
                entry = manifest.outputs.get(rel)
                fonts = entry.get("fonts", []) if entry else []
                parts = inputs.parts(doc, langs, fmt, fonts if isinstance(fonts, list) else [])
                if fmt == "html":   # the page links the other editions, its EPUB and PDF, its cover
                    from .render import siblings
                    parts["links"] = siblings.key(project, doc, name, fmts)
                out.append(Planned(doc, name, langs, fmt, target, rel, parts,
                                   _reason(entry, parts, manifest, rel, target, force, inputs, doc)))
    return out


def _reason(entry, parts, manifest, rel, target, force, inputs, doc) -> str | None:
    if force:
        return "forced"
    if entry is None:
        return "not built before" if not target.exists() else "not in the build manifest"
    changed = [k for k in parts if entry["parts"].get(k) != parts[k]]
    changed += [k for k in entry["parts"] if k not in parts]
    if changed:
        return ", ".join(inputs.describe(k, doc) for k in changed) + " changed"
    if not target.exists():
        return "output missing"
    if not manifest.output_intact(rel, target):
        return "output changed since it was built"
    return None


# --- rendering ----------------------------------------------------------------------

def render(a: "asm.Assembled", fmt: str, project: Project) -> bytes:
    if fmt == "html":
        from .render import siblings
        from .render.html import page
        return page(a, "screen", project.paper, **siblings.page_parts(a, project)).encode("utf-8")
    if fmt == "epub":
        from .render.cover import image
        from .render.epub import write
        return write(a, project.build_dir / a.edition.name / f"{a.document.name}.epub", cover=image(a, project))
    if fmt == "pdf":
        from .render.cover import print_page
        from .render.pdf import write
        return write(a, project.root, project.paper, project.pdf_ua,
                     cover=print_page(a, project) if project.pdf_cover else "")
    if fmt == "cover":
        from .render.cover import image
        return image(a, project).data
    raise PublishError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")


def _render(a, fmts: list[str], project: Project) -> list[bytes]:
    # One job is one edition in all its formats: its tree crosses to the
    # worker once, and the page and the PDF share one pandoc run for the
    # body.  ``render`` is looked up when the job runs, so the workers render
    # with whatever ``render`` is in this module then.  The page links its
    # edition's EPUB and PDF if they are made now or are there already
    # (``siblings.downloads``): what is made now is said here.
    a.meta["making"] = " ".join(fmts)
    return [render(a, fmt, project) for fmt in fmts]


def _fonts(languages: tuple[str, ...]) -> list[str]:
    """The font files the output is set in, as fontconfig gives them now."""
    from .render.fonts import family, font_file
    found = []
    for lang in languages:
        name, package = family(lang)
        for style in ("", "bold"):
            try:
                found.append(str(font_file(name, style, package)))
            except PublishError:  # the renderer says so, with the package to install
                pass
    return sorted(set(found))


def _worker_init(parent: int | None = None) -> None:
    import signal
    # Ctrl-C is the parent's to handle: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


def _die_with_parent(parent: int | None) -> None:
    """A parent killed with SIGKILL cannot stop its workers, which would
    render on as orphans for the rest of their job.  On Linux the kernel
    sends this process SIGKILL when the thread that forked it ends
    (PR_SET_PDEATHSIG); with a fork server, that is the fork server, which
    ends with its own parent.  ``parent``: the pid that forked us, checked
    after the call, in case it died before."""
    import sys
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal
    PR_SET_PDEATHSIG = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the pool's own cleanup remains
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def workers_for(jobs: int | None) -> int:
    if jobs:
        return max(1, jobs)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _Serial:
    """The pool's interface, rendering in this process: for one output, for
    -j 1, and where processes would not pay."""

    def __init__(self, done):
        self.done = done

    def submit(self, index, fn, args):
        try:
            self.done.put((index, fn(*args), None))
        except Exception as exc:  # noqa: BLE001 - handed back exactly as a worker's would be
            self.done.put((index, None, exc))

    def close(self):
        pass


class _Threads(_Serial):
    """The same, with each job in one of ``workers`` threads."""

    def __init__(self, workers: int, done):
        from concurrent.futures import ThreadPoolExecutor
        super().__init__(done)
        self.pool = ThreadPoolExecutor(workers)

    def submit(self, index, fn, args):
        self.pool.submit(super().submit, index, fn, args)

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Pool:
    def __init__(self, workers: int, done):
        import multiprocessing
        import threading
        methods = multiprocessing.get_all_start_methods()
        # fork is cheapest (the workers start with our imports), but forking a
        # process that runs other threads (a preview server) can copy a held
        # lock; then a fork server starts clean workers instead.
        method = "fork" if "fork" in methods and threading.active_count() == 1 else \
            ("forkserver" if "forkserver" in methods else None)
        ctx = multiprocessing.get_context(method)
        if method == "fork":
            # imported once here and shared by the forked workers, rather than
            # once in each (half a second of CPU apiece)
            import warnings
            with warnings.catch_warnings():  # "no fonts configured": fonts.require has said it in one line
                warnings.simplefilter("ignore")
                import weasyprint  # noqa: F401
        self.pool = ctx.Pool(workers, initializer=_worker_init, initargs=(os.getpid() if method == "fork" else None,))
        self.done = done

    def submit(self, index, fn, args):
        self.pool.apply_async(fn, args, callback=lambda r: self.done.put((index, r, None)),
                              error_callback=lambda e: self.done.put((index, None, e)))

    def close(self):
        self.pool.terminate()
        self.pool.join()


def build(project: Project, editions: list[str] | None = None, formats: list[str] | None = None,
          documents: list[str] | None = None, strict: bool = False,
          on_output: Callable[[Output], None] | None = None, *, force: bool = False, jobs: int | None = None,
          on_plan: Callable[[list[Planned]], None] | None = None,
          on_start: Callable[[Planned], None] | None = None, keep_going: bool = False) -> BuildResult:
    """Build the chosen editions and formats; ``on_plan`` hears the whole plan
    first, ``on_start`` when an output starts rendering, ``on_output`` when it
    is done or skipped (in the order they finish; ``result.outputs`` is in plan
    order).  A picture of a source that cannot be shown stops the build
    before anything is written; with ``keep_going`` it is a warning and the
    editions show its description, marked."""
    manifest = cache.Manifest.load(project.build_dir)
    inputs = _Inputs(project)
    planned = plan(project, editions, formats, documents, manifest, force, inputs)
    result = BuildResult()

    # Translation progress: remembered with the inputs it was counted from; an
    # edition is assembled just to count only when it is not.
    need: dict[str, set[str]] = {}      # document → editions to assemble
    planned_langs = {p.edition: p.languages for p in planned}
    for p in planned:
        if p.reason is not None:
            need.setdefault(p.document.name, set()).add(p.edition)
    progress_keys = {}
    untitled: dict[tuple[str, str], list[str]] = {}   # (document, language) → what fell back (titles)
    for p in planned:
        for lang in p.languages:
            if lang == project.source_language or (p.document.name, lang) in progress_keys:
                continue
            key = progress_keys[(p.document.name, lang)] = inputs.progress_key(p.document, lang)
            cached = manifest.progress.get(f"{p.document.name}/{lang}")
            if cached and cached["key"] == key:
                result.progress[(p.document.name, lang)] = _stats(cached["counts"])
                untitled[(p.document.name, lang)] = [k for k in cached.get("untranslated", ()) if isinstance(k, str)]
            elif not any(lang in planned_langs[e] for e in need.get(p.document.name, ())):
                need.setdefault(p.document.name, set()).add(p.edition)
    docs = [d for d in dict.fromkeys(p.document for p in planned) if d.name in need]
    stale = [i for i, p in enumerate(planned) if p.reason is not None]
    # A missing font stops the build before anything is written, not after
    # the HTML and EPUB of the same run are.
    pdf_langs = {lang for i in stale if planned[i].format == "pdf" for lang in planned[i].languages}
    if pdf_langs:
        from .render.fonts import require
        require(sorted(pdf_langs))
    outputs: list[Output | None] = [None] * len(planned)

    # Every source to be assembled is read, and its pictures checked, before
    # anything is written; each is read once (``prepared`` takes it from here).
    loaded = {}
    lost: set[str] = set()   # documents built with a picture missing: built again next time
    for doc in docs:
        from . import source   # here: a build with nothing to do reads no source
        src = loaded[doc.name] = source.load(doc.source, project.normalize, doc.relsource, project.trees_dir)
        found = pictures.missing(src.blocks, src.text, doc.source.parent, project.root / "source",
                                 doc.relsource, src.blocks_json)
        if found and not keep_going:
            pictures.refuse(found)
        result.warnings.extend(found)
        if found:
            lost.add(doc.name)

    def skip(i):
        p = planned[i]
        outputs[i] = Output(p.path, p.edition, p.format, False, rendered=False, reason="up to date")
        if on_output:
            on_output(outputs[i])

    def prepared(doc):
        """What every edition of ``doc`` is assembled from: the source and its translations."""
        from . import assemble as asm
        from . import source
        src = loaded.pop(doc.name, None) or \
            source.load(doc.source, project.normalize, doc.relsource, project.trees_dir)
        if src.notice:
            result.notices.append(f"{doc.relsource}: notice: {src.notice}")
        editions = {e.name: e for e in asm.editions(project) if e.name in need[doc.name]}
        langs = sorted({l for e in editions.values() for l in e.languages if l != project.source_language})
        translations = {l: asm.Translations.load(project, doc, l) for l in langs}
        return src, translations, editions

    def assemble_one(doc, prep, name):
        """One edition of ``doc``; its progress recorded."""
        from . import assemble as asm
        src, translations, editions = prep
        a = asm.assemble(project, doc, editions[name], src, translations)
        # Markdown has no picture without "![" (pictures in raw HTML stay HTML);
        # a walk of the tree would take a second at 100× the report
        if "![" in src.text:  # a copy of the whole tree: only for a source that has pictures
            a.blocks = images.inline(a.blocks, doc.source.parent, project.root / "source")
        for lang, prog in a.progress.items():
            result.progress[(doc.name, lang)] = prog
            # the title, subtitle, author, organisation printed untranslated (in the source's language)
            untitled[(doc.name, lang)] = titles.fell_back(a.meta)
            manifest.progress[f"{doc.name}/{lang}"] = {"key": progress_keys.get((doc.name, lang), ""),
                                                       "counts": _counts(prog),
                                                       "untranslated": untitled[(doc.name, lang)]}
        return a

    def assembled(doc):
        """Assemble the editions of ``doc`` that are needed; record progress."""
        prep = prepared(doc)
        return {name: assemble_one(doc, prep, name) for name in prep[2]}

    def check_strict(doc_name):
        if not strict:
            return
        for (dname, lang), prog in sorted(result.progress.items()):
            if dname == doc_name and prog.translated < prog.units:
                doc = project.document(dname)
                raise PublishError(f"{dname} ({lang}): {prog.untranslated} untranslated and {prog.fuzzy} fuzzy "
                                   f"units; --strict builds only complete translations",
                                   path=str(project.po_path(doc, lang).relative_to(project.root)))
            if dname == doc_name and untitled.get((dname, lang)):   # no entry for it in the catalog yet
                doc = project.document(dname)
                [warning, *_] = titles.warnings(untitled[(dname, lang)], project, lang, "")
                raise PublishError(f"{dname} ({lang}): {warning.message}; --strict builds only complete "
                                   f"translations (publish update offers it in the catalog)",
                                   path=str(project.po_path(doc, lang).relative_to(project.root)))

    # --strict refuses before anything is written, so every count must be known first
    early: dict[str, dict] = {}
    if strict:
        for doc in docs:
            early[doc.name] = assembled(doc)
        for doc in dict.fromkeys(p.document for p in planned):
            check_strict(doc.name)

    for doc in docs:  # assembled only to count what is translated
        if doc.name not in early and not any(planned[i].document.name == doc.name for i in stale):
            assembled(doc)
    if on_plan:
        on_plan(planned)
    for i, p in enumerate(planned):
        if p.reason is None:
            skip(i)
    if not stale:
        if docs:
            manifest.save()
        _finish(result, outputs, project, untitled)
        return result

    workers = min(workers_for(jobs), len({(planned[i].document.name, planned[i].edition) for i in stale}))
    with_pdf = any(planned[i].format == "pdf" for i in stale)
    import queue  # here and not above: a build with nothing to do imports nothing it does not use
    done: queue.Queue = queue.Queue()
    # Processes pay for PDFs (WeasyPrint is Python).  HTML and EPUB are pandoc's
    # work, in a process of its own already: threads are enough to keep two
    # pandoc runs going while the next edition is assembled.
    pool = (_Pool(workers, done) if with_pdf else _Threads(workers, done)) if workers > 1 else _Serial(done)
    capacity = 1 if isinstance(pool, _Serial) else workers
    fonts: dict[tuple[str, ...], list[str]] = {}
    try:
        todo = deque()                       # (indices of one edition's outputs, what makes its tree)
        doc_queue = deque(docs)
        running = 0
        while True:
            while running < capacity:
                if not todo:
                    if not doc_queue:
                        break
                    doc = doc_queue.popleft()
                    ready = early.pop(doc.name, None)
                    prep = prepared(doc) if ready is None else None
                    jobs_of: dict[str, list[int]] = {}
                    for i in stale:
                        if planned[i].document.name == doc.name:
                            jobs_of.setdefault(planned[i].edition, []).append(i)
                    if prep is not None:  # editions assembled only for their progress
                        for name in prep[2]:
                            if name not in jobs_of:
                                assemble_one(doc, prep, name)
                    # the bilingual editions, twice the text, first: the others fill in beside them.
                    # Each is assembled when its turn comes, so that one edition's tree, not
                    # all of them, is held at a time (a quarter of a gigabyte each at 100× the report)
                    for name in sorted(jobs_of, key=lambda e: -len(planned[jobs_of[e][0]].languages)):
                        make = functools.partial(assemble_one, doc, prep, name) if ready is None else \
                            functools.partial(ready.pop, name)
                        todo.append((jobs_of[name], make))
                    continue
                indices, make = todo.popleft()
                a = make()
                if on_start:
                    for i in indices:
                        on_start(planned[i])
                pool.submit(indices, _render, (a, [planned[i].format for i in indices], project))
                a = None  # not held while the next edition is assembled
                running += 1
            if not running:
                break
            indices, data, error = done.get()
            running -= 1
            if error is not None:
                raise error
            for i, raw in zip(indices, data):
                p = planned[i]
                if p.format in _SET_IN_FONTS:
                    if p.languages not in fonts:
                        fonts[p.languages] = _fonts(p.languages)
                    p.parts = inputs.parts(p.document, p.languages, p.format, fonts[p.languages])
                if p.document.name in lost:  # not up to date until the picture is found
                    p.parts = {**p.parts, "missing": "yes"}
                written = write_atomic(p.target, raw)
                manifest.record(p.path, p.target, raw, p.parts)
                if p.format in _SET_IN_FONTS:
                    manifest.outputs[p.path]["fonts"] = fonts[p.languages]
                outputs[i] = Output(p.path, p.edition, p.format, written, reason=p.reason or "")
                if on_output:
                    on_output(outputs[i])
    finally:
        pool.close()
        # what was written is remembered even when a later output failed
        manifest.save()
    _finish(result, outputs, project, untitled)
    return result


def _finish(result: BuildResult, outputs: list, project: Project, untitled: dict) -> None:
    result.outputs = [o for o in outputs if o is not None]
    # an edition whose title is printed untranslated says so, each build, as its progress does
    for (name, lang), keys in sorted(untitled.items()):
        path = project.po_path(project.document(name), lang).relative_to(project.root).as_posix()
        result.warnings.extend(titles.warnings(keys, project, lang, path))


def _counts(prog) -> dict[str, int]:
    from dataclasses import asdict
    return {k: int(v) for k, v in asdict(prog).items()}


def _stats(counts: dict):
    from .catalog import Stats
    known = Stats.__dataclass_fields__
    return Stats(**{k: v for k, v in counts.items() if k in known and isinstance(v, int)})

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import cache, pictures, titles
from .config import Document, Project
from .errors import PublishError, PublishWarning
from .files import write_atomic
from .render import images
from .render import COMPANIONS, DEFAULT, FORMATS, NAMED, output_name

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
             "links": "the other editions or this edition's files", "layout": "the figures settings"}
IMAGE_SUFFIXES = set(images.TYPES)  # the pictures an edition embeds: no other file under source/ is read


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
            "layout": cache.of_value([p.figures_numbered]),   # the tree every format prints (layout.py)
            "metadata": cache.of_value([p.title, p.subtitle, p.author, p.organisation, p.edition, p.identifier,
                                        p.build_date(), p.source_language, p.publisher, p.translators, p.rights,
                                        _licence(p.licence), p.description, p.keywords]),
        }
        self._formats: dict[str, dict[str, str]] = {}
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

    def format(self, fmt: str) -> dict[str, str]:
        """What a format's key holds of its own: its settings in publish.yml
        (a part named after it) and the libraries that make it (a part named
        after the first)."""
        if fmt not in self._formats:
            f, out = FORMATS[fmt], {}
            if f.settings:
                out[fmt] = cache.of_value(f.settings(self.project))
            if f.libraries:
                out[f.libraries[0]] = cache.library_identity(*f.libraries)
            self._formats[fmt] = out
        return self._formats[fmt]

    def parts(self, doc: Document, languages: tuple[str, ...], fmt: str, fonts: list[str]) -> dict[str, str]:
        """The key of an output made from the edition's tree."""
        p, f = self.project, FORMATS[fmt]
        parts = dict(self.common)
        parts["source"] = self.file(doc.source)
        parts["metadata"] = cache.of_value([self.common["metadata"], p.titles(doc), p.subtitles(doc), doc.author,
                                            doc.date, doc.description, doc.keywords, doc.translators, doc.rights,
                                            _licence(doc.licence), doc.isbn])
        parts["images"] = self.images
        for lang in languages:
            if lang != p.source_language:
                parts[f"po:{lang}"] = self.file(p.po_path(doc, lang))
        parts.update(self.format(fmt))
        if f.fonts:
            parts["fonts"] = cache.of_value([(f, cache.stat_sig(f)) for f in fonts])
        if f.cover(p):
            parts["cover"] = self.cover(doc, languages[-1])
        return parts

    def derived(self, fmt: str, made_from: str, made_from_digest: str) -> dict[str, str]:
        """The key of an output made from another file (the booklet from the
        PDF): everything the text, the translations and the settings change
        reaches it through that file's bytes (``file:<path>``)."""
        return {"publish": self.common["publish"], **self.format(fmt), f"file:{made_from}": made_from_digest}

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
        if part.startswith("file:"):
            return part[5:]
        if part in FORMATS and part not in _DESCRIBE:
            return f"the {part} settings"
        return _DESCRIBE.get(part, part)


def formats_of(formats: list[str] | None) -> list[str]:
    """The formats a build makes, in plan order: those asked for (or the
    default ones), each after the file it is made from, and their companions
    last."""
    asked = formats or list(DEFAULT)
    for f in asked:
        if f not in NAMED:
            raise PublishError(f"unknown format {f!r} (formats: {', '.join(NAMED)})")
    out = []
    for f in asked:
        made_from = FORMATS[f].made_from
        out += [made_from, f] if made_from else [f]
    out += [c for f in out for c in COMPANIONS.get(f, ())]
    return list(dict.fromkeys(out))


def plan(project: Project, editions: list[str] | None, formats: list[str] | None,
         documents: list[str] | None, manifest: cache.Manifest, force: bool = False,
         inputs: _Inputs | None = None) -> list[Planned]:
    """Every output asked for, with what it is made from and why it must be
    rendered; reads digests and the manifest, renders nothing."""
    chosen = _chosen(project, editions)
    fmts = formats_of(formats)
    docs = [project.document(n) for n in documents] if documents else project.documents
    inputs = inputs or _Inputs(project)
    out = []
    for doc in docs:
        for name, langs in chosen.items():
            made: dict[str, Planned] = {}
            for fmt in fmts:
                target = project.build_dir / name / output_name(project, doc, langs[-1], fmt)
                rel = target.relative_to(project.root).as_posix()
                entry = manifest.outputs.get(rel)
                made_from = FORMATS[fmt].made_from
                if made_from:
                    source = made[made_from]   # formats_of put it first
                    # a file about to be rendered again is new bytes: known when it is made
                    known = "" if source.reason is not None else manifest.outputs[source.path]["sha256"]
                    parts = inputs.derived(fmt, source.path, known)
                else:
                    fonts = entry.get("fonts", []) if entry else []
                    parts = inputs.parts(doc, langs, fmt, fonts if isinstance(fonts, list) else [])
                if FORMATS[fmt].links:   # the page links the other editions, its EPUB and PDF, its cover
                    from .render import siblings
                    parts["links"] = siblings.key(project, doc, name, fmts)
                made[fmt] = Planned(doc, name, langs, fmt, target, rel, parts,
                                    _reason(entry, parts, manifest, rel, target, force, inputs, doc))
                out.append(made[fmt])
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


@dataclass
class Task:
    """One job for a worker: the outputs of one edition of one document that
    must be rendered, in plan order (``outputs``: indices into the plan).
    They are made from the edition's assembled tree if any needs it
    (``tree``), and from files already built (``given``: format → path),
    such as an up-to-date PDF a booklet is imposed from."""
    document: Document
    edition: str
    outputs: list[int]
    tree: bool
    given: dict[str, Path]


def tasks(planned: list[Planned]) -> list[Task]:
    """The jobs that render the plan's stale outputs: one per edition, in the
    plan's order of documents, each document's bilingual editions (twice the
    text) first, so that the others fill in beside them."""
    by_edition: dict[tuple[str, str], list[int]] = {}
    where: dict[tuple[str, str, str], Planned] = {}
    for i, p in enumerate(planned):
        where[(p.document.name, p.edition, p.format)] = p
        if p.reason is not None:
            by_edition.setdefault((p.document.name, p.edition), []).append(i)
    out = []
    for (doc, edition), indices in by_edition.items():
        fmts = [planned[i].format for i in indices]
        sources = [FORMATS[f].made_from for f in fmts]
        given = {s: where[(doc, edition, s)].target for s in sources if s and s not in fmts}
        out.append(Task(planned[indices[0]].document, edition, indices, None in sources, given))
    order = {name: k for k, name in enumerate(dict.fromkeys(p.document.name for p in planned))}
    out.sort(key=lambda t: (order[t.document.name], -len(planned[t.outputs[0]].languages)))
    return out


# --- rendering ----------------------------------------------------------------------

def render(made_from, fmt: str, project: Project) -> bytes:
    """One output: from the assembled edition, or from the bytes of the file
    its format is made from (``render.FORMATS``)."""
    if fmt not in FORMATS:
        raise PublishError(f"unknown format {fmt!r} (formats: {', '.join(NAMED)})")
    return FORMATS[fmt].renderer()(made_from, project)


def _render(a, fmts: list[str], project: Project, given: dict[str, bytes] | None = None) -> list[bytes]:
    # One job is one edition in all its formats: its tree crosses to the
    # worker once, and the page and the PDF share one pandoc run for the
    # body; a format made from another's file gets the bytes just made (or
    # ``given``, read from build/).  ``render`` is looked up when the job
    # runs, so the workers render with whatever ``render`` is in this module
    # then.  The page links its edition's EPUB and PDF if they are made now
    # or are there already (``siblings.downloads``): what is made now is said here.
    made = dict(given or {})
    if a is not None:
        a.meta["making"] = " ".join(fmts)
    for fmt in fmts:
        source = FORMATS[fmt].made_from
        made[fmt] = render(a if source is None else made[source], fmt, project)
    return [made[f] for f in fmts]


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


def execute(jobs: Iterable[tuple[Any, Callable[[], tuple[Callable, tuple]]]], pool, capacity: int,
            finished: Callable[[Any, Any], None]) -> None:
    """Run ``jobs`` (key, make) on ``pool``, at most ``capacity`` at once.  A
    job's arguments are made (``make()`` → function, arguments) only when a
    slot is free, so that one edition's tree, not all of them, is held at a
    time (a quarter of a gigabyte each at 100× the report).  ``finished``
    hears each result as it arrives; the first error is raised."""
    pending = iter(jobs)
    running, more = 0, True
    while True:
        while more and running < capacity:
            job = next(pending, None)
            if job is None:
                more = False
                break
            key, make = job
            fn, args = make()
            pool.submit(key, fn, args)
            del args  # not held while the next edition is assembled
            running += 1
        if not running:
            return
        key, data, error = pool.done.get()
        running -= 1
        if error is not None:
            raise error
        finished(key, data)


def _pool_for(work: list[Task], planned: list[Planned], jobs: int | None):
    """Processes pay for PDFs (WeasyPrint is Python).  HTML and EPUB are
    pandoc's work, in a process of its own already: threads are enough to
    keep two pandoc runs going while the next edition is assembled.  One
    job, or -j 1: in this process."""
    import queue  # here and not above: a build with nothing to do imports nothing it does not use
    done: queue.Queue = queue.Queue()
    workers = min(workers_for(jobs), len(work))
    if workers == 1:
        return _Serial(done), 1
    processes = any(FORMATS[planned[i].format].processes for t in work for i in t.outputs)
    return (_Pool(workers, done) if processes else _Threads(workers, done)), workers


class _Editions:
    """The editions a build assembles, and the translation progress it
    reports: a source is read once, an edition assembled when its job's turn
    comes (or before anything is written, for --strict), and progress taken
    from the manifest when it was counted from the same inputs."""

    def __init__(self, project: Project, manifest: cache.Manifest, inputs: _Inputs, result: BuildResult):
        self.project, self.manifest, self.inputs, self.result = project, manifest, inputs, result
        self.need: dict[str, set[str]] = {}       # document → editions to assemble
        self.keys: dict[tuple[str, str], str] = {}
        self.untitled: dict[tuple[str, str], list[str]] = {}   # (document, language) → what fell back (titles)
        self.loaded: dict = {}
        self.lost: set[str] = set()   # documents built with a picture missing: built again next time
        self.early: dict[str, dict] = {}

    def count(self, planned: list[Planned], work: list[Task]) -> None:
        """Take each (document, language)'s progress from the manifest, or
        decide to assemble an edition just to count it."""
        project, result = self.project, self.result
        for t in work:
            if t.tree:
                self.need.setdefault(t.document.name, set()).add(t.edition)
        languages = {p.edition: p.languages for p in planned}
        for p in planned:
            for lang in p.languages:
                if lang == project.source_language or (p.document.name, lang) in self.keys:
                    continue
                key = self.keys[(p.document.name, lang)] = self.inputs.progress_key(p.document, lang)
                cached = self.manifest.progress.get(f"{p.document.name}/{lang}")
                if cached and cached["key"] == key:
                    result.progress[(p.document.name, lang)] = _stats(cached["counts"])
                    self.untitled[(p.document.name, lang)] = [k for k in cached.get("untranslated", ())
                                                              if isinstance(k, str)]
                elif not any(lang in languages[e] for e in self.need.get(p.document.name, ())):
                    self.need.setdefault(p.document.name, set()).add(p.edition)
        self.documents = [d for d in dict.fromkeys(p.document for p in planned) if d.name in self.need]

    def load(self, keep_going: bool) -> None:
        """Every source to be assembled is read, and its pictures checked,
        before anything is written; each is read once (``prepared`` takes it)."""
        for doc in self.documents:
            from . import source   # here: a build with nothing to do reads no source
            src = self.loaded[doc.name] = source.load(doc.source, self.project.normalize, doc.relsource,
                                                      self.project.trees_dir)
            found = pictures.missing(src.blocks, src.text, doc.source.parent, self.project.root / "source",
                                     doc.relsource, src.blocks_json)
            if found and not keep_going:
                pictures.refuse(found)
            self.result.warnings.extend(found)
            if found:
                self.lost.add(doc.name)

    def prepared(self, doc: Document):
        """What every edition of ``doc`` is assembled from: the source and its translations."""
        from . import assemble as asm
        from . import source
        project = self.project
        src = self.loaded.pop(doc.name, None) or \
            source.load(doc.source, project.normalize, doc.relsource, project.trees_dir)
        if src.notice:
            self.result.notices.append(f"{doc.relsource}: notice: {src.notice}")
        editions = {e.name: e for e in asm.editions(project) if e.name in self.need[doc.name]}
        langs = sorted({l for e in editions.values() for l in e.languages if l != project.source_language})
        translations = {l: asm.Translations.load(project, doc, l) for l in langs}
        return src, translations, editions

    def assemble(self, doc: Document, prep, name: str) -> "asm.Assembled":
        """One edition of ``doc``; its progress recorded."""
        from . import assemble as asm
        src, translations, editions = prep
        project = self.project
        a = asm.assemble(project, doc, editions[name], src, translations)
        # Markdown has no picture without "![" (pictures in raw HTML stay HTML);
        # a walk of the tree would take a second at 100× the report
        if "![" in src.text:  # a copy of the whole tree: only for a source that has pictures
            a.blocks = images.inline(a.blocks, doc.source.parent, project.root / "source")
        for lang, prog in a.progress.items():
            self.result.progress[(doc.name, lang)] = prog
            # the title, subtitle, author, organisation printed untranslated (in the source's language)
            self.untitled[(doc.name, lang)] = titles.fell_back(a.meta)
            self.manifest.progress[f"{doc.name}/{lang}"] = {"key": self.keys.get((doc.name, lang), ""),
                                                            "counts": _counts(prog),
                                                            "untranslated": self.untitled[(doc.name, lang)]}
        return a

    def all(self, doc: Document) -> dict:
        """Every edition of ``doc`` that is needed, assembled."""
        prep = self.prepared(doc)
        return {name: self.assemble(doc, prep, name) for name in prep[2]}

    def strict(self, planned: list[Planned]) -> None:
        """--strict refuses before anything is written, so every count must be known first."""
        for doc in self.documents:
            self.early[doc.name] = self.all(doc)
        project = self.project
        for doc in dict.fromkeys(p.document for p in planned):
            for (dname, lang), prog in sorted(self.result.progress.items()):
                if dname != doc.name:
                    continue
                path = str(project.po_path(doc, lang).relative_to(project.root))
                if prog.translated < prog.units:
                    raise PublishError(f"{dname} ({lang}): {prog.untranslated} untranslated and {prog.fuzzy} "
                                       f"fuzzy units; --strict builds only complete translations", path=path)
                if self.untitled.get((dname, lang)):   # no entry for it in the catalog yet
                    [warning, *_] = titles.warnings(self.untitled[(dname, lang)], project, lang, "")
                    raise PublishError(f"{dname} ({lang}): {warning.message}; --strict builds only complete "
                                       f"translations (publish update offers it in the catalog)", path=path)

    def count_only(self, work: list[Task]) -> None:
        """The documents assembled only to count what is translated."""
        rendered = {t.document.name for t in work if t.tree}
        for doc in self.documents:
            if doc.name not in self.early and doc.name not in rendered:
                self.all(doc)

    def trees(self, doc: Document, work: list[Task]) -> Callable[[str], "asm.Assembled"]:
        """A document's turn: what makes each edition's tree when its job
        starts.  Editions needed only for their progress are assembled now."""
        ready = self.early.pop(doc.name, None)
        if ready is not None:
            return ready.pop
        prep = self.prepared(doc)
        jobs = {t.edition for t in work if t.document.name == doc.name and t.tree}
        for name in prep[2]:
            if name not in jobs:
                self.assemble(doc, prep, name)
        return functools.partial(self.assemble, doc, prep)


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
    work = tasks(planned)
    result = BuildResult()
    eds = _Editions(project, manifest, inputs, result)
    eds.count(planned, work)
    # A missing font stops the build before anything is written, not after
    # the HTML and EPUB of the same run are.
    font_langs = {lang for t in work for i in t.outputs if FORMATS[planned[i].format].needs_fonts
                  for lang in planned[i].languages}
    if font_langs:
        from .render.fonts import require
        require(sorted(font_langs))
    eds.load(keep_going)
    if strict:
        eds.strict(planned)
    eds.count_only(work)

    outputs: list[Output | None] = [None] * len(planned)

    def done(i: int, written: bool) -> None:
        p = planned[i]
        outputs[i] = Output(p.path, p.edition, p.format, written, rendered=p.reason is not None,
                            reason=p.reason or "up to date")
        if on_output:
            on_output(outputs[i])

    if on_plan:
        on_plan(planned)
    for i, p in enumerate(planned):
        if p.reason is None:
            done(i, False)
    if not work:
        if eds.documents:
            manifest.save()
        _finish(result, outputs, project, eds.untitled)
        return result

    def jobs_to_run():
        turn: dict[str, Callable] = {}
        for t in work:
            if t.tree and t.document.name not in turn:
                turn[t.document.name] = eds.trees(t.document, work)

            def make(t=t):
                a = turn[t.document.name](t.edition) if t.tree else None
                given = {f: _read(path, project) for f, path in t.given.items()}
                if on_start:
                    for i in t.outputs:
                        on_start(planned[i])
                return _render, (a, [planned[i].format for i in t.outputs], project, given)
            yield t, make

    fonts: dict[tuple[str, ...], list[str]] = {}

    def store(t: Task, data: list[bytes]) -> None:
        made = {planned[i].format: (planned[i], raw) for i, raw in zip(t.outputs, data)}
        for i, raw in zip(t.outputs, data):
            p = planned[i]
            f = FORMATS[p.format]
            if f.made_from in made:   # its key: the bytes it was made from, known now
                source, source_raw = made[f.made_from]
                p.parts = inputs.derived(p.format, source.path, cache.digest(source_raw))
            elif f.fonts:   # its key: the font files fontconfig gave, known now
                if p.languages not in fonts:
                    fonts[p.languages] = _fonts(p.languages)
                p.parts = {**p.parts, **inputs.parts(p.document, p.languages, p.format, fonts[p.languages])}
            if p.document.name in eds.lost and f.made_from is None:  # not up to date until the picture is found
                p.parts = {**p.parts, "missing": "yes"}
            written = write_atomic(p.target, raw)
            manifest.record(p.path, p.target, raw, p.parts)
            if f.fonts:
                manifest.outputs[p.path]["fonts"] = fonts[p.languages]
            done(i, written)

    pool, capacity = _pool_for(work, planned, jobs)
    try:
        execute(jobs_to_run(), pool, capacity, store)
    finally:
        pool.close()
        # what was written is remembered even when a later output failed
        manifest.save()
    _finish(result, outputs, project, eds.untitled)
    return result


def _read(path: Path, project: Project) -> bytes:
    """A file built before that another is made from (checked at planning)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PublishError(f"cannot read ({exc.strerror or exc}); build it again with --force",
                           path=path.relative_to(project.root).as_posix()) from None


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

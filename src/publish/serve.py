"""``publish serve``: a live preview for translators.

A translator saves a PO file in Poedit and sees the sentence in place a
moment later: a watcher polls the modification times of ``source/``,
``translations/`` and ``publish.yml`` every 200 ms, rebuilds the HTML of
what changed (``publish.build.build`` with ``formats=["html"]``), and tells
the open pages by Server-Sent Events; a page whose file changed reloads
itself, keeping its scroll position.

Polling, not inotify (``watchfiles``): the trees are small (a few files), a
stat per file per 200 ms costs nothing, and it works the same on network
folders and in containers, with no dependency.

Two things are added to every page as it is *served*, never to the edition
on disk: a small script (reload, an error bar, and a panel that shows where a
clicked sentence lives: PO file, line, msgctxt, msgid) and a style sheet that
makes untranslated and fuzzy units stand out.  The unit → PO location map
comes from ``/_publish/units/<edition>/<document>.json``.

Only files under build/ are served; the server listens on 127.0.0.1 unless
told otherwise.
"""
from __future__ import annotations

import html
import ipaddress
import json
import posixpath
import sys
import threading
import time
import traceback
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .config import CONFIG_NAME, Project
from .errors import PublishError

POLL_SECONDS = 0.2
SETTLE_SECONDS = 0.1     # an editor may write a file in more than one go
KEEPALIVE_SECONDS = 15
# A client has this long for each read or write (a request line, a header, a
# body, a keep-alive pause): a half-sent request cannot hold a thread for good.
REQUEST_TIMEOUT = 10
# At most this many connections are handled at once (each holds a thread; an
# open page holds one for its event stream, and a browser opens at most six
# per host).  More wait in the listen backlog, holding nothing.
MAX_HANDLERS = 32
LISTEN_BACKLOG = 128
WATCHED_SUFFIXES = (".md", ".po", ".pot", ".yml", ".yaml")
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8", ".json": "application/json",
                 ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".gif": "image/gif", ".webp": "image/webp", ".pdf": "application/pdf",
                 ".epub": "application/epub+zip", ".woff2": "font/woff2", ".ttf": "font/ttf"}


# --- what changed, what to rebuild --------------------------------------------------------

def snapshot(root: Path) -> dict[str, int]:
    """path (relative, posix) → mtime_ns of every watched file."""
    out = {}
    for top in ("source", "translations"):
        base = root / top
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.suffix in WATCHED_SUFFIXES and path.is_file():
                try:
                    out[path.relative_to(root).as_posix()] = path.stat().st_mtime_ns
                except FileNotFoundError:  # removed between the walk and the stat (an editor's temp file)
                    pass
    try:
        out[CONFIG_NAME] = (root / CONFIG_NAME).stat().st_mtime_ns
    except FileNotFoundError:
        pass
    return out


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@dataclass
class Plan:
    """One call of build(): which documents, which editions (None: all)."""
    documents: list[str]
    editions: list[str] | None


def plan(project: Project, paths: set[str]) -> list[Plan]:
    """The smallest rebuilds that cover the changed files."""
    if CONFIG_NAME in paths:
        return [Plan([d.name for d in project.documents], None)]
    src = project.source_language
    whole: set[str] = set()
    per_lang: dict[str, set[str]] = {}
    for doc in project.documents:
        if doc.relsource in paths:
            whole.add(doc.name)
        for lang in project.target_languages:
            if project.po_path(doc, lang).relative_to(project.root).as_posix() in paths:
                per_lang.setdefault(doc.name, set()).update({lang, f"{src}-{lang}"})
    out = [Plan(sorted(whole), None)] if whole else []
    # the parallel text first: it is the page a translator watches (a name
    # with a "-" may be one language: pt-BR; fa-pt-BR is the parallel text)
    from .build import edition_languages
    known = edition_languages(project)
    for parallel in (True, False):
        for name, editions in sorted(per_lang.items()):
            if name not in whole:
                out.append(Plan([name], sorted(e for e in editions if (len(known[e]) > 1) == parallel)))
    return out


# --- unit → PO location ------------------------------------------------------------------

def unit_locations(project: Project, document: str, lang: str) -> dict[str, dict]:
    """data-u → what a translator needs about the unit: its PO file and line,
    msgctxt, msgid, state, its translation and flags, what ``check`` finds in
    it and the glossary terms it holds.

    ``data-u`` numbers the units in the order assembly visits them (a
    footnote's units before the sentence that calls it), so the same walk is
    replayed here rather than counted from the template."""
    from . import catalog, check, glossary, source, units
    doc = project.document(document)
    src = source.load(doc.source, project.normalize, doc.relsource, project.trees_dir)
    order: list[units.Unit] = []

    def record(unit, piece, notes):
        order.append(unit)
        return piece

    units.rebuild(src.blocks, record, project.segmentation == "sentence", project.abbreviations)
    path = project.po_path(doc, lang)
    rel = path.relative_to(project.root).as_posix()
    entries = {}
    findings: dict[str, list[dict]] = {}
    terms = glossary.load(project.glossary_path, project.source_language, project.normalize)
    if path.exists():
        po = catalog.read(path, rel)
        # the units' entries: not the title's (a msgctxt), which may have a heading's words
        entries = {e.msgid: e for e in po if not e.obsolete and e.msgid and e.msgctxt is None}
        for f in check.check_catalog(po, rel, lang, project.source_language, terms):
            if f.check not in ("untranslated", "fuzzy"):   # the state says so already
                findings.setdefault(f.msgid, []).append({"check": f.check, "severity": f.severity,
                                                         "message": f.message})
    out = {}
    for n, unit in enumerate(order, 1):
        if not unit.translatable:
            continue
        e = entries.get(unit.msgid)
        state = "untranslated" if e is None or not e.msgstr else ("fuzzy" if "fuzzy" in e.flags else "translated")
        out[str(n)] = {"po": rel, "line": e.linenum if e is not None else None,
                       "msgctxt": e.msgctxt if e is not None else None, "msgid": unit.msgid,
                       "msgstr": e.msgstr if e is not None else "",
                       "flags": [f for f in (e.flags if e is not None else []) if f != "fuzzy"],
                       "findings": findings.get(unit.msgid, []),
                       "terms": [{"term": t.term, "target": t.targets.get(lang, "")}
                                 for t in glossary.terms_in(unit.msgid, terms)],
                       "state": state, "source": f"{doc.relsource}:{unit.line}" if unit.line else doc.relsource,
                       "where": unit.position}
    return out


# --- the injected script and style ----------------------------------------------------------

_STYLE = """<style id="publish-preview-style">
.u.untranslated, .u.fuzzy { outline: 1px dashed #b08a1e; outline-offset: 1px; }
.u.fuzzy { outline-color: #c0552b; }
.u[data-u] { cursor: pointer; }
.u.publish-picked { box-shadow: 0 0 0 2px #1f4e8c; border-radius: 2px; }
#publish-bar { position: fixed; inset: auto 0 0 0; z-index: 2147483647; margin: 0; padding: 0.6em 1em;
  background: #8f1d1d; color: #fff; font: 14px/1.4 "DejaVu Sans Mono", monospace; direction: ltr;
  text-align: left; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 -2px 8px rgba(0,0,0,.25); }
#publish-unit { position: fixed; right: 1em; bottom: 1em; z-index: 2147483646; max-width: min(32em, calc(100vw - 2em));
  max-height: 45vh; overflow: auto; background: #fff; color: #1b1b1b; border: 1px solid #c9c3b8; border-radius: 6px;
  box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 0.7em 2.2em 0.7em 0.9em; direction: ltr; text-align: left;
  font: 14px/1.45 "Noto Sans", "DejaVu Sans", sans-serif; }
#publish-unit dt, #publish-unit dd, #publish-unit button { font-family: "Noto Sans", "DejaVu Sans", sans-serif; line-height: 1.45; }
#publish-unit dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 0.8em; }
#publish-unit dt { color: #5c5c5c; }
#publish-unit dd { margin: 0; overflow-wrap: anywhere; }
#publish-unit dd.msgid, #publish-unit dd.term { font-family: "Noto Naskh Arabic", "Noto Sans", serif; font-size: 1.12em; line-height: 1.7; text-align: start; unicode-bidi: plaintext; }
#publish-unit dd.msgstr { unicode-bidi: plaintext; text-align: start; }
#publish-unit dd.finding.error { color: #8f1d1d; }
#publish-unit dd.finding.warning { color: #7a5a00; }
#publish-toolbar { position: fixed; top: 0.5em; right: 0.5em; z-index: 2147483645; direction: ltr; text-align: left;
  font: 13px/1.4 "Noto Sans", "DejaVu Sans", sans-serif; background: rgba(255,255,255,.95); color: #1b1b1b;
  border: 1px solid #c9c3b8; border-radius: 6px; padding: 0.35em 0.6em; box-shadow: 0 2px 8px rgba(0,0,0,.12);
  display: flex; flex-wrap: wrap; gap: 0.3em 0.8em; align-items: center; max-width: calc(100vw - 1em); }
#publish-toolbar select { font: inherit; }
#publish-toolbar a { color: #1f4e8c; }
#publish-toolbar .key { display: inline-block; width: 1.6em; height: 0.9em; vertical-align: middle; margin-right: 0.3em;
  outline: 1px dashed #b08a1e; outline-offset: -2px; }
#publish-toolbar .key.fuzzy { outline-color: #c0552b; }
@media print { #publish-toolbar, #publish-unit, #publish-bar { display: none; } }
#publish-unit code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; user-select: all; }
#publish-unit button { position: absolute; top: 0.3em; right: 0.4em; border: 0; background: none; font-size: 1.2em;
  cursor: pointer; color: #5c5c5c; }
body.publish-has-bar #publish-unit { bottom: 5.5em; }
@media (max-width: 30em) { #publish-unit { left: 0.5em; right: 0.5em; bottom: 0.5em; max-width: none; } }
</style>"""

_SCRIPT = """<script id="publish-preview">
(function () {
  var here = location.pathname;
  var parts = here.split('/').filter(Boolean);
  var units = null;
  try {
    var y = sessionStorage.getItem('publish-scroll:' + here);
    if (y !== null) { sessionStorage.removeItem('publish-scroll:' + here);
      window.addEventListener('load', function () { window.scrollTo(0, +y); }); }
  } catch (e) {}
  function bar(message) {
    var el = document.getElementById('publish-bar');
    document.body.classList.toggle('publish-has-bar', !!message);
    if (!message) { if (el) el.remove(); return; }
    if (!el) { el = document.createElement('p'); el.id = 'publish-bar'; el.setAttribute('role', 'alert');
      document.body.appendChild(el); }
    el.textContent = 'publish: ' + message;
  }
  // the version this page was served at: changes made before the stream
  // opened are not lost
  var source = new EventSource('/_publish/events?since=__VERSION__');
  source.addEventListener('reload', function (ev) {
    var data = JSON.parse(ev.data);
    if (data.paths.indexOf(here) >= 0) {
      try { sessionStorage.setItem('publish-scroll:' + here, String(window.scrollY)); } catch (e) {}
      source.close();
      location.reload();
    } else { bar(null); }
  });
  source.addEventListener('problem', function (ev) { bar(JSON.parse(ev.data).message); });
  source.addEventListener('ok', function () { bar(null); });
  window.addEventListener('beforeunload', function () { source.close(); });

  function show(el, info) {
    var box = document.getElementById('publish-unit');
    if (!box) { box = document.createElement('aside'); box.id = 'publish-unit'; box.setAttribute('aria-live', 'polite');
      document.body.appendChild(box); }
    document.querySelectorAll('.publish-picked').forEach(function (m) { m.classList.remove('publish-picked'); });
    document.querySelectorAll('.u[data-u="' + el.dataset.u + '"]').forEach(function (m) { m.classList.add('publish-picked'); });
    box.textContent = '';
    var close = document.createElement('button'); close.type = 'button'; close.textContent = '\u00d7';
    close.setAttribute('aria-label', 'close');
    close.onclick = function () { box.remove(); document.querySelectorAll('.publish-picked').forEach(function (m) {
      m.classList.remove('publish-picked'); }); };
    var dl = document.createElement('dl');
    function row(label, text, cls, code) {
      if (text === null || text === undefined || text === '') return;
      var dt = document.createElement('dt'); dt.textContent = label;
      var dd = document.createElement('dd'); if (cls) dd.className = cls;
      var inner = code ? document.createElement('code') : dd; inner.textContent = text;
      if (code) dd.appendChild(inner);
      dl.appendChild(dt); dl.appendChild(dd);
    }
    if (!info) { row('unit', el.dataset.u + ' (not translatable)'); }
    else {
      row('PO file', info.po + (info.line ? ':' + info.line : ' (not in the catalog yet: run publish update)'), 'po', true);
      row('state', info.state + (info.flags && info.flags.length ? ' (' + info.flags.join(', ') + ')' : ''));
      row('msgctxt', info.msgctxt, null, true);
      row('msgid', info.msgid, 'msgid');
      row('msgstr', info.msgstr, 'msgstr');
      (info.findings || []).forEach(function (f) { row(f.severity, f.message + ' [' + f.check + ']', 'finding ' + f.severity); });
      (info.terms || []).forEach(function (t) { row('glossary', t.term + ' = ' + (t.target || '(no entry for this language)'), 'term'); });
      row('source', info.source + ' \u2014 ' + info.where, null, true);
    }
    box.appendChild(close); box.appendChild(dl);
  }
  var nav = document.getElementById('publish-toolbar');
  if (nav) nav.addEventListener('change', function (ev) {
    var which = ev.target.dataset.go; if (!which || !ev.target.value) return;
    var edition = which === 'edition' ? ev.target.value : (nav.dataset.edition || nav.querySelector('[data-go=edition]').value);
    var doc = which === 'doc' ? ev.target.value : nav.dataset.doc;
    if (!edition) edition = nav.querySelector('[data-go=edition] option[value]:not([value=""])').value;
    location.href = '/' + encodeURIComponent(edition) + '/' + encodeURIComponent(doc) + '.html' + location.hash;
  });
  if (parts.length === 2 && /\\.html$/.test(parts[1])) {
    var edition = parts[0], doc = parts[1].replace(/\\.html$/, '');
    document.addEventListener('click', function (ev) {
      var el = ev.target.closest && ev.target.closest('.u[data-u]');
      if (!el) return;
      function go() { show(el, units[el.dataset.u]); }
      if (units) return go();
      fetch('/_publish/units/' + edition + '/' + doc + '.json').then(function (r) { return r.json(); })
        .then(function (data) { if (data.error) { bar(data.error); return; } units = data.units; go(); });
    }, true);
  }
})();
</script>"""


_MISSING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not built yet</title></head>
<body style="font: 16px/1.5 sans-serif; max-width: 34em; margin: 3em auto; padding: 0 1em">
<h1>{path} is not built yet</h1>
<p>This page reloads by itself once it is. If a catalog or source has an error, it is shown below.</p>
</body></html>
"""


def toolbar(project: Project, url_path: str) -> str:
    """The preview's own bar on every page: the document and the edition to
    show (each a list of what the project defines), links to every file and
    to the progress page, and what the outlines mean."""
    from .build import edition_languages
    parts = [p for p in url_path.split("/") if p]
    edition, doc = (parts[0], parts[1][:-len(".html")]) if len(parts) == 2 and parts[1].endswith(".html") else ("", "")
    docs = [d.name for d in project.documents]
    editions = list(edition_languages(project))

    def options(values, chosen):
        blank = "" if chosen in values else '<option value="" selected>—</option>'
        return blank + "".join(f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>'
                               f'{html.escape(v)}</option>' for v in values)
    return (f'<nav id="publish-toolbar" aria-label="publish preview" data-edition="{html.escape(edition)}" '
            f'data-doc="{html.escape(doc or docs[0] if docs else "")}">'
            f'<label>document <select data-go="doc">{options(docs, doc)}</select></label>'
            f'<label>edition <select data-go="edition">{options(editions, edition)}</select></label>'
            '<a href="/">all files</a><a href="/status.html">progress</a>'
            '<span><span class="key"></span>untranslated</span><span><span class="key fuzzy"></span>fuzzy</span>'
            '<span>click a sentence: its catalog entry</span></nav>')


def inject(page: bytes, version: int = 0, bar: str = "") -> bytes:
    text = page.decode("utf-8", "replace")
    extra = bar + _STYLE + "\n" + _SCRIPT.replace("__VERSION__", str(int(version))) + "\n"
    at = text.rfind("</body>")
    text = text[:at] + extra + text[at:] if at >= 0 else text + extra
    return text.encode("utf-8")


# --- the server -------------------------------------------------------------------------------

@dataclass
class State:
    """What the watcher tells the pages: a counter, the URLs rewritten at
    each version (kept for a while, so a page that was told late still
    learns of every change since it last heard), and the error of the last
    rebuild (None when it went well)."""
    version: int = 0
    history: list[tuple[int, list[str]]] = field(default_factory=list)
    error: str | None = None
    cond: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, paths: list[str] | None = None, error: str | None = None) -> None:
        with self.cond:
            self.version += 1
            self.history = [*self.history[-49:], (self.version, list(paths or []))]
            self.error = error
            self.cond.notify_all()

    def paths_since(self, version: int) -> list[str]:
        """The URLs rewritten after ``version`` (call with ``cond`` held)."""
        return list(dict.fromkeys(p for v, paths in self.history if v > version for p in paths))


class UnknownUnits(PublishError):
    """An edition or document the project does not define (a 404)."""


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers the preview answers: its own address and the
    loopback names, with the port.  A DNS-rebinding page reaches the server
    under its own name (``attacker.example``), so anything else is refused."""
    names = {"127.0.0.1", "localhost", "[::1]", f"[{host}]" if ":" in host else host}
    return {f"{n}:{port}".lower() for n in names}


def host_ok(header: str | None, host: str, port: int) -> bool:
    if not header:
        return False
    header = header.strip().lower()
    if header in allowed_hosts(host, port):
        return True
    if host in ("0.0.0.0", "::", ""):
        # listening on every interface: the machine's own addresses are not
        # known here, but an IP literal cannot be rebound (only names can)
        name, sep, p = header.rpartition(":")
        if sep and p == str(port):
            try:
                ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
                return True
            except ValueError:
                return False
    return False


class Preview:
    def __init__(self, root: Path, log=None):
        from . import config
        self.root = Path(root)
        self.project = config.load(self.root)
        self.state = State()
        self.log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self._units: dict[tuple, dict] = {}
        self._units_lock = threading.Lock()

    @property
    def build_dir(self) -> Path:
        return self.project.build_dir

    # -- building --

    def rebuild(self, plans: list[Plan] | None) -> None:
        """Run the builds; tell the pages what changed or what went wrong."""
        from .build import build
        started = time.monotonic()
        written: list[str] = []
        if plans is None:
            plans = [Plan([d.name for d in self.project.documents], None)]
        for pl in plans:
            try:
                # a missing picture must not stop the preview: the page shows it marked
                result = build(self.project, editions=pl.editions, formats=["html"], documents=pl.documents,
                               keep_going=True)
                for warning in result.warnings:
                    self.log(f"publish: {warning}")
            except PublishError as exc:
                self.log(f"publish: {exc}")
                self.state.publish(error=str(exc))
                return
            except Exception as exc:  # a bug must not take the preview down; the traceback goes to the terminal
                traceback.print_exc()
                self.state.publish(error=f"internal error: {type(exc).__name__}: {exc}")
                return
            with self._units_lock:
                self._units.clear()
            done = ["/" + Path(o.path).relative_to("build").as_posix() for o in result.outputs if o.written]
            written += done
            self.state.publish(paths=done)   # each page is shown as soon as it is ready
        self.log(f"rebuilt {len(written)} page{'s' if len(written) != 1 else ''} "
                 f"in {time.monotonic() - started:.2f} s" + (": " + ", ".join(written) if written else ""))
        self.write_status()

    def write_status(self) -> None:
        """build/status.html and build/index.html (every file, what is stale),
        after the pages (a translator waits for those)."""
        from .render import index, status
        changed = []
        for name, write in (("status.html", status.write), ("index.html", index.write)):
            target = self.build_dir / name
            try:
                before = target.read_bytes() if target.exists() else None
                write(self.project)
            except PublishError as exc:
                self.log(f"publish: {name}: {exc}")
                continue
            if target.read_bytes() != before:
                changed.append("/" + name)
        if changed:
            self.state.publish(paths=changed + (["/"] if "/index.html" in changed else []))

    def on_change(self, paths: set[str]) -> None:
        from . import config
        if CONFIG_NAME in paths:
            try:
                self.project = config.load(self.root)
            except PublishError as exc:
                self.log(f"publish: {exc}")
                self.state.publish(error=str(exc))
                return
            self.rebuild(None)
            return
        plans = plan(self.project, paths)
        if plans:
            self.rebuild(plans)

    def watch(self, stop: threading.Event) -> None:
        seen = snapshot(self.root)
        while not stop.wait(POLL_SECONDS):
            now = snapshot(self.root)
            diff = changed(seen, now)
            if not diff:
                continue
            time.sleep(SETTLE_SECONDS)   # let the editor finish writing
            now = snapshot(self.root)
            diff |= changed(seen, now)
            seen = now
            self.on_change(diff)

    def units(self, edition: str, document: str) -> dict:
        """The unit map of an edition the project defines; anything else is
        refused before anything is built or cached, so the cache holds at
        most one map per edition × document (a request cannot grow it)."""
        from .build import edition_languages
        langs = [l for l in edition_languages(self.project).get(edition, ()) if l in self.project.target_languages]
        if edition == self.project.source_language:
            langs = self.project.target_languages[:1]   # the source edition: the entry of the first translation
        if not langs or document not in {d.name for d in self.project.documents}:
            raise UnknownUnits(f"no units for {edition}/{document}")
        key = (edition, document)
        with self._units_lock:
            if key not in self._units:
                self._units[key] = unit_locations(self.project, document, langs[-1])
            return self._units[key]

    # -- files --

    def resolve(self, url_path: str) -> Path | None:
        """The path under build/ a URL path names (the file may not exist),
        or None: no '..', no hidden files, nothing outside build/ (symbolic
        links included)."""
        path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0])
        if "\x00" in path or "\\" in path:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith(".") for p in parts):
            return None
        if posixpath.normpath("/" + "/".join(parts)) != "/" + "/".join(parts):
            return None
        base = self.build_dir.resolve()
        target = (base / Path(*parts)).resolve() if parts else base
        try:
            target.relative_to(base)
        except ValueError:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target


def _handler(preview: Preview, timeout: float = REQUEST_TIMEOUT):
    class Handler(BaseHTTPRequestHandler):
        server_version = "publish-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: the watcher reports rebuilds
            pass

        def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _not_found(self) -> None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            host, port = self.server.server_address[:2]
            if not host_ok(self.headers.get("Host"), host, port):
                self.close_connection = True
                return self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain; charset=utf-8",
                                  {"Connection": "close"})
            path, _, query = self.path.partition("?")
            if path == "/_publish/events":
                since = urllib.parse.parse_qs(query).get("since", [""])[0]
                return self._events(int(since) if since.isdigit() else None)
            if path.startswith("/_publish/units/") and path.endswith(".json"):
                return self._units(path[len("/_publish/units/"):-len(".json")])
            with preview.state.cond:
                version = preview.state.version   # before reading the file: a later change is news
            target = preview.resolve(path)
            if target is None:
                return self._not_found()
            if not target.is_file():
                if target.suffix == ".html":
                    # not built (yet): a page that shows why and reloads once it is
                    body = inject(_MISSING.format(path=html.escape(path)).encode("utf-8"), version,
                                  toolbar(preview.project, path))
                    return self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8")
                return self._not_found()
            body = target.read_bytes()
            ctype = CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
            if target.suffix.lower() == ".html":
                body = inject(body, version, toolbar(preview.project, path))
            self._send(HTTPStatus.OK, body, ctype)

        def _units(self, rest: str):
            edition, _, document = rest.partition("/")
            status = HTTPStatus.OK
            try:
                data = {"units": preview.units(edition, document)}
            except UnknownUnits as exc:
                status, data = HTTPStatus.NOT_FOUND, {"error": str(exc)}
            except PublishError as exc:
                data = {"error": str(exc)}
            self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")

        def _events(self, since: int | None):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            state = preview.state
            try:
                with state.cond:
                    seen = state.version if since is None or since > state.version else since
                    error = state.error
                if error:
                    self._event("problem", {"message": error})
                while True:
                    with state.cond:
                        state.cond.wait_for(lambda: state.version != seen or state.stopping, KEEPALIVE_SECONDS)
                        if state.stopping:
                            return
                        version, paths, error = state.version, state.paths_since(seen), state.error
                    if version == seen:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        continue
                    seen = version
                    if error:
                        self._event("problem", {"message": error})
                    elif paths:
                        self._event("reload", {"version": version, "paths": paths})
                    else:
                        self._event("ok", {"version": version})
            except (BrokenPipeError, ConnectionResetError, TimeoutError):  # gone, or not reading
                return

        def _event(self, name: str, data: dict) -> None:
            self.wfile.write(f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8"))
            self.wfile.flush()

    Handler.timeout = timeout  # socketserver sets it on each connection (reads and writes)
    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address, handler, max_handlers: int = MAX_HANDLERS):
        self._slots = threading.BoundedSemaphore(max_handlers)
        self._closing = False
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        # a connection gets a thread only when one is free; until then the
        # accept loop waits (checking for shutdown) and later ones queue in
        # the kernel's backlog
        while not self._slots.acquire(timeout=0.2):
            if self._closing:
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def shutdown(self):
        self._closing = True
        super().shutdown()

    def handle_error(self, request, client_address):
        # a client that hung up or stopped reading is no news; a bug is
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, on_ready=None, log=None,
          stop: threading.Event | None = None) -> None:
    """Build the HTML editions, then serve them until interrupted (or until
    ``stop`` is set).  ``on_ready(url)`` is called once the socket listens."""
    preview = Preview(root, log)
    preview.rebuild(None)
    try:
        httpd = _Server((host, port), _handler(preview))
    except OSError as exc:
        raise PublishError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    stop = stop or threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), name="publish-watch", daemon=True)
    watcher.start()
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{httpd.server_address[1]}/"
    if on_ready:
        on_ready(url)
    server_thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    server_thread.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        stop.set()
        with preview.state.cond:
            preview.state.stopping = True
            preview.state.cond.notify_all()
        httpd.shutdown()
        httpd.server_close()

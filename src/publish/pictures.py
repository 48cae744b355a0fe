"""Pictures that travel with the text.

At import, the local pictures a document refers to are copied into
``source/<lang>/media/<doc>/`` and the tree is pointed at the copies
(``carry``).  At update and build, a picture of a source that cannot be
shown is named with its line (``missing``): a book must not go to print
with a description where a photograph should be, and nobody told.

An imported file is untrusted (a Markdown file that came by email), and a
picture reference is a path it chooses.  So a picture is copied only when
its bytes are a picture (PNG, JPEG, GIF, WebP, SVG: what ``render.images``
embeds), only from the file's own folder tree or the few folders above it
where a site keeps its pictures, never through a symlink that leads out of
them, and never from an absolute filesystem path.  Everything refused is a
warning with the line and the reason.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import PublishError, PublishWarning

# MIME type → the file suffix a copy gets when its own says nothing
SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
            "image/svg+xml": ".svg"}
MAX_BYTES = 20 * 1024 * 1024   # as render.images: a larger file would not be embedded anyway
_HEAD = 4096                    # enough to find <svg after an XML declaration, a comment, a doctype

# How far above the imported file a site's root may be: Pelican's
# ``{filename}/images/x.jpg`` and Hugo's or Jekyll's ``/images/x.jpg`` name a
# file from the content root, typically one to three folders up
# (content/posts/2020/x.md).  A folder with one of these files is a site's
# root: nothing above it is searched.
MAX_UP = 3
_SITE_MARKERS = (".git", "pelicanconf.py", "publishconf.py", "_config.yml", "config.toml", "hugo.toml",
                 "hugo.yaml", "hugo.json", "mkdocs.yml", "conf.py", "publish.yml")
# Pelican's link forms (and their older |filename| spelling)
_PELICAN = re.compile(r"^(?:\{(?:filename|static|attach)\}|\|(?:filename|static|attach)\|)")


def sniff(head: bytes) -> str | None:
    """The MIME type of a picture from its first bytes, or None when they
    are not one of the pictures the editions can carry."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    text = head[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and re.search(rb"<svg[\s>]", text):
        # an XML declaration, comments or a doctype may come first; the
        # root must be <svg, not an HTML page that holds one
        prolog = text[:re.search(rb"<svg[\s>]", text).start()]
        if not re.search(rb"<(?![?!])", prolog):
            return "image/svg+xml"
    return None


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(_HEAD)


def _kind_of(path: Path) -> tuple[str | None, str | None]:
    """(MIME type, None) for a picture file, or (None, why not)."""
    try:
        if not path.is_file():   # also refuses FIFOs and devices, which could hang a read
            return None, "not a file"
        if path.stat().st_size > MAX_BYTES:
            return None, f"larger than {MAX_BYTES // (1024 * 1024)} MB"
        kind = sniff(_read_head(path))
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if kind is None:
        return None, "not a picture (PNG, JPEG, GIF, WebP or SVG)"
    return kind, None


# --- at import ----------------------------------------------------------------------------

def _images(node):
    """Every Image element of a pandoc tree, in document order."""
    stack = [node]
    found = []
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if n.get("t") == "Image":
                found.append(n)
            stack.extend(reversed(list(n.values())))
        elif isinstance(n, list):
            stack.extend(reversed(n))
    return found


def remote(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https", "ftp") or url.startswith("//")


def _roots(base: Path) -> list[Path]:
    """The file's folder, then the folders above it where a site's pictures
    may be, nearest first: at most ``MAX_UP`` of them, never the filesystem
    root or the home folder, and none above a site's root."""
    roots = [base]
    here = base
    home = Path.home().resolve() if "HOME" in os.environ else None
    for _ in range(MAX_UP):
        if any((here / m).exists() for m in _SITE_MARKERS):
            break
        up = here.parent
        if up == here or up.parent == up or up == home:
            break
        roots.append(up)
        here = up
    return roots


def _candidates(target: str) -> list[str]:
    """The path a target may name: percent-decoded first, then as written
    (a file called ``100%.jpg``), ``?query`` and ``#fragment`` gone,
    backslashes as slashes."""
    out = []
    for t in (unquote(target), target):
        t = t.split("#", 1)[0].split("?", 1)[0].replace("\\", "/").strip()
        if t and t not in out:
            out.append(t)
    return out


@dataclass
class _Found:
    path: Path | None = None      # resolved
    kind: str | None = None
    why: str | None = None        # why it was refused or not found


def locate(target: str, base: Path) -> _Found:
    """Find the file an imported document's picture names, relative to
    ``base`` (the document's folder), within what may be read."""
    base = base.resolve()
    roots = _roots(base)
    fence = roots[-1]   # nothing outside this folder's tree is ever read
    refusals = []
    for name in _candidates(target):
        if re.match(r"^[A-Za-z]:/", name) or name.startswith("//") or urlsplit(name).scheme:
            return _Found(why="an absolute path or another scheme: only pictures beside the file are copied")
        pelican = _PELICAN.match(name)
        if pelican:
            name = name[pelican.end():]
        if name.startswith("/") or pelican:
            # from a site's root: the file's folder, then the folders above it;
            # Hugo keeps what is served at / in static/
            rel = name.lstrip("/")
            tries = [r / sub / rel for r in roots for sub in ("", "static")]
        else:
            tries = [base / name]
        if name.startswith("/") and not pelican and Path(name).is_file():
            refusals.append("an absolute path on this computer: only pictures in the file's folder "
                            "tree are copied")
        for path in tries:
            try:
                real = path.resolve()
            except (OSError, RuntimeError):   # a symlink loop
                continue
            if not real.is_relative_to(fence):
                if path.exists() or path.is_symlink():
                    refusals.append("outside the file's folder" + (" (a symlink)" if path.is_symlink() else ""))
                continue
            if not real.exists():
                continue
            kind, why = _kind_of(real)
            if kind is None:
                refusals.append(why)
                continue
            return _Found(real, kind)
    if refusals:
        return _Found(why=refusals[0])
    return _Found(why="not found")


_NAME_KEEP = re.compile(r"[^\w.\u200c-]+")


def _file_name(path: Path, kind: str, taken: set[str]) -> str:
    """A name for the copy: the original's, made safe to write in a link
    (letters of any script, digits, ZWNJ, . - _), with the suffix of what it
    is when its own is not a picture's, and numbered when another picture
    took it already (two ``cover.jpg`` from two folders)."""
    from .render.images import TYPES
    stem, suffix = os.path.splitext(path.name)
    stem = _NAME_KEEP.sub("-", stem).strip("-.") or "picture"
    suffix = suffix.lower()
    if TYPES.get(suffix) != kind and not (kind == "image/jpeg" and suffix in (".jpg", ".jpeg")):
        suffix = SUFFIXES[kind]
    name, n = f"{stem}{suffix}", 1
    while name.casefold() in taken:   # folded: the copies may land on a case-blind disk
        n += 1
        name = f"{stem}-{n}{suffix}"
    taken.add(name.casefold())
    return name


class _Lines:
    """Where a target is written in the imported file (pandoc's reader for
    Word, HTML and Markdown imports keeps no positions): the line that holds
    it as written or percent-decoded, standing alone (``/etc/x`` is not found
    inside ``../etc/x``); a target named twice is looked for after the line
    found for it last."""

    def __init__(self, display: str):
        self.text = None
        self.after: dict[str, int] = {}
        try:
            from . import encoding
            data = Path(display).read_bytes()
            self.text, _ = encoding.decode(data, display, html=display.lower().endswith((".html", ".htm")))
        except (OSError, PublishError, UnicodeError, ValueError):
            pass

    def __call__(self, target: str) -> int | None:
        if not self.text:
            return None
        start = self.after.get(target, 0)
        for t in dict.fromkeys((target, unquote(target), target.replace(" ", "%20"))):
            m = re.compile(r"(?<![\w./%\\-])" + re.escape(t) + r"(?![\w/%\\-])").search(self.text, start) if t else None
            if m:
                self.after[target] = m.end()
                return self.text.count("\n", 0, m.start()) + 1
        return None


def carry(doc: dict, base: Path, dest: Path, rel: str, display: str,
          extracted: Path | None = None) -> tuple[list[Path], list[PublishWarning]]:
    """Copy the pictures ``doc`` (a pandoc tree) refers to into ``dest`` and
    point the tree at ``rel/<name>``: local files relative to ``base`` (a
    Markdown or HTML import), or what pandoc extracted from a Word or ODT
    file into ``extracted`` (whose targets start ``rel/``).  Returns the
    files written into ``dest`` and a warning for each picture left behind;
    such a picture keeps its target, so that update and build name it too."""
    warnings: list[PublishWarning] = []
    copied: dict[Path, str] = {}    # source file → its name in dest
    taken: set[str] = set()
    lines = None
    from_word = extracted is not None and extracted.is_dir()

    def warn(message, target):
        nonlocal lines
        if lines is None:
            lines = _Lines(display)
        warnings.append(PublishWarning(message, display, lines(target)))

    for image in _images(doc.get("blocks", [])):
        target = image["c"][2][0]
        stripped = target.strip()
        if not stripped or stripped.startswith("#") or stripped.lower().startswith("data:"):
            continue   # data: pictures travel inside the text already
        if from_word and stripped.startswith(rel + "/"):
            found = _extracted(stripped[len(rel) + 1:], extracted)
        elif remote(stripped):
            warn(f"picture {stripped} is on the web: publish never fetches, so the editions show its "
                 f"description; download it beside the file and import again to carry it", stripped)
            continue
        else:
            found = locate(stripped, base)
        if found.path is None:
            warn(f"picture not found: {stripped}" if found.why == "not found" else
                 f"picture refused: {stripped}: {found.why}", stripped)
            continue
        name = copied.get(found.path)
        if name is None:
            name = copied[found.path] = _file_name(found.path, found.kind, taken)
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found.path, dest / name)
        image["c"][2][0] = f"{rel}/{name}"
    return sorted(dest / n for n in copied.values()), warnings


def _extracted(inner: str, extracted: Path) -> _Found:
    """A file pandoc extracted from a Word or ODT file (``media/rId12.png``,
    ``Pictures/x.png``): it came out of the file itself, so only what it is
    is checked, not where it is."""
    root = extracted.resolve()
    path = (extracted / unquote(inner)).resolve()
    if not path.is_relative_to(root) or not path.exists():
        return _Found(why="not found")
    kind, why = _kind_of(path)
    if kind is None:
        if path.suffix.lower() in (".emf", ".wmf"):
            why = "a Windows metafile, which browsers and e-readers cannot show: save it as PNG in Word"
        return _Found(why=why)
    return _Found(path, kind)


# --- at update and build ----------------------------------------------------------------

def local(url: str) -> bool:
    """Whether a picture target names a file (the editions carry it) rather
    than the web or a data: URL."""
    parts = urlsplit(url.strip())
    return not (parts.scheme or parts.netloc) and bool(parts.path)


def problem(url: str, base: Path, allowed: Path) -> str | None:
    """Why the picture ``url`` of a source in ``base`` cannot be shown, or
    None when it can (or is not a file's: the web, data:).  The same rules
    as ``render.images`` embeds by."""
    from .render.images import TYPES
    if not local(url):
        return None
    path = (base / unquote(urlsplit(url.strip()).path))
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return "picture not found"
    if not real.is_relative_to(allowed.resolve()):
        return "picture outside source/" if real.exists() else "picture not found"
    if not real.exists():
        return "picture not found"
    if real.suffix.lower() not in TYPES:
        return "not a picture the editions can show (PNG, JPEG, GIF, WebP or SVG)"
    kind, why = _kind_of(real)
    if kind is None:
        return "picture not found" if why == "not a file" else \
            ("not a picture" if why.startswith("not a picture") else f"picture {why}")
    return None


def missing(blocks: list, text: str, base: Path, allowed: Path, display: str,
            blocks_json: list[str] | None = None) -> list[PublishWarning]:
    """Each picture of a source (its tree ``blocks``, its ``text``) that the
    editions could not show, with its line.  Cheap for a source with no
    picture: Markdown has none without ``![``, and a top-level block whose
    JSON names no Image is not walked."""
    if "![" not in text:
        return []
    out = []
    for i, block in enumerate(blocks):
        if blocks_json is not None and i < len(blocks_json) and '"Image"' not in blocks_json[i]:
            continue
        for image in _images(block):
            url = image["c"][2][0]
            why = problem(url, base, allowed)
            if why:
                out.append(PublishWarning(f"{why}: {url}", display, image.get("_line") or block.get("_line")))
    return out


def refuse(found: list[PublishWarning]) -> None:
    """Stop on the first missing picture, saying how many more there are."""
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more; --keep-going builds with their descriptions, marked)" \
            if len(found) > 1 else " (--keep-going builds with its description, marked)"
        raise PublishError(first.message + more, path=first.path, line=first.line)

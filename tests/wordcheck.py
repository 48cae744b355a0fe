"""The word invariant of issue 12, written apart from the import code.

*Every word of an input's visible text, as a reader of the original sees
it, occurs at least as often in the Persian edition; every link target of
the input is a link target of the edition.*

This module reads the input its own way — lxml for HTML, pandoc only as a
Markdown/Word → HTML renderer (never publish's importer) — so a test built on
it can fail when the importer loses something.

Decisions (each also says why):

* **What is visible in HTML.**  The text of ``<body>`` and the ``alt`` of
  pictures.  ``<head>`` (its ``<title>`` and ``<meta>`` are metadata, not
  body text), ``<script>``, ``<style>``, ``<template>`` and comments are not
  read.  ``title`` attributes are *not* counted: a tooltip is not printed in a
  book or shown in an e-book, and the issue asks for text, alt text and link
  targets only.  A ``<figcaption>`` that repeats the alt of a picture in the
  same figure (pandoc writes one for every lone picture) counts once.  What a
  caller names in ``set_aside`` (e.g. ``iframe``: its fallback text may be
  carried *or* reported as dropped) is counted apart, per element, with its
  line.
* **Word boundaries.**  Inline elements (``b``, ``i``, ``a``, ``span``,
  ``code``, ``kbd`` …) and ``wbr`` join their text to their neighbours
  (``**می**‌شود`` is one word); every other element — blocks, ``br``, and
  ``sup``/``sub`` — is a boundary, so ``2<sup>53</sup>`` is the two words *2*
  and *53* and an edition that prints ``253`` loses both.
* **Void elements.**  lxml's parser (libxml2, HTML 4) nests what follows an
  ``<embed>``, ``<source>``, ``<track>`` or ``<wbr>`` inside it; the oracle
  reads that text where a browser shows it, after the element.
* **Words.**  The text is normalised with publish's own rules (all on, the
  default: ي→ی, ك→ک, tatweel, stray ZWNJ, presentation forms) — the edition
  is normalised that way, so a comparison without it would report every
  Arabic ي of a Windows-1256 page — and split into runs of Unicode word
  characters and Arabic combining marks, a ZWNJ kept *inside* a word
  (``می‌شود`` is one word; a ZWNJ at a word's edge is dropped).  Case and
  digits are kept as they are: an edition that changes them has changed the
  text.  Words are compared as multisets.
* **Generated text.**  Footnote call numbers and back-links that pandoc adds
  when it renders Markdown or Word (``a.footnote-ref``, ``a.footnote-back``)
  are not words of the author and are not counted on the input side.
* **Markdown.**  The front matter (YAML between ``---`` lines, TOML between
  ``+++``, or Pelican/MultiMarkdown ``Key: value`` lines before the first
  blank line) is metadata and is removed; the rest is rendered by pandoc
  (``commonmark_x``, raw HTML passes through) and read as HTML.  Word and ODT
  files are rendered by pandoc to HTML.  Plain text is its text.  The
  number of an item in a list numbered in Persian digits is not counted: it
  is the list's, as ``1.`` is in CommonMark.
* **The edition.**  Only ``<main>`` of the edition page (the text; its
  footnotes included) when there is one, else ``<body>``: the title page and
  the colophon add words such as کتاب or تاریخ, which would hide the loss of
  the same words from the text.  Extra words in the edition are allowed.
* **Link targets.**  ``href`` of ``http``, ``https`` and ``mailto`` links,
  compared as sets after percent-decoding.
"""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from publish import normalize as _normalize
from publish.source import pandoc_path

RULES = {name: True for name in _normalize.RULES}

_CHAR = r"\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
WORD = re.compile(f"[{_CHAR}]+(?:\u200c+[{_CHAR}]+)*")

# elements whose text runs into their neighbours' (no word boundary at their edges)
INLINE = frozenset("a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q s samp "
                   "small span strike strong time tt u var".split())
INVISIBLE = frozenset("head script style template title noframes".split())
# elements that cannot hold anything; libxml2's HTML parser (HTML 4) does not
# know the HTML 5 ones (embed, source, track, wbr) and nests what follows them
# inside them: that text is read as their siblings', as a browser shows it
VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
LINK_SCHEMES = ("http:", "https:", "mailto:")


def words(text: str) -> Counter:
    """The words of ``text`` after normalisation, as a multiset."""
    return Counter(WORD.findall(_normalize.normalize(text, RULES)))


@dataclass
class SetAside:
    tag: str
    line: int | None
    words: Counter


@dataclass
class Visible:
    """What a reader sees of a page: its words, link targets and pictures."""
    words: Counter = field(default_factory=Counter)
    links: set[str] = field(default_factory=set)
    pictures: list[str] = field(default_factory=list)        # src of every <img>
    aside: list[SetAside] = field(default_factory=list)
    source_text: str | None = None                            # the input as text, to name lines

    @property
    def local_pictures(self) -> list[str]:
        return [s for s in self.pictures if not re.match(r"(?i)(https?:|data:|//)", s)]

    @property
    def embedded_pictures(self) -> list[str]:
        return [s for s in self.pictures if s.startswith("data:")]


def _link(href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href.lower().startswith(LINK_SCHEMES):
        return None
    return unquote(href)


def html_visible(html: str | bytes, *, part: str = "body", generated_notes: bool = False,
                 set_aside: tuple[str, ...] = ()) -> Visible:
    """The visible words, link targets and pictures of an HTML page.
    ``part``: ``body``, or ``main`` (the ``<main>`` element when there is one).
    ``generated_notes``: the page was rendered by pandoc; its footnote call
    numbers and back-links are not words.  ``set_aside``: tags whose words are
    counted apart (``Visible.aside``), not in ``Visible.words``."""
    import lxml.html

    if isinstance(html, str):
        html = html.encode("utf-8")
        parser = lxml.html.HTMLParser(encoding="utf-8")
    else:
        parser = lxml.html.HTMLParser(encoding=_html_charset(html))
    root = lxml.html.document_fromstring(html, parser=parser)
    top = root.find("body")
    if part == "main":
        main = root.find(".//main")
        top = main if main is not None else top
    out = Visible()
    if top is None:
        return out
    chunks: list[str] = []

    def walk(el, sink: list[str]) -> None:
        if not isinstance(el.tag, str):          # comments, processing instructions
            return
        tag = el.tag.lower()
        if tag in VOID:
            if tag == "img":
                out.pictures.append(el.get("src") or "")
                sink.append(" " + (el.get("alt") or "") + " ")
            elif tag in set_aside:
                out.aside.append(SetAside(tag, el.sourceline, Counter()))
            if tag != "wbr":            # a break opportunity inside a word, not a space
                sink.append(" ")
            _children_text(el, sink, walk)
            return
        if tag in INVISIBLE:
            return
        classes = (el.get("class") or "").split()
        if generated_notes and tag == "a" and ("footnote-ref" in classes or "footnote-back" in classes):
            return
        if tag in set_aside:
            inner: list[str] = []
            _children_text(el, inner, walk)
            out.aside.append(SetAside(tag, el.sourceline, words(" ".join(inner))))
            return
        if tag == "a":
            link = _link(el.get("href"))
            if link:
                out.links.add(link)
        if tag == "figcaption":
            figure = el.getparent()
            alts = {" ".join(words(i.get("alt") or "").elements()) for i in figure.iter("img")} \
                if figure is not None else set()
            if " ".join(words(el.text_content()).elements()) in alts:
                return
        boundary = tag not in INLINE
        if boundary:
            sink.append(" ")
        _children_text(el, sink, walk)
        if boundary:
            sink.append(" ")

    walk(top, chunks)
    out.words = words("".join(chunks))
    return out


def _children_text(el, sink: list[str], walk) -> None:
    if el.text:
        sink.append(el.text)
    for child in el:
        walk(child, sink)
        if child.tail:
            sink.append(child.tail)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _html_charset(data: bytes) -> str:
    """The encoding a browser would use: BOM, then ``<meta … charset>`` in
    the first 1024 bytes, then UTF-8 if the bytes are UTF-8, else
    Windows-1256 (this corpus's legacy encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    m = _META_CHARSET.search(data[:1024])
    if m:
        return m.group(1).decode("ascii").lower()
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1256"


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1256"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError("neither UTF-8 nor Windows-1256")


_PELICAN_LINE = re.compile(r"[A-Za-z][A-Za-z0-9_ -]*:(\s|$)")


def strip_front_matter(text: str) -> tuple[str, int]:
    """The Markdown text without its front matter, and the number of lines
    removed (so that a body line can be named as a line of the file)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text, 0
    first = lines[0].strip()
    if first in ("---", "+++"):
        closers = ("---", "...") if first == "---" else ("+++",)
        for i in range(1, len(lines)):
            if lines[i].strip() in closers:
                return "".join(lines[i + 1:]), i + 1
        return text, 0
    if _PELICAN_LINE.match(lines[0]) and not lines[0].lstrip().lower().startswith(("http:", "https:")):
        i = 0
        while i < len(lines) and lines[i].strip():
            if not (_PELICAN_LINE.match(lines[i]) or lines[i][:1] in " \t"):
                return text, 0          # not a header block after all
            i += 1
        return "".join(lines[i:]), i
    return text, 0


def pandoc_html(data: bytes, reader: str, cwd: Path | None = None) -> str:
    proc = subprocess.run([pandoc_path(), "-f", reader, "-t", "html", "--wrap=none"], input=data,
                          capture_output=True, check=True, cwd=cwd)
    return proc.stdout.decode("utf-8")


# An item's number in a list numbered in Persian digits (۱. ۲. or ۱- ۲-) is
# the list's, drawn by the edition, not a word of the author: a reader sees a
# list (publish makes it one; CommonMark alone would not)
_PERSIAN_ITEM = re.compile(r"(?m)^( {0,3})[۰-۹٠-٩]{1,9}[.\-)٫](?=[ \t])")


def input_visible(path: Path, set_aside: tuple[str, ...] = ()) -> Visible:
    """What a reader of the original file sees."""
    path = Path(path)
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in (".html", ".htm"):
        vis = html_visible(data, set_aside=set_aside)
        vis.source_text = data.decode(_html_charset(data), "replace")
        return vis
    if suffix == ".txt":
        text = decode_text(data)
        return Visible(words=words(text), source_text=text)
    if suffix in (".md", ".markdown"):
        text = decode_text(data)
        body, _ = strip_front_matter(text)
        body = _PERSIAN_ITEM.sub(r"\1", body)
        vis = html_visible(pandoc_html(body.encode("utf-8"), "commonmark_x"), generated_notes=True,
                           set_aside=set_aside)
        vis.source_text = text
        return vis
    if suffix in (".docx", ".odt"):
        return html_visible(pandoc_html(data, suffix[1:]), generated_notes=True, set_aside=set_aside)
    raise ValueError(f"no reader for {suffix}")


def edition_visible(path_or_html: Path | str) -> Visible:
    """What a reader of an edition page sees of the text (``<main>``)."""
    html = path_or_html.read_bytes() if isinstance(path_or_html, Path) else path_or_html
    return html_visible(html, part="main")


@dataclass
class Comparison:
    missing: Counter                     # word → how many occurrences the edition lacks
    missing_links: set[str]
    source_text: str | None = None
    what: str = "input"

    @property
    def ok(self) -> bool:
        return not self.missing and not self.missing_links

    def lines_of(self, word: str, limit: int = 3) -> list[int]:
        if not self.source_text:
            return []
        found = []
        for n, line in enumerate(self.source_text.splitlines(), 1):
            if word in words(re.sub(r"<[^>]*>?", " ", line)):      # the text of the line, not its tags
                found.append(n)
                if len(found) == limit:
                    break
        return found

    def __str__(self) -> str:
        if self.ok:
            return f"{self.what}: every word and link target reached the edition"
        total = sum(self.missing.values())
        out = [f"{self.what}: {total} word occurrence{'s' if total != 1 else ''} "
               f"({len(self.missing)} distinct) missing from the edition"]
        for word, n in sorted(self.missing.items(), key=lambda kv: (-kv[1], kv[0])):
            lines = self.lines_of(word)
            where = f"  (input line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})" if lines else ""
            out.append(f"  {word!r} ×{n}{where}")
        for link in sorted(self.missing_links):
            out.append(f"  link target missing: {link}")
        return "\n".join(out)


def compare(original: Visible, edition: Visible, what: str = "input") -> Comparison:
    return Comparison(original.words - edition.words, original.links - edition.links,
                      original.source_text, what)


def assert_kept(original: Visible, edition: Visible, what: str = "input") -> None:
    result = compare(original, edition, what)
    assert result.ok, str(result)

"""Markdown source → pieces that parse the same alone as in the whole.

A large source is parsed piece by piece: the pieces are batched into a few
pandoc runs that go in parallel, and each piece's tree is kept under a hash
of its text, so after an edit only the pieces that changed are parsed again
(at 100× the report, 29 edited paragraphs out of 3,000).

A piece ends at a blank line that is followed, at the first column, by a
line that can only begin a new top-level block.  Markdown has few ways for a
block to reach past such a line; each is handled here or makes ``split``
return None, and the whole text is parsed at once as before:

* fenced code, fenced divs, YAML front matter and the HTML blocks that run
  to an end tag (comments, ``<pre>``, ``<script>`` …) are never cut;
* a list marker, an indented line, a definition (``: …``) or a table
  caption never starts a piece: a list with blank lines between its items
  stays one list;
* footnote and link-reference definitions are *copied* after each piece
  that refers to them (their blocks are then dropped), so a piece parses with
  the notes and link targets it needs; their text is part of its key;
* definition lists and references to a heading by its text (``[Heading]``)
  make the whole text be parsed at once: both join blocks across blank lines;
* heading identifiers are made unique across pieces afterwards, as pandoc
  does in one document ("x", "x-1", "x-2" …).

``tests/test_chunks.py`` parses documents that use every construct both ways
and compares the trees.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_DIV = re.compile(r" {0,3}(:{3,})\s*(\S?)")
# HTML blocks that run past blank lines to an end marker (CommonMark types 1–3, 5)
_HTML_OPEN = re.compile(r" {0,3}<(!--|\?|!\[CDATA\[|(?:script|pre|style|textarea)(?=[\s>]|$))", re.I)
_HTML_CLOSE = {"!--": "-->", "?": "?>", "![cdata[": "]]>"}
# lines that continue or join a block above them across a blank line
_JOINS = re.compile(r"[ \t]|[-+*](?:[ \t]|$)|\(?(?:[0-9]{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)](?:[ \t]|$)|[:~](?:[ \t]|$)")
_DEFINITION_LIST = re.compile(r"^ {0,3}[:~][ \t]", re.M)
# a footnote's definition and a call of it (source.check_footnotes reads them too)
NOTE_DEF = re.compile(r" {0,3}\[\^([^\]\s]+)\]:")
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_LINK_DEF = re.compile(r" {0,3}\[((?:[^\]\\]|\\.)+)\]:")
_BRACKETED = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")


def label(text: str) -> str:
    """A reference label as Markdown matches it: case and spacing ignored."""
    return " ".join(text.split()).casefold()


@dataclass
class Chunk:
    start: int                       # line of the first line, from 1
    lines: list[str]                 # trailing blank lines left out
    defines: list[str] = field(default_factory=list)   # labels defined here ("^n" for notes)
    needs: list["Chunk"] = field(default_factory=list)  # chunks with the definitions it uses
    key: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def end(self) -> int:
        return self.start + len(self.lines)


def split(text: str) -> list[Chunk] | None:
    """The pieces of ``text``, each with its key; None when the text must be
    parsed whole."""
    if _DEFINITION_LIST.search(text):
        return None
    lines = text.split("\n")
    chunks: list[Chunk] = []
    current: list[str] = []
    start = 1
    fence = html = None
    depth = 0
    front = bool(lines) and lines[0].rstrip() == "---"
    blank_before = False
    for lineno, line in enumerate(lines, 1):
        if front:
            if lineno > 1 and line.rstrip() in ("---", "..."):
                front = False
        elif fence:
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
        elif html:
            if _HTML_CLOSE.get(html, f"</{html}>") in line.lower():
                html = None
        else:
            if (blank_before and depth == 0 and current and line.strip() and not _JOINS.match(line)):
                chunks.append(_chunk(start, current))
                current, start = [], lineno
            if m := _FENCE.match(line):
                fence = m.group(1)
            elif m := _DIV.match(line):
                if m.group(2):
                    depth += 1
                elif depth:
                    depth -= 1
            elif m := _HTML_OPEN.match(line):
                opened = m.group(1).lower()
                if _HTML_CLOSE.get(opened, f"</{opened}>") not in line[m.end():].lower():
                    html = opened
        blank_before = not line.strip()
        current.append(line)
    if fence or html or depth or front:
        return None  # an unclosed block swallows the rest: only a whole parse knows what it makes
    if current:
        chunks.append(_chunk(start, current))
    return _link(chunks)


def _chunk(start: int, lines: list[str]) -> Chunk:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return Chunk(start, lines)


def _link(chunks: list[Chunk]) -> list[Chunk] | None:
    """Find each chunk's definitions; refuse texts a piecewise parse would
    read differently; compute the keys."""
    by_label: dict[str, Chunk] = {}
    headings: set[str] = set()
    for c in chunks:
        for i, line in enumerate(c.lines):
            if m := NOTE_DEF.match(line):
                c.defines.append("^" + m.group(1))
            elif m := _LINK_DEF.match(line):
                c.defines.append(label(m.group(1)))
            elif m := _ATX.match(line):
                headings.add(label(m.group(1) or ""))
            elif i and _SETEXT.match(line) and c.lines[i - 1].strip():
                headings.add(label(c.lines[i - 1]))
        for name in c.defines:
            by_label.setdefault(name, c)
    # what each chunk's own text calls, found once: the definitions it needs
    # are these and, in turn, what they call
    calls: dict[int, list[Chunk]] = {}
    for c in chunks:
        text = c.text
        names = ["^" + n for n in NOTE_REF.findall(text)] if "[^" in text else []
        for m in _BRACKETED.finditer(text):
            name = label(m.group(1))
            if name in by_label:
                names.append(name)
            elif name in headings and not name.startswith("^") and text[m.end():m.end() + 1] not in "(:[":
                return None  # [Heading]: pandoc links it to the heading; a piece would not
        found = (by_label.get(n) for n in names)
        calls[id(c)] = list({id(d): d for d in found if d is not None}.values())
    for c in chunks:
        wanted: dict[int, Chunk] = {}
        todo = list(calls[id(c)])
        while todo:
            d = todo.pop()
            if d is not c and id(d) not in wanted:
                wanted[id(d)] = d
                todo.extend(calls[id(d)])
        c.needs = sorted(wanted.values(), key=lambda d: d.start)
        # the first piece's key says so: only there is "---" metadata, not a rule
        h = hashlib.sha256(b"first\0" if c is chunks[0] else b"")
        h.update(c.text.encode("utf-8"))
        for d in c.needs:
            h.update(b"\0" + d.text.encode("utf-8"))
        c.key = h.hexdigest()
    return chunks


@dataclass
class Batch:
    """Several chunks as one pandoc input: each chunk, then the definitions
    it needs (their blocks are dropped after the parse: only their notes and
    link targets are wanted), then a separator paragraph."""
    chunks: list[Chunk]
    separator: str
    text: str = ""
    origin: list[int] = field(default_factory=list)   # input line (from 1) → source line; 0: ours

    def __post_init__(self):
        out: list[str] = []
        origin = [0]  # index 0 unused: lines count from 1

        def add(lines: list[str], first: int | None):
            for i, line in enumerate(lines):
                out.append(line)
                origin.append(first + i if first else 0)

        for c in self.chunks:
            add(c.lines, c.start)
            add([""], None)
            for d in c.needs:
                add(d.lines, d.start)
                add([""], None)
            add([self.separator, ""], None)
        self.text = "\n".join(out) + "\n"
        self.origin = origin


def batches(chunks: list[Chunk], separator: str, size: int = 256 * 1024) -> list[Batch]:
    """Chunks grouped into inputs of about ``size`` characters."""
    out: list[Batch] = []
    group: list[Chunk] = []
    total = 0
    for c in chunks:
        n = sum(len(line) + 1 for line in c.lines)
        if group and total + n > size:
            out.append(Batch(group, separator))
            group, total = [], 0
        group.append(c)
        total += n
    if group:
        out.append(Batch(group, separator))
    return out

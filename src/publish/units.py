"""Document tree ↔ translatable units.

One walker visits every block pandoc can produce and hands each run of inline
text to a callback; extraction and assembly are two callbacks over the same
walk, so they can never disagree about what a unit is.

A unit's text is its inline content written as Markdown inline syntax
(``**همه**``, ``[متن](url)``, ``[^1]``) so translators can see and move the
markup; footnotes become units of their own.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Callable

from . import segment
from .tree import SPACE_LIKE, Block, Inline, children, first_line, stringify

# --- units ------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    msgid: str
    line: int | None
    kind: str              # heading, paragraph, list item, table cell, footnote N, …
    section: tuple[str, ...]  # heading path
    paragraph: int         # text block number in the document, from 1
    index: int             # sentence i …
    count: int             # … of k
    translatable: bool
    anchor: str = ""       # its stable name (``anchor``): the HTML id u-<anchor>, the PO's preview link

    @property
    def place(self) -> str:
        """What kind of text the unit is in, for the catalog: nothing that
        counts what comes before it (a footnote's number, a paragraph's), so
        removing a list item changes no other entry's comment."""
        return _NUMBER.sub("", self.kind)

    @property
    def position(self) -> str:
        where = f"{self.kind}, paragraph {self.paragraph}" if self.kind != "paragraph" else f"paragraph {self.paragraph}"
        if self.count > 1 or self.kind not in ("heading",):
            where += f", sentence {self.index} of {self.count}"
        return where


_NUMBER = re.compile(r" \d+$")


def anchor(msgid: str, occurrence: int = 1) -> str:
    """A unit's stable name, made from its own text: the first 40 bits of
    its BLAKE2 digest in lower-case base 32 (8 characters), and ``-n`` for
    the n-th unit of a document with the same text.  The PO comments link to
    ``<edition>/<doc>.html#u-<anchor>``, the id the HTML renderers are to
    give the unit (one function, so they cannot disagree); a running count
    would rename every later unit when one is removed, and every link with
    it.  ``Anchors`` counts the occurrences."""
    digest = hashlib.blake2b(msgid.encode("utf-8"), digest_size=5).digest()
    name = base64.b32encode(digest).decode("ascii").lower()
    return name if occurrence == 1 else f"{name}-{occurrence}"


class Anchors:
    """The anchors of one document's units, in reading order.  Occurrences
    are counted by name, not by text: two texts whose digests share 40 bits
    (for 11,000 units, a chance of about one in 18,000) still get two ids."""

    def __init__(self):
        self._seen: dict[str, int] = {}

    def __call__(self, msgid: str) -> str:
        name = anchor(msgid)
        n = self._seen[name] = self._seen.get(name, 0) + 1
        return name if n == 1 else f"{name}-{n}"


# a link's or picture's address is no words; its title is (a reader sees it,
# and a picture with no description is captioned with it: layout.py)
_LINK_TARGET = re.compile(r'\]\((?:<[^>]*>|[^\s)]*)(?:\s+"((?:[^"\\]|\\.)*)")?\)')
_NOTE_REF = re.compile(r"\[\^\d+\]")
_INLINE_CODE = re.compile(r"`[^`]*`")


def has_words(msgid: str) -> bool:
    """Whether a unit has anything for a translator: a letter outside URLs,
    e-mail addresses, link targets and markup."""
    text = _LINK_TARGET.sub(lambda m: "] " + (m.group(1) or ""), msgid)
    text = _NOTE_REF.sub("", text)
    text = segment.mask_urls(text).replace("x", "")
    text = _INLINE_CODE.sub("", text)
    # str.isalpha is exactly the Unicode categories L* (Lu Ll Lt Lm Lo), in C
    return any(map(str.isalpha, text))


# --- inline Markdown --------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]<~^$])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _escape(text: str) -> str:
    return _ENTITY.sub(r"\\&", _ESCAPE.sub(r"\\\1", text))


def _plain(run: list[str]) -> str:
    """Markdown for a run of ``Str`` and spaces: escaped in one pass over the
    joined text, not one per word (two ``re.sub`` calls per ``Str`` were a
    third of extraction on a large report).  ``&name;`` is escaped only
    within one ``Str``; where a ``&`` is there at all (rare), each piece is
    escaped on its own as before, so the result cannot depend on joining."""
    text = "".join(run)
    if "&" in text:
        return "".join(map(_escape, run))
    return _ESCAPE.sub(r"\\\1", text)


def _attr_md(attr) -> str:
    ident, classes, kvs = attr
    parts = ([f"#{ident}"] if ident else []) + [f".{c}" for c in classes]
    parts += [f'{k}="{v}"' for k, v in kvs]
    return "{" + " ".join(parts) + "}" if parts else ""


def _delimit(mark: str, inner: list[Inline], notes: "_Notes") -> str:
    # Emphasis cannot start or end with a space in CommonMark: move spaces out.
    lead = trail = ""
    while inner and inner[0]["t"] in SPACE_LIKE:
        lead += " "
        inner = inner[1:]
    while inner and inner[-1]["t"] in SPACE_LIKE:
        trail += " "
        inner = inner[:-1]
    return f"{lead}{mark}{to_markdown(inner, notes)}{mark}{trail}" if inner else lead + trail


def _code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _target(url: str, title: str) -> str:
    dest = f"<{url}>" if re.search(r"[\s()<>]", url) or not url else url
    if title:
        dest += ' "' + title.replace('"', '\\"') + '"'
    return dest


class _Notes:
    """Numbers footnotes in document order: the same Note element (by
    identity) always gets the same number."""

    def __init__(self):
        self._numbers: dict[int, int] = {}
        self._keep: list[Inline] = []  # ids stay unique only while the notes live

    def number(self, note: Inline) -> int:
        n = self._numbers.get(id(note))
        if n is None:
            n = self._numbers[id(note)] = len(self._numbers) + 1
            self._keep.append(note)
        return n


def to_markdown(inlines: list[Inline], notes: _Notes | None = None) -> str:
    notes = notes or _Notes()
    out: list[str] = []
    run: list[str] = []  # plain text since the last markup, escaped at once by _plain
    for el in inlines:
        t = el["t"]
        if t == "Str":
            run.append(el["c"])
            continue
        if t == "Space" or t == "SoftBreak":
            run.append(" ")
            continue
        if run:
            out.append(_plain(run))
            run = []
        c = el.get("c")
        if t == "LineBreak":
            out.append("\\\n")
        elif t == "Emph":
            out.append(_delimit("*", c, notes))
        elif t == "Strong":
            out.append(_delimit("**", c, notes))
        elif t == "Strikeout":
            out.append(_delimit("~~", c, notes))
        elif t == "Superscript":
            out.append(_delimit("^", c, notes))
        elif t == "Subscript":
            out.append(_delimit("~", c, notes))
        elif t == "SmallCaps":
            out.append(f"[{to_markdown(c, notes)}]{{.smallcaps}}")
        elif t == "Underline":
            out.append(f"[{to_markdown(c, notes)}]{{.underline}}")
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            out.append(q + to_markdown(c[1], notes) + q)
        elif t == "Code":
            out.append(_code(c[1]) + _attr_md(c[0]))
        elif t == "Math":
            d = "$$" if c[0]["t"] == "DisplayMath" else "$"
            out.append(f"{d}{c[1]}{d}")
        elif t == "RawInline":
            out.append(_code(c[1]) + "{=" + c[0] + "}")
        elif t == "Link":
            out.append(f"[{to_markdown(c[1], notes)}]({_target(*c[2])}){_attr_md(c[0])}")
        elif t == "Image":
            out.append(f"![{to_markdown(c[1], notes)}]({_target(*c[2])}){_attr_md(c[0])}")
        elif t == "Span":
            out.append(f"[{to_markdown(c[1], notes)}]{_attr_md(c[0]) or '{}'}")
        elif t == "Note":
            out.append(f"[^{notes.number(el)}]")
        elif t == "Cite":
            out.append(to_markdown(c[1], notes))
    if run:
        out.append(_plain(run))
    return "".join(out)


# --- segmentation of inline runs ---------------------------------------------

def _split_text(el: Inline) -> str:
    """Text of one inline for the sentence splitter: code, math and raw
    content masked (their punctuation ends nothing), footnotes zero-width."""
    t, c = el["t"], el.get("c")
    if t == "Str":
        return c
    if t in ("Space", "SoftBreak"):
        return " "
    if t == "LineBreak":
        return "\n"
    if t in ("Code", "Math", "RawInline"):
        return "x" * max(1, len(c[1]))
    if t in ("Image", "Cite"):
        return "x"
    if t == "Note":
        return ""
    if t == "Quoted":
        return '"' + "".join(_split_text(x) for x in c[1]) + '"'
    if t in ("Link", "Span"):
        return "".join(_split_text(x) for x in c[1])
    return "".join(_split_text(x) for x in c)


def sentences(inlines: list[Inline], abbreviations=(), by_sentence=True) -> tuple[list[list[Inline]], list[Inline]]:
    """Cut an inline run into sentences at top-level spaces.

    Returns the pieces and the separators between them (kept so that the tree
    can be rebuilt exactly).  A boundary inside bold or italics that stand
    in the run itself splits them, the markup carried into each sentence
    (``**a. b.**`` → ``**a.**``, ``**b.**``; see ``_split_styled``); one
    inside a link or deeper is not taken: the sentences stay one unit.
    """
    lead, trail = 0, len(inlines)
    while lead < trail and inlines[lead]["t"] in SPACE_LIKE:
        lead += 1
    while trail > lead and inlines[trail - 1]["t"] in SPACE_LIKE:
        trail -= 1
    body = inlines[lead:trail]
    if not by_sentence or not body:
        return ([body] if body else []), []
    # Words and spaces are most of a paragraph: they skip the call.
    texts = [el["c"] if el["t"] == "Str" else " " if el["t"] == "Space" else _split_text(el) for el in body]
    # where each element's text starts (and, last, the total: no cut reaches it)
    starts = list(accumulate(map(len, texts), initial=0))
    cuts = set()
    inside: dict[int, list[int]] = {}  # styled element → offsets of cuts in its text
    for cut in segment.boundaries("".join(texts), abbreviations):
        # the element holding the last white space before the new sentence
        i = bisect.bisect_right(starts, cut - 1) - 1
        if body[i]["t"] in SPACE_LIKE:
            cuts.add(i)
        elif body[i]["t"] in ("Strong", "Emph"):
            inside.setdefault(i, []).append(cut - starts[i])
    if inside:
        body, cuts = _split_styled(body, inside, cuts)
    pieces, seps, start = [], [], 0
    for i in sorted(cuts):
        pieces.append(body[start:i])
        seps.append(body[i])
        start = i + 1
    pieces.append(body[start:])
    return pieces, seps


# A separator that was white space inside bold or italics split at a
# sentence end (see _split_styled): ``rebuild`` joins the two halves again
# when both translations keep the markup, so the tree is the source's.
_SPLIT = "_split"


def _split_styled(body: list[Inline], inside: dict[int, list[int]], cuts: set[int]):
    """``body`` with each Strong/Emph of ``inside`` cut at the white space
    where a sentence ends in it (offsets into its splitter text), and the
    indices of the separators to cut at, old and new."""
    out: list[Inline] = []
    new_cuts: set[int] = set()
    for i, el in enumerate(body):
        if i in cuts:
            new_cuts.add(len(out))
        offsets = inside.get(i)
        kids = el["c"] if offsets else None
        if not kids or kids[0]["t"] in SPACE_LIKE or kids[-1]["t"] in SPACE_LIKE:
            out.append(el)
            continue
        starts = list(accumulate((len(_split_text(k)) for k in kids), initial=0))
        at = sorted({j for j in (bisect.bisect_right(starts, off - 1) - 1 for off in offsets)
                     if 0 < j < len(kids) - 1 and kids[j]["t"] in SPACE_LIKE})
        if not at:
            out.append(el)
            continue
        extra = {k: v for k, v in el.items() if k not in ("t", "c")}
        prev = 0
        for j in at:
            out.append({"t": el["t"], "c": kids[prev:j], **extra})
            new_cuts.add(len(out))
            out.append({**kids[j], _SPLIT: el["t"]})
            prev = j + 1
        out.append({"t": el["t"], "c": kids[prev:], **extra})
    return out, new_cuts


# --- the walk -----------------------------------------------------------------

OnText = Callable[[list[Inline], "Context"], list[Inline]]


@dataclass
class Context:
    kind: str
    section: tuple[str, ...]
    split: bool
    paragraph: int = 0


@dataclass
class Walker:
    """Visits every inline run of a block list, in document order, and
    rebuilds the blocks from what ``on_text`` returns."""

    on_text: OnText
    section: list[str] = field(default_factory=list)
    paragraph: int = 0

    def blocks(self, blocks: list[Block], kind: str = "paragraph") -> list[Block]:
        return [self.block(b, kind) for b in blocks]

    def text(self, inlines: list[Inline], kind: str, split: bool) -> list[Inline]:
        self.paragraph += 1
        ctx = Context(kind, tuple(self.section), split, self.paragraph)
        return self.on_text(inlines, ctx)

    def block(self, b: Block, kind: str) -> Block:
        t, c = b["t"], b.get("c")
        extra = {k: v for k, v in b.items() if k.startswith("_")}
        new = self._block(t, c, kind)
        return {"t": t, **({"c": new} if "c" in b else {}), **extra}

    def _block(self, t, c, kind):
        if t in ("Para", "Plain"):
            return self.text(c, kind, True)
        if t == "Header":
            level, attr, inl = c
            new = self.text(inl, "heading" if not kind.startswith("footnote") else kind, False)
            del self.section[level - 1:]
            self.section.extend([""] * (level - 1 - len(self.section)))
            self.section.append(stringify(new if new else inl))
            return [level, attr, new]
        if t == "BlockQuote":
            return self.blocks(c, "quotation" if kind == "paragraph" else kind)
        if t == "BulletList":
            return [self.blocks(item, self._sub(kind, "list item")) for item in c]
        if t == "OrderedList":
            return [c[0], [self.blocks(item, self._sub(kind, "list item")) for item in c[1]]]
        if t == "DefinitionList":
            return [[self.text(term, self._sub(kind, "term"), False),
                     [self.blocks(d, self._sub(kind, "definition")) for d in defs]]
                    for term, defs in c]
        if t == "LineBlock":
            return [self.text(line, self._sub(kind, "line"), False) for line in c]
        if t == "Div":
            return [c[0], self.blocks(c[1], kind)]
        if t == "Figure":
            return [c[0], self._caption(c[1], kind), self.blocks(c[2], kind)]
        if t == "Table":
            attr, caption, specs, head, bodies, foot = c
            return [attr, self._caption(caption, kind), specs,
                    [head[0], self._rows(head[1], kind)],
                    [[bd[0], bd[1], self._rows(bd[2], kind), self._rows(bd[3], kind)] for bd in bodies],
                    [foot[0], self._rows(foot[1], kind)]]
        return c  # CodeBlock, RawBlock, HorizontalRule: kept, never translated

    @staticmethod
    def _sub(kind: str, inner: str) -> str:
        return kind if kind.startswith("footnote") else inner

    def _caption(self, caption, kind):
        short, blocks = caption
        return [short, self.blocks(blocks, self._sub(kind, "caption"))]

    def _rows(self, rows, kind):
        return [[row[0], [[cell[0], cell[1], cell[2], cell[3], self.blocks(cell[4], self._sub(kind, "table cell"))]
                          for cell in row[1]]] for row in rows]


# --- extraction ----------------------------------------------------------------

def extract(blocks: list[Block], by_sentence: bool = True, abbreviations=()) -> list[Unit]:
    """The units of a document, in reading order (footnotes after the
    sentence that calls them)."""
    found: list[Unit] = []
    rebuild(blocks, lambda unit, piece, notes: piece, by_sentence, abbreviations, on_unit=found.append)
    return found


def _notes_in(inlines: list[Inline]):
    for el in inlines:
        if el["t"] == "Note":
            yield el
        else:
            yield from _notes_in(children(el))


# --- rebuild -------------------------------------------------------------------

Translate = Callable[[Unit, list[Inline], dict[int, Inline]], list[Inline]]


def rebuild(blocks: list[Block], translate: Translate, by_sentence: bool = True, abbreviations=(),
            on_unit: Callable[[Unit], None] | None = None) -> list[Block]:
    """Rebuild ``blocks`` with each unit replaced by ``translate(unit,
    source_inlines, notes)``; ``notes`` maps the footnote numbers in the unit
    to their Note elements, already rebuilt, for the translation to place.
    ``on_unit`` sees every unit in reading order, a sentence before the
    footnotes it calls."""
    notes = _Notes()
    anchors = Anchors()
    walker: Walker

    def on_text(inlines, ctx: Context):
        pieces, seps = sentences(inlines, abbreviations, by_sentence and ctx.split)
        out: list[Inline] = []
        for i, piece in enumerate(pieces, 1):
            msgid = to_markdown(piece, notes)
            unit = Unit(msgid, first_line(piece), ctx.kind, ctx.section, ctx.paragraph, i, len(pieces),
                        has_words(msgid), anchors(msgid))
            if on_unit:
                on_unit(unit)
            rebuilt: dict[int, Inline] = {}
            # Every note in the piece is written "[^n]" in its msgid: where that
            # is missing there is none, and the walk down the piece is spared.
            for el in (_notes_in(piece) if "[^" in msgid else ()):
                n = notes.number(el)
                saved = walker.section
                walker.section = list(ctx.section)
                rebuilt[n] = {**el, "c": walker.blocks(el["c"], f"footnote {n}")}
                walker.section = saved
            done = translate(unit, piece, rebuilt)
            if i > 1:
                sep = seps[i - 2]
                style = sep.get(_SPLIT)
                if style and out and done and out[-1]["t"] == style and done[0]["t"] == style:
                    # two halves of one bold/italic run, both kept: one again
                    sep = {k: v for k, v in sep.items() if k != _SPLIT}
                    out[-1] = {**out[-1], "c": out[-1]["c"] + [sep] + done[0]["c"]}
                    out.extend(done[1:])
                    continue
                out.append({k: v for k, v in sep.items() if k != _SPLIT} if style else sep)
            out.extend(done)
        return out

    walker = Walker(on_text)
    return walker.blocks(blocks)

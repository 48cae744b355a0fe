"""Source tree + catalog → the tree of an edition.

Three kinds of edition per target language: the source (``fa``), the
translation (``en``) and the bilingual parallel text (``fa-en``).  A
translation is inline Markdown and nothing more: it is parsed with an inline
reader and then passed through an allow-list, so no raw HTML, image, block or
script can come from a PO file.
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Container
from dataclasses import dataclass, field


from . import catalog, languages, layout, status, titles, units
from .config import Document, Project
from .errors import PublishError
from .metadata import fields as metadata_fields
from .source import MAX_DEPTH, Source, no_gc, run_pandoc
from .normalize import CONTROLS
from .tree import SPACE_LIKE, STYLED, WRAPPING, children, defines_macros, nesting_depth, to_json, with_children
from .tree import words as _words

# The translation reader: CommonMark inline syntax plus the few extensions a
# translator needs (strikeout, sub/superscript, spans for small caps); no raw
# HTML or raw blocks, no tables or lists (a translation is one paragraph).
TRANSLATION_FORMAT = ("commonmark_x-smart-emoji-raw_html-raw_attribute-yaml_metadata_block"
                      "-fenced_divs-pipe_tables-definition_lists-alerts-task_lists"
                      "-implicit_header_references-footnotes-attributes+bracketed_spans")

SAFE_SCHEMES = ("http", "https", "mailto")
# Bidirectional overrides and isolates can reorder what a reader sees
# (Trojan Source); LRM/RLM/ALM are legitimate in Persian and stay.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_FOOTREF = re.compile(r"\[\^(\d+)\]")
_SEPARATOR = "\ue002"
# heading, list item, quotation, code fence, thematic break
_BLOCK_START = re.compile(r"#{1,6}(\s|$)|[-+*](\s|$)|>|\d{1,9}[.)](\s|$)|`{3}|~{3}|(?P<rule>[-*_])\s*((?P=rule)\s*){2,}$")
_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")


def direction(lang: str) -> str:
    """'rtl' or 'ltr', from Babel's locale data rather than a list of our own."""
    return languages.parse(lang).direction


def writes_latin_digits(lang: str) -> bool:
    """Whether the language's usual digits are 0–9 (CLDR's default numbering
    system: ``latn`` for en, ``arabext`` — ۰–۹ — for fa)."""
    return languages.parse(lang).digits == "0123456789"


@dataclass(frozen=True)
class Edition:
    name: str                 # fa, en, fa-en
    languages: tuple[str, ...]

    @property
    def lang(self) -> str:
        """The language of the edition's frame (title page, colophon)."""
        return self.languages[-1]

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1


def editions(project: Project) -> list[Edition]:
    src = project.source_language
    out = [Edition(src, (src,))]
    for lang in project.target_languages:
        out.append(Edition(lang, (lang,)))
        out.append(Edition(f"{src}-{lang}", (src, lang)))
    return out


# How much of an edition is translated: the catalog's own counts, taken over
# the units the edition actually prints.
Progress = catalog.Stats


@dataclass
class Assembled:
    document: Document
    edition: Edition
    blocks: list
    meta: dict[str, str]
    progress: dict[str, Progress] = field(default_factory=dict)
    _json: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def blocks_json(self) -> list[str]:
        """Each top-level block as pandoc JSON (``to_json``), written once for all the
        renderers of the edition (the page, the print page and the EPUB):
        at 100× the report one tree takes seconds to write.  Written again
        when ``blocks`` is replaced; a tree is never changed in place."""
        if self._json is None or self._json[0] is not self.blocks:
            self._json = (self.blocks, [to_json(b) for b in self.blocks])
        return self._json[1]


# --- translations -----------------------------------------------------------------

def _prepare(msgstr: str) -> tuple[str, list[str]]:
    """A translation as the reader gets it, and its translator's notes
    (``split_notes``), each prepared as a translation of its own."""
    # bidi controls and control characters never reach an edition (XML forbids
    # most; catalogs refuse those, see catalog._FORBIDDEN); a NEL is a line end
    text = CONTROLS.sub("", BIDI_CONTROLS.sub("", _PRIVATE.sub("", msgstr.replace("\x85", "\n"))))
    text = re.sub(r"\s*\n\s*", " ", text).strip()
    # the notes are cut out after the private-use characters are gone, so no
    # translation can forge a note's mark (nor a footnote's, below)
    text, notes = split_notes(text, lambda k: f"\ue003{k}\ue004")
    text = _FOOTREF.sub(lambda m: f"\ue000{m.group(1)}\ue001", text)
    # a [^N] in a note is text: the source's notes are placed in the translation only;
    # a ^[ in a note is text too (a note in a note): escaped, so it is no superscript
    return _paragraph(text), [_paragraph(_inner(n.strip())) for n in notes]


def _inner(note: str) -> str:
    """A note's text with the caret of each ^[ (a note in the note) and [^N]
    (a footnote mark, which only the translation itself places) escaped,
    outside code spans: both are printed as the text they are, and neither
    caret pairs with another into a superscript."""
    out, i, n = [], 0, len(note)
    while i < n:
        ch = note[i]
        if ch == "\\":
            out.append(note[i:i + 2])
            i += 2
            continue
        if ch == "`":
            end = _code_end(note, i)
            out.append(note[i:end])
            i = end
            continue
        if ch == "^" and (note.startswith("[", i + 1) or (i and note[i - 1] == "[")):
            out.append("\\")
        out.append(ch)
        i += 1
    return "".join(out)


def _paragraph(text: str) -> str:
    # A translation is one paragraph: neutralise what would start a block on
    # a line of its own (and only that: "*word*" at the start is emphasis).
    if _BLOCK_START.match(text):
        text = "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    if re.match(r"\[[^\]]*\]:", text):
        text = "\\" + text
    return text


# --- translator's notes --------------------------------------------------------------
# A translator adds a note of their own with pandoc's inline-note syntax, ^[…],
# anywhere in a translation.  The reader (commonmark_x) has no inline notes, and
# it leaves footnotes out on purpose ([^N] are the source's notes, placed by
# ``_place``), so a note is cut out of the text here, read as a translation of
# its own in the same pandoc runs, sanitised by the same allow-list, and put
# back where it was as a Note that says it is the translator's.

_NOTE_MARK = re.compile("\ue003(\\d+)\ue004")


def _code_end(text: str, i: int) -> int:
    """Where the code span opened by the backticks at ``i`` ends (after its
    closing run), as CommonMark reads it; after the opening run when it is
    never closed (the backticks are then text)."""
    j = i
    while j < len(text) and text[j] == "`":
        j += 1
    close = re.compile(f"(?<!`){text[i:j]}(?!`)").search(text, j)
    return close.end() if close else j


def note_spans(text: str) -> list[tuple[int, int]]:
    """Each translator's note ``^[…]`` of a translation as (start, end):
    ``text[start:end]`` is the whole note, its brackets matched (a link in it
    is fine); end is -1 for a note never closed.  A ``^[`` in a code span or
    after a backslash is text.  A note inside a note is part of the outer one."""
    out: list[tuple[int, int]] = []
    if "^[" not in text:   # nearly every translation: no scan
        return out
    i, n, depth, start = 0, len(text), 0, 0
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            i = _code_end(text, i)
            continue
        if depth == 0:
            if ch == "^" and text.startswith("[", i + 1):
                depth, start = 1, i
                i += 2
                continue
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
        i += 1
    if depth:
        out.append((start, -1))
    return out


def split_notes(text: str, mark=lambda k: "") -> tuple[str, list[str]]:
    """``text`` with each translator's note cut out (``mark(k)`` in the place
    of the k-th), and the notes' texts; a note never closed stays, as text."""
    out, notes, pos = [], [], 0
    for start, end in note_spans(text):
        if end < 0:
            break
        out += [text[pos:start], mark(len(notes))]
        notes.append(text[start + 2:end - 1])
        pos = end
    return "".join(out) + text[pos:], notes


def _note(content: list, lang: str | None) -> dict:
    """A translator's note: its label (render.labels, in the translation's
    language), then the note."""
    from .render.labels import label
    words: list = []
    for word in f"{label(lang or 'en', 'translator_note')}:".split():
        words += [{"t": "Space"}, {"t": "Str", "c": word}] if words else [{"t": "Str", "c": word}]
    marked = {"t": "Span", "c": [["", ["translator-note"], []], [{"t": "Emph", "c": words}]]}
    return {"t": "Note", "c": [{"t": "Para", "c": [marked, {"t": "Space"}, *_no_pictures(content)]}]}


def _no_pictures(inlines: list) -> list:
    """A note's words without pictures: a picture in a translation is shown
    only when its source sentence has it (``_place``), which a note has not;
    its description is kept."""
    out = []
    for el in inlines:
        t = el["t"]
        if t == "Image":
            out += _no_pictures(el["c"][1])
        elif t in STYLED:
            out.append({"t": t, "c": _no_pictures(el["c"])})
        elif t in WRAPPING:
            out.append({"t": t, "c": [el["c"][0], _no_pictures(el["c"][1]), *el["c"][2:]]})
        else:
            out.append(el)
    return out


def _take_marks(inlines: list, found: list[int]) -> list:
    """``inlines`` without note marks; the marks' numbers into ``found``."""
    out = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t in ("Str", "Math", "Code") and "\ue003" in (c if t == "Str" else c[1]):
            text = c if t == "Str" else c[1]
            found += [int(k) for k in _NOTE_MARK.findall(text)]
            text = _NOTE_MARK.sub("", text)
            if t == "Str":
                if text:
                    out.append({"t": "Str", "c": text})
            else:
                out.append({"t": t, "c": [c[0], text]})
        elif t in STYLED:
            out.append({"t": t, "c": _take_marks(c, found)})
        elif t in WRAPPING or t == "Image":
            out.append({"t": t, "c": [c[0], _take_marks(c[1], found), *c[2:]]})
        else:
            out.append(el)
    return out


def _attach(inlines: list, notes: list, depth: int = 2) -> list:
    """Each note mark replaced by its note (``notes[k]``, a Note).  A note
    whose mark is in a link's words or a picture's description follows the
    link or picture: a note's call is a link, and links do not nest."""
    out: list = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t == "Str" and "\ue003" in c:
            pos = 0
            for m in _NOTE_MARK.finditer(c):
                if m.start() > pos:
                    out.append({"t": "Str", "c": c[pos:m.start()]})
                out += _placed(notes, int(m.group(1)), depth)
                pos = m.end()
            if c[pos:]:
                out.append({"t": "Str", "c": c[pos:]})
        elif t in STYLED:
            out.append({"t": t, "c": _attach(c, notes, depth + 1)})
        elif t in ("Span", "Quoted"):
            out.append({"t": t, "c": [c[0], _attach(c[1], notes, depth + 1)]})
        elif t in ("Link", "Image", "Math"):
            found: list[int] = []
            out += _take_marks([el], found)
            for k in found:
                out += _placed(notes, k, depth)
        else:
            out.append(el)
    return out


def _placed(notes: list, k: int, depth: int) -> list:
    note = notes[k] if k < len(notes) else None
    if note is None:
        return []
    notes[k] = None   # each note once
    if depth + nesting_depth(note) > MAX_DEPTH:
        raise _TooDeep
    return [note]


# Translations per pandoc run: a catalog of 11,000 is read in eleven runs, two
# at a time, and only two batches' raw trees are held at once, not all of them.
BATCH = 1000


# English translations are parsed with pandoc's smart punctuation: "…" and
# '…' become quotations (printed “…” ‘…’), it's → it’s, -- and --- dashes,
# ... an ellipsis.  At assembly, never in the catalogs, so the translator's
# text and the checks see what was typed.  Only English: pandoc prints “…”
# whatever the language, which is wrong in German („…“) or French («…»), and
# Persian keeps the «…» its translators type.
SMART_LANGUAGES = ("en",)


def smart_format(lang: str | None) -> str:
    """The reader of a translation into ``lang``."""
    if lang and languages.parse(lang).locale.language in SMART_LANGUAGES:
        return TRANSLATION_FORMAT.replace("-smart", "+smart")
    return TRANSLATION_FORMAT


def parse_translations(texts: list[str], lang: str | None = None) -> list[list]:
    """Inline trees for many translations (into ``lang``: see
    ``smart_format``), batched into few pandoc runs."""
    if not texts:
        return []
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor
    # the translations, then their translator's notes, read in the same runs
    prepared, owners, notes_of = [], [], []
    for i, t in enumerate(texts):
        text, notes = _prepare(t)
        prepared.append(text)
        notes_of.append(notes)
    for i, notes in enumerate(notes_of):
        notes_of[i] = list(range(len(prepared), len(prepared) + len(notes)))
        owners += [i] * len(notes)
        prepared += notes
    # A separator no translation can forge (an entity decodes to any
    # character, so a fixed one could shift text from one unit to the next).
    sep = _SEPARATOR + uuid.uuid4().hex
    starts = deque(range(0, len(prepared), BATCH))
    fmt = smart_format(lang)
    parsed: list[list] = []
    with ThreadPoolExecutor(2) as pool:
        running = deque()

        def more():
            if starts:
                i = starts.popleft()
                group = prepared[i:i + BATCH]
                running.append((i, group, pool.submit(_parse_or_none, f"\n\n{sep}\n\n".join(p or sep + sep for p in group),
                                                      fmt)))

        more(), more()
        while running:
            i, group, future = running.popleft()
            blocks = future.result()
            more()
            try:
                parsed.extend(_read_batch(blocks, group, i, sep, fmt))
            except TranslationError as exc:   # in a note: the translation it is in
                exc.index = exc.index if exc.index < len(texts) else owners[exc.index - len(texts)]
                raise
    out = parsed[:len(texts)]
    for i, numbers in enumerate(notes_of):
        if numbers:
            notes = [_note(parsed[k], lang) if parsed[k] else None for k in numbers]   # ^[] is no note
            try:
                out[i] = _attach(out[i], notes)
            except _TooDeep:
                raise TranslationError(i, f"markup nested more than {MAX_DEPTH} deep") from None
            out[i] += [n for n in notes if n is not None]   # a note is never lost
    return out


def _parse_or_none(joined: str, fmt: str = TRANSLATION_FORMAT) -> list | None:
    # How deep the batch nests is measured by the walks that read it
    # (_split_batch, _sanitise) rather than by a walk of its own.
    try:
        return _parse(joined, measured=False, fmt=fmt)
    except _TooDeep:
        return None


def _read_batch(blocks: list | None, group: list[str], first: int, sep: str,
                fmt: str = TRANSLATION_FORMAT) -> list[list]:
    if blocks is not None:
        try:
            groups = _split_batch(blocks, len(group), sep)
            if groups is not None:
                return [_sanitise(g) for g in groups]
        except _TooDeep:
            pass
    # something spilled across the separators, or nests too deep: one at a time
    parsed = []
    for k, p in enumerate(group):
        try:
            parsed.append(_sanitise(_split_batch(_parse(p, fmt=fmt), 1, sep)[0]) if p else [])
        except _TooDeep:
            raise TranslationError(first + k, f"markup nested more than {MAX_DEPTH} deep") from None
    return parsed


class TranslationError(PublishError):
    """A translation that cannot be read; ``index`` says which of the batch."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


class _TooDeep(Exception):
    pass


def _parse(markdown: str, measured: bool = True, fmt: str = TRANSLATION_FORMAT) -> list:
    """pandoc's blocks for ``markdown``; unless ``measured`` is False (the
    caller's walks measure it), refused when they nest deeper than
    MAX_DEPTH: our own walks recurse."""
    out = run_pandoc(["-f", fmt, "-t", "json"], markdown, "translations")
    try:
        blocks = json.loads(out)["blocks"]
    except RecursionError:
        raise _TooDeep from None
    if measured and nesting_depth(blocks) > MAX_DEPTH:
        raise _TooDeep
    return blocks


def _split_batch(blocks: list, expected: int, sep: str) -> list[list] | None:
    """The inlines of each translation.  The inlines of a paragraph or a
    heading are measured by ``_sanitise``; any other block is measured here."""
    groups: list[list] = [[]]
    for b in blocks:
        t = b["t"]
        if t == "Para" and b["c"] == [{"t": "Str", "c": sep}]:
            groups.append([])
        else:
            if t not in ("Para", "Plain", "Header") and nesting_depth(b) > MAX_DEPTH:
                raise _TooDeep
            groups[-1].append(b)
    if len(groups) != expected:
        return None
    out = []
    for g in groups:
        inl: list = []
        for b in g:
            if inl:
                inl.append({"t": "Space"})
            inl.extend(_block_inlines(b))
        if inl == [{"t": "Str", "c": sep + sep}]:
            inl = []
        out.append(inl)
    return out


def _block_inlines(block) -> list:
    t, c = block["t"], block.get("c")
    if t in ("Para", "Plain"):
        return c
    if t == "Header":
        return c[2]
    if t in ("CodeBlock", "RawBlock"):  # an HTML block (<script>, <!--, <svg …>) is shown as the text it is
        return _words(c[1])
    out: list = []
    for el in _children_blocks(block):
        if out:
            out.append({"t": "Space"})
        out.extend(_block_inlines(el))
    return out


def _children_blocks(block):
    c = block.get("c")
    if isinstance(c, list):
        for x in c:
            if isinstance(x, dict) and "t" in x:
                yield x
            elif isinstance(x, list):
                yield from _children_blocks({"c": x})


_KEEP = {"Str", *SPACE_LIKE, *STYLED, *WRAPPING, "Code", "Math", "Image"}


def _safe_url(url: str) -> bool:
    url = url.strip()
    if url.startswith("#"):
        return True
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return bool(m) and m.group(1).lower() in SAFE_SCHEMES


def _sanitise(inlines: list, depth: int = 2) -> list:
    """The allowed part of a translation's inlines.  ``depth`` is how deep
    they sit (in a paragraph: 2); deeper than MAX_DEPTH is refused, as
    ``nesting_depth`` counts, for the walks after this one recurse."""
    out: list = []
    if inlines and depth > MAX_DEPTH:
        raise _TooDeep
    for el in inlines:
        t, c = el["t"], el.get("c")
        # the common kinds first: their content holds no element but their inlines
        if t == "Str":
            out.append({"t": "Str", "c": c if c.isascii() else BIDI_CONTROLS.sub("", c)})
            continue
        if t in SPACE_LIKE:
            out.append({"t": t})
            continue
        if t in STYLED:
            out.append({"t": t, "c": _sanitise(c, depth + 1)})
            continue
        if t == "Link":
            url, title = c[2]
            if _safe_url(url):
                out.append({"t": "Link", "c": [["", [], []], _sanitise(c[1], depth + 1), [url.strip(), title]]})
            else:
                out.extend(_sanitise(c[1], depth + 1))  # keep the words, drop the target
            continue
        if t == "Span":
            classes = [k for k in c[0][1] if k in ("smallcaps", "underline")]
            out.append({"t": "Span", "c": [["", classes, []], _sanitise(c[1], depth + 1)]})
            continue
        if t == "Image":
            out.append({"t": "Image", "c": [["", [], []], _sanitise(c[1], depth + 1), c[2]]})  # checked against the source later
            continue
        if t == "Code":
            out.append({"t": t, "c": [["", [], []], c[1]]})
            continue
        # anything else (Quoted, Math, Cite, RawInline, Note …) is measured whole, kept or not
        if depth - 1 + nesting_depth(el) > MAX_DEPTH:
            raise _TooDeep
        if t not in _KEEP:
            if t == "RawInline":
                out.append({"t": "Str", "c": c[1]})
            elif t == "Cite":
                out.extend(_sanitise(c[1], depth + 1))
            continue
        if t == "Quoted":
            out.append({"t": t, "c": [c[0], _sanitise(c[1], depth + 1)]})
        elif t == "Math":
            if defines_macros(c[1]):  # shown as the TeX it is, never expanded (see tree.defines_macros)
                fence = "$$" if c[0]["t"] == "DisplayMath" else "$"
                out.append({"t": "Code", "c": [["", [], []], fence + c[1] + fence]})
            else:
                out.append({"t": t, "c": c})
    return out


def _images(inlines) -> set[str]:
    found = set()
    for el in _walk_inlines(inlines):
        if el["t"] == "Image":
            found.add(el["c"][2][0])
    return found


def _walk_inlines(inlines):
    for el in inlines:
        yield el
        yield from _walk_inlines(children(el))


class _SourceImages:
    """The images of a source piece, looked for only when a translation
    has an image to place (few have: the walk is spared for the others)."""
    __slots__ = ("piece", "found")

    def __init__(self, piece: list):
        self.piece, self.found = piece, None

    def __contains__(self, url) -> bool:
        if self.found is None:
            self.found = _images(self.piece)
        return url in self.found


def _needs_placing(inlines: list) -> bool:
    """Whether ``_place`` would change anything in a translation: a
    footnote mark to replace or an image to check."""
    for el in inlines:
        t = el["t"]
        if t == "Str":
            if "\ue000" in el["c"]:
                return True
        elif t == "Image":
            return True
        elif t in STYLED:
            if _needs_placing(el["c"]):
                return True
        elif t in WRAPPING:
            if _needs_placing(el["c"][1]):
                return True
    return False


def _place(inlines: list, notes: dict[int, dict], allowed_images: Container[str], placed: set[int]) -> list:
    """Put footnotes where the translator put ``[^N]``; images only if the
    source sentence has the same image."""
    out: list = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t == "Str" and "\ue000" in c:
            pos = 0
            for m in _PLACEHOLDER.finditer(c):
                if m.start() > pos:
                    out.append({"t": "Str", "c": c[pos:m.start()]})
                n = int(m.group(1))
                if n in notes and n not in placed:
                    out.append(notes[n])
                    placed.add(n)
                pos = m.end()
            rest = c[pos:].replace("\ue000", "").replace("\ue001", "")
            if rest:
                out.append({"t": "Str", "c": rest})
        elif t == "Image":
            if c[2][0] in allowed_images:
                out.append(el)
            else:
                out.extend(_place(c[1], notes, allowed_images, placed))
        elif t in STYLED or t in WRAPPING:
            out.append(with_children(el, _place(children(el), notes, allowed_images, placed)))
        else:
            out.append(el)
    return out


def localise_digits(inlines: list, lang: str) -> list:
    """Digits follow the edition: Latin digits where the language writes them."""
    if not writes_latin_digits(lang):
        return inlines
    out = []
    for el in inlines:
        if el["t"] == "Str":
            out.append({**el, "c": el["c"].translate(_PERSIAN_DIGITS)})
        elif el["t"] in STYLED or el["t"] in WRAPPING:  # link text too; the URL stays as it is
            out.append(with_children(el, localise_digits(children(el), lang)))
        else:
            out.append(el)
    return out


# --- editions -----------------------------------------------------------------

@dataclass
class Translations:
    """A catalog ready for assembly: msgid → (inlines, state)."""
    lang: str
    entries: dict[str, tuple[list, str]]
    # msgids whose inlines need no placing (no footnote mark, no image):
    # they go into the edition as they are
    plain: set[str] = field(default_factory=set)
    # the title, subtitle, author and organisation entries (msgctxt, see titles), kept
    # apart from the units: a title is often also a heading, and is printed as plain text
    meta: titles.Entries = field(default_factory=dict)

    @classmethod
    def load(cls, project: Project, doc: Document, lang: str) -> "Translations":
        path = project.po_path(doc, lang)
        rel = str(path.relative_to(project.root))
        if not path.exists():
            return cls(lang, {})
        po = catalog.read(path, rel)
        catalog.check_language(po, lang, rel)
        catalog.check_document(po, doc.name, [d.name for d in project.documents if d is not doc], rel)
        # a translation of only spaces or invisible characters is none (status.state)
        active = [e for e in po if not e.obsolete and e.msgid and e.msgctxt is None
                  and status.state(e.msgstr, e.flags) != "untranslated"]
        try:
            with no_gc():  # a tree of every translation, and no cycle in it
                parsed = parse_translations([e.msgstr for e in active], lang)
        except TranslationError as exc:
            raise PublishError(exc.message, path=rel, line=active[exc.index].linenum) from None
        entries = {}
        plain = set()
        for e, inl in zip(active, parsed):
            entries[e.msgid] = (inl, status.state(e.msgstr, e.flags))
            if not _needs_placing(inl):
                plain.add(e.msgid)
        return cls(lang, entries, plain, titles.catalog_entries(po))


def build_tree(src: Source, project: Project, lang: str, tr: Translations | None,
               mark_units: bool) -> tuple[list, Progress]:
    """The source tree in ``lang``: each unit replaced by its translation,
    or by the source marked untranslated/fuzzy when there is none.

    Every unit with words stands in a span ``.u`` with the id ``u-<anchor>``
    (``units.anchor``: from its own text, so a link from a PO comment, from
    ``check``'s output or from Weblate lands on it after any edit elsewhere)
    and ``data-u``, its place in this walk (the preview's click box; the
    parallel text's pairs).  ``mark_units``: the untranslatable ones too."""
    counter = [0]
    src_dir = direction(project.source_language)
    # Progress is status.count of the units this walk meets, so the colophon
    # and build's summary give the numbers publish status gives: a sentence
    # printed twice is one entry, translated once.
    met: list[status.Counted] = []

    def count(msgid: str, state: str) -> None:
        met.append(status.Counted(None, msgid, state))

    def translate(unit: units.Unit, piece: list, notes: dict) -> list:
        counter[0] += 1
        attrs = [["data-u", str(counter[0])]]
        ident = f"u-{unit.anchor}"
        if tr is None:  # the source edition
            out = _place_notes_from_source(piece, notes)
            return [{"t": "Span", "c": [[ident, ["u"], attrs], out]}] if mark_units or unit.translatable else out
        if not unit.translatable:
            return localise_digits(_place_notes_from_source(piece, notes), lang)
        found = tr.entries.get(unit.msgid)
        if found and found[1] == "translated":
            count(unit.msgid, "translated")
            if unit.msgid in tr.plain:  # shared, not copied: no tree is changed in place
                out = [*found[0], *(notes[n] for n in sorted(notes))]
            else:
                placed: set[int] = set()
                out = _place(found[0], notes, _SourceImages(piece), placed)
                out += [notes[n] for n in sorted(notes) if n not in placed]  # a footnote is never lost
            return [{"t": "Span", "c": [[ident, ["u"], attrs], out]}]
        state = "fuzzy" if found else "untranslated"
        count(unit.msgid, state)
        out = _place_notes_from_source(piece, notes)
        return [{"t": "Span", "c": [[ident, ["u", state], attrs + [["lang", project.source_language], ["dir", src_dir]]],
                                    out]}]

    blocks = units.rebuild(src.blocks, translate, project.segmentation == "sentence", project.abbreviations)
    # the title and the rest, units of the catalog too, are added by ``assemble``, which knows the document
    return blocks, status.count(met)


def _place_notes_from_source(piece: list, notes: dict) -> list:
    if not notes:
        return piece
    # rebuilt notes replace the originals in order of appearance
    return _swap_notes(piece, iter(notes[k] for k in sorted(notes)))


def _swap_notes(inlines: list, rebuilt) -> list:
    out = []
    for el in inlines:
        t = el["t"]
        if t == "Note":
            out.append(next(rebuilt, el))
        elif t in STYLED or t in WRAPPING:
            out.append(with_children(el, _swap_notes(children(el), rebuilt)))
        else:
            out.append(el)
    return out


# where the Attr sits in the content of the elements that have one
_ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "Table": 0, "Figure": 0, "CodeBlock": 0, "Code": 0,
            "Link": 0, "Image": 0}
_ID_PREFIXED = ("Header", "Div", "Span", "Table", "Figure", "CodeBlock", "Code")
_NO_IDS = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "RawBlock",
                     "HorizontalRule"})


def _prefix_ids(node, prefix: str):
    """``node`` with every id prefixed.  What changes is copied (a rebuilt
    tree shares its attributes with the source tree); what does not is
    shared, as everywhere else: no tree is changed in place."""
    if isinstance(node, list):
        out = None
        for i, x in enumerate(node):
            if isinstance(x, dict):
                if x.get("t") in _NO_IDS:
                    continue
                y = _prefix_element(x, prefix)
            elif isinstance(x, list):
                y = _prefix_ids(x, prefix)
            else:
                continue
            if y is not x:
                if out is None:
                    out = list(node)
                out[i] = y
        return node if out is None else out
    if isinstance(node, dict):
        return _prefix_element(node, prefix)
    return node


def _prefix_element(node: dict, prefix: str) -> dict:
    if "c" not in node:
        return node
    t, c = node["t"], node["c"]
    at = _ATTR_AT.get(t)
    if at is None or not isinstance(c, list):
        new = _prefix_ids(c, prefix)
        return node if new is c else {**node, "c": new}
    out = None
    for i, x in enumerate(c):
        if i == at:  # an Attr holds no element
            if t in _ID_PREFIXED and x[0]:
                y = [prefix + x[0], *x[1:]]
            else:
                continue
        else:
            y = _prefix_ids(x, prefix)
        if y is not x:
            if out is None:
                out = list(c)
            out[i] = y
    return node if out is None else {**node, "c": out}


def _lang_attrs(lang: str) -> list:
    return [["lang", lang], ["dir", direction(lang)]]


def _div(lang: str, blocks: list, classes: list[str]) -> dict:
    return {"t": "Div", "c": [["", classes, _lang_attrs(lang)], blocks]}


def assemble(project: Project, doc: Document, edition: Edition, src: Source,
             translations: dict[str, Translations]) -> Assembled:
    with no_gc():  # a new tree of a million elements, and no cycle among them
        blocks, progress = _edition_tree(project, edition, src, translations)
    for lang, prog in progress.items():   # the title and the rest: units like the others (status.heads)
        status.count(status.heads(project, doc, lang, translations[lang].meta), into=prog)
    # (the source edition's JSON is written like any other's: its units stand
    # in anchored spans, so it is no longer the source tree, whose JSON the
    # source keeps; at 100× the report that costs 0.8 s)
    return Assembled(doc, edition, blocks, metadata(project, doc, edition, translations), progress)


def _edition_tree(project: Project, edition: Edition, src: Source,
                  translations: dict[str, Translations]) -> tuple[list, dict[str, Progress]]:
    progress: dict[str, Progress] = {}
    if not edition.bilingual:
        lang = edition.languages[0]
        tr = None if lang == project.source_language else translations[lang]
        blocks, prog = build_tree(src, project, lang, tr, mark_units=False)
        if tr is not None:
            progress[lang] = prog
        return layout.single(blocks, lang, layout.Numbers(project.figures_numbered)), progress
    left, right = edition.languages
    a, _ = build_tree(src, project, left, None, mark_units=True)
    b, prog = build_tree(src, project, right, translations[right], mark_units=True)
    b = _prefix_ids(b, f"{right}-")  # both sides come from one tree: ids must differ
    progress[right] = prog
    numbers = layout.Numbers(project.figures_numbered)
    blocks = []
    for x, y in zip(a, b):
        if x["t"] in ("HorizontalRule",):
            blocks.append(x)
            continue
        if layout.lone_picture(x):
            n = numbers.next()
            shared = layout.shared_figure(x, y, (left, right), n, _lang_attrs)
            if shared is not None:   # one picture across both columns
                blocks.append(shared)
                continue
            x = layout.figure(x, left, n)
            y = layout.figure(y, right, n) if layout.lone_picture(y) else y
        elif x["t"] == "Table" and y["t"] == "Table":
            x, y = layout.mark_table(x), layout.mark_table(y)
            if not layout.fits_column(x, y):   # across the page, the original first
                blocks.append({"t": "Div", "c": [["", ["stacked"], []], [
                    _div(left, [_notes_in(x, left)], ["side", "source"]),
                    _div(right, [_notes_in(y, right)], ["side", "target"])]]})
                continue
        blocks.append({"t": "Div", "c": [["", ["pair"], []], [
            _div(left, [_notes_in(x, left)], ["side", "source"]),
            _div(right, [_notes_in(y, right)], ["side", "target"])]]})
    return blocks, progress


def _notes_in(node, lang: str):
    """``node`` with the content of each footnote marked with ``lang``:
    pandoc moves notes out of the side that holds them, to the end of the
    page, where they would take the page's language, fonts and direction
    (a Persian note set in a Latin fallback font)."""
    if isinstance(node, list):
        new = [_notes_in(x, lang) for x in node]
        return node if all(a is b for a, b in zip(new, node)) else new
    if not isinstance(node, dict) or "c" not in node:
        return node
    if node["t"] == "Note":
        return {**node, "c": [_div(lang, node["c"], ["note"])]}
    if node["t"] in ("Str", "Code", "CodeBlock", "RawInline", "RawBlock", "Math"):
        return node
    c = _notes_in(node["c"], lang)
    return node if c is node["c"] else {**node, "c": c}


def metadata(project: Project, doc: Document, edition: Edition,
             translations: dict[str, Translations] | None = None) -> dict[str, str]:
    """What the editions print around the text.  The title, subtitle, author
    and publisher are in the edition's language: publish.yml's value for it,
    else the catalog's translation, else the source's, and then
    ``<key>-lang`` names the language they are in, for the renderers to set
    them in its font and direction (see ``titles``).  ``edition-title`` is
    what the edition is called (HTML <title>, EPUB dc:title, PDF Title,
    running head): the parallel text's is both titles, "source / translation",
    or one where they are the same."""
    lang = edition.lang
    src = project.source_language
    base = project.identifier or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:' + doc.name)}"
    ident = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base + '#' + doc.name + '/' + edition.name)}"
    tr = (translations or {}).get(lang)
    resolved = titles.resolve(project, doc, lang, tr.meta if tr is not None else None)
    meta = {
        **{key: r.text for key, r in resolved.items()},   # title, subtitle, author, publisher
        "lang": lang,
        "dir": direction(lang),
        "date": project.build_date(),
        "identifier": ident,
        "edition": project.edition,
        "document": doc.name,
        "edition-name": edition.name,
        "source-lang": src,   # the language of what is printed untranslated
    }
    # publisher (when set, instead of the organisation), description,
    # keywords, translators, rights, licence, ISBNs: only those given
    meta.update(metadata_fields(project, doc, edition))
    # the text's own date (the date it was written, as its front matter
    # says; "date" above is the edition's)
    if doc.date:
        meta["text-date"] = doc.date
    for key, r in resolved.items():
        if r.text and r.lang != lang and meta[key] == r.text:   # fell back to the source's
            meta[f"{key}-lang"] = r.lang
    meta["edition-title"] = meta["title"]
    if meta.get("title-lang"):
        meta["edition-title-lang"] = meta["title-lang"]
    if edition.bilingual:
        source = titles.resolve(project, doc, src, None)
        meta["title-source"] = source["title"].text
        meta["subtitle-source"] = source["subtitle"].text
        meta["author-source"] = source["author"].text
        both = [t for t in dict.fromkeys([meta["title-source"], meta["title"]]) if t]
        meta["edition-title"] = " / ".join(both)
        meta.pop("edition-title-lang", None)
        if both == [meta["title-source"]]:   # one title, the source's
            meta["edition-title-lang"] = src
    return meta

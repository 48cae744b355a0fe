"""How an edition sets its pictures and tables, decided in the tree so that
the page, the print page and the EPUB agree.

* A paragraph that is one picture becomes a figure (pandoc's ``Figure``:
  ``<figure>``/``<figcaption>`` in HTML and EPUB) captioned with the
  picture's description in the edition's language — the alt text is part of
  the picture's unit, so the translator's words are the caption — or its
  title when it has no description; ``Figure 1:`` before it when the
  project numbers figures (``figures: {numbered: true}``).
* A table too wide to sit comfortably in the text block is marked ``wide``
  (print sets it smaller).
* In the parallel text, a picture both sides show is one figure across the
  page with both captions, not one copy per column; and a table that cannot
  fit half the page is set across the page, the original then the
  translation, instead of in the columns.

Every function returns its input when it changes nothing and otherwise new
blocks sharing what did not change: no tree is changed in place.
"""
from __future__ import annotations

from .render.labels import label
from .tree import SPACE_LIKE, stringify
from .tree import words as _words

# Estimates in characters of the text type, from the narrowest paper (A5,
# the default): its text block holds about 65 characters a line, half of it
# (a column of the parallel text, less the gutter) about 30.  A table can be
# no narrower than the longest word of each column plus the cell's padding
# (about two characters), so that sum says whether it fits a column; on A4
# the estimate errs on the safe side (a table across the page that would
# have fitted a column).  A table whose longest cells do not fit side by side
# on a line would wrap its cells: print sets it smaller first.
CELL_PADDING = 2
COLUMN = 30
LINE = 65
MAX_COLUMNS_IN_HALF = 3   # four columns of figures in half an A5 page left no room for the numbers (issue 15)


# --- pictures -----------------------------------------------------------------

def lone_picture(block: dict) -> tuple[dict, dict | None] | None:
    """(the image, the span around it or None) when ``block`` is a paragraph
    holding nothing but one picture; a parallel text's or an untranslated
    unit's picture sits in the unit's span."""
    if block.get("t") != "Para":
        return None
    inlines = [x for x in block["c"] if x["t"] not in SPACE_LIKE]
    if len(inlines) != 1:
        return None
    el = inlines[0]
    if el["t"] == "Image":
        return el, None
    if el["t"] == "Span":
        inner = [x for x in el["c"][1] if x["t"] not in SPACE_LIKE]
        if len(inner) == 1 and inner[0]["t"] == "Image":
            return inner[0], el
    return None


def caption(image: dict, span: dict | None, lang: str, number: int | None) -> list:
    """The caption's inlines: the picture's description (else its title) in
    the language the picture's unit is printed in — marked with it when that
    is not the edition's (an untranslated unit) — after "Figure N:" in the
    edition's language."""
    alt = image["c"][1] or _words(image["c"][2][1])
    if not alt:
        return []
    marked = [kv for kv in (span["c"][0][2] if span else []) if kv[0] in ("lang", "dir")]
    text = [{"t": "Span", "c": [["", [], marked], alt]}] if marked else list(alt)
    if number is None:
        return text
    return [*_words(label(lang, "figure", n=number)), {"t": "Space"}, *text]


def figure(block: dict, lang: str, number: int | None, classes: tuple[str, ...] = ()) -> dict:
    image, span = lone_picture(block)
    inlines = caption(image, span, lang, number)
    body = [x for x in block["c"] if x["t"] not in SPACE_LIKE]
    captions = [{"t": "Plain", "c": inlines}] if inlines else []
    return {"t": "Figure", "c": [["", list(classes), []], [None, captions], [{"t": "Plain", "c": body}]]}


def shared_figure(source: dict, target: dict, langs: tuple[str, str], number: int | None,
                  side_attrs) -> dict | None:
    """One figure for a pair whose sides are both the same picture: the
    source's picture (in its unit's span, for the page's highlighting), and
    the two captions, each in its language.  None when the sides differ."""
    a, b = lone_picture(source), lone_picture(target)
    if not a or not b or a[0]["c"][2][0] != b[0]["c"][2][0]:
        return None
    captions = []
    for (image, span), lang in zip((a, b), langs):
        inlines = caption(image, span, lang, number)
        if inlines:
            captions.append({"t": "Div", "c": [["", [], side_attrs(lang)], [{"t": "Plain", "c": inlines}]]})
    body = [x for x in source["c"] if x["t"] not in SPACE_LIKE]
    # the figure in the original's language: the picture's alt text is the original's
    return {"t": "Figure", "c": [["", ["shared"], side_attrs(langs[0])], [None, captions],
                                 [{"t": "Plain", "c": body}]]}


# --- tables -------------------------------------------------------------------

def _cells(table: dict):
    """(column, cell) for every cell of the head, bodies and foot."""
    _, _, _, head, bodies, foot = table["c"]
    rows = [*head[1], *(r for body in bodies for r in (*body[2], *body[3])), *foot[1]]
    for row in rows:
        col = 0
        for cell in row[1]:
            yield col, cell
            col += cell[3]   # its column span


def _words_of(blocks: list) -> list[str]:
    words = []
    for b in blocks:
        if b["t"] in ("Plain", "Para"):
            words += stringify(b["c"]).split()
        elif b["t"] == "Div":
            words += _words_of(b["c"][1])
    return words


def widths(*tables: dict) -> tuple[int, int, int]:
    """(columns, the least width in characters the tables can be set in,
    the width they take unwrapped): per column the longest word, and the
    longest cell, plus padding; the widest of ``tables`` (the two sides of a
    pair)."""
    word: dict[int, int] = {}
    cell_: dict[int, int] = {}
    columns = 0
    for table in tables:
        columns = max(columns, len(table["c"][2]))
        for col, cell in _cells(table):
            words = _words_of(cell[4])
            if words:
                word[col] = max(word.get(col, 0), *map(len, words))
                cell_[col] = max(cell_.get(col, 0), len(" ".join(words)))
    return (columns, sum(n + CELL_PADDING for n in word.values()),
            sum(n + CELL_PADDING for n in cell_.values()))


def _with_class(block: dict, cls: str) -> dict:
    (ident, classes, attrs), *rest = block["c"]
    return block if cls in classes else {**block, "c": [[ident, [*classes, cls], attrs], *rest]}


def fits_column(source: dict, target: dict) -> bool:
    columns, least, _ = widths(source, target)
    return columns <= MAX_COLUMNS_IN_HALF and least <= COLUMN


def mark_table(block: dict) -> dict:
    _, _, unwrapped = widths(block)
    return _with_class(block, "wide") if unwrapped > LINE else block


# --- editions -----------------------------------------------------------------

class Numbers:
    """The figure count of an edition, when the project numbers figures."""

    def __init__(self, numbered: bool):
        self.numbered, self.n = numbered, 0

    def next(self) -> int | None:
        if not self.numbered:
            return None
        self.n += 1
        return self.n


def single(blocks: list, lang: str, numbers: Numbers) -> list:
    """A one-language edition's blocks with figures made and tables marked;
    into divisions (an imported page's sections), not into lists or
    quotations, where a picture stays in its line."""
    out = None
    for i, b in enumerate(blocks):
        t = b["t"]
        if t == "Para" and lone_picture(b):
            new = figure(b, lang, numbers.next())
        elif t == "Table":
            new = mark_table(b)
        elif t == "Div":
            inner = single(b["c"][1], lang, numbers)
            new = b if inner is b["c"][1] else {**b, "c": [b["c"][0], inner]}
        else:
            continue
        if new is not b:
            if out is None:
                out = list(blocks)
            out[i] = new
    return blocks if out is None else out

"""Where a PDF puts its ink, read back with pdfplumber: what a reader would
see as a printing fault, found without looking at the pages.

* a glyph or a picture outside the page box (cut off by the paper's edge);
* a picture wider or taller than the text block, when the caller gives the
  margins (it reaches into the margin where running heads are);
* two glyphs printed on top of each other: a line over another line, a
  table spilling into the other column, a picture over text, or two
  pictures over each other.

``faults(path)`` lists them, one line each with its page; ``assert_sound``
fails with that list.  Any test that builds a PDF can call it.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
# the smallest of print.css's page margins (top, outer/inner, bottom), in mm
TEXT_BLOCK_MARGINS = (18, 13, 20, 13)
# Overlaps under this (points) are type, not faults: kerning, an accent's
# box touching the next letter, anti-aliasing of a picture's edge.
SLACK = 0.5
# Two glyphs are printed over each other when their boxes share this much
# of the smaller box in both directions.  Lines set at 1.2 or more never do;
# neighbours in a line share at most a kerning's sliver.
SHARED = 0.4


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float
    what: str
    seq: int = -10   # a glyph's place among the page's glyphs, in the order they are drawn

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _shared(a: Box, b: Box) -> tuple[float, float]:
    return min(a.x1, b.x1) - max(a.x0, b.x0), min(a.bottom, b.bottom) - max(a.top, b.top)


def _over(a: Box, b: Box) -> bool:
    w, h = _shared(a, b)
    return (w > SHARED * min(a.width, b.width) and h > SHARED * min(a.height, b.height)
            and w > SLACK and h > SLACK)


def _glyphs(page) -> list[Box]:
    out = []
    for c in page.chars:
        text = c["text"]
        # a mark (harakat, ZWNJ) has no advance of its own: it sits on its
        # letter by design; white space draws nothing
        if c["x1"] - c["x0"] < SLACK or not text.strip():
            continue
        out.append(Box(c["x0"], c["top"], c["x1"], c["bottom"], repr(text), len(out)))
    return out


def _pictures(page) -> list[Box]:
    return [Box(i["x0"], i["top"], i["x1"], i["bottom"], f"picture {round(i['width'])}×{round(i['height'])} pt")
            for i in page.images]


def _describe(b: Box) -> str:
    return f"{b.what} at ({b.x0:.0f}, {b.top:.0f})–({b.x1:.0f}, {b.bottom:.0f})"


def _crossings(boxes: list[Box], others: list[Box] | None = None) -> list[tuple[Box, Box]]:
    """Pairs of boxes printed over each other: among ``boxes``, or each of
    ``boxes`` with each of ``others``.  A sweep along x keeps a page of
    2,000 glyphs to a few thousand comparisons."""
    found = []
    if others is None:
        boxes = sorted(boxes, key=lambda b: b.x0)
        starts = [b.x0 for b in boxes]
        for i, a in enumerate(boxes):
            top, bottom = a.top, a.bottom
            for b in boxes[i + 1:bisect.bisect_left(starts, a.x1)]:
                # most boxes the sweep meets are on other lines: two comparisons
                # two glyphs drawn one after the other are a pair the font
                # kerns ("r," in Noto Serif), not two lines
                if b.top < bottom and b.bottom > top and abs(a.seq - b.seq) > 1 and _over(a, b):
                    found.append((a, b))
        return found
    for a in others:
        for b in boxes:
            w, h = _shared(a, b)
            if w > SLACK and h > SLACK:
                found.append((a, b))
    return found


def faults(path: Path, margins_mm: tuple[float, float, float, float] | None = None,
           skip_pages: tuple[int, ...] = (), limit: int = 20) -> list[str]:
    """What is wrong with the PDF at ``path``, one line per fault (at most
    ``limit`` per kind and page, then a count).  ``margins_mm`` (top, right,
    bottom, left, the smallest of any page) turns on the text-block check
    for pictures; ``skip_pages`` (1-based) are left out, e.g. a cover
    printed edge to edge."""
    import pdfplumber

    out: list[str] = []
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            if n in skip_pages:
                continue
            w, h = float(page.width), float(page.height)
            glyphs, pictures = _glyphs(page), _pictures(page)
            found: dict[str, list[str]] = {}

            def add(kind: str, text: str) -> None:
                found.setdefault(kind, []).append(text)

            for b in glyphs + pictures:
                if b.x0 < -SLACK or b.top < -SLACK or b.x1 > w + SLACK or b.bottom > h + SLACK:
                    add("outside the page", _describe(b))
            if margins_mm:
                top, right, bottom, left = (m * MM for m in margins_mm)
                for b in pictures:
                    if (b.x0 < left - SLACK or b.x1 > w - right + SLACK or b.top < top - SLACK
                            or b.bottom > h - bottom + SLACK):
                        add("outside the text block", _describe(b))
            for a, b in _crossings(glyphs):
                add("glyph over glyph", f"{_describe(a)} and {_describe(b)}")
            for a, b in _crossings(glyphs, pictures):
                add("picture over glyph", f"{_describe(a)} over {_describe(b)}")
            for i, a in enumerate(pictures):
                for b in pictures[i + 1:]:
                    sw, sh = _shared(a, b)
                    if sw > SLACK and sh > SLACK:
                        add("picture over picture", f"{_describe(a)} and {_describe(b)}")
            for kind, items in found.items():
                out += [f"page {n}: {kind}: {t}" for t in items[:limit]]
                if len(items) > limit:
                    out.append(f"page {n}: {kind}: … {len(items) - limit} more")
    return out


def count(path: Path, **kw) -> dict[str, int]:
    """How many faults of each kind (for reports and benchmarks)."""
    totals: dict[str, int] = {}
    for line in faults(path, limit=10**9, **kw):
        kind = line.split(": ")[1]
        totals[kind] = totals.get(kind, 0) + 1
    return totals


def assert_sound(path: Path, **kw) -> None:
    found = faults(path, **kw)
    assert not found, f"{path}: {len(found)} printing faults:\n" + "\n".join(found)

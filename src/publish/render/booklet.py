"""PDF → booklet: the edition's pages imposed two-up, in saddle-stitch order,
for an office printer.

Each sheet is printed on both sides (flipped on the short edge), the pile
folded in the middle and stapled on the fold, and the pages read in order.
The sheet is the office paper twice the page fits on: A5 pages on A4
landscape, A6 on A5; pages as large as the sheet (A4, Letter) are scaled
to half of it.  Blank pages are added at the end to make a multiple of four.

A Persian book opens on the other side: its first page lies on the left of
the outer sheet and its fold on the right.  The direction is read from the
PDF's own language (``/Lang``, which WeasyPrint takes from the page's root),
so the booklet depends on nothing but the PDF's bytes and the paper.

pypdf does the PDF work: each page is placed as a transformed copy of its
content, clipped to its trim box, so a bleed or printer's marks never reach
the neighbouring page.
"""
from __future__ import annotations

import io

from ..errors import PublishError

MM = 72 / 25.4
# sheet of paper (portrait width, height in points) for each page size, by name
SHEETS = {"A6": "A5", "A5": "A4", "A4": "A4", "Letter": "Letter"}
PAPER = {"A5": (148 * MM, 210 * MM), "A4": (210 * MM, 297 * MM), "Letter": (8.5 * 72, 11 * 72)}


def order(pages: int, rtl: bool = False) -> list[tuple[int | None, int | None]]:
    """The sides of the sheets, in printing order, each as (left, right)
    page numbers from 1; None is a blank page.  For 8 pages, left to right:
    (8, 1), (2, 7), (6, 3), (4, 5)."""
    total = max(4, -(-pages // 4) * 4)
    sides = []
    for sheet in range(total // 4):
        outer, inner = 2 * sheet + 1, 2 * sheet + 2
        sides += [(total - outer + 1, outer), (inner, total - inner + 1)]
    if rtl:   # the fold on the right: each side read the other way
        sides = [(right, left) for left, right in sides]
    return [tuple(p if p <= pages else None for p in side) for side in sides]


def sheet_size(paper: str) -> tuple[float, float]:
    """The landscape sheet (width, height) in points for pages of ``paper``."""
    width, height = PAPER[SHEETS[paper]]
    return height, width


def impose(data: bytes, paper: str) -> bytes:
    """The booklet of a PDF whose pages are ``paper``."""
    from pypdf import PdfReader, PdfWriter, Transformation
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except Exception as exc:  # pypdf raises many kinds; the PDF is ours, so this is a bug or a damaged file
        raise PublishError(f"the booklet cannot read the PDF: {type(exc).__name__}: {exc}") from None
    lang = str(reader.trailer["/Root"].get("/Lang", ""))
    sheet_w, sheet_h = sheet_size(paper)
    half = sheet_w / 2
    writer = PdfWriter()
    for side in order(len(pages), _rtl(lang)):
        sheet = writer.add_blank_page(width=sheet_w, height=sheet_h)
        for slot, number in enumerate(side):
            if number is None:
                continue
            page = pages[number - 1]
            trim = page.trimbox
            w, h = float(trim.width), float(trim.height)
            scale = min(1.0, half / w, sheet_h / h)
            # the page's trim box, scaled, in the middle of its half of the sheet
            x = slot * half + (half - w * scale) / 2 - float(trim.left) * scale
            y = (sheet_h - h * scale) / 2 - float(trim.bottom) * scale
            page.cropbox = trim      # pypdf clips what it merges to the crop box: no bleed or marks
            sheet.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))
        sheet.compress_content_streams()   # pypdf writes a merged page's content uncompressed
    if lang:
        writer._root_object[_name("/Lang")] = reader.trailer["/Root"]["/Lang"]
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if k in ("/Title", "/Author")})
    # each sheet copied the resources of its two pages: one copy of each font is enough
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rtl(lang: str) -> bool:
    if not lang:
        return False
    from .. import languages
    try:
        return languages.parse(lang).direction == "rtl"
    except PublishError:
        return False


def _name(text: str):
    from pypdf.generic import NameObject
    return NameObject(text)


def render(pdf: bytes, project) -> bytes:
    """The booklet of an edition's PDF (the ``booklet`` entry of ``render.FORMATS``)."""
    return impose(pdf, project.paper)

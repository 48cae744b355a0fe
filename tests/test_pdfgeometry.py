"""The geometric check itself (tests/pdfgeometry.py): it finds each fault it
promises on a PDF made to have them, and none on clean pages set as
publish sets them (justified Persian at 1.85, English at 1.45, a table)."""
from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest

from pdfgeometry import TEXT_BLOCK_MARGINS, faults

PERSIAN = "این گزارش را هیئت‌مدیره برای مجمع عمومی آماده کرده است و در آن کارنامه‌ی سال‌های گذشته آمده است. " * 6
ENGLISH = "The board prepared this report for the general meeting; it gives the record of past years. " * 6


def _png(width: int, height: int) -> str:
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(data).decode()


PAGES = [
    # 1: clean
    f'<p lang="fa" dir="rtl" style="line-height:1.85; text-align:justify">{PERSIAN[:300]}</p>'
    f'<p style="line-height:1.45; text-align:justify">{ENGLISH[:300]}</p>'
    '<table><tr><th>سال</th><th>تولید</th></tr><tr><td>۱۴۰۰</td><td>۱٬۲۱۰</td></tr></table>'
    f'<img src="{_png(200, 100)}" style="width:60mm">',
    # 2: a line printed over another (a column spilling into its neighbour)
    f'<div style="position:relative"><p style="line-height:1.45">{ENGLISH}</p>'
    f'<p style="position:absolute; top:0.5em; left:3mm; line-height:1.45">{ENGLISH}</p></div>',
    # 3: a picture wider than the page, over the text beside it
    f'<p>{ENGLISH}</p><img src="{_png(900, 200)}" style="width:200mm; margin-top:-15mm">',
    # 4: a picture in the margin but on the page
    f'<img src="{_png(100, 100)}" style="position:absolute; top:-12mm; left:0; width:20mm">',
]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    import weasyprint
    html = ("<html><style>@page { size: A5; margin: 18mm 15mm 20mm 15mm } body { font-family: 'Noto Serif' }"
            "[lang=fa] { font-family: 'Noto Naskh Arabic' } section { break-after: page; position: relative }"
            "</style><body>" + "".join(f"<section>{p}</section>" for p in PAGES) + "</body></html>")
    path = tmp_path_factory.mktemp("geometry") / "faults.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    return path


def _kinds(found: list[str], page: int) -> set[str]:
    return {line.split(": ")[1] for line in found if line.startswith(f"page {page}: ")}


def test_clean_page_has_no_fault(pdf):
    assert _kinds(faults(pdf, margins_mm=TEXT_BLOCK_MARGINS), 1) == set()


def test_each_fault_is_found_on_its_page(pdf):
    found = faults(pdf, margins_mm=TEXT_BLOCK_MARGINS)
    assert _kinds(found, 2) == {"glyph over glyph"}
    assert _kinds(found, 3) >= {"outside the page", "outside the text block", "picture over glyph"}
    assert _kinds(found, 4) == {"outside the text block"}
    # without margins the text block is not checked; a page can be left out
    assert _kinds(faults(pdf), 4) == set()
    assert not _kinds(faults(pdf, skip_pages=(3,)), 3)

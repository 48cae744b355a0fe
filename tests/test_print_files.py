"""Files a printer accepts: bleed, printer's marks, PDF/X-4 (pdf.bleed,
pdf.marks, pdf.variant), and the booklet imposed from the PDF.

The page boxes and the declarations are read back from the PDFs with pypdf,
the booklet's page order from its text layer.
"""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from conftest import SYNTHETIC_CONFIG
from publish import build, config
from publish.errors import PublishError

MM = 72 / 25.4


def _with_pdf(extra: str) -> str:
    return SYNTHETIC_CONFIG.replace("  paper: A5\n", "  paper: A5\n" + extra)


def _line_of(text: str, fragment: str) -> int:
    [line] = [i for i, l in enumerate(text.splitlines(), 1) if fragment in l]
    return line


# --- publish.yml ----------------------------------------------------------------------

def test_the_printer_settings_are_read(make_project):
    project = config.load(make_project(config=_with_pdf("  bleed: 3 mm\n  marks: both\n  variant: pdf/x-4\n")))
    assert (project.pdf_bleed, project.pdf_marks, project.pdf_variant) == ("3mm", "both", "pdf/x-4")
    default = config.load(make_project())
    assert (default.pdf_bleed, default.pdf_marks, default.pdf_variant) == ("", "none", "none")
    assert config.load(make_project(config=_with_pdf("  bleed: 0\n"))).pdf_bleed == ""


@pytest.mark.parametrize("extra, fragment, words", [
    ("  bleed: 3\n", "bleed: 3", ["pdf.bleed", "3mm"]),
    ("  bleed: 3px\n", "bleed: 3px", ["pdf.bleed", "3mm"]),
    ("  bleed: 1in\n", "bleed: 1in", ["pdf.bleed", "20 mm"]),
    ("  marks: trim\n", "marks: trim", ["pdf.marks", "none, crop, cross, both"]),
    ("  variant: pdf/x-1a\n", "variant: pdf/x-1a", ["pdf.variant", "pdf/x-4"]),
    ("  pdf_ua: true\n  variant: pdf/x-4\n", "variant: pdf/x-4", ["pdf.variant", "pdf_ua"]),
])
def test_a_wrong_printer_setting_names_its_line(make_project, extra, fragment, words):
    text = _with_pdf(extra)
    with pytest.raises(PublishError) as caught:
        config.load(make_project(config=text))
    err = caught.value
    assert (err.path, err.line) == ("publish.yml", _line_of(text, fragment)), str(err)
    for word in words:
        assert word in err.message, str(err)


@pytest.mark.parametrize("extra", ["  bleed: 3mm\n", "  marks: crop\n", "  variant: pdf/x-4\n"])
def test_each_printer_setting_is_in_the_key_of_the_pdf_only(make_project, extra):
    def keys(root):
        project = config.load(root)
        inputs = build._Inputs(project)
        return {f: inputs.parts(project.documents[0], ("fa",), f, []) for f in ("html", "epub", "pdf")}

    before, after = keys(make_project()), keys(make_project(config=_with_pdf(extra)))
    assert {f for f in before if before[f] != after[f]} == {"pdf"}
    assert [k for k in before["pdf"] if before["pdf"][k] != after["pdf"][k]] == ["pdf"]


# --- the PDF ---------------------------------------------------------------------------

def _box(page, name: str) -> tuple[float, ...]:
    return tuple(round(float(x), 1) for x in page[name])


def test_page_box_css_grows_the_media_box_by_the_bleed_and_the_marks():
    """In process, on a one-line page: what the CSS of each setting does to the boxes."""
    from weasyprint import CSS, HTML
    from publish.render.pdf import page_box

    def boxes(bleed, marks):
        sheets = [CSS(string="@page { size: A5 }")] + ([CSS(string=page_box(bleed, marks))]
                                                       if bleed or marks != "none" else [])
        page = PdfReader(io.BytesIO(HTML(string="<p>1</p>").write_pdf(stylesheets=sheets))).pages[0]
        return _box(page, "/MediaBox"), _box(page, "/TrimBox"), _box(page, "/BleedBox")

    a5 = (0.0, 0.0, 419.5, 595.3)
    assert boxes("", "none") == (a5, a5, a5)
    media, trim, bleed = boxes("3mm", "none")
    assert trim == a5 and media == bleed == (-8.5, -8.5, 428.0, 603.8)   # 3 mm = 8.5 pt each side
    for marks in ("crop", "cross", "both"):   # no bleed given: the marks get 6 pt, as CSS gives crop marks
        media, trim, _ = boxes("", marks)
        assert trim == a5 and media == (-6.0, -6.0, 425.5, 601.3), marks
    assert page_box("", "both") == "@page { bleed: 6pt; marks: crop cross }"


@pytest.fixture(scope="module")
def printer_pdf(tmp_path_factory):
    """One small PDF built with a bleed, both marks and PDF/X-4."""
    from conftest import SYNTHETIC_SOURCE, _write_project
    root = _write_project(tmp_path_factory.mktemp("printer"),
                          _with_pdf("  bleed: 3mm\n  marks: both\n  variant: pdf/x-4\n"), SYNTHETIC_SOURCE)
    build.build(config.load(root), editions=["fa"], formats=["pdf"], jobs=1)
    return root / "build/fa/doc.pdf"


def test_the_pdf_has_a_bleed_box_around_its_trim_box(printer_pdf):
    reader = PdfReader(printer_pdf)
    for page in reader.pages:
        trim, media, bleed = _box(page, "/TrimBox"), _box(page, "/MediaBox"), _box(page, "/BleedBox")
        assert trim == (0.0, 0.0, 419.5, 595.3)
        assert bleed == media
        grown = [trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3]]
        assert all(abs(g - 3 * MM) < 0.2 for g in grown), grown


def test_the_pdf_declares_pdf_x_4(printer_pdf):
    reader = PdfReader(printer_pdf)
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"   # an ICC profile
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"GTS_PDFXVersion[^>]*>\s*PDF/X-4\s*<", xmp), xmp[:2000]
    assert reader.pdf_header == "%PDF-1.6"
    # PDF/X: every page has a TrimBox, and no ArtBox beside it
    assert all("/TrimBox" in page and "/ArtBox" not in page for page in reader.pages)
    assert reader.metadata.get("/Trapped") == "/False"


# --- the booklet -------------------------------------------------------------------------

def test_saddle_stitch_order():
    from publish.render.booklet import order
    assert order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    # six pages: two blanks at the end, where the fold leaves them
    assert order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]
    assert order(1) == [(None, 1), (None, None)]
    assert order(12)[:2] == [(12, 1), (2, 11)] and order(12)[-2:] == [(8, 5), (6, 7)]
    # a right-to-left book folds on the right: each side the other way round
    assert order(6, rtl=True) == [(1, None), (None, 2), (3, 6), (5, 4)]


def test_the_sheet_is_the_paper_twice_the_page_fits_on():
    from publish.render.booklet import sheet_size
    assert [round(x) for x in sheet_size("A5")] == [842, 595]    # A4 landscape
    assert [round(x) for x in sheet_size("A6")] == [595, 420]    # A5 landscape
    assert [round(x) for x in sheet_size("A4")] == [842, 595]    # A4 pages at half size
    assert [round(x) for x in sheet_size("Letter")] == [792, 612]


def _numbered_pdf(pages: int, lang: str, extra_css: str = "") -> bytes:
    """A PDF of ``pages`` A5 pages, each saying only its number."""
    from weasyprint import CSS, HTML
    body = "".join(f'<p style="break-after: page">Page{n}</p>' for n in range(1, pages + 1))
    return HTML(string=f'<html lang="{lang}"><body>{body}</body></html>').write_pdf(
        stylesheets=[CSS(string="@page { size: A5; margin: 20mm } p { font: 20pt serif }" + extra_css)])


def _halves(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """Each side of the booklet as (text of its left half, text of its right half)."""
    import shutil
    import subprocess
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "booklet.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    out = []
    for number, page in enumerate(reader.pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        sides = []
        for x in (0, width / 2):
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-x", str(int(x)), "-y", "0",
                                   "-W", str(int(width / 2)), "-H", str(int(height)), str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout
            sides.append(" ".join(text.split()))
        out.append(tuple(sides))
    return out


@pytest.mark.parametrize("lang, expected", [
    ("en", [("", "Page1"), ("Page2", ""), ("Page6", "Page3"), ("Page4", "Page5")]),
    ("fa", [("Page1", ""), ("", "Page2"), ("Page3", "Page6"), ("Page5", "Page4")]),
])
def test_the_booklet_holds_the_pages_in_saddle_stitch_order(tmp_path, lang, expected):
    from publish.render.booklet import impose
    booklet = impose(_numbered_pdf(6, lang), "A5")
    reader = PdfReader(io.BytesIO(booklet))
    assert len(reader.pages) == 4                     # two sheets, printed on both sides
    assert all([round(float(x)) for x in p.mediabox] == [0, 0, 842, 595] for p in reader.pages)
    assert _halves(booklet, tmp_path) == expected


def test_the_booklet_shows_only_what_is_inside_the_trim(tmp_path):
    """Bleed and marks belong to the single page: clipped, they never reach the neighbour."""
    from publish.render.booklet import impose
    from publish.render.pdf import page_box
    marked = _numbered_pdf(2, "en", page_box("3mm", "both") + " html { background: black }")
    booklet = impose(marked, "A5")
    sheet = PdfReader(io.BytesIO(booklet)).pages[0]
    # the two A5 pages fill the A4 sheet exactly: anything outside their trim would overlap
    assert [round(float(x)) for x in sheet.mediabox] == [0, 0, 842, 595]
    assert "/TrimBox" not in sheet or [round(float(x)) for x in sheet["/TrimBox"]] == [0, 0, 842, 595]
    assert _halves(booklet, tmp_path)[0] == ("", "Page1")


def test_build_makes_the_booklet_from_the_pdf(printer_pdf):
    root = printer_pdf.parents[2]
    project = config.load(root)
    result = build.build(project, editions=["fa"], formats=["booklet"], jobs=1)
    # from the PDF already there: it is not rendered again
    assert [(o.path, o.rendered) for o in result.outputs] == [("build/fa/doc.pdf", False),
                                                              ("build/fa/doc.booklet.pdf", True)]
    booklet = PdfReader(root / "build/fa/doc.booklet.pdf")
    pages = len(PdfReader(printer_pdf).pages)
    assert len(booklet.pages) == 2 * -(-pages // 4)   # two sides a sheet, four pages a sheet
    assert not any(o.rendered for o in build.build(project, editions=["fa"], formats=["booklet"]).outputs)
    # the PDF is rendered again (forced): the booklet with it, in the same job, keyed by the new PDF's bytes
    again = build.build(project, editions=["fa"], formats=["booklet"], jobs=1, force=True)
    assert [o.rendered for o in again.outputs] == [True, True]
    assert not any(o.written for o in again.outputs), again.outputs   # the same bytes: reproducible
    assert not any(o.rendered for o in build.build(project, editions=["fa"], formats=["booklet"]).outputs)


def test_the_index_lists_booklets_once_there_are_some(make_project):
    from publish.render import index
    root = make_project()
    project = config.load(root)
    assert index.listed(project) == ["html", "epub", "pdf"]   # a build without -f makes none
    (root / "build/fa").mkdir(parents=True)
    (root / "build/fa/doc.booklet.pdf").write_bytes(b"%PDF-1.6\n")
    assert index.listed(project) == ["html", "epub", "pdf", "booklet"]
    page = index.page(project)
    assert 'href="fa/doc.booklet.pdf"' in page and "Booklet" in page


def test_the_command_line_offers_the_booklet():
    from click.testing import CliRunner
    from publish.cli import main
    out = CliRunner().invoke(main, ["build", "--help"]).output
    assert "booklet" in out and "[html|epub|pdf|booklet]" in out

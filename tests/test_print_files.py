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
    assert reader.metadata.get("/Trapped") == "/False"

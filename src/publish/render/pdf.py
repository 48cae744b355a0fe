"""Edition tree → PDF, rendered by WeasyPrint from our print HTML."""
from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..assemble import Assembled
from ..errors import PublishError
from . import STYLES
from .fonts import require
from .html import page
from . import notes


def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class ProjectOnlyFetcher(URLFetcher):
        """The one door to the outside world: only ``data:`` URLs and files
        under the allowed folders; no network, no other local file."""

        def __init__(self, allowed: list[Path]):
            super().__init__(allowed_protocols=["file", "data"], allow_redirects=False)
            self.allowed = [p.resolve() for p in allowed]

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not any(path == a or a in path.parents for a in self.allowed):
                    raise ValueError(f"publish does not let the PDF read {url}")
            elif parsed.scheme != "data":
                raise ValueError(f"publish does not let the PDF fetch {url}")
            return super().fetch(url, headers)

    return ProjectOnlyFetcher, FatalURLFetchingError


def _import_weasyprint():
    with warnings.catch_warnings():  # "no fonts configured" and the like: require() has said it better
        warnings.simplefilter("ignore")
        import weasyprint  # noqa: F401


def write(a: Assembled, project_root: Path, paper: str = "A5", pdf_ua: bool = False, cover: str = "", *,
          footnotes: str = "page", links: str = "footnote", emphasis: str = "bold",
          bleed: str = "", marks: str = "none", variant: str = "none") -> bytes:
    """The PDF of an edition; ``cover``, when given, is its first page (render.cover.print_page);
    ``footnotes``, ``links`` and ``emphasis`` are pdf.footnotes, pdf.link_addresses and
    pdf.persian_emphasis; ``bleed``, ``marks`` and ``variant`` what a printer asks for
    (pdf.bleed, pdf.marks, pdf.variant: see ``for_printer``)."""
    import threading
    require(a.edition.languages)
    # WeasyPrint's import (half a second) goes on while pandoc writes the
    # body below, in a process of its own
    loading = threading.Thread(target=_import_weasyprint)
    loading.start()
    try:
        html = page(a, medium="print", paper=paper, cover=cover, links=links, emphasis=emphasis)
    finally:
        loading.join()
    from weasyprint import CSS, HTML
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    Fetcher, _ = _fetcher_class()
    ident = hashlib.sha256(a.meta["identifier"].encode()).hexdigest()[:32].encode()
    options = {"pdf_identifier": ident, "custom_metadata": True}
    if pdf_ua:
        options["pdf_variant"] = "pdf/ua-1"
    options.update(for_printer(variant))
    try:
        fetcher = Fetcher([STYLES, project_root / "source"])
        sheets = [CSS(string=page_box(bleed, marks))] if bleed or marks != "none" else []
        # numbered per page, the notes need a layout before their numbers are known (render/notes.py)
        doc = notes.lay_out(html, lambda text: HTML(string=text, base_url=str(STYLES) + "/",
                                                    url_fetcher=fetcher).render(**options, stylesheets=sheets),
                              footnotes)
        with _document_id(ident if variant != "none" else None):
            return doc.write_pdf(**options)
    except PublishError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one line
        raise PublishError(f"WeasyPrint could not render the PDF: {type(exc).__name__}: {exc}") from None


@contextlib.contextmanager
def _document_id(ident: bytes | None):
    """WeasyPrint 70 gives a PDF/X-4's XMP a random xmpMM:DocumentID (uuid4,
    its own TODO says so), which would make two builds of the same edition
    differ; for the time of the write it is the edition's own identifier.
    The PDF is written in one thread of its process (a worker, or the build
    itself for one job), so nothing else sees the swap."""
    if ident is None:
        yield
        return
    from weasyprint.pdf import metadata
    random = metadata.uuid4
    metadata.uuid4 = lambda: uuid.UUID(ident.decode("ascii"), version=4)
    try:
        yield
    finally:
        metadata.uuid4 = random


def page_box(bleed: str, marks: str) -> str:
    """The CSS of the printer's additions, for every page (named ones too):
    the bleed (the page box grows by it: MediaBox and BleedBox, with the
    TrimBox the paper size) and the marks, which WeasyPrint draws in the
    bleed.  Marks with no bleed get 6pt, as CSS gives crop marks: CSS gives
    cross marks alone none, and they would not be seen."""
    if marks != "none" and not bleed:
        bleed = "6pt"
    rules = [f"bleed: {bleed}"] if bleed else []
    if marks != "none":
        rules.append("marks: " + {"both": "crop cross"}.get(marks, marks))
    return "@page { " + "; ".join(rules) + " }"


def for_printer(variant: str) -> dict:
    """WeasyPrint's options for a PDF/X variant.  WeasyPrint declares it (the
    GTS_PDFX output intent, the XMP's pdfxid) and writes the TrimBox; the
    output intent needs a profile, and WeasyPrint's own sRGB is the one its
    RGB colours are in (without one, WeasyPrint writes no output intent at
    all, which no PDF/X checker accepts)."""
    if variant == "none":
        return {}
    return {"pdf_variant": variant, "output_intent": "srgb"}


def render(a: Assembled, project) -> bytes:
    """The PDF of an edition (the ``pdf`` entry of ``render.FORMATS``)."""
    from .cover import print_page
    return write(a, project.root, project.paper, project.pdf_ua,
                 cover=print_page(a, project) if project.pdf_cover else "", footnotes=project.pdf_footnotes,
                 links=project.pdf_link_addresses, emphasis=project.pdf_persian_emphasis,
                 bleed=project.pdf_bleed, marks=project.pdf_marks, variant=project.pdf_variant)

"""Every unit has a stable anchor in every HTML edition (issue 17): the
`#. preview:` comment of each PO entry lands on an element of the built
page, and removing a paragraph renames no other unit's anchor."""
from __future__ import annotations

import re

from publish import build, catalog, config, update

PREVIEW = re.compile(r"^preview: (\S+)#(u-\S+)$", re.M)


def _build(root):
    project = config.load(root)
    update.update(project)
    build.build(project, formats=["html"], jobs=1)
    return project


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def test_every_preview_link_lands_on_its_unit_in_every_edition(synthetic_project):
    project = _build(synthetic_project)
    po = catalog.read(project.po_path(project.documents[0], "en"))
    links = [m.groups() for e in po if e.msgid and not e.obsolete for m in PREVIEW.finditer(e.comment or "")]
    units = [e for e in po if e.msgid and not e.obsolete and e.msgctxt is None]
    assert len(links) == len(units) > 5
    pages = {edition: (project.build_dir / edition / "doc.html").read_text(encoding="utf-8")
             for edition in ("fa", "en", "fa-en")}
    for target, anchor in links:
        assert target == "en/doc.html"
        assert anchor in _ids(pages["en"]), anchor
        assert anchor in _ids(pages["fa"]) and anchor in _ids(pages["fa-en"]), anchor   # the source side
    # an anchor names the unit's own span
    first = links[0][1]
    assert re.search(rf'<span id="{first}" class="u[^"]*" data-u="\d+"', pages["en"])


def test_removing_a_paragraph_keeps_every_other_anchor(synthetic_project):
    project = _build(synthetic_project)
    po_path = project.po_path(project.documents[0], "en")

    def anchors():
        po = catalog.read(po_path)
        return {e.msgid: m.group(2) for e in po if e.msgid and not e.obsolete
                for m in PREVIEW.finditer(e.comment or "")}
    before = anchors()
    src = project.documents[0].source
    text = src.read_text(encoding="utf-8")
    first_para = next(p for p in text.split("\n\n") if p.strip() and not p.startswith("#"))
    src.write_text(text.replace(first_para + "\n\n", "", 1), encoding="utf-8")
    update.update(config.load(synthetic_project))
    after = anchors()
    assert len(after) < len(before)
    assert {m: a for m, a in before.items() if m in after} == after


def test_a_pdf_older_than_its_catalog_is_marked_stale_in_the_index(synthetic_project):
    import os
    from publish.render import index
    project = _build(synthetic_project)
    pdf = project.build_dir / "en" / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.4 stand-in")          # a PDF from before the last edit
    po = project.po_path(project.documents[0], "en")
    os.utime(pdf, (po.stat().st_mtime - 60, po.stat().st_mtime - 60))
    page = index.page(project)
    assert "older than the text" in page and "قدیمی‌تر از متن" in page   # in each language's table
    rows = re.findall(r'<a href="en/doc.pdf"[^>]*>[^<]+</a>.*?</td>', page)
    assert rows and all('class="stale"' in r for r in rows)
    assert 'href="en/doc.html"' in page and page.count('class="stale"') == len(rows)   # the page is current
    os.utime(pdf, (po.stat().st_mtime + 60, po.stat().st_mtime + 60))
    assert 'class="stale"' not in index.page(project)


def test_preview_links_are_web_addresses_under_catalog_preview_url(synthetic_project):
    """Weblate makes links only of http(s) addresses (issue 19)."""
    cfg = synthetic_project / "publish.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "catalog:\n", "catalog:\n  preview_url: https://press.example.org/book\n", 1), encoding="utf-8")
    project = config.load(synthetic_project)
    assert project.preview_url == "https://press.example.org/book/"
    update.update(project)
    po = catalog.read(project.po_path(project.documents[0], "en"))
    links = [m.group(1) for e in po if e.msgid for m in PREVIEW.finditer(e.comment or "")]
    assert links and all(l == "https://press.example.org/book/en/doc.html" for l in links)


def test_preview_url_must_be_a_web_address(synthetic_project):
    import pytest
    from publish.errors import PublishError
    cfg = synthetic_project / "publish.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("catalog:\n", "catalog:\n  preview_url: javascript:alert(1)\n", 1), encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        config.load(synthetic_project)
    line = text[: text.index("catalog:\n")].count("\n") + 2
    assert str(caught.value).startswith(f"publish.yml:{line}: ")

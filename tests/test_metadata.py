"""An edition's metadata (issue 13, points 2 and 6): translators, rights,
licence, ISBNs, publisher, description and keywords from publish.yml, each
refused with its line when wrong, left out when blank, and written into the
HTML <meta>, the EPUB's OPF and the PDF; and the EPUB's accessibility
metadata.

The unit tests read publish.yml and the plain data ``metadata`` makes of it;
the end-to-end tests (``e2e``) build a project with every field filled and
one with none, and prove the outputs with epubcheck (zero messages), the Nu
HTML Checker (zero errors), poppler's pdfinfo and, where it is installed,
DAISY Ace.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import SYNTHETIC_CONFIG
from projects import REPO, publish
from publish import config, metadata
from publish.assemble import Edition
from publish.errors import PublishError

DOC = "    source: source/fa/doc.md\n"


def _config(top: str = "", doc: str = "") -> str:
    """The synthetic project's publish.yml with ``top`` keys added at the top
    level and ``doc`` keys in its document's entry (both indented as YAML
    wants them)."""
    text = SYNTHETIC_CONFIG.replace(DOC, DOC + doc)
    return top + text


def _load(make_project, top: str = "", doc: str = "") -> config.Project:
    return config.load(make_project(config=_config(top, doc)))


def _refused(make_project, top: str = "", doc: str = "") -> PublishError:
    with pytest.raises(PublishError) as info:
        _load(make_project, top, doc)
    return info.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


EDITIONS = {"fa": Edition("fa", ("fa",)), "en": Edition("en", ("en",)), "fa-en": Edition("fa-en", ("fa", "en"))}


# --- publish.yml: ISBNs --------------------------------------------------------------

@pytest.mark.parametrize("isbn, why", [
    ("978-0-306-40615-8", "check digit is wrong"),
    ("0-306-40615-3", "check digit is wrong"),
    ("978-0-306-4061", "10 or 13 digits"),
    ("978-0-306-4O615-7", "digits, hyphens"),
    ("977-0-306-40615-8", "starts with 978 or 979"),
])
def test_a_bad_isbn_is_refused_with_its_line(make_project, isbn, why):
    doc = f"    isbn:\n      en:\n        epub: 978-1-86197-271-2\n        pdf: {isbn}\n"
    err = _refused(make_project, doc=doc)
    assert err.line == _line_of(_config(doc=doc), f"pdf: {isbn}")
    assert f"isbn.en.pdf: {isbn} is not a valid ISBN" in err.message and why in err.message
    assert str(err).startswith("publish.yml:")


def test_isbns_are_kept_as_isbn13_whatever_their_form(make_project):
    # ISBN-10, hyphens or spaces, and an unquoted 13 digits (a YAML number)
    p = _load(make_project, doc="    isbn:\n      en: {epub: 0-306-40615-2, pdf: 9781861972712}\n"
                                "      fa-en: {pdf: 978 0 85131 041 1}\n")
    assert p.documents[0].isbn == {"en": {"epub": "9780306406157", "pdf": "9781861972712"},
                                   "fa-en": {"pdf": "9780851310411"}}


def test_an_isbn_names_an_edition_the_project_makes(make_project):
    doc = "    isbn:\n      de: {epub: 978-0-306-40615-7}\n"
    err = _refused(make_project, doc=doc)
    assert err.line == _line_of(_config(doc=doc), "de:")
    assert "de is not an edition of this project (fa, en, fa-en)" in err.message


def test_an_isbn_without_its_edition_says_how_to_write_it(make_project):
    err = _refused(make_project, doc="    isbn: {epub: 978-0-306-40615-7}\n")
    assert "give the edition first, as isbn: {en: {epub: …}}" in err.message


def test_an_isbn_at_the_top_of_publish_yml_goes_in_a_document(make_project):
    top = "isbn: {en: {epub: 978-0-306-40615-7}}\n"
    err = _refused(make_project, top=top)
    assert err.line == 1 and "give it in the document's entry under documents" in err.message


def test_one_isbn_for_two_outputs_is_refused(make_project):
    doc = "    isbn:\n      en: {epub: 978-0-306-40615-7}\n      fa: {pdf: 0-306-40615-2}\n"
    err = _refused(make_project, doc=doc)
    assert err.line == _line_of(_config(doc=doc), "fa: {pdf")
    assert "given to the PDF of doc (fa) and to the EPUB of doc (en)" in err.message


def test_an_isbn_for_the_web_page_is_refused(make_project):
    err = _refused(make_project, doc="    isbn:\n      en: {html: 978-0-306-40615-7}\n")
    assert "isbn.en.html (known: epub, pdf)" in err.message


# --- publish.yml: the other fields -----------------------------------------------------

def test_licence_and_license_are_one_setting(make_project):
    p = _load(make_project, top="license: {name: CC BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}\n")
    assert p.licence == config.Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    top = "licence: CC BY 4.0\nlicense: CC BY 4.0\n"
    err = _refused(make_project, top=top)
    assert err.line == 2 and "licence and license are one setting" in err.message


def test_a_licence_address_is_a_web_address(make_project):
    err = _refused(make_project, top="licence: {name: CC BY 4.0, url: 'file:///etc/passwd'}\n")
    assert err.line == 1 and "is not a web address" in err.message


def test_translators_per_language_or_for_every_translation(make_project):
    p = _load(make_project, top="translators: {en: [Jane Doe, ' ', John Roe], de: Hans Muster}\n",
              doc="    translators: [Ann Poe]\n")
    assert p.translators == {"en": ("Jane Doe", "John Roe"), "de": ("Hans Muster",)}
    assert p.documents[0].translators == {"*": ("Ann Poe",)}
    err = _refused(make_project, top="translators: {en: [Jane, {a: b}]}\n")
    assert err.line == 1 and "translators.en: expected text" in err.message


def test_blank_fields_are_left_out_of_every_format(make_project):
    top = ("publisher: ''\ntranslators: {en: []}\nrights: '  '\nlicence: ''\ndescription: {fa: '', en: ''}\n"
           "keywords: [' ', '']\n")
    p = _load(make_project, top=top)
    for name, edition in EDITIONS.items():
        found = metadata.fields(p, p.documents[0], edition)
        assert found == {}, name
        assert metadata.html_tags(found) == ""
        assert metadata.epub_meta(found) == {}
        assert metadata.credit(found, edition.lang) == "" and metadata.colophon(found, edition.lang) == []


def test_the_document_wins_and_a_language_falls_back_to_the_source(make_project):
    p = _load(make_project,
              top="description: {fa: توصیف پروژه, en: About the project}\nrights: {fa: حق نشر}\n"
                  "keywords: {en: 'a, b; c', fa: [الف, ب]}\n",
              doc="    description: {en: About the text}\n    keywords: {fa: 'ج، د'}\n")
    doc = p.documents[0]
    en, fa = (metadata.fields(p, doc, EDITIONS[n]) for n in ("en", "fa"))
    assert en["description"] == "About the text" and fa["description"] == "توصیف پروژه"
    assert en["rights"] == fa["rights"] == "حق نشر"            # the source's, as the title falls back,
    assert en["rights-lang"] == "fa" and "rights-lang" not in fa  # marked with its language
    assert ("rights", "حق نشر", "fa") in metadata.colophon(en, "en")
    assert metadata.keywords(en["keywords"]) == ("a", "b", "c")
    assert metadata.keywords(fa["keywords"]) == ("ج", "د")


def test_translators_are_credited_in_the_translated_and_parallel_editions_only(make_project):
    p = _load(make_project, top="translators: {en: [Jane Doe, John Roe]}\n")
    doc = p.documents[0]
    assert "translators" not in metadata.fields(p, doc, EDITIONS["fa"])
    for name in ("en", "fa-en"):
        m = metadata.fields(p, doc, EDITIONS[name])
        assert m["translators"] == ("Jane Doe", "John Roe")
        assert metadata.credit(m, "en") == "Translated by Jane Doe and John Roe"
        assert ("translators", "Translation: Jane Doe and John Roe") in metadata.colophon(m, "en")
        contributors = metadata.epub_meta(m)["contributor"]["c"]
        assert [(c["c"]["text"]["c"], c["c"]["role"]["c"]) for c in contributors] == [
            ("Jane Doe", "trl"), ("John Roe", "trl")]


def test_the_colophon_prints_rights_licence_and_isbns_in_the_editions_language(make_project):
    p = _load(make_project, top="rights: {fa: '© ۱۴۰۵ نشر نمونه'}\n"
                                "licence: {name: CC BY-SA 4.0, url: 'https://creativecommons.org/licenses/by-sa/4.0/'}\n",
              doc="    isbn:\n      fa: {epub: 9780306406157, pdf: 0-85131-041-9}\n")
    m = metadata.fields(p, p.documents[0], EDITIONS["fa"])
    assert metadata.colophon(m, "fa") == [
        ("rights", "© ۱۴۰۵ نشر نمونه"),
        ("licence", "پروانه: CC BY-SA 4.0 — https://creativecommons.org/licenses/by-sa/4.0/"),
        ("isbn", "شابک ۹۷۸-۰-۳۰۶-۴۰۶۱۵-۷ (EPUB)"),
        ("isbn", "شابک ۹۷۸-۰-۸۵۱۳۱-۰۴۱-۱ (PDF)"),
    ]
    meta = metadata.epub_meta({**m, "identifier": "urn:uuid:x"})
    assert [i["c"] if i["t"] == "MetaString" else i["c"]["text"]["c"] for i in meta["identifier"]["c"]] == [
        "urn:uuid:x", "urn:isbn:9780306406157"]   # the uuid stays the unique identifier, first
    assert meta["rights"]["c"] == "© ۱۴۰۵ نشر نمونه. CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
    tags = metadata.html_tags(m, "print")
    assert '<meta name="dcterms.identifier" content="urn:isbn:9780851310411">' in tags   # the PDF's own
    assert '<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">' in tags
    assert "urn:isbn" not in metadata.html_tags(m, "screen")                           # a web page has none


@pytest.mark.parametrize("top, doc", [
    ("translators: {en: [Jane Doe]}\n", ""), ("rights: '© 2026'\n", ""), ("licence: CC BY 4.0\n", ""),
    ("publisher: {en: Example Press}\n", ""), ("description: {en: About}\n", ""), ("keywords: [a, b]\n", ""),
    ("", "    isbn: {en: {pdf: 978-0-306-40615-7}}\n"), ("", "    translators: {en: [Ann Poe]}\n"),
])
def test_every_field_reaches_the_outputs_cache_key(make_project, top, doc):
    from publish.build import _Inputs

    def key(p):
        return _Inputs(p).parts(p.documents[0], ("en",), "pdf", [])["metadata"]
    assert key(_load(make_project)) != key(_load(make_project, top=top, doc=doc))


# --- accessibility ----------------------------------------------------------------------

def _image(alt: str) -> dict:
    words = [{"t": "Str", "c": w} for w in alt.split()]
    return {"t": "Image", "c": [["", [], []], words, ["x.png", ""]]}


def _values(meta: dict, key: str) -> list[str]:
    return [v["c"] for v in meta[key]["c"]]


def test_accessibility_of_a_text_without_pictures():
    meta = metadata.accessibility("en", 0, 0)
    assert _values(meta, "accessModes") == ["textual"]
    assert _values(meta, "accessModeSufficient") == ["textual"]
    assert "alternativeText" not in _values(meta, "accessibilityFeatures")   # pandoc's default claims it
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(_values(meta, "accessibilityFeatures"))
    assert _values(meta, "accessibilityHazards") == ["none"]
    assert metadata.accessibility("fa", 0, 0)["accessibilitySummary"]["c"].startswith("متنی روان‌چین")


def test_accessibility_follows_the_pictures_and_their_descriptions():
    from publish.tree import to_json
    described = [{"t": "Para", "c": [_image("a map of the city")]}, {"t": "Para", "c": [{"t": "Str", "c": "x"}]}]
    blocks = described + [{"t": "Div", "c": [["", [], []], [{"t": "Para", "c": [_image("")]}]]}]
    assert metadata.pictures(described, [to_json(b) for b in described]) == (1, 1)
    assert metadata.pictures(blocks, [to_json(b) for b in blocks]) == (2, 1)
    meta = metadata.accessibility("en", 1, 1)
    assert _values(meta, "accessModes") == ["textual", "visual"]
    assert _values(meta, "accessModeSufficient") == ["textual", "textual,visual"]
    assert "alternativeText" in _values(meta, "accessibilityFeatures")
    meta = metadata.accessibility("en", 2, 1)   # a picture without a description: text alone is not enough
    assert _values(meta, "accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in _values(meta, "accessibilityFeatures")
    assert "Some pictures have no text description." in meta["accessibilitySummary"]["c"]


PANDOC_NAV = """<body epub:type="frontmatter">
<nav epub:type="toc" role="doc-toc" id="toc"><h1 id="toc-title">فهرست</h1><ol class="toc"></ol></nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
  <ol>
    <li>
      <a href="text/title_page.xhtml" epub:type="titlepage">Title Page</a>
    </li>
    <li>
      <a href="#toc" epub:type="toc">Table of Contents</a>
    </li>
  </ol>
</nav>
</body>"""


def test_landmarks_speak_the_editions_language_and_lead_to_the_text():
    from publish.render.landmarks import landmarks
    nav = landmarks(PANDOC_NAV, "fa", "text/ch001.xhtml")
    found = re.findall(r'<a href="([^"]+)" epub:type="(\w+)">([^<]+)</a>', nav)
    assert found == [("text/title_page.xhtml", "titlepage", "صفحهٔ عنوان"), ("#toc", "toc", "فهرست"),
                     ("text/ch001.xhtml", "bodymatter", "آغاز متن")]
    assert landmarks(nav, "fa", "text/ch001.xhtml") == nav           # mended once only
    assert landmarks("<body></body>", "fa", "text/ch001.xhtml") == "<body></body>"


# --- end to end: every field, and none ---------------------------------------------------

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
# a short-lived JVM: the quick compiler only, one GC thread (epubcheck starts
# in a third of the time on 2 cores; the Nu checker, one run, needs the deep stack of the full compiler)
# make test installs both into .tools/ and names them in VNU_JAR and ACE
VNU = REPO / os.environ.get("VNU_JAR", ".tools/node_modules/vnu-jar/build/dist/vnu.jar")
ACE = REPO / os.environ.get("ACE", ".tools/node_modules/.bin/ace-puppeteer")

FULL = """\
author: {fa: مریم احمدی, en: Maryam Ahmadi}
organisation: {fa: نشر نمونه, en: Example Press}
translators: {en: [Jane Doe, John Roe]}
rights: {fa: "© ۱۴۰۵ نشر نمونه", en: "© 2026 Example Press"}
licence: {name: CC BY-SA 4.0, url: "https://creativecommons.org/licenses/by-sa/4.0/"}
description: {fa: گزارشی نمونه, en: A sample report}
keywords: {fa: [گزارش, نمونه], en: "report, sample"}
date: "2026-11-30"
"""
FULL_ISBN = """\
    isbn:
      en: {epub: 978-0-306-40615-7, pdf: 0-85131-041-9}
      fa: {epub: 9781861972712}
"""
PICTURE_TEXT = ("# گزارش\n\nمتن نخست این گزارش است.\n\n![نقشه‌ی شهر](media/doc/map.png)\n\n"
                "## پایان\n\nپایان.\n")


def _png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _run(args, cwd):
    proc = publish(list(map(str, args)), cwd)
    assert proc.returncode == 0, f"publish {' '.join(map(str, args))}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Two projects, built whole: ``full`` with every field and a described
    picture, ``bare`` as ``publish init`` writes it."""
    tmp = tmp_path_factory.mktemp("metadata")
    roots = {}
    for name in ("full", "bare"):
        _run(["init", name, "--title", "گزارش"], tmp)
        roots[name] = tmp / name
    full = roots["full"]
    cfg = (full / "publish.yml").read_text(encoding="utf-8")
    cfg = cfg.replace('edition: "1"\n', 'edition: "1"\n' + FULL)
    cfg = cfg.replace("  - name: welcome\n    source: source/fa/welcome.md\n",
                      "  - name: doc\n    source: source/fa/doc.md\n" + FULL_ISBN)
    assert "name: doc" in cfg and FULL in cfg
    (full / "publish.yml").write_text(cfg, encoding="utf-8")
    (full / "source/fa/doc.md").write_text(PICTURE_TEXT, encoding="utf-8")
    (full / "source/fa/media/doc").mkdir(parents=True)
    (full / "source/fa/media/doc/map.png").write_bytes(_png())
    for root in roots.values():
        _run(["update"], root)
        _run(["build"], root)
    return roots


def _opf(epub: Path) -> ET.Element:
    with zipfile.ZipFile(epub) as z:
        name = next(n for n in z.namelist() if n.endswith(".opf"))
        return ET.fromstring(z.read(name))


_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def _dc(opf: ET.Element, name: str) -> list[str]:
    return [e.text for e in opf.iterfind(f"opf:metadata/dc:{name}", _NS)]


def _props(opf: ET.Element, prop: str) -> list[str]:
    return [e.text for e in opf.iterfind("opf:metadata/opf:meta", _NS) if e.get("property") == prop]


@pytest.mark.e2e
def test_the_opf_carries_every_field(built):
    opf = _opf(built["full"] / "build/en/doc.epub")
    unique = opf.get("unique-identifier")
    ids = {e.get("id"): e.text for e in opf.iterfind("opf:metadata/dc:identifier", _NS)}
    assert ids[unique].startswith("urn:uuid:") and "urn:isbn:9780306406157" in ids.values()
    assert _dc(opf, "creator") == ["Maryam Ahmadi"]
    assert _dc(opf, "contributor") == ["Jane Doe", "John Roe"]
    roles = {e.get("refines"): e.text for e in opf.iterfind("opf:metadata/opf:meta", _NS) if e.get("property") == "role"}
    contributors = [e.get("id") for e in opf.iterfind("opf:metadata/dc:contributor", _NS)]
    assert [roles["#" + c] for c in contributors] == ["trl", "trl"]
    assert _dc(opf, "publisher") == ["Example Press"]
    assert _dc(opf, "description") == ["A sample report"]
    assert _dc(opf, "subject") == ["report", "sample"]
    assert _dc(opf, "rights") == ["© 2026 Example Press. CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"]
    assert _props(opf, "schema:accessMode") == ["textual", "visual"]
    assert _props(opf, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert "alternativeText" in _props(opf, "schema:accessibilityFeature")
    assert _props(opf, "schema:accessibilityHazard") == ["none"]
    assert _props(opf, "schema:accessibilitySummary")[0].startswith("A reflowable text")
    # the source edition: its own ISBN, no translators
    fa = _opf(built["full"] / "build/fa/doc.epub")
    assert "urn:isbn:9781861972712" in _dc(fa, "identifier") and _dc(fa, "contributor") == []
    assert _props(fa, "schema:accessibilitySummary")[0].startswith("متنی")
    with zipfile.ZipFile(built["full"] / "build/fa/doc.epub") as z:
        nav = z.read("EPUB/nav.xhtml").decode("utf-8")
    assert re.search(r'epub:type="bodymatter">آغاز متن</a>', nav) and "Title Page" not in nav


@pytest.mark.e2e
def test_the_bare_opf_has_no_empty_element(built):
    for epub in (built["bare"] / "build").glob("*/*.epub"):
        opf = _opf(epub)
        for e in opf.find("opf:metadata", _NS):
            assert (e.text or e.get("content") or "").strip(), (epub, e.tag)
        assert _dc(opf, "creator") == _dc(opf, "publisher") == _dc(opf, "contributor") == _dc(opf, "rights") == []
        assert _props(opf, "schema:accessMode") == ["textual"]
        with zipfile.ZipFile(epub) as z:
            for name in z.namelist():
                if name.endswith(".xhtml"):
                    assert 'class=""' not in z.read(name).decode("utf-8"), (epub, name)


@pytest.mark.e2e
def test_the_page_names_every_field_and_the_bare_one_none(built):
    page = (built["full"] / "build/en/doc.html").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    for tag in ('<meta name="author" content="Maryam Ahmadi">', '<meta name="description" content="A sample report">',
                '<meta name="keywords" content="report, sample">', '<meta name="dcterms.publisher" content="Example Press">',
                '<meta name="dcterms.contributor" content="Jane Doe, John Roe">',
                '<meta name="dcterms.rights" content="© 2026 Example Press">',
                '<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">'):
        assert tag in head
    assert '<p class="book-translators">Translated by Jane Doe and John Roe</p>' in page
    assert '<p class="isbn">ISBN 978-0-306-40615-7 (EPUB)</p>' in page
    fa = (built["full"] / "build/fa/doc.html").read_text(encoding="utf-8")
    assert '<p class="book-translators"' not in fa and '<p class="isbn">شابک ۹۷۸-۱-۸۶۱۹۷-۲۷۱-۲ (EPUB)</p>' in fa
    for page in (built["bare"] / "build").glob("*/*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'content=""|class=""|<meta name="(author|description|keywords|dcterms\.(publisher|'
                             r'contributor|rights|license))"', text), page


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", "-custom", str(path)], capture_output=True, text=True,
                         encoding="utf-8", check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.mark.e2e
@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) is missing")
def test_the_pdf_metadata(built):
    info = _pdfinfo(built["full"] / "build/en/doc.pdf")
    assert (info["Author"], info["Subject"], info["Keywords"]) == ("Maryam Ahmadi", "A sample report", "report, sample")
    assert info["dctermsidentifier"] == "urn:isbn:9780851310411"
    assert info["dctermsrights"] == "© 2026 Example Press"
    assert info["dctermscontributor"] == "Jane Doe, John Roe"
    bare = _pdfinfo(built["bare"] / "build/en/welcome.pdf")
    assert not {"Author", "Subject", "Keywords", "dctermsrights", "dctermsidentifier"} & set(bare)


@pytest.mark.e2e
@pytest.mark.skipif(not EPUBCHECK.exists(), reason="epubcheck is missing (apt-get install epubcheck)")
def test_epubcheck_has_nothing_to_say(built):
    # every edition of the full project; of the bare one the translation, the
    # edition where an empty field would have shown (each check is a JVM start;
    # tests/e2e/test_matrix.py checks every edition of a fresh project)
    epubs = sorted((built["full"] / "build").glob("*/*.epub")) + [built["bare"] / "build/en/welcome.epub"]
    assert len(epubs) == 4
    import epubcheck
    for epub in epubs:
        proc = epubcheck.run(epub)
        assert proc.returncode == 0 and "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in proc.stdout, (
            epub, proc.stdout, proc.stderr)


@pytest.mark.e2e
@pytest.mark.skipif(not VNU.exists(), reason=f"the Nu HTML Checker is missing ({VNU}; make test installs it)")
def test_the_nu_checker_finds_no_error(built):
    pages = sorted((built["full"] / "build").glob("*/*.html")) + sorted((built["bare"] / "build").glob("*/*.html"))
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *map(str, pages)], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.e2e
@pytest.mark.skipif(not ACE.exists() or not shutil.which("chromium"),
                    reason="DAISY Ace is not installed (make ace: npm's @daisy/ace, with Debian's chromium)")
def test_daisy_ace_finds_no_violation(built, tmp_path):
    epub = built["full"] / "build/fa-en/doc.epub"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium")}
    proc = subprocess.run([str(ACE), "-f", "-o", str(tmp_path / "ace"), str(epub)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((tmp_path / "ace/report.json").read_text(encoding="utf-8"))
    found = [(a["earl:test"]["dct:title"], a["earl:result"]["dct:description"])
             for doc in report["assertions"] for a in doc["assertions"]]
    assert report["earl:result"]["earl:outcome"] == "pass", found

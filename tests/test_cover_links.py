"""Covers, and the editions of a document linking each other (issue 13,
points 4 and 5).

Fast tests: the ``cover:`` and ``pdf.cover`` settings are checked with their
line; the generated cover fits any title (its lines measured), finds a glyph
for every character, and is the same bytes every time.  End-to-end tests (one
whole build, proved with epubcheck, the Nu HTML Checker and poppler): the
EPUB's cover, generated and configured; the pages' alternate links and
switcher; build/index.html; the PDF's cover page.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SYNTHETIC_CONFIG, SYNTHETIC_SOURCE, fill
from projects import REPO, publish
from publish import config, scaffold
from publish.assemble import Edition
from publish.errors import PublishError
from publish.render import cover

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
VNU = next((p for p in (Path(os.environ.get("VNU_JAR", "/nonexistent")),
                        REPO / ".tools/node_modules/vnu-jar/build/dist/vnu.jar",
                        Path("/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar")) if p.is_file()), None)
BIDI = re.compile("[\u200e\u200f\u202a-\u202e]")


def _picture(kind: str, size=(60, 90), colour=(120, 30, 40)) -> bytes:
    from PIL import Image
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    return out.getvalue()


def _project(root: Path, extra: str = "", pdf: str = "", document: str = "") -> Path:
    (root / "source" / "fa").mkdir(parents=True, exist_ok=True)
    (root / "source/fa/doc.md").write_text(SYNTHETIC_SOURCE, encoding="utf-8")
    text = SYNTHETIC_CONFIG.replace("    source: source/fa/doc.md\n", "    source: source/fa/doc.md\n" + document)
    text = text.replace("pdf:\n  paper: A5\n", "pdf:\n  paper: A5\n" + pdf) + extra
    (root / "publish.yml").write_text(text, encoding="utf-8")
    return root


def _line_of(root: Path, needle: str) -> int:
    lines = (root / "publish.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# --- the settings ----------------------------------------------------------------

def test_a_cover_under_source_is_read_for_the_project_and_per_document(tmp_path):
    root = _project(tmp_path, extra="cover: source/cover.png\n", pdf="  cover: true\n",
                    document="    cover: {fa: source/fa/doc-cover.jpg}\n")
    (root / "source/cover.png").write_bytes(_picture("PNG"))
    (root / "source/fa/doc-cover.jpg").write_bytes(_picture("JPEG"))
    project = config.load(root)
    doc = project.documents[0]
    assert project.cover == {"*": "source/cover.png"} and project.pdf_cover is True
    assert doc.cover == {"fa": "source/fa/doc-cover.jpg"}
    # the document's own for its language, else the project's
    assert cover.configured(project, doc, "fa") == root / "source/fa/doc-cover.jpg"
    assert cover.configured(project, doc, "en") == root / "source/cover.png"
    assert cover.filename(project, doc, "fa") == "doc.cover.jpg"
    assert cover.filename(project, doc, "en") == "doc.cover.png"
    # a cover in another language is no fallback: it shows its title
    project.cover = {}
    assert cover.configured(project, doc, "en") is None


@pytest.mark.parametrize("value, make, message", [
    ("source/none.png", None, "cover: source/none.png does not exist"),
    ("publish.yml", None, "cover: publish.yml is not under source/"),
    ("source/../../elsewhere.png", "elsewhere", "is not under source/"),
    ("source/notes.png", b"just some text\n", "cover: source/notes.png is not a PNG or JPEG picture"),
    ("source/anim.png", "GIF", "is not a PNG or JPEG picture (it is image/gif)"),
    ("{xx-nowhere: source/c.png}", None, "cover: 'xx-nowhere' is not a language tag"),
    ("[source/c.png]", None, "cover: expected text"),
])
def test_a_bad_cover_is_refused_with_its_line(tmp_path, value, make, message):
    root = _project(tmp_path / "p", extra=f"cover: {value}\n")
    if make == "elsewhere":
        (tmp_path / "elsewhere.png").write_bytes(_picture("PNG"))
    elif make == "GIF":
        (root / "source/anim.png").write_bytes(_picture("GIF"))
    elif make is not None:
        (root / value).write_bytes(make)
    with pytest.raises(PublishError) as caught:
        config.load(root)
    assert caught.value.line == _line_of(root, "cover:"), caught.value
    assert message in str(caught.value), caught.value


def test_a_symbolic_link_out_of_source_is_refused(tmp_path):
    root = _project(tmp_path / "p", extra="cover: source/link.png\n")
    (tmp_path / "outside.png").write_bytes(_picture("PNG"))
    (root / "source/link.png").symlink_to(tmp_path / "outside.png")
    with pytest.raises(PublishError, match="is not under source/"):
        config.load(root)


def test_pdf_cover_is_true_or_false(tmp_path):
    root = _project(tmp_path, pdf="  cover: yes please\n")
    with pytest.raises(PublishError) as caught:
        config.load(root)
    assert caught.value.line == _line_of(root, "cover:") and "expected true or false" in str(caught.value)


def test_init_writes_the_settings_commented_and_a_project_that_loads(tmp_path):
    scaffold.init(tmp_path / "new", "کتاب", "fa", ("en",))
    text = (tmp_path / "new/publish.yml").read_text(encoding="utf-8")
    assert "# cover: source/cover.jpg" in text and "  cover: false" in text
    project = config.load(tmp_path / "new")
    assert project.cover == {} and project.pdf_cover is False


def test_the_cover_reaches_the_cache_key_of_what_shows_it(tmp_path):
    from publish import build

    def keys(root):
        project = config.load(root)
        inputs = build._Inputs(project)
        return {fmt: inputs.parts(project.documents[0], ("en",), fmt, []) for fmt in ("html", "epub", "pdf", "cover")}

    root = _project(tmp_path, extra="cover: source/cover.png\n")
    (root / "source/cover.png").write_bytes(_picture("PNG"))
    before = keys(root)
    (root / "source/cover.png").write_bytes(_picture("PNG", colour=(1, 2, 3)))
    after = keys(root)
    # (every output sees a picture under source/ change: "images"; the cover's own part is the point)
    assert {f for f in before if before[f].get("cover") != after[f].get("cover")} == {"epub", "cover"}
    cfg = root / "publish.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  paper: A5\n", "  paper: A5\n  cover: true\n"),
                   encoding="utf-8")
    with_pdf = keys(root)
    assert {f for f in after if after[f] != with_pdf[f]} == {"pdf"} and "cover" in with_pdf["pdf"]


# --- the generated cover ---------------------------------------------------------

LONG_EN = ("Report of the Party’s Executive Committee to the Ninth Congress of the Worker-communist Party "
           "of Iran, with the Resolutions Adopted and the Minutes of Every Session (1990–2024)")
LONG_FA = ("گزارش هیئت اجرائی حزب به کنگره نهم حزب کمونیست کارگری ایران (۱۴۰۲) — همراه با قطعنامه‌ها "
           "و صورت‌جلسه‌های همه‌ی نشست‌ها و نامه‌های رسیده به کنگره از سراسر جهان")


def _assembled(meta: dict, langs=("en",), name="doc"):
    edition = Edition("-".join(langs), tuple(langs))
    project = SimpleNamespace(organisation={}, source_language="fa", cover={}, root=Path("/nonexistent"))
    a = SimpleNamespace(meta=meta, edition=edition, document=SimpleNamespace(name=name, cover={}))
    return a, project


def _check_fits(lay: cover.Layout, texts: list[str]) -> None:
    lines = sorted(lay.lines, key=lambda l: l.baseline)
    for line in lines:
        width = line.setter.width(line.text, line.size)
        assert width <= cover.TEXT_WIDTH + 1, (line.text, width)
        assert cover.FRAME < line.baseline - line.size and line.baseline < cover.HEIGHT - cover.FRAME, line
    for upper, lower in zip(lines, lines[1:]):   # no line runs into the next
        assert lower.baseline - upper.baseline >= 0.9 * max(upper.size, lower.size), (upper, lower)
    # every word is printed, in order, once
    for text in texts:
        printed = " ".join(l.text for l in lines if l.source == text)
        assert printed == " ".join(text.split()), (printed, text)


@pytest.mark.parametrize("langs, meta", [
    (("en",), {"title": LONG_EN, "subtitle": "The Party’s work between the Eighth and Ninth Congresses",
               "author": "Executive Committee of the Worker-communist Party of Iran", "publisher": "WPI"}),
    (("fa",), {"title": LONG_FA, "subtitle": "گزارش فعالیت‌های حزب در فاصله کنگره هشتم و نهم",
               "author": "هیئت اجرائی حزب کمونیست کارگری ایران", "publisher": "حزب کمونیست کارگری ایران"}),
    (("fa", "en"), {"title": LONG_EN, "title-source": LONG_FA, "subtitle": "The work", "subtitle-source": "کار",
                    "author": "Executive Committee", "author-source": "هیئت اجرائی", "publisher": "WPI"}),
])
def test_a_long_title_wraps_and_fits(langs, meta):
    a, project = _assembled(meta, langs)
    items = cover.texts(a, project)
    lay = cover.layout(items)
    _check_fits(lay, [t.text for t in items])
    titles = [l for l in lay.lines if l.role == "title"]
    assert len({l.source for l in titles}) == len(langs)        # the parallel cover has both titles
    assert len(titles) >= 3 * len(langs)                         # a long title takes several lines
    assert {l.direction for l in titles} == {"rtl" if lang == "fa" else "ltr" for lang in langs}


def test_a_title_not_yet_translated_is_set_as_persian_on_the_english_cover():
    a, project = _assembled({"title": "گزارش (۱۴۰۲) به کنگره", "title-lang": "fa", "author": "A. Author"})
    lay = cover.layout(cover.texts(a, project))
    title = next(l for l in lay.lines if l.role == "title")
    author = next(l for l in lay.lines if l.role == "author")
    assert (title.lang, title.direction) == ("fa", "rtl") and (author.lang, author.direction) == ("en", "ltr")
    assert cover._fonts_for(title.source, "en")[0] == "Noto Naskh Arabic"


def test_an_endless_title_is_cut_with_an_ellipsis():
    a, project = _assembled({"title": " ".join(["Congress"] * 400)})
    lay = cover.layout(cover.texts(a, project))
    titles = [l for l in lay.lines if l.role == "title"]
    assert titles[-1].text.endswith("…") and all(l.baseline < 1500 for l in titles)


def test_every_character_of_a_persian_title_has_a_glyph():
    """Noto Naskh Arabic has no Latin letters, parentheses or dashes: the
    cover's font takes them from Noto Serif."""
    from fontTools.ttLib import TTFont
    text = "گزارش (۱۴۰۲) — UN-report / «نو» 2024"
    setter = cover._setter_for(text, "fa", True)
    source = setter.source
    font = TTFont(source if isinstance(source, str) else BytesIO(source))
    cmap = font.getBestCmap()
    assert not [c for c in text if c != " " and ord(c) not in cmap]


def test_the_cover_is_a_png_of_the_same_bytes_every_time():
    from PIL import Image
    meta = {"title": LONG_FA, "author": "هیئت اجرائی", "publisher": "حزب"}
    first = cover.image(*_assembled(meta, ("fa",)))
    cover._setter_for.cache_clear()
    cover._font_source.cache_clear()
    second = cover.image(*_assembled(meta, ("fa",)))
    assert first.generated and first.suffix == "png" and first.data == second.data
    picture = Image.open(BytesIO(first.data))
    assert picture.format == "PNG" and picture.size == (cover.WIDTH, cover.HEIGHT)
    # the text is drawn: many pixels are neither the background nor the frame's colour
    assert len(picture.getcolors(256)) > 8


# --- end to end ----------------------------------------------------------------------

AUTHOR = "author:\n  fa: نویسنده‌ی آزمون\n  en: The Test Author\norganisation:\n  fa: نشر آزمون\n  en: Test Press\n"


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    proc = publish([*args], root, timeout=300)
    assert proc.returncode == 0, f"publish {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The synthetic project, translated, with an author and a publisher and
    the cover as the PDF's first page: built whole once."""
    root = _project(tmp_path_factory.mktemp("covers") / "project", extra=AUTHOR, pdf="  cover: true\n")
    _run(root, "update")
    fill(root / "translations/en/doc.po")
    _run(root, "build")
    return root


# a short run of Java: the quick compiler and the simplest collector halve epubcheck's time
# (the Nu checker then needs a deeper stack than the default for its schema)
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m", "-jar"]


def _epubcheck(*epubs: Path) -> None:
    """epubcheck on each EPUB; each must report no message at all."""
    import epubcheck
    for epub in epubs:
        epubcheck.assert_clean(epub)


def _cover_in(epub: Path) -> bytes:
    """The picture the OPF marks as the cover image (there must be one)."""
    with zipfile.ZipFile(epub) as z:
        opf_name = next(n for n in z.namelist() if n.endswith(".opf"))
        opf = z.read(opf_name).decode("utf-8")
        items = [m for m in re.findall(r"<item\b[^>]*>", opf) if 'properties="cover-image"' in m]
        assert len(items) == 1, opf
        href = re.search(r'href="([^"]+)"', items[0]).group(1)
        return z.read(str(Path(opf_name).parent / href))


def _links(page: str) -> list[str]:
    return re.findall(r'\b(?:href|src|content)="([^"#:]+\.(?:html|epub|pdf|png|jpg))"', page)


@pytest.fixture(scope="module")
def configured(tmp_path_factory) -> tuple[Path, bytes]:
    """A project with a picture for its Persian cover and a JPEG for its
    English one; the English EPUB and page built."""
    root = _project(tmp_path_factory.mktemp("configured") / "project",
                    extra="cover:\n  fa: source/cover.png\n  en: source/cover-en.jpg\n")
    (root / "source/cover.png").write_bytes(_picture("PNG", (400, 600)))
    jpeg = _picture("JPEG", (400, 600), (20, 60, 90))
    (root / "source/cover-en.jpg").write_bytes(jpeg)
    _run(root, "update")
    _run(root, "build", "-e", "en", "-f", "epub", "-f", "html")
    return root, jpeg


@pytest.mark.e2e
def test_epubs_with_a_generated_and_a_configured_cover_pass_epubcheck(built, configured):
    generated = built / "build/fa-en/doc.epub"
    assert _cover_in(generated) == (built / "build/fa-en/doc.cover.png").read_bytes()
    root, jpeg = configured
    epub = root / "build/en/doc.epub"
    assert _cover_in(epub) == jpeg                 # the picture as it is, not redrawn
    assert (root / "build/en/doc.cover.jpg").read_bytes() == jpeg
    assert '<meta property="og:image" content="doc.cover.jpg">' in (root / "build/en/doc.html").read_text("utf-8")
    _epubcheck(generated, epub)


@pytest.mark.e2e
def test_each_page_links_its_siblings_and_passes_the_nu_checker(built):
    from publish.serve import Preview
    preview = Preview(built)
    pages = {e: built / f"build/{e}/doc.html" for e in ("fa", "en", "fa-en")}
    for edition, path in pages.items():
        page = path.read_text(encoding="utf-8")
        assert '<link rel="alternate" hreflang="fa" href="../fa/doc.html"' in page
        assert '<link rel="alternate" hreflang="en" href="../en/doc.html"' in page
        assert '<link rel="alternate" href="../fa-en/doc.html"' in page          # two languages: no hreflang
        nav = re.search(r'<nav class="editions".*?</nav>', page, re.S).group(0)
        # the edition names in their own languages, this one marked as the current page
        assert '<span lang="fa" dir="rtl">فارسی</span>' in nav and '<span lang="en" dir="ltr">English</span>' in nav
        assert re.search(rf'<a href="../{edition}/doc.html"[^>]*aria-current="page"', nav), nav
        assert f'href="doc.epub"' in nav and f'href="doc.pdf"' in nav
        assert '<meta property="og:image" content="doc.cover.png">' in page
        # every file the page names is there, on disk and as the preview serves it
        for link in _links(page):
            assert (path.parent / link).resolve().is_file(), (edition, link)
            served = preview.resolve(posixpath.normpath(f"/{edition}/{link}"))
            assert served is not None and served.is_file(), (edition, link)
    assert VNU is not None, "the Nu HTML Checker is missing: `make test` installs it"
    proc = subprocess.run([*JAVA, str(VNU), "--errors-only", *map(str, pages.values()),
                           str(built / "build/index.html")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr


@pytest.mark.e2e
def test_the_index_lists_every_output_in_both_languages(built):
    index = (built / "build/index.html").read_text(encoding="utf-8")
    outputs = {p.relative_to(built / "build").as_posix() for p in (built / "build").glob("*/doc.*")
               if p.suffix in (".html", ".epub", ".pdf")}
    assert len(outputs) == 9
    linked = re.findall(r'<a href="([^"#]+)"', index)
    assert set(linked) == outputs and len(linked) == 2 * len(outputs)      # once per language
    for src in re.findall(r'<img src="([^"]+)"', index):
        assert (built / "build" / src).is_file(), src
    # headings and labels in Persian and in English, the document's title in each
    for text in ("نسخه‌ها و پرونده‌ها", "Editions and downloads", "کتاب الکترونیکی (EPUB)", "E-book (EPUB)",
                 "<h3>آزمون</h3>", "<h3>Test</h3>", 'lang="fa" dir="rtl"', 'lang="en" dir="ltr"'):
        assert text in index, text
    assert re.search(r'class="size">[۰-۹]+', index) and re.search(r'class="size">[0-9]+', index)


def _pdf(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True, timeout=60).stdout


def _pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _pdf("pdfinfo", str(pdf)), re.M).group(1))


@pytest.mark.e2e
def test_pdf_cover_true_makes_the_cover_the_first_page(built, tmp_path):
    for edition, words in (("en", ["Test", "The Test Author", "Test Press"]), ("fa", ["آزمون", "نشر آزمون"]),
                           ("fa-en", ["آزمون", "Test"])):
        first = BIDI.sub("", _pdf("pdftotext", "-f", "1", "-l", "1", str(built / f"build/{edition}/doc.pdf"), "-"))
        for word in words:
            assert word in first, (edition, word, first)
    # without the cover, the same edition has one page less and starts with its title page
    plain = tmp_path / "plain"
    shutil.copytree(built, plain)
    cfg = plain / "publish.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  cover: true\n", ""), encoding="utf-8")
    _run(plain, "build", "-e", "en", "-f", "pdf")
    assert _pages(built / "build/en/doc.pdf") == _pages(plain / "build/en/doc.pdf") + 1
    second = _pdf("pdftotext", "-f", "2", "-l", "2", str(built / "build/en/doc.pdf"), "-")
    assert "The Test Author" in second and "Test Press" not in second   # the title page, unnumbered
    assert not re.search(r"^\s*\d+\s*$", second, re.M), second


@pytest.mark.e2e
def test_a_single_edition_build_links_every_edition_but_only_files_there(tmp_path):
    root = _project(tmp_path / "p")
    _run(root, "update")
    _run(root, "build", "-e", "en", "-f", "html")
    page = (root / "build/en/doc.html").read_text(encoding="utf-8")
    assert 'href="../fa/doc.html"' in page and 'href="../fa-en/doc.html"' in page
    assert "doc.epub" not in page and "doc.pdf" not in page      # never made: not offered
    assert (root / "build/en/doc.cover.png").is_file()           # the social card is made with the page
    assert not (root / "build/index.html").exists()              # only a whole build writes the index
    # an EPUB made later is linked by the next build of the page
    _run(root, "build", "-e", "en", "-f", "epub")
    _run(root, "build", "-e", "en", "-f", "html")
    assert 'href="doc.epub"' in (root / "build/en/doc.html").read_text(encoding="utf-8")

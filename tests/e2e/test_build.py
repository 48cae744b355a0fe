"""``publish build`` end to end, checked with the real tools.

The real project (publish.yml, source/, translations/) is copied into a
temporary folder and built there with the console script, once per session;
a second copy is built at the same time (with another time zone) to prove the
build reproducible.  The outputs are then checked the way a reader, a
bookshop or a reading system would see them:

* EPUB: ``epubcheck`` (no error, no warning), the package document (language,
  page progression, identifier, date), the XHTML (language, direction,
  parallel pairs), the navigation document, the embedded Persian font;
* PDF: ``pdffonts`` (all fonts embedded and subset; the right families),
  ``pdftotext`` (known sentences in logical order, Persian page numbers),
  ``pdfinfo`` (title, author, A5), the outline (bookmarks);
* HTML (parsed with ``html.parser``): language and direction, parallel pairs
  with matching sentence ids, every unit of the catalog present, self-contained;
* the command line: selecting an edition and a format touches nothing else,
  an unknown edition is one line on stderr, ``--strict`` refuses an
  incomplete catalog, without it the gap is counted, marked and reported.

Nothing here writes to the real project.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

import polib
import pytest
import yaml

from pdfgeometry import TEXT_BLOCK_MARGINS, assert_sound
from projects import REPO, copy_project, publish

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")

EDITIONS = ("fa", "en", "fa-en")
FORMATS = ("html", "epub", "pdf")
DOC = "report"
PO = Path("translations/en/report.po")

_missing = [t for t in ("java", "pdffonts", "pdftotext", "pdfinfo") if not shutil.which(t)]
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(_missing), reason=f"missing tools: {', '.join(_missing)} "
                                              "(apt-get install poppler-utils epubcheck default-jre-headless)"),
    pytest.mark.skipif(not EPUBCHECK_JAR.exists(), reason=f"{EPUBCHECK_JAR} is missing (apt-get install epubcheck)"),
]

# --- known text of the report ---------------------------------------------------------

# In source/fa/report.md this sentence is written with Arabic ي and ك
# ("تشكيلات خارج کشور حزب به يمن حضور صدها كادر …"); every edition must print
# the Persian letters the pipeline normalises them to.
FA_SENTENCE = ("تشکیلات خارج کشور حزب به یمن حضور صدها کادر و عضو با تجربه کار سیاسی و فعالیت های "
               "پردامنه و پیوسته ای که در طول سالیان طولانی در نقاط مختلف دنیا انجام داده است، تاثیر "
               "بسزائی بر دامنه و ابعاد فعالیت های سیاسی و پاشیدن رنگ رادیکالیسم بر نبرد علیه جمهوری "
               "اسلامی در خارج از کشور داشته و در بسیاری موارد مانع حضور جمهوری اسلامی شده و در "
               "اپیزودهای مهمی اصلاح طلبان حکومتی و یا جریانات اسلامی را شکست داده است.")
FA_SENTENCE_AS_WRITTEN = "تشكيلات خارج کشور حزب به يمن حضور صدها كادر"
EN_SENTENCES = (
    "Take the Save Reyhaneh campaign as an example of our work.",
    "For the past 18 months our programmes have again been on air 24 hours a day, and, whatever its "
    "ups and downs, the channel is well known and established in Iran.",
)
# The unit emptied in the "untranslated" copy: it has Persian digits (۳۰۰),
# which must survive in the fallback and nowhere else in the English text.
UNTRANSLATED_MSGSTR = ("Finances: raising more than 300,000 euros a year in running costs for a party that "
                       "receives not a single dollar from any government is no simple task, but it has been "
                       "achieved through the admirable efforts of the party’s cadres.")
UNTRANSLATED_MSGID = ("مالی: تامین بیش از ۳۰۰ هزار یورو هزینه سالیانه برای حزبی که حتی یک دلار از هیچ دولتی "
                      "به آن کمک نمیشود کار ساده ای نیست اما با تلاش تحسین برانگیز کادرهای حزب عملی شده است.")

PERSIAN_DIGITS = re.compile("[۰-۹]")
ARABIC_LETTERS = re.compile("[يكى]")

# --- running things ---------------------------------------------------------------------


def _describe(proc) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def tool(*args: str | Path) -> str:
    proc = subprocess.run([str(a) for a in args], capture_output=True, timeout=120)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}: {proc.stderr.decode('utf-8', 'replace')}"
    return proc.stdout.decode("utf-8")


def outputs(root: Path) -> dict[tuple[str, str], Path]:
    return {(e, f): root / "build" / e / f"{DOC}.{f}" for e in EDITIONS for f in FORMATS}


STATUS = "build/status.html"  # written by every whole build that renders something
# and beside them: build/index.html (every file, for the web site) and each page's cover picture
WHOLE = {STATUS, "build/index.html"} | {f"build/{e}/{DOC}.cover.png" for e in EDITIONS}


def built_files(root: Path) -> set[str]:
    """The outputs in build/ (not the build's own manifest in build/.publish/)."""
    build = root / "build"
    return {p.relative_to(root).as_posix() for p in build.rglob("*")
            if p.is_file() and ".publish" not in p.relative_to(build).parts} if build.exists() else set()


def config() -> dict:
    return yaml.safe_load((REPO / "publish.yml").read_text(encoding="utf-8"))


def catalog() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(REPO / PO)) if not e.obsolete and e.msgid]


def edition_lang(edition: str) -> str:
    return edition.split("-")[-1]


# --- session builds ---------------------------------------------------------------------


@dataclass
class Build:
    root: Path
    proc: subprocess.CompletedProcess

    def path(self, edition: str, fmt: str) -> Path:
        return self.root / "build" / edition / f"{DOC}.{fmt}"


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> tuple[Build, Build]:
    """Two full builds of two fresh copies, run side by side; the second in
    another time zone (what a build on another machine would see) and with
    --strict (the catalog is complete, so it must make no difference)."""
    roots = [copy_project(tmp_path_factory.mktemp("build-a") / "project"),
             copy_project(tmp_path_factory.mktemp("build-b") / "project")]
    runs = [(["build"], roots[0], {}), (["build", "--strict"], roots[1], {"TZ": "Asia/Tehran"})]
    with ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(lambda run: publish(run[0], run[1], **run[2]), runs))
    for proc in procs:
        assert proc.returncode == 0, f"publish build: {_describe(proc)}"
    return Build(roots[0], procs[0]), Build(roots[1], procs[1])


@pytest.fixture(scope="session")
def build(builds) -> Build:
    return builds[0]


@pytest.fixture(scope="session")
def epubcheck(build) -> dict[str, subprocess.CompletedProcess]:
    """epubcheck -q on every EPUB."""
    import epubcheck
    return {edition: epubcheck.run(build.path(edition, "epub"), "-q") for edition in EDITIONS}


@dataclass
class Untranslated:
    root: Path
    strict: subprocess.CompletedProcess
    files_after_strict: set[str]
    lenient: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def untranslated(tmp_path_factory) -> Untranslated:
    """A copy with one msgstr emptied, built with --strict and then without."""
    root = copy_project(tmp_path_factory.mktemp("untranslated") / "project")
    po = root / PO
    text = po.read_text(encoding="utf-8")
    line = f'msgstr "{UNTRANSLATED_MSGSTR}"\n'
    assert text.count(line) == 1, "the test's chosen msgstr is no longer in the catalog"
    po.write_text(text.replace(line, 'msgstr ""\n'), encoding="utf-8")
    strict = publish(["build", "--strict"], root)
    files_after_strict = built_files(root)
    lenient = publish(["build"], root)
    assert lenient.returncode == 0, f"publish build (no --strict): {_describe(lenient)}"
    return Untranslated(root, strict, files_after_strict, lenient)


# --- a small DOM on html.parser ---------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, pred) -> list["Node"]:
        return [n for n in self.iter() if pred(n)]

    def text(self, skip=lambda n: n.tag in ("script", "style")) -> str:
        return "".join(c if isinstance(c, str) else ("" if skip(c) else c.text(skip)) for c in self.children)

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(path: Path) -> Node:
    b = _Builder()
    b.feed(path.read_text(encoding="utf-8"))
    b.close()
    return b.root


def one(root: Node, tag: str) -> Node:
    found = root.find_all(lambda n: n.tag == tag)
    assert len(found) == 1, f"{len(found)} <{tag}> elements"
    return found[0]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- EPUB helpers ---------------------------------------------------------------------------

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "ops": "http://www.idpf.org/2007/ops",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


class Epub:
    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        container = ET.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//c:rootfile", NS).get("full-path")
        self.opf = ET.fromstring(self.zip.read(self.opf_path))
        base = posixpath.dirname(self.opf_path)
        self.manifest = {i.get("id"): {**i.attrib, "path": posixpath.normpath(posixpath.join(base, unquote(i.get("href"))))}
                         for i in self.opf.find("opf:manifest", NS)}

    def meta(self, name: str) -> list[str]:
        return [(e.text or "").strip() for e in self.opf.find("opf:metadata", NS).findall(name, NS)]

    @property
    def spine(self) -> ET.Element:
        return self.opf.find("opf:spine", NS)

    def xhtml(self) -> dict[str, ET.Element]:
        """Every XHTML document of the manifest, parsed."""
        return {item["path"]: ET.fromstring(self.zip.read(item["path"]))
                for item in self.manifest.values() if item["media-type"] == "application/xhtml+xml"}

    def text(self) -> str:
        return squash(" ".join("".join(root.itertext()) for root in self.xhtml().values()))


def classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


# --- PDF helpers -------------------------------------------------------------------------

BIDI_CONTROLS = "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z]")


def _segments(line: str) -> list[str]:
    """A pdftotext line cut into its top-level pieces: runs wrapped in
    embedding controls (RLE/LRE … PDF) and the text between them."""
    segs, cur, depth = [], "", 0
    for ch in line:
        if ch in "\u202a\u202b\u202d\u202e":
            if depth == 0 and cur:
                segs.append(cur)
                cur = ""
            depth += 1
            cur += ch
        elif ch == "\u202c" and depth:
            depth -= 1
            cur += ch
            if depth == 0:
                segs.append(cur)
                cur = ""
        else:
            cur += ch
    if cur:
        segs.append(cur)
    return segs


def logical(text: str) -> str:
    """pdftotext decides one direction per page: on a page of the parallel
    text, where English is the majority, it treats the Persian column's lines
    as left-to-right and emits their pieces (each marked with RLE … PDF)
    right-to-left-run first.  A line that is mostly Persian and cut into
    several pieces is put back in reading order by reversing the pieces.
    Lines pdftotext already wrote as one right-to-left run are untouched."""
    out = []
    for line in text.split("\n"):
        if len(_ARABIC_SCRIPT.findall(line)) > len(_LATIN.findall(line)):
            segs = _segments(line)
            if len(segs) > 1:
                line = "".join(reversed(segs))
        out.append(line)
    return "\n".join(out)


def comparable(text: str) -> str:
    """Text from pdftotext or from the catalog, reduced to what both agree on:
    no bidi controls or ZWNJ (pdftotext drops ZWNJ), no line-end hyphenation
    (U+2010 and soft hyphens), no ASCII hyphens (poppler joins a line ending
    in '-' with the next and drops the '-'), one space between words and one
    after each punctuation mark (pdftotext spaces Persian punctuation
    unpredictably)."""
    text = re.sub(f"[{BIDI_CONTROLS}]", "", text)
    text = re.sub("[\u2010\u00ad]\n", "", text)
    text = text.replace("-", "")
    text = re.sub(r"\s*([.,،؛:;!؟?])\s*", r"\1 ", text)
    return squash(text)


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return tool(*args, path, "-")


def pdf_text(path: Path) -> str:
    return comparable(logical(pdftotext(path)))


def pdfinfo(path: Path) -> dict[str, str]:
    info = {}
    for line in tool("pdfinfo", "-enc", "UTF-8", path).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def pdffonts(path: Path) -> list[dict[str, str]]:
    lines = tool("pdffonts", path).splitlines()
    assert lines[1].startswith("---"), lines[:2]
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        # name type… encoding emb sub uni object-number generation
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3],
                      "family": re.sub(r"^[A-Z]{6}\+", "", parts[0]).replace("-", " ").lower()})
    return fonts


def pdf_objects(path: Path) -> bytes:
    """The PDF with every Flate stream inflated (WeasyPrint puts the catalog
    in a compressed object stream, so the raw bytes never show /Outlines)."""
    data = path.read_bytes()
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end():end]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def persian(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


# ======================================================================================
# 1. every file, and epubcheck
# ======================================================================================


def test_all_nine_files_are_built(builds):
    units = len(catalog())
    for build in builds:  # the second with --strict
        for (edition, fmt), path in outputs(build.root).items():
            assert path.is_file() and path.stat().st_size > 0, f"no {edition} {fmt} at {path}\n{_describe(build.proc)}"
            assert f"wrote build/{edition}/{DOC}.{fmt}" in build.proc.stdout
        assert built_files(build.root) == {f"build/{e}/{DOC}.{f}" for e in EDITIONS for f in FORMATS} | WHOLE
        assert f"report en: 100% translated ({units} of {units} units)\n" in build.proc.stdout
        assert build.proc.stderr == ""


@pytest.mark.parametrize("edition", EDITIONS)
def test_epubcheck_reports_nothing(epubcheck, edition):
    proc = epubcheck[edition]
    output = (proc.stdout + proc.stderr).splitlines()
    problems = [l for l in output if re.match(r"(FATAL|ERROR|WARNING)\(", l)]
    assert problems == [], "\n".join(problems)
    # with -q epubcheck prints only problems (and JVM notices, which are not)
    other = [l for l in output if l.strip() and not l.startswith(("Picked up ", "NOTE: Picked up"))]
    assert other == [], "\n".join(other)
    assert proc.returncode == 0


# ======================================================================================
# 2. EPUB content
# ======================================================================================


def test_epub_fa_is_persian_and_right_to_left(build):
    epub = Epub(build.path("fa", "epub"))
    assert epub.meta("dc:language") == ["fa"]
    assert epub.spine.get("page-progression-direction") == "rtl"
    for path, root in epub.xhtml().items():
        assert root.get("lang") == "fa" and root.get(XML_LANG) == "fa", path


def test_epub_fa_xhtml_documents_are_rtl(build):
    epub = Epub(build.path("fa", "epub"))
    for path, root in epub.xhtml().items():
        body = root.find("x:body", NS)
        assert "rtl" in (root.get("dir"), body.get("dir")), f"{path}: neither <html> nor <body> has dir=\"rtl\""


def test_epub_en_is_english_and_left_to_right(build):
    epub = Epub(build.path("en", "epub"))
    assert epub.meta("dc:language") == ["en"]
    assert epub.spine.get("page-progression-direction") == "ltr"
    for path, root in epub.xhtml().items():
        assert root.get("lang") == "en" and root.get(XML_LANG) == "en", path
        body = root.find("x:body", NS)
        assert root.get("dir") in (None, "ltr") and body.get("dir") in (None, "ltr"), path
        assert not [e for e in root.iter() if e.get("dir") == "rtl"], f"{path}: rtl text in the English edition"


def test_epub_fa_en_pairs_the_sentences(build):
    epub = Epub(build.path("fa-en", "epub"))
    pairs = [el for root in epub.xhtml().values() for el in root.iter() if "pair" in classes(el)]
    html_pairs = parse_html(build.path("fa-en", "html")).find_all(lambda n: "pair" in n.classes)
    # a heading pair opens its chapter: the translation's <hN>, then the original's heading under it
    headings = [(el, nxt) for root in epub.xhtml().values() for parent in root.iter()
                for el, nxt in zip(parent, list(parent)[1:]) if "pair-heading" in classes(el) and el.tag != f"{{{NS['x']}}}section"]
    assert headings and pairs and len(pairs) + len(headings) == len(html_pairs)
    for heading, original in headings:
        assert "source-heading" in classes(original) and (original.get("lang"), original.get("dir")) == ("fa", "rtl")
        assert [u.get("data-u") for u in heading.iter() if u.get("data-u")] == \
            [u.get("data-u") for u in original.iter() if u.get("data-u")]
    for pair in pairs:
        sides = list(pair)
        assert [("source" in classes(s), "target" in classes(s)) for s in sides] == [(True, False), (False, True)]
        source, target = sides
        assert (source.get("lang"), source.get("dir")) == ("fa", "rtl")
        assert (target.get("lang"), target.get("dir")) == ("en", "ltr")
        ids = [[u.get("data-u") for u in side.iter() if u.get("data-u")] for side in sides]
        assert ids[0] and ids[0] == ids[1]


@pytest.mark.parametrize("edition", EDITIONS)
def test_epub_embeds_the_persian_font_only_with_persian(build, edition):
    epub = Epub(build.path(edition, "epub"))
    fonts = {i["path"]: i for i in epub.manifest.values() if i["media-type"].startswith(("font/", "application/font",
                                                                                          "application/vnd.ms-opentype",
                                                                                          "application/x-font"))}
    css = "\n".join(epub.zip.read(i["path"]).decode("utf-8") for i in epub.manifest.values()
                    if i["media-type"] == "text/css")
    if "fa" not in edition.split("-"):
        assert fonts == {}
        assert "@font-face" not in css
        return
    regular = [p for p in fonts if posixpath.basename(p) == "NotoNaskhArabic-Regular.ttf"]
    assert regular, f"fonts in the manifest: {sorted(fonts)}"
    data = epub.zip.read(regular[0])
    assert data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    assert "Noto Naskh Arabic".encode("utf-16-be") in data or b"Noto Naskh Arabic" in data
    # the style sheet declares it under the family the text asks for
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    assert any('"Noto Naskh Arabic"' in f and "NotoNaskhArabic-Regular.ttf" in f for f in faces), faces
    rules = re.sub(r"@font-face\s*{[^}]*}", "", css)
    assert re.search(r"(font-family|--serif-fa)\s*:[^;]*\"Noto Naskh Arabic\"", rules)


@pytest.mark.parametrize("edition", EDITIONS)
def test_epub_nav_lists_the_headings(build, edition):
    epub = Epub(build.path(edition, "epub"))
    [nav_item] = [i for i in epub.manifest.values() if "nav" in (i.get("properties") or "").split()]
    nav = ET.fromstring(epub.zip.read(nav_item["path"]))
    [toc] = [n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == "toc"]
    links = toc.findall(".//x:li/x:a", NS)
    assert len(links) >= 2  # the report's heading and the colophon
    for a in links:
        assert squash("".join(a.itertext())), "an empty entry in the contents"
        parts = urlsplit(a.get("href"))
        target = posixpath.normpath(posixpath.join(posixpath.dirname(nav_item["path"]), unquote(parts.path)))
        doc = ET.fromstring(epub.zip.read(target))
        if parts.fragment:
            ids = {e.get("id") for e in doc.iter()}
            assert unquote(parts.fragment) in ids, f"{a.get('href')}: no such id in {target}"
    titles = [squash("".join(a.itertext())) for a in links]
    lang = edition_lang(edition)
    assert config()["title"][lang] in titles[0]


@pytest.mark.parametrize("edition", EDITIONS)
def test_epub_nav_entries_lead_to_text(build, edition):
    epub = Epub(build.path(edition, "epub"))
    [nav_item] = [i for i in epub.manifest.values() if "nav" in (i.get("properties") or "").split()]
    nav = ET.fromstring(epub.zip.read(nav_item["path"]))
    [toc] = [n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == "toc"]
    for a in toc.findall(".//x:li/x:a", NS):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(nav_item["path"]),
                                                   unquote(urlsplit(a.get("href")).path)))
        body = ET.fromstring(epub.zip.read(target)).find("x:body", NS)
        assert body.findall(".//x:p", NS), f"contents entry {a.get('href')} leads to a page with no text"


def test_epub_identifier_is_stable_and_date_is_set(builds):
    a, b = builds
    cfg = config()
    idents = {}
    for edition in EDITIONS:
        first, second = Epub(a.path(edition, "epub")), Epub(b.path(edition, "epub"))
        ident = first.meta("dc:identifier")
        assert len(ident) == 1 and re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", ident[0]), ident
        assert second.meta("dc:identifier") == ident
        idents[edition] = ident[0]
        assert first.meta("dc:date") == [cfg["date"]]
        modified = [m.text for m in first.opf.iter(f"{{{NS['opf']}}}meta") if m.get("property") == "dcterms:modified"]
        assert modified and modified[0].startswith(cfg["date"])
        # the package's unique-identifier points at it
        uid = first.opf.get("unique-identifier")
        assert first.opf.find(f"opf:metadata/dc:identifier[@id='{uid}']", NS) is not None
    assert len(set(idents.values())) == len(EDITIONS), f"editions share an identifier: {idents}"


# ======================================================================================
# 3. PDF
# ======================================================================================


@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_fonts_are_embedded_subsets(build, edition):
    fonts = pdffonts(build.path(edition, "pdf"))
    assert fonts
    for f in fonts:
        assert (f["emb"], f["sub"]) == ("yes", "yes"), f
    families = " | ".join(f["family"] for f in fonts)
    assert "dejavu" not in families
    if "fa" in edition.split("-"):
        assert "noto naskh arabic" in families
    else:
        assert "noto naskh arabic" not in families
    if "en" in edition.split("-"):
        assert "noto serif" in families


@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_prints_inside_its_pages_with_nothing_over_anything(build, edition):
    """The report's long parallel paragraphs and footnotes: no glyph off
    the page, no line over another (tests/pdfgeometry.py)."""
    assert_sound(build.path(edition, "pdf"), margins_mm=TEXT_BLOCK_MARGINS)


def test_pdf_fa_has_the_persian_text_in_logical_order(build):
    source = (REPO / "source/fa/report.md").read_text(encoding="utf-8")
    assert FA_SENTENCE_AS_WRITTEN in source  # the check below is about normalisation
    raw = pdftotext(build.path("fa", "pdf"))
    assert not ARABIC_LETTERS.search(raw), "Arabic ي/ك/ى in the Persian PDF"
    assert comparable(FA_SENTENCE) in comparable(raw)


def test_pdf_en_has_the_english_text(build):
    po = {e.msgstr for e in catalog()}
    text = pdf_text(build.path("en", "pdf"))
    for sentence in EN_SENTENCES:
        assert sentence in po
        assert comparable(sentence) in text
    assert not _ARABIC_SCRIPT.search(text.replace(config()["identifier"], ""))


def test_pdf_fa_en_has_both(build):
    text = pdf_text(build.path("fa-en", "pdf"))
    assert comparable(FA_SENTENCE) in text
    for sentence in EN_SENTENCES:
        assert comparable(sentence) in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_info_title_author_a5(build, edition):
    cfg = config()
    lang = edition_lang(edition)
    info = pdfinfo(build.path(edition, "pdf"))
    # the parallel text is called by both titles, "Persian / English"
    title = " / ".join(cfg["title"][l] for l in edition.split("-")) if "-" in edition else cfg["title"][lang]
    assert info["Title"] == title
    assert info["Author"] == cfg["author"][lang]
    w, h = map(float, re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"]).groups())
    assert abs(w - 420) < 2 and abs(h - 595) < 2, info["Page size"]
    assert int(info["Pages"]) >= 3


@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_has_an_outline(build, edition):
    path = build.path(edition, "pdf")
    objects = pdf_objects(path)
    catalog_ = re.search(rb"/Type\s*/Catalog(.*?)(?:>>\s*endobj|\n)", objects, re.S)
    assert catalog_ and re.search(rb"/Outlines\s+\d+\s+\d+\s+R", catalog_.group(1)), "no /Outlines in the catalog"
    if shutil.which("pdftohtml"):
        xml = tool("pdftohtml", "-xml", "-i", "-stdout", "-q", path)
        items = [squash(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<item[^>]*>(.*?)</item>", xml, re.S)]
        assert config()["title"][edition_lang(edition)] in items, items


def test_pdf_fa_page_numbers_are_persian(build):
    path = build.path("fa", "pdf")
    for page in (2, 3):
        lines = [l for l in re.sub(f"[{BIDI_CONTROLS}]", "", pdftotext(path, page, page)).splitlines() if l.strip()]
        assert lines[-1].strip() == persian(page), lines[-3:]


def test_pdf_en_page_numbers_are_latin(build):
    path = build.path("en", "pdf")
    lines = [l for l in pdftotext(path, 2, 2).splitlines() if l.strip()]
    assert lines[-1].strip() == "2", lines[-3:]


# ======================================================================================
# 4. HTML
# ======================================================================================


@pytest.mark.parametrize("edition,lang,dir_", [("fa", "fa", "rtl"), ("en", "en", "ltr"), ("fa-en", "en", "ltr")])
def test_html_root_language_and_direction(build, edition, lang, dir_):
    html = one(parse_html(build.path(edition, "html")), "html")
    assert (html.attrs.get("lang"), html.attrs.get("dir")) == (lang, dir_)


def test_html_fa_en_pairs_match_sentence_by_sentence(build):
    doc = parse_html(build.path("fa-en", "html"))
    pairs = doc.find_all(lambda n: "pair" in n.classes)
    assert len(pairs) > 10
    entries = {e.msgid: e.msgstr for e in catalog() if e.msgctxt is None}   # the units, not the title's
    seen = set()
    for pair in pairs:
        sides = [c for c in pair.children if isinstance(c, Node)]
        assert [("source" in s.classes, "target" in s.classes) for s in sides] == [(True, False), (False, True)]
        source, target = sides
        assert (source.attrs.get("lang"), source.attrs.get("dir")) == ("fa", "rtl")
        assert (target.attrs.get("lang"), target.attrs.get("dir")) == ("en", "ltr")
        units = [{u.attrs["data-u"]: squash(u.text()) for u in side.find_all(lambda n: "data-u" in n.attrs)}
                 for side in sides]
        assert units[0] and list(units[0]) == list(units[1]), "the two sides number their sentences differently"
        for u, fa_text in units[0].items():
            assert u not in seen, f"data-u={u} used twice"
            seen.add(u)
            # both sides of the same id are one catalog entry
            assert entries.get(fa_text) == units[1][u], f"data-u={u}: {fa_text!r} ↔ {units[1][u]!r}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_html_has_every_unit(build, edition):
    text = squash(one(parse_html(build.path(edition, "html")), "main").text())
    entries = [e for e in catalog() if e.msgctxt is None]   # the text's units; the title and the rest are around it
    if edition != "en":
        missing = [e.msgid for e in entries if e.msgid not in text]
        assert missing == [], f"{len(missing)} source units missing, first: {missing[:1]}"
        assert not ARABIC_LETTERS.search(text)
    if edition != "fa":
        missing = [e.msgstr for e in entries if e.msgstr not in text]
        assert missing == [], f"{len(missing)} translations missing, first: {missing[:1]}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_html_is_self_contained(build, edition):
    path = build.path(edition, "html")
    doc = parse_html(path)
    problems = []
    for n in doc.iter():
        # a browser loads no alternate: the other editions and this one's EPUB and PDF, beside it
        if n.tag == "link" and not (n.attrs.get("rel") == "alternate" and not re.match(r"\s*([a-z]+:|/)", n.attrs.get("href") or "/", re.I)):
            problems.append(f"<link {n.attrs}>")
        if n.tag in ("iframe", "object", "embed", "base"):
            problems.append(f"<{n.tag}>")
        if n.tag == "meta" and (n.attrs.get("http-equiv") or "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        for attr in ("src", "srcset", "poster", "data", "action", "formaction", "background"):
            if n.attrs.get(attr) is not None:
                problems.append(f"<{n.tag} {attr}={n.attrs[attr]!r}>")  # nothing to load: the page has no media
        href = n.attrs.get("href")
        if href and re.match(r"\s*(https?:)?//", href, re.I) and n.tag != "a":
            problems.append(f"<{n.tag} href={href!r}>")
    for style in doc.find_all(lambda n: n.tag == "style"):
        css = "".join(c for c in style.children if isinstance(c, str))
        for m in re.finditer(r"@import|url\(\s*['\"]?\s*(https?:)?//", css, re.I):
            problems.append(f"style sheet: {css[m.start():m.start() + 60]!r}")
    assert problems == []


# ======================================================================================
# 5. reproducible
# ======================================================================================


@pytest.mark.parametrize("edition", EDITIONS)
def test_second_build_is_identical(builds, edition):
    a, b = builds
    for fmt in ("html", "epub"):
        assert a.path(edition, fmt).read_bytes() == b.path(edition, fmt).read_bytes(), f"{edition} {fmt} differs"
    pa, pb = a.path(edition, "pdf"), b.path(edition, "pdf")
    assert pdfinfo(pa)["Pages"] == pdfinfo(pb)["Pages"]
    assert pdftotext(pa) == pdftotext(pb)


def test_unchanged_build_touches_nothing(tmp_path):
    """Building again over the outputs of an identical build rewrites nothing.
    (Both builds in this test: other people may be editing src/ while the
    session runs, and the session build may be from older code.)"""
    root = copy_project(tmp_path / "project")
    first = publish(["build", "--format", "html", "--format", "epub"], root)
    assert first.returncode == 0, _describe(first)
    old = 1_000_000_000
    for p in (root / "build").rglob("*"):
        if p.is_file():
            os.utime(p, (old, old))
    proc = publish(["build", "--format", "html", "--format", "epub"], root)
    assert proc.returncode == 0, _describe(proc)
    assert "wrote" not in proc.stdout
    assert {p.stat().st_mtime for p in (root / "build").rglob("*") if p.is_file()} == {old}


# ======================================================================================
# 6. the command line
# ======================================================================================


def test_one_edition_one_format_writes_only_that_file(build, tmp_path):
    root = copy_project(tmp_path / "project")
    proc = publish(["build", "--edition", "en", "--format", "html"], root)
    assert proc.returncode == 0, _describe(proc)
    # the page and its picture (og:image); the status page and the index come with whole builds
    assert built_files(root) == {"build/en/report.html", "build/en/report.cover.png"}
    assert [l for l in proc.stdout.splitlines() if l.strip().startswith(("wrote", "unchanged"))] == \
        ["  wrote build/en/report.html", "  wrote build/en/report.cover.png"]

    # now with all nine present (from the session build, dated long ago) and a
    # changed translation: only the chosen file may be rewritten
    for (edition, fmt), src in outputs(build.root).items():
        if (edition, fmt) != ("en", "html"):
            (root / "build" / edition).mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, root / "build" / edition / src.name)
    old = 1_000_000_000
    before = {}
    for p in (root / "build").rglob("*"):
        # the build's manifest records the rebuild; the status page shows the changed catalog
        if p.is_file() and ".publish" not in p.parts and p.relative_to(root).as_posix() != STATUS:
            os.utime(p, (old, old))
            before[p] = p.read_bytes()
    po = root / PO
    text = po.read_text(encoding="utf-8")
    assert text.count(f'msgstr "{EN_SENTENCES[0]}"') == 1
    po.write_text(text.replace(f'msgstr "{EN_SENTENCES[0]}"', 'msgstr "Consider the Save Reyhaneh campaign."'),
                  encoding="utf-8")
    proc = publish(["build", "--edition", "en", "--format", "html"], root)
    assert proc.returncode == 0, _describe(proc)
    chosen = root / "build/en/report.html"
    assert chosen.stat().st_mtime != old and "Consider the Save Reyhaneh campaign." in chosen.read_text(encoding="utf-8")
    for p, data in before.items():
        if p != chosen:
            assert p.stat().st_mtime == old, f"{p.relative_to(root)} was touched"
            assert p.read_bytes() == data
    assert len(before) == 10   # the eight copied, the page and its picture


def test_unknown_edition_is_one_line(tmp_path):
    root = copy_project(tmp_path / "project")
    proc = publish(["build", "--edition", "xx"], root)
    assert proc.returncode == 1, _describe(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("publish: ") and "'xx'" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    assert built_files(root) == set()


def test_strict_refuses_an_incomplete_catalog(untranslated):
    proc = untranslated.strict
    assert proc.returncode == 1, _describe(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "translations/en/report.po" in lines[0], proc.stderr
    assert "1 untranslated" in lines[0]
    assert "Traceback" not in proc.stderr
    assert untranslated.files_after_strict == set(), "--strict wrote outputs before refusing"


def test_without_strict_the_gap_is_counted(untranslated):
    proc = untranslated.lenient
    units = len(catalog())
    assert re.search(rf"\ben: [\d.]+% translated \({units - 1} of {units} units\); 1 untranslated and 0 fuzzy\b",
                     proc.stdout), \
        proc.stdout
    assert built_files(untranslated.root) == {f"build/{e}/{DOC}.{f}" for e in EDITIONS for f in FORMATS} | WHOLE


def test_strict_refuses_a_fuzzy_unit_and_the_lenient_build_marks_it(tmp_path):
    root = copy_project(tmp_path / "project")
    po = root / PO
    text = po.read_text(encoding="utf-8")
    [entry] = [e for e in catalog() if e.msgstr == EN_SENTENCES[0]]
    line = f'msgid "{entry.msgid}"\n'
    assert text.count(line) == 1
    po.write_text(text.replace(line, "#, fuzzy\n" + line), encoding="utf-8")
    strict = publish(["build", "--strict", "--format", "html"], root)
    assert strict.returncode == 1, _describe(strict)
    assert len(strict.stderr.splitlines()) == 1 and "translations/en/report.po" in strict.stderr
    assert "1 fuzzy" in strict.stderr
    assert built_files(root) == set()
    lenient = publish(["build", "--format", "html"], root)
    assert lenient.returncode == 0, _describe(lenient)
    assert "0 untranslated and 1 fuzzy" in lenient.stdout
    doc = parse_html(root / "build/en/report.html")
    [m] = doc.find_all(lambda n: "fuzzy" in n.classes)
    assert (m.attrs.get("lang"), m.attrs.get("dir")) == ("fa", "rtl")
    assert squash(m.text()) == entry.msgid
    assert EN_SENTENCES[0] not in doc.text()  # a fuzzy translation is not printed


@pytest.mark.parametrize("edition", ["en", "fa-en"])
def test_untranslated_unit_is_marked_in_the_original(untranslated, edition):
    doc = parse_html(untranslated.root / "build" / edition / "report.html")
    marked = doc.find_all(lambda n: "untranslated" in n.classes)
    assert len(marked) == 1
    [m] = marked
    assert (m.attrs.get("lang"), m.attrs.get("dir")) == ("fa", "rtl")
    assert squash(m.text()) == UNTRANSLATED_MSGID
    assert UNTRANSLATED_MSGSTR not in doc.text()


def test_colophon_says_how_complete(build, untranslated):
    units = len(catalog())
    pct = f"{100 * (units - 1) / units:.1f}%"
    for root, expected in ((build.root, "100%"), (untranslated.root, pct)):
        for edition in ("en", "fa-en"):
            footer = parse_html(root / "build" / edition / "report.html").find_all(lambda n: "colophon" in n.classes)
            text = squash(footer[0].text())
            assert "%" in text and expected in text, text
            done = units if expected == "100%" else units - 1
            assert f"({done} of {units} units)" in text, text
            assert expected in Epub(root / "build" / edition / "report.epub").text()
            assert expected in squash(pdftotext(root / "build" / edition / "report.pdf"))


# ======================================================================================
# 7. digits
# ======================================================================================


def _text_outside_untranslated(node: Node) -> str:
    return node.text(skip=lambda n: n.tag in ("script", "style") or "untranslated" in n.classes)


def test_en_html_has_no_persian_digits(build):
    body = one(parse_html(build.path("en", "html")), "body")
    text = _text_outside_untranslated(body)
    assert not PERSIAN_DIGITS.search(text), PERSIAN_DIGITS.findall(text)
    assert "300,000 euros" in text and "18 months" in text


def test_en_html_keeps_persian_digits_only_in_fallbacks(untranslated):
    body = one(parse_html(untranslated.root / "build/en/report.html"), "body")
    outside = _text_outside_untranslated(body)
    assert not PERSIAN_DIGITS.search(outside), PERSIAN_DIGITS.findall(outside)
    assert "۳۰۰" in body.text()  # the fallback is the original, digits and all


def test_fa_en_html_persian_digits_only_on_the_persian_side(build):
    body = one(parse_html(build.path("fa-en", "html")), "body")
    outside = body.text(skip=lambda n: n.tag in ("script", "style") or "source" in n.classes
                        or n.attrs.get("lang") == "fa")
    assert not PERSIAN_DIGITS.search(outside), PERSIAN_DIGITS.findall(outside)


def test_fa_html_keeps_the_source_digits(build):
    main = squash(one(parse_html(build.path("fa", "html")), "main").text())
    assert "بیش از ۳۰۰ هزار یورو" in main
    assert "۱۸ ماه" in main and "۲۴ ساعته" in main
    assert not re.search(r"[0-9]", main), re.findall(r".{10}[0-9]+.{10}", main)

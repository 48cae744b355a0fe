"""Editions a press can ship from any project (issue 13): a configuration
matrix, each project built whole and every output proved with the real
tools — epubcheck (zero messages), the Nu HTML Checker (zero errors) and
poppler (fonts embedded, text extractable, the title in the edition's
language) and pdfplumber (tests/pdfgeometry.py: nothing printed off the page
or over anything else).

The configurations, one build each, between them cover what the issue
lists: a fresh ``publish init`` project with nothing filled in; two
documents and two target languages (``en``, ``pt-BR``) on A4; paragraph
segmentation, Letter and PDF/UA; a source with pictures, a table and
footnotes (in the second and third).
"""
from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from pdfgeometry import TEXT_BLOCK_MARGINS, assert_sound

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
PUBLISH = Path(sys.executable).parent / "publish"
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
VNU = Path(os.environ.get("VNU_JAR") or REPO / ".tools/node_modules/vnu-jar/build/dist/vnu.jar")

ESSAY = """\
# درآمد

این نخستین جمله‌ی متن است. جمله‌ی دوم با **تاکید** و یک پیوند به [نشانی](https://example.org/a) است.

- بند نخست فهرست
- بند دوم فهرست

## بخش دوم

در سال ۱۴۰۲ بیش از ۳۰۰ نفر در این کار شرکت کردند.
"""

ILLUSTRATED = """\
# گزارش با تصویر

در این گزارش یک تصویر، یک جدول و دو پانویس هست.[^1] جمله‌ی دوم این بند است.

![نقشه‌ی شهر در سال ۱۳۵۰](map.png)

| شهر | سال | شمار | درصد |
|---|---|---:|---:|
| تهران | ۱۴۰۰ | ۱۲۰ | ۴۰ |
| تبریز | ۱۴۰۱ | ۹۰ | ۳۰ |

## پایان

این بند پایانی است و پانویس دوم را دارد.[^2]

[^1]: پانویس نخست توضیح می‌دهد.
[^2]: پانویس دوم منبع را می‌گوید.
"""

TITLES = {"en": "Report on the Work", "pt-BR": "Relatório do Trabalho"}


def _png(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(PUBLISH), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"publish {' '.join(map(str, args))}: {proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    return proc


_PERSIAN_RUN = re.compile("[\u0600-\u06ff\u200c]+")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _latin(msgid: str) -> str:
    """A stand-in translation: every Persian word a Latin one, markup and
    numbers kept, so the checks have nothing to object to."""
    return _PERSIAN_RUN.sub("word", msgid.translate(_DIGITS))


def translate(root: Path, title: dict[str, str] | None = None) -> None:
    """Fill every catalog of the project with stand-in translations (the
    title entries, where publish offers them, with ``title``)."""
    for po_path in (root / "translations").glob("*/*.po"):
        lang = po_path.parent.name
        po = polib.pofile(str(po_path), wrapwidth=0)
        for e in po:
            if e.obsolete:
                continue
            ctx = (e.msgctxt or "").lower()
            if title and "title" in ctx and "sub" not in ctx:
                e.msgstr = next((t for k, t in title.items() if k.replace("-", "_") == lang or k == lang),
                                _latin(e.msgid))
            else:
                e.msgstr = _latin(e.msgid)
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
        po.save()


@dataclass
class Project:
    name: str
    root: Path
    titles: dict[str, str]      # edition language → the title its outputs must carry ({} : not checked)

    def outputs(self, fmt: str) -> list[Path]:
        return sorted(p for p in (self.root / "build").glob(f"*/*.{fmt}"))


def _init(tmp: Path, name: str, *args) -> Path:
    run("init", name, "--title", "گزارش کار", *args, cwd=tmp)
    return tmp / name


def _set(root: Path, text: str, new: str) -> None:
    cfg = root / "publish.yml"
    body = cfg.read_text(encoding="utf-8")
    assert re.search(text, body, re.M), f"{text!r} not in publish.yml"
    cfg.write_text(re.sub(text, new, body, count=1, flags=re.M), encoding="utf-8")


def _fresh(tmp: Path) -> Project:
    """A fresh project, nothing filled in, nothing translated."""
    root = _init(tmp, "fresh")
    run("update", cwd=root)
    run("build", cwd=root)
    return Project("fresh", root, {})


def _two(tmp: Path) -> Project:
    """Two documents, two target languages, A4; one document with a
    picture, a table and footnotes."""
    root = _init(tmp, "two", "-l", "en", "-l", "pt-BR")
    _sources(tmp)
    run("import", tmp / "essay.md", cwd=root)
    run("import", tmp / "illustrated.md", cwd=root)
    _set(root, r"^(\s*)paper: A5\b", r"\1paper: A4")
    run("update", cwd=root)
    translate(root, TITLES)
    run("build", cwd=root)
    return Project("two", root, {"fa": "گزارش", **TITLES})


def _para(tmp: Path) -> Project:
    """Paragraph segmentation, Letter, PDF/UA, the illustrated document."""
    root = _init(tmp, "para")
    _sources(tmp)
    run("import", tmp / "illustrated.md", cwd=root)
    _set(root, r"^segmentation: sentence\b", "segmentation: paragraph")
    _set(root, r"^(\s*)paper: A5\b", r"\1paper: Letter")
    _set(root, r"^(\s*)pdf_ua: false\b", r"\1pdf_ua: true")
    run("update", cwd=root)
    translate(root, TITLES)
    run("build", cwd=root)
    return Project("para", root, {"fa": "گزارش", "en": TITLES["en"]})


def _sources(tmp: Path) -> None:
    (tmp / "essay.md").write_text(ESSAY, encoding="utf-8")
    (tmp / "illustrated.md").write_text(ILLUSTRATED, encoding="utf-8")
    (tmp / "map.png").write_bytes(_png(900, 500))


MAKERS = {"fresh": _fresh, "two": _two, "para": _para}
_BUILT: dict[str, Project] = {}


@pytest.fixture
def project(request, tmp_path_factory) -> Project:
    """The configuration's project, built once for the module."""
    name = request.param
    if name not in _BUILT:
        _BUILT[name] = MAKERS[name](tmp_path_factory.mktemp(name))
    return _BUILT[name]


CONFIGS = ["fresh", "two", "para"]


@pytest.mark.parametrize("project", CONFIGS, indirect=True)
def test_every_output_is_built(project):
    for p in [project]:
        languages = len(list((p.root / "translations").glob("*/*.po"))) // max(1, len(
            list((p.root / "translations" / "templates").glob("*.pot"))))
        docs = len(list((p.root / "translations" / "templates").glob("*.pot")))
        editions = 1 + 2 * languages   # the source, each translation, each parallel text
        for fmt in ("html", "epub", "pdf"):
            assert len(p.outputs(fmt)) == docs * editions, (p.name, fmt, p.outputs(fmt))


@pytest.mark.parametrize("project", CONFIGS, indirect=True)
def test_every_epub_passes_epubcheck_with_no_message(project):
    epubs = project.outputs("epub")
    assert epubs
    import epubcheck
    for epub in epubs:
        epubcheck.assert_clean(epub)


@pytest.mark.parametrize("project", CONFIGS, indirect=True)
def test_every_html_page_passes_the_nu_checker(project):
    assert VNU.is_file(), f"the Nu HTML Checker is not at {VNU}: `make test` installs it"
    pages = project.outputs("html") + sorted((project.root / "build").glob("*.html"))
    assert len(pages) > len(project.outputs("html")), "build/status.html (or index.html) is missing"
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *map(str, pages)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr


def _tool(*args) -> str:
    proc = subprocess.run(list(map(str, args)), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


@pytest.mark.parametrize("project", CONFIGS, indirect=True)
def test_every_pdf_embeds_its_fonts_and_its_text_can_be_read(project):
    p = project
    for pdf in p.outputs("pdf"):
        fonts = _tool("pdffonts", pdf).splitlines()[2:]
        assert fonts, pdf
        for line in fonts:
            assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line), f"{pdf.name}: not embedded: {line}"
            # DejaVu Sans Mono is the code font by choice (base.css); DejaVu Sans
            # is what WeasyPrint falls back to when no font of ours has a glyph
            assert not re.search(r"DejaVu-?Sans(?!-?Mono)", line), f"{pdf.name}: a fallback font: {line}"
        text = _tool("pdftotext", pdf, "-").translate(_BIDI)
        assert len(re.findall(r"\w+", text)) > 30, f"{pdf.name}: no text to extract"


@pytest.mark.parametrize("project", CONFIGS, indirect=True)
def test_every_pdf_prints_inside_its_page_with_nothing_over_anything(project):
    """A5, A4 and Letter, each edition: no glyph or picture off the page, no
    picture out of the text block (the 900 px map), no line printed over
    another (the four-column table in the parallel text)."""
    for pdf in project.outputs("pdf"):
        assert_sound(pdf, margins_mm=TEXT_BLOCK_MARGINS)


@pytest.mark.parametrize("project", [c for c in CONFIGS if c != "fresh"], indirect=True)
def test_the_title_is_in_the_editions_language(project):
    p = project
    for pdf in p.outputs("pdf"):
        edition = pdf.parent.name
        if "-" in edition and edition.split("-")[0] == "fa" and edition != "fa":
            continue   # the parallel text carries both titles; see below
        wanted = p.titles.get(edition)
        assert wanted, (edition, p.titles)
        title = re.search(r"^Title:\s*(.*)$", _tool("pdfinfo", pdf), re.M).group(1)
        assert wanted in title, f"{pdf.relative_to(p.root)}: title {title!r}, not {wanted!r}"
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        assert wanted in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    for pdf in p.outputs("pdf"):
        edition = pdf.parent.name
        if edition.startswith("fa-"):
            lang = edition[3:]
            title = re.search(r"^Title:\s*(.*)$", _tool("pdfinfo", pdf), re.M).group(1)
            assert p.titles[lang] in title and "گزارش" in title, title

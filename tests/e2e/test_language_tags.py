"""Language tags end to end (issue 13): a project translated into ``pt-BR``
keeps its catalogs in ``translations/pt_BR/`` and prints ``pt-BR`` in every
edition, and projects into Central Kurdish and Dari build right to left;
each EPUB passes epubcheck with no message and each HTML page the Nu HTML
Checker with no error."""
from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import polib
import pytest

from projects import REPO, publish

pytestmark = pytest.mark.e2e

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
VNU = Path(os.environ.get("VNU_JAR") or REPO / ".tools/node_modules/vnu-jar/build/dist/vnu.jar")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    proc = publish(args, cwd, timeout=600)
    assert proc.returncode == 0, f"publish {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _project(tmp: Path, *languages: str) -> Path:
    run(["init", "book", "--title", "کتاب", *[a for l in languages for a in ("-l", l)]], tmp)
    root = tmp / "book"
    run(["update"], root)
    for po_path in (root / "translations").glob("*/*.po"):   # stand-in translations, all of them
        po = polib.pofile(str(po_path), wrapwidth=0)
        for n, e in enumerate(po, 1):
            e.msgstr = f"Sentence number {n}."
        po.save()
    run(["build"], root)
    return root


@pytest.fixture(scope="module")
def pt_br(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("pt-BR"), "en", "pt-BR")


@pytest.fixture(scope="module")
def rtl(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("rtl"), "ckb", "prs")


def _opf(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode("utf-8")


def test_the_catalog_is_in_the_gettext_form(pt_br):
    po = pt_br / "translations/pt_BR/welcome.po"
    assert po.is_file() and not (pt_br / "translations/pt-BR").exists()
    meta = polib.pofile(str(po)).metadata
    assert meta["Language"] == "pt_BR"
    assert meta["Plural-Forms"].startswith("nplurals=")


def test_the_editions_are_named_by_their_tags(pt_br):
    assert sorted(p.name for p in (pt_br / "build").iterdir() if p.is_dir() and not p.name.startswith(".")) \
        == ["en", "fa", "fa-en", "fa-pt-BR", "pt-BR"]
    for edition in ("pt-BR", "fa-pt-BR"):
        for fmt in ("html", "epub", "pdf"):
            assert (pt_br / "build" / edition / f"welcome.{fmt}").is_file(), (edition, fmt)


def test_html_and_epub_say_pt_br(pt_br):
    page = (pt_br / "build/pt-BR/welcome.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR" dir="ltr">' in page
    parallel = (pt_br / "build/fa-pt-BR/welcome.html").read_text(encoding="utf-8")
    assert 'lang="pt-BR"' in parallel and 'lang="fa"' in parallel
    assert "pt_BR" not in page + parallel
    for edition in ("pt-BR", "fa-pt-BR"):
        opf = _opf(pt_br / "build" / edition / "welcome.epub")
        assert "<dc:language>pt-BR</dc:language>" in opf, opf
        assert "pt_BR" not in opf


def test_ckb_and_prs_build_right_to_left(rtl):
    for lang in ("ckb", "prs"):
        assert polib.pofile(str(rtl / f"translations/{lang}/welcome.po")).metadata["Language"] == lang
        for edition in (lang, f"fa-{lang}"):
            page = (rtl / "build" / edition / "welcome.html").read_text(encoding="utf-8")
            assert f'<html lang="{lang}" dir="rtl">' in page
            opf = _opf(rtl / "build" / edition / "welcome.epub")
            assert f"<dc:language>{lang}</dc:language>" in opf
            assert 'page-progression-direction="rtl"' in opf


def test_arabic_script_is_set_in_the_naskh_font(rtl):
    for pdf in sorted((rtl / "build").glob("*/welcome.pdf")):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Noto-Naskh-Arabic" in fonts, fonts
        assert not re.search(r"DejaVu-?Sans(?!-?Mono)", fonts), f"{pdf}: a fallback font\n{fonts}"


@pytest.mark.skipif(not EPUBCHECK.exists(), reason="apt-get install epubcheck")
@pytest.mark.parametrize("which", ["pt_br", "rtl"])
def test_every_epub_passes_epubcheck_with_no_message(request, which):
    root = request.getfixturevalue(which)
    epubs = sorted((root / "build").glob("*/*.epub"))
    assert len(epubs) == 5

    import epubcheck
    for epub in epubs:
        epubcheck.assert_clean(epub)


@pytest.mark.parametrize("which", ["pt_br", "rtl"])
def test_every_html_page_passes_the_nu_checker(request, which):
    assert VNU.is_file(), f"the Nu HTML Checker is not at {VNU}: `make test` installs it"
    root = request.getfixturevalue(which)
    pages = sorted((root / "build").glob("*/*.html")) + sorted((root / "build").glob("*.html"))
    assert len(pages) == 7   # five editions, build/status.html and build/index.html
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *map(str, pages)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr

"""The title, subtitle, author and organisation, translated like the text
(issue 13, point 1): entries with a msgctxt at the top of every catalog, the
merge keeping their translations, publish.yml's value winning, every edition
printing the translated title wherever it prints a title, and an untranslated
one saying so (build, check, --strict) and falling back visibly, in the
Persian font."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from projects import publish
from publish import assemble, catalog, check, config, titles, update
from publish.render.labels import LABELS, label

CONFIG = """\
title:
  fa: گزارش به کنگره
subtitle:
  fa: گزارش فعالیت‌ها
author:
  fa: هیئت اجرائی
organisation:
  fa: حزب کمونیست کارگری
date: "2026-01-31"
source_language: fa
target_languages: [en]
documents:
  - name: doc
    source: source/fa/doc.md
"""
# The first heading has the title's words: two entries, told apart by the context.
SOURCE = """\
# گزارش به کنگره

این جمله اول است. این جمله دوم است.

## بخش دوم

این جمله سوم است.
"""
TITLE = "گزارش به کنگره"
CONTEXTS = ["document title", "document subtitle", "author", "organisation"]
ENGLISH = {"document title": "Report to the Congress", "document subtitle": "Our work",
           "author": "The Executive Committee", "organisation": "The Party"}
PO = "translations/en/doc.po"
WARNING = "publish: translations/en/doc.po: warning: the title is not translated; the en edition shows the Persian title"
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")   # what pdftotext adds around right-to-left text


def run_update(root: Path):
    return update.update(config.load(root))


def read(root: Path, path: str = PO):
    return catalog.read(root / path)


def translate(root: Path, units: bool = True, **by_context: str) -> None:
    """Translate the catalog: every unit ("EN" and a number) if ``units``,
    and the entries of the contexts given (msgctxt with "_" for " ")."""
    po = read(root)
    for e in po:
        if e.obsolete:
            continue
        if e.msgctxt is None and units:
            e.msgstr = f"EN {len(e.msgid)}."
        elif e.msgctxt is not None and e.msgctxt.replace(" ", "_") in by_context:
            e.msgstr = by_context[e.msgctxt.replace(" ", "_")]
            e.flags = [f for f in e.flags if f != "fuzzy"]
    (root / PO).write_text(catalog.render(po), encoding="utf-8")


def all_english(root: Path) -> None:
    translate(root, **{k.replace(" ", "_"): v for k, v in ENGLISH.items()})


@pytest.fixture
def project(make_project) -> Path:
    root = make_project(config=CONFIG, source=SOURCE)
    run_update(root)
    return root


# --- the catalogs ------------------------------------------------------------------------------

def test_the_entries_come_first_with_their_context(project, msgcat_nowrap, msgfmt_check):
    for path in ("translations/templates/doc.pot", PO):
        po = read(project, path)
        assert [e.msgctxt for e in po][:5] == [*CONTEXTS, None]
        title, heading = po[0], po[4]
        assert (title.msgid, heading.msgid) == (TITLE, TITLE)   # the same words, two entries
        assert "title page" in title.comment and "plain text" in title.comment
        assert "publish.yml" in title.comment
        assert [e.msgid for e in po[1:4]] == ["گزارش فعالیت‌ها", "هیئت اجرائی", "حزب کمونیست کارگری"]
        text = (project / path).read_text(encoding="utf-8")
        assert text.index('msgctxt "document title"') < text.index("#: source/fa/doc.md:1")
        assert msgcat_nowrap(project / path) == text   # as GNU gettext writes it
        msgfmt_check(project / path)
        assert catalog._parse_plain(text) is not None   # read by the fast path, not polib's


def test_a_value_in_publish_yml_fills_in_and_wins(make_project):
    root = make_project(config=CONFIG.replace("  fa: گزارش به کنگره\n", "  fa: گزارش به کنگره\n  en: Our Report\n"),
                        source=SOURCE)
    run_update(root)
    [entry] = [e for e in read(root) if e.msgctxt == "document title"]
    assert entry.msgstr == "Our Report" and "publish.yml sets en; this translation is not used" in entry.comment
    [blank] = [e for e in read(root, "translations/templates/doc.pot") if e.msgctxt == "document title"]
    assert blank.msgstr == "" and "sets en" not in blank.comment
    # a translator's own translation is never replaced; publish.yml's is printed
    translate(root, units=False, document_title="A Report")
    run_update(root)
    assert [e.msgstr for e in read(root) if e.msgctxt == "document title"] == ["A Report"]
    project = config.load(root)
    doc = project.documents[0]
    tr = assemble.Translations.load(project, doc, "en")
    meta = assemble.metadata(project, doc, assemble.Edition("en", ("en",)), {"en": tr})
    assert meta["title"] == meta["edition-title"] == "Our Report" and "title-lang" not in meta
    # no title finding for it: the translation there is not used
    assert not [f for f in check.check_project(project) if f.check == "title" and f.msgid == TITLE]


def test_a_changed_title_keeps_its_translation_fuzzy(project):
    translate(project, document_title="Report to the Congress")
    (project / "publish.yml").write_text(CONFIG.replace(TITLE, "سند کنگره نهم"), encoding="utf-8")
    run_update(project)
    po = read(project)
    [entry] = [e for e in po if e.msgctxt == "document title"]
    assert (entry.msgid, entry.msgstr) == ("سند کنگره نهم", "Report to the Congress")
    assert "fuzzy" in entry.flags and entry.previous_msgid == TITLE
    heading = [e for e in po if e.msgid == TITLE and e.msgctxt is None]
    assert heading and heading[0].msgstr.startswith("EN") and "fuzzy" not in heading[0].flags


def test_a_removed_entry_is_kept_obsolete_and_comes_back(project):
    translate(project, document_subtitle="Our work")
    without = CONFIG.replace("subtitle:\n  fa: گزارش فعالیت‌ها\n", "")
    (project / "publish.yml").write_text(without, encoding="utf-8")
    run_update(project)
    po = read(project)
    assert "document subtitle" not in [e.msgctxt for e in po if not e.obsolete]
    [gone] = [e for e in po if e.obsolete and e.msgctxt == "document subtitle"]
    assert gone.msgstr == "Our work"
    assert '#~ msgctxt "document subtitle"\n#~ msgid "گزارش فعالیت‌ها"\n#~ msgstr "Our work"\n' in \
        (project / PO).read_text(encoding="utf-8")
    (project / "publish.yml").write_text(CONFIG, encoding="utf-8")
    run_update(project)
    [back] = [e for e in read(project) if e.msgctxt == "document subtitle"]
    assert (back.obsolete, back.msgstr, back.flags) == (0, "Our work", [])


def test_check_says_when_the_title_is_not_translated(project):
    proj = config.load(project)
    found = {(f.check, f.msgid, f.message) for f in check.check_project(proj, only=["title"])}
    assert ("title", TITLE, "the title is not translated; the en edition shows the Persian title") in found
    assert len(found) == 4   # and the subtitle, author and organisation
    all_english(project)
    assert check.check_project(proj, only=["title"]) == []
    # a title set since the last update is not in the catalog yet
    (project / "publish.yml").write_text(CONFIG.replace(TITLE, "سند کنگره نهم"), encoding="utf-8")
    [f] = check.check_project(config.load(project), only=["title"])
    assert (f.path, f.line, f.msgid) == (PO, 0, "سند کنگره نهم")
    assert str(f).startswith(f"{PO}: warning: the title is not in this catalog (run publish update)")


# --- status, colophon and build count the same units --------------------------------------------

def test_status_colophon_and_build_agree(project):
    translate(project, units=True, document_title="Report to the Congress")   # three of the four left
    proc = publish(["build", "-f", "html", "-e", "en"], project)
    assert proc.returncode == 0, proc.stderr
    [row] = json.loads(publish(["status", "--json"], project).stdout)
    assert (row["units"], row["translated"], row["untranslated"]) == (9, 6, 3)
    assert "doc en: 66.7% translated (6 of 9 units); 3 untranslated and 0 fuzzy shown in the original" in proc.stdout
    html = (project / "build/en/doc.html").read_text(encoding="utf-8")
    assert "66.7% of the text translated (6 of 9 units)." in html
    # --strict refuses the untranslated subtitle, author and organisation like any unit
    strict = publish(["build", "--strict", "-f", "html", "-e", "en"], project)
    assert strict.returncode == 1 and f"publish: {PO}: doc (en): 3 untranslated" in strict.stderr


def test_strict_refuses_a_title_the_catalog_does_not_offer(project):
    all_english(project)
    assert publish(["build", "--strict", "-f", "html", "-e", "en"], project).returncode == 0
    (project / "publish.yml").write_text(CONFIG.replace(TITLE, "سند کنگره نهم"), encoding="utf-8")
    proc = publish(["build", "--strict", "-f", "html", "-e", "en"], project)
    assert proc.returncode == 1
    # the new title is a unit the catalog has no translation for (status.count)
    assert "doc (en): 1 untranslated and 0 fuzzy units; --strict builds only complete translations" in proc.stderr


# --- the editions --------------------------------------------------------------------------------

def epub_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def pdf(tool: str, path: Path, *args: str) -> str:
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


def fonts(path: Path) -> set[str]:
    lines = pdf("pdffonts", path).splitlines()[2:]
    assert lines and all(" yes yes yes " in l for l in lines), lines   # embedded, subset, with a text map
    return {re.sub(r"^[A-Z]{6}\+", "", l.split()[0]) for l in lines}


def running_head(path: Path) -> str:
    """The first line of the second page (the contents): its running head."""
    return BIDI.sub("", pdf("pdftotext", path, "-f", "2", "-l", "2").splitlines()[0]).strip()


def test_a_translated_title_is_printed_everywhere(project):
    all_english(project)
    proc = publish(["build", "-e", "en", "-e", "fa-en"], project)
    assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr
    build = project / "build"
    en = "Report to the Congress"

    opf = epub_text(build / "en/doc.epub", "EPUB/content.opf")
    assert f"<dc:title id=\"epub-title-1\">{en}</dc:title>" in opf
    assert ">The Executive Committee</dc:creator>" in opf and "<dc:publisher>The Party</dc:publisher>" in opf
    assert f'<h1 class="title">{en}</h1>' in epub_text(build / "en/doc.epub", "EPUB/text/title_page.xhtml")
    html = (build / "en/doc.html").read_text(encoding="utf-8")
    assert f"<title>{en}</title>" in html and f'<p class="book-title">{en}</p>' in html
    assert '<p class="book-subtitle">Our work</p>' in html and f"<p>{en}</p>\n<p>The Party</p>" in html  # colophon
    assert pdf("pdfinfo", build / "en/doc.pdf").count(f"Title:           {en}\n") == 1
    assert "Author:          The Executive Committee" in pdf("pdfinfo", build / "en/doc.pdf")
    assert running_head(build / "en/doc.pdf") == en
    assert fonts(build / "en/doc.pdf") <= {"Noto-Serif", "Noto-Serif-Bold"}

    # the parallel text: both titles, the Persian one marked
    both = f"{TITLE} / {en}"
    assert f'<dc:title id="epub-title-1">{both}</dc:title>' in epub_text(build / "fa-en/doc.epub", "EPUB/content.opf")
    assert f'<h1 class="title"><span lang="fa" dir="rtl">{TITLE}</span> / {en}</h1>' in \
        epub_text(build / "fa-en/doc.epub", "EPUB/text/title_page.xhtml")
    assert f"<title>{both}</title>" in (build / "fa-en/doc.html").read_text(encoding="utf-8")
    assert f"Title:           {both}\n" in pdf("pdfinfo", build / "fa-en/doc.pdf")
    assert TITLE in running_head(build / "fa-en/doc.pdf") and en in running_head(build / "fa-en/doc.pdf")
    assert "DejaVu-Sans" not in fonts(build / "fa-en/doc.pdf")


def test_an_untranslated_title_says_so_and_falls_back_visibly(project):
    translate(project)   # every unit, none of the four
    proc = publish(["build", "-e", "en", "-e", "fa-en"], project)
    assert proc.returncode == 0, proc.stderr
    assert WARNING in proc.stderr.splitlines()
    assert (f"publish: {PO}: warning: the subtitle, author and organisation are not translated; "
            f"the en edition shows them in Persian") in proc.stderr.splitlines()
    build = project / "build"
    marked = 'lang="fa" dir="rtl"'

    html = (build / "en/doc.html").read_text(encoding="utf-8")
    assert f"<title {marked}>{TITLE}</title>" in html
    assert f'<p class="book-title" {marked}>{TITLE}</p>' in html
    assert f"<p {marked}>{TITLE}</p>" in html   # the colophon's
    page = epub_text(build / "en/doc.epub", "EPUB/text/title_page.xhtml")
    assert f'<h1 class="title"><span {marked}>{TITLE}</span></h1>' in page
    with zipfile.ZipFile(build / "en/doc.epub") as z:   # the Persian font travels with the book
        assert any(n.startswith("EPUB/fonts/NotoNaskhArabic") for n in z.namelist())
    assert f"Title:           {TITLE}\n" in pdf("pdfinfo", build / "en/doc.pdf")
    assert running_head(build / "en/doc.pdf") == TITLE
    # the Persian title in the Persian font, the rest in the Latin one: no fallback font
    assert fonts(build / "en/doc.pdf") <= {"Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold", "Noto-Serif",
                                           "Noto-Serif-Bold"}
    assert "Noto-Naskh-Arabic" in fonts(build / "en/doc.pdf")

    # the parallel text prints the one title once
    html = (build / "fa-en/doc.html").read_text(encoding="utf-8")
    assert f"<title {marked}>{TITLE}</title>" in html and html.count(f">{TITLE}</p>") == 2   # title page, colophon
    assert f'<dc:title id="epub-title-1">{TITLE}</dc:title>' in epub_text(build / "fa-en/doc.epub", "EPUB/content.opf")
    assert " / " not in running_head(build / "fa-en/doc.pdf")

    # a no-op build says so again, from what it remembers
    again = publish(["build", "-e", "en"], project)
    assert "nothing to do" in again.stdout and WARNING in again.stderr.splitlines()


def test_epubs_of_both_kinds_validate(project):
    jar = Path("/usr/share/java/epubcheck.jar")
    if not jar.exists():
        pytest.skip("epubcheck is not installed")
    proc = publish(["build", "-e", "en", "-f", "epub"], project)
    assert proc.returncode == 0, proc.stderr
    all_english(project)
    assert publish(["build", "-e", "fa-en", "-f", "epub"], project).returncode == 0
    import epubcheck
    for edition in ("en", "fa-en"):
        out = epubcheck.run(project / f"build/{edition}/doc.epub")
        assert "0 fatals / 0 errors / 0 warnings" in out.stdout + out.stderr, out.stdout + out.stderr


# --- the words publish prints around the text ---------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "de", "it", "pt-BR"])
def test_labels_of_a_target_language_are_never_persian(lang):
    """A target language publish has no words for prints English ones."""
    for key in LABELS["en"]:
        assert not re.search("[\u0600-\u06ff]", label(lang, key)), (lang, key)
    if lang not in LABELS:
        assert label(lang, "contents") == "Contents"


def test_titles_resolve_in_order_publish_yml_catalog_source(project):
    proj = config.load(project)
    doc = proj.documents[0]
    found = {("document title", TITLE): ("Report", "translated"), ("author", "هیئت اجرائی"): ("Exec", "fuzzy")}
    got = titles.resolve(proj, doc, "en", found)
    assert (got["title"].text, got["title"].lang) == ("Report", "en")
    assert (got["author"].text, got["author"].lang, got["author"].state) == ("هیئت اجرائی", "fa", "fuzzy")
    assert got["subtitle"].state == "untranslated" and got["publisher"].lang == "fa"
    assert titles.resolve(proj, doc, "fa", None)["title"].text == TITLE

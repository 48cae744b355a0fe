"""Footnotes, digits, dates and emphasis as a Persian press prints them
(issue 15): one small project with notes on two pages, a link and an English
translation, built once (fa and fa-en, PDF, EPUB and web page) and read back
with the tools a reader's copy goes through: pdftotext, pdffonts, epubcheck.
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import polib
import pytest

from projects import publish

pytestmark = pytest.mark.e2e

CONFIG = """\
title: {fa: پانویس‌ها, en: Notes}
source_language: fa
target_languages: [en]
date: "2026-11-30"
documents:
  - name: doc
    source: source/fa/doc.md
"""

FILLER = "این بند فقط برای پر کردن صفحه است و چیزی جز چند جمله ساده ندارد. " * 6

# Notes 1 and 2 on the first page of the text, note 3 pages later; a link;
# emphasis; a list; an Arabic-Indic ٦ beside Persian ۶.
SOURCE = f"""\
# فصل یکم

این جمله *مهم* است و پانویس دارد.[^1] عدد ٦ و ۶ در سال ۱۴۰۶.

پیوندی به [سایت نمونه](https://example.com/page) در این بند هست.[^2]

1. بند نخست
2. بند دوم

{(FILLER + chr(10) + chr(10)) * 8}
بند پایانی با پانویس سوم.[^3]

[^1]: پانویس یکم.
[^2]: پانویس دوم.
[^3]: پانویس سوم.
"""

TRANSLATIONS = {
    "فصل یکم": "Chapter One",
    "این جمله *مهم* است و پانویس دارد.[^1]": "This sentence is *important* and has a note.[^1]",
    "پیوندی به [سایت نمونه](https://example.com/page) در این بند هست.[^2]":
        "A link to [an example](https://example.com/page) is here.[^2]",
    "پانویس یکم.": "The first note.",
    "پانویس دوم.": "The second note.",
    "پانویس سوم.": "The third note.",
    "بند پایانی با پانویس سوم.[^3]": "He said \"it's done\" -- the end.[^3]",
}

BIDI = re.compile("[\u200e\u200f\u202a-\u202e]")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("notes")
    (root / "source" / "fa").mkdir(parents=True)
    (root / "publish.yml").write_text(CONFIG, encoding="utf-8")
    (root / "source" / "fa" / "doc.md").write_text(SOURCE, encoding="utf-8")
    assert publish(["update"], root).returncode == 0
    po_path = root / "translations" / "en" / "doc.po"
    po = polib.pofile(str(po_path))
    for e in po:
        e.msgstr = TRANSLATIONS.get(e.msgid, e.msgstr)
    po.save()
    proc = publish(["build", "-e", "fa", "-e", "fa-en"], root, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return root / "build"


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [BIDI.sub("", p) for p in text.split("\f")]


def test_persian_notes_stand_at_the_foot_of_their_page_numbered_per_page(built):
    text = pages(built / "fa" / "doc.pdf")
    first = next(i for i, p in enumerate(text) if "پانویس یکم" in p)
    assert "این جمله مهم" in text[first]   # the note is on the page that calls it
    # WeasyPrint carried note 2 over to the next page to keep a paragraph's
    # first lines together; the page now ends short and the note stays
    assert "پانویس دوم" in text[next(i for i, p in enumerate(text) if "پیوندی به" in p)]
    assert re.search(r"۱\s*\.?\s*پانویس یکم", text[first])
    last = next(i for i, p in enumerate(text) if "پانویس سوم" in p)
    assert last > first and "بند پایانی" in text[last]
    # numbered from ۱ again on its page, in Persian digits, without pandoc's back-link
    assert re.search(r"۱\s*\.?\s*پانویس سوم", text[last]), text[last]
    assert "↩" not in "".join(text)
    # the link's address is printed, in a note on the link's page
    assert "https://example.com/page" in text[first]


def test_persian_text_has_one_digit_set(built):
    text = "".join(pages(built / "fa" / "doc.pdf"))
    persian_lines = [l for l in text.splitlines() if re.search("[\u0600-\u06ff]", l)]
    digits = {c for l in persian_lines for c in l if c.isdigit()}
    assert digits and digits <= set("۰۱۲۳۴۵۶۷۸۹"), sorted(digits)
    assert "۶" in digits   # the Arabic ٦ of the source came back as Persian, like ۶ itself
    # list numbers in Persian (pdftotext moves a number in a right-to-left line: the line holds it)
    assert "۱" in next(l for l in text.splitlines() if "بند نخست" in l)


def test_persian_colophon_dates_in_the_solar_hijri_calendar(built):
    text = "".join(pages(built / "fa" / "doc.pdf"))
    line = next(l for l in text.splitlines() if "آذر" in l)
    assert all(part in line for part in ("۹", "۱۴۰۵", "۳۰", "نوامبر", "۲۰۲۶")), line
    from publish.render.labels import long_date
    assert long_date("2026-03-21", "fa").startswith("۱ فروردین ۱۴۰۵")
    assert long_date("2026-11-30", "en") == "November 30, 2026"


def test_persian_emphasis_is_never_slanted(built):
    fonts = subprocess.run(["pdffonts", str(built / "fa" / "doc.pdf")], capture_output=True, text=True).stdout
    naskh = [l for l in fonts.splitlines() if "Naskh" in l]
    assert any("Bold" in l for l in naskh)   # *مهم*
    assert not any("Oblique" in l or "Italic" in l for l in naskh), fonts


def test_parallel_pdf_numbers_each_column_on_its_own(built):
    text = "".join(pages(built / "fa-en" / "doc.pdf"))
    # English 1 and 2 (its link's address between them is a note too), not 2 and 4
    assert re.search(r"1\.\s*The first note", text) and re.search(r"3\.\s*The second note", text)
    assert re.search(r"2\.\s*https://example.com/page", text)
    assert "↩" not in text
    assert "“it’s done” – the end" in text   # English smart punctuation, at assembly


def test_parallel_page_numbers_notes_per_column(built):
    page = (built / "fa-en" / "doc.html").read_text(encoding="utf-8")
    calls = re.findall(r'class="footnote-ref"[^>]*><sup>([^<]+)</sup>', page)
    assert calls == ["۱", "1", "۲", "2", "۳", "3"]
    notes = page[page.index('id="footnotes"'):]
    assert re.search(r'<ol class="side source" lang="fa" dir="rtl">', notes)
    assert re.search(r'<ol class="side target" lang="en" dir="ltr">', notes)
    assert "“it’s done” – the end" in page
    assert "<em>مهم</em>" in page   # styled upright and bold by base.css, not slanted


def test_epub_notes_are_pop_ups_numbered_per_column(built):
    epub = built / "fa-en" / "doc.epub"
    with zipfile.ZipFile(epub) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    calls = re.findall(r'epub:type="noteref" role="doc-noteref">([^<]+)</a>', text)
    assert calls == ["۱", "1", "۲", "2", "۳", "3"]
    assert text.count('epub:type="footnote"') == 6
    assert 'role="doc-backlink">۱.</a>' in text
    import epubcheck
    epubcheck.assert_clean(epub)

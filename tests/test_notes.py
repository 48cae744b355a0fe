"""render/notes.py on pandoc's own markup: numbering per language and per
chapter, notes put back where they are called for print, link addresses."""
from __future__ import annotations

import re

from publish.assemble import smart_format, TRANSLATION_FORMAT
from publish.render import notes

# what pandoc writes for a parallel text with one note per column and a link
PARALLEL = """\
<div class="pair">
<section id="x" class="side source" lang="fa" dir="rtl">
<h1>فصل</h1>
</section>
<section id="en-x" class="side target" lang="en" dir="ltr">
<h1>Chapter</h1>
</section>
</div>
<div class="pair">
<div class="side source" lang="fa" dir="rtl">
<p>متن <a href="https://example.com/a">پیوند</a>.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>
</div>
<div class="side target" lang="en" dir="ltr">
<p>Text <a href="https://example.com/a">link</a>.<a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a></p>
</div>
</div>
<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">
<hr />
<ol>
<li id="fn1"><div class="note" lang="fa" dir="rtl">
<p>یادداشت.</p>
</div>
<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></li>
<li id="fn2"><div class="note" lang="en" dir="ltr">
<p>A note with <a href="mailto:a@b.org">mail</a>.</p>
<p>Its second paragraph.</p>
</div>
<a href="#fnref2" class="footnote-back" role="doc-backlink">↩︎</a></li>
</ol>
</section>
"""


def test_the_web_page_numbers_each_column_in_its_digits_and_keeps_the_back_links():
    out = notes.screen(PARALLEL, "en", bilingual=True)
    assert re.findall(r"<sup>([^<]+)</sup>", out) == ["۱", "1"]
    assert '<ol class="side source" lang="fa" dir="rtl">' in out and '<ol class="side target" lang="en" dir="ltr">' in out
    assert out.count("footnote-back") == 2


def test_print_puts_each_note_where_it_is_called_without_back_link():
    out = notes.for_print(PARALLEL, "en", links="footnote")
    assert "footnotes-end-of-document" not in out and "↩" not in out
    assert '<span class="footnote" id="fn1" data-n="" lang="fa" dir="rtl">' in out
    assert '<span class="footnote" id="fn2" data-n="" lang="en" dir="ltr">' in out
    # each column's link gets a note in its own language; inside a note, the address follows the words
    assert re.search(r'پیوند</a><span class="footnote link-note" data-n="" lang="fa"', out)
    assert re.search(r'link</a><span class="footnote link-note" data-n="" lang="en"', out)
    assert '<a href="mailto:a@b.org">mail</a> (<span class="link-address" dir="ltr">a@b.org</span>)' in out
    assert out.count('data-block="p"') == 3


def test_notes_are_numbered_per_language_per_chapter_or_from_a_layout():
    text, section = PARALLEL.split('<section id="footnotes"')
    second = text.replace("fn1", "fn3").replace("fn2", "fn4").replace("fnref1", "fnref3").replace("fnref2", "fnref4")
    items = section.split("<ol>\n")[1].split("</ol>")[0]
    more = items.replace("fn1", "fn3").replace("fn2", "fn4")
    whole = text + second + '<section id="footnotes"' + section.replace("</ol>", more + "</ol>")
    body = notes.for_print(whole, "en", links="none")
    by_document = re.findall(r'data-n="([^"]+)"', notes.number(body, "document"))
    assert by_document == ["۱", "1", "۲", "2"]
    by_chapter = re.findall(r'data-n="([^"]+)"', notes.number(body, "chapter"))
    assert by_chapter == ["۱", "1", "۱", "1"]
    # a layout put the first two on one page and the others on the next
    pages = {"fn1": 4, "fn2": 4, "fn3": 5, "fn4": 5}
    numbers = notes.per_page(pages, {"fn1": "fa", "fn2": "en", "fn3": "fa", "fn4": "en"})
    assert numbers == {"fn1": 1, "fn2": 1, "fn3": 1, "fn4": 1}


def test_links_whose_words_are_their_address_are_left_alone():
    body = '<p><a href="https://example.com/">https://example.com/</a> <a href="https://a.org">a.org</a></p>'
    assert notes.for_print(body, "en", links="inline") == body


def test_english_translations_are_read_with_smart_punctuation_and_persian_ones_are_not():
    assert "+smart" in smart_format("en") and "+smart" in smart_format("en-GB")
    assert smart_format("de") == smart_format("fa") == TRANSLATION_FORMAT


def test_persian_dates_in_the_solar_hijri_calendar_with_the_gregorian_beside():
    from publish.render.labels import long_date
    assert long_date("2026-11-30", "fa") == "۹ آذر ۱۴۰۵ (۳۰ نوامبر ۲۰۲۶)"
    assert long_date("2026-03-21", "fa").startswith("۱ فروردین ۱۴۰۵")
    assert long_date("2026-11-30", "prs").startswith("۹ قوس ۱۴۰۵")
    assert long_date("2026-11-30", "en") == "November 30, 2026"

"""No word lost on the way in (issue 12).

First the oracle (``tests/wordcheck.py``) is tested on small cases: it must
catch a dropped word, a dropped link target, a word lost inside ``<div>``,
a number glued to its superscript, and must not cry wolf over normalisation,
markup, metadata or the edition's own chrome.

Then a property: random Markdown documents with embedded HTML fragments
(Persian and Latin words; ``<b>``, ``<i>``, ``<sup>``, ``<sub>``, ``<code>``,
``<kbd>``, ``<a href>``, ``<br>``, ``<span dir lang>``; ``<div>`` verse with
``<br>`` lines, ``<p>``, ``<blockquote>``, ``<details>/<summary>``, ``<dl>``,
a little nesting; ``&nbsp;`` and ``&amp;``) are imported with
``importer.import_file`` into a project and built as the ``fa`` HTML edition
with ``build.build``; every word and link target of the original must be in
the edition.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordcheck import (Visible, assert_kept, compare, edition_visible, html_visible, input_visible,
                       strip_front_matter, words)

ZWNJ = "\u200c"


def page(main: str, chrome: str = "") -> str:
    """An edition page: ``chrome`` in the title page, ``main`` as the text."""
    return (f"<html><head><title>عنوان</title></head><body><header>{chrome}</header>"
            f"<main id='text'>{main}</main><footer>شناسنامه</footer></body></html>")


def md(tmp_path: Path, text: str, name: str = "in.md") -> Visible:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return input_visible(path)


# --- the oracle on small cases --------------------------------------------------------------


def test_catches_a_dropped_word():
    original = html_visible("<body><p>کتاب خوب است</p></body>")
    result = compare(original, edition_visible(page("<p>کتاب است</p>")))
    assert not result.ok and result.missing == {"خوب": 1}
    assert "'خوب' ×1" in str(result)


def test_counts_occurrences():
    original = html_visible("<body><p>باران باران باران</p></body>")
    assert compare(original, edition_visible(page("<p>باران باران</p>"))).missing == {"باران": 1}
    assert compare(original, edition_visible(page("<p>باران</p><p>باران باران باران</p>"))).ok


def test_catches_a_dropped_link_target():
    original = html_visible('<body><p>این <a href="https://example.org/a%20b">پیوند</a> است و '
                            '<a href="mailto:x@example.org">نامه</a></p></body>')
    assert original.links == {"https://example.org/a b", "mailto:x@example.org"}
    result = compare(original, edition_visible(page('<p>این <a href="https://example.org/a%20b">پیوند</a> '
                                                    'است و نامه</p>')))
    assert result.missing_links == {"mailto:x@example.org"} and not result.missing
    assert "link target missing: mailto:x@example.org" in str(result)
    # relative and fragment links are not targets a reader follows out of the book
    assert html_visible('<body><a href="#fn1">۱</a><a href="page.html">x</a></body>').links == set()


def test_catches_words_lost_inside_a_div(tmp_path):
    original = md(tmp_path, "# شعر\n\nپیش از شعر.\n\n<div class=\"verse\">\nسطر نخست شعر<br>\nسطر دوم شعر\n</div>\n\n"
                            "پس از شعر.\n")
    assert original.words["سطر"] == 2 and original.words["نخست"] == 1
    result = compare(original, edition_visible(page("<h1>شعر</h1><p>پیش از شعر.</p><p>پس از شعر.</p>")))
    assert result.missing == {"سطر": 2, "نخست": 1, "دوم": 1, "شعر": 2}
    assert "(input line 6)" in str(result)     # 'نخست' is on line 6 of the Markdown


def test_line_breaks_and_blocks_separate_words():
    original = html_visible("<body><div>سطر<br>دوم</div><p>الف</p><p>ب</p><table><tr><td>۱</td><td>۲</td></tr></table></body>")
    assert original.words == {"سطر": 1, "دوم": 1, "الف": 1, "ب": 1, "۱": 1, "۲": 1}


def test_superscript_is_a_word_boundary_so_a_glued_number_is_caught():
    original = html_visible("<body><p><code>(2<sup>53</sup>-1)</code></p></body>")
    assert original.words == {"2": 1, "53": 1, "1": 1}
    assert compare(original, edition_visible(page("<p><code>(253-1)</code></p>"))).missing == {"2": 1, "53": 1}
    assert compare(original, edition_visible(page("<p><code>(2</code><sup><code>53</code></sup><code>-1)</code></p>"))).ok
    assert compare(original, edition_visible(page("<p><code>(2^53-1)</code></p>"))).ok


def test_inline_markup_inside_a_word_keeps_it_one_word():
    assert html_visible(f"<body><p><b>می</b>{ZWNJ}شود و <i>کتاب</i>ها</p></body>").words == \
        {f"می{ZWNJ}شود": 1, "و": 1, "کتابها": 1}


def test_zwnj_inside_a_word_matters():
    original = html_visible(f"<body><p>کتاب{ZWNJ}ها را می{ZWNJ}خوانم</p></body>")
    result = compare(original, edition_visible(page("<p>کتابها را می خوانم</p>")))
    assert result.missing == {f"کتاب{ZWNJ}ها": 1, f"می{ZWNJ}خوانم": 1}


def test_normalisation_is_the_projects():
    # Arabic ي and ك, tatweel, a stray ZWNJ: the edition has them normalised
    original = html_visible(f"<body><p>كتابي بـــزرگ {ZWNJ}است</p></body>")
    assert compare(original, edition_visible(page("<p>کتابی بزرگ است</p>"))).ok
    assert words("كتابي") == {"کتابی": 1}


def test_head_script_style_template_comments_are_not_text():
    original = html_visible("<html><head><title>سرصفحه</title><style>p{color:red}</style></head><body>"
                            "<script>var x = 'اسکریپت';</script><!-- یادداشت پنهان --><template>قالب</template>"
                            "<p>متن</p></body></html>")
    assert original.words == {"متن": 1}


def test_alt_counts_title_does_not():
    original = html_visible('<body><p><img src="a.png" alt="نمای دره" title="راهنما"> '
                            '<a href="https://e.org/" title="برچسب">پیوند</a></p></body>')
    assert original.words == {"نمای": 1, "دره": 1, "پیوند": 1}
    assert original.local_pictures == ["a.png"]
    assert not compare(original, edition_visible(page('<p>پیوند</p>'))).ok
    edition = edition_visible(page('<p><img src="data:image/png;base64,AAAA" alt="نمای دره"> '
                                   '<a href="https://e.org/">پیوند</a></p>'))
    assert compare(original, edition).ok and len(edition.embedded_pictures) == 1


def test_a_figure_caption_repeating_the_alt_counts_once(tmp_path):
    original = md(tmp_path, "![کوه بلند](a.png)\n")
    assert original.words == {"کوه": 1, "بلند": 1}


def test_chrome_of_the_edition_does_not_hide_a_loss():
    original = html_visible("<body><p>تاریخ کتاب</p></body>")
    edition = edition_visible(page("<p>کتاب</p>", chrome="<p>تاریخ انتشار</p>"))
    assert compare(original, edition).missing == {"تاریخ": 1}


def test_front_matter_is_metadata(tmp_path):
    yaml_doc = "---\ntitle: عنوان سند\nauthor: نویسنده\n---\n\n# آغاز\n\nمتن.\n"
    assert md(tmp_path, yaml_doc).words == {"آغاز": 1, "متن": 1}
    pelican = "Title: عنوان سند\nAuthor: نویسنده\nSummary: خلاصه\n\n# آغاز\n\nمتن.\n"
    assert md(tmp_path, pelican, "p.md").words == {"آغاز": 1, "متن": 1}
    assert strip_front_matter(pelican)[1] == 3
    # an ordinary first paragraph that happens to hold a colon is not a header
    assert strip_front_matter("نکته: این متن است\nو ادامه دارد\n")[1] == 0
    assert strip_front_matter("Note: this is text\nand it goes on\n")[1] == 0


def test_footnote_numbers_pandoc_adds_are_not_words(tmp_path):
    original = md(tmp_path, "جمله.[^1]\n\n[^1]: پانویس.\n")
    assert original.words == {"جمله": 1, "پانویس": 1}


def test_set_aside_counts_an_element_apart_with_its_line():
    original = html_visible("<body><p>متن</p>\n<iframe src='https://m.example/'>قاب نقشه اینجا</iframe></body>",
                            set_aside=("iframe",))
    assert original.words == {"متن": 1}
    assert [(a.tag, a.line, dict(a.words)) for a in original.aside] == \
        [("iframe", 2, {"قاب": 1, "نقشه": 1, "اینجا": 1})]


def test_windows_1256_html_is_read_by_its_meta_charset():
    text = "<html><head><meta charset='windows-1256'></head><body><p>گزارش پل</p></body></html>"
    original = html_visible(text.encode("cp1256"))
    assert original.words == {"گزارش": 1, "پل": 1}


def test_void_elements_do_not_swallow_what_follows():
    # libxml2 nests <p> inside <embed> and the fallback inside <source>: a browser does not
    original = html_visible("<body><embed src='x.swf'><p>بند پس از آن</p>"
                            "<video><source src='a.mp4'><track src='a.vtt'>ویدیو پخش نشد</video>"
                            "<p>واژه<wbr>ی بلند</p></body>", set_aside=("embed", "video"))
    assert original.words == {"بند": 1, "پس": 1, "از": 1, "آن": 1, "واژهی": 1, "بلند": 1}
    assert [(a.tag, sum(a.words.values())) for a in original.aside] == [("embed", 0), ("video", 3)]


def test_assert_kept_message_lists_missing_words():
    with pytest.raises(AssertionError, match=r"'ب' ×1"):
        assert_kept(html_visible("<body><p>الف ب</p></body>"), edition_visible(page("<p>الف</p>")))


# --- small shapes: each a page a press meets, imported and built -------------------------------

H = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n{}\n</body></html>\n".format
SHAPES = {
    # Markdown with HTML
    "md-github-details.md": "# پرسش‌ها\n\n<details>\n<summary>چرا آسمان آبی است؟</summary>\n\nپاسخ با **پررنگ** و "
                            "[پیوند](https://example.org/sky).\n\n- مورد یکم\n- مورد دوم\n\n</details>\n",
    "md-html-table.md": "متن پیش.\n\n<table>\n<tr><th>نام</th><th>سال</th></tr>\n<tr><td>پرویز</td><td>۱۳۵۰</td></tr>\n"
                        "</table>\n\nمتن پس.\n",
    "md-html-headings-lists.md": "<h2>عنوان دوم</h2>\n\n<p>بند <abbr title=\"سازمان\">سمن</abbr> اینجا.</p>\n\n<hr>\n\n"
                                 "<ol start=\"3\"><li>سوم</li><li>چهارم</li></ol>\n\n<ul>\n<li>سیب <b>سرخ</b></li>\n"
                                 "<li>گلابی<ul><li>زرد</li></ul></li>\n</ul>\n",
    "md-pre-verse.md": "<pre>\nسطر یکم شعر\n  سطر دوم با تورفتگی\n</pre>\n\nپایان.\n",
    "md-nested-quote.md": "<blockquote>\n<div>بیت یکم<br>بیت دوم</div>\n<p>— <cite>شاعر گمنام</cite></p>\n</blockquote>\n",
    "md-styled-spans.md": "این <span style=\"color:red\">واژه‌ی سرخ</span> و <font color=blue>آبی</font> و <u>زیرخط</u> و "
                          "<s>خط‌خورده</s> و <mark>نشان</mark>. فرمول آب H<sub>2</sub>O و E=mc<sup>2</sup> است.\n",
    "md-comments-entities.md": "بند <!-- پنهان --> پیدا.\n\n<!--\nیادداشت پنهان\n-->\n\nعلامت &laquo;نقل&raquo; و "
                               "&copy; ۱۴۰۳ و &#1740;ک.\n\nسطر یکم<br>سطر دوم<br/>سطر سوم\n",
    "md-center.md": "<center>متن وسط‌چین</center>\n\n<div align=\"center\"><b>پررنگ وسط</b></div>\n",
    # HTML pages
    "page-bare-text.html": H("متن بی‌بند در بدنه\n<br>سطر دیگر <b>پررنگ</b>"),
    "page-nested-layout-tables.html": H("<table width='100%'><tr><td>\n<table><tr><td><p>بند درونی جدول</p></td>"
                                        "<td>ستون دوم</td></tr></table>\n</td></tr></table>\n<p>پایان صفحه</p>"),
    "page-dl-in-table-cell.html": H("<table><tr><td><dl><dt>واژه</dt><dd>معنی</dd></dl></td><td>خانه</td></tr></table>"),
    "page-embed.html": H("<p>آغاز</p>\n<embed src='movie.swf'>\n<p>این بند پس از embed آمده است</p>\n"
                         "<h2>عنوان بعدی</h2>\n<p>بند آخر</p>"),
    "page-video-sources.html": H("<video controls><source src='a.mp4'><track src='a.vtt'>ویدیو پخش نمی‌شود</video>\n"
                                 "<p>بند پس از ویدیو</p>"),
    "page-wbr.html": H("<p>واژه<wbr>ی بلند و ادامه</p><p>بند دوم</p>"),
    "page-details-nested.html": H("<details><summary>پرسش <b>مهم</b></summary><details><summary>زیرپرسش</summary>"
                                  "<p>پاسخ درونی</p></details><p>پاسخ بیرونی</p></details>"),
    "page-merged-cells.html": H("<table><caption>جدول شماره یک</caption><tr><th rowspan=2>سال</th><th>فصل</th></tr>"
                                "<tr><td>بهار</td></tr><tr><td colspan=2>جمع کل</td></tr></table>"),
    "page-noscript-form-svg.html": H("<noscript>جاوااسکریپت را روشن کنید</noscript><p>بند</p>\n<form><label>نام شما"
                                     "</label><textarea>متن نمونه</textarea></form>\n<svg><text>برچسب نمودار</text></svg>"),
    "page-semantic.html": H("<nav><a href='https://e.org/home'>خانه</a></nav><aside>کنار</aside><address>نشانی ما"
                            "</address><p><bdo dir='ltr'>وارونه</bdo> <q>نقل کوتاه</q> <small>ریز</small> <var>متغیر"
                            "</var> <time>دیروز</time> <del>حذف</del> <ins>افزوده</ins></p><footer>پاورقی صفحه</footer>"),
}
_DROPPED_TAG = re.compile(r"^<([a-z0-9]+)>")


def _book(prefix: str):
    """A fresh project in a temporary folder, for a module's tests."""
    from publish import scaffold
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp) / "book"
        scaffold.init(root, title="آزمون", targets=("en",))
        yield root


@pytest.fixture(scope="module")
def shapes_root():
    yield from _book("import-shapes-")


@pytest.mark.parametrize("file", list(SHAPES))
def test_small_shapes_keep_every_word_or_say_so(shapes_root, file):
    """Every word reaches the edition, except words inside an element the
    import report lists as dropped (an ``<svg>``, a ``<noscript>`` …) — and
    only those: the oracle sets aside exactly the elements named."""
    from publish import build, config, importer
    path = shapes_root.parent / file
    path.write_text(SHAPES[file], encoding="utf-8")
    project = config.load(shapes_root)
    result = importer.import_file(project, path, name="doc", force=True)
    reported = tuple(dict.fromkeys(m.group(1) for d in result.dropped if d.words
                                   for m in [_DROPPED_TAG.match(d.what)] if m))
    original = input_visible(path, set_aside=reported)
    project = config.load(shapes_root)
    build.build(project, editions=["fa"], formats=["html"], documents=["doc"], jobs=1)
    edition = edition_visible(shapes_root / "build" / "fa" / "doc.html")
    comparison = compare(original, edition, what=file)
    report = "\n".join(str(d) for d in result.dropped) or "(nothing listed as dropped)"
    if not comparison.ok:
        pytest.fail(f"{comparison}\n--- import report:\n{report}\n--- imported as:\n"
                    + (shapes_root / "source" / "fa" / "doc.md").read_text(encoding="utf-8"), pytrace=False)


# --- the property: random Markdown + HTML → import → fa edition ------------------------------------

PERSIAN = ["کتاب", "باران", "شهر", f"می{ZWNJ}شود", f"نیم{ZWNJ}فاصله", "پژوهش", "گل", "چراغ", "ژاله",
           "۱۴۰۳", "۲۵", "کوچه", "دریا", f"خانه{ZWNJ}ها", "سلام", "كتابي"]   # the last in Arabic letters
LATIN = ["Unicode", "pandoc", "HTML", "book", "2024", "alpha", "Tehran"]

word = st.sampled_from(PERSIAN + LATIN)
phrase = st.lists(word, min_size=1, max_size=5).map(" ".join)


@st.composite
def inline(draw, depth=0) -> str:
    kind = draw(st.sampled_from(["text", "text", "b", "i", "em", "u", "sup", "sub", "code", "kbd", "a", "br",
                                 "span", "nbsp", "amp", "strong", "zwnj", "md-link", "md-emph"]
                                + (["nest"] if depth < 1 else [])))
    text = draw(phrase)
    if kind == "text":
        return text
    if kind in ("b", "i", "em", "u", "sup", "sub", "kbd", "strong"):
        return f"<{kind}>{text}</{kind}>"
    if kind == "code":
        return draw(st.sampled_from([f"<code>{text}</code>", "<code>(2<sup>53</sup>-1)</code>"]))
    if kind == "a":
        n = draw(st.integers(0, 99))
        return f'<a href="https://example.org/p{n}">{text}</a>'
    if kind == "br":
        return f"{text}<br>{draw(phrase)}"
    if kind == "span":
        return f'<span dir="ltr" lang="en">{text}</span>'
    if kind == "nbsp":
        return f"<b>&nbsp;</b>{text}"
    if kind == "zwnj":      # markup inside a word joined by a ZWNJ
        return f"<b>می</b>{ZWNJ}شود {text}"
    if kind == "md-link":
        return f"[{text}](https://example.net/{draw(st.integers(0, 9))})"
    if kind == "md-emph":
        return f"*{text}* **{draw(phrase)}**"
    if kind == "amp":
        return f"{text} &amp; {draw(phrase)}"
    return f"<b>{text} {draw(inline(depth + 1))}</b>"


def line(min_size=1) -> st.SearchStrategy[str]:
    return st.lists(inline(), min_size=min_size, max_size=4).map(" ".join)


@st.composite
def html_block(draw, depth=0) -> str:
    kind = draw(st.sampled_from(["div", "p", "blockquote", "details", "dl"] + (["nested"] if depth < 1 else [])))
    if kind == "div":
        lines = draw(st.lists(line(), min_size=1, max_size=4))
        return '<div class="verse">\n' + "<br>\n".join(lines) + "\n</div>"
    if kind == "p":
        return f"<p>{draw(line())}</p>"
    if kind == "blockquote":
        return f"<blockquote>\n{draw(line())}\n</blockquote>"
    if kind == "details":
        answers = draw(st.lists(line(), min_size=1, max_size=2))
        return f"<details>\n<summary>{draw(phrase)}</summary>\n" + "\n".join(f"<p>{a}</p>" for a in answers) + \
            "\n</details>"
    if kind == "dl":
        pairs = draw(st.lists(st.tuples(phrase, line()), min_size=1, max_size=3))
        return "<dl>\n" + "\n".join(f"<dt>{t}</dt>\n<dd>{d}</dd>" for t, d in pairs) + "\n</dl>"
    inner = draw(st.lists(html_block(depth + 1), min_size=1, max_size=2))
    return "<div>\n" + "\n".join(inner) + "\n</div>"


@st.composite
def markdown_block(draw) -> str:
    kind = draw(st.sampled_from(["para", "para", "heading", "html", "html", "list"]))
    if kind == "para":
        return draw(line())
    if kind == "heading":
        return "## " + draw(phrase)
    if kind == "list":
        return "\n".join(f"- {x}" for x in draw(st.lists(line(), min_size=1, max_size=3)))
    return draw(html_block())


documents = st.lists(markdown_block(), min_size=1, max_size=6).map(lambda bs: "\n\n".join(bs) + "\n")


@pytest.fixture(scope="module")
def project_root():
    yield from _book("import-words-")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(text=documents)
def test_random_markdown_with_html_keeps_every_word(project_root, text):
    from publish import build, config, importer
    original_path = project_root.parent / "original.md"
    original_path.write_text(text, encoding="utf-8")
    original = input_visible(original_path)
    project = config.load(project_root)
    importer.import_file(project, original_path, name="doc", force=True)
    project = config.load(project_root)
    build.build(project, editions=["fa"], formats=["html"], documents=["doc"], jobs=1)
    edition = edition_visible(project_root / "build" / "fa" / "doc.html")
    result = compare(original, edition, what="the generated document")
    if not result.ok:
        pytest.fail(f"{result}\n--- the document:\n{text}\n--- imported as:\n"
                    + (project_root / "source" / "fa" / "doc.md").read_text(encoding="utf-8"), pytrace=False)

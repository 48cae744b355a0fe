"""HTML carried as structure: in .html imports and in the HTML blocks and
tags of .md imports (issue 12, point 2), and the structural warnings of
point 6.  Each test imports through ``importer.import_file`` (pandoc and
all) and reads the Markdown written, which is what translators get."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish import config, importer, scaffold, structure
from publish.errors import PublishError
from publish.update import update

RAW_SYNTAX = re.compile(r"\{=html\}|</?(?:div|br|b|sup|code|details|summary|span|kbd|p)\b|&nbsp;")


@pytest.fixture
def project(tmp_path) -> Path:
    scaffold.init(tmp_path / "book", title="کتاب", targets=("en",))
    return tmp_path / "book"


def _import(project: Path, tmp_path: Path, name: str, text: str, **kw) -> tuple[importer.Imported, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = importer.import_file(config.load(project), path, **kw)
    return result, result.source.read_text(encoding="utf-8")


VERSE_MD = """\
# درباره شعر

<div class="epigraph">
هر کسی کو دور ماند از اصل خویش<br>
باز جوید روزگار وصل خویش
</div>

عدد بزرگ <code>(2<sup>53</sup>-1)</code> است و <b>&nbsp;</b> این <a href="https://example.org/x">پیوند</a> است.[^1]

<details>
<summary>پرسش نخست چیست؟</summary>

پاسخ نخست این است که **همه** چیز خوب است.

</details>

کلید <kbd>Ctrl</kbd> و نام <span dir="ltr" lang="en">Microsoft Word</span> و فرمول $x^2$ اینجا.

[^1]: پانویس با <sup>بالانویس</sup> درون.
"""


def test_markdown_html_becomes_structure(project, tmp_path):
    result, md = _import(project, tmp_path, "essay.md", VERSE_MD)
    assert not RAW_SYNTAX.search(md), md
    # verse: each line stays a line (a hard line break between them)
    assert "هر کسی کو دور ماند از اصل خویش\\\nباز جوید روزگار وصل خویش" in md
    assert "`(2`^`53`^`-1)`" in md
    assert "** **" not in md and "****" not in md
    assert "[پیوند](https://example.org/x)" in md
    assert "**پرسش نخست چیست؟**" in md
    assert "پاسخ نخست این است که **همه** چیز خوب است." in md
    assert "`Ctrl`" in md
    assert '[Microsoft Word]{dir="ltr" lang="en"}' in md
    assert "$x^2$" in md
    # the footnote stays a footnote, its own HTML converted too
    assert re.search(r"\[\^1\]: پانویس با \^بالانویس\^ درون\.", md), md
    assert "است.[^1]" in md
    assert result.dropped == []


def test_units_carry_no_pandoc_raw_syntax(project, tmp_path):
    _import(project, tmp_path, "essay.md", VERSE_MD)
    update(config.load(project))
    pot = (project / "translations" / "templates" / "essay.pot").read_text(encoding="utf-8")
    msgids = re.findall(r'^msgid "(.*)"$', pot, re.M)
    assert len(msgids) > 5
    for m in msgids:
        assert not RAW_SYNTAX.search(m), m


FAQ_HTML = """\
<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>پرسش‌های رایج</title>
<style>body { color: red }</style>
<script>var a = "نه";</script></head>
<body>
<h1>پرسش‌های رایج</h1>
<details><summary>چگونه عضو شوم؟</summary>
<p>فرم را پر کنید و بفرستید.</p>
<p>پاسخ دوم هم هست.</p>
</details>
<p>یک<br>دو<br>سه</p>
<dl><dt>سندیکا</dt><dd>تشکل کارگران</dd></dl>
<iframe src="https://example.org/v">ویدئو را ببینید</iframe>
<p>پایان <b> </b> متن.</p>
</body></html>
"""


def test_html_import_report_lists_what_is_dropped(project, tmp_path):
    result, md = _import(project, tmp_path, "faq.html", FAQ_HTML)
    assert not RAW_SYNTAX.search(md), md
    assert "**چگونه عضو شوم؟**\n\nفرم را پر کنید و بفرستید.\n\nپاسخ دوم هم هست." in md
    assert "یک\\\nدو\\\nسه" in md
    assert "سندیکا\n:   تشکل کارگران" in md
    assert "var a" not in md and "color" not in md
    dropped = {d.what: d for d in result.dropped}
    assert dropped["<iframe>"].words == 3 and dropped["<iframe>"].line == 13
    assert dropped["<script>"].words == 0 and dropped["<script>"].line == 4
    assert dropped["<style>"].line == 3
    assert result.metadata.get("title") == "پرسش‌های رایج"


def test_strict_refuses_dropping_words_and_writes_nothing(project, tmp_path):
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    path = tmp_path / "faq.html"
    path.write_text(FAQ_HTML, encoding="utf-8")
    with pytest.raises(PublishError) as exc:
        importer.import_file(config.load(project), path, strict=True)
    assert exc.value.line == 13 and "<iframe>" in exc.value.message
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert after == before


def test_strict_accepts_what_only_drops_code(project, tmp_path):
    text = FAQ_HTML.replace('<iframe src="https://example.org/v">ویدئو را ببینید</iframe>', "")
    result, _ = _import(project, tmp_path, "faq.html", text, strict=True)
    assert {d.what for d in result.dropped} == {"<script>", "<style>"}


def test_raw_blocks_of_other_formats_are_reported(project, tmp_path):
    text = "# سر\n\nمتن.\n\n```{=latex}\n\\begin{center}واژه‌های لاتک\\end{center}\n```\n"
    result, md = _import(project, tmp_path, "tex.md", text)
    assert [(d.what, d.line) for d in result.dropped] == [("raw latex block", 6)]
    assert result.dropped[0].words >= 2


def test_unclosed_html_block_is_warned(project, tmp_path):
    text = "# سر\n\nمتن نخست.\n\n<div class=\"x\">\nدرون\n\nمتن دوم که باید بماند.\n"
    result, md = _import(project, tmp_path, "open.md", text)
    assert "متن دوم که باید بماند." in md and "درون" in md
    assert [(w.line, "never closed" in w.message) for w in result.warnings] == [(5, True)]


def test_unclosed_fence_is_warned_at_import_and_update(project, tmp_path):
    text = "# سر\n\nمتن.\n\n```\nکد\n## سرفصل گمشده\n\nمتن گمشده.\n"
    result, _ = _import(project, tmp_path, "fence.md", text)
    assert [w.line for w in result.warnings] == [5]
    assert "the 4 lines after it are read as code" in result.warnings[0].message
    # the source import wrote has an indented code block, closed by its nature;
    # a source written by hand keeps the open fence, and update says so
    (project / "source" / "fa" / "fence.md").write_text(text, encoding="utf-8")
    [doc] = update(config.load(project), ["fence"])
    assert [w.line for w in doc.warnings] == [5]


def test_update_warns_about_raw_html_in_a_source(project):
    src = project / "source" / "fa" / "welcome.md"
    src.write_text("# سر\n\nمتن با <sup>بالا</sup> و پایان.\n\n<div>\nبلوک\n</div>\n", encoding="utf-8")
    [doc] = update(config.load(project))
    assert [(w.line, w.message.split(")")[0]) for w in doc.warnings] == [(3, "raw HTML (<sup>"),
                                                                          (5, "raw HTML (<div>")]


def test_structure_surprises():
    assert structure.surprises("# a\n\n```\ncode\n```\n\ntext\n", "x") == []
    # a fence inside a fence's content, backticks in an info string, ~~~ fences
    assert structure.surprises("~~~\n```\n~~~\n", "x") == []
    assert structure.surprises("``` a`b\n", "x") == []
    [w] = structure.surprises("a\n\n````\n```\n", "x", offset=3)
    assert w.line == 6 and "````" in w.message
    wall = "\n\n".join(" ".join(["واژه"] * 100) for _ in range(20))
    [w] = structure.surprises(wall, "x")
    assert w.line == 1 and "not one heading" in w.message
    assert structure.surprises("# سر\n\n" + wall, "x") == []
    [w] = structure.surprises("# سر\n\nمقدمه.\n\n" + " ".join(["واژه"] * 450), "x")
    assert w.line == 5 and "450 words" in w.message


def test_many_tags_to_unwrap_do_not_hang():
    """30,000 empty <b> in one paragraph took a minute when each was moved
    out of its parent (lxml counts siblings to find a place); the guard
    fails a hang, it measures nothing."""
    import subprocess
    import sys
    code = ("from publish import rawhtml\n"
            "html = '<p>' + 'واژه <b> </b><wbr>x<kbd>k</kbd>' * 30000 + '</p>'\n"
            "out = rawhtml.prepare(html, [])\n"
            "assert out.count('واژه') == 30000 and out.count('<code>k</code>') == 30000\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_deep_or_unclosed_empty_elements_lose_no_word():
    """libxml2 nests what follows an HTML5 empty element (<wbr>, <embed>)
    inside it, and drops text past 256 levels of nesting without a word."""
    from publish import rawhtml
    html = "<p>" + "واژه<wbr>x <embed src=a>" * 1000 + "</p>" + "<div>" * 400 + "ژرف" + "</div>" * 400
    out = rawhtml.prepare(html, [])
    assert out.count("واژه") == 1000 and out.count("ژرف") == 1

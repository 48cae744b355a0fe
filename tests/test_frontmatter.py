"""Metadata at the top of a document: YAML and TOML front matter, Pelican
and MultiMarkdown header lines → publish.yml (commented, editable) → the
editions' title page and <meta>, and never a unit to translate."""
from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish import config, frontmatter, importer, scaffold
from publish.errors import PublishError
from publish.update import update

ESSAY = """\
---
title: شعر و زندگی
subtitle: "جستار: دوم"
author:
  - مریم احمدی
  - علی رضایی
date: 2024-03-01 10:20
description: >
  جستاری درباره
  شعر
tags: [شعر, زندگی]
layout: post
---

# درآمد

شعر زندگی است.
"""


@contextmanager
def hang_guard(seconds: int = 20):
    """Fail rather than hang the suite if a hostile input is not refused (a
    guard, not a measurement: the refusal itself is a fraction of this)."""
    def fail(*_):
        raise AssertionError(f"still running after {seconds} s")
    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- the forms -----------------------------------------------------------------------------

def test_yaml_front_matter():
    meta, body, removed, unread = frontmatter.split(ESSAY)
    assert meta == {"title": "شعر و زندگی", "subtitle": "جستار: دوم", "author": "مریم احمدی، علی رضایی",
                    "date": "2024-03-01 10:20", "description": "جستاری درباره شعر", "keywords": "شعر، زندگی"}
    assert removed == 13 and body == "\n".join(ESSAY.split("\n")[13:])
    assert ESSAY.splitlines()[removed:] == body.splitlines()    # lines of the body + removed = lines of the file
    assert [u.what for u in unread] == ["front matter key layout (not used)"]


def test_yaml_values_stay_the_text_written():
    meta, _, _, unread = frontmatter.split("---\ntitle: yes\nauthor: 1.10\ndate: 2024-03-01\nkeywords: ~\n...\nمتن\n")
    assert meta == {"title": "yes", "author": "1.10", "date": "2024-03-01"}   # not True, 1.1, a date object
    assert not unread


def test_bom_and_crlf_are_tolerated():
    meta, body, removed, _ = frontmatter.split("\ufeff---\r\ntitle: عنوان\r\n---\r\nمتن\r\n")
    assert (meta, body, removed) == ({"title": "عنوان"}, "متن\r\n", 3)


def test_hugo_toml_front_matter():
    text = ('+++\ntitle = "یادداشت"\ndate = 2024-03-01T10:20:00+03:30\nauthors = ["Maryam", "Ali"]\n'
            'tags = ["a", "b"]\ndraft = false\n+++\nمتن\n')
    meta, body, removed, unread = frontmatter.split(text)
    assert meta == {"title": "یادداشت", "date": "2024-03-01T10:20:00+03:30", "author": "Maryam, Ali",
                    "keywords": "a, b"}
    assert (body, removed, unread) == ("متن\n", 7, [])   # draft = false holds nothing to report


def test_pelican_and_multimarkdown_header_lines():
    text = ("Title: شعر و زندگی\nauthor:  مریم احمدی\nDate: 2024-03-01 10:20\nSummary: یک\n    دو\n"
            "Tags: شعر، زندگی\nSlug: essay\nBase Header Level: 2\n\nنخستین بند: با دونقطه.\n")
    meta, body, removed, unread = frontmatter.split(text)
    assert meta == {"title": "شعر و زندگی", "author": "مریم احمدی", "date": "2024-03-01 10:20",
                    "description": "یک دو", "keywords": "شعر، زندگی"}
    assert (body, removed) == ("\nنخستین بند: با دونقطه.\n", 8)
    assert [u.words for u in unread] == [0] and "slug" in unread[0].what


@pytest.mark.parametrize("text", [
    "این متن: یک بند فارسی است که دونقطه دارد.\n\nبند دوم.\n",      # Persian prose with a colon
    "Title: درآمد\nو این سطر دوم همان بند است.\n\nبند دوم.\n",       # one line is not Key: value
    "Title: x\nNote: an unknown key\n\nbody\n",                      # every key must be known
    "---\n\nبند پس از یک خط افقی\n\n---\n",                         # a rule and a blank line (pandoc's rule)
    "---\nعنوان\n---\n",                                             # a rule and a setext heading
    "---\ntitle: no closing fence\n\nبند\n",
    "+++\nنه کلید\n+++\n",
    "",
])
def test_text_that_is_not_front_matter_is_left_alone(text):
    assert frontmatter.split(text) == ({}, text, 0, [])


def test_broken_yaml_is_reported_not_crashing_and_kept_out_of_the_body():
    text = "---\ntitle: شعر\nauthor: [مریم\n---\nمتن\n"
    meta, body, removed, unread = frontmatter.split(text)
    assert (meta, body, removed) == ({}, "متن\n", 4)
    [u] = unread
    assert u.what.startswith("front matter that could not be read (invalid YAML")
    assert u.words == 4 and 2 <= u.line <= 4


@pytest.mark.parametrize("block, reason", [
    # billion laughs: nine aliases to nine aliases … nine levels deep
    ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)), "alias"),
    ("title: !!python/object/apply:os.system ['echo owned']\n", "python/object"),
    ("title: !!python/name:os.system\n", "python/name"),
    ("title: " + "[" * 30000 + "\n", "nested"),
    ("title: x\n" + "k: " + "v" * frontmatter.MAX_CHARS + "\n", "KiB"),
    ("title: x\ntags: [" + "a," * frontmatter.MAX_EVENTS + "a]\n", "values"),
])
def test_hostile_yaml_is_refused(block, reason):
    with hang_guard():
        meta, body, _, unread = frontmatter.split(f"---\n{block}---\nمتن\n")
    assert (meta, body) == ({}, "متن\n")
    assert len(unread) == 1 and reason in unread[0].what


def test_hostile_toml_is_refused():
    with hang_guard():
        meta, body, _, unread = frontmatter.split("+++\ntitle = " + "[" * 20000 + "\n+++\nمتن\n")
    assert (meta, body) == ({}, "متن\n") and "could not be read" in unread[0].what


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
@settings(max_examples=150, deadline=None)
def test_split_never_fails_and_never_invents_lines(text):
    meta, body, removed, unread = frontmatter.split(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    assert set(meta) <= set(frontmatter.KEYS) and all(meta.values())
    assert "".join(text.splitlines(keepends=True)[removed:]) == body
    if not removed:
        assert body == text and not meta


# --- publish.yml --------------------------------------------------------------------------

STARTER = scaffold.config_text("کتاب").replace("  - name: welcome\n    source: source/fa/welcome.md\n",
                                                "  - name: a\n    source: a.md\n")
STARTER_FLOW = STARTER.replace("documents:\n  - name: a\n    source: a.md\n", "documents: [{name: a, source: a.md}]\n")


def test_register_writes_the_metadata_commented():
    meta = {"title": "شعر و زندگی", "author": "مریم احمدی", "date": "2024-03-01", "description": "جستاری درباره شعر"}
    out = importer.register(STARTER, "essay", "source/fa/essay.md", metadata=meta,
                            origin="the file's front matter")
    assert ("  - name: essay\n    source: source/fa/essay.md\n"
            "    # from the file's front matter; edit or remove:\n"
            "    title: {fa: شعر و زندگی}\n    author: {fa: مریم احمدی}\n    date: \"2024-03-01\"\n"
            "    description: {fa: جستاری درباره شعر}\n") in out
    assert out.replace("    # from the file's front matter; edit or remove:\n", "").count("#") == STARTER.count("#")
    flow = importer.register("documents: [{name: a, source: a.md}]\n", "b", "b.md", metadata={"author": "x, y"},
                             lang="en")
    assert yaml.safe_load(flow)["documents"][1] == {"name": "b", "source": "b.md", "author": {"en": "x, y"}}


@pytest.fixture(scope="module")
def bare(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bare")
    (root / "a.md").write_text("متن\n", encoding="utf-8")
    return root


ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
TRICKY = st.sampled_from(["yes", "no", "2024", "2024-03-01", "1e3", "null", "~", "- x", "a: b", "a #b", "#x",
                          "'q'", '"q"', "{a: 1}", "[a]", "*x", "&x", "!!python/object x", "a,b", " x ", "x\n",
                          "\u0085", "\u2028", "\ufeff", "\t", "😀", "\\", "%x", "@x", "`x", "|", ">", "?", ": x"])


@given(st.dictionaries(st.sampled_from(["title", "subtitle", "author", "description", "keywords"]),
                       st.one_of(TRICKY, ANY_TEXT), min_size=1),
       st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_register_output_reloads_with_the_same_values(bare, meta, flow):
    out = importer.register(STARTER_FLOW if flow else STARTER, "b", "a.md", metadata=meta)
    (bare / "publish.yml").write_text(out, encoding="utf-8")
    doc = config.load(bare).document("b")
    for key, value in meta.items():
        assert getattr(doc, key) == {"fa": value}, key


@given(st.one_of(st.sampled_from(["2024-03-01", "2024-03-01 10:20", "2024-03-01T10:20:00+03:30", "1402/05/12",
                                  "۱۴۰۲/۰۵/۱۲", "12 March 2024", "2024", "2024-02-30"]),
                 st.text(min_size=1, max_size=30).filter(config.is_date_text)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_date_reloads_as_the_text_written(bare, date):
    (bare / "publish.yml").write_text(importer.register(STARTER, "b", "a.md", metadata={"date": date}),
                                      encoding="utf-8")
    assert config.load(bare).document("b").date == date.strip()


@pytest.mark.parametrize("entry, message", [
    ("date: 2024-03-01 10:20", None),
    ("date: soon", "does not look like a date"),
    ("date: [2024]", "expected a date"),
    ("date: true", "expected a date"),
    ("author: [a, b]", "expected text or a mapping"),
    ("publisher: x", "unknown key documents[0].publisher"),
])
def test_config_reads_and_checks_the_new_keys(bare, entry, message):
    (bare / "publish.yml").write_text(STARTER.replace("    source: a.md\n", f"    source: a.md\n    {entry}\n"),
                                      encoding="utf-8")
    line = STARTER.splitlines().index("    source: a.md") + 2
    if message is None:
        assert config.load(bare).documents[0].date == "2024-03-01 10:20"   # text, not 2024-03-01T10:20:00
        return
    with pytest.raises(PublishError) as err:
        config.load(bare)
    assert message in err.value.message and err.value.line == line


# --- end to end ---------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path) -> Path:
    scaffold.init(tmp_path / "book", title="کتاب آزمایشی", targets=("en",))
    return tmp_path / "book"


def _opf(epub: Path) -> str:
    import zipfile
    with zipfile.ZipFile(epub) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode("utf-8")


def _msgids(root: Path, name: str) -> list[str]:
    # the text's units: the title, author … are entries with a context, from publish.yml
    return [e.msgid for e in polib.pofile(str(root / "translations" / "templates" / f"{name}.pot")) if not e.msgctxt]


def test_import_puts_front_matter_in_publish_yml_and_nothing_in_the_units(project, tmp_path):
    path = tmp_path / "essay.md"
    path.write_text(ESSAY, encoding="utf-8")
    result = importer.import_file(config.load(project), path)
    assert result.metadata["author"] == "مریم احمدی، علی رضایی"
    assert not re.search("title|مریم|layout|---", result.source.read_text(encoding="utf-8"))
    text = (project / "publish.yml").read_text(encoding="utf-8")
    assert "    # from the file's front matter; edit or remove:\n    title: {fa: شعر و زندگی}\n" in text
    assert any("layout" in d.what and d.words == 0 for d in result.dropped)

    p = config.load(project)
    doc = p.document("essay")
    assert (doc.title, doc.subtitle, doc.author, doc.date, doc.description, doc.keywords) == (
        {"fa": "شعر و زندگی"}, {"fa": "جستار: دوم"}, {"fa": "مریم احمدی، علی رضایی"}, "2024-03-01 10:20",
        {"fa": "جستاری درباره شعر"}, {"fa": "شعر، زندگی"})
    update(p)
    assert _msgids(project, "essay") == ["درآمد", "شعر زندگی است."]

    from publish.build import build
    build(p, formats=["html"])
    build(p, editions=["fa"], formats=["epub"])
    opf = _opf(project / "build" / "fa" / "essay.epub")
    assert re.search(r"<dc:creator[^>]*>مریم احمدی، علی رضایی</dc:creator>", opf)
    assert "<dc:description>جستاری درباره شعر</dc:description>" in opf
    assert re.findall(r"<dc:subject[^>]*>([^<]*)</dc:subject>", opf) == ["شعر", "زندگی"]   # a dc:subject each
    for edition in ("fa", "en", "fa-en"):
        page = (project / "build" / edition / "essay.html").read_text(encoding="utf-8")
        head = page[:page.index("</head>")]
        assert '<meta name="author" content="مریم احمدی، علی رضایی">' in head, edition
        assert '<meta name="description" content="جستاری درباره شعر">' in head
        assert '<meta name="keywords" content="شعر, زندگی">' in head   # HTML's keywords are comma-separated
    fa = (project / "build" / "fa" / "essay.html").read_text(encoding="utf-8")
    assert '<p class="book-author">مریم احمدی، علی رضایی</p>' in fa
    # the text's date as Persian writes it: Solar Hijri, the Gregorian beside it
    assert '<p class="book-date">۱۱ اسفند ۱۴۰۲ (۱ مارس ۲۰۲۴)</p>' in fa
    en = (project / "build" / "en" / "essay.html").read_text(encoding="utf-8")
    assert '<p class="book-date">March 1, 2024</p>' in en


def test_pelican_headers_never_become_units(project, tmp_path):
    path = tmp_path / "note.md"
    path.write_text("Title: یادداشت\nAuthor: مریم\nDate: 1402/05/12\n\nبند نخست: متن.\n", encoding="utf-8")
    importer.import_file(config.load(project), path)
    p = config.load(project)
    doc = p.document("note")
    assert (doc.title, doc.author, doc.date) == ({"fa": "یادداشت"}, {"fa": "مریم"}, "1402/05/12")
    update(p)
    assert _msgids(project, "note") == ["بند نخست: متن."]


def test_broken_front_matter_is_dropped_with_its_words_and_strict_refuses(project, tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: شعر\nauthor: [مریم\n---\nمتن اصلی.\n", encoding="utf-8")
    before = (project / "publish.yml").read_text(encoding="utf-8")
    with pytest.raises(PublishError, match="--strict: front matter that could not be read"):
        importer.import_file(config.load(project), path, strict=True)
    assert (project / "publish.yml").read_text(encoding="utf-8") == before
    result = importer.import_file(config.load(project), path)
    assert [d.words for d in result.dropped] == [4] and result.metadata == {}
    assert result.source.read_text(encoding="utf-8") == "متن اصلی.\n"

    # no author, description or publisher anywhere: no empty element for them
    p = config.load(project)
    update(p)
    from publish.build import build
    build(p, editions=["fa"], formats=["html", "epub"])
    page = (project / "build" / "fa" / "broken.html").read_text(encoding="utf-8")
    assert not re.search(r'<meta name="(author|description|keywords)"', page)
    opf = _opf(project / "build" / "fa" / "broken.epub")
    assert not re.search(r"<dc:(creator|publisher|description|subject)\b", opf), opf


def test_a_date_that_is_not_one_is_not_written(project, tmp_path):
    path = tmp_path / "undated.md"
    path.write_text("---\ntitle: عنوان\ndate: به‌زودی\n---\nمتن.\n", encoding="utf-8")
    result = importer.import_file(config.load(project), path)
    assert any("not a date" in w.message for w in result.warnings)
    doc = config.load(project).document("undated")
    assert (doc.title, doc.date) == ({"fa": "عنوان"}, "")


@pytest.mark.parametrize("fmt", ["html", "docx", "odt"])
def test_html_meta_and_word_properties_land_in_publish_yml(project, tmp_path, fmt):
    """The same fields from <title>/<meta> and from Word's document properties."""
    import subprocess
    from publish.source import pandoc_path
    md = tmp_path / "page.md"
    md.write_text("متن صفحه.\n", encoding="utf-8")
    target = tmp_path / f"page.{fmt}"
    subprocess.run([pandoc_path(), str(md), "-s", "-o", str(target), "-M", "title=صفحه: یکم",
                    "-M", "author=مریم احمدی", "-M", "author=علی رضایی", "-M", "description=درباره #صفحه",
                    "-M", "pagetitle=صفحه: یکم"], check=True, capture_output=True)
    result = importer.import_file(config.load(project), target)
    assert result.metadata == {"title": "صفحه: یکم", "author": "مریم احمدی، علی رضایی",
                               "description": "درباره #صفحه"}
    doc = config.load(project).document("page")
    assert (doc.title, doc.author, doc.description) == (
        {"fa": "صفحه: یکم"}, {"fa": "مریم احمدی، علی رضایی"}, {"fa": "درباره #صفحه"})
    origin = "the page's <title> and <meta>" if fmt == "html" else "the file's document properties"
    assert f"# from {origin}; edit or remove:" in (project / "publish.yml").read_text(encoding="utf-8")


def test_hostile_document_properties_are_ignored(tmp_path):
    import zipfile
    bomb = ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "lollollol">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
            + ']><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:title>&i;</dc:title></cp:coreProperties>')
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/core.xml", bomb)
    with hang_guard():
        assert frontmatter.properties(path) == {}
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    assert frontmatter.properties(tmp_path / "broken.docx") == {}
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                                        "<dc:title>عنوان</dc:title><dc:creator>الف; ب</dc:creator>")   # unclosed
    assert frontmatter.properties(path) == {}

"""Translator's notes (issue 17, point 5): an inline ``^[…]`` in a msgstr is a
footnote of the translation, labelled as the translator's in the edition's
language, accepted by ``check``, and sanitised like any translation."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import assemble, catalog, check
from conftest import SYNTHETIC_CONFIG
from publish.cli import main

CONFIG = SYNTHETIC_CONFIG   # the same project (its other keys are the defaults)
SOURCE = """\
# عنوان کتاب

این جمله **مهم** است. جمله بعدی اینجاست.
"""
NOTE = "The word is *mohem*, as in the 1979 text; see [the glossary](https://example.com/g)."
TRANSLATIONS = {
    "عنوان کتاب": "The title of the book",
    "این جمله **مهم** است.": f"This sentence is **important**.^[{NOTE}]",
    "جمله بعدی اینجاست.": "The next sentence is here.",
}
LABEL = "Translator’s note:"


def _notes(inlines: list) -> list[dict]:
    return [el for el in inlines if el["t"] == "Note"]


def _text(node) -> str:
    """The words of a tree, roughly as printed."""
    if isinstance(node, list):
        return "".join(_text(x) for x in node)
    if not isinstance(node, dict):
        return ""
    if node["t"] == "Str":
        return node["c"]
    if node["t"] in ("Space", "SoftBreak"):
        return " "
    if node["t"] in ("Code", "Math"):
        return node["c"][1]
    return _text(node.get("c"))


def _kinds(node) -> set[str]:
    if isinstance(node, list):
        return set().union(*map(_kinds, node)) if node else set()
    if isinstance(node, dict) and "t" in node:
        return {node["t"]} | _kinds(node.get("c"))
    return set()


def _links(node) -> list[str]:
    if isinstance(node, list):
        return [u for x in node for u in _links(x)]
    if isinstance(node, dict) and "t" in node:
        own = [node["c"][2][0]] if node["t"] in ("Link", "Image") else []
        return own + _links(node.get("c"))
    return []


# --- reading a note ------------------------------------------------------------------------

def test_a_note_becomes_a_labelled_footnote_where_it_was_written():
    [inl] = assemble.parse_translations([f"This is **it**.^[{NOTE}] And more."], "en")
    [note] = _notes(inl)
    assert inl.index(note) == 6 and _text(inl[7:]) == " And more."   # where the translator put it
    [para] = note["c"]
    label, _, *content = para["c"]
    assert label["c"][0][1] == ["translator-note"] and _text(label) == LABEL
    assert _text(content) == NOTE.replace("*", "").replace("[the glossary](https://example.com/g)", "the glossary")
    assert _links(content) == ["https://example.com/g"]
    # in Persian, a note says so in Persian
    [fa] = assemble.parse_translations(["این است.^[یادداشت]"], "fa")
    assert _text(_notes(fa)[0]).startswith("یادداشت مترجم:")


def test_what_is_not_a_note_stays_text():
    text = "Code `^[x]`, escaped \\^[y], unclosed ^[z"
    [inl] = assemble.parse_translations([text], "en")
    assert not _notes(inl)
    assert "^[x]" in _text(inl) and "^[y]" in _text(inl) and "^[z" in _text(inl)
    [empty] = assemble.parse_translations(["Nothing^[] here."], "en")
    assert not _notes(empty) and _text(empty) == "Nothing here."


HOSTILE = [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "[click](javascript:alert(3)) [data](data:text/html,<b>x</b>) ![p](https://evil.example/p.png)",
    "outer ^[inner ^[innermost]] and [^1] and \u202eevil\u202c",
    "*" * 70 + "deep" + "*" * 70,
]


def test_hostile_content_in_a_note_is_sanitised_like_any_translation():
    parsed = assemble.parse_translations([f"Text.^[{h}]" for h in HOSTILE[:3]], "en")
    for h, inl in zip(HOSTILE, parsed):
        [note] = _notes(inl)
        # no markup let in, no picture (it would be fetched), no note in the note
        assert not _kinds(note["c"]) & {"RawInline", "RawBlock", "Image", "Note"}, h
        assert all(u.startswith("https://") for u in _links(note)), h            # javascript: and data: dropped
    raw, links, nested = (_text(_notes(inl)[0]) for inl in parsed)
    assert "<script>alert(1)</script>" in raw                       # printed as the text it is
    assert "click" in links and "javascript" not in json.dumps(parsed[1]) and "evil" not in json.dumps(parsed[1])
    assert "^[innermost]" in nested and "[^1]" in nested and "\u202e" not in nested
    # a note in a link's words follows the link: links do not nest
    [inl] = assemble.parse_translations(["[the text^[a note]](https://example.com) end"], "en")
    assert [el["t"] for el in inl[:2]] == ["Link", "Note"] and "Note" not in _kinds(inl[0])
    # nesting past the limit is refused as in any translation, with the translation's index
    with pytest.raises(assemble.TranslationError) as err:
        assemble.parse_translations(["fine", "_a " * 40 + f"x^[{HOSTILE[3]}]" + " a_" * 40], "en")
    assert err.value.index == 1


# --- check ------------------------------------------------------------------------------

def test_check_accepts_a_note_and_says_what_is_wrong_with_one(tmp_path):
    po = catalog.read_text  # noqa: F841 - the catalog module reads what check reads
    import polib
    cat = polib.POFile()
    cat.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    source = "این جمله **مهم** است."
    good = polib.POEntry(msgid=source, msgstr=f"This sentence is **important**.^[{NOTE}]")
    cat.append(good)
    assert check.check_catalog(cat, "doc.po", "en", "fa", []) == []   # no numbers, markup, emphasis, length …
    for msgstr, says in [("This sentence is **important**.^[see", "never closed"),
                         ("This sentence is **important**.^[]", "empty"),
                         ("This sentence is **important**.^[a ^[b]]", "inside a translator's note"),
                         ("This sentence is **important**.^[see [^1]]", "footnote mark")]:
        good.msgstr = msgstr
        found = [f for f in check.check_catalog(cat, "doc.po", "en", "fa", []) if f.check == "note"]
        assert len(found) == 1 and says in found[0].message, (msgstr, found)
    # raw HTML in a note is reported as anywhere in a translation (it is printed as text)
    good.msgstr = "This sentence is **important**.^[<b>see</b>]"
    assert {f.check for f in check.check_catalog(cat, "doc.po", "en", "fa", [])} == {"html"}


# --- the editions -------------------------------------------------------------------------

@pytest.fixture
def project(make_project) -> Path:
    root = make_project(config=CONFIG, source=SOURCE)
    assert CliRunner().invoke(main, ["-C", str(root), "update"]).exit_code == 0
    path = root / "translations/en/doc.po"
    po = catalog.read(path)
    for e in po:
        if e.msgid in TRANSLATIONS:
            e.msgstr = TRANSLATIONS[e.msgid]
    path.write_text(catalog.render(po), encoding="utf-8")
    return root


def _footnotes(html: str) -> str:
    return html[html.index('<section id="footnotes"'):]


def test_the_editions_print_the_note_as_the_translators(project):
    result = CliRunner().invoke(main, ["-C", str(project), "check"])
    assert "[note]" not in result.output and "error" not in result.output, result.output
    result = CliRunner().invoke(main, ["-C", str(project), "build", "-e", "en", "-e", "fa-en",
                                       "-f", "html", "-f", "epub", "-j", "1"])
    assert result.exit_code == 0, result.output
    label = '<span class="translator-note"><em>Translator’s note:</em></span> The word is <em>mohem</em>'
    # the page: a footnote call after the sentence, the note labelled among the notes
    page = (project / "build/en/doc.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>important</strong>\.<a href=\"#fn1\" class=\"footnote-ref\"", page)
    assert label in _footnotes(page) and "^[" not in page
    # the parallel text: the note is the translation's, in its language
    parallel = (project / "build/fa-en/doc.html").read_text(encoding="utf-8")
    note = _footnotes(parallel)
    assert label in note
    assert re.search(r'<div class="note" lang="en" dir="ltr">\s*<p><span class="translator-note">', note)
    # the e-book: the note in the text, and valid
    with zipfile.ZipFile(project / "build/en/doc.epub") as z:
        xhtml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    assert "Translator’s note:" in xhtml and "^[" not in xhtml
    out = _epubcheck(project / "build/en/doc.epub")
    assert "0 fatals / 0 errors / 0 warnings / 0 infos" in out, out


def _epubcheck(path: Path) -> str:
    try:   # one Java VM for the session, where the suite has one (tests/epubcheck.py)
        import epubcheck
        proc = epubcheck.run(path)
    except ImportError:
        proc = subprocess.run(["java", "-jar", "/usr/share/java/epubcheck.jar", str(path)],
                              capture_output=True, text=True, timeout=300)
    return proc.stdout + proc.stderr

"""The shortcuts taken for speed give what the plain code gave.

Extraction at 100× the report was made faster by shortcuts (plain text
escaped a run at a time, footnotes looked for only where the msgid shows
one, URLs masked only where a URL can be, glossary patterns that start with
the term, normalisation rules run only on lines they can change).  Each case
here sits on the edge of one shortcut; the expected values are what the code
before the shortcuts gave.
"""
from __future__ import annotations

from publish import glossary, normalize, segment, units


def s(text):
    return {"t": "Str", "c": text}


SPACE = {"t": "Space"}


def para(*inlines):
    return {"t": "Para", "c": list(inlines)}


def note(*blocks):
    return {"t": "Note", "c": list(blocks)}


def test_plain_text_is_escaped_as_word_by_word():
    # "R&D" + "x;" are two Str: "&Dx;" is not an entity of either, so the & stays bare
    inlines = [s("a_b"), SPACE, s("&amp;"), SPACE, s("R&D"), s("x;"), SPACE, s("*[x]*"),
               {"t": "SoftBreak"}, s("<~^$`\\")]
    assert units.to_markdown(inlines) == "a\\_b \\&amp; R&Dx; \\*\\[x\\]\\* \\<\\~\\^\\$\\`\\\\"


def test_footnotes_are_found_in_emphasis_links_and_citations():
    tree = [para(s("یک"), {"t": "Emph", "c": [s("دو"), note(para(s("پانویس"), SPACE, s("اول."), SPACE, s("دوم.")))]},
                 s("."), SPACE,
                 {"t": "Link", "c": [["", [], []], [s("سه"), note(para(s("دومی.")))], ["https://x.org", ""]]},
                 s("."), SPACE,
                 {"t": "Cite", "c": [[], [s("چهار"), note(para(s("در"), SPACE, s("نقل.")))]]},
                 s("."), SPACE, s("پنج."))]
    found = [(u.msgid, u.kind, u.paragraph, u.index, u.count) for u in units.extract(tree)]
    assert found == [
        ("یک*دو[^1]*.", "paragraph", 1, 1, 3),
        ("پانویس اول.", "footnote 1", 2, 1, 2),
        ("دوم.", "footnote 1", 2, 2, 2),
        ("[سه[^2]](https://x.org).", "paragraph", 1, 2, 3),
        ("دومی.", "footnote 2", 3, 1, 1),
        # a note inside a citation is numbered in the msgid but not a unit of its own
        ("چهار[^3]. پنج.", "paragraph", 1, 3, 3),
    ]


def test_urls_in_any_case_are_masked():
    assert segment.mask_urls("see WWW.EXAMPLE.ORG. Then more.") == "see xxxxxxxxxxxxxxx. Then more."
    assert segment.mask_urls("write to MAILTO:A@B.CO. now") == "write to xxxxxxxxxxxxx. now"
    assert segment.mask_urls("a@b.co. ok") == "xxxxxx. ok"
    assert segment.mask_urls("http://x.y/z. next") == "xxxxxxxxxxxx. next"
    assert segment.boundaries("see WWW.EXAMPLE.ORG. Then more.") == [21]


def test_list_marks_and_embedded_quotes():
    assert segment.split("۱. مقدمه این است.") == ["۱. مقدمه این است."]
    assert segment.split("«۱. مقدمه» است. بعد") == ["«۱. مقدمه» است.", "بعد"]
    assert segment.split("سال ۱۳۹۹. بعد") == ["سال ۱۳۹۹.", "بعد"]
    assert segment.split("کتاب «چه باید کرد؟» نوشته لنین است. بعد") == ["کتاب «چه باید کرد؟» نوشته لنین است.", "بعد"]
    assert segment.split("او گفت: «چه باید کرد؟» بعد") == ["او گفت: «چه باید کرد؟»", "بعد"]


def test_has_words():
    words = {"x": False, "[^1]": False, "`code`": False, "https://x.org": False, "[متن](url)": True,
             "[](متن)": False, "ا": True, "x@y.org": False, "۱۲۳": False, "e": True}
    assert {m: units.has_words(m) for m in words} == words


def test_glossary_terms_stand_as_whole_words():
    terms = [glossary.Term(t, {"en": "E"}, pattern=glossary._term_pattern(t))
             for t in ["حزب کمونیست", "حزب", "e.g.", "کمونیست"]]
    cases = {
        "حزب کمونیست و حزب\u200cها و حزب.": ["حزب کمونیست", "حزب"],
        "حزب": ["حزب"],
        "حزبی": [],
        "«حزب»": ["حزب"],
        "e.g. x e.g.y": ["e.g."],
        "کمونیست حزب کمونیست": ["حزب کمونیست", "کمونیست"],
        "حزب\u200c": [],
    }
    assert {text: [t.term for t in glossary.terms_in(text, terms)] for text in cases} == cases


def test_report_runs_each_rule_on_the_line_as_the_rules_before_left_it():
    def report(text):
        return [(c.line, c.rule, c.count, c.before) for c in normalize.report(text, {})]
    # the presentation form becomes an Arabic kaf, which the next rule then changes
    assert report("ﻙتاب") == [(1, "presentation_forms", 1, "ﻙتاب"), (1, "arabic_letters", 1, "كتاب")]
    assert report("`كتاب` و كتاب") == [(1, "arabic_letters", 1, "xxxxxx و كتاب")]
    assert report("```\nكتاب\n```\nكتاب") == [(4, "arabic_letters", 1, "كتاب")]
    assert report("| a  | b |") == []
    assert report("1.  item  two") == [(1, "spaces", 1, "1. item  two")]

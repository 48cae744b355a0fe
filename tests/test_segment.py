"""Sentence segmentation: the splitter against the hand-checked gold set in
``tests/data/sentences.yml``, and the same rules seen through the document
tree (``units.extract``), where markup, footnotes and block structure come in.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from publish import segment, source, units

DATA = Path(__file__).parent / "data" / "sentences.yml"
REPORT = Path(__file__).parents[1] / "source" / "fa" / "report.md"
GOLD = yaml.safe_load(DATA.read_text(encoding="utf-8"))


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _param(case):
    marks = [pytest.mark.xfail(strict=True, reason=ws(case["limitation"]))] if case.get("limitation") else []
    return pytest.param(case, id=case["id"], marks=marks)


# --- the gold set itself ---------------------------------------------------------

def test_gold_set_is_well_formed():
    ids = [c["id"] for c in GOLD]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for case in GOLD:
        assert set(case) <= {"id", "text", "sentences", "note", "abbreviations", "limitation"}, case["id"]
        assert case["sentences"] and all(s == s.strip() and s for s in case["sentences"]), case["id"]
        assert ws(" ".join(case["sentences"])) == ws(case["text"]), case["id"]
    tricky = [c for c in GOLD if not c["id"].startswith("report-")]
    assert len(tricky) >= 40


def test_gold_set_covers_the_whole_report():
    paragraphs = [line.strip() for line in REPORT.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#") and line.strip() != "***"]
    report = [c for c in GOLD if c["id"].startswith("report-")]
    assert [c["text"] for c in report] == paragraphs


# --- the splitter on the gold set -------------------------------------------------

@pytest.mark.parametrize("case", [_param(c) for c in GOLD])
def test_split_matches_gold(case):
    assert segment.split(case["text"], case.get("abbreviations", ())) == case["sentences"]


@given(st.text(alphabet="اب ج.!؟?…»«()x1۲\n", max_size=60))
def test_boundaries_are_sane(text):
    cuts = segment.boundaries(text)
    assert cuts == sorted(set(cuts))
    assert all(0 < c < len(text) and text[c - 1].isspace() and not text[c].isspace() for c in cuts)
    assert ws(" ".join(segment.split(text))) == ws(text)


def test_abbreviations_are_per_call():
    text = "Prof. Ahmadi spoke. The hall was full."
    assert segment.split(text) == ["Prof.", "Ahmadi spoke.", "The hall was full."]
    assert segment.split(text, ["Prof."]) == ["Prof. Ahmadi spoke.", "The hall was full."]


# --- through the document tree -------------------------------------------------------

def extract(md: str, **kw) -> list[units.Unit]:
    blocks, _ = source.parse_markdown(md, "test.md")
    return units.extract(blocks, **kw)


def msgids(md: str, **kw) -> list[str]:
    return [u.msgid for u in extract(md, **kw)]


def test_report_through_the_tree_matches_gold():
    """The real report, parsed by pandoc, gives the gold sentences as units
    (pandoc collapses the source's one double space)."""
    got = [ws(u.msgid) for u in extract(REPORT.read_text(encoding="utf-8")) if u.kind == "paragraph"]
    want = [ws(s) for c in GOLD if c["id"].startswith("report-") for s in c["sentences"]]
    assert got == want


def test_list_items():
    got = extract("- کارگران اعتصاب کردند. دولت عقب نشست.\n- بدون نقطه\n")
    assert [(u.msgid, u.kind, u.index, u.count) for u in got] == [
        ("کارگران اعتصاب کردند.", "list item", 1, 2),
        ("دولت عقب نشست.", "list item", 2, 2),
        ("بدون نقطه", "list item", 1, 1),
    ]


def test_nested_lists():
    md = "1. بند یک. ادامه بند یک.\n    - زیر بند. دوم زیر بند.\n2. بند دو.\n"
    got = extract(md)
    assert [u.msgid for u in got] == ["بند یک.", "ادامه بند یک.", "زیر بند.", "دوم زیر بند.", "بند دو."]
    assert {u.kind for u in got} == {"list item"}
    assert [u.paragraph for u in got] == [1, 1, 2, 2, 3]


def test_table_cells():
    md = "| ستون | توضیح |\n|---|---|\n| ۱۲٫۵ | جمله یک. جمله دو. |\n"
    got = extract(md)
    assert [(u.msgid, u.kind) for u in got] == [
        ("ستون", "table cell"), ("توضیح", "table cell"), ("۱۲٫۵", "table cell"),
        ("جمله یک.", "table cell"), ("جمله دو.", "table cell"),
    ]
    assert not got[2].translatable  # a number has nothing to translate


def test_footnote_is_its_own_unit_after_the_calling_sentence():
    md = "این جمله پانوشت دارد.[^1] جمله بعدی.\n\n[^1]: متن پانوشت. جمله دوم پانوشت.\n"
    got = extract(md)
    assert [(u.msgid, u.kind) for u in got] == [
        ("این جمله پانوشت دارد.[^1]", "paragraph"),
        ("متن پانوشت.", "footnote 1"),
        ("جمله دوم پانوشت.", "footnote 1"),
        ("جمله بعدی.", "paragraph"),
    ]


def test_footnote_call_mid_sentence_stays_in_its_sentence():
    md = "حزب[^1] فعال است. پایان.\n\n[^1]: حزب کمونیست کارگری.\n"
    assert msgids(md) == ["حزب[^1] فعال است.", "حزب کمونیست کارگری.", "پایان."]


def test_block_quote():
    got = extract("> او گفت: «ما پیروز میشویم.» سپس رفت.\n\nپاراگراف بعد.\n")
    assert [(u.msgid, u.kind) for u in got] == [
        ("او گفت: «ما پیروز میشویم.»", "quotation"),
        ("سپس رفت.", "quotation"),
        ("پاراگراف بعد.", "paragraph"),
    ]


def test_definition_list():
    got = extract("اعتصاب. عمومی\n:   دست کشیدن از کار. با هم.\n")
    assert [(u.msgid, u.kind) for u in got] == [
        ("اعتصاب. عمومی", "term"),        # a term is never split
        ("دست کشیدن از کار.", "definition"),
        ("با هم.", "definition"),
    ]


def test_emphasis_and_links_travel_as_markdown():
    md = "این **همه** کارگران است. [متن کامل](https://x.org/a.b) را ببینید. *پایان* کار.\n"
    assert msgids(md) == [
        "این **همه** کارگران است.",
        "[متن کامل](https://x.org/a.b) را ببینید.",
        "*پایان* کار.",
    ]


def test_terminal_inside_emphasis_still_ends_the_sentence():
    # the full stop is inside the markup but the space after it is not
    assert msgids("**جمله اول.** جمله دوم.\n") == ["**جمله اول.**", "جمله دوم."]


def test_emphasis_over_sentence_ends_is_split_with_its_markup_in_each_unit():
    """Issue 16: a three-sentence bold passage was one 70-word unit."""
    assert msgids("*جمله اول. جمله دوم.* جمله سوم.\n") == ["*جمله اول.*", "*جمله دوم.*", "جمله سوم."]
    assert msgids("این **یک است. دو است. سه** و چهار. پنج.\n") == [
        "این **یک است.**", "**دو است.**", "**سه** و چهار.", "پنج."]
    # nested: the bold run is split, the italics inside it go with their sentence
    assert msgids("**یک *دو.* سه. چهار.**\n") == ["**یک *دو.***", "**سه.**", "**چهار.**"]
    # a link is not split: its target cannot be carried into two units
    assert msgids("[یک. دو.](https://x.org) سه.\n") == ["[یک. دو.](https://x.org)", "سه."]
    # a boundary the whole paragraph would not cut is not cut inside emphasis either
    assert msgids("**ع. محمدی آمد.** بعد.\n") == ["**ع. محمدی آمد.**", "بعد."]


@pytest.mark.parametrize("translations, expected", [
    # both halves keep the bold: one bold run again, as in the source
    (["**One.**", "**Two.**"], [{"t": "Strong", "c": ["One.", " ", "Two."]}]),
    # the translator dropped the bold of the second: left as written
    (["**One.**", "Two."], [{"t": "Strong", "c": ["One."]}, " ", "Two."]),
])
def test_split_emphasis_is_joined_again_in_the_edition(translations, expected):
    from publish import assemble, source, units
    from publish.tree import clean
    src = source.parse("**یک. دو.**\n", {}, "d.md")
    parsed = dict(zip(["**یک.**", "**دو.**"], assemble.parse_translations(translations)))
    blocks = units.rebuild(src.blocks, lambda unit, piece, notes: parsed[unit.msgid], True, ())

    def simple(inl):
        return [x["c"] if x["t"] == "Str" else " " if x["t"] == "Space"
                else {"t": x["t"], "c": simple(x["c"])} for x in inl]
    assert simple(clean(blocks)[0]["c"]) == expected


def test_code_blocks_are_not_extracted():
    md = "متن.\n\n```\ncode. More code.\n```\n\n    indented. Code.\n\nپایان.\n"
    got = extract(md)
    assert [u.msgid for u in got] == ["متن.", "پایان."]
    assert not any("code" in u.msgid.lower() for u in got)


def test_inline_code_and_urls_end_nothing():
    md = "دستور `publish build. --all` را اجرا کنید. نشانی https://x.org/a.b?c=d. را ببینید.\n"
    assert msgids(md) == [
        "دستور `publish build. --all` را اجرا کنید.",
        "نشانی https://x.org/a.b?c=d. را ببینید.",  # را never opens a sentence
    ]


def test_abbreviations_reach_the_splitter():
    md = "Dr. Ahmadi spoke. The hall was full.\n"
    assert msgids(md) == ["Dr.", "Ahmadi spoke.", "The hall was full."]
    assert msgids(md, abbreviations=["Dr"]) == ["Dr. Ahmadi spoke.", "The hall was full."]


def test_paragraph_segmentation_keeps_paragraphs_whole():
    assert msgids("یک. دو. سه.\n\nچهار.\n", by_sentence=False) == ["یک. دو. سه.", "چهار."]


def test_headings_are_not_split():
    got = extract("# عنوان. دو\n\nمتن. دیگر.\n")
    assert [(u.msgid, u.kind) for u in got] == [("عنوان. دو", "heading"), ("متن.", "paragraph"), ("دیگر.", "paragraph")]
    assert got[1].section == ("عنوان. دو",)

"""Persian normalisation: each rule, each switch, and nothing else changed."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from publish import normalize as norm
from publish import source

ALL = {rule: True for rule in norm.RULES}
ZWNJ = "\u200c"
NBSP = "\u00a0"


def only(rule: str) -> dict[str, bool]:
    return {r: r == rule for r in norm.RULES}


def without(rule: str) -> dict[str, bool]:
    return {r: r != rule for r in norm.RULES}


# --- each rule --------------------------------------------------------------------

@pytest.mark.parametrize("before, after", [
    ("علي", "علی"),                 # Arabic yeh U+064A
    ("كتاب", "کتاب"),               # Arabic kaf U+0643
    ("موسى", "موسی"),               # alef maksura U+0649
    ("تشكيلات خارج كشور", "تشکیلات خارج کشور"),
])
def test_arabic_letters(before, after):
    assert norm.normalize(before, ALL) == after
    assert norm.normalize(before, only("arabic_letters")) == after
    assert norm.normalize(before, without("arabic_letters")) == before


@pytest.mark.parametrize("before, after", [
    ("\ufed9", "ک"),                 # ARABIC LETTER KAF ISOLATED FORM → ك → ک
    ("\ufbfd", "ی"),                 # ARABIC LETTER FARSI YEH FINAL FORM
    ("\ufefb", "لا"),                # LAM WITH ALEF ligature
    ("\ufe8d\ufee1", "ام"),          # ALEF ISOLATED, MEEM ISOLATED
    ("\ufef1", "ی"),                 # ARABIC LETTER YEH ISOLATED → ي → ی
])
def test_presentation_forms(before, after):
    assert norm.normalize(before, ALL) == after
    assert norm.normalize(before, without("presentation_forms")) == before


def test_presentation_forms_run_before_arabic_letters():
    # Decomposed forms are Arabic letters that only the letter rule makes Persian.
    assert norm.normalize("\ufed9", only("presentation_forms")) == "\u0643"
    assert norm.normalize("\ufed9", ALL) == "\u06a9"


def test_presentation_forms_leave_other_text_alone():
    text = "متن فارسی با ﷼ و ۱۲٫۵"
    assert norm.normalize(text, only("presentation_forms")) == text.replace("\ufdfc", "ریال")


def test_presentation_forms_never_insert_a_space():
    word = "کتابا\ufe70"
    out = norm.normalize(word, ALL)
    assert " " not in out
    assert out == "کتابا\u064b"


@pytest.mark.parametrize("before, after", [
    ("کـــار", "کار"),
    ("بـه", "به"),
    # after anything but a letter a tatweel stands for a dash, and stays
    ("ـ", "ـ"),
    ("(1572 ـ 1528)", "(1572 ـ 1528)"),
    ("ـ سلام، گفت.", "ـ سلام، گفت."),
    ("۱۳۵۷ـ۱۳۶۰", "۱۳۵۷ـ۱۳۶۰"),
])
def test_tatweel(before, after):
    assert norm.normalize(before, ALL) == after
    assert norm.normalize(before, without("tatweel")) == before


@pytest.mark.parametrize("before, after", [
    (f"می{ZWNJ} شود", "می شود"),              # before a space
    (f"می {ZWNJ}شود", "می شود"),              # after a space
    (f"{ZWNJ}میشود", "میشود"),                # at the start
    (f"میشود{ZWNJ}", "میشود"),                # at the end
    (f"می{ZWNJ}{ZWNJ}شود", f"می{ZWNJ}شود"),   # doubled
    (f"می{ZWNJ * 4}شود", f"می{ZWNJ}شود"),
    (f"است{ZWNJ}.", "است."),                  # before punctuation
    (f"«{ZWNJ}می", "«می"),                     # after punctuation
    (f"۲۰{ZWNJ}ام", f"۲۰{ZWNJ}ام"),             # after a digit: an ordinal, kept
    (f"کتاب{ZWNJ}ها", f"کتاب{ZWNJ}ها"),        # meaningful: kept
])
def test_zwnj(before, after):
    assert norm.normalize(before, ALL) == after
    assert norm.normalize(before, without("zwnj")) == before


def test_zwnj_beside_a_no_break_space():
    assert norm.normalize(f"می{ZWNJ}{NBSP}شود", only("zwnj")) == f"می{NBSP}شود"
    assert norm.normalize(f"می{ZWNJ}{NBSP}شود", ALL) == "می شود"


@pytest.mark.parametrize("before, after", [
    ("یک  دو", "یک دو"),
    ("یک     دو", "یک دو"),
    ("یک\t\tدو", "یک دو"),
    (f"یک {NBSP} دو", "یک دو"),
    ("یک\u2003\u2003دو", "یک دو"),
    ("یک دو", "یک دو"),
    (f"یک{NBSP}دو", "یک دو"),                  # no-break and typographic spaces made plain
    ("یک\u2009دو\u202fسه", "یک دو سه"),
])
def test_spaces(before, after):
    assert norm.normalize(before, ALL) == after
    assert norm.normalize(before, without("spaces")) == before


def test_all_off_is_identity():
    text = f"كتاب  \ufed9 کـــار می{ZWNJ} شود"
    assert norm.normalize(text, {r: False for r in norm.RULES}) == text


def test_missing_rule_key_means_on():
    assert norm.normalize("كتاب", {}) == "کتاب"


def test_spelling_is_never_changed():
    # No ZWNJ is inserted and no spelling is "corrected".
    for word in ("میشود", "کتابها", "بیحقوقی", "انسانگرا", "ال جی بی تی"):
        assert norm.normalize(word, ALL) == word


# --- properties ----------------------------------------------------------------------

_SPACES = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_AFFECTED = set("\u064a\u0643\u0649\u0640" + ZWNJ + _SPACES[2:])
_PERSIAN = [chr(c) for c in range(0x0621, 0x0656) if chr(c) not in _AFFECTED]
_PERSIAN += list("پچژکگیۀ۰۱۲۳۴۵۶۷۸۹٫٬،؛؟«»\u200d") + list("abcXYZ019.,!?()-:\"'")
_WORD = st.text(alphabet=st.sampled_from(_PERSIAN), min_size=1, max_size=8)
_SEP = st.sampled_from([" ", "\t", "\n", ""])


@st.composite
def clean_text(draw):
    """Text with none of the characters a rule touches and no run of spaces."""
    words = draw(st.lists(_WORD, max_size=12))
    out = ""
    for w in words:
        out += w + draw(_SEP)
    return out


@settings(max_examples=300, deadline=None)
@given(clean_text())
def test_identity_without_affected_characters(text):
    assert not any(ch in _AFFECTED for ch in text)
    assert not re.search(f"[{re.escape(_SPACES)}]{{2}}", text)
    assert norm.normalize(text, ALL) == text


_FORMS = "\ufed9\ufefb\ufbfd\ufe8d"   # presentation forms of ک (via ك), لا, ی, ا
_DIRTY = st.text(alphabet=st.sampled_from(_PERSIAN + list(_FORMS) + ["\u064a", "\u0643", "\u0649", "\u0640",
                                                                      ZWNJ, ZWNJ, " ", " ", "\u00a0", "\t"]),
                 max_size=40)


def _canon(text: str) -> str:
    """What must survive normalisation, a Persian word's letters: letters
    unified, tatweel and ZWNJ dropped, every space one space."""
    text = "".join(unicodedata.normalize("NFKC", ch) if ch in _FORMS else ch for ch in text)
    text = text.translate({0x064A: "ی", 0x0643: "ک", 0x0649: "ی", 0x0640: None, 0x200C: None})
    return re.sub(f"[{re.escape(_SPACES)}]+", " ", text)


@settings(max_examples=300, deadline=None)
@given(_DIRTY)
def test_only_the_rules_change_text(text):
    out = norm.normalize(text, ALL)
    assert _canon(out) == _canon(text)
    assert norm.normalize(out, ALL) == out  # idempotent
    assert not any(ch in out for ch in "\u064a\u0643\u0649" + _FORMS + _SPACES[2:])
    assert not re.search("(?<=[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff])\u0640", out)
    assert ZWNJ * 2 not in out and not out.startswith(ZWNJ) and not out.endswith(ZWNJ)
    assert not re.search(rf"{ZWNJ}[^\w\u064b-\u065f\u0670]|[^\w\u064b-\u065f\u0670]{ZWNJ}", out)


@settings(max_examples=200, deadline=None)
@given(_DIRTY, st.sampled_from(list(norm.RULES)))
def test_switched_off_rule_leaves_its_characters(text, rule):
    out = norm.normalize(text, without(rule))
    if rule == "arabic_letters":
        expanded = "".join(unicodedata.normalize("NFKC", ch) if ch in _FORMS else ch for ch in text)
        arabic = "\u064a\u0643\u0649"
        assert [ch for ch in out if ch in arabic] == [ch for ch in expanded if ch in arabic]
    elif rule == "tatweel":
        assert out.count("\u0640") == text.count("\u0640")
    elif rule == "zwnj":
        assert out.count(ZWNJ) == text.count(ZWNJ)
    elif rule == "presentation_forms":
        assert [ch for ch in out if ch in _FORMS] == [ch for ch in text if ch in _FORMS]
    elif rule == "spaces":
        assert sum(ch in _SPACES for ch in out) == sum(ch in _SPACES for ch in text)


# --- report --------------------------------------------------------------------------

REPORT_TEXT = "\n".join([
    "# سلام",                      # 1: nothing
    "كتاب و علي",                   # 2: arabic letters ×2
    "کـــار",                       # 3: tatweel ×3
    "  - یک  دو",                   # 4: spaces ×1 (the indentation does not count)
    "پایان خط  ",                   # 5: trailing hard-break spaces do not count
    f"می{ZWNJ} شود",                # 6: zwnj
    "\ufed9",                        # 7: presentation form (then an Arabic kaf)
]) + "\n"


def test_report_gives_lines_and_rules():
    changes = norm.report(REPORT_TEXT, ALL)
    got = {(c.line, c.rule) for c in changes}
    assert got == {(2, "arabic_letters"), (3, "tatweel"), (4, "spaces"), (6, "zwnj"),
                   (7, "presentation_forms"), (7, "arabic_letters")}
    by = {(c.line, c.rule): c for c in changes}
    assert by[2, "arabic_letters"].count == 2
    assert by[3, "tatweel"].count == 3
    assert by[4, "spaces"].count == 1
    assert "كتاب" in by[2, "arabic_letters"].before


def test_report_respects_switches():
    changes = norm.report(REPORT_TEXT, without("arabic_letters") | {"tatweel": False})
    rules = {c.rule for c in changes}
    assert "arabic_letters" not in rules and "tatweel" not in rules
    assert norm.report(REPORT_TEXT, {r: False for r in norm.RULES}) == []


def test_report_on_clean_text_is_empty():
    assert norm.report("سلام دنیا.\n\n- یک\n    - دو\n", ALL) == []


def test_report_ignores_markdown_layout_spaces():
    """pandoc pads table cells and list numbers when it writes Markdown
    (publish import); that is layout, and the tree never sees it."""
    layout = "| الف | ب   |\n|-----|-----|\n| یک  | دو  |\n\n1.  مورد اول\n10. مورد دهم\n"
    assert norm.report(layout, ALL) == []
    assert [c.line for c in norm.report("| یک  | دو\u00a0\u00a0سه |\n", ALL)] == [1]


def test_report_on_real_report(project_dir):
    text = (project_dir / "source/fa/report.md").read_text(encoding="utf-8")
    changes = norm.report(text, ALL)
    assert (35, "arabic_letters") in {(c.line, c.rule) for c in changes}
    assert (5, "spaces") in {(c.line, c.rule) for c in changes}
    lines = text.splitlines()
    for c in changes:  # every reported line really changes
        assert norm.normalize(lines[c.line - 1].strip(), {r: r == c.rule for r in norm.RULES}) != lines[c.line - 1].strip()


# --- in the document tree ----------------------------------------------------------------

def _strs(node) -> list[str]:
    out = []
    if isinstance(node, list):
        for x in node:
            out += _strs(x)
    elif isinstance(node, dict):
        if node.get("t") == "Str":
            out.append(node["c"])
        for k, v in node.items():
            if k == "c" and node.get("t") != "Str":
                out += _strs(v)
    return out


def test_tree_normalisation_keeps_zwnj_next_to_markup_and_code():
    text = f"**می**{ZWNJ}شود و كتاب{ZWNJ} `كد` تمام.\n\n```\nكد\n```\n"
    blocks, _ = source.parse_markdown(text, "t.md")
    source.normalize_tree(blocks, ALL)
    strs = _strs(blocks)
    assert f"{ZWNJ}شود" in strs             # next to markup: meaningful, kept
    assert "کتاب" in strs                    # at a space: removed, letter unified
    code = [b for b in blocks if b["t"] == "CodeBlock"][0]
    assert code["c"][1] == "كد"              # code is never normalised
    inline_code = [el for el in blocks[0]["c"] if el["t"] == "Code"][0]
    assert inline_code["c"][1] == "كد"


def _msgids(text: str) -> list[str]:
    from publish import units
    src = source.parse(text, ALL, "t.md")
    return [u.msgid for u in units.extract(src.blocks, True, [])]


def test_units_keep_no_space_left_by_removed_characters():
    """Stray ZWNJs between spaces, and no-break spaces, are separate words in
    pandoc's tree: removing them must not leave two spaces in a unit, nor
    one at its start."""
    assert _msgids(f"جملهٔ اول است. {ZWNJ} {ZWNJ}{ZWNJ} {ZWNJ} جملهٔ دوم است{ZWNJ}.\n") == \
        ["جملهٔ اول است.", "جملهٔ دوم است."]
    assert _msgids(f"{NBSP}متن با{NBSP}{NBSP}فاصله\u2009ها.\n") == ["متن با فاصله ها."]
    assert _msgids("سال‌های (1572 ـ 1528) و کـــار.\n") == ["سال‌های (1572 ـ 1528) و کار."]

"""Lists numbered in Persian digits are lists (issue 16, point 3)."""
from __future__ import annotations

from hypothesis import given, strategies as st

from publish import normalize, numbered, source, units

ALL = {r: True for r in normalize.RULES}


def _units(text: str) -> list[tuple[str, str]]:
    src = source.parse(text, ALL, "t.md")
    return [(u.kind, u.msgid) for u in units.extract(src.blocks, True, [])]


def test_persian_and_arabic_indic_numbers_with_each_delimiter_make_a_list():
    for one, two, delim in (("۱", "۲", "."), ("۱", "۲", "-"), ("۱", "۲", ")"), ("١", "٢", "."), ("۱", "۲", "٫")):
        text = f"پیش از فهرست:\n{one}{delim} بند نخست است.\n{two}{delim} بند دوم است.\n"
        assert _units(text) == [("paragraph", "پیش از فهرست:"), ("list item", "بند نخست است."),
                                ("list item", "بند دوم است.")], delim


def test_a_paragraph_that_starts_with_a_year_is_not_a_list():
    text = "۱۳۵۷. سال انقلاب بود.\n\nبند دیگری.\n"
    assert numbered.ascii_markers(text) == text


def test_numbers_out_of_order_or_in_code_are_left_alone():
    assert numbered.ascii_markers("۱. یک\n۳. سه\n") == "۱. یک\n۳. سه\n"
    fenced = "```\n۱. یک\n۲. دو\n```\n"
    assert numbered.ascii_markers(fenced) == fenced


def test_lines_and_columns_stay_where_they_were():
    text = "سر\n\n  ۹. نه\n  ۱۰. ده\n"
    out = numbered.ascii_markers(text)
    assert out == "سر\n\n  9. نه\n  10. ده\n"
    assert [len(line) for line in out.split("\n")] == [len(line) for line in text.split("\n")]


@given(st.text(alphabet="۱۲۳۴٠١٢.-)٫ \nاب", max_size=60))
def test_the_rewrite_never_moves_a_line_or_a_column(text):
    out = numbered.ascii_markers(text)
    assert [len(line) for line in out.split("\n")] == [len(line) for line in text.split("\n")]

"""Assembly: translations go back into the tree, safely and losslessly."""
from __future__ import annotations

import pytest

from publish import assemble, units
from publish.source import parse_markdown
from publish.tree import clean

RICH = """\
# سرفصل **مهم**

پاراگراف اول با *تاکید* و [پیوند](https://example.org) است. جمله دوم[^1] اینجاست!

- مورد یک. مورد دو.
  - مورد تو در تو
- مورد `کد` سه

> نقل قول اول. نقل قول دوم.

| ستون | ستون دو |
|------|---------|
| خانه یک. | خانه دو |

واژه
:   تعریف واژه.

```
code block. not translated.
```

***

متن با ~~خط~~ و ^بالا^ و ۱۲٫۵ درصد.

[^1]: یادداشت پایانی. با دو جمله.
"""


def _units(md: str):
    blocks, _ = parse_markdown(md, "test.md")
    return blocks, units.extract(blocks)


def test_identity_translation_rebuilds_the_source_tree():
    blocks, found = _units(RICH)
    msgids = [u.msgid for u in found]
    parsed = dict(zip(msgids, assemble.parse_translations(msgids)))

    def same(unit, piece, notes):
        placed: set[int] = set()
        out = assemble._place(parsed[unit.msgid], notes, assemble._images(piece), placed)
        return out + [notes[n] for n in sorted(notes) if n not in placed]

    rebuilt = units.rebuild(blocks, same)
    assert clean(rebuilt) == clean(blocks)


def test_every_block_kind_gives_units():
    _, found = _units(RICH)
    kinds = {u.kind for u in found}
    assert {"heading", "paragraph", "list item", "quotation", "table cell", "term", "definition"} <= kinds
    assert any(k.startswith("footnote") for k in kinds)
    assert not any("code block" in u.msgid for u in found)
    assert "سرفصل **مهم**" in [u.msgid for u in found]
    assert any("[پیوند](https://example.org)" in u.msgid for u in found)
    assert any(u.msgid.startswith("جمله دوم[^1]") for u in found)


@pytest.mark.parametrize("hostile, forbidden", [
    ("<script>alert(1)</script> text", "Script"),
    ('<img src=x onerror="alert(1)">', "RawInline"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("![x](file:///etc/passwd)", "Image"),
    ("![x](http://canary.invalid/x.png)", "Image"),
    ("&lt;script&gt;", "RawInline"),
])
def test_hostile_translations_lose_their_teeth(hostile, forbidden):
    [inl] = assemble.parse_translations([hostile])
    out = assemble._place(inl, {}, set(), set())
    flat = repr(out)
    assert "RawInline" not in flat
    if forbidden in ("javascript:", "data:"):
        assert forbidden not in flat
    if forbidden == "Image":
        assert "'Image'" not in flat


def test_bidi_overrides_are_removed_and_block_syntax_stays_text():
    parsed = assemble.parse_translations(["a\u202eb\u2066c", "# not a heading", "- not a list", "1. not a list",
                                          "> not a quote", "[x]: http://e.org"])
    from publish.tree import stringify
    texts = [stringify(p) for p in parsed]
    assert texts[0] == "abc"
    assert texts[1:] == ["# not a heading", "- not a list", "1. not a list", "> not a quote", "[x]: http://e.org"]


def test_translation_places_footnotes_and_never_drops_one():
    note = {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "n"}]}]}
    [moved, dropped] = assemble.parse_translations(["Before[^1] after.", "No reference here."])
    placed: set[int] = set()
    out = assemble._place(moved, {1: note}, set(), placed)
    assert out[1] is note and placed == {1}
    placed = set()
    out = assemble._place(dropped, {1: note}, set(), placed)
    assert placed == set()  # the assembler appends unplaced notes itself


def test_direction_comes_from_babel():
    assert assemble.direction("fa") == "rtl"
    assert assemble.direction("ar") == "rtl"
    assert assemble.direction("en") == "ltr"
    assert assemble.direction("de") == "ltr"


def test_english_edition_localises_digits_of_untranslatable_units():
    out = assemble.localise_digits([{"t": "Str", "c": "۱۲٫۵ و ۳۰۰٬۰۰۰"}], "en")
    assert out[0]["c"] == "12.5 و 300,000"
    assert assemble.localise_digits([{"t": "Str", "c": "۱۲"}], "fa")[0]["c"] == "۱۲"


def test_translations_read_in_batches_read_as_in_one(monkeypatch):
    texts = ["یک *دو*", "", "[پیوند](https://example.org)", "سه[^1]", "**چهار**", "پنج `کد`", "شش"]
    asm = assemble
    whole = asm.parse_translations(texts)
    monkeypatch.setattr(asm, "BATCH", 2)
    assert asm.parse_translations(texts) == whole
    deep = "[" * 70 + "x" + "]{.smallcaps}" * 70
    with pytest.raises(asm.TranslationError) as caught:
        asm.parse_translations(texts[:5] + [deep] + texts[5:])
    assert caught.value.index == 5   # the unit's own place, not its place in its batch

"""A source parsed in pieces (see publish.chunks) gives the tree one pandoc
run over the whole text gives, lines and heading identifiers included; kept
pieces are parsed again only when their text, or a definition they use,
changed."""
from __future__ import annotations

from pathlib import Path

import pytest

from publish import chunks, source
from publish.config import NORMALIZE_RULES
from publish.tree import to_json

RULES = {r: True for r in NORMALIZE_RULES}
REPORT = Path(__file__).resolve().parents[1] / "source/fa/report.md"

RICH = """---
title: آزمون
---

# عنوان یک {#one .cls}

متن *تأکید* و **قوي** با [پیوند](https://example.org "عنوان") و `کد`.[^a] جمله دوم!
خط دوم پاراگراف با $x^2$ و <span>خام</span>.

## عنوان یک

- مورد یک
- مورد دو با [^b]

- مورد سه، فهرست شل

1. اول
2. دوم

   ادامه مورد دوم

> نقل قول
> ادامه

> نقل دوم

| الف | ب |
|---|---|
| ۱ | ۲ |

::: {.note}
درون div

پاراگراف دوم div
:::

```python
print("x")

print("y")
```

<!-- comment

still comment -->

پاراگراف با [ارجاع][ref] و [Ref].

[ref]: https://example.com/ref

# عنوان یک

متن

    indented code

***

ترم^بالا^ و ~پایین~ و ~~خط~~.

[^a]: یادداشت الف با *تأکید*.

    ادامه یادداشت.

[^b]: یادداشت ب با [^c].

[^c]: یادداشتی در یادداشت.

<div>

html block

</div>

## عنوان یک

ID
"""

# pandoc counts identifiers: "a", "a-1" (twice: "a 1" and the second "a"), explicit ones count too
HEADINGS = ("# a\n\n# a 1\n\n# a\n\n# a {#x}\n\n# x\n\n# b {#a-2}\n\n# a\n\n# !!!\n\n# !!!\n\n"
            "# کِتاب_x-y  z\n\n# *Emph* `code` [link](u) A.B\n\n# Ünï ½ ² ⅷ\n\n> # a\n\n- # a\n")
REPEATED = "# سر\n\nحزب.[^1]\n\nحزب.[^1]\n\n# سر\n\n# سر\n\n[^1]: یادداشت.\n"


def whole(text: str):
    blocks, meta = source.parse_markdown(text, "t.md")
    source.normalize_tree(blocks, RULES)
    return blocks, meta


@pytest.mark.parametrize("text", [RICH, HEADINGS, REPEATED, REPORT.read_text(encoding="utf-8")],
                         ids=["rich", "headings", "repeated", "report"])
def test_pieces_parse_as_the_whole(text):
    pieces = chunks.split(text)
    assert pieces is not None and len(pieces) > 3
    got = source.parse(text, RULES, "t.md")
    assert (got.blocks, got.meta) == whole(text)
    assert got.blocks_json == [to_json(b) for b in got.blocks]   # renamed headings written again


def test_many_batches_in_two_processes_parse_as_the_whole(monkeypatch):
    text = "\n\n".join(RICH.split("\n\n")[1:]) * 3   # no front matter: it may only open a text
    split_small = chunks.batches
    monkeypatch.setattr(chunks, "batches", lambda pieces, sep: split_small(pieces, sep, size=200))
    assert len(chunks.batches(chunks.split(text), "x")) > 5
    assert source.parse(text, RULES, "t.md").blocks == whole(text)[0]


@pytest.mark.parametrize("text", [
    "اصطلاح\n\n: تعریف\n\nدیگری\n\n: تعریف دوم\n",        # a definition list joins blocks across blank lines
    "# مقدمه\n\nنگاه کنید به [مقدمه].\n",                     # a heading referred to by its text
    "متن\n\n```\nکد بی‌پایان\n\nادامه\n",                     # a fence never closed swallows the rest
    "<!-- باز\n\nمتن\n",
])
def test_texts_pieces_would_misread_are_parsed_whole(text):
    assert chunks.split(text) is None
    assert source.parse(text, RULES, "t.md").blocks == whole(text)[0]


def test_a_list_with_blank_lines_stays_one_piece():
    pieces = chunks.split("- یک\n\n- دو\n\n  ادامه\n\n1. سه\n\nپاراگراف\n")
    assert [c.start for c in pieces] == [1, 9]


class Counting:
    def __init__(self, monkeypatch):
        self.parsed: list[str] = []
        real = source._parse_pieces

        def counting(pieces, rules, display):
            self.parsed.extend(c.text for c in pieces)
            return real(pieces, rules, display)
        monkeypatch.setattr(source, "_parse_pieces", counting)


def test_only_changed_pieces_are_parsed_again_and_lines_follow(tmp_path, monkeypatch):
    src, kept = tmp_path / "doc.md", tmp_path / "trees"
    src.write_text(RICH, encoding="utf-8")
    count = Counting(monkeypatch)
    source.load(src, RULES, "doc.md", kept)
    assert len(count.parsed) == len(chunks.split(RICH))

    count.parsed.clear()
    assert source.load(src, RULES, "doc.md", kept).blocks == whole(RICH)[0]
    assert count.parsed == []                                   # nothing changed: nothing parsed

    # a word changed in one paragraph, and a paragraph added above everything
    edited = RICH.replace("ترم^بالا^", "ترمِ تازه^بالا^").replace("# عنوان یک {#one", "پاراگراف نو.\n\n# عنوان یک {#one")
    src.write_text(edited, encoding="utf-8")
    got = source.load(src, RULES, "doc.md", kept)
    assert sorted(count.parsed) == sorted(["پاراگراف نو.", "ترمِ تازه^بالا^ و ~پایین~ و ~~خط~~."])
    assert got.blocks == whole(edited)[0]                       # every kept piece's lines moved by two
    assert got.blocks_json == [to_json(b) for b in got.blocks]


def test_a_changed_note_parses_again_the_paragraphs_that_call_it(tmp_path, monkeypatch):
    src, kept = tmp_path / "doc.md", tmp_path / "trees"
    src.write_text(RICH, encoding="utf-8")
    source.load(src, RULES, "doc.md", kept)
    count = Counting(monkeypatch)
    edited = RICH.replace("یادداشتی در یادداشت", "یادداشتی دیگر")
    src.write_text(edited, encoding="utf-8")
    assert source.load(src, RULES, "doc.md", kept).blocks == whole(edited)[0]
    # note c's own piece, note b (which calls c) and the list calling b
    assert [t.split("\n")[0] for t in count.parsed] == ["## عنوان یک", "[^b]: یادداشت ب با [^c].",
                                                       "[^c]: یادداشتی دیگر."]

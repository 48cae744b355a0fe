"""Hypothesis strategies for Persian-like Markdown documents, shared by the
property tests (tests/test_properties.py) and the fuzzer (fuzz/).

A document is built from words, inline markup (emphasis, strong, links,
code, footnote references), sentences ending in Persian or Latin
punctuation, and blocks: headings, paragraphs, bullet and ordered lists
(nested once), quotations, pipe tables and footnotes.
"""
from __future__ import annotations

from hypothesis import strategies as st

WORDS = ["حزب", "کارگر", "آزادی", "ایران", "زنان", "کنگره", "گزارش", "می‌شود", "۱۳", "۲۴", "۳۰۰",
         "سال", "فعالیت", "جمهوری", "اسلامی", "کمپین", "تلویزیون", "کانال", "NATO", "2026", "تشکیلات",
         "خارج", "کشور", "پاشیدن", "۹۹٫۵", "و", "در", "با", "از", "به"]
ENDS = [".", "!", "؟", ".", "."]

word = st.sampled_from(WORDS)


def _words(n_min=1, n_max=5):
    return st.lists(word, min_size=n_min, max_size=n_max).map(" ".join)


@st.composite
def inline_piece(draw, notes: list[int] | None) -> str:
    """``notes`` collects the footnotes called; None where none may be (in a
    footnote: one calling itself hangs pandoc, which publish refuses)."""
    kinds = ["plain", "plain", "plain", "emph", "strong", "link", "code"] + (["note"] if notes is not None else [])
    kind = draw(st.sampled_from(kinds))
    text = draw(_words(1, 3))
    if kind == "emph":
        return f"*{text}*"
    if kind == "strong":
        return f"**{text}**"
    if kind == "link":
        path = draw(st.sampled_from(["a", "b/c", "x.html#y", ""]))
        return f"[{text}](https://example.org/{path})"
    if kind == "code":
        return f"`{draw(st.sampled_from(['x = 1', 'a.b', 'publish']))}`"
    if kind == "note":
        n = len(notes) + 1
        notes.append(n)
        return f"{text}[^{n}]"
    return text


@st.composite
def sentence(draw, notes: list[int]) -> str:
    pieces = draw(st.lists(inline_piece(notes), min_size=1, max_size=4))
    return " ".join(pieces) + draw(st.sampled_from(ENDS))


@st.composite
def paragraph(draw, notes: list[int]) -> str:
    return " ".join(draw(st.lists(sentence(notes), min_size=1, max_size=3)))


@st.composite
def block(draw, notes: list[int]) -> str:
    kind = draw(st.sampled_from(["para", "para", "heading", "bullets", "ordered", "quote", "table"]))
    if kind == "heading":
        return "#" * draw(st.integers(1, 3)) + " " + draw(_words(1, 4))
    if kind in ("bullets", "ordered"):
        items = draw(st.lists(sentence(notes), min_size=1, max_size=3))
        lines = []
        for i, item in enumerate(items, 1):
            lines.append(("- " if kind == "bullets" else f"{i}. ") + item)
            if draw(st.booleans()) and i == 1:
                lines.append(("  - " if kind == "bullets" else "   - ") + draw(sentence(notes)))
        return "\n".join(lines)
    if kind == "quote":
        return "> " + draw(paragraph(notes))
    if kind == "table":
        cols = draw(st.integers(1, 3))
        rows = draw(st.integers(1, 3))
        cell = _words(1, 3)
        head = "| " + " | ".join(draw(cell) for _ in range(cols)) + " |"
        rule = "|" + "---|" * cols
        body = ["| " + " | ".join(draw(cell) for _ in range(cols)) + " |" for _ in range(rows)]
        return "\n".join([head, rule, *body])
    return draw(paragraph(notes))


@st.composite
def document(draw, max_blocks: int = 6) -> str:
    """A Markdown document, with a definition for every footnote it refers to."""
    notes: list[int] = []
    blocks = draw(st.lists(block(notes), min_size=1, max_size=max_blocks))
    defs = [f"[^{n}]: {draw(paragraph(None))}" for n in notes]
    return "\n\n".join(blocks + defs) + "\n"


# --- raw text for fuzzing: Markdown and PO punctuation among Persian ---------------------------

MARKUP_CHARS = list("*_[]()<>!#|`~^-+.:\\&;{}=\"'$%@/\n \t") + ["\n\n", "[^1]", "](", "```", "<!--", "-->",
                                                                  "&#x202e;", "&amp;", "\u200c", "\u202e", "\u2066",
                                                                  "\ue000", "\ue002", "javascript:", "http://"]
raw_markdown = st.lists(st.one_of(st.sampled_from(MARKUP_CHARS), word, st.characters(exclude_categories=["Cs"])), max_size=60).map("".join)

"""A hand-written source is held to the rules an import is (issue 14): one
link-scheme allow-list, no control characters, no math that expands."""
from __future__ import annotations

import pytest

from publish import source, update
from publish.errors import PublishError
from publish.tree import walk

RULES = {"arabic_letters": True, "presentation_forms": True, "tatweel": True, "zwnj": True, "spaces": True}

UNSAFE = [
    ("[خطرناک](javascript:alert(1))", "javascript"),
    ("[خطرناک](<JaVaScRiPt:alert(1)>)", "javascript"),
    ("[خطرناک](data:text/html,hi)", "data"),
    ("[خطرناک](vbscript:msgbox)", "vbscript"),
    ("<javascript:alert(1)>", "javascript"),
    ("[خطرناک][r]\n\n[r]: javascript:alert(2)", "javascript"),
    ("[خطرناک](file:///etc/passwd)", "file"),
]


@pytest.mark.parametrize("markdown, scheme", UNSAFE)
def test_an_unsafe_link_target_is_dropped_its_words_kept_and_named(markdown, scheme):
    text = "# عنوان\n\nجمله‌ای با پیوند " + markdown + " در آن.\n"
    src = source.parse(text, RULES, "doc.md")
    targets = [el["c"][2][0] for el in walk(src.blocks) if isinstance(el, dict) and el.get("t") == "Link"]
    assert targets == []
    words = " ".join(el["c"] for el in walk(src.blocks) if isinstance(el, dict) and el.get("t") == "Str")
    assert "جمله‌ای با پیوند" in words and "در آن" in words
    if not markdown.startswith("<"):
        assert "خطرناک" in words
    [warning] = [w for w in update.source_warnings(src, "doc.md") if "link target" in w.message]
    assert warning.line == (5 if "[r]:" in markdown else 3) and warning.message.startswith(f"a {scheme}: link target")


def test_safe_links_stay():
    text = "پیوند [وب](https://example.org) و [نامه](mailto:a@example.org) و [جا](#x) و [فایل](other.html).\n"
    src = source.parse(text, RULES, "doc.md")
    targets = [el["c"][2][0] for el in walk(src.blocks) if isinstance(el, dict) and el.get("t") == "Link"]
    assert targets == ["https://example.org", "mailto:a@example.org", "#x", "other.html"]
    assert not [w for w in update.source_warnings(src, "doc.md") if "link target" in w.message]


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x1b", "\x7f", "\x85", "\ufffe"])
def test_a_control_character_in_a_source_is_refused_with_its_line(tmp_path, char):
    path = tmp_path / "doc.md"
    path.write_text("# عنوان\n\nیک\n\nدو " + char + " سه\n", encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        source.read_source(path, "doc.md")
    assert str(caught.value).startswith(f"doc.md:5: control character U+{ord(char):04X}")


def test_math_defining_macros_in_a_source_is_code():
    tex = "\\newcommand{\\a}{xx}\\newcommand{\\b}{\\a\\a}\\b"
    src = source.parse(f"فرمول ${tex}$ و $x^2$ و $$\\def\\c{{y}}\\c$$ است.\n", RULES, "doc.md")
    found = [(el["t"], el["c"][-1] if el["t"] == "Code" else el["c"][1])
             for el in walk(src.blocks) if isinstance(el, dict) and el.get("t") in ("Code", "Math")]
    assert found == [("Code", f"${tex}$"), ("Math", "x^2"), ("Code", "$$\\def\\c{y}\\c$$")]

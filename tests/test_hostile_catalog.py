"""Hostile catalogs (issue 14): what a translator can put in a PO file must
not hang, break or silence the pipeline."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from publish import check

REPO = Path(__file__).resolve().parent.parent

# --- 1. every pattern over a translation runs in linear time ---------------------------

# Strings that made the old patterns backtrack: runs with no closer, openers
# with no end, white space before nothing.  Each is grown to about 2k, 8k,
# 32k and 128k characters.
ADVERSARIAL = {
    "backticks": "`",
    "backtick pairs": "``a",
    "brackets": "[",
    "link openers": "[](",
    "link text openers": "[a](",
    "link then spaces": None,          # "[a](" + spaces
    "footnote openers": "[^",
    "strong, never closed": "**a ",
    "underscores, never closed": "__a ",
    "emphasis, never closed": "*a ",
    "percent signs": "%",
    "e-mail local parts": "a.",
    "at signs": "a@",
    "www": "www.",
    "url parens": "http://(",
    "jinja openers": "{{ a",
    "jinja then spaces": None,         # "{{" + spaces
    "spaces then a letter": None,      # spaces + "x" (the final punctuation)
    "closing marks then a letter": None,
    "mixed markup": "[`*_<({",
}


def _adversarial(kind: str, size: int) -> str:
    unit = ADVERSARIAL[kind]
    if unit is not None:
        return unit * (size // len(unit))
    return {"link then spaces": "[a](" + " " * size,
            "jinja then spaces": "{{" + " " * size,
            "spaces then a letter": " " * size + "x",
            "closing marks then a letter": "x" + ")" * size + "a"}[kind]


_RUN_ALL_CHECKS = """
import sys, polib
sys.path.insert(0, "tests")
from publish import check
from test_hostile_catalog import _adversarial
kind = sys.argv[1]
for size in (2_000, 8_000, 32_000, 128_000):
    po = polib.POFile()
    hostile = _adversarial(kind, size)
    po.append(polib.POEntry(msgid="متن ۳ **مهم** با `کد` و [پیوند](https://example.com).", msgstr=hostile))
    po.append(polib.POEntry(msgid=hostile, msgstr="text"))
    check.check_catalog(po, "x.po", "en", "fa", [])
print("done")
"""


@pytest.mark.parametrize("kind", list(ADVERSARIAL))
def test_checks_take_linear_time_on_adversarial_translations(kind):
    # The timeout is a guard against a hang, not a measurement: all four
    # sizes take well under a second; the old patterns took minutes at 8k
    # (backticks) or at 128k (the quadratic ones).
    proc = subprocess.run([sys.executable, "-c", _RUN_ALL_CHECKS, kind], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "done"


# The old patterns, as the reference for what the scanners must find on
# ordinary (short) strings, where backtracking costs nothing.
_OLD_STRONG = re.compile(r"(?<![\\*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?!\*)|(?<![\w_\\])__(?=\S)(.+?)(?<=\S)__(?![\w_])", re.S)
_OLD_EMPH = re.compile(r"(?<![\\*])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?!\*)|(?<![\w_\\])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", re.S)
_OLD_FINAL_NOISE = re.compile(r"(?:\s+|\[\^[^\[\]\s]+\]|[)\]»”’\"'*_`}]+)$")
_OLD_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^\s)>]*(?:\([^\s)]*\)[^\s)>]*)*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_OLD_PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.\[\]|: -]*?\s*\}\}"
    r"|(?<![{\]])\{(?![.#])[\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}(?!\})"
    r"|(?<![%\w])%(?:\([\w.-]+\))?[#0+-]?(?:\d+|\*)?(?:\.\d+)?[sdiouxXeEfFgGcr]")

_MARKUP_TEXT = st.lists(st.sampled_from(
    list("ab .!?\n\t*_\\[]()<>{}\"'»”^1") + ["**", "__", "[^1]", "](", "https://x.y", "{{", "}}", " \"t\""]),
    max_size=24).map("".join)


def _old_final(text: str) -> str:
    text = text.rstrip()
    while (stripped := _OLD_FINAL_NOISE.sub("", text)) != text:
        text = stripped
    return text


@settings(max_examples=3000, deadline=None)
@given(_MARKUP_TEXT)
def test_scanners_find_what_the_old_patterns_found(text):
    strong = [(m.start(), m.end()) for m in _OLD_STRONG.finditer(text)]
    assert [(a, b) for a, b, _, _ in check._spans(text, check._STRONG)] == strong
    emph = [(m.start(), m.end()) for m in _OLD_EMPH.finditer(text)]
    assert [(a, b) for a, b, _, _ in check._spans(text, check._EMPH)] == emph
    # An unclosed "(" or "[" inside a link: now read as CommonMark reads it (no link).
    if not re.search(r"\([^)]*\(|\[[^\]]*\[", text):
        assert [m.groups() for m in check._LINK.finditer(text)] == [m.groups() for m in _OLD_LINK.finditer(text)]
    assert check._PLACEHOLDER.findall(text) == _OLD_PLACEHOLDER.findall(text)
    final = _old_final(text)
    expected = "…" if final.endswith("...") else check._FINAL.get(final[-1:]) if final else None
    assert check._final_punctuation(text) == expected


@pytest.mark.parametrize("text, spans", [
    ("a `code` b", ["`code`"]),
    ("``a`b`` c", ["``a`b``"]),
    ("`a`` b", []),                  # no run of the same length closes it
    ("``` x ` y ``` z `w`", ["``` x ` y ```", "`w`"]),
    ("`" * 16_000, []),
])
def test_code_spans_as_commonmark_reads_them(text, spans):
    assert [text[a:b] for a, b in check._code_spans(text)] == spans

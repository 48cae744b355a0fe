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


# --- 14. a plural entry is read as gettext defines it, and kept -------------------------

_PLURAL_ENTRIES = '''
msgid "یک فایل"
msgid_plural "%d فایل"
msgstr[0] "one file"
msgstr[1] "%d files"

msgctxt "a context"
msgid "این جمله **مهم** است."
msgid_plural "این جمله‌ها **مهم** هستند."
msgstr[0] "This sentence is **important**."
msgstr[1] "These sentences are **important**."
'''


def test_plural_entries_are_read_kept_and_merged(make_project, run_publish):
    from publish import catalog
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    po_path.write_text(po_path.read_text(encoding="utf-8") + _PLURAL_ENTRIES, encoding="utf-8")
    for _ in range(2):     # read, merged and written; then read back and written again
        proc = run_publish(["update"], root)
        assert proc.returncode == 0, proc.stderr
        po = catalog.read(po_path)
        plurals = {e.msgid: e for e in po if e.msgid_plural}
        assert set(plurals) == {"یک فایل", "این جمله **مهم** است."}
        assert plurals["یک فایل"].msgstr_plural == {0: "one file", 1: "%d files"}
        assert plurals["یک فایل"].msgid_plural == "%d فایل"
        assert plurals["این جمله **مهم** است."].msgctxt == "a context"
        assert all(e.obsolete for e in plurals.values())     # no unit is a plural
    assert "not properly quoted" not in proc.stderr


def test_plural_entry_with_a_unit_msgid_gives_its_first_form_and_is_kept(make_project, run_publish):
    from publish import catalog
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    # the unit's own entry becomes a plural one of the same msgid
    text = po_path.read_text(encoding="utf-8")
    unit_entry = 'msgid "این جمله **مهم** است."\nmsgstr ""\n'
    assert unit_entry in text
    plural = _PLURAL_ENTRIES.split("\n\n")[1].replace('msgctxt "a context"\n', "")
    po_path.write_text(text.replace(unit_entry, plural.strip() + "\n"), encoding="utf-8")
    proc = run_publish(["update"], root)
    assert proc.returncode == 0, proc.stderr
    po = catalog.read(po_path)
    [unit] = [e for e in po if e.msgid == "این جمله **مهم** است." and not e.obsolete]
    assert unit.msgstr == "This sentence is **important**." and "fuzzy" in unit.flags
    [kept] = [e for e in po if e.msgid == "این جمله **مهم** است." and e.obsolete]
    assert kept.msgstr_plural[1] == "These sentences are **important**."


# --- 11. safety checks cannot be silenced; what is silenced is counted ------------------

def _silencing_entry(comment: str = "check: ignore bidi numbers markup"):
    import polib
    entry = polib.POEntry(msgid="این جمله ۳ بار آمده است.", msgstr="This sentence came \u202e4 times.",
                          tcomment=comment)
    po = polib.POFile()
    po.append(entry)
    return po


@pytest.mark.parametrize("comment, flags", [
    ("check: ignore bidi numbers markup", []),
    ("check: ignore all", []),
    ("", ["no-check-bidi", "no-check-numbers"]),
    ("", ["no-check-all"]),
])
def test_bidi_cannot_be_silenced_and_silenced_findings_are_kept(comment, flags):
    po = _silencing_entry(comment)
    po[0].flags = flags
    quiet: list = []
    found = check.check_catalog(po, "x.po", "en", "fa", [], silenced_out=quiet)
    assert [f.check for f in found] == ["bidi"]
    assert "numbers" in [f.check for f in quiet]
    assert "bidi" not in [f.check for f in quiet]


def test_check_strict_fails_on_bidi_and_counts_what_was_silenced(make_project, run_publish):
    from publish import catalog
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    po = catalog.read(po_path)
    for e in po:
        if not e.obsolete and e.msgid:
            e.msgstr = e.msgid
            e.flags = ["no-check-all"]
    [unit] = [e for e in po if e.msgid == "آیا این سوم است؟"]
    unit.msgstr, unit.tcomment = "Is this the \u202efourth?", "check: ignore bidi numbers markup"
    unit.flags = []
    po_path.write_text(catalog.render(po), encoding="utf-8")
    proc = run_publish(["check", "--strict"], root)
    assert proc.returncode == 1
    assert "[bidi]" in proc.stdout and "[numbers]" not in proc.stdout
    assert re.search(r"\b\d+ findings? silenced by translators' comments", proc.stderr), proc.stderr


# --- 12. a file linked to outside the project is refused, never read --------------------

SECRET = "root:x:0:0:SECRET-FIRST-LINE"


@pytest.mark.parametrize("rel, commands", [
    ("translations/en/doc.po", [["update"], ["check"]]),
    ("translations/glossary.yml", [["update"], ["check"]]),
    ("source/fa/doc.md", [["update"]]),
])
def test_symlink_out_of_the_project_is_refused_by_name(make_project, run_publish, tmp_path, rel, commands):
    root = make_project()
    run_publish(["update"], root, check=True)
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET + "\n", encoding="utf-8")
    link = root / rel
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    for args in commands:
        proc = run_publish(args, root)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert "SECRET" not in proc.stdout + proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and rel in lines[0] and "outside the project" in lines[0], proc.stderr


def test_symlink_inside_the_project_is_read(make_project, run_publish):
    root = make_project()
    run_publish(["update"], root, check=True)
    real = root / "translations" / "en" / "doc-real.po"
    (root / "translations" / "en" / "doc.po").rename(real)
    (root / "translations" / "en" / "doc.po").symlink_to(real.name)
    proc = run_publish(["check"], root)
    assert "outside the project" not in proc.stderr


# --- 3 and 5. limits on a translation's length and on a catalog's entries ---------------

def _po_with(root: Path, extra: str) -> Path:
    po_path = root / "translations" / "en" / "doc.po"
    po_path.write_text(po_path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return po_path


@pytest.mark.parametrize("command", [["update"], ["check"], ["build", "-e", "en", "-f", "html"]])
def test_a_translation_too_long_for_its_source_is_refused_with_its_line(make_project, run_publish, command):
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    text = po_path.read_text(encoding="utf-8")
    unit = 'msgid "آیا این سوم است؟"\nmsgstr ""\n'
    assert unit in text
    from publish import catalog
    [entry] = [e for e in catalog.read(po_path) if e.msgid == "آیا این سوم است؟"]
    line = entry.linenum          # the entry's first line, as check's findings name it
    po_path.write_text(text.replace(unit, unit.replace('msgstr ""', 'msgstr "' + "a " * 1_001 + '"')),
                       encoding="utf-8")
    before = po_path.read_bytes()
    proc = run_publish(command, root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [message] = proc.stderr.strip().splitlines()
    assert f"translations/en/doc.po:{line}:" in message and "2,002 characters" in message
    assert po_path.read_bytes() == before


def test_a_translation_of_ten_times_its_source_is_accepted(make_project, run_publish):
    root = make_project()
    run_publish(["update"], root, check=True)
    _po_with(root, 'msgid "کوتاه"\nmsgstr "' + "x" * 2_000 + '"\n')   # the floor: 2,000
    proc = run_publish(["update"], root)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("command", [["update"], ["check"]])
def test_a_catalog_of_junk_entries_is_refused_with_its_line(make_project, run_publish, command):
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    text = po_path.read_text(encoding="utf-8")
    junk = "".join(f'msgid "junk {i}"\nmsgstr "x"\n\n' for i in range(50_001))
    po_path.write_text(text + "\n" + junk, encoding="utf-8")
    proc = run_publish(command, root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [message] = proc.stderr.strip().splitlines()
    assert re.search(r"translations/en/doc\.po:\d+: .*more than 50,000 entries", message), message

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


# --- 7. control characters: refused with their line, never printed -----------------------

_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1c", "\ufffe", "\uffff"])
@pytest.mark.parametrize("where", ["msgstr", "msgid", "previous msgid", "obsolete"])
def test_a_control_character_in_a_catalog_is_refused_with_its_line(char, where):
    from publish import catalog
    from publish.errors import PublishError
    entry = {"msgstr": f'msgid "سلام"\nmsgstr "he{char}llo"\n',
             "msgid": f'msgid "سل{char}ام"\nmsgstr "hello"\n',
             "previous msgid": f'#, fuzzy\n#| msgid "سل{char}ام"\nmsgid "سلام"\nmsgstr "hello"\n',
             "obsolete": f'#~ msgid "سلام"\n#~ msgstr "he{char}llo"\n'}[where]
    text = _HEADER + 'msgid "یک"\nmsgstr "one"\n\n' + entry
    line = text.index(char) and text[:text.index(char)].count("\n") + 1
    with pytest.raises(PublishError) as caught:
        catalog.parse(text, "x.po")
    assert str(caught.value).startswith(f"x.po:{line}: control character U+{ord(char):04X}")


def test_a_comment_may_hold_what_polib_reads():
    from publish import catalog
    po = catalog.parse(_HEADER + '# a note\x01 pasted\nmsgid "سلام"\nmsgstr "hello"\n', "x.po")
    assert po[0].msgstr == "hello"


# C's escapes: msgfmt reads them, polib would print them as they are; each is
# refused naming the line and what msgfmt reads it as (found with msgunfmt).
@pytest.mark.parametrize("escape", ["\\101", "\\x41", "\\x6a", "\\?", "\\'", "\\1", "\\033", "\\a", "\\b",
                                    "\\f", "\\v", "\\x7f"])
def test_c_escapes_are_refused_saying_what_msgfmt_reads(tmp_path, escape):
    from publish import catalog
    from publish.errors import PublishError
    text = _HEADER + 'msgid "یک"\nmsgstr "one"\n\nmsgid "دو"\nmsgstr "t' + escape + 'o"\n'
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        catalog.parse(text, "x.po")
    message = str(caught.value)
    if subprocess.run(["msgfmt", "-o", str(tmp_path / "x.mo"), str(po)], capture_output=True).returncode:
        assert message == f"x.po:9: invalid escape sequence {escape}"  # msgfmt refuses it too
        return
    out = subprocess.run(["msgunfmt", "--escape", str(tmp_path / "x.mo")], check=True, capture_output=True,
                         text=True, encoding="utf-8").stdout
    # msgunfmt --escape writes what it read back with C's escapes
    read_as = re.search(r'msgstr "t(.*)o"', out).group(1)
    read_as = read_as.encode().decode("unicode_escape") if read_as.startswith("\\") else read_as
    assert message.startswith("x.po:9: escape " + escape)
    if read_as < " " or read_as == "\x7f":
        assert f"U+{ord(read_as):04X}, a control character" in message
    else:
        assert f"spelling of {read_as!r}" in message and f"write {read_as!r} itself" in message


def test_the_five_escapes_every_tool_reads_are_read():
    from publish import catalog
    po = catalog.parse(_HEADER + 'msgid "یک"\nmsgstr "a\\\\b \\"c\\" d\\te\\nf\\rg"\n', "x.po")
    assert po[0].msgstr == 'a\\b "c" d\te\nf\rg'


def test_a_translation_never_prints_a_control_character():
    """Were a catalog ever to let one through, the edition drops it (XML
    forbids it: epubcheck RSC-016)."""
    from publish.assemble import parse_translations
    from publish.tree import stringify
    [inlines, nel] = parse_translations(["he\x01l\x1bl\x9bo \ufffeworld", "next\x85line"])
    assert stringify(inlines) == "hello world" and stringify(nel) == "next line"


# --- 2. math that defines macros is shown as the TeX it is, never expanded --------------

def _nested_macros(levels: int) -> str:
    defs = "".join("\\newcommand{\\m%d}{%s}" % (i, "\\m%d\\m%d" % (i - 1, i - 1) if i > 1 else "xx")
                   for i in range(1, levels + 1))
    return "$" + defs + "\\m%d$" % levels


def test_math_defining_macros_in_a_translation_is_code():
    from publish.assemble import parse_translations
    [inlines] = parse_translations([f"x {_nested_macros(20)} and $\\frac{{1}}{{2}}$"])
    kinds = [el["t"] for el in inlines if el["t"] not in ("Str", "Space")]
    assert kinds == ["Code", "Math"]
    assert inlines[2]["c"][1] == _nested_macros(20)


def test_a_translation_of_nested_macros_builds_a_small_page(make_project, run_publish):
    """Twenty nested definitions (about 600 bytes) would expand to 2**20
    copies: the page stays the size of its text."""
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    text = po_path.read_text(encoding="utf-8")
    unit = 'msgid "آیا این سوم است؟"\nmsgstr ""\n'
    tex = _nested_macros(20).replace("\\", "\\\\")
    po_path.write_text(text.replace(unit, unit.replace('msgstr ""', f'msgstr "Third {tex}?"')), encoding="utf-8")
    proc = run_publish(["build", "-e", "en", "-f", "html"], root)
    assert proc.returncode == 0, proc.stderr
    page = (root / "build" / "en" / "doc.html").read_text(encoding="utf-8")
    assert "\\newcommand{\\m20}" in page and len(page) < 200_000


# --- 13. a msgctxt entry cannot stand in for a unit's entry, and is never dropped --------

def test_an_entry_with_a_context_neither_overrides_the_unit_nor_is_lost(make_project, run_publish):
    from publish import catalog
    root = make_project()
    run_publish(["update"], root, check=True)
    po_path = root / "translations" / "en" / "doc.po"
    text = po_path.read_text(encoding="utf-8")
    unit = 'msgid "آیا این سوم است؟"\nmsgstr ""\n'
    text = text.replace(unit, unit.replace('msgstr ""', 'msgstr "Is this the third?"'))
    po_path.write_text(text + '\nmsgctxt "sneaky"\nmsgid "آیا این سوم است؟"\nmsgstr "OVERRIDDEN"\n',
                       encoding="utf-8")
    run_publish(["build", "-e", "en", "-f", "html"], root, check=True)
    page = (root / "build" / "en" / "doc.html").read_text(encoding="utf-8")
    assert "Is this the third?" in page and "OVERRIDDEN" not in page
    run_publish(["update"], root, check=True)
    po = catalog.read(po_path)
    [kept] = [e for e in po if e.msgctxt == "sneaky"]
    assert kept.obsolete and kept.msgstr == "OVERRIDDEN"
    [reviewed] = [e for e in po if e.msgid == "آیا این سوم است؟" and e.msgctxt is None]
    assert reviewed.msgstr == "Is this the third?" and not reviewed.obsolete

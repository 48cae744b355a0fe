"""Persian normalisation: pure functions on text, each rule switchable.

Conservative on purpose.  The report mixes Arabic and Persian letter forms and
has no ZWNJ at all, so we unify letters and remove only ZWNJs that cannot be
meaningful (next to a space, at a word edge, doubled); we never insert ZWNJ or
change spelling (``میشود`` stays ``میشود``).  The typographic rules that do
insert ZWNJs, make digits Persian and write ``…`` are in ``typography``, each
off unless ``publish.yml`` switches it on.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import typography

# C0 and C1 control characters (but tab, newline, carriage return) and the
# non-characters U+FFFE/U+FFFF: invisible, meaningless in a text, and XML
# forbids most of them, so an EPUB holding one is invalid (epubcheck RSC-016).
# An import removes them (Word writes U+000B for a manual line break, old
# pages C1 bytes from a wrong code page); a source or a catalog that has one
# is refused, naming the line.
CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

ZWNJ = "\u200c"

_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_TATWEEL = "\u0640"
# Horizontal white space, including no-break and the Unicode spaces, but not ZWNJ.
_SPACE_CLASS = "[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_SPACE_RUN = re.compile(_SPACE_CLASS + "{2,}")
# No-break and typographic spaces: in a Persian text that arrives by email
# they are left over from Word or a web page, and a unit must not begin
# with one; folded to a plain space before runs are collapsed.
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")
# A ZWNJ means something only between two parts of a word (letters, marks,
# digits: می‌شود, ۲۰‌ام); beside a space or punctuation (است‌.) it is stray.
_WORDISH = r"[\w\u064b-\u065f\u0670\u06d6-\u06ed]"
_ZWNJ_STRAY = re.compile(f"{ZWNJ}(?!{_WORDISH})|(?<!{_WORDISH}){ZWNJ}")
# Tatweel stretches a letter (کـــار); after anything but a letter it stands
# for a dash — (1572 ـ 1528), a line of dialogue — and must stay.
_TATWEEL_IN_WORD = re.compile("(?<=[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u064b-\u065f])\u0640+")


def _presentation_forms(text: str) -> str:
    # The isolated harakat forms (U+FE70…) decompose to SPACE + mark: keep the mark only.
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()).lstrip(" "), text)


_ARABIC_DIGIT = re.compile("[\u0660-\u0669]")


def _arabic_letters(text: str) -> str:
    # three replaces, not str.translate: translate builds the result one
    # character at a time for non-Latin text, about 100× slower here
    text = text.replace("\u064a", "\u06cc").replace("\u0643", "\u06a9").replace("\u0649", "\u06cc")
    # Arabic-Indic digits ٠–٩ → Persian ۰–۹: one digit set in a Persian text.  Noto
    # Naskh draws Persian ۶ with the glyph of Arabic ٦ (its Persian locl), so a
    # PDF holding both gives that glyph one meaning in its text layer and a
    # copied ۶ came out ٦ (issue 15)
    return _ARABIC_DIGIT.sub(lambda m: chr(ord(m.group()) + 0x90), text) if _ARABIC_DIGIT.search(text) else text


def _tatweel(text: str) -> str:
    return _TATWEEL_IN_WORD.sub("", text)


def _zwnj(text: str, at_start: bool = True, at_end: bool = True) -> str:
    """Doubled ZWNJs made one; a ZWNJ not between two parts of a word
    removed.  At the start or end of ``text`` that is for the caller to say
    (``at_start``/``at_end``): next to markup (``**می**‌شود``) a ZWNJ
    joins letters across it and stays."""
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    head = ZWNJ if not at_start and text.startswith(ZWNJ) else ""
    tail = ZWNJ if not at_end and text.endswith(ZWNJ) and len(text) > len(head) else ""
    core = _ZWNJ_STRAY.sub("", text[len(head): len(text) - len(tail)])
    return head + core + tail


def _spaces(text: str) -> str:
    return _SPACE_RUN.sub(" ", _ODD_SPACE.sub(" ", text))


# Order matters: presentation forms decompose to Arabic letters that the
# letter rule then makes Persian.
RULES = {
    "presentation_forms": _presentation_forms,
    "arabic_letters": _arabic_letters,
    "tatweel": _tatweel,
    "zwnj": _zwnj,
    "spaces": _spaces,
}

DESCRIPTIONS = {
    "presentation_forms": "Arabic presentation forms → base letters",
    "arabic_letters": "Arabic ي ك ى ٤٥٦ → Persian ی ک ۴۵۶",
    "tatweel": "tatweel ـ inside words removed",
    "zwnj": "stray or doubled ZWNJ removed",
    "spaces": "runs of spaces collapsed, no-break spaces made plain",
    **typography.DESCRIPTIONS,
}


# What each rule acts on: where a text has none of it, the rule would give
# it back unchanged, so it is not run (the ZWNJ look-behinds and the rest
# cost ~40 µs on a long line; most lines and most words need nothing).
_ACTS_ON = {
    "presentation_forms": _PRESENTATION,
    "arabic_letters": re.compile("[\u064a\u0643\u0649\u0660-\u0669]"),
    "tatweel": _TATWEEL_IN_WORD,
    "zwnj": re.compile(ZWNJ),
    "spaces": re.compile(f"{_SPACE_RUN.pattern}|{_ODD_SPACE.pattern}"),
}
# ... and what any rule acts on: a word without it is left as it is (a source
# of 100× the report has 370,000 words).
TOUCHED = re.compile("|".join(p.pattern for p in _ACTS_ON.values()))


def normalize(text: str, rules: dict[str, bool], at_start: bool = True, at_end: bool = True) -> str:
    """Apply the enabled rules.  ``at_start``/``at_end`` say whether the text
    begins/ends at a word edge, where a ZWNJ is stray; next to markup
    (``**می**‌شود``) it joins letters and must stay."""
    if TOUCHED.search(text):
        for name, rule in RULES.items():
            if rules.get(name, True):
                text = _zwnj(text, at_start, at_end) if rule is _zwnj else rule(text)
    # the typographic rules are off unless asked for (rules.get(name) is None);
    # in the tree they also run over each run of words (source.normalize_tree)
    if typography.enabled(rules):
        text = typography.apply(text, rules)
    return text


@dataclass(frozen=True)
class Change:
    line: int
    rule: str
    count: int
    before: str
    after: str


def _diff_count(before: str, after: str) -> int:
    if len(before) == len(after):
        return sum(a != b for a, b in zip(before, after))
    return abs(len(before) - len(after)) or 1


_FENCE = re.compile(r"\s{0,3}(`{3,}|~{3,})")
# the markers that open list items, quotations and definitions, and the gap
# after them: Markdown layout, not spaces in the text
_LAYOUT = re.compile(r"^[ \t]*(?:(?:[-*+>:]|\d{1,9}[.)])[ \t]+)+")
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")


def report(text: str, rules: dict[str, bool]) -> list[Change]:
    """What each enabled rule would change, line by line, in raw source text."""
    changes = []
    fence = None
    for lineno, line in enumerate(text.splitlines(), 1):
        raw = line
        # code is never normalised (the tree walk skips it), so never reported
        marker = _FENCE.match(line)
        if fence is None and marker:
            fence = marker.group(1)[0] * len(marker.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if line.startswith("    ") or line.startswith("\t"):
            continue
        if "`" in line:
            line = _CODE_SPAN.sub(lambda m: "x" * len(m.group()), line)
        for name, rule in RULES.items():
            if not rules.get(name, True):
                continue
            # (a blank line does go through "spaces", which counts the one
            # space or tab of " " as a change; a rule not listed always runs)
            acts_on = _ACTS_ON.get(name)
            if acts_on and not acts_on.search(line) and line.strip(" \t"):
                continue
            if name == "spaces":
                # Leading indentation, pipe-table padding and the gap after a
                # list number are Markdown layout, not runs of spaces in the text.
                if line.lstrip().startswith("|"):
                    line = re.sub(r" {2,}", " ", line)
                line = _LAYOUT.sub(lambda m: re.sub(r"[ \t]+", " ", m.group()), line)
                body = line.lstrip(" \t")
                new = line[: len(line) - len(body)] + rule(body.rstrip(" \t"))
                cmp_line = line.rstrip(" \t")
            else:
                new, cmp_line = rule(line), line
            if new != cmp_line:
                changes.append(Change(lineno, name, _diff_count(cmp_line, new), _sample(cmp_line, new), ""))
            line = new if name != "spaces" else line
        if typography.enabled(rules):
            changes += _typography_report(lineno, raw, rules)
    return changes


# Markdown around the text, which the tree has as structure: code, link and
# picture targets, autolinks, HTML, footnote marks, attributes and the markers
# at a line's start.  Masked with NULs (no letter, digit or space), so the
# typographic rules see the words of the line where the tree has them.
_MARKUP = re.compile(r"(`+)[^`]*?\1|\]\([^)]*\)|<[^>\s]+>|<[^>]*>|\[\^[^\]]*\]|\{[^}]*\}|^\s*\[[^\]]+\]:.*$")
_LINE_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|(?:[-*+>:]|\d{1,9}[.)])[ \t]+)*")


def _typography_report(lineno: int, line: str, rules: dict[str, bool]) -> list[Change]:
    for name, rule in RULES.items():   # the typographic rules see the text the others leave
        if rules.get(name, True):
            line = rule(line)
    masked = _MARKUP.sub(lambda m: "\0" * len(m.group()), line)
    masked = _LINE_START.sub(lambda m: "\0" * len(m.group()), masked)
    out = []
    for name in typography.RULES:
        if rules.get(name):
            new = typography.apply(masked, {name: True})
            if new != masked:
                out.append(Change(lineno, name, typography.count(masked, new),
                                  _sample(masked, new).replace("\0", ""), ""))
    return out


def _sample(before: str, after: str) -> str:
    """A short excerpt around the first difference, for the verbose report."""
    i = next((k for k, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    start = max(0, i - 12)
    return before[start:i + 12].replace(ZWNJ, "[ZWNJ]").strip()

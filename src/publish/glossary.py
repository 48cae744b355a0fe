"""translations/glossary.yml: source term → target term per language.

Validated on load like publish.yml (errors name the line).  The glossary
feeds three things: ``#. glossary:`` hints in the catalogs, the ``glossary``
check, and a TBX export for CAT tools and Weblate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import yaml

from . import languages, normalize as norm
from .config import compose_yaml
from .errors import PublishError
from .files import refuse_outside

_POS = ("noun", "verb", "adjective", "adverb", "proper noun", "phrase", "other")


@dataclass(frozen=True)
class Term:
    term: str                       # normalised source term
    targets: dict[str, str]         # lang → target term
    pos: str = ""
    note: str = ""
    line: int = 0
    pattern: re.Pattern = field(default=None, compare=False, hash=False)  # type: ignore[assignment]
    forms: tuple[str, ...] = ()     # irregular forms the suffixes do not make (احزاب, نمایندگان)

    def found_in(self, text: str) -> bool:
        return any(w in text for w in (self.term, *self.forms)) and bool(self.pattern.search(text))


# What Persian attaches to a noun or adjective, with or without a half-space:
# the plural (ها, ان, ات …), the ezafe and the indefinite ی (سندیکای کارگران,
# خانه‌ای, خانهٔ), possessive endings (حزبمان, حزب‌شان), and the comparative.
# A form that changes the word itself (احزاب, نمایندگان) is a term's `forms:`.
# After a consonant the ezafe is not written, and a ی is the relational
# adjective (تشکیلاتی "organisational", حزبی) or the indefinite: another word
# in English, so the ی endings follow only a term ending in a vowel letter.
_SUFFIXES = {
    "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
    "ان", "ات", "یان", "م", "ت", "ش", "مان", "تان", "شان", "ام", "اش", "تر", "ترین",
}
_EZAFE = {"ی", "ای", "یی", "ئی", "ٔ", "ایم", "اید", "اند", "تری"}
_VOWEL_LETTERS = "اوهی"


def _suffix(words) -> str:
    endings = _SUFFIXES | (_EZAFE if any(w[-1:] in _VOWEL_LETTERS for w in words) else set())
    return "(?:\u200c?(?:" + "|".join(sorted(endings, key=len, reverse=True)) + "))?"


def _term_pattern(term: str, forms: tuple[str, ...] = ()) -> re.Pattern:
    # Whole words, the term or one of its forms, with the suffixes Persian
    # attaches (a Latin term takes none): سندیکا matches سندیکای and
    # سندیکاها but not the start of a longer word.  The callers look for the
    # literal term first (``found_in``, ``terms_in``): the pattern runs only
    # on text that has it.
    words = "|".join(re.escape(w) for w in sorted({term, *forms}, key=len, reverse=True))
    persian = any("\u0600" <= ch <= "\u06ff" for ch in term)
    return re.compile(r"(?<![\w\u200c])(?:" + words + ")" + (_suffix({term, *forms}) if persian else "")
                      + r"(?![\w\u200c])")


def load(path: Path, source_language: str, rules: dict[str, bool] | None = None,
         display: str = "translations/glossary.yml") -> list[Term]:
    refuse_outside(path, display)
    if not path.exists():
        return []
    root = compose_yaml(path, display)
    if root is None:
        return []

    def fail(node, msg):
        return PublishError(msg, path=display, line=node.start_mark.line + 1)

    if isinstance(root, yaml.SequenceNode):
        seq = root  # the list of terms itself, without "terms:" above it
    elif isinstance(root, yaml.MappingNode) and [k.value for k, _ in root.value] == ["terms"]:
        seq = root.value[0][1]
    else:
        raise fail(root, "expected a single key 'terms' holding a list of terms")
    if isinstance(seq, yaml.ScalarNode) and seq.tag.endswith(":null"):
        return []  # "terms:" with every entry still commented out
    if not isinstance(seq, yaml.SequenceNode):
        raise fail(seq, "terms: expected a list")
    out: list[Term] = []
    seen: dict[str, int] = {}
    for item in seq.value:
        if not isinstance(item, yaml.MappingNode):
            raise fail(item, "each term is a mapping: term, a translation per language, pos, note")
        fields: dict[str, str] = {}
        forms: tuple[str, ...] = ()
        for k, v in item.value:
            key = k.value
            if key == "forms":
                values = v.value if isinstance(v, yaml.SequenceNode) else [v]
                if not values or not all(isinstance(x, yaml.ScalarNode) and str(x.value).strip() for x in values):
                    raise fail(v, "forms: expected a form or a list of forms, e.g. forms: [احزاب]")
                forms = tuple(norm.normalize(str(x.value).strip(), rules or {}) for x in values)
                continue
            if not isinstance(v, yaml.ScalarNode) or not v.value.strip():
                raise fail(v, f"{key}: expected text")
            if key not in ("term", "pos", "note"):
                try:   # a language as its BCP 47 tag: pt_BR and pt-BR are one key
                    key = languages.tag(key)
                except PublishError:
                    raise fail(k, f"unknown key {key} (term, pos, note, forms, or a language tag)") from None
            if key in fields:
                raise fail(k, f"duplicate key {k.value}" + (f" ({key})" if key != k.value else ""))
            fields[key] = str(v.value)
        if "term" not in fields or not fields["term"].strip():
            raise fail(item, "missing term")
        if fields.get("pos") and fields["pos"] not in _POS:
            raise fail(item, f"pos: {fields['pos']!r} is not one of {', '.join(_POS)}")
        term = norm.normalize(fields.pop("term").strip(), rules or {})
        if term in seen:
            raise fail(item, f"term {term!r} is already defined at line {seen[term]}")
        seen[term] = item.start_mark.line + 1
        pos, note = fields.pop("pos", ""), fields.pop("note", "")
        targets = {lang: t.strip() for lang, t in fields.items() if lang != source_language}
        out.append(Term(term, targets, pos, note, item.start_mark.line + 1, _term_pattern(term, forms), forms))
    # longest first, so "حزب کمونیست کارگری ایران" wins over "حزب کمونیست کارگری"
    out.sort(key=lambda t: -len(t.term))
    return out


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """Glossary terms in ``text``; a term inside a longer matched term is not repeated."""
    found: list[Term] = []
    taken: list[tuple[int, int]] = []
    for t in terms:
        # the pattern needs the literal term (or a form): most terms end here, cheaply
        if t.term not in text and not any(f in text for f in t.forms):
            continue
        hit = False  # (not "t in found": that compares whole Terms, field by field)
        for m in t.pattern.finditer(text):
            start, end = m.span()
            if not any(a <= start and end <= b for a, b in taken):
                taken.append((start, end))
                hit = True
        if hit:
            found.append(t)
    return found


def to_tbx(terms: list[Term], source_language: str) -> str:
    """TBX-Basic (ISO 30042) for CAT tools and Weblate's glossary import."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<martif type="TBX-Basic" xml:lang="en">',
           "<martifHeader><fileDesc><sourceDesc><p>publish glossary</p></sourceDesc></fileDesc></martifHeader>",
           "<text><body>"]
    for i, t in enumerate(sorted(terms, key=lambda t: t.line), 1):
        out.append(f'<termEntry id="t{i}">')
        if t.note:
            out.append(f'<descrip type="definition">{escape(t.note)}</descrip>')
        for lang, text in [(source_language, t.term), *sorted(t.targets.items())]:
            out.append(f"<langSet xml:lang={quoteattr(lang)}><tig><term>{escape(text)}</term>"
                       + (f'<termNote type="partOfSpeech">{escape(t.pos)}</termNote>' if t.pos else "")
                       + "</tig></langSet>")
        out.append("</termEntry>")
    out.append("</body></text></martif>")
    return "\n".join(out) + "\n"

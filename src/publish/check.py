"""Quality checks on translated catalogs (``publish check``).

In the manner of Babel's ``babel/messages/checkers.py``: every check is a
small plain function, registered under a short name in ``CHECKS``.  A check
gets the source text (msgid), the translation (msgstr) and a ``Context`` and
yields one human sentence per problem it sees.  ``check_catalog`` runs the
checks over a catalog and turns the sentences into ``Finding``s that name the
PO file, the entry's line, the check and the unit.

A translator silences one check for one unit with the PO flag
``#, no-check-NAME`` (``no-check-all`` for every check), or with a translator
comment line containing ``check: ignore NAME`` (several names may follow,
separated by commas or spaces; ``all`` works there too).  Poedit and Weblate
keep both.

Fuzzy units get one ``fuzzy`` warning and are not otherwise checked (the
translation is a draft until the flag is cleared); untranslated units get one
``untranslated`` warning.  Obsolete entries are never checked.
"""
from __future__ import annotations

import functools
import html
import re
import statistics
import unicodedata
from collections import Counter
from fractions import Fraction
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable, Iterator

import polib

from .assemble import BIDI_CONTROLS, direction, note_spans, split_notes
from .errors import PublishError, where
from .languages import parse as parse_language, tag as language_tag
from .status import printable

# --- findings and the registry -------------------------------------------------------


@dataclass
class Finding:
    path: str        # the PO file as shown to the user, e.g. translations/en/report.po
    line: int        # the entry's first line in that file (polib's linenum)
    check: str       # the check's short name, e.g. "numbers"
    message: str     # a human sentence
    msgid: str       # the unit
    severity: str = "error"   # "error" or "warning"

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:   # line 0: the catalog as a whole
        return f"{where(self.path, self.line)}{self.severity}: {self.message} [{self.check}]"


@dataclass
class Context:
    """What a check may need beyond the two texts."""
    lang: str = "en"                  # the target language
    source_lang: str = "fa"
    terms: list = field(default_factory=list)   # glossary.Term, longest first
    rtl: bool = False                 # the target language is written right to left
    median_ratio: float | None = None  # the catalog's median target/source length ratio
    entry: polib.POEntry | None = None
    glossary_display: str = "translations/glossary.yml"


CheckFunction = Callable[[str, str, Context], Iterable[str]]
CHECKS: dict[str, CheckFunction] = {}


def checker(name: str, severity: str = "error") -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under ``name``; its findings get ``severity``."""
    def register(fn: CheckFunction) -> CheckFunction:
        fn.check_name = name          # type: ignore[attr-defined]
        fn.severity = severity        # type: ignore[attr-defined]
        CHECKS[name] = fn
        return fn
    return register


# --- text helpers --------------------------------------------------------------------

_URL = re.compile(r"(?:(?:https?|ftp)://|www\.|mailto:)(?:[^\s<>\"«»“”()\[\]{}]|\([^\s()<>]*\))+", re.I)
_URL_TRAIL = ".,;:!?؟،؛'’"
# Every pattern below is tried at each position of untrusted text, so none
# may scan far and then backtrack: a match may start only where the previous
# character could not have started it, runs are possessive (*+, ++), and no
# two parts can take the same character.  Otherwise a translation of a few
# thousand characters takes minutes (tests/test_hostile_catalog.py).
_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)+")
_FOOTREF = re.compile(r"\[\^([^\[\]\s]++)\]")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]++|\[[^\[\]]*+\])*+)\]\(\s*+<?([^\s()>]*+(?:\([^\s()]*+\)[^\s()>]*+)*+)>?(?:\s++(?:\"[^\"]*+\"|'[^']*+'))?\s*+\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+)>", re.I)
# Emphasis as (opener, closer) pairs, each a zero-width test at a position;
# a span is an opener and the first closer after at least one character, as
# the lazy patterns (?<![\\*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?!\*)… found it.  Those
# patterns scanned to the end of the text from every opener that had no
# closer ("**a " × 8,000: minutes); _spans finds the same spans in one pass.
_STRONG = ((re.compile(r"(?=(?<![\\*])\*\*\S)"), re.compile(r"(?=(?<=\S)\*\*(?!\*))"), 2),
           (re.compile(r"(?=(?<![\w_\\])__\S)"), re.compile(r"(?=(?<=\S)__(?![\w_]))"), 2))
_EMPH = ((re.compile(r"(?=(?<![\\*])\*[^\s*])"), re.compile(r"(?=(?<=[^\s*\\])\*(?!\*))"), 1),
         (re.compile(r"(?=(?<![\w_\\])_[^\s_])"), re.compile(r"(?=(?<=[^\s_])_(?![\w_]))"), 1))
_ESCAPED = re.compile(r"\\[\\`*_\[\](){}#+\-.!<>\"'~^|]")
_PLACEHOLDER = re.compile(
    r"\{\{\s*+[\w.\[\]|: -]*+\s*+\}\}"                   # {{ jinja }}
    r"|(?<![{\]])\{(?![.#])[\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}(?!\})"  # {name}, {0}, {}, {x:>4}
    r"|(?<![%\w])%(?:\([\w.-]+\))?[#0+-]?(?:\d+|\*)?(?:\.\d+)?[sdiouxXeEfFgGcr]"  # %s, %(x)s
)
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefe]+")


def _url_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _URL.finditer(text):
        url = m.group()
        while url and url[-1] in _URL_TRAIL:
            url = url[:-1]
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        out.append((m.start(), m.start() + len(url), url))
    return out


def urls_in(text: str) -> list[str]:
    """URLs and e-mail addresses in running text, in order (an e-mail inside a
    URL is not counted twice).  Link targets are the markup check's."""
    text = _strip_code(text)
    text = _LINK.sub(lambda m: " " + m.group(2) + " ", text)
    text = _AUTOLINK.sub(" ", text)
    spans = _url_spans(text)
    found = [(a, u) for a, _, u in spans]
    for m in _EMAIL.finditer(text):
        if not any(a <= m.start() < b for a, b, _ in spans):
            found.append((m.start(), m.group()))
    return [u for _, u in sorted(found)]


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans as (start, end), read as CommonMark does: a run of n
    backticks opens, the next run of exactly n closes, and a run nothing
    closes is text.  A scan and not a pattern: (`+)(.+?)\\1 backtracked on
    a run with no closer (16,000 backticks: a hang)."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    after: list[int | None] = [None] * len(runs)   # the next run of the same length
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        n = runs[i][1] - runs[i][0]
        after[i] = last.get(n)
        last[n] = i
    spans, i = [], 0
    while i < len(runs):
        j = after[i]
        if j is None:
            i += 1
        else:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
    return spans


def _replace_code(text: str, fn: Callable[[int, int], str]) -> str:
    out, at = [], 0
    for a, b in _code_spans(text):
        out += [text[at:a], fn(a, b)]
        at = b
    return "".join(out) + text[at:]


def _strip_code(text: str, by: str = " ") -> str:
    return _replace_code(text, lambda a, b: by)


def _code_text(text: str) -> str:
    """The text with each code span replaced by what it holds."""
    def inner(a: int, b: int) -> str:
        n = len(text[a:b]) - len(text[a:b].lstrip("`"))
        return text[a + n: b - n]
    return _replace_code(text, inner)


def _spans(text: str, kinds) -> list[tuple[int, int, int, int]]:
    """Emphasis spans (start, end, inner start, inner end), left to right and
    not overlapping, the first kind winning at a position (see _STRONG)."""
    import bisect
    opens = [{m.start() for m in o.finditer(text)} for o, _, _ in kinds]
    closes = [[m.start() for m in c.finditer(text)] for _, c, _ in kinds]
    out, at = [], 0
    for p in sorted(set().union(*opens)):
        if p < at:
            continue
        for k, (_, _, n) in enumerate(kinds):
            if p not in opens[k]:
                continue
            i = bisect.bisect_left(closes[k], p + n + 1)
            if i < len(closes[k]):
                c = closes[k][i]
                out.append((p, c + n, p + n, c))
                at = c + n
                break
    return out


def _sub_spans(text: str, spans, fn) -> str:
    out, at = [], 0
    for a, b, ia, ib in spans:
        out += [text[at:a], fn(text[ia:ib])]
        at = b
    return "".join(out) + text[at:]


def _mask(text: str, *, code=True, urls=True, footnotes=True, placeholders=True, link_targets=True) -> str:
    """The text with the parts other checks own blanked out (same length not kept)."""
    if code:
        text = _strip_code(text)
    if link_targets:
        text = _LINK.sub(lambda m: "[" + m.group(2) + "]", text)
        text = _AUTOLINK.sub(" ", text)
    if urls:
        spans = _url_spans(text)
        for a, b, _ in reversed(spans):
            text = text[:a] + " " + text[b:]
        text = _EMAIL.sub(" ", text)
    if footnotes:
        text = _FOOTREF.sub(" ", text)
    if placeholders:
        text = _PLACEHOLDER.sub(" ", text)
    return text


@functools.lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """Roughly what a reader sees: no markup syntax, no link targets."""
    text = _mask(text, code=False, urls=False, placeholders=False)
    text = _code_text(text)
    text = re.sub(r"[*_`\[\]]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _quote(s: str) -> str:
    return f"“{s}”"


def _names(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


# --- numbers -------------------------------------------------------------------------
#
# A number is a value, however it is written: ۳۰۰ هزار = 300,000 = 300 thousand,
# ۹۹ درصد = 99% = ninety-nine per cent, نهم = ninth = 9.  Both texts are read
# into numeric values and compared:
#
# * digits (Persian ۰-۹, Arabic-Indic ٠-٩, Latin 0-9) with thousands separators
#   (٬ or ,) and decimal separators (٫ or .), optionally followed by a
#   multiplier word (هزار / میلیون / میلیارد, thousand / million / billion);
# * numbers in words: cardinals 0-20, tens, hundreds, thousand, million,
#   billion, and compounds (بیست و یک, twenty-one, سیصد هزار, three hundred
#   and twenty); ordinals (دوم, سوم, هشتم, نهم, دهمین; second, eighth, ninth)
#   count as their number, because a translator writes "the Eighth and Ninth
#   Congresses" for کنگره هشت و نه; "double"/"twice" and دو برابر are 2.
#
# What is deliberately not a number:
#
# * the value one written as a word, alone: یک/یکی/اول/نخست and
#   one/first/once/single.  Persian یک is above all the indefinite article
#   (یک کمونیسم = "a communism"), English "one" a pronoun ("one of our
#   efforts"), "first" a discourse marker ("First, …").  A one that is part of
#   a larger number (یک میلیون, twenty-one) counts, and so does the digit 1;
#   a lone one-word only answers for a digit 1 on the other side (۱ نفر = one
#   person);
# * نه, which is both "nine" and "no/not": it is nine only inside a number
#   phrase (هشت و نه, نه هزار) or before a counted noun (نه سال, نه نفر);
# * vague plurals: دهها/صدها/هزاران, "صد ها", "tens/hundreds/thousands of" and
#   a multiplier right after one (صدها هزار = "hundreds of thousands");
# * سی next to a Latin letter name (بی بی سی = BBC), and a number before
#   شنبه (سه شنبه = Tuesday);
# * numbers in URLs, inline code, placeholders and footnote refs, which the
#   urls/markup/placeholders checks own;
# * سی سی (cc, the unit: ۷۰۰ سی سی).
#
# And as Persian writes them (issue 16): a digit count joined to a multiplier
# phrase by و is one number (۳ میلیون و ۸۰۰ هزار = 3.8 million); و نیم and
# "and a half" add 0.5 (دو و نیم = 2.5); a count before a short ordinal is a
# fraction (یک چهارم = a quarter of = one quarter, سه چهارم = three quarters);
# an abbreviated range of years is read whole (2023–24 is 2023 and 2024); and
# a Solar Hijri year matches the two Gregorian years it spans (۱۴۰۲ ↔ 2023,
# 2024), so a translator may give the reader's calendar.
#
# Counting: a value written in digits must occur as often in both texts.  A
# value written out in words may be merged or repeated by the translator
# ("دو کنگره … دو سال" → "the two years between the … Congresses"), so for a
# value that is spelled out in words the counts only have to be reconcilable:
# each side may count it anywhere between "once per digit occurrence plus
# once" and "once per occurrence".  A value present on one side only is
# always a finding.

_NATIVE_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_D = "0-9۰-۹٠-٩"
_NUMBER_TOKEN = re.compile(
    rf"(?P<num>[{_D}]{{1,3}}(?:[,٬][{_D}]{{3}})+(?:[.٫][{_D}]+)?|[{_D}]+(?:[.٫][{_D}]+)?)"
    r"|(?P<word>[^\W\d_]+(?:\u200c[^\W\d_]+)*)"
)
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")
_MAX_DIGITS = 24   # more is a code, not an amount (and past 28 digits Decimal rounds)
_RANGE_DASH = re.compile(r"\s*[-‐‑–/]\s*")
_FA_HALF = "نیم"
# the denominators of English fractions; the singular ones only after "one"/"a"
_EN_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                 "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                 "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}

_FA_CARDINALS = {
    "صفر": 0, "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8,
    "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
    "شانزده": 16, "هفده": 17, "هجده": 18, "هیجده": 18, "نوزده": 19, "بیست": 20, "سی": 30,
    "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90,
    "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500, "ششصد": 600,
    "هفتصد": 700, "هشتصد": 800, "نهصد": 900,
}
_FA_MULTIPLIERS = {"صد": 100, "هزار": 1000, "میلیون": 10**6, "میلیارد": 10**9}
_FA_ORDINALS = {"اول": 1, "اولین": 1, "نخست": 1, "نخستین": 1, "یکم": 1, "سوم": 3, "سومین": 3,
                "سیام": 30, "سیامین": 30}
for _w, _v in {**_FA_CARDINALS, **_FA_MULTIPLIERS}.items():
    if _v not in (0, 1, 3, 30):
        _FA_ORDINALS.setdefault(_w + "م", _v)
        _FA_ORDINALS.setdefault(_w + "مین", _v)
_FA_WORDS_OTHER = {"مضاعف": 2, "دوچندان": 2, "دوبرابر": 2, "دوبار": 2, "دوگانه": 2}
_FA_VAGUE = {"دهها", "صدها", "هزارها", "هزاران", "میلیونها", "میلیاردها"}
_FA_PLURAL = {"ها", "های", "هایی"}
_FA_CONNECTOR = "و"
# After نه (9/no) these make it a count: units and the nouns counted in reports.
_FA_COUNTED = {
    "سال", "ماه", "روز", "هفته", "ساعت", "دقیقه", "ثانیه", "قرن", "دهه", "نفر", "تن", "درصد",
    "بار", "مورد", "کشور", "شهر", "استان", "سازمان", "نهاد", "نشریه", "سایت", "کنگره",
    "عضو", "کیلو", "کیلومتر", "متر", "یورو", "دلار", "تومان", "ریال", "پوند", "کرون",
    "میلیون", "هزار", "صد", "میلیارد",
}
_FA_LETTER_NAMES = {"بی", "پی", "تی", "جی", "دی", "وی", "ان", "اس", "آی", "ال", "اف", "ام", "کیو"}

_EN_CARDINALS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_EN_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
    "thousandth": 1000, "millionth": 10**6,
}
_EN_WORDS_OTHER = {"once": 1, "single": 1, "twice": 2, "double": 2, "doubled": 2, "doubles": 2,
                   "doubling": 2, "twofold": 2, "thrice": 3, "triple": 3, "tripled": 3,
                   "threefold": 3}
_EN_VAGUE = {"tens", "dozens", "scores", "hundreds", "thousands", "millions", "billions"}
_EN_CONNECTOR = "and"

_CARDINALS = {**_FA_CARDINALS, **_EN_CARDINALS}
_MULTIPLIERS = {**_FA_MULTIPLIERS, **_EN_MULTIPLIERS}
_ORDINALS = {**_FA_ORDINALS, **_EN_ORDINALS}
_OTHER = {**_FA_WORDS_OTHER, **_EN_WORDS_OTHER}
_VAGUE = _FA_VAGUE | _EN_VAGUE
_JOIN_GAP = re.compile(r"[\s\u00a0\u200c\-‐‑–]*")


@functools.lru_cache(maxsize=8192)
def _word_key(word: str) -> str:
    word = _HARAKAT.sub("", word).replace("\u200c", "")
    return word.translate(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})).lower()


def _decimal(digits: str) -> Decimal:
    s = digits.translate(_NATIVE_DIGITS).replace("٫", ".").replace("٬", "").replace(",", "")
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return Decimal(0)


@dataclass
class _Phrase:
    total: Decimal = Decimal(0)
    current: Decimal = Decimal(0)
    digits: bool = False
    tokens: int = 0
    closed: bool = False     # an ordinal ends a number
    end: int = 0

    @property
    def value(self) -> Decimal:
        return self.total + self.current

    def takes(self, kind: str, value: int) -> bool:
        """Can a number word of ``kind``/``value`` continue this phrase?"""
        if self.closed:
            return False
        if kind == "mult":
            if value == 100:
                return 0 < self.current < 100
            return 0 < self.current < value and (self.total == 0 or self.total > self.current * value)
        if self.digits and self.total == 0:
            return False                       # "۳ ۴" are two numbers; "۳ هزار" is one
        cur = self.current
        if cur == 0:
            return self.total > 0 and value < 1000
        if cur % 100 == 0:
            return value < 100
        if cur % 10 == 0 and cur % 100 >= 20:
            return value < 10
        return False

    def add(self, kind: str, value: int | Decimal) -> None:
        self.tokens += 1
        if kind == "mult":
            if value == 100:
                self.current = (self.current or 1) * 100
            else:
                self.total += (self.current or 1) * value
                self.current = Decimal(0)
        else:
            self.current += value
            if kind == "ord":
                self.closed = True


def numbers_in(text: str) -> list[tuple[Decimal, str]]:
    """The numbers in ``text`` as (value, kind), in order; kind is "digits",
    "words", or "one" for a lone one-word (see above)."""
    text = _mask(text)
    tokens = [(m.start(), m.end(), m.group("num"), _word_key(m.group("word")) if m.group("word") else "")
              for m in _NUMBER_TOKEN.finditer(text)]
    out: list[tuple[Decimal, str]] = []
    phrase: _Phrase | None = None

    def close() -> None:
        nonlocal phrase
        if phrase is not None:
            value = phrase.value
            if phrase.digits:
                out.append((value, "digits"))
            else:
                out.append((value, "one" if value == 1 and phrase.tokens == 1 else "words"))
            phrase = None

    vague_until = -1
    joining = False   # a و after a multiplier phrase, before digits: ۳ میلیون و ۸۰۰ هزار
    i = 0
    while i < len(tokens):
        start, end, num, word = tokens[i]
        nxt = tokens[i + 1][3] if i + 1 < len(tokens) else ""
        prev = tokens[i - 1][3] if i > 0 else ""
        adjacent = phrase is not None and _JOIN_GAP.fullmatch(text[phrase.end:start]) is not None
        if num and len(num) > _MAX_DIGITS:
            close()   # a long run of digits is a code or a key, not an amount (int() refuses 4,300)
            i += 1
            continue
        if num:
            value = _decimal(num)
            if joining:
                joining = False
                phrase.current, phrase.end = value, end
                phrase.tokens += 1
                i += 1
                continue
            if (phrase is not None and phrase.digits and phrase.tokens == 1 and len(num) == 2
                    and 1000 <= phrase.current <= 2999 and phrase.current == int(phrase.current)
                    and _RANGE_DASH.fullmatch(text[phrase.end:start])):
                # 2023–24, ۱۴۰۲-۰۳: the second year of a range, written short
                first = int(phrase.current)
                value = Decimal(first // 100 * 100 + int(value))
                value += 100 if value <= first else 0
            close()
            phrase = _Phrase(current=value, digits=True, tokens=1, end=end)
            i += 1
            continue
        fraction = _fraction(phrase, adjacent, word, nxt, tokens, i)
        if fraction is not None:
            phrase.current, phrase.closed, phrase.end = fraction, True, end
            phrase.tokens += 1
            i += 1
            continue
        if word == "a" and nxt in _EN_FRACTIONS and i + 2 < len(tokens) and tokens[i + 2][3] == "of":
            close()  # "a third of", "a quarter of": a fraction; "a third party" is not
            out.append((Decimal(1) / _EN_FRACTIONS[nxt], "words"))
            i += 2
            continue
        kind, value = _classify(word, prev, nxt, tokens, i)
        if kind == "vague":
            close()
            vague_until = i + (2 if nxt in _FA_PLURAL or nxt == "of" else 1)
            i += 1
            continue
        if kind == "mult" and i <= vague_until:
            # صدها هزار, "hundreds of thousands": still vague
            vague_until = i + (2 if nxt in _FA_PLURAL or nxt == "of" else 1)
            close()
            i += 1
            continue
        if kind is None:
            if word in (_FA_CONNECTOR, _EN_CONNECTOR) and phrase is not None and adjacent and i + 1 < len(tokens):
                # دو و نیم, "two and a half": a half more
                if nxt == _FA_HALF or (nxt == "a" and i + 2 < len(tokens) and tokens[i + 2][3] == "half"):
                    skip = 2 if nxt == _FA_HALF else 3
                    phrase.current += Decimal("0.5")
                    phrase.closed, phrase.end = True, tokens[i + skip - 1][1]
                    i += skip
                    continue
                if (tokens[i + 1][2] and word == _FA_CONNECTOR and phrase.total > 0 and phrase.current == 0
                        and not phrase.closed):
                    joining = True  # ۳ میلیون و ۸۰۰ (هزار): the digits go on the same number
                    phrase.end = end
                    i += 1
                    continue
            # a connector between two number words keeps the phrase open
            if (word in (_FA_CONNECTOR, _EN_CONNECTOR) and phrase is not None and adjacent
                    and i + 1 < len(tokens) and not tokens[i + 1][2]):
                after = tokens[i + 2][3] if i + 2 < len(tokens) else ""
                nkind, nvalue = _classify(tokens[i + 1][3], word, after, tokens, i + 1)
                if nkind in ("card", "ord") and phrase.takes(nkind, nvalue):
                    phrase.end = end
                    i += 1
                    continue
            close()
            i += 1
            continue
        if nxt in _FA_PLURAL and kind in ("card", "mult"):       # "صد ها", "ده ها": vague
            close()
            vague_until = i + 2
            i += 2
            continue
        if kind == "other":
            close()
            out.append((Decimal(value), "one" if value == 1 else "words"))
            i += 1
            continue
        if phrase is not None and adjacent and phrase.takes(kind, value):
            phrase.add(kind, value)
            phrase.end = end
        else:
            close()
            phrase = _Phrase(end=end)
            phrase.add(kind, value)
        i += 1
    close()
    return out


def _fraction(phrase: "_Phrase | None", adjacent: bool, word: str, nxt: str, tokens, i) -> Decimal | None:
    """The value of a count and a denominator read as a fraction, when
    ``word`` is the denominator of the small count in ``phrase``: یک چهارم,
    سه چهارم, دو سوم (a short ordinal, never …مین: سومین is "third"), "one
    quarter", "two thirds"."""
    if phrase is None or not adjacent or phrase.digits or phrase.total or phrase.closed:
        return None
    count = phrase.current
    if word in _EN_FRACTIONS:
        den = _EN_FRACTIONS[word]
        plural = word.endswith("s")
        if not (0 < count < den and (plural == (count > 1))):
            return None
    elif word in _FA_ORDINALS and word.endswith("م") and not word.endswith("مین"):
        den = _FA_ORDINALS[word]
        if not (0 < count < den <= 10):
            return None
    else:
        return None
    return count / den


def _classify(word: str, prev: str, nxt: str, tokens, i) -> tuple[str | None, int]:
    """("card"|"mult"|"ord"|"other"|"vague"|None, value) for one word."""
    if not word:
        return None, 0
    if word in _VAGUE:
        return "vague", 0
    if word in _MULTIPLIERS:
        return "mult", _MULTIPLIERS[word]
    if word in _CARDINALS:
        if nxt == "شنبه":                                     # سه شنبه: Tuesday
            return None, 0
        if word == "سی" and (prev in _FA_LETTER_NAMES or nxt in _FA_LETTER_NAMES or "سی" in (prev, nxt)):
            return None, 0                                     # بی بی سی: BBC; ۷۰۰ سی سی: cc
        if word == "نه":
            in_phrase = prev == _FA_CONNECTOR and i >= 2 and _is_number_token(tokens[i - 2])
            if not (in_phrase or nxt in _FA_COUNTED):
                return None, 0                                 # نه: no, not
        return "card", _CARDINALS[word]
    if word in _ORDINALS:
        return "ord", _ORDINALS[word]
    if word in _OTHER:
        return "other", _OTHER[word]
    return None, 0


def _is_number_token(token) -> bool:
    _, _, num, word = token
    return bool(num) or word in _CARDINALS or word in _MULTIPLIERS or word in _ORDINALS


def _fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    fraction = Fraction(value).limit_denominator(12)
    if fraction.denominator in (3, 6, 7, 9, 11, 12) and abs(Decimal(fraction.numerator) / fraction.denominator - value) < Decimal("1e-20"):
        return f"{fraction.numerator}/{fraction.denominator}"  # a third, not 0.3333…
    return f"{value.normalize():f}"


@functools.lru_cache(maxsize=4096)
def _number_counts(text: str) -> tuple[dict[Decimal, tuple[int, int]], int]:
    """{value: (in digits, in words)} and how many lone one-words (one, یک…)."""
    counts: dict[Decimal, list[int]] = {}
    ones = 0
    for value, kind in numbers_in(text):
        if kind == "one":
            ones += 1
            continue
        c = counts.setdefault(value, [0, 0])
        c[0 if kind == "digits" else 1] += 1
    return {v: (d, w) for v, (d, w) in counts.items()}, ones


@checker("numbers")
def numbers(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The same numbers in source and translation, however they are written."""
    (src, src_ones), (tgt, tgt_ones) = _number_counts(source), _number_counts(target)
    missing, extra, differ = [], [], []
    for value in sorted(set(src) | set(tgt)):
        sd, sw = src.get(value, (0, 0))
        td, tw = tgt.get(value, (0, 0))
        if value == 1:
            # a lone one-word does not count by itself, but may stand for a digit 1
            if sd > td + tw + tgt_ones:
                missing.append(_fmt(value))
            elif td > sd + sw + src_ones:
                extra.append(_fmt(value))
            continue
        if not sd + sw:
            extra.append(_fmt(value))
        elif not td + tw:
            missing.append(_fmt(value))
        else:
            s_lo, s_hi = sd + min(sw, 1), sd + sw
            t_lo, t_hi = td + min(tw, 1), td + tw
            if s_hi < t_lo or t_hi < s_lo:
                differ.append(f"{_fmt(value)} occurs {_times(sd + sw)} in the source but {_times(td + tw)} in the translation")
    # a Solar Hijri year given as the Gregorian years it spans, or back
    missing_years = {m for m in missing if _other_calendar(m, tgt)}
    extra_years = {e for e in extra if _other_calendar(e, src)}
    missing = [m for m in missing if m not in missing_years]
    extra = [e for e in extra if e not in extra_years]
    if missing:
        yield f"the source has {_names(missing)}, which the translation does not"
    if extra:
        yield f"the translation has {_names(extra)}, which the source does not"
    for d in differ:
        yield f"the number {d}"


def _other_calendar(shown: str, values) -> bool:
    """Whether the year ``shown`` (as _fmt wrote it) has its counterpart in
    the other calendar among ``values``: a Solar Hijri year Y begins in March
    of Y + 621 and ends in March of Y + 622."""
    try:
        year = int(shown.replace(",", ""))
    except ValueError:
        return False
    if 1200 <= year <= 1500:
        return Decimal(year + 621) in values or Decimal(year + 622) in values
    if 1821 <= year <= 2122:
        return Decimal(year - 621) in values or Decimal(year - 622) in values
    return False


# --- glossary ------------------------------------------------------------------------

_APOSTROPHES = "'’ʼ"
_HYPHENS = "-‐‑–"


def _target_pattern(target: str, pos: str = "") -> re.Pattern:
    """The glossary's target term, with the inflections English adds to it.

    Case-insensitive; typographic and straight apostrophes and the hyphens are
    interchangeable, and so are the kinds of space.  A name (pos "proper
    noun") may take the possessive (-’s, -s’), and a one-word name the plural
    too (Reyhaneh → “the Reyhanehs”), but a many-word name must be exact
    (“Committee Against Executions” is not the committee's name).  Other
    terms may also take -s/-es, -d/-ed (discipline → disciplined) and the
    prefixes re-/un-/non- (orientation → reorientation), which is how the
    glossary's own notes expect its terms to be used."""
    body = ""
    for ch in target:
        if ch in _APOSTROPHES:
            body += f"[{_APOSTROPHES}]"
        elif ch in _HYPHENS:
            body += f"[{_HYPHENS}]"
        elif ch.isspace():
            body += r"[\s\u00a0]+"
        else:
            body += re.escape(ch)
    name = pos == "proper noun"
    possessive = rf"[{_APOSTROPHES}]s|s[{_APOSTROPHES}]"
    if not target[-1:].isalpha():
        suffix = ""
    elif name:
        suffix = rf"(?:{possessive}|s)?" if len(target.split()) == 1 else rf"(?:{possessive})?"
    else:
        suffix = rf"(?:e?s|{possessive}|e?d)?"
        if re.search(r"[^aeiou\W]y$", target, re.I):  # assembly → assemblies, party → parties
            body = body[:-1] + "(?:y|ie)"
            suffix = rf"(?:s|{possessive}|d)?"
    prefix = r"(?:re|un|non[-‐]?)?" if target[:1].isalpha() and not name else ""
    return re.compile(rf"(?<![^\W_]){prefix}{body}{suffix}(?![^\W_])", re.I)


_TARGET_PATTERNS: dict[tuple[str, str], re.Pattern] = {}


@checker("glossary")
def glossary(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Each glossary term in the source has the glossary's translation in the target."""
    if not ctx.terms:
        return
    from .glossary import terms_in
    plain = _plain(target)
    for term in terms_in(source, ctx.terms):
        wanted = term.targets.get(ctx.lang)
        if not wanted:
            continue
        key = (wanted, term.pos)
        pattern = _TARGET_PATTERNS.get(key)
        if pattern is None:
            pattern = _TARGET_PATTERNS[key] = _target_pattern(wanted, term.pos)
        if not pattern.search(plain) and not pattern.search(target):
            where = f" ({ctx.glossary_display}:{term.line})" if term.line else ""
            yield (f"the glossary translates {_quote(term.term)} as {_quote(wanted)}{where}, "
                   f"which is not in the translation")


# --- script --------------------------------------------------------------------------

@checker("script")
def script(source: str, target: str, ctx: Context) -> Iterator[str]:
    """No Persian/Arabic script left in a translation into a left-to-right language."""
    if ctx.rtl:
        return
    # Persian punctuation and digits are punctuation-script's, which says
    # what to write instead
    text = _mask(target, footnotes=False, placeholders=False).translate(_NOT_LETTERS)
    runs = _ARABIC_SCRIPT.findall(text)
    runs = [r for r in runs if r.strip()]
    if runs:
        shown = _names(_quote(r) for r in runs[:3]) + (" …" if len(runs) > 3 else "")
        yield f"Persian/Arabic script left in the translation: {shown}"


# --- punctuation-script ----------------------------------------------------------------
#
# The Persian forms of Latin marks, which the script check does not see as
# letters left behind and an English edition prints as they are (28٪, ؟):
# each with its name and what a Latin-script text writes instead.

_PERSIAN_MARKS = {
    "٪": ("the Persian percent sign", "%"),
    "،": ("the Persian comma", ","),
    "؛": ("the Persian semicolon", ";"),
    "؟": ("the Persian question mark", "?"),
    "٫": ("the Persian decimal separator", "."),
    "٬": ("the Persian thousands separator", ","),
}
_PERSIAN_DIGITS = {"۰۱۲۳۴۵۶۷۸۹": "Persian digits", "٠١٢٣٤٥٦٧٨٩": "Arabic-Indic digits"}
_DIGIT_RUN = re.compile("[۰-۹٠-٩]++(?:[٫٬.,][0-9۰-۹٠-٩]++)*+")
_GUILLEMETS = "«»"
# Languages whose own quotation marks are « » (CLDR's delimiters, which
# Babel does not carry): there they are the translator's, not the source's.
_GUILLEMET_LANGUAGES = {"fr", "ru", "uk", "be", "es", "ca", "eu", "gl", "it", "el", "nb", "nn", "no", "hy",
                        "kk", "ky", "uz", "sq", "rm", "br", "pt-PT", "de-CH", "gsw"}
_PUNCTUATION_SCRIPT = "".join(_PERSIAN_MARKS) + "".join(_PERSIAN_DIGITS) + _GUILLEMETS


@functools.lru_cache(maxsize=64)
def _arabic_script(lang: str) -> bool:
    """Whether ``lang`` is written in Arabic script (fa, ur, ckb, tg-Arab),
    where these marks and digits are its own."""
    try:
        return parse_language(lang).script == "Arab"
    except PublishError:
        return False


def _uses_guillemets(lang: str) -> bool:
    return lang in _GUILLEMET_LANGUAGES or lang.split("-")[0] in _GUILLEMET_LANGUAGES


class _Lesser(str):
    """A message that is a warning in a check whose findings are errors."""


def _own_text(source: str, target: str) -> str:
    """The target without what the source carries as it is: its code spans,
    URLs, link targets, footnote labels and placeholders, which other checks
    compare and which no translator writes (`۱۲٪` in code is the source's)."""
    kept = {source[a:b] for a, b in _code_spans(source)}
    target = _replace_code(target, lambda a, b: " " if target[a:b] in kept else target[a:b])
    return _mask(target, code=False)


@checker("punctuation-script")
def punctuation_script(source: str, target: str, ctx: Context) -> Iterator[str]:
    """No Persian punctuation, digits or «» quotes in a translation into a
    language written in another script: each named, with what to write."""
    if _arabic_script(ctx.lang) or not any(ch in target for ch in _PUNCTUATION_SCRIPT):
        return
    text = _own_text(source, target)
    # a separator inside a number is named with the number's digits
    marks = _DIGIT_RUN.sub(" ", text)
    counts = Counter(ch for ch in marks if ch in _PERSIAN_MARKS)
    for mark, n in sorted(counts.items(), key=lambda kv: marks.index(kv[0])):
        name, latin = _PERSIAN_MARKS[mark]
        seen = "" if n == 1 else f" ({_times(n)})"
        yield f"{name} {_quote(mark)} is in the translation{seen}: write {_quote(latin)}"
    for digits, name in _PERSIAN_DIGITS.items():
        runs = list(dict.fromkeys(m.group() for m in _DIGIT_RUN.finditer(text)
                                  if any(d in digits for d in m.group())))
        if runs:
            shown = _names(f"{_quote(r)} → {_quote(r.translate(_LATIN_FORMS))}" for r in runs[:3])
            yield f"{name} in the translation: write the Latin digits 0–9 ({shown}{' …' if len(runs) > 3 else ''})"
    if any(ch in text for ch in _GUILLEMETS) and not _uses_guillemets(ctx.lang):
        # a warning: a translator may quote a title as its source prints it
        own = "" if ctx.lang.split("-")[0] == "en" else " or your language's own quotation marks"
        yield _Lesser(f"the Persian quotation marks «…» are in the translation: write “…”{own}")


_LATIN_FORMS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")
_NOT_LETTERS = str.maketrans(dict.fromkeys(_PUNCTUATION_SCRIPT, " "))


# --- identical -----------------------------------------------------------------------

@checker("identical")
def identical(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The translation is not just a copy of the source."""
    if " ".join(source.split()).casefold() != " ".join(target.split()).casefold():
        return
    if any(ch.isalpha() for ch in _mask(source)):
        yield "the translation is identical to the source"


# --- markup --------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _markup(text: str) -> dict:
    text = _ESCAPED.sub("  ", text)
    code = len(_code_spans(text))
    text = _strip_code(text, "x")
    links = Counter(m.group(3) for m in _LINK.finditer(text) if not m.group(1))
    images = Counter(m.group(3) for m in _LINK.finditer(text) if m.group(1))
    links.update(m.group(1) for m in _AUTOLINK.finditer(text))
    footnotes = Counter(_FOOTREF.findall(text))
    spans = Counter(_SPAN_ATTRS.findall(text))
    text = _LINK.sub(lambda m: " " + m.group(2) + " ", text)
    text = _FOOTREF.sub(" ", text)
    strong_spans = _spans(text, _STRONG)
    strong = len(strong_spans)
    text = _sub_spans(text, strong_spans, lambda inner: " " + inner + " ")
    emph = len(_spans(text, _EMPH))
    return {"code": code, "links": links, "images": images, "footnotes": footnotes,
            "spans": spans, "strong": strong, "emph": emph}


_SPAN_ATTRS = re.compile(r"\]\{([^{}]*)\}")
_MARKUP_NAMES = {"strong": "bold spans (**…**)", "emph": "italic spans (*…*)", "code": "code spans (`…`)"}


@checker("markup")
def markup(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Inline Markdown kept: code, links, footnote refs, spans.

    Compared: the number of code spans, the link (and image) targets, the
    footnote references and bracketed spans ([…]{.smallcaps}).  Emphasis is
    the ``emphasis`` check's: a warning, as the translator may be right."""
    s, t = _markup(source), _markup(target)
    if s["code"] != t["code"]:
        yield f"the source has {s['code']} {_MARKUP_NAMES['code']}, the translation {t['code']}"
    yield from _differences(s["links"], t["links"],
                            lambda u: f"the translation has no link to {u}",
                            lambda u: f"the translation has a link to {u} that the source does not")
    yield from _differences(s["images"], t["images"],
                            lambda u: f"the translation has no image {u}",
                            lambda u: f"the translation has an image {u} that the source does not")
    yield from _differences(s["footnotes"], t["footnotes"],
                            lambda n: f"footnote reference {n} is missing from the translation",
                            lambda n: f"the translation has footnote reference {n}, which the source does not",
                            show=lambda n: f"[^{n}]")
    yield from _differences(s["spans"], t["spans"],
                            lambda a: f"the translation has no span {a}",
                            lambda a: f"the translation has a span {a} that the source does not",
                            show=lambda a: "[…]{" + a + "}")


@checker("emphasis", severity="warning")
def emphasis(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Bold and italic spans, counted.  A warning, not an error: English
    italicises a transliterated word or a title the Persian sets plain, and
    one bold phrase may become two; the translator decides."""
    s, t = _markup(source), _markup(target)
    for key in ("strong", "emph"):
        if s[key] != t[key]:
            yield f"the source has {s[key]} {_MARKUP_NAMES[key]}, the translation {t[key]}"


# An HTML tag or comment: "<" and a name, then attributes up to ">" (no "<"
# or ">" inside, so the scan cannot run on), or "<!--".  Autolinks
# (<https://…>) and addresses (<a@b.org>) have ":" or "@" after the name.
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)(?=[\s/>])[^<>]*+>|<!--")


def html_tags(text: str) -> Counter:
    return Counter(m.group(2).lower() if m.group(2) else "!--" for m in _HTML_TAG.finditer(_strip_code(text)))


@checker("note")
def translator_note(source: str, target: str, ctx: Context) -> Iterator[str]:
    """A translator's note, ``^[…]`` (a footnote marked as the translator's
    in the edition), as the editions read it: closed, not empty, and
    without what it cannot hold."""
    for start, end in note_spans(target):
        if end < 0:
            yield f"the translator's note at {_quote(target[start:start + 20])} is never closed with ]: it is printed as it is"
            continue
        inner = target[start + 2:end - 1]
        if not inner.strip():
            yield "the translator's note ^[] is empty: the editions leave it out"
        if note_spans(inner):
            yield "a note inside a translator's note is printed as the text it is: ^[…] inside ^[…]"
        if re.search(r"\[\^\d+\]", inner):
            yield ("a footnote mark [^N] inside a translator's note is printed as it is: "
                   "put the source's footnote mark outside the note")


@checker("html")
def raw_html(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Raw HTML in a translation.  A translation is Markdown text only: a tag
    is printed as the characters it is (``<b>`` shows as "<b>"), never
    applied, so it is always a mistake; a safety check, it cannot be
    silenced (``UNSILENCEABLE``).  Tags the source itself shows are fine."""
    extra = html_tags(target) - html_tags(source)
    if extra:
        names = _names(f"<{n}>" if n != "!--" else "<!--" for n in sorted(extra))
        yield (f"the translation has HTML {names}, which is printed as text, not applied: "
               "write Markdown instead (**bold**, *italics*, [text](https://…))")


def _differences(source: Counter, target: Counter, missing, extra, show=_quote) -> Iterator[str]:
    """One sentence for what the target lacks, one for what it adds."""
    lacking = sorted((source - target).elements())
    added = sorted((target - source).elements())
    if lacking:
        yield missing(_names(show(x) for x in lacking))
    if added:
        yield extra(_names(show(x) for x in added))


# --- brackets and quotes -------------------------------------------------------------

_PAIRS = {
    "parentheses": ("(", ")"),
    "square brackets": ("[", "]"),
    "quotation marks": ("«“", "»”"),
}
_SINGULAR = {"parentheses": "parenthesis", "square brackets": "square bracket",
             "quotation marks": "quotation mark"}


@functools.lru_cache(maxsize=4096)
def _balance(text: str) -> dict[str, tuple[int, int]]:
    """Per kind: (left open at the end, closed without an opening)."""
    text = _ESCAPED.sub("  ", _strip_code(text))
    for a, b, _ in reversed(_url_spans(text)):
        text = text[:a] + " " + text[b:]
    out = {}
    for name, (opens, closes) in _PAIRS.items():
        depth = stray = 0
        for ch in text:
            if ch in opens:
                depth += 1
            elif ch in closes:
                if depth:
                    depth -= 1
                else:
                    stray += 1
        out[name] = (depth, stray)
    out["straight quotes"] = (text.count('"') % 2, 0)
    return out


@checker("brackets")
def brackets(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Brackets and quotation marks balanced in the translation.

    A unit is a sentence, and a quotation may run over several: an imbalance
    the source has too is not the translator's."""
    s, t = _balance(source), _balance(target)
    for name, (unclosed, stray) in t.items():
        if (unclosed, stray) == (0, 0) or (unclosed, stray) == s[name]:
            continue
        if name == "straight quotes":
            yield 'the translation has an odd number of straight double quotes (")'
            continue
        opens, closes = (" or ".join(_quote(c) for c in chars) for chars in _PAIRS[name])
        if unclosed:
            what = _SINGULAR[name] if unclosed == 1 else name
            yield f"the translation leaves {unclosed} {what} open: {opens} without a matching {closes}"
        if stray:
            what = _SINGULAR[name] if stray == 1 else name
            yield f"the translation has {stray} closing {what} ({closes}) that nothing opened"


# --- punctuation ---------------------------------------------------------------------

_FINAL_NOISE = ")]»”’\"'*_`}"   # closing marks that may follow the final punctuation
_FINAL_FOOTREF = re.compile(r"\[\^[^\[\]\s]++\]")
_FINAL = {"?": "?", "؟": "?", "!": "!", ".": ".", "…": "…", ":": ":", "؛": ";", ";": ";"}


def _final_punctuation(text: str) -> str | None:
    # Trailing white space, footnote references and closing marks, peeled
    # off from the end.  Not a pattern anchored with $: that is tried at
    # every position and scans each run to its end (a line of spaces: minutes).
    while True:
        stripped = text.rstrip()
        at = stripped.rfind("[^")
        if at >= 0 and _FINAL_FOOTREF.fullmatch(stripped, at):
            stripped = stripped[:at]     # before the marks: a reference ends with one
        else:
            stripped = stripped.rstrip(_FINAL_NOISE)
        if stripped == text:
            break
        text = stripped
    if text.endswith("..."):
        return "…"
    return _FINAL.get(text[-1:]) if text else None


@checker("punctuation")
def punctuation(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The translation ends like the source: ؟/? → ?, ! → !, . → ., … → …, : → :.

    Closing quotes, brackets and footnote references after the mark do not
    matter ('.”' is a full stop)."""
    s, t = _final_punctuation(source), _final_punctuation(target)
    if s == t:
        return
    names = {"?": "a question mark", "!": "an exclamation mark", ".": "a full stop",
             "…": "an ellipsis", ":": "a colon", ";": "a semicolon", None: "no punctuation"}
    yield f"the source ends with {names[s]}, the translation with {names[t]}"


# --- urls and placeholders -----------------------------------------------------------

@checker("urls")
def urls(source: str, target: str, ctx: Context) -> Iterator[str]:
    """URLs and e-mail addresses unchanged."""
    yield from _differences(Counter(urls_in(source)), Counter(urls_in(target)),
                            lambda u: f"{u} from the source is not in the translation unchanged",
                            lambda u: f"the translation has {u}, which the source does not")


def placeholders_in(text: str) -> list[str]:
    text = _strip_code(text)
    for a, b, _ in reversed(_url_spans(text)):
        text = text[:a] + " " + text[b:]
    return _PLACEHOLDER.findall(text)


@checker("placeholders")
def placeholders(source: str, target: str, ctx: Context) -> Iterator[str]:
    """Placeholders ({name}, {{x}}, %s, %(x)s) unchanged."""
    yield from _differences(Counter(placeholders_in(source)), Counter(placeholders_in(target)),
                            lambda p: f"placeholder {p} is missing from the translation",
                            lambda p: f"the translation has placeholder {p}, which the source does not",
                            show=str)


# --- whitespace and bidi ---------------------------------------------------------------

_DOUBLE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{2,}")


@checker("whitespace")
def whitespace(source: str, target: str, ctx: Context) -> Iterator[str]:
    """No double spaces, no leading or trailing white space."""
    lead = target[: len(target) - len(target.lstrip())]
    trail = target[len(target.rstrip()):]
    if lead and lead != source[: len(source) - len(source.lstrip())]:
        yield "the translation starts with white space"
    if trail and trail != source[len(source.rstrip()):]:
        yield "the translation ends with white space"
    doubles = [m for m in _DOUBLE_SPACE.finditer(target.strip())]
    if doubles:
        m = doubles[0]
        at = target.strip()[max(0, m.start() - 15): m.start()].split(" ")[-1] or target.strip()[:15]
        more = f" ({len(doubles)} places)" if len(doubles) > 1 else ""
        yield f"double space in the translation after {_quote(at)}{more}"


@checker("bidi")
def bidi(source: str, target: str, ctx: Context) -> Iterator[str]:
    """No bidirectional embedding, override or isolate controls (Trojan Source),
    written as characters or as the HTML entities the Markdown reader decodes."""
    found = [(m.start(), m.group()) for m in BIDI_CONTROLS.finditer(html.unescape(target))]
    if found:
        names = sorted({f"U+{ord(ch):04X} {unicodedata.name(ch, '')}" for _, ch in found})
        yield (f"the translation contains {len(found)} invisible bidirectional control "
               f"character{'s' if len(found) > 1 else ''} ({', '.join(names)}), which can make "
               f"the text read differently from what is printed")


# --- length ----------------------------------------------------------------------------

LENGTH_FACTOR = 3.0
LENGTH_MIN_CHARS = 20


def _ratio(source: str, target: str) -> float | None:
    s, t = len(_plain(source)), len(_plain(target))
    return t / s if s else None


@checker("length", severity="warning")
def length(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The translation's length is in line with the rest of the catalog."""
    if not ctx.median_ratio:
        return
    s, t = len(_plain(source)), len(_plain(target))
    if not s or max(s, t) <= LENGTH_MIN_CHARS:
        return
    ratio = t / s
    if ratio > ctx.median_ratio * LENGTH_FACTOR or ratio < ctx.median_ratio / LENGTH_FACTOR:
        yield (f"the translation is {ratio:.2f} times as long as the source, where this catalog's "
               f"median is {ctx.median_ratio:.2f}: is something missing or added?")


# --- untranslated and fuzzy --------------------------------------------------------------

@checker("untranslated", severity="warning")
def untranslated(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The unit has no translation."""
    if not target:
        yield "not translated yet"
    elif not target.strip():
        yield "the translation is only white space"


@checker("fuzzy", severity="warning")
def fuzzy(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The unit's translation is marked fuzzy (a draft to review)."""
    if target and ctx.entry is not None and "fuzzy" in ctx.entry.flags:
        yield "the translation is marked fuzzy: review it and clear the flag"


@checker("title", severity="warning")
def title(source: str, target: str, ctx: Context) -> Iterator[str]:
    """The document's title, subtitle, author and organisation translated
    (their entries carry a msgctxt, see ``titles``): an edition prints the
    source's where they are not, marked as the source's language."""
    from .titles import CONTEXTS, language_name
    field = CONTEXTS.get(ctx.entry.msgctxt) if ctx.entry is not None else None
    if field is None:
        return
    shows = f"the {ctx.lang} edition shows the {language_name(ctx.source_lang)} {field.name}"
    if not target.strip():
        yield f"the {field.name} is not translated; {shows}"
    elif "fuzzy" in ctx.entry.flags:
        yield f"the {field.name}'s translation is fuzzy; {shows} until it is reviewed"


# --- running the checks --------------------------------------------------------------------

# What a translator cannot silence: checks that guard the reader, not the
# translation's quality (a "# check: ignore bidi" let a U+202E through
# --strict).  Named here even before they exist, so a new one is safe at once.
UNSILENCEABLE = frozenset({"bidi", "html"})   # control characters: refused when a catalog is read
# The checks that read a translator's notes (^[…]) with the rest: what guards
# readers, and the notes' own form.  The others compare the translation with
# the source, which a note is not part of (a year or a link in a note is no
# number or link missing from the source).
WHOLE_TARGET = frozenset({"bidi", "html", "note"})
_IGNORE_COMMENT = re.compile(r"check:\s*ignore\s+([\w\-]+(?:[\s,]+[\w\-]+)*)", re.I)
_STATE_CHECKS = ("untranslated", "fuzzy")
LENGTH_MIN_UNITS = 5   # fewer translated units than this: no median, no length check


def silenced(entry: polib.POEntry) -> set[str]:
    """The checks a translator turned off for this entry (may contain "all",
    which never covers UNSILENCEABLE; nor can they be named)."""
    out = {f[len("no-check-"):] for f in entry.flags if f.startswith("no-check-")}
    for line in (entry.tcomment or "").splitlines():
        for m in _IGNORE_COMMENT.finditer(line):
            out.update(n.lower() for n in re.split(r"[\s,]+", m.group(1)) if n)
    return out - UNSILENCEABLE


def _selected(only: Iterable[str] | None) -> list[str]:
    if only is None:
        return list(CHECKS)
    names = [n for item in ([only] if isinstance(only, str) else only)
             for n in re.split(r"[\s,]+", item) if n]
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise PublishError(f"unknown check {_names(unknown)} (the checks are {', '.join(CHECKS)})")
    return [n for n in CHECKS if n in names]


def median_ratio(po: polib.POFile) -> float | None:
    ratios = [r for e in po if e.msgid and e.msgstr and not e.obsolete and "fuzzy" not in e.flags
              for r in [_ratio(e.msgid, e.msgstr)] if r]
    return statistics.median(ratios) if len(ratios) >= LENGTH_MIN_UNITS else None


def _is_rtl(lang: str) -> bool:
    try:
        return direction(lang) == "rtl"
    except PublishError:
        return False


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        return [(entry.msgid if i == 0 else entry.msgid_plural, t) for i, t in enumerate(forms)] or [(entry.msgid, "")]
    return [(entry.msgid, entry.msgstr)]


def check_catalog(po: polib.POFile, path_display: str, lang: str, source_lang: str,
                  glossary_terms: list | None, only: Iterable[str] | None = None,
                  glossary_display: str = "translations/glossary.yml",
                  silenced_out: list[Finding] | None = None) -> list[Finding]:
    """Run the checks (all, or those named in ``only``) over one catalog.

    What a translator silenced is not returned but still found, and put in
    ``silenced_out`` when given, so that ``check`` can say how much was."""
    names = _selected(only)
    ctx = Context(lang=lang, source_lang=source_lang, terms=list(glossary_terms or []),
                  rtl=_is_rtl(lang), median_ratio=median_ratio(po) if "length" in names else None,
                  glossary_display=glossary_display)
    findings: list[Finding] = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        off = silenced(entry)
        ctx.entry = entry
        pairs = _pairs(entry)
        if not all(printable(t) for _, t in pairs):   # as status counts it: nothing a reader would see
            run = ["untranslated", "title"]
        elif "fuzzy" in entry.flags:
            run = ["fuzzy", "title"]
        else:
            run = [n for n in names if n not in _STATE_CHECKS]
        for name in run:
            if name not in names:
                continue
            quiet = name in off or ("all" in off and name not in UNSILENCEABLE)
            if quiet and silenced_out is None:
                continue
            fn = CHECKS[name]
            seen = set()
            for source, target in pairs if name not in _STATE_CHECKS else pairs[:1]:
                if name not in WHOLE_TARGET:   # a translator's note translates nothing of the source
                    target = split_notes(target)[0]
                for message in fn(source, target, ctx):
                    if message in seen:
                        continue
                    seen.add(message)
                    severity = "warning" if isinstance(message, _Lesser) else getattr(fn, "severity", "error")
                    (silenced_out if quiet else findings).append(Finding(
                        path_display, entry.linenum or 0, name, str(message), entry.msgid, severity))
    ctx.entry = None
    return findings


def _target(project, lang: str) -> str:
    """A target language as the user names it (pt_BR, pt-BR) → its tag."""
    try:
        found = language_tag(lang)
    except PublishError:
        found = lang
    if found not in project.target_languages:
        raise PublishError(f"{lang} is not one of the target languages ({', '.join(project.target_languages)})")
    return found


def check_project(project, documents=None, languages=None, only=None,
                  silenced_out: list[Finding] | None = None,
                  catalogs_out: list[str] | None = None) -> list[Finding]:
    """Check the catalogs of ``documents`` (names or Documents; all by default)
    in ``languages`` (all target languages by default) against the glossary;
    silenced findings go to ``silenced_out`` (see ``check_catalog``), and
    the catalogs checked (as findings name them) to ``catalogs_out``."""
    from . import catalog, glossary
    _selected(only)   # unknown names fail before any file is read
    docs = project.documents if documents is None else [
        d if not isinstance(d, str) else project.document(d) for d in documents]
    langs = project.target_languages if languages is None else [_target(project, l) for l in languages]

    def display(path) -> str:
        try:
            return path.relative_to(project.root).as_posix()
        except ValueError:
            return str(path)

    gdisplay = display(project.glossary_path)
    terms = glossary.load(project.glossary_path, project.source_language, project.normalize, display=gdisplay)
    findings: list[Finding] = []
    for doc in docs:
        for lang in langs:
            path = project.po_path(doc, lang)
            po = catalog.read(path, display(path))
            if catalogs_out is not None:
                catalogs_out.append(display(path))
            findings += _titles(project, doc, lang, po, display(path), check_catalog(
                po, display(path), lang, project.source_language, terms, only, glossary_display=gdisplay,
                silenced_out=silenced_out),
                "title" in _selected(only))
    return findings


def _titles(project, doc, lang: str, po: polib.POFile, path: str, findings: list[Finding],
            selected: bool) -> list[Finding]:
    """The ``title`` check as the project sees it: nothing for a field
    publish.yml sets for ``lang`` (its entry's translation is not used), and
    a finding for one the catalog does not offer yet (``publish update``
    has not run since the source text was set)."""
    from . import titles
    if not selected:
        return findings
    src = project.source_language
    found = titles.catalog_entries(po)
    for field in titles.FIELDS:
        values = titles.texts(project, doc, field)
        msgid = titles.source_text(project, doc, field)
        if titles.configured(values, lang):
            findings = [f for f in findings if not (f.check == "title" and f.msgid == msgid)]
        elif msgid and (field.context, msgid) not in found:
            findings.append(Finding(path, 0, "title", f"the {field.name} is not in this catalog (run publish "
                                    f"update); the {lang} edition shows the {titles.language_name(src)} "
                                    f"{field.name}", msgid, "warning"))
    return findings


# --- reports for continuous integration ---------------------------------------------------

def fails(f: Finding, strict: bool) -> bool:
    """Whether a finding fails the check run: an error, or any finding with --strict."""
    return f.severity == "error" or strict


def junit(findings: list[Finding], catalogs: list[str], checks: Iterable[str], strict: bool = False,
          silenced: list[Finding] | None = None) -> str:
    """The findings as JUnit XML, which CI systems (GitLab, Jenkins, GitHub
    test reporters) show as test results: a test suite per catalog, a test
    case per check in it, passed or failed, so a report also says what was
    checked and found clean.  A failed case has one ``failure`` (JUnit
    allows one) whose text lists its findings, each as ``check`` prints it;
    warnings that do not fail the run (no --strict) and what translators
    silenced are in its ``system-out``."""
    import xml.etree.ElementTree as ET
    checks = list(checks)
    by: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        by.setdefault((f.path, f.check), []).append(f)
    quiet: dict[tuple[str, str], int] = Counter((f.path, f.check) for f in silenced or [])
    paths = list(dict.fromkeys([*catalogs, *(f.path for f in findings)]))
    root = ET.Element("testsuites", name="publish check")
    total = failed = 0
    for path in paths:
        suite = ET.SubElement(root, "testsuite", name=path)
        n = bad = 0
        for name in list(dict.fromkeys([*checks, *(c for p, c in by if p == path)])):
            found = by.get((path, name), [])
            case = ET.SubElement(suite, "testcase", classname=path, name=name)
            failing = [f for f in found if fails(f, strict)]
            if failing:
                first = min(f.line for f in failing)
                failure = ET.SubElement(case, "failure", type=name, message=(
                    failing[0].message if len(failing) == 1 else f"{len(failing)} findings, the first at line {first}"))
                failure.text = "\n".join(_line(f) for f in failing)
                bad += 1
            rest = [f for f in found if not fails(f, strict)]
            notes = [_line(f) for f in rest]
            if quiet.get((path, name)):
                notes.append(f"{quiet[(path, name)]} silenced by translators' comments and flags")
            if notes:
                ET.SubElement(case, "system-out").text = "\n".join(notes)
            n += 1
        suite.set("tests", str(n))
        suite.set("failures", str(bad))
        suite.set("errors", "0")
        total, failed = total + n, failed + bad
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _line(f: Finding) -> str:
    return f"{f.path}:{f.line}: {f.severity}: [{f.check}] {f.message}"


def github(findings: list[Finding], strict: bool = False) -> str:
    """The findings as GitHub Actions workflow commands, which a workflow
    turns into annotations on the PO file's lines in a pull request:
    ``::error file=…,line=…,title=…::message`` (``::warning`` for a warning
    that does not fail the run).  Values are escaped as the runner
    reads them (``%``, CR and LF everywhere; ``:`` and ``,`` in properties),
    so a message cannot end its command early or start another."""
    out = []
    for f in findings:
        kind = "error" if fails(f, strict) else "warning"
        props = [f"file={_gh(f.path, True)}"]
        if f.line:   # line 0: the catalog as a whole
            props.append(f"line={f.line}")
        props.append(f"title={_gh(f'publish check: {f.check}', True)}")
        out.append(f"::{kind} {','.join(props)}::{_gh(f.message)}")
    return "".join(line + "\n" for line in out)


def _gh(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value

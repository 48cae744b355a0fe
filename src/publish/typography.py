"""Optional Persian typographic rules, each off unless ``publish.yml`` turns it on.

* ``zwnj_prefixes``: ``می شود`` → ``می‌شود``, ``نمی کند`` → ``نمی‌کند``;
* ``zwnj_suffixes``: ``عرصه های`` → ``عرصه‌های``, ``بزرگ تر`` → ``بزرگ‌تر``,
  ``خانه ای`` → ``خانه‌ای``, ``رفته اند`` → ``رفته‌اند``;
* ``persian_digits``: ``سال 1402`` → ``سال ۱۴۰۲``, never in ``MP3``, a URL
  or beside a Latin word (``Windows 10``);
* ``ellipsis``: ``...`` → ``…``.

Only a space written where a half-space belongs is touched: a word written
joined (``میشود``, ``کتابها``) is left as it is, so ``میز``, ``میوه``,
``هایده`` and ``ایران`` cannot be cut.  The traps are in the context: ``ماه
می`` (May) and ``جام می`` (wine), ``ها!`` and ``های و هوی``, ``چشم تر``
(wet), the vocative ``ای دوست``.  A word list (hazm ships 190,000 words)
would settle more of them, but it is a 5 MB NLP stack for the one case it
helps (is the word after ``می`` a verb?), and every Persian verb form after
``می`` ends in one of a few letters, which says enough; see
``bench/results-typography.md`` for what this costs.

The rules work on words, as pandoc's tree has them (``Str`` elements between
spaces): ``process`` takes the words of a run and says which spaces become
ZWNJs and which words change.  ``apply`` does the same to plain text (the
report, the gold set); ``apply_inlines`` to a run of inlines in the tree.
A rule never changes a letter: it turns a space into a ZWNJ, a digit into a
Persian digit, three full stops into an ellipsis.
"""
from __future__ import annotations

import re

ZWNJ = "\u200c"

RULES = ("zwnj_prefixes", "zwnj_suffixes", "persian_digits", "ellipsis")

DESCRIPTIONS = {
    "zwnj_prefixes": "half-space after می/نمی written with a space",
    "zwnj_suffixes": "half-space before ها/های/تر/ترین/ای … written with a space",
    "persian_digits": "digits made Persian in Persian text",
    "ellipsis": "... made …",
}

_LETTER = "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff"
_MARK = "\u064b-\u065f\u0670"
_PERSIAN = re.compile(f"[{_LETTER}]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_ENDS_IN_LETTER = re.compile(f"[{_LETTER}][{_MARK}]*$")
_BARE = re.compile(f"^[{_LETTER}{_MARK}{ZWNJ}]+$")
_PUNCT_AROUND = "«»()[]{}\"'“”‘’.,،؛;:!?؟…*_-—–"

# --- می / نمی ------------------------------------------------------------------
_PREFIX = re.compile(r"^([«(\[\"“]*)(ن?می)$")
# Every verb form after می ends in a person ending (م ی د یم ید ند), a past
# stem (…د, …ت), a pronoun (ش ت مان تان شان), a participle (…ه) or the short
# infinitive (توان): so the word after می ends in one of these letters.
_VERB_END = re.compile(f"[میدتشنه][{_MARK}]*$")
# ماه می / ۱۵ می (May), جام می / می ناب (wine): never a verb prefix.
_NOT_BEFORE_PREFIX = {"ماه", "جام", "ساغر", "پیاله", "پیمانه", "باده", "خم", "خمخانه", "میخانه", "رطل", "ساقی",
                      "مئی", "آوریل", "ژوئن"}
_NOT_AFTER_PREFIX = {"ناب", "گلگون", "گلرنگ", "کهنه", "لعل", "و", "یا", "را", "که", "چه", "این", "آن", "از", "در",
                     "به", "با", "تا", "بر", "هم", "نیز", "من", "تو", "او", "ما", "شما", "ایشان", "است", "بود",
                     "هست", "نیست", "مانند", "چون", "همچون", "برای"}

# --- suffixes -------------------------------------------------------------------
_CLOSING = "[.,،؛;:!?؟»)\\]\"”’…]*"
_SUFFIX = re.compile(f"^(هایمان|هایتان|هایشان|هایم|هایت|هایش|هایی|های|ها|ترین|تری|تر|ای|ی|ام|ات|اش|ایم|اید|اند)({_CLOSING})$")
# after a word ending in a silent ه only: کتابی, کتابم are written joined
_AFTER_H = {"ای", "ی", "ام", "ات", "اش", "ایم", "اید", "اند"}
# a preposition, conjunction or pronoun takes no plural, comparative or
# indefinite: «با های و هوی», «که ای دوست», «و اند»
_FUNCTION_WORDS = {"و", "یا", "با", "از", "به", "در", "بر", "تا", "که", "چه", "نه", "را", "هم", "نیز", "اگر",
                   "اما", "ولی", "پس", "چون", "زیرا", "من", "تو", "او", "ما", "شما", "وی", "ای", "آری", "بله",
                   "خیر", "همه", "هر", "هیچ", "برای", "بی", "مگر", "آیا"}
# تر is also "wet": «چشم تر», «دامن تر», «خاک تر»
_WET = {"چشم", "دامن", "خاک", "لب", "لباس", "دیده", "مژه", "گونه", "نان", "هیزم", "علف", "چوب", "زمین", "دست",
        "موی", "مو", "رخت", "جامه", "خشک", "سبزه", "برگ", "گل", "دهان", "کام"}
_WET_NEXT = {"تازه", "خشک", "تمیز"}
# the vocative ای: «ای کاش», «ای خدا», «ای دوست»
_VOCATIVE_NEXT = {"کاش", "وای", "خدا", "خداوند", "دوست", "یار", "دل", "جان", "عزیز", "برادر", "خواهر", "مادر",
                  "پدر", "مردم", "کسانی", "آنکه", "بسا", "داد", "آفرین", "بابا", "رفیق", "ساقی",
                  "شاه", "صبا", "باد", "عشق", "پسر", "دختر"}
_SUFFIX_TOKENS = {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "تری", "ترین", "ای", "ی", "ام", "ات", "اش", "ایم", "اید", "اند"}

# --- digits and the ellipsis --------------------------------------------------------
_LATIN_DIGITS = re.compile("[0-9\u0660-\u0669]")
_TO_PERSIAN = str.maketrans("0123456789\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                            "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")
_ARABIC_INDIC = re.compile("[\u0660-\u0669]")
_ASCII_DIGITS = re.compile("[0-9]+")
_URLISH = re.compile(r"://|www\.|@|\\", re.I)
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def _bare(token: str) -> str:
    return token.strip(_PUNCT_AROUND)


def _is_latin_word(token: str) -> bool:
    return bool(_LATIN.search(token)) and not _PERSIAN.search(token)


def _prefix_joins(words: list[str], i: int) -> bool:
    """Does the space after words[i] (a می or نمی) become a ZWNJ?"""
    m = _PREFIX.match(words[i])
    if not m or i + 1 >= len(words):
        return False
    nxt = words[i + 1]
    body = nxt.rstrip(_PUNCT_AROUND)
    if not body or not _BARE.match(body) or body in _NOT_AFTER_PREFIX or not _VERB_END.search(body):
        return False
    if ZWNJ in body and body.split(ZWNJ)[-1].startswith("ها"):
        return False   # a plural (کتاب‌های) is no verb, joined before this rule ran or not
    if m.group(1) == "" and i > 0:
        prev = words[i - 1]
        if _bare(prev).split(ZWNJ)[-1] in _NOT_BEFORE_PREFIX or re.search(r"\d$", prev.rstrip(_PUNCT_AROUND) or "x"):
            return False
    return True


def _suffix_joins(words: list[str], i: int) -> bool:
    """Does the space before words[i + 1] (a suffix) become a ZWNJ?"""
    if i + 1 >= len(words):
        return False
    m = _SUFFIX.match(words[i + 1])
    if not m:
        return False
    suffix, closing = m.group(1), m.group(2)
    prev = words[i]
    if not _ENDS_IN_LETTER.search(prev):
        return False
    stem = prev.lstrip(_PUNCT_AROUND)
    last_part = stem.split(ZWNJ)[-1]
    # (the last part: after a join the word is «می‌ها», and a second run must decide as the first)
    if len(stem) < 2 or not _BARE.match(stem) or last_part in _FUNCTION_WORDS or last_part in _SUFFIX_TOKENS:
        return False
    after = _bare(words[i + 2]) if i + 2 < len(words) else ""
    if "!" in closing and suffix in ("ها", "های"):
        return False                        # ها! های! an interjection
    if suffix == "های" and not closing and after == "و" and i + 3 < len(words) and _bare(words[i + 3]) in ("هوی", "هو"):
        return False
    if suffix.startswith("تر"):
        if last_part in _WET or (not closing and after == "و" and i + 3 < len(words)
                                 and _bare(words[i + 3]) in _WET_NEXT):
            return False
    if suffix in _AFTER_H:
        if not last_part.endswith("ه"):
            return False
        if suffix == "ای" and not closing and after in _VOCATIVE_NEXT:
            return False
    return True


def _digits(words: list[str]) -> list[str]:
    """Latin and Arabic-Indic digits made Persian, a decision per number:
    not in a word with Latin letters (MP3, H2O, a URL), not beside a Latin
    word (Windows 10), and only in a run that has Persian in it."""
    if not any(_PERSIAN.search(w) for w in words):
        return words
    out = list(words)
    for i, w in enumerate(words):
        if not _LATIN_DIGITS.search(w):
            continue
        if _LATIN.search(w) or _URLISH.search(w):
            continue
        if _ARABIC_INDIC.search(w):
            w = _ARABIC_INDIC.sub(lambda d: d.group().translate(_TO_PERSIAN), w)
        if _ASCII_DIGITS.search(w) and not _latin_neighbour(words, i):
            w = w.translate(_TO_PERSIAN)
        out[i] = w
    return out


def _latin_neighbour(words: list[str], i: int) -> bool:
    """Is the nearest word with letters on either side a Latin one?"""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(words):
            w = words[j]
            if _LATIN.search(w) or _PERSIAN.search(w):
                if _is_latin_word(w):
                    return True
                break
            j += step
    return False


def _ellipsis(words: list[str]) -> list[str]:
    return [w if "..." not in w or _URLISH.search(w) or "/" in w else _ELLIPSIS.sub("…", w) for w in words]


def process(words: list[str], rules: dict[str, bool]) -> tuple[list[str], list[bool]]:
    """The words of a run (as separated by single spaces) → the words changed
    and, for each space between two words, whether it becomes a ZWNJ."""
    if rules.get("persian_digits"):
        words = _digits(words)
    if rules.get("ellipsis"):
        words = _ellipsis(words)
    joins = [False] * max(0, len(words) - 1)
    prefixes, suffixes = rules.get("zwnj_prefixes"), rules.get("zwnj_suffixes")
    if prefixes or suffixes:
        for i in range(len(words) - 1):
            joins[i] = bool((prefixes and _prefix_joins(words, i)) or (suffixes and _suffix_joins(words, i)))
    return words, joins


def enabled(rules: dict[str, bool]) -> bool:
    return any(rules.get(r) for r in RULES)


# A join changes the words the next decision sees (کتاب های → کتاب‌های), so
# the rules run again until nothing changes: what they give is then stable
# under another run (normalising twice is normalising once).
_ROUNDS = 4


def apply(text: str, rules: dict[str, bool]) -> str:
    """The enabled rules on plain text; words are what single spaces separate."""
    if not enabled(rules) or not (_PERSIAN.search(text) or "..." in text):
        return text
    return _until_stable(_apply_once, text, rules)


def _until_stable(once, value, rules):
    """``once`` applied until it changes nothing (at most _ROUNDS times)."""
    for _ in range(_ROUNDS):
        new = once(value, rules)
        if new == value:
            break
        value = new
    return value


def _apply_once(text: str, rules: dict[str, bool]) -> str:
    words, joins = process(text.split(" "), rules)
    out = [words[0]]
    for w, join in zip(words[1:], joins):
        out.append(ZWNJ if join else " ")
        out.append(w)
    return "".join(out)


def count(before: str, after: str) -> int:
    """How many changes the rules made: spaces joined, digits, ellipses."""
    if len(before) == len(after):   # a run of changed characters is one change (a number)
        diff = [a != b for a, b in zip(before, after)]
        return sum(1 for k, d in enumerate(diff) if d and (k == 0 or not diff[k - 1]))
    return after.count("…") - before.count("…")


_SEPARATORS = ("Space", "SoftBreak")


def apply_inlines(inlines: list, rules: dict[str, bool]) -> list:
    """The enabled rules on a list of pandoc inlines: each run of words
    (``Str`` elements separated by one space or soft break) is one sequence
    of words; anything else (emphasis, a link, code) ends a run, so a
    half-space never joins across markup."""
    return _until_stable(_inlines_once, inlines, rules)


def _inlines_once(inlines: list, rules: dict[str, bool]) -> list:
    out: list = []
    run: list = []
    for el in inlines:
        t = el.get("t") if type(el) is dict else None
        if t == "Str":
            if run and run[-1].get("t") == "Str":
                out.extend(_run(run, rules))
                run = []
            run.append(el)
        elif t in _SEPARATORS and run and run[-1].get("t") == "Str":
            run.append(el)
        else:
            out.extend(_run(run, rules))
            run = []
            out.append(el)
    out.extend(_run(run, rules))
    return out


def _run(run: list, rules: dict[str, bool]) -> list:
    tail = []
    if run and run[-1].get("t") != "Str":
        tail = [run.pop()]
    if not run:
        return tail
    words, joins = process([el["c"] for el in run[::2]], rules)
    out = [{**run[0], "c": words[0]} if words[0] != run[0]["c"] else run[0]]
    for k, join in enumerate(joins):
        el = run[2 * k + 2]
        if join:
            out[-1] = {**out[-1], "c": out[-1]["c"] + ZWNJ + words[k + 1]}
        else:
            out.append(run[2 * k + 1])
            out.append({**el, "c": words[k + 1]} if words[k + 1] != el["c"] else el)
    return out + tail

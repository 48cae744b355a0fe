"""Sentence boundaries in Persian (and Latin-script) text: pure functions.

The splitter works on the *plain text* of a paragraph — the caller masks
inline code, URLs and math first — and returns the offsets where new sentences
start.  Rules, in the words of the issue that asked for them:

* split after ``.`` ``!`` ``?`` ``؟`` ``…`` and runs of them, when white space
  follows;
* closing quotes and brackets stay with their sentence (``«… .»``);
* no split inside decimals (``۱۲٫۵``, ``3.5``) or inside URLs, e-mail addresses
  and domain names — none of these contain white space after the dot;
* no split after a single-letter initial (``ع. محمدی``) or an abbreviation
  from the configuration, nor before a lower-case Latin letter when the text
  before is Latin (``e.g. this``, ``"Why?" she asked``).

And, from the gold set in ``tests/data/sentences.yml``, what a copy-editor
expects where those rules alone would cut wrongly:

* a mark standing in brackets or right after an opening bracket is not an
  ending: ``(؟)`` (doubt), ``(!)`` (irony), ``[…]`` (omission), ``«… ما``;
* an ellipsis standing alone between spaces marks an omission or a pause
  inside the sentence (``ما ... را``);
* ``!`` ``?`` ``؟`` inside a «quotation» that opens in mid-sentence belong to
  the quotation — a title or a slogan: ``کتاب «چه باید کرد؟» نوشته لنین است``;
* so do full stops, unless the quotation is long (more than
  ``QUOTATION_SENTENCES`` sentences): ``می‌گوید «هنر چیزی نیست که می‌بینی.
  هنر آن چیزی است…».`` is one sentence, whose translation keeps both marks;
* an ellipsis before a closing bracket ends a list, not the sentence:
  ``(ترک کار، اخراج و...) هیچ تاثیری``;
* ``را`` never begins a sentence, so a cut before it is always wrong;
* abbreviations written with inner dots (``e.g.``, ``U.S.``, ``ه.ش.``) are
  recognised without configuration;
* a number (or ``الف``) opening the text followed by a full stop is a list
  marker: ``۱. مقدمه``.
"""
from __future__ import annotations

import re
from typing import Iterable

TERMINALS = ".!?؟…"
CLOSERS = "»\"')]}”’›」』"
_BOUNDARY = re.compile(
    "([" + re.escape(TERMINALS) + "]+)([" + re.escape(CLOSERS) + "]*)(\\s+)"
)
_URLISH = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+|\S+@\S+\.\S+", re.I)
# Every match of _URLISH holds a ":" (scheme, mailto:), a "w" or "W" (www.,
# the only letters that fold to "w") or an "@".  _URLISH tries every start in
# a word and backtracks over it looking for the "@": a paragraph with none of
# these four characters is given back as it is, after one fast scan.
_URL_HINT = re.compile("[:wW@]")
_OPENERS = "«\"'([{“‘‹"
# Openers that cannot also be closers: a straight quote before a full stop
# ('said "stop". Then') is usually closing one.
_BRACKET_OPENERS = "«([{“‘‹"
_PAUSES = ".…"          # runs made only of these are full stops or ellipses
_NEVER_FIRST = {"را"}   # the object postposition always follows its noun
_LIST_MARK = re.compile(r"[0-9۰-۹]{1,3}|الف|[IVXLC]{1,4}")
# A quotation opening in mid-sentence of up to this many sentences stays in
# its sentence; a longer one is cut like any text (a unit of a whole quoted
# page would be too long to translate well).
QUOTATION_SENTENCES = 2


def mask_urls(text: str) -> str:
    """Replace URLs and e-mail addresses by same-length filler so that their
    punctuation cannot end a sentence, while offsets stay valid."""
    if not _URL_HINT.search(text):
        return text
    def fill(m: re.Match) -> str:
        url = m.group()
        body = url.rstrip(TERMINALS + CLOSERS + "،,;:؛")  # the sentence's, not the URL's
        return "x" * len(body) + url[len(body):]
    return _URLISH.sub(fill, text)


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS)


def _word_after(text: str, start: int) -> str:
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(_OPENERS + CLOSERS + TERMINALS + "،,;:؛")


def _dotted_abbreviation(word: str) -> bool:
    """``e.g``, ``U.S``, ``Ph.D``, ``ه.ش``: letters in groups of one or two
    joined by dots.  Domain names (``x.org``) have a longer last label."""
    parts = word.split(".")
    return len(parts) > 1 and all(1 <= len(p) <= 2 and p.isalpha() for p in parts)


_GUILLEMET = re.compile("[«»]")


def _embedded_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of «…» quotations that open in mid-sentence — after a word or a
    comma, not after a colon or at the start — and close in this text.  Such
    a quotation is a part of the sentence (a title, a slogan), not a sentence
    of its own.  An unclosed « (a quotation running over several paragraphs)
    is not counted: it would swallow the rest of the paragraph."""
    spans, stack = [], []
    for m in _GUILLEMET.finditer(text):  # only the marks, not every character
        i, ch = m.start(), m.group()
        if ch == "«":
            j = i - 1
            while j >= 0 and text[j].isspace():
                j -= 1
            stack.append((i, j >= 0 and (text[j].isalnum() or text[j] in "،,\u200c")))
        elif ch == "»" and stack:
            start, embedded = stack.pop()
            if embedded:
                spans.append((start, i))
    return spans


def boundaries(text: str, abbreviations: Iterable[str] = ()) -> list[int]:
    """Offsets in ``text`` at which a new sentence starts (never 0)."""
    abbrevs = {a.rstrip(".") for a in abbreviations}
    masked = mask_urls(text)
    quotes = _embedded_quotes(masked)
    cuts = []
    quoted: dict[tuple[int, int], list[int]] = {}  # cuts inside each quotation, decided at the end
    for m in _BOUNDARY.finditer(masked):
        nxt = m.end()
        if nxt >= len(masked):
            break  # white space at the very end: nothing follows
        run, at = m.group(1), m.start()
        before = masked[at - 1] if at else ""
        word = _word_before(masked, at)
        if not before or before in _BRACKET_OPENERS:
            continue  # "(؟)", "(!)", "[…]", "«… ما": a mark, not an ending
        if before.isspace() and all(ch in _PAUSES for ch in run) and run != ".":
            continue  # "ما ... را": an ellipsis on its own is an omission
        if run != "." and all(ch in _PAUSES for ch in run) and any(ch in ")]" for ch in m.group(2)):
            continue  # "(ترک کار، اخراج و...) هیچ": the ellipsis ends a list in brackets
        if run == ".":
            if len(word) == 1 and word.isalpha():
                continue  # an initial: ع. محمدی, J. Smith
            if word in abbrevs or (word + ".") in abbrevs:
                continue
            if _dotted_abbreviation(word):
                continue  # i.e. / e.g. / U.S. / ه.ش. written with inner dots
            # (the word first: the text before it is copied to be looked at)
            if _LIST_MARK.fullmatch(word) and not masked[:at - len(word)].strip(_OPENERS + " \t\n"):
                continue  # "۱. مقدمه": a list marker typed into a paragraph
        if not any(ch in _PAUSES for ch in run) and any(s < at < e for s, e in quotes):
            continue  # «چه باید کرد؟» inside a sentence: the title's mark
        # "e.g. this", '"Why?" she asked': Latin text goes on in lower case.
        # Only after a Latin word — a Persian sentence may well begin with a
        # lower-case program name ("را نصب کنید. pandoc را …").
        if (masked[nxt].islower() and masked[nxt].isascii()
                and any(ch.isascii() and ch.isalpha() for ch in word)):
            continue
        if masked[nxt] in "،,;:؛" or _word_after(masked, nxt) in _NEVER_FIRST:
            continue
        # a cut with the quotation going on after it (not the quotation's own
        # last mark, «… میشویم.» سپس, which ends the sentence as before)
        span = next(((s, e) for s, e in quotes if s < at and nxt < e), None)
        if span is not None:
            quoted.setdefault(span, []).append(nxt)
            continue
        cuts.append(nxt)
    for inside in quoted.values():
        if len(inside) + 1 > QUOTATION_SENTENCES:  # a long quotation: cut as any text
            cuts.extend(inside)
    return sorted(cuts)


def split(text: str, abbreviations: Iterable[str] = ()) -> list[str]:
    """The sentences of ``text``, stripped; for tests and benchmarks."""
    cuts = [0, *boundaries(text, abbreviations), len(text)]
    parts = [text[a:b].strip() for a, b in zip(cuts, cuts[1:])]
    return [p for p in parts if p]

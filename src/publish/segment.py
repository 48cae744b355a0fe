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
  from the configuration, nor before a lower-case Latin letter (``e.g. this``).
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
_OPENERS = "«\"'([{“‘‹"


def mask_urls(text: str) -> str:
    """Replace URLs and e-mail addresses by same-length filler so that their
    punctuation cannot end a sentence, while offsets stay valid."""
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


def boundaries(text: str, abbreviations: Iterable[str] = ()) -> list[int]:
    """Offsets in ``text`` at which a new sentence starts (never 0)."""
    abbrevs = {a.rstrip(".") for a in abbreviations}
    masked = mask_urls(text)
    cuts = []
    for m in _BOUNDARY.finditer(masked):
        nxt = m.end()
        if nxt >= len(masked):
            break  # white space at the very end: nothing follows
        run = m.group(1)
        if run == ".":
            word = _word_before(masked, m.start())
            if len(word) == 1 and word.isalpha():
                continue  # an initial: ع. محمدی, J. Smith
            if word in abbrevs or (word + ".") in abbrevs:
                continue
            # "e.g. this", "etc. and": Latin text goes on in lower case.
            if masked[nxt].islower() and masked[nxt].isascii():
                continue
            if "." in word and word.replace(".", "").isalpha() and len(word) <= 6 and word.isascii():
                continue  # i.e. / e.g. / U.S. written with inner dots
        if masked[nxt] in "،,;:؛" or (masked[nxt].islower() and masked[nxt].isascii() and run == "…"):
            continue
        cuts.append(nxt)
    return cuts


def split(text: str, abbreviations: Iterable[str] = ()) -> list[str]:
    """The sentences of ``text``, stripped; for tests and benchmarks."""
    cuts = [0, *boundaries(text, abbreviations), len(text)]
    parts = [text[a:b].strip() for a, b in zip(cuts, cuts[1:])]
    return [p for p in parts if p]

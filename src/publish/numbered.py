"""Lists numbered in Persian digits, as Persian authors write them.

CommonMark knows an ordered list only by ASCII digits (``1.``, ``1)``), so
``۱. بند نخست`` / ``۲. بند دوم`` is read as one run-on paragraph, which the
sentence splitter then cuts into broken units (``۱. بند نخست فهرست ۲.``).
Before pandoc reads a text, such lines get ASCII markers: one digit for one
digit and one delimiter for one, so every line and column stays where it
was and pandoc's source positions still name the right place.

Only a run of at least two lines numbered one after another (۱, ۲, ۳ … with
the same delimiter) is taken for a list: a paragraph that merely starts
with a year and a full stop (``۱۳۵۷. سال …``) is left as it is.
"""
from __future__ import annotations

import re

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(_PERSIAN + _ARABIC_INDIC, "0123456789" * 2)
# up to three spaces, the number, its delimiter (. - ) or the Persian
# decimal separator ٫ that some write for a full stop), a space, text
_ITEM = re.compile(r"^( {0,3})([۰-۹٠-٩]{1,9})([.\-)٫])([ \t]+)(?=\S)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DELIMITER = {".": ".", "٫": ".", "-": ".", ")": ")"}


def ascii_markers(text: str) -> str:
    """``text`` with the markers of Persian-numbered lists made ASCII."""
    if not any(ch in text for ch in _PERSIAN + _ARABIC_INDIC):
        return text
    lines = text.split("\n")
    items = _items(lines)
    for run in _runs(items):
        for n, m in run:
            number = m.group(2).translate(_TO_ASCII)
            lines[n] = m.group(1) + number + _DELIMITER[m.group(3)] + lines[n][m.end(3):]
    return "\n".join(lines)


def _items(lines: list[str]) -> list[tuple[int, re.Match]]:
    """(line, match) of each line that looks like a numbered item, outside
    fenced code."""
    out = []
    fence = None
    for n, line in enumerate(lines):
        f = _FENCE.match(line)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence = f.group(1)
            continue
        m = _ITEM.match(line)
        if m:
            out.append((n, m))
    return out


def _runs(items):
    """Runs of at least two items numbered one after another with one
    delimiter kind."""
    run: list = []
    for n, m in items:
        value = int(m.group(2).translate(_TO_ASCII))
        if run:
            last_value = int(run[-1][1].group(2).translate(_TO_ASCII))
            same = _DELIMITER[run[-1][1].group(3)] == _DELIMITER[m.group(3)]
            if value == last_value + 1 and same:
                run.append((n, m))
                continue
            if len(run) > 1:
                yield run
        run = [(n, m)]
    if len(run) > 1:
        yield run

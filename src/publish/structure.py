"""Structural surprises in a Markdown text, each a warning with its line.

pandoc reads all of these without complaint, and each silently changes what
becomes of the text: a code fence never closed turns the rest of the file
into code (never translated), an HTML block never closed swallows the
Markdown after it, and a long text without a heading or a paragraph break
is usually a file whose line breaks were lost on the way.
"""
from __future__ import annotations

import re

from .errors import PublishWarning

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)|^ {0,3}(?:=+|-+)[ \t]*$")
_WORD = re.compile(r"\w+")
# A text this long with no heading is a wall a reader (and a translator
# looking for their place) cannot find their way in.
WALL_WORDS = 1500
# A paragraph this long is almost always several paragraphs run together.
PARAGRAPH_WORDS = 400


def surprises(text: str, display: str, offset: int = 0) -> list[PublishWarning]:
    """Warnings for ``text``; ``offset`` is the number of lines above it in
    the file (front matter removed before it was read)."""
    lines = text.split("\n")
    out = [PublishWarning(msg, path=display, line=n + 1 + offset) for n, msg in _scan(lines)]
    return out


def _scan(lines: list[str]):
    fence: tuple[str, int] | None = None   # (the fence characters, the line it opened at)
    headings = 0
    words = 0
    para_start, para_words = None, 0
    for n, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0][0] and len(m.group(1)) >= len(fence[0]) and not m.group(2).strip():
                fence = None
            continue
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1), n)
            continue
        if _HEADING.match(line) and line.strip():
            headings += 1
        if line.strip():
            count = len(_WORD.findall(line))
            words += count
            if para_start is None:
                para_start, para_words = n, 0
            para_words += count
        else:
            if para_start is not None and para_words > PARAGRAPH_WORDS:
                yield para_start, (f"a paragraph of {para_words} words starts here: were the paragraph "
                                   f"breaks lost? (a blank line separates paragraphs)")
            para_start = None
    if para_start is not None and para_words > PARAGRAPH_WORDS:
        yield para_start, (f"a paragraph of {para_words} words starts here: were the paragraph "
                           f"breaks lost? (a blank line separates paragraphs)")
    if fence is not None:
        rest = len("\n".join(lines[fence[1] + 1:]).rstrip("\n").split("\n")) if fence[1] + 1 < len(lines) else 0
        after = "the line after it is" if rest == 1 else f"the {rest} lines after it are"
        yield fence[1], (f"a code block opened here with {fence[0]} is never closed: {after} read as code "
                         f"and never translated")
    if headings == 0 and words > WALL_WORDS:
        yield 0, (f"{words} words and not one heading: readers and translators find their way by "
                  f"headings (a line starting with #)")

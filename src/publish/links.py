"""Which link targets may reach an edition: one rule for sources, imports
and translations.

A reader clicks a link in an HTML page, an e-book or a PDF; only web and
mail addresses (and places inside the document) are safe to follow.
``javascript:``, ``vbscript:``, ``data:`` and ``file:`` run code or read the
reader's disk, and browsers find the scheme the way the WHATWG URL standard
says — after dropping tabs and newlines anywhere and control characters and
spaces at the ends — so ``java\\tscript:`` is still script, and the check
must read the target the same way.
"""
from __future__ import annotations

import re

SAFE_SCHEMES = ("http", "https", "mailto")

_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lower case), or None for
    a relative target."""
    url = _TAB_OR_NEWLINE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11"
                                             "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else None


def safe(url: str, relative: bool = True) -> bool:
    """May a link to ``url`` reach an edition?  ``relative``: whether a
    target without a scheme (a page beside this one, a #place) is allowed."""
    s = scheme(url)
    return s in SAFE_SCHEMES if s is not None else relative


# Where a Markdown text names a link target: an inline link's "](", an
# autolink's "<scheme:", a reference definition's "[label]:".  Each pattern
# is anchored on fixed characters and takes no character twice (linear).
_TARGETS = re.compile(r"\]\([ \t]*<?([^\s)>]*)|<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>"
                      r"|^[ ]{0,3}\[[^\]\n]{1,999}\]:[ \t]*<?(\S*)", re.MULTILINE)


def unsafe_in_markdown(text: str):
    """(line, scheme) for each link target of a Markdown text that ``safe``
    refuses: what ``source`` drops from the tree, for ``update`` to name."""
    for m in _TARGETS.finditer(text):
        url = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
        if url and not safe(url):
            yield text.count("\n", 0, m.start()) + 1, scheme(url)

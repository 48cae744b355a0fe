"""Old entries whose msgid changed in a way that does not change what a
translator translated, for ``catalog.merge``.

* **Normalisation only**: a rule switched on (``zwnj_suffixes`` makes ``کتاب
  ها`` ``کتاب‌ها``), digits made Persian, ``...`` made ``…``, spaces, Arabic
  letters.  Both msgids are normalised with every rule, typographic ones
  included, and then compared without ZWNJs, white space or Markdown
  escapes and with one kind of digits and of ellipsis: equal means the
  translation is still right as it is.
* **Link or picture targets only** (``![x](old.png)`` → ``![x](new.png)``,
  ``[a](https://old)`` → ``[a](https://new)``): the targets are mapped old to
  new in order and put into the translation in place of the old ones.  When
  the translation does not hold an old target (the translator linked
  elsewhere) nothing is carried, and the entry goes on to fuzzy matching.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import normalize, typography

if TYPE_CHECKING:
    import polib

NORMALISATION = "normalisation"
TARGETS = "targets"

_ALL_RULES = {**{r: True for r in normalize.RULES}, **{r: True for r in typography.RULES}}
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_INVISIBLE = re.compile(r"[\s\u200c]+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# A target as pandoc writes inline Markdown: ](target) or ](target "title"),
# ](<target with spaces>), and autolinks <https://…>.
_TARGET = re.compile(r"(?<=\]\()(<[^>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
                     r"|(?<=<)((?:https?|ftp|mailto):[^>\s]*)(?=>)", re.I)


def key(msgid: str) -> str:
    """The msgid as every normalisation rule would leave it, without what
    those rules add or take away (ZWNJs, spaces), one kind of digits."""
    text = normalize.normalize(msgid, _ALL_RULES)
    text = _ESCAPE.sub(r"\1", text.translate(_DIGITS).replace("…", "..."))
    return _INVISIBLE.sub("", text)


def targets(text: str) -> list[str]:
    return [m.group() for m in _TARGET.finditer(text)]


def _blank_targets(text: str) -> str:
    return _TARGET.sub("", text)


def retarget(msgstr: str, old_msgid: str, new_msgid: str) -> str | None:
    """The translation with the old msgid's targets replaced by the new
    msgid's, in order; None when that cannot be done faithfully."""
    old, new = targets(old_msgid), targets(new_msgid)
    if len(old) != len(new):
        return None
    mapping: dict[str, str] = {}
    for o, n in zip(old, new):
        if o != n:
            if mapping.setdefault(o, n) != n:
                return None          # one old target became two different ones: which goes where?
    if not mapping:
        return None
    found = {m.group() for m in _TARGET.finditer(msgstr)}
    if not set(mapping) <= found:
        return None
    return _TARGET.sub(lambda m: mapping.get(m.group(), m.group()), msgstr)


class Index:
    """Orphaned old entries by their normalised msgid and by their
    normalised msgid without targets, each within its msgctxt; an entry
    still in use comes before an obsolete one."""

    def __init__(self, orphans: list[polib.POEntry]):
        self.same: dict[tuple[str | None, str], polib.POEntry] = {}
        self.moved: dict[tuple[str | None, str], list[polib.POEntry]] = {}
        for e in sorted(orphans, key=lambda e: bool(e.obsolete)):
            self.same.setdefault((e.msgctxt, key(e.msgid)), e)
            if _TARGET.search(e.msgid):
                self.moved.setdefault((e.msgctxt, key(_blank_targets(e.msgid))), []).append(e)

    def find(self, msgctxt: str | None, msgid: str,
             used: set) -> tuple[polib.POEntry, str, str] | None:
        """(old entry, what changed, the translation to carry) or None."""
        e = self.same.get((msgctxt, key(msgid)))
        if e is not None and (e.msgctxt, e.msgid) not in used:
            return e, NORMALISATION, e.msgstr
        if not self.moved or not _TARGET.search(msgid):
            return None
        for e in self.moved.get((msgctxt, key(_blank_targets(msgid))), ()):
            if (e.msgctxt, e.msgid) in used:
                continue
            msgstr = retarget(e.msgstr, e.msgid, msgid)
            if msgstr is not None:
                return e, TARGETS, msgstr
        return None

"""Units ↔ gettext catalogs (POT and PO), through polib.

The model (units) knows nothing about files; this module turns units into a
template, merges templates into translations without ever dropping a
translation, and writes files in the exact form GNU ``msgcat --no-wrap``
writes them, so a save in Poedit or Weblate does not churn diffs.
"""
from __future__ import annotations

import difflib
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import polib

from . import __version__, languages
from .config import Document, Project, now
from .errors import PublishError
from .files import refuse_outside, write_atomic
from .normalize import CONTROLS

if TYPE_CHECKING:  # only a type here; importing units costs a no-op build a tenth of its time
    from .units import Unit

FUZZY_CUTOFF = 0.6   # similarity (difflib ratio) for an old translation to be offered as fuzzy
# Every unit is inline Markdown: the flag makes Weblate run its Markdown checks
# (links, syntax) on it.  msgfmt accepts it; GNU gettext's msgcat, msguniq and
# msgattrib drop flags they do not know, and ``merge`` puts it back.
MARKDOWN = "md-text"
PREVIEW = "preview: "   # the extracted comment that links a unit to where an edition shows it


def _now() -> str:
    return now().strftime("%Y-%m-%d %H:%M%z")


def plural_forms(lang: str) -> str:
    return languages.parse(lang).plural_forms


# --- template ---------------------------------------------------------------------

def template(project: Project, doc: Document, units: list[Unit]) -> polib.POFile:
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = {
        "Project-Id-Version": f"{doc.name}",
        "Report-Msgid-Bugs-To": project.bugs_address,
        "POT-Creation-Date": _now(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"publish {__version__}",
        "X-Source-Language": languages.posix(project.source_language),
    }
    # the title, subtitle, author and organisation first, each with its msgctxt (see titles)
    from .titles import entries
    pot.extend(entries(project, doc))
    by_id: dict[str, polib.POEntry] = {}
    for unit in units:
        if not unit.translatable:
            continue
        ref = (doc.relsource, str(unit.line) if (project.line_numbers and unit.line) else "")
        entry = by_id.get(unit.msgid)
        if entry is None:
            # Nothing here counts what comes before the unit (no paragraph
            # number): removing a list item changes no other entry.  The
            # link is to the unit's first place in the source edition;
            # ``merge`` points it at the catalog's own edition.
            comment = f"{unit.place}\n{preview(project.source_language, doc.name, unit.anchor, project.preview_url)}"
            if unit.section:
                comment = "section: " + " › ".join(s for s in unit.section if s) + "\n" + comment
            entry = polib.POEntry(msgid=unit.msgid, msgstr="", occurrences=[], comment=comment,
                                  flags=[MARKDOWN])
            by_id[unit.msgid] = entry
            pot.append(entry)
        if ref not in entry.occurrences:
            entry.occurrences.append(ref)
    return pot


def preview(edition: str, document: str, anchor: str, base: str = "") -> str:
    """The comment that links a unit to where it is shown: relative to
    ``build/`` (``en/report.html#u-k3j9x2ab``), so it holds wherever the
    build is published, or under ``catalog.preview_url`` when the project
    says where that is: Weblate makes links only of http(s) addresses."""
    return f"{PREVIEW}{base}{edition}/{document}.html#u-{anchor}"


_PREVIEW_EDITION = re.compile(r"(\n" + re.escape(PREVIEW) + r"\S*?)([^/\s]+)(/[^/\s]+\.html#u-)")


def _for_edition(comment: str, edition: str) -> str:
    """``comment`` with its preview link pointing into ``edition``."""
    return _PREVIEW_EDITION.sub(lambda m: m.group(1) + edition + m.group(3), comment, count=1)


def _with_flags(flags: list[str], wanted: list[str]) -> list[str]:
    """The translator's flags as they are, and the template's that are
    missing after them (a tool that dropped md-text does not make it go)."""
    return flags + [f for f in wanted if f not in flags] if wanted else flags


def _fuzzy(flags: list[str], wanted: list[str]) -> list[str]:
    """Flags of an entry made fuzzy here: fuzzy first, as gettext and
    translate-toolkit (which sorts them) write it."""
    return ["fuzzy", *_with_flags([f for f in flags if f != "fuzzy"], wanted)]


# --- merge ------------------------------------------------------------------------

class _Nearest:
    """The old translation nearest to a new msgid, among many.

    difflib's ratio is quadratic in the length of the strings, and its
    quick_ratio (a bag of characters) lets almost every Persian sentence of a
    similar length through, so comparing every new unit with every orphan
    took minutes on a large document.  Candidates are first narrowed by the
    words they share with the msgid (an inverted index; a word found in more
    than a fifth of the orphans says little and is skipped), and only the
    best few are measured with difflib."""

    SHORTLIST = 8

    def __init__(self, orphans: list[polib.POEntry]):
        self.orphans = orphans
        index: dict[str, list[int]] = {}
        for i, e in enumerate(orphans):
            for w in set(e.msgid.split()):
                index.setdefault(w, []).append(i)
        common = max(8, len(orphans) // 5)
        self.index = {w: ids for w, ids in index.items() if len(ids) <= common}

    def __call__(self, msgid: str) -> polib.POEntry | None:
        shared: dict[int, int] = {}
        for w in set(msgid.split()):
            for i in self.index.get(w, ()):
                shared[i] = shared.get(i, 0) + 1
        best = sorted(shared, key=lambda i: (-shared[i], i))[: self.SHORTLIST]
        found = _closest(msgid, [self.orphans[i] for i in sorted(best)]) if best else None
        # Few orphans: when the shortlist has nothing close enough, measure them
        # all ("کارگران." shares no word with "کارگران حزب.": the full stop).
        # Then a second merge finds nothing the first did not, and a merge of
        # its own output changes nothing.
        if found is None and len(self.orphans) <= 64:
            found = _closest(msgid, self.orphans)
        return found


def _closest(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_CUTOFF
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(msgid)
    for cand in candidates:
        matcher.set_seq1(cand.msgid)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = cand, ratio
    return best


def merge(pot: polib.POFile, old: polib.POFile | None, lang: str,
          hints: Callable[[str], list[str]] | None = None,
          carried: dict[str, int] | None = None, edition: str | None = None) -> polib.POFile:
    """The template with the translations of ``old`` carried over.

    * same msgid (also from an obsolete entry, also after a move): kept as is;
    * a msgid that changed only by normalisation, or only in its link and
      picture targets: the old translation kept as it is, its targets made
      the new ones (see ``equivalence``); counted in ``carried`` by kind;
    * a changed unit: the closest old translation, marked fuzzy, with the old
      source as ``#| msgid``;
    * an old translation nobody took: kept as obsolete (``#~``), never dropped.

    An entry is its msgctxt and msgid together: the title (``msgctxt
    "document title"``) and a heading of the same words are two entries.  A
    changed entry with a context takes the old translation of its own
    context, however much the text changed: there is one title, and its old
    translation is the translator's best start (see ``titles``).

    The template's flags (md-text) are added to the translator's; ``#|
    msgid`` always names the text the translation was made from (an entry
    back from obsolete keeps it, and a fuzzy entry whose text changed again
    keeps the first), so a source edited and reverted gives the catalog it
    had.  ``edition`` (the catalog's language) is where the preview
    comments point.
    """
    po = polib.POFile(wrapwidth=0)
    old_entries = list(old) if old is not None else []
    po.metadata = _header(pot, old, lang)
    known: dict[tuple[str | None, str], polib.POEntry] = {}
    for e in old_entries:
        key = (e.msgctxt, e.msgid)
        if e.msgid and (key not in known or (known[key].obsolete and not e.obsolete)):
            known[key] = e
    wanted = {(e.msgctxt, e.msgid) for e in pot}
    used: set[tuple[str | None, str]] = set()
    for t in pot:
        comment = _for_edition(t.comment, edition) if edition else t.comment
        comment = "\n".join([comment, *hints(t.msgid)]) if hints else comment
        e = polib.POEntry(msgctxt=t.msgctxt, msgid=t.msgid, msgstr="", occurrences=list(t.occurrences),
                          comment=comment, flags=list(t.flags))
        prev = known.get((t.msgctxt, t.msgid))
        if prev is not None and prev.msgid_plural:
            # A unit is one sentence, never a plural: its first form is the
            # translator's best start, to review; the plural entry itself
            # stays as obsolete (below), every form of it.
            first = (prev.msgstr_plural or {}).get(0, "")
            if first:
                e.msgstr, e.tcomment = first, prev.tcomment
                e.flags = _fuzzy(prev.flags, t.flags)
            prev = None
        if prev is not None and (prev.msgstr or prev.tcomment or set(prev.flags) - set(t.flags)):
            e.msgstr = prev.msgstr
            e.tcomment = prev.tcomment
            e.flags = _with_flags(list(prev.flags), t.flags)
            # kept as the translator's tool left it (also from obsolete: "#~| msgid")
            e.previous_msgctxt, e.previous_msgid = prev.previous_msgctxt, prev.previous_msgid
            used.add((t.msgctxt, t.msgid))
        if not e.msgstr and t.msgstr:  # a template's translation fills in, and never replaces one
            e.msgstr, e.previous_msgctxt, e.previous_msgid = t.msgstr, None, None
            e.flags = [f for f in e.flags if f != "fuzzy"]
        po.append(e)
    orphans = [e for key, e in known.items() if key not in wanted and e.msgstr and not e.msgid_plural]
    retargeted: set[tuple[str | None, str]] = set()
    if orphans:
        # before fuzzy matching: an old translation whose source changed
        # only in form (a normalisation rule switched on, a picture moved)
        # is still right, and a translator need not approve it again
        from .equivalence import TARGETS, Index
        same = Index(orphans)
        for e in po:
            found = None if e.msgstr else same.find(e.msgctxt, e.msgid, used)
            if found is not None:
                prev, kind, e.msgstr = found
                e.tcomment, e.flags = prev.tcomment, _with_flags(list(prev.flags), e.flags)
                e.previous_msgctxt, e.previous_msgid = prev.previous_msgctxt, prev.previous_msgid
                used.add((prev.msgctxt, prev.msgid))
                if kind == TARGETS:   # its text changed: the translator's own stays, obsolete
                    retargeted.add((prev.msgctxt, prev.msgid))
                if carried is not None:
                    carried[kind] = carried.get(kind, 0) + 1
        nearest = _Nearest([e for e in orphans if e.msgctxt is None])
        for e in po:
            if e.msgstr:
                continue
            if e.msgctxt is None:
                near = nearest(e.msgid)
            else:
                near = _same_context(e.msgid, [o for o in orphans if o.msgctxt == e.msgctxt
                                               and (o.msgctxt, o.msgid) not in used])
            if near is not None:
                e.msgstr = near.msgstr
                e.tcomment = near.tcomment
                e.flags = _fuzzy(near.flags, e.flags)
                # a translation already fuzzy was made from its "#| msgid", not from its msgid
                if "fuzzy" in near.flags and near.previous_msgid is not None:
                    e.previous_msgctxt, e.previous_msgid = near.previous_msgctxt, near.previous_msgid
                else:
                    e.previous_msgid = near.msgid
                used.add((near.msgctxt, near.msgid))
    for e in old_entries:
        key = (e.msgctxt, e.msgid)
        if e.msgid_plural and any((e.msgstr_plural or {}).values()) and not (e.obsolete and key in wanted):
            po.append(polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgid_plural=e.msgid_plural,
                                    msgstr_plural=dict(e.msgstr_plural), tcomment=e.tcomment,
                                    flags=list(e.flags), obsolete=True))
            continue
        if key in wanted or (key in used and key not in retargeted) or not e.msgstr or known.get(key) is not e:
            continue
        # with its "#~| msgid" (read by ``parse``, which polib is not): an
        # entry back from obsolete is fuzzy against the same old text
        po.append(polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, tcomment=e.tcomment,
                                flags=list(e.flags), obsolete=True, previous_msgctxt=e.previous_msgctxt,
                                previous_msgid=e.previous_msgid))
    return po


def _same_context(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    """The old translation for a changed entry with a context: the closest
    of its context, else the one still in use before an obsolete one."""
    if not candidates:
        return None
    return _closest(msgid, candidates) or sorted(candidates, key=lambda e: bool(e.obsolete))[0]


def _header(pot: polib.POFile, old: polib.POFile | None, lang: str) -> dict[str, str]:
    language = languages.parse(lang)
    meta = dict(pot.metadata)
    if old is not None:
        # the translator's tool owns these: Weblate writes its user, its team's
        # address and its name, and a rewrite here would be a diff on every update
        for key in TOOLS_FIELDS:
            if old.metadata.get(key):
                meta[key] = old.metadata[key]
        for key, value in old.metadata.items():
            if key.startswith("X-") and key not in meta:
                meta[key] = value  # tools' own fields (Poedit, Weblate) survive
    if meta.get("PO-Revision-Date", "").startswith("YEAR"):
        meta["PO-Revision-Date"] = meta["POT-Creation-Date"]
    if meta.get("Last-Translator", "").startswith("FULL NAME"):
        meta["Last-Translator"] = ""
    if meta.get("Language-Team", "").startswith("LANGUAGE"):
        meta["Language-Team"] = language.display_name("en")
    meta["Language"] = language.posix   # as the folder is named: pt_BR
    written = old.metadata.get("Plural-Forms", "") if old is not None else ""
    # Weblate writes "plural=n != 1;" where Babel gives "plural=(n != 1);": the same rule, kept as written
    meta["Plural-Forms"] = written if same_plurals(written, language.plural_forms) else language.plural_forms
    return meta


TOOLS_FIELDS = ("PO-Revision-Date", "Last-Translator", "Language-Team", "X-Generator")
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
# the numbers a rule is tried on: every rule gettext and CLDR know looks at n,
# n % 10, n % 100 (and a few at n % 1000 or n % 1000000), all seen below
_PLURAL_SAMPLES = (*range(0, 1101), 1_000_000, 1_000_001, 2_000_000, 10_000_000, 1_000_000_000)


@functools.lru_cache(maxsize=64)
def same_plurals(a: str, b: str) -> bool:
    """Whether two Plural-Forms headers say the same: as many forms, and
    the same form for every number, the expressions evaluated as gettext
    does (``gettext.c2py``), on the numbers every known rule tells apart."""
    import gettext
    ma, mb = _PLURAL_FORMS.match(a), _PLURAL_FORMS.match(b)
    if not ma or not mb or ma.group(1) != mb.group(1):
        return False
    if ma.group(2) == mb.group(2):
        return True
    try:
        fa, fb = gettext.c2py(ma.group(2)), gettext.c2py(mb.group(2))
        return all(fa(n) == fb(n) for n in _PLURAL_SAMPLES)
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError, OverflowError):
        return False


# --- files ------------------------------------------------------------------------

PAGE_WIDTH = 79  # GNU gettext's, which wraps "#:" lines even with --no-wrap


def _wrap_references(line: str) -> list[str]:
    """Re-wrap one ``#:`` line as gettext's write-po.c does."""
    out, current, column = [], "#:", 2
    for ref in line[2:].split():
        if column > 2 and column + 1 + len(ref) > PAGE_WIDTH:
            out.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += 1 + len(ref)
    out.append(current)
    return out


# Characters Python's str.splitlines() breaks lines at, besides \n and \r.
# polib splits a catalog's text and its strings with splitlines(), so a
# U+2028 pasted from a word processor into a msgstr (which gettext reads as an
# ordinary character) would break a quoted line in two: polib would write a
# file it cannot read back.  While polib reads or writes, each such character
# stands in as a private-use character that is not in the text.
_LINE_BREAKERS = "\x1c\x1d\x1e\x85\u2028\u2029"
_FIELDS = ("msgid", "msgstr", "msgid_plural", "msgctxt", "previous_msgid", "previous_msgid_plural",
           "previous_msgctxt", "comment", "tcomment")


# What polib and str.splitlines() count as a line's characters, and a
# string's ("..." with escapes as msgfmt knows them), for the patterns below.
# A string holds no character XML forbids (see _FORBIDDEN) and no escape but
# \\ \" \n \t \r: the others are control characters or spellings polib would
# print as they are (see ``_escape_problem``).
_OTHER = "[^\n\r\x0b\x0c" + _LINE_BREAKERS + "]"
_IN_STRING = "[^\"\\\\\n\r\x00-\x08\x0b-\x1f\ufffe\uffff" + _LINE_BREAKERS + "]"
_STRING = '"' + _IN_STRING + r'*(?:\\[\\"ntr]' + _IN_STRING + '*)*"'


def _stand_ins(text: str) -> dict[str, str]:
    """breaker → stand-in, for the breakers that occur in ``text``."""
    found = [c for c in _LINE_BREAKERS if c in text]
    if not found:
        return {}
    free = (chr(cp) for cp in range(0xF0000, 0xFFFFE) if chr(cp) not in text)
    return {c: next(free) for c in found}


def _strings(po: polib.POFile):
    """Every string of ``po`` that polib writes."""
    for e in po:
        yield from (getattr(e, f) or "" for f in _FIELDS)
        yield from (e.msgstr_plural or {}).values()
    yield from po.metadata.values()
    yield po.header or ""


def _swap(po: polib.POFile, table: dict[str, str]) -> None:
    """Replace every key of ``table`` by its value in every string of ``po``."""
    def sub(value):
        if isinstance(value, str):
            for a, b in table.items():
                value = value.replace(a, b)
        return value
    for e in po:
        for f in _FIELDS:
            if getattr(e, f, None):
                setattr(e, f, sub(getattr(e, f)))
        if e.msgstr_plural:
            e.msgstr_plural = {k: sub(v) for k, v in e.msgstr_plural.items()}
    po.metadata = {k: sub(v) for k, v in po.metadata.items()}
    po.header = sub(po.header)


def render(po: polib.POFile, wrap: int = 0) -> str:
    """The text of a catalog as ``msgcat --no-wrap`` would write it, or
    with ``wrap`` (``catalog.wrap``) as ``msgcat -w <wrap>`` does."""
    text = _render_plain(po)
    text = text if text is not None else _render_polib(po)
    return _wrapped(text, wrap) if wrap else text


# Flags GNU gettext reads and keeps; msgcat drops every other (md-text,
# no-check-…), and two of these change how it wraps an entry.
_WRAP_FLAGS = ("wrap", "no-wrap")


def _wrapped(text: str, width: int) -> str:
    """``text`` (as ``render`` writes it without wrapping) wrapped by GNU
    msgcat itself: its line breaking follows Unicode's rules (UAX #14) and
    the width of each character, and the only sure way to write what a
    team's msgcat, msguniq or msgattrib writes is to ask msgcat.  The flag
    lines are taken out first and put back after, since msgcat would drop
    the flags it does not know."""
    import shutil
    import subprocess
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        raise PublishError(f"catalog.wrap: {width} needs GNU gettext's msgcat, which writes the lines "
                           "it is to match; install gettext, or set catalog.wrap: 0")
    blocks = text.split("\n\n")
    flags: list[str | None] = []
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        at = next((j for j, line in enumerate(lines) if line.startswith("#, ")), None)
        flags.append(lines[at] if at is not None else None)
        if at is not None:
            keep = [f for f in lines[at][3:].split(", ") if f in _WRAP_FLAGS]
            lines[at:at + 1] = ["#, " + ", ".join(keep)] if keep else []
            blocks[i] = "\n".join(lines)
    done = subprocess.run([msgcat, f"--width={width}", "-"], input="\n\n".join(blocks).encode("utf-8"),
                          capture_output=True, env={"LC_ALL": "C.UTF-8", "PATH": os.environ.get("PATH", "")})
    out = done.stdout.decode("utf-8").split("\n\n")
    if done.returncode != 0 or len(out) != len(blocks):
        raise PublishError("msgcat could not wrap the catalog: "
                           + (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1])
    for i, line in enumerate(flags):
        lines = [x for x in out[i].split("\n") if not x.startswith("#, ")]
        if line is not None:
            # where gettext writes flags: after the comments and references
            at = next((j for j, x in enumerate(lines) if not x.startswith(("# ", "#.", "#:")) and x != "#"),
                      len(lines))
            lines.insert(at, line)
        out[i] = "\n".join(lines)
    return "\n\n".join(out)


def _render_polib(po: polib.POFile) -> str:
    """``render`` through polib's own writer: right for every catalog, slow
    for a large one."""
    table = _stand_ins("".join(_strings(po)))
    if table:
        _swap(po, table)
        try:
            text = str(po)
        finally:
            _swap(po, {b: a for a, b in table.items()})
        for a, b in table.items():
            text = text.replace(b, a)
    else:
        text = str(po)
    lines = []
    for line in text.split("\n"):
        if line.startswith("#: "):
            lines.extend(_wrap_references(line))
        elif line in ("# ", "#. "):
            lines.append(line.rstrip())  # an empty comment line has no trailing space
        else:
            lines.append(line)
    # polib writes a blank line at the end; msgcat doesn't.
    return "\n".join(lines).rstrip("\n") + "\n"


_NEW_LINE = re.compile("[\n\r\x0b\x0c]")   # where polib (str.splitlines) starts another quoted line
_LINES = re.compile("[^\n\r\x0b\x0c]*(?:\r\n|[\n\r\x0b\x0c])|[^\n\r\x0b\x0c]+")  # splitlines(keepends=True)
_TO_ESCAPE = re.compile('[\\\\\t\r\n\x0b\x08\x0c"]')  # what polib.escape escapes


def _render_plain(po: polib.POFile) -> str | None:
    """``render`` of the entries publish writes (no plurals),
    written here rather than by polib: polib's writer, general and wrapping,
    took a fifth of a second for a catalog of 11,000 entries, once per
    catalog per update.  The text is exactly the one ``_render_polib`` gives
    (the tests compare them); None for a catalog this does not write, which
    polib then writes."""
    if po.wrapwidth:
        return None
    head = polib.POFile(wrapwidth=0)  # the header: a few lines, whatever they hold, through polib
    head.header, head.metadata, head.metadata_is_fuzzy = po.header, po.metadata, po.metadata_is_fuzzy
    out = [_render_polib(head)[:-1]]
    special, quoted = _TO_ESCAPE.search, _quoted
    for obsolete in (False, True):  # polib writes the obsolete entries last
        d = "#~ " if obsolete else ""
        for e in po:
            if e.obsolete != obsolete:
                continue
            if e.msgid_plural or e.msgstr_plural or e.previous_msgid_plural is not None:
                return None
            out.append("")
            if e.tcomment:
                out.extend(["# " + c if c else "#" for c in e.tcomment.split("\n")])
            if not obsolete:
                if e.comment:
                    out.extend(["#. " + c if c else "#." for c in e.comment.split("\n")])
                if e.occurrences:
                    refs = " ".join([f"{f}:{n}" if n else f for f, n in e.occurrences])
                    if "\n" in refs:
                        return None
                    out.extend(_wrap_references("#: " + refs))
            if e.flags:
                out.append("#, " + ", ".join(e.flags))
            if e.previous_msgctxt is not None:
                quoted(out, "#~| " if obsolete else "#| ", "msgctxt", e.previous_msgctxt)
            if e.previous_msgid is not None:
                quoted(out, "#~| " if obsolete else "#| ", "msgid", e.previous_msgid)
            fields = (("msgid", e.msgid), ("msgstr", e.msgstr)) if e.msgctxt is None else \
                (("msgctxt", e.msgctxt), ("msgid", e.msgid), ("msgstr", e.msgstr))
            for keyword, value in fields:
                if special(value):
                    quoted(out, d, keyword, value)
                else:  # most strings: one line, nothing to escape
                    out.append(f'{d}{keyword} "{value}"')
    return "\n".join(out) + "\n"


def _quoted(out: list[str], prefix: str, keyword: str, value: str) -> None:
    """One field's lines, as polib writes them with no wrapping: a string of
    several lines starts with an empty one."""
    lines = _LINES.findall(value) if _NEW_LINE.search(value) else ()
    lines = ["", *lines] if len(lines) > 1 else [value]
    for i, line in enumerate(lines):
        if _TO_ESCAPE.search(line):
            line = polib.escape(line)
        out.append(f'{prefix}{keyword} "{line}"' if i == 0 else f'{prefix}"{line}"')


def read(path: Path, display: str | None = None) -> polib.POFile:
    return read_text(path, display)[0]


def read_text(path: Path, display: str | None = None) -> tuple[polib.POFile, str]:
    """A catalog and the text it was read from (to tell later whether a
    rewrite would change anything)."""
    display = display or str(path)
    refuse_outside(path, display)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PublishError("catalog does not exist", path=display) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PublishError("not UTF-8 (catalogs must be saved as UTF-8)", path=display, line=line) from None
    charset = re.search(r'"Content-Type:[^"]*charset=([A-Za-z0-9_.-]+)', text)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        line = text[: charset.start()].count("\n") + 1
        raise PublishError(f"charset {charset.group(1)} in the header: publish reads UTF-8 catalogs only",
                           path=display, line=line)
    _refuse_too_many(text, display, _template_entries(path))
    return parse(text, display), text


# Limits on what a translator's file may hold (docs/security.md): a msgstr of
# 1 MB or 300,000 junk entries cost minutes in pandoc and WeasyPrint, and
# merge would keep the junk as obsolete for good.
MSGSTR_FACTOR, MSGSTR_MIN = 10, 2_000          # characters: max(10 × its msgid, 2,000)
ENTRIES_FACTOR, ENTRIES_MIN = 10, 50_000       # entries: max(10 × the template's, 50,000)
_ENTRY_START = re.compile(r"^(?:#~ *)?msgid ", re.M)


def _template_entries(path: Path) -> int:
    """Entries of the template next to a catalog (translations/templates/<doc>.pot),
    counted by their msgid lines; 0 when there is none."""
    pot = path.parent.parent / "templates" / f"{path.stem}.pot"
    try:
        return max(pot.read_bytes().count(b"\nmsgid ") - 1, 0)   # not the header
    except OSError:
        return 0


def _refuse_too_many(text: str, display: str, template_entries: int) -> None:
    limit = max(ENTRIES_FACTOR * template_entries, ENTRIES_MIN)
    if text.count("msgid ") <= limit:     # an upper bound, counted in C
        return
    for n, m in enumerate(_ENTRY_START.finditer(text)):
        if n > limit:   # the header's msgid is entry 0
            raise PublishError(f"more than {limit:,} entries (at most {ENTRIES_FACTOR} times the template's, "
                               f"at least {ENTRIES_MIN:,}): refused", path=display,
                               line=text.count("\n", 0, m.start()) + 1)


def _refuse_too_long(po: polib.POFile, display: str) -> None:
    for e in po:
        if not e.msgid:
            continue
        limit = max(MSGSTR_FACTOR * len(e.msgid), MSGSTR_MIN)
        for t in [e.msgstr, *(e.msgstr_plural or {}).values()]:
            if len(t) > limit:
                raise PublishError(f"a translation of {len(t):,} characters, more than {limit:,} (at most "
                                   f"{MSGSTR_FACTOR} times its source, at least {MSGSTR_MIN:,}): refused",
                                   path=display, line=e.linenum)


def parse(text: str, display: str) -> polib.POFile:
    _refuse_controls(text, display)
    table = _stand_ins(text)
    for a, b in table.items():
        text = text.replace(a, b)
    po = _parse_plain(text)  # a catalog it reads passes lint: its strings are checked as lint checks them
    if po is None:
        lint(text, display)
    try:
        if po is None:
            po = polib.pofile(text, wrapwidth=0)
        if "#~|" in text:
            _obsolete_previous(text, po)
        if table:
            _swap(po, {b: a for a, b in table.items()})
    except (OSError, ValueError) as exc:
        msg = str(exc)
        m = re.search(r"line (\d+)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"^Syntax error in po file \(line \d+\)", "PO syntax error", msg)
        msg = re.sub(r"\s*\(line \d+\)", "", msg)
        raise PublishError(msg.rstrip(".: ") or "unreadable catalog", path=display, line=line) from None
    seen: dict[tuple, int] = {}
    for e in po:
        key = (e.obsolete, e.msgctxt, e.msgid)
        if key in seen:
            raise PublishError(f"duplicate entry (first at line {seen[key]}): msgid {e.msgid[:40]!r}",
                               path=display, line=e.linenum)
        seen[key] = e.linenum
    _refuse_too_long(po, display)
    return po


_OBSOLETE_LINE = re.compile(r'#~(\|)?[ \t]*(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)?[ \t]*"(.*)"[ \t]*$')


def _obsolete_previous(text: str, po: polib.POFile) -> None:
    """Give the obsolete entries of ``po`` their ``#~|`` fields, which
    polib skips when it reads (and writes when it has them): without them an
    entry back from obsolete would lose the text its translation was made
    from.  Each entry is found by its msgctxt and msgid (an obsolete entry is
    there once: ``parse`` refuses a duplicate)."""
    obsolete = {(e.msgctxt, e.msgid): e for e in po if e.obsolete}
    previous: dict[str, str] = {}
    current: dict[str, str] = {}
    field = None

    def close():
        e = obsolete.get((current.get("msgctxt"), current.get("msgid")))
        if e is not None and previous:
            e.previous_msgctxt = previous.get("msgctxt", e.previous_msgctxt)
            e.previous_msgid = previous.get("msgid", e.previous_msgid)
            e.previous_msgid_plural = previous.get("msgid_plural", e.previous_msgid_plural)

    start = text.rfind("\n", 0, text.find("#~")) + 1   # obsolete entries come last: the lines before say nothing
    for line in text[start:].split("\n"):
        m = _OBSOLETE_LINE.match(line)
        if m is None:
            if "msgid" in current:
                close()
            previous, current, field = ({}, {}, None) if "msgid" in current or not line.startswith("#") \
                else (previous, current, field)
            continue
        bar, keyword, value = m.groups()
        value = polib.unescape(value)
        target = previous if bar else current
        if bar and "msgid" in current:   # the next entry's "#~|" lines
            close()
            previous, current = {}, {}
            target = previous
        if keyword:
            field = (bar, keyword)
            target[keyword] = value
        elif field is not None and field[0] == bar:
            target[field[1]] = target.get(field[1], "") + value
    if "msgid" in current:
        close()


# --- reading the usual catalog without polib's parser -----------------------------
#
# polib reads a line at a time through a state machine, a third of a second
# for a catalog of 11,000 entries.  A catalog in the usual shape (the one
# publish, msgcat and Poedit write: comments in their usual order, contexts
# (the title's) but no plurals, no stray whitespace) is read here by one pattern per
# entry, into the very entries polib would make (the tests compare them
# field by field); anything else, and every error, is left to polib.  The
# patterns are compiled on first use: a build that reads no catalog does not
# pay for them.

@functools.cache
def _entry_pattern() -> re.Pattern:
    tail = _OTHER + r"*\S"  # the rest of a line, not ending in a space (polib strips lines)
    string = _STRING        # good escapes only: what reads here passes lint
    return re.compile(
        r"(\n*)"                                         # blank lines before
        r"((?:#(?: " + tail + r")?\n)*)"                 # "# translator comment", or "#"
        r"((?:#\. " + tail + r"\n)*)"                    # "#. extracted comment"
        r"((?:#: " + tail + r"\n)*)"                     # "#: file:line ..."
        r"((?:#, " + tail + r"\n)*)"                     # "#, fuzzy"
        r"(?:(#\| msgctxt " + string + r"(?:\n#\| " + string + r")*\n)?"
        r"(#\| msgid " + string + r"(?:\n#\| " + string + r")*\n)?"
        r"(?:msgctxt (" + string + r"(?:\n" + string + r")*)\n)?"
        r"msgid (" + string + r"(?:\n" + string + r")*)\n"
        r"msgstr (" + string + r"(?:\n" + string + r")*)\n"
        r"|((?:#~\| " + tail + r"\n)*)"                  # polib skips "#~|" lines
        r"(?:#~ msgctxt (" + string + r"(?:\n#~ " + string + r")*)\n)?"
        r"#~ msgid (" + string + r"(?:\n#~ " + string + r")*)\n"
        r"#~ msgstr (" + string + r"(?:\n#~ " + string + r")*)\n)")


@functools.cache
def _head_pattern() -> re.Pattern:
    return re.compile(r"(?:#(?: " + _OTHER + r"*\S)?\n)*"                # header comments
                      r'msgid ""\nmsgstr ' + _STRING + r"\n(?:" + _STRING + r"\n)*")


_POLIB_CHARSET = re.compile(r'"?Content-Type:.+? charset=([\w_\-:\.]+)')  # polib.detect_encoding's


def _field_text(block: str, first: int, rest: int) -> str:
    """The string of a field: its lines' quoted parts, unescaped as polib
    does, one line at a time; ``first`` and ``rest`` skip what comes before
    the opening quote on the first and on the other lines."""
    if "\n" not in block:
        text = block[first:-1]
        return polib.unescape(text) if "\\" in text else text
    lines = block.split("\n")
    parts = [lines[0][first:-1], *(line[rest:-1] for line in lines[1:])]
    return "".join(polib.unescape(p) if "\\" in p else p for p in parts)


def _parse_plain(text: str) -> polib.POFile | None:
    """The catalog in ``text`` as polib reads it, when it is in the usual
    shape; None when not."""
    if not text.endswith("\n"):
        text += "\n"
    head = _head_pattern().match(text)
    if head is None or not _POLIB_CHARSET.search(head.group()):
        return None
    po = polib.pofile(head.group(), wrapwidth=0)  # header comments and metadata, exactly as polib reads them
    if len(po):
        return None
    match, field, entries = _entry_pattern().match, _field_text, []
    pos, line, end = head.end(), head.group().count("\n"), len(text)
    while pos < end:
        m = match(text, pos)
        if m is None:
            if text.count("\n", pos) == end - pos:  # blank lines at the end
                break
            return None
        blank, tc, gc, oc, fl, pc, pm, ct, mi, ms, op, oct, omi, oms = m.groups()
        occurrences = []
        if oc:
            for ref in oc[3:-1].replace("\n#: ", " ").split():
                where, colon, number = ref.rpartition(":")
                occurrences.append((where, number) if colon and number.isdigit() else (ref, ""))
        if mi is not None:
            linenum, obsolete, msgid, msgstr = line + len(blank) + 1, 0, field(mi, 1, 1), field(ms, 1, 1)
            msgctxt = field(ct, 1, 1) if ct is not None else None
        else:  # obsolete entries start after the "#~|" lines polib skips, when nothing comes before them
            linenum = line + len(blank) + 1 + (0 if tc or gc or oc or fl else op.count("\n"))
            obsolete, msgid, msgstr = 1, field(omi, 1, 4), field(oms, 1, 4)
            msgctxt = field(oct, 1, 4) if oct is not None else None
        entries.append(polib.POEntry(
            linenum=linenum, obsolete=obsolete, msgctxt=msgctxt, msgid=msgid, msgstr=msgstr,
            occurrences=occurrences, previous_msgctxt=field(pc[:-1], 12, 4) if pc else None,
            # polib drops the empty lines a translator comment starts with
            tcomment="\n".join([c[2:] for c in tc[:-1].split("\n")]).lstrip("\n") if tc else "",
            comment=gc[3:-1].replace("\n#. ", "\n") if gc else "",
            flags=[f.strip() for f in fl[3:-1].replace("\n#, ", ",").split(",")] if fl else [],
            previous_msgid=field(pm[:-1], 10, 4) if pm else None))
        line += text.count("\n", pos, m.end())
        pos = m.end()
    po.extend(entries)
    return po


# The keyword ends at white space or a quote: "msgid" must not take the
# first five letters of "msgid_plural" (a valid plural entry was refused).
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s"]|$)\s*(.*)$')
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')
_ESCAPE = re.compile(r"\\([0-7]{1,3}|x[0-9a-fA-F]*|.)")
# What XML 1.0 forbids (C0 controls but tab and line ends, U+FFFE, U+FFFF):
# in a string it would make the EPUB invalid (epubcheck RSC-016), so a catalog
# holding one is refused, naming the line.  C1 controls are allowed (XML is,
# and a NEL pasted from a word processor is a line break) and dropped when
# the translation is assembled (assemble._prepare).  Comments never reach an
# edition: they may hold anything polib reads.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _refuse_controls(text: str, display: str) -> None:
    for m in _FORBIDDEN.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        line = text[start:m.start()].lstrip()
        if line.startswith("#") and not line.startswith(("#~", "#|")):
            continue  # a comment
        raise PublishError(f"control character U+{ord(m.group()):04X}: invisible, and no edition can print "
                           "it; remove it", path=display, line=text.count("\n", 0, m.start()) + 1)


def _escape_problem(esc: str) -> str | None:
    """What is wrong with a backslash escape (``esc`` is what follows the
    backslash), or None for the five every PO tool reads alike.  gettext
    reads C's others too, but polib prints them as they are (``\\101`` would
    reach the edition as four characters): each is refused, saying what
    msgfmt reads it as, so the translator can write that instead."""
    if esc in ("\\", '"', "n", "t", "r"):
        return None
    if esc[0] in "01234567" or (esc[0] == "x" and len(esc) > 1):
        value = int(esc, 8) if esc[0] != "x" else int(esc[1:], 16)
        if value > 0x7F:  # msgfmt reads a byte of the file's encoding, not a character
            return f"escape \\{esc} is C's spelling of a byte, which publish does not read: write the character itself"
        char = chr(value)
    elif esc in ("a", "b", "f", "v"):
        char = {"a": "\a", "b": "\b", "f": "\f", "v": "\v"}[esc]
    else:  # msgfmt refuses \? and \' too
        return f"invalid escape sequence \\{esc}"
    if char == "\x00" or CONTROLS.match(char):
        return f"escape \\{esc} stands for U+{ord(char):04X}, a control character no edition can print: remove it"
    return f"escape \\{esc} is C's spelling of {char!r}, which publish does not read: write {char!r} itself"


@functools.cache
def _clean_pattern() -> re.Pattern:
    """The lines ``lint`` accepts, as one pattern over the whole text:
    matching 85,000 lines in C takes a fifth of the time of looking at each
    in Python.  It accepts a subset (no stray whitespace, no msgid_plural,
    no "#~|" between a string's lines, lines ended by \n only); the rest, and
    every error, goes through the line-by-line check, which names the line.
    Each line can be read in one way only, so a text that does not match
    fails fast instead of backtracking."""
    return re.compile(
        r'(?:(?:[ \t]*|#(?!~)' + _OTHER + r'*|#~[ \t]*(?:\|' + _OTHER + r'*)?)\n'   # blank, comment, "#~" or "#~|"
        r'|(?:#~[ \t]*)?(?:msgctxt|msgid|msgstr(?:\[\d+\])?)[ \t]*' + _STRING + r'\n'  # a keyword and its string
        r'(?:(?:#~[ \t]*)?' + _STRING + r'\n)*'                                       # and the string's other lines
        r')*')


def lint(text: str, display: str) -> None:
    """Check the lexical shape of a PO file line by line.

    polib forgives too much: an unterminated msgstr is read as empty, and the
    translation would be silently lost on the next write.  This rejects what
    msgfmt rejects, naming the line."""
    if _clean_pattern().fullmatch(text if text.endswith("\n") else text + "\n"):
        return
    expect_string = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            line = line[2:].strip()
            if line.startswith("|"):
                continue
        elif not line or line.startswith("#"):
            expect_string = False
            continue
        if not line:
            continue
        m = _KEYWORD.match(line)
        if m:
            line = m.group(2).strip()
            if not line:
                raise PublishError(f"{m.group(1)} without a string", path=display, line=lineno)
        elif not line.startswith('"') or not expect_string:
            raise PublishError(f"unexpected text {line[:30]!r}", path=display, line=lineno)
        if not _QUOTED.match(line):
            raise PublishError("string not properly quoted (a missing or unescaped \"?)", path=display, line=lineno)
        for esc in _ESCAPE.finditer(line[1:-1]):  # left to right: "\\\\s" is \\ then s
            problem = _escape_problem(esc.group(1))
            if problem:
                raise PublishError(problem, path=display, line=lineno)
        expect_string = True


def check_language(po: polib.POFile, lang: str, display: str) -> None:
    """A catalog in translations/<lang>/ must not declare another language.
    The header may spell it either way (pt_BR, pt-BR) or less precisely
    (pt); see ``languages.compatible``."""
    declared = po.metadata.get("Language", "").strip()
    if not declared:
        return
    expected = languages.parse(lang)
    try:
        ok = languages.compatible(languages.parse(declared), expected)
    except PublishError:
        ok = False
    if not ok:
        raise PublishError(f"Language header says {declared!r} but the file is in "
                           f"translations/{expected.posix}/", path=display)


_PLACEHOLDER_IDS = ("", "PACKAGE VERSION", "PACKAGE")


def check_document(po: polib.POFile, document: str, others: list[str], display: str,
                   template: polib.POFile | None = None) -> None:
    """A catalog made from another document's template (copied to the wrong
    name) would have every translation pushed out to obsolete: refuse it.

    The header names the document (``Project-Id-Version``, written by
    ``publish update``); a tool may have changed it, so a header naming no
    document of this project counts only when the catalog also shares less
    than half of its translated entries with the template."""
    declared = po.metadata.get("Project-Id-Version", "").strip()
    name = declared.split()[0] if declared else ""
    if declared in _PLACEHOLDER_IDS or name == document:
        return
    if name in others:
        raise PublishError(f"this catalog belongs to document {name!r} (Project-Id-Version), not {document!r}",
                           path=display)
    if template is not None:
        translated = [e.msgid for e in po if e.msgstr and not e.obsolete]
        wanted = {e.msgid for e in template}
        if translated and sum(m in wanted for m in translated) < len(translated) / 2:
            raise PublishError(f"this catalog was made for {declared!r}, not {document!r}: most of its "
                               f"translations are of text this document does not have", path=display)


_DATE_LINE = re.compile(r'"(?:POT-Creation|PO-Revision)-Date: .*\\n"$', re.M)


def without_dates(text: str) -> str:
    """``text`` with its date lines emptied.  Found with str.find: a pattern
    tried at every line start took 60 ms over a large catalog."""
    parts, start = [], 0
    for at in _line_starts(text, '"PO'):
        m = _DATE_LINE.match(text, at)
        if m:
            parts.append(text[start:at])
            start = m.end()
    parts.append(text[start:])
    return "".join(parts)


def _line_starts(text: str, prefix: str):
    """Where the lines of ``text`` that start with ``prefix`` start."""
    if text.startswith(prefix):
        yield 0
    at = text.find("\n" + prefix)
    while at >= 0:
        yield at + 1
        at = text.find("\n" + prefix, at + 1)


def same_content(a: str, b: str) -> bool:
    """Equal but for the creation date, which must not change on its own."""
    if a == b:
        return True
    # The dates are in the header: when the rest is equal (compared in C, at
    # memory speed) only the headers need their date lines taken out.
    head_a, head_b = a.find("\n\n") + 1 or len(a), b.find("\n\n") + 1 or len(b)
    if a[head_a:] == b[head_b:]:
        return without_dates(a[:head_a]) == without_dates(b[:head_b])
    return without_dates(a) == without_dates(b)


def creation_date(text: str) -> str | None:
    """The POT-Creation-Date in the header of a catalog's text, as polib
    reads it (the last one, unescaped, stripped)."""
    end = text.find("\n\n")
    dates = re.findall(r'^"POT-Creation-Date:(.*)\\n"$', text[: end if end >= 0 else len(text)], re.M)
    return polib.unescape(dates[-1]).strip() if dates else None


def write(path: Path, text: str, previous_text: str | None) -> bool:
    """Write a catalog's text (``render``) unless only its dates would change; True when written."""
    if previous_text is not None and same_content(text, previous_text):
        return False
    return write_atomic(path, text)


# --- statistics -------------------------------------------------------------------

@dataclass
class Stats:
    units: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    words_translated: int = 0
    words_fuzzy: int = 0
    obsolete: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.units if self.units else 100.0

    @property
    def words_untranslated(self) -> int:
        return self.words - self.words_translated - self.words_fuzzy


def words(msgid: str) -> int:
    plain = re.sub(r"\]\([^)]*\)|\[\^\d+\]|[*_`\\]", " ", msgid)
    return len([w for w in plain.split() if any(ch.isalnum() for ch in w)])


def stats(po: polib.POFile) -> Stats:
    s = Stats()
    for e in po:
        if e.obsolete:  # polib iterates obsolete entries too
            s.obsolete += 1
            continue
        if not e.msgid:
            continue
        n = words(e.msgid)
        s.units += 1
        s.words += n
        # as msgfmt counts: fuzzy only with a translation, empty is untranslated
        if e.msgstr and "fuzzy" in e.flags:
            s.fuzzy += 1
            s.words_fuzzy += n
        elif e.msgstr:
            s.translated += 1
            s.words_translated += n
        else:
            s.untranslated += 1
    return s

"""Units ↔ gettext catalogs (POT and PO), through polib.

The model (units) knows nothing about files; this module turns units into a
template, merges templates into translations without ever dropping a
translation, and writes files in the exact form GNU ``msgcat --no-wrap``
writes them, so a save in Poedit or Weblate does not churn diffs.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import polib

from . import __version__
from .config import Document, Project, now
from .errors import PublishError
from .files import write_atomic

if TYPE_CHECKING:  # only a type here; importing units costs a no-op build a tenth of its time
    from .units import Unit

FUZZY_CUTOFF = 0.6   # similarity (difflib ratio) for an old translation to be offered as fuzzy


def _now() -> str:
    return now().strftime("%Y-%m-%d %H:%M%z")


def _language_name(lang: str) -> str:
    from babel import Locale
    return Locale.parse(lang).get_display_name("en") or lang


def plural_forms(lang: str) -> str:
    from babel.messages.plurals import get_plural
    return get_plural(lang).plural_forms


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
        "X-Source-Language": project.source_language,
    }
    by_id: dict[str, polib.POEntry] = {}
    for unit in units:
        if not unit.translatable:
            continue
        ref = (doc.relsource, str(unit.line) if (project.line_numbers and unit.line) else "")
        entry = by_id.get(unit.msgid)
        if entry is None:
            comment = unit.position
            if unit.section:
                comment = "section: " + " › ".join(s for s in unit.section if s) + "\n" + comment
            entry = polib.POEntry(msgid=unit.msgid, msgstr="", occurrences=[], comment=comment)
            by_id[unit.msgid] = entry
            pot.append(entry)
        if ref not in entry.occurrences:
            entry.occurrences.append(ref)
    return pot


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
        if not shared and len(self.orphans) <= 64:  # only common words: few enough to measure them all
            return _closest(msgid, self.orphans)
        best = sorted(shared, key=lambda i: (-shared[i], i))[: self.SHORTLIST]
        return _closest(msgid, [self.orphans[i] for i in sorted(best)])


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
          hints: Callable[[str], list[str]] | None = None) -> polib.POFile:
    """The template with the translations of ``old`` carried over.

    * same msgid (also from an obsolete entry, also after a move): kept as is;
    * a changed unit: the closest old translation, marked fuzzy, with the old
      source as ``#| msgid``;
    * an old translation nobody took: kept as obsolete (``#~``), never dropped.
    """
    po = polib.POFile(wrapwidth=0)
    old_entries = list(old) if old is not None else []
    po.metadata = _header(pot, old, lang)
    known = {}
    for e in old_entries:
        if e.msgid and (e.msgid not in known or (known[e.msgid].obsolete and not e.obsolete)):
            known[e.msgid] = e
    wanted = {e.msgid for e in pot}
    used: set[str] = set()
    for t in pot:
        comment = "\n".join([t.comment, *hints(t.msgid)]) if hints else t.comment
        e = polib.POEntry(msgid=t.msgid, msgstr="", occurrences=list(t.occurrences), comment=comment)
        prev = known.get(t.msgid)
        if prev is not None and (prev.msgstr or prev.tcomment or prev.flags):
            e.msgstr = prev.msgstr
            e.tcomment = prev.tcomment
            e.flags = list(prev.flags)
            if "fuzzy" in prev.flags:
                e.previous_msgid = prev.previous_msgid
            used.add(t.msgid)
        po.append(e)
    orphans = [e for e in known.values() if e.msgid not in wanted and e.msgstr]
    if orphans:
        nearest = _Nearest(orphans)
        for e in po:
            if e.msgstr:
                continue
            near = nearest(e.msgid)
            if near is not None:
                e.msgstr = near.msgstr
                e.tcomment = near.tcomment
                e.flags = [f for f in near.flags if f != "fuzzy"] + ["fuzzy"]
                e.previous_msgid = near.msgid
                used.add(near.msgid)
    for e in old_entries:
        if e.msgid in wanted or e.msgid in used or not e.msgstr or known.get(e.msgid) is not e:
            continue
        # no "#~|" previous msgid: polib does not read it back, and an
        # obsolete entry must survive the next run unchanged
        po.append(polib.POEntry(msgid=e.msgid, msgstr=e.msgstr, tcomment=e.tcomment,
                                flags=list(e.flags), obsolete=True))
    return po


def _header(pot: polib.POFile, old: polib.POFile | None, lang: str) -> dict[str, str]:
    meta = dict(pot.metadata)
    if old is not None:
        for key in ("PO-Revision-Date", "Last-Translator", "Language-Team"):
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
        meta["Language-Team"] = _language_name(lang)
    meta["Language"] = lang
    meta["Plural-Forms"] = plural_forms(lang)
    return meta


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


def render(po: polib.POFile) -> str:
    """The text of a catalog as ``msgcat --no-wrap`` would write it."""
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


def read(path: Path, display: str | None = None) -> polib.POFile:
    return read_text(path, display)[0]


def read_text(path: Path, display: str | None = None) -> tuple[polib.POFile, str]:
    """A catalog and the text it was read from (to tell later whether a
    rewrite would change anything)."""
    display = display or str(path)
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
    return parse(text, display), text


def parse(text: str, display: str) -> polib.POFile:
    table = _stand_ins(text)
    for a, b in table.items():
        text = text.replace(a, b)
    lint(text, display)
    try:
        po = polib.pofile(text, wrapwidth=0)
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
    return po


_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*(.*)$')
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')
_ESCAPES = set('\\"ntrabfv?\'01234567x')


def lint(text: str, display: str) -> None:
    """Check the lexical shape of a PO file line by line.

    polib forgives too much: an unterminated msgstr is read as empty, and the
    translation would be silently lost on the next write.  This rejects what
    msgfmt rejects, naming the line."""
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
        for esc in re.finditer(r"\\(.)", line[1:-1]):  # pairs, left to right: "\\\\s" is \\ then s
            if esc.group(1) not in _ESCAPES:
                raise PublishError(f"invalid escape sequence \\{esc.group(1)}", path=display, line=lineno)
        expect_string = True


def check_language(po: polib.POFile, lang: str, display: str) -> None:
    """A catalog in translations/<lang>/ must not declare another language."""
    declared = po.metadata.get("Language", "").strip()
    if declared and declared.replace("-", "_").split("_")[0] != lang.replace("-", "_").split("_")[0]:
        raise PublishError(f"Language header says {declared!r} but the file is in translations/{lang}/",
                           path=display)


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


def same_content(a: str, b: str) -> bool:
    """Equal but for the creation date, which must not change on its own."""
    strip = re.compile(r'^"POT-Creation-Date: .*\\n"$|^"PO-Revision-Date: .*\\n"$', re.M)
    return strip.sub("", a) == strip.sub("", b)


def save(path: Path, po: polib.POFile, previous_text: str | None) -> bool:
    """Write ``po`` unless only its dates would change; True when written."""
    text = render(po)
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

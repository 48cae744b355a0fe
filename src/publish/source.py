"""Source files → pandoc document tree.

Markdown is read with pandoc's ``commonmark_x`` plus ``sourcepos``, which
tells us the line every block and word came from, so PO references and error
messages can name it.  Other formats (Word, ODT, HTML, text) are imported to
Markdown first and then take the same path.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import marshal
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import chunks, encoding, links, numbered
from . import normalize as norm
from .errors import PublishError
from .files import refuse_outside
from .tree import SPACE_LIKE, TooDeep, defines_macros, stringify, strip_sourcepos, to_json

# smart punctuation off: the source's characters are kept exactly as written;
# emoji shortcodes off: ":x:" in a political text is not a smiley.
SOURCE_FORMAT = "commonmark_x-smart-emoji+sourcepos"

MAX_SOURCE_BYTES = 20 * 1024 * 1024


@dataclass
class Source:
    path: Path
    text: str            # as read, not normalised
    blocks: list         # pandoc blocks, normalised, with _line
    meta: dict
    notice: str | None = None  # e.g. read as Windows-1256: for the command line to show
    # each block as pandoc's JSON (tree.to_json), kept with the pieces: the
    # source edition hands pandoc this rather than write it again
    blocks_json: list[str] | None = None


def pandoc_path() -> str:
    import logging
    # pypandoc logs its own search, traceback and all, before it raises: the
    # user is told once, in one line, below.
    log = logging.getLogger("pypandoc")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        reason = " ".join(str(exc).split())
        raise PublishError(f"pandoc is not available ({reason}); install pypandoc-binary (make does)") from None
    finally:
        log.setLevel(level)


def run_pandoc(args: list[str], text: str | bytes, what: str) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        proc = subprocess.run([pandoc_path(), *args], input=data, capture_output=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise PublishError(f"pandoc took too long on {what}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PublishError(f"pandoc failed: {msg[-1] if msg else 'exit ' + str(proc.returncode)}", path=what)
    return proc.stdout.decode("utf-8")


def read_text(path: Path, display: str | None = None) -> str:
    """A source's text (see ``read_source``), without the notice."""
    return read_source(path, display)[0]


def read_source(path: Path, display: str | None = None) -> tuple[str, str | None]:
    """Read a source, refusing what would silently go wrong.

    UTF-8 is expected.  The encodings Persian files really arrive in are read
    too, with a notice (the second item) suggesting UTF-8: UTF-16 (Word's
    "Unicode text") and Windows-1256 (old Windows Persian); see
    ``encoding.decode``.  Anything else is refused, naming the first line
    that is not UTF-8."""
    display = display or str(path)
    refuse_outside(path, display)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PublishError("source file does not exist", path=display) from None
    except IsADirectoryError:
        raise PublishError("source is a folder, not a file", path=display) from None
    except OSError as exc:
        raise PublishError(f"cannot read source ({exc.strerror})", path=display) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise PublishError(f"source is larger than {MAX_SOURCE_BYTES // 1024 // 1024} MB", path=display)
    text, notice = decode(data, display)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PublishError("NUL byte in source", path=display, line=line)
    check_controls(text, display)
    if not text.strip():
        raise PublishError("source is empty", path=display)
    check_blocks(text, display)
    check_footnotes(text, display)
    return text, notice


# Bytes → text (BOM, detection, notices) lives in encoding.py; ``source.decode``
# is kept because callers and tests know it by this name.
decode = encoding.decode


# A longer "paragraph" is a file whose line breaks were lost (or an attack):
# it would make one unit nobody can translate, and slow everything after it.
MAX_BLOCK_CHARS = 100_000
# How deep blocks and inlines may nest (quotations in lists in quotations,
# emphasis in links …); real documents stay under ten.
MAX_DEPTH = 64
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?)")


def check_controls(text: str, display: str) -> None:
    """A NUL or a control character (normalize.CONTROLS) is refused with its line."""
    if "\x00" in text:
        raise PublishError("NUL byte in source", path=display, line=text[: text.index("\x00")].count("\n") + 1)
    control = norm.CONTROLS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise PublishError(f"control character U+{ord(control.group()):04X} in source: invisible, and no EPUB "
                           "may hold it; remove it (`publish import` removes them)", path=display, line=line)


def check_blocks(text: str, display: str) -> None:
    """Refuse, with the line, a paragraph too long or containers nested too
    deep, before any parser is given them."""
    start, size = 1, 0
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            start, size = lineno + 1, 0
            continue
        size += len(line) + 1
        if size > MAX_BLOCK_CHARS:
            raise PublishError(f"a paragraph longer than {MAX_BLOCK_CHARS:,} characters starts here "
                               f"(is a blank line missing between paragraphs?)", path=display, line=start)
        depth, pos = 0, 0
        while depth <= MAX_DEPTH and (m := _CONTAINER_PREFIX.match(line, pos)) and m.end() > pos:
            depth, pos = depth + 1, m.end()
        if depth > MAX_DEPTH:
            raise PublishError(f"quotations or lists nested more than {MAX_DEPTH} deep", path=display, line=lineno)


def check_footnotes(text: str, display: str) -> None:
    """Refuse a footnote that calls itself, directly or through others:
    pandoc's commonmark reader never returns from one (found by fuzzing)."""
    defs: dict[str, tuple[int, set[str]]] = {}
    current = None
    lines = text.split("\n")
    for lineno, line in enumerate(lines, 1):
        m = chunks.NOTE_DEF.match(line)
        if m:
            current = m.group(1)
            defs.setdefault(current, (lineno, set()))
            line = line[m.end():]
        elif current and line.strip() and not line.startswith((" ", "\t")) and not lines[lineno - 2].strip():
            current = None  # a paragraph after a blank line, not indented: the note has ended
        if current:
            defs[current][1].update(chunks.NOTE_REF.findall(line))
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(label: str) -> bool:
        if state.get(label) == 1:
            return True
        if state.get(label) == 2 or label not in defs:
            return False
        state[label] = 1
        if any(visit(ref) for ref in defs[label][1]):
            return True
        state[label] = 2
        return False

    for label, (lineno, _) in defs.items():
        if visit(label):
            raise PublishError(f"footnote [^{label}] calls itself (directly or through another footnote)",
                               path=display, line=lineno)


@contextlib.contextmanager
def no_gc():
    """The cyclic garbage collector off while a large tree is built.  A tree
    of millions of fresh dicts and lists holds no cycles, yet every few
    hundred allocations the collector would walk all of it again: for the
    report at 100× json.loads took 8.6 s with it and 1.5 s without."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _load_json(out: str, display: str, text: str, origin: list[int] | None = None) -> dict:
    try:
        with no_gc():
            doc = json.loads(out)
    except RecursionError:
        line = _busiest_line(text)
        if origin is not None and line is not None:
            line = origin[line] or None
        raise PublishError(f"markup nested more than {MAX_DEPTH} deep", path=display, line=line) from None
    return doc


def _busiest_line(text: str) -> int | None:
    """The line with the longest run of markup characters: where the nesting is."""
    best, where = 0, None
    for lineno, line in enumerate(text.split("\n"), 1):
        for m in re.finditer(r"[>*_\[\]~^`(){}+\- \t]{2,}", line):
            if len(m.group().replace(" ", "")) > best:
                best, where = len(m.group().replace(" ", "")), lineno
    return where


def parse_markdown(text: str, display: str) -> tuple[list, dict]:
    """The whole of ``text`` in one pandoc run (see ``_parse`` for the pieces)."""
    check_footnotes(text, display)
    return _read_tree(text, display)


def _read_tree(text: str, display: str, origin: list[int] | None = None) -> tuple[list, dict]:
    """pandoc's blocks (positions made ``_line``: ``tree.strip_sourcepos``)
    and metadata for ``text``, refused with a line where they nest deeper
    than MAX_DEPTH; ``origin`` maps the lines of ``text`` to the source's."""
    doc = _load_json(run_pandoc(["-f", SOURCE_FORMAT, "-t", "json"], text, display), display, text, origin)
    try:
        with no_gc():
            return strip_sourcepos(doc["blocks"], limit=MAX_DEPTH, origin=origin), doc.get("meta", {})
    except (TooDeep, RecursionError) as exc:
        line = exc.args[0] if isinstance(exc, TooDeep) and exc.args[0] else _busiest_line(text)
        if isinstance(exc, RecursionError) and origin is not None and line is not None:
            line = origin[line] or None
        raise PublishError(f"markup nested more than {MAX_DEPTH} deep", path=display, line=line) from None


def load(path: Path, rules: dict[str, bool], display: str | None = None,
         cache_dir: Path | None = None) -> Source:
    """Read, parse and normalise a source.  With ``cache_dir``, the tree of
    each piece of it (see ``chunks``) is kept there, keyed by the piece's
    text, the rules and the code that made it: update, build, status and
    serve read the same source, and after an edit only the pieces that
    changed are parsed again."""
    display = display or str(path)
    text, notice = read_source(path, display)
    blocks, meta, jsons = _parse(text, rules, display, cache_dir)
    return Source(path, text, blocks, meta, notice, jsons)


def parse(text: str, rules: dict[str, bool], display: str, path: Path | None = None) -> Source:
    """Markdown text → a normalised Source (what ``load`` does after reading)."""
    check_controls(text, display)   # load has, in read_source
    check_footnotes(text, display)
    blocks, meta, jsons = _parse(text, rules, display, None)
    return Source(path or Path(display), text, blocks, meta, blocks_json=jsons)


def _parse(text: str, rules: dict[str, bool], display: str, cache_dir: Path | None) -> tuple[list, dict, list]:
    text = numbered.ascii_markers(text)   # ۱. ۲. … are a list, as their author meant
    store = _Kept(cache_dir, display, rules) if cache_dir is not None else None
    kept = store.read() if store else {}
    stale = bool(store) and store.was is None
    pieces = chunks.split(text)
    with no_gc():
        if pieces is not None:
            fresh = _parse_pieces([c for c in _unique(pieces) if c.key not in kept], rules, display)
            if fresh is None:  # the pieces did not parse as the whole would (see _parse_pieces)
                pieces = None
            else:
                kept.update(fresh)
                stale = stale or bool(fresh)
        if pieces is None:
            whole = chunks.Chunk(1, text.split("\n"), key=hashlib.sha256(b"whole\0" + text.encode()).hexdigest())
            if whole.key not in kept:
                blocks, meta = parse_markdown(text, display)
                normalize_tree(blocks, rules)
                kept[whole.key] = ((1, ()), blocks, meta, [to_json(b) for b in blocks])
                stale = True
            pieces = [whole]
        blocks, meta, jsons, used = [], {}, [], {}
        for c in pieces:
            sig, tree, m, js = kept[c.key]
            if c.key in used:  # the same text twice: its own copy, or footnotes would share numbers
                tree = marshal.loads(marshal.dumps(tree))
            wanted = (c.start, tuple(d.start for d in c.needs))
            if sig != wanted:
                _move_lines(tree, c, sig, wanted)
                if c.key not in used:
                    kept[c.key] = (wanted, tree, m, js)
                    stale = True
            used[c.key] = True
            blocks.extend(tree)
            jsons.extend(js)  # lines are not in the JSON: moved or not, it holds
            meta = meta or m
        if store and (stale or len(used) != len(kept)):
            store.write({k: kept[k] for k in used})
        if len(pieces) > 1:
            renamed = _unique_ids(blocks, text.split("\n"))
            if renamed is None:
                blocks, meta = parse_markdown(text, display)
                normalize_tree(blocks, rules)
                jsons = [to_json(b) for b in blocks]
            for i in renamed or ():
                jsons[i] = to_json(blocks[i])
    return blocks, meta, jsons


def _unique(pieces):
    seen = set()
    for c in pieces:
        if c.key not in seen:
            seen.add(c.key)
            yield c


def _parse_pieces(pieces: list[chunks.Chunk], rules: dict[str, bool], display: str):
    """Parse pieces in batches, each batch in one pandoc run; with several
    batches, two worker processes share them (the machines have two cores,
    and reading pandoc's output takes Python longer than pandoc takes to
    write it).  None if pandoc did not keep the pieces apart."""
    if not pieces:
        return {}
    import secrets
    separator = f"<!-- publish piece {secrets.token_hex(8)} -->"
    batches = chunks.batches(pieces, separator)
    if len(batches) == 1:
        return _parse_batch(batches[0], rules, display)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    parsed: dict = {}
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        for data in pool.map(_parse_batch_marshalled, batches, [rules] * len(batches), [display] * len(batches)):
            got = marshal.loads(data)
            if got is None:
                return None
            parsed.update(got)
    return parsed


def _parse_batch_marshalled(batch: chunks.Batch, rules: dict[str, bool], display: str) -> bytes:
    # marshal, not pickle, carries the trees back: several times faster for plain data
    with no_gc():
        return marshal.dumps(_parse_batch(batch, rules, display))


def _parse_batch(batch: chunks.Batch, rules: dict[str, bool], display: str) -> dict | None:
    tree, meta = _read_tree(batch.text, display, batch.origin)
    groups: list[list] = [[]]
    for b in tree:
        if b["t"] == "RawBlock" and b["c"][1].strip() == batch.separator:
            groups.append([])
        else:
            groups[-1].append(b)
    if len(groups) != len(batch.chunks) + 1 or groups[-1]:
        return None
    parsed = {}
    for c, group in zip(batch.chunks, groups):
        # the copied definitions made notes and links; their own blocks are dropped
        own = [b for b in group if c.start <= b.get("_line", c.start) < c.end]
        normalize_tree(own, rules)
        parsed[c.key] = ((c.start, tuple(d.start for d in c.needs)), own,
                         meta if c.start == 1 else {}, [to_json(b) for b in own])
    return parsed


def _move_lines(tree, c: chunks.Chunk, was: tuple, now: tuple) -> None:
    """A kept piece's lines, moved to where the piece and its definitions
    are now (text above them was added or removed)."""
    spans = [(old, new, n) for old, new, n in
             zip((was[0], *was[1]), (now[0], *now[1]), (len(c.lines), *(len(d.lines) for d in c.needs)))
             if old != new]
    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            line = x.get("_line")
            if line is not None:
                for old, new, n in spans:
                    if old <= line < old + n:
                        x["_line"] = line - old + new
                        break
            stack.extend(v for v in x.values() if isinstance(v, (dict, list)))
        elif isinstance(x, list):
            stack.extend(v for v in x if isinstance(v, (dict, list)))


def _unique_ids(blocks: list, lines: list[str]) -> set[int] | None:
    """Heading identifiers as pandoc gives them in one document.

    Pieces parsed in one batch were numbered against each other, pieces
    from other batches or kept ones not at all.  pandoc's commonmark reader
    counts each identifier: the first "x" stays "x", the next ones become
    "x-1", "x-2" … whatever else exists (so "x-1" can occur twice), and an
    explicit ``{#x}`` counts too.  Each heading's own identifier is its
    text, lower-cased, with letters, numbers, marks, "-" and "_" kept and
    spaces made "-"; where what pandoc gave does not fit that (some markup
    we do not foresee), None: the caller parses the text whole.  Otherwise
    the top-level blocks whose headings were renamed."""
    counts: dict[str, int] = {}
    renamed: set[int] = set()
    for top, b in _headers(blocks):
        level, attr, inlines = b["c"]
        ident = attr[0]
        line = lines[b["_line"] - 1] if 0 < b.get("_line", 0) <= len(lines) else ""
        if ident and re.search(r"\{[^{}]*#" + re.escape(ident) + r"(?=[\s}])", line):
            counts[ident] = counts.get(ident, 0) + 1  # explicit: kept, and counted
            continue
        base = _slug(stringify(inlines))
        if not (ident == base or re.fullmatch(re.escape(base) + r"-\d+", ident)):
            return None
        n = counts.get(base, 0)
        counts[base] = n + 1
        new = f"{base}-{n}" if n else base
        if new != ident:
            b["c"] = [level, [new, attr[1], attr[2]], inlines]
            renamed.add(top)
    return renamed


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isspace():
            out.append("-")
        elif ch in "-_" or unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "Pc":
            out.append(ch)
    return "".join(out)


def _headers(blocks: list, top: int | None = None):
    """(index of the top-level block, heading) for every heading."""
    for i, b in enumerate(blocks):
        at = i if top is None else top
        t = b["t"]
        if t == "Header":
            yield at, b
        elif t in ("Div", "Figure"):
            yield from _headers(b["c"][-1], at)
        elif t == "BlockQuote":
            yield from _headers(b["c"], at)
        elif t in ("BulletList", "OrderedList"):
            for item in b["c"] if t == "BulletList" else b["c"][1]:
                yield from _headers(item, at)


class _Kept:
    """The parsed pieces of one source, in ``cache_dir``, as ``marshal``
    data: plain dicts, lists and strings, which marshal reads back fast and,
    unlike pickle, without running anything a tampered file could contain."""

    def __init__(self, cache_dir: Path, display: str, rules: dict[str, bool]):
        from .cache import package_digest, pandoc_identity
        name = hashlib.sha256(display.encode("utf-8")).hexdigest()[:24]
        self.path = cache_dir / f"{name}.tree"
        self.key = hashlib.sha256("\0".join([SOURCE_FORMAT, json.dumps(sorted(rules.items())),
                                              package_digest(), pandoc_identity()]).encode("utf-8")).hexdigest()
        self.was: bool | None = None  # read from a good file

    def read(self) -> dict:
        """The kept pieces by key; nothing if the file is missing, damaged or
        made by other code or rules."""
        try:
            key, pieces = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if key != self.key or not isinstance(pieces, dict) or not all(
                isinstance(v, tuple) and len(v) == 4 and isinstance(v[1], list) and isinstance(v[3], list)
                and len(v[1]) == len(v[3]) for v in pieces.values()):
            return {}
        self.was = True
        return pieces

    def write(self, pieces: dict) -> None:
        from .files import write_atomic
        try:
            write_atomic(self.path, marshal.dumps((self.key, pieces)))
        except (OSError, ValueError, PublishError):
            pass  # a cache that cannot be written only costs time


_VERBATIM = ("Code", "CodeBlock", "RawInline", "RawBlock", "Math")


def normalize_tree(node: Any, rules: dict[str, bool]) -> None:
    """Normalise every Str in place (code, math and raw content excepted); a
    Str's edge counts as a word edge only next to a space or the end of its
    inline run."""
    if type(node) is list:
        last = len(node) - 1
        untidy = unlinked = False
        for i, el in enumerate(node):
            if type(el) is dict:
                t = el.get("t")
                if t == "Str":
                    if norm.TOUCHED.search(el["c"]):  # most words need nothing: skip the call
                        el["c"] = norm.normalize(el["c"], rules, at_start=i == 0 or _space(node[i - 1]),
                                                 at_end=i == last or _space(node[i + 1]))
                        untidy = untidy or not el["c"] or " " in el["c"]
                elif t not in _VERBATIM:
                    if t == "Link" and not links.safe(el["c"][2][0]):
                        unlinked = True
                    for key, value in el.items():
                        if not key.startswith("_") and type(value) in (list, dict):
                            normalize_tree(value, rules)
                elif t == "Math" and defines_macros(el["c"][1]):
                    _math_as_code(el)
            elif type(el) is list:
                normalize_tree(el, rules)
        if unlinked:
            node[:] = _unlink(node)
        if untidy:
            node[:] = _tidy(node)
        if norm.typography.enabled(rules):  # the optional rules look at each run of words
            node[:] = norm.typography.apply_inlines(node, rules)
    elif type(node) is dict:
        for key, value in node.items():
            if key == "c" and node.get("t") in _VERBATIM:
                continue
            if not key.startswith("_"):
                normalize_tree(value, rules)


def _unlink(inlines: list) -> list:
    """The inlines with each link whose target may not reach an edition
    (``links.safe``: ``javascript:``, ``data:`` …) replaced by its words:
    one rule for sources, imports and translations.  ``update`` names them
    (``update.source_warnings``)."""
    out = []
    for el in inlines:
        if type(el) is dict and el.get("t") == "Link" and not links.safe(el["c"][2][0]):
            out.extend(el["c"][1])
        else:
            out.append(el)
    return out


def _math_as_code(el: dict) -> None:
    """Math that defines macros, shown as the TeX it is: pandoc expands
    macros when it writes math, and ten nested definitions of a few bytes
    each make a page of megabytes (see ``tree.defines_macros``)."""
    kind, tex = el["c"]
    fence = "$$" if kind["t"] == "DisplayMath" else "$"
    el["t"], el["c"] = "Code", [["", [], []], f"{fence}{tex}{fence}"]


def _tidy(inlines: list) -> list:
    """An inline run after normalisation emptied a word (a lone ZWNJ) or
    made spaces inside one (a no-break space): words split at the spaces,
    empty ones dropped, and one space where several now meet, so no unit
    has a double space or starts with one."""
    out: list = []
    for el in inlines:
        if type(el) is dict and el.get("t") == "Str" and (not el["c"] or " " in el["c"]):
            for k, part in enumerate(el["c"].split(" ")):
                if k:
                    out.append({"t": "Space"})
                if part:
                    out.append({**el, "c": part})
            continue
        out.append(el)
    tidy: list = []
    for el in out:
        if _space(el) and tidy and _space(tidy[-1]):
            if el.get("t") != "Space" and tidy[-1].get("t") == "Space":
                tidy[-1] = el   # a line break or soft break says more than a space
            continue
        tidy.append(el)
    return tidy


def _space(el) -> bool:
    return isinstance(el, dict) and el.get("t") in SPACE_LIKE

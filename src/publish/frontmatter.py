"""Metadata at the top of a Markdown file (YAML front matter, Hugo's TOML,
Pelican or MultiMarkdown header lines) → the document's title, author,
date …, and the body without it.

The block is cut from the text *before* pandoc reads it, so none of it can
become a unit to translate, and the number of lines cut is returned so that
later warnings still name lines of the original file.

What counts as front matter is decided by shape, as the tools that write it
do:

- YAML: ``---`` on the very first line, closed by ``---`` or ``...``, the
  first line inside not blank (pandoc's rule: ``---`` and a blank line is a
  thematic break) and looking like ``key:``.  A block of that shape that is
  not valid YAML is front matter all the same — nobody writes a rule, a
  ``key:`` line and a rule meaning a heading — so it is kept out of the body
  and reported with its words, never passed on as text.
- TOML (Hugo): ``+++`` … ``+++``, the first line inside looking like ``key =``.
- Header lines (Pelican, MultiMarkdown): the first block of the file, up to
  its first blank line, when *every* line is ``Key: value`` with a key from
  the list below (or an indented continuation).  A Persian first paragraph
  with a colon in it is therefore never taken.

The text is hostile until read: the YAML is checked event by event before
anything is built (no aliases — a "billion laughs" bomb is a few lines of
aliases —, bounded nesting and size) and read with a safe loader that
resolves nothing but null, so ``date: 2024-03-01`` stays the text the author
wrote and ``!!python/object`` is refused.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

KEYS = ("title", "subtitle", "author", "date", "description", "keywords")

# each key we use ← the names the tools give it, the first found wins
_SOURCES = {
    "title": ("title",),
    "subtitle": ("subtitle",),
    "author": ("author", "authors"),
    "date": ("date",),
    "description": ("description", "summary", "abstract"),
    "keywords": ("keywords", "tags"),
}

# header-line keys of Pelican and MultiMarkdown; a first line whose key is not
# one of these is text, not metadata
HEADER_KEYS = frozenset("""
title subtitle author authors date modified summary description abstract
tags keywords category categories slug lang language status template
save_as url translation email copyright affiliation address web phone
base_header_level css format quotes_language html_header xhtml_header
latex_input latex_mode transclude_base comment revision series
""".split())

MAX_CHARS = 64 * 1024    # front matter is a few lines; more is a mistake or an attack
MAX_DEPTH = 10           # nesting of lists and mappings
MAX_EVENTS = 10_000      # scalars, lists and mappings together

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
# linear patterns only: the first line may be a megabyte of spaces
_YAML_KEY = re.compile(r"""^(?:"[^"\n]*"|'[^'\n]*'|[^\s#:'"\[\]{},&*!|>%@`-][^:#\n]*):(?:\s|$)""")
_TOML_KEY = re.compile(r"""^\s*(?:[A-Za-z0-9_.-]+|"[^"]*"|'[^']*')\s*=|^\s*\[""")
_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)*)[ \t]*:(?:[ \t]|$)(.*)")


@dataclass
class Unread:
    """Something of the front matter that did not become metadata: the block
    itself when it could not be read, or keys publish has no place for."""
    what: str
    line: int      # in the file, 1-based
    words: int     # words of text lost with it (0: not text, e.g. a slug)


def split(text: str) -> tuple[dict[str, str], str, int, list[Unread]]:
    """(metadata, body, lines removed from the top, what was not used).

    The metadata holds plain-text values for ``KEYS`` that have one."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines:
        return {}, text, 0, []
    first = lines[0].rstrip()
    if first == "---":
        found = _fenced(lines, ("---", "..."), _YAML_KEY, _read_yaml)
    elif first == "+++":
        found = _fenced(lines, ("+++",), _TOML_KEY, _read_toml)
    else:
        found = _headers(lines)
    if found is None:
        return {}, text, 0, []
    data, removed, unread = found
    metadata, unused = _pick(data)
    if unused:
        unread.append(Unread(f"front matter key{'s' if len(unused) > 1 else ''} {', '.join(unused)} (not used)", 1, 0))
    return metadata, "".join(lines[removed:]), removed, unread


# --- the three forms ----------------------------------------------------------------------

def _fenced(lines: list[str], closers: tuple[str, ...], key: re.Pattern, reader):
    """A block between fence lines: (data, lines removed, unread) or None when
    the text does not open with front matter."""
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in closers), None)
    if end is None or end == 1 or not lines[1].strip():
        return None   # no closing fence, an empty block, or a thematic break and a blank line
    inside = [l for l in lines[1:end] if l.strip() and not l.lstrip().startswith("#")]
    if not inside or not key.match(inside[0]):
        return None   # a rule, a paragraph and a rule (a setext heading): text
    block = "".join(lines[1:end])
    data, problem, at = reader(block)
    if problem is not None:
        return {}, end + 1, [Unread(f"front matter that could not be read ({problem})", 2 + at, _words(block))]
    return data, end + 1, []


def _headers(lines: list[str]):
    """Pelican / MultiMarkdown ``Key: value`` lines up to the first blank line."""
    data: dict[str, str] = {}
    last = None
    n = 0
    for n, line in enumerate(lines):
        if not line.strip():
            break
        if last is not None and line[:1] in (" ", "\t"):
            data[last] = (data[last] + " " + line.strip()).strip()   # an indented continuation
            continue
        m = _HEADER.match(line.rstrip("\r\n"))
        if not m:
            return None
        key = re.sub(r"[\s-]+", "_", m.group(1).strip().lower())
        if key not in HEADER_KEYS:
            return None
        last = key
        data.setdefault(key, m.group(2).strip())
    else:
        n = len(lines)
    if not data:
        return None
    return data, n, []


# --- reading YAML and TOML safely ---------------------------------------------------------

def _loader():
    """SafeLoader that resolves plain scalars to text (and null): what the
    author typed is what we keep — ``2024-03-01`` is not a date object,
    ``yes`` is not True, ``1.10`` is not 1.1."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _read_yaml(block: str) -> tuple[dict, str | None, int]:
    """(data, problem, line in the block of the problem)."""
    import yaml
    if len(block) > MAX_CHARS:
        return {}, f"longer than {MAX_CHARS // 1024} KiB", 0
    Loader = _loader()
    try:
        # the events first: an alias or a deep nest is refused before any
        # object is built from it
        depth = events = 0
        for ev in yaml.parse(block, Loader=Loader):
            events += 1
            if isinstance(ev, yaml.AliasEvent):
                return {}, f"an alias *{ev.anchor}: front matter has no use for them", ev.start_mark.line
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return {}, f"nested more than {MAX_DEPTH} levels deep", ev.start_mark.line
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if events > MAX_EVENTS:
                return {}, f"more than {MAX_EVENTS} values", ev.start_mark.line
        data = yaml.load(block, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return {}, f"invalid YAML: {exc.problem or exc.context}", mark.line if mark else 0
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return {}, f"invalid YAML: {exc}", 0
    if data is None:
        return {}, None, 0
    if not isinstance(data, dict):
        return {}, "not a mapping of keys to values", 0
    return data, None, 0


def _read_toml(block: str) -> tuple[dict, str | None, int]:
    import tomllib
    if len(block) > MAX_CHARS:
        return {}, f"longer than {MAX_CHARS // 1024} KiB", 0
    try:
        return tomllib.loads(block), None, 0
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return {}, f"invalid TOML: {exc}", int(m.group(1)) - 1 if m else 0
    except (RecursionError, ValueError) as exc:   # arrays nested thousands deep
        return {}, f"invalid TOML: {type(exc).__name__}", 0


# --- to plain text ------------------------------------------------------------------------

def _pick(data: dict) -> tuple[dict[str, str], list[str]]:
    """The values of ``KEYS`` as plain text, and the keys that were not used."""
    lowered = {}
    for k, v in data.items():
        name = re.sub(r"[\s-]+", "_", str(k).strip().lower())
        lowered.setdefault(name, v)
    out: dict[str, str] = {}
    used = set()
    for key, names in _SOURCES.items():
        for name in names:
            if name in lowered:
                used.add(name)
                text = _text(lowered[name], key)
                if text and key not in out:
                    out[key] = text
    unused = [str(k) for k, v in data.items()
              if re.sub(r"[\s-]+", "_", str(k).strip().lower()) not in used
              and not isinstance(v, bool) and v not in (None, "", [], {})]   # draft: false is a setting, not text
    return out, unused


def _text(value, key: str) -> str:
    """A value as one line of text: lists joined, whitespace collapsed."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (_dt.date, _dt.time)):   # TOML dates are objects
        return value.isoformat()
    if isinstance(value, dict):
        # pandoc's and Hugo's authors may be {name: …, affiliation: …}
        name = next((v for k, v in value.items() if str(k).lower() == "name"), None)
        return _text(name, key) if name is not None else ""
    if isinstance(value, (list, tuple)):
        return join([t for t in (_text(v, key) for v in value) if t])
    return " ".join(str(value).split())


def join(items: list[str]) -> str:
    """Several names or keywords as one text.  Persian separates a list with
    the Arabic comma (،), so a list in which any item is in Arabic script is
    joined with "، "; a Latin list keeps ", ", which is what it reads as when
    an edition in another language falls back on it."""
    sep = "، " if any(_ARABIC_SCRIPT.search(i) for i in items) else ", "
    return sep.join(items)


def _words(text: str) -> int:
    return len(text.split())


# --- Word and ODT document properties -----------------------------------------------------

# where each key lives in docProps/core.xml (Word) and meta.xml (ODT); pandoc
# reads the title and the author of a Word file, nothing of an ODT's
_DC, _CP = "{http://purl.org/dc/elements/1.1/}", \
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_PROPERTIES = {
    "docProps/core.xml": {"title": [_DC + "title"], "author": [_DC + "creator"],
                          "description": [_DC + "description"], "keywords": [_CP + "keywords"]},
    "meta.xml": {"title": [_DC + "title"], "author": [_DC + "creator", _META + "initial-creator"],
                 "description": [_DC + "description"], "keywords": [_META + "keyword"]},
}
MAX_PROPERTIES = 1024 * 1024


def properties(path) -> dict[str, str]:
    """Title, author, description and keywords from a Word or ODT file's
    document properties ({} when it has none or they cannot be read: they are
    a convenience, and the text itself is pandoc's to read).  The file
    creation date is not taken: it is the file's, often a template's, not the
    text's."""
    import zipfile
    from xml.etree import ElementTree
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            name = next((n for n in _PROPERTIES if n in names), None)
            if name is None or z.getinfo(name).file_size > MAX_PROPERTIES:
                return {}
            data = z.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:   # properties need no DTD; entities are how XML bombs go off
            return {}
        root = ElementTree.fromstring(data)
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        return {}
    out = {}
    for key, tags in _PROPERTIES[name].items():
        for tag in tags:
            texts = [" ".join("".join(el.itertext()).split()) for el in root.iter(tag)]
            if key == "author":   # Word and LibreOffice separate several authors with ;
                texts = [a.strip() for t in texts for a in t.split(";")]
            text = join([t for t in texts if t])
            if text:
                out[key] = text
                break
    return out

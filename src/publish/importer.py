"""``publish import``: a Word, ODT, HTML, Markdown or text file → a document
of the project.

pandoc reads the file; a small pass over its tree removes what a Markdown
source cannot carry or what would hide text from the translators; pandoc
then writes CommonMark with the extensions our source reader understands
(``commonmark_x``).  The document is registered in publish.yml by editing the
YAML *text* at the positions PyYAML's composer reports, so the user's
comments and layout stay exactly as they were.

Tables deserve a word: ``commonmark_x`` has pipe tables only, and pandoc
writes any table a pipe table cannot express (a cell with two paragraphs or
a list, merged cells, a line break in a cell, no header row) as raw HTML —
which our reader keeps but never offers for translation.  So such tables are
made simple first, and the report says which.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import encoding, frontmatter, links, normalize, numbered, pictures, rawhtml, structure
from .config import CONFIG_NAME, Project, compose_yaml
from .errors import PublishError, PublishWarning
from .files import write_atomic
from .source import MAX_SOURCE_BYTES, pandoc_path

# file suffix → pandoc reader; text is built by hand (pandoc has no plain-text reader)
READERS = {
    ".docx": "docx",
    ".odt": "odt",
    ".md": "commonmark_x-smart-emoji",
    ".markdown": "commonmark_x-smart-emoji",
    ".html": "html",
    ".htm": "html",
    ".txt": None,
}
# -smart: the document's own ’ “ — … are written as they are, not as ' " --- ...
WRITER = "commonmark_x-smart"
API_VERSION = [1, 23, 1, 1]


@dataclass
class Imported:
    name: str
    source: Path                  # the Markdown file written
    relsource: str                # as registered in publish.yml
    media: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)         # what was simplified on the way
    normalized: list[normalize.Change] = field(default_factory=list)
    registered: bool = True       # False: the document was already listed (--force)
    replaced: str | None = None   # the starter document this one took the place of
    notice: str | None = None     # the encoding assumed, when the file was not UTF-8
    metadata: dict[str, str] = field(default_factory=dict)   # found in the file; written to publish.yml
    dropped: list["Dropped"] = field(default_factory=list)   # what could not be carried
    warnings: list[PublishWarning] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------

def _run(args: list[str], data: bytes | None, what: str, cwd: Path | None = None) -> str:
    try:
        proc = subprocess.run([pandoc_path(), *args], input=data, capture_output=True, timeout=600, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise PublishError("pandoc took too long to read this file", path=what) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PublishError(f"pandoc could not read this file: {msg[-1] if msg else proc.returncode}", path=what)
    return proc.stdout.decode("utf-8")


def _text_tree(text: str) -> dict:
    """Plain text: paragraphs at blank lines, line breaks kept as soft breaks;
    nothing in it is markup (``1.`` or ``#`` at a line start stay text)."""
    blocks = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        inlines: list = []
        for i, line in enumerate(para.split("\n")):
            if i:
                inlines.append({"t": "SoftBreak"})
            for j, word in enumerate(line.split()):
                if j:
                    inlines.append({"t": "Space"})
                inlines.append({"t": "Str", "c": word})
        if inlines:
            blocks.append({"t": "Para", "c": inlines})
    return {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}


@dataclass
class Dropped:
    """Something of the file that cannot be carried into a Markdown source."""
    what: str          # e.g. "<script>", "<iframe>", "raw latex block"
    line: int | None   # in the file imported
    words: int         # how many words it held

    def __str__(self) -> str:
        words = f"{self.words} word{'s' if self.words != 1 else ''}" if self.words else "no words"
        return f"{self.what} dropped ({words})"


@dataclass
class Intake:
    """What reading a file learned on the way in, beside its tree."""
    notice: str | None = None                                   # the encoding assumed
    metadata: dict[str, str] = field(default_factory=dict)      # title, author, date … found in the file
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[PublishWarning] = field(default_factory=list)
    offset: int = 0    # lines removed from the top (front matter) before pandoc read the rest


# A file a press imports is a document, not an archive of the world: these
# bound what pandoc is handed, so a few hundred bytes (a zip bomb, a page of
# nothing) cannot take minutes and gigabytes before anything is refused.
MAX_IMPORT_BYTES = 64 * 1024 * 1024          # the file as it arrives
MAX_UNPACKED_BYTES = 256 * 1024 * 1024       # a .docx/.odt unpacked, pictures included
MAX_TEXT_XML_BYTES = 48 * 1024 * 1024        # its text (word/document.xml, content.xml) unpacked
MAX_RATIO = 200                              # unpacked ÷ packed for one part of more than a megabyte
MAX_PARTS = 20_000


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise PublishError(f"the file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB; "
                               f"publish imports documents, not archives", path=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise PublishError(f"cannot read this file ({exc.strerror})", path=str(path)) from None


def _check_archive(path: Path) -> None:
    """Refuse a Word or ODT file whose parts would unpack to more than a
    document holds, before pandoc unpacks them (a 190 KB zip bomb took
    pandoc 143 s and 3.3 GB)."""
    import zipfile
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise PublishError(f"the file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB", path=str(path))
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PublishError(f"not a {path.suffix.lower()} file (it is not a zip archive: {exc})",
                           path=str(path)) from None
    if len(parts) > MAX_PARTS:
        raise PublishError(f"the file has {len(parts):,} parts; a document has far fewer", path=str(path))
    total = 0
    for part in parts:
        total += part.file_size
        text_part = part.filename in ("word/document.xml", "content.xml") or part.filename.endswith(".xml")
        if text_part and part.file_size > MAX_TEXT_XML_BYTES:
            raise PublishError(f"{part.filename} would unpack to {part.file_size // 1024 // 1024} MB of XML "
                               f"(more than {MAX_TEXT_XML_BYTES // 1024 // 1024} MB): refused as a zip bomb",
                               path=str(path))
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise PublishError(f"{part.filename} would unpack {part.file_size // max(part.compress_size, 1):,} "
                               f"times its size: refused as a zip bomb", path=str(path))
    if total > MAX_UNPACKED_BYTES:
        raise PublishError(f"the file would unpack to {total // 1024 // 1024} MB (more than "
                           f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB): refused", path=str(path))


def read(path: Path, media_dir: str | None, cwd: Path) -> tuple[dict, Intake]:
    """The file as a pandoc tree, and what was learned reading it; images of
    Word/ODT files extracted to ``media_dir`` (relative to ``cwd``)."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise PublishError(f"cannot import {suffix or 'a file without a suffix'} files "
                           f"(publish imports {', '.join(sorted(READERS))})", path=str(path))
    if not path.is_file():
        raise PublishError("no such file", path=str(path))
    intake = Intake()
    display = str(path)
    if suffix in (".docx", ".odt"):
        _check_archive(path)
        args = ["-f", READERS[suffix], "-t", "json", str(path.resolve())]
        if media_dir:
            args.append(f"--extract-media={media_dir}")
        doc = json.loads(_run(args, None, display, cwd=cwd))
        intake.metadata = {**frontmatter.properties(path), **_pandoc_metadata(doc)}   # what pandoc does not read
        return doc, intake
    text, intake.notice = encoding.decode(_read_bytes(path), display, html=suffix in (".html", ".htm"))
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PublishError("NUL byte in the file", path=display, line=line)
    text = _without_controls(text, display, intake.warnings)
    if READERS[suffix] is None:
        return _text_tree(text), intake
    if READERS[suffix] == "html":
        doc = rawhtml.read_html(text, display, intake)
        intake.metadata = {**_pandoc_metadata(doc), **intake.metadata}
        return doc, intake
    intake.metadata, body, intake.offset, unread = frontmatter.split(text)
    # front matter that could not be read is reported as dropped, with its words
    intake.dropped.extend(Dropped(u.what, u.line, u.words) for u in unread)
    intake.warnings.extend(structure.surprises(body, display, offset=intake.offset))
    doc = json.loads(_run(["-f", READERS[suffix], "-t", "json"], numbered.ascii_markers(body).encode("utf-8"),
                          display))
    rawhtml.resolve(doc, body, display, intake)
    return doc, intake


CONTROLS = normalize.CONTROLS


def _without_controls(text: str, display: str, warnings: list) -> str:
    """``text`` without control characters, and a warning naming the line
    of the first (Word puts U+000B for a manual line break, old pages C1
    bytes from a wrong code page)."""
    m = CONTROLS.search(text)
    if not m:
        return text
    n = len(CONTROLS.findall(text))
    warnings.append(PublishWarning(
        f"{n} control character{'s' if n > 1 else ''} removed (the first, U+{ord(m.group()):04X}, here)",
        path=display, line=text.count("\n", 0, m.start()) + 1))
    return CONTROLS.sub("", text)


_META_KEYS = ("title", "subtitle", "author", "date", "description", "abstract", "keywords", "lang")


def _pandoc_metadata(doc: dict) -> dict[str, str]:
    """Title, author, date … from pandoc's metadata (Word's document
    properties, HTML's <title> and <meta>), as plain text."""
    from .tree import stringify
    out = {}
    for key in _META_KEYS:
        value = doc.get("meta", {}).get(key)
        if value is None:
            continue
        text = _meta_text(value, stringify)
        if text:
            out[key] = text
    return out


def _meta_text(value: dict, stringify) -> str:
    t, c = value.get("t"), value.get("c")
    if t == "MetaString":
        return " ".join(c.split())
    if t in ("MetaInlines",):
        return " ".join(stringify(c).split())
    if t == "MetaBlocks":
        return " ".join(" ".join(stringify(b.get("c", [])) if b["t"] in ("Para", "Plain") else "" for b in c).split())
    if t == "MetaList":   # several authors: joined as front matter's are (، between Persian names)
        return frontmatter.join([x for x in (_meta_text(v, stringify) for v in c) if x])
    if t == "MetaBool":
        return ""
    return ""


# --- making it fit a Markdown source ------------------------------------------------

_KEEP_SPAN_CLASSES = ("smallcaps", "underline")
_KEEP_SPAN_ATTRS = ("lang", "dir")
_ATTR_VALUE = re.compile(r"[A-Za-z0-9-]{1,35}")
_EMPHASIS = ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline")


def _plain_inlines(blocks: list) -> list:
    """The inline text of some blocks, one run: paragraphs joined by a space,
    list items marked with a bullet.  For table cells, which a pipe table
    keeps on one line."""
    out: list = []

    def add(inlines):
        if out and inlines:
            out.append({"t": "Space"})
        out.extend(inlines)

    for b in blocks:
        t, c = b["t"], b.get("c")
        if t in ("Plain", "Para"):
            add(c)
        elif t == "Header":
            add(c[2])
        elif t in ("BulletList", "OrderedList"):
            items = c if t == "BulletList" else c[1]
            for item in items:
                add([{"t": "Str", "c": "•"}, {"t": "Space"}, *_plain_inlines(item)])
        elif t == "LineBlock":
            for line in c:
                add(line)
        elif t in ("BlockQuote", "Div"):
            add(_plain_inlines(c if t == "BlockQuote" else c[1]))
        elif t == "CodeBlock":
            add([{"t": "Code", "c": [["", [], []], c[1].replace("\n", " ")]}])
        elif t == "DefinitionList":
            for term, defs in c:
                add(term)
                for d in defs:
                    add(_plain_inlines(d))
        elif t == "Table":   # a table in a cell (old pages laid themselves out so): its cells in a row
            _, caption, _, head, bodies, foot = c
            add(_plain_inlines(caption[1]))
            for row in head[1] + [r for bd in bodies for r in bd[2] + bd[3]] + foot[1]:
                for cell in row[1]:
                    add(_plain_inlines(cell[4]))
        elif t == "Figure":
            add(_plain_inlines(c[2]))
            add(_plain_inlines(c[1][1]))
    return [({"t": "Space"} if el["t"] in ("LineBreak", "SoftBreak") else el) for el in out]


def _simple_table(table: dict, number: int, notes: list[str]) -> dict:
    attr, caption, specs, head, bodies, foot = table["c"]
    changed = []
    rows_head = head[1]
    rows_body = [r for bd in bodies for r in bd[2] + bd[3]]
    rows_foot = foot[1]

    def cells(row):
        out = []
        for cell in row[1]:
            cattr, align, rowspan, colspan, blocks = cell
            if rowspan != 1 or colspan != 1:
                changed.append("merged cells split")
            if len(blocks) > 1 or any(b["t"] not in ("Plain", "Para") for b in blocks) or \
                    any(el["t"] == "LineBreak" for b in blocks if b["t"] in ("Plain", "Para") for el in b["c"]):
                changed.append("cells of several paragraphs, lists or line breaks put on one line")
            inl = _plain_inlines(blocks)
            out.append([["", [], []], align, 1, 1, [{"t": "Plain", "c": inl}] if inl else []])
            out.extend([["", [], []], {"t": "AlignDefault"}, 1, 1, []] for _ in range(colspan - 1))
        return out

    rows = [cells(r) for r in rows_head + rows_body + rows_foot]
    if not rows:
        return table, []
    width = max(len(r) for r in rows)
    rows = [r + [[["", [], []], {"t": "AlignDefault"}, 1, 1, []]] * (width - len(r)) for r in rows]
    if rows_head:
        head_rows, body_rows = rows[:1], rows[1:]
        if len(rows_head) > 1:
            changed.append("header rows after the first made body rows")
    else:
        # a pipe table needs a header row: the first row becomes it
        head_rows, body_rows = rows[:1], rows[1:]
        changed.append("first row made the header")
    if rows_foot:
        changed.append("footer rows made body rows")
    # column widths are not the translators' business, and a pipe table has none
    specs = [[specs[i][0] if i < len(specs) else {"t": "AlignDefault"}, {"t": "ColWidthDefault"}]
             for i in range(width)]
    if caption[1]:
        changed.append("caption put under the table as a paragraph")
    if changed:
        notes.append(f"table {number}: " + "; ".join(dict.fromkeys(changed)))
    new = {"t": "Table", "c": [["", [], []], [None, []], specs,
                               [["", [], []], [[["", [], []], r] for r in head_rows]],
                               [[["", [], []], 0, [], [[["", [], []], r] for r in body_rows]]],
                               [["", [], []], []]]}
    return new, caption[1]


def _figure(c: list, blocks) -> list:
    _, caption, content = c
    caption_inlines = _plain_inlines(blocks(caption[1]))
    out = []
    for b in blocks(content):
        if b["t"] == "Plain":
            b = {"t": "Para", "c": b["c"]}
        if b["t"] == "Para":
            for el in b["c"]:
                if el["t"] == "Image" and not el["c"][1]:
                    el["c"][1] = caption_inlines
        out.append(b)
    alts = [el["c"][1] for b in out if b["t"] == "Para" for el in b["c"] if el["t"] == "Image"]
    if caption_inlines and caption_inlines not in alts:
        out.append({"t": "Para", "c": caption_inlines})
    return out


def clean(doc: dict) -> list[str]:
    """Simplify the tree in place for a Markdown source; returns notes on
    what changed that a reader of the original would notice."""
    notes: list[str] = []
    tables = [0]
    divs = [0]

    def blocks(bs: list) -> list:
        out = []
        for b in bs:
            t, c = b["t"], b.get("c")
            if t == "Div":
                divs[0] += 1
                out.extend(blocks(c[1]))  # styling wrappers from Word/HTML: the text stays, the box goes
                continue
            if t == "Table":
                tables[0] += 1
                _walk(b)
                simple, caption = _simple_table(b, tables[0], notes)
                out.append(simple)
                out.extend(blocks(caption))
                continue
            if t == "RawBlock":
                notes.append(f"raw {c[0]} block dropped")
                continue
            if t == "Figure":
                # commonmark_x has no figures (pandoc would write raw HTML, which
                # nobody could translate): the image as a paragraph, its caption
                # as its alt text, or under it when the two differ
                out.extend(_figure(c, blocks))
                continue
            _walk(b)
            out.append(b)
        return out

    def inlines(ins: list) -> list:
        out = []
        for el in ins:
            t, c = el["t"], el.get("c")
            if t == "Span":
                classes = [k for k in c[0][1] if k in _KEEP_SPAN_CLASSES]
                # the language and direction of a phrase matter to its reading
                # (an English name in a Persian line); colours and ids do not
                attrs = [[k, v] for k, v in c[0][2] if k in _KEEP_SPAN_ATTRS and _ATTR_VALUE.fullmatch(v)]
                inner = inlines(c[1])
                if (classes or attrs) and inner:
                    out.append({"t": "Span", "c": [["", classes, attrs], inner]})
                else:
                    out.extend(inner)  # anchors, bookmarks, colours: the words stay
                continue
            if t in _EMPHASIS and all(x["t"] in ("Space", "SoftBreak") or
                                      (x["t"] == "Str" and not x["c"].strip()) for x in c):
                # <b>&nbsp;</b>, an empty bold run from Word: Markdown would print "** **"
                if c:
                    out.append({"t": "Space"})
                continue
            if t == "RawInline":
                continue
            _walk(el)
            if t in ("Link", "Image", "Code"):
                el["c"][0] = ["", [], []]
            if t == "Link" and not links.safe(c[2][0]):
                # javascript:, data:, file: … would run or read on a reader's machine: the words stay
                notes.append(f"link to {links.scheme(c[2][0])}: removed, its text kept")
                out.extend(el["c"][1])
                continue
            out.append(el)
        return out

    def _walk(node):
        t, c = node["t"], node.get("c")
        if t == "Header":
            node["c"] = [c[0], ["", [], []], inlines(c[2])]   # ids come back from the text
        elif t in ("Para", "Plain"):
            node["c"] = inlines(c)
        elif t == "LineBlock":
            node["c"] = [inlines(line) for line in c]
        elif t == "BlockQuote":
            node["c"] = blocks(c)
        elif t == "BulletList":
            node["c"] = [blocks(item) for item in c]
        elif t == "OrderedList":
            node["c"] = [c[0], [blocks(item) for item in c[1]]]
        elif t == "DefinitionList":
            node["c"] = [[inlines(term), [blocks(d) for d in defs]] for term, defs in c]
        elif t == "Table":
            attr, caption, specs, head, bodies, foot = c

            def rows(rs):
                for r in rs:
                    for cell in r[1]:
                        cell[4] = blocks(cell[4])
            rows(head[1])
            for bd in bodies:
                rows(bd[2])
                rows(bd[3])
            rows(foot[1])
            caption[1] = blocks(caption[1])
        elif t == "CodeBlock":
            node["c"] = [["", c[0][1][:1], []], c[1]]
        elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            node["c"] = inlines(c)
        elif t == "Quoted":
            node["c"] = [c[0], inlines(c[1])]
        elif t in ("Link", "Image"):
            node["c"][1] = inlines(c[1])
        elif t == "Note":
            node["c"] = blocks(c)
        elif t == "Cite":
            node["c"][1] = inlines(c[1])

    doc["blocks"] = blocks(doc["blocks"])
    doc["meta"] = {}
    if divs[0]:
        notes.append(f"{divs[0]} styled section{'s' if divs[0] > 1 else ''} (div) unwrapped, the text kept")
    return list(dict.fromkeys(notes))


def to_markdown(doc: dict, what: str) -> str:
    text = _run(["-f", "json", "-t", WRITER, "--wrap=none"], json.dumps(doc, ensure_ascii=False).encode("utf-8"), what)
    return text.rstrip("\n") + "\n"


# --- naming and registering ------------------------------------------------------------

def document_name(path: Path) -> str:
    """A document name from a file name: letters, digits, - and _."""
    stem = path.name.split(".")[0]
    name = re.sub(r"[^\w-]+", "-", stem.strip().lower()).strip("-_")
    return name


def _last_line(node) -> int:
    """The 0-based line of the last character of ``node``'s text (a block
    collection's end mark sits at the next token, maybe lines further)."""
    import yaml
    while isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and node.flow_style is not True and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark
    return end.line if end.column > 0 else end.line - 1


# the document's fields register writes from the file's metadata, in this order;
# all but the date are per language
DOCUMENT_FIELDS = ("title", "subtitle", "author", "date", "description", "keywords")

# what YAML reads raw in a double-quoted scalar: everything printable except
# the quote, the backslash and line breaks (which it would fold into spaces)
_YAML_RAW = re.compile("[^\x00-\x1f\x7f-\x9f\"\\\\\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def yaml_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that reads back as exactly
    ``text`` (unlike JSON's, whose raw U+0085 or U+2028 YAML reads as a line
    break, and whose \\ud83d\\ude00 pairs PyYAML reads as two halves)."""
    def esc(c: str) -> str:
        if _YAML_RAW.match(c):
            return c
        n = ord(c)
        if c in '"\\':
            return "\\" + c
        return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"
    return '"' + "".join(esc(c) for c in text) + '"'


def _yaml_value(text: str) -> str:
    """A value for a one-language flow mapping (``{fa: …}``): plain where it
    reads back as itself there, quoted otherwise."""
    import yaml
    plain = text == text.strip() and "\n" not in text and "\r" not in text and not _YAML_RAW.sub("", text)
    if plain:
        try:
            plain = yaml.safe_load("{k: " + text + "}") == {"k": text}
        except yaml.YAMLError:
            plain = False
    return text if plain else yaml_quoted(text)


def _fields(metadata: dict[str, str], lang: str) -> list[str]:
    """``key: value`` texts for a document entry, from the file's metadata."""
    out = []
    for key in DOCUMENT_FIELDS:
        value = metadata.get(key)
        if not value:
            continue
        out.append(f"{key}: {yaml_quoted(value)}" if key == "date" else f"{key}: {{{lang}: {_yaml_value(value)}}}")
    return out


def register(config_text: str, name: str, relsource: str, replace: str | None = None,
             metadata: dict[str, str] | None = None, lang: str = "fa",
             origin: str = "the file's metadata") -> str:
    """publish.yml's text with a document entry added (or put in the place of
    document ``replace``), everything else — comments, order, spacing — as
    it was.  The entry carries ``metadata`` (title, author … of ``lang``),
    under a comment saying it came from ``origin`` and may be edited."""
    import yaml
    from .scaffold import _yaml_text
    name, relsource = _yaml_text(name), _yaml_text(relsource)   # a document called 2024 stays text
    fields = _fields(metadata or {}, lang)
    root = yaml.compose(config_text, Loader=yaml.SafeLoader)
    docs = next((v for k, v in root.value if k.value == "documents"), None)
    if docs is None or not isinstance(docs, yaml.SequenceNode):
        raise PublishError("documents: expected a list", path=CONFIG_NAME)
    lines = config_text.splitlines(keepends=True)
    if docs.flow_style or not docs.value:
        # [ ... ] on one or more lines: add a flow mapping before the closing bracket
        entry = "{" + ", ".join([f"name: {name}", f"source: {relsource}", *fields]) + "}"
        end = docs.end_mark.index - 1
        if config_text[end] != "]":
            raise PublishError("documents: cannot find the end of the list", path=CONFIG_NAME,
                               line=docs.end_mark.line + 1)
        before = config_text[:end].rstrip()
        sep = "" if before.endswith("[") else ", "
        return before + sep + entry + config_text[end:]
    first = docs.value[0]
    dash_line = lines[first.start_mark.line]
    dash_col = dash_line.rfind("-", 0, first.start_mark.column)
    indent = dash_line[:dash_col] if dash_col >= 0 else ""
    inner = " " * (first.start_mark.column - len(indent))
    newline = "\r\n" if dash_line.endswith("\r\n") else "\n"
    entry = [f"{indent}-{inner[1:]}name: {name}{newline}", f"{indent}{inner}source: {relsource}{newline}"]
    if fields:
        entry.append(f"{indent}{inner}# from {origin}; edit or remove:{newline}")
        entry.extend(f"{indent}{inner}{f}{newline}" for f in fields)
    if replace is not None:
        for item in docs.value:
            names = [v.value for k, v in item.value if k.value == "name"] if isinstance(item, yaml.MappingNode) else []
            if names == [replace] and item.flow_style is not True:
                start, stop = item.start_mark.line, _last_line(item) + 1
                return "".join(lines[:start] + entry + lines[stop:])
    at = _last_line(docs) + 1
    if at > 0 and not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline
    return "".join(lines[:at] + entry + lines[at:])


# --- the command ------------------------------------------------------------------------

def _untouched_starter(project: Project) -> str | None:
    """The scaffold's example document, if it is still the only one and
    nobody has edited or translated it."""
    from . import catalog
    from .scaffold import STARTER, STARTER_TEXT
    if len(project.documents) != 1 or project.documents[0].name != STARTER:
        return None
    doc = project.documents[0]
    try:
        # bytes, not text: a source someone saved in another encoding is not untouched
        if doc.source.read_bytes().replace(b"\r\n", b"\n") != STARTER_TEXT.encode("utf-8"):
            return None
        for lang in project.target_languages:
            path = project.po_path(doc, lang)
            if path.exists() and any(e.msgstr for e in catalog.read(path)):
                return None
    except (OSError, PublishError):
        return None
    return STARTER


def import_file(project: Project, path: Path, name: str | None = None, force: bool = False,
                strict: bool = False) -> Imported:
    """Import ``path`` as document ``name``.  With ``strict``, refuse (and
    write nothing) when anything holding words would be dropped."""
    path = Path(path)
    name = name or document_name(path)
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise PublishError(f"cannot make a document name from {path.name!r}: give one with --name "
                           f"(letters, digits, - or _)", path=str(path))
    folder = project.source_dir
    target = folder / f"{name}.md"
    relsource = target.relative_to(project.root).as_posix()
    listed = any(d.name == name for d in project.documents)
    if not force:
        if target.exists():
            raise PublishError(f"{relsource} exists already; --force replaces it", path=str(path))
        if listed:
            raise PublishError(f"a document named {name!r} is in {CONFIG_NAME} already; --force replaces "
                               f"its source, --name gives this one another name", path=str(path))
    elif listed and project.document(name).source.resolve() != target.resolve():
        raise PublishError(f"document {name!r} has its source at {project.document(name).relsource}, "
                           f"not {relsource}: give this one another --name", path=str(path))

    media_rel = f"media/{name}"
    with tempfile.TemporaryDirectory(prefix="publish-import-") as tmp:
        # pictures land in a temporary folder first: nothing is written if anything fails
        doc, intake = read(path, media_rel, Path(tmp))
        if strict:
            lost = [d for d in intake.dropped if d.words]
            if lost:
                d = lost[0]
                more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
                raise PublishError(f"--strict: {d}{more}; nothing imported", path=str(path), line=d.line)
        staged = Path(tmp) / "staged"
        copied, picture_warnings = pictures.carry(doc, path.parent, staged, media_rel, str(path),
                                                  extracted=Path(tmp) / media_rel)
        intake.warnings.extend(picture_warnings)
        notes = clean(doc)
        markdown = _without_controls(to_markdown(doc, str(path)), str(path), intake.warnings)
        if len(markdown.encode("utf-8")) > MAX_SOURCE_BYTES:
            raise PublishError(f"the text is larger than {MAX_SOURCE_BYTES // 1024 // 1024} MB as Markdown, "
                               f"more than publish reads as one source: split the document", path=str(path))
        if not markdown.strip():
            raise PublishError("the file has no text to import", path=str(path))
        media = []
        if copied:
            folder.mkdir(parents=True, exist_ok=True)
            dest = folder / media_rel
            if dest.exists():
                shutil.rmtree(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staged, dest)
            media = sorted(p for p in dest.rglob("*") if p.is_file())

    folder.mkdir(parents=True, exist_ok=True)
    config_path = project.root / CONFIG_NAME
    old_config = config_path.read_text(encoding="utf-8")
    starter = None if listed else _untouched_starter(project)
    fields = _document_metadata(intake, str(path))
    new_config = old_config if listed else register(old_config, name, relsource, replace=starter, metadata=fields,
                                                    lang=project.source_language, origin=_origin(path))
    old_source = target.read_bytes() if target.exists() else None
    write_atomic(target, markdown)
    try:
        write_atomic(config_path, new_config)
        from . import config
        config.load(project.root)   # what we wrote must read back as a valid project
    except BaseException:
        write_atomic(config_path, old_config)
        if old_source is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, old_source)
        raise
    if starter:
        _remove_starter(project, starter)
    return Imported(name, target, relsource, media, notes,
                    normalize.report(markdown, project.normalize), registered=not listed,
                    replaced=starter, notice=intake.notice, metadata=fields if not listed else {},
                    dropped=intake.dropped, warnings=intake.warnings)


def _origin(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".docx", ".odt"):
        return "the file's document properties"
    if suffix in (".html", ".htm"):
        return "the page's <title> and <meta>"
    return "the file's front matter"


def _document_metadata(intake: Intake, display: str) -> dict[str, str]:
    """The metadata publish.yml can hold: a date that is not one (``date:
    soon``) would make the project unreadable, so it is reported instead."""
    from .config import is_date_text
    fields = {k: v for k, v in intake.metadata.items() if k in DOCUMENT_FIELDS and v}
    if "date" in fields and not is_date_text(fields["date"]):
        intake.warnings.append(PublishWarning(f"the date {fields.pop('date')!r} found in the file is not a date; "
                                              f"not written to {CONFIG_NAME}", display, None))
    return fields


def _remove_starter(project: Project, name: str) -> None:
    doc = project.document(name)
    doc.source.unlink(missing_ok=True)
    project.pot_path(doc).unlink(missing_ok=True)
    for lang in project.target_languages:
        project.po_path(doc, lang).unlink(missing_ok=True)

"""HTML → pandoc structure, so that no word of an HTML page, or of the HTML
inside a Markdown file, is lost or shown to translators as markup.

pandoc's HTML reader already turns most HTML into its tree.  What it does not
do, or does in a way a Markdown source cannot carry, is settled here on the
HTML itself, before pandoc reads it (``prepare``):

- elements that are not text (``<script>``, ``<style>``, ``<iframe>``,
  form fields …) are removed and listed in the import report, with their
  line and how many visible words they held;
- ``<details>``/``<summary>`` (an FAQ) becomes a bold line and its paragraphs;
- a ``<div>`` or ``<p>`` cut into lines by ``<br>`` (verse, an address)
  becomes a line block, so each line stays a line;
- ``<kbd>``, ``<samp>`` and ``<tt>`` become code, the nearest Markdown has;
- emphasis around nothing but white space (``<b>&nbsp;</b>``) is unwrapped,
  or it would print as a literal ``** **``.

In a Markdown file, CommonMark keeps HTML as raw fragments: an HTML block
(which may enclose Markdown paragraphs, as ``<details>`` … ``</details>``
does) or single tags inside a paragraph (``<sup>`` … ``</sup>``).
``resolve`` renders each such run back to HTML with pandoc, prepares it as
above and reads it again with pandoc's HTML reader: all fragments of a file
in two pandoc runs.  Footnotes and math are kept out of the round trip (as
placeholders), since pandoc's HTML would turn them into endnotes and spans.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from .errors import PublishWarning

# Not text: removed, and listed in the import report.  Their content is not
# visible on the page (code, styles), or is a fallback or control a Markdown
# source cannot carry; the report counts the words a reader could have seen.
_DROP_INVISIBLE = {"script", "style", "template", "head", "link", "meta", "base"}
_DROP_VISIBLE = {"iframe", "noscript", "svg", "textarea", "select", "audio", "video",
                 "embed", "applet", "frame", "frameset", "object", "canvas", "input", "map"}
# The fallback content of these is what a reader without the plug-in sees:
# unwrapped (kept) rather than dropped.
_UNWRAP_FALLBACK = {"object", "canvas", "audio", "video"}
_AS_CODE = {"kbd", "samp", "tt"}
_EMPHASIS = {"b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "mark", "small", "big", "font",
             "sup", "sub", "span"}
# Elements whose end tag HTML requires: used to find where an HTML block of
# a Markdown file ends (the blocks between its opening and its closing tag
# belong to it).  p, li, td … may omit their end tags and do not count.
_CONTAINERS = {"div", "details", "blockquote", "table", "section", "article", "aside", "figure",
               "dl", "ul", "ol", "center", "nav", "header", "footer", "main", "form", "pre", "fieldset"}
_FRAGMENT = "publish-frag-"
_HOLE = re.compile("\ue000(\\d+)\ue001")
_WORD = re.compile(r"\w+(?:\u200c\w+)*")   # a ZWNJ joins the parts of one word (نمی‌دهد)


def _dropped(what: str, line: int | None, words: int):
    from .importer import Dropped
    return Dropped(what, line, words)


def _pandoc(args: list[str], data: str, display: str) -> str:
    from .importer import _run
    return _run(args, data.encode("utf-8"), display)


# --- preparing HTML -----------------------------------------------------------------

def _words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def _parse(text: str):
    import lxml.html
    from lxml import etree
    # lxml refuses a str that declares its own encoding; the text is decoded already
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        return None
    # libxml2 does not know HTML5's empty elements: it would nest all that
    # follows inside them, and past 256 levels it drops text without a word
    text = _VOID5_TAG.sub(lambda m: m.group(0) + f"</{m.group(1)}>", text)
    try:
        return lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return None


def _line(el, lines: dict | None) -> int | None:
    """The element's line in the file imported: its own source line for an
    HTML file, or the line of the Markdown fragment it came from."""
    if lines is None:
        return el.sourceline
    for anc in el.iterancestors():
        key = anc.get("id") or ""
        if key.startswith(_FRAGMENT):
            return lines.get(key)
    return None


def _unwrap(el) -> None:
    """Let ``el``'s content stand without it: made a bare span (or div, if it
    holds blocks), which pandoc reads as a wrapper and ``importer.clean``
    unwraps.  Renaming, not moving the children out: lxml finds an
    element's place among its siblings by counting, and 30,000 unwrapped
    tags in one paragraph took a minute that way."""
    inline = not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iter() if c is not el)
    el.tag = "span" if inline else "div"
    el.attrib.clear()


def _remove(el) -> None:
    """Remove ``el`` but keep its tail (the text after it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


_BLOCKS = {"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
           "h6", "section", "article", "figure", "details", "hr", "form", "center", "summary"}

# Empty elements of HTML5 that libxml2's parser does not know as empty: it
# puts whatever follows them inside them, where dropping the element would
# drop that text too.
_VOID5 = ("embed", "source", "track", "wbr", "param", "keygen")
_VOID5_TAG = re.compile(r"<(embed|source|track|wbr|param|keygen)\b[^<>]*>", re.IGNORECASE)


def _hoist(el) -> None:
    """Move what the parser put inside an empty element to after it."""
    parent = el.getparent()
    if parent is None:
        return
    tail, el.tail, el.text = el.tail or "", el.text, None
    children = list(el)
    for child in reversed(children):   # addnext keeps each child's tail with it
        el.addnext(child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        el.tail = (el.tail or "") + tail


def _is_blank(el) -> bool:
    text = "".join(el.itertext())
    return not text.strip() and not any(True for c in el.iter() if c is not el and c.tag in ("img", "br"))


def _verse(el) -> bool:
    """A div or p whose content is lines of inline text cut by <br>."""
    if not any(c.tag == "br" for c in el):
        return False
    return not any(c.tag in _BLOCKS for c in el.iter() if c is not el)


def _trim_breaks(el) -> None:
    """<br> at the very start or end of a block makes no line."""
    while len(el) and el[-1].tag == "br" and not (el[-1].tail or "").strip():
        _remove(el[-1])
    while len(el) and el[0].tag == "br" and not (el.text or "").strip():
        _remove(el[0])


def prepare(text: str, drop: list, lines: dict | None = None) -> str:
    """The HTML ``text`` made ready for pandoc's reader (see the module's
    docstring); what cannot be carried is appended to ``drop``."""
    from lxml import etree
    root = _parse(text)
    if root is None:
        return text
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(el)   # invisible to a reader
    for el in list(root.iter(*_VOID5)):
        _hoist(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if el.getparent() is None and tag != "html":
            continue
        if tag in _UNWRAP_FALLBACK:
            if tag in ("audio", "video"):   # their <source>/<track> children are not text
                for c in list(el):
                    if isinstance(c.tag, str) and c.tag in ("source", "track"):
                        _remove(c)
            drop.append(_dropped(f"<{tag}> (its fallback text kept)", _line(el, lines), 0))
            _unwrap(el)
        elif tag in _DROP_INVISIBLE or tag in _DROP_VISIBLE:
            if tag == "head" or (tag in ("link", "meta", "base")):
                _remove(el)
                continue
            words = 0 if tag in _DROP_INVISIBLE else _words(" ".join(el.itertext()))
            if tag == "input":
                words = _words(el.get("value", ""))
            drop.append(_dropped(f"<{tag}>", _line(el, lines), words))
            _remove(el)
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        body = root
    for el in list(body.iter("details")):
        for summary in [c for c in el if c.tag == "summary"]:
            summary.tag = "p"
            if not any(c.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div") for c in summary):
                strong = etree.SubElement(summary, "strong")
                strong.text, summary.text = summary.text, None
                for c in list(summary):
                    if c is not strong:
                        strong.append(c)
            else:
                _unwrap(summary)
        el.tag = "div"
    for el in list(body.iter(*_AS_CODE)):
        el.tag = "code"
    for el in list(body.iter(*_EMPHASIS)):
        if el.getparent() is not None and not len(el) and _is_blank(el):
            el.text = " " if el.text else el.text
            _unwrap(el)
    for el in list(body.iter("div", "p")):
        _trim_breaks(el)
        if _verse(el) and not (el.get("id") or "").startswith(_FRAGMENT):
            el.tag = "div"
            el.set("class", "line-block")
    return etree.tostring(root, encoding="unicode", method="html")


def read_html(text: str, display: str, intake) -> dict:
    """An HTML file as a pandoc tree, prepared (``prepare``), with what was
    dropped recorded in ``intake``."""
    html = prepare(text, intake.dropped)
    doc = json.loads(_pandoc(["-f", "html", "-t", "json"], html, display))
    # <title> and <meta> are pandoc's metadata; read them from the original,
    # since prepare drops <head>
    head = json.loads(_pandoc(["-f", "html", "-t", "json"], _head_only(text), display))
    doc["meta"] = head.get("meta", {})
    return doc


def _head_only(text: str) -> str:
    m = re.search(r"<body[\s>]", text, re.IGNORECASE)
    return text[: m.start()] if m else ""


# --- raw HTML inside Markdown ---------------------------------------------------------------

class _Balance(HTMLParser):
    """How many container elements a fragment of HTML opens (closing counts
    negative)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _CONTAINERS:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in _CONTAINERS:
            self.depth -= 1


def _balance(html: str) -> int:
    p = _Balance()
    p.feed(html)
    p.close()
    return p.depth


def _is_html(el: dict) -> bool:
    return el["c"][0] in ("html", "html5", "html4")


def _comment_only(html: str) -> bool:
    return not re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL).strip()


class _Resolver:
    """Collects the raw HTML of a tree, converts it in one batch, splices
    the result back."""

    def __init__(self, text: str, display: str, intake):
        self.text, self.display, self.intake = text, display, intake
        self.frags: list[dict] = []        # pandoc blocks to convert, one Div each
        self.lines: dict[str, int | None] = {}
        self.splices: list = []            # (apply(result_blocks)) in the order collected
        self.holes: list[dict] = []        # inlines kept out of the round trip
        self.search_from = 0

    # where a fragment is in the Markdown text, for the report
    def find_line(self, raw: str) -> int | None:
        probe = raw.strip().split("\n")[0][:80]
        if not probe:
            return None
        at = self.text.find(probe, self.search_from)
        if at < 0:
            at = self.text.find(probe)
        if at < 0:
            return None
        self.search_from = at + 1
        return self.text.count("\n", 0, at) + 1 + self.intake.offset

    def add(self, blocks: list, line: int | None, apply) -> None:
        key = f"{_FRAGMENT}{len(self.frags)}"
        self.frags.append({"t": "Div", "c": [[key, [], []], blocks]})
        self.lines[key] = line
        self.splices.append((key, apply))

    def hole(self, el: dict) -> dict:
        self.holes.append(el)
        return {"t": "Str", "c": f"\ue000{len(self.holes) - 1}\ue001"}

    # --- walking
    def blocks(self, blocks: list) -> None:
        for b in blocks:
            self.block(b)
        i = 0
        while i < len(blocks):
            b = blocks[i]
            if b["t"] == "RawBlock" and _is_html(b) and not _comment_only(b["c"][1]):
                j, depth = i + 1, _balance(b["c"][1])
                while depth > 0 and j < len(blocks):
                    if blocks[j]["t"] == "RawBlock" and _is_html(blocks[j]):
                        depth += _balance(blocks[j]["c"][1])
                    j += 1
                line = self.find_line(b["c"][1])
                if depth > 0:
                    tag = re.match(r"\s*<([A-Za-z][\w-]*)", b["c"][1])
                    self.intake.warnings.append(PublishWarning(
                        f"an HTML block{f' <{tag.group(1)}>' if tag else ''} opened here is never closed: "
                        f"everything after it was read as part of it", path=self.display, line=line))
                run = [self._protect_any(x) for x in blocks[i:j]]
                self.add(run, line, self.block_splice(blocks, i, j))
                i = j
                continue
            if b["t"] == "RawBlock":
                content = b["c"][1]
                if not (_is_html(b) and _comment_only(content)):
                    self.intake.dropped.append(_dropped(f"raw {b['c'][0]} block", self.find_line(content),
                                                        _words(content)))
            i += 1

    def block_splice(self, blocks: list, i: int, j: int):
        def apply(result: list) -> None:
            blocks[i:j] = result
        return apply

    def block(self, b: dict) -> None:
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            self.inlines_of(b, c, "c")
        elif t == "Header":
            self.inlines_of(b, c[2], 2)
        elif t == "LineBlock":
            for k, line in enumerate(c):
                self.inlines_of(c, line, k)
        elif t in ("BlockQuote",):
            self.blocks(c)
        elif t == "Div":
            self.blocks(c[1])
        elif t == "BulletList":
            for item in c:
                self.blocks(item)
        elif t == "OrderedList":
            for item in c[1]:
                self.blocks(item)
        elif t == "DefinitionList":
            for pair in c:
                self.inlines_of(pair, pair[0], 0)
                for d in pair[1]:
                    self.blocks(d)
        elif t == "Figure":
            self.blocks(c[1][1])
            self.blocks(c[2])
        elif t == "Table":
            _, caption, _, head, bodies, foot = c
            self.blocks(caption[1])
            for rows in [head[1], *[bd[2] + bd[3] for bd in bodies], foot[1]]:
                for row in rows:
                    for cell in row[1]:
                        self.blocks(cell[4])

    def notes_in(self, inlines: list) -> None:
        """Footnotes inside a run of inlines hold blocks of their own."""
        for el in inlines:
            t, c = el["t"], el.get("c")
            if t == "Note":
                self.blocks(c)
            elif isinstance(c, list):
                for x in c:
                    if isinstance(x, list) and x and isinstance(x[0], dict):
                        self.notes_in(x)
                    elif isinstance(x, dict) and "t" in x:
                        self.notes_in([x])

    def inlines_of(self, holder, inlines: list, key) -> None:
        self.notes_in(inlines)
        raws = _raw_texts(inlines)
        if not raws:
            return
        line = self.find_line(raws[0])
        para = {"t": "Para", "c": [self.protect(el) for el in inlines]}

        def apply(result: list) -> None:
            holder[key] = _as_inlines(result)
        self.add([para], line, apply)

    def protect(self, el: dict) -> dict:
        t, c = el["t"], el.get("c")
        if t in ("Note", "Math", "Cite") or (t == "RawInline" and not _is_html(el)):
            if t == "RawInline":
                self.intake.dropped.append(_dropped(f"raw {c[0]} inline", self.find_line(c[1]), _words(c[1])))
                return {"t": "Str", "c": ""}
            return self.hole(el)
        if isinstance(c, list):
            return {**el, "c": [self._protect_any(x) for x in c]}
        return el

    def _protect_any(self, x):
        if isinstance(x, dict) and "t" in x:
            return self.protect(x)
        if isinstance(x, list):
            return [self._protect_any(y) for y in x]
        return x

    # --- converting
    def run(self) -> None:
        if not self.frags:
            return
        doc = {"pandoc-api-version": _API, "meta": {}, "blocks": self.frags}
        html = _pandoc(["-f", "json", "-t", "html", "--wrap=none"], json.dumps(doc, ensure_ascii=False),
                       self.display)
        html = prepare(f"<html><body>{html}</body></html>", self.intake.dropped, self.lines)
        back = json.loads(_pandoc(["-f", "html", "-t", "json"], html, self.display))
        found: dict[str, list] = {}
        for b in back["blocks"]:
            if b["t"] == "Div" and b["c"][0][0].startswith(_FRAGMENT):
                found[b["c"][0][0]] = b["c"][1]
        # splice from the last to the first, so earlier positions in a list stay valid
        for key, apply in reversed(self.splices):
            apply(self.fill(found.get(key, [])))

    def fill(self, node):
        """Put the protected inlines back where their placeholders are."""
        if isinstance(node, list):
            out = []
            for x in node:
                if isinstance(x, dict) and x.get("t") == "Str" and "\ue000" in x["c"]:
                    out.extend(self._split_holes(x["c"]))
                else:
                    out.append(self.fill(x))
            return out
        if isinstance(node, dict) and "c" in node:
            return {**node, "c": self.fill(node["c"])}
        return node

    def _split_holes(self, s: str) -> list:
        out, pos = [], 0
        for m in _HOLE.finditer(s):
            if m.start() > pos:
                out.append({"t": "Str", "c": s[pos:m.start()]})
            out.append(self.holes[int(m.group(1))])
            pos = m.end()
        if pos < len(s):
            out.append({"t": "Str", "c": s[pos:]})
        return out


_API = [1, 23, 1, 1]


def _raw_texts(inlines) -> list[str]:
    out = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t == "RawInline":
            out.append(c[1])
        elif t != "Note" and isinstance(c, list):
            for x in c:
                if isinstance(x, list) and x and isinstance(x[0], dict):
                    out.extend(_raw_texts(x))
    return out


def _as_inlines(blocks: list) -> list:
    """The inline content of converted blocks: a paragraph's own inlines,
    the lines of a line block joined by line breaks, several blocks joined
    by a space."""
    out: list = []
    for b in blocks:
        t, c = b["t"], b.get("c")
        if out:
            out.append({"t": "Space"})
        if t in ("Para", "Plain"):
            out.extend(c)
        elif t == "LineBlock":
            for k, line in enumerate(c):
                if k:
                    out.append({"t": "LineBreak"})
                out.extend(line)
        elif t == "Header":
            out.extend(c[2])
        elif t == "Div":
            out.extend(_as_inlines(c[1]))
        elif t == "BlockQuote":
            out.extend(_as_inlines(c))
    return out


def resolve(doc: dict, text: str, display: str, intake) -> None:
    """Replace the raw HTML of a Markdown tree by pandoc structure, in place;
    ``text`` is the Markdown it was read from (for the lines of the report)."""
    r = _Resolver(text, display, intake)
    r.blocks(doc["blocks"])
    r.run()

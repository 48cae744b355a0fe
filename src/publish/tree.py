"""Helpers for pandoc's JSON document tree (API 1.23).

Elements are plain dicts ``{"t": type, "c": content}`` exactly as pandoc
writes them.  We add one private key, ``_line`` (the source line an element
starts on, from pandoc's ``sourcepos``); pandoc ignores unknown keys, so the
tree can be handed back to it as is.
"""
from __future__ import annotations

import json
import re
from sys import intern
from typing import Any, Iterator

Inline = dict[str, Any]
Block = dict[str, Any]

SPACE_LIKE = ("Space", "SoftBreak", "LineBreak")
# Inlines whose content is a list of inlines: ``{"t": "Emph", "c": [...]}``
STYLED = ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline")
# Inlines whose inline content is the second item: ``{"t": "Link", "c": [attr, [...], target]}``
WRAPPING = ("Link", "Span", "Quoted")


# TeX that defines a macro.  pandoc expands macros when it writes math (the
# HTML writer's texmath too), each definition may use the one before twice,
# so 550 bytes of nested \newcommand made a 10 MB page and a PDF step that
# ran for ten minutes.  Math with a definition is shown as code instead,
# in sources and translations alike; math without one is left as it is.
_MACRO_DEFINITION = re.compile(r"\\(?:(?:re)?newcommand|providecommand|(?:re)?newenvironment|def|gdef|edef|xdef"
                               r"|let|DeclareMathOperator|DeclareRobustCommand|newtheorem)(?![a-zA-Z])")


def defines_macros(tex: str) -> bool:
    return "\\" in tex and _MACRO_DEFINITION.search(tex) is not None


def words(text: str) -> list[Inline]:
    """Plain text as inlines: a Str per word, a Space between."""
    out: list[Inline] = []
    for word in text.split():
        if out:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def children(el: Inline) -> list[Inline]:
    """The inlines inside a styled or wrapping inline (not inside a Note,
    whose content is blocks); empty for everything else."""
    if el["t"] in STYLED:
        return el["c"]
    if el["t"] in WRAPPING or el["t"] == "Image":
        return el["c"][1]
    return []


def with_children(el: Inline, new: list[Inline]) -> Inline:
    """A copy of a styled or wrapping inline with other content."""
    if el["t"] in STYLED:
        return {**el, "c": new}
    c = el["c"]
    return {**el, "c": [c[0], new, *c[2:]]}


def _pos_line(attr, origin: list[int] | None = None) -> int | None:
    for kv in attr[2]:
        if kv[0] == "data-pos":  # "3:1-3:9", or "name@3:1-3:9"
            value = kv[1]
            head = value[value.rfind("@") + 1:].partition(":")[0]
            if not head.isdigit():
                return None
            line = int(head)
            return origin[line] if origin is not None and line < len(origin) else line
    return None


def _is_wrapper(attr) -> bool:
    for kv in attr[2]:
        if kv[0] == "wrapper":
            return True
    return False


_ATTR_AT = {  # where the Attr sits in the "c" of elements that have one
    "Header": 1, "CodeBlock": 0, "Div": 0, "Table": 0, "Figure": 0,
    "Code": 0, "Link": 0, "Image": 0, "Span": 0,
}


# A space or a soft line break, one object shared by the whole tree (they
# are never changed in place, and carry no line: a unit never starts with
# one): 70 MB less at 100× the report.
_SHARED = {"Space": {"t": "Space"}, "SoftBreak": {"t": "SoftBreak"}}


class TooDeep(Exception):
    """Elements nest deeper than the caller allows (the tree walks recurse)."""


def strip_sourcepos(node: Any, line: int | None = None, limit: int | None = None, depth: int = 0,
                    origin: list[int] | None = None) -> Any:
    """Remove pandoc's sourcepos wrappers and attributes, keeping the line as
    ``_line`` on blocks and inlines, and merge adjacent ``Str`` so the tree is
    the one pandoc gives without ``sourcepos``.  With ``limit``, raise
    ``TooDeep`` where elements nest deeper than that: measured here, in the
    one walk every source gets anyway, rather than in a walk of its own.
    ``origin`` maps the lines of pandoc's input to the source's (its input
    was pieces of the source: see ``chunks``); 0 is a line of our own.

    Every word of the source comes wrapped in a Span of its own, so this
    walk sees millions of elements for a large source: it is written for
    speed (no helper calls for the common leaves)."""
    top = limit if limit is not None else 1 << 30

    def element(node: dict, line, depth: int) -> dict:
        t = node.get("t")
        if t is None:  # the document or a map of metadata
            return {k: walk(v, line, depth) for k, v in node.items()}
        # one "Str", one "Space" … for the whole tree, not one per word: 40 MB
        # less at 100× the report, and marshal keeps them shared
        t = intern(t)
        depth += 1
        if depth > top:
            raise TooDeep(line)
        c = node.get("c")
        if c is None:
            if t in _SHARED:  # half the elements of a text are spaces
                return _SHARED[t]
            return {"t": t} if line is None else {"t": t, "_line": line}
        if type(c) is str:
            return {"t": t, "c": c} if line is None else {"t": t, "c": c, "_line": line}
        here = line
        i = _ATTR_AT.get(t)
        if i is not None and type(c) is list:
            c = list(c)
            attr = c[i]
            here = _pos_line(attr, origin) or line
            c[i] = [attr[0], attr[1], [kv for kv in attr[2] if kv[0] != "data-pos"]]
        new = {"t": t, "c": walk(c, here, depth)}
        if here is not None:
            new["_line"] = here
        return new

    def walk(node, line, depth):
        if type(node) is list:
            out: list = []
            for el in node:
                if type(el) is dict and el.get("t") in ("Span", "Div") and _is_wrapper(el["c"][0]):
                    inner = _pos_line(el["c"][0], origin)
                    new = [element(child, inner, depth) if type(child) is dict else walk(child, inner, depth)
                           for child in el["c"][1]]
                else:
                    new = [element(el, line, depth) if type(el) is dict else walk(el, line, depth)]
                for x in new:
                    # sourcepos cuts "word." into "word" and "."; the plain tree has one Str
                    if (type(x) is dict and x.get("t") == "Str" and out
                            and type(out[-1]) is dict and out[-1].get("t") == "Str"):
                        out[-1] = {**out[-1], "c": out[-1]["c"] + x["c"]}
                    else:
                        out.append(x)
            return out
        if type(node) is dict:
            return element(node, line, depth)
        return node

    return walk(node, line, depth)


def clean(node: Any) -> Any:
    """A copy without our private keys, for comparisons."""
    if isinstance(node, list):
        return [clean(x) for x in node]
    if isinstance(node, dict):
        return {k: clean(v) for k, v in node.items() if not k.startswith("_")}
    return node


def first_line(node: Any) -> int | None:
    if isinstance(node, dict):
        if "_line" in node:
            return node["_line"]
        return first_line(node.get("c"))
    if isinstance(node, list):
        for x in node:
            found = first_line(x)
            if found:
                return found
    return None


def nesting_depth(node) -> int:
    """How deeply elements nest, without recursion (the point is to refuse
    what recursion could not handle)."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        x, d = stack.pop()
        if isinstance(x, dict):
            d += "t" in x
            deepest = max(deepest, d)
            stack.extend((v, d) for v in x.values() if isinstance(v, (dict, list)))
        elif isinstance(x, list):
            stack.extend((v, d) for v in x if isinstance(v, (dict, list)))
    return deepest


def walk(node: Any) -> Iterator[dict]:
    """Every element (dict with "t") in document order."""
    if isinstance(node, list):
        for x in node:
            yield from walk(x)
    elif isinstance(node, dict):
        if "t" in node:
            yield node
            yield from walk(node.get("c"))
        else:
            for v in node.values():
                yield from walk(v)


def stringify(inlines: list[Inline]) -> str:
    """Plain text of inlines (footnotes left out), like pandoc's stringify."""
    parts: list[str] = []
    for el in inlines:
        t = el["t"]
        c = el.get("c")
        if t == "Str":
            parts.append(c)
        elif t in SPACE_LIKE:
            parts.append(" ")
        elif t in ("Code", "Math", "RawInline"):
            parts.append(c[1])
        elif t in STYLED:
            parts.append(stringify(c))
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            parts.append(q + stringify(c[1]) + q)
        elif t == "Cite":
            parts.append(stringify(c[1]))
        elif t in ("Link", "Image", "Span"):
            parts.append(stringify(c[1]))
    return "".join(parts)


_encode = json.JSONEncoder(ensure_ascii=False).encode
# Our "_line" key as the encoder writes it after an element's "t" (or "c"):
# a quote it writes unescaped always opens or closes a string, so this
# matches only that key, never text inside a string.
_LINE_KEY = re.compile(r', "_line": \d+(?=[,}])')


def to_json(node) -> str:
    """pandoc's JSON of a tree, as json.dumps(node, ensure_ascii=False)
    writes it but for our ``_line`` keys: pandoc would only skip them, and
    they are a third of a source tree's JSON.

    Not compact, and not by orjson (four times faster, but compact only):
    pandoc reading the parallel text at 100× the report peaks at 812 MB on
    this spacing and at 1.3 GB on the same JSON written compact."""
    return _LINE_KEY.sub("", _encode(node))

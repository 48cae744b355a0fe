"""Helpers for pandoc's JSON document tree (API 1.23).

Elements are plain dicts ``{"t": type, "c": content}`` exactly as pandoc
writes them.  We add one private key, ``_line`` (the source line an element
starts on, from pandoc's ``sourcepos``); pandoc ignores unknown keys, so the
tree can be handed back to it as is.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

Inline = dict[str, Any]
Block = dict[str, Any]

SPACE_LIKE = ("Space", "SoftBreak", "LineBreak")
# Inlines whose content is a list of inlines: ``{"t": "Emph", "c": [...]}``
STYLED = ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline")
# Inlines whose inline content is the second item: ``{"t": "Link", "c": [attr, [...], target]}``
WRAPPING = ("Link", "Span", "Quoted")


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


def _pos_line(attr) -> int | None:
    for key, value in attr[2]:
        if key == "data-pos":
            m = re.search(r"@?(\d+):\d+-", value)
            if m:
                return int(m.group(1))
    return None


def _is_wrapper(el: Any) -> bool:
    return (isinstance(el, dict) and el.get("t") in ("Span", "Div")
            and any(k == "wrapper" for k, _ in el["c"][0][2]))


def _drop_pos(attr):
    return [attr[0], attr[1], [kv for kv in attr[2] if kv[0] != "data-pos"]]


_ATTR_AT = {  # where the Attr sits in the "c" of elements that have one
    "Header": 1, "CodeBlock": 0, "Div": 0, "Table": 0, "Figure": 0,
    "Code": 0, "Link": 0, "Image": 0, "Span": 0,
}


class TooDeep(Exception):
    """Elements nest deeper than the caller allows (the tree walks recurse)."""


def strip_sourcepos(node: Any, line: int | None = None, limit: int | None = None, depth: int = 0) -> Any:
    """Remove pandoc's sourcepos wrappers and attributes, keeping the line as
    ``_line`` on blocks and inlines, and merge adjacent ``Str`` so the tree is
    the one pandoc gives without ``sourcepos``.  With ``limit``, raise
    ``TooDeep`` where elements nest deeper than that: measured here, in the
    one walk every source gets anyway, rather than in a walk of its own."""
    if isinstance(node, list):
        out: list = []
        for el in node:
            if _is_wrapper(el):
                inner_line = _pos_line(el["c"][0])
                for child in el["c"][1]:
                    out.extend(_flatten_one(child, inner_line, limit, depth))
            else:
                out.append(strip_sourcepos(el, line, limit, depth))
        return _merge_str(out)
    if isinstance(node, dict) and "t" in node:
        depth += 1
        if limit is not None and depth > limit:
            raise TooDeep(line)
        t = node["t"]
        c = node.get("c")
        new: dict[str, Any] = {"t": t}
        here = line
        if t in _ATTR_AT and isinstance(c, list):
            c = list(c)
            i = _ATTR_AT[t]
            here = _pos_line(c[i]) or line
            c[i] = _drop_pos(c[i])
        if c is not None:
            new["c"] = strip_sourcepos(c, here, limit, depth)
        if here is not None:
            new["_line"] = here
        return new
    if isinstance(node, dict):
        return {k: strip_sourcepos(v, line, limit, depth) for k, v in node.items()}
    return node


def _flatten_one(child, line, limit=None, depth=0):
    el = strip_sourcepos(child, line, limit, depth)
    if isinstance(el, dict) and "t" in el and "_line" not in el and line is not None:
        el["_line"] = line
    return [el]


def _merge_str(items: list) -> list:
    out: list = []
    for el in items:
        if (isinstance(el, dict) and el.get("t") == "Str" and out
                and isinstance(out[-1], dict) and out[-1].get("t") == "Str"):
            out[-1] = {**out[-1], "c": out[-1]["c"] + el["c"]}
        else:
            out.append(el)
    return out


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

"""Source files → pandoc document tree.

Markdown is read with pandoc's ``commonmark_x`` plus ``sourcepos``, which
tells us the line every block and word came from, so PO references and error
messages can name it.  Other formats (Word, ODT, HTML, text) are imported to
Markdown first and then take the same path.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import normalize as norm
from .errors import PublishError
from .tree import SPACE_LIKE, strip_sourcepos

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


def pandoc_path() -> str:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise PublishError(f"pandoc is not available ({exc}); install pypandoc-binary (make does)") from None


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
    """Read a UTF-8 source, refusing what would silently go wrong."""
    display = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PublishError("source file does not exist", path=display) from None
    except OSError as exc:
        raise PublishError(f"cannot read source ({exc.strerror})", path=display) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise PublishError(f"source is larger than {MAX_SOURCE_BYTES // 1024 // 1024} MB", path=display)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PublishError("not UTF-8 text (save the file as UTF-8)", path=display, line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PublishError("NUL byte in source", path=display, line=line)
    if not text.strip():
        raise PublishError("source is empty", path=display)
    return text


def parse_markdown(text: str, display: str) -> tuple[list, dict]:
    doc = json.loads(run_pandoc(["-f", SOURCE_FORMAT, "-t", "json"], text, display))
    return strip_sourcepos(doc["blocks"]), doc.get("meta", {})


def load(path: Path, rules: dict[str, bool], display: str | None = None) -> Source:
    display = display or str(path)
    text = read_text(path, display)
    blocks, meta = parse_markdown(text, display)
    normalize_tree(blocks, rules)
    return Source(path, text, blocks, meta)


def normalize_tree(node: Any, rules: dict[str, bool]) -> None:
    """Normalise every Str in place (code, math and raw content excepted); a
    Str's edge counts as a word edge only next to a space or the end of its
    inline run."""
    if isinstance(node, list):
        for i, el in enumerate(node):
            if isinstance(el, dict) and el.get("t") == "Str":
                el["c"] = norm.normalize(el["c"], rules,
                                         at_start=i == 0 or _space(node[i - 1]),
                                         at_end=i + 1 == len(node) or _space(node[i + 1]))
            else:
                normalize_tree(el, rules)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "c" and node.get("t") in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math"):
                continue
            if not key.startswith("_"):
                normalize_tree(value, rules)


def _space(el) -> bool:
    return isinstance(el, dict) and el.get("t") in SPACE_LIKE

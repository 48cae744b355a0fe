"""Bytes of a document → text, as a browser or a careful editor would read them.

The order is a browser's (WHATWG "encoding sniffing"), with one difference:
a declaration is checked against the bytes before it is believed.

1. A byte-order mark: UTF-8, UTF-16 LE or BE.  UTF-32 is refused (nobody
   saves Persian text in it, and a wrong guess would lose every word).
2. HTML only: a declaration in the first 1024 bytes — an XML declaration
   ``<?xml … encoding="…"?>`` (XHTML), then ``<meta charset=…>`` or
   ``<meta http-equiv="Content-Type" content="…; charset=…">``, found by
   tinyhtml5's implementation of the WHATWG prescan and named by the WHATWG
   label table (webencodings), so ``cp1256``, ``arabic``, ``latin1`` or
   ``utf8`` mean what they mean to a browser.
3. Detection: UTF-8; Windows-1256 Persian; UTF-16 without a byte-order mark.

Old Persian sites often declared what their editor defaulted to
(``iso-8859-1``) while writing Windows-1256, and pages converted to UTF-8
often kept their old ``<meta charset>``.  A browser shows mojibake then; we
follow the evidence and say so.  Every result other than plain UTF-8 comes
with a notice saying what was assumed and why.  Anything unreadable is a
``PublishError`` naming the first line that is not what it should be —
never a guess that loses words.
"""
from __future__ import annotations

import codecs
import itertools
import re

from .errors import PublishError

_ADVICE = "save the file as UTF-8"
_SILENCE = f"{_ADVICE} to silence this notice"
_PRESCAN_BYTES = 1024   # how far a browser looks for a declaration

_HIGH_BYTES = bytes(range(0x80, 0x100))
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")


def _cp1256_bytes(test) -> bytes:
    """The bytes from 0x80 whose Windows-1256 character passes ``test``."""
    return bytes(b for b in _HIGH_BYTES if test(bytes([b]).decode("cp1256")))


_CP1256_ARABIC = _cp1256_bytes(_ARABIC_LETTER.match)             # Arabic and Persian letters
_CP1256_LETTERS = _cp1256_bytes(str.isalpha)                     # any letter (é, œ … too)
_CP1256_SCRIPT = frozenset(_cp1256_bytes(lambda ch: "\u0600" <= ch <= "\u06ff"))   # anything of the Arabic block
_LATIN_RUN = re.compile(rb"[A-Za-z]+")
_LETTER = re.compile(r"[^\W\d_]")
# C0 controls other than tab, line feed, vertical tab, form feed and return:
# no text has them; UTF-16 read as UTF-8 is full of them (NUL after each ASCII letter).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# C1 controls: no real text has them either; Windows-1256's پ چ ژ گ read as
# Latin-1 or ISO-8859-6 become them.
_C1 = re.compile("[\x80-\x9f]")
# What a Persian or English text read as UTF-16 consists of: ASCII, Latin
# letters, Arabic (with its presentation forms), general punctuation (ZWNJ,
# dashes, quotes).  Bytes that are not UTF-16 give CJK and other scripts.
_NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\xa0-\u024f\u0600-\u06ff\u0750-\u077f\u2000-\u206f"
                       "\ufb50-\ufdff\ufe70-\ufeff]")
# Encodings whose declaration old Persian sites got wrong (WHATWG maps
# iso-8859-1, latin1 and ascii to windows-1252).  Only these are second-guessed
# by the Windows-1256 test: Cyrillic or Greek bytes read as Windows-1256 look
# like Arabic letters too, so a page declaring those is taken at its word.
_LATIN = {"windows-1252", "iso-8859-15", "iso-8859-2", "windows-1250"}
# Declarations that name no text encoding we can use.
_IGNORED = {"replacement", "x-user-defined", "utf-16le", "utf-16be"}

_BOMS = [  # UTF-32 LE first: its mark starts with UTF-16 LE's
    (codecs.BOM_UTF32_LE, None), (codecs.BOM_UTF32_BE, None),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def decode(data: bytes, display: str, html: bool = False) -> tuple[str, str | None]:
    """``data`` as text, and a notice when it was not plain UTF-8.  ``html``:
    look for a declared encoding first, as a browser does."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _with_bom(data[len(bom):], codec, display)
    declared = _declared(data) if html else None
    if declared is not None:
        return _as_declared(data, *declared, display)
    return _detect(data, display)


# --- 1. byte-order marks ------------------------------------------------------------

def _with_bom(data: bytes, codec: str | None, display: str) -> tuple[str, str | None]:
    if codec is None:
        raise PublishError(f"UTF-32 text is not read: {_ADVICE}", path=display)
    if codec == "utf-8":
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            raise PublishError(f"broken UTF-8 text (it starts with a UTF-8 byte-order mark): {_ADVICE}",
                               path=display, line=data[: exc.start].count(b"\n") + 1) from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start - exc.start % 2].decode(codec, "replace").count("\n") + 1
        raise PublishError(f"broken UTF-16 text (it starts with a UTF-16 byte-order mark): {_ADVICE}",
                           path=display, line=line) from None
    return text, f"read as UTF-16 (it has a UTF-16 byte-order mark); {_SILENCE}"


# --- 2. declarations (HTML) -----------------------------------------------------------

_XML_DECLARATION = re.compile(rb"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _declared(data: bytes) -> tuple[str, str, str] | None:
    """(WHATWG encoding name, the label as written, where it was said), or
    None when the first 1024 bytes declare nothing usable."""
    import webencodings
    head = data[:_PRESCAN_BYTES]
    # The WHATWG prescan skips <?xml …?> (a browser reads text/html); an
    # XHTML file is read by its XML declaration, which must open the file.
    # tinyhtml5 has no reader for it, hence this one pattern.
    m = _XML_DECLARATION.match(head)
    if m:
        label = m.group(1).decode("ascii")
        found = webencodings.lookup(label)
        if found is not None and found.name not in _IGNORED:
            return found.name, label, "XML declaration"
    found = _meta_charset(head)
    if found is not None:
        label, how = found
        enc = webencodings.lookup(label)
        if enc is not None and enc.name not in _IGNORED:
            return enc.name, label, how
    return None


def _meta_charset(head: bytes) -> tuple[str, str] | None:
    """(label, "<meta charset>" or "<meta http-equiv>") by tinyhtml5's
    WHATWG prescan, which we only watch to learn the label as written
    (it returns the encoding it stands for) and which form said it."""
    from tinyhtml5.inputstream import ContentAttributeParser, EncodingBytes, EncodingParser

    class Prescan(EncodingParser):
        def handle_meta(self):
            self.attributes = {}
            return super().handle_meta()

        def get_attribute(self):
            attribute = super().get_attribute()
            if attribute is not None and hasattr(self, "attributes"):
                self.attributes.setdefault(attribute[0], attribute[1])
            return attribute

    scan = Prescan(head)
    try:
        if scan.get_encoding() is None:
            return None
    except Exception:  # pragma: no cover - the prescan is total on any bytes; a bug must not stop an import
        return None
    attrs = scan.attributes
    if b"charset" in attrs:
        return attrs[b"charset"].decode("ascii", "replace"), "<meta charset>"
    label = ContentAttributeParser(EncodingBytes(attrs.get(b"content", b""))).parse()
    return (label or b"").decode("ascii", "replace"), "<meta http-equiv>"


def _pretty(name: str) -> str:
    return {"utf-8": "UTF-8", "windows-1256": "Windows-1256", "iso-8859-6": "ISO-8859-6"}.get(
        name, name.replace("windows-", "Windows-").replace("iso-", "ISO-"))


def _as_declared(data: bytes, name: str, label: str, how: str, display: str) -> tuple[str, str | None]:
    said = f"its {how} says {label}"
    if name == "utf-8":
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
        guess = _evidence(data)
        if guess is None:
            raise PublishError(f"{said}, but the text is not UTF-8 (nor Windows-1256 Persian, nor UTF-16): {_ADVICE}",
                               path=display, line=line)
        text, what, why = guess
        return text, f"read as {what}, although {said}: line {line} is not UTF-8 and the file {why}; {_SILENCE}"
    if data.isascii():
        return data.decode("ascii"), None   # every encoding we read agrees on ASCII
    # A page converted to UTF-8 that kept its old declaration: valid UTF-8
    # with multi-byte letters, which legacy text forms only by chance.
    try:
        return data.decode("utf-8"), (f"read as UTF-8, although {said}: the bytes are UTF-8; "
                                      f"correct the declaration to silence this notice")
    except UnicodeDecodeError:
        pass
    if name in _LATIN:
        text = _windows_1256(data)
        if text is not None:
            return text, (f"read as Windows-1256, although {said}: the text reads as Persian in Windows-1256 "
                          f"(old Persian pages often declared the wrong charset); {_SILENCE}")
    text, bad_line = _strict(data, name)
    if text is not None:
        return text, f"read as {_pretty(name)} ({said}); {_SILENCE}"
    guess = _evidence(data)
    if guess is None:
        raise PublishError(f"{said}, but the text is not {_pretty(name)} (nor UTF-8, nor Windows-1256 Persian, "
                           f"nor UTF-16): {_ADVICE}", path=display, line=bad_line)
    text, what, why = guess
    return text, (f"read as {what}, although {said}: line {bad_line} is not {_pretty(name)} and the file {why}; "
                  f"{_SILENCE}")


def _strict(data: bytes, name: str) -> tuple[str | None, int]:
    """The text in encoding ``name``, or None and the first line that is
    not: a byte the encoding lacks, or a C1 control (which no text holds)."""
    import webencodings
    codec = webencodings.lookup(name).codec_info
    try:
        text = codec.decode(data, "strict")[0]
    except UnicodeDecodeError as exc:
        return None, data[: exc.start].count(b"\n") + 1
    except Exception:  # pragma: no cover - a codec that fails another way: as if the byte were missing
        return None, 1
    c1 = _C1.search(text)
    if c1:
        return None, text[: c1.start()].count("\n") + 1
    return text, 0


# --- 3. detection ---------------------------------------------------------------------

def _detect(data: bytes, display: str) -> tuple[str, str | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text, line = None, data[: exc.start].count(b"\n") + 1
    if text is not None and not _CONTROL.search(text):
        return text, None
    guess = _evidence(data)
    if guess is not None:
        text, what, why = guess
        return text, f"read as {what} (it is not UTF-8 and {why}); {_SILENCE}"
    if text is not None:
        return text, None   # controls, NUL included, are the caller's to refuse, with their line
    raise PublishError(f"not UTF-8 text (nor UTF-16, nor Windows-1256 Persian): {_ADVICE}", path=display, line=line)


def _evidence(data: bytes) -> tuple[str, str, str] | None:
    """What bytes that are not UTF-8 are, by their content: (text, encoding,
    why), or None."""
    text = _windows_1256(data)
    if text is not None:
        return text, "Windows-1256", "reads as Persian in Windows-1256"
    found = _utf16(data)
    if found is not None:
        text, order = found
        return text, f"UTF-16 {order}", "pairs up as UTF-16 text without a byte-order mark"
    return None


def _windows_1256(data: bytes) -> str | None:
    """The text, if ``data`` reads as Persian/Arabic in Windows-1256; None
    for anything else (damaged UTF-8, Latin-1, other code pages).  Counted
    on the bytes with ``bytes.translate``: a 20 MB source takes a tenth of a
    second, where a pass over its characters took ten."""
    if b"\x00" in data:   # NULs: UTF-16, not a code page
        return None
    high = _count(data, _HIGH_BYTES)
    # Damaged UTF-8 (one bad byte in a UTF-8 file) is still mostly UTF-8
    # sequences; real Windows-1256 Persian forms such pairs only by chance.
    in_sequences = len(data.decode("utf-8", "ignore").encode("utf-8")) - (len(data) - high)
    if in_sequences >= 0.5 * high and in_sequences >= 8:  # below four letters nobody can tell
        return None
    arabic, letters = _count(data, _CP1256_ARABIC), _count(data, _CP1256_LETTERS)
    if arabic < 2 or arabic < 0.95 * letters:
        return None
    # Latin-1 or cp1252 text read as cp1256 gives Arabic letters inside Latin
    # words ("Gr" + "ِ" + "ße"): Persian never mixes scripts inside a word.
    for m in _LATIN_RUN.finditer(data):
        start, end = m.span()
        if (start and data[start - 1] in _CP1256_SCRIPT) or (end < len(data) and data[end] in _CP1256_SCRIPT):
            return None
    return data.decode("cp1256")   # every byte has a meaning in cp1256


def _count(data: bytes, which: bytes) -> int:
    """How many bytes of ``data`` are among ``which``."""
    return len(data) - len(data.translate(None, which))


def _utf16(data: bytes) -> tuple[str, str] | None:
    """(text, "little-endian" or "big-endian") if ``data`` reads as text in
    UTF-16 without a byte-order mark (Word's and Notepad's "Unicode" saved
    by some tools without one)."""
    if len(data) < 2 or len(data) % 2:
        return None
    best = None
    for codec, order in (("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # all of it text-like (counting stops past the 2 % allowed: garbage
        # is all matches), and some words in it, not a run of punctuation
        allowed = int(0.02 * len(text))
        odd = sum(1 for _ in itertools.islice(_NOT_TEXT.finditer(text), allowed + 1))
        letters = sum(1 for _ in itertools.islice(_LETTER.finditer(text), 2))
        if odd <= allowed and letters == 2 and (best is None or odd < best[0]):
            best = (odd, text, order)
    return (best[1], best[2]) if best else None

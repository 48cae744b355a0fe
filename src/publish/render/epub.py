"""Edition tree → EPUB3, written by pandoc."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote

from ..assemble import Assembled, direction, to_json
from .. import metadata
from ..errors import PublishError
from ..source import pandoc_path
from . import STYLES, TEMPLATES, landmarks, notes
from .fonts import family, font_file, script_css
from .labels import colophon_lines, label, text_date

ARABIC_FONT = "Noto Naskh Arabic"   # the one epub.css declares with @font-face


def _str(text: str) -> dict:
    return {"t": "MetaString", "c": text}


def _words(text: str) -> list:
    inl = []
    for i, word in enumerate(text.split(" ")):
        if i:
            inl.append({"t": "Space"})
        inl.append({"t": "Str", "c": word})
    return inl


def _lang(lang: str | None) -> list:
    return [["lang", lang], ["dir", direction(lang)]] if lang else []


def _para(text: str, classes=(), lang: str | None = None) -> dict:
    return {"t": "Div", "c": [["", list(classes), _lang(lang)], [{"t": "Para", "c": _words(text)}]]}


def _text(text: str, lang: str | None = None) -> dict:
    """A text of the title page and the OPF; one in another language than the
    book's (a title not translated) is a span saying so, which the title
    page sets in that language's font and direction (dc:title stays text)."""
    if not lang:
        return _str(text)
    return {"t": "MetaInlines", "c": [{"t": "Span", "c": [["", [], _lang(lang)], _words(text)]}]}


_MARKED = ("edition-title", "title", "subtitle", "author", "publisher")   # may fall back: see assemble.metadata


def _edition_title(m: dict) -> dict:
    """What the book is called: the parallel text's "source / translation"
    has its source part marked with its language."""
    if m.get("edition-title-lang") or not m.get("title-source") or m["edition-title"] == m["title-source"]:
        return _text(m["edition-title"], m.get("edition-title-lang"))
    rest = m["edition-title"][len(m["title-source"]):]
    return {"t": "MetaInlines", "c": [*_text(m["title-source"], m["source-lang"])["c"], *_words(rest)]}


def colophon_blocks(a: Assembled) -> list:
    heading = {"t": "Header", "c": [1, ["colophon", ["unnumbered"], []],
                                    [{"t": "Str", "c": label(a.edition.lang, "colophon")}]]}
    lines = [_para(text, [cls] if cls else [], *in_lang) for cls, text, *in_lang in colophon_lines(a)]
    return [{"t": "Div", "c": [["", ["colophon"], []], [heading, *lines]]}]


def _hoist(b: dict) -> list | None:
    """Pandoc splits chapters and builds the contents only from top-level
    headings; in the parallel text every heading sits inside a pair.  So the
    translation's heading comes out of its pair to open the chapter, and the
    original's heading follows it, set like a heading but out of the contents.
    What a pair holding a heading becomes; None for any other block."""
    if b["t"] == "Div" and "pair" in b["c"][0][1]:
        source_side, target_side = b["c"][1]
        inner = target_side["c"][1]
        if len(inner) == 1 and inner[0]["t"] == "Header":
            level, (ident, classes, attrs), inlines = inner[0]["c"]
            # pandoc would make the original's heading a chapter of its own: a styled paragraph
            (_, _, side_attrs), [src_head] = source_side["c"]
            s_level, (s_ident, _, _), s_inlines = src_head["c"]
            return [{"t": "Header", "c": [level, [ident, [*classes, "pair-heading"],
                                                  [*attrs, *target_side["c"][0][2]]], inlines]},
                    {"t": "Div", "c": [[s_ident, ["source-heading", f"level{s_level}"], side_attrs],
                                       [{"t": "Para", "c": s_inlines}]]}]
    return None


# pandoc's EPUB writer embeds every image and every src/poster of raw HTML
# it meets, fetching URLs and reading any path it is given (relative paths
# from its working folder).  The book must be made from what we hand it, so
# only images inline as data: (raster only: an SVG can carry script) or
# plainly relative, and raw HTML that names no resource, reach it.
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.I)
_RESOURCE_IN_HTML = re.compile(r"\b(src|srcset|poster|data|href|background)\s*=|url\s*\(|@import", re.I)


def _local_image(url: str) -> bool:
    url = unquote(url.strip())  # pandoc unescapes a path before it opens it
    if _RASTER_DATA.match(url):
        return True
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith(("/", "\\")) or "\\" in url:
        return False
    return ".." not in url.split("?")[0].split("#")[0].split("/")


def offline(node):
    """A copy of the tree with nothing pandoc would fetch or read: an image
    that is not local becomes its description, raw HTML naming a resource
    is left out."""
    if isinstance(node, list):
        out = []
        for x in node:
            if isinstance(x, dict) and x.get("t") == "Image" and not _local_image(x["c"][2][0]):
                out.extend(offline(x["c"][1]))
            elif not (isinstance(x, dict) and x.get("t") in ("RawInline", "RawBlock")
                      and _RESOURCE_IN_HTML.search(x["c"][1])):
                out.append(offline(x))
        return out
    if isinstance(node, dict):
        return {k: offline(v) for k, v in node.items()}
    return node


# Only these elements can name something to fetch, and the encoder writes
# every one of them '"t": "Image"' (and so on): a block whose JSON has none
# of these has nothing to drop, and is handed to pandoc as the very text
# that was searched.  (Text in a string cannot fake a match, its quotes are
# escaped; a match that is no element would only cost a copy.)
_MAY_FETCH = re.compile(r'"t": "(?:Image|RawInline|RawBlock)"')


def _offline_json(block: dict, text: str) -> list[str]:
    """The JSON of ``offline([block])``, given ``text``, the JSON of
    ``block``: ``offline`` copies the whole tree, and almost no block has
    anything it would drop."""
    if _MAY_FETCH.search(text) is None:
        return [text]
    return [to_json(x) for x in offline([block])]


def _blocks_json(a: Assembled) -> list[str]:
    """The JSON of ``offline(blocks)`` (the parallel text's headings
    hoisted), from the blocks the edition has written once."""
    out: list[str] = []
    for b, text in zip(a.blocks, a.blocks_json()):
        hoisted = _hoist(b) if a.edition.bilingual else None
        if hoisted is None:
            out.extend(_offline_json(b, text))
        else:
            out.extend(to_json(x) for x in offline(hoisted))
    return out


def write(a: Assembled, target: Path, cover=None) -> bytes:
    """The EPUB of an edition; ``cover`` (a render.cover.Cover) is its cover
    image, which pandoc marks ``properties="cover-image"`` and shows first."""
    m = a.meta
    meta = {
        "title": _edition_title(m),
        "lang": _str(m["lang"]),
        "dir": _str(m["dir"]),
        "date": _str(m["date"]),
        "identifier": _str(m["identifier"]),
        "page-progression-direction": _str(m["dir"]),
        "toc-title": _str(label(a.edition.lang, "contents")),
    }
    if m.get("subtitle"):
        meta["subtitle"] = _text(m["subtitle"], m.get("subtitle-lang"))
    # written only when there is one: epubcheck refuses an empty dc:creator or dc:publisher
    if m.get("publisher"):
        meta["publisher"] = _text(m["publisher"], m.get("publisher-lang"))
    if m.get("author"):
        meta["creator"] = {"t": "MetaList", "c": [{"t": "MetaMap", "c": {
            "role": _str("author"), "text": _text(m["author"], m.get("author-lang"))}}]}
    if m.get("description"):   # dc:description
        meta["description"] = _str(m["description"])
    # translators (dc:contributor, role trl), keywords (a dc:subject each),
    # rights and licence, the EPUB's ISBN; then what the OPF says of its
    # accessibility (schema.org), from the pictures the book holds
    meta.update(metadata.epub_meta(m))
    meta.update(metadata.accessibility(a.edition.lang, *metadata.pictures(a.blocks, a.blocks_json())))
    if metadata.credit(m, a.edition.lang):   # the title page's credit of the translators
        meta["translators"] = _str(metadata.credit(m, a.edition.lang))
    if m.get("text-date"):     # the text's date on the title page; dc:date stays the edition's
        meta["text-date"] = _str(text_date(m["text-date"], a.edition.lang))
    blocks = _blocks_json(a) + [to_json(b) for b in colophon_blocks(a)]
    # what json.dumps would write of {"pandoc-api-version": …, "meta": meta, "blocks": offline(blocks) + colophon}
    doc = ('{"pandoc-api-version": [1, 23, 1, 1], "meta": ' + to_json(meta)
           + ', "blocks": [' + ", ".join(blocks) + "]}")
    # the source's font also where the source's text stands in for a translation
    # not made yet: a title (marked "<key>-lang") or units
    langs = {*a.edition.languages, *(m[f"{k}-lang"] for k in _MARKED if m.get(f"{k}-lang"))}
    if m.get("source-lang") and any(p.translated < p.units for p in a.progress.values()):
        langs.add(m["source-lang"])
    arabic = any(family(lang)[0] == ARABIC_FONT for lang in langs)
    epub_css = (STYLES / "epub.css").read_text(encoding="utf-8")
    if not arabic:  # the Persian font is embedded only where Persian (Arabic script) is set
        epub_css = "\n".join(l for l in epub_css.splitlines() if not l.startswith("@font-face"))
    css = script_css((STYLES / "base.css").read_text(encoding="utf-8") + "\n" + epub_css, a.edition.languages)
    with tempfile.TemporaryDirectory(prefix="publish-epub-") as tmp:
        css_path = Path(tmp) / "publish.css"
        css_path.write_text(css, encoding="utf-8")
        out = Path(tmp) / "out.epub"
        args = [pandoc_path(), "-f", "json", "-t", "epub3", "-o", str(out), "--toc", "--split-level=1",
                f"--css={css_path}", "--wrap=none", f"--template={TEMPLATES / 'epub3.html'}", f"--variable=dir:{m['dir']}"]
        if arabic:
            for style in ("", "bold"):
                args.append(f"--epub-embed-font={font_file(ARABIC_FONT, style)}")
        if cover is not None:   # pandoc reads it from a file: ours, in the temporary folder
            cover_path = Path(tmp) / f"cover.{cover.suffix}"
            cover_path.write_bytes(cover.data)
            args.append(f"--epub-cover-image={cover_path}")
        env = dict(os.environ)
        # pandoc stamps the zip entries and dcterms:modified with this: fixed date, same bytes
        env["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.fromisoformat(m["date"]).replace(tzinfo=dt.timezone.utc).timestamp()))
        proc = subprocess.run(args, input=doc.encode("utf-8"),
                              capture_output=True, env=env, cwd=tmp, timeout=600)
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise PublishError(f"pandoc could not write the EPUB: {err[-1] if err else proc.returncode}", path=str(target))
        # pandoc's landmarks are English in every book, and lack the start of the text;
        # its notes are numbered across both columns of the parallel text, in Latin digits
        return landmarks.mend(_mend_notes(out.read_bytes(), a.edition.lang), a.edition.lang)


def _mend_notes(epub: bytes, lang: str) -> bytes:
    """``epub`` with its notes numbered per language, in the language's
    digits (render/notes.py); every other entry copied as it is, with its
    name, order, date and compression, so the same book gives the same bytes."""
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        chapters = sorted((int(m.group(1)), n) for n in book.namelist() if (m := landmarks.CHAPTER.fullmatch(n)))
        names = [n for _, n in chapters]
        texts = [book.read(n).decode("utf-8") for n in names]
        changed = {n: new for n, new, old in zip(names, notes.epub(texts, lang), texts) if new != old}
        if not changed:
            return epub
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as mended:
            for info in book.infolist():
                data = changed[info.filename].encode("utf-8") if info.filename in changed else book.read(info)
                mended.writestr(info, data, compress_type=info.compress_type)
        return out.getvalue()


def render(a, project) -> bytes:
    """The EPUB of an edition (the ``epub`` entry of ``render.FORMATS``)."""
    from .cover import image
    return write(a, project.build_dir / a.edition.name / f"{a.document.name}.epub", cover=image(a, project))

"""Footnotes and link addresses as each medium shows them.

pandoc numbers the notes of a document 1, 2, 3 … in the order it meets
them and moves them to the end (the web page's ``section.footnotes``, an
EPUB chapter's ``aside``s).  A press wants more, and this module mends
pandoc's markup, which is regular, as text:

- the parallel text numbers each column's notes on its own (the Persian 1,
  2, 3 beside the English 1, 2, 3, not 1 and 3 beside 2 and 4), and every
  note's number is written in the digits of its language (۱ ۲ ۳ in Persian);
- in print a note is set at the foot of the page that calls it (WeasyPrint's
  ``float: footnote``): its text goes back to where it is called, its number
  is given in ``data-n`` (the style sheet prints it as call and marker),
  numbered per ``page``, ``chapter`` (a level-1 heading) or ``document``, and
  without pandoc's "↩" back-link, which paper cannot follow;
- a link in print shows its address (``pdf.link_addresses``): in a note of
  its own, after its words, or not at all.

Per-page numbers are known only after layout: ``lay_out`` renders once,
reads on which page each note is called, numbers them and renders again;
and where WeasyPrint carried a note over to the next page, it ends that page
before the block the break cut and renders again.
"""
from __future__ import annotations

import html as _html
import re
from collections.abc import Callable

from ..assemble import direction as _direction
from .labels import digits

# pandoc's call of note N (HTML: <sup>N</sup> inside; EPUB: N alone)
_CALL = re.compile(r'<a href="#fn(\d+)" class="footnote-ref" id="fnref\1"([^>]*)>(<sup>)?\d+(</sup>)?</a>')
# the notes pandoc moved to the end of the page / of an EPUB chapter
_SECTION = re.compile(r'\n?<section id="footnotes" class="footnotes[^"]*"[^>]*>\n(?:<hr />\n)?(.*?)</section>', re.S)
_ITEM = re.compile(r'<li id="fn(\d+)">(.*?)</li>\n(?=<li id="fn\d+">|</ol>)', re.S)
_ASIDE = re.compile(r'(<aside epub:type="footnote" role="doc-footnote" id="fn(\d+)">\n?)(.*?)(</aside>)', re.S)
_BACK = re.compile(r'\s*<a href="#fnref\d+" class="footnote-back" role="doc-backlink">↩︎</a>')
# a side's note is marked with its language (assemble._notes_in)
_NOTE_LANG = re.compile(r'\s*<div class="note" lang="([^"]+)" dir="([^"]+)">')
# a link to the outside world: its address is worth printing
_LINK_OR_SIDE = re.compile(r'class="side (?:source|target)" lang="(?P<side>[^"]+)"'
                           r'|<a href="(?P<url>(?:https?|mailto):[^"]+)"[^>]*>(?P<words>.*?)</a>', re.S)
_TAGS = re.compile(r"<[^>]+>")
# block elements a note may hold, which cannot stand inside the paragraph
# that calls it (an HTML parser would close the paragraph at a <p>): spans
# that say what they were, set as blocks by the style sheet
_BLOCK = re.compile(r"<(/?)(p|div|ol|ul|li|blockquote|pre|dl|dt|dd|table|thead|tbody|tr|td|th|figure|figcaption|hr)\b([^>]*)>")


class _Notes:
    """pandoc's notes of a page: number → (language, body as pandoc wrote it)."""

    def __init__(self, body: str, lang: str, item: re.Pattern = _ITEM):
        self.lang = lang
        self.section = _SECTION.search(body)
        self.notes: dict[str, tuple[str, str]] = {}
        if self.section is None:
            return
        for m in item.finditer(self.section.group(1)):
            n, text = (m.group(1), m.group(2)) if item is _ITEM else (m.group(2), m.group(3))
            self.notes[n] = (note_language(text, lang), text)


def note_language(text: str, lang: str) -> str:
    m = _NOTE_LANG.match(text)
    return m.group(1) if m else lang


def per_language(order: list[tuple[str, str]]) -> dict[str, int]:
    """Note → its number, counted per language, in the order given."""
    counts: dict[str, int] = {}
    out = {}
    for n, lang in order:
        counts[lang] = counts.get(lang, 0) + 1
        out[n] = counts[lang]
    return out


def screen(body: str, lang: str, bilingual: bool) -> str:
    """The web page's notes: each language numbered on its own, in its
    digits; in the parallel text the notes stand in two columns as the
    text does, the original's on the right."""
    found = _Notes(body, lang)
    if not found.notes:
        return body
    numbers = per_language([(n, l) for n, (l, _) in found.notes.items()])

    def call(m: re.Match) -> str:
        n = m.group(1)
        note_lang = found.notes.get(n, (lang,))[0]
        return (f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}"{m.group(2)}>'
                f'<sup>{digits(str(numbers.get(n, n)), note_lang)}</sup></a>')

    head, section, tail = body[:found.section.start()], found.section.group(0), body[found.section.end():]
    if bilingual:
        langs = list(dict.fromkeys(l for l, _ in found.notes.values()))
        lists = []
        for i, side_lang in enumerate(langs):
            side = "source" if i == 0 else "target"
            items = "".join(f'<li id="fn{n}">{text}</li>\n' for n, (l, text) in found.notes.items() if l == side_lang)
            lists.append(f'<ol class="side {side}" lang="{side_lang}" dir="{_direction(side_lang)}">\n{items}</ol>')
        section = ('\n<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">\n'
                   '<div class="pair notes-pair">\n' + "\n".join(lists) + "\n</div>\n</section>")
    return _CALL.sub(call, head) + section + tail


def epub(chapters: list[str], lang: str) -> list[str]:
    """The chapters of an EPUB (XHTML, in reading order) with the notes of
    each language numbered on their own, in its digits, across the book;
    each note (an ``aside``, which reading systems show as a pop-up) starts
    with its number, a link back to where it is called."""
    found = [_Notes(c, lang, _ASIDE) for c in chapters]
    order = [(n, l) for f in found for n, (l, _) in f.notes.items()]
    numbers = per_language(order)
    langs = dict(order)
    out = []
    for text, f in zip(chapters, found):
        if not f.notes and "footnote-ref" not in text:
            out.append(text)
            continue

        def call(m: re.Match) -> str:
            n = m.group(1)
            number = digits(str(numbers.get(n, n)), langs.get(n, lang))
            sup = (m.group(3) or "", m.group(4) or "")
            return f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}"{m.group(2)}>{sup[0]}{number}{sup[1]}</a>'

        def aside(m: re.Match) -> str:
            n, body = m.group(2), m.group(3)
            number = digits(str(numbers.get(n, n)), langs.get(n, lang))
            back = f'<a href="#fnref{n}" class="footnote-back" role="doc-backlink">{number}.</a> '
            # into the first paragraph, so the number stands on the note's first line
            body = re.sub(r"<p>", "<p>" + back, body, count=1) if "<p>" in body else back + body
            return m.group(1) + body + m.group(4)

        out.append(_ASIDE.sub(aside, _CALL.sub(call, text)))
    return out


def for_print(body: str, lang: str, links: str = "footnote") -> str:
    """The print page's body: each note where it is called, as a
    ``span.footnote`` that the style sheet floats to the foot of the page
    (``number`` then gives each its number); with ``links``, the address of
    each link to the outside in a note of its own or after its words."""
    found = _Notes(body, lang)
    head = body[:found.section.start()] + body[found.section.end():] if found.section else body
    if links != "none":
        head = _addresses(head, links, lang)
    if not found.notes:
        return head

    def call(m: re.Match) -> str:
        n = m.group(1)
        note_lang, text = found.notes.get(n, (lang, ""))
        text = _BACK.sub("", text)   # paper cannot follow pandoc's "↩" back to the call
        wrapper = _NOTE_LANG.match(text)
        if wrapper:   # the footnote says the language: the wrapper would only break its first line
            text = text[wrapper.end():].rstrip()
            text = text[:-len("</div>")] if text.endswith("</div>") else text
        if links != "none":   # a note cannot hold a note: the address follows the words
            text = _addresses(text, "inline", note_lang)
        text = _BLOCK.sub(_as_span, text.strip())
        return (f'<span class="footnote" id="fn{n}" data-n="" lang="{note_lang}" dir="{_direction(note_lang)}">'
                f"{text}</span>")

    return _CALL.sub(call, head)


def _as_span(m: re.Match) -> str:
    if m.group(1):
        return "</span>"
    return f'<span data-block="{m.group(2)}"{m.group(3).rstrip("/")}>' + ("</span>" if m.group(2) == "hr" else "")


def _addresses(text: str, mode: str, lang: str) -> str:
    """Each link to the outside followed by its address: in a note of its
    own or in parentheses; not when its words already are the address.  A
    note is in the language of the column it is called from."""
    current = [lang]

    def show(m: re.Match) -> str:
        if m.group("side"):
            current[0] = m.group("side")
            return m.group(0)
        url = _html.unescape(m.group("url"))
        shown = url.removeprefix("mailto:")
        words = _html.unescape(_TAGS.sub("", m.group("words"))).strip()
        if words.rstrip("/") in (url.rstrip("/"), shown.rstrip("/"), shown.split("://", 1)[-1].rstrip("/")):
            return m.group(0)
        address = f'<span class="link-address" dir="ltr">{_html.escape(shown)}</span>'
        if mode == "footnote":
            return (m.group(0) + f'<span class="footnote link-note" data-n="" lang="{current[0]}" '
                    f'dir="{_direction(current[0])}">{address}</span>')
        return m.group(0) + f" ({address})"
    return _LINK_OR_SIDE.sub(show, text)


_NOTE_ID = re.compile(r'<span class="footnote( link-note)?" (?:id="((?:fn|ln)\d+)" )?data-n="[^"]*" lang="([^"]+)"')


def number(body: str, mode: str, numbers: dict[str, int] | None = None) -> str:
    """Every note of the print body numbered (``data-n``), the notes of link
    addresses among them: in order, per language, per ``mode`` (``page``:
    from ``numbers``, note id → number, which a layout gave)."""
    counts: dict[str, int] = {}
    out, pos, index = [], 0, 0
    for m in re.finditer(r'<h1[ >]|' + _NOTE_ID.pattern, body):
        if m.group(0).startswith("<h1"):
            if mode == "chapter":
                counts.clear()
            continue
        index += 1
        ident = m.group(2) or f"ln{index}"
        lang = m.group(3)
        counts[lang] = counts.get(lang, 0) + 1
        number = numbers.get(ident, counts[lang]) if numbers is not None else counts[lang]
        out.append(body[pos:m.start()])
        out.append(f'<span class="footnote{m.group(1) or ""}" id="{ident}" data-n="{digits(str(number), lang)}" '
                   f'lang="{lang}"')
        pos = m.end()
    out.append(body[pos:])
    return "".join(out)


def pages_of_notes(document) -> dict[str, int]:
    """Note id → the page (index) of its call, from a WeasyPrint document,
    in the order of the pages and of the text.  A note is numbered on the
    page that calls it, as the CSS footnote counter is."""
    return _where(document)[0]


def _where(document) -> tuple[dict[str, int], dict[str, int], dict[str, tuple[int, int]]]:
    """Where a layout put things: note id → the page of its call and → the
    last page of its text; block mark (``data-b``) → its first and last page."""
    calls: dict[str, int] = {}
    texts: dict[str, int] = {}
    blocks: dict[str, tuple[int, int]] = {}

    def visit(box, page: int, in_area: bool):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "pseudo_type", None) is None:
            ident = element.get("id")
            if ident and (element.get("class") or "").startswith("footnote"):
                if in_area:
                    texts[ident] = page
                else:
                    calls.setdefault(ident, page)
            mark = element.get("data-b")
            if mark:
                first, _ = blocks.get(mark, (page, page))
                blocks[mark] = (first, page)
        in_area = in_area or type(box).__name__ == "FootnoteAreaBox"
        for child in getattr(box, "children", None) or ():
            visit(child, page, in_area)

    for i, page in enumerate(document.pages):
        visit(page._page_box, i, False)
    return calls, texts, blocks


_BLOCK_START = re.compile(r'<p>|<div class="pair(?: heading)?">')


def _mark_blocks(html: str) -> str:
    """Paragraphs and the parallel text's pairs marked ``data-b="N"``, so
    that a layout can say which one a page break cut."""
    count = iter(range(1, 1 << 30))
    return _BLOCK_START.sub(lambda m: f'{m.group(0)[:-1]} data-b="{next(count)}">', html)


def _keep_notes_with_calls(html: str, document) -> str:
    """WeasyPrint carries a note over to the next page when the lines after
    its call need the room (to keep a paragraph's first lines together); a
    press would rather end the page short.  So the block that the page break
    cut, on a page whose note was carried over, starts the next page."""
    calls, texts, blocks = _where(document)
    pages = {calls[n] for n in calls if n in texts and texts[n] > calls[n]}
    out = html
    for page in sorted(pages):
        cut = [int(mark) for mark, (first, last) in blocks.items() if first == page and last > page]
        if cut:
            mark = min(cut)   # the outermost: a pair before the paragraphs in it
            out = out.replace(f' data-b="{mark}">', f' data-b="{mark}" style="break-before: page">', 1)
    return out


def per_page(pages: dict[str, int], langs: dict[str, str]) -> dict[str, int]:
    """Note id → its number on its page, per language, in the order of ``pages``."""
    counts: dict[tuple[int, str], int] = {}
    out = {}
    for ident, page in pages.items():
        key = (page, langs[ident])
        counts[key] = counts.get(key, 0) + 1
        out[ident] = counts[key]
    return out


def lay_out(html: str, render: Callable[[str], object], mode: str, passes: int = 4):
    """The laid-out document of the print page ``html``.  Numbered per
    page, the notes need a layout to be numbered: render, number each page's
    notes from 1, render again; and a page whose note WeasyPrint carried
    over to the next one ends before the block the break cut, so the note
    stands under its call.  Either can move lines, and notes with them: until
    nothing changes, at most ``passes`` renderings (one when the text has no
    note, two or three in practice)."""
    html = number(html, "document" if mode == "page" else mode)
    if 'class="footnote' not in html:
        return render(html)
    html = _mark_blocks(html)
    document = render(html)
    langs = {m.group(2) or "": m.group(3) for m in _NOTE_ID.finditer(html)}
    for i in range(passes - 1):
        # the last rendering only numbers: a page's numbers must be those of the pages printed
        changed = html if i == passes - 2 else _keep_notes_with_calls(html, document)
        if mode == "page":
            changed = number(changed, "document", per_page(pages_of_notes(document), langs))
        if changed == html:
            break
        html = changed
        document = render(html)
    return document

"""Edition tree → one self-contained HTML page (screen) or print HTML (PDF)."""
from __future__ import annotations

import functools
import html
import string

from .. import __version__, languages
from .. import metadata
from ..assemble import Assembled, direction
from ..source import run_pandoc
from ..tree import stringify
from . import STYLES, TEMPLATES
from .fonts import family, script_css
from .labels import colophon_lines, label, text_date
from . import notes

_e = html.escape


def body_html(a: Assembled, what: str) -> str:
    # the document to_json would write, from the blocks the edition has written once
    doc = '{"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": [' + ", ".join(a.blocks_json()) + "]}"
    return _pandoc_html(doc, what)


@functools.lru_cache(maxsize=8)
def _pandoc_html(doc_json: str, what: str) -> str:
    # The screen page and the PDF of an edition share their body: one pandoc run.
    return run_pandoc(["-f", "json", "-t", "html5", "--wrap=none", "--email-obfuscation=none"], doc_json, what)


def headings(blocks: list, depth: int = 3) -> list[tuple[int, str, str, str | None]]:
    """(level, id, text, language) of the headings a reader navigates by; in a
    bilingual edition those of the translation side.  The language is that of
    a heading printed in another (not translated yet: assemble marks it the
    source's), for the contents to set it in its font; else None."""
    found = []

    def visit(bs):
        for b in bs:
            if b["t"] == "Header" and b["c"][0] <= depth:
                found.append((b["c"][0], b["c"][1][0], stringify(b["c"][2]), _marked(b["c"][2])))
            elif b["t"] == "Div":
                classes = b["c"][0][1]
                if "source" in classes:
                    continue
                visit(b["c"][1])

    visit(blocks)
    return found


def _marked(inlines: list) -> str | None:
    """The language the inlines are marked with, when they are all spans of one."""
    spans = [x for x in inlines if x["t"] != "Space"]
    langs = {dict(x["c"][0][2]).get("lang") if x["t"] == "Span" else None for x in spans}
    return langs.pop() if len(langs) == 1 else None


def toc(a: Assembled) -> str:
    items = headings(a.blocks)
    if len(items) < 2:  # a contents page listing one heading helps nobody
        return ""
    lang = a.edition.lang
    # a heading in another language (not translated yet) is a span in its
    # direction: the link's leader and page number (print.css) stay in the
    # page's, else WeasyPrint draws the dots over a Persian heading in an
    # English contents
    lis = "\n".join(f'<li class="toc-{lvl}"><a href="#{_e(ident)}">'
                    + (f'<span{_lang_attrs(in_lang)}>{_e(text)}</span>' if in_lang else _e(text)) + '</a></li>'
                    for lvl, ident, text, in_lang in items)
    return (f'<nav id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
            f'<h2 id="toc-title">{_e(label(lang, "contents"))}</h2>\n<ol>\n{lis}\n</ol>\n</nav>')


def titlepage(a: Assembled) -> str:
    m = a.meta
    lang, src = a.edition.lang, a.edition.languages[0]
    parts = []

    def block(text_key: str, cls: str, in_lang: str | None = None):
        text = m.get(text_key)
        if not text:
            return
        attrs = f' lang="{in_lang}" dir="{direction(in_lang)}"' if in_lang else ""
        parts.append(f'<p class="{cls}"{attrs}>{_e(text)}</p>')

    def translated(key: str, cls: str):
        # in the edition's language, or marked as the source's where it fell back
        # (see assemble.metadata); the parallel text does not print one title twice
        if a.edition.bilingual and m.get(key) == m.get(f"{key}-source"):
            return
        block(key, cls, m.get(f"{key}-lang") or (lang if a.edition.bilingual else None))

    if a.edition.bilingual:
        block("title-source", "book-title source-title", src)
        block("subtitle-source", "book-subtitle", src)
    translated("title", "book-title")
    translated("subtitle", "book-subtitle")
    if a.edition.bilingual:
        block("author-source", "book-author", src)
    translated("author", "book-author")
    if metadata.credit(m, lang):   # the translators, in the edition's language
        parts.append(f'<p class="book-translators">{_e(metadata.credit(m, lang))}</p>')
    if m.get("text-date"):   # the date of the text, from its front matter, as the edition's language writes it
        parts.append(f'<p class="book-date">{_e(text_date(m["text-date"], lang))}</p>')
    if a.edition.bilingual:
        parts.append(f'<p class="book-kind">{_e(label(lang, "bilingual"))}</p>')
    return "\n".join(parts)


def colophon(a: Assembled) -> str:
    lines = [f'<h2 class="colophon-title">{_e(label(a.edition.lang, "colophon"))}</h2>']
    for cls, text, *in_lang in colophon_lines(a):   # a line in another language names it
        attrs = (f' class="{cls}"' if cls else "") + _lang_attrs(*in_lang)
        lines.append(f"<p{attrs}>{_e(text)}</p>")
    return '<footer class="colophon" role="contentinfo">\n' + "\n".join(lines) + "\n</footer>"


def _notes(body: str, a: Assembled, medium: str, links: str) -> str:
    """pandoc's endnotes as the medium wants them (render/notes.py)."""
    if medium == "print":
        # a heading's pair (pandoc writes a side that opens with a heading as
        # a <section>) is kept with the pair after it: print.css .pair.heading
        body = body.replace('<div class="pair">\n<section ', '<div class="pair heading">\n<section ')
        return notes.for_print(body, a.edition.lang, links)
    return notes.screen(body, a.edition.lang, a.edition.bilingual)


def _lang_attrs(lang: str | None = None) -> str:
    return f' lang="{lang}" dir="{direction(lang)}"' if lang else ""


# CSS counter styles for the digits a language prints (page numbers)
_COUNTERS = {"۰۱۲۳۴۵۶۷۸۹": "persian", "٠١٢٣٤٥٦٧٨٩": "arabic-indic"}


def css(a: Assembled, medium: str, paper: str = "A5", emphasis: str = "bold") -> str:
    """The stylesheet for an edition: shared rules, the medium's, and a
    little per-edition text (running head, page-number digits, how print
    emphasises Persian: ``emphasis``, pdf.persian_emphasis)."""
    parts = [(STYLES / "base.css").read_text(encoding="utf-8")]
    if medium == "print":
        title = a.meta["edition-title"].replace("\\", "\\\\").replace('"', '\\"')
        counter = _COUNTERS.get(languages.parse(a.edition.lang).digits, "decimal")
        # The running head is set in the font of the title's language (the
        # source's where the title fell back: Persian in the Persian font,
        # right to left), then the fonts of the edition's other languages, so
        # every letter of "Persian / English" has its own font and no fallback
        # font is embedded.
        in_lang = a.meta.get("edition-title-lang") or a.edition.lang
        fonts = dict.fromkeys(family(l)[0] for l in (in_lang, *a.edition.languages))
        parts.append((STYLES / "print.css").read_text(encoding="utf-8")
                     .replace("__PAPER__", paper).replace("__TITLE__", title).replace("__COUNTER__", counter)
                     .replace("__TITLE_FONT__", ", ".join(f'"{f}"' for f in fonts) + ", serif")
                     .replace("__TITLE_DIR__", direction(in_lang)))
        if emphasis == "weight":   # a semibold where the family has one; else its nearest, the bold
            parts.append("em:lang(fa), i:lang(fa), cite:lang(fa), dfn:lang(fa) { font-weight: 600; }")
    else:
        parts.append((STYLES / "screen.css").read_text(encoding="utf-8"))
    return script_css("\n".join(parts), a.edition.languages)


_SCRIPT = """<script>
/* Parallel text: a sentence and its counterpart light up together, on hover
   and on keyboard focus; Enter or a click moves to the counterpart. */
(function () {
  var units = document.querySelectorAll('.pair .u[data-u], .stacked .u[data-u], figure.shared .u[data-u]');
  function mates(el) { return document.querySelectorAll('.u[data-u="' + el.dataset.u + '"]'); }
  function on(el, flag) { mates(el).forEach(function (m) { m.classList.toggle('hl', flag); }); }
  units.forEach(function (el) {
    el.tabIndex = 0;
    el.addEventListener('mouseenter', function () { on(el, true); });
    el.addEventListener('mouseleave', function () { on(el, false); });
    el.addEventListener('focus', function () { on(el, true); });
    el.addEventListener('blur', function () { on(el, false); });
    function jump(ev) {
      if (ev.type === 'keydown' && ev.key !== 'Enter') return;
      var other = Array.prototype.find.call(mates(el), function (m) { return m !== el; });
      if (other) { other.focus(); ev.preventDefault(); }
    }
    el.addEventListener('click', jump);
    el.addEventListener('keydown', jump);
  });
})();
</script>"""


def meta_tags(m: dict[str, str], medium: str = "screen") -> str:
    """<meta> for author, description, keywords, publisher, translators,
    rights and licence (WeasyPrint copies them into the PDF's metadata); an
    empty one is left out, not written empty (see metadata.html_tags)."""
    return metadata.html_tags(m, medium)


def page(a: Assembled, medium: str = "screen", paper: str = "A5", *, head: str = "", editions: str = "",
         cover: str = "", links: str = "footnote", emphasis: str = "bold") -> str:
    """The page of an edition; ``head`` and ``editions`` are its links to the
    other editions (render.siblings), ``cover`` the print page's first page
    (render.cover); ``links`` and ``emphasis`` say how print shows a link's
    address and Persian emphasis (pdf.link_addresses, pdf.persian_emphasis)."""
    template = string.Template((TEMPLATES / "page.html").read_text(encoding="utf-8"))
    m = a.meta
    return template.substitute(
        lang=_e(m["lang"]), dir=m["dir"],
        title_text=_e(m["edition-title"]), title_attrs=_lang_attrs(m.get("edition-title-lang")),
        meta_tags=meta_tags(m, medium), version=__version__, date=_e(m["date"]),
        css=css(a, medium, paper, emphasis), edition_class=f"edition-{_e(a.edition.name)}" + (" bilingual" if a.edition.bilingual else ""),
        titlepage=titlepage(a), toc=toc(a),
        body=_notes(body_html(a, f"{a.document.name} ({a.edition.name})"), a, medium, links),
        colophon=colophon(a),
        script=_SCRIPT if (a.edition.bilingual and medium == "screen") else "",
        sibling_links=head, editions_nav=editions + "\n" if editions else "", cover=cover + "\n" if cover else "",
    )


def render(a: Assembled, project) -> bytes:
    """The web page of an edition (the ``html`` entry of ``render.FORMATS``)."""
    from . import siblings
    return page(a, "screen", project.paper, **siblings.page_parts(a, project)).encode("utf-8")

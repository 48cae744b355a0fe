"""The cover of an edition: the picture ``cover:`` names in publish.yml, else
one set here from the title, subtitle, author and publisher.

One cover serves three places: the EPUB's cover image, the web page's
social-card picture (``build/<edition>/<doc>.cover.png``, beside the page)
and, with ``pdf.cover: true``, the PDF's first page.

Why a PNG drawn with Pillow: the EPUB cover and a social card must be a
raster picture (readers and link previews do not draw an SVG, and an SVG's
text would need the reader to have Noto); WeasyPrint 70 writes only PDF, and
turning a PDF into pixels needs poppler or pdfium, which are not ours to
require at run time.  Pillow is already here (WeasyPrint depends on it), and
its wheels carry libraqm with HarfBuzz: Persian is shaped and ordered as
Pango would.  Pillow has no font fallback, and Noto Naskh Arabic has no
Latin letters, not even parentheses: each text is set in a font made for
it, the language's font with the missing characters subset from the other
(``_font_source``).

The layout is computed once, in the pixels of the 1600 × 2400 picture
(``layout``), and drawn twice: into the PNG, and as positioned lines in the
print page (``print_page``), where WeasyPrint sets the same lines as text —
selectable, searchable, and sharp at any size.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Document, Project, text_for
from ..errors import PublishError

WIDTH, HEIGHT = 1600, 2400          # 2:3, what e-book shops ask for (at least 1400 px wide)
MARGIN = 190                        # text never comes nearer the edge
TEXT_WIDTH = WIDTH - 2 * MARGIN
FRAME = 70                          # the rule drawn around the cover, from the edge

# (background, text, accent); one per document, chosen by its name, so the
# editions of a document look alike and two documents of a press differ
PALETTES = (
    ("#1d3b53", "#f4efe6", "#c9a45c"),   # ink blue, cream, gold
    ("#5e2129", "#f6efe4", "#deb675"),   # burgundy
    ("#23413a", "#f2efe6", "#c8b27a"),   # forest
    ("#2d2d38", "#f1ece2", "#d29a5b"),   # charcoal, copper
    ("#efe8da", "#1f2a36", "#9b3d2f"),   # paper, ink, red
)

MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


# --- which cover ---------------------------------------------------------------------

def configured(project: Project, doc: Document, lang: str) -> Path | None:
    """The picture publish.yml gives for this document in this language: the
    document's own, else the project's; None when neither has one for the
    language (a cover shows its title: one in another language is no
    fallback), and then a cover is set here."""
    for covers in (doc.cover, project.cover):
        rel = covers.get(lang) or covers.get("*")
        if rel:
            return project.root / rel
    return None


def kind(data: bytes) -> str | None:
    """``png`` or ``jpg`` by the file's first bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None


def suffix(project: Project, doc: Document, lang: str) -> str:
    """``jpg`` for a configured JPEG (by its bytes: a name says nothing), else ``png``."""
    path = configured(project, doc, lang)
    if path is None:
        return "png"
    try:
        with open(path, "rb") as fh:
            return kind(fh.read(8)) or "png"
    except OSError:   # gone since publish.yml was read: the build says so when it reads it
        return "png"


def filename(project: Project, doc: Document, lang: str) -> str:
    """The cover's file beside the edition's page: ``report.cover.png``."""
    return f"{doc.name}.cover.{suffix(project, doc, lang)}"


@dataclass(frozen=True)
class Cover:
    data: bytes
    suffix: str               # png | jpg
    generated: bool

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.suffix]


def image(a, project: Project) -> Cover:
    """The cover of an assembled edition ``a``."""
    path = configured(project, a.document, a.edition.lang)
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PublishError(f"cover: cannot be read ({exc.strerror or exc})",
                               path=path.relative_to(project.root).as_posix()) from None
        found = kind(data)
        if found is None:   # config.py checked it; it was replaced since
            raise PublishError("cover: not a PNG or JPEG picture", path=path.relative_to(project.root).as_posix())
        return Cover(data, found, False)
    return Cover(_drawn(tuple(texts(a, project)), palette(a.document.name)), "png", True)


@functools.lru_cache(maxsize=8)
def _drawn(items: tuple, colours: tuple[str, str, str]) -> bytes:
    # the EPUB and the page's picture of one edition are rendered in one job: drawn once
    return png(layout(list(items)), colours)


def palette(name: str) -> tuple[str, str, str]:
    return PALETTES[hashlib.sha256(name.encode("utf-8")).digest()[0] % len(PALETTES)]


# --- what the cover says ---------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    role: str                 # title | subtitle | author | publisher
    text: str
    lang: str
    group: int = 0            # the parallel edition: 0 the original's, 1 the translation's


def texts(a, project: Project) -> list[Text]:
    """Title, subtitle, author and publisher in the edition's language (a
    text that fell back to the source's is in the source's language, as
    ``<key>-lang`` says); the parallel edition has the original's title above
    the translation's, and its author and publisher in both languages when
    they differ."""
    m, ed = a.meta, a.edition
    lang, src = ed.lang, ed.languages[0]

    def own(key: str) -> tuple[str, str]:
        return m.get(key, ""), m.get(f"{key}-lang") or lang

    out: list[Text] = []
    if not ed.bilingual:
        for role, key in (("title", "title"), ("subtitle", "subtitle"), ("author", "author"),
                          ("publisher", "publisher")):
            out.append(Text(role, *own(key)))
        return [t for t in out if t.text.strip()]
    source = {"title": m.get("title-source", ""), "subtitle": m.get("subtitle-source", ""),
              "author": m.get("author-source", ""),
              "publisher": m.get("publisher-source") or text_for(project.organisation, src, src)}
    for role in ("title", "subtitle"):
        out.append(Text(role, source[role], src, 0))
    for role in ("title", "subtitle"):
        text, in_lang = own(role)
        if text != source[role]:          # not translated: said once, above
            out.append(Text(role, text, in_lang, 1))
    for role in ("author", "publisher"):
        text, in_lang = own(role)
        if source[role] and source[role] != text:
            out.append(Text(role, source[role], src, 0))
        out.append(Text(role, text, in_lang, 1))
    return [t for t in out if t.text.strip()]


# --- layout --------------------------------------------------------------------------

# per role: (largest size, smallest size, most height, bold, leading) in pixels
# of the picture; a parallel cover gives each title about half the room
_ROLES = {
    "title": (150, 56, 860, True, 1.22),
    "subtitle": (66, 40, 330, False, 1.3),
    "author": (60, 36, 200, False, 1.3),
    "publisher": (46, 32, 130, False, 1.3),
}
_PARALLEL = {"title": (120, 48, 470, True, 1.22), "subtitle": (54, 34, 150, False, 1.3)}
_TITLES = (250, 1460)       # the band the titles are centred in
_RULE_Y = 1560              # a short rule in the accent colour below them
_PEOPLE = (1640, 2230)      # authors from the top of this band, publishers at its foot


@dataclass
class Line:
    text: str
    baseline: float           # px from the top of the picture
    size: float               # px
    lang: str
    direction: str
    bold: bool
    role: str
    source: str               # the whole text the line is part of: its font is made for all of it

    @property
    def setter(self) -> "_Setter":
        return _setter_for(self.source, self.lang, self.bold)


def direction_of(text: str, lang: str) -> str:
    """The direction the text itself starts in (an untranslated title in
    the English edition is still Persian), else the language's."""
    for ch in text:
        kind_ = unicodedata.bidirectional(ch)
        if kind_ in ("R", "AL"):
            return "rtl"
        if kind_ == "L":
            return "ltr"
    from ..assemble import direction
    return direction(lang)


def _fonts_for(text: str, lang: str) -> tuple[str, ...]:
    """The families a text is set in: its language's first, then the
    others publish sets text in, for what the first lacks."""
    from .fonts import DEFAULT, FONTS, family
    first = family(lang)[0]
    if direction_of(text, lang) == "rtl" and first == DEFAULT[0]:
        first = family("fa")[0]   # Persian in a Latin edition (a title not yet translated)
    return tuple(dict.fromkeys([first, *(f for f, _ in FONTS.values()), DEFAULT[0]]))


@functools.lru_cache(maxsize=64)
def _setter_for(text: str, lang: str, bold: bool) -> "_Setter":
    """The setter of a whole text (title, subtitle …), shared by its lines."""
    return _Setter(text + "…", lang, bold)


class _Setter:
    """Measures a text in one size, with the font made for it."""

    def __init__(self, text: str, lang: str, bold: bool):
        self.lang, self.bold = lang, bold
        self.direction = direction_of(text, lang)
        self.source = _font_source(_fonts_for(text, lang), bold, "".join(sorted(set(text))))
        self._fonts: dict[int, object] = {}

    def font(self, size: float):
        size = round(size)
        if size not in self._fonts:
            from PIL import ImageFont
            source = self.source if isinstance(self.source, str) else io.BytesIO(self.source)
            self._fonts[size] = ImageFont.truetype(source, size=size)
        return self._fonts[size]

    def width(self, text: str, size: float) -> float:
        return self.font(size).getlength(text, direction=self.direction, language=self.lang)


def _wrap(words: list[str], setter: _Setter, size: float, width: float) -> list[str] | None:
    """Greedy lines of at most ``width``; None when a word alone is wider."""
    lines: list[str] = []
    for word in words:
        if lines and setter.width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        elif setter.width(word, size) <= width:
            lines.append(word)
        else:
            return None
    return lines


def _balanced(words: list[str], setter: _Setter, size: float, lines: list[str]) -> list[str]:
    """The same number of lines, as even as they can be: the narrowest
    measure that still needs no more lines (no lone word on the last line)."""
    lo, hi = TEXT_WIDTH * 0.45, float(TEXT_WIDTH)
    best = lines
    for _ in range(12):
        mid = (lo + hi) / 2
        trial = _wrap(words, setter, size, mid)
        if trial is not None and len(trial) <= len(lines):
            best, hi = trial, mid
        else:
            lo = mid
    return best


def fit(text: str, lang: str, largest: float, smallest: float, height: float, bold: bool,
        leading: float) -> tuple[float, list[str], _Setter]:
    """The largest size, from ``largest`` down to ``smallest``, at which the
    text fits ``height``, and its lines; at the smallest size what does not
    fit is cut with an ellipsis (a title of a hundred words)."""
    setter = _setter_for(text, lang, bold)
    words = text.split()
    size = largest
    while True:
        lines = _wrap(words, setter, size, TEXT_WIDTH)
        if lines is not None and len(lines) * size * leading <= height:
            return size, _balanced(words, setter, size, lines), setter
        if size <= smallest:
            break
        size = max(smallest, size * 0.94)
    room = max(1, int(height // (size * leading)))
    lines = _hard_wrap(words, setter, size)
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and setter.width(last + "…", size) > TEXT_WIDTH:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return size, lines, setter


def _hard_wrap(words: list[str], setter: _Setter, size: float) -> list[str]:
    """Lines of at most the measure, a word too long for it cut anywhere."""
    pieces = []
    for word in words:
        while setter.width(word, size) > TEXT_WIDTH and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and setter.width(word[:cut], size) > TEXT_WIDTH:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    return _wrap(pieces, setter, size, TEXT_WIDTH) or pieces


# Naskh's letters are small on their body: at the same size a Persian line
# looks a size smaller than a Latin one beside it
_OPTICAL = {"Noto Naskh Arabic": 1.15}


def _set(t: Text, spec) -> tuple[list[Line], float]:
    """A text's lines, with baselines from 0; and the height they take."""
    largest, smallest, height, bold, leading = spec
    scale = _OPTICAL.get(_fonts_for(t.text, t.lang)[0], 1.0)
    largest, smallest = largest * scale, smallest * scale
    size, lines, setter = fit(t.text, t.lang, largest, smallest, height, bold, leading)
    step = size * leading
    ascent, descent = setter.font(size).getmetrics()
    # the first baseline: the line's leading split evenly above and below the glyphs
    first = (step - (ascent + descent)) / 2 + ascent
    return [Line(text, first + i * step, size, t.lang, setter.direction, bold, t.role, t.text)
            for i, text in enumerate(lines)], len(lines) * step


def _stack(items: list[tuple[Text, tuple]], gaps: list[float]) -> tuple[list[Line], float]:
    out, y = [], 0.0
    for i, (t, spec) in enumerate(items):
        if i:
            y += gaps[i - 1]
        lines, h = _set(t, spec)
        out += [_moved(l, y) for l in lines]
        y += h
    return out, y


def _moved(line: Line, dy: float) -> Line:
    return Line(line.text, line.baseline + dy, line.size, line.lang, line.direction, line.bold, line.role,
                line.source)


@dataclass
class Layout:
    lines: list[Line] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1 (accent)


def layout(items: list[Text]) -> Layout:
    """Where every line goes on the 1600 × 2400 picture."""
    out = Layout()
    groups = sorted({t.group for t in items if t.role in ("title", "subtitle")})
    parallel = len(groups) > 1
    spec = {**_ROLES, **(_PARALLEL if parallel else {})}
    # the titles (and subtitles), centred in their band; in the parallel
    # edition the original's above the translation's, a short rule between
    blocks = []
    for g in groups:
        head = [(t, spec[t.role]) for t in items if t.group == g and t.role in ("title", "subtitle")]
        blocks.append(_stack(head, [44] * len(head)))
    between = 90
    total = sum(h for _, h in blocks) + between * (len(blocks) - 1)
    y = _TITLES[0] + max(0.0, (_TITLES[1] - _TITLES[0] - total) / 2)
    for i, (lines, h) in enumerate(blocks):
        if i:
            mid = y + between / 2
            out.rules.append((WIDTH / 2 - 50, mid - 2, WIDTH / 2 + 50, mid + 2))
            y += between
        out.lines += [_moved(l, y) for l in lines]
        y += h
    if any(t.role in ("author", "publisher") for t in items):   # the rule parts the title from the names
        out.rules.append((WIDTH / 2 - 110, _RULE_Y - 3, WIDTH / 2 + 110, _RULE_Y + 3))
    # authors from the top of their band, publishers ending at its foot
    authors, ah = _stack([(t, spec["author"]) for t in items if t.role == "author"], [12] * 4)
    out.lines += [_moved(l, _PEOPLE[0]) for l in authors]
    publishers, ph = _stack([(t, spec["publisher"]) for t in items if t.role == "publisher"], [8] * 4)
    out.lines += [_moved(l, max(_PEOPLE[1] - ph, _PEOPLE[0] + ah + 40)) for l in publishers]
    return out


# --- the picture ---------------------------------------------------------------------------

_STEPS = 16   # shades between the background and each colour: antialiasing needs no more


def png(lay: Layout, colours: tuple[str, str, str]) -> bytes:
    """The picture, as a PNG of 32 colours: the text and the accent are
    drawn as two coverage masks, then each pixel takes one of 16 shades
    between the background and its colour (a third of the bytes of a
    full-colour PNG, and no quantiser's guesswork)."""
    from PIL import Image, ImageChops, ImageDraw, features
    if not features.check("raqm"):
        raise PublishError("Pillow cannot shape Persian text here (libraqm and FriBiDi are missing): "
                           "apt-get install libfribidi0")
    background, ink, accent = colours
    text, trim = Image.new("L", (WIDTH, HEIGHT), 0), Image.new("L", (WIDTH, HEIGHT), 0)
    draw_text, draw_trim = ImageDraw.Draw(text), ImageDraw.Draw(trim)
    draw_trim.rectangle([FRAME, FRAME, WIDTH - FRAME, HEIGHT - FRAME], outline=255, width=4)
    for x0, y0, x1, y1 in lay.rules:
        draw_trim.rectangle([x0, y0, x1, y1], fill=255)
    for line in lay.lines:
        draw = draw_trim if line.role == "publisher" else draw_text
        draw.text((WIDTH / 2, line.baseline), line.text, font=line.setter.font(line.size), fill=255,
                  anchor="ms", direction=line.direction, language=line.lang)
    top = _STEPS - 1
    shades = ImageChops.lighter(text.point(lambda v: (v * top + 127) // 255),
                                trim.point(lambda v: _STEPS + (v * top + 127) // 255 if v else 0))
    img = shades.convert("P")
    img.putpalette(_ramp(background, ink) + _ramp(background, accent))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _ramp(start: str, end: str) -> list[int]:
    """_STEPS colours from ``start`` to ``end``, as flat RGB."""
    a = [int(start[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(end[i:i + 2], 16) for i in (1, 3, 5)]
    return [round(x + (y - x) * k / (_STEPS - 1)) for k in range(_STEPS) for x, y in zip(a, b)]


@functools.lru_cache(maxsize=64)
def _font_source(families: tuple[str, ...], bold: bool, chars: str) -> str | bytes:
    """The font a text is set in: the first family's file when it has every
    character (an English title), else one font made of the first family's
    glyphs for ``chars`` and, from the next families, those it lacks —
    without their layout tables, which take most of the time to subset."""
    from fontTools.ttLib import TTFont
    from .fonts import font_file
    style = "bold" if bold else ""
    paths = []
    for fam in families:
        try:
            paths.append(font_file(fam, style))
        except PublishError:
            continue
    if not paths:
        raise PublishError("no font to set the cover in: apt-get install fonts-noto-core")
    missing = set(chars) - set(" \n")
    pieces = []
    for i, path in enumerate(paths):
        have = {chr(c) for c in TTFont(path, lazy=True).getBestCmap()}
        take = missing & have
        if i == 0 and take == missing:
            return str(path)
        if take or i == 0:
            pieces.append(_subset(path, chars if i == 0 else "".join(sorted(take)), layout=i == 0))
        missing -= have
        if not missing:
            break
    return _merge(tuple(pieces)) if len(pieces) > 1 else pieces[0]


def _subset(path: Path, chars: str, layout: bool) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    font = TTFont(path, lazy=True)
    if not layout:
        for tag in ("GPOS", "GSUB", "GDEF"):
            if tag in font:
                del font[tag]
    opts = subset.Options()
    opts.layout_features = ["*"] if layout else []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = True
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _merge(pieces: tuple[bytes, ...]) -> bytes:
    import tempfile
    from fontTools.merge import Merger
    with tempfile.TemporaryDirectory(prefix="publish-cover-") as tmp:
        paths = []
        for i, data in enumerate(pieces):
            p = Path(tmp) / f"{i}.ttf"
            p.write_bytes(data)
            paths.append(str(p))
        try:
            merged = Merger().merge(paths)
        except Exception:  # noqa: BLE001 - fontTools refuses some pairs: the language's font alone
            return pieces[0]
        buf = io.BytesIO()
        merged.save(buf)
        return buf.getvalue()


# --- the PDF's first page --------------------------------------------------------------------

PAGES_MM = {"A5": (148.0, 210.0), "A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


def print_page(a, project: Project) -> str:
    """The cover as the print page's first page: the configured picture
    filling it, or the generated cover's lines set as text on its colours,
    where the picture has them (a 2:3 box as tall as the page, centred)."""
    page_w, page_h = PAGES_MM.get(project.paper, PAGES_MM["A5"])
    size = f"width: {page_w}mm; height: {page_h}mm;"
    if configured(project, a.document, a.edition.lang) is not None:
        c = image(a, project)
        src = f"data:{c.media_type};base64,{base64.b64encode(c.data).decode('ascii')}"
        return (f'<section class="cover cover-picture" style="{size}"><img src="{src}" '
                f'alt="{html.escape(a.meta.get("title", ""))}"></section>')
    lay = layout(texts(a, project))
    background, ink, accent = palette(a.document.name)
    u = page_h / HEIGHT                       # millimetres per picture pixel
    left = (page_w - WIDTH * u) / 2

    def box(x, y, w, h):
        return f"left: {left + x * u:.2f}mm; top: {y * u:.2f}mm; width: {w * u:.2f}mm; height: {h * u:.2f}mm;"

    parts = [f'<section class="cover cover-generated" style="{size} background: {background}; color: {ink}">',
             f'<div class="cover-frame" style="{box(FRAME, FRAME, WIDTH - 2 * FRAME, HEIGHT - 2 * FRAME)} '
             f'border-color: {accent}; border-width: {4 * u:.2f}mm"></div>']
    for x0, y0, x1, y1 in lay.rules:
        parts.append(f'<div class="cover-rule" style="{box(x0, y0, x1 - x0, y1 - y0)} background: {accent}"></div>')
    for line in lay.lines:
        ascent, descent = line.setter.font(line.size).getmetrics()
        # a line box exactly one size high puts the baseline here (the leading split evenly)
        top = line.baseline - ((line.size - (ascent + descent)) / 2 + ascent)
        families = ", ".join(f"'{f}'" for f in _fonts_for(line.text, line.lang))
        parts.append(f'<div class="cover-line" lang="{html.escape(line.lang)}" dir="{line.direction}" '
                     f'style="{box(0, top, WIDTH, line.size)} font-size: {line.size * u:.3f}mm; '
                     f"font-family: {families}; "
                     f'font-weight: {"bold" if line.bold else "normal"}; '
                     f'color: {accent if line.role == "publisher" else ink}">{html.escape(line.text)}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def render(a, project: Project) -> bytes:
    """The page's social-card picture (the ``cover`` entry of ``render.FORMATS``)."""
    return image(a, project).data

"""The HTML editions in a real browser (Debian's Chromium through Playwright).

One session-scoped build of a temporary copy of the real project, and one of
a second copy with a few translations removed (to see the untranslated
marking). Each test opens the self-contained pages with file:// URLs and
checks what a reader gets: writing direction and the Persian typeface, the
parallel text side by side (Persian on the right) or stacked on a phone, the
sentence highlighting by mouse and keyboard, and no sideways scrolling.

Skipped only when /usr/bin/chromium is missing.
"""
from __future__ import annotations

from pathlib import Path

import polib
import pytest

from projects import copy_project, publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

EDITIONS = ("fa", "en", "fa-en")
WIDE, NARROW = 1280, 360
PAIRS_CHECKED = 8  # the first several pairs of the parallel text
UNTRANSLATED = (3, 5)  # 1-based numbers of the translatable units left untranslated in the second copy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


# --- builds ----------------------------------------------------------------------

def _build_html(root: Path) -> dict[str, Path]:
    proc = publish(["build", "--format", "html"], root)
    assert proc.returncode == 0, f"publish build --format html exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    pages = {ed: root / "build" / ed / "report.html" for ed in EDITIONS}
    for ed, path in pages.items():
        assert path.is_file(), f"no {ed} edition at {path}:\n{proc.stdout}\n{proc.stderr}"
    return pages


@pytest.fixture(scope="session")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The three HTML editions of a temporary copy of the real project."""
    return _build_html(copy_project(tmp_path_factory.mktemp("e2e") / "project"))


@pytest.fixture(scope="session")
def partial_pages(tmp_path_factory) -> dict[str, Path]:
    """The HTML editions of a copy with a few translations removed."""
    root = copy_project(tmp_path_factory.mktemp("e2e-partial") / "project")
    po_path = root / "translations" / "en" / "report.po"
    po = polib.pofile(str(po_path))
    active = [e for e in po if not e.obsolete and e.msgid and not e.msgctxt]   # the text's units
    for n in UNTRANSLATED:
        active[n - 1].msgstr = ""
    po.save(str(po_path))
    return _build_html(root)


# --- the browser -------------------------------------------------------------------

# the browser fixture is in conftest.py: one Playwright per process, shared
# with test_serve.py


@pytest.fixture
def open_page(browser):
    """``open_page(path, width)`` → a Playwright page showing the file at that
    viewport width, fonts loaded."""
    contexts = []

    def open_(path: Path, width: int = WIDE, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    yield open_
    for ctx in contexts:
        ctx.close()


def _directions(page, selector: str) -> set[str]:
    return set(page.eval_on_selector_all(selector, "els => els.map(e => getComputedStyle(e).direction)"))


def _rendered_fonts(page, selector: str) -> dict[str, int]:
    """Family name → glyph count of the fonts Chromium actually drew the
    element's own text with (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"]: f["glyphCount"] for f in fonts}


def _pair_boxes(page, n: int) -> list[dict]:
    """Bounding boxes of the first n pairs' sides and of each side's first
    block, in one round trip."""
    return page.evaluate("""n => Array.from(document.querySelectorAll('main .pair')).slice(0, n).map(pair => {
        const box = el => { const r = el.getBoundingClientRect();
                            return {x: r.x, y: r.y, width: r.width, height: r.height}; };
        const src = pair.querySelector(':scope > .side.source'), tgt = pair.querySelector(':scope > .side.target');
        return {source: box(src), target: box(tgt),
                source_first: box(src.firstElementChild), target_first: box(tgt.firstElementChild)};
    })""", n)


# --- direction and type ------------------------------------------------------------------

def test_persian_edition_is_rtl(pages, open_page):
    page = open_page(pages["fa"])
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert _directions(page, "main p") == {"rtl"}
    assert _directions(page, ".titlepage p, .colophon p:not(.identifier)") == {"rtl"}
    fonts = _rendered_fonts(page, "main p")
    assert max(fonts, key=fonts.get) == "Noto Naskh Arabic", f"Persian drawn with {fonts}"


def test_english_edition_is_ltr(pages, open_page):
    page = open_page(pages["en"])
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    assert _directions(page, "main p") == {"ltr"}
    fonts = _rendered_fonts(page, "main p")
    assert "Noto Naskh Arabic" not in fonts, f"English drawn with {fonts}"


def test_parallel_sides_have_their_directions(pages, open_page):
    page = open_page(pages["fa-en"])
    assert page.locator(".pair").count() >= PAIRS_CHECKED
    assert _directions(page, ".pair > .side.source[lang=fa] p, .pair > .side.source[lang=fa] h1") == {"rtl"}
    assert _directions(page, ".pair > .side.target[lang=en] p, .pair > .side.target[lang=en] h1") == {"ltr"}
    assert _directions(page, ".titlepage [lang=fa]") == {"rtl"}
    assert _directions(page, ".titlepage [lang=en]") == {"ltr"}
    fonts = _rendered_fonts(page, ".side.source .u")
    assert max(fonts, key=fonts.get) == "Noto Naskh Arabic", f"Persian side drawn with {fonts}"
    fonts = _rendered_fonts(page, ".side.target .u")
    assert "Noto Naskh Arabic" not in fonts, f"English side drawn with {fonts}"


# --- the parallel text's layout ---------------------------------------------------------

def test_wide_screen_puts_persian_on_the_right(pages, open_page):
    page = open_page(pages["fa-en"], WIDE)
    boxes = _pair_boxes(page, PAIRS_CHECKED)
    assert len(boxes) == PAIRS_CHECKED
    for i, b in enumerate(boxes, 1):
        src, tgt = b["source"], b["target"]
        assert src["x"] >= tgt["x"] + tgt["width"], f"pair {i}: Persian side not right of the English one: {src} {tgt}"
        assert src["width"] > 300 and tgt["width"] > 300, f"pair {i}: a column is too narrow: {src} {tgt}"
        assert abs(src["y"] - tgt["y"]) <= 2, f"pair {i}: sides not aligned at the top: {src['y']} vs {tgt['y']}"
        # the first blocks of text, not only the boxes, start together
        s1, t1 = b["source_first"], b["target_first"]
        assert abs(s1["y"] - t1["y"]) <= 2, f"pair {i}: first blocks at {s1['y']} vs {t1['y']}"


def test_narrow_screen_stacks_the_pairs(pages, open_page):
    page = open_page(pages["fa-en"], NARROW)
    boxes = _pair_boxes(page, PAIRS_CHECKED)
    assert len(boxes) == PAIRS_CHECKED
    for i, b in enumerate(boxes, 1):
        src, tgt = b["source"], b["target"]
        assert src["y"] + src["height"] <= tgt["y"] + 1, f"pair {i}: the original is not above the translation: {src} {tgt}"
        assert src["width"] > NARROW * 0.75, f"pair {i}: the original does not use the width: {src}"
        assert tgt["width"] > NARROW * 0.65, f"pair {i}: the translation does not use the width: {tgt}"


@pytest.mark.parametrize("width", [NARROW, WIDE])
@pytest.mark.parametrize("edition", EDITIONS)
def test_no_horizontal_overflow(pages, open_page, edition, width):
    page = open_page(pages[edition], width)
    sw, cw = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sw <= cw, f"{edition} at {width}px scrolls sideways: scrollWidth {sw} > clientWidth {cw}"


# --- highlighting -----------------------------------------------------------------------

def _highlighted(page) -> dict[str, list[str]]:
    """data-u → sides ('source'/'target') of the spans that carry class hl."""
    return page.evaluate("""() => {
        const out = {};
        document.querySelectorAll('.u.hl').forEach(el => {
            const side = el.closest('.side').classList.contains('source') ? 'source' : 'target';
            (out[el.dataset.u] = out[el.dataset.u] || []).push(side);
        });
        for (const k in out) out[k].sort();
        return out;
    }""")


def _active(page) -> tuple[str | None, str | None]:
    return tuple(page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || !el.matches('.u[data-u]')) return [null, null];
        return [el.dataset.u, el.closest('.side').classList.contains('source') ? 'source' : 'target'];
    }"""))


def test_hover_highlights_the_counterpart(pages, open_page):
    page = open_page(pages["fa-en"], WIDE)
    assert _highlighted(page) == {}
    for side in ("target", "source"):
        page.hover(f'.side.{side} .u[data-u="3"]')
        assert _highlighted(page) == {"3": ["source", "target"]}, f"hovering the {side} of sentence 3"
        bg = page.eval_on_selector('.side.source .u[data-u="3"]', "e => getComputedStyle(e).backgroundColor")
        assert bg not in ("transparent", "rgba(0, 0, 0, 0)"), "the highlight has no visible background"
        page.hover(f'.side.{side} .u[data-u="4"]')
        assert _highlighted(page) == {"4": ["source", "target"]}, f"moving on to the {side} of sentence 4"
        page.mouse.move(2, 2)  # the page margin
        assert _highlighted(page) == {}


def test_keyboard_focus_highlights_and_enter_jumps(pages, open_page):
    page = open_page(pages["fa-en"], WIDE)
    for _ in range(20):  # Tab until a sentence has focus
        page.keyboard.press("Tab")
        u, side = _active(page)
        if u:
            break
    assert u is not None, "Tab never reaches a sentence"
    assert _highlighted(page) == {u: ["source", "target"]}
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus is invisible"

    page.keyboard.press("Enter")
    other = "target" if side == "source" else "source"
    assert _active(page) == (u, other), "Enter does not move to the counterpart"
    assert _highlighted(page) == {u: ["source", "target"]}
    page.keyboard.press("Enter")
    assert _active(page) == (u, side), "Enter does not move back"

    page.keyboard.press("Tab")  # on to the next sentence in document order
    nxt = _active(page)
    assert nxt[0] is not None and nxt != (u, side), "Tab does not leave the sentence"
    assert _highlighted(page) == {nxt[0]: ["source", "target"]}

    # focus() from script (e.g. a link to a sentence) behaves the same
    page.focus('.side.target .u[data-u="7"]')
    assert _highlighted(page) == {"7": ["source", "target"]}
    page.keyboard.press("Enter")
    assert _active(page) == ("7", "source")
    page.evaluate("document.activeElement.blur()")
    assert _highlighted(page) == {}


# --- untranslated passages ----------------------------------------------------------------

@pytest.mark.parametrize("edition", ["en", "fa-en"])
def test_untranslated_passages_are_marked(partial_pages, open_page, edition):
    page = open_page(partial_pages[edition], WIDE)
    marked = page.locator(".u.untranslated")
    assert marked.count() == len(UNTRANSLATED)
    for i in range(marked.count()):
        el = marked.nth(i)
        assert el.get_attribute("lang") == "fa"
        style = el.evaluate("e => { const s = getComputedStyle(e); return [s.direction, s.backgroundColor]; }")
        assert style[0] == "rtl", "the Persian standing in for a translation is not set right to left"
        assert style[1] not in ("transparent", "rgba(0, 0, 0, 0)"), "untranslated text is not marked"
    fonts = _rendered_fonts(page, ".u.untranslated")
    assert max(fonts, key=fonts.get) == "Noto Naskh Arabic", f"untranslated Persian drawn with {fonts}"
    assert "not yet translated" in page.locator(".colophon").inner_text(), "the colophon does not say so"

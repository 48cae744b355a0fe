"""``publish serve`` with a real browser: a translator saves a PO file and the
open page shows the new translation without a manual reload; a half-saved
file shows its error on the page and the server lives on; a click on a
sentence tells where it is in the catalog.  And the server gives out
nothing but build/.

One server (the real console script, a subprocess, on a free port) for the
module; headless Chromium through Playwright, as in test_browser.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import polib
import pytest

from projects import PUBLISH, copy_project, publish_env

from .test_browser import CHROMIUM

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]

WAIT_MS = 10_000  # generous on a busy machine; a rebuild takes well under a second


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("serve") / "project")
    proc = subprocess.Popen([str(PUBLISH), "serve", "--port", "0"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=publish_env())
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert m, f"no URL from publish serve: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        yield root, m.group()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.goto(server[1] + "fa-en/report.html", wait_until="load")
    yield pg
    ctx.close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _entry(root: Path, n: int = 1) -> tuple[Path, polib.POFile, polib.POEntry]:
    path = root / "translations" / "en" / "report.po"
    po = polib.pofile(str(path), wrapwidth=0)
    return path, po, [e for e in po if e.msgid and not e.obsolete and not e.msgctxt][n]   # the text's units


def _unit_number(base: str, msgid: str) -> str:
    _, body = _get(base + "_publish/units/fa-en/report.json")
    units = json.loads(body)["units"]
    return next(k for k, v in units.items() if v["msgid"] == msgid)


def test_saved_translation_appears_without_reload(server, page):
    root, base = server
    assert page.url == base + "fa-en/report.html"
    path, po, entry = _entry(root, 3)
    n = _unit_number(base, entry.msgid)
    target = page.locator(f'.side.target .u[data-u="{n}"]')
    assert target.count() == 1
    page.evaluate("window.scrollTo(0, 600)")
    new = "A sentence the translator has just saved."
    entry.msgstr = new
    po.save(str(path))
    page.wait_for_function(
        "([n, text]) => { const el = document.querySelector('.side.target .u[data-u=\"' + n + '\"]');"
        " return el && el.textContent.includes(text); }", arg=[n, new], timeout=WAIT_MS)
    assert page.evaluate("window.scrollY") == 600      # the reader stays where they were


def test_broken_catalog_shows_error_and_server_survives(server, page):
    root, base = server
    path = root / "translations" / "en" / "report.po"
    good = path.read_text(encoding="utf-8")
    broken = good.replace('msgstr "', 'msgstr "\\q', 1)
    line = broken[: broken.index('\\q')].count("\n") + 1
    path.write_text(broken, encoding="utf-8")
    try:
        bar = page.locator("#publish-bar")
        bar.wait_for(timeout=WAIT_MS)
        assert bar.inner_text() == f"publish: translations/en/report.po:{line}: invalid escape sequence \\q"
    finally:
        path.write_text(good, encoding="utf-8")
    bar.wait_for(state="detached", timeout=WAIT_MS)
    assert _get(base)[0] == 200


def test_untranslated_units_stand_out_and_click_shows_location(server, page):
    root, base = server
    path, po, entry = _entry(root, 5)
    n = _unit_number(base, entry.msgid)
    entry.msgstr = ""
    po.save(str(path))
    unit = page.locator(f'.side.target .u.untranslated[data-u="{n}"]')
    unit.wait_for(timeout=WAIT_MS)
    assert unit.evaluate("el => getComputedStyle(el).outlineStyle") == "dashed"
    unit.click()
    panel = page.locator("#publish-unit")
    panel.wait_for(timeout=WAIT_MS)
    line = polib.pofile(str(path), wrapwidth=0).find(entry.msgid).linenum
    text = panel.inner_text()
    assert f"translations/en/report.po:{line}" in text
    assert entry.msgid in text and "untranslated" in text


def test_the_preview_is_a_workplace(server, browser):
    """Issue 17: from the index at /, switch edition with the preview's bar,
    click a sentence, see its translation and its glossary terms; save a
    change to the catalog, see the page follow, and the click box show
    what ``check`` finds in the new translation."""
    root, base = server
    path = root / "translations" / "en" / "report.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgid and not e.obsolete and not e.msgctxt and e.msgstr
                 and "fuzzy" not in e.flags and "glossary:" in (e.comment or "") and "[^" not in e.msgid)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    try:
        pg.goto(base, wait_until="load")
        assert pg.locator("main a[href='fa-en/report.html']").count() >= 1      # every file, listed
        assert _get(base + "index.html")[0] == 200
        bar = pg.locator("#publish-toolbar")
        assert "untranslated" in bar.inner_text() and "fuzzy" in bar.inner_text()   # the legend
        with pg.expect_navigation():
            bar.locator("select[data-go=edition]").select_option("fa-en")
        assert pg.url == base + "fa-en/report.html"
        with pg.expect_navigation():
            pg.locator("#publish-toolbar select[data-go=edition]").select_option("en")
        assert pg.url == base + "en/report.html", pg.url
        n = _unit_number(base, entry.msgid)
        unit = pg.locator(f'.u[data-u="{n}"]').first
        unit.click()
        panel = pg.locator("#publish-unit")
        panel.wait_for(timeout=WAIT_MS)
        text = panel.inner_text()
        assert entry.msgstr in text and "glossary" in text     # the translation as it stands, its terms
        assert "[html]" not in text
        # a saved change reaches the open page; the box then shows what check finds in it
        saved = "Saved from the editor, <b>now</b>."          # raw HTML is printed, not applied
        po.find(entry.msgid).msgstr = saved
        po.save(str(path))
        pg.wait_for_function("([n, t]) => { const el = document.querySelector('.u[data-u=\"' + n + '\"]');"
                             " return el && el.textContent.includes(t); }", arg=[n, "Saved from the editor"],
                             timeout=3 * WAIT_MS)
        pg.locator(f'.u[data-u="{n}"]').first.click()
        panel.wait_for(timeout=WAIT_MS)
        pg.wait_for_function("() => document.getElementById('publish-unit').innerText.includes('[html]')",
                             timeout=WAIT_MS)
        assert saved in panel.inner_text() and "error" in panel.inner_text()
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["../publish.yml", "%2e%2e/publish.yml", "fa/../../publish.yml",
                                  "fa/%2e%2e/%2e%2e/publish.yml", "..%2fpublish.yml", ".publish.lock",
                                  "%2fetc%2fpasswd", "fa/report.html%00.txt"])
def test_nothing_outside_build_is_served(server, path):
    _, base = server
    # raw request line: urllib would normalise the dots away
    import http.client
    host, port = re.match(r"http://([^:]+):(\d+)/", base).groups()
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", "/" + path)
    assert conn.getresponse().status == 404
    conn.close()
    assert _get(base + "fa/report.html")[0] == 200


def test_status_page_and_pages_not_built(server):
    _, base = server
    status, body = _get(base + "status.html")
    assert status == 200 and b'class="map"' in body
    import http.client
    host, port = re.match(r"http://([^:]+):(\d+)/", base).groups()
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", "/fa/not-built.html")
    resp = conn.getresponse()
    page = resp.read().decode("utf-8")
    assert resp.status == 404 and "not built yet" in page and "/_publish/events" in page   # reloads once built
    conn.close()

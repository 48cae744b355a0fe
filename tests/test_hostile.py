"""Hostile translations: a msgstr is inline Markdown text and nothing more.

One small project whose catalog is full of attacks (script, event handlers,
iframes, styles, objects, dangerous link schemes, images of local files and
remote URLs, CSS through attributes, entities that decode to markup, bidi
overrides …) is built once, in every format, for the translated and the
bilingual edition.  Then:

* the HTML page and every XHTML file of the EPUB are parsed (html.parser):
  no active element, no ``on*`` attribute, no link or source outside
  ``http``/``https``/``mailto``/in-document, no CSS ``url()``/``@import``
  in an attribute, no bidi override in the text;
* a canary file (referenced as ``file://`` and as relative paths) and a
  canary HTTP server on 127.0.0.1 must never be touched: zero requests, and
  no output (HTML, EPUB entries, PDF text and bytes) holds the canary's text;
* ``publish check`` flags the bidi controls, naming the catalog line.

The allowed links (https, mailto, #fragment) must survive: the sanitiser
keeps text, not just deletes everything.
"""
from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import threading
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest

from projects import publish

CANARY_TOKEN = "CANARY-5d1f0a7e-never-read-me"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

CONFIG = """\
title:
  fa: آزمون
  en: Hostile test
source_language: fa
target_languages: [en]
documents:
  - name: doc
    source: source/fa/doc.md
date: "2026-01-01"
"""

# "{url}" is the canary server, "{file}" the canary file's absolute path.
HOSTILE = [
    '<script>alert("h01")</script> text h01',
    "<img src=x onerror=\"alert('h02')\"> text h02",
    '<iframe src="{url}/iframe"></iframe> text h03',
    "text h04 <style>@import url({url}/style.css); body {{ background: url(file://{file}) }}</style>",
    'text h05 <object data="{url}/object"></object><embed src="file://{file}">',
    "[j](javascript:alert(6)) [v](vbscript:msgbox(6)) [d](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==) h06",
    "![x](file://{file}) ![y]({url}/image.png) ![z](../../canary.txt) ![w](canary.txt) h07",
    '[styled]{{style="background-image: url({url}/span.png)" onclick="alert(8)"}} h08',
    "&lt;script&gt;alert(9)&lt;/script&gt; &#60;img src=x onerror=alert(9)&#62; h09",
    "Trojan \u202eevil\u202c \u2066isolate\u2069 \u202a\u202b\u202dten\u202c h10",
    "[t](jav&#x09;ascript:alert(11)) [e](&#106;avascript:alert(11)) [s](<java script:alert(11)>) h11",
    "<javascript:alert(12)> <vbscript:msgbox(12)> <data:text/html,x> h12",
    "[ref][r] and [r]: javascript:alert(13) h13",
    "[r]: javascript:alert(14) h14",
    "[a](https://example.org/14){{onclick=alert(15)}} `<b>raw</b>`{{=html}} h15",
    "text h16 <svg onload=alert(16)><circle r=1 /></svg>",
    "text h17 <!-- a comment --> and <!-- never closed",
    "$\\href{{javascript:alert(18)}}{{x}}$ $<script>$ h18",
    '<a href="javascript:alert(19)">x</a> <form action="{url}/form"><button formaction="javascript:x">b</button></form> h19',
    '<meta http-equiv="refresh" content="0;url={url}/meta"> <link rel=stylesheet href="{url}/link.css"> <base href="{url}/"> h20',
    '[q](https://example.org/21 "t\\" onmouseover=\\"alert(21)") [f](file://{file}) [rel](canary.txt) h21',
    "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+) [x]{{.pair #fake-id lang=xx}} h22",
    "&#x202E;entity override&#x202C; &#8294;isolate&#8297; h23",
    "<video src={url}/video.mp4 poster={url}/poster.png></video><audio src={url}/a.mp3></audio> h24",
    # what must survive: the three allowed schemes and an in-document target
    "[web](https://example.org/ok) [mail](mailto:press@example.org) [back](#top) *kept* h25",
]
KEPT_HREFS = {"https://example.org/ok", "mailto:press@example.org"}

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "svg", "img",
                  "image", "form", "button", "input", "base", "meta", "link", "video", "audio", "source", "track",
                  "template", "noscript", "textarea", "select", "picture"}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset", "background",
             "cite", "longdesc", "usemap", "manifest", "ping"}
SAFE_SCHEMES = {"http", "https", "mailto"}


def _source(n: int) -> str:
    """A heading, a list item, a table cell and a footnote among the
    paragraphs, so hostile text reaches every kind of place; one unit each."""
    sentences = [f"جمله آزمون شماره {i} اینجاست." for i in range(n)]
    return (f"# {sentences[0]}\n\n"
            + "".join(f"{s}\n\n" for s in sentences[1:n - 5])
            + f"- {sentences[n - 5]}\n\n"
            + f"| {sentences[n - 4]} |\n| --- |\n| {sentences[n - 3]} |\n\n"
            + f"{sentences[n - 2]}[^1]\n\n[^1]: {sentences[n - 1]}\n")


class Canary(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def _record(self):
        self.requests.append(f"{self.command} {self.path}")
        body = CANARY_TOKEN.encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def canary_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", Canary.requests
    server.shutdown()


# No proxy may stand between a fetch and the canary: a fetch must reach it.
NO_PROXY = {"no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}


def test_the_canary_server_sees_a_fetch(canary_server, tmp_path):
    """The detector itself works here: pandoc writing an EPUB with a remote
    image in a *source* it trusts does reach the server."""
    import pypandoc
    url, requests = canary_server
    before = len(requests)
    src = tmp_path / "in.md"
    src.write_text(f"![x]({url}/control.png)\n", encoding="utf-8")
    subprocess.run([pypandoc.get_pandoc_path(), str(src), "-o", str(tmp_path / "out.epub")],
                   capture_output=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **NO_PROXY})
    assert len(requests) > before


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, canary_server):
    url, requests = canary_server
    base = tmp_path_factory.mktemp("hostile")
    canary = base / "canary.txt"
    canary.write_text(CANARY_TOKEN + "\n", encoding="utf-8")
    root = base / "project"
    (root / "source" / "fa").mkdir(parents=True)
    (root / "publish.yml").write_text(CONFIG, encoding="utf-8")
    (root / "source" / "fa" / "doc.md").write_text(_source(len(HOSTILE)), encoding="utf-8")
    # canaries next to the source too, for the relative references
    (root / "canary.txt").write_text(CANARY_TOKEN + "\n", encoding="utf-8")
    (root / "source" / "fa" / "canary.txt").write_text(CANARY_TOKEN + "\n", encoding="utf-8")
    proc = publish(["update"], root)
    assert proc.returncode == 0, proc.stderr
    po_path = root / "translations/en/doc.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    # the text's units; the title's entries (with a context) are not the source's sentences
    entries = [e for e in po if not e.obsolete and e.msgid and not e.msgctxt]
    assert len(entries) == len(HOSTILE)
    msgstrs = {}
    for e, text in zip(entries, HOSTILE):
        e.msgstr = text.format(url=url, file=canary)
        msgstrs[e.msgid] = e.msgstr
    po.save(str(po_path))
    before = len(requests)
    build = publish(["build", "-e", "en", "-e", "fa-en"], root, **NO_PROXY)
    check = publish(["check", "-c", "bidi"], root)
    return root, build, check, requests[before:], po_path


# --- looking at markup ----------------------------------------------------------------------

class Markup(HTMLParser):
    """Every start tag with its attributes, the tag stack at each, and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}, tuple(self.stack)))
        if tag not in ("meta", "link", "br", "hr", "col", "img", "input", "base", "wbr", "source", "embed"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}, tuple(self.stack)))

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)
        elif not (self.stack and self.stack[-1] == "style"):
            self.text.append(data)


def problems(markup: str, where: str, own_script: str | None, files: set[str] = frozenset()) -> list[str]:
    """What active or fetching content the markup holds; ``files`` are the
    EPUB's own entries (relative references to them are fine)."""
    p = Markup()
    p.feed(markup)
    found = []
    for tag, attrs, stack in p.tags:
        in_head = "head" in stack
        if tag in FORBIDDEN_TAGS:
            # publish's own head: a style sheet, and its alternates (the other editions, the EPUB
            # and PDF), whose addresses must still be files of this build (below)
            ours = (in_head and tag in ("meta", "style", "title", "link")
                    and (tag != "link" or "://" not in attrs.get("href", "")
                         and (attrs["href"].endswith(".css") or attrs.get("rel") == "alternate")))
            if tag == "script" and own_script is not None:
                ours = True  # checked by content below
            if not ours:
                found.append(f"{where}: <{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{where}: <{tag} {name}={value!r}>")
            if name == "style" and re.search(r"url\s*\(|@import|expression\s*\(|javascript", value, re.I):
                found.append(f"{where}: <{tag} style={value!r}>")
            if name in URL_ATTRS:
                target = value.strip()
                scheme = urlsplit(target).scheme.lower() if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target) else ""
                if scheme and scheme not in SAFE_SCHEMES:
                    found.append(f"{where}: <{tag} {name}={value!r}>")
                elif not scheme and not target.startswith("#"):
                    path = target.split("#")[0]
                    if not any(f.endswith(path.lstrip("./")) for f in files) or path.startswith("//"):
                        found.append(f"{where}: <{tag} {name}={value!r}> (not in this document)")
    for script in p.scripts:
        if own_script is None or script.strip() != own_script.strip():
            found.append(f"{where}: a <script> that is not publish's own: {script[:60]!r}")
    text = "".join(p.text)
    if BIDI.search(text):
        found.append(f"{where}: bidi control in the text: {BIDI.findall(text)}")
    return found


def _own_script() -> str:
    from publish.render.html import _SCRIPT
    return _SCRIPT.removeprefix("<script>").removesuffix("</script>")


# --- the tests ------------------------------------------------------------------------------

def test_hostile_build_succeeds(hostile_build):
    root, build, _, _, _ = hostile_build
    assert build.returncode == 0, build.stderr
    for edition in ("en", "fa-en"):
        for fmt in ("html", "epub", "pdf"):
            assert (root / "build" / edition / f"doc.{fmt}").stat().st_size > 0


def test_no_fetch_and_no_canary_anywhere(hostile_build):
    root, build, _, requests, _ = hostile_build
    assert requests == [], f"the build fetched from the canary server: {requests}"
    for out in sorted((root / "build").rglob("*")):
        if not out.is_file():
            continue
        data = out.read_bytes()
        assert CANARY_TOKEN.encode() not in data, out
        if out.suffix == ".epub":
            with zipfile.ZipFile(out) as z:
                for name in z.namelist():
                    assert CANARY_TOKEN.encode() not in z.read(name), f"{out}!{name}"
        if out.suffix == ".pdf" and shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, timeout=60).stdout
            assert CANARY_TOKEN.encode() not in text, out
            assert b"h25" in text  # the PDF does hold the translations


@pytest.mark.parametrize("edition", ["en", "fa-en"])
def test_html_has_no_active_content(hostile_build, edition):
    root = hostile_build[0]
    html = (root / "build" / edition / "doc.html").read_text(encoding="utf-8")
    assert "h01" in html and "h24" in html  # the translations are there, as text
    # the page may link the files of this build beside it: the other editions, its EPUB and PDF
    files = {f"{e}/doc.html" for e in ("fa", "en", "fa-en")}   # every edition, built or not: the site has them all
    files |= {p.name for p in (root / "build" / edition).glob("doc.*")}
    assert problems(html, f"{edition}/doc.html", _own_script() if edition == "fa-en" else None, files) == []


@pytest.mark.parametrize("edition", ["en", "fa-en"])
def test_epub_has_no_active_content(hostile_build, edition):
    root = hostile_build[0]
    found = []
    with zipfile.ZipFile(root / "build" / edition / "doc.epub") as z:
        names = set(z.namelist())
        media = {n for n in names if n.startswith("EPUB/media/")}
        opf = z.read("EPUB/content.opf").decode("utf-8")
        # the one picture is the cover publish drew (the source has none)
        covers = re.findall(r'<item properties="cover-image"[^>]* href="([^"]+)"', opf)
        assert media == {f"EPUB/{c}" for c in covers} and len(covers) == 1, \
            f"the EPUB carries media nobody asked for: {media}"
        assert "remote-resources" not in opf and "http://127.0.0.1" not in opf
        texts = []
        for name in sorted(names):
            if name.endswith((".xhtml", ".html")):
                markup = z.read(name).decode("utf-8")
                if name == "EPUB/text/cover.xhtml":   # pandoc's cover page: the cover in an <svg>, nothing else
                    assert re.findall(r'<(\w+)', markup.split("<body", 1)[1]) == ["div", "svg", "image"]
                    assert re.findall(r'href="([^"]+)"', markup.split("<body", 1)[1]) == [f"../{covers[0]}"]
                    continue
                texts.append(markup)
                found += problems(markup, f"{edition}.epub!{name}", None, names)
    assert found == []
    assert any("h25" in t for t in texts)


@pytest.mark.parametrize("edition", ["en", "fa-en"])
def test_allowed_links_survive_and_the_words_stay(hostile_build, edition):
    root = hostile_build[0]
    p = Markup()
    p.feed((root / "build" / edition / "doc.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for tag, a, _ in p.tags if tag == "a"}
    assert KEPT_HREFS <= hrefs
    text = " ".join("".join(p.text).split())
    # a dropped target keeps its words; markup is shown as the text it is
    for words in ("styled", "ref", "<script>alert(9)</script>", "Trojan evil isolate ten h10", "entity override"):
        assert words in text, words


def test_check_flags_the_bidi_controls(hostile_build):
    _, _, check, _, po_path = hostile_build
    assert check.returncode == 1
    flagged = [l for l in check.stdout.splitlines() if "[bidi]" in l]
    lines = {int(m.group(1)) for l in flagged if (m := re.match(r"translations/en/doc\.po:(\d+):", l))}
    po = polib.pofile(str(po_path), wrapwidth=0)
    expected = {e.linenum for e in po if "h10" in e.msgstr or "h23" in e.msgstr}
    assert len(expected) == 2
    # polib's linenum is the msgid line; the finding names the entry's msgid or msgstr line
    assert all(any(0 <= line - e <= 2 for line in lines) for e in expected), (lines, expected, check.stdout)


# --- the renderers' own door: even a source cannot make them fetch ----------------------------

SOURCE_WITH_RESOURCES = """\
# سرفصل

تصویر دور ![دور]({url}/remote.png) و تصویر فایل ![فایل](file://{file}) و ![بالا](../../canary.txt) و ![درصد](%2e%2e/%2e%2e/canary.txt) اینجاست.

<video src="{url}/video.mp4" poster="{url}/poster.png"></video>

جمله با <img src="{url}/inline.png"> در میان.

![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)
"""


def test_renderers_fetch_nothing_even_for_the_source(canary_server, tmp_path):
    """The source is the press's own text, but the renderers still make the
    book only from what they are handed: no fetch, no file outside the project."""
    url, requests = canary_server
    canary = tmp_path / "canary.txt"
    canary.write_text(CANARY_TOKEN + "\n", encoding="utf-8")
    root = tmp_path / "project"
    (root / "source" / "fa").mkdir(parents=True)
    (root / "publish.yml").write_text(CONFIG, encoding="utf-8")
    (root / "canary.txt").write_text(CANARY_TOKEN + "\n", encoding="utf-8")
    (root / "source" / "fa" / "doc.md").write_text(SOURCE_WITH_RESOURCES.format(url=url, file=canary),
                                                   encoding="utf-8")
    before = len(requests)
    # ../../canary.txt is no picture under source/: refused (tests/test_pictures.py), and
    # --keep-going prints its description, so that the renderers meet every reference
    proc = publish(["build", "-e", "fa"], root, **NO_PROXY)
    assert proc.returncode == 1 and "doc.md:3: picture outside source/: ../../canary.txt" in proc.stderr
    proc = publish(["build", "--keep-going", "-e", "fa"], root, **NO_PROXY)
    assert proc.returncode == 0, proc.stderr
    assert requests[before:] == []
    for fmt in ("html", "epub", "pdf"):
        out = root / "build" / "fa" / f"doc.{fmt}"
        assert CANARY_TOKEN.encode() not in out.read_bytes()
    with zipfile.ZipFile(root / "build" / "fa" / "doc.epub") as z:
        # nothing but the cover publish drew (the picture outside source/ is not carried)
        covers = re.findall(r'<item properties="cover-image"[^>]* href="([^"]+)"', z.read("EPUB/content.opf").decode())
        assert [n for n in z.namelist() if n.startswith("EPUB/media/")] == [f"EPUB/{c}" for c in covers]
        for name in z.namelist():
            assert CANARY_TOKEN.encode() not in z.read(name)

"""Bounded fuzzing of the paths untrusted text takes (``make fuzz``; not CI).

Targets, each a hypothesis test run in rounds until the time budget is spent:

* ``po``: the catalog reader on PO-shaped text with random damage. Either a
  catalog or a PublishError naming the line — never another exception — and
  what it reads, written back and read again, is the same catalog.
* ``source``: the source reader on random bytes (encodings, NUL, BOMs):
  text or a PublishError.
* ``pipeline``: Markdown → units → POT text → catalog → translations →
  assembled tree.  Generated documents must come back unchanged when each
  unit is translated into itself; raw Markdown noise must never raise
  anything but a PublishError.
* ``translation``: any msgstr, once parsed, sanitised and placed, holds no
  raw markup, no image, no link outside http/https/mailto/#, no bidi control.
* ``patterns``: every check ``publish check`` runs, on a translation that
  repeats a random piece of markup 8,000 and 32,000 characters long: four
  times the text may take at most about four times as long (a backtracking
  pattern takes 16 times or more).
* ``serve``: raw HTTP requests a hostile page or client could send to the
  preview (odd methods, paths with ``..``, encoded dots and NULs, foreign and
  malformed Host headers, long headers, half-sent requests): every answer
  comes within the timeout, is never a 500, never a file outside ``build/``,
  and never a page for a Host that is not the preview's own.

    python fuzz/fuzz_pipeline.py --seconds 600 [--target po --target pipeline]

Failures are shrunk by hypothesis and kept in .hypothesis/ so the next
run tries them first.  Exit status 1 if any target failed.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from publish import assemble, catalog, config, source, units  # noqa: E402
from publish.errors import PublishError  # noqa: E402
from publish.tree import clean, walk  # noqa: E402
from strategies import MARKUP_CHARS, WORDS, document, raw_markdown, sentence  # noqa: E402
from test_properties import _without_unit_spans  # noqa: E402

ROUND = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)

# --- po ---------------------------------------------------------------------------------------

PO_LINES = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: en\\n"',
            "#, fuzzy", "#| msgid \"old\"", "#~ msgid \"gone\"", "#~ msgstr \"weg\"", "# comment", "#. note",
            "#: source/fa/doc.md:3", 'msgctxt "c"', 'msgid "یک جمله."', 'msgstr "A sentence."', '"continued"',
            'msgid_plural "many"', 'msgstr[0] "x"', "", '"\\t\\"\\\\n"', 'msgstr "bad \\q escape"', 'msgid "unterminated',
            '"Content-Type: text/plain; charset=ISO-8859-1\\n"', "#~| msgid \"x\"", 'msgid "یک جمله."']


@st.composite
def po_text(draw) -> str:
    lines = draw(st.lists(st.sampled_from(PO_LINES), max_size=25))
    if draw(st.booleans()):  # damage: insert, delete or change characters
        text = "\n".join(lines)
        for _ in range(draw(st.integers(1, 4))):
            pos = draw(st.integers(0, len(text)))
            text = text[:pos] + draw(st.sampled_from(MARKUP_CHARS + ["\x00", "\r", "\ufeff"])) + text[pos + 1:]
        return text
    return "\n".join(lines) + "\n"


@given(po_text())
def fuzz_po(text: str) -> None:
    try:
        po = catalog.parse(text, "fuzz.po")
    except PublishError as exc:
        assert exc.path == "fuzz.po" and "\n" not in exc.message
        return
    again = catalog.parse(catalog.render(po), "fuzz.po")
    entries = lambda p: [(e.obsolete, e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural or {}) for e in p]  # noqa: E731
    assert entries(again) == entries(po)


# --- source -----------------------------------------------------------------------------------

# Windows-1256's Arabic letters (Persian written in it has ي and ك) and punctuation
CP1256_PERSIAN = "".join(ch for ch in bytes(range(0x80, 0x100)).decode("cp1256", "ignore")
                         if ch.isalpha() and "\u0600" <= ch <= "\u06ff") + " .،؛؟\n"


@given(st.one_of(st.binary(max_size=200),
                 st.text(max_size=80).map(lambda t: t.encode("utf-16")),
                 st.text(alphabet=CP1256_PERSIAN, max_size=80).map(lambda t: t.encode("cp1256")),
                 st.text(max_size=80).map(lambda t: t.encode("latin-1", "replace"))))
def fuzz_source(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.md"
        path.write_bytes(data)
        try:
            text = source.read_text(path, "doc.md")
        except PublishError as exc:
            assert exc.path == "doc.md" and "\n" not in exc.message
            return
        assert isinstance(text, str) and "\x00" not in text and text.strip()


def _cp1256(word: str) -> str | None:
    word = word.replace("ی", "ي").replace("ک", "ك").replace("\u200c", "")
    try:
        word.encode("cp1256")
    except UnicodeEncodeError:  # Persian digits are not in Windows-1256
        return None
    return word


_PROSE_WORDS = {w for w in map(_cp1256, WORDS) if w and not w.isascii()}
_PERSIAN_WORDS = st.lists(st.sampled_from(sorted(_PROSE_WORDS)), min_size=3, max_size=30)


@given(st.one_of(_PERSIAN_WORDS.map(" ".join), st.text(alphabet=CP1256_PERSIAN, min_size=1, max_size=80)),
       st.sampled_from(["utf-16", "utf-16-be", "cp1256"]))
def fuzz_encodings(text: str, encoding: str) -> None:
    """What publish reads in another encoding, it reads exactly: it may
    refuse a few letters of noise, never misread them; and it reads any
    Persian sentence."""
    data = ("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)
    try:
        got, notice = source.decode(data, "doc.md")
    except PublishError:
        assert encoding == "cp1256" and not _is_prose(text), text
        return
    if notice is None:  # the bytes are valid UTF-8: only a few letters can be, by chance
        assert encoding == "cp1256" and not _is_prose(text), text
    else:
        assert got == text


def _is_prose(text: str) -> bool:
    words = text.split()
    return len(words) >= 3 and all(w in _PROSE_WORDS for w in words)


# --- pipeline ---------------------------------------------------------------------------------

_PROJECT: list = []


def _project():
    if not _PROJECT:
        root = Path(tempfile.mkdtemp(prefix="publish-fuzz-"))
        (root / "source/fa").mkdir(parents=True)
        (root / "source/fa/doc.md").write_text("متن.\n", encoding="utf-8")
        (root / "publish.yml").write_text(
            "title: Fuzz\nsource_language: fa\ntarget_languages: [en]\n"
            "documents:\n  - name: doc\n    source: source/fa/doc.md\n", encoding="utf-8")
        p = config.load(root)
        _PROJECT.append((p, p.documents[0]))
    return _PROJECT[0]


def _through(text: str, identity: bool) -> None:
    project, doc = _project()
    try:
        source.check_controls(text, "doc.md")   # as every reader of a source does
        blocks, meta = source.parse_markdown(text, "doc.md")
    except PublishError:
        return
    source.normalize_tree(blocks, project.normalize)
    src = source.Source(doc.source, text, blocks, meta)
    found = units.extract(blocks, True, project.abbreviations)
    pot = catalog.parse(catalog.render(catalog.template(project, doc, found)), "doc.pot")
    msgids = [e.msgid for e in pot]
    assert msgids == list(dict.fromkeys(u.msgid for u in found if u.translatable))
    parsed = assemble.parse_translations(msgids)
    tr = assemble.Translations("fa", {m: (inl, "translated") for m, inl in zip(msgids, parsed)})
    rebuilt, _ = assemble.build_tree(src, project, "fa", tr, mark_units=False)
    if identity:  # each unit stands in its anchored span; inside, the source itself
        assert clean(_without_unit_spans(rebuilt)) == clean(blocks)


@given(document(max_blocks=8))
def fuzz_pipeline_documents(text: str) -> None:
    _through(text, identity=True)


@given(st.lists(st.one_of(raw_markdown, sentence([])), min_size=1, max_size=6).map("\n".join))
def fuzz_pipeline_noise(text: str) -> None:
    _through(text, identity=False)


# --- translation ------------------------------------------------------------------------------

HOSTILE = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "jav&#x09;ascript:", "vbscript:",
           "data:text/html,", "](", "[", "]", "(", ")", "![", "<", ">", "{", "}", "onclick=", "style=", "&#106;",
           "&lt;", "&#x202e;", "\u202e", "\u2066", "`", "$", "[^1]", "\ue000", "\ue001", "\ue002", "<!--", "-->",
           "{=html}", "file:///etc/passwd", "http://127.0.0.1/", "mailto:a@b", "#x", " ", "\n", "\\", "*", "_"]


@given(st.lists(st.lists(st.one_of(st.sampled_from(HOSTILE), st.sampled_from(["text", "متن", "x"])),
                         max_size=20).map("".join), min_size=1, max_size=5))
def fuzz_translation(texts: list[str]) -> None:
    parsed = assemble.parse_translations(texts)
    assert len(parsed) == len(texts)
    for inl in parsed:
        out = assemble._place(inl, {}, set(), set())
        for el in walk(out):
            assert el["t"] not in ("RawInline", "RawBlock", "Image", "Note"), el
            if el["t"] == "Link":
                assert assemble._safe_url(el["c"][2][0]), el
            if el["t"] == "Str":
                assert not assemble.BIDI_CONTROLS.search(el["c"]), el
            if el["t"] == "Span":
                assert el["c"][0][0] == "" and el["c"][0][2] == [], el


# --- patterns ---------------------------------------------------------------------------------

PATTERN_PIECES = list("`*_[]()<>{}%@.:/\\!^~|#$ \n\"'«»") + ["**", "__", "](", "[^", "{{", "}}", "http://", "www.",
                                                               "a", "ب", "1", "۳", "&#", "<a", "\u202e"]


def _check_seconds(text: str) -> float:
    import polib

    from publish import check
    po = polib.POFile()
    po.append(polib.POEntry(msgid="متن ۳ **مهم** با `کد` و [پیوند](https://example.com).", msgstr=text))
    po.append(polib.POEntry(msgid=text, msgstr="text"))
    start = time.process_time()  # CPU time: other processes on the machine do not count
    check.check_catalog(po, "x.po", "en", "fa", [])
    return time.process_time() - start


@given(st.lists(st.sampled_from(PATTERN_PIECES), min_size=1, max_size=6).map("".join))
def fuzz_patterns(piece: str) -> None:
    small = piece * (8_000 // len(piece))
    big = piece * (32_000 // len(piece))
    t_small = min(_check_seconds(small) for _ in range(2))
    t_big = min(_check_seconds(big) for _ in range(2))
    # linear: ×4 the text, ×4 the time (×8 allows for noise and caches);
    # the 0.25 s floor keeps a fast check from failing on a scheduler hiccup
    assert t_big <= 8 * t_small + 0.25, (piece, t_small, t_big)


# --- serve -------------------------------------------------------------------------------------

SECRET = "outside-build-secret"      # a file beside build/ (its name may be echoed in an error page)
SECRET_TEXT = "the text of the file outside build"  # what must never be sent
_preview = None


def _server():
    """One preview on 127.0.0.1 for the whole run: a project with one page,
    and a secret beside build/ that no request may read."""
    global _preview
    if _preview is None:
        import threading

        from publish import serve
        root = Path(tempfile.mkdtemp(prefix="fuzz-serve-"))
        (root / "source" / "fa").mkdir(parents=True)
        (root / "publish.yml").write_text("title: {fa: آزمون}\nsource_language: fa\ntarget_languages: [en]\n"
                                          "documents:\n  - name: doc\n    source: source/fa/doc.md\n",
                                          encoding="utf-8")
        (root / "source" / "fa" / "doc.md").write_text("# عنوان\n\nیک جمله.\n", encoding="utf-8")
        (root / "build" / "en").mkdir(parents=True)
        (root / "build" / "en" / "doc.html").write_text("<html><body>page</body></html>", encoding="utf-8")
        (root / SECRET).write_text(SECRET_TEXT, encoding="utf-8")
        preview = serve.Preview(root, log=lambda msg: None)
        httpd = serve._Server(("127.0.0.1", 0), serve._handler(preview, timeout=2))
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        _preview = httpd.server_address[1]
    return _preview


METHODS = ["GET", "HEAD", "POST", "PUT", "OPTIONS", "TRACE", "CONNECT", "BREW", "G\x00ET", "", "GET GET"]
PATHS = ["/", "/index.html", "/en/doc.html", "/en/../" + SECRET, "/../" + SECRET, "/%2e%2e/" + SECRET,
         "/en/%2e%2e%2f" + SECRET, "/%00", "/en/doc.html%00.txt", "//etc/passwd", "/_publish/units/en/doc.json",
         "/_publish/units/en-x/doc.json", "/_publish/units/../../" + SECRET, "/_publish/events", "/.git/config",
         "/en/.hidden", "*", "http://evil.example/", "/" + "a" * 5000, "/\u202e", "/%ff%fe", "/en/doc.html?x=1#y"]
HOSTS = ["127.0.0.1:{port}", "localhost:{port}", "evil.example", "evil.example:{port}", "", "127.0.0.1:{port}, evil",
         "127.0.0.1:{port}\r\nX: y", "[::1]:{port}", "localhost.:{port}", "\u0131ocalhost:{port}", None]


@given(st.sampled_from(METHODS), st.sampled_from(PATHS), st.sampled_from(HOSTS),
       st.lists(st.sampled_from(["X-A: b", "Content-Length: 5", "Content-Length: -1", "Transfer-Encoding: chunked",
                                 "Range: bytes=0-1", "Connection: keep-alive", "Y: " + "z" * 70_000, "bad header"]),
                max_size=3),
       st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/9.9", ""]), st.booleans())
def fuzz_serve(method, path, host, headers, version, half):
    import socket
    port = _server()
    shown = host.format(port=port) if host is not None else None
    own_host = shown in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}")
    lines = [f"{method} {path} {version}".rstrip()]
    if host is not None:
        lines.append("Host: " + host.format(port=port))
    lines += headers
    raw = "\r\n".join(lines).encode("utf-8", "surrogateescape") + (b"" if half else b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        try:
            while len(answer) < 1_000_000:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
                if b"/_publish/events" in path.encode() and b"\r\n\r\n" in answer:
                    break  # an event stream stays open: its head is the answer
        except socket.timeout:
            raise AssertionError(f"no answer in 10 s to {raw[:200]!r}") from None
    status = answer[9:12] if answer.startswith(b"HTTP/") else b""
    assert status != b"500", answer[:300]
    assert SECRET_TEXT.encode() not in answer, raw[:200]
    if status == b"200" and not own_host:
        raise AssertionError(f"200 for a foreign Host: {raw[:200]!r}")


TARGETS = {
    "po": [fuzz_po],
    "source": [fuzz_source, fuzz_encodings],
    "pipeline": [fuzz_pipeline_documents, fuzz_pipeline_noise],
    "translation": [fuzz_translation],
    "patterns": [fuzz_patterns],
    "serve": [fuzz_serve],
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=300, help="time budget for all targets together")
    ap.add_argument("--target", action="append", choices=list(TARGETS), help="only these targets")
    ap.add_argument("--examples", type=int, default=50, help="examples per round")
    args = ap.parse_args(argv)
    tests = [t for name in (args.target or TARGETS) for t in TARGETS[name]]
    deadline = time.monotonic() + args.seconds
    runs = {t.__name__: 0 for t in tests}
    failed: dict[str, str] = {}
    tests = [settings(max_examples=args.examples, **ROUND)(t) for t in tests]
    while time.monotonic() < deadline and len(failed) < len(tests):
        for test in tests:
            if test.__name__ in failed or time.monotonic() >= deadline:
                continue
            try:  # every call is a fresh random round; shrinking only when something fails
                test()
            except Exception:  # noqa: BLE001 - a fuzzer reports whatever escapes
                failed[test.__name__] = traceback.format_exc()
                print(f"FAILED {test.__name__}\n{failed[test.__name__]}", flush=True)
            runs[test.__name__] += args.examples
    spent = args.seconds - max(0.0, deadline - time.monotonic())
    print(f"fuzzed for {spent:.0f} s: " + ", ".join(f"{k} ~{v} examples" for k, v in runs.items()))
    for name in failed:
        print(f"  {name}: FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

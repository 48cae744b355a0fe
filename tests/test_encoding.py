"""Encodings as browsers read them (issue 12, point 3).

``encoding.decode`` rule by rule (byte-order marks, declarations, detection,
declarations that lie, refusals), random bytes that may only ever give a
PublishError, and every command run on a project whose existing source is in
a legacy encoding or broken: a notice or one line, never a traceback, and
the files as they were when refused.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from publish import encoding, scaffold
from publish.cli import main
from publish.errors import PublishError

# Windows-1256 has Arabic yeh and kaf (ي ك), not the Persian ones: old Persian
# pages were written with these.  ZWNJ (U+200C) is byte 0x9D.
FA = "اين نوشته\u200cاي است به فارسي، با «گيومه» و پيوند؛ چرا ژاله؟ گزارش پدر."
SILENCE = "save the file as UTF-8 to silence this notice"


def page(charset_tag: str = "", body: str = FA, title: str = "صفحه") -> str:
    return f"<html><head>{charset_tag}<title>{title}</title></head>\n<body>\n<p>{body}</p>\n</body></html>\n"


def decode(data: bytes, html: bool = True):
    return encoding.decode(data, "x.html", html=html)


# --- 1. byte-order marks ------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_a_byte_order_mark_decides(codec):
    text = page('<meta charset="windows-1256">')   # a BOM outranks any declaration
    data = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data
    got, notice = decode(data)
    assert got == text
    if codec == "utf-8-sig":
        assert notice is None
    else:
        assert notice == f"read as UTF-16 (it has a UTF-16 byte-order mark); {SILENCE}"


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_utf32_is_refused_in_one_line(codec):
    data = ("\ufeff" if codec == "utf-32-be" else "") + FA
    with pytest.raises(PublishError, match="UTF-32 text is not read: save the file as UTF-8") as exc:
        decode(data.encode(codec))
    assert "\n" not in str(exc.value)


def test_broken_text_after_a_byte_order_mark_names_its_line():
    data = "\ufeffخط یک\nخط دو\n".encode("utf-16-le") + b"\x00\xdc" + "ادامه".encode("utf-16-le")
    with pytest.raises(PublishError, match="broken UTF-16") as exc:
        decode(data)
    assert exc.value.line == 3
    with pytest.raises(PublishError, match="broken UTF-8") as exc:
        decode(b"\xef\xbb\xbfone\ntwo \xff\n")
    assert exc.value.line == 2


# --- 2. declarations (HTML only) ----------------------------------------------------------

@pytest.mark.parametrize("tag, how", [
    ('<meta charset="windows-1256">', "<meta charset>"),
    ("<META CHARSET=cp1256>", "<meta charset>"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">', "<meta http-equiv>"),
    ("<meta content='text/html;charset=CP1256' http-equiv='content-type'>", "<meta http-equiv>"),
])
def test_a_meta_declaration_is_read_by_the_whatwg_prescan(tag, how):
    text = page(tag)
    got, notice = decode(text.encode("cp1256"))
    assert got == text
    assert notice.startswith("read as Windows-1256 (") and f"its {how} says" in notice and notice.endswith(SILENCE)


def test_an_xml_declaration_is_read():
    text = '<?xml version="1.0" encoding="windows-1256"?>\n' + page()
    got, notice = decode(text.encode("cp1256"))
    assert got == text and "its XML declaration says windows-1256" in notice


def test_a_declaration_counts_only_in_html_and_in_the_first_1024_bytes():
    # the same bytes as Markdown, or with the <meta> too far down, are read by detection
    text = page('<meta charset="windows-1256">')
    got, notice = decode(text.encode("cp1256"), html=False)
    assert got == text and "its <meta" not in notice and "reads as Persian" in notice
    late = "<!-- " + "x" * 1100 + " -->" + page('<meta charset="windows-1256">')
    got, notice = decode(late.encode("cp1256"))
    assert got == late and "its <meta" not in notice


def test_arabic_iso_8859_6_is_read_as_declared():
    text = page('<meta charset="arabic">', body="سلام دنيا، اين متن عربي است.")
    got, notice = decode(text.encode("iso-8859-6"))
    assert got == text
    assert notice == f"read as ISO-8859-6 (its <meta charset> says arabic); {SILENCE}"


def test_a_true_latin_declaration_is_followed():
    text = page('<meta charset="iso-8859-1">', body="Größe, café, naïve, déjà vu.", title="Seite")
    got, notice = decode(text.encode("latin-1"))
    assert got == text and notice.startswith("read as Windows-1252 (its <meta charset> says iso-8859-1)")


def test_a_cyrillic_page_is_not_second_guessed_as_persian():
    # Cyrillic bytes read as Windows-1256 look like Arabic letters: a page
    # declaring windows-1251 is taken at its word
    text = page('<meta charset="windows-1251">', body="Привет мир, это русский текст.", title="Страница")
    got, notice = decode(text.encode("cp1251"))
    assert got == text and "Windows-1251" in notice


def test_ascii_needs_no_notice_whatever_it_declares():
    text = page('<meta charset="windows-1256">', body="plain English", title="Page")
    assert decode(text.encode("ascii")) == (text, None)


# --- declarations that lie: the bytes win, and the notice says so ---------------------------

@pytest.mark.parametrize("label", ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-6"])
def test_a_persian_windows_1256_page_declaring_something_else(label):
    text = page(f'<meta charset="{label}">')
    got, notice = decode(text.encode("cp1256"))
    assert got == text and FA in got   # every letter, ZWNJ included: no "?" and no mojibake
    assert notice.startswith(f"read as Windows-1256, although its <meta charset> says {label}")
    assert notice.endswith(SILENCE)


def test_a_utf8_page_that_kept_its_old_declaration():
    text = page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')
    got, notice = decode(text.encode("utf-8"))
    assert got == text
    assert notice.startswith("read as UTF-8, although its <meta http-equiv> says windows-1256")


def test_declared_utf8_that_is_nothing_readable_is_refused_at_its_line():
    data = b'<meta charset="utf-8">\n<p>one</p>\n<p>caf\xe9 and na\xefve \x81</p>\n'
    with pytest.raises(PublishError, match="its <meta charset> says utf-8, but the text is not UTF-8") as exc:
        decode(data)
    assert exc.value.line == 3


def test_a_declared_encoding_the_bytes_do_not_fit_is_refused_at_its_line():
    data = b'<meta charset="windows-1252">\n<p>ok</p>\n<p>\x81\x8d caf\xe9</p>\n'   # undefined in cp1252
    with pytest.raises(PublishError, match="says windows-1252, but the text is not Windows-1252") as exc:
        decode(data)
    assert exc.value.line == 3


# --- 3. detection ---------------------------------------------------------------------------

@pytest.mark.parametrize("html", [False, True])
def test_detection_order(html):
    assert decode(FA.encode("utf-8"), html) == (FA, None)
    got, notice = decode(FA.encode("cp1256"), html)
    assert got == FA and notice == ("read as Windows-1256 (it is not UTF-8 and reads as Persian in Windows-1256); "
                                    + SILENCE)
    for codec, order in (("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")):
        text = "# عنوان\n\n" + FA + "\n"
        got, notice = decode(text.encode(codec), html)
        assert got == text and notice.startswith(f"read as UTF-16 {order} (") and notice.endswith(SILENCE)


def test_windows_1256_with_latin_words_beside_the_persian():
    # Latin words at the very start and end, and between Persian ones, are
    # not "mixed words": only a Latin letter touching an Arabic one is
    text = "Chapter 1\n\n" + FA + " (PDF, ISBN) " + FA + " end"
    assert decode(text.encode("cp1256"), html=False)[0] == text
    with pytest.raises(PublishError):
        decode((FA + " Gr" + "\u0650" + "sse").encode("cp1256"), html=False)


def test_utf16_without_a_mark_even_with_no_space_or_ascii():
    # one Persian word in UTF-16 LE is valid UTF-8 (control bytes and ASCII): the controls give it away
    got, notice = decode("سلام".encode("utf-16-le"), html=False)
    assert got == "سلام" and "UTF-16 little-endian" in notice


@pytest.mark.parametrize("data", [
    "Größe, Straße, café\n".encode("latin-1"),
    "# 見出し\n\n日本語の文章です。\n".encode("shift_jis"),
    "سلام".encode("utf-8") + b"\xd8" + " دنیا، این متن فارسی است.".encode("utf-8"),
])
def test_what_is_nothing_known_is_refused_naming_the_line(data):
    with pytest.raises(PublishError, match="not UTF-8 text .*save the file as UTF-8") as exc:
        decode(b"first line\n" + data, html=False)
    assert exc.value.line == 2


@pytest.mark.parametrize("html", [False, True])
def test_empty_input(html):
    assert decode(b"", html) == ("", None)


def test_source_decode_is_the_same_function():
    from publish import source
    data = FA.encode("cp1256")
    assert source.decode(data, "x") == encoding.decode(data, "x")


# --- hostile bytes --------------------------------------------------------------------------

_PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b'<meta charset="utf-8">',
                             b'<meta charset="windows-1256">', b"<meta charset=iso-8859-1>", b"<?xml encoding='",
                             b'<?xml version="1.0" encoding="arabic"?>', b"<meta http-equiv=content-type content=",
                             b"<!--", b"<meta charset=replacement>", b"<meta charset=x-user-defined>"])


@settings(max_examples=400, deadline=None)
@given(_PREFIXES, st.binary(max_size=300), st.booleans())
def test_any_bytes_give_text_or_one_publish_error(prefix, data, html):
    try:
        text, notice = encoding.decode(prefix + data, "x", html=html)
    except PublishError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(text, str)
    assert notice is None or notice.endswith("to silence this notice")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200), st.booleans())
def test_utf8_text_is_read_exactly_and_quietly(text, html):
    if html:
        text = '<meta charset="utf-8">' + text
    assert encoding.decode(text.encode("utf-8"), "x", html=html) == (text, None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FA.replace("،", " ").replace("؛", " ").replace("؟", " ").split()),
                min_size=2, max_size=30),
       st.sampled_from(["windows-1256", "cp1256", "iso-8859-1", "utf-8", "windows-1252"]))
def test_persian_windows_1256_pages_are_read_exactly_whatever_they_declare(words, label):
    text = page(f'<meta charset="{label}">', body=" ".join(words))
    got, notice = encoding.decode(text.encode("cp1256"), "x", html=True)
    assert got == text and "Windows-1256" in notice


# --- every command, with an existing source in a legacy encoding ----------------------------

STARTER = "# خوش آمديد\n\nاين نوشته\u200cاي است به فارسي. جمله دوم، با ويرگول.\n"
LEGACY = {
    "cp1256": (STARTER.encode("cp1256"), "read as Windows-1256"),
    "utf-16-bom": (STARTER.encode("utf-16"), "read as UTF-16 (it has"),
    "utf-16-le": (STARTER.encode("utf-16-le"), "read as UTF-16 little-endian"),
    "utf-16-be": (STARTER.encode("utf-16-be"), "read as UTF-16 big-endian"),
}
BROKEN = b"# \xff\xfe\xfd title\n\nabc \x81\x82 caf\xe9\n"
SRC = "source/fa/welcome.md"


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("enc") / "book"
    scaffold.init(root, title="کتاب", targets=("en",))
    return root


def _project(blank: Path, tmp_path: Path, data: bytes) -> Path:
    import shutil
    root = tmp_path / "book"
    shutil.copytree(blank, root)
    (root / SRC).write_bytes(data)
    (tmp_path / "plain.txt").write_text("سلام دنیا. این متن ساده است.\n", encoding="utf-8")
    return root


def _run(root: Path, *args: str):
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    # a traceback is an exception other than click's exit
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"publish {' '.join(args)}: {result.exception!r}"
    assert "Traceback" not in result.output + result.stderr
    return result


def _files(root: Path) -> dict[str, bytes]:
    """Every file of the project but the lock (made empty by the first command)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".publish.lock"}


@pytest.mark.parametrize("kind", sorted(LEGACY))
def test_every_command_reads_a_legacy_source_with_a_notice(blank, tmp_path, kind):
    data, notice = LEGACY[kind]
    root = _project(blank, tmp_path, data)
    for args in (["update"], ["status"], ["check"], ["build", "-f", "html"]):
        result = _run(root, *args)
        assert result.exit_code == 0, (args, result.output, result.stderr)
        if args[0] in ("update", "build"):
            assert f"publish: {SRC}: notice: {notice}" in result.stderr, (args, result.stderr)
    html = (root / "build/fa/welcome.html").read_text(encoding="utf-8")
    assert "فارسی" in html and "نوشته\u200cای" in html   # read, then normalised (ي → ی) in the edition
    # a source saved in another encoding is not the untouched starter: import adds, never replaces it
    result = _run(root, "import", str(tmp_path / "plain.txt"))
    assert result.exit_code == 0, result.stderr
    assert (root / SRC).read_bytes() == data
    assert "name: welcome" in (root / "publish.yml").read_text(encoding="utf-8")


def test_every_command_refuses_a_broken_source_in_one_line(blank, tmp_path):
    root = _project(blank, tmp_path, BROKEN)
    before = _files(root)
    for args in (["update"], ["build", "-f", "html"]):
        result = _run(root, *args)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            f"publish: {SRC}:1: not UTF-8 text (nor UTF-16, nor Windows-1256 Persian): save the file as UTF-8"]
        assert _files(root) == before
    for args in (["status"], ["check"]):   # they read catalogs only: whatever they say, no traceback
        _run(root, *args)
    result = _run(root, "import", str(tmp_path / "plain.txt"))
    assert result.exit_code == 0, result.stderr
    assert (root / SRC).read_bytes() == BROKEN


@pytest.mark.parametrize("data", [LEGACY["cp1256"][0], LEGACY["utf-16-le"][0], BROKEN],
                         ids=["cp1256", "utf16", "broken"])
def test_the_preview_rebuilds_or_shows_one_line(blank, tmp_path, data):
    from publish.serve import Preview
    root = _project(blank, tmp_path, data)
    logged: list[str] = []
    preview = Preview(root, log=logged.append)
    preview.rebuild(None)
    if data is BROKEN:
        assert preview.state.error and "not UTF-8 text" in preview.state.error
    else:
        assert preview.state.error is None, preview.state.error
        assert (root / "build/fa/welcome.html").exists()
        assert preview.units("fa-en", "welcome")   # the unit → PO panel reads the source too


def test_a_windows_1256_html_page_imports_word_for_word(blank, tmp_path):
    """Through pandoc's HTML reader: the <meta charset> left in the decoded
    text must not make it read the page a second time in another encoding."""
    root = _project(blank, tmp_path, STARTER.encode("utf-8"))
    for label in ("windows-1256", "iso-8859-1"):
        html = tmp_path / f"old-{label}.html"
        tag = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
        html.write_bytes(page(tag).encode("cp1256"))
        result = _run(root, "import", str(html))
        assert result.exit_code == 0, result.stderr
        assert "notice: read as Windows-1256" in result.stderr and SILENCE in result.stderr
        md = (root / f"source/fa/old-{label}.md").read_text(encoding="utf-8")
        assert FA in md                       # every word, the ZWNJ in نوشته‌اي too
        assert "?" not in md.replace("؟", "") and "\ufffd" not in md
        assert not any("\u00c0" <= ch <= "\u00ff" for ch in md)   # no Latin-1 mojibake (Óå äÓá)


@pytest.mark.parametrize("data", [FA.encode("utf-32"), b"one\ntwo \xff\xfe\x81 caf\xe9\n"], ids=["utf32", "broken"])
def test_an_unreadable_file_is_refused_by_import_and_nothing_is_written(blank, tmp_path, data):
    root = _project(blank, tmp_path, STARTER.encode("utf-8"))
    before = _files(root)
    for suffix in (".txt", ".md", ".html"):
        path = tmp_path / f"bad{suffix}"
        path.write_bytes(data)
        result = _run(root, "import", str(path))
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"publish: {path}") and "save the file as UTF-8" in lines[0]
        assert _files(root) == before
